//! Registrations as the registration tests make and read them: numbered people, registering
//! as the public does, the organizer's list and the event's figures.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{TestApp, expect_status};

pub fn person(n: usize) -> Value {
    json!({"name": format!("참가자 {n}"), "email": format!("person{n}@example.com"), "role": "student"})
}

pub async fn register_ok(app: &TestApp, event_id: &str, body: &Value) -> Value {
    expect_status(app.register(event_id, body).await, StatusCode::CREATED).await
}

pub async fn registrations(app: &TestApp, event_id: &str, query: &str) -> Vec<Value> {
    let page = expect_status(
        app.get(&format!(
            "/api/v1/events/{event_id}/registrations?limit=100{query}"
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    page["items"].as_array().unwrap().clone()
}

pub async fn stats(app: &TestApp, event_id: &str) -> Value {
    expect_status(
        app.get(&format!("/api/v1/events/{event_id}/stats")).await,
        StatusCode::OK,
    )
    .await
}
