//! Email through a real SMTP server on loopback: the transactional outbox, the delivery
//! worker's retries and leases, and what the messages look like to a real parser.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
use homecoming::configuration::Settings;
use homecoming::email::settings::{SmtpSecurity, TransportKind};
use icalendar::{Calendar, CalendarComponent, CalendarDateTime, Component, DatePerhapsTime};
use mailparse::{MailHeaderMap, ParsedMail};
use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, expect_problem, expect_status, fresh_database, id, spawn_app_configured,
};
use crate::smtp_sink::{Captured, Mode, SmtpSink};

/// The app sending through the sink, with short intervals so the tests never sleep long.
pub(crate) async fn app_with_sink(
    sink: &SmtpSink,
    database_url: Option<String>,
    worker: bool,
) -> TestApp {
    app_with_sink_and(sink, database_url, worker, |_| {}).await
}

/// As [`app_with_sink`], with settings changed by `configure` afterwards.
async fn app_with_sink_and(
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

pub(crate) fn parse(captured: &Captured) -> ParsedMail<'_> {
    mailparse::parse_mail(&captured.data).expect("a parseable message")
}

pub(crate) fn subject(mail: &ParsedMail) -> String {
    mail.headers.get_first_value("Subject").expect("a subject")
}

/// Every leaf part, depth first.
pub(crate) fn leaves<'a>(mail: &'a ParsedMail<'a>) -> Vec<&'a ParsedMail<'a>> {
    if mail.subparts.is_empty() {
        vec![mail]
    } else {
        mail.subparts.iter().flat_map(leaves).collect()
    }
}

pub(crate) fn part<'a>(mail: &'a ParsedMail<'a>, mimetype: &str) -> Option<&'a ParsedMail<'a>> {
    leaves(mail)
        .into_iter()
        .find(|part| part.ctype.mimetype == mimetype)
}

pub(crate) fn message_for<'a>(messages: &'a [Captured], address: &str) -> Vec<&'a Captured> {
    messages
        .iter()
        .filter(|m| m.to.iter().any(|to| to == address))
        .collect()
}

pub(crate) async fn outbox(app: &TestApp, query: &str) -> Vec<Value> {
    let page = expect_status(
        app.get(&format!("/api/v1/outbox?limit=100{query}")).await,
        StatusCode::OK,
    )
    .await;
    page["items"].as_array().unwrap().clone()
}

/// Polls the outbox until `done` holds for its messages (at most 20 s).
pub(crate) async fn wait_outbox(app: &TestApp, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
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

pub(crate) fn all_have_status(rows: &[Value], count: usize, status: &str) -> bool {
    rows.len() == count && rows.iter().all(|row| row["status"] == status)
}

pub(crate) fn ics_start(ics: &str) -> DateTime<Utc> {
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

#[tokio::test]
async fn a_registration_sends_one_confirmation_in_the_registrants_language() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let event = app.open_event(10, json!({})).await;
    let title = event["title"].as_str().unwrap().to_string();
    let ko = expect_status(
        app.register(
            &id(&event),
            &json!({"name": "김 서연", "email": "seoyeon@example.com", "role": "alumni", "language": "ko"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let en = expect_status(
        app.register(
            &id(&event),
            &json!({"name": "Jane Doe", "email": "jane@example.com", "role": "guest", "language": "en"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let messages = sink.wait_for(2).await;

    let korean = message_for(&messages, "seoyeon@example.com");
    assert_eq!(korean.len(), 1, "one confirmation");
    let mail = parse(korean[0]);
    // Decoded by a real parser, spaces between Korean words kept.
    assert_eq!(
        subject(&mail),
        format!("[1&N] {title} 참가가 확정되었습니다")
    );
    let to = mailparse::addrparse_header(mail.headers.get_first_header("To").unwrap()).unwrap();
    match &to[0] {
        mailparse::MailAddr::Single(info) => {
            assert_eq!(info.display_name.as_deref(), Some("김 서연"));
            assert_eq!(info.addr, "seoyeon@example.com");
        }
        other => panic!("{other:?}"),
    }
    let message_id = mail.headers.get_first_value("Message-ID").unwrap();
    assert!(
        message_id.starts_with('<') && message_id.contains('@'),
        "{message_id}"
    );
    let date = mail.headers.get_first_value("Date").unwrap();
    assert!(mailparse::dateparse(&date).is_ok(), "{date}");
    let text = part(&mail, "text/plain").unwrap().get_body().unwrap();
    assert!(text.contains("김 서연님"), "{text}");
    assert!(
        text.contains(ko["checkin_code"].as_str().unwrap()),
        "{text}"
    );
    assert!(text.contains(ko["manage_url"].as_str().unwrap()), "{text}");
    assert!(
        text.contains("2030년 5월 18일 (토) 13:00–19:00 (Asia/Seoul)"),
        "{text}"
    );
    let html = part(&mail, "text/html").unwrap().get_body().unwrap();
    assert!(html.contains("lang=\"ko\""), "{html}");
    let invite = part(&mail, "text/calendar").expect("an invite");
    assert_eq!(
        invite.ctype.params.get("method").map(String::as_str),
        Some("REQUEST")
    );
    let ics = invite.get_body().unwrap();
    assert_eq!(
        ics_start(&ics),
        "2030-05-18T04:00:00Z".parse::<DateTime<Utc>>().unwrap(),
        "13:00 in Seoul"
    );
    assert!(
        ics.contains(&format!("UID:registration-{}@homecoming", id(&ko))),
        "{ics}"
    );
    assert!(ics.contains("METHOD:REQUEST"), "{ics}");
    assert!(ics.contains("ORGANIZER"), "{ics}");
    // RFC 5322: no line over 998 characters, and lettre keeps them within 78.
    for line in String::from_utf8_lossy(&korean[0].data).split("\r\n") {
        assert!(line.len() <= 78, "long line: {line}");
    }

    let english = message_for(&messages, "jane@example.com");
    assert_eq!(english.len(), 1);
    let mail = parse(english[0]);
    assert_eq!(
        subject(&mail),
        format!("[1&N] You are confirmed for {title}")
    );
    let text = part(&mail, "text/plain").unwrap().get_body().unwrap();
    assert!(text.contains("Hello Jane Doe"), "{text}");
    assert!(text.contains(en["checkin_code"].as_str().unwrap()));

    let rows = wait_outbox(&app, |rows| all_have_status(rows, 2, "sent")).await;
    assert!(rows.iter().all(|row| row["attempts"] == 1), "{rows:#?}");
    let mine = outbox(&app, &format!("&registration_id={}", id(&ko))).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["kind"], "confirmed");
    assert_eq!(mine[0]["has_calendar_invite"], true);
    assert!(
        mine[0].get("text_body").is_none(),
        "bodies (with the link) are not listed"
    );
}

#[tokio::test]
async fn waitlisted_promoted_and_cancelled_people_hear_about_it() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let event = app.open_event(1, json!({})).await;
    let first = expect_status(
        app.register(&id(&event), &json!({"name": "First", "email": "first@example.com", "role": "student", "language": "en"}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let second = expect_status(
        app.register(
            &id(&event),
            &json!({"name": "둘째", "email": "second@example.com", "role": "student"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(second["status"], "waitlisted");
    let messages = sink.wait_for(2).await;
    let waitlisted = parse(message_for(&messages, "second@example.com")[0]);
    assert!(
        subject(&waitlisted).contains("대기자 명단 1번"),
        "{}",
        subject(&waitlisted)
    );
    assert!(
        part(&waitlisted, "text/calendar").is_none(),
        "no invite without a seat"
    );

    expect_status(
        app.post(
            &format!(
                "/api/v1/events/{}/registrations/{}/cancel",
                id(&event),
                id(&first)
            ),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let messages = sink.wait_for(4).await;
    let to_first = message_for(&messages, "first@example.com");
    assert_eq!(to_first.len(), 2);
    let cancelled = to_first
        .iter()
        .map(|m| parse(m))
        .find(|mail| subject(mail).contains("is cancelled"))
        .expect("the cancellation");
    assert!(
        subject(&cancelled).contains("is cancelled"),
        "{}",
        subject(&cancelled)
    );
    let withdrawn = part(&cancelled, "text/calendar").expect("the invite is withdrawn");
    assert_eq!(
        withdrawn.ctype.params.get("method").map(String::as_str),
        Some("CANCEL")
    );
    assert!(
        withdrawn
            .get_body()
            .unwrap()
            .contains(&format!("UID:registration-{}@homecoming", id(&first)))
    );

    let to_second = message_for(&messages, "second@example.com");
    assert_eq!(to_second.len(), 2);
    let promoted = to_second
        .iter()
        .map(|m| parse(m))
        .find(|mail| subject(mail).contains("자리가 났습니다"))
        .expect("the promotion");
    assert!(
        subject(&promoted).contains("자리가 났습니다"),
        "{}",
        subject(&promoted)
    );
    let text = part(&promoted, "text/plain").unwrap().get_body().unwrap();
    let registration = expect_status(
        app.get(&format!(
            "/api/v1/events/{}/registrations/{}",
            id(&event),
            id(&second)
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        text.contains(registration["checkin_code"].as_str().unwrap()),
        "{text}"
    );
    assert!(part(&promoted, "text/calendar").is_some());
    let kinds: Vec<String> = outbox(&app, "")
        .await
        .iter()
        .map(|row| row["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["confirmed", "waitlisted", "promoted", "cancelled"]);
}

#[tokio::test]
async fn registering_again_sends_a_new_manage_link_and_retires_the_old_one() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let event = app.open_event(5, json!({})).await;
    let body = json!({"name": "김민수", "email": "minsu@example.com", "role": "student"});
    let first = expect_status(app.register(&id(&event), &body).await, StatusCode::CREATED).await;
    let old_token = first["manage_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let problem =
        expect_problem(app.register(&id(&event), &body).await, StatusCode::CONFLICT).await;
    assert_eq!(problem["conflict"]["kind"], "already_registered");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("sent to it again"),
        "{problem}"
    );
    assert!(
        !problem.to_string().contains("/registrations/"),
        "the link is not shown"
    );

    let messages = sink.wait_for(2).await;
    assert_eq!(messages.len(), 2);
    let again = messages
        .iter()
        .map(parse)
        .find(|mail| subject(mail).contains("신청 관리 링크"))
        .expect("the link again");
    assert!(
        subject(&again).contains("신청 관리 링크"),
        "{}",
        subject(&again)
    );
    let text = part(&again, "text/plain").unwrap().get_body().unwrap();
    let new_url = text
        .lines()
        .find(|line| line.contains("/registrations/"))
        .expect("the new link")
        .trim()
        .to_string();
    let new_token = new_url.rsplit('/').next().unwrap();
    assert_ne!(new_token, old_token);
    let stored = entity::registration::Entity::find_by_id(uuid(&first))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .manage_token_hash;
    assert_eq!(
        stored,
        homecoming::secrets::hash(new_token),
        "the new link works"
    );
    assert_ne!(
        stored,
        homecoming::secrets::hash(&old_token),
        "the old one no longer does"
    );
}

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

    sink.set_mode(Mode::Permanent);
    let rows = wait_outbox(&app, |rows| {
        rows.len() == 1 && rows[0]["status"] == "failed"
    })
    .await;
    assert!(
        rows[0]["last_error"].as_str().unwrap().contains("550"),
        "{rows:#?}"
    );
    let failed = outbox(&app, "&status=failed").await;
    assert_eq!(failed.len(), 1);
    assert!(sink.messages().is_empty());

    // Retrying something that has not failed is refused. (The failed message stays failed
    // when the server accepts mail again: only an organizer queues it again.)
    sink.set_mode(Mode::Accept);
    expect_status(
        app.register(
            &id(&event),
            &json!({"name": "B", "email": "b@example.com", "role": "student"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    sink.wait_for(1).await;
    let sent = wait_outbox(&app, |rows| rows.iter().any(|row| row["status"] == "sent")).await;
    let sent: Vec<&Value> = sent.iter().filter(|row| row["status"] == "sent").collect();
    expect_problem(
        app.post(&format!("/api/v1/outbox/{}/retry", id(sent[0])), &json!({}))
            .await,
        StatusCode::CONFLICT,
    )
    .await;

    let retried = expect_status(
        app.post(
            &format!("/api/v1/outbox/{}/retry", id(&failed[0])),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(retried["status"], "queued");
    assert_eq!(retried["attempts"], 0);
    let messages = sink.wait_for(2).await;
    assert_eq!(message_for(&messages, "a@example.com").len(), 1);
    wait_outbox(&app, |rows| all_have_status(rows, 2, "sent")).await;
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

fn uuid(value: &Value) -> uuid::Uuid {
    id(value).parse().unwrap()
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
    assert!(subject(&mail).starts_with("[1&N] You are confirmed for"));
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
async fn erasing_a_person_deletes_their_messages() {
    let sink = SmtpSink::start().await;
    // No worker: the message is still waiting when the person is erased.
    let app = app_with_sink(&sink, None, false).await;
    let event = app.open_event(10, json!({})).await;
    let registered = expect_status(
        app.register(
            &id(&event),
            &json!({"name": "지울 사람", "email": "erase.me@example.com", "role": "alumni"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(outbox(&app, "").await.len(), 1);
    let person_id = registered["person_id"].as_str().unwrap();
    expect_status(
        app.delete(&format!("/api/v1/people/{person_id}")).await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert!(outbox(&app, "").await.is_empty());
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
