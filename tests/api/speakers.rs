//! Speakers: create, read, merge-patch, list with name and tag filters and pagination,
//! delete, every validation rule and the conflict with the talks they give.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_fields, expect_problem, expect_status, id, spawn_app};

const UNKNOWN_ID: &str = "0193a0b0-0000-7000-8000-000000000000";

fn speaker_body() -> Value {
    json!({
        "name": "김서연", "email": "seoyeon.kim@example.com", "admission_year": 2014,
        "cohort": "14학번", "affiliation": "Toss", "job_title": "Backend Engineer",
        "bio": "결제 시스템을 만들고 있습니다.",
        "links": [{"label": "GitHub", "url": "https://github.com/seoyeon"}],
        "tags": ["backend", "fintech"]
    })
}

/// Creates a speaker with this name and these tags.
async fn speaker_with(app: &TestApp, name: &str, tags: Value) -> Value {
    let mut body = speaker_body();
    body["name"] = json!(name);
    body["tags"] = tags;
    let response = app.post("/api/v1/speakers", &body).await;
    expect_status(response, StatusCode::CREATED).await
}

/// The names on one page of `GET path`.
async fn names(app: &TestApp, path: &str) -> Vec<String> {
    let page = expect_status(app.get(path).await, StatusCode::OK).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|speaker| speaker["name"].as_str().unwrap().to_string())
        .collect()
}

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

/// Posts an invalid speaker and checks the problem names exactly `fields` and nothing was created.
async fn rejects(app: &TestApp, patch: Value, fields: &[&str]) {
    let mut body = speaker_body();
    homecoming::extract::merge_patch(&mut body, &patch);
    let response = app.post("/api/v1/speakers", &body).await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), fields, "{patch}: {problem}");
    let list = expect_status(app.get("/api/v1/speakers").await, StatusCode::OK).await;
    assert_eq!(list["items"], json!([]), "nothing created by {patch}");
}

#[tokio::test]
async fn each_speaker_rule_is_checked_and_named() {
    let app = spawn_app().await;
    rejects(&app, json!({"name": " "}), &["name"]).await;
    rejects(&app, json!({"name": "가".repeat(101)}), &["name"]).await;
    rejects(&app, json!({"name": null}), &["name"]).await;
    for email in [
        "",
        "no-at-sign",
        "a@b",
        "a@@b.com",
        "two words@example.com",
        "<a@example.com>",
        "a@example.com\r\nBcc: x@example.com",
    ] {
        rejects(&app, json!({"email": email}), &["email"]).await;
    }
    rejects(&app, json!({"email": null}), &["email"]).await;
    for year in [1949, 2101, -1] {
        rejects(&app, json!({"admission_year": year}), &["admission_year"]).await;
    }
    rejects(
        &app,
        json!({"admission_year": "14학번"}),
        &["admission_year"],
    )
    .await;
    rejects(&app, json!({"cohort": "가".repeat(51)}), &["cohort"]).await;
    rejects(
        &app,
        json!({"affiliation": "가".repeat(201)}),
        &["affiliation"],
    )
    .await;
    rejects(&app, json!({"job_title": "가".repeat(201)}), &["job_title"]).await;
    rejects(&app, json!({"bio": "가".repeat(5001)}), &["bio"]).await;
    for url in [
        "javascript:alert(1)",
        "not a url",
        "ftp://example.com",
        "/relative",
    ] {
        rejects(
            &app,
            json!({"links": [{"label": "Blog", "url": url}]}),
            &["links[0].url"],
        )
        .await;
    }
    rejects(
        &app,
        json!({"links": [{"label": "GitHub", "url": "https://github.com/x"}, {"label": "", "url": "https://x.dev"}]}),
        &["links[1].label"],
    )
    .await;
    rejects(
        &app,
        json!({"links": [{"label": "Blog", "url": "https://x.dev", "rel": "me"}]}),
        &["links[0].rel"],
    )
    .await;
    let eleven: Vec<Value> = (0..11)
        .map(|n| json!({"label": format!("link {n}"), "url": "https://example.com"}))
        .collect();
    rejects(&app, json!({"links": eleven}), &["links"]).await;
    for tags in [
        json!(["50%"]),
        json!([""]),
        json!(["  "]),
        json!(["a,b"]),
        json!(["say \"hi\""]),
        json!(["back\\slash"]),
        json!(["가".repeat(41)]),
    ] {
        rejects(&app, json!({"tags": tags}), &["tags"]).await;
    }
    let thirty_one: Vec<String> = (0..31).map(|n| format!("tag{n}")).collect();
    rejects(&app, json!({"tags": thirty_one}), &["tags"]).await;
    rejects(&app, json!({"tags": "backend"}), &["tags"]).await;
    rejects(&app, json!({"phone": "010-0000-0000"}), &["phone"]).await;
}

#[tokio::test]
async fn every_invalid_speaker_field_is_reported_at_once() {
    let app = spawn_app().await;
    rejects(
        &app,
        json!({
            "name": "", "email": "nope", "admission_year": 1800,
            "links": [{"label": "blog", "url": "javascript:x"}], "tags": ["a%"]
        }),
        &["name", "email", "admission_year", "tags", "links[0].url"],
    )
    .await;
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

#[tokio::test]
async fn speakers_are_filtered_by_part_of_their_name() {
    let app = spawn_app().await;
    speaker_with(&app, "김서연", json!([])).await;
    speaker_with(&app, "박지훈", json!([])).await;
    speaker_with(&app, "김민수", json!([])).await;
    speaker_with(&app, "Alice Kim", json!([])).await;
    speaker_with(&app, "100% 개발자_A", json!([])).await;
    speaker_with(&app, "Élodie Dupont", json!([])).await;

    assert_eq!(
        names(&app, "/api/v1/speakers?name=김").await,
        ["김서연", "김민수"]
    );
    assert_eq!(names(&app, "/api/v1/speakers?name=서연").await, ["김서연"]);
    assert_eq!(
        names(&app, "/api/v1/speakers?name=박지훈").await,
        ["박지훈"]
    );
    assert_eq!(
        names(&app, "/api/v1/speakers?name=%EC%A7%80%ED%9B%88").await,
        ["박지훈"],
        "percent-encoded 지훈"
    );
    assert_eq!(
        names(&app, "/api/v1/speakers?name=KIM").await,
        ["Alice Kim"],
        "case-insensitive"
    );
    assert_eq!(
        names(&app, "/api/v1/speakers?name=alice").await,
        ["Alice Kim"]
    );
    assert_eq!(
        names(&app, "/api/v1/speakers?name=%20kim%20").await,
        ["Alice Kim"],
        "the filter is trimmed"
    );
    assert!(names(&app, "/api/v1/speakers?name=이영희").await.is_empty());
    // Non-ASCII letters with case: the exact spelling always matches (SQLite's lower() only
    // folds ASCII, so `élodie` finding `Élodie` is only promised on PostgreSQL).
    assert_eq!(
        names(&app, "/api/v1/speakers?name=Élodie").await,
        ["Élodie Dupont"]
    );
    assert_eq!(
        names(&app, "/api/v1/speakers?name=DUPONT").await,
        ["Élodie Dupont"]
    );
    // LIKE wildcards in the filter are plain characters.
    assert_eq!(
        names(&app, "/api/v1/speakers?name=%25").await,
        ["100% 개발자_A"]
    );
    assert_eq!(
        names(&app, "/api/v1/speakers?name=_").await,
        ["100% 개발자_A"]
    );
    assert_eq!(
        names(&app, "/api/v1/speakers?name=").await.len(),
        6,
        "an empty filter is no filter"
    );
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

    // The next link keeps the filter: the frontend speaker never shows up.
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

    let problem = expect_problem(
        app.get("/api/v1/speakers?limit=0").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["limit"]);
}

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
