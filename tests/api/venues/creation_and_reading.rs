//! Creating a venue with its rooms, and reading and listing venues.

use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::fixtures::UNKNOWN_ID;
use crate::helpers::venues::{list_all, room_ids_of, room_names_of, venue_body};
use crate::helpers::{expect_problem, expect_status, id, spawn_app};

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
