//! Mail as the tests see it: the app sending through the loopback SMTP sink, the captured
//! messages parsed by a real parser, the outbox through the API, and the reminder scheduler
//! run one pass at a time.

use std::time::Duration;

use chrono::{DateTime, Utc};
use homecoming::configuration::Settings;
use homecoming::email::scheduler::Scheduler;
use homecoming::email::settings::{SmtpSecurity, TransportKind};
use homecoming::registration::links::ManageLinks;
use icalendar::{Calendar, CalendarComponent, CalendarDateTime, Component, DatePerhapsTime};
use mailparse::{MailHeaderMap, ParsedMail};
use reqwest::StatusCode;
use serde_json::Value;

use super::smtp_sink::{Captured, SmtpSink};
use super::{TestApp, expect_status, fresh_database, spawn_app_configured};

/// The app sending through the sink, with short intervals so the tests never sleep long.
pub async fn app_with_sink(sink: &SmtpSink, database_url: Option<String>, worker: bool) -> TestApp {
    app_with_sink_and(sink, database_url, worker, |_| {}).await
}

/// As [`app_with_sink`], with settings changed by `configure` afterwards.
pub async fn app_with_sink_and(
    sink: &SmtpSink,
    database_url: Option<String>,
    worker: bool,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let database_url = match database_url {
        Some(url) => url,
        None => fresh_database(&dir).await,
    };
    let port = sink.port;
    spawn_app_configured(dir, database_url, move |settings| {
        let email = &mut settings.email;
        email.transport = TransportKind::Smtp;
        email.smtp.host = "127.0.0.1".into();
        email.smtp.port = port;
        email.smtp.security = SmtpSecurity::None;
        email.smtp.timeout_secs = 2;
        email.worker_enabled = worker;
        email.poll_interval_ms = 50;
        email.scheduler_interval_ms = 50;
        email.batch_size = 3;
        email.retry_base_ms = 100;
        email.retry_max_ms = 300;
        email.max_attempts = 50;
        configure(settings);
    })
    .await
}

pub fn parse(captured: &Captured) -> ParsedMail<'_> {
    mailparse::parse_mail(&captured.data).expect("a parseable message")
}

pub fn subject(mail: &ParsedMail) -> String {
    mail.headers.get_first_value("Subject").expect("a subject")
}

/// Every leaf part, depth first.
pub fn leaves<'a>(mail: &'a ParsedMail<'a>) -> Vec<&'a ParsedMail<'a>> {
    if mail.subparts.is_empty() {
        vec![mail]
    } else {
        mail.subparts.iter().flat_map(leaves).collect()
    }
}

pub fn part<'a>(mail: &'a ParsedMail<'a>, mimetype: &str) -> Option<&'a ParsedMail<'a>> {
    leaves(mail)
        .into_iter()
        .find(|part| part.ctype.mimetype == mimetype)
}

pub fn message_for<'a>(messages: &'a [Captured], address: &str) -> Vec<&'a Captured> {
    messages
        .iter()
        .filter(|m| m.to.iter().any(|to| to == address))
        .collect()
}

pub async fn outbox(app: &TestApp, query: &str) -> Vec<Value> {
    let page = expect_status(
        app.get(&format!("/api/v1/outbox?limit=100{query}")).await,
        StatusCode::OK,
    )
    .await;
    page["items"].as_array().unwrap().clone()
}

/// Polls the outbox until `done` holds for its messages (at most 20 s).
pub async fn wait_outbox(app: &TestApp, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    for _ in 0..400 {
        let rows = outbox(app, "").await;
        if done(&rows) {
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "outbox never reached the state: {:#?}",
        outbox(app, "").await
    );
}

pub fn all_have_status(rows: &[Value], count: usize, status: &str) -> bool {
    rows.len() == count && rows.iter().all(|row| row["status"] == status)
}

pub fn ics_start(ics: &str) -> DateTime<Utc> {
    let calendar: Calendar = ics.parse().expect("the invite parses");
    let event = calendar
        .components
        .iter()
        .find_map(|c| match c {
            CalendarComponent::Event(event) => Some(event),
            _ => None,
        })
        .expect("a VEVENT");
    match event.get_start() {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(at))) => at,
        other => panic!("DTSTART is not a UTC time: {other:?}"),
    }
}

/// A scheduler of the test's own on the app's database and clock, to run one pass at a time
/// (the app's own scheduler runs too; they never queue a mailing twice).
pub async fn scheduler(app: &TestApp) -> Scheduler {
    let links = ManageLinks::load(&app.db, "http://127.0.0.1")
        .await
        .expect("the manage-link key");
    Scheduler::new(
        app.db.clone(),
        app.clock.clone(),
        links,
        24,
        Duration::from_secs(3600),
    )
}
