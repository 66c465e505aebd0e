//! Registrations in the database: reading them, changing their answers, and the seat
//! bookkeeping every writer shares. Every change that moves seats locks the event row first
//! (then the registration), so concurrent registrations, cancellations, approvals and
//! capacity changes of one event apply one after another: nobody is oversold, and a seat freed
//! by a cancellation always goes to the head of the waitlist.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use entity::{event, networking_session, person, registration, talk_speaker};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::input::check_consent_change;
use super::links::{ManageLinks, ManageToken, retire_all};
use super::questions::event_questions;
use super::seats::Seats;
use super::{
    Answer, FormContext, Goal, Language, NewRegistration, RegistrationError, RegistrationInput,
    RegistrationStatus, Role,
};
use crate::audit::{self, AuditAction, AuditTarget, Change};
use crate::db::{begin_write, json_column, lock_event};
use crate::domain::{EnglishLabels, Invalid, Labelled, Tags, Year, contains_pattern};
use crate::email::{self, Extras, Kind, MailEvent};
use crate::error::FieldProblem;
use crate::extract::patched;

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
    /// A stored registration; JSON columns that do not hold their type are an error.
    pub fn from_row(
        row: registration::Model,
        waitlist_position: Option<u64>,
    ) -> Result<Self, DbErr> {
        let status = row.status;
        Ok(Registration {
            id: row.id,
            event_id: row.event_id,
            person_id: row.person_id,
            status,
            waitlist_position: (status == RegistrationStatus::Waitlisted)
                .then_some(waitlist_position)
                .flatten(),
            interests: json_column("registration.interests", &row.interests)?,
            goals: json_column("registration.goals", &row.goals)?,
            wanted_speaker_ids: json_column(
                "registration.wanted_speaker_ids",
                &row.wanted_speaker_ids,
            )?,
            answers: json_column("registration.answers", &row.answers)?,
            name: row.name,
            email: row.email,
            role: row.role,
            admission_year: row.admission_year,
            graduation_year: row.graduation_year,
            affiliation: row.affiliation,
            job_title: row.job_title,
            interests_other: row.interests_other,
            consent_share: row.consent_share,
            language: row.language,
            checkin_code: (status == RegistrationStatus::Confirmed).then_some(row.checkin_code),
            checked_in_at: row.checked_in_at,
            cancelled_at: row.cancelled_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// Writes what a registration says about the person into the columns a registration and its
/// person both have, and `updated_at`: the one list of them. A macro because the two
/// `ActiveModel`s are different types with the same column names.
macro_rules! write_profile {
    ($active:expr, $new:expr) => {{
        let new: &NewRegistration = $new;
        $active.name = Set(new.name.as_str().to_string());
        $active.role = Set(new.role.into());
        $active.admission_year = Set(new.admission_year.map(Year::get));
        $active.graduation_year = Set(new.graduation_year.map(Year::get));
        $active.affiliation = Set(new.affiliation.as_ref().map(|text| text.as_str().into()));
        $active.job_title = Set(new.job_title.as_ref().map(|text| text.as_str().into()));
        $active.interests = Set(json(&new.interests));
        $active.updated_at = Set(Utc::now());
    }};
}

/// Writes what the person answered into a registration's columns (all but the email, which
/// identifies them and never changes): by registering and by changing the answers.
pub(super) fn answer_columns(active: &mut registration::ActiveModel, new: &NewRegistration) {
    write_profile!(active, new);
    active.interests_other = Set(new.interests_other.as_deref().map(str::to_string));
    active.goals = Set(json(&new.goals));
    active.wanted_speaker_ids = Set(json(&new.wanted_speaker_ids));
    active.consent_share = Set(new.consent_share);
    active.language = Set(new.language);
    active.answers = Set(json(&new.answers));
}

/// A person's profile as this (their latest) registration gives it: the profile columns and
/// `updated_at` set, nothing else.
pub(super) fn person_profile(new: &NewRegistration) -> person::ActiveModel {
    let mut active = person::ActiveModel::default();
    write_profile!(active, new);
    active
}

/// The text of a JSON column.
pub(super) fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serializes")
}

/// What the form needs to know about an event.
pub async fn form_context(
    db: &impl ConnectionTrait,
    event: &event::Model,
) -> Result<FormContext, DbErr> {
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
        tags: Labelled {
            values: Tags::from_column(&event.tags)?,
            english: EnglishLabels::from_column("tags_en", &event.tags_en)?,
        },
        speaker_ids,
        questions: event_questions(db, event.id).await?,
    })
}

/// Waitlist positions (1 = next to be promoted) of the event's waitlisted registrations.
async fn waitlist_positions(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<HashMap<Uuid, u64>, DbErr> {
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

/// A stored registration with its waitlist position.
pub async fn view(
    db: &impl ConnectionTrait,
    row: registration::Model,
) -> Result<Registration, DbErr> {
    let position = match (row.status, row.waitlist_seq) {
        (RegistrationStatus::Waitlisted, Some(seq)) => Some(
            registration::Entity::find()
                .filter(registration::Column::EventId.eq(row.event_id))
                .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted))
                .filter(registration::Column::WaitlistSeq.lte(seq))
                .count(db)
                .await?,
        ),
        _ => None,
    };
    Registration::from_row(row, position)
}

/// The registration `id` as it is now, within the caller's transaction.
pub(super) async fn reread(
    txn: &DatabaseTransaction,
    id: Uuid,
) -> Result<registration::Model, RegistrationError> {
    registration::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or(RegistrationError::RegistrationNotFound)
}

/// Queues the message `kind` about a registration (none for an erased person).
pub(super) async fn queue_message(
    txn: &DatabaseTransaction,
    kind: Kind,
    row: &registration::Model,
    event: &event::Model,
    links: &ManageLinks,
    extras: Extras,
) -> Result<(), RegistrationError> {
    let message = email::registration_message(txn, kind, row, event, links, extras)
        .await
        .map_err(RegistrationError::mail)?;
    if let Some(message) = message {
        email::enqueue(txn, message)
            .await
            .map_err(RegistrationError::mail)?;
    }
    Ok(())
}

/// Writes the event's seat figures back and gives free seats to the head of the waitlist, in
/// order. `seats` are the figures of `event` read under its lock, with the caller's change.
pub async fn fill_free_seats(
    txn: &DatabaseTransaction,
    event: &event::Model,
    links: &ManageLinks,
    mut seats: Seats,
) -> Result<Vec<Uuid>, RegistrationError> {
    let promote = seats.promote();
    seats.save(txn).await?;
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
            Expr::value(RegistrationStatus::Confirmed),
        )
        .col_expr(registration::Column::ConfirmedAt, Expr::value(Utc::now()))
        .col_expr(registration::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(registration::Column::Id.is_in(promoted.clone()))
        .exec(txn)
        .await?;
    // Each seat given is part of the organizer's change that freed it (a cancellation, more
    // capacity): recorded with it when an organizer made it.
    let waitlisted = serde_json::json!({"status": RegistrationStatus::Waitlisted});
    let confirmed = serde_json::json!({"status": RegistrationStatus::Confirmed});
    for &id in &promoted {
        let change = Change::changed(
            AuditAction::Promote,
            AuditTarget::Registration,
            id,
            &waitlisted,
            &confirmed,
        );
        audit::record(txn, change.in_event(event.id)).await?;
    }
    let mail_event = MailEvent::load(txn, event, links)
        .await
        .map_err(RegistrationError::mail)?;
    let mut messages = Vec::with_capacity(promoted.len());
    for row in registration::Entity::find()
        .filter(registration::Column::Id.is_in(promoted.clone()))
        .all(txn)
        .await?
    {
        let message = mail_event
            .message(Kind::Promoted, &row, Extras::default())
            .map_err(RegistrationError::mail)?;
        messages.extend(message);
    }
    email::enqueue_many(txn, messages)
        .await
        .map_err(RegistrationError::mail)?;
    tracing::info!(event_id = %event.id, promoted = promoted.len(), "promoted from the waitlist");
    Ok(promoted)
}

/// Refuses a capacity below the seats already confirmed. `event` is the row read under its
/// lock.
pub fn check_capacity(
    event: &event::Model,
    capacity: Option<i32>,
) -> Result<(), RegistrationError> {
    let confirmed = u64::try_from(event.confirmed_count).unwrap_or(0);
    if let Some(capacity) = capacity
        && (Ord::max(capacity, 0) as u64) < confirmed
    {
        return Err(RegistrationError::CapacityBelowConfirmed(confirmed));
    }
    Ok(())
}

/// How a registration is found: by id within an event (organizers) or by manage link.
pub enum Locator<'a> {
    InEvent {
        event_id: Uuid,
        id: Uuid,
    },
    Manage {
        links: &'a ManageLinks,
        token: &'a ManageToken,
    },
}

impl Locator<'_> {
    fn condition(&self) -> Condition {
        match self {
            Locator::InEvent { event_id, id } => Condition::all()
                .add(registration::Column::Id.eq(*id))
                .add(registration::Column::EventId.eq(*event_id)),
            Locator::Manage { token, .. } => match token {
                ManageToken::Signed { id, .. } => {
                    Condition::all().add(registration::Column::Id.eq(*id))
                }
                ManageToken::Legacy { hash } => {
                    Condition::all().add(registration::Column::ManageTokenHash.eq(hash.as_str()))
                }
            },
        }
    }

    /// Whether the row found is the one meant: a manage link must also be genuine and current.
    fn admits(&self, row: &registration::Model) -> bool {
        match self {
            Locator::InEvent { .. } => true,
            Locator::Manage { links, token } => links.admits(token, row),
        }
    }

    /// The row the locator finds, if it admits it.
    async fn found(
        &self,
        select: sea_orm::Select<registration::Entity>,
        db: &impl ConnectionTrait,
    ) -> Result<registration::Model, RegistrationError> {
        select
            .filter(self.condition())
            .one(db)
            .await?
            .filter(|row| self.admits(row))
            .ok_or(RegistrationError::RegistrationNotFound)
    }
}

/// Locks the event, then the registration (always in this order, as every writer does).
pub(super) async fn lock_registration(
    txn: &DatabaseTransaction,
    locator: &Locator<'_>,
) -> Result<(event::Model, registration::Model), RegistrationError> {
    let unlocked = locator.found(registration::Entity::find(), txn).await?;
    let event = lock_event(txn, unlocked.event_id)
        .await?
        .ok_or(RegistrationError::EventNotFound)?;
    let row = locator
        .found(registration::Entity::find().lock_exclusive(), txn)
        .await?;
    Ok((event, row))
}

pub async fn find(
    db: &impl ConnectionTrait,
    locator: &Locator<'_>,
) -> Result<Registration, RegistrationError> {
    let row = locator.found(registration::Entity::find(), db).await?;
    Ok(view(db, row).await?)
}

/// Retires every link of the registration (signed ones by a new generation, an old random
/// one by forgetting its hash) and mails the person the new one, which it returns.
pub async fn retire_links(
    db: &DatabaseConnection,
    links: &ManageLinks,
    locator: &Locator<'_>,
) -> Result<String, RegistrationError> {
    let txn = begin_write(db).await?;
    let (event, row) = lock_registration(&txn, locator).await?;
    let generation = row.manage_link_generation;
    let mut active: registration::ActiveModel = row.into();
    retire_all(&mut active, generation);
    active.updated_at = Set(Utc::now());
    let row = registration::Entity::update(active).exec(&txn).await?;
    queue_message(
        &txn,
        Kind::ManageLink,
        &row,
        &event,
        links,
        Extras::default(),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(registration_id = %row.id, "other manage links signed out");
    Ok(links.token(&row))
}

/// The event a registration belongs to.
pub async fn event_of(
    db: &impl ConnectionTrait,
    registration: &Registration,
) -> Result<event::Model, RegistrationError> {
    event::Entity::find_by_id(registration.event_id)
        .one(db)
        .await?
        .ok_or(RegistrationError::EventNotFound)
}

/// How a registration's answers change.
pub enum AnswersChange<'a> {
    /// A JSON merge patch over the current answers (the API).
    Patch(&'a serde_json::Value),
    /// Every answer anew (the manage page's form).
    Replace(&'a RegistrationInput),
}

/// Whether any of the event's networking sessions has been published: from then on a
/// person's networking choice is fixed.
pub async fn tables_published(db: &impl ConnectionTrait, event_id: Uuid) -> Result<bool, DbErr> {
    let published = networking_session::Entity::find()
        .filter(networking_session::Column::EventId.eq(event_id))
        .filter(networking_session::Column::PublishedAt.is_not_null())
        .count(db)
        .await?;
    Ok(published > 0)
}

/// Changes a registration's answers, validated like a new registration. The email
/// identifies the person and cannot change; the networking consent only until the event's
/// tables are published.
pub async fn update_answers(
    db: &DatabaseConnection,
    locator: &Locator<'_>,
    change: AnswersChange<'_>,
) -> Result<Registration, RegistrationError> {
    let txn = begin_write(db).await?;
    let (event, row) = lock_registration(&txn, locator).await?;
    if !row.status.is_active() {
        return Err(RegistrationError::Unchangeable(row.status));
    }
    let input = match change {
        AnswersChange::Patch(patch) => {
            let current = Registration::from_row(row.clone(), None)?;
            patched(&RegistrationInput::from(&current), patch)?
        }
        AnswersChange::Replace(input) => input.clone(),
    };
    let new = input.parse(&form_context(&txn, &event).await?)?;
    if Some(new.email.as_str()) != row.email.as_deref() {
        return Err(Invalid::field("email", FieldProblem::EmailFixed).into());
    }
    if new.consent_share != row.consent_share {
        let published = tables_published(&txn, event.id).await?;
        check_consent_change(published)
            .map_err(|problem| Invalid::field("consent_share", problem))?;
    }
    let id = row.id;
    let before = view(&txn, row.clone()).await?;
    let mut active: registration::ActiveModel = row.into();
    answer_columns(&mut active, &new);
    registration::Entity::update(active).exec(&txn).await?;
    let registration = view(&txn, reread(&txn, id).await?).await?;
    super::status::record(&txn, AuditAction::Update, &before, &registration).await?;
    txn.commit().await?;
    Ok(registration)
}

#[derive(Default)]
pub struct RegistrationFilter {
    pub status: Option<RegistrationStatus>,
    /// Part of the name, email or affiliation (case-insensitive).
    pub search: Option<String>,
}

/// The event's registrations in id order, filtered, after `after`, one more than `limit`.
pub async fn list(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    filter: &RegistrationFilter,
    after: Option<Uuid>,
    limit: Option<u64>,
) -> Result<Vec<Registration>, DbErr> {
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
        query = query.filter(registration::Column::Status.eq(status));
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
                    Expr::expr(Func::lower(Expr::col(registration::Column::Affiliation)))
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
    let registrations = rows
        .into_iter()
        .map(|row| {
            let position = positions.get(&row.id).copied();
            Registration::from_row(row, position)
        })
        .collect::<Result<_, _>>()?;
    Ok(registrations)
}
