//! People across years: history, profile from the latest registration, erasure.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::registration::{register_ok, stats};
use crate::helpers::{TestApp, expect_problem, expect_status, id, spawn_app};

async fn people(app: &TestApp, query: &str) -> Vec<Value> {
    let page = expect_status(
        app.get(&format!("/api/v1/people?limit=100{query}")).await,
        StatusCode::OK,
    )
    .await;
    page["items"].as_array().unwrap().clone()
}

async fn two_years(app: &TestApp) -> (Value, Value) {
    let last_year = app
        .open_event(10, json!({"starts_at": "2029-05-19T13:00:00+09:00", "ends_at": "2029-05-19T19:00:00+09:00"}))
        .await;
    let this_year = app.open_event(10, json!({})).await;
    (last_year, this_year)
}

// A person's history across years.

/// Park registers last year as a student and checks in.
async fn park_comes_last_year(app: &TestApp, last_year: &Value) {
    let first = register_ok(
        app,
        &id(last_year),
        &json!({"name": "박학생", "email": "park@example.com", "role": "student",
        "admission_year": 2020, "affiliation": "서울대학교", "interests": ["ai"]}),
    )
    .await;
    let code = first["checkin_code"].as_str().unwrap();
    expect_status(
        app.post(
            &format!("/api/v1/events/{}/check-ins", id(last_year)),
            &json!({"code": code}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
}

/// This year Park registers again as an alumnus (the email spelled differently), and
/// someone else registers too.
async fn park_and_someone_else_register_this_year(app: &TestApp, this_year: &Value) {
    register_ok(app, &id(this_year), &json!({"name": "박졸업", "email": " PARK@example.com", "role": "alumni",
        "admission_year": 2020, "affiliation": "Naver", "job_title": "Engineer", "interests": ["backend"]}))
    .await;
    register_ok(
        app,
        &id(this_year),
        &json!({"name": "다른 사람", "email": "other@example.com", "role": "guest"}),
    )
    .await;
}

/// The same email is one person, whose profile comes from their latest registration.
/// Returns Park.
async fn one_person_per_email_with_the_latest_profile(app: &TestApp) -> Value {
    let everyone = people(app, "").await;
    assert_eq!(everyone.len(), 2, "the same email is one person");
    let park = people(app, "&q=PARK@").await.remove(0);
    assert_eq!(
        park["affiliation"], "Naver",
        "profile from the latest registration"
    );
    assert_eq!(park["role"], "alumni");
    assert_eq!(park["interests"], json!(["backend"]));
    park
}

/// Both years in Park's history, in order, with the one they attended; in the list and on
/// their own page.
async fn the_history_shows_both_years(
    app: &TestApp,
    park: &Value,
    last_year: &Value,
    this_year: &Value,
) {
    assert_eq!(park["events_registered"], 2);
    assert_eq!(park["events_attended"], 1);
    let history: Vec<(Value, Value)> = park["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["event_id"].clone(), h["checked_in"].clone()))
        .collect();
    assert_eq!(
        history,
        [
            (last_year["id"].clone(), json!(true)),
            (this_year["id"].clone(), json!(false))
        ]
    );
    let one = expect_status(
        app.get(&format!("/api/v1/people/{}", id(park))).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(one["history"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_person_keeps_their_history_and_latest_profile() {
    let app = spawn_app().await;
    let (last_year, this_year) = two_years(&app).await;
    park_comes_last_year(&app, &last_year).await;
    park_and_someone_else_register_this_year(&app, &this_year).await;
    let park = one_person_per_email_with_the_latest_profile(&app).await;
    the_history_shows_both_years(&app, &park, &last_year, &this_year).await;
    assert_eq!(
        people(&app, "&q=%EB%8B%A4%EB%A5%B8").await.len(),
        1,
        "search by Korean name"
    );
}

// Erasing a person.

/// The person to erase registers for both years, with details to forget.
async fn the_person_registers_both_years(app: &TestApp, years: [&Value; 2]) -> Vec<Value> {
    let mut registered = Vec::new();
    for event in years {
        registered.push(
            register_ok(
                app,
                &id(event),
                &json!({"name": "지울 사람", "email": "erase.me@example.com", "role": "alumni",
                "affiliation": "Secret Corp", "job_title": "CTO", "interests_other": "비밀"}),
            )
            .await,
        );
    }
    registered
}

async fn erase(app: &TestApp, person_id: &str) -> StatusCode {
    app.delete(&format!("/api/v1/people/{person_id}"))
        .await
        .status()
}

/// The person is no longer found, nor listed.
async fn the_person_is_gone(app: &TestApp, person_id: &str) {
    expect_problem(
        app.get(&format!("/api/v1/people/{person_id}")).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert!(people(app, "").await.is_empty());
}

/// Their registrations stay, anonymous: the status without a trace of who they were.
async fn their_registrations_keep_only_the_status(
    app: &TestApp,
    years: [&Value; 2],
    registered: &[Value],
) {
    for (event, registration) in years.iter().zip(registered) {
        let row = expect_status(
            app.get(&format!(
                "/api/v1/events/{}/registrations/{}",
                id(event),
                id(registration)
            ))
            .await,
            StatusCode::OK,
        )
        .await;
        let text = row.to_string();
        for secret in ["erase.me", "지울 사람", "Secret Corp", "CTO", "비밀"] {
            assert!(!text.contains(secret), "{secret} is gone: {text}");
        }
        assert_eq!(row["status"], "confirmed", "the anonymous status stays");
    }
}

async fn the_export_has_no_trace_of_them(app: &TestApp, event: &Value) {
    let csv = app
        .get(&format!(
            "/api/v1/events/{}/exports/registrations.csv",
            id(event)
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(!csv.contains("erase.me") && !csv.contains("Secret Corp"));
}

/// The same email can register again, as a new person.
async fn the_same_email_registers_again_as_someone_new(
    app: &TestApp,
    event: &Value,
    person_id: &str,
) {
    let again = register_ok(
        app,
        &id(event),
        &json!({"name": "새 사람", "email": "erase.me@example.com", "role": "guest"}),
    )
    .await;
    assert_ne!(again["person_id"].as_str().unwrap(), person_id);
}

#[tokio::test]
async fn erasing_a_person_removes_their_data_and_keeps_counts() {
    let app = spawn_app().await;
    let (last_year, this_year) = two_years(&app).await;
    let years = [&last_year, &this_year];
    let registered = the_person_registers_both_years(&app, years).await;
    let person_id = registered[0]["person_id"].as_str().unwrap().to_string();
    let stats_before = stats(&app, &id(&this_year)).await;

    assert_eq!(erase(&app, &person_id).await, StatusCode::NO_CONTENT);
    the_person_is_gone(&app, &person_id).await;
    their_registrations_keep_only_the_status(&app, years, &registered).await;
    the_export_has_no_trace_of_them(&app, &this_year).await;
    let stats_after = stats(&app, &id(&this_year)).await;
    assert_eq!(
        stats_before["confirmed"], stats_after["confirmed"],
        "counts stay"
    );

    the_same_email_registers_again_as_someone_new(&app, &this_year, &person_id).await;
    assert_eq!(erase(&app, &person_id).await, StatusCode::NOT_FOUND);
}
