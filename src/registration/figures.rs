//! An event's registration figures.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{event, registration};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::RegistrationStatus;
use crate::domain::in_zone;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventStats {
    /// Active registrations: confirmed, waitlisted and pending.
    pub registered: u64,
    pub confirmed: u64,
    pub waitlisted: u64,
    pub pending: u64,
    pub cancelled: u64,
    pub checked_in: u64,
    /// Capacity minus confirmed.
    pub seats_left: Option<i64>,
    /// People registered now who held a confirmed seat at an earlier event.
    pub returning_attendees: u64,
}

/// The figures of `event` as they are now.
pub async fn stats(db: &DatabaseConnection, event: &event::Model) -> Result<EventStats, DbErr> {
    let rows = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event.id))
        .all(db)
        .await?;
    let count =
        |status: RegistrationStatus| rows.iter().filter(|row| row.status == status).count() as u64;
    let active_people: Vec<Uuid> = rows
        .iter()
        .filter(|row| row.status.is_active())
        .map(|row| row.person_id)
        .collect();
    let earlier_events: Vec<Uuid> = event::Entity::find()
        .filter(event::Column::StartsAt.lt(event.starts_at))
        .all(db)
        .await?
        .into_iter()
        .map(|earlier| earlier.id)
        .collect();
    let mut returning: Vec<Uuid> = registration::Entity::find()
        .filter(registration::Column::EventId.is_in(earlier_events))
        .filter(registration::Column::PersonId.is_in(active_people))
        .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.person_id)
        .collect();
    returning.sort();
    returning.dedup();
    let confirmed = count(RegistrationStatus::Confirmed);
    Ok(EventStats {
        registered: confirmed
            + count(RegistrationStatus::Waitlisted)
            + count(RegistrationStatus::Pending),
        confirmed,
        waitlisted: count(RegistrationStatus::Waitlisted),
        pending: count(RegistrationStatus::Pending),
        cancelled: count(RegistrationStatus::Cancelled),
        checked_in: rows
            .iter()
            .filter(|row| row.checked_in_at.is_some())
            .count() as u64,
        seats_left: event
            .capacity
            .map(|capacity| i64::from(capacity) - confirmed as i64),
        returning_attendees: returning.len() as u64,
    })
}

/// How many registrations (whatever became of them) were made on each day, by the event's
/// own calendar, from the first such day to the last: quiet days are there with 0.
pub async fn registrations_per_day(
    db: &DatabaseConnection,
    event: &event::Model,
) -> Result<Vec<(NaiveDate, u64)>, DbErr> {
    let made: Vec<DateTime<Utc>> = registration::Entity::find()
        .select_only()
        .column(registration::Column::CreatedAt)
        .filter(registration::Column::EventId.eq(event.id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(per_day(
        made.into_iter()
            .map(|at| in_zone(at, &event.time_zone).date_naive()),
    ))
}

fn per_day(days: impl IntoIterator<Item = NaiveDate>) -> Vec<(NaiveDate, u64)> {
    let mut counts: BTreeMap<NaiveDate, u64> = BTreeMap::new();
    for day in days {
        *counts.entry(day).or_default() += 1;
    }
    let (Some(first), Some(last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return Vec::new();
    };
    first
        .iter_days()
        .take_while(|day| day <= last)
        .map(|day| (day, counts.get(&day).copied().unwrap_or(0)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn quiet_days_between_count_as_zero() {
        let days = [day("2026-05-03"), day("2026-05-01"), day("2026-05-03")];
        assert_eq!(
            per_day(days),
            vec![
                (day("2026-05-01"), 1),
                (day("2026-05-02"), 0),
                (day("2026-05-03"), 2)
            ]
        );
        assert!(per_day([]).is_empty());
    }
}
