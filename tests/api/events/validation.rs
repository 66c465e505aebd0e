//! Every rule a new event is checked against: each broken rule is a 422 naming its fields,
//! and nothing is created.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::events::{create, event_body, event_count};
use crate::helpers::{TestApp, error_fields, expect_problem, id, spawn_app};

/// Posts `extra` over a valid event and expects 422 naming exactly `fields`, with nothing
/// created.
async fn rejects(app: &TestApp, extra: Value, fields: &[&str]) {
    let response = app.post("/api/v1/events", &event_body(extra.clone())).await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), fields, "{extra}: {problem}");
    assert_eq!(problem["type"], "/problems/validation");
    assert_eq!(event_count(app).await, 0, "{extra}: nothing was created");
}

#[tokio::test]
async fn an_event_must_end_after_it_starts() {
    let app = spawn_app().await;
    rejects(
        &app,
        json!({"ends_at": "2026-05-16T12:00:00+09:00"}),
        &["ends_at"],
    )
    .await;
    rejects(
        &app,
        json!({"ends_at": "2026-05-16T13:00:00+09:00"}),
        &["ends_at"],
    )
    .await;
    // The same instant written with a different offset is still not after the start.
    rejects(
        &app,
        json!({"ends_at": "2026-05-16T04:00:00Z"}),
        &["ends_at"],
    )
    .await;
}

#[tokio::test]
async fn times_need_an_offset() {
    let app = spawn_app().await;
    rejects(
        &app,
        json!({"starts_at": "2026-05-16T13:00:00"}),
        &["starts_at"],
    )
    .await;
    rejects(&app, json!({"ends_at": "2026-05-16"}), &["ends_at"]).await;
    rejects(
        &app,
        json!({"registration_opens_at": "2026-04-01T10:00:00"}),
        &["registration_opens_at"],
    )
    .await;
}

#[tokio::test]
async fn required_fields_are_named() {
    let app = spawn_app().await;
    let response = app
        .post(
            "/api/v1/events",
            &json!({"title": "x", "ends_at": "2026-05-16T18:00:00+09:00"}),
        )
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["starts_at"], "{problem}");
    rejects(&app, json!({"title": "   "}), &["title"]).await;
    rejects(&app, json!({"colour": "blue"}), &["colour"]).await;
}

#[tokio::test]
async fn an_unknown_time_zone_is_422() {
    let app = spawn_app().await;
    rejects(&app, json!({"time_zone": "Mars/Olympus"}), &["time_zone"]).await;
    rejects(&app, json!({"time_zone": "KST"}), &["time_zone"]).await;
}

#[tokio::test]
async fn capacity_must_be_positive() {
    let app = spawn_app().await;
    rejects(&app, json!({"capacity": 0}), &["capacity"]).await;
    rejects(&app, json!({"capacity": -3}), &["capacity"]).await;
    rejects(&app, json!({"capacity": 100_001}), &["capacity"]).await;
}

#[tokio::test]
async fn the_registration_window_must_be_in_order_and_close_by_the_end() {
    let app = spawn_app().await;
    rejects(
        &app,
        json!({
            "registration_opens_at": "2026-05-10T00:00:00+09:00",
            "registration_closes_at": "2026-05-01T00:00:00+09:00",
        }),
        &["registration_closes_at"],
    )
    .await;
    rejects(
        &app,
        json!({
            "registration_opens_at": "2026-05-01T00:00:00+09:00",
            "registration_closes_at": "2026-05-16T18:00:01+09:00",
        }),
        &["registration_closes_at"],
    )
    .await;
    rejects(
        &app,
        json!({"registration_opens_at": "2026-05-16T18:00:00+09:00"}),
        &["registration_opens_at"],
    )
    .await;
    // Closing exactly when the event ends is allowed.
    create(
        &app,
        event_body(json!({
            "registration_opens_at": "2026-05-01T00:00:00+09:00",
            "registration_closes_at": "2026-05-16T18:00:00+09:00",
        })),
    )
    .await;
}

#[tokio::test]
async fn an_unknown_venue_is_422() {
    let app = spawn_app().await;
    rejects(
        &app,
        json!({"venue_id": "0193a0b0-0000-7000-8000-000000000000"}),
        &["venue_id"],
    )
    .await;
    rejects(&app, json!({"venue_id": "not-a-uuid"}), &["venue_id"]).await;
}

#[tokio::test]
async fn new_events_cannot_skip_the_draft_status() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    for status in ["published", "closed", "completed", "cancelled"] {
        rejects(
            &app,
            json!({"status": status, "venue_id": id(&venue), "capacity": 10}),
            &["status"],
        )
        .await;
    }
    rejects(&app, json!({"status": "someday"}), &["status"]).await;
}

#[tokio::test]
async fn several_invalid_fields_are_reported_together() {
    let app = spawn_app().await;
    rejects(
        &app,
        json!({
            "title": "", "slug": "Bad Slug", "ends_at": "2026-05-16T12:00:00+09:00",
            "time_zone": "Nowhere/City", "capacity": 0,
        }),
        &["title", "slug", "ends_at", "time_zone", "capacity"],
    )
    .await;
}
