//! The public event's query: drafts do not exist here.

use entity::event;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

#[derive(Debug, thiserror::Error)]
pub enum PublicError {
    /// No event has this slug, or it was never published.
    #[error("event not found")]
    EventNotFound,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// The event with this slug as long as it is public (ever published).
pub async fn public_event_row(
    db: &DatabaseConnection,
    slug: &str,
) -> Result<event::Model, PublicError> {
    event::Entity::find()
        .filter(event::Column::Slug.eq(slug))
        .one(db)
        .await?
        // Once published, an event stays public (closed, completed or cancelled, people need to
        // see that); a draft, even one cancelled before publication, never is.
        .filter(|row| row.published_at.is_some())
        .ok_or(PublicError::EventNotFound)
}
