use sea_orm::entity::prelude::*;

/// Rounds of tables for a networking block of an event.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "networking_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub title: String,
    pub rounds: i32,
    pub table_size: i32,
    pub seed: i64,
    /// JSON: rounds of tables of registration ids.
    pub schedule: String,
    /// JSON: the matcher's quality report, recounted after every change.
    pub report: String,
    /// Rounds already played: late arrivals join only the rounds after these.
    pub rounds_played: i32,
    /// SHA-256 of the random key in the room's table-plan link (the plan shows first names
    /// and affiliations); the key itself is shown once, when it is made.
    #[sea_orm(unique)]
    pub plan_key_hash: String,
    pub published_at: Option<DateTimeUtc>,
    /// When the session starts (within the event), if the organizer said.
    pub starts_at: Option<DateTimeUtc>,
    /// Where it happens: a room of the event's venue.
    pub room_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
