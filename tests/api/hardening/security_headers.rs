//! Every answer is `nosniff`; every HTML answer has a Content-Security-Policy that forbids
//! framing, including the table plan (names and affiliations) and Swagger UI.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::networking::{create_session, register_attendees};
use crate::helpers::spawn_app;

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} on {}", response.url()))
        .to_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn html_answers_have_a_policy_and_every_answer_is_nosniff() {
    let app = spawn_app().await;
    let event = app.open_event(20, json!({})).await;
    register_attendees(&app, &event, 6, true).await;
    let session = create_session(&app, &event, json!({"rounds": 2, "table_size": 3})).await;
    let plan_url = session["plan_url"].as_str().unwrap();
    let plan = app
        .client
        .get(app.url(&plan_url[plan_url.find("/plans/").unwrap()..]))
        .send()
        .await
        .unwrap();
    assert_eq!(plan.status(), StatusCode::OK);
    let policy = header(&plan, "content-security-policy");
    assert!(policy.contains("frame-ancestors 'none'") && policy.contains("default-src 'none'"));
    assert_eq!(header(&plan, "x-content-type-options"), "nosniff");
    assert_eq!(header(&plan, "cache-control"), "no-store");
    assert_eq!(header(&plan, "referrer-policy"), "no-referrer");

    let docs = app.client.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    let policy = header(&docs, "content-security-policy");
    assert!(
        policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"),
        "{policy}"
    );
    assert_eq!(header(&docs, "x-content-type-options"), "nosniff");

    for path in [
        "/api/v1/public/events",
        "/api/openapi.json",
        "/api/v1/nothing-here",
        "/events/no-such-event",
        "/health",
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(
            header(&response, "x-content-type-options"),
            "nosniff",
            "{path}"
        );
        let html = header(&response, "content-type").starts_with("text/html");
        if html {
            assert!(
                header(&response, "content-security-policy").contains("frame-ancestors 'none'"),
                "{path}"
            );
        }
    }
}
