//! NUL and other control characters, which PostgreSQL cannot compare or store in text, are
//! refused before they reach the database, whatever the route (both databases).

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::pages::{fixture, register, registrations, with};
use crate::helpers::{error_fields, expect_problem, id, spawn_app};

#[tokio::test]
async fn control_characters_in_paths_and_queries_answer_400() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let event_id = id(&event);
    for path in [
        "/api/v1/public/events/%00".to_string(),
        "/api/v1/events/%00".to_string(),
        "/plans/%00".to_string(),
        "/events/%00".to_string(),
        "/api/v1/people?q=%00".to_string(),
        "/api/v1/speakers?q=a%00b".to_string(),
        format!("/api/v1/events/{event_id}/registrations?q=%00"),
        format!("/api/v1/events/{event_id}/registrations?q=%1B"),
    ] {
        let response = app.get(&path).await;
        let problem = expect_problem(response, StatusCode::BAD_REQUEST).await;
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("control character"),
            "{path}: {problem}"
        );
    }
}

#[tokio::test]
async fn nul_in_a_json_field_is_a_field_error_and_registers_nobody() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let response = app
        .register(
            &id(&event),
            &json!({"name": "김\u{0}철수", "email": "kim@example.com", "role": "student"}),
        )
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["name"]);
    let response = app
        .post(
            "/api/v1/venues",
            &json!({"name": "Hall", "rooms": [{"name": "A\u{0}", "capacity": 3}]}),
        )
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["rooms[0].name"]);
    assert!(
        crate::helpers::registration::registrations(&app, &id(&event), "")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn nul_in_a_form_field_is_refused_and_registers_nobody() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let fields = with(fixture.fields("lee@example.com"), "affiliation", "To\0ss");
    let response = register(&app, &fixture, fields).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let html = response.text().await.unwrap();
    assert!(html.contains("<html"), "a page, not a crash: {html}");
    assert!(registrations(&app, &fixture.event_id).await.is_empty());
}
