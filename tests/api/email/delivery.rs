//! Delivering the outbox: messages wait while SMTP is down and arrive once; transient replies
//! are retried and permanent ones fail until an organizer retries; leases of dead workers
//! expire; two workers never send a message twice; STARTTLS is never skipped; the default
//! transport writes `.eml` files.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
use homecoming::email::settings::{SmtpSecurity, TransportKind};
use mailparse::MailHeaderMap;
use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::mail::{
    all_have_status, app_with_sink, app_with_sink_and, message_for, outbox, parse, subject,
    wait_outbox,
};
use crate::helpers::smtp_sink::{Mode, SmtpSink};
use crate::helpers::{
    TestApp, expect_problem, expect_status, fresh_database, id, spawn_app_configured,
};

#[tokio::test]
async fn messages_wait_while_smtp_is_down_and_arrive_once_when_it_returns() {
    let sink = SmtpSink::start().await;
    sink.stop();
    let app = app_with_sink(&sink, None, true).await;
    let event = app.open_event(10, json!({})).await;
    for n in 0..4 {
        expect_status(
            app.register(&id(&event), &json!({"name": format!("사람 {n}"), "email": format!("p{n}@example.com"), "role": "student"}))
                .await,
            StatusCode::CREATED,
        )
        .await;
    }
    let rows = wait_outbox(&app, |rows| {
        rows.len() == 4
            && rows
                .iter()
                .all(|row| row["status"] == "retrying" && row["attempts"].as_i64() >= Some(2))
    })
    .await;
    assert!(
        rows.iter().all(|row| row["last_error"].is_string()),
        "{rows:#?}"
    );
    assert!(sink.messages().is_empty());

    sink.restart().await;
    let messages = sink.wait_for(4).await;
    wait_outbox(&app, |rows| all_have_status(rows, 4, "sent")).await;
    // A few more polls: nothing is sent twice.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let messages_after = sink.messages();
    assert_eq!(messages_after.len(), 4, "exactly once each");
    let recipients: HashSet<String> = messages.iter().flat_map(|m| m.to.clone()).collect();
    assert_eq!(recipients.len(), 4);
}

/// Registers one person and waits until their confirmation has failed at least twice and
/// waits for another attempt: the event and the outbox then.
async fn register_one_until_retried(app: &TestApp) -> (Value, Vec<Value>) {
    let event = app.open_event(10, json!({})).await;
    expect_status(
        app.register(
            &id(&event),
            &json!({"name": "A", "email": "a@example.com", "role": "student"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let rows = wait_outbox(app, |rows| {
        rows.len() == 1
            && rows[0]["status"] == "retrying"
            && rows[0]["attempts"].as_i64() >= Some(2)
    })
    .await;
    (event, rows)
}

/// Once the server refuses for good, the message fails (and shows as failed) without being
/// sent. Returns the failed message.
async fn a_permanent_refusal_fails_the_message(app: &TestApp, sink: &SmtpSink) -> Value {
    sink.set_mode(Mode::Permanent);
    let rows = wait_outbox(app, |rows| rows.len() == 1 && rows[0]["status"] == "failed").await;
    assert!(
        rows[0]["last_error"].as_str().unwrap().contains("550"),
        "{rows:#?}"
    );
    let failed = outbox(app, "&status=failed").await;
    assert_eq!(failed.len(), 1);
    assert!(sink.messages().is_empty());
    failed[0].clone()
}

/// Retrying something that has not failed is refused. (The failed message stays failed
/// when the server accepts mail again: only an organizer queues it again.)
async fn retrying_a_sent_message_is_refused(app: &TestApp, sink: &SmtpSink, event: &Value) {
    sink.set_mode(Mode::Accept);
    expect_status(
        app.register(
            &id(event),
            &json!({"name": "B", "email": "b@example.com", "role": "student"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    sink.wait_for(1).await;
    let sent = wait_outbox(app, |rows| rows.iter().any(|row| row["status"] == "sent")).await;
    let sent: Vec<&Value> = sent.iter().filter(|row| row["status"] == "sent").collect();
    expect_problem(
        app.post(&format!("/api/v1/outbox/{}/retry", id(sent[0])), &json!({}))
            .await,
        StatusCode::CONFLICT,
    )
    .await;
}

/// The organizer's retry queues the failed message afresh, and it is sent once.
async fn an_organizers_retry_sends_the_failed_message(
    app: &TestApp,
    sink: &SmtpSink,
    failed: &Value,
) {
    let retried = expect_status(
        app.post(&format!("/api/v1/outbox/{}/retry", id(failed)), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(retried["status"], "queued");
    assert_eq!(retried["attempts"], 0);
    let messages = sink.wait_for(2).await;
    assert_eq!(message_for(&messages, "a@example.com").len(), 1);
    wait_outbox(app, |rows| all_have_status(rows, 2, "sent")).await;
}

#[tokio::test]
async fn transient_replies_are_retried_and_permanent_ones_fail_until_an_organizer_retries() {
    let sink = SmtpSink::start().await;
    sink.set_mode(Mode::Transient);
    let app = app_with_sink(&sink, None, true).await;
    let (event, rows) = register_one_until_retried(&app).await;
    assert!(
        rows[0]["last_error"].as_str().unwrap().contains("451"),
        "{rows:#?}"
    );

    let failed = a_permanent_refusal_fails_the_message(&app, &sink).await;
    retrying_a_sent_message_is_refused(&app, &sink, &event).await;
    an_organizers_retry_sends_the_failed_message(&app, &sink, &failed).await;
    expect_problem(
        app.post(
            &format!("/api/v1/outbox/{}/retry", uuid::Uuid::now_v7()),
            &json!({}),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

/// Marks an outbox message as claimed by a worker that is gone, with a lease ending `lease`.
async fn abandon(app: &TestApp, id: &str, lease: DateTime<Utc>) {
    use entity::outbox_message::{ActiveModel, Entity};
    use sea_orm::ActiveValue::{Set, Unchanged};
    Entity::update(ActiveModel {
        id: Unchanged(id.parse().unwrap()),
        status: Set(entity::values::OutboxStatus::Sending),
        attempts: Set(1),
        lease_until: Set(Some(lease)),
        ..Default::default()
    })
    .exec(&app.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn a_message_left_sending_by_a_dead_worker_is_sent_once_after_its_lease() {
    let sink = SmtpSink::start().await;
    // The first instance never sends: its worker "died".
    let dead = app_with_sink(&sink, None, false).await;
    let event = dead.open_event(10, json!({})).await;
    for (name, email) in [
        ("Expired", "expired@example.com"),
        ("Held", "held@example.com"),
    ] {
        expect_status(
            dead.register(
                &id(&event),
                &json!({"name": name, "email": email, "role": "student"}),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
    }
    let rows = outbox(&dead, "").await;
    assert!(rows.iter().all(|row| row["status"] == "queued"));
    abandon(
        &dead,
        &id(&rows[0]),
        Utc::now() - chrono::TimeDelta::seconds(1),
    )
    .await;
    abandon(
        &dead,
        &id(&rows[1]),
        Utc::now() + chrono::TimeDelta::hours(1),
    )
    .await;

    let alive = app_with_sink(&sink, Some(dead.database_url.clone()), true).await;
    let messages = sink.wait_for(1).await;
    assert_eq!(messages[0].to, ["expired@example.com"]);
    wait_outbox(&alive, |rows| {
        rows.iter().any(|row| row["status"] == "sent")
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        sink.messages().len(),
        1,
        "sent once; the held message keeps its lease"
    );
    let rows = outbox(&alive, "").await;
    assert_eq!(rows[0]["status"], "sent");
    assert_eq!(rows[0]["attempts"], 2);
    assert_eq!(rows[1]["status"], "sending");
}

#[tokio::test]
async fn two_workers_on_one_database_send_each_message_once() {
    let sink = SmtpSink::start().await;
    let one = app_with_sink(&sink, None, true).await;
    let two = app_with_sink(&sink, Some(one.database_url.clone()), true).await;
    let event = one.open_event(100, json!({})).await;
    let event_id = id(&event);
    let count = 24;
    let mut registrations = Vec::new();
    for n in 0..count {
        let app = if n % 2 == 0 { &one } else { &two };
        let event_id = &event_id;
        registrations.push(async move {
            expect_status(
                app.register(event_id, &json!({"name": format!("사람 {n}"), "email": format!("w{n}@example.com"), "role": "student"}))
                    .await,
                StatusCode::CREATED,
            )
            .await
        });
    }
    futures_util::future::join_all(registrations).await;
    sink.wait_for(count).await;
    wait_outbox(&one, |rows| all_have_status(rows, count, "sent")).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let messages = sink.messages();
    assert_eq!(messages.len(), count, "each message once");
    let ids: HashSet<String> = messages
        .iter()
        .map(|m| parse(m).headers.get_first_value("Message-ID").unwrap())
        .collect();
    assert_eq!(ids.len(), count);
    let rows = outbox(&two, "").await;
    assert!(rows.iter().all(|row| row["attempts"] == 1), "{rows:#?}");
}

#[tokio::test]
async fn the_default_file_transport_writes_one_eml_file_per_message() {
    let dir = tempfile::tempdir().unwrap();
    let mail_dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database(&dir).await;
    let path = mail_dir.path().to_path_buf();
    let app = spawn_app_configured(dir, database_url, move |settings| {
        assert_eq!(settings.email.transport, TransportKind::File, "the default");
        settings.email.file_dir = path;
        settings.email.poll_interval_ms = 50;
    })
    .await;
    let event = app.open_event(10, json!({})).await;
    expect_status(
        app.register(
            &id(&event),
            &json!({"name": "이 민지", "email": "minji@example.com", "role": "student", "language": "en"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let rows = wait_outbox(&app, |rows| all_have_status(rows, 1, "sent")).await;
    let file = mail_dir.path().join(format!("{}.eml", id(&rows[0])));
    let raw = std::fs::read(&file).expect("the .eml file");
    let mail = mailparse::parse_mail(&raw).unwrap();
    assert!(subject(&mail).starts_with("You are confirmed for"));
    assert!(
        mail.headers
            .get_first_value("To")
            .unwrap()
            .contains("minji@example.com")
    );
    let files = std::fs::read_dir(mail_dir.path()).unwrap().count();
    assert_eq!(files, 1, "nothing but the message");
}

#[tokio::test]
async fn with_starttls_configured_nothing_goes_out_in_plain_text() {
    // The sink offers no STARTTLS: the message must wait, never fall back to plain text.
    let sink = SmtpSink::start().await;
    let app = app_with_sink_and(&sink, None, true, |settings| {
        settings.email.smtp.security = SmtpSecurity::Starttls;
    })
    .await;
    let (_, rows) = register_one_until_retried(&app).await;
    let error = rows[0]["last_error"].as_str().unwrap();
    assert!(error.contains("STARTTLS"), "{error}");
    assert!(sink.messages().is_empty(), "nothing sent without TLS");
}
