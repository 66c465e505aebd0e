//! An Idempotency-Key belongs to one request: a different body with the same key learns
//! nothing, and the key keeps no personal data, expires after a day and goes with erasure.

use chrono::TimeDelta;
use entity::idempotency_key;
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::mail::scheduler;
use crate::helpers::{TestApp, error_fields, expect_problem, expect_status, id, spawn_app};

async fn send(app: &TestApp, event: &Value, key: &str, body: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/events/{}/registrations", id(event))))
        .header("Idempotency-Key", key)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

const FIRST: &str =
    r#"{"name": "김철수", "email": "kim@example.com", "role": "student", "affiliation": "Toss"}"#;
/// The same request as FIRST, written differently.
const FIRST_AGAIN: &str =
    r#"{"role":"student","affiliation":"Toss","email":"kim@example.com","name":"김철수"}"#;
const SECOND: &str = r#"{"name": "이영희", "email": "lee@example.com", "role": "alumni"}"#;

async fn stored_keys(app: &TestApp) -> u64 {
    idempotency_key::Entity::find()
        .count(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_same_key_with_another_body_reveals_nothing() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let first = expect_status(
        send(&app, &event, "order-1", FIRST).await,
        StatusCode::CREATED,
    )
    .await;

    let response = send(&app, &event, "order-1", SECOND).await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["Idempotency-Key"]);
    let text = problem.to_string();
    for secret in [
        "김철수",
        "kim@example.com",
        first["id"].as_str().unwrap(),
        first["checkin_code"].as_str().unwrap(),
    ] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }

    let replay = send(&app, &event, "order-1", FIRST_AGAIN).await;
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let replay = expect_status(replay, StatusCode::CREATED).await;
    assert_eq!(
        replay["id"], first["id"],
        "the same request, spelled differently"
    );
    let stats = crate::helpers::registration::stats(&app, &id(&event)).await;
    assert_eq!(
        stats["confirmed"], 1,
        "neither retry registered anyone: {stats}"
    );
}

#[tokio::test]
async fn keys_expire_after_a_day_and_hold_no_personal_data() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    expect_status(
        send(&app, &event, "order-1", FIRST).await,
        StatusCode::CREATED,
    )
    .await;
    let stored = idempotency_key::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let row = format!("{stored:?}");
    assert!(
        !row.contains("kim@example.com") && !row.contains("김철수") && !row.contains("Toss"),
        "{row}"
    );

    app.clock.advance(TimeDelta::hours(23));
    scheduler(&app).await.run_once().await.unwrap();
    assert_eq!(stored_keys(&app).await, 1, "kept for 24 hours");
    app.clock.advance(TimeDelta::hours(2));
    scheduler(&app).await.run_once().await.unwrap();
    assert_eq!(stored_keys(&app).await, 0, "purged after 24 hours");

    let response = send(&app, &event, "order-1", FIRST).await;
    assert!(response.headers().get("idempotent-replayed").is_none());
    expect_problem(response, StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn erasing_the_person_removes_their_keys() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let first = expect_status(
        send(&app, &event, "order-1", FIRST).await,
        StatusCode::CREATED,
    )
    .await;
    expect_status(
        send(&app, &event, "order-2", SECOND).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(stored_keys(&app).await, 2);

    let erase = app
        .delete(&format!(
            "/api/v1/people/{}",
            first["person_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(erase.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        stored_keys(&app).await,
        1,
        "only the erased person's key went"
    );

    let again = send(&app, &event, "order-1", FIRST).await;
    assert!(
        again.headers().get("idempotent-replayed").is_none(),
        "nothing of the erased registration is replayed"
    );
    let again = expect_status(again, StatusCode::CREATED).await;
    assert_ne!(again["id"], first["id"]);
}
