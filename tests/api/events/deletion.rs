//! Deleting an event: drafts and cancelled events go with their talks; events that happened
//! or may happen are kept.

use entity::{talk, talk_speaker};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::helpers::events::{event_with_talk, get_event, walk_to};
use crate::helpers::{TestApp, expect_problem, expect_status, id, spawn_app};

async fn talks_of(app: &TestApp, event_id: &str) -> u64 {
    talk::Entity::find()
        .filter(talk::Column::EventId.eq(event_id.parse::<uuid::Uuid>().unwrap()))
        .count(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn deleting_a_draft_removes_it_with_its_talks() {
    let app = spawn_app().await;
    let (_, event, talk) = event_with_talk(&app).await;
    let event_id = id(&event);
    assert_eq!(talks_of(&app, &event_id).await, 1);
    let response = app.delete(&format!("/api/v1/events/{event_id}")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.text().await.unwrap().is_empty());
    expect_problem(
        app.get(&format!("/api/v1/events/{event_id}")).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(talks_of(&app, &event_id).await, 0, "the talks went with it");
    let links = talk_speaker::Entity::find()
        .filter(talk_speaker::Column::TalkId.eq(id(&talk).parse::<uuid::Uuid>().unwrap()))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(links, 0, "and so did their speaker links");
    expect_problem(
        app.delete(&format!("/api/v1/events/{event_id}")).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn published_closed_and_completed_events_are_kept() {
    let app = spawn_app().await;
    let (_, event, _) = event_with_talk(&app).await;
    let event_id = id(&event);
    for status in ["published", "closed", "completed"] {
        walk_to(&app, &event_id, &[status]).await;
        let problem = expect_problem(
            app.delete(&format!("/api/v1/events/{event_id}")).await,
            StatusCode::CONFLICT,
        )
        .await;
        assert_eq!(problem["conflict"]["kind"], "invalid_state", "{problem}");
        assert_eq!(get_event(&app, &event_id).await["status"], status);
        assert_eq!(talks_of(&app, &event_id).await, 1, "the schedule is kept");
    }
}

#[tokio::test]
async fn a_cancelled_event_can_be_deleted() {
    let app = spawn_app().await;
    let (_, event, _) = event_with_talk(&app).await;
    let event_id = id(&event);
    walk_to(&app, &event_id, &["published", "cancelled"]).await;
    let response = app.delete(&format!("/api/v1/events/{event_id}")).await;
    expect_status(response, StatusCode::NO_CONTENT).await;
    expect_problem(
        app.get(&format!("/api/v1/events/{event_id}")).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(talks_of(&app, &event_id).await, 0);
}
