//! Pages that run or style under a Content-Security-Policy, which only a browser enforces.

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::{in_browser, text};
use crate::helpers::{expect_status, id, spawn_app};

#[tokio::test]
async fn swagger_ui_runs_under_its_content_security_policy() {
    let app = spawn_app().await;
    in_browser(|client| async move {
        client.goto(&app.url("/api/docs/")).await.unwrap();
        // The title comes from the OpenAPI document, which Swagger UI's own scripts fetch and
        // render: nothing of it shows if the policy blocks a script or the fetch.
        let title = text(&client, ".swagger-ui .info .title").await;
        assert!(title.starts_with("homecoming"), "{title}");
        assert!(
            text(&client, ".swagger-ui")
                .await
                .contains("/api/v1/venues"),
            "the operations are listed"
        );
    })
    .await;
}

#[tokio::test]
async fn the_table_plan_is_styled_under_its_content_security_policy() {
    let app = spawn_app().await;
    let event = app.open_event(20, json!({})).await;
    for n in 0..6 {
        let body = json!({"name": format!("사람{n}"), "email": format!("p{n}@example.com"), "role": "student", "consent_share": true});
        expect_status(app.register(&id(&event), &body).await, StatusCode::CREATED).await;
    }
    let session = expect_status(
        app.post(
            &format!("/api/v1/events/{}/networking-sessions", id(&event)),
            &json!({"rounds": 2, "table_size": 3}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let plan_url = session["plan_url"].as_str().unwrap();
    let plan_path = &plan_url[plan_url.find("/plans/").unwrap()..];
    let plan_url = app.url(plan_path);
    in_browser(|client| async move {
        client.goto(&plan_url).await.unwrap();
        text(&client, "h1").await;
        // 1.75rem from the plan's inline style sheet for a portrait screen (the harness's
        // phone-sized window), not the browser's 2em: only applied if the policy allows it.
        let size = client
            .execute(
                "return getComputedStyle(document.querySelector('h1')).fontSize",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(size, json!("28px"));
    })
    .await;
}
