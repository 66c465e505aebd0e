//! Venues and their rooms.

mod routes;
mod store;

pub use routes::configure;
pub use store::{Room, Venue, create_venue, list_venues, load_venue, room_ids, update_venue};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::{
    Capacity, Fields, Invalid, LongText, Text, http_url, optional_capacity, parsed,
};

/// A venue lists at most this many rooms.
pub const MAX_ROOMS: usize = 100;

/// Why a venue could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum VenueError {
    #[error("venue not found")]
    NotFound,
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// A change removes a room that a talk takes place in.
    #[error("a removed room is used by the talk {talk:?}")]
    RoomInUse { talk_id: Uuid, talk: String },
    /// An event takes place at the venue.
    #[error("the venue is used by the event {event:?}")]
    UsedByEvent { event_id: Uuid, event: String },
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

/// A venue as organizers send it. On PATCH, `rooms` replaces the whole list: rooms keep
/// their `id`, rooms without one are created and rooms left out are deleted.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VenueInput {
    #[schema(example = "서울대학교 관악캠퍼스 302동")]
    pub name: String,
    #[schema(example = "서울특별시 관악구 관악로 1")]
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "https://naver.me/5Xa1b2c3")]
    pub map_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 150)]
    pub capacity: Option<i64>,
    /// Directions for attendees (parking, the nearest station, which door): shown on the
    /// public event page and in the public event as `venue.directions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "정문 주차 불가, 낙성대역에서 셔틀")]
    pub notes: Option<String>,
    #[serde(default)]
    pub rooms: Vec<RoomInput>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoomInput {
    /// Present when keeping an existing room (PATCH); absent for a new room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    #[schema(example = "대강당")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 120)]
    pub capacity: Option<i64>,
}

/// A venue that passed every rule.
#[derive(Debug, Clone)]
pub struct NewVenue {
    pub name: String,
    pub address: String,
    pub map_url: Option<String>,
    pub capacity: Option<Capacity>,
    pub notes: Option<String>,
    pub rooms: Vec<NewRoom>,
}

#[derive(Debug, Clone)]
pub struct NewRoom {
    pub id: Option<Uuid>,
    pub name: String,
    pub capacity: Option<Capacity>,
}

impl VenueInput {
    pub fn parse(&self) -> Result<NewVenue, Invalid> {
        let mut fields = Fields::default();
        let name = fields.check("name", Text::<200>::parse(&self.name));
        let address = fields.check("address", Text::<500>::parse(&self.address));
        let map_url = fields.check("map_url", self.map_url.as_deref().map(http_url).transpose());
        let capacity = fields.check("capacity", optional_capacity(self.capacity));
        let notes = fields.check("notes", LongText::<5000>::parse(self.notes.as_deref()));
        let mut rooms = Vec::with_capacity(self.rooms.len());
        let mut seen_names: Vec<String> = Vec::new();
        let mut seen_ids: Vec<Uuid> = Vec::new();
        for (index, room) in self.rooms.iter().enumerate() {
            let room_name = fields.check(
                format!("rooms[{index}].name"),
                Text::<100>::parse(&room.name),
            );
            let room_capacity = fields.check(
                format!("rooms[{index}].capacity"),
                optional_capacity(room.capacity),
            );
            if let Some(room_name) = &room_name {
                let key = room_name.as_str().to_lowercase();
                if seen_names.contains(&key) {
                    fields.push(
                        format!("rooms[{index}].name"),
                        "two rooms of a venue cannot share a name",
                    );
                }
                seen_names.push(key);
            }
            if let Some(id) = room.id {
                if seen_ids.contains(&id) {
                    fields.push(
                        format!("rooms[{index}].id"),
                        "the same room is listed twice",
                    );
                }
                seen_ids.push(id);
            }
            if let (Some(Some(room_capacity)), Some(Some(venue_capacity))) =
                (room_capacity, capacity)
                && room_capacity.get() > venue_capacity.get()
            {
                fields.push(
                    format!("rooms[{index}].capacity"),
                    "cannot exceed the venue's capacity",
                );
            }
            rooms.push((room.id, room_name, room_capacity));
        }
        if self.rooms.len() > MAX_ROOMS {
            fields.push("rooms", format!("at most {MAX_ROOMS} rooms"));
        }
        fields.finish()?;
        Ok(NewVenue {
            name: parsed(name).into_inner(),
            address: parsed(address).into_inner(),
            map_url: parsed(map_url),
            capacity: parsed(capacity),
            notes: parsed(notes).into_inner(),
            rooms: rooms
                .into_iter()
                .map(|(id, name, capacity)| NewRoom {
                    id,
                    name: parsed(name).into_inner(),
                    capacity: parsed(capacity),
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> VenueInput {
        serde_json::from_value(serde_json::json!({
            "name": "302동", "address": "관악로 1", "capacity": 100,
            "rooms": [{"name": "대강당", "capacity": 80}, {"name": "세미나실"}]
        }))
        .unwrap()
    }

    #[test]
    fn valid_venue_parses() {
        let venue = input().parse().unwrap();
        assert_eq!(venue.rooms.len(), 2);
        assert_eq!(venue.capacity.unwrap().get(), 100);
    }

    #[test]
    fn every_invalid_field_is_reported() {
        let mut bad = input();
        bad.name = " ".into();
        bad.map_url = Some("ftp://x".into());
        bad.rooms[1].name = "대강당".into();
        bad.rooms[0].capacity = Some(500);
        let Invalid(errors) = bad.parse().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["name", "map_url", "rooms[0].capacity", "rooms[1].name"]
        );
    }
}
