//! What most tests start from: a venue, a speaker, an event (draft or open for registration),
//! a registration and a talk, created through the API as an organizer would.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{TestApp, expect_status, id};

impl TestApp {
    /// Creates a venue with two rooms, "Hall" and "Seminar".
    pub async fn create_venue(&self) -> Value {
        let response = self
            .post(
                "/api/v1/venues",
                &json!({
                    "name": "서울대학교 302동", "address": "서울특별시 관악구 관악로 1",
                    "map_url": "https://naver.me/example", "capacity": 150, "notes": "private parking note",
                    "rooms": [{"name": "Hall", "capacity": 120}, {"name": "Seminar", "capacity": 30}]
                }),
            )
            .await;
        expect_status(response, StatusCode::CREATED).await
    }

    pub async fn create_speaker(&self, name: &str) -> Value {
        let response = self
            .post(
                "/api/v1/speakers",
                &json!({
                    "name": name, "email": format!("{}@example.com", Uuid::new_v4().simple()),
                    "admission_year": 2012, "affiliation": "Toss", "job_title": "Engineer",
                    "bio": "결제 시스템을 만듭니다.", "tags": ["backend"]
                }),
            )
            .await;
        expect_status(response, StatusCode::CREATED).await
    }

    /// Creates a draft event on 2026-05-16, 13:00 to 18:00 in Seoul, at `venue_id`.
    pub async fn create_event(&self, venue_id: Option<&str>) -> Value {
        let response = self
            .post(
                "/api/v1/events",
                &json!({
                    "title": "1&N 홈커밍 2026",
                    "starts_at": "2026-05-16T13:00:00+09:00", "ends_at": "2026-05-16T18:00:00+09:00",
                    "venue_id": venue_id, "capacity": 100, "tags": ["career"]
                }),
            )
            .await;
        expect_status(response, StatusCode::CREATED).await
    }

    /// A published event in the future, open for registration, with `capacity` seats.
    pub async fn open_event(&self, capacity: u32, extra: Value) -> Value {
        let venue = self.create_venue().await;
        let mut body = json!({
            "title": format!("1&N 홈커밍 {}", Uuid::new_v4().simple()),
            "starts_at": "2030-05-18T13:00:00+09:00", "ends_at": "2030-05-18T19:00:00+09:00",
            "venue_id": venue["id"], "capacity": capacity, "tags": ["career", "ai", "backend"]
        });
        for (key, value) in extra.as_object().cloned().unwrap_or_default() {
            body[key] = value;
        }
        let event = expect_status(
            self.post("/api/v1/events", &body).await,
            StatusCode::CREATED,
        )
        .await;
        let path = format!("/api/v1/events/{}", event["id"].as_str().unwrap());
        expect_status(
            self.patch(&path, &json!({"status": "published"})).await,
            StatusCode::OK,
        )
        .await
    }

    /// Registers without a token, as the public does.
    pub async fn register(&self, event_id: &str, body: &Value) -> Response {
        self.client
            .post(self.url(&format!("/api/v1/events/{event_id}/registrations")))
            .json(body)
            .send()
            .await
            .expect("request is sent")
    }

    pub async fn create_talk(&self, event_id: &str, body: &Value) -> Response {
        self.post(&format!("/api/v1/events/{event_id}/talks"), body)
            .await
    }
}

/// Now, to the whole second (event times are stored in whole seconds).
pub fn now() -> DateTime<Utc> {
    Utc::now().duration_trunc(TimeDelta::seconds(1)).unwrap()
}

/// A published event starting `starts_in` from now, lasting five hours.
pub async fn event_starting_in(app: &TestApp, starts_in: TimeDelta, capacity: u32) -> Value {
    let starts_at = now() + starts_in;
    app.open_event(
        capacity,
        json!({
            "starts_at": starts_at.to_rfc3339(),
            "ends_at": (starts_at + TimeDelta::hours(5)).to_rfc3339(),
        }),
    )
    .await
}

/// Registers an alumnus in `language` and returns the registration.
pub async fn register(
    app: &TestApp,
    event: &Value,
    name: &str,
    email: &str,
    language: &str,
) -> Value {
    expect_status(
        app.register(
            &id(event),
            &json!({"name": name, "email": email, "role": "alumni", "language": language}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await
}

/// When the event starts.
pub fn starts_at(event: &Value) -> DateTime<Utc> {
    event["starts_at"]
        .as_str()
        .unwrap()
        .parse::<DateTime<Utc>>()
        .unwrap()
}

/// An id no resource has.
pub const UNKNOWN_ID: &str = "0193a0b0-0000-7000-8000-000000000000";
