//! Closed sets are enums down to the column and JSON columns are read into their types: a value
//! that does not fit, written by something that did not follow the schema, is an error when read,
//! never quietly taken for another value or an empty list.

use entity::{event, outbox_message, registration};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, EntityTrait, Statement};
use serde_json::json;

use crate::helpers::{TestApp, expect_problem, expect_status, id, spawn_app};

async fn registered(app: &TestApp) -> (String, String) {
    let event = app.open_event(10, json!({})).await;
    let body = json!({"name": "김하늘", "email": "haneul@example.com", "role": "alumni"});
    let created = expect_status(app.register(&id(&event), &body).await, StatusCode::CREATED).await;
    (id(&event), id(&created))
}

/// Writes `value` into a column behind the entities' back, as a foreign tool could.
async fn overwrite(app: &TestApp, table: &str, column: &str, value: &str, row_id: &str) {
    let row_id: uuid::Uuid = row_id.parse().unwrap();
    let statement = Statement::from_sql_and_values(
        app.db.get_database_backend(),
        format!("UPDATE {table} SET {column} = $1 WHERE id = $2"),
        [value.into(), row_id.into()],
    );
    let result = app.db.execute_raw(statement).await.unwrap();
    assert_eq!(result.rows_affected(), 1);
}

#[tokio::test]
async fn an_unknown_registration_status_is_an_error_not_a_cancellation() {
    let app = spawn_app().await;
    let (event_id, registration_id) = registered(&app).await;
    overwrite(
        &app,
        "registrations",
        "status",
        "teleported",
        &registration_id,
    )
    .await;

    let read = registration::Entity::find_by_id(registration_id.parse::<uuid::Uuid>().unwrap())
        .one(&app.db)
        .await;
    let error = read
        .expect_err("an unknown status must not load")
        .to_string();
    assert!(error.contains("teleported"), "{error}");

    let path = format!("/api/v1/events/{event_id}/registrations/{registration_id}");
    expect_problem(app.get(&path).await, StatusCode::INTERNAL_SERVER_ERROR).await;
}

#[tokio::test]
async fn unknown_role_language_and_event_status_are_errors() {
    let app = spawn_app().await;
    let (event_id, registration_id) = registered(&app).await;
    let registration_uuid = registration_id.parse::<uuid::Uuid>().unwrap();

    overwrite(&app, "registrations", "role", "teacher", &registration_id).await;
    assert!(
        registration::Entity::find_by_id(registration_uuid)
            .one(&app.db)
            .await
            .is_err()
    );
    overwrite(&app, "registrations", "role", "alumni", &registration_id).await;

    overwrite(&app, "registrations", "language", "fr", &registration_id).await;
    assert!(
        registration::Entity::find_by_id(registration_uuid)
            .one(&app.db)
            .await
            .is_err()
    );
    overwrite(&app, "registrations", "language", "ko", &registration_id).await;
    assert!(
        registration::Entity::find_by_id(registration_uuid)
            .one(&app.db)
            .await
            .is_ok()
    );

    overwrite(&app, "events", "status", "archived", &event_id).await;
    let event_uuid = event_id.parse::<uuid::Uuid>().unwrap();
    assert!(
        event::Entity::find_by_id(event_uuid)
            .one(&app.db)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn an_unknown_outbox_status_is_an_error_not_a_queued_message() {
    let app = spawn_app().await;
    registered(&app).await;
    let message = outbox_message::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    overwrite(
        &app,
        "outbox_messages",
        "status",
        "lost",
        &message.id.to_string(),
    )
    .await;
    assert!(
        outbox_message::Entity::find_by_id(message.id)
            .one(&app.db)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn an_unreadable_networking_report_or_schedule_is_an_error_not_an_empty_session() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    for n in 0..4 {
        let body = json!({
            "name": format!("사람{n}"), "email": format!("p{n}@example.com"),
            "role": "alumni", "consent_share": true
        });
        expect_status(app.register(&id(&event), &body).await, StatusCode::CREATED).await;
    }
    let sessions = format!("/api/v1/events/{}/networking-sessions", id(&event));
    let created = app
        .post(&sessions, &json!({"rounds": 2, "table_size": 2}))
        .await;
    let session_id = id(&expect_status(created, StatusCode::CREATED).await);
    let session = format!("{sessions}/{session_id}");
    let stored: serde_json::Value = expect_status(app.get(&session).await, StatusCode::OK).await;

    overwrite(
        &app,
        "networking_sessions",
        "report",
        "not json",
        &session_id,
    )
    .await;
    expect_problem(app.get(&session).await, StatusCode::INTERNAL_SERVER_ERROR).await;

    let report = stored["report"].to_string();
    overwrite(&app, "networking_sessions", "report", &report, &session_id).await;
    overwrite(
        &app,
        "networking_sessions",
        "schedule",
        "[[1]]",
        &session_id,
    )
    .await;
    expect_problem(app.get(&session).await, StatusCode::INTERNAL_SERVER_ERROR).await;
}

#[tokio::test]
async fn unreadable_tags_and_links_are_errors_not_empty_lists() {
    let app = spawn_app().await;
    let speaker = id(&app.create_speaker("박지훈").await);
    let speaker_path = format!("/api/v1/speakers/{speaker}");
    expect_status(app.get(&speaker_path).await, StatusCode::OK).await;

    overwrite(&app, "speakers", "links", "not json", &speaker).await;
    expect_problem(
        app.get(&speaker_path).await,
        StatusCode::INTERNAL_SERVER_ERROR,
    )
    .await;
    overwrite(&app, "speakers", "links", "[]", &speaker).await;
    overwrite(&app, "speakers", "tags", "{\"tag\": 1}", &speaker).await;
    expect_problem(
        app.get(&speaker_path).await,
        StatusCode::INTERNAL_SERVER_ERROR,
    )
    .await;

    let (event_id, registration_id) = registered(&app).await;
    overwrite(&app, "registrations", "answers", "[1, 2", &registration_id).await;
    let path = format!("/api/v1/events/{event_id}/registrations/{registration_id}");
    expect_problem(app.get(&path).await, StatusCode::INTERNAL_SERVER_ERROR).await;
    overwrite(&app, "events", "tags", "tags", &event_id).await;
    expect_problem(
        app.get(&format!("/api/v1/events/{event_id}")).await,
        StatusCode::INTERNAL_SERVER_ERROR,
    )
    .await;
}

#[tokio::test]
async fn unreadable_reminder_offsets_are_an_error_not_the_defaults() {
    let app = spawn_app().await;
    let event_id = id(&app.open_event(10, json!({})).await);
    let path = format!("/api/v1/events/{event_id}/reminders");
    expect_status(app.get(&path).await, StatusCode::OK).await;
    for stored in ["soon", "[0]", "[1, 9999999]"] {
        overwrite(&app, "events", "reminder_offsets", stored, &event_id).await;
        expect_problem(app.get(&path).await, StatusCode::INTERNAL_SERVER_ERROR).await;
    }
}
