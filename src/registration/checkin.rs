//! Check-in at the door: a confirmed registration's code marks its arrival once, and a
//! mistaken check-in can be undone. Both lock the registration's row, so staff on several
//! phones scanning the same code see one check-in and one "already checked in".

use chrono::{DateTime, SubsecRound, Utc};
use entity::{event, registration};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect,
};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::store::{self, Registration};
use super::{RegistrationError, RegistrationStatus};
use crate::audit::{self, AuditAction, AuditTarget, Change};
use crate::db::begin_write;
use crate::domain::Invalid;
use crate::secrets::normalize_code;

/// Whether a scan was the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckInResult {
    CheckedIn,
    AlreadyCheckedIn,
}

/// The outcome of scanning a check-in code.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckIn {
    /// `checked_in` for the first scan, `already_checked_in` for later ones.
    pub result: CheckInResult,
    pub checked_in_at: DateTime<Utc>,
    pub registration_id: Uuid,
    pub name: String,
    pub affiliation: Option<String>,
}

/// Marks arrival once. Waitlisted, pending and cancelled registrations cannot check in.
pub async fn check_in(
    db: &DatabaseConnection,
    event_id: Uuid,
    code: &str,
) -> Result<CheckIn, RegistrationError> {
    let code = normalize_code(code);
    let txn = begin_write(db).await?;
    let row = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::CheckinCode.eq(code.as_str()))
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| Invalid::field("code", "no registration of this event has this code"))?;
    if row.status != RegistrationStatus::Confirmed {
        return Err(RegistrationError::NotConfirmed {
            name: row.name,
            status: row.status,
        });
    }
    let (result, checked_in_at) = match row.checked_in_at {
        Some(at) => (CheckInResult::AlreadyCheckedIn, at),
        None => {
            // Microseconds: what PostgreSQL keeps, so a second scan reports the same instant.
            let now = Utc::now().trunc_subsecs(6);
            let mut active: registration::ActiveModel = row.clone().into();
            active.checked_in_at = Set(Some(now));
            active.updated_at = Set(now);
            registration::Entity::update(active).exec(&txn).await?;
            let change = Change::changed(
                AuditAction::CheckIn,
                AuditTarget::Registration,
                row.id,
                &json!({ "checked_in_at": null }),
                &json!({ "checked_in_at": now }),
            );
            audit::record(&txn, change.in_event(event_id)).await?;
            txn.commit().await?;
            (CheckInResult::CheckedIn, now)
        }
    };
    Ok(CheckIn {
        result,
        checked_in_at,
        registration_id: row.id,
        name: row.name,
        affiliation: row.affiliation,
    })
}

/// Clears the check-in of a confirmed registration of `event_id` that has checked in, and
/// answers the registration as it is now.
pub async fn undo_check_in(
    db: &DatabaseConnection,
    event_id: Uuid,
    registration_id: Uuid,
) -> Result<Registration, RegistrationError> {
    let txn = begin_write(db).await?;
    let row = registration::Entity::find_by_id(registration_id)
        .filter(registration::Column::EventId.eq(event_id))
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(RegistrationError::RegistrationNotFound)?;
    let Some(checked_in_at) = row
        .checked_in_at
        .filter(|_| row.status == RegistrationStatus::Confirmed)
    else {
        return Err(RegistrationError::NotCheckedIn);
    };
    let change = Change::changed(
        AuditAction::UndoCheckIn,
        AuditTarget::Registration,
        row.id,
        &json!({ "checked_in_at": checked_in_at }),
        &json!({ "checked_in_at": null }),
    );
    let mut active: registration::ActiveModel = row.into();
    active.checked_in_at = Set(None);
    active.updated_at = Set(Utc::now().trunc_subsecs(6));
    let row = registration::Entity::update(active).exec(&txn).await?;
    audit::record(&txn, change.in_event(event_id)).await?;
    let registration = store::view(&txn, row).await?;
    txn.commit().await?;
    Ok(registration)
}

/// A registration as the door sees it: who, and whether they may come in.
#[derive(Debug, Clone)]
pub struct Arrival {
    pub registration_id: Uuid,
    pub name: String,
    pub affiliation: Option<String>,
    pub status: RegistrationStatus,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub code: String,
}

impl From<registration::Model> for Arrival {
    fn from(row: registration::Model) -> Self {
        Self {
            registration_id: row.id,
            name: row.name,
            affiliation: row.affiliation,
            status: row.status,
            checked_in_at: row.checked_in_at,
            code: row.checkin_code,
        }
    }
}

/// The registration of `event_id` with `code` (in any case, with or without its dash), read
/// without changing anything.
pub async fn find_by_code(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    code: &str,
) -> Result<Option<Arrival>, DbErr> {
    Ok(registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::CheckinCode.eq(normalize_code(code)))
        .one(db)
        .await?
        .map(Arrival::from))
}

/// How many of the confirmed people have come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DoorCount {
    pub checked_in: u64,
    pub confirmed: u64,
}

pub async fn count(db: &impl ConnectionTrait, event: &event::Model) -> Result<DoorCount, DbErr> {
    let checked_in = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event.id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed))
        .filter(registration::Column::CheckedInAt.is_not_null())
        .count(db)
        .await?;
    Ok(DoorCount {
        checked_in,
        // The seat counter is kept with every status change (see `seats.rs`).
        confirmed: u64::try_from(event.confirmed_count).unwrap_or_default(),
    })
}
