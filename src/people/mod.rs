//! People across years: everyone who registered, with their history, and erasure. `store`
//! reads and erases them; `routes` is the organizer API.

mod routes;
pub mod store;

pub use routes::configure;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::registration::{RegistrationStatus, Role};

/// Someone known across events. Profile fields come from their latest registration.
#[derive(Debug, Serialize, ToSchema)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub role: Option<Role>,
    pub admission_year: Option<i32>,
    pub graduation_year: Option<i32>,
    pub affiliation: Option<String>,
    pub job_title: Option<String>,
    pub interests: Vec<String>,
    /// Number of events they registered for (any outcome).
    pub events_registered: usize,
    /// Number of events they checked in at.
    pub events_attended: usize,
    /// Their registrations, oldest event first.
    pub history: Vec<HistoryEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub event_id: Uuid,
    pub event_title: String,
    pub event_starts_at: DateTime<Utc>,
    /// Year of the event where it takes place.
    pub year: i32,
    pub status: RegistrationStatus,
    pub checked_in: bool,
}

/// The name that replaces an erased person's.
pub const ERASED_NAME: &str = "(erased)";
