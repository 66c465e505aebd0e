use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};
use entity::{event, room, speaker, talk, talk_speaker};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::schedule::{Frame, Slot, check_talk};
use super::{NewTalk, TalkError, TalkInput, TalkKind};
use crate::audit::{self, AuditAction, AuditTarget, Change};
use crate::db::{begin_write, lock_event};
use crate::domain::{Invalid, Tags, TimeRange, in_zone};
use crate::error::FieldError;
use crate::events::event_time;
use crate::venues::room_ids;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Talk {
    pub id: Uuid,
    pub event_id: Uuid,
    #[schema(example = "신입 개발자로 살아남기")]
    pub title: String,
    #[serde(rename = "abstract")]
    pub abstract_text: Option<String>,
    pub kind: TalkKind,
    pub room_id: Option<Uuid>,
    /// In the event's time zone.
    #[schema(value_type = String, format = DateTime, example = "2026-05-16T14:00:00+09:00")]
    pub starts_at: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime, example = "2026-05-16T14:20:00+09:00")]
    pub ends_at: DateTime<FixedOffset>,
    /// In the order the organizer listed them.
    pub speaker_ids: Vec<Uuid>,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Talk {
    fn from_row(row: talk::Model, speaker_ids: Vec<Uuid>, time_zone: &str) -> Result<Self, DbErr> {
        Ok(Talk {
            id: row.id,
            event_id: row.event_id,
            title: row.title,
            abstract_text: row.abstract_text,
            kind: row.kind,
            room_id: row.room_id,
            starts_at: in_zone(row.starts_at, time_zone),
            ends_at: in_zone(row.ends_at, time_zone),
            speaker_ids,
            tags: Tags::from_column(&row.tags)?,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }

    pub fn as_input(&self) -> TalkInput {
        TalkInput {
            title: self.title.clone(),
            abstract_text: self.abstract_text.clone(),
            speaker_ids: self.speaker_ids.clone(),
            room_id: self.room_id,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            kind: self.kind,
            tags: self.tags.clone(),
        }
    }
}

/// Speakers of each talk, in the order listed.
async fn speakers_by_talk(
    db: &impl ConnectionTrait,
    talk_ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, Vec<Uuid>>, DbErr> {
    let mut by_talk: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for link in talk_speaker::Entity::find()
        .filter(talk_speaker::Column::TalkId.is_in(talk_ids))
        .order_by_asc(talk_speaker::Column::Position)
        .all(db)
        .await?
    {
        by_talk
            .entry(link.talk_id)
            .or_default()
            .push(link.speaker_id);
    }
    Ok(by_talk)
}

async fn slots(db: &impl ConnectionTrait, rows: Vec<talk::Model>) -> Result<Vec<Slot>, DbErr> {
    let mut speakers = speakers_by_talk(db, rows.iter().map(|row| row.id).collect()).await?;
    rows.into_iter()
        .map(|row| {
            Ok(Slot {
                speaker_ids: speakers.remove(&row.id).unwrap_or_default(),
                time: TimeRange::new(row.starts_at, row.ends_at)
                    .map_err(|error| DbErr::Custom(format!("stored talk {}: {error}", row.id)))?,
                id: row.id,
                title: row.title,
                room_id: row.room_id,
            })
        })
        .collect()
}

/// Every talk of an event, for re-checking the schedule when the event changes.
pub async fn event_slots(db: &impl ConnectionTrait, event_id: Uuid) -> Result<Vec<Slot>, DbErr> {
    let rows = talk::Entity::find()
        .filter(talk::Column::EventId.eq(event_id))
        .all(db)
        .await?;
    slots(db, rows).await
}

/// An event's talks in schedule order (start time, then id), after the talk `after`.
pub async fn list_event_talks(
    db: &impl ConnectionTrait,
    event: &event::Model,
    after: Option<Uuid>,
    limit: Option<u64>,
) -> Result<Vec<Talk>, TalkError> {
    let mut query = talk::Entity::find()
        .filter(talk::Column::EventId.eq(event.id))
        .order_by_asc(talk::Column::StartsAt)
        .order_by_asc(talk::Column::Id);
    if let Some(after) = after {
        let cursor = talk::Entity::find_by_id(after)
            .filter(talk::Column::EventId.eq(event.id))
            .one(db)
            .await?
            .ok_or_else(|| Invalid::field("cursor", "not a talk of this event"))?;
        query = query.filter(
            Condition::any()
                .add(talk::Column::StartsAt.gt(cursor.starts_at))
                .add(
                    Condition::all()
                        .add(talk::Column::StartsAt.eq(cursor.starts_at))
                        .add(talk::Column::Id.gt(cursor.id)),
                ),
        );
    }
    if let Some(limit) = limit {
        query = query.limit(limit + 1);
    }
    let rows = query.all(db).await?;
    let mut speakers = speakers_by_talk(db, rows.iter().map(|row| row.id).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let speaker_ids = speakers.remove(&row.id).unwrap_or_default();
            Talk::from_row(row, speaker_ids, &event.time_zone)
        })
        .collect::<Result<_, _>>()?)
}

pub async fn load_talk(
    db: &impl ConnectionTrait,
    event: &event::Model,
    talk_id: Uuid,
) -> Result<Talk, TalkError> {
    let row = talk::Entity::find_by_id(talk_id)
        .filter(talk::Column::EventId.eq(event.id))
        .one(db)
        .await?
        .ok_or(TalkError::NotFound)?;
    let speaker_ids = speakers_by_talk(db, vec![talk_id])
        .await?
        .remove(&talk_id)
        .unwrap_or_default();
    Ok(Talk::from_row(row, speaker_ids, &event.time_zone)?)
}

/// Locks the event (so talks of one event are placed one after another), checks that the
/// speakers exist, and checks the talk against the schedule rules.
async fn place(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    talk_id: Uuid,
    new: &NewTalk,
) -> Result<event::Model, TalkError> {
    let event = lock_event(txn, event_id)
        .await?
        .ok_or(TalkError::EventNotFound)?;
    // Lock the speakers in id order too: talks of other events may claim them concurrently.
    let mut sorted_speakers = new.speaker_ids.clone();
    sorted_speakers.sort();
    let found: Vec<Uuid> = speaker::Entity::find()
        .filter(speaker::Column::Id.is_in(sorted_speakers.clone()))
        .order_by_asc(speaker::Column::Id)
        .lock_exclusive()
        .all(txn)
        .await?
        .into_iter()
        .map(|row| row.id)
        .collect();
    let mut missing = Vec::new();
    for (index, id) in new.speaker_ids.iter().enumerate() {
        if !found.contains(id) {
            missing.push(FieldError::new(
                format!("speaker_ids[{index}]"),
                "no speaker with this id",
            ));
        }
    }
    if !missing.is_empty() {
        return Err(Invalid(missing).into());
    }
    if let Some(room_id) = new.room_id
        && room::Entity::find_by_id(room_id)
            .lock_exclusive()
            .one(txn)
            .await?
            .is_none()
    {
        return Err(Invalid::field("room_id", "no room with this id").into());
    }
    let venue_rooms = match event.venue_id {
        Some(venue_id) => room_ids(txn, venue_id).await?,
        None => Vec::new(),
    };
    let frame = Frame {
        time: event_time(&event)?,
        room_ids: &venue_rooms,
    };
    let candidate = Slot {
        id: talk_id,
        title: new.title.clone(),
        room_id: new.room_id,
        time: new.time,
        speaker_ids: new.speaker_ids.clone(),
    };
    let others = possible_collisions(txn, event_id, new).await?;
    check_talk(&frame, &candidate, &others).map_err(|conflict| TalkError::Schedule {
        talk: new.title.clone(),
        conflict,
    })?;
    Ok(event)
}

/// Talks that could collide with `new`: those of the same event, in the same room, or with
/// one of its speakers, whichever event they belong to.
async fn possible_collisions(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    new: &NewTalk,
) -> Result<Vec<Slot>, DbErr> {
    let speaker_talks: Vec<Uuid> = talk_speaker::Entity::find()
        .filter(talk_speaker::Column::SpeakerId.is_in(new.speaker_ids.clone()))
        .all(txn)
        .await?
        .into_iter()
        .map(|link| link.talk_id)
        .collect();
    let mut condition = Condition::any()
        .add(talk::Column::EventId.eq(event_id))
        .add(talk::Column::Id.is_in(speaker_talks));
    if let Some(room_id) = new.room_id {
        condition = condition.add(talk::Column::RoomId.eq(room_id));
    }
    let rows = talk::Entity::find().filter(condition).all(txn).await?;
    slots(txn, rows).await
}

fn columns(active: &mut talk::ActiveModel, new: &NewTalk) {
    active.title = Set(new.title.clone());
    active.abstract_text = Set(new.abstract_text.clone());
    active.room_id = Set(new.room_id);
    active.starts_at = Set(new.time.starts_at());
    active.ends_at = Set(new.time.ends_at());
    active.kind = Set(new.kind);
    active.tags = Set(new.tags.to_column());
    active.updated_at = Set(Utc::now());
}

async fn replace_speakers(
    txn: &DatabaseTransaction,
    talk_id: Uuid,
    speaker_ids: &[Uuid],
) -> Result<(), DbErr> {
    talk_speaker::Entity::delete_many()
        .filter(talk_speaker::Column::TalkId.eq(talk_id))
        .exec(txn)
        .await?;
    for (position, speaker_id) in speaker_ids.iter().enumerate() {
        talk_speaker::Entity::insert(talk_speaker::ActiveModel {
            talk_id: Set(talk_id),
            speaker_id: Set(*speaker_id),
            position: Set(position as i32),
        })
        .exec(txn)
        .await?;
    }
    Ok(())
}

pub async fn create_talk(
    db: &DatabaseConnection,
    event_id: Uuid,
    new: NewTalk,
) -> Result<Talk, TalkError> {
    let txn = begin_write(db).await?;
    let id = Uuid::now_v7();
    let event = place(&txn, event_id, id, &new).await?;
    let mut active = talk::ActiveModel {
        id: Set(id),
        event_id: Set(event_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    columns(&mut active, &new);
    talk::Entity::insert(active).exec(&txn).await?;
    replace_speakers(&txn, id, &new.speaker_ids).await?;
    let talk = load_talk(&txn, &event, id).await?;
    let change = Change::created(AuditTarget::Talk, id, &talk).in_event(event_id);
    audit::record(&txn, change).await?;
    txn.commit().await?;
    Ok(talk)
}

/// Changes a talk to what `change` makes of it. The event is locked first, as by every
/// schedule write, and `change` is given the talk as it is then: given a copy read before the
/// transaction, a change (such as a merge patch) would write back stale values of the fields
/// it does not name and undo a concurrent change.
pub async fn update_talk(
    db: &DatabaseConnection,
    event_id: Uuid,
    talk_id: Uuid,
    change: impl FnOnce(TalkInput) -> Result<NewTalk, Invalid>,
) -> Result<Talk, TalkError> {
    let txn = begin_write(db).await?;
    let event = lock_event(&txn, event_id)
        .await?
        .ok_or(TalkError::EventNotFound)?;
    let row = talk::Entity::find_by_id(talk_id)
        .filter(talk::Column::EventId.eq(event_id))
        .one(&txn)
        .await?
        .ok_or(TalkError::NotFound)?;
    let speaker_ids = speakers_by_talk(&txn, vec![talk_id])
        .await?
        .remove(&talk_id)
        .unwrap_or_default();
    let current = Talk::from_row(row.clone(), speaker_ids, &event.time_zone)?;
    let new = change(current.as_input())?;
    let event = place(&txn, event_id, talk_id, &new).await?;
    let mut active: talk::ActiveModel = row.into();
    columns(&mut active, &new);
    talk::Entity::update(active).exec(&txn).await?;
    replace_speakers(&txn, talk_id, &new.speaker_ids).await?;
    let talk = load_talk(&txn, &event, talk_id).await?;
    let change = Change::changed(
        AuditAction::Update,
        AuditTarget::Talk,
        talk_id,
        &current,
        &talk,
    );
    audit::record(&txn, change.in_event(event_id)).await?;
    txn.commit().await?;
    Ok(talk)
}

pub async fn delete_talk(
    db: &DatabaseConnection,
    event_id: Uuid,
    talk_id: Uuid,
) -> Result<(), TalkError> {
    let txn = begin_write(db).await?;
    let event = lock_event(&txn, event_id)
        .await?
        .ok_or(TalkError::NotFound)?;
    let before = load_talk(&txn, &event, talk_id).await?;
    talk::Entity::delete_by_id(talk_id).exec(&txn).await?;
    let change = Change::deleted(AuditTarget::Talk, talk_id, &before).in_event(event_id);
    audit::record(&txn, change).await?;
    txn.commit().await?;
    Ok(())
}
