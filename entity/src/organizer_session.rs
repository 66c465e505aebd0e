use sea_orm::entity::prelude::*;

/// A signed-in console session. The cookie holds the secret; only its SHA-256 hash is here.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizer_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organizer_id: Uuid,
    #[sea_orm(unique)]
    pub token_hash: String,
    /// The browser it was made in, so the organizer can tell sessions apart.
    pub user_agent: Option<String>,
    pub created_at: DateTimeUtc,
    /// Idle expiry counts from here.
    pub last_seen_at: DateTimeUtc,
    /// The absolute limit, however active the session is.
    pub expires_at: DateTimeUtc,
    /// Signed out (or ended from another session).
    pub ended_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
