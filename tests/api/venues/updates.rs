//! Merge patches of a venue and its room list: rooms are kept, renamed, added and dropped,
//! validated like new ones, never taken from another venue, and kept while a talk uses them.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::fixtures::UNKNOWN_ID;
use crate::helpers::venues::{room_ids_of, room_names_of, rooms_in_database};
use crate::helpers::{TestApp, error_fields, expect_problem, expect_status, id, spawn_app};

#[tokio::test]
async fn patch_merges_fields_and_keeps_the_rooms() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let path = format!("/api/v1/venues/{}", id(&venue));
    let response = app
        .patch(&path, &json!({"capacity": 200, "notes": null}))
        .await;
    let patched = expect_status(response, StatusCode::OK).await;
    assert_eq!(patched["capacity"], 200);
    assert!(
        patched["notes"].is_null(),
        "null removes a field (RFC 7396)"
    );
    assert_eq!(patched["name"], venue["name"], "fields not sent are kept");
    assert_eq!(patched["address"], venue["address"]);
    assert_eq!(patched["map_url"], venue["map_url"]);
    assert_eq!(patched["rooms"], venue["rooms"], "rooms not sent are kept");
    assert_eq!(patched["created_at"], venue["created_at"]);
    assert_eq!(
        expect_status(app.get(&path).await, StatusCode::OK).await,
        patched,
        "the change is stored"
    );
}

#[tokio::test]
async fn patch_validates_the_merged_venue_and_changes_nothing_on_error() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let path = format!("/api/v1/venues/{}", id(&venue));
    // The Hall seats 120: the venue cannot shrink below it.
    let problem = expect_problem(
        app.patch(&path, &json!({"capacity": 100, "name": "새 이름"}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["rooms[0].capacity"], "{problem}");
    for (patch, field) in [
        (json!({"name": ""}), "name"),
        (json!({"name": null}), "name"),
        (json!({"map_url": "ftp://x"}), "map_url"),
        (json!({"capacity": 0}), "capacity"),
        (json!({"colour": "blue"}), "colour"),
        (json!(["not", "an", "object"]), "body"),
    ] {
        let problem = expect_problem(
            app.patch(&path, &patch).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error_fields(&problem), [field], "{patch}: {problem}");
    }
    assert_eq!(
        expect_status(app.get(&path).await, StatusCode::OK).await,
        venue,
        "a rejected PATCH changes nothing"
    );
}

#[tokio::test]
async fn patch_rooms_keeps_renames_adds_and_drops_rooms() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let path = format!("/api/v1/venues/{}", id(&venue));
    let [hall, seminar] = [&venue["rooms"][0], &venue["rooms"][1]];
    assert_eq!(hall["name"], "Hall");
    let response = app
        .patch(
            &path,
            &json!({"rooms": [
                {"name": "Lab", "capacity": 20},
                {"id": id(hall), "name": "Main Hall", "capacity": 100},
            ]}),
        )
        .await;
    let patched = expect_status(response, StatusCode::OK).await;
    assert_eq!(
        room_names_of(&patched),
        ["Lab", "Main Hall"],
        "rooms in the order sent"
    );
    assert_eq!(
        patched["rooms"][1]["id"], hall["id"],
        "a room sent with its id keeps it"
    );
    assert_eq!(patched["rooms"][1]["capacity"], 100);
    let lab_id = id(&patched["rooms"][0]);
    assert!(
        lab_id != id(hall) && lab_id != id(seminar),
        "a room without an id is new"
    );
    assert!(
        !room_ids_of(&patched).contains(&id(seminar)),
        "a room left out is dropped"
    );
    assert_eq!(patched["capacity"], venue["capacity"]);
    assert_eq!(
        expect_status(app.get(&path).await, StatusCode::OK).await,
        patched
    );
    assert_eq!(rooms_in_database(&app, &id(&venue)).await, 2);

    // A dropped room's name is free again, and `rooms: []` drops every room.
    let response = app
        .patch(&path, &json!({"rooms": [{"name": "Seminar"}]}))
        .await;
    let patched = expect_status(response, StatusCode::OK).await;
    assert_eq!(room_names_of(&patched), ["Seminar"]);
    let response = app.patch(&path, &json!({"rooms": []})).await;
    assert_eq!(
        expect_status(response, StatusCode::OK).await["rooms"],
        json!([])
    );
    assert_eq!(rooms_in_database(&app, &id(&venue)).await, 0);
}

#[tokio::test]
async fn patch_rooms_are_validated_like_new_ones() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let path = format!("/api/v1/venues/{}", id(&venue));
    let hall = id(&venue["rooms"][0]);
    for (rooms, field) in [
        (
            json!([{"id": hall, "name": "Hall"}, {"name": "hall"}]),
            "rooms[1].name",
        ),
        (
            json!([{"id": hall, "name": "Hall"}, {"id": hall, "name": "Other"}]),
            "rooms[1].id",
        ),
        (
            json!([{"id": hall, "name": "Hall", "capacity": 151}]),
            "rooms[0].capacity",
        ),
        (json!([{"id": UNKNOWN_ID, "name": "Ghost"}]), "rooms[0].id"),
    ] {
        let problem = expect_problem(
            app.patch(&path, &json!({"rooms": rooms})).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error_fields(&problem), [field], "{rooms}: {problem}");
    }
    assert_eq!(
        expect_status(app.get(&path).await, StatusCode::OK).await,
        venue,
        "nothing changed"
    );
}

#[tokio::test]
async fn a_room_of_another_venue_cannot_be_taken_over() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let other = app.create_venue().await;
    let foreign_room = id(&other["rooms"][0]);
    let path = format!("/api/v1/venues/{}", id(&venue));
    let response = app
        .patch(
            &path,
            &json!({"rooms": [
                {"id": id(&venue["rooms"][0]), "name": "Hall"},
                {"id": foreign_room, "name": "Stolen"},
            ]}),
        )
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["rooms[1].id"], "{problem}");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("this venue"),
        "{problem}"
    );
    assert_eq!(
        expect_status(app.get(&path).await, StatusCode::OK).await,
        venue,
        "this venue is unchanged"
    );
    let other_path = format!("/api/v1/venues/{}", id(&other));
    assert_eq!(
        expect_status(app.get(&other_path).await, StatusCode::OK).await,
        other,
        "the other venue still has its room"
    );
}

/// A talk in `room_id` of a new draft event at `venue_id`; returns (event, talk).
async fn talk_in_room(app: &TestApp, venue_id: &str, room_id: &str) -> (Value, Value) {
    let event = app.create_event(Some(venue_id)).await;
    let speaker = app.create_speaker("김서연").await;
    let response = app
        .create_talk(
            &id(&event),
            &json!({
                "title": "신입 개발자로 살아남기", "speaker_ids": [id(&speaker)], "room_id": room_id,
                "starts_at": "2026-05-16T14:00:00+09:00", "ends_at": "2026-05-16T14:30:00+09:00"
            }),
        )
        .await;
    let talk = expect_status(response, StatusCode::CREATED).await;
    (event, talk)
}

#[tokio::test]
async fn dropping_a_room_used_by_a_talk_is_a_conflict_naming_the_talk() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let path = format!("/api/v1/venues/{}", id(&venue));
    let hall = id(&venue["rooms"][0]);
    let seminar = id(&venue["rooms"][1]);
    let (event, talk) = talk_in_room(&app, &id(&venue), &seminar).await;

    let response = app
        .patch(&path, &json!({"rooms": [{"id": hall, "name": "Hall"}]}))
        .await;
    let problem = expect_problem(response, StatusCode::CONFLICT).await;
    assert_eq!(problem["type"], "/problems/conflict");
    assert_eq!(problem["conflict"]["kind"], "in_use", "{problem}");
    assert_eq!(
        problem["conflict"]["with"],
        json!({"resource": "talk", "id": id(&talk), "label": "신입 개발자로 살아남기"}),
        "{problem}"
    );
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("신입 개발자로 살아남기"),
        "{problem}"
    );
    assert_eq!(
        expect_status(app.get(&path).await, StatusCode::OK).await,
        venue,
        "nothing changed, not even the other fields"
    );

    // Renaming the used room, and dropping the unused one, is fine.
    let response = app
        .patch(
            &path,
            &json!({"rooms": [{"id": seminar, "name": "세미나실 B"}]}),
        )
        .await;
    let patched = expect_status(response, StatusCode::OK).await;
    assert_eq!(room_ids_of(&patched), std::slice::from_ref(&seminar));

    // Once the talk is gone, the room can go too.
    let response = app
        .delete(&format!(
            "/api/v1/events/{}/talks/{}",
            id(&event),
            id(&talk)
        ))
        .await;
    expect_status(response, StatusCode::NO_CONTENT).await;
    let response = app.patch(&path, &json!({"rooms": []})).await;
    assert_eq!(
        expect_status(response, StatusCode::OK).await["rooms"],
        json!([])
    );
}
