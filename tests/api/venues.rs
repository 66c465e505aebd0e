//! Venues and their rooms: create, read, list, merge-patch (including the room list),
//! delete, every validation rule and the conflicts with events and talks that use them.

use entity::room;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, error_fields, expect_problem, expect_status, id, spawn_app};

const UNKNOWN_ID: &str = "0193a0b0-0000-7000-8000-000000000000";

fn venue_body(name: &str) -> Value {
    json!({
        "name": name, "address": "서울특별시 관악구 관악로 1",
        "map_url": "https://naver.me/example", "capacity": 150, "notes": "정문 주차 불가",
        "rooms": [{"name": "대강당", "capacity": 120}, {"name": "세미나실", "capacity": 30}]
    })
}

fn room_ids_of(venue: &Value) -> Vec<String> {
    venue["rooms"]
        .as_array()
        .expect("rooms is a list")
        .iter()
        .map(id)
        .collect()
}

fn room_names_of(venue: &Value) -> Vec<String> {
    venue["rooms"]
        .as_array()
        .expect("rooms is a list")
        .iter()
        .map(|room| room["name"].as_str().unwrap().to_string())
        .collect()
}

async fn list_all(app: &TestApp) -> Vec<Value> {
    let page = expect_status(app.get("/api/v1/venues?limit=100").await, StatusCode::OK).await;
    page["items"].as_array().unwrap().clone()
}

async fn rooms_in_database(app: &TestApp, venue_id: &str) -> u64 {
    room::Entity::find()
        .filter(room::Column::VenueId.eq(Uuid::parse_str(venue_id).unwrap()))
        .count(&app.db)
        .await
        .unwrap()
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
async fn creating_a_venue_returns_it_with_its_rooms_and_a_location() {
    let app = spawn_app().await;
    let response = app
        .post("/api/v1/venues", &venue_body("서울대학교 302동"))
        .await;
    let location = response
        .headers()
        .get("location")
        .expect("a Location header")
        .to_str()
        .unwrap()
        .to_string();
    let venue = expect_status(response, StatusCode::CREATED).await;
    let venue_id = id(&venue);
    assert_eq!(location, format!("/api/v1/venues/{venue_id}"));
    assert_eq!(venue["name"], "서울대학교 302동");
    assert_eq!(venue["address"], "서울특별시 관악구 관악로 1");
    assert_eq!(venue["map_url"], "https://naver.me/example");
    assert_eq!(venue["capacity"], 150);
    assert_eq!(venue["notes"], "정문 주차 불가", "organizers see the notes");
    assert!(venue["created_at"].is_string() && venue["updated_at"].is_string());
    assert_eq!(
        room_names_of(&venue),
        ["대강당", "세미나실"],
        "in the order sent"
    );
    assert_eq!(venue["rooms"][0]["capacity"], 120);
    assert_eq!(venue["rooms"][1]["capacity"], 30);
    let rooms = room_ids_of(&venue);
    for room_id in &rooms {
        Uuid::parse_str(room_id).expect("each room has a UUID");
    }
    assert_ne!(rooms[0], rooms[1]);

    let fetched = expect_status(app.get(&location).await, StatusCode::OK).await;
    assert_eq!(fetched, venue, "GET returns what POST returned");
}

#[tokio::test]
async fn text_is_trimmed_and_optional_fields_may_be_left_out() {
    let app = spawn_app().await;
    let response = app
        .post(
            "/api/v1/venues",
            &json!({"name": "  공학관  ", "address": " 관악로 1 ", "notes": "   "}),
        )
        .await;
    let venue = expect_status(response, StatusCode::CREATED).await;
    assert_eq!(venue["name"], "공학관");
    assert_eq!(venue["address"], "관악로 1");
    assert!(venue["map_url"].is_null());
    assert!(venue["capacity"].is_null());
    assert!(venue["notes"].is_null(), "blank notes are no notes");
    assert_eq!(venue["rooms"], json!([]));
}

#[tokio::test]
async fn unknown_venues_are_404_problems() {
    let app = spawn_app().await;
    let path = format!("/api/v1/venues/{UNKNOWN_ID}");
    let problem = expect_problem(app.get(&path).await, StatusCode::NOT_FOUND).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("venue"),
        "{problem}"
    );
    expect_problem(
        app.patch(&path, &json!({"capacity": 10})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    expect_problem(app.delete(&path).await, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn venues_paginate_in_a_stable_order() {
    let app = spawn_app().await;
    let mut created = Vec::new();
    for name in ["첫째 강의동", "둘째 강의동", "셋째 강의동"] {
        let response = app.post("/api/v1/venues", &venue_body(name)).await;
        created.push(id(&expect_status(response, StatusCode::CREATED).await));
    }

    let first = expect_status(app.get("/api/v1/venues?limit=2").await, StatusCode::OK).await;
    let first_ids: Vec<String> = first["items"].as_array().unwrap().iter().map(id).collect();
    assert_eq!(first_ids, created[..2], "oldest first");
    assert_eq!(
        first["items"][0]["rooms"].as_array().unwrap().len(),
        2,
        "listed venues carry their rooms"
    );
    assert_eq!(first["next_cursor"], created[1].as_str(), "{first}");
    let next = first["next"].as_str().expect("a next link").to_string();
    assert!(next.starts_with("/api/v1/venues?"), "{next}");
    assert!(
        next.contains("limit=2"),
        "the next link keeps the limit: {next}"
    );
    assert!(next.contains(&format!("cursor={}", created[1])), "{next}");

    let again = expect_status(app.get("/api/v1/venues?limit=2").await, StatusCode::OK).await;
    assert_eq!(again, first, "the same request gives the same page");

    let second = expect_status(app.get(&next).await, StatusCode::OK).await;
    let second_ids: Vec<String> = second["items"].as_array().unwrap().iter().map(id).collect();
    assert_eq!(second_ids, created[2..], "the rest");
    assert!(second.get("next_cursor").is_none(), "{second}");
    assert!(second.get("next").is_none(), "{second}");

    let by_cursor = expect_status(
        app.get(&format!("/api/v1/venues?limit=2&cursor={}", created[1]))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(by_cursor, second, "next_cursor works as the cursor");

    let all: Vec<String> = list_all(&app).await.iter().map(id).collect();
    assert_eq!(all, created);
    for limit in ["0", "101", "many"] {
        let response = app.get(&format!("/api/v1/venues?limit={limit}")).await;
        assert!(
            response.status().is_client_error(),
            "limit={limit}: {}",
            response.status()
        );
    }
}

/// Posts an invalid venue and checks the problem names exactly `fields` and nothing was created.
async fn rejects(app: &TestApp, body: Value, fields: &[&str]) -> Value {
    let response = app.post("/api/v1/venues", &body).await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["type"], "/problems/validation", "{problem}");
    assert_eq!(error_fields(&problem), fields, "{body}: {problem}");
    for error in problem["errors"].as_array().unwrap() {
        assert!(!error["message"].as_str().unwrap().is_empty(), "{problem}");
    }
    assert!(list_all(app).await.is_empty(), "nothing created by {body}");
    problem
}

#[tokio::test]
async fn each_venue_rule_is_checked_and_named() {
    let app = spawn_app().await;
    let with = |patch: Value| {
        let mut body = venue_body("공학관");
        homecoming::extract::merge_patch(&mut body, &patch);
        body
    };
    rejects(&app, with(json!({"name": ""})), &["name"]).await;
    rejects(&app, with(json!({"name": "   "})), &["name"]).await;
    rejects(&app, with(json!({"name": "가".repeat(201)})), &["name"]).await;
    rejects(&app, with(json!({"name": "두 줄\n이름"})), &["name"]).await;
    rejects(&app, with(json!({"address": ""})), &["address"]).await;
    rejects(
        &app,
        with(json!({"map_url": "ftp://naver.me/x"})),
        &["map_url"],
    )
    .await;
    rejects(&app, with(json!({"map_url": "not a url"})), &["map_url"]).await;
    rejects(
        &app,
        with(json!({"map_url": "javascript:alert(1)"})),
        &["map_url"],
    )
    .await;
    rejects(&app, with(json!({"capacity": 0})), &["capacity"]).await;
    rejects(&app, with(json!({"capacity": -3})), &["capacity"]).await;
    rejects(&app, with(json!({"capacity": 100_001})), &["capacity"]).await;
    rejects(&app, with(json!({"notes": "가".repeat(5001)})), &["notes"]).await;
}

#[tokio::test]
async fn each_room_rule_is_checked_and_named() {
    let app = spawn_app().await;
    let with_rooms = |rooms: Value| {
        let mut body = venue_body("공학관");
        body["rooms"] = rooms;
        body
    };
    let problem = rejects(
        &app,
        with_rooms(json!([{"name": "대강당", "capacity": 151}])),
        &["rooms[0].capacity"],
    )
    .await;
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("venue's capacity"),
        "{problem}"
    );
    let problem = rejects(
        &app,
        with_rooms(json!([{"name": "Hall"}, {"name": "세미나실"}, {"name": " hall "}])),
        &["rooms[2].name"],
    )
    .await;
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("share a name"),
        "room names are compared trimmed and case-insensitively: {problem}"
    );
    rejects(&app, with_rooms(json!([{"name": " "}])), &["rooms[0].name"]).await;
    rejects(
        &app,
        with_rooms(json!([{"name": "대강당", "capacity": 0}])),
        &["rooms[0].capacity"],
    )
    .await;
    rejects(
        &app,
        with_rooms(json!([{"name": "대강당"}, {"capacity": 10}])),
        &["rooms[1].name"],
    )
    .await;
    rejects(
        &app,
        with_rooms(json!([{"id": UNKNOWN_ID, "name": "대강당"}])),
        &["rooms[0].id"],
    )
    .await;
    let many: Vec<Value> = (0..101)
        .map(|n| json!({"name": format!("방 {n}")}))
        .collect();
    rejects(&app, with_rooms(Value::Array(many)), &["rooms"]).await;

    // Without a venue capacity, room capacities are not bounded by it.
    let mut body = with_rooms(json!([{"name": "대강당", "capacity": 500}]));
    body.as_object_mut().unwrap().remove("capacity");
    expect_status(app.post("/api/v1/venues", &body).await, StatusCode::CREATED).await;
}

#[tokio::test]
async fn every_invalid_field_is_reported_at_once() {
    let app = spawn_app().await;
    rejects(
        &app,
        json!({
            "name": " ", "address": "관악로 1", "map_url": "ftp://x", "capacity": 100,
            "rooms": [{"name": "대강당", "capacity": 500}, {"name": "대강당"}]
        }),
        &["name", "map_url", "rooms[0].capacity", "rooms[1].name"],
    )
    .await;
}

#[tokio::test]
async fn unknown_missing_and_mistyped_fields_are_named() {
    let app = spawn_app().await;
    let mut body = venue_body("공학관");
    body["parking"] = json!(true);
    let problem = rejects(&app, body, &["parking"]).await;
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not a known field"),
        "{problem}"
    );
    let mut body = venue_body("공학관");
    body["rooms"][1]["floor"] = json!(3);
    rejects(&app, body, &["rooms[1].floor"]).await;
    rejects(&app, json!({"address": "관악로 1"}), &["name"]).await;
    rejects(
        &app,
        json!({"name": "공학관", "address": "관악로 1", "rooms": [{"name": "A", "capacity": "big"}]}),
        &["rooms[0].capacity"],
    )
    .await;
    rejects(
        &app,
        json!({"name": "공학관", "address": "관악로 1", "rooms": "대강당"}),
        &["rooms"],
    )
    .await;
}

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
