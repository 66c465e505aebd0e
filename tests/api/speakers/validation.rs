//! Every rule a speaker is checked against: each broken rule named, all at once, and nothing
//! created.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::speakers::speaker_body;
use crate::helpers::{TestApp, error_fields, expect_problem, expect_status, spawn_app};

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

/// A name is required and at most 100 characters; an email is required and one plain address.
async fn the_name_and_email_are_checked(app: &TestApp) {
    rejects(app, json!({"name": " "}), &["name"]).await;
    rejects(app, json!({"name": "가".repeat(101)}), &["name"]).await;
    rejects(app, json!({"name": null}), &["name"]).await;
    for email in [
        "",
        "no-at-sign",
        "a@b",
        "a@@b.com",
        "two words@example.com",
        "<a@example.com>",
        "a@example.com\r\nBcc: x@example.com",
    ] {
        rejects(app, json!({"email": email}), &["email"]).await;
    }
    rejects(app, json!({"email": null}), &["email"]).await;
}

/// A year of admission between 1950 and 2100, as a number; the texts within their lengths.
async fn the_year_and_texts_are_checked(app: &TestApp) {
    for year in [1949, 2101, -1] {
        rejects(app, json!({"admission_year": year}), &["admission_year"]).await;
    }
    rejects(
        app,
        json!({"admission_year": "14학번"}),
        &["admission_year"],
    )
    .await;
    rejects(app, json!({"cohort": "가".repeat(51)}), &["cohort"]).await;
    rejects(
        app,
        json!({"affiliation": "가".repeat(201)}),
        &["affiliation"],
    )
    .await;
    rejects(app, json!({"job_title": "가".repeat(201)}), &["job_title"]).await;
    rejects(app, json!({"bio": "가".repeat(5001)}), &["bio"]).await;
}

/// Links: web addresses only, each labelled, nothing else in them, at most ten.
async fn the_links_are_checked(app: &TestApp) {
    for url in [
        "javascript:alert(1)",
        "not a url",
        "ftp://example.com",
        "/relative",
    ] {
        rejects(
            app,
            json!({"links": [{"label": "Blog", "url": url}]}),
            &["links[0].url"],
        )
        .await;
    }
    rejects(
        app,
        json!({"links": [{"label": "GitHub", "url": "https://github.com/x"}, {"label": "", "url": "https://x.dev"}]}),
        &["links[1].label"],
    )
    .await;
    rejects(
        app,
        json!({"links": [{"label": "Blog", "url": "https://x.dev", "rel": "me"}]}),
        &["links[0].rel"],
    )
    .await;
    let eleven: Vec<Value> = (0..11)
        .map(|n| json!({"label": format!("link {n}"), "url": "https://example.com"}))
        .collect();
    rejects(app, json!({"links": eleven}), &["links"]).await;
}

/// Tags: plain words of at most 40 characters, at most 30, as a list.
async fn the_tags_are_checked(app: &TestApp) {
    for tags in [
        json!(["50%"]),
        json!([""]),
        json!(["  "]),
        json!(["a,b"]),
        json!(["say \"hi\""]),
        json!(["back\\slash"]),
        json!(["가".repeat(41)]),
    ] {
        rejects(app, json!({"tags": tags}), &["tags"]).await;
    }
    let thirty_one: Vec<String> = (0..31).map(|n| format!("tag{n}")).collect();
    rejects(app, json!({"tags": thirty_one}), &["tags"]).await;
    rejects(app, json!({"tags": "backend"}), &["tags"]).await;
}

#[tokio::test]
async fn each_speaker_rule_is_checked_and_named() {
    let app = spawn_app().await;
    the_name_and_email_are_checked(&app).await;
    the_year_and_texts_are_checked(&app).await;
    the_links_are_checked(&app).await;
    the_tags_are_checked(&app).await;
    // An unknown field is refused.
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
