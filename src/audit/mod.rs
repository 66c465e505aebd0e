//! Who changes things and the log of what they changed.
//!
//! The guard that lets an organizer's request in (the console's session, the API's token)
//! runs the rest of the request inside [`ACTING`], a task-local holding the [`Actor`]. A
//! store that makes an organizer change calls [`record`] inside its own write transaction,
//! so the change and its entry commit together or not at all; `record` reads the actor from
//! [`ACTING`] and writes nothing when there is none (public registrations, the manage page,
//! the scheduler and the command line are not organizer changes). The stores stay free of
//! HTTP: they only say what changed.

mod diff;
pub mod routes;
mod store;

use std::future::Future;

use serde::Serialize;
use uuid::Uuid;

pub use diff::ERASED;
pub use entity::values::{AuditAction, AuditTarget};
pub use store::{AuditFilter, Entry, list, record, record_as, scrub};

tokio::task_local! {
    /// The organizer whose request is running; set by the guards around the handler.
    pub static ACTING: Actor;
}

/// Runs `future` as the work of `actor`: every [`record`] inside it is written as theirs.
pub async fn acting<F: Future>(actor: Actor, future: F) -> F::Output {
    ACTING.scope(actor, future).await
}

/// The organizer a change is made by, and the API token it came through (none for the
/// console).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// None for an API token made on the command line before organizers existed.
    pub organizer_id: Option<Uuid>,
    pub organizer_name: Option<String>,
    pub token_name: Option<String>,
}

impl Actor {
    /// An organizer signed in to the console.
    pub fn console(organizer_id: Uuid, name: &str) -> Self {
        Self {
            organizer_id: Some(organizer_id),
            organizer_name: Some(name.to_string()),
            token_name: None,
        }
    }

    /// A request with the API token `token_name`, made by this organizer (none for a token
    /// made on the command line).
    pub fn token(token_name: &str, organizer: Option<(Uuid, String)>) -> Self {
        let (organizer_id, organizer_name) = organizer.unzip();
        Self {
            organizer_id,
            organizer_name,
            token_name: Some(token_name.to_string()),
        }
    }
}

/// One change to record: what was done to what, and the thing before and after (as JSON
/// objects; the entry keeps only the fields that differ).
#[derive(Debug, Clone)]
pub struct Change {
    pub action: AuditAction,
    pub target_type: AuditTarget,
    pub target_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl Change {
    pub fn new(action: AuditAction, target_type: AuditTarget, target_id: Uuid) -> Self {
        Self {
            action,
            target_type,
            target_id: Some(target_id),
            event_id: None,
            before: None,
            after: None,
        }
    }

    /// The event the change belongs to (for the log's event filter).
    pub fn in_event(mut self, event_id: Uuid) -> Self {
        self.event_id = Some(event_id);
        self
    }

    pub fn before(mut self, before: &impl Serialize) -> Self {
        self.before = Some(snapshot(before));
        self
    }

    pub fn after(mut self, after: &impl Serialize) -> Self {
        self.after = Some(snapshot(after));
        self
    }

    /// Something new, as it was made.
    pub fn created(target_type: AuditTarget, target_id: Uuid, after: &impl Serialize) -> Self {
        Self::new(AuditAction::Create, target_type, target_id).after(after)
    }

    /// Something changed by `action`, as it was and as it is.
    pub fn changed(
        action: AuditAction,
        target_type: AuditTarget,
        target_id: Uuid,
        before: &impl Serialize,
        after: &impl Serialize,
    ) -> Self {
        Self::new(action, target_type, target_id)
            .before(before)
            .after(after)
    }

    /// Something deleted, as it was.
    pub fn deleted(target_type: AuditTarget, target_id: Uuid, before: &impl Serialize) -> Self {
        Self::new(AuditAction::Delete, target_type, target_id).before(before)
    }
}

/// A value as the log stores it. Every view the stores build serializes (they are the API's
/// answers); should one ever not, the entry says so rather than failing the change.
fn snapshot(value: &impl Serialize) -> serde_json::Value {
    serde_json::to_value(value)
        .unwrap_or_else(|error| serde_json::json!({ "unrecorded": error.to_string() }))
}
