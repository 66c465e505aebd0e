//! An event's registrations in the console: approve (with its mail), search and filter,
//! edit, the CSV export, and refusals that change nothing.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, ORIGIN};
use serde_json::{Value, json};

use crate::helpers::console::{Console, form_body, location};
use crate::helpers::forms::browser;
use crate::helpers::mail::outbox;
use crate::helpers::registration::{register_ok, registrations};
use crate::helpers::{TestApp, id, spawn_app};

fn alumnus(name: &str, email: &str, affiliation: &str) -> Value {
    json!({"name": name, "email": email, "role": "alumni", "affiliation": affiliation})
}

async fn pending_event(app: &TestApp) -> (Value, Value) {
    let event = app.open_event(10, json!({"requires_approval": true})).await;
    let registration = register_ok(
        app,
        &id(&event),
        &alumnus("김서연", "seoyeon@example.com", "Kakao"),
    )
    .await;
    assert_eq!(registration["status"], "pending");
    (event, registration)
}

fn path(event: &Value, registration: &Value) -> String {
    format!(
        "/admin/events/{}/registrations/{}",
        id(event),
        id(registration)
    )
}

async fn status_of(app: &TestApp, event: &Value, registration: &Value) -> String {
    let found = app
        .get(&format!(
            "/api/v1/events/{}/registrations/{}",
            id(event),
            id(registration)
        ))
        .await
        .json::<Value>()
        .await
        .unwrap();
    found["status"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn approving_a_pending_registration_confirms_it_and_queues_the_mail() {
    let app = spawn_app().await;
    let (event, registration) = pending_event(&app).await;
    let console = app.console().await;
    let list = format!("/admin/events/{}/registrations", id(&event));
    let html = console.page(&format!("{list}?lang=en")).await;
    assert!(
        html.contains(&format!("{}/approve", path(&event, &registration))),
        "{html}"
    );

    let response = console
        .post(
            &format!("{}/approve", path(&event, &registration)),
            &[("back", list.as_str())],
        )
        .await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), list);
    assert_eq!(status_of(&app, &event, &registration).await, "confirmed");
    let mails = outbox(&app, &format!("&registration_id={}", id(&registration))).await;
    assert!(
        mails.iter().any(|mail| mail["kind"] == "confirmed"),
        "the confirmation is queued: {mails:#?}"
    );
    // Approving again is refused inline and changes nothing.
    let response = console
        .post(
            &format!("{}/approve", path(&event, &registration)),
            &[("back", list.as_str())],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(response.text().await.unwrap().contains("notice"));
}

#[tokio::test]
async fn registrations_are_searched_by_name_email_or_affiliation_and_filtered_by_status() {
    let app = spawn_app().await;
    let (event, _) = pending_event(&app).await;
    register_ok(
        &app,
        &id(&event),
        &alumnus("박지훈", "jihoon@example.com", "Naver"),
    )
    .await;
    let list = format!("/admin/events/{}/registrations?lang=en", id(&event));
    let console = app.console().await;

    let html = console.page(&format!("{list}&q=naver")).await;
    assert!(
        html.contains("박지훈") && !html.contains("김서연"),
        "{html}"
    );
    let html = console.page(&format!("{list}&q=SEOYEON")).await;
    assert!(
        html.contains("김서연") && !html.contains("박지훈"),
        "{html}"
    );
    let html = console.page(&format!("{list}&status=confirmed")).await;
    assert!(html.contains("No registration matches."), "{html}");
    let html = console.page(&format!("{list}&status=pending")).await;
    assert!(html.contains("김서연") && html.contains("박지훈"), "{html}");
}

#[tokio::test]
async fn the_csv_export_is_the_apis() {
    let app = spawn_app().await;
    let (event, _) = pending_event(&app).await;
    let path = format!("/events/{}/exports/registrations.csv", id(&event));
    let console = app.console().await;

    let response = console.get(&format!("/admin{path}")).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let from_console = response.text().await.unwrap();
    let from_api = app
        .get(&format!("/api/v1{path}"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(from_console, from_api);
    assert!(from_console.contains("김서연"));
}

#[tokio::test]
async fn an_edit_is_saved_and_an_invalid_one_changes_nothing() {
    let app = spawn_app().await;
    let (event, registration) = pending_event(&app).await;
    let console = app.console().await;
    let page = path(&event, &registration);
    let fields = |year: &'static str| {
        [
            ("name", "김서연"),
            ("affiliation", "Toss"),
            ("job_title", "PM"),
            ("admission_year", year),
            ("graduation_year", ""),
        ]
    };

    let response = console.post(&page, &fields("nineteen")).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("has-error"));
    let rows = registrations(&app, &id(&event), "").await;
    assert_eq!(rows[0]["affiliation"], "Kakao", "nothing changed");

    let response = console.post(&page, &fields("2012")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let rows = registrations(&app, &id(&event), "").await;
    assert_eq!(rows[0]["affiliation"], "Toss");
    assert_eq!(rows[0]["admission_year"], 2012);
    assert_eq!(rows[0]["status"], "pending");
}

/// A console post as a forged page would send it: the session cookie, but not its token.
async fn forged(console: &Console, path: &str) -> StatusCode {
    browser()
        .post(console.url(path))
        .header(COOKIE, &console.cookie)
        .header(ORIGIN, &console.address)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form_body(&[("csrf", "forged")]))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_post_without_the_sessions_token_changes_nothing() {
    let app = spawn_app().await;
    let (event, registration) = pending_event(&app).await;
    let console = app.console().await;

    for action in ["approve", "reject", "cancel"] {
        let status = forged(
            &console,
            &format!("{}/{action}", path(&event, &registration)),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{action}");
    }
    assert_eq!(
        forged(&console, &path(&event, &registration)).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(status_of(&app, &event, &registration).await, "pending");
    let erase = format!(
        "/admin/people/{}/erase",
        registration["person_id"].as_str().unwrap()
    );
    assert_eq!(forged(&console, &erase).await, StatusCode::FORBIDDEN);
    let person = app
        .get(&format!(
            "/api/v1/people/{}",
            registration["person_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(person.status(), StatusCode::OK, "not erased");
}
