//! Events as the event tests build and inspect them: a valid body to vary, creation, reading,
//! status changes, and an event with one scheduled talk.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{TestApp, expect_status, id};

/// A minimal valid event body on 2026-05-16, 13:00 to 18:00 in Seoul, with `extra` merged in.
pub fn event_body(extra: Value) -> Value {
    let mut body = json!({
        "title": "1&N 홈커밍 2026",
        "starts_at": "2026-05-16T13:00:00+09:00",
        "ends_at": "2026-05-16T18:00:00+09:00",
    });
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

pub async fn create(app: &TestApp, body: Value) -> Value {
    expect_status(app.post("/api/v1/events", &body).await, StatusCode::CREATED).await
}

pub async fn get_event(app: &TestApp, event_id: &str) -> Value {
    expect_status(
        app.get(&format!("/api/v1/events/{event_id}")).await,
        StatusCode::OK,
    )
    .await
}

pub async fn set_status(app: &TestApp, event_id: &str, status: &str) -> reqwest::Response {
    app.patch(
        &format!("/api/v1/events/{event_id}"),
        &json!({ "status": status }),
    )
    .await
}

/// Moves the event to `status` through allowed transitions, asserting each succeeds.
pub async fn walk_to(app: &TestApp, event_id: &str, path: &[&str]) {
    for status in path {
        let event = expect_status(set_status(app, event_id, status).await, StatusCode::OK).await;
        assert_eq!(event["status"], *status);
    }
}

pub async fn event_count(app: &TestApp) -> usize {
    let list = expect_status(app.get("/api/v1/events?limit=100").await, StatusCode::OK).await;
    list["items"].as_array().unwrap().len()
}

/// A venue, a draft event there (13:00-18:00 Seoul), a speaker and one talk from 16:00 to
/// 17:00 in the venue's first room.
pub async fn event_with_talk(app: &TestApp) -> (Value, Value, Value) {
    let venue = app.create_venue().await;
    let event = app.create_event(Some(&id(&venue))).await;
    let speaker = app.create_speaker("김서연").await;
    let response = app
        .create_talk(
            &id(&event),
            &json!({
                "title": "신입 개발자로 살아남기", "speaker_ids": [id(&speaker)],
                "room_id": venue["rooms"][0]["id"],
                "starts_at": "2026-05-16T16:00:00+09:00", "ends_at": "2026-05-16T17:00:00+09:00",
            }),
        )
        .await;
    let talk = expect_status(response, StatusCode::CREATED).await;
    (venue, event, talk)
}
