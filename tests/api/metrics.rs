//! `GET /metrics`: off (404) without a configured token, 401 without the right one, and a
//! scrape whose counters and histograms moved with the requests, registrations and matcher
//! runs of its own app, with the outbox, the pool and the scheduler read at scrape time.

use std::collections::HashMap;

use entity::outbox_message;
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::helpers::networking::{create_session, register_attendees};
use crate::helpers::{
    TestApp, expect_problem, expect_status, fresh_database, id, spawn_app, spawn_app_configured,
};

const TOKEN: &str = "metrics-0123456789abcdef";

async fn app_with_metrics() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database(&dir).await;
    spawn_app_configured(dir, database_url, |settings| {
        settings.metrics.token = Some(TOKEN.into());
        settings.email.poll_interval_ms = 50;
    })
    .await
}

/// Every sample of a scrape, by its name and labels as written
/// (`homecoming_registrations_total{outcome="confirmed"}`).
async fn scrape(app: &TestApp) -> HashMap<String, f64> {
    let response = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = response.text().await.unwrap();
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| {
            let (sample, value) = line.rsplit_once(' ').expect("a sample and its value");
            (sample.to_string(), value.parse().expect("a number"))
        })
        .collect()
}

fn sample(samples: &HashMap<String, f64>, key: &str) -> f64 {
    *samples
        .get(key)
        .unwrap_or_else(|| panic!("no sample {key} in {samples:#?}"))
}

#[tokio::test]
async fn metrics_are_off_without_a_configured_token() {
    let app = spawn_app().await;
    for token in [None, Some(TOKEN), Some(app.token.as_str())] {
        let mut request = app.client.get(app.url("/metrics"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        expect_problem(request.send().await.unwrap(), StatusCode::NOT_FOUND).await;
    }
}

#[tokio::test]
async fn a_missing_or_wrong_token_is_refused() {
    let app = app_with_metrics().await;
    let organizer = app.token.clone();
    for token in [
        None,
        Some("metrics-0123456789abcdeF"),
        Some(organizer.as_str()),
    ] {
        let mut request = app.client.get(app.url("/metrics"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        expect_problem(response, StatusCode::UNAUTHORIZED).await;
    }
}

#[tokio::test]
async fn requests_are_counted_and_timed_by_route_pattern_and_status() {
    let app = app_with_metrics().await;
    let event = app.open_event(10, json!({})).await;
    for _ in 0..2 {
        expect_status(
            app.get(&format!("/api/v1/events/{}", id(&event))).await,
            StatusCode::OK,
        )
        .await;
    }
    let missing = format!("/api/v1/events/{}", uuid::Uuid::now_v7());
    expect_problem(app.get(&missing).await, StatusCode::NOT_FOUND).await;
    for path in ["/no/such/page", "/nor/this/one"] {
        expect_problem(app.get(path).await, StatusCode::NOT_FOUND).await;
    }

    let samples = scrape(&app).await;
    let found = r#"{method="GET",route="/api/v1/events/{id}",status="200"}"#;
    assert_eq!(
        sample(&samples, &format!("homecoming_http_requests_total{found}")),
        2.0
    );
    let not_found = r#"{method="GET",route="/api/v1/events/{id}",status="404"}"#;
    assert_eq!(
        sample(
            &samples,
            &format!("homecoming_http_requests_total{not_found}")
        ),
        1.0
    );
    let timed = r#"homecoming_http_request_duration_seconds_count{method="GET",route="/api/v1/events/{id}",status="200"}"#;
    assert_eq!(sample(&samples, timed), 2.0);
    let every = r#"homecoming_http_request_duration_seconds_bucket{method="GET",route="/api/v1/events/{id}",status="200",le="+Inf"}"#;
    assert_eq!(sample(&samples, every), 2.0);
    // Unknown paths share one label: a client cannot add series by inventing paths.
    let unmatched = r#"{method="GET",route="unmatched",status="404"}"#;
    assert_eq!(
        sample(
            &samples,
            &format!("homecoming_http_requests_total{unmatched}")
        ),
        2.0
    );
    assert!(
        samples
            .keys()
            .all(|key| !key.contains("/no/such/page") && !key.contains(&id(&event))),
        "no raw path is a label"
    );
}

#[tokio::test]
async fn registrations_are_counted_by_outcome() {
    let app = app_with_metrics().await;
    let event = app.open_event(1, json!({})).await;
    let person = |n: u32| json!({"name": format!("사람 {n}"), "email": format!("m{n}@example.com"), "role": "student"});
    for (body, status) in [
        (person(1), StatusCode::CREATED),
        (person(2), StatusCode::CREATED),
        (person(1), StatusCode::CONFLICT),
        (
            json!({"name": "X", "email": "not an address", "role": "student"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        expect_status(app.register(&id(&event), &body).await, status).await;
    }
    let registrations =
        |outcome: &str| format!(r#"homecoming_registrations_total{{outcome="{outcome}"}}"#);
    let samples = scrape(&app).await;
    for (outcome, count) in [
        ("confirmed", 1.0),
        ("waitlisted", 1.0),
        ("already_registered", 1.0),
        ("invalid", 1.0),
    ] {
        assert_eq!(
            sample(&samples, &registrations(outcome)),
            count,
            "{outcome}"
        );
    }
    assert!(!samples.contains_key(&registrations("pending")));
}

#[tokio::test]
async fn the_outbox_pool_scheduler_and_matcher_are_exported() {
    let app = app_with_metrics().await;
    let event = app.open_event(10, json!({})).await;
    register_attendees(&app, &event, 6, true).await;
    create_session(
        &app,
        &event,
        json!({"rounds": 2, "table_size": 3, "seed": 1}),
    )
    .await;
    // The default file transport delivers the six confirmations.
    crate::helpers::mail::wait_outbox(&app, |rows| {
        crate::helpers::mail::all_have_status(rows, 6, "sent")
    })
    .await;

    let samples = scrape(&app).await;
    let outbox = |status: &str| format!(r#"homecoming_outbox_messages{{status="{status}"}}"#);
    assert_eq!(sample(&samples, &outbox("sent")), 6.0);
    for status in ["queued", "sending", "retrying", "failed"] {
        assert_eq!(sample(&samples, &outbox(status)), 0.0, "{status}");
    }
    assert_eq!(
        sample(&samples, "homecoming_outbox_oldest_waiting_age_seconds"),
        0.0,
        "nothing waits"
    );
    let runs: f64 = samples
        .iter()
        .filter(|(key, _)| key.starts_with("homecoming_matcher_runs_total{stopped_by="))
        .map(|(_, value)| value)
        .sum();
    assert_eq!(runs, 1.0);
    assert_eq!(
        sample(&samples, "homecoming_matcher_duration_seconds_count"),
        1.0
    );
    assert_eq!(sample(&samples, "homecoming_db_pool_max_connections"), 8.0);
    let idle = sample(&samples, r#"homecoming_db_pool_connections{state="idle"}"#);
    let in_use = sample(
        &samples,
        r#"homecoming_db_pool_connections{state="in_use"}"#,
    );
    assert!((1.0..=8.0).contains(&(idle + in_use)), "{idle} + {in_use}");
    assert_eq!(
        sample(&samples, "homecoming_scheduler_interval_seconds"),
        30.0
    );
    assert!(sample(&samples, "homecoming_scheduler_last_pass_age_seconds") >= 0.0);
}

#[tokio::test]
async fn messages_waiting_show_in_the_outbox_depth_and_age() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database(&dir).await;
    let app = spawn_app_configured(dir, database_url, |settings| {
        settings.metrics.token = Some(TOKEN.into());
        settings.email.worker_enabled = false;
    })
    .await;
    let event = app.open_event(10, json!({})).await;
    register_attendees(&app, &event, 2, true).await;
    // One of the two has waited an hour.
    let an_hour_ago = chrono::Utc::now() - chrono::TimeDelta::hours(1);
    let oldest = outbox_message::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::CreatedAt, Expr::value(an_hour_ago))
        .filter(outbox_message::Column::Id.eq(oldest.id))
        .exec(&app.db)
        .await
        .unwrap();
    let samples = scrape(&app).await;
    assert_eq!(
        sample(&samples, r#"homecoming_outbox_messages{status="queued"}"#),
        2.0
    );
    let age = sample(&samples, "homecoming_outbox_oldest_waiting_age_seconds");
    assert!((3600.0..3600.0 + 600.0).contains(&age), "{age}");
    assert!(
        !samples.contains_key("homecoming_scheduler_last_pass_age_seconds"),
        "no scheduler runs where the worker is off"
    );
}

#[tokio::test]
async fn each_app_counts_only_its_own_requests() {
    let one = app_with_metrics().await;
    let two = app_with_metrics().await;
    for _ in 0..3 {
        expect_status(one.get("/api/v1/events").await, StatusCode::OK).await;
    }
    let listed =
        r#"homecoming_http_requests_total{method="GET",route="/api/v1/events",status="200"}"#;
    assert_eq!(sample(&scrape(&one).await, listed), 3.0);
    assert!(!scrape(&two).await.contains_key(listed));
}

#[tokio::test]
async fn metrics_are_documented_beside_the_health_checks_not_in_the_api() {
    let app = spawn_app().await;
    let doc = expect_status(
        app.client
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let operation = &doc["paths"]["/metrics"]["get"];
    assert_eq!(operation["tags"], json!(["operations"]));
    for status in ["200", "401", "404"] {
        assert!(operation["responses"][status].is_object(), "{status}");
    }
    assert!(doc["paths"]["/api/v1/metrics"].is_null());
}
