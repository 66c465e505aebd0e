//! Merge patches of a speaker, validated like a new one.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::speakers::speaker_body;
use crate::helpers::{error_fields, expect_problem, expect_status, id, spawn_app};

#[tokio::test]
async fn patch_merges_into_the_speaker() {
    let app = spawn_app().await;
    let response = app.post("/api/v1/speakers", &speaker_body()).await;
    let speaker = expect_status(response, StatusCode::CREATED).await;
    let path = format!("/api/v1/speakers/{}", id(&speaker));
    let response = app
        .patch(
            &path,
            &json!({
                "affiliation": "Kakao", "job_title": "Engineering Manager",
                "bio": null, "cohort": null, "tags": ["Leadership"]
            }),
        )
        .await;
    let patched = expect_status(response, StatusCode::OK).await;
    assert_eq!(patched["affiliation"], "Kakao");
    assert_eq!(patched["job_title"], "Engineering Manager");
    assert!(patched["bio"].is_null(), "null removes the bio");
    assert!(patched["cohort"].is_null());
    assert_eq!(
        patched["tags"],
        json!(["leadership"]),
        "a list replaces the list"
    );
    for kept in [
        "id",
        "name",
        "email",
        "admission_year",
        "links",
        "created_at",
    ] {
        assert_eq!(patched[kept], speaker[kept], "{kept} is kept");
    }
    assert!(
        patched["updated_at"].as_str().unwrap() >= speaker["updated_at"].as_str().unwrap(),
        "{patched}"
    );
    assert_eq!(
        expect_status(app.get(&path).await, StatusCode::OK).await,
        patched,
        "the change is stored"
    );

    let response = app.patch(&path, &json!({})).await;
    let unchanged = expect_status(response, StatusCode::OK).await;
    for field in ["name", "email", "affiliation", "tags", "links"] {
        assert_eq!(
            unchanged[field], patched[field],
            "an empty patch changes nothing"
        );
    }
}

#[tokio::test]
async fn an_invalid_patch_is_rejected_and_changes_nothing() {
    let app = spawn_app().await;
    let response = app.post("/api/v1/speakers", &speaker_body()).await;
    let speaker = expect_status(response, StatusCode::CREATED).await;
    let path = format!("/api/v1/speakers/{}", id(&speaker));
    for (patch, fields) in [
        (
            json!({"affiliation": "Kakao", "email": "not-an-email"}),
            vec!["email"],
        ),
        (json!({"admission_year": 2200}), vec!["admission_year"]),
        (
            json!({"links": [{"label": "Blog", "url": "mailto:x@example.com"}]}),
            vec!["links[0].url"],
        ),
        (json!({"tags": ["100%"]}), vec!["tags"]),
        (json!({"name": null}), vec!["name"]),
        (json!({"nickname": "서연"}), vec!["nickname"]),
        (json!("a string"), vec!["body"]),
        (
            json!({"name": " ", "email": "x", "admission_year": 3000}),
            vec!["name", "email", "admission_year"],
        ),
    ] {
        let problem = expect_problem(
            app.patch(&path, &patch).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error_fields(&problem), fields, "{patch}: {problem}");
    }
    assert_eq!(
        expect_status(app.get(&path).await, StatusCode::OK).await,
        speaker,
        "the record is unchanged"
    );
}
