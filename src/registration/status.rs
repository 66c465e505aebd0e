//! A registration's status changes after it was made: cancelling (by its owner or an
//! organizer) and an organizer's approval or rejection.

use chrono::Utc;
use entity::registration;
use sea_orm::{ActiveValue::Set, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait};

use super::links::ManageLinks;
use super::seats::Seats;
use super::store::{
    Locator, Registration, fill_free_seats, lock_registration, queue_message, reread, view,
};
use super::{RegistrationError, RegistrationStatus};
use crate::audit::{self, AuditAction, AuditTarget, Change};
use crate::db::begin_write;
use crate::email::{Extras, Kind};

/// Cancels an active registration (or takes it off the waitlist) and gives a freed seat to
/// the head of the waitlist in the same transaction.
pub async fn cancel(
    db: &DatabaseConnection,
    links: &ManageLinks,
    locator: &Locator<'_>,
) -> Result<Registration, RegistrationError> {
    let txn = begin_write(db).await?;
    let (event, row) = lock_registration(&txn, locator).await?;
    let status = row.status;
    if !status.is_active() {
        return Err(RegistrationError::AlreadyInactive(status));
    }
    // The seat was used: freeing it now would oversell the room.
    if row.checked_in_at.is_some() {
        return Err(RegistrationError::CheckedIn);
    }
    let id = row.id;
    let before = view(&txn, row.clone()).await?;
    let mut active: registration::ActiveModel = row.into();
    active.status = Set(RegistrationStatus::Cancelled);
    active.active_email = Set(None);
    active.cancelled_at = Set(Some(Utc::now()));
    active.updated_at = Set(Utc::now());
    registration::Entity::update(active).exec(&txn).await?;
    let mut seats = Seats::of(&event);
    seats.leave(status);
    fill_free_seats(&txn, &event, links, seats).await?;
    let row = reread(&txn, id).await?;
    let extras = Extras {
        had_seat: status == RegistrationStatus::Confirmed,
        ..Extras::default()
    };
    queue_message(&txn, Kind::Cancelled, &row, &event, links, extras).await?;
    let registration = view(&txn, row).await?;
    record(&txn, AuditAction::Cancel, &before, &registration).await?;
    txn.commit().await?;
    Ok(registration)
}

/// An organizer's decision on a pending registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
}

/// Applies a decision. Approval still respects capacity: an approved person takes a free
/// seat, or the end of the waitlist when the event is full.
pub async fn decide(
    db: &DatabaseConnection,
    links: &ManageLinks,
    locator: &Locator<'_>,
    decision: Decision,
) -> Result<Registration, RegistrationError> {
    let txn = begin_write(db).await?;
    let (event, row) = lock_registration(&txn, locator).await?;
    if row.status != RegistrationStatus::Pending {
        return Err(RegistrationError::NotPending(row.status));
    }
    let id = row.id;
    let before = view(&txn, row.clone()).await?;
    let mut active: registration::ActiveModel = row.into();
    match decision {
        Decision::Approve => {
            let mut seats = Seats::of(&event);
            let place = seats.admit_approved();
            active.status = Set(place.status);
            active.waitlist_seq = Set(place.waitlist_seq);
            if place.status == RegistrationStatus::Confirmed {
                active.confirmed_at = Set(Some(Utc::now()));
            }
            seats.save(&txn).await?;
        }
        Decision::Reject => {
            active.status = Set(RegistrationStatus::Rejected);
            active.active_email = Set(None);
        }
    }
    active.updated_at = Set(Utc::now());
    registration::Entity::update(active).exec(&txn).await?;
    let row = reread(&txn, id).await?;
    let registration = view(&txn, row.clone()).await?;
    // Approval gives a seat (the confirmation, with invite and check-in code) or a place on
    // the waitlist; a rejection is told too, so nobody waits for an answer that came.
    let kind = match registration.status {
        RegistrationStatus::Confirmed => Some(Kind::Confirmed),
        RegistrationStatus::Waitlisted => Some(Kind::Waitlisted),
        RegistrationStatus::Rejected => Some(Kind::Rejected),
        _ => None,
    };
    if let Some(kind) = kind {
        let extras = Extras {
            waitlist_position: registration.waitlist_position,
            ..Extras::default()
        };
        queue_message(&txn, kind, &row, &event, links, extras).await?;
    }
    let action = match decision {
        Decision::Approve => AuditAction::Approve,
        Decision::Reject => AuditAction::Reject,
    };
    record(&txn, action, &before, &registration).await?;
    txn.commit().await?;
    Ok(registration)
}

/// Records a registration's change in the audit log (an organizer's only: see `audit`).
pub(super) async fn record(
    txn: &DatabaseTransaction,
    action: AuditAction,
    before: &Registration,
    after: &Registration,
) -> Result<(), DbErr> {
    let change = Change::changed(action, AuditTarget::Registration, after.id, before, after);
    audit::record(txn, change.in_event(after.event_id)).await
}
