//! Listing events: filters by status and by year (in the event's time zone), pagination, and
//! unknown events.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::events::{create, event_body, walk_to};
use crate::helpers::{expect_problem, expect_status, id, spawn_app};

fn ids(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(id).collect()
}

#[tokio::test]
async fn the_list_filters_by_status() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let draft = app.create_event(Some(&id(&venue))).await;
    let published = app.create_event(Some(&id(&venue))).await;
    walk_to(&app, &id(&published), &["published"]).await;
    let cancelled = app.create_event(Some(&id(&venue))).await;
    walk_to(&app, &id(&cancelled), &["cancelled"]).await;

    for (status, expected) in [
        ("draft", vec![id(&draft)]),
        ("published", vec![id(&published)]),
        ("cancelled", vec![id(&cancelled)]),
        ("closed", vec![]),
    ] {
        let page = expect_status(
            app.get(&format!("/api/v1/events?status={status}")).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(ids(&page), expected, "status={status}");
    }
    let all = expect_status(app.get("/api/v1/events").await, StatusCode::OK).await;
    assert_eq!(
        ids(&all),
        [id(&draft), id(&published), id(&cancelled)],
        "oldest first"
    );
    assert!(all["next"].is_null(), "one page only: {all}");
}

#[tokio::test]
async fn the_year_filter_uses_the_events_time_zone() {
    let app = spawn_app().await;
    // 01:00 on New Year's Day in Seoul is still 2026 in UTC.
    let new_year = create(
        &app,
        event_body(json!({
            "title": "신년 홈커밍",
            "starts_at": "2027-01-01T01:00:00+09:00", "ends_at": "2027-01-01T05:00:00+09:00",
        })),
    )
    .await;
    // 20:00 on New Year's Eve in New York is already 2027 in UTC.
    let eve = create(
        &app,
        event_body(json!({
            "title": "New Year's Eve", "time_zone": "America/New_York",
            "starts_at": "2026-12-31T20:00:00-05:00", "ends_at": "2026-12-31T23:00:00-05:00",
        })),
    )
    .await;
    let may = create(&app, event_body(json!({}))).await;

    let year = |year: i32| {
        let app = &app;
        async move {
            ids(&expect_status(
                app.get(&format!("/api/v1/events?year={year}")).await,
                StatusCode::OK,
            )
            .await)
        }
    };
    assert_eq!(year(2027).await, [id(&new_year)]);
    assert_eq!(year(2026).await, [id(&eve), id(&may)]);
    assert_eq!(year(2025).await, Vec::<String>::new());

    let both = expect_status(
        app.get("/api/v1/events?year=2027&status=draft").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ids(&both), [id(&new_year)]);
    let none = expect_status(
        app.get("/api/v1/events?year=2027&status=published").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ids(&none), Vec::<String>::new());
}

#[tokio::test]
async fn moving_an_event_across_new_year_changes_its_year() {
    let app = spawn_app().await;
    let event_id = id(&app.create_event(None).await);
    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"starts_at": "2027-01-01T00:30:00+09:00", "ends_at": "2027-01-01T03:00:00+09:00"}),
        )
        .await;
    expect_status(response, StatusCode::OK).await;
    let page = expect_status(app.get("/api/v1/events?year=2027").await, StatusCode::OK).await;
    assert_eq!(ids(&page), std::slice::from_ref(&event_id));
    // Changing only the time zone re-evaluates the year too: in UTC it is 2026.
    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"time_zone": "UTC"}),
        )
        .await;
    let event = expect_status(response, StatusCode::OK).await;
    assert_eq!(event["starts_at"], "2026-12-31T15:30:00Z");
    let page = expect_status(app.get("/api/v1/events?year=2026").await, StatusCode::OK).await;
    assert_eq!(ids(&page), [event_id]);
}

#[tokio::test]
async fn the_list_paginates_with_a_next_link() {
    let app = spawn_app().await;
    let mut created = Vec::new();
    for _ in 0..5 {
        created.push(id(&app.create_event(None).await));
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/events?limit=2&status=draft".to_string();
    let mut pages = 0;
    loop {
        let page = expect_status(app.get(&path).await, StatusCode::OK).await;
        pages += 1;
        let items = ids(&page);
        assert!(items.len() <= 2, "{page}");
        seen.extend(items);
        match page["next"].as_str() {
            Some(next) => {
                assert!(next.starts_with("/api/v1/events?"), "{next}");
                assert!(
                    next.contains("limit=2") && next.contains("status=draft"),
                    "the next link keeps the query: {next}"
                );
                assert_eq!(
                    page["next_cursor"], page["items"][1]["id"],
                    "the cursor is the last item"
                );
                path = next.to_string();
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, created, "every event once, in a stable order");

    // An exact multiple of the page size does not end with an empty page link.
    let page = expect_status(app.get("/api/v1/events?limit=5").await, StatusCode::OK).await;
    assert_eq!(ids(&page).len(), 5);
    assert!(page["next"].is_null(), "{page}");
}

#[tokio::test]
async fn get_of_an_unknown_event_is_404() {
    let app = spawn_app().await;
    let unknown = "/api/v1/events/0193a0b0-0000-7000-8000-000000000000";
    expect_problem(app.get(unknown).await, StatusCode::NOT_FOUND).await;
    expect_problem(
        app.patch(unknown, &json!({"title": "x"})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    expect_problem(app.delete(unknown).await, StatusCode::NOT_FOUND).await;
}
