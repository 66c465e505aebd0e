use sea_orm::entity::prelude::*;

pub use crate::values::MailKind;

/// A scheduled mailing that has been queued completely: the reminder at one offset before an
/// event's start, or the feedback request after its end. Keyed by the time it was due, so an
/// event that moves gets a new run (whose messages are still deduplicated per person).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mailings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub kind: MailKind,
    /// Minutes before the start (reminders) or after the end (feedback).
    pub offset_minutes: i32,
    pub due_at: DateTimeUtc,
    /// Messages queued by this run.
    pub recipients: i32,
    pub completed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
