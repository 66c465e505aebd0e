//! Registration: the public JSON API and form's shared rules, capacity and waitlist, the
//! self-service manage link, check-in, and custom questions.
//!
//! The stores (`admission`, `status`, `checkin`, `figures`, `store`) speak the domain: they
//! take parsed inputs and return outcomes or a `RegistrationError`. `routes` alone turns those
//! into HTTP answers, and the pages in `web` into pages.

pub mod admission;
pub mod checkin;
pub mod export;
pub mod figures;
pub mod input;
pub mod links;
pub mod questions;
pub mod routes;
pub mod rules;
pub mod seats;
pub mod status;
pub mod store;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::Invalid;

pub use entity::values::{Goal, Language, RegistrationStatus, Role};
pub use input::{FormContext, NewRegistration, RegistrationInput};
pub use routes::configure;

/// An answer to a custom question: text, or the chosen options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Answer {
    Text(String),
    Choices(Vec<String>),
}

/// Why a registration (or a question) could not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    #[error("event not found")]
    EventNotFound,
    #[error("registration not found")]
    RegistrationNotFound,
    #[error("question not found")]
    QuestionNotFound,
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The registration window opens later (at this time, when the event says).
    #[error("registration is not open yet")]
    NotYetOpen(Option<DateTime<Utc>>),
    #[error("registration is closed")]
    Closed,
    /// The email already has an active registration; its owner was sent the link again.
    #[error("the email is already registered for the event")]
    AlreadyRegistered,
    /// The idempotency key was first sent with a different request.
    #[error("the idempotency key was used with a different request")]
    IdempotencyKeyReused,
    /// Another request with the same idempotency key has not finished.
    #[error("a request with this idempotency key is in progress")]
    RequestInProgress,
    /// Cancelling a registration that is no longer active.
    #[error("the registration is already {0}")]
    AlreadyInactive(RegistrationStatus),
    /// Cancelling a registration whose person has already come in.
    #[error("the person has checked in; the registration cannot be cancelled")]
    CheckedIn,
    /// Changing the answers of a registration that is no longer active.
    #[error("a {0} registration cannot be changed")]
    Unchangeable(RegistrationStatus),
    #[error("the registration is {0}, not pending")]
    NotPending(RegistrationStatus),
    #[error("{name} cannot check in: the registration is {status}")]
    NotConfirmed {
        name: String,
        status: RegistrationStatus,
    },
    /// Undoing the check-in of a registration that is not a checked-in confirmed one.
    #[error("the registration has not checked in")]
    NotCheckedIn,
    /// A capacity below the seats already confirmed (this many).
    #[error("{0} people are already confirmed")]
    CapacityBelowConfirmed(u64),
    /// The registration could not be written in time (a rush, or another process holding the
    /// database); nothing was written and it may simply be sent again.
    #[error("too many registrations at once; nothing was written, try again shortly")]
    Busy,
    /// Queuing a message failed.
    #[error("cannot queue the message")]
    Mail(#[source] anyhow::Error),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

/// The personal link to see, change or cancel a registration: the one place it is built.
pub fn manage_url(base_url: &str, token: &str) -> String {
    format!("{}{}", base_url.trim_end_matches('/'), manage_path(token))
}

/// The manage page's path on this site.
pub fn manage_path(token: &str) -> String {
    format!("/registrations/{token}")
}

impl RegistrationError {
    /// A failure of the mail module, whose errors are its own.
    pub fn mail(error: impl Into<anyhow::Error>) -> Self {
        RegistrationError::Mail(error.into())
    }
}

/// How an attempt to register ended, as the operators count it (the `outcome` label of
/// `homecoming_registrations_total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Confirmed,
    Waitlisted,
    Pending,
    /// A retry with the same idempotency key: the first answer again.
    Replayed,
    AlreadyRegistered,
    NotYetOpen,
    Closed,
    /// Input the form or the rules refused.
    Invalid,
    /// No such (published) event.
    NotFound,
    /// A request with the same idempotency key had not finished.
    InProgress,
    /// The idempotency key was used before with another request.
    KeyReused,
    /// The form's hidden field was filled: a bot, shown a made-up answer.
    Honeypot,
    /// The address sent more registrations than `limits.registrations_per_minute` allows.
    Throttled,
    /// Not written in time: answered "busy" (503).
    Busy,
    /// The database or the mail could not be written.
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Confirmed => "confirmed",
            Outcome::Waitlisted => "waitlisted",
            Outcome::Pending => "pending",
            Outcome::Replayed => "replayed",
            Outcome::AlreadyRegistered => "already_registered",
            Outcome::NotYetOpen => "not_yet_open",
            Outcome::Closed => "closed",
            Outcome::Invalid => "invalid",
            Outcome::NotFound => "not_found",
            Outcome::InProgress => "in_progress",
            Outcome::KeyReused => "key_reused",
            Outcome::Honeypot => "honeypot",
            Outcome::Throttled => "throttled",
            Outcome::Busy => "busy",
            Outcome::Failed => "failed",
        }
    }

    /// What a registration that was made is: its status.
    pub fn of_status(status: RegistrationStatus) -> Self {
        match status {
            RegistrationStatus::Confirmed => Outcome::Confirmed,
            RegistrationStatus::Waitlisted => Outcome::Waitlisted,
            // A new registration is never rejected or cancelled.
            RegistrationStatus::Pending
            | RegistrationStatus::Rejected
            | RegistrationStatus::Cancelled => Outcome::Pending,
        }
    }

    /// What an attempt that made nothing is.
    pub fn of_error(error: &RegistrationError) -> Self {
        match error {
            RegistrationError::AlreadyRegistered => Outcome::AlreadyRegistered,
            RegistrationError::NotYetOpen(_) => Outcome::NotYetOpen,
            RegistrationError::Closed => Outcome::Closed,
            RegistrationError::Invalid(_) => Outcome::Invalid,
            RegistrationError::EventNotFound
            | RegistrationError::RegistrationNotFound
            | RegistrationError::QuestionNotFound => Outcome::NotFound,
            RegistrationError::RequestInProgress => Outcome::InProgress,
            RegistrationError::IdempotencyKeyReused => Outcome::KeyReused,
            RegistrationError::Busy => Outcome::Busy,
            // Not answers to registering; counted as failures should they ever come.
            RegistrationError::AlreadyInactive(_)
            | RegistrationError::CheckedIn
            | RegistrationError::Unchangeable(_)
            | RegistrationError::NotPending(_)
            | RegistrationError::NotConfirmed { .. }
            | RegistrationError::NotCheckedIn
            | RegistrationError::CapacityBelowConfirmed(_)
            | RegistrationError::Mail(_)
            | RegistrationError::Database(_) => Outcome::Failed,
        }
    }
}
