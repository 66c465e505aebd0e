//! Venue persistence. Rooms are stored in their own table and always travel with their venue.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{event, room, talk, venue};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{NewVenue, VenueError, VenueInput};
use crate::audit::{self, AuditAction, AuditTarget, Change};
use crate::db::begin_write;
use crate::domain::Invalid;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Venue {
    pub id: Uuid,
    #[schema(example = "서울대학교 관악캠퍼스 302동")]
    pub name: String,
    #[schema(example = "서울특별시 관악구 관악로 1")]
    pub address: String,
    pub map_url: Option<String>,
    pub capacity: Option<i32>,
    pub notes: Option<String>,
    pub rooms: Vec<Room>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Room {
    pub id: Uuid,
    #[schema(example = "대강당")]
    pub name: String,
    pub capacity: Option<i32>,
}

impl Venue {
    fn from_rows(row: venue::Model, rooms: Vec<room::Model>) -> Self {
        Venue {
            id: row.id,
            name: row.name,
            address: row.address,
            map_url: row.map_url,
            capacity: row.capacity,
            notes: row.notes,
            rooms: rooms
                .into_iter()
                .map(|room| Room {
                    id: room.id,
                    name: room.name,
                    capacity: room.capacity,
                })
                .collect(),
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }

    /// The input that would recreate this venue: the base a PATCH is merged into.
    pub fn as_input(&self) -> VenueInput {
        VenueInput {
            name: self.name.clone(),
            address: self.address.clone(),
            map_url: self.map_url.clone(),
            capacity: self.capacity.map(i64::from),
            notes: self.notes.clone(),
            rooms: self
                .rooms
                .iter()
                .map(|room| super::RoomInput {
                    id: Some(room.id),
                    name: room.name.clone(),
                    capacity: room.capacity.map(i64::from),
                })
                .collect(),
        }
    }
}

pub async fn load_venue(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Venue>, DbErr> {
    let Some(row) = venue::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let rooms = room::Entity::find()
        .filter(room::Column::VenueId.eq(id))
        .order_by_asc(room::Column::Position)
        .all(db)
        .await?;
    Ok(Some(Venue::from_rows(row, rooms)))
}

/// Ids of the rooms of a venue.
pub async fn room_ids(db: &impl ConnectionTrait, venue_id: Uuid) -> Result<Vec<Uuid>, DbErr> {
    Ok(room::Entity::find()
        .filter(room::Column::VenueId.eq(venue_id))
        .all(db)
        .await?
        .into_iter()
        .map(|room| room.id)
        .collect())
}

pub async fn list_venues(
    db: &DatabaseConnection,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Venue>, DbErr> {
    let mut query = venue::Entity::find()
        .order_by_asc(venue::Column::Id)
        .limit(limit + 1);
    if let Some(after) = after {
        query = query.filter(venue::Column::Id.gt(after));
    }
    let rows = query.all(db).await?;
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let mut rooms_by_venue: HashMap<Uuid, Vec<room::Model>> = HashMap::new();
    for room in room::Entity::find()
        .filter(room::Column::VenueId.is_in(ids))
        .order_by_asc(room::Column::Position)
        .all(db)
        .await?
    {
        rooms_by_venue.entry(room.venue_id).or_default().push(room);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let rooms = rooms_by_venue.remove(&row.id).unwrap_or_default();
            Venue::from_rows(row, rooms)
        })
        .collect())
}

pub async fn create_venue(db: &DatabaseConnection, new: NewVenue) -> Result<Venue, VenueError> {
    if let Some((index, _)) = new
        .rooms
        .iter()
        .enumerate()
        .find(|(_, room)| room.id.is_some())
    {
        return Err(Invalid::field(
            format!("rooms[{index}].id"),
            "a new venue's rooms cannot have ids",
        )
        .into());
    }
    let now = Utc::now();
    let id = Uuid::now_v7();
    let txn = begin_write(db).await?;
    venue::Entity::insert(venue::ActiveModel {
        id: Set(id),
        name: Set(new.name),
        address: Set(new.address),
        map_url: Set(new.map_url),
        capacity: Set(new.capacity.map(|c| c.get())),
        notes: Set(new.notes),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec(&txn)
    .await?;
    for (position, room) in new.rooms.into_iter().enumerate() {
        insert_room(&txn, id, position, room).await?;
    }
    let venue = load_venue(&txn, id).await?.ok_or(VenueError::NotFound)?;
    audit::record(&txn, Change::created(AuditTarget::Venue, id, &venue)).await?;
    txn.commit().await?;
    Ok(venue)
}

async fn insert_room(
    db: &impl ConnectionTrait,
    venue_id: Uuid,
    position: usize,
    room: super::NewRoom,
) -> Result<(), DbErr> {
    room::Entity::insert(room::ActiveModel {
        id: Set(Uuid::now_v7()),
        venue_id: Set(venue_id),
        name: Set(room.name),
        capacity: Set(room.capacity.map(|c| c.get())),
        position: Set(position as i32),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Changes a venue to what `change` makes of it. The venue is locked and `change` is given
/// the venue as it is inside the write transaction: given a copy read earlier, a change
/// (such as a merge patch) would write back stale values of the fields it does not name (or
/// resurrect rooms), undoing a concurrent change.
pub async fn update_venue(
    db: &DatabaseConnection,
    id: Uuid,
    change: impl FnOnce(VenueInput) -> Result<NewVenue, Invalid>,
) -> Result<Venue, VenueError> {
    let txn = begin_write(db).await?;
    let row = venue::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(VenueError::NotFound)?;
    let current = load_venue(&txn, id).await?.ok_or(VenueError::NotFound)?;
    let new = change(current.as_input())?;
    let existing = room_ids(&txn, id).await?;
    for (index, room) in new.rooms.iter().enumerate() {
        if let Some(room_id) = room.id
            && !existing.contains(&room_id)
        {
            return Err(Invalid::field(
                format!("rooms[{index}].id"),
                "no room with this id in this venue",
            )
            .into());
        }
    }
    let kept: Vec<Uuid> = new.rooms.iter().filter_map(|room| room.id).collect();
    let removed: Vec<Uuid> = existing
        .into_iter()
        .filter(|id| !kept.contains(id))
        .collect();
    if let Some(used) = talk::Entity::find()
        .filter(talk::Column::RoomId.is_in(removed.clone()))
        .one(&txn)
        .await?
    {
        return Err(VenueError::RoomInUse {
            talk_id: used.id,
            talk: used.title,
        });
    }
    room::Entity::delete_many()
        .filter(room::Column::Id.is_in(removed))
        .exec(&txn)
        .await?;
    for (position, room) in new.rooms.into_iter().enumerate() {
        match room.id {
            Some(room_id) => {
                room::Entity::update(room::ActiveModel {
                    id: Set(room_id),
                    venue_id: Set(id),
                    name: Set(room.name),
                    capacity: Set(room.capacity.map(|c| c.get())),
                    position: Set(position as i32),
                })
                .exec(&txn)
                .await?;
            }
            None => insert_room(&txn, id, position, room).await?,
        }
    }
    let mut active: venue::ActiveModel = row.into();
    active.name = Set(new.name);
    active.address = Set(new.address);
    active.map_url = Set(new.map_url);
    active.capacity = Set(new.capacity.map(|c| c.get()));
    active.notes = Set(new.notes);
    active.updated_at = Set(Utc::now());
    venue::Entity::update(active).exec(&txn).await?;
    let venue = load_venue(&txn, id).await?.ok_or(VenueError::NotFound)?;
    let change = Change::changed(
        AuditAction::Update,
        AuditTarget::Venue,
        id,
        &current,
        &venue,
    );
    audit::record(&txn, change).await?;
    txn.commit().await?;
    Ok(venue)
}

pub async fn delete_venue(db: &DatabaseConnection, id: Uuid) -> Result<(), VenueError> {
    let txn = begin_write(db).await?;
    venue::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(VenueError::NotFound)?;
    let before = load_venue(&txn, id).await?.ok_or(VenueError::NotFound)?;
    if let Some(used) = event::Entity::find()
        .filter(event::Column::VenueId.eq(id))
        .one(&txn)
        .await?
    {
        return Err(VenueError::UsedByEvent {
            event_id: used.id,
            event: used.title,
        });
    }
    venue::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(&txn, Change::deleted(AuditTarget::Venue, id, &before)).await?;
    txn.commit().await?;
    Ok(())
}
