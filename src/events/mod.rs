//! Events: one homecoming each, with its time, venue, capacity, registration window and
//! status life cycle.

mod routes;
mod status;
mod store;

pub use routes::configure;
pub use status::EventStatus;
pub use store::{
    Event, EventFilter, EventOverview, create_event, event_time, list_events, load_event_row,
    overview, update_event,
};

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::{
    Capacity, EnglishLabels, Fields, Invalid, LongText, Slug, Tags, Text, TimeRange, TimeZone,
    optional_capacity, parsed,
};
use crate::talks::schedule::Conflict;

/// Why an event could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error("event not found")]
    NotFound,
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The slug asked for is another event's.
    #[error("the slug {slug:?} is already used by the event {event:?}")]
    SlugTaken {
        slug: String,
        event_id: Uuid,
        event: String,
    },
    /// The life cycle does not lead from `from` to `to`.
    #[error("an event cannot go from {} to {}", from.as_str(), to.as_str())]
    InvalidTransition { from: EventStatus, to: EventStatus },
    /// Only drafts and cancelled events can be deleted; this one is `status`.
    #[error("a {status} event is kept as history")]
    KeptAsHistory { status: EventStatus },
    /// Moving the event or changing its venue would leave a talk out.
    #[error("a talk would no longer fit the event: {0:?}")]
    Schedule(Conflict),
    /// The event's registrations refused the change (capacity below the confirmed seats) or
    /// could not follow it (promotions).
    #[error(transparent)]
    Registrations(#[from] crate::registration::RegistrationError),
    /// The mail telling registrants about the change could not be queued.
    #[error(transparent)]
    Mail(#[from] crate::email::messages::MailError),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

pub const DEFAULT_TIME_ZONE: &str = "Asia/Seoul";

/// An event as organizers send it. Times are RFC 3339 with an offset.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    #[schema(example = "1&N 홈커밍 2026")]
    pub title: String,
    /// URL-safe and unique; derived from the title when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "1n-homecoming-2026")]
    pub slug: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "졸업생과 재학생이 다시 만나는 날")]
    pub description: Option<String>,
    #[schema(value_type = String, format = DateTime, example = "2026-05-16T13:00:00+09:00")]
    pub starts_at: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime, example = "2026-05-16T18:00:00+09:00")]
    pub ends_at: DateTime<FixedOffset>,
    /// IANA time zone the event is held in (default `Asia/Seoul`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "Asia/Seoul")]
    pub time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue_id: Option<Uuid>,
    /// Seats for attendees; required before publishing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 120)]
    pub capacity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime, example = "2026-04-01T10:00:00+09:00")]
    pub registration_opens_at: Option<DateTime<FixedOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime, example = "2026-05-14T23:59:59+09:00")]
    pub registration_closes_at: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    #[schema(example = json!(["career", "ai", "startup"]))]
    pub tags: Vec<String>,
    /// English labels of the tags, by tag (each key one of `tags`); English pages show a
    /// tag without one as it is.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schema(example = json!({"career": "Careers", "ai": "AI"}))]
    pub tags_en: BTreeMap<String, String>,
    /// When true, registrations wait as `pending` until an organizer approves them.
    #[serde(default)]
    pub requires_approval: bool,
    /// Only on PATCH: the new status. New events always start as `draft`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<EventStatus>,
}

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub title: String,
    pub slug: Option<Slug>,
    pub description: Option<String>,
    pub time: TimeRange,
    pub time_zone: TimeZone,
    /// The year of `starts_at` where the event takes place.
    pub local_year: i32,
    pub venue_id: Option<Uuid>,
    pub capacity: Option<Capacity>,
    pub registration_opens_at: Option<DateTime<chrono::Utc>>,
    pub registration_closes_at: Option<DateTime<chrono::Utc>>,
    pub tags: Tags,
    pub tags_en: EnglishLabels,
    pub requires_approval: bool,
    pub status: Option<EventStatus>,
}

impl EventInput {
    pub fn parse(&self) -> Result<NewEvent, Invalid> {
        let mut fields = Fields::default();
        let title = fields.check("title", Text::<200>::parse(&self.title));
        let slug = fields.check("slug", self.slug.as_deref().map(Slug::parse).transpose());
        let description = fields.check(
            "description",
            LongText::<10_000>::parse(self.description.as_deref()),
        );
        let time = fields.check(
            "ends_at",
            TimeRange::from_offsets(self.starts_at, self.ends_at),
        );
        let time_zone = fields.check(
            "time_zone",
            TimeZone::parse(self.time_zone.as_deref().unwrap_or(DEFAULT_TIME_ZONE)),
        );
        let capacity = fields.check("capacity", optional_capacity(self.capacity));
        let tags = fields.check("tags", Tags::parse(&self.tags));
        let tags_en = match &tags {
            // Keys are matched as tags are kept: trimmed and lowercased.
            Some(tags) => fields.check(
                "tags_en",
                EnglishLabels::parse(&self.tags_en, tags.as_slice(), str::to_lowercase),
            ),
            None => None,
        };
        let opens = self.registration_opens_at.map(|at| at.to_utc());
        let closes = self.registration_closes_at.map(|at| at.to_utc());
        if let (Some(opens), Some(closes)) = (opens, closes)
            && opens >= closes
        {
            fields.push(
                "registration_closes_at",
                "must be after registration_opens_at",
            );
        }
        if let Some(time) = time {
            if closes.is_some_and(|closes| closes > time.ends_at()) {
                fields.push("registration_closes_at", "must not be after the event ends");
            }
            if opens.is_some_and(|opens| opens >= time.ends_at()) {
                fields.push("registration_opens_at", "must be before the event ends");
            }
        }
        fields.finish()?;
        let time = parsed(time);
        let time_zone = parsed(time_zone);
        Ok(NewEvent {
            title: parsed(title).into_inner(),
            slug: parsed(slug),
            description: parsed(description).into_inner(),
            local_year: time_zone.local(time.starts_at()).year(),
            time,
            time_zone,
            venue_id: self.venue_id,
            capacity: parsed(capacity),
            registration_opens_at: opens,
            registration_closes_at: closes,
            tags: parsed(tags),
            tags_en: parsed(tags_en),
            requires_approval: self.requires_approval,
            status: self.status,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(extra: serde_json::Value) -> EventInput {
        let mut base = json!({
            "title": "1&N 홈커밍 2026",
            "starts_at": "2026-01-01T01:00:00+09:00",
            "ends_at": "2026-01-01T06:00:00+09:00",
        });
        crate::extract::merge_patch(&mut base, &extra);
        serde_json::from_value(base).unwrap()
    }

    #[test]
    fn local_year_uses_the_event_time_zone() {
        // 01:00 in Seoul on New Year's Day is still 2025 in UTC.
        let event = input(json!({})).parse().unwrap();
        assert_eq!(event.local_year, 2026);
        let event = input(json!({"time_zone": "UTC"})).parse().unwrap();
        assert_eq!(event.local_year, 2025);
    }

    #[test]
    fn registration_window_must_fit() {
        let Invalid(errors) = input(json!({
            "registration_opens_at": "2026-01-02T00:00:00+09:00",
            "registration_closes_at": "2026-01-01T00:00:00+09:00",
        }))
        .parse()
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["registration_closes_at", "registration_opens_at"]);
    }

    #[test]
    fn end_before_start_is_rejected() {
        let error = input(json!({"ends_at": "2026-01-01T00:00:00+09:00"}))
            .parse()
            .unwrap_err();
        assert_eq!(error.0[0].field, "ends_at");
    }
}
