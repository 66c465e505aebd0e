//! Deleting a venue: its rooms go with it, a venue an event uses stays, and a patch racing
//! the deletion is never a 500.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::venues::{list_all, rooms_in_database};
use crate::helpers::{expect_problem, expect_status, id, spawn_app};

#[tokio::test]
async fn deleting_a_venue_removes_it_and_its_rooms() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let kept = app.create_venue().await;
    let path = format!("/api/v1/venues/{}", id(&venue));
    assert_eq!(rooms_in_database(&app, &id(&venue)).await, 2);

    let response = app.delete(&path).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.text().await.unwrap().is_empty(), "204 has no body");
    expect_problem(app.get(&path).await, StatusCode::NOT_FOUND).await;
    expect_problem(app.delete(&path).await, StatusCode::NOT_FOUND).await;
    assert_eq!(
        rooms_in_database(&app, &id(&venue)).await,
        0,
        "the rooms went with the venue"
    );
    assert_eq!(rooms_in_database(&app, &id(&kept)).await, 2);
    let remaining: Vec<String> = list_all(&app).await.iter().map(id).collect();
    assert_eq!(remaining, [id(&kept)], "only that venue was deleted");
}

#[tokio::test]
async fn a_venue_used_by_an_event_cannot_be_deleted() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let path = format!("/api/v1/venues/{}", id(&venue));
    let event = app.create_event(Some(&id(&venue))).await;

    let problem = expect_problem(app.delete(&path).await, StatusCode::CONFLICT).await;
    assert_eq!(problem["conflict"]["kind"], "in_use", "{problem}");
    assert_eq!(
        problem["conflict"]["with"],
        json!({"resource": "event", "id": id(&event), "label": "1&N 홈커밍 2026"}),
        "{problem}"
    );
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("1&N 홈커밍 2026"),
        "{problem}"
    );
    assert_eq!(
        expect_status(app.get(&path).await, StatusCode::OK).await,
        venue,
        "the venue and its rooms are still there"
    );
    assert_eq!(rooms_in_database(&app, &id(&venue)).await, 2);

    // Once no event uses it, it can go.
    let response = app.delete(&format!("/api/v1/events/{}", id(&event))).await;
    expect_status(response, StatusCode::NO_CONTENT).await;
    let response = app.delete(&path).await;
    expect_status(response, StatusCode::NO_CONTENT).await;
}

#[tokio::test]
async fn patching_a_venue_while_it_is_deleted_is_never_a_500() {
    let app = spawn_app().await;
    for _ in 0..15 {
        let venue = app.create_venue().await;
        let path = format!("/api/v1/venues/{}", id(&venue));
        let body = json!({"capacity": 200, "rooms": [{"name": "Lab"}]});
        let (patched, deleted) = tokio::join!(app.patch(&path, &body), app.delete(&path));
        assert!(
            [StatusCode::OK, StatusCode::NOT_FOUND].contains(&patched.status()),
            "PATCH answered {}: {}",
            patched.status(),
            patched.text().await.unwrap()
        );
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        expect_problem(app.get(&path).await, StatusCode::NOT_FOUND).await;
        assert_eq!(
            rooms_in_database(&app, &id(&venue)).await,
            0,
            "no orphan rooms"
        );
    }
}
