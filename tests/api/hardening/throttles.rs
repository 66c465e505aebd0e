//! Per-address limits: wrong organizer tokens and public registrations answer 429 with
//! Retry-After past their limit, and X-Forwarded-For counts only from a trusted proxy.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::registration::person;
use crate::helpers::{TestApp, expect_problem, fresh_database, id, spawn_app_configured};

async fn app_with_limits(
    registrations: u32,
    token_failures: u32,
    trusted_proxies: Vec<&str>,
) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database(&dir).await;
    spawn_app_configured(dir, database_url, |settings| {
        settings.limits.registrations_per_minute = registrations;
        settings.limits.failed_token_attempts_per_minute = token_failures;
        settings.limits.trusted_proxies = trusted_proxies
            .iter()
            .map(|ip| ip.parse().unwrap())
            .collect();
    })
    .await
}

async fn with_token(app: &TestApp, token: &str) -> reqwest::Response {
    app.client
        .get(app.url("/api/v1/venues"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn wrong_tokens_are_throttled_and_even_a_right_one_waits() {
    let app = app_with_limits(0, 3, vec![]).await;
    for _ in 0..3 {
        let response = with_token(&app, "hc_wrong").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers()["cache-control"], "no-store");
    }
    let response = with_token(&app, "hc_wrong").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!((1..=21).contains(&retry_after(&response)));
    expect_problem(response, StatusCode::TOO_MANY_REQUESTS).await;
    let response = with_token(&app, &app.token).await;
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "while refused, no token is checked: a guess cannot be confirmed"
    );
}

#[tokio::test]
async fn organizer_answers_are_not_cached() {
    let app = app_with_limits(0, 0, vec![]).await;
    let response = with_token(&app, &app.token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let event = app.open_event(5, json!({})).await;
    let export = app
        .get(&format!(
            "/api/v1/events/{}/exports/registrations.csv",
            id(&event)
        ))
        .await;
    assert_eq!(export.status(), StatusCode::OK);
    assert_eq!(export.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn public_registrations_are_limited_per_address() {
    let app = app_with_limits(3, 0, vec![]).await;
    let event = app.open_event(50, json!({})).await;
    for n in 0..3 {
        assert_eq!(
            app.register(&id(&event), &person(n)).await.status(),
            StatusCode::CREATED
        );
    }
    let response = app.register(&id(&event), &person(3)).await;
    assert!((1..=21).contains(&retry_after(&response)));
    expect_problem(response, StatusCode::TOO_MANY_REQUESTS).await;
    let stats = crate::helpers::registration::stats(&app, &id(&event)).await;
    assert_eq!(stats["confirmed"], 3, "the refused one took no seat");
}

#[tokio::test]
async fn forwarded_for_counts_only_behind_a_trusted_proxy() {
    let register_as = |app: &TestApp, event: &serde_json::Value, n: usize, client: &str| {
        app.client
            .post(app.url(&format!("/api/v1/events/{}/registrations", id(event))))
            .header("X-Forwarded-For", client.to_string())
            .json(&person(n))
            .send()
    };
    // The tests' peer, 127.0.0.1, is the trusted proxy: each forwarded client has its own budget.
    let app = app_with_limits(1, 0, vec!["127.0.0.1"]).await;
    let event = app.open_event(50, json!({})).await;
    for (n, client) in ["198.51.100.1", "198.51.100.2"].iter().enumerate() {
        let response = register_as(&app, &event, n, client).await.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let response = register_as(&app, &event, 5, "198.51.100.1").await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);

    // Without a trusted proxy the header is the client's own claim, and ignored.
    let app = app_with_limits(1, 0, vec![]).await;
    let event = app.open_event(50, json!({})).await;
    let response = register_as(&app, &event, 0, "198.51.100.1").await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = register_as(&app, &event, 1, "198.51.100.2").await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
}
