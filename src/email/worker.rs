//! The delivery worker: claims due messages, sends them outside any transaction, and records
//! the outcome.
//!
//! A claim marks messages `sending` with a lease and counts the attempt, in one short write
//! transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so instances never claim the same
//! message; `BEGIN IMMEDIATE` on SQLite, which admits one writer at a time). The outcome is
//! written only if the message is still this claim's (same status and attempt count), so a
//! worker whose lease ran out cannot overwrite the worker that took the message back.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use entity::outbox_message::{self, Column};
use entity::registration;
use rand::Rng;
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::messages::{DOOR_QR_CID, shows_door_code};
use super::mime::{Identity, build};
use super::outbox::OutboxStatus;
use super::settings::EmailSettings;
use super::transport::{SendError, Transport};
use crate::db::{ROWS_PER_STATEMENT, begin_write};
use crate::door;

pub struct Worker {
    db: DatabaseConnection,
    transport: Transport,
    identity: Identity,
    /// For the door check-in URL in the QR codes.
    base_url: String,
    batch_size: u64,
    lease: TimeDelta,
    max_attempts: i32,
    retry_base_ms: u64,
    retry_max_ms: u64,
    poll_interval: Duration,
}

/// A running worker; `stop` lets it finish the batch in hand.
pub struct WorkerHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl WorkerHandle {
    pub(crate) fn new(stop: watch::Sender<bool>, task: JoinHandle<()>) -> Self {
        WorkerHandle { stop, task }
    }

    pub async fn stop(self, grace: Duration) {
        let _ = self.stop.send(true);
        let abort = self.task.abort_handle();
        if tokio::time::timeout(grace, self.task).await.is_err() {
            // Messages it held stay `sending` until their lease ends; then they are retried.
            abort.abort();
        }
    }
}

impl Worker {
    pub fn new(
        db: DatabaseConnection,
        settings: &EmailSettings,
        public_base_url: &str,
    ) -> anyhow::Result<Self> {
        let domain = url::Url::parse(public_base_url)
            .ok()
            .and_then(|url| url.host_str().map(str::to_string))
            .unwrap_or_else(|| "homecoming.localhost".into());
        let reply_to = (!settings.reply_to.is_empty())
            .then(|| settings.reply_to.parse())
            .transpose()?;
        Ok(Worker {
            db,
            transport: Transport::from_settings(settings)?,
            identity: Identity {
                from: settings.from.parse()?,
                reply_to,
                domain,
            },
            base_url: public_base_url.to_string(),
            batch_size: settings.batch_size,
            lease: TimeDelta::seconds(settings.lease_secs as i64),
            max_attempts: settings.max_attempts,
            retry_base_ms: settings.retry_base_ms,
            retry_max_ms: settings.retry_max_ms,
            poll_interval: Duration::from_millis(settings.poll_interval_ms),
        })
    }

    /// Runs until stopped: a full batch is followed at once by the next, otherwise the
    /// worker waits one poll interval.
    pub fn spawn(self) -> WorkerHandle {
        let (stop, mut stopped) = watch::channel(false);
        let worker = Arc::new(self);
        let task = tokio::spawn(async move {
            loop {
                let claimed = match worker.run_once().await {
                    Ok(claimed) => claimed,
                    Err(error) => {
                        tracing::warn!(error = %error, "email worker: cannot claim messages");
                        0
                    }
                };
                if *stopped.borrow() {
                    break;
                }
                if claimed < worker.batch_size as usize {
                    tokio::select! {
                        _ = tokio::time::sleep(worker.poll_interval) => {}
                        _ = stopped.changed() => break,
                    }
                }
            }
        });
        WorkerHandle { stop, task }
    }

    /// Claims one batch and delivers it. Returns how many messages were claimed.
    ///
    /// Each outcome is recorded as soon as its send ends, but outcomes that end while a
    /// record is being written wait for it and are then written together, in one
    /// transaction (a group commit): a batch costs a few commits rather than one per message.
    ///
    /// A send holds its slot (one per SMTP connection) until its outcome is recorded, so at
    /// any moment at most one message per connection has been accepted by the server and
    /// not yet recorded as sent: all that a crash can make the next worker send again. When
    /// a record fails, the rest of the batch is left unsent (it stays `sending` and is taken
    /// back when its lease ends) rather than sent with nothing to remember it.
    pub async fn run_once(&self) -> anyhow::Result<usize> {
        let claimed = self.claim().await?;
        let count = claimed.len();
        let slots = Semaphore::new(self.transport.connections().unwrap_or(count.max(1)));
        let (done, mut outcomes) = mpsc::unbounded_channel();
        let sends = futures_util::future::join_all(claimed.into_iter().map(|row| {
            let done = done.clone();
            let slots = &slots;
            async move {
                // Closed after a failed record: this message is not sent.
                let Ok(slot) = slots.acquire().await else {
                    return;
                };
                let outcome = self.send(&row).await;
                // The slot travels with the outcome and is freed once it is recorded. The
                // receiver lives until every send has ended.
                let _ = done.send((row, outcome, slot));
            }
        }));
        // Now only the sends hold a sender: the channel closes when the last one ends.
        drop(done);
        let record = async {
            while let Some(first) = outcomes.recv().await {
                let mut ready = vec![first];
                while let Ok(next) = outcomes.try_recv() {
                    ready.push(next);
                }
                let (outcomes, slots_held): (Vec<_>, Vec<_>) = ready
                    .into_iter()
                    .map(|(row, outcome, slot)| ((row, outcome), slot))
                    .unzip();
                let ids: Vec<Uuid> = outcomes.iter().map(|(row, _)| row.id).collect();
                if let Err(error) = self.record(outcomes).await {
                    // These stay `sending` and are taken back when their lease ends.
                    tracing::error!(outbox_ids = ?ids, error = %error, "email worker: cannot record the outcomes; the rest of the batch waits for its lease");
                    slots.close();
                }
                drop(slots_held);
            }
        };
        tokio::join!(sends, record);
        Ok(count)
    }

    async fn claim(&self) -> anyhow::Result<Vec<outbox_message::Model>> {
        let now = Utc::now();
        let due = Condition::any()
            .add(
                Condition::all()
                    .add(Column::Status.is_in([OutboxStatus::Queued, OutboxStatus::Retrying]))
                    .add(Column::NextAttemptAt.lte(now)),
            )
            .add(
                Condition::all()
                    .add(Column::Status.eq(OutboxStatus::Sending))
                    .add(Column::LeaseUntil.lt(now)),
            );
        // A plain read first: when nothing is due (most polls), no write lock is taken, so
        // an idle worker never makes registrations wait on SQLite.
        let anything_due = outbox_message::Entity::find()
            .filter(due.clone())
            .one(&self.db)
            .await?
            .is_some();
        if !anything_due {
            return Ok(Vec::new());
        }
        let txn = begin_write(&self.db).await?;
        let mut query = outbox_message::Entity::find()
            .filter(due)
            .order_by_asc(Column::NextAttemptAt)
            .order_by_asc(Column::Id)
            .limit(self.batch_size);
        if txn.get_database_backend() == DbBackend::Postgres {
            query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let rows = query.all(&txn).await?;
        if rows.is_empty() {
            txn.rollback().await?;
            return Ok(rows);
        }
        let lease_until = now + self.lease;
        outbox_message::Entity::update_many()
            .col_expr(Column::Status, Expr::value(OutboxStatus::Sending))
            .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
            .col_expr(Column::LeaseUntil, Expr::value(lease_until))
            .col_expr(Column::UpdatedAt, Expr::value(now))
            .filter(Column::Id.is_in(rows.iter().map(|row| row.id)))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(rows
            .into_iter()
            .map(|mut row| {
                if row.status == OutboxStatus::Sending {
                    tracing::warn!(outbox_id = %row.id, "email worker: took back a message whose lease expired");
                }
                row.attempts += 1;
                row.status = OutboxStatus::Sending;
                row.lease_until = Some(lease_until);
                row
            })
            .collect())
    }

    async fn send(&self, row: &outbox_message::Model) -> Result<(), SendError> {
        let door_qr = self.door_qr(row).await?;
        match build(row, &self.identity, door_qr.as_deref()) {
            Ok(message) => self.transport.send(row.id, &message).await,
            Err(error) => Err(SendError::Permanent(format!(
                "cannot build the message: {error}"
            ))),
        }
    }

    /// The door QR of a message that shows one, drawn as it is sent from the registration's
    /// code: outbox rows keep text, not images. Rows queued before their HTML showed the QR
    /// get none.
    async fn door_qr(&self, row: &outbox_message::Model) -> Result<Option<Vec<u8>>, SendError> {
        let shown =
            shows_door_code(row.kind) && row.html_body.contains(&format!("cid:{DOOR_QR_CID}"));
        let Some(id) = row.registration_id.filter(|_| shown) else {
            return Ok(None);
        };
        let registration = registration::Entity::find_by_id(id)
            .one(&self.db)
            .await
            .map_err(|error| {
                SendError::Transient(format!("cannot read the registration: {error}"))
            })?;
        let Some(registration) = registration else {
            return Ok(None);
        };
        let url = door::checkin_url(
            &self.base_url,
            registration.event_id,
            &registration.checkin_code,
        );
        door::qr_png(&url)
            .map(Some)
            .map_err(|error| SendError::Permanent(error.to_string()))
    }

    /// Records the outcomes of some of a batch's messages in one write transaction: the sent
    /// ones in one statement per attempt count (usually one), the others one by one. Each
    /// outcome is written only if its message is still this claim's (still `sending`, same
    /// attempt count): nobody took it back in the meantime.
    async fn record(
        &self,
        outcomes: Vec<(outbox_message::Model, Result<(), SendError>)>,
    ) -> anyhow::Result<()> {
        let now = Utc::now();
        let still_claimed = |attempts: i32| {
            outbox_message::Entity::update_many()
                .col_expr(
                    Column::LeaseUntil,
                    Expr::value(Option::<chrono::DateTime<Utc>>::None),
                )
                .col_expr(Column::UpdatedAt, Expr::value(now))
                .filter(Column::Status.eq(OutboxStatus::Sending))
                .filter(Column::Attempts.eq(attempts))
        };
        let txn = begin_write(&self.db).await?;
        let mut sent: BTreeMap<i32, Vec<Uuid>> = BTreeMap::new();
        for (row, outcome) in outcomes {
            let update = match outcome {
                Ok(()) => {
                    tracing::info!(outbox_id = %row.id, kind = %row.kind, attempts = row.attempts, "email sent");
                    sent.entry(row.attempts).or_default().push(row.id);
                    continue;
                }
                Err(SendError::Transient(error)) if row.attempts < self.max_attempts => {
                    let delay = self.backoff(row.attempts);
                    tracing::warn!(outbox_id = %row.id, attempts = row.attempts, retry_in_ms = delay.num_milliseconds(), error = %error, "email not sent; will retry");
                    still_claimed(row.attempts)
                        .col_expr(Column::Status, Expr::value(OutboxStatus::Retrying))
                        .col_expr(Column::NextAttemptAt, Expr::value(now + delay))
                        .col_expr(Column::LastError, Expr::value(Some(error)))
                }
                Err(SendError::Transient(error) | SendError::Permanent(error)) => {
                    tracing::error!(outbox_id = %row.id, attempts = row.attempts, error = %error, "email failed");
                    still_claimed(row.attempts)
                        .col_expr(Column::Status, Expr::value(OutboxStatus::Failed))
                        .col_expr(Column::LastError, Expr::value(Some(error)))
                }
            };
            update.filter(Column::Id.eq(row.id)).exec(&txn).await?;
        }
        for (attempts, ids) in sent {
            for chunk in ids.chunks(ROWS_PER_STATEMENT) {
                still_claimed(attempts)
                    .col_expr(Column::Status, Expr::value(OutboxStatus::Sent))
                    .col_expr(Column::SentAt, Expr::value(now))
                    .col_expr(Column::LastError, Expr::value(Option::<String>::None))
                    .filter(Column::Id.is_in(chunk.iter().copied()))
                    .exec(&txn)
                    .await?;
            }
        }
        txn.commit().await?;
        Ok(())
    }

    /// Exponential backoff with jitter: base * 2^(attempts - 1), capped, then scaled by a
    /// random factor in [0.5, 1] so failed messages do not all come back at once.
    fn backoff(&self, attempts: i32) -> TimeDelta {
        let exponent = attempts.clamp(1, 30) as u32 - 1;
        let full = Ord::min(
            self.retry_base_ms.saturating_mul(1u64 << exponent),
            self.retry_max_ms,
        );
        let jittered = (full as f64 * rand::rng().random_range(0.5..=1.0)) as i64;
        TimeDelta::milliseconds(Ord::max(jittered, 1))
    }
}
