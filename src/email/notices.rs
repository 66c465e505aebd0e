//! Messages to everyone registered for an event when the event itself changes.

use entity::{event, registration};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};

use super::messages::{Extras, Kind, MailError, MailEvent};
use super::outbox::enqueue_many;
use crate::registration::links::ManageLinks;

/// Tells every active registration (confirmed, waitlisted or pending) about a change of time
/// or place (`EventChanged`) or the cancellation (`EventCancelled`) of `event`, as it is after
/// the change. Call in the transaction that makes the change, after raising the event's
/// calendar sequence: the sequence is part of each message's dedupe key, so every change is
/// told once.
pub async fn tell_registrants(
    txn: &DatabaseTransaction,
    event: &event::Model,
    links: &ManageLinks,
    kind: Kind,
) -> Result<u64, MailError> {
    let registrants = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event.id))
        .filter(registration::Column::ActiveEmail.is_not_null())
        .order_by_asc(registration::Column::Id)
        .all(txn)
        .await?;
    let mail_event = MailEvent::load(txn, event, links).await?;
    let mut messages = Vec::with_capacity(registrants.len());
    for row in &registrants {
        let extras = Extras {
            cause: Some(event.calendar_sequence.to_string()),
            ..Extras::default()
        };
        messages.extend(mail_event.message(kind, row, extras)?);
    }
    let queued = enqueue_many(txn, messages).await?;
    tracing::info!(event_id = %event.id, kind = kind.as_str(), queued, "told registrants about the event");
    Ok(queued)
}
