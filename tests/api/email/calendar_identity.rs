//! One calendar entry per registration: the mailed invite and the manage page's `.ics`
//! download share the UID, and every change raises the SEQUENCE both carry, so a later invite
//! or download replaces the entry instead of adding a second.

use chrono::{DateTime, TimeDelta, Utc};
use icalendar::{Calendar, CalendarComponent, Component, Event};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::mail::{app_with_sink, ics_start, parse, part, subject};
use crate::helpers::registration::register_ok;
use crate::helpers::smtp_sink::SmtpSink;
use crate::helpers::{TestApp, expect_status, id};

/// UID, SEQUENCE and start of the one VEVENT in a calendar file.
fn entry(ics: &str) -> (String, u32, DateTime<Utc>) {
    let calendar: Calendar = ics.parse().expect("the calendar parses");
    let event: &Event = calendar
        .components
        .iter()
        .find_map(|c| match c {
            CalendarComponent::Event(event) => Some(event),
            _ => None,
        })
        .expect("a VEVENT");
    (
        event.get_uid().expect("a UID").to_string(),
        event.get_sequence().expect("a SEQUENCE"),
        ics_start(ics),
    )
}

async fn download(app: &TestApp, registered: &Value) -> String {
    let manage = registered["manage_url"].as_str().unwrap();
    let path = &manage[manage.find("/registrations/").unwrap()..];
    let response = app.get(&format!("{path}/event.ics")).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

#[tokio::test]
async fn the_invite_and_the_download_are_one_entry_whose_sequence_rises_on_a_change() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let event = app.open_event(10, json!({})).await;
    let seoyeon = register_ok(
        &app,
        &id(&event),
        &json!({"name": "김서연", "email": "seoyeon@example.com", "role": "alumni", "language": "ko"}),
    )
    .await;
    let messages = sink.wait_for(1).await;
    let invite = part(&parse(&messages[0]), "text/calendar")
        .expect("an invite")
        .get_body()
        .unwrap();
    let (uid, sequence, start) = entry(&invite);
    assert_eq!(uid, format!("registration-{}@homecoming", id(&seoyeon)));
    assert_eq!(
        entry(&download(&app, &seoyeon).await),
        (uid.clone(), sequence, start)
    );

    let moved_start = start + TimeDelta::days(1);
    expect_status(
        app.patch(
            &format!("/api/v1/events/{}", id(&event)),
            &json!({
                "starts_at": moved_start.to_rfc3339(),
                "ends_at": (moved_start + TimeDelta::hours(6)).to_rfc3339(),
            }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let messages = sink.wait_for(2).await;
    let changed = parse(&messages[1]);
    assert!(
        subject(&changed).contains("바뀌었습니다"),
        "{}",
        subject(&changed)
    );
    let update = part(&changed, "text/calendar")
        .expect("a new invite")
        .get_body()
        .unwrap();
    let (update_uid, update_sequence, update_start) = entry(&update);
    assert_eq!(update_uid, uid, "the change replaces the same entry");
    assert!(update_sequence > sequence, "{update_sequence} > {sequence}");
    assert_eq!(update_start, moved_start);
    assert_eq!(
        entry(&download(&app, &seoyeon).await),
        (uid, update_sequence, moved_start),
        "the download is the entry as it is now"
    );
}
