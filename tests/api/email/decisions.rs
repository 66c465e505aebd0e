//! What people hear when the organizers decide about them or the event: a cancelled event
//! withdraws every invite, and a rejected registration is told.

use chrono::TimeDelta;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::fixtures::{event_starting_in, register, starts_at};
use crate::helpers::mail::{app_with_sink, message_for, parse, part, scheduler, subject};
use crate::helpers::smtp_sink::{Captured, SmtpSink};
use crate::helpers::{TestApp, expect_status, id};

async fn cancel_the_event(app: &TestApp, event: &Value) {
    expect_status(
        app.patch(
            &format!("/api/v1/events/{}", id(event)),
            &json!({"status": "cancelled"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
}

/// The seated person is told in Korean, and their invite is withdrawn: a CANCEL of the same
/// UID, one sequence later.
fn the_seated_invite_is_withdrawn(messages: &[Captured], title: &str, seated: &Value) {
    let cancelled = parse(message_for(messages, "seoyeon@example.com")[1]);
    assert_eq!(
        subject(&cancelled),
        format!("{title} 행사가 취소되었습니다")
    );
    let invite = part(&cancelled, "text/calendar").expect("a cancellation");
    assert_eq!(
        invite.ctype.params.get("method").map(String::as_str),
        Some("CANCEL")
    );
    let ics = invite.get_body().unwrap();
    assert!(
        ics.contains(&format!("UID:registration-{}@homecoming", id(seated))),
        "{ics}"
    );
    assert!(
        ics.contains("SEQUENCE:1") && ics.contains("STATUS:CANCELLED"),
        "{ics}"
    );
}

/// The waitlisted person is told in English, with no invite to withdraw.
fn the_waitlisted_are_told_without_an_invite(messages: &[Captured], title: &str) {
    let waiting = parse(message_for(messages, "jane@example.com")[1]);
    assert_eq!(subject(&waiting), format!("{title} is cancelled"));
    assert!(part(&waiting, "text/calendar").is_none());
}

/// On an event that needs approval, a rejected registration is told about it.
async fn a_rejected_registration_is_told(app: &TestApp, sink: &SmtpSink) {
    let approval = app.open_event(5, json!({"requires_approval": true})).await;
    let pending = register(
        app,
        &approval,
        "Pending Person",
        "pending@example.com",
        "en",
    )
    .await;
    sink.wait_for(5).await;
    expect_status(
        app.post(
            &format!(
                "/api/v1/events/{}/registrations/{}/reject",
                id(&approval),
                id(&pending)
            ),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let messages = sink.wait_for(6).await;
    let rejected = message_for(&messages, "pending@example.com");
    assert_eq!(
        subject(&parse(rejected[1])),
        format!(
            "About your registration for {}",
            approval["title"].as_str().unwrap()
        )
    );
}

#[tokio::test]
async fn cancelling_a_published_event_withdraws_every_invite_and_rejections_are_told() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let event = event_starting_in(&app, TimeDelta::days(10), 1).await;
    let title = event["title"].as_str().unwrap().to_string();
    let seated = register(&app, &event, "김 서연", "seoyeon@example.com", "ko").await;
    register(&app, &event, "Jane Doe", "jane@example.com", "en").await;
    sink.wait_for(2).await;

    cancel_the_event(&app, &event).await;
    let messages = sink.wait_for(4).await;
    the_seated_invite_is_withdrawn(&messages, &title, &seated);
    the_waitlisted_are_told_without_an_invite(&messages, &title);
    // A cancelled event sends no reminders.
    app.clock.set(starts_at(&event) - TimeDelta::days(1));
    assert_eq!(scheduler(&app).await.run_once().await.unwrap(), 0);

    a_rejected_registration_is_told(&app, &sink).await;
}
