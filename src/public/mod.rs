//! What anyone may read without a token: a published event with its venue, schedule and
//! speakers. Nothing private (speaker emails) is in these types; the venue's notes are its
//! directions, meant for everyone who comes. `store` finds the public event; `routes` serves
//! it.

mod routes;
pub mod store;

pub use routes::configure;
pub use store::{list_public_events, load_public_event, public_event};

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::{EnglishLabels, Link};
use crate::events::EventStatus;
use crate::speakers::Speaker;
use crate::talks::{Talk, TalkKind};

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicEvent {
    /// The id to register with: `POST /api/v1/events/{id}/registrations`.
    pub id: Uuid,
    #[schema(example = "1&N 홈커밍 2026")]
    pub title: String,
    pub slug: String,
    pub description: Option<String>,
    #[schema(value_type = String, format = DateTime, example = "2026-05-16T13:00:00+09:00")]
    pub starts_at: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime, example = "2026-05-16T18:00:00+09:00")]
    pub ends_at: DateTime<FixedOffset>,
    pub time_zone: String,
    pub status: EventStatus,
    pub capacity: Option<i32>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub registration_opens_at: Option<DateTime<FixedOffset>>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub registration_closes_at: Option<DateTime<FixedOffset>>,
    pub tags: Vec<String>,
    /// English labels of the tags (tag → label); a tag without one is shown as it is.
    #[schema(value_type = std::collections::BTreeMap<String, String>)]
    pub tags_en: EnglishLabels,
    pub venue: Option<PublicVenue>,
    /// In order of start time.
    pub schedule: Vec<PublicTalk>,
    /// Everyone who speaks at the event, in order of first appearance.
    pub speakers: Vec<PublicSpeaker>,
}

/// One published event in the list of events (`/`).
#[derive(Debug, Clone)]
pub struct EventListing {
    pub slug: String,
    pub title: String,
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    pub time_zone: String,
    pub status: EventStatus,
    pub venue: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicVenue {
    pub name: String,
    pub address: String,
    pub map_url: Option<String>,
    /// How to get there (parking, the nearest station, which door), as the organizers wrote it.
    #[schema(example = "낙성대역 4번 출구에서 셔틀버스")]
    pub directions: Option<String>,
    pub rooms: Vec<PublicRoom>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicRoom {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicTalk {
    pub id: Uuid,
    pub title: String,
    #[serde(rename = "abstract")]
    pub abstract_text: Option<String>,
    pub kind: TalkKind,
    pub room_id: Option<Uuid>,
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: DateTime<FixedOffset>,
    pub speaker_ids: Vec<Uuid>,
    pub tags: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicSpeaker {
    pub id: Uuid,
    #[schema(example = "김서연")]
    pub name: String,
    pub admission_year: Option<i32>,
    pub cohort: Option<String>,
    pub affiliation: Option<String>,
    pub job_title: Option<String>,
    pub bio: Option<String>,
    pub links: Vec<Link>,
    pub tags: Vec<String>,
}

impl From<Talk> for PublicTalk {
    fn from(talk: Talk) -> Self {
        PublicTalk {
            id: talk.id,
            title: talk.title,
            abstract_text: talk.abstract_text,
            kind: talk.kind,
            room_id: talk.room_id,
            starts_at: talk.starts_at,
            ends_at: talk.ends_at,
            speaker_ids: talk.speaker_ids,
            tags: talk.tags,
        }
    }
}

impl From<Speaker> for PublicSpeaker {
    fn from(speaker: Speaker) -> Self {
        PublicSpeaker {
            id: speaker.id,
            name: speaker.name,
            admission_year: speaker.admission_year,
            cohort: speaker.cohort,
            affiliation: speaker.affiliation,
            job_title: speaker.job_title,
            bio: speaker.bio,
            links: speaker.links,
            tags: speaker.tags,
        }
    }
}
