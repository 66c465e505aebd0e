//! Talk topics and the rest of an event's schedule (panels, networking blocks, breaks).

mod routes;
pub mod schedule;
mod store;

pub use routes::{configure, schedule_problem};
pub use store::{
    Talk, create_talk, delete_talk, event_slots, list_event_talks, load_talk, update_talk,
};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::{Fields, Invalid, LongText, Tags, Text, TimeRange, parsed};
use schedule::Conflict;

/// Why a talk could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum TalkError {
    #[error("event not found")]
    EventNotFound,
    #[error("talk not found")]
    NotFound,
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The talk titled `talk` would break a rule of the schedule.
    #[error("the talk {talk:?} does not fit the schedule: {conflict:?}")]
    Schedule { talk: String, conflict: Conflict },
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

pub use entity::values::TalkKind;

/// A panel has at most this many speakers.
pub const MAX_SPEAKERS: usize = 20;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TalkInput {
    #[schema(example = "신입 개발자로 살아남기")]
    pub title: String,
    #[serde(rename = "abstract", default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "첫 회사에서 배운 것들")]
    pub abstract_text: Option<String>,
    /// One or more speakers for `talk`, `lightning` and `panel`; optional otherwise.
    #[serde(default)]
    pub speaker_ids: Vec<Uuid>,
    /// A room of the event's venue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<Uuid>,
    #[schema(value_type = String, format = DateTime, example = "2026-05-16T14:00:00+09:00")]
    pub starts_at: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime, example = "2026-05-16T14:20:00+09:00")]
    pub ends_at: DateTime<FixedOffset>,
    #[serde(default)]
    pub kind: TalkKind,
    #[serde(default)]
    #[schema(example = json!(["career"]))]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct NewTalk {
    pub title: String,
    pub abstract_text: Option<String>,
    pub speaker_ids: Vec<Uuid>,
    pub room_id: Option<Uuid>,
    pub time: TimeRange,
    pub kind: TalkKind,
    pub tags: Tags,
}

impl TalkInput {
    pub fn parse(&self) -> Result<NewTalk, Invalid> {
        let mut fields = Fields::default();
        let title = fields.check("title", Text::<200>::parse(&self.title));
        let abstract_text = fields.check(
            "abstract",
            LongText::<5000>::parse(self.abstract_text.as_deref()),
        );
        let time = fields.check(
            "ends_at",
            TimeRange::from_offsets(self.starts_at, self.ends_at),
        );
        let tags = fields.check("tags", Tags::parse(&self.tags));
        if self.kind.needs_speaker() && self.speaker_ids.is_empty() {
            fields.push(
                "speaker_ids",
                format!("a {} needs at least one speaker", self.kind.as_str()),
            );
        }
        if self.speaker_ids.len() > MAX_SPEAKERS {
            fields.push("speaker_ids", format!("at most {MAX_SPEAKERS} speakers"));
        }
        for (index, id) in self.speaker_ids.iter().enumerate() {
            if self.speaker_ids[..index].contains(id) {
                fields.push(
                    format!("speaker_ids[{index}]"),
                    "this speaker is already listed",
                );
            }
        }
        fields.finish()?;
        Ok(NewTalk {
            title: parsed(title).into_inner(),
            abstract_text: parsed(abstract_text).into_inner(),
            speaker_ids: self.speaker_ids.clone(),
            room_id: self.room_id,
            time: parsed(time),
            kind: self.kind,
            tags: parsed(tags),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn talks_need_speakers_but_breaks_do_not() {
        let mut input: TalkInput = serde_json::from_value(json!({
            "title": "Keynote", "starts_at": "2026-05-16T14:00:00+09:00", "ends_at": "2026-05-16T14:30:00+09:00"
        }))
        .unwrap();
        let Invalid(errors) = input.parse().unwrap_err();
        assert_eq!(errors[0].field, "speaker_ids");
        input.kind = TalkKind::Break;
        assert!(input.parse().is_ok());
    }

    #[test]
    fn duplicate_speakers_are_rejected() {
        let id = Uuid::now_v7();
        let input: TalkInput = serde_json::from_value(json!({
            "title": "Panel", "kind": "panel", "speaker_ids": [id, id],
            "starts_at": "2026-05-16T14:00:00+09:00", "ends_at": "2026-05-16T14:30:00+09:00"
        }))
        .unwrap();
        let Invalid(errors) = input.parse().unwrap_err();
        assert_eq!(errors[0].field, "speaker_ids[1]");
    }
}
