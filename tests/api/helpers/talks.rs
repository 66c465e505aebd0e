//! The schedule as the talk tests build it: a venue with two rooms, a draft event there and two
//! speakers, talk bodies by Seoul wall-clock time, and the 409 a conflict is answered with.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{TestApp, expect_problem, expect_status, id, spawn_app};

/// A venue (rooms "Hall" and "Seminar"), a draft event there on 2026-05-16 from 13:00 to
/// 18:00 Seoul time, and two speakers.
pub struct Setup {
    pub app: TestApp,
    pub venue: Value,
    pub event_id: String,
    pub kim: String,
    pub lee: String,
}

impl Setup {
    pub async fn new() -> Self {
        let app = spawn_app().await;
        let venue = app.create_venue().await;
        let event_id = id(&app.create_event(Some(&id(&venue))).await);
        let kim = id(&app.create_speaker("김서연").await);
        let lee = id(&app.create_speaker("이하은").await);
        Setup {
            app,
            venue,
            event_id,
            kim,
            lee,
        }
    }

    pub fn hall(&self) -> String {
        self.venue["rooms"][0]["id"].as_str().unwrap().to_string()
    }

    pub fn seminar(&self) -> String {
        self.venue["rooms"][1]["id"].as_str().unwrap().to_string()
    }

    pub fn talks_path(&self) -> String {
        format!("/api/v1/events/{}/talks", self.event_id)
    }

    pub fn talk_path(&self, talk_id: &str) -> String {
        format!("/api/v1/events/{}/talks/{talk_id}", self.event_id)
    }

    pub async fn post(&self, body: &Value) -> reqwest::Response {
        self.app.create_talk(&self.event_id, body).await
    }

    pub async fn create(&self, body: &Value) -> Value {
        expect_status(self.post(body).await, StatusCode::CREATED).await
    }

    pub async fn list(&self) -> Vec<Value> {
        let page = expect_status(
            self.app
                .get(&format!("{}?limit=100", self.talks_path()))
                .await,
            StatusCode::OK,
        )
        .await;
        page["items"].as_array().unwrap().clone()
    }
}

/// A talk body on 2026-05-16 from `from` to `to` (Seoul wall-clock "HH:MM").
pub fn talk(title: &str, from: &str, to: &str, room: Option<&str>, speakers: &[&str]) -> Value {
    json!({
        "title": title,
        "starts_at": format!("2026-05-16T{from}:00+09:00"),
        "ends_at": format!("2026-05-16T{to}:00+09:00"),
        "room_id": room,
        "speaker_ids": speakers,
    })
}

/// Asserts a 409 of this kind whose `conflict.with` names `talk`.
pub async fn expect_conflict(response: reqwest::Response, kind: &str, talk: &Value) -> Value {
    let problem = expect_problem(response, StatusCode::CONFLICT).await;
    assert_eq!(problem["type"], "/problems/conflict");
    assert_eq!(problem["conflict"]["kind"], kind, "{problem}");
    let with = &problem["conflict"]["with"];
    assert_eq!(with["resource"], "talk", "{problem}");
    assert_eq!(with["id"], talk["id"], "{problem}");
    assert_eq!(with["label"], talk["title"], "{problem}");
    problem
}
