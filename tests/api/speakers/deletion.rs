//! Deleting a speaker: gone unless they give a talk, and a patch racing the deletion is never
//! a 500.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::speakers::names;
use crate::helpers::{expect_problem, expect_status, id, spawn_app};

#[tokio::test]
async fn deleting_a_speaker_removes_them() {
    let app = spawn_app().await;
    let speaker = app.create_speaker("김서연").await;
    let other = app.create_speaker("박지훈").await;
    let path = format!("/api/v1/speakers/{}", id(&speaker));
    let response = app.delete(&path).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.text().await.unwrap().is_empty());
    expect_problem(app.get(&path).await, StatusCode::NOT_FOUND).await;
    expect_problem(app.delete(&path).await, StatusCode::NOT_FOUND).await;
    assert_eq!(names(&app, "/api/v1/speakers").await, ["박지훈"]);
    let other_path = format!("/api/v1/speakers/{}", id(&other));
    expect_status(app.get(&other_path).await, StatusCode::OK).await;
}

#[tokio::test]
async fn a_speaker_on_a_talk_cannot_be_deleted() {
    let app = spawn_app().await;
    let speaker = app.create_speaker("김서연").await;
    let co_speaker = app.create_speaker("박지훈").await;
    let venue = app.create_venue().await;
    let event = app.create_event(Some(&id(&venue))).await;
    let response = app
        .create_talk(
            &id(&event),
            &json!({
                "title": "주니어에서 시니어까지", "kind": "panel",
                "speaker_ids": [id(&co_speaker), id(&speaker)],
                "starts_at": "2026-05-16T14:00:00+09:00", "ends_at": "2026-05-16T15:00:00+09:00"
            }),
        )
        .await;
    let talk = expect_status(response, StatusCode::CREATED).await;
    let path = format!("/api/v1/speakers/{}", id(&speaker));

    let problem = expect_problem(app.delete(&path).await, StatusCode::CONFLICT).await;
    assert_eq!(problem["conflict"]["kind"], "in_use", "{problem}");
    assert_eq!(
        problem["conflict"]["with"],
        json!({"resource": "talk", "id": id(&talk), "label": "주니어에서 시니어까지"}),
        "{problem}"
    );
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("주니어에서 시니어까지"),
        "{problem}"
    );
    assert_eq!(
        expect_status(app.get(&path).await, StatusCode::OK).await,
        speaker,
        "the speaker is still there"
    );

    // Taken off the talk, they can go.
    let talk_path = format!("/api/v1/events/{}/talks/{}", id(&event), id(&talk));
    let response = app
        .patch(&talk_path, &json!({"speaker_ids": [id(&co_speaker)]}))
        .await;
    expect_status(response, StatusCode::OK).await;
    expect_status(app.delete(&path).await, StatusCode::NO_CONTENT).await;
    let co_path = format!("/api/v1/speakers/{}", id(&co_speaker));
    expect_problem(app.delete(&co_path).await, StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn patching_a_speaker_while_it_is_deleted_is_never_a_500() {
    let app = spawn_app().await;
    for round in 0..15 {
        let speaker = app.create_speaker(&format!("연사 {round}")).await;
        let path = format!("/api/v1/speakers/{}", id(&speaker));
        let body = json!({"affiliation": "Kakao"});
        let (patched, deleted) = tokio::join!(app.patch(&path, &body), app.delete(&path));
        assert!(
            [StatusCode::OK, StatusCode::NOT_FOUND].contains(&patched.status()),
            "PATCH answered {}: {}",
            patched.status(),
            patched.text().await.unwrap()
        );
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        expect_problem(app.get(&path).await, StatusCode::NOT_FOUND).await;
    }
}
