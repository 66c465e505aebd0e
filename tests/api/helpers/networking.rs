//! Networking sessions as the tests make and read them: attendees who registered, a session
//! created, read and published through the API, and its seating as registration ids.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{TestApp, expect_status, id};

/// Registers `people` numbered attendees (students and alumni of several years and
/// companies), all sharing or all not sharing their details.
pub async fn register_attendees(
    app: &TestApp,
    event: &Value,
    people: usize,
    consent: bool,
) -> Vec<Value> {
    let mut registered = Vec::new();
    for n in 0..people {
        let body = json!({
            "name": format!("사람{n}"), "email": format!("p{n}@example.com"),
            "role": if n % 2 == 0 { "student" } else { "alumni" }, "admission_year": 2010 + (n % 8) as i32,
            "affiliation": format!("회사{}", n % 5), "consent_share": consent
        });
        registered
            .push(expect_status(app.register(&id(event), &body).await, StatusCode::CREATED).await);
    }
    registered
}

/// Registers one guest called `name`.
pub async fn register_attendee(app: &TestApp, event: &Value, name: &str, consent: bool) -> Value {
    let body = json!({"name": name, "email": format!("{}@example.com", uuid::Uuid::new_v4().simple()), "role": "guest", "consent_share": consent});
    expect_status(app.register(&id(event), &body).await, StatusCode::CREATED).await
}

pub async fn create_session(app: &TestApp, event: &Value, body: Value) -> Value {
    let path = format!("/api/v1/events/{}/networking-sessions", id(event));
    expect_status(app.post(&path, &body).await, StatusCode::CREATED).await
}

/// The session's API path.
pub fn session_path(event: &Value, session: &Value) -> String {
    format!(
        "/api/v1/events/{}/networking-sessions/{}",
        id(event),
        id(session)
    )
}

/// The session at `path` as it is stored now.
pub async fn read_session(app: &TestApp, path: &str) -> Value {
    expect_status(app.get(path).await, StatusCode::OK).await
}

pub async fn publish(app: &TestApp, path: &str) -> Value {
    expect_status(
        app.post(&format!("{path}/publish"), &json!({})).await,
        StatusCode::OK,
    )
    .await
}

/// The registration ids at each table of each round.
pub fn seating(session: &Value) -> Vec<Vec<Vec<String>>> {
    session["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|round| {
            round["tables"]
                .as_array()
                .unwrap()
                .iter()
                .map(|table| {
                    table["seats"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|s| s["registration_id"].as_str().unwrap().to_string())
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// The table `person` sits at in each round of a seating.
pub fn tables_of(rounds: &[Vec<Vec<String>>], person: &str) -> Vec<usize> {
    rounds
        .iter()
        .map(|round| {
            round
                .iter()
                .position(|table| table.iter().any(|p| p == person))
                .expect("seated every round")
        })
        .collect()
}
