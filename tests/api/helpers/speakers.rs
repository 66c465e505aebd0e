//! Speakers as the speaker tests make and list them.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{TestApp, expect_status};

pub fn speaker_body() -> Value {
    json!({
        "name": "김서연", "email": "seoyeon.kim@example.com", "admission_year": 2014,
        "cohort": "14학번", "affiliation": "Toss", "job_title": "Backend Engineer",
        "bio": "결제 시스템을 만들고 있습니다.",
        "links": [{"label": "GitHub", "url": "https://github.com/seoyeon"}],
        "tags": ["backend", "fintech"]
    })
}

/// Creates a speaker with this name and these tags.
pub async fn speaker_with(app: &TestApp, name: &str, tags: Value) -> Value {
    let mut body = speaker_body();
    body["name"] = json!(name);
    body["tags"] = tags;
    let response = app.post("/api/v1/speakers", &body).await;
    expect_status(response, StatusCode::CREATED).await
}

/// The names on one page of `GET path`.
pub async fn names(app: &TestApp, path: &str) -> Vec<String> {
    let page = expect_status(app.get(path).await, StatusCode::OK).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|speaker| speaker["name"].as_str().unwrap().to_string())
        .collect()
}
