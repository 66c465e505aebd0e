//! The scheduler: queues reminders before events and feedback surveys after them, each
//! exactly once per person, into the outbox (the worker delivers them).
//!
//! A mailing (one reminder offset, or the survey, of one event) is queued in one write
//! transaction that locks the event row, re-checks that the mailing is still due and not yet
//! done, queues every message (deduplicated per person) and records the mailing as done. So
//! instances racing for the same mailing queue it once, a crash queues nothing or all, and a
//! restart picks up whatever is due. Time comes from a [`Clock`], which tests move by hand.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use entity::{event, feedback, mailing, person, registration};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder,
};
use tokio::sync::{OnceCell, watch};
use uuid::Uuid;

use super::messages::{Extras, Kind, MailEvent, event_url};
use super::outbox::enqueue_many;
use super::reminders::ReminderOffsets;
use super::unsubscribe;
use super::worker::WorkerHandle;
use crate::clock::Clock;
use crate::db::{ROWS_PER_STATEMENT, begin_write, lock_event};
use crate::events::EventStatus;
use crate::metrics::Heartbeat;
use crate::registration::RegistrationStatus;
use crate::registration::links::ManageLinks;
use crate::secrets::{hash, random_token, shared_secret};

/// Surveys are not sent for events that ended longer ago than this before their survey was
/// due (say, when the service first runs with old events in its database).
const FEEDBACK_WINDOW: TimeDelta = TimeDelta::days(14);

pub struct Scheduler {
    db: DatabaseConnection,
    clock: Clock,
    base_url: String,
    feedback_after: TimeDelta,
    interval: Duration,
    unsubscribe_key: OnceCell<[u8; 32]>,
    links: ManageLinks,
}

/// One mailing of one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mailing {
    /// The reminder this many minutes before the start.
    Reminder(u32),
    Feedback,
}

impl Mailing {
    fn kind(self) -> Kind {
        match self {
            Mailing::Reminder(_) => Kind::Reminder,
            Mailing::Feedback => Kind::Feedback,
        }
    }
}

impl Scheduler {
    /// `links` are the app's own manage links: their base URL is the one every mail links to.
    pub fn new(
        db: DatabaseConnection,
        clock: Clock,
        links: ManageLinks,
        feedback_after_hours: u32,
        interval: Duration,
    ) -> Self {
        Scheduler {
            db,
            clock,
            base_url: links.base_url().to_string(),
            feedback_after: TimeDelta::hours(feedback_after_hours.into()),
            interval,
            unsubscribe_key: OnceCell::new(),
            links,
        }
    }

    /// Runs a pass every interval until stopped, beating `heartbeat` after each pass that
    /// completes (a failing pass leaves it, so the metrics show the scheduler falling behind).
    pub fn spawn(self, heartbeat: Heartbeat) -> WorkerHandle {
        let (stop, mut stopped) = watch::channel(false);
        let scheduler = Arc::new(self);
        let task = tokio::spawn(async move {
            loop {
                match scheduler.run_once().await {
                    Ok(_) => heartbeat.beat(),
                    Err(error) => {
                        tracing::warn!(error = %error, "scheduler: cannot queue due mailings")
                    }
                }
                tokio::select! {
                    _ = tokio::time::sleep(scheduler.interval) => {}
                    _ = stopped.changed() => break,
                }
            }
        });
        WorkerHandle::new(stop, task)
    }

    /// Queues every mailing that is due now. Returns how many messages were queued.
    pub async fn run_once(&self) -> anyhow::Result<u64> {
        let now = self.clock.now();
        let mut queued = 0;
        let upcoming = event::Entity::find()
            .filter(event::Column::Status.is_in([EventStatus::Published, EventStatus::Closed]))
            .filter(event::Column::StartsAt.gt(now))
            .all(&self.db)
            .await?;
        for event in upcoming {
            let offsets = match ReminderOffsets::from_stored(&event.reminder_offsets) {
                Ok(offsets) => offsets,
                // One event's broken column must not stop every other event's mail.
                Err(error) => {
                    tracing::error!(event_id = %event.id, %error, "reminders skipped");
                    continue;
                }
            };
            if let Some(offset) = offsets.due(event.starts_at, now) {
                queued += self.run(&event, Mailing::Reminder(offset), now).await?;
            }
        }
        let ended = event::Entity::find()
            .filter(event::Column::Status.is_in([
                EventStatus::Published,
                EventStatus::Closed,
                EventStatus::Completed,
            ]))
            .filter(event::Column::EndsAt.lte(now - self.feedback_after))
            .filter(event::Column::EndsAt.gt(now - self.feedback_after - FEEDBACK_WINDOW))
            .all(&self.db)
            .await?;
        for event in ended {
            queued += self.run(&event, Mailing::Feedback, now).await?;
        }
        // Housekeeping that runs wherever the scheduler runs.
        let purged =
            crate::registration::admission::purge_expired_idempotency_keys(&self.db, now).await?;
        if purged > 0 {
            tracing::info!(purged, "expired idempotency keys purged");
        }
        Ok(queued)
    }

    /// Queues one mailing unless it is done already.
    async fn run(
        &self,
        seen: &event::Model,
        mailing: Mailing,
        now: DateTime<Utc>,
    ) -> anyhow::Result<u64> {
        // A plain read first: most ticks find the mailing done and take no write lock.
        if self.done(&self.db, seen, mailing).await? {
            return Ok(0);
        }
        // Before the write transaction: on SQLite a second connection could not write now.
        let key = self.unsubscribe_key().await?;
        let links = &self.links;
        let txn = begin_write(&self.db).await?;
        let Some(event) = lock_event(&txn, seen.id).await? else {
            return Ok(0);
        };
        // The event may have moved, been cancelled or had its reminders changed meanwhile.
        let still_due = match mailing {
            Mailing::Reminder(offset) => {
                matches!(event.status, EventStatus::Published | EventStatus::Closed)
                    && ReminderOffsets::from_stored(&event.reminder_offsets)?
                        .due(event.starts_at, now)
                        == Some(offset)
            }
            Mailing::Feedback => {
                event.status != EventStatus::Cancelled && event.ends_at + self.feedback_after <= now
            }
        };
        if !still_due || self.done(&txn, &event, mailing).await? {
            txn.rollback().await?;
            return Ok(0);
        }
        let queued = match mailing {
            Mailing::Reminder(offset) => {
                self.queue_reminders(&txn, &event, offset, &key, links)
                    .await?
            }
            Mailing::Feedback => self.queue_surveys(&txn, &event, &key, links).await?,
        };
        let (offset, due_at) = self.due_at(&event, mailing);
        mailing::Entity::insert(mailing::ActiveModel {
            id: Set(Uuid::now_v7()),
            event_id: Set(event.id),
            kind: Set(mailing.kind()),
            offset_minutes: Set(offset),
            due_at: Set(due_at),
            recipients: Set(i32::try_from(queued).unwrap_or(i32::MAX)),
            completed_at: Set(Utc::now()),
        })
        .exec_without_returning(&txn)
        .await?;
        txn.commit().await?;
        tracing::info!(event_id = %event.id, kind = mailing.kind().as_str(), offset_minutes = offset, queued, "scheduled mailing queued");
        Ok(queued)
    }

    fn due_at(&self, event: &event::Model, mailing: Mailing) -> (i32, DateTime<Utc>) {
        match mailing {
            Mailing::Reminder(offset) => (
                offset as i32,
                event.starts_at - TimeDelta::minutes(offset.into()),
            ),
            Mailing::Feedback => (
                self.feedback_after.num_minutes() as i32,
                event.ends_at + self.feedback_after,
            ),
        }
    }

    async fn done(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        event: &event::Model,
        mailing: Mailing,
    ) -> Result<bool, sea_orm::DbErr> {
        let (offset, due_at) = self.due_at(event, mailing);
        Ok(mailing::Entity::find()
            .filter(mailing::Column::EventId.eq(event.id))
            .filter(mailing::Column::Kind.eq(mailing.kind()))
            .filter(mailing::Column::OffsetMinutes.eq(offset))
            .filter(mailing::Column::DueAt.eq(due_at))
            .one(db)
            .await?
            .is_some())
    }

    async fn unsubscribe_key(&self) -> Result<[u8; 32], sea_orm::DbErr> {
        self.unsubscribe_key
            .get_or_try_init(|| shared_secret(&self.db, unsubscribe::KEY_NAME))
            .await
            .copied()
    }

    /// Confirmed seats taken before the reminder's time; someone who took a seat later was
    /// just told everything by their confirmation.
    async fn queue_reminders(
        &self,
        txn: &DatabaseTransaction,
        event: &event::Model,
        offset: u32,
        key: &[u8; 32],
        links: &ManageLinks,
    ) -> anyhow::Result<u64> {
        let due_at = event.starts_at - TimeDelta::minutes(offset.into());
        let recipients = reachable(event.id)
            .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed))
            .filter(registration::Column::ConfirmedAt.lte(due_at))
            .all(txn)
            .await?;
        let mail_event = MailEvent::load(txn, event, links).await?;
        let mut messages = Vec::with_capacity(recipients.len());
        for row in &recipients {
            let extras = Extras {
                event_url: Some(event_url(&self.base_url, event)),
                unsubscribe_url: Some(unsubscribe::url(&self.base_url, key, row.person_id)),
                lead_time: Some(TimeDelta::minutes(offset.into())),
                cause: Some(offset.to_string()),
                ..Extras::default()
            };
            messages.extend(mail_event.message(Kind::Reminder, row, extras)?);
        }
        Ok(enqueue_many(txn, messages).await?)
    }

    /// Everyone who was checked in gets a personal survey link (stored as a hash).
    async fn queue_surveys(
        &self,
        txn: &DatabaseTransaction,
        event: &event::Model,
        key: &[u8; 32],
        links: &ManageLinks,
    ) -> anyhow::Result<u64> {
        let recipients = reachable(event.id)
            .filter(registration::Column::CheckedInAt.is_not_null())
            .filter(
                registration::Column::Id.not_in_subquery(
                    Query::select()
                        .column(feedback::Column::RegistrationId)
                        .from(feedback::Entity)
                        .to_owned(),
                ),
            )
            .all(txn)
            .await?;
        let mail_event = MailEvent::load(txn, event, links).await?;
        let now = Utc::now();
        let mut invitations = Vec::with_capacity(recipients.len());
        let mut messages = Vec::with_capacity(recipients.len());
        for row in &recipients {
            let token = random_token("");
            invitations.push(feedback::ActiveModel {
                id: Set(Uuid::now_v7()),
                event_id: Set(event.id),
                registration_id: Set(row.id),
                token_hash: Set(hash(&token)),
                rating: Set(None),
                best_part: Set(None),
                change_next: Set(None),
                come_again: Set(None),
                invited_at: Set(now),
                submitted_at: Set(None),
            });
            let extras = Extras {
                feedback_url: Some(format!("{}/feedback/{token}", self.base_url)),
                unsubscribe_url: Some(unsubscribe::url(&self.base_url, key, row.person_id)),
                ..Extras::default()
            };
            messages.extend(mail_event.message(Kind::Feedback, row, extras)?);
        }
        for chunk in invitations.chunks(ROWS_PER_STATEMENT) {
            feedback::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(txn)
                .await?;
        }
        Ok(enqueue_many(txn, messages).await?)
    }
}

/// The event's registrations that can still be written to: not erased, not opted out.
fn reachable(event_id: Uuid) -> sea_orm::Select<registration::Entity> {
    registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::Email.is_not_null())
        .filter(
            registration::Column::PersonId.not_in_subquery(
                Query::select()
                    .column(person::Column::Id)
                    .from(person::Entity)
                    .and_where(person::Column::EmailOptOutAt.is_not_null())
                    .to_owned(),
            ),
        )
        .order_by_asc(registration::Column::Id)
}
