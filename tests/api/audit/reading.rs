//! Reading the log: newest first, page by page with `before`, filtered by event and by
//! organizer, and a 422 for parameters it cannot use.

use reqwest::StatusCode;
use serde_json::json;

use super::{all_entries, entries, page};
use crate::helpers::{error_fields, expect_problem, id, spawn_app};

#[tokio::test]
async fn pages_run_newest_first_and_filters_narrow_them() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let first = app.create_event(Some(&id(&venue))).await;
    let second = app.create_event(Some(&id(&venue))).await;
    for capacity in [10, 20, 30] {
        app.patch(
            &format!("/api/v1/events/{}", id(&first)),
            &json!({"capacity": capacity}),
        )
        .await;
    }
    let everything = all_entries(&app).await;
    assert_eq!(everything.len(), 6, "a venue, two events, three changes");
    let ids: Vec<&str> = everything
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(ids, sorted, "newest first");
    assert_eq!(everything[0]["changes"]["capacity"]["after"], 30);

    // Pages of two, each older than the last.
    let mut seen = Vec::new();
    let mut query = "limit=2".to_string();
    loop {
        let page = page(&app, &query).await;
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(items.iter().map(|e| e["id"].as_str().unwrap().to_string()));
        let Some(before) = page["next_before"].as_str() else {
            assert!(page["next"].is_null(), "no next link on the last page");
            break;
        };
        assert_eq!(
            page["next"],
            format!("/api/v1/audit-log?limit=2&before={before}")
        );
        query = format!("limit=2&before={before}");
    }
    assert_eq!(seen, ids, "the pages hold every entry once, in order");

    let of_first = entries(&app, &format!("event_id={}", id(&first))).await;
    assert_eq!(of_first.len(), 4, "its creation and three changes");
    assert!(of_first.iter().all(|e| e["event_id"] == first["id"]));
    let of_second = entries(&app, &format!("event_id={}", id(&second))).await;
    assert_eq!(of_second.len(), 1);

    let mine = entries(&app, &format!("organizer_id={}", app.organizer.id)).await;
    assert_eq!(mine.len(), 6);
    let nobody = entries(&app, &format!("organizer_id={}", uuid::Uuid::now_v7())).await;
    assert!(nobody.is_empty());
}

#[tokio::test]
async fn parameters_it_cannot_use_are_422() {
    let app = spawn_app().await;
    for query in [
        "limit=0",
        "limit=201",
        "limit=x",
        "before=nope",
        "event_id=1",
        "organizer_id=x",
    ] {
        let problem = expect_problem(
            app.get(&format!("/api/v1/audit-log?{query}")).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert!(!error_fields(&problem).is_empty(), "{query}: {problem}");
    }
    assert_eq!(entries(&app, "limit=200").await.len(), 0);
    let unauthenticated = app
        .client
        .get(app.url("/api/v1/audit-log"))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status(), StatusCode::UNAUTHORIZED);
}
