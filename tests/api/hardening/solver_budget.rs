//! The search time a request may ask for is capped by `matching.max_time_limit_ms`: before,
//! `time_limit_ms: u64::MAX` kept a core busy for minutes after the client left.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::networking::register_attendees;
use crate::helpers::{error_fields, expect_problem, expect_status, id, spawn_app};

#[tokio::test]
async fn a_search_budget_above_the_cap_is_refused() {
    let app = spawn_app().await;
    let event = app.open_event(20, json!({})).await;
    register_attendees(&app, &event, 6, true).await;
    let path = format!("/api/v1/events/{}/networking-sessions", id(&event));
    for too_long in [json!(18_446_744_073_709_551_615u64), json!(10_001)] {
        let response = app
            .post(
                &path,
                &json!({"rounds": 2, "table_size": 3, "time_limit_ms": too_long}),
            )
            .await;
        let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), ["time_limit_ms"], "{problem}");
        assert!(
            problem.to_string().contains("10000"),
            "says the cap: {problem}"
        );
    }
    let sessions = expect_status(app.get(&path).await, StatusCode::OK).await;
    assert_eq!(sessions.as_array().unwrap().len(), 0, "nothing was stored");
    let response = app
        .post(
            &path,
            &json!({"rounds": 2, "table_size": 3, "time_limit_ms": 200}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}
