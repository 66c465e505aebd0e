//! What registrants are sent, as a real parser reads it: the confirmation in their language
//! with its invite, the waitlist, promotion and cancellation mails, a new manage link when they
//! register again; and their mail goes when they are erased.

use chrono::{DateTime, Utc};
use mailparse::{MailHeaderMap, ParsedMail};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::mail::{
    all_have_status, app_with_sink, ics_start, message_for, outbox, parse, part, subject,
    wait_outbox,
};
use crate::helpers::registration::register_ok;
use crate::helpers::smtp_sink::{Captured, SmtpSink};
use crate::helpers::{TestApp, expect_problem, expect_status, id};

// A confirmation in the registrant's language.

/// Seoyeon registers in Korean and Jane in English.
async fn seoyeon_and_jane_register(app: &TestApp, event: &Value) -> (Value, Value) {
    let ko = register_ok(
        app,
        &id(event),
        &json!({"name": "김 서연", "email": "seoyeon@example.com", "role": "alumni", "language": "ko"}),
    )
    .await;
    let en = register_ok(
        app,
        &id(event),
        &json!({"name": "Jane Doe", "email": "jane@example.com", "role": "guest", "language": "en"}),
    )
    .await;
    (ko, en)
}

/// Decoded by a real parser, spaces between Korean words kept; a Message-ID and a Date.
fn the_headers_are_decoded_and_well_formed(mail: &ParsedMail, title: &str) {
    assert_eq!(subject(mail), format!("{title} 참가가 확정되었습니다"));
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
}

/// The text greets them in Korean with their check-in code, their manage link and the
/// event's time in Seoul; the HTML part is Korean too.
fn the_body_has_the_code_the_link_and_the_time(mail: &ParsedMail, ko: &Value) {
    let text = part(mail, "text/plain").unwrap().get_body().unwrap();
    assert!(text.contains("김 서연님"), "{text}");
    assert!(
        text.contains(ko["checkin_code"].as_str().unwrap()),
        "{text}"
    );
    assert!(text.contains(ko["manage_url"].as_str().unwrap()), "{text}");
    assert!(
        text.contains("2030년 5월 18일 (토) 13:00–19:00 (한국 시간)"),
        "{text}"
    );
    let html = part(mail, "text/html").unwrap().get_body().unwrap();
    assert!(html.contains("lang=\"ko\""), "{html}");
}

/// The calendar invite is a REQUEST for 13:00 in Seoul, named for the registration.
fn the_invite_is_a_request_for_the_events_start(mail: &ParsedMail, ko: &Value) {
    let invite = part(mail, "text/calendar").expect("an invite");
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
        ics.contains(&format!("UID:registration-{}@homecoming", id(ko))),
        "{ics}"
    );
    assert!(ics.contains("METHOD:REQUEST"), "{ics}");
    assert!(ics.contains("ORGANIZER"), "{ics}");
}

/// RFC 5322: no line over 998 characters, and lettre keeps them within 78.
fn no_line_is_over_78_characters(message: &Captured) {
    for line in String::from_utf8_lossy(&message.data).split("\r\n") {
        assert!(line.len() <= 78, "long line: {line}");
    }
}

/// Jane's one confirmation is in English.
fn the_english_confirmation_is_in_english(messages: &[Captured], title: &str, en: &Value) {
    let english = message_for(messages, "jane@example.com");
    assert_eq!(english.len(), 1);
    let mail = parse(english[0]);
    assert_eq!(subject(&mail), format!("You are confirmed for {title}"));
    let text = part(&mail, "text/plain").unwrap().get_body().unwrap();
    assert!(text.contains("Hello Jane Doe"), "{text}");
    assert!(text.contains(en["checkin_code"].as_str().unwrap()));
}

/// Both sent at the first attempt; the outbox lists a confirmation with its invite, without
/// its body.
async fn the_outbox_lists_them_sent_without_their_bodies(app: &TestApp, ko: &Value) {
    let rows = wait_outbox(app, |rows| all_have_status(rows, 2, "sent")).await;
    assert!(rows.iter().all(|row| row["attempts"] == 1), "{rows:#?}");
    let mine = outbox(app, &format!("&registration_id={}", id(ko))).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["kind"], "confirmed");
    assert_eq!(mine[0]["has_calendar_invite"], true);
    assert!(
        mine[0].get("text_body").is_none(),
        "bodies (with the link) are not listed"
    );
}

#[tokio::test]
async fn a_registration_sends_one_confirmation_in_the_registrants_language() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let event = app.open_event(10, json!({})).await;
    let title = event["title"].as_str().unwrap().to_string();
    let (ko, en) = seoyeon_and_jane_register(&app, &event).await;
    let messages = sink.wait_for(2).await;

    let korean = message_for(&messages, "seoyeon@example.com");
    assert_eq!(korean.len(), 1, "one confirmation");
    let mail = parse(korean[0]);
    the_headers_are_decoded_and_well_formed(&mail, &title);
    the_body_has_the_code_the_link_and_the_time(&mail, &ko);
    the_invite_is_a_request_for_the_events_start(&mail, &ko);
    no_line_is_over_78_characters(korean[0]);

    the_english_confirmation_is_in_english(&messages, &title, &en);
    the_outbox_lists_them_sent_without_their_bodies(&app, &ko).await;
}

// The waitlist, a cancellation and the promotion it makes.

/// The one seat goes to First (in English); the second person is waitlisted.
async fn one_seated_and_one_waitlisted(app: &TestApp, event: &Value) -> (Value, Value) {
    let first = register_ok(app, &id(event), &json!({"name": "First", "email": "first@example.com", "role": "student", "language": "en"})).await;
    let second = register_ok(
        app,
        &id(event),
        &json!({"name": "둘째", "email": "second@example.com", "role": "student"}),
    )
    .await;
    assert_eq!(second["status"], "waitlisted");
    (first, second)
}

/// The waitlisted person is told their place, with no invite.
fn the_waitlisted_hear_their_place_without_an_invite(messages: &[Captured]) {
    let waitlisted = parse(message_for(messages, "second@example.com")[0]);
    assert!(
        subject(&waitlisted).contains("대기자 명단 1번"),
        "{}",
        subject(&waitlisted)
    );
    assert!(
        part(&waitlisted, "text/calendar").is_none(),
        "no invite without a seat"
    );
}

async fn cancel(app: &TestApp, event: &Value, registration: &Value) {
    expect_status(
        app.post(
            &format!(
                "/api/v1/events/{}/registrations/{}/cancel",
                id(event),
                id(registration)
            ),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
}

/// The cancelled person is told, and their invite is withdrawn (a CANCEL of the same UID).
fn the_cancelled_hear_it_and_their_invite_is_withdrawn(messages: &[Captured], first: &Value) {
    let to_first = message_for(messages, "first@example.com");
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
            .contains(&format!("UID:registration-{}@homecoming", id(first)))
    );
}

/// The promoted person is told they have a seat, with their check-in code and an invite.
async fn the_promoted_get_their_code_and_an_invite(
    app: &TestApp,
    event: &Value,
    messages: &[Captured],
    second: &Value,
) {
    let to_second = message_for(messages, "second@example.com");
    assert_eq!(to_second.len(), 2);
    let promoted = to_second
        .iter()
        .map(|m| parse(m))
        .find(|mail| subject(mail).contains("자리가 나서 참가가 확정되었습니다"))
        .expect("the promotion");
    assert!(
        subject(&promoted).contains("자리가 나서 참가가 확정되었습니다"),
        "{}",
        subject(&promoted)
    );
    let text = part(&promoted, "text/plain").unwrap().get_body().unwrap();
    let registration = expect_status(
        app.get(&format!(
            "/api/v1/events/{}/registrations/{}",
            id(event),
            id(second)
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
}

/// The kinds of the messages in the outbox, in order.
async fn outbox_kinds(app: &TestApp) -> Vec<String> {
    outbox(app, "")
        .await
        .iter()
        .map(|row| row["kind"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn waitlisted_promoted_and_cancelled_people_hear_about_it() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let event = app.open_event(1, json!({})).await;
    let (first, second) = one_seated_and_one_waitlisted(&app, &event).await;
    let messages = sink.wait_for(2).await;
    the_waitlisted_hear_their_place_without_an_invite(&messages);

    cancel(&app, &event, &first).await;
    let messages = sink.wait_for(4).await;
    the_cancelled_hear_it_and_their_invite_is_withdrawn(&messages, &first);
    the_promoted_get_their_code_and_an_invite(&app, &event, &messages, &second).await;
    assert_eq!(
        outbox_kinds(&app).await,
        ["confirmed", "waitlisted", "promoted", "cancelled"]
    );
}

// Registering again.

/// Registering the same person again is a conflict that says the link was mailed, without
/// showing it.
async fn registering_again_is_a_conflict_without_the_link(
    app: &TestApp,
    event: &Value,
    body: &Value,
) {
    let problem = expect_problem(app.register(&id(event), body).await, StatusCode::CONFLICT).await;
    assert_eq!(problem["conflict"]["kind"], "already_registered");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("a link to the registration was mailed to that address"),
        "{problem}"
    );
    assert!(
        !problem.to_string().contains("/registrations/"),
        "the link is not shown"
    );
}

/// The mail with the link again: the link of the registration, as the first answer gave it.
async fn the_same_link_is_mailed(sink: &SmtpSink) -> String {
    let messages = sink.wait_for(2).await;
    assert_eq!(messages.len(), 2);
    let again = messages
        .iter()
        .map(parse)
        .find(|mail| subject(mail).contains("신청 관리 링크"))
        .expect("the link again");
    let text = part(&again, "text/plain").unwrap().get_body().unwrap();
    text.lines()
        .find(|line| line.contains("/registrations/"))
        .expect("the link")
        .trim()
        .to_string()
}

#[tokio::test]
async fn registering_again_mails_the_link_and_revokes_nothing() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let event = app.open_event(5, json!({})).await;
    let body = json!({"name": "김민수", "email": "minsu@example.com", "role": "student"});
    let first = register_ok(&app, &id(&event), &body).await;
    let url = first["manage_url"].as_str().unwrap();
    registering_again_is_a_conflict_without_the_link(&app, &event, &body).await;
    assert_eq!(the_same_link_is_mailed(&sink).await, url);
    let path = &url[url.find("/registrations/").unwrap()..];
    let page = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "the first link still works");
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
