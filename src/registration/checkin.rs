//! Check-in at the door: a confirmed registration's code marks its arrival once.

use chrono::{DateTime, SubsecRound, Utc};
use entity::registration;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

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
