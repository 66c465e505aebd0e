//! When reminders go out: offsets before an event's start, chosen per event by organizers.

use chrono::{DateTime, TimeDelta, Utc};
use entity::{event, mailing};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit::{self, AuditAction, AuditTarget, Change};
use crate::db::{begin_write, json_column, lock_event};
use crate::domain::Invalid;
use entity::values::MailKind;

/// Offsets are kept in minutes; whole days are written and shown as days.
pub const MINUTES_PER_DAY: u32 = 24 * 60;

/// The offsets before an event's start at which confirmed attendees are reminded, in whole
/// minutes, largest first, without duplicates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderOffsets(Vec<u32>);

impl Default for ReminderOffsets {
    /// A week and a day before.
    fn default() -> Self {
        ReminderOffsets(vec![7 * MINUTES_PER_DAY, MINUTES_PER_DAY])
    }
}

impl ReminderOffsets {
    pub const MAX_COUNT: usize = 10;
    const MAX_MINUTES: u32 = 365 * MINUTES_PER_DAY;

    /// Offsets written like `"7d"`, `"36h"` or `"90m"`; none at all turns reminders off.
    pub fn parse(raw: &[String]) -> Result<Self, String> {
        if raw.len() > Self::MAX_COUNT {
            return Err(format!("at most {} reminders", Self::MAX_COUNT));
        }
        let mut minutes = raw
            .iter()
            .map(|offset| parse_offset(offset))
            .collect::<Result<Vec<_>, _>>()?;
        minutes.sort_unstable_by(|a, b| b.cmp(a));
        if minutes.windows(2).any(|pair| pair[0] == pair[1]) {
            return Err("each offset may appear once".into());
        }
        Ok(ReminderOffsets(minutes))
    }

    /// As stored on the event (a JSON array of minutes). A column that is not such a list,
    /// or holds an offset outside the allowed range, is an error: guessing would send
    /// reminders nobody asked for, or none.
    pub fn from_stored(json: &str) -> Result<Self, DbErr> {
        let mut minutes: Vec<u32> = json_column("events.reminder_offsets", json)?;
        if !minutes.iter().all(|m| (1..=Self::MAX_MINUTES).contains(m)) {
            return Err(DbErr::Type(format!(
                "events.reminder_offsets holds an offset out of range: {json}"
            )));
        }
        minutes.sort_unstable_by(|a, b| b.cmp(a));
        minutes.dedup();
        Ok(ReminderOffsets(minutes))
    }

    pub fn to_stored(&self) -> String {
        serde_json::to_string(&self.0).expect("a list of numbers serializes")
    }

    pub fn minutes(&self) -> &[u32] {
        &self.0
    }

    /// The offsets written as they are parsed, e.g. `["7d", "1d"]`.
    pub fn labels(&self) -> Vec<String> {
        self.0.iter().map(|&minutes| label(minutes)).collect()
    }

    /// The reminder to send at `now` for an event starting at `starts_at`: of the reminders
    /// whose time has come, the latest one, and none once the event has started. Earlier
    /// reminders that were never sent (the service was down at their time) are skipped: two
    /// reminders at once would be noise, and the latest says what matters.
    pub fn due(&self, starts_at: DateTime<Utc>, now: DateTime<Utc>) -> Option<u32> {
        if now >= starts_at {
            return None;
        }
        self.0
            .iter()
            .copied()
            .filter(|&minutes| starts_at - TimeDelta::minutes(minutes.into()) <= now)
            .min()
    }
}

pub fn label(minutes: u32) -> String {
    if minutes.is_multiple_of(MINUTES_PER_DAY) {
        format!("{}d", minutes / MINUTES_PER_DAY)
    } else if minutes.is_multiple_of(60) {
        format!("{}h", minutes / 60)
    } else {
        format!("{minutes}m")
    }
}

fn parse_offset(raw: &str) -> Result<u32, String> {
    let raw = raw.trim();
    let explain = || format!("{raw:?} is not an offset such as \"7d\", \"36h\" or \"90m\"");
    // By suffix, not by byte position: the input may end in any character.
    let units = [('d', MINUTES_PER_DAY), ('h', 60), ('m', 1)];
    let (number, minutes_per_unit) = units
        .iter()
        .find_map(|(unit, minutes)| raw.strip_suffix(*unit).map(|number| (number, *minutes)))
        .ok_or_else(explain)?;
    let count: u32 = number.parse().map_err(|_| explain())?;
    let minutes = count.checked_mul(minutes_per_unit).ok_or_else(explain)?;
    if !(1..=ReminderOffsets::MAX_MINUTES).contains(&minutes) {
        return Err(format!("{raw:?} must be between 1 minute and 365 days"));
    }
    Ok(minutes)
}

/// The new reminder offsets of an event.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemindersInput {
    /// Before the start, e.g. `["7d", "1d", "2h"]` (days, hours or minutes); `[]` for none.
    #[schema(example = json!(["7d", "1d"]))]
    pub offsets: Vec<String>,
}

impl RemindersInput {
    /// The offsets asked for, or why they cannot be: for the API and the console alike.
    pub fn parse(&self) -> Result<ReminderOffsets, Invalid> {
        ReminderOffsets::parse(&self.offsets).map_err(|message| Invalid::field("offsets", message))
    }
}

/// An event's reminders and what became of each.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reminders {
    pub event_id: Uuid,
    #[schema(example = json!(["7d", "1d"]))]
    pub offsets: Vec<String>,
    pub reminders: Vec<ReminderState>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReminderState {
    #[schema(example = "7d")]
    pub offset: String,
    /// The start of the event minus the offset.
    pub due_at: DateTime<Utc>,
    pub state: ReminderStatus,
    /// Messages queued, once `queued`.
    pub recipients: Option<i32>,
    pub queued_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReminderStatus {
    /// Its time has not come.
    Scheduled,
    /// Its time has come; the scheduler queues it on its next pass.
    Due,
    /// Queued for every confirmed attendee.
    Queued,
    /// Its time passed while a later reminder was already due, or after the start; it is not
    /// sent.
    Skipped,
}

pub async fn reminders(
    db: &impl ConnectionTrait,
    event: &event::Model,
    now: DateTime<Utc>,
) -> Result<Reminders, DbErr> {
    let offsets = ReminderOffsets::from_stored(&event.reminder_offsets)?;
    let runs = mailing::Entity::find()
        .filter(mailing::Column::EventId.eq(event.id))
        .filter(mailing::Column::Kind.eq(MailKind::Reminder))
        .all(db)
        .await?;
    let due_now = offsets.due(event.starts_at, now);
    let reminders = offsets
        .minutes()
        .iter()
        .map(|&minutes| {
            let due_at = event.starts_at - TimeDelta::minutes(minutes.into());
            let run = runs
                .iter()
                .filter(|run| run.offset_minutes as u32 == minutes)
                .max_by_key(|run| run.completed_at);
            let state = match run {
                Some(_) => ReminderStatus::Queued,
                None if due_at > now => ReminderStatus::Scheduled,
                None if due_now == Some(minutes) => ReminderStatus::Due,
                None => ReminderStatus::Skipped,
            };
            ReminderState {
                offset: label(minutes),
                due_at,
                state,
                recipients: run.map(|run| run.recipients),
                queued_at: run.map(|run| run.completed_at),
            }
        })
        .collect();
    Ok(Reminders {
        event_id: event.id,
        offsets: offsets.labels(),
        reminders,
    })
}

/// Replaces the event's reminder offsets; `None` when there is no such event.
pub async fn set_reminders(
    db: &DatabaseConnection,
    event_id: Uuid,
    offsets: &ReminderOffsets,
    now: DateTime<Utc>,
) -> Result<Option<Reminders>, DbErr> {
    let txn = begin_write(db).await?;
    let Some(row) = lock_event(&txn, event_id).await? else {
        return Ok(None);
    };
    let before = ReminderOffsets::from_stored(&row.reminder_offsets)?;
    let mut active: event::ActiveModel = row.into();
    active.reminder_offsets = Set(offsets.to_stored());
    active.updated_at = Set(Utc::now());
    let row = event::Entity::update(active).exec(&txn).await?;
    let view = reminders(&txn, &row, now).await?;
    let change = Change::changed(
        AuditAction::Update,
        AuditTarget::Event,
        event_id,
        &json!({ "reminders": before.labels() }),
        &json!({ "reminders": offsets.labels() }),
    );
    audit::record(&txn, change.in_event(event_id)).await?;
    txn.commit().await?;
    Ok(Some(view))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offsets(raw: &[&str]) -> Result<ReminderOffsets, String> {
        ReminderOffsets::parse(&raw.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    fn at(raw: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(raw).unwrap().to_utc()
    }

    #[test]
    fn offsets_parse_in_days_hours_and_minutes() {
        let parsed = offsets(&["1d", "7d", "90m", "36h"]).unwrap();
        assert_eq!(parsed.minutes(), &[10080, 2160, 1440, 90]);
        assert_eq!(parsed.labels(), ["7d", "36h", "1d", "90m"]);
        assert_eq!(
            ReminderOffsets::from_stored(&parsed.to_stored()).unwrap(),
            parsed
        );
        assert!(offsets(&[]).unwrap().minutes().is_empty());
    }

    #[test]
    fn bad_offsets_are_explained() {
        for bad in [
            ["7"],
            ["d"],
            ["-1d"],
            ["0h"],
            ["366d"],
            ["1w"],
            ["99999999999d"],
            // Not ASCII: the unit is a whole character, never half of one.
            ["é"],
            ["\u{80}"],
            ["7日"],
            ["1ｍ"],
            ["💥"],
        ] {
            assert!(offsets(&bad).is_err(), "{bad:?}");
        }
        assert!(offsets(&["1d", "24h"]).unwrap_err().contains("once"));
        assert!(offsets(&["1m"; 11]).is_err());
    }

    #[test]
    fn stored_garbage_is_an_error_not_the_defaults() {
        assert!(ReminderOffsets::from_stored("nope").is_err());
        assert!(ReminderOffsets::from_stored("[0]").is_err());
        assert_eq!(
            ReminderOffsets::from_stored("[60, 10080, 60]").unwrap(),
            ReminderOffsets(vec![10080, 60])
        );
    }

    #[test]
    fn the_latest_due_reminder_is_sent_and_none_after_the_start() {
        let offsets = ReminderOffsets::default();
        let start = at("2030-05-18T04:00:00Z");
        assert_eq!(offsets.due(start, at("2030-05-11T03:59:00Z")), None);
        assert_eq!(offsets.due(start, at("2030-05-11T04:00:00Z")), Some(10080));
        assert_eq!(offsets.due(start, at("2030-05-17T03:00:00Z")), Some(10080));
        assert_eq!(offsets.due(start, at("2030-05-17T04:00:00Z")), Some(1440));
        // Down for the whole week: only the one-day reminder.
        assert_eq!(offsets.due(start, at("2030-05-17T12:00:00Z")), Some(1440));
        assert_eq!(offsets.due(start, at("2030-05-18T04:00:00Z")), None);
    }
}
