//! Organizer API tokens: created on the command line or in the console, shown once, stored as
//! a SHA-256 hash.

mod store;
mod tokens;

pub use store::{TokenError, TokenInfo, TokenName, create_token, list_tokens, revoke_token};
pub use tokens::{Organizer, bearer_token, require_organizer};
