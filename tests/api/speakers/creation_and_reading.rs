//! Creating a speaker, and reading one.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::fixtures::UNKNOWN_ID;
use crate::helpers::speakers::speaker_body;
use crate::helpers::{expect_problem, expect_status, id, spawn_app};

#[tokio::test]
async fn creating_a_speaker_returns_it_with_a_location() {
    let app = spawn_app().await;
    let mut body = speaker_body();
    body["email"] = json!(" Seoyeon.Kim@Example.COM ");
    body["tags"] = json!([" Backend ", "backend", "핀테크"]);
    let response = app.post("/api/v1/speakers", &body).await;
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let speaker = expect_status(response, StatusCode::CREATED).await;
    assert_eq!(location, format!("/api/v1/speakers/{}", id(&speaker)));
    assert_eq!(speaker["name"], "김서연");
    assert_eq!(
        speaker["email"], "Seoyeon.Kim@example.com",
        "trimmed, domain lowercased"
    );
    assert_eq!(speaker["admission_year"], 2014);
    assert_eq!(speaker["cohort"], "14학번");
    assert_eq!(speaker["affiliation"], "Toss");
    assert_eq!(speaker["job_title"], "Backend Engineer");
    assert_eq!(speaker["bio"], "결제 시스템을 만들고 있습니다.");
    assert_eq!(
        speaker["links"],
        json!([{"label": "GitHub", "url": "https://github.com/seoyeon"}])
    );
    assert_eq!(
        speaker["tags"],
        json!(["backend", "핀테크"]),
        "tags are trimmed, lowercased and de-duplicated"
    );
    assert!(speaker["created_at"].is_string() && speaker["updated_at"].is_string());
    let fetched = expect_status(app.get(&location).await, StatusCode::OK).await;
    assert_eq!(fetched, speaker);
}

#[tokio::test]
async fn only_name_and_email_are_required() {
    let app = spawn_app().await;
    let response = app
        .post(
            "/api/v1/speakers",
            &json!({"name": "박지훈", "email": "jihoon@example.com"}),
        )
        .await;
    let speaker = expect_status(response, StatusCode::CREATED).await;
    for field in [
        "admission_year",
        "cohort",
        "affiliation",
        "job_title",
        "bio",
    ] {
        assert!(speaker[field].is_null(), "{field}: {speaker}");
    }
    assert_eq!(speaker["links"], json!([]));
    assert_eq!(speaker["tags"], json!([]));
}

#[tokio::test]
async fn unknown_speakers_are_404_problems() {
    let app = spawn_app().await;
    let path = format!("/api/v1/speakers/{UNKNOWN_ID}");
    let problem = expect_problem(app.get(&path).await, StatusCode::NOT_FOUND).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("speaker"),
        "{problem}"
    );
    expect_problem(
        app.patch(&path, &json!({"bio": "x"})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    expect_problem(app.delete(&path).await, StatusCode::NOT_FOUND).await;
    expect_problem(
        app.get("/api/v1/speakers/not-a-uuid").await,
        StatusCode::BAD_REQUEST,
    )
    .await;
}
