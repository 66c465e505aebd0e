//! Listing speakers: filtered by part of their name or an exact tag, in stable pages that keep
//! the filters.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::speakers::{names, speaker_with};
use crate::helpers::{TestApp, error_fields, expect_problem, expect_status, id, spawn_app};

/// Korean names match by any part of them, spelled or percent-encoded.
async fn korean_names_match_by_any_part(app: &TestApp) {
    assert_eq!(
        names(app, "/api/v1/speakers?name=김").await,
        ["김서연", "김민수"]
    );
    assert_eq!(names(app, "/api/v1/speakers?name=서연").await, ["김서연"]);
    assert_eq!(names(app, "/api/v1/speakers?name=박지훈").await, ["박지훈"]);
    assert_eq!(
        names(app, "/api/v1/speakers?name=%EC%A7%80%ED%9B%88").await,
        ["박지훈"],
        "percent-encoded 지훈"
    );
}

/// Latin names match whatever the case, the filter trimmed; nobody matches a name no one has.
async fn latin_names_match_whatever_the_case(app: &TestApp) {
    assert_eq!(
        names(app, "/api/v1/speakers?name=KIM").await,
        ["Alice Kim"],
        "case-insensitive"
    );
    assert_eq!(
        names(app, "/api/v1/speakers?name=alice").await,
        ["Alice Kim"]
    );
    assert_eq!(
        names(app, "/api/v1/speakers?name=%20kim%20").await,
        ["Alice Kim"],
        "the filter is trimmed"
    );
    assert!(names(app, "/api/v1/speakers?name=이영희").await.is_empty());
    // Non-ASCII letters with case: the exact spelling always matches (SQLite's lower() only
    // folds ASCII, so `élodie` finding `Élodie` is only promised on PostgreSQL).
    assert_eq!(
        names(app, "/api/v1/speakers?name=Élodie").await,
        ["Élodie Dupont"]
    );
    assert_eq!(
        names(app, "/api/v1/speakers?name=DUPONT").await,
        ["Élodie Dupont"]
    );
}

/// LIKE wildcards in the filter are plain characters, and an empty filter is no filter.
async fn wildcards_are_plain_characters(app: &TestApp) {
    assert_eq!(
        names(app, "/api/v1/speakers?name=%25").await,
        ["100% 개발자_A"]
    );
    assert_eq!(
        names(app, "/api/v1/speakers?name=_").await,
        ["100% 개발자_A"]
    );
    assert_eq!(
        names(app, "/api/v1/speakers?name=").await.len(),
        6,
        "an empty filter is no filter"
    );
}

#[tokio::test]
async fn speakers_are_filtered_by_part_of_their_name() {
    let app = spawn_app().await;
    speaker_with(&app, "김서연", json!([])).await;
    speaker_with(&app, "박지훈", json!([])).await;
    speaker_with(&app, "김민수", json!([])).await;
    speaker_with(&app, "Alice Kim", json!([])).await;
    speaker_with(&app, "100% 개발자_A", json!([])).await;
    speaker_with(&app, "Élodie Dupont", json!([])).await;
    korean_names_match_by_any_part(&app).await;
    latin_names_match_whatever_the_case(&app).await;
    wildcards_are_plain_characters(&app).await;
}

#[tokio::test]
async fn speakers_are_filtered_by_exact_tag() {
    let app = spawn_app().await;
    speaker_with(&app, "김서연", json!(["backend", "ai"])).await;
    speaker_with(&app, "박지훈", json!(["frontend"])).await;
    speaker_with(&app, "이민지", json!(["ai-ml", "창업"])).await;
    speaker_with(&app, "최현우", json!(["AI"])).await;

    assert_eq!(
        names(&app, "/api/v1/speakers?tag=ai").await,
        ["김서연", "최현우"],
        "exact tag: ai-ml is not ai"
    );
    assert_eq!(
        names(&app, "/api/v1/speakers?tag=AI").await,
        ["김서연", "최현우"],
        "the filter is case-insensitive"
    );
    assert_eq!(
        names(&app, "/api/v1/speakers?tag=%20Ai%20").await,
        ["김서연", "최현우"]
    );
    assert_eq!(names(&app, "/api/v1/speakers?tag=ai-ml").await, ["이민지"]);
    assert_eq!(names(&app, "/api/v1/speakers?tag=창업").await, ["이민지"]);
    assert!(
        names(&app, "/api/v1/speakers?tag=back").await.is_empty(),
        "no partial tags"
    );
    assert!(
        names(&app, "/api/v1/speakers?tag=ai_ml").await.is_empty(),
        "_ is not a wildcard"
    );
    assert!(
        names(&app, "/api/v1/speakers?tag=%25").await.is_empty(),
        "% is not a wildcard"
    );
    assert_eq!(
        names(&app, "/api/v1/speakers?tag=frontend&name=지훈").await,
        ["박지훈"],
        "filters combine"
    );
    assert!(
        names(&app, "/api/v1/speakers?tag=frontend&name=서연")
            .await
            .is_empty()
    );
}

/// Two a page, in order of creation, the last page without a next link.
async fn pages_follow_in_a_stable_order(app: &TestApp, all: &[String]) {
    let first = expect_status(app.get("/api/v1/speakers?limit=2").await, StatusCode::OK).await;
    let ids: Vec<String> = first["items"].as_array().unwrap().iter().map(id).collect();
    assert_eq!(ids, all[..2]);
    assert_eq!(first["next_cursor"], all[1].as_str());
    let second = expect_status(
        app.get(first["next"].as_str().unwrap()).await,
        StatusCode::OK,
    )
    .await;
    let ids: Vec<String> = second["items"].as_array().unwrap().iter().map(id).collect();
    assert_eq!(ids, all[2..4]);
    let third = expect_status(
        app.get(second["next"].as_str().unwrap()).await,
        StatusCode::OK,
    )
    .await;
    let ids: Vec<String> = third["items"].as_array().unwrap().iter().map(id).collect();
    assert_eq!(ids, all[4..]);
    assert!(third.get("next").is_none() && third.get("next_cursor").is_none());
}

/// The next link keeps the filter: the frontend speaker (the second) never shows up.
async fn the_next_link_keeps_the_filter(app: &TestApp, all: &[String]) {
    let mut seen = Vec::new();
    let mut path = "/api/v1/speakers?tag=backend&limit=3".to_string();
    loop {
        let page = expect_status(app.get(&path).await, StatusCode::OK).await;
        seen.extend(page["items"].as_array().unwrap().iter().map(id));
        match page["next"].as_str() {
            Some(next) => {
                assert!(next.contains("tag=backend"), "{next}");
                path = next.to_string();
            }
            None => break,
        }
    }
    let backend: Vec<String> = all
        .iter()
        .enumerate()
        .filter(|(index, _)| *index != 1)
        .map(|(_, id)| id.clone())
        .collect();
    assert_eq!(seen, backend);
}

#[tokio::test]
async fn speakers_paginate_in_a_stable_order_keeping_the_filters() {
    let app = spawn_app().await;
    let mut all = Vec::new();
    for name in ["김서연", "박지훈", "이민지", "최현우", "정다은"] {
        let tags = if name == "박지훈" {
            json!(["frontend"])
        } else {
            json!(["backend"])
        };
        all.push(id(&speaker_with(&app, name, tags).await));
    }
    pages_follow_in_a_stable_order(&app, &all).await;
    the_next_link_keeps_the_filter(&app, &all).await;
    let problem = expect_problem(
        app.get("/api/v1/speakers?limit=0").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["limit"]);
}
