//! What the public may read of an event, gathered from the event, talk, speaker and venue
//! stores: drafts do not exist here.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{event, venue};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::{EventListing, PublicEvent, PublicRoom, PublicSpeaker, PublicTalk, PublicVenue};
use crate::events::Event;
use crate::speakers::load_speakers;
use crate::talks::{TalkError, list_event_talks};
use crate::venues::load_venue;

#[derive(Debug, thiserror::Error)]
pub enum PublicError {
    /// No event has this slug, or it was never published.
    #[error("event not found")]
    EventNotFound,
    #[error(transparent)]
    Talks(#[from] TalkError),
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// The event with this slug as long as it is public (ever published).
pub async fn public_event_row(
    db: &DatabaseConnection,
    slug: &str,
) -> Result<event::Model, PublicError> {
    event::Entity::find()
        .filter(event::Column::Slug.eq(slug))
        .one(db)
        .await?
        // Once published, an event stays public (closed, completed or cancelled, people need to
        // see that); a draft, even one cancelled before publication, never is.
        .filter(|row| row.published_at.is_some())
        .ok_or(PublicError::EventNotFound)
}

/// Loads everything the public may see of the event with this slug; drafts do not exist here.
pub async fn load_public_event(
    db: &DatabaseConnection,
    slug: &str,
) -> Result<PublicEvent, PublicError> {
    public_event(db, &public_event_row(db, slug).await?).await
}

/// Everything the public may see of a published event's row.
pub async fn public_event(
    db: &DatabaseConnection,
    row: &event::Model,
) -> Result<PublicEvent, PublicError> {
    let talks = list_event_talks(db, row, None, None).await?;
    let mut speaker_order: Vec<Uuid> = Vec::new();
    for id in talks.iter().flat_map(|talk| &talk.speaker_ids) {
        if !speaker_order.contains(id) {
            speaker_order.push(*id);
        }
    }
    let mut speakers = load_speakers(db, speaker_order.clone()).await?;
    speakers.sort_by_key(|speaker| speaker_order.iter().position(|id| *id == speaker.id));
    let venue = match row.venue_id {
        Some(venue_id) => load_venue(db, venue_id).await?,
        None => None,
    };
    let event = Event::try_from(row.clone())?;
    Ok(PublicEvent {
        id: event.id,
        title: event.title,
        slug: event.slug,
        description: event.description,
        starts_at: event.starts_at,
        ends_at: event.ends_at,
        time_zone: event.time_zone,
        status: event.status,
        capacity: event.capacity,
        registration_opens_at: event.registration_opens_at,
        registration_closes_at: event.registration_closes_at,
        tags: event.tags,
        tags_en: event.tags_en,
        venue: venue.map(|venue| PublicVenue {
            name: venue.name,
            address: venue.address,
            map_url: venue.map_url,
            directions: venue.notes,
            rooms: venue
                .rooms
                .into_iter()
                .map(|room| PublicRoom {
                    id: room.id,
                    name: room.name,
                })
                .collect(),
        }),
        schedule: talks.into_iter().map(PublicTalk::from).collect(),
        speakers: speakers.into_iter().map(PublicSpeaker::from).collect(),
    })
}

/// The most events the listing holds: a club has a few a year.
const LISTING_LIMIT: u64 = 100;

/// Published events (closed, completed and cancelled ones too; never drafts) that end at or
/// after `ends_after`, earliest start first, each with its venue's name.
pub async fn list_public_events(
    db: &DatabaseConnection,
    ends_after: DateTime<Utc>,
) -> Result<Vec<EventListing>, DbErr> {
    let rows = event::Entity::find()
        .filter(event::Column::PublishedAt.is_not_null())
        .filter(event::Column::EndsAt.gte(ends_after))
        .order_by_asc(event::Column::StartsAt)
        .limit(LISTING_LIMIT)
        .all(db)
        .await?;
    let venue_ids: Vec<Uuid> = rows.iter().filter_map(|row| row.venue_id).collect();
    let venues: HashMap<Uuid, String> = venue::Entity::find()
        .filter(venue::Column::Id.is_in(venue_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|venue| (venue.id, venue.name))
        .collect();
    rows.into_iter()
        .map(|row| {
            let venue = row.venue_id.and_then(|id| venues.get(&id).cloned());
            let event = Event::try_from(row)?;
            Ok(EventListing {
                slug: event.slug,
                title: event.title,
                starts_at: event.starts_at,
                ends_at: event.ends_at,
                time_zone: event.time_zone,
                status: event.status,
                venue,
            })
        })
        .collect()
}
