//! When and where a networking session happens: a start within the event and a room of its
//! venue, given at creation or changed later; anything else is refused and changes nothing.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::networking::{create_session, read_session, register_attendees, session_path};
use crate::helpers::{TestApp, error_fields, expect_problem, expect_status, id, spawn_app};

async fn room_of(app: &TestApp, venue_id: &str, name: &str) -> Value {
    let venue = expect_status(
        app.get(&format!("/api/v1/venues/{venue_id}")).await,
        StatusCode::OK,
    )
    .await;
    venue["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|room| room["name"] == name)
        .unwrap()["id"]
        .clone()
}

#[tokio::test]
async fn a_start_outside_the_event_or_a_room_elsewhere_is_refused_and_nothing_is_made() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let elsewhere = app.create_venue().await;
    let other_room = room_of(&app, &id(&elsewhere), "Hall").await;
    register_attendees(&app, &event, 4, true).await;
    let path = format!("/api/v1/events/{}/networking-sessions", id(&event));
    for (body, field) in [
        (
            json!({"rounds": 1, "starts_at": "2030-05-18T19:00:00+09:00"}),
            "starts_at",
        ),
        (
            json!({"rounds": 1, "starts_at": "2030-05-18T12:59:00+09:00"}),
            "starts_at",
        ),
        (json!({"rounds": 1, "room_id": other_room}), "room_id"),
    ] {
        let problem = expect_problem(
            app.post(&path, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error_fields(&problem), vec![field.to_string()], "{problem}");
    }
    let sessions = expect_status(app.get(&path).await, StatusCode::OK).await;
    assert_eq!(sessions, json!([]), "nothing was created");
}

#[tokio::test]
async fn the_time_and_room_are_set_changed_and_cleared_by_patch() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let venue_id = event["venue_id"].as_str().unwrap().to_string();
    let hall = room_of(&app, &venue_id, "Hall").await;
    let seminar = room_of(&app, &venue_id, "Seminar").await;
    register_attendees(&app, &event, 4, true).await;
    let session = create_session(&app, &event, json!({"rounds": 2, "room_id": hall})).await;
    assert!(session["starts_at"].is_null());
    let path = session_path(&event, &session);

    let changed = expect_status(
        app.patch(
            &path,
            &json!({"starts_at": "2030-05-18T16:30:00+09:00", "room_id": seminar}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["starts_at"], "2030-05-18T07:30:00Z");
    assert_eq!(changed["room_id"], seminar);
    assert_eq!(changed["rounds_played"], 0, "left out, left as it was");

    let elsewhere = app.create_venue().await;
    let other_room = room_of(&app, &id(&elsewhere), "Hall").await;
    let problem = expect_problem(
        app.patch(&path, &json!({"room_id": other_room, "rounds_played": 1}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["room_id".to_string()]);
    let unchanged = read_session(&app, &path).await;
    assert_eq!(unchanged["room_id"], seminar);
    assert_eq!(unchanged["rounds_played"], 0);

    let cleared = expect_status(
        app.patch(&path, &json!({"starts_at": null, "rounds_played": 1}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(cleared["starts_at"].is_null());
    assert_eq!(cleared["room_id"], seminar, "only what was given changes");
    assert_eq!(cleared["rounds_played"], 1);
}
