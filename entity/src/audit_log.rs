use sea_orm::entity::prelude::*;

pub use crate::values::{AuditAction, AuditTarget};

/// One change an organizer made, through the console or the API.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    /// UUIDv7: ordered by time.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    pub organizer_id: Option<Uuid>,
    /// The organizer's name when the change was made (kept if the account goes).
    pub organizer_name: Option<String>,
    /// The API token the change came through; none for the console.
    pub token_name: Option<String>,
    pub action: AuditAction,
    pub target_type: AuditTarget,
    pub target_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
    /// The changed fields: `{"field": {"before": .., "after": ..}}`.
    pub changes: Json,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
