//! Organizer API tokens: created on the command line, shown once, stored as a SHA-256 hash.

mod tokens;

pub use tokens::{
    Organizer, TokenInfo, TokenName, create_token, list_tokens, require_organizer, revoke_token,
};
