//! People in the console: a person's history across years, search, erasure only after its
//! confirmation.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::console::location;
use crate::helpers::registration::register_ok;
use crate::helpers::{id, spawn_app};

#[tokio::test]
async fn a_persons_history_spans_both_years_and_erasing_needs_the_confirmation() {
    let app = spawn_app().await;
    let last_year = app
        .open_event(10, json!({"title": "홈커밍 2029", "starts_at": "2029-05-19T13:00:00+09:00", "ends_at": "2029-05-19T19:00:00+09:00"}))
        .await;
    let this_year = app.open_event(10, json!({"title": "홈커밍 2030"})).await;
    let park = json!({"name": "박지훈", "email": "park@example.com", "role": "alumni"});
    register_ok(&app, &id(&last_year), &park).await;
    let now = register_ok(&app, &id(&this_year), &park).await;
    register_ok(
        &app,
        &id(&this_year),
        &json!({"name": "다른 사람", "email": "other@example.com", "role": "guest"}),
    )
    .await;
    let person_id = now["person_id"].as_str().unwrap().to_string();
    let console = app.console().await;

    // The registration's page and the person's page show both years.
    let html = console
        .page(&format!(
            "/admin/events/{}/registrations/{}?lang=en",
            id(&this_year),
            id(&now)
        ))
        .await;
    assert!(
        html.contains("홈커밍 2029") && html.contains("홈커밍 2030"),
        "{html}"
    );
    let html = console
        .page(&format!("/admin/people/{person_id}?lang=en"))
        .await;
    assert!(
        html.contains("홈커밍 2029") && html.contains("2029"),
        "{html}"
    );

    // Search.
    let html = console.page("/admin/people?lang=en&q=park").await;
    assert!(
        html.contains("박지훈") && !html.contains("다른 사람"),
        "{html}"
    );

    // Without the confirmation nothing is erased.
    let erase = format!("/admin/people/{person_id}/erase");
    assert!(
        console
            .page(&format!("{erase}?lang=en"))
            .await
            .contains("Erase for good")
    );
    let response = console.post(&erase, &[("confirm", "")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("has-error"));
    let api = format!("/api/v1/people/{person_id}");
    assert_eq!(app.get(&api).await.status(), StatusCode::OK);

    // With it, the API's erasure happens.
    let response = console.post(&erase, &[("confirm", "yes")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/admin/people?erased=1");
    assert_eq!(app.get(&api).await.status(), StatusCode::NOT_FOUND);
    let html = console.page("/admin/people?lang=en").await;
    assert!(
        !html.contains("박지훈") && html.contains("다른 사람"),
        "{html}"
    );
    // The erased person's page is gone too.
    let response = console.get(&format!("/admin/people/{person_id}")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
