//! Organizer accounts: who may use the console, how they sign in without a password, and
//! their sessions.
//!
//! Sign-in is a one-time link mailed to the organizer's address. Using the link starts a
//! server-side session whose secret lives only in the browser's cookie; the database keeps
//! hashes of both secrets, never the secrets.

pub mod sign_in;
pub mod store;

use chrono::TimeDelta;

pub use store::{Organizer, OrganizerError, SessionInfo, SignedIn};

/// How long a mailed sign-in link works.
pub const SIGN_IN_LINK_LIFETIME: TimeDelta = TimeDelta::minutes(15);

/// A session ends after this long without a request.
pub const SESSION_IDLE: TimeDelta = TimeDelta::hours(12);

/// A session ends this long after sign-in, however active.
pub const SESSION_MAX: TimeDelta = TimeDelta::days(30);

/// At most this many sign-in links are mailed to one address per [`SIGN_IN_LINK_LIFETIME`];
/// more requests are answered as usual but mail nothing.
pub const SIGN_IN_LINKS_PER_WINDOW: u64 = 3;

/// A console session is touched at most this often, so a busy page is not a write per
/// request.
pub const SESSION_TOUCH_INTERVAL: TimeDelta = TimeDelta::minutes(1);
