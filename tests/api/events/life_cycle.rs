//! An event's status: draft, published, closed, completed or cancelled, and the transitions
//! allowed between them.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::events::{create, event_body, get_event, set_status, walk_to};
use crate::helpers::{TestApp, error_fields, expect_problem, expect_status, id, spawn_app};

#[tokio::test]
async fn publishing_needs_a_venue_and_a_capacity() {
    let app = spawn_app().await;
    let event = create(&app, event_body(json!({}))).await;
    let event_id = id(&event);
    let problem = expect_problem(
        set_status(&app, &event_id, "published").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        ["venue_id", "capacity"],
        "{problem}"
    );
    assert_eq!(get_event(&app, &event_id).await["status"], "draft");

    let venue = app.create_venue().await;
    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"status": "published", "venue_id": id(&venue)}),
        )
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["capacity"], "{problem}");
    let unchanged = get_event(&app, &event_id).await;
    assert_eq!(unchanged["status"], "draft");
    assert!(unchanged["venue_id"].is_null(), "nothing was changed");

    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"status": "published", "venue_id": id(&venue), "capacity": 80}),
        )
        .await;
    let published = expect_status(response, StatusCode::OK).await;
    assert_eq!(published["status"], "published");

    // A published event cannot lose what it was published with.
    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"capacity": null}),
        )
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["capacity"], "{problem}");
}

#[tokio::test]
async fn published_closed_completed_is_the_normal_life() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let event = app.create_event(Some(&id(&venue))).await;
    let event_id = id(&event);
    walk_to(
        &app,
        &event_id,
        &["published", "closed", "published", "closed", "completed"],
    )
    .await;
    assert_eq!(get_event(&app, &event_id).await["status"], "completed");
}

async fn expect_transition_conflict(app: &TestApp, event_id: &str, to: &str, from: &str) {
    let problem = expect_problem(set_status(app, event_id, to).await, StatusCode::CONFLICT).await;
    assert_eq!(
        problem["conflict"]["kind"], "invalid_transition",
        "{problem}"
    );
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains(from) && detail.contains(to), "{detail}");
    assert_eq!(
        get_event(app, event_id).await["status"],
        from,
        "the status did not change"
    );
}

#[tokio::test]
async fn a_completed_event_stays_completed() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let event_id = id(&app.create_event(Some(&id(&venue))).await);
    walk_to(&app, &event_id, &["published", "closed", "completed"]).await;
    for to in ["published", "cancelled", "closed", "draft"] {
        expect_transition_conflict(&app, &event_id, to, "completed").await;
    }
}

#[tokio::test]
async fn a_draft_cannot_jump_ahead() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let event_id = id(&app.create_event(Some(&id(&venue))).await);
    expect_transition_conflict(&app, &event_id, "completed", "draft").await;
    expect_transition_conflict(&app, &event_id, "closed", "draft").await;
    walk_to(&app, &event_id, &["published"]).await;
    expect_transition_conflict(&app, &event_id, "draft", "published").await;
    expect_transition_conflict(&app, &event_id, "completed", "published").await;
}

#[tokio::test]
async fn any_open_event_can_be_cancelled_and_cancelled_is_final() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let venue_id = id(&venue);
    for path in [
        &["cancelled"][..],
        &["published", "cancelled"][..],
        &["published", "closed", "cancelled"][..],
    ] {
        let event_id = id(&app.create_event(Some(&venue_id)).await);
        walk_to(&app, &event_id, path).await;
        for to in ["draft", "published", "closed", "completed"] {
            expect_transition_conflict(&app, &event_id, to, "cancelled").await;
        }
    }
}

#[tokio::test]
async fn patching_the_current_status_again_is_not_a_transition() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let event_id = id(&app.create_event(Some(&id(&venue))).await);
    walk_to(&app, &event_id, &["published", "published"]).await;
    walk_to(&app, &event_id, &["draft"][..0]).await;
    let event = expect_status(
        set_status(&app, &event_id, "published").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(event["status"], "published");
}

#[tokio::test]
async fn an_unknown_status_in_a_patch_is_422() {
    let app = spawn_app().await;
    let event_id = id(&app.create_event(None).await);
    let problem = expect_problem(
        set_status(&app, &event_id, "archived").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["status"], "{problem}");
}
