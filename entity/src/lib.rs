//! sea-orm entities for homecoming's tables. Relations are resolved with explicit queries in
//! the application crate, so the entities stay plain row types.

pub mod api_token;
pub mod audit_log;
pub mod encounter;
pub mod event;
pub mod feedback;
pub mod idempotency_key;
pub mod mailing;
pub mod networking_session;
pub mod organizer;
pub mod organizer_session;
pub mod organizer_sign_in_link;
pub mod outbox_message;
pub mod person;
pub mod question;
pub mod registration;
pub mod room;
pub mod service_secret;
pub mod speaker;
pub mod talk;
pub mod talk_speaker;
pub mod values;
pub mod venue;
