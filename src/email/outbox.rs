//! The transactional outbox: messages are written in the transaction of the change that
//! causes them (so a rolled-back change sends nothing and a committed one always sends), and
//! the worker delivers them later.

use chrono::{DateTime, Utc};
use entity::outbox_message;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit::{self, AuditAction, AuditTarget, Change};
use crate::db::{ROWS_PER_STATEMENT, begin_write};

/// Why an outbox message could not be retried.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error("outbox message not found")]
    NotFound,
    /// Only failed messages are retried; this one is `status`.
    #[error("the message is {status}, not failed")]
    NotFailed { status: OutboxStatus },
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// A rendered message, ready to be queued.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub registration_id: Option<Uuid>,
    /// One message per cause: a second enqueue with the same key adds nothing.
    pub dedupe_key: String,
    pub kind: MailKind,
    pub language: Language,
    pub to_address: String,
    pub to_name: Option<String>,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub ics_body: Option<String>,
    pub ics_method: Option<IcsMethod>,
    /// Non-transactional mail (reminders, surveys) carries a one-click unsubscribe link.
    pub list_unsubscribe: Option<String>,
}

pub use entity::values::OutboxStatus;
use entity::values::{IcsMethod, Language, MailKind};

/// Queues a message inside the caller's transaction. Returns false when a message with the
/// same dedupe key exists already.
pub async fn enqueue(txn: &DatabaseTransaction, message: NewMessage) -> Result<bool, DbErr> {
    Ok(enqueue_many(txn, vec![message]).await? > 0)
}

/// Queues many messages inside the caller's transaction, a few hundred rows per statement.
/// Returns how many were new (messages whose dedupe key exists already are skipped).
pub async fn enqueue_many(
    txn: &DatabaseTransaction,
    messages: Vec<NewMessage>,
) -> Result<u64, DbErr> {
    let now = Utc::now();
    let mut inserted = 0;
    let mut messages = messages.into_iter().peekable();
    while messages.peek().is_some() {
        let rows: Vec<_> = messages
            .by_ref()
            .take(ROWS_PER_STATEMENT)
            .map(|message| row(message, now))
            .collect();
        inserted += outbox_message::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::column(outbox_message::Column::DedupeKey)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    Ok(inserted)
}

fn row(message: NewMessage, now: DateTime<Utc>) -> outbox_message::ActiveModel {
    outbox_message::ActiveModel {
        id: Set(Uuid::now_v7()),
        registration_id: Set(message.registration_id),
        dedupe_key: Set(message.dedupe_key),
        kind: Set(message.kind),
        language: Set(message.language),
        to_address: Set(message.to_address),
        to_name: Set(message.to_name),
        subject: Set(message.subject),
        text_body: Set(message.text_body),
        html_body: Set(message.html_body),
        ics_body: Set(message.ics_body),
        ics_method: Set(message.ics_method),
        status: Set(OutboxStatus::Queued),
        attempts: Set(0),
        next_attempt_at: Set(now),
        lease_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        sent_at: Set(None),
        list_unsubscribe: Set(message.list_unsubscribe),
    }
}

/// Deletes every message about these registrations (erasure of a person).
pub async fn forget(
    txn: &DatabaseTransaction,
    registration_ids: impl IntoIterator<Item = Uuid>,
) -> Result<(), DbErr> {
    outbox_message::Entity::delete_many()
        .filter(outbox_message::Column::RegistrationId.is_in(registration_ids))
        .exec(txn)
        .await?;
    Ok(())
}

/// An outbox message as organizers see it (without the bodies, which may hold a manage link).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutboxMessage {
    pub id: Uuid,
    pub registration_id: Option<Uuid>,
    pub kind: MailKind,
    pub language: Language,
    pub to_address: String,
    pub to_name: Option<String>,
    pub subject: String,
    pub has_calendar_invite: bool,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<outbox_message::Model> for OutboxMessage {
    fn from(row: outbox_message::Model) -> Self {
        OutboxMessage {
            id: row.id,
            registration_id: row.registration_id,
            kind: row.kind,
            language: row.language,
            to_address: row.to_address,
            to_name: row.to_name,
            subject: row.subject,
            has_calendar_invite: row.ics_body.is_some(),
            status: row.status,
            attempts: row.attempts,
            next_attempt_at: row.next_attempt_at,
            last_error: row.last_error,
            created_at: row.created_at,
            sent_at: row.sent_at,
        }
    }
}

pub async fn list(
    db: &impl ConnectionTrait,
    status: Option<OutboxStatus>,
    registration_id: Option<Uuid>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<OutboxMessage>, DbErr> {
    let mut query = outbox_message::Entity::find()
        .order_by_asc(outbox_message::Column::Id)
        .limit(limit + 1);
    if let Some(status) = status {
        query = query.filter(outbox_message::Column::Status.eq(status));
    }
    if let Some(id) = registration_id {
        query = query.filter(outbox_message::Column::RegistrationId.eq(id));
    }
    if let Some(after) = after {
        query = query.filter(outbox_message::Column::Id.gt(after));
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(OutboxMessage::from)
        .collect())
}

/// Queues a failed message again with a fresh attempt budget.
pub async fn retry(db: &DatabaseConnection, id: Uuid) -> Result<OutboxMessage, OutboxError> {
    let txn = begin_write(db).await?;
    let row = outbox_message::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(OutboxError::NotFound)?;
    if row.status != OutboxStatus::Failed {
        return Err(OutboxError::NotFailed { status: row.status });
    }
    let now = Utc::now();
    let before = Delivery::of(&row);
    let mut active: outbox_message::ActiveModel = row.into();
    active.status = Set(OutboxStatus::Queued);
    active.attempts = Set(0);
    active.next_attempt_at = Set(now);
    active.lease_until = Set(None);
    active.updated_at = Set(now);
    let row = outbox_message::Entity::update(active).exec(&txn).await?;
    let change = Change::changed(
        AuditAction::Retry,
        AuditTarget::OutboxMessage,
        id,
        &before,
        &Delivery::of(&row),
    );
    audit::record(&txn, change).await?;
    txn.commit().await?;
    Ok(row.into())
}

/// What the audit log keeps of a retried message: its delivery, not its recipient.
#[derive(Serialize)]
struct Delivery {
    status: OutboxStatus,
    attempts: i32,
}

impl Delivery {
    fn of(row: &outbox_message::Model) -> Self {
        Self {
            status: row.status,
            attempts: row.attempts,
        }
    }
}

/// How many messages the outbox holds in each status, and how long the oldest one not yet
/// delivered has waited.
#[derive(Debug, Clone, PartialEq)]
pub struct Depth {
    /// Every status, with 0 for those no message has.
    pub by_status: Vec<(OutboxStatus, i64)>,
    /// When the oldest message still `queued`, `retrying` or `sending` was queued.
    pub oldest_waiting: Option<DateTime<Utc>>,
}

pub async fn depth(db: &impl ConnectionTrait) -> Result<Depth, DbErr> {
    let counts: Vec<(OutboxStatus, i64)> = outbox_message::Entity::find()
        .select_only()
        .column(outbox_message::Column::Status)
        .column_as(outbox_message::Column::Id.count(), "count")
        .group_by(outbox_message::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let oldest_waiting: Option<Option<DateTime<Utc>>> = outbox_message::Entity::find()
        .select_only()
        .column_as(outbox_message::Column::CreatedAt.min(), "oldest")
        .filter(outbox_message::Column::Status.is_in([
            OutboxStatus::Queued,
            OutboxStatus::Retrying,
            OutboxStatus::Sending,
        ]))
        .into_tuple()
        .one(db)
        .await?;
    Ok(Depth {
        by_status: OutboxStatus::ALL
            .iter()
            .map(|status| {
                let count = counts
                    .iter()
                    .find(|(counted, _)| counted == status)
                    .map_or(0, |(_, count)| *count);
                (*status, count)
            })
            .collect(),
        oldest_waiting: oldest_waiting.flatten(),
    })
}
