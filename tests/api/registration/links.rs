//! Manage links that only their owner can retire: registering someone's email again revokes
//! nothing and mails them at most once per interval, and every mail about a registration
//! carries a link that opens it.

use std::collections::BTreeSet;

use chrono::{DateTime, TimeDelta, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::mail::{app_with_sink, outbox, parse, part, scheduler, subject, wait_outbox};
use crate::helpers::networking::{create_session, publish, session_path};
use crate::helpers::registration::register_ok;
use crate::helpers::smtp_sink::{Captured, SmtpSink};
use crate::helpers::{TestApp, expect_problem, expect_status, id};

/// The path of the manage link in a mail's text part.
fn mailed_link(captured: &Captured) -> String {
    let mail = parse(captured);
    let text = part(&mail, "text/plain").unwrap().get_body().unwrap();
    let line = text
        .lines()
        .find(|line| line.contains("/registrations/"))
        .unwrap_or_else(|| panic!("no manage link in {:?}: {text}", subject(&mail)));
    let from = line.find("/registrations/").unwrap();
    line[from..].trim().to_string()
}

/// Opens a manage page by its path; returns its status and HTML.
async fn open(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

fn path_of(url: &str) -> String {
    url[url.find("/registrations/").unwrap()..].to_string()
}

#[tokio::test]
async fn registering_someone_elses_email_30_times_kills_nothing_and_mails_at_most_once() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let event = app.open_event(10, json!({})).await;
    let body = json!({"name": "김서연", "email": "seoyeon@example.com", "role": "alumni"});
    let theirs = register_ok(&app, &id(&event), &body).await;
    let link = path_of(theirs["manage_url"].as_str().unwrap());

    let mut details = BTreeSet::new();
    for _ in 0..30 {
        let problem =
            expect_problem(app.register(&id(&event), &body).await, StatusCode::CONFLICT).await;
        assert_eq!(problem["conflict"]["kind"], "already_registered");
        details.insert(problem["detail"].as_str().unwrap().to_string());
    }
    assert_eq!(
        details.into_iter().collect::<Vec<_>>(),
        [
            "this email is already registered for the event; a link to the registration was \
          mailed to that address"
        ],
        "one answer, whether or not a mail went out"
    );

    let rows = wait_outbox(&app, |rows| {
        rows.len() == 2 && rows.iter().all(|row| row["status"] == "sent")
    })
    .await;
    let kinds: BTreeSet<&str> = rows.iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, BTreeSet::from(["confirmed", "manage_link"]));
    let messages = sink.wait_for(2).await;
    assert_eq!(messages.len(), 2, "the confirmation and one link, no more");
    for message in &messages {
        assert_eq!(
            mailed_link(message),
            link,
            "every mail carries the same link"
        );
    }
    let (status, html) = open(&app, &link).await;
    assert_eq!(status, StatusCode::OK, "their link still works");
    assert!(html.contains("김서연"));
}

#[tokio::test]
async fn after_the_interval_registering_again_mails_the_link_again() {
    let sink = SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let url = crate::helpers::fresh_database(&dir).await;
    let app = crate::helpers::mail::app_with_sink_and(&sink, Some(url), true, |settings| {
        settings.limits.manage_link_mail_interval_secs = 0;
    })
    .await;
    let event = app.open_event(10, json!({})).await;
    let body = json!({"name": "김서연", "email": "seoyeon@example.com", "role": "alumni"});
    register_ok(&app, &id(&event), &body).await;
    for _ in 0..2 {
        expect_problem(app.register(&id(&event), &body).await, StatusCode::CONFLICT).await;
    }
    let rows = wait_outbox(&app, |rows| rows.len() == 3).await;
    let links = rows
        .iter()
        .filter(|row| row["kind"] == "manage_link")
        .count();
    assert_eq!(links, 2, "no interval: each attempt mails the link");
}

fn starts_at(event: &Value) -> DateTime<Utc> {
    event["starts_at"].as_str().unwrap().parse().unwrap()
}

/// The kinds of mail this test must see, each carrying a working link.
const KINDS: [&str; 7] = [
    "confirmed",
    "waitlisted",
    "promoted",
    "reminder",
    "tables",
    "event_changed",
    "cancelled",
];

#[tokio::test]
async fn every_registration_mail_carries_a_link_that_opens_the_persons_page() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let event = app.open_event(2, json!({})).await;
    let people = [
        ("안유나", "a@example.com", "ko"),
        ("Ben Park", "b@example.com", "en"),
        ("차민재", "c@example.com", "ko"),
    ];
    for (name, email, language) in people {
        let body = json!({"name": name, "email": email, "role": "alumni",
                          "consent_share": true, "language": language});
        register_ok(&app, &id(&event), &body).await;
    }
    // Tables for the two with seats.
    let session = create_session(
        &app,
        &event,
        json!({"title": "네트워킹", "rounds": 1, "table_size": 2}),
    )
    .await;
    publish(&app, &session_path(&event, &session)).await;
    // The day-before reminder.
    app.clock.set(starts_at(&event) - TimeDelta::days(1));
    scheduler(&app).await.run_once().await.unwrap();
    // The event moves an hour, then the first person cancels: the third is promoted.
    let moved = json!({"starts_at": "2030-05-18T14:00:00+09:00",
                       "ends_at": "2030-05-18T20:00:00+09:00"});
    let path = format!("/api/v1/events/{}", id(&event));
    expect_status(app.patch(&path, &moved).await, StatusCode::OK).await;
    let first = &crate::helpers::registration::registrations(&app, &id(&event), "").await[0];
    let cancel = format!("{path}/registrations/{}/cancel", id(first));
    expect_status(app.post(&cancel, &json!({})).await, StatusCode::OK).await;

    let rows = wait_outbox(&app, |rows| {
        let kinds: BTreeSet<&str> = rows.iter().filter_map(|r| r["kind"].as_str()).collect();
        KINDS.iter().all(|kind| kinds.contains(kind))
            && rows.iter().all(|row| row["status"] == "sent")
    })
    .await;
    let messages = sink.wait_for(rows.len()).await;
    for row in &rows {
        let to = row["to_address"].as_str().unwrap();
        let message = messages
            .iter()
            .find(|m| m.to.iter().any(|a| a == to) && subject(&parse(m)) == row["subject"])
            .unwrap_or_else(|| panic!("{row} reached the sink"));
        let link = mailed_link(message);
        let (status, html) = open(&app, &link).await;
        assert_eq!(status, StatusCode::OK, "{} to {to}: {link}", row["kind"]);
        let (name, ..) = people.iter().find(|(_, email, _)| *email == to).unwrap();
        assert!(html.contains(name), "{} opens {to}'s own page", row["kind"]);
    }
    assert!(outbox(&app, "").await.len() >= KINDS.len());
}
