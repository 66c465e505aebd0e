//! Every rule a venue and its rooms are checked against: each broken rule named, all at once,
//! and nothing created.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::fixtures::UNKNOWN_ID;
use crate::helpers::venues::{list_all, venue_body};
use crate::helpers::{TestApp, error_fields, expect_problem, expect_status, spawn_app};

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

/// The venue body with these rooms.
fn with_rooms(rooms: Value) -> Value {
    let mut body = venue_body("공학관");
    body["rooms"] = rooms;
    body
}

/// A room bigger than the venue, and two rooms sharing a name (trimmed, case aside), are
/// refused with a message saying why.
async fn rooms_fit_the_venue_and_have_their_own_names(app: &TestApp) {
    let problem = rejects(
        app,
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
        app,
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
}

/// Each room needs a name and a positive capacity, a known id if it has one; at most 100 rooms.
async fn each_room_is_checked(app: &TestApp) {
    rejects(app, with_rooms(json!([{"name": " "}])), &["rooms[0].name"]).await;
    rejects(
        app,
        with_rooms(json!([{"name": "대강당", "capacity": 0}])),
        &["rooms[0].capacity"],
    )
    .await;
    rejects(
        app,
        with_rooms(json!([{"name": "대강당"}, {"capacity": 10}])),
        &["rooms[1].name"],
    )
    .await;
    rejects(
        app,
        with_rooms(json!([{"id": UNKNOWN_ID, "name": "대강당"}])),
        &["rooms[0].id"],
    )
    .await;
    let many: Vec<Value> = (0..101)
        .map(|n| json!({"name": format!("방 {n}")}))
        .collect();
    rejects(app, with_rooms(Value::Array(many)), &["rooms"]).await;
}

#[tokio::test]
async fn each_room_rule_is_checked_and_named() {
    let app = spawn_app().await;
    rooms_fit_the_venue_and_have_their_own_names(&app).await;
    each_room_is_checked(&app).await;

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
