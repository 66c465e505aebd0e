//! Registration persistence. Every change that moves seats locks the event row first (then
//! the registration), so concurrent registrations, cancellations, approvals and capacity
//! changes of one event apply one after another: nobody is oversold, and a seat freed by a
//! cancellation always goes to the head of the waitlist.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, SubsecRound, Utc};
use entity::{event, idempotency_key, person, registration, talk_speaker};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::questions::event_questions;
use super::rules::{Admission, admit, promotions, seat_or_wait};
use super::{
    Answer, FormContext, Goal, Language, NewRegistration, RegistrationInput, RegistrationStatus,
    Role,
};
use crate::db::{begin_write, lock_event};
use crate::domain::{Tags, contains_pattern};
use crate::email::{self, Extras, Kind, MailEvent};
use crate::error::{ApiError, ConflictKind};
use crate::events::EventStatus;
use crate::secrets::{hash, human_code, normalize_code, random_token};

/// A registration as organizers (and, through the manage link, its owner) see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Registration {
    pub id: Uuid,
    pub event_id: Uuid,
    pub person_id: Uuid,
    pub status: RegistrationStatus,
    /// 1 for the head of the waitlist; only while waitlisted.
    pub waitlist_position: Option<u64>,
    pub name: String,
    /// Absent once the person is erased.
    pub email: Option<String>,
    pub role: Role,
    pub admission_year: Option<i32>,
    pub graduation_year: Option<i32>,
    pub affiliation: Option<String>,
    pub job_title: Option<String>,
    pub interests: Vec<String>,
    pub interests_other: Option<String>,
    pub goals: Vec<Goal>,
    pub wanted_speaker_ids: Vec<Uuid>,
    pub consent_share: bool,
    pub language: Language,
    pub answers: BTreeMap<Uuid, Answer>,
    /// The code shown at the door; only while confirmed.
    #[schema(example = "K7P-M2X")]
    pub checkin_code: Option<String>,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Registration {
    pub fn from_row(row: registration::Model, waitlist_position: Option<u64>) -> Self {
        let status = row.status;
        Registration {
            id: row.id,
            event_id: row.event_id,
            person_id: row.person_id,
            status,
            waitlist_position: (status == RegistrationStatus::Waitlisted)
                .then_some(waitlist_position)
                .flatten(),
            name: row.name,
            email: row.email,
            role: row.role,
            admission_year: row.admission_year,
            graduation_year: row.graduation_year,
            affiliation: row.affiliation,
            job_title: row.job_title,
            interests: Tags::from_column(&row.interests),
            interests_other: row.interests_other,
            goals: serde_json::from_str(&row.goals).unwrap_or_default(),
            wanted_speaker_ids: serde_json::from_str(&row.wanted_speaker_ids).unwrap_or_default(),
            consent_share: row.consent_share,
            language: row.language,
            answers: serde_json::from_str(&row.answers).unwrap_or_default(),
            checkin_code: (status == RegistrationStatus::Confirmed).then_some(row.checkin_code),
            checked_in_at: row.checked_in_at,
            cancelled_at: row.cancelled_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }

    /// The input that would recreate this registration: the base a PATCH is merged into.
    pub fn as_input(&self) -> RegistrationInput {
        RegistrationInput {
            name: self.name.clone(),
            email: self.email.clone().unwrap_or_default(),
            role: self.role,
            admission_year: self.admission_year,
            graduation_year: self.graduation_year,
            affiliation: self.affiliation.clone(),
            job_title: self.job_title.clone(),
            interests: self.interests.clone(),
            interests_other: self.interests_other.clone(),
            goals: self.goals.clone(),
            wanted_speaker_ids: self.wanted_speaker_ids.clone(),
            consent_share: self.consent_share,
            language: self.language,
            answers: self.answers.clone(),
        }
    }
}

/// The answer to a new registration: the registration and, once only, its manage link.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Registered {
    #[serde(flatten)]
    pub registration: Registration,
    /// The personal link to see, change or cancel the registration. Shown only in this
    /// answer (a replay of an idempotent request leaves it out: it is stored only as a hash).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manage_url: Option<String>,
}

/// What registering produced: a new registration, or the saved answer to an earlier request
/// with the same idempotency key.
pub enum RegisterOutcome {
    Created(Box<Registered>),
    Replayed { status: u16, body: String },
}

/// What the form needs to know about an event.
pub async fn form_context(
    db: &impl ConnectionTrait,
    event: &event::Model,
) -> Result<FormContext, ApiError> {
    // One query (registering runs this under the event lock): the event's talks as a subquery.
    let talks = sea_orm::sea_query::Query::select()
        .column(entity::talk::Column::Id)
        .from(entity::talk::Entity)
        .and_where(entity::talk::Column::EventId.eq(event.id))
        .to_owned();
    let mut speaker_ids: Vec<Uuid> = Vec::new();
    for link in talk_speaker::Entity::find()
        .filter(talk_speaker::Column::TalkId.in_subquery(talks))
        .order_by_asc(talk_speaker::Column::Position)
        .all(db)
        .await?
    {
        if !speaker_ids.contains(&link.speaker_id) {
            speaker_ids.push(link.speaker_id);
        }
    }
    Ok(FormContext {
        tags: Tags::from_column(&event.tags),
        speaker_ids,
        questions: event_questions(db, event.id).await?,
    })
}

/// Why registration is not possible now, if it is not.
pub fn closed_reason(event: &event::Model, now: DateTime<Utc>) -> Option<ClosedReason> {
    if event.status != EventStatus::Published {
        return Some(ClosedReason::Closed);
    }
    if event.registration_opens_at.is_some_and(|opens| now < opens) {
        return Some(ClosedReason::NotYetOpen);
    }
    let closes = Ord::min(
        event.registration_closes_at.unwrap_or(event.ends_at),
        event.ends_at,
    );
    if now >= closes {
        return Some(ClosedReason::Closed);
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedReason {
    NotYetOpen,
    Closed,
}

impl ClosedReason {
    fn into_error(self, event: &event::Model) -> ApiError {
        match self {
            ClosedReason::NotYetOpen => ApiError::conflict(
                ConflictKind::RegistrationNotOpen,
                format!(
                    "registration opens at {}",
                    event
                        .registration_opens_at
                        .map(|at| at.to_rfc3339())
                        .unwrap_or_default()
                ),
                None,
            ),
            ClosedReason::Closed => ApiError::conflict(
                ConflictKind::RegistrationClosed,
                "registration is closed",
                None,
            ),
        }
    }
}

pub async fn count_with_status(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    status: RegistrationStatus,
) -> Result<u64, ApiError> {
    Ok(registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::Status.eq(status.as_str()))
        .count(db)
        .await?)
}

/// Waitlist positions (1 = next to be promoted) of the event's waitlisted registrations.
async fn waitlist_positions(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<HashMap<Uuid, u64>, ApiError> {
    let waiting = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted))
        .order_by_asc(registration::Column::WaitlistSeq)
        .all(db)
        .await?;
    Ok(waiting
        .into_iter()
        .enumerate()
        .map(|(index, row)| (row.id, index as u64 + 1))
        .collect())
}

pub async fn view(
    db: &impl ConnectionTrait,
    row: registration::Model,
) -> Result<Registration, ApiError> {
    let position = if row.status == RegistrationStatus::Waitlisted {
        waitlist_positions(db, row.event_id)
            .await?
            .get(&row.id)
            .copied()
    } else {
        None
    };
    Ok(Registration::from_row(row, position))
}

/// Gives free seats to the head of the waitlist, in order. Call with the event locked.
pub async fn fill_free_seats(
    txn: &DatabaseTransaction,
    event: &event::Model,
) -> Result<Vec<Uuid>, ApiError> {
    let Some(capacity) = event.capacity else {
        return Ok(Vec::new());
    };
    let confirmed = count_with_status(txn, event.id, RegistrationStatus::Confirmed).await?;
    let waiting = count_with_status(txn, event.id, RegistrationStatus::Waitlisted).await?;
    let promote = promotions(capacity, confirmed, waiting);
    if promote == 0 {
        return Ok(Vec::new());
    }
    let promoted: Vec<Uuid> = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event.id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted))
        .order_by_asc(registration::Column::WaitlistSeq)
        .limit(promote)
        .all(txn)
        .await?
        .into_iter()
        .map(|row| row.id)
        .collect();
    registration::Entity::update_many()
        .col_expr(
            registration::Column::Status,
            Expr::value(RegistrationStatus::Confirmed.as_str()),
        )
        .col_expr(registration::Column::ConfirmedAt, Expr::value(Utc::now()))
        .col_expr(registration::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(registration::Column::Id.is_in(promoted.clone()))
        .exec(txn)
        .await?;
    let mail_event = MailEvent::load(txn, event).await?;
    let mut messages = Vec::with_capacity(promoted.len());
    for row in registration::Entity::find()
        .filter(registration::Column::Id.is_in(promoted.clone()))
        .all(txn)
        .await?
    {
        messages.extend(mail_event.message(Kind::Promoted, &row, Extras::default())?);
    }
    email::enqueue_many(txn, messages).await?;
    tracing::info!(event_id = %event.id, promoted = promoted.len(), "promoted from the waitlist");
    Ok(promoted)
}

/// Refuses a capacity below the seats already confirmed. Call with the event locked.
pub async fn check_capacity(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    capacity: Option<i32>,
) -> Result<(), ApiError> {
    let confirmed = count_with_status(txn, event_id, RegistrationStatus::Confirmed).await?;
    if let Some(capacity) = capacity
        && (Ord::max(capacity, 0) as u64) < confirmed
    {
        return Err(ApiError::conflict(
            ConflictKind::CapacityBelowConfirmed,
            format!("{confirmed} people are already confirmed; the capacity cannot go below that"),
            None,
        ));
    }
    Ok(())
}

/// Registers someone for an event: validates against the event's form, refuses a second
/// active registration of the email, and confirms, waitlists or holds for approval.
pub async fn register(
    db: &DatabaseConnection,
    event_id: Uuid,
    input: &RegistrationInput,
    idempotency_key: Option<&str>,
    base_url: &str,
) -> Result<RegisterOutcome, ApiError> {
    let txn = begin_write(db).await?;
    let scope = format!("registration:{event_id}");
    if let Some(key) = idempotency_key {
        // Inserted first and in the same transaction: a concurrent retry with this key waits
        // on the unique key until this transaction ends, then finds the saved answer.
        let claimed = idempotency_key::Entity::insert(idempotency_key::ActiveModel {
            scope: Set(scope.clone()),
            key: Set(key.to_string()),
            response_status: Set(None),
            response_body: Set(None),
            created_at: Set(Utc::now()),
        })
        .exec_without_returning(&txn)
        .await;
        if let Err(error) = claimed {
            if !matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
                return Err(error.into());
            }
            txn.rollback().await?;
            let saved = idempotency_key::Entity::find_by_id((scope, key.to_string()))
                .one(db)
                .await?;
            return match saved
                .and_then(|saved| Some((saved.response_status?, saved.response_body?)))
            {
                Some((status, body)) => Ok(RegisterOutcome::Replayed {
                    status: status as u16,
                    body,
                }),
                None => Err(ApiError::conflict(
                    ConflictKind::RequestInProgress,
                    "a request with this Idempotency-Key is still being processed; retry shortly",
                    None,
                )),
            };
        }
    }
    let event = lock_event(&txn, event_id)
        .await?
        .ok_or(ApiError::NotFound("event"))?;
    if let Some(reason) = closed_reason(&event, Utc::now()) {
        return Err(reason.into_error(&event));
    }
    let context = form_context(&txn, &event).await?;
    let new = input.parse(&context)?;
    if let Some(existing) = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::ActiveEmail.eq(new.email.as_str()))
        .lock_exclusive()
        .one(&txn)
        .await?
    {
        resend_manage_link(txn, existing, &event, base_url, idempotency_key, &scope).await?;
        return Err(already_registered());
    }
    let person_id = upsert_person(&txn, &new).await?;
    let confirmed = count_with_status(&txn, event_id, RegistrationStatus::Confirmed).await?;
    let admission = admit(
        event.requires_approval,
        event.capacity.unwrap_or(0),
        confirmed,
    );
    let status = match admission {
        Admission::Confirmed => RegistrationStatus::Confirmed,
        Admission::Waitlisted => RegistrationStatus::Waitlisted,
        Admission::Pending => RegistrationStatus::Pending,
    };
    let waitlist_seq = match status {
        RegistrationStatus::Waitlisted => Some(next_waitlist_seq(&txn, event_id).await?),
        _ => None,
    };
    let manage_token = random_token("");
    let now = Utc::now();
    let mut active = registration::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event_id),
        person_id: Set(person_id),
        email: Set(Some(new.email.clone())),
        active_email: Set(Some(new.email.clone())),
        status: Set(status),
        waitlist_seq: Set(waitlist_seq),
        manage_token_hash: Set(hash(&manage_token)),
        checkin_code: Set(free_checkin_code(&txn, event_id).await?),
        checked_in_at: Set(None),
        confirmed_at: Set((status == RegistrationStatus::Confirmed).then_some(now)),
        cancelled_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    answer_columns(&mut active, &new);
    let row = registration::Entity::insert(active)
        .exec_with_returning(&txn)
        .await
        .map_err(|error| match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => already_registered(),
            _ => error.into(),
        })?;
    let registration = view(&txn, row.clone()).await?;
    let kind = match status {
        RegistrationStatus::Confirmed => Kind::Confirmed,
        RegistrationStatus::Waitlisted => Kind::Waitlisted,
        _ => Kind::Pending,
    };
    let extras = Extras {
        manage_url: Some(manage_url(base_url, &manage_token)),
        waitlist_position: registration.waitlist_position,
        ..Extras::default()
    };
    if let Some(message) = email::registration_message(&txn, kind, &row, &event, extras).await? {
        email::enqueue(&txn, message).await?;
    }
    if let Some(key) = idempotency_key {
        let replay = Registered {
            registration: registration.clone(),
            manage_url: None,
        };
        idempotency_key::Entity::update(idempotency_key::ActiveModel {
            scope: Set(scope),
            key: Set(key.to_string()),
            response_status: Set(Some(201)),
            response_body: Set(Some(
                serde_json::to_string(&replay).map_err(anyhow::Error::from)?,
            )),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    tracing::info!(registration_id = %registration.id, status = status.as_str(), "registered");
    Ok(RegisterOutcome::Created(Box::new(Registered {
        registration,
        manage_url: Some(manage_url(base_url, &manage_token)),
    })))
}

pub fn manage_url(base_url: &str, token: &str) -> String {
    format!("{}/registrations/{token}", base_url.trim_end_matches('/'))
}

fn already_registered() -> ApiError {
    ApiError::conflict(
        ConflictKind::AlreadyRegistered,
        "this email is already registered for the event, so nothing else was changed; a new \
         personal link to see or change the registration was sent to it again (earlier links \
         no longer work)",
        None,
    )
}

/// A second registration of an active email: the registration gets a new manage token (the
/// old link stops working) and its owner an email with the new link. Committed here, so the
/// caller can still answer 409. A claimed idempotency key is released: a retry with it does
/// the same again.
async fn resend_manage_link(
    txn: DatabaseTransaction,
    existing: registration::Model,
    event: &event::Model,
    base_url: &str,
    idempotency_key: Option<&str>,
    scope: &str,
) -> Result<(), ApiError> {
    let token = random_token("");
    let mut active: registration::ActiveModel = existing.into();
    active.manage_token_hash = Set(hash(&token));
    active.updated_at = Set(Utc::now());
    let row = registration::Entity::update(active).exec(&txn).await?;
    let extras = Extras {
        manage_url: Some(manage_url(base_url, &token)),
        ..Extras::default()
    };
    if let Some(message) =
        email::registration_message(&txn, Kind::ManageLink, &row, event, extras).await?
    {
        email::enqueue(&txn, message).await?;
    }
    if let Some(key) = idempotency_key {
        idempotency_key::Entity::delete_by_id((scope.to_string(), key.to_string()))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    tracing::info!(registration_id = %row.id, "registered again: manage link sent again");
    Ok(())
}

fn answer_columns(active: &mut registration::ActiveModel, new: &NewRegistration) {
    active.name = Set(new.name.clone());
    active.role = Set(new.role);
    active.admission_year = Set(new.admission_year);
    active.graduation_year = Set(new.graduation_year);
    active.affiliation = Set(new.affiliation.clone());
    active.job_title = Set(new.job_title.clone());
    active.interests = Set(json(&new.interests));
    active.interests_other = Set(new.interests_other.clone());
    active.goals = Set(json(&new.goals));
    active.wanted_speaker_ids = Set(json(&new.wanted_speaker_ids));
    active.consent_share = Set(new.consent_share);
    active.language = Set(new.language);
    active.answers = Set(json(&new.answers));
    active.updated_at = Set(Utc::now());
}

/// The text of a JSON column.
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serializes")
}

async fn next_waitlist_seq(txn: &DatabaseTransaction, event_id: Uuid) -> Result<i64, ApiError> {
    let last = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::WaitlistSeq.is_not_null())
        .order_by_desc(registration::Column::WaitlistSeq)
        .one(txn)
        .await?;
    Ok(last.and_then(|row| row.waitlist_seq).unwrap_or(0) + 1)
}

async fn free_checkin_code(txn: &DatabaseTransaction, event_id: Uuid) -> Result<String, ApiError> {
    // 31^6 codes: a collision is rare, and checked rather than assumed away.
    loop {
        let code = human_code();
        let taken = registration::Entity::find()
            .filter(registration::Column::EventId.eq(event_id))
            .filter(registration::Column::CheckinCode.eq(code.as_str()))
            .one(txn)
            .await?
            .is_some();
        if !taken {
            return Ok(code);
        }
    }
}

/// Finds or creates the person with this email and refreshes their profile from this
/// (their latest) registration.
async fn upsert_person(txn: &DatabaseTransaction, new: &NewRegistration) -> Result<Uuid, ApiError> {
    let now = Utc::now();
    // One statement (registering runs this under the event lock): a new person is inserted
    // with this profile; a known one, possibly inserted a moment ago by a concurrent
    // registration for another event, gets it.
    let row = person::Entity::insert(person::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(Some(new.email.clone())),
        name: Set(new.name.clone()),
        role: Set(Some(new.role)),
        admission_year: Set(new.admission_year),
        graduation_year: Set(new.graduation_year),
        affiliation: Set(new.affiliation.clone()),
        job_title: Set(new.job_title.clone()),
        interests: Set(json(&new.interests)),
        erased_at: Set(None),
        email_opt_out_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(person::Column::Email)
            .update_columns([
                person::Column::Name,
                person::Column::Role,
                person::Column::AdmissionYear,
                person::Column::GraduationYear,
                person::Column::Affiliation,
                person::Column::JobTitle,
                person::Column::Interests,
                person::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_with_returning(txn)
    .await?;
    Ok(row.id)
}

/// Locks the event, then the registration (always in this order, as every writer does).
async fn lock_registration(
    txn: &DatabaseTransaction,
    find: Condition,
) -> Result<(event::Model, registration::Model), ApiError> {
    let unlocked = registration::Entity::find()
        .filter(find.clone())
        .one(txn)
        .await?
        .ok_or(ApiError::NotFound("registration"))?;
    let event = lock_event(txn, unlocked.event_id)
        .await?
        .ok_or(ApiError::NotFound("event"))?;
    let row = registration::Entity::find()
        .filter(find)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(ApiError::NotFound("registration"))?;
    Ok((event, row))
}

/// How a registration is found: by id within an event (organizers) or by manage token.
pub enum Locator<'a> {
    InEvent { event_id: Uuid, id: Uuid },
    ManageToken(&'a str),
}

impl Locator<'_> {
    fn condition(&self) -> Condition {
        match self {
            Locator::InEvent { event_id, id } => Condition::all()
                .add(registration::Column::Id.eq(*id))
                .add(registration::Column::EventId.eq(*event_id)),
            Locator::ManageToken(token) => {
                Condition::all().add(registration::Column::ManageTokenHash.eq(hash(token)))
            }
        }
    }
}

pub async fn find(
    db: &impl ConnectionTrait,
    locator: &Locator<'_>,
) -> Result<Registration, ApiError> {
    let row = registration::Entity::find()
        .filter(locator.condition())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("registration"))?;
    view(db, row).await
}

/// The event a registration belongs to.
pub async fn event_of(
    db: &impl ConnectionTrait,
    registration: &Registration,
) -> Result<event::Model, ApiError> {
    Ok(crate::events::load_event_row(db, registration.event_id).await?)
}

/// Cancels an active registration (or takes it off the waitlist) and gives a freed seat to
/// the head of the waitlist in the same transaction.
pub async fn cancel(
    db: &DatabaseConnection,
    locator: &Locator<'_>,
) -> Result<Registration, ApiError> {
    let txn = begin_write(db).await?;
    let (event, row) = lock_registration(&txn, locator.condition()).await?;
    let status = row.status;
    if !status.is_active() {
        return Err(ApiError::conflict(
            ConflictKind::NotActive,
            format!("the registration is already {}", status.as_str()),
            None,
        ));
    }
    let id = row.id;
    let mut active: registration::ActiveModel = row.into();
    active.status = Set(RegistrationStatus::Cancelled);
    active.active_email = Set(None);
    active.cancelled_at = Set(Some(Utc::now()));
    active.updated_at = Set(Utc::now());
    registration::Entity::update(active).exec(&txn).await?;
    if status == RegistrationStatus::Confirmed {
        fill_free_seats(&txn, &event).await?;
    }
    let row = registration::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("registration"))?;
    let extras = Extras {
        had_seat: status == RegistrationStatus::Confirmed,
        ..Extras::default()
    };
    if let Some(message) =
        email::registration_message(&txn, Kind::Cancelled, &row, &event, extras).await?
    {
        email::enqueue(&txn, message).await?;
    }
    let registration = view(&txn, row).await?;
    txn.commit().await?;
    Ok(registration)
}

/// An organizer's decision on a pending registration. Approval still respects capacity: an
/// approved person takes a free seat, or the end of the waitlist when the event is full.
pub async fn decide(
    db: &DatabaseConnection,
    locator: &Locator<'_>,
    approve: bool,
) -> Result<Registration, ApiError> {
    let txn = begin_write(db).await?;
    let (event, row) = lock_registration(&txn, locator.condition()).await?;
    if row.status != RegistrationStatus::Pending {
        return Err(ApiError::conflict(
            ConflictKind::NotPending,
            format!(
                "only pending registrations can be approved or rejected; this one is {}",
                row.status
            ),
            None,
        ));
    }
    let id = row.id;
    let mut active: registration::ActiveModel = row.into();
    if approve {
        let confirmed = count_with_status(&txn, event.id, RegistrationStatus::Confirmed).await?;
        match seat_or_wait(event.capacity.unwrap_or(0), confirmed) {
            Admission::Confirmed => {
                active.status = Set(RegistrationStatus::Confirmed);
                active.confirmed_at = Set(Some(Utc::now()));
            }
            _ => {
                active.status = Set(RegistrationStatus::Waitlisted);
                active.waitlist_seq = Set(Some(next_waitlist_seq(&txn, event.id).await?));
            }
        }
    } else {
        active.status = Set(RegistrationStatus::Rejected);
        active.active_email = Set(None);
    }
    active.updated_at = Set(Utc::now());
    registration::Entity::update(active).exec(&txn).await?;
    let row = registration::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("registration"))?;
    let registration = view(&txn, row.clone()).await?;
    // Approval gives a seat (the confirmation, with invite and check-in code) or a place on
    // the waitlist; a rejection is told too, so nobody waits for an answer that came.
    let kind = match registration.status {
        RegistrationStatus::Confirmed => Some(Kind::Confirmed),
        RegistrationStatus::Waitlisted => Some(Kind::Waitlisted),
        RegistrationStatus::Rejected => Some(Kind::Rejected),
        _ => None,
    };
    if let Some(kind) = kind {
        let extras = Extras {
            waitlist_position: registration.waitlist_position,
            ..Extras::default()
        };
        if let Some(message) = email::registration_message(&txn, kind, &row, &event, extras).await?
        {
            email::enqueue(&txn, message).await?;
        }
    }
    txn.commit().await?;
    Ok(registration)
}

/// Changes a registration's answers with a JSON merge patch, validated like a new one. The
/// email identifies the person and cannot change.
pub async fn update_answers(
    db: &DatabaseConnection,
    locator: &Locator<'_>,
    patch: &serde_json::Value,
) -> Result<Registration, ApiError> {
    let txn = begin_write(db).await?;
    let (event, row) = lock_registration(&txn, locator.condition()).await?;
    let current = Registration::from_row(row.clone(), None);
    if !row.status.is_active() {
        return Err(ApiError::conflict(
            ConflictKind::NotActive,
            format!("a {} registration cannot be changed", row.status),
            None,
        ));
    }
    let input: RegistrationInput = crate::extract::patched(&current.as_input(), patch)?;
    let new = input.parse(&form_context(&txn, &event).await?)?;
    if Some(&new.email) != row.email.as_ref() {
        return Err(ApiError::field(
            "email",
            "the email cannot be changed; cancel and register again",
        ));
    }
    let id = row.id;
    let mut active: registration::ActiveModel = row.into();
    answer_columns(&mut active, &new);
    registration::Entity::update(active).exec(&txn).await?;
    let row = registration::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("registration"))?;
    let registration = view(&txn, row).await?;
    txn.commit().await?;
    Ok(registration)
}

pub struct RegistrationFilter {
    pub status: Option<RegistrationStatus>,
    /// Part of the name or email (case-insensitive).
    pub search: Option<String>,
}

pub async fn list(
    db: &DatabaseConnection,
    event_id: Uuid,
    filter: &RegistrationFilter,
    after: Option<Uuid>,
    limit: Option<u64>,
) -> Result<Vec<Registration>, ApiError> {
    let mut query = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .order_by_asc(registration::Column::Id);
    if let Some(limit) = limit {
        query = query.limit(limit + 1);
    }
    if let Some(after) = after {
        query = query.filter(registration::Column::Id.gt(after));
    }
    if let Some(status) = filter.status {
        query = query.filter(registration::Column::Status.eq(status.as_str()));
    }
    if let Some(search) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let pattern = contains_pattern(db.get_database_backend(), search);
        query = query.filter(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col(registration::Column::Name)))
                        .like(LikeExpr::new(pattern.clone()).escape('\\')),
                )
                .add(
                    Expr::col(registration::Column::Email)
                        .like(LikeExpr::new(pattern).escape('\\')),
                ),
        );
    }
    let rows = query.all(db).await?;
    let positions = waitlist_positions(db, event_id).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let position = positions.get(&row.id).copied();
            Registration::from_row(row, position)
        })
        .collect())
}

/// The outcome of scanning a check-in code.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckIn {
    /// `checked_in` for the first scan, `already_checked_in` for later ones.
    #[schema(example = "checked_in")]
    pub result: String,
    pub checked_in_at: DateTime<Utc>,
    pub registration_id: Uuid,
    pub name: String,
    pub affiliation: Option<String>,
}

/// Marks arrival once. Waitlisted, pending and cancelled registrations cannot check in.
pub async fn check_in(
    db: &DatabaseConnection,
    event_id: Uuid,
    code: &str,
) -> Result<CheckIn, ApiError> {
    let code = normalize_code(code);
    let txn = begin_write(db).await?;
    let row = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::CheckinCode.eq(code.as_str()))
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::field("code", "no registration of this event has this code"))?;
    let status = row.status;
    if status != RegistrationStatus::Confirmed {
        return Err(ApiError::conflict(
            ConflictKind::NotConfirmed,
            format!(
                "{} cannot check in: the registration is {}",
                row.name,
                status.as_str()
            ),
            None,
        ));
    }
    if let Some(at) = row.checked_in_at {
        return Ok(CheckIn {
            result: "already_checked_in".into(),
            checked_in_at: at,
            registration_id: row.id,
            name: row.name,
            affiliation: row.affiliation,
        });
    }
    // Microseconds: what PostgreSQL keeps, so a second scan reports the same instant.
    let now = Utc::now().trunc_subsecs(6);
    let mut active: registration::ActiveModel = row.clone().into();
    active.checked_in_at = Set(Some(now));
    active.updated_at = Set(now);
    registration::Entity::update(active).exec(&txn).await?;
    txn.commit().await?;
    Ok(CheckIn {
        result: "checked_in".into(),
        checked_in_at: now,
        registration_id: row.id,
        name: row.name,
        affiliation: row.affiliation,
    })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventStats {
    /// Active registrations: confirmed, waitlisted and pending.
    pub registered: u64,
    pub confirmed: u64,
    pub waitlisted: u64,
    pub pending: u64,
    pub cancelled: u64,
    pub checked_in: u64,
    /// Capacity minus confirmed.
    pub seats_left: Option<i64>,
    /// People registered now who held a confirmed seat at an earlier event.
    pub returning_attendees: u64,
}

pub async fn stats(db: &DatabaseConnection, event: &event::Model) -> Result<EventStats, ApiError> {
    let rows = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event.id))
        .all(db)
        .await?;
    let count =
        |status: RegistrationStatus| rows.iter().filter(|row| row.status == status).count() as u64;
    let active_people: Vec<Uuid> = rows
        .iter()
        .filter(|row| row.status.is_active())
        .map(|row| row.person_id)
        .collect();
    let earlier_events: Vec<Uuid> = event::Entity::find()
        .filter(event::Column::StartsAt.lt(event.starts_at))
        .all(db)
        .await?
        .into_iter()
        .map(|earlier| earlier.id)
        .collect();
    let mut returning: Vec<Uuid> = registration::Entity::find()
        .filter(registration::Column::EventId.is_in(earlier_events))
        .filter(registration::Column::PersonId.is_in(active_people))
        .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.person_id)
        .collect();
    returning.sort();
    returning.dedup();
    let confirmed = count(RegistrationStatus::Confirmed);
    Ok(EventStats {
        registered: confirmed
            + count(RegistrationStatus::Waitlisted)
            + count(RegistrationStatus::Pending),
        confirmed,
        waitlisted: count(RegistrationStatus::Waitlisted),
        pending: count(RegistrationStatus::Pending),
        cancelled: count(RegistrationStatus::Cancelled),
        checked_in: rows
            .iter()
            .filter(|row| row.checked_in_at.is_some())
            .count() as u64,
        seats_left: event
            .capacity
            .map(|capacity| i64::from(capacity) - confirmed as i64),
        returning_attendees: returning.len() as u64,
    })
}
