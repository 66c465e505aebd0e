//! Registering, with group commit.
//!
//! A request is handed to the instance's one admission writer, which takes every registration
//! waiting (up to `MOST_PER_BATCH`), admits them one after another in one transaction under
//! each event's lock, commits once and answers each request. Under light load a batch is one
//! registration and costs one commit; under a rush the commit (an fsync, ~4 ms here) is shared
//! by the batch. The event's form is read once per batch, under the lock, and each
//! registration parsed against it there: two queries a batch rather than three a request.
//! Each registration keeps its own outcome: everything that can refuse one (the idempotency
//! key, the window, the form, a second registration of the email) is checked before anything
//! is written, and a batch that still fails is admitted again one registration at a time.
//! Seats come from the counters on the locked event row (`seats`), so the cost of a
//! registration does not grow with the waitlist.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use entity::{event, idempotency_key, person, registration};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, Iterable, QueryFilter, QuerySelect, TryIntoModel,
};
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use uuid::Uuid;

use super::links::{ManageLinks, unheld_token_hash};
use super::rules::{ClosedReason, closed_reason};
use super::seats::{Place, Seats};
use super::store::{Registration, answer_columns, form_context, person_profile, view};
use super::{NewRegistration, RegistrationError, RegistrationInput, RegistrationStatus};
use crate::db::{ROWS_PER_STATEMENT, begin_write, is_busy, lock_event};
use crate::domain::Invalid;
use crate::email::{self, Extras, Kind, MailEvent};
use crate::secrets::{hash, human_code};

/// A new registration and its personal link.
#[derive(Debug)]
pub struct Registered {
    pub registration: Registration,
    pub manage_token: String,
    pub manage_url: String,
}

/// What a request with an idempotency key produced.
#[derive(Debug)]
pub enum Attempt {
    /// The first request with the key: a new registration.
    Registered(Registered),
    /// A retry: the registration the first request made.
    Replay(Registration),
}

/// How long a key is kept: a retry later than this is a new request (as in Stripe's API).
pub const IDEMPOTENCY_KEY_LIFETIME: TimeDelta = TimeDelta::hours(24);

/// Most registrations admitted in one transaction: enough to share a commit among a rush,
/// few enough that the event lock is never held long.
const MOST_PER_BATCH: usize = 128;

/// Registrations waiting for the writer before new ones wait to be queued at all.
const QUEUE_BOUND: usize = 4096;

/// How long the writer waits before trying a batch again when another process holds the
/// database (SQLite's lock, or a PostgreSQL lock timeout).
const BUSY_PAUSE: Duration = Duration::from_millis(20);

/// The handle requests use to reach the instance's admission writer.
pub struct Registrar {
    jobs: mpsc::Sender<Job>,
    /// How long a registration may wait for its turn before it is answered "busy".
    patience: Duration,
}

/// What the writer needs for the links it mails.
pub struct LinkMail {
    pub links: ManageLinks,
    /// Registering an active email again mails its link at most once per this long.
    pub interval: TimeDelta,
}

/// One registration waiting for the writer.
struct Job {
    event_id: Uuid,
    input: RegistrationInput,
    claim: Option<Claim>,
    deadline: Instant,
    /// The request's span, so the writer's log lines carry its request id.
    span: tracing::Span,
    reply: oneshot::Sender<Result<Admitted, RegistrationError>>,
}

/// What the writer made of one registration.
enum Admitted {
    Registered(Box<Registered>),
    /// A retry of the request that made this registration.
    Replay(Uuid),
}

impl Registrar {
    /// Starts the writer (a task that ends when the last handle is dropped).
    pub fn start(db: DatabaseConnection, patience: Duration, mail: LinkMail) -> Self {
        let (jobs, queue) = mpsc::channel(QUEUE_BOUND);
        tokio::spawn(write_batches(db, mail, queue));
        Self { jobs, patience }
    }

    /// Registers someone for an event: validates against the event's form, refuses a second
    /// active registration of the email, and confirms, waitlists or holds for approval.
    pub async fn register(
        &self,
        db: &DatabaseConnection,
        event_id: Uuid,
        input: &RegistrationInput,
    ) -> Result<Registered, RegistrationError> {
        match self.register_once(db, event_id, input, None).await? {
            Attempt::Registered(registered) => Ok(registered),
            // Only a request with a key can be a retry.
            Attempt::Replay(_) => Err(RegistrationError::RequestInProgress),
        }
    }

    /// Registers like `register`; with an idempotency `key` once per key: a retry gets the
    /// registration the first request made, and the same key with another body is refused
    /// with `IdempotencyKeyReused`, revealing nothing about the first request.
    pub async fn register_once(
        &self,
        db: &DatabaseConnection,
        event_id: Uuid,
        input: &RegistrationInput,
        key: Option<&str>,
    ) -> Result<Attempt, RegistrationError> {
        let (reply, answer) = oneshot::channel();
        let deadline = Instant::now() + self.patience;
        let job = Job {
            event_id,
            input: input.clone(),
            claim: key.map(|key| Claim::new(event_id, key, input)),
            deadline,
            span: tracing::Span::current(),
            reply,
        };
        tokio::time::timeout_at(deadline, self.jobs.send(job))
            .await
            .map_err(|_| RegistrationError::Busy)?
            .map_err(|_| RegistrationError::Busy)?;
        // The writer answers every job it takes, "busy" past its deadline.
        match answer.await.map_err(|_| RegistrationError::Busy)?? {
            Admitted::Registered(registered) => Ok(Attempt::Registered(*registered)),
            Admitted::Replay(id) => {
                let row = registration::Entity::find_by_id(id)
                    .one(db)
                    .await?
                    // Erasing a person removes their keys; a key without its registration is
                    // gone too.
                    .ok_or(RegistrationError::RequestInProgress)?;
                Ok(Attempt::Replay(view(db, row).await?))
            }
        }
    }
}

fn refuse_if_closed(event: &event::Model) -> Result<(), RegistrationError> {
    match closed_reason(event, Utc::now()) {
        Some(ClosedReason::NotYetOpen) => {
            Err(RegistrationError::NotYetOpen(event.registration_opens_at))
        }
        Some(ClosedReason::Closed) => Err(RegistrationError::Closed),
        None => Ok(()),
    }
}

/// The writer: takes whatever is waiting, admits it as one batch, repeats. Each batch runs in
/// a task of its own, awaited before the next: should it panic, its requests are answered
/// "busy" (their reply channels close) and the writer goes on with the next batch.
async fn write_batches(db: DatabaseConnection, mail: LinkMail, mut queue: mpsc::Receiver<Job>) {
    let mail = std::sync::Arc::new(mail);
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < MOST_PER_BATCH
            && let Ok(job) = queue.try_recv()
        {
            batch.push(job);
        }
        let (db, mail) = (db.clone(), mail.clone());
        if let Err(error) = tokio::spawn(async move { write(&db, &mail, batch).await }).await {
            tracing::error!(%error, "a registration batch panicked");
        }
    }
}

/// Admits a batch together; should that fail, each of its registrations alone, so one that
/// cannot be written never fails the others.
async fn write(db: &DatabaseConnection, mail: &LinkMail, batch: Vec<Job>) {
    let Err((batch, error)) = write_together(db, mail, batch).await else {
        return;
    };
    if batch.len() == 1 {
        answer_failure(batch, error);
        return;
    }
    tracing::warn!(%error, size = batch.len(), "a batch failed; admitting its registrations one by one");
    for job in batch {
        if let Err((alone, error)) = write_together(db, mail, vec![job]).await {
            answer_failure(alone, error);
        }
    }
}

fn answer_failure(jobs: Vec<Job>, error: RegistrationError) {
    if let Some(job) = jobs.into_iter().next() {
        tracing::error!(parent: &job.span, %error, "registration failed");
        let _ = job.reply.send(Err(error));
    }
}

/// Admits the batch in one transaction and answers every job. While the database is busy
/// (another process writes) it tries again until each job's deadline; a job past it is
/// answered "busy" and left out, and a job whose request is gone is dropped. Any other
/// failure gives the jobs back unanswered.
async fn write_together(
    db: &DatabaseConnection,
    mail: &LinkMail,
    mut batch: Vec<Job>,
) -> Result<(), (Vec<Job>, RegistrationError)> {
    loop {
        batch = still_waiting(batch);
        if batch.is_empty() {
            return Ok(());
        }
        match admit_batch(db, mail, &batch).await {
            Ok(outcomes) => {
                for (job, outcome) in batch.into_iter().zip(outcomes) {
                    if let Ok(Admitted::Registered(registered)) = &outcome {
                        let registration = &registered.registration;
                        tracing::info!(
                            parent: &job.span,
                            registration_id = %registration.id,
                            status = registration.status.as_str(),
                            "registered"
                        );
                    }
                    let _ = job.reply.send(outcome);
                }
                return Ok(());
            }
            Err(RegistrationError::Database(error)) if is_busy(&error) => {
                tokio::time::sleep(BUSY_PAUSE).await;
            }
            Err(error) => return Err((batch, error)),
        }
    }
}

/// The jobs still worth admitting: not past their deadline (those are answered "busy") and
/// still awaited by their request.
fn still_waiting(batch: Vec<Job>) -> Vec<Job> {
    let now = Instant::now();
    batch
        .into_iter()
        .filter_map(|job| {
            if job.reply.is_closed() {
                None
            } else if job.deadline <= now {
                let _ = job.reply.send(Err(RegistrationError::Busy));
                None
            } else {
                Some(job)
            }
        })
        .collect()
}

/// One transaction for the whole batch: events locked in id order (the same order in every
/// instance), each event's registrations admitted in arrival order.
async fn admit_batch(
    db: &DatabaseConnection,
    mail: &LinkMail,
    jobs: &[Job],
) -> Result<Vec<Result<Admitted, RegistrationError>>, RegistrationError> {
    let mut by_event: BTreeMap<Uuid, Vec<usize>> = BTreeMap::new();
    for (index, job) in jobs.iter().enumerate() {
        by_event.entry(job.event_id).or_default().push(index);
    }
    let txn = begin_write(db).await?;
    let mut outcomes = Vec::with_capacity(jobs.len());
    for (event_id, indices) in by_event {
        let event_jobs: Vec<&Job> = indices.iter().map(|&index| &jobs[index]).collect();
        let answers = admit_for_event(&txn, mail, event_id, &event_jobs).await?;
        outcomes.extend(indices.into_iter().zip(answers));
    }
    txn.commit().await?;
    outcomes.sort_by_key(|(index, _)| *index);
    Ok(outcomes.into_iter().map(|(_, outcome)| outcome).collect())
}

/// A registration the batch makes, before it is written.
struct Fresh {
    row: registration::Model,
    place: Place,
}

/// How one job of the batch ends: answered at once, or one of the registrations written
/// together at the end.
enum Decision {
    Answered(Result<Admitted, RegistrationError>),
    Fresh(usize),
}

/// Admits one event's registrations of the batch under its lock.
async fn admit_for_event(
    txn: &DatabaseTransaction,
    mail: &LinkMail,
    event_id: Uuid,
    jobs: &[&Job],
) -> Result<Vec<Result<Admitted, RegistrationError>>, RegistrationError> {
    let Some(event) = lock_event(txn, event_id).await? else {
        return Ok(jobs
            .iter()
            .map(|_| Err(RegistrationError::EventNotFound))
            .collect());
    };
    let now = Utc::now().trunc_subsecs(6);
    let mut seats = Seats::of(&event);
    let claimed = claims_held(txn, event_id, jobs, now).await?;
    // The form is read once for the batch, under the lock: the questions answered are the
    // event's questions as they are now.
    let context = form_context(txn, &event).await?;
    let parsed: Vec<Result<NewRegistration, Invalid>> =
        jobs.iter().map(|job| job.input.parse(&context)).collect();
    let emails: Vec<&str> = parsed
        .iter()
        .flatten()
        .map(|new| new.email.as_str())
        .collect();
    let mut registered = active_registrations(txn, event_id, &emails).await?;
    // Read once for every message of the batch: the venue the emails name.
    let mail_event = MailEvent::load(txn, &event, &mail.links).await?;

    let mut fresh: Vec<Fresh> = Vec::new();
    let mut emails_taken: HashSet<&str> = HashSet::new();
    // Keys this batch claims: their fingerprint and registration.
    let mut claiming: HashMap<&str, (&str, Uuid)> = HashMap::new();
    let mut decisions = Vec::with_capacity(jobs.len());
    let mut news: Vec<&NewRegistration> = Vec::new();
    for (job, parsed) in jobs.iter().zip(&parsed) {
        if let Some(claim) = &job.claim {
            let earlier = claimed
                .get(claim.key.as_str())
                .map(|held| (held.fingerprint.as_str(), held.registration_id))
                .or_else(|| {
                    claiming
                        .get(claim.key.as_str())
                        .map(|&(fingerprint, id)| (fingerprint, Some(id)))
                });
            if let Some((fingerprint, registration_id)) = earlier {
                decisions.push(Decision::Answered(
                    claim.replay(fingerprint, registration_id),
                ));
                continue;
            }
        }
        if let Err(refusal) = refuse_if_closed(&event) {
            decisions.push(Decision::Answered(Err(refusal)));
            continue;
        }
        let new = match parsed {
            Ok(new) => new,
            Err(invalid) => {
                decisions.push(Decision::Answered(Err(invalid.clone().into())));
                continue;
            }
        };
        let email = new.email.as_str();
        if let Some(existing) = registered.get_mut(email) {
            mail_manage_link(txn, existing, &mail_event, mail.interval, now).await?;
            decisions.push(Decision::Answered(Err(
                RegistrationError::AlreadyRegistered,
            )));
            continue;
        }
        if !emails_taken.insert(email) {
            // The same email earlier in this batch: its answer carries the link.
            decisions.push(Decision::Answered(Err(
                RegistrationError::AlreadyRegistered,
            )));
            continue;
        }
        let place = seats.admit_new();
        let row = new_row(&event, new, place, now)?;
        news.push(new);
        if let Some(claim) = &job.claim {
            claiming.insert(claim.key.as_str(), (claim.fingerprint.as_str(), row.id));
        }
        decisions.push(Decision::Fresh(fresh.len()));
        fresh.push(Fresh { row, place });
    }

    if !fresh.is_empty() {
        let people = upsert_people(txn, &news).await?;
        for made in &mut fresh {
            let email = made.row.email.as_deref().unwrap_or_default();
            made.row.person_id = *people
                .get(email)
                .ok_or_else(|| DbErr::RecordNotFound(format!("the person of {email}")))?;
        }
        give_checkin_codes(txn, event_id, &mut fresh).await?;
        insert_registrations(txn, &fresh).await?;
        queue_confirmations(txn, &mail_event, &fresh).await?;
        save_claims(txn, event_id, &claiming, now).await?;
        seats.save(txn).await?;
    }

    let mut fresh: Vec<Option<Fresh>> = fresh.into_iter().map(Some).collect();
    decisions
        .into_iter()
        .map(|decision| match decision {
            Decision::Answered(answer) => Ok(answer),
            Decision::Fresh(index) => {
                let Fresh { row, place } = fresh[index]
                    .take()
                    .ok_or_else(|| DbErr::Custom("a registration answered twice".into()))?;
                Ok(Ok(Admitted::Registered(Box::new(Registered {
                    manage_token: mail.links.token(&row),
                    manage_url: mail.links.url(&row),
                    registration: Registration::from_row(row, place.waitlist_position)?,
                }))))
            }
        })
        .collect()
}

/// The row of a new registration in the place the seats gave it (its person and check-in
/// code are filled in later, for the whole batch at once).
fn new_row(
    event: &event::Model,
    new: &NewRegistration,
    place: Place,
    now: DateTime<Utc>,
) -> Result<registration::Model, DbErr> {
    let email = new.email.as_str().to_string();
    let mut active = registration::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event.id),
        person_id: Set(Uuid::nil()),
        email: Set(Some(email.clone())),
        active_email: Set(Some(email)),
        status: Set(place.status),
        waitlist_seq: Set(place.waitlist_seq),
        // Links are signed now; this column only keeps the old links of older rows working,
        // so a new row gets the hash of a token nobody holds.
        manage_token_hash: Set(unheld_token_hash()),
        manage_link_generation: Set(0),
        manage_link_mailed_at: Set(None),
        checkin_code: Set(String::new()),
        checked_in_at: Set(None),
        confirmed_at: Set((place.status == RegistrationStatus::Confirmed).then_some(now)),
        cancelled_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    answer_columns(&mut active, new);
    active.updated_at = Set(now);
    active.try_into_model()
}

/// The event's active registrations of these emails.
async fn active_registrations(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    emails: &[&str],
) -> Result<HashMap<String, registration::Model>, DbErr> {
    let mut found = HashMap::new();
    for chunk in emails.chunks(ROWS_PER_STATEMENT) {
        for row in registration::Entity::find()
            .filter(registration::Column::EventId.eq(event_id))
            .filter(registration::Column::ActiveEmail.is_in(chunk.iter().copied()))
            .lock_exclusive()
            .all(txn)
            .await?
        {
            if let Some(email) = row.active_email.clone() {
                found.insert(email, row);
            }
        }
    }
    Ok(found)
}

/// Inserts the people of these registrations or refreshes their profiles from them (their
/// latest registrations), in one statement per chunk. Returns each email's person id.
async fn upsert_people(
    txn: &DatabaseTransaction,
    news: &[&NewRegistration],
) -> Result<HashMap<String, Uuid>, DbErr> {
    // Sorted, so concurrent batches of two instances lock people in the same order.
    let mut news = news.to_vec();
    news.sort_by(|a, b| a.email.as_str().cmp(b.email.as_str()));
    let mut ids = HashMap::with_capacity(news.len());
    for chunk in news.chunks(ROWS_PER_STATEMENT) {
        let mut refreshed: Vec<person::Column> = Vec::new();
        let people: Vec<person::ActiveModel> = chunk
            .iter()
            .map(|new| {
                let mut person = person_profile(new);
                // What a known person gets: exactly the columns of the profile.
                refreshed = person::Column::iter()
                    .filter(|column| person.get(*column).is_set())
                    .collect();
                person.id = Set(Uuid::now_v7());
                person.email = Set(Some(new.email.as_str().to_string()));
                person.erased_at = Set(None);
                person.email_opt_out_at = Set(None);
                person.created_at = person.updated_at.clone();
                person
            })
            .collect();
        for row in person::Entity::insert_many(people)
            .on_conflict(
                OnConflict::column(person::Column::Email)
                    .update_columns(refreshed)
                    .to_owned(),
            )
            .exec_with_returning(txn)
            .await?
        {
            if let Some(email) = row.email {
                ids.insert(email, row.id);
            }
        }
    }
    Ok(ids)
}

/// Gives every new registration a check-in code no other registration of the event has.
async fn give_checkin_codes(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    fresh: &mut [Fresh],
) -> Result<(), DbErr> {
    // 31^6 codes: a collision is rare, and checked rather than assumed away.
    let mut unplaced: Vec<usize> = (0..fresh.len()).collect();
    let mut in_batch: HashSet<String> = HashSet::new();
    while !unplaced.is_empty() {
        let candidates: Vec<String> = unplaced.iter().map(|_| human_code()).collect();
        let mut taken: HashSet<String> = HashSet::new();
        for chunk in candidates.chunks(ROWS_PER_STATEMENT) {
            let rows: Vec<String> = registration::Entity::find()
                .select_only()
                .column(registration::Column::CheckinCode)
                .filter(registration::Column::EventId.eq(event_id))
                .filter(registration::Column::CheckinCode.is_in(chunk.iter().cloned()))
                .into_tuple()
                .all(txn)
                .await?;
            taken.extend(rows);
        }
        let mut still = Vec::new();
        for (index, code) in unplaced.into_iter().zip(candidates) {
            if taken.contains(&code) || !in_batch.insert(code.clone()) {
                still.push(index);
            } else {
                fresh[index].row.checkin_code = code;
            }
        }
        unplaced = still;
    }
    Ok(())
}

async fn insert_registrations(txn: &DatabaseTransaction, fresh: &[Fresh]) -> Result<(), DbErr> {
    for chunk in fresh.chunks(ROWS_PER_STATEMENT) {
        registration::Entity::insert_many(
            chunk
                .iter()
                .map(|made| registration::ActiveModel::from(made.row.clone())),
        )
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

/// Queues each new registration's message: confirmed, waitlisted (with the position) or
/// pending, with its manage link.
async fn queue_confirmations(
    txn: &DatabaseTransaction,
    mail_event: &MailEvent<'_>,
    fresh: &[Fresh],
) -> Result<(), RegistrationError> {
    let mut messages = Vec::with_capacity(fresh.len());
    for made in fresh {
        let kind = match made.place.status {
            RegistrationStatus::Confirmed => Kind::Confirmed,
            RegistrationStatus::Waitlisted => Kind::Waitlisted,
            // A new registration is never rejected or cancelled; pending is what is left.
            RegistrationStatus::Pending
            | RegistrationStatus::Rejected
            | RegistrationStatus::Cancelled => Kind::Pending,
        };
        let extras = Extras {
            waitlist_position: made.place.waitlist_position,
            ..Extras::default()
        };
        messages.extend(
            mail_event
                .message(kind, &made.row, extras)
                .map_err(RegistrationError::mail)?,
        );
    }
    email::enqueue_many(txn, messages).await?;
    Ok(())
}

/// A second registration of an active email: nothing is revoked; the owner is mailed the
/// link to their registration, at most once per `interval` (the time is kept on the row,
/// written under the event lock, so instances agree). `existing` is updated in place, so a
/// later request of the same batch sees the mail as sent.
async fn mail_manage_link(
    txn: &DatabaseTransaction,
    existing: &mut registration::Model,
    mail_event: &MailEvent<'_>,
    interval: TimeDelta,
    now: DateTime<Utc>,
) -> Result<(), RegistrationError> {
    if !link_mail_due(existing.manage_link_mailed_at, interval, now) {
        tracing::info!(registration_id = %existing.id, "registered again: link mailed recently");
        return Ok(());
    }
    registration::Entity::update_many()
        .col_expr(
            registration::Column::ManageLinkMailedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(registration::Column::Id.eq(existing.id))
        .exec(txn)
        .await?;
    existing.manage_link_mailed_at = Some(now);
    let message = mail_event
        .message(Kind::ManageLink, existing, Extras::default())
        .map_err(RegistrationError::mail)?;
    if let Some(message) = message {
        email::enqueue(txn, message).await?;
    }
    tracing::info!(registration_id = %existing.id, "registered again: link mailed");
    Ok(())
}

/// Whether the link may be mailed again: never mailed, or last mailed `interval` ago.
fn link_mail_due(last: Option<DateTime<Utc>>, interval: TimeDelta, now: DateTime<Utc>) -> bool {
    last.is_none_or(|last| now - last >= interval)
}

/// What a request is, for comparing a retry with the first: method, path and body (the
/// decoded body, so spacing and key order do not make a retry a different request).
fn fingerprint(event_id: Uuid, input: &RegistrationInput) -> String {
    // Input types are plain structs with string keys, which always serialize.
    let body = serde_json::to_string(input).expect("an input serializes to JSON");
    hash(&format!(
        "POST /api/v1/events/{event_id}/registrations\n{body}"
    ))
}

/// The scope of an event's registration keys.
fn key_scope(event_id: Uuid) -> String {
    format!("registration:{event_id}")
}

/// An idempotency key sent with one registration request.
struct Claim {
    key: String,
    fingerprint: String,
}

impl Claim {
    fn new(event_id: Uuid, key: &str, input: &RegistrationInput) -> Self {
        Self {
            key: key.to_string(),
            fingerprint: fingerprint(event_id, input),
        }
    }

    /// The answer to a retry of the request that claimed the key first; refused when this
    /// request is not that one.
    fn replay(
        &self,
        fingerprint: &str,
        registration_id: Option<Uuid>,
    ) -> Result<Admitted, RegistrationError> {
        if fingerprint != self.fingerprint {
            return Err(RegistrationError::IdempotencyKeyReused);
        }
        registration_id
            .map(Admitted::Replay)
            .ok_or(RegistrationError::RequestInProgress)
    }
}

/// The keys of these jobs that earlier requests hold and that have not expired. Keys are
/// claimed only under the event's lock, so they cannot change while the batch runs.
async fn claims_held(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    jobs: &[&Job],
    now: DateTime<Utc>,
) -> Result<HashMap<String, idempotency_key::Model>, DbErr> {
    let keys: Vec<&str> = jobs
        .iter()
        .filter_map(|job| job.claim.as_ref().map(|claim| claim.key.as_str()))
        .collect();
    let mut held = HashMap::new();
    for chunk in keys.chunks(ROWS_PER_STATEMENT) {
        for row in idempotency_key::Entity::find()
            .filter(idempotency_key::Column::Scope.eq(key_scope(event_id)))
            .filter(idempotency_key::Column::Key.is_in(chunk.iter().copied()))
            .filter(idempotency_key::Column::CreatedAt.gte(now - IDEMPOTENCY_KEY_LIFETIME))
            .all(txn)
            .await?
        {
            held.insert(row.key.clone(), row);
        }
    }
    Ok(held)
}

/// Records the keys of the registrations this batch made, replacing expired claims of the
/// same keys that the scheduler has not purged yet.
async fn save_claims(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    claiming: &HashMap<&str, (&str, Uuid)>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    // Each key once, however many requests of the batch sent it.
    let keys: Vec<&str> = claiming.keys().copied().collect();
    let scope = key_scope(event_id);
    for chunk in keys.chunks(ROWS_PER_STATEMENT) {
        idempotency_key::Entity::delete_many()
            .filter(idempotency_key::Column::Scope.eq(scope.as_str()))
            .filter(idempotency_key::Column::Key.is_in(chunk.iter().copied()))
            .exec(txn)
            .await?;
        idempotency_key::Entity::insert_many(chunk.iter().map(|key| {
            let (fingerprint, registration_id) = claiming[key];
            idempotency_key::ActiveModel {
                scope: Set(scope.clone()),
                key: Set(key.to_string()),
                fingerprint: Set(fingerprint.to_string()),
                registration_id: Set(Some(registration_id)),
                created_at: Set(now),
            }
        }))
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

/// Forgets the keys whose first request is older than their lifetime (the scheduler's
/// housekeeping). Returns how many were removed.
pub async fn purge_expired_idempotency_keys(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let removed = idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::CreatedAt.lt(now - IDEMPOTENCY_KEY_LIFETIME))
        .exec(db)
        .await?;
    Ok(removed.rows_affected)
}

/// Forgets the keys that led to these registrations (erasing their person).
pub async fn forget_idempotency_keys(
    txn: &impl ConnectionTrait,
    registration_ids: impl IntoIterator<Item = Uuid>,
) -> Result<(), DbErr> {
    let ids: Vec<Uuid> = registration_ids.into_iter().collect();
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        idempotency_key::Entity::delete_many()
            .filter(idempotency_key::Column::RegistrationId.is_in(chunk.iter().copied()))
            .exec(txn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;
    use entity::outbox_message;
    use sea_orm::{ActiveModelTrait, ConnectionTrait, PaginatorTrait};
    use serde_json::json;

    use super::*;
    use crate::configuration::DatabaseSettings;
    use crate::events::EventStatus;

    fn mail() -> LinkMail {
        LinkMail {
            links: ManageLinks::new([7; 32], "https://homecoming.example"),
            interval: TimeDelta::minutes(10),
        }
    }

    #[test]
    fn a_link_is_mailed_again_only_after_the_interval() {
        let now = Utc::now();
        let ten = TimeDelta::minutes(10);
        assert!(link_mail_due(None, ten, now));
        assert!(!link_mail_due(Some(now - TimeDelta::minutes(9)), ten, now));
        assert!(link_mail_due(Some(now - ten), ten, now));
    }

    async fn database(dir: &tempfile::TempDir) -> DatabaseConnection {
        let db = crate::db::connect(&DatabaseSettings {
            url: format!("sqlite://{}/batch.db?mode=rwc", dir.path().display()),
            max_connections: 2,
            busy_timeout_ms: 1000,
        })
        .await
        .unwrap();
        crate::db::migrate(&db).await.unwrap();
        db
    }

    /// An event open for registration (or, with `status`, one that is not).
    async fn event(db: &DatabaseConnection, capacity: i32, status: EventStatus) -> Uuid {
        let now = Utc::now();
        let id = Uuid::now_v7();
        event::ActiveModel {
            id: Set(id),
            title: Set("1&N".into()),
            slug: Set(format!("batch-{id}")),
            description: Set(None),
            starts_at: Set(now + TimeDelta::days(30)),
            ends_at: Set(now + TimeDelta::days(30) + TimeDelta::hours(6)),
            time_zone: Set("Asia/Seoul".into()),
            local_year: Set(2026),
            venue_id: Set(None),
            capacity: Set(Some(capacity)),
            registration_opens_at: Set(Some(now - TimeDelta::days(1))),
            registration_closes_at: Set(None),
            tags: Set("[]".into()),
            tags_en: Set("{}".into()),
            status: Set(status),
            published_at: Set(Some(now - TimeDelta::days(1))),
            requires_approval: Set(false),
            reminder_offsets: Set("[]".into()),
            calendar_sequence: Set(0),
            confirmed_count: Set(0),
            waitlisted_count: Set(0),
            last_waitlist_seq: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(db)
        .await
        .unwrap();
        id
    }

    fn input(email: &str, name: &str) -> RegistrationInput {
        serde_json::from_value(json!({"name": name, "email": email, "role": "alumni"})).unwrap()
    }

    /// A job as a request hands it to the writer, and where its answer arrives.
    fn job(
        event_id: Uuid,
        input: &RegistrationInput,
        key: Option<&str>,
    ) -> (Job, oneshot::Receiver<Result<Admitted, RegistrationError>>) {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            event_id,
            input: input.clone(),
            claim: key.map(|key| Claim::new(event_id, key, input)),
            deadline: Instant::now() + Duration::from_secs(30),
            span: tracing::Span::none(),
            reply,
        };
        (job, answer)
    }

    fn registered(outcome: &Result<Admitted, RegistrationError>) -> &Registration {
        match outcome {
            Ok(Admitted::Registered(registered)) => &registered.registration,
            other => panic!("expected a registration, got {:?}", other.as_ref().err()),
        }
    }

    #[tokio::test]
    async fn each_registration_of_a_mixed_batch_gets_its_own_answer() {
        let dir = tempfile::tempdir().unwrap();
        let db = database(&dir).await;
        let open = event(&db, 2, EventStatus::Published).await;
        let closed = event(&db, 2, EventStatus::Closed).await;
        let earlier = input("earlier@example.com", "먼저 온 사람");
        let (first, _) = job(open, &earlier, None);
        let done = admit_batch(&db, &mail(), &[first]).await.unwrap();
        assert_eq!(registered(&done[0]).status, RegistrationStatus::Confirmed);

        let (a, b, c, d) = (
            input("a@example.com", "가"),
            input("b@example.com", "나"),
            input("c@example.com", "다"),
            input("d@example.com", "라"),
        );
        let jobs: Vec<Job> = [
            job(open, &a, None),                             // the last seat
            job(open, &b, None),                             // waitlisted, 1st
            job(open, &a, None),                             // the same email again
            job(open, &earlier, None),                       // registered before the batch
            job(open, &c, Some("key-c")),                    // waitlisted, 2nd
            job(open, &c, Some("key-c")),                    // a retry of the one before
            job(open, &d, Some("key-c")),                    // the key with another body
            job(closed, &d, None),                           // registration closed
            job(Uuid::now_v7(), &d, None),                   // no such event
            job(open, &input("A@Example.com", "가"), None),  // the first email in capitals
            job(open, &input("not an address", "마"), None), // invalid
        ]
        .into_iter()
        .map(|(job, _)| job)
        .collect();
        let outcomes = admit_batch(&db, &mail(), &jobs).await.unwrap();

        assert_eq!(outcomes.len(), jobs.len());
        assert_eq!(
            registered(&outcomes[0]).status,
            RegistrationStatus::Confirmed
        );
        let second = registered(&outcomes[1]);
        assert_eq!(second.status, RegistrationStatus::Waitlisted);
        assert_eq!(second.waitlist_position, Some(1));
        assert!(matches!(
            outcomes[2],
            Err(RegistrationError::AlreadyRegistered)
        ));
        assert!(matches!(
            outcomes[3],
            Err(RegistrationError::AlreadyRegistered)
        ));
        let keyed = registered(&outcomes[4]);
        assert_eq!(keyed.waitlist_position, Some(2));
        assert!(matches!(outcomes[5], Ok(Admitted::Replay(id)) if id == keyed.id));
        assert!(matches!(
            outcomes[6],
            Err(RegistrationError::IdempotencyKeyReused)
        ));
        assert!(matches!(outcomes[7], Err(RegistrationError::Closed)));
        assert!(matches!(outcomes[8], Err(RegistrationError::EventNotFound)));
        assert!(matches!(
            outcomes[9],
            Err(RegistrationError::AlreadyRegistered)
        ));

        // What was written: three new registrations, the counters, and one message each
        // (three confirmations and the link sent again to the earlier one) after the first.
        let stored = registration::Entity::find()
            .filter(registration::Column::EventId.eq(open))
            .count(&db)
            .await
            .unwrap();
        assert_eq!(stored, 4);
        let row = event::Entity::find_by_id(open)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                row.confirmed_count,
                row.waitlisted_count,
                row.last_waitlist_seq
            ),
            (2, 2, 2)
        );
        let messages = outbox_message::Entity::find().count(&db).await.unwrap();
        assert_eq!(messages, 1 + 3 + 1);
    }

    #[tokio::test]
    async fn a_registration_the_database_refuses_fails_alone() {
        let dir = tempfile::tempdir().unwrap();
        let db = database(&dir).await;
        let open = event(&db, 10, EventStatus::Published).await;
        // A failure no check foresees: the database itself refuses one row.
        db.execute_unprepared(
            "CREATE TRIGGER refuse_one BEFORE INSERT ON registrations \
             WHEN NEW.email = 'refused@example.com' BEGIN SELECT RAISE(ABORT, 'refused'); END",
        )
        .await
        .unwrap();
        let mut answers = Vec::new();
        let mut jobs = Vec::new();
        for email in ["one@example.com", "refused@example.com", "two@example.com"] {
            let (job, answer) = job(open, &input(email, "사람"), None);
            jobs.push(job);
            answers.push(answer);
        }
        write(&db, &mail(), jobs).await;

        let mut outcomes = Vec::new();
        for answer in answers {
            outcomes.push(answer.await.unwrap());
        }
        assert_eq!(
            registered(&outcomes[0]).status,
            RegistrationStatus::Confirmed
        );
        assert!(matches!(outcomes[1], Err(RegistrationError::Database(_))));
        assert_eq!(
            registered(&outcomes[2]).status,
            RegistrationStatus::Confirmed
        );
        let row = event::Entity::find_by_id(open)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.confirmed_count, 2, "the refused one holds no seat");
    }

    #[tokio::test]
    async fn a_registration_past_its_deadline_is_answered_busy_and_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let db = database(&dir).await;
        let open = event(&db, 10, EventStatus::Published).await;
        let (mut late, answer) = job(open, &input("late@example.com", "늦은 사람"), None);
        late.deadline = Instant::now();
        write(&db, &mail(), vec![late]).await;
        assert!(matches!(
            answer.await.unwrap(),
            Err(RegistrationError::Busy)
        ));
        let stored = registration::Entity::find().count(&db).await.unwrap();
        assert_eq!(stored, 0);
    }
}
