//! Reminders before an event: they fire once each at their offsets, follow the event when it
//! moves, skip people who registered after their time, are queued once however many schedulers
//! run, can be chosen by organizers, and stop for people who unsubscribe.

use chrono::{DateTime, TimeDelta, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::fixtures::{event_starting_in, register, starts_at};
use crate::helpers::mail::{
    app_with_sink, ics_start, message_for, outbox, parse, part, scheduler, subject,
};
use crate::helpers::smtp_sink::{Captured, SmtpSink};
use crate::helpers::{TestApp, expect_problem, expect_status, id};

fn kinds_for(messages: &[Captured], address: &str) -> Vec<String> {
    message_for(messages, address)
        .into_iter()
        .map(|captured| subject(&parse(captured)))
        .collect()
}

/// An event ten days ahead with two seats: Seoyeon (Korean) and Jane (English) hold them,
/// one person waits, and one cancelled. Their mail so far has been sent.
async fn two_seated_one_waiting_one_cancelled(app: &TestApp, sink: &SmtpSink) -> Value {
    let event = event_starting_in(app, TimeDelta::days(10), 2).await;
    register(app, &event, "김 서연", "seoyeon@example.com", "ko").await;
    register(app, &event, "Jane Doe", "jane@example.com", "en").await;
    register(app, &event, "박 대기", "waiting@example.com", "ko").await;
    let gone = register(app, &event, "Leaving", "leaving@example.com", "en").await;
    expect_status(
        app.post(
            &format!(
                "/api/v1/events/{}/registrations/{}/cancel",
                id(&event),
                id(&gone)
            ),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    // Confirmations, waitlisted, and the cancellation.
    sink.wait_for(5).await;
    event
}

/// A minute after the seven-day mark the reminder reaches those with a seat, in their
/// language, with an unsubscribe link and the event's page; it is queued once.
async fn the_seven_day_reminder_reaches_those_with_a_seat(
    app: &TestApp,
    sink: &SmtpSink,
    event: &Value,
    title: &str,
    start: DateTime<Utc>,
) {
    let path = format!("/api/v1/events/{}/reminders", id(event));
    app.clock
        .set(start - TimeDelta::days(7) + TimeDelta::minutes(1));
    let messages = sink.wait_for(7).await;
    assert_eq!(
        kinds_for(&messages, "seoyeon@example.com").last().unwrap(),
        &format!("{title}까지 7일 남았습니다")
    );
    assert_eq!(
        kinds_for(&messages, "jane@example.com").last().unwrap(),
        &format!("{title} is in 7 days")
    );
    let reminder = parse(message_for(&messages, "jane@example.com")[1]);
    let unsubscribe = reminder
        .headers
        .iter()
        .find(|header| header.get_key() == "List-Unsubscribe")
        .map(|header| header.get_value())
        .expect("reminders carry List-Unsubscribe");
    assert!(unsubscribe.contains("/unsubscribe/"), "{unsubscribe}");
    let text = part(&reminder, "text/plain").unwrap().get_body().unwrap();
    assert!(
        text.contains(&format!("/events/{}", event["slug"].as_str().unwrap())),
        "{text}"
    );
    assert_eq!(
        scheduler(app).await.run_once().await.unwrap(),
        0,
        "queued once"
    );
    let plan = expect_status(app.get(&path).await, StatusCode::OK).await;
    assert_eq!(plan["reminders"][0]["state"], "queued", "{plan}");
    assert_eq!(plan["reminders"][0]["recipients"], 2, "{plan}");
}

/// The event moves two days later: everyone registered hears of it (with a new invite
/// for those holding a seat) and the one-day reminder moves with it.
/// Returns the moved event.
async fn moving_the_event_tells_everyone_registered(
    app: &TestApp,
    sink: &SmtpSink,
    event: &Value,
    title: &str,
    start: DateTime<Utc>,
) -> Value {
    let moved = expect_status(
        app.patch(
            &format!("/api/v1/events/{}", id(event)),
            &json!({
                "starts_at": (start + TimeDelta::days(2)).to_rfc3339(),
                "ends_at": (start + TimeDelta::days(2) + TimeDelta::hours(5)).to_rfc3339(),
            }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let messages = sink.wait_for(10).await;
    let changed = parse(message_for(&messages, "jane@example.com")[2]);
    assert_eq!(
        subject(&changed),
        format!("{title} has a new time or place")
    );
    let invite = part(&changed, "text/calendar").expect("a new invite");
    let ics = invite.get_body().unwrap();
    assert_eq!(ics_start(&ics), start + TimeDelta::days(2));
    assert!(ics.contains("SEQUENCE:1"), "{ics}");
    let waiting = message_for(&messages, "waiting@example.com");
    assert_eq!(waiting.len(), 2, "waitlisted and the change");
    assert!(
        part(&parse(waiting[1]), "text/calendar").is_none(),
        "no seat, no invite"
    );
    assert!(
        message_for(&messages, "leaving@example.com").len() == 2,
        "waitlisted, cancelled, then nothing more"
    );
    moved
}

/// The one-day reminder is sent at the moved event's mark, not the old one, and nothing is
/// sent after the start.
async fn the_one_day_reminder_moves_with_the_event(
    app: &TestApp,
    sink: &SmtpSink,
    title: &str,
    start: DateTime<Utc>,
    moved: &Value,
) {
    // The old one-day mark passes without a reminder.
    app.clock
        .set(start - TimeDelta::days(1) + TimeDelta::minutes(1));
    assert_eq!(scheduler(app).await.run_once().await.unwrap(), 0);
    // The new one.
    app.clock
        .set(starts_at(moved) - TimeDelta::days(1) + TimeDelta::minutes(1));
    let messages = sink.wait_for(12).await;
    assert_eq!(
        kinds_for(&messages, "seoyeon@example.com").last().unwrap(),
        &format!("{title}까지 1일 남았습니다")
    );
    // After the start, nothing more.
    app.clock.set(starts_at(moved) + TimeDelta::minutes(1));
    assert_eq!(scheduler(app).await.run_once().await.unwrap(), 0);
    let messages = sink.messages();
    assert_eq!(
        messages.len(),
        12,
        "{:#?}",
        messages
            .iter()
            .map(|m| subject(&parse(m)))
            .collect::<Vec<_>>()
    );
    assert!(
        kinds_for(&messages, "waiting@example.com")
            .iter()
            .all(|s| !s.contains("남았습니다"))
    );
}

#[tokio::test]
async fn reminders_fire_once_each_at_their_offsets_and_follow_the_event_when_it_moves() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let event = two_seated_one_waiting_one_cancelled(&app, &sink).await;
    let title = event["title"].as_str().unwrap().to_string();

    let path = format!("/api/v1/events/{}/reminders", id(&event));
    let plan = expect_status(app.get(&path).await, StatusCode::OK).await;
    assert_eq!(plan["offsets"], json!(["7d", "1d"]), "{plan}");
    assert_eq!(plan["reminders"][0]["state"], "scheduled", "{plan}");
    assert_eq!(
        scheduler(&app).await.run_once().await.unwrap(),
        0,
        "nothing is due yet"
    );

    // A minute after the seven-day mark.
    let start = starts_at(&event);
    the_seven_day_reminder_reaches_those_with_a_seat(&app, &sink, &event, &title, start).await;
    let moved =
        moving_the_event_tells_everyone_registered(&app, &sink, &event, &title, start).await;
    the_one_day_reminder_moves_with_the_event(&app, &sink, &title, start, &moved).await;
}

#[tokio::test]
async fn people_who_took_their_seat_after_a_reminders_time_do_not_get_it() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    // Three days away: the seven-day mark has passed before anyone registers.
    let event = event_starting_in(&app, TimeDelta::days(3), 10).await;
    register(&app, &event, "Late", "late@example.com", "en").await;
    sink.wait_for(1).await;
    // The seven-day reminder is due now but has nobody to go to.
    scheduler(&app).await.run_once().await.unwrap();
    let plan = expect_status(
        app.get(&format!("/api/v1/events/{}/reminders", id(&event)))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(plan["reminders"][0]["state"], "queued", "{plan}");
    assert_eq!(plan["reminders"][0]["recipients"], 0, "{plan}");
    app.clock.set(starts_at(&event) - TimeDelta::days(1));
    let messages = sink.wait_for(2).await;
    assert!(subject(&parse(&messages[1])).ends_with("is in 1 day"));
    assert_eq!(scheduler(&app).await.run_once().await.unwrap(), 0);
    assert_eq!(sink.messages().len(), 2);
}

#[tokio::test]
async fn schedulers_racing_on_one_database_queue_each_reminder_once() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, false).await;
    let event = event_starting_in(&app, TimeDelta::days(10), 30).await;
    for n in 0..30 {
        register(
            &app,
            &event,
            &format!("Person {n}"),
            &format!("p{n}@example.com"),
            "en",
        )
        .await;
    }
    app.clock.set(starts_at(&event) - TimeDelta::days(7));
    let (a, b, c) = (
        scheduler(&app).await,
        scheduler(&app).await,
        scheduler(&app).await,
    );
    let (a, b, c) = tokio::join!(a.run_once(), b.run_once(), c.run_once());
    assert_eq!(a.unwrap() + b.unwrap() + c.unwrap(), 30);
    let reminders = outbox(&app, "")
        .await
        .into_iter()
        .filter(|row| row["kind"] == "reminder")
        .count();
    assert_eq!(reminders, 30);
}

#[tokio::test]
async fn organizers_choose_the_offsets_and_bad_ones_are_refused() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, false).await;
    let event = event_starting_in(&app, TimeDelta::days(10), 5).await;
    let path = format!("/api/v1/events/{}/reminders", id(&event));
    let plan = expect_status(
        app.request(reqwest::Method::PUT, &path)
            .json(&json!({"offsets": ["2h", "3d"]}))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(plan["offsets"], json!(["3d", "2h"]));
    for bad in [
        json!({"offsets": ["3"]}),
        json!({"offsets": ["1d", "24h"]}),
        json!({"offsets": ["400d"]}),
        json!({"offsets": ["é"]}),
        json!({"offsets": ["7日", "💥"]}),
    ] {
        let problem = expect_problem(
            app.request(reqwest::Method::PUT, &path)
                .json(&bad)
                .send()
                .await
                .unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "offsets", "{problem}");
    }
    let plan = expect_status(app.get(&path).await, StatusCode::OK).await;
    assert_eq!(
        plan["offsets"],
        json!(["3d", "2h"]),
        "bad input changed nothing"
    );
    expect_problem(
        app.get(&format!(
            "/api/v1/events/{}/reminders",
            uuid::Uuid::now_v7()
        ))
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

/// Seoyeon and Jane registered; the seven-day reminder went out. Returns the unsubscribe
/// path from Jane's reminder.
async fn the_seven_day_reminder_carries_an_unsubscribe_link(
    app: &TestApp,
    sink: &SmtpSink,
    event: &Value,
) -> String {
    register(app, event, "김 서연", "seoyeon@example.com", "ko").await;
    register(app, event, "Jane Doe", "jane@example.com", "en").await;
    sink.wait_for(2).await;
    app.clock
        .set(starts_at(event) - TimeDelta::days(7) + TimeDelta::minutes(1));
    let messages = sink.wait_for(4).await;
    let reminder = parse(message_for(&messages, "jane@example.com")[1]);
    let header = reminder
        .headers
        .iter()
        .find(|header| header.get_key() == "List-Unsubscribe")
        .map(|header| header.get_value())
        .unwrap();
    let url = header.trim_start_matches('<').trim_end_matches('>');
    url[url.find("/unsubscribe/").unwrap()..].to_string()
}

/// Opening the link (as a mail scanner would) changes nothing.
async fn opening_the_link_only_asks(app: &TestApp, path: &str) {
    let page = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    assert!(html.contains("Stop reminders and surveys"), "{html}");
    assert!(html.contains("id=\"unsubscribe\""), "{html}");
}

/// A forged token for someone else (another id under the same signature) is refused.
async fn a_forged_link_is_refused(app: &TestApp, path: &str) {
    let (_, signature) = path.rsplit_once('.').unwrap();
    let forged = format!("/unsubscribe/{}.{signature}", uuid::Uuid::now_v7().simple());
    let refused = app.client.post(app.url(&forged)).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
}

/// RFC 8058 one-click: a POST without cookies.
async fn one_click_unsubscribes(app: &TestApp, path: &str) {
    let done = app
        .client
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    assert!(done.text().await.unwrap().contains("id=\"done\""));
}

/// A day before the event, only Seoyeon is reminded.
async fn the_one_day_reminder_skips_jane(app: &TestApp, sink: &SmtpSink, event: &Value) {
    app.clock
        .set(starts_at(event) - TimeDelta::days(1) + TimeDelta::minutes(1));
    let messages = sink.wait_for(5).await;
    assert_eq!(scheduler(app).await.run_once().await.unwrap(), 0);
    assert_eq!(message_for(&messages, "seoyeon@example.com").len(), 3);
    assert_eq!(
        message_for(&sink.messages(), "jane@example.com").len(),
        2,
        "no second reminder after unsubscribing"
    );
}

/// Registration mail still arrives: Jane cancels and is told.
async fn registration_mail_still_reaches_jane(app: &TestApp, sink: &SmtpSink, event: &Value) {
    let cancel = expect_status(
        app.get(&format!(
            "/api/v1/events/{}/registrations?q=jane",
            id(event)
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    let jane = cancel["items"][0]["id"].as_str().unwrap().to_string();
    expect_status(
        app.post(
            &format!("/api/v1/events/{}/registrations/{jane}/cancel", id(event)),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let messages = sink.wait_for(6).await;
    assert_eq!(message_for(&messages, "jane@example.com").len(), 3);
}

#[tokio::test]
async fn unsubscribing_from_a_reminder_stops_the_next_one_but_not_registration_mail() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let event = event_starting_in(&app, TimeDelta::days(10), 5).await;
    let path = the_seven_day_reminder_carries_an_unsubscribe_link(&app, &sink, &event).await;
    opening_the_link_only_asks(&app, &path).await;
    a_forged_link_is_refused(&app, &path).await;
    one_click_unsubscribes(&app, &path).await;
    the_one_day_reminder_skips_jane(&app, &sink, &event).await;
    registration_mail_still_reaches_jane(&app, &sink, &event).await;
}
