//! Venues as the venue tests make and inspect them: a valid body, the rooms of a venue, the
//! list, and the rooms left in the database.

use entity::room;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{TestApp, expect_status, id};

pub fn venue_body(name: &str) -> Value {
    json!({
        "name": name, "address": "서울특별시 관악구 관악로 1",
        "map_url": "https://naver.me/example", "capacity": 150, "notes": "정문 주차 불가",
        "rooms": [{"name": "대강당", "capacity": 120}, {"name": "세미나실", "capacity": 30}]
    })
}

pub fn room_ids_of(venue: &Value) -> Vec<String> {
    venue["rooms"]
        .as_array()
        .expect("rooms is a list")
        .iter()
        .map(id)
        .collect()
}

pub fn room_names_of(venue: &Value) -> Vec<String> {
    venue["rooms"]
        .as_array()
        .expect("rooms is a list")
        .iter()
        .map(|room| room["name"].as_str().unwrap().to_string())
        .collect()
}

pub async fn list_all(app: &TestApp) -> Vec<Value> {
    let page = expect_status(app.get("/api/v1/venues?limit=100").await, StatusCode::OK).await;
    page["items"].as_array().unwrap().clone()
}

pub async fn rooms_in_database(app: &TestApp, venue_id: &str) -> u64 {
    room::Entity::find()
        .filter(room::Column::VenueId.eq(Uuid::parse_str(venue_id).unwrap()))
        .count(&app.db)
        .await
        .unwrap()
}
