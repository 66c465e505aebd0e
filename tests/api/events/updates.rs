//! Merge patches of an event: only the named fields change, and a patch is validated like a
//! new event.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::events::{create, event_body, get_event};
use crate::helpers::{error_fields, expect_problem, expect_status, id, spawn_app};

#[tokio::test]
async fn a_patch_changes_only_the_fields_it_names() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let event = create(
        &app,
        event_body(json!({
            "venue_id": id(&venue), "capacity": 100, "description": "설명",
            "tags": ["career"], "registration_opens_at": "2026-04-01T10:00:00+09:00",
        })),
    )
    .await;
    let event_id = id(&event);
    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"title": "1&N 홈커밍 2026 (봄)", "capacity": 120}),
        )
        .await;
    let patched = expect_status(response, StatusCode::OK).await;
    assert_eq!(patched["title"], "1&N 홈커밍 2026 (봄)");
    assert_eq!(patched["capacity"], 120);
    for unchanged in [
        "slug",
        "description",
        "starts_at",
        "ends_at",
        "time_zone",
        "venue_id",
        "registration_opens_at",
        "tags",
        "status",
        "created_at",
    ] {
        assert_eq!(patched[unchanged], event[unchanged], "{unchanged}");
    }
    assert_eq!(get_event(&app, &event_id).await, patched);

    // `null` removes an optional field.
    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"description": null, "registration_opens_at": null}),
        )
        .await;
    let cleared = expect_status(response, StatusCode::OK).await;
    assert!(cleared["description"].is_null());
    assert!(cleared["registration_opens_at"].is_null());
    assert_eq!(cleared["capacity"], 120);
}

#[tokio::test]
async fn a_patch_is_validated_like_a_create() {
    let app = spawn_app().await;
    let event = app.create_event(None).await;
    let event_id = id(&event);
    for (patch, field) in [
        (json!({"ends_at": "2026-05-16T12:00:00+09:00"}), "ends_at"),
        (json!({"capacity": 0}), "capacity"),
        (json!({"time_zone": "Mars/Olympus"}), "time_zone"),
        (json!({"slug": "Not OK"}), "slug"),
        (
            json!({"venue_id": "0193a0b0-0000-7000-8000-000000000000"}),
            "venue_id",
        ),
        (json!({"starts_at": "2026-05-16T13:00:00"}), "starts_at"),
        (json!({"unknown": 1}), "unknown"),
    ] {
        let response = app
            .patch(&format!("/api/v1/events/{event_id}"), &patch)
            .await;
        let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), [field], "{patch}: {problem}");
    }
    assert_eq!(get_event(&app, &event_id).await, event, "nothing changed");
    let response = app
        .patch(&format!("/api/v1/events/{event_id}"), &json!([1, 2]))
        .await;
    expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
}

#[tokio::test]
async fn a_patch_to_a_slug_of_another_event_is_409() {
    let app = spawn_app().await;
    let first = create(&app, event_body(json!({"slug": "first"}))).await;
    let second = create(&app, event_body(json!({"slug": "second"}))).await;
    let response = app
        .patch(
            &format!("/api/v1/events/{}", id(&second)),
            &json!({"slug": "first"}),
        )
        .await;
    let problem = expect_problem(response, StatusCode::CONFLICT).await;
    assert_eq!(problem["conflict"]["with"]["id"], id(&first), "{problem}");
    assert_eq!(get_event(&app, &id(&second)).await["slug"], "second");
    // Keeping its own slug is no conflict.
    let response = app
        .patch(
            &format!("/api/v1/events/{}", id(&first)),
            &json!({"slug": "first", "title": "renamed"}),
        )
        .await;
    expect_status(response, StatusCode::OK).await;
}
