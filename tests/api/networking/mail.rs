//! Publishing a networking session mails each attendee their tables through the outbox (once
//! per change of their tables) and shows them on their manage page.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::mail::{
    all_have_status, app_with_sink, message_for, outbox, parse, part, subject, wait_outbox,
};
use crate::helpers::networking::{create_session, publish, read_session, session_path};
use crate::helpers::smtp_sink::{Captured, SmtpSink};
use crate::helpers::{TestApp, expect_status, id};

/// Four Korean and four English attendees; two without an affiliation.
const PEOPLE: [(&str, &str, Option<&str>); 8] = [
    ("김민준", "ko", Some("Toss")),
    ("Alice Park", "en", Some("Naver")),
    ("이서연", "ko", None),
    ("Bob Lee", "en", Some("Kakao")),
    ("박지호", "ko", Some("Samsung")),
    ("Carol Choi", "en", None),
    ("최유진", "ko", Some("LINE")),
    ("Dave Han", "en", Some("Coupang")),
];

struct Attendee {
    id: String,
    email: String,
    lang: &'static str,
    manage_path: String,
}

async fn register_all(app: &TestApp, event: &Value) -> Vec<Attendee> {
    let mut attendees = Vec::new();
    for (n, (name, lang, affiliation)) in PEOPLE.iter().enumerate() {
        let email = format!("n{n}@example.com");
        let body = json!({
            "name": name, "email": email, "role": if n % 2 == 0 { "student" } else { "alumni" },
            "admission_year": 2012 + n as i32, "affiliation": affiliation,
            "consent_share": true, "language": lang,
        });
        let registered =
            expect_status(app.register(&id(event), &body).await, StatusCode::CREATED).await;
        let url = registered["manage_url"].as_str().unwrap();
        attendees.push(Attendee {
            id: id(&registered),
            email,
            lang,
            manage_path: url[url.find("/registrations/").unwrap()..].to_string(),
        });
    }
    attendees
}

/// The lines a person's mail and manage page must show, from the session as the API gives
/// it: for every round their 1-based table and the others at it, by first name (Korean
/// names whole) and affiliation.
fn expected_lines(session: &Value, who: &str, lang: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for round in session["rounds"].as_array().unwrap() {
        for table in round["tables"].as_array().unwrap() {
            let seats = table["seats"].as_array().unwrap();
            if !seats.iter().any(|s| s["registration_id"] == who) {
                continue;
            }
            let mates: Vec<String> = seats
                .iter()
                .filter(|s| s["registration_id"] != who)
                .map(|s| {
                    let name = s["name"].as_str().unwrap();
                    let called = name.split_whitespace().next().unwrap();
                    match s["affiliation"].as_str() {
                        Some(affiliation) => format!("{called} ({affiliation})"),
                        None => called.to_string(),
                    }
                })
                .collect();
            let (r, t, mates) = (
                round["number"].clone(),
                table["number"].clone(),
                mates.join(", "),
            );
            lines.push(match lang {
                "ko" => format!("{r}라운드: {t}번 테이블 — {mates}"),
                _ => format!("Round {r}: table {t} — {mates}"),
            });
        }
    }
    lines
}

fn is_tables_mail(captured: &Captured) -> bool {
    let subject = subject(&parse(captured));
    subject.contains("네트워킹 테이블 안내") || subject.contains("Your networking tables")
}

/// The table lines of a tables mail's text part.
fn mailed_lines(captured: &Captured) -> Vec<String> {
    let mail = parse(captured);
    let text = part(&mail, "text/plain").unwrap().get_body().unwrap();
    text.lines()
        .filter(|line| line.contains(" — "))
        .map(|line| line.trim().to_string())
        .collect()
}

async fn manage_page(app: &TestApp, attendee: &Attendee) -> String {
    let response = app
        .client
        .get(app.url(&attendee.manage_path))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

fn tables_mails_per_person(messages: &[Captured]) -> BTreeMap<String, usize> {
    let mut count = BTreeMap::new();
    for message in messages.iter().filter(|m| is_tables_mail(m)) {
        for to in &message.to {
            *count.entry(to.clone()).or_default() += 1;
        }
    }
    count
}

/// Polls the outbox until `count` messages are sent, then the sink until it holds them.
async fn sent(app: &TestApp, sink: &SmtpSink, count: usize) -> Vec<Captured> {
    wait_outbox(app, |rows| all_have_status(rows, count, "sent")).await;
    sink.wait_for(count).await
}

/// An event with eight attendees (their confirmations sent) and a networking session not yet
/// published: the event, the attendees and the session's API path.
async fn an_unpublished_session(app: &TestApp, sink: &SmtpSink) -> (Value, Vec<Attendee>, String) {
    let event = app.open_event(50, json!({})).await;
    let attendees = register_all(app, &event).await;
    sent(app, sink, 8).await;

    let created = create_session(
        app,
        &event,
        json!({"title": "네트워킹 1부", "rounds": 3, "table_size": 3, "seed": 5}),
    )
    .await;
    let base = session_path(&event, &created);
    for attendee in &attendees {
        let page = manage_page(app, attendee).await;
        assert!(!page.contains("id=\"tables\""), "not before publication");
    }
    assert_eq!(outbox(app, "").await.len(), 8, "creating mails nobody");
    (event, attendees, base)
}

/// First publication: one mail to each attendee, in their language, with their tables.
/// Returns the session as published.
async fn the_first_publication_mails_everyone_their_tables(
    app: &TestApp,
    sink: &SmtpSink,
    event: &Value,
    attendees: &[Attendee],
    base: &str,
) -> Value {
    publish(app, base).await;
    let messages = sent(app, sink, 16).await;
    let published = read_session(app, base).await;
    for attendee in attendees {
        let mine: Vec<&Captured> = message_for(&messages, &attendee.email)
            .into_iter()
            .filter(|m| is_tables_mail(m))
            .collect();
        assert_eq!(mine.len(), 1, "one tables mail to {}", attendee.email);
        let mail = parse(mine[0]);
        let title = event["title"].as_str().unwrap();
        assert_eq!(
            subject(&mail),
            match attendee.lang {
                "ko" => format!("{title} 네트워킹 테이블 안내"),
                _ => format!("Your networking tables at {title}"),
            }
        );
        let expected = expected_lines(&published, &attendee.id, attendee.lang);
        assert_eq!(expected.len(), 3, "seated in every round");
        assert!(
            expected.iter().all(|line| !line.ends_with("— ")),
            "nobody sits alone"
        );
        assert_eq!(mailed_lines(mine[0]), expected, "{}", attendee.email);
        let html = part(&mail, "text/html").unwrap().get_body().unwrap();
        assert!(html.contains(&format!("lang=\"{}\"", attendee.lang)));
        let text = part(&mail, "text/plain").unwrap().get_body().unwrap();
        assert!(
            text.contains("네트워킹 1부"),
            "the mail names its session: {text}"
        );
        assert!(part(&mail, "text/calendar").is_none(), "no invite");
    }
    let rows = outbox(app, "").await;
    assert_eq!(rows.iter().filter(|r| r["kind"] == "tables").count(), 8);
    published
}

/// The manage page shows the tables, in the page's language.
async fn the_manage_page_shows_the_tables(
    app: &TestApp,
    attendees: &[Attendee],
    published: &Value,
) {
    for attendee in attendees {
        let page = manage_page(app, attendee).await;
        assert!(page.contains("id=\"tables\""), "{page}");
        assert!(page.contains("네트워킹 1부"));
        for line in expected_lines(published, &attendee.id, attendee.lang) {
            assert!(page.contains(&line), "{line} missing from\n{page}");
        }
    }
}

/// Move one person in round 2 from a table of three to the smallest other table: only the
/// people whose tables changed hear about it. Returns the session after the move, how many
/// were told, and the tables mails per person.
async fn a_move_is_mailed_only_to_those_whose_tables_changed(
    app: &TestApp,
    sink: &SmtpSink,
    attendees: &[Attendee],
    base: &str,
    published: Value,
) -> (Value, usize, BTreeMap<String, usize>) {
    let before = published;
    let round_two = before["rounds"][1]["tables"].as_array().unwrap();
    let size = |table: &Value| table["seats"].as_array().unwrap().len();
    let from = round_two.iter().position(|t| size(t) == 3).unwrap();
    let to = (0..round_two.len())
        .filter(|t| *t != from)
        .min_by_key(|t| size(&round_two[*t]))
        .unwrap();
    let mover = round_two[from]["seats"][0]["registration_id"]
        .as_str()
        .unwrap()
        .to_string();
    expect_status(
        app.post(
            &format!("{base}/moves"),
            &json!({"round": 2, "registration_id": mover, "to_table": to + 1}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let after = read_session(app, base).await;
    let changed: BTreeSet<&str> = attendees
        .iter()
        .filter(|a| expected_lines(&before, &a.id, a.lang) != expected_lines(&after, &a.id, a.lang))
        .map(|a| a.email.as_str())
        .collect();
    // The mover, their two old tablemates and the people at the new table.
    assert_eq!(changed.len(), 3 + size(&round_two[to]), "{changed:?}");
    assert!(changed.len() < attendees.len());
    publish(app, base).await;
    let messages = sent(app, sink, 16 + changed.len()).await;
    let counts = tables_mails_per_person(&messages);
    for attendee in attendees {
        let expected = if changed.contains(attendee.email.as_str()) {
            2
        } else {
            1
        };
        assert_eq!(counts[&attendee.email], expected, "{}", attendee.email);
        let mine: Vec<&Captured> = message_for(&messages, &attendee.email)
            .into_iter()
            .filter(|m| is_tables_mail(m))
            .collect();
        assert_eq!(
            mailed_lines(mine.last().unwrap()),
            expected_lines(&after, &attendee.id, attendee.lang),
            "the latest mail shows the tables as they are"
        );
    }
    publish(app, base).await;
    assert_eq!(
        outbox(app, "").await.len(),
        16 + changed.len(),
        "nothing new after an unchanged republication"
    );
    (after, changed.len(), counts)
}

/// A late arrival seated and published: they get their tables, and so do the people at
/// their tables; nobody else hears anything.
async fn a_late_arrival_and_their_tablemates_are_mailed(
    app: &TestApp,
    sink: &SmtpSink,
    event: &Value,
    attendees: &[Attendee],
    base: &str,
    (after, changed, counts): (Value, usize, BTreeMap<String, usize>),
) {
    let late = expect_status(
        app.register(
            &id(event),
            &json!({"name": "Erin Yoon", "email": "late@example.com", "role": "guest",
                    "affiliation": "Toss", "consent_share": true, "language": "en"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let total = 16 + changed + 1;
    sent(app, sink, total).await;
    expect_status(
        app.post(
            &format!("{base}/arrivals"),
            &json!({"registration_id": id(&late)}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let with_late = read_session(app, base).await;
    let changed_again: BTreeSet<&str> = attendees
        .iter()
        .filter(|a| {
            expected_lines(&after, &a.id, a.lang) != expected_lines(&with_late, &a.id, a.lang)
        })
        .map(|a| a.email.as_str())
        .collect();
    assert!(!changed_again.is_empty(), "the late arrival has tablemates");
    publish(app, base).await;
    let messages = sent(app, sink, total + 1 + changed_again.len()).await;
    let counts_now = tables_mails_per_person(&messages);
    assert_eq!(counts_now["late@example.com"], 1);
    let late_mail = message_for(&messages, "late@example.com")
        .into_iter()
        .find(|m| is_tables_mail(m))
        .unwrap();
    assert_eq!(
        mailed_lines(late_mail),
        expected_lines(&with_late, &id(&late), "en")
    );
    for attendee in attendees {
        let more = usize::from(changed_again.contains(attendee.email.as_str()));
        assert_eq!(
            counts_now[&attendee.email],
            counts[&attendee.email] + more,
            "{}",
            attendee.email
        );
    }
}

#[tokio::test]
async fn publishing_mails_each_attendee_their_tables_once_per_change() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let (event, attendees, base) = an_unpublished_session(&app, &sink).await;
    let published =
        the_first_publication_mails_everyone_their_tables(&app, &sink, &event, &attendees, &base)
            .await;
    the_manage_page_shows_the_tables(&app, &attendees, &published).await;

    // Publishing again without a change sends nothing.
    publish(&app, &base).await;
    assert_eq!(outbox(&app, "").await.len(), 16, "nothing new queued");

    let moved = a_move_is_mailed_only_to_those_whose_tables_changed(
        &app, &sink, &attendees, &base, published,
    )
    .await;
    a_late_arrival_and_their_tablemates_are_mailed(&app, &sink, &event, &attendees, &base, moved)
        .await;

    // An unpublished session does not show on the manage page.
    create_session(
        &app,
        &event,
        json!({"title": "네트워킹 2부", "rounds": 2, "table_size": 3}),
    )
    .await;
    let page = manage_page(&app, &attendees[0]).await;
    assert!(page.contains("네트워킹 1부"));
    assert!(!page.contains("네트워킹 2부"), "{page}");
}
