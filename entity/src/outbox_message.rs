use sea_orm::entity::prelude::*;

pub use crate::values::{IcsMethod, Language, MailKind, OutboxStatus};

/// One email in the transactional outbox, rendered when it was enqueued.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub registration_id: Option<Uuid>,
    /// One message per cause: enqueueing the same key again adds nothing.
    #[sea_orm(unique)]
    pub dedupe_key: String,
    pub kind: MailKind,
    pub language: Language,
    pub to_address: String,
    pub to_name: Option<String>,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    /// An RFC 5545 calendar object attached as `invite.ics`.
    pub ics_body: Option<String>,
    /// The iTIP method of the attachment.
    pub ics_method: Option<IcsMethod>,
    pub status: OutboxStatus,
    /// Delivery attempts started (each claim counts one).
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// While `sending`: the claimant owns the message until then; afterwards any worker
    /// takes it back.
    pub lease_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// The one-click unsubscribe URL of non-transactional mail (`List-Unsubscribe`).
    pub list_unsubscribe: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
