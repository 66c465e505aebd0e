//! Who changes things: the [`Actor`] behind an organizer's request, put into the request by
//! the guard that let it in (the console's session or the API's token).

use uuid::Uuid;

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
}
