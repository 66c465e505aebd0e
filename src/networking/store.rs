//! The networking sessions' queries and transactions: who can be seated, the encounters a
//! schedule creates, and every change to a session (created, rounds played, a move, a late
//! arrival, published). A change locks the event first, as every writer of what an event
//! offers does, and re-records the session's encounters when its tables changed.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::{encounter, event, networking_session, registration};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::plan::{self, RepeatCheck, Rounds};
use super::tables::mail_tables;
use super::{
    PlaceError, Round, Seat, SessionInput, SessionPlace, Table, attendees, check_place, history_of,
    problem_input, seatable,
};
use crate::audit::{self, AuditAction, AuditTarget, Change};
use crate::db::{ROWS_PER_STATEMENT, begin_write, json_column, lock_event};
use crate::email::MailError;
use crate::matching::{Deadline, Problem as MatchProblem, Report, Stop, WallClock, solve};
use crate::metrics::Metrics;
use crate::registration::links::ManageLinks;
use crate::registration::store::{self as registration_store, Registration, RegistrationFilter};
use crate::secrets::{hash, random_token};
use crate::venues::room_ids;

#[derive(Debug, thiserror::Error)]
pub enum NetworkingError {
    #[error("event not found")]
    EventNotFound,
    #[error("networking session not found")]
    SessionNotFound,
    /// No session has this plan key.
    #[error("table plan not found")]
    PlanNotFound,
    #[error("registration not found")]
    RegistrationNotFound,
    #[error("at least two confirmed attendees who agreed to share their name are needed")]
    TooFewAttendees,
    /// The matcher refuses the rounds and tables asked for.
    #[error("{0}")]
    Problem(String),
    /// A search budget above the configured maximum.
    #[error("must be at most {max_ms} ms")]
    TimeLimitTooLong { max_ms: u64 },
    #[error("must be from 0 to {rounds}")]
    RoundsPlayedOutOfRange { rounds: i32 },
    /// The session's start time or room does not fit its event.
    #[error(transparent)]
    Place(#[from] PlaceError),
    /// A move that does not fit the schedule.
    #[error("{0}")]
    Move(String),
    #[error("only confirmed attendees who agreed to share their name can be seated")]
    NotSeatable,
    /// A host or a kept-apart pair names someone the session does not seat.
    #[error("must name attendees of the session (confirmed, sharing their name): {id} is not one")]
    NotAnAttendee { field: &'static str, id: Uuid },
    /// A late arrival who cannot be seated in the rounds left.
    #[error("{0}")]
    Arrival(String),
    #[error("the table search did not finish: {0}")]
    Search(#[from] tokio::task::JoinError),
    #[error("cannot store the schedule: {0}")]
    Encode(#[from] serde_json::Error),
    #[error(transparent)]
    Mail(#[from] MailError),
    #[error(transparent)]
    Database(#[from] DbErr),
}

impl NetworkingError {
    /// The input field a refusal is about, as the API's 422 and the console's forms name it;
    /// none for what is not the input's fault (not found, the server's failures).
    pub fn field(&self) -> Option<&'static str> {
        match self {
            NetworkingError::TooFewAttendees => Some("rounds"),
            NetworkingError::Problem(_) | NetworkingError::Move(_) => Some("body"),
            NetworkingError::TimeLimitTooLong { .. } => Some("time_limit_ms"),
            NetworkingError::RoundsPlayedOutOfRange { .. } => Some("rounds_played"),
            NetworkingError::Place(PlaceError::StartsOutsideEvent) => Some("starts_at"),
            NetworkingError::Place(PlaceError::RoomNotInVenue) => Some("room_id"),
            NetworkingError::NotSeatable | NetworkingError::Arrival(_) => Some("registration_id"),
            NetworkingError::NotAnAttendee { field, .. } => Some(field),
            NetworkingError::EventNotFound
            | NetworkingError::SessionNotFound
            | NetworkingError::PlanNotFound
            | NetworkingError::RegistrationNotFound
            | NetworkingError::Search(_)
            | NetworkingError::Encode(_)
            | NetworkingError::Mail(_)
            | NetworkingError::Database(_) => None,
        }
    }
}

/// A session with its tables filled in: who sits where, and which pairs meet again.
pub struct Seating {
    pub session: networking_session::Model,
    pub rounds: Vec<Round>,
    pub repeats: RepeatCheck,
    /// The matcher's quality report at creation.
    pub report: serde_json::Value,
}

/// The session's rounds of tables, as stored.
pub(super) fn schedule_of(session: &networking_session::Model) -> Result<Rounds, DbErr> {
    json_column("networking_session.schedule", &session.schedule)
}

async fn event_row(db: &impl ConnectionTrait, id: Uuid) -> Result<event::Model, NetworkingError> {
    event::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(NetworkingError::EventNotFound)
}

/// Every registration of the event, in any status.
async fn registrations_of(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<Registration>, DbErr> {
    registration_store::list(db, event_id, &RegistrationFilter::default(), None, None).await
}

/// The people a new session of the event would seat now (see [`attendees`]).
pub async fn attendees_of(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<Registration>, DbErr> {
    Ok(attendees(registrations_of(db, event_id).await?))
}

/// Who could join the session as a late arrival: the event's [`seatable`] registrations
/// not seated in it, by name.
pub async fn arrivals_to_seat(
    db: &impl ConnectionTrait,
    session: &networking_session::Model,
) -> Result<Vec<Registration>, DbErr> {
    let seated: std::collections::HashSet<String> = schedule_of(session)?
        .into_iter()
        .flatten()
        .flatten()
        .collect();
    let mut waiting: Vec<Registration> = registrations_of(db, session.event_id)
        .await?
        .into_iter()
        .filter(|registration| {
            seatable(registration.status, registration.consent_share)
                && !seated.contains(&registration.id.to_string())
        })
        .collect();
    waiting.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(waiting)
}

/// Encounters at other events between any of these people: `(person_a, person_b, year)`.
async fn earlier_encounters(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    people: Vec<Uuid>,
) -> Result<Vec<(Uuid, Uuid, i32)>, DbErr> {
    Ok(encounter::Entity::find()
        .filter(encounter::Column::EventId.ne(event_id))
        .filter(encounter::Column::PersonA.is_in(people.clone()))
        .filter(encounter::Column::PersonB.is_in(people))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.person_a, row.person_b, row.year))
        .collect())
}

/// Who met whom at earlier events, among these registrations.
async fn history(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    registrations: &[Registration],
) -> Result<plan::History, DbErr> {
    let people = registrations.iter().map(|r| r.person_id).collect();
    Ok(history_of(
        registrations,
        &earlier_encounters(db, event_id, people).await?,
    ))
}

/// Replaces the session's encounters with the pairs its schedule seats together.
async fn record_encounters(
    txn: &DatabaseTransaction,
    session: &networking_session::Model,
    year: i32,
    rounds: &Rounds,
    person_of: &HashMap<String, Uuid>,
) -> Result<(), DbErr> {
    encounter::Entity::delete_many()
        .filter(encounter::Column::SessionId.eq(session.id))
        .exec(txn)
        .await?;
    let mut rows = Vec::new();
    for (round, tables) in rounds.iter().enumerate() {
        for table in tables {
            for (i, a) in table.iter().enumerate() {
                for b in &table[i + 1..] {
                    let (Some(a), Some(b)) = (person_of.get(a), person_of.get(b)) else {
                        continue;
                    };
                    let (a, b) = if a < b { (*a, *b) } else { (*b, *a) };
                    rows.push(encounter::ActiveModel {
                        id: Set(Uuid::now_v7()),
                        session_id: Set(session.id),
                        event_id: Set(session.event_id),
                        person_a: Set(a),
                        person_b: Set(b),
                        year: Set(year),
                        round: Set(round as i32 + 1),
                    });
                }
            }
        }
    }
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        encounter::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// The session's tables with everyone's name and affiliation, and the pairs who meet again
/// (within the session, or after meeting at an earlier event).
pub async fn seating(
    db: &impl ConnectionTrait,
    session: networking_session::Model,
) -> Result<Seating, DbErr> {
    let rounds = schedule_of(&session)?;
    let report = json_column("networking_session.report", &session.report)?;
    let everyone = registrations_of(db, session.event_id).await?;
    let seats: HashMap<String, Seat> = everyone
        .iter()
        .map(|registration| {
            (
                registration.id.to_string(),
                Seat {
                    registration_id: registration.id,
                    name: registration.name.clone(),
                    affiliation: registration.affiliation.clone(),
                },
            )
        })
        .collect();
    let history = history(db, session.event_id, &everyone).await?;
    Ok(Seating {
        repeats: plan::check(&rounds, &history),
        rounds: rounds
            .iter()
            .enumerate()
            .map(|(round, tables)| Round {
                number: round + 1,
                tables: tables
                    .iter()
                    .enumerate()
                    .map(|(table, ids)| Table {
                        number: table + 1,
                        seats: ids.iter().filter_map(|id| seats.get(id).cloned()).collect(),
                    })
                    .collect(),
            })
            .collect(),
        report,
        session,
    })
}

/// Computes rounds of tables for the event's attendees (see [`attendees`]), meeting as many
/// new people as possible, and stores the schedule with the encounters it creates.
/// The search gets `input.time_limit_ms` (at most `max_time_limit`) and stops early when this
/// future is dropped (the client went away): a dropped request costs no more CPU.
pub async fn create(
    db: &DatabaseConnection,
    event_id: Uuid,
    input: SessionInput,
    max_time_limit: Duration,
) -> Result<(networking_session::Model, String), NetworkingError> {
    let max_ms = max_time_limit.as_millis() as u64;
    if input.time_limit_ms.is_some_and(|ms| ms > max_ms) {
        return Err(NetworkingError::TimeLimitTooLong { max_ms });
    }
    let event = event_row(db, event_id).await?;
    let place = SessionPlace {
        starts_at: input.starts_at,
        room_id: input.room_id,
    };
    let place = check_place(
        place,
        (event.starts_at, event.ends_at),
        &venue_rooms(db, &event).await?,
    )?;
    let people = attendees_of(db, event.id).await?;
    if people.len() < 2 {
        return Err(NetworkingError::TooFewAttendees);
    }
    let named = (input.hosts.iter().map(|id| ("hosts", id))).chain(
        input
            .kept_apart
            .iter()
            .flatten()
            .map(|id| ("kept_apart", id)),
    );
    for (field, id) in named {
        if !people.iter().any(|person| person.id == *id) {
            return Err(NetworkingError::NotAnAttendee { field, id: *id });
        }
    }
    let history = history(db, event.id, &people).await?;
    let problem =
        MatchProblem::from_input(problem_input(&input, &people, &history, event.local_year))
            .map_err(|error| NetworkingError::Problem(error.to_string()))?;
    // The search is CPU-bound for up to its time limit: off the async workers.
    let request = RequestAlive::new();
    let deadline = request.deadline(problem.time_limit().min(max_time_limit));
    let output =
        tokio::task::spawn_blocking(move || solve(&problem, &deadline).to_output(&problem)).await?;
    drop(request);
    let now = Utc::now();
    let plan_key = random_token("");
    let row = networking_session::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event.id),
        title: Set(input
            .title
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "Networking".into())),
        rounds: Set(input.rounds as i32),
        table_size: Set(output.report.largest_table as i32),
        seed: Set(input.seed as i64),
        schedule: Set(serde_json::to_string(&output.rounds)?),
        report: Set(serde_json::to_string(&output.report)?),
        rounds_played: Set(0),
        plan_key_hash: Set(hash(&plan_key)),
        published_at: Set(None),
        starts_at: Set(place.starts_at),
        room_id: Set(place.room_id),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let txn = begin_write(db).await?;
    let row = networking_session::Entity::insert(row)
        .exec_with_returning(&txn)
        .await?;
    let person_of = people
        .iter()
        .map(|p| (p.id.to_string(), p.person_id))
        .collect();
    record_encounters(&txn, &row, event.local_year, &output.rounds, &person_of).await?;
    let change = Change::new(AuditAction::Create, AuditTarget::NetworkingSession, row.id)
        .in_event(event.id)
        .after(&audit_view(&row, &output.rounds));
    audit::record(&txn, change).await?;
    txn.commit().await?;
    Ok((row, plan_key))
}

/// [`create`], with the matcher's run counted in the metrics (how its search stopped, how
/// long it took): the API and the console make sessions through this.
pub async fn create_measured(
    db: &DatabaseConnection,
    metrics: &Metrics,
    event_id: Uuid,
    input: SessionInput,
    max_time_limit: Duration,
) -> Result<(networking_session::Model, String), NetworkingError> {
    let started = std::time::Instant::now();
    let (row, plan_key) = create(db, event_id, input, max_time_limit).await?;
    metrics.matcher_run(stopped_by(&row)?.as_str(), started.elapsed());
    Ok((row, plan_key))
}

/// How the matcher's search for the session ended.
pub fn stopped_by(session: &networking_session::Model) -> Result<Stop, DbErr> {
    let report: Report = json_column("networking_session.report", &session.report)?;
    Ok(report.stopped_by)
}

/// The event's sessions, oldest first.
pub async fn list(
    db: &DatabaseConnection,
    event_id: Uuid,
) -> Result<Vec<networking_session::Model>, NetworkingError> {
    event_row(db, event_id).await?;
    Ok(networking_session::Entity::find()
        .filter(networking_session::Column::EventId.eq(event_id))
        .order_by_asc(networking_session::Column::Id)
        .all(db)
        .await?)
}

pub async fn find(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    id: Uuid,
) -> Result<networking_session::Model, NetworkingError> {
    networking_session::Entity::find_by_id(id)
        .filter(networking_session::Column::EventId.eq(event_id))
        .one(db)
        .await?
        .ok_or(NetworkingError::SessionNotFound)
}

/// The session behind a room's table plan link.
pub async fn find_by_plan_key(
    db: &DatabaseConnection,
    plan_key: &str,
) -> Result<networking_session::Model, NetworkingError> {
    networking_session::Entity::find()
        .filter(networking_session::Column::PlanKeyHash.eq(hash(plan_key)))
        .one(db)
        .await?
        .ok_or(NetworkingError::PlanNotFound)
}

/// Gives the session a new table-plan key (returned once; stored as a hash): the earlier
/// link stops working.
pub async fn new_plan_key(
    db: &DatabaseConnection,
    event_id: Uuid,
    id: Uuid,
) -> Result<String, NetworkingError> {
    let plan_key = random_token("");
    let txn = begin_write(db).await?;
    let changed = networking_session::Entity::update_many()
        .col_expr(
            networking_session::Column::PlanKeyHash,
            sea_orm::sea_query::Expr::value(hash(&plan_key)),
        )
        .col_expr(
            networking_session::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(networking_session::Column::Id.eq(id))
        .filter(networking_session::Column::EventId.eq(event_id))
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(NetworkingError::SessionNotFound);
    }
    let change = Change::new(AuditAction::RenewLink, AuditTarget::NetworkingSession, id);
    audit::record(&txn, change.in_event(event_id)).await?;
    txn.commit().await?;
    Ok(plan_key)
}

/// What an organizer may change on a session directly. `None` keeps the value; for the time
/// and the room, `Some(None)` clears it.
#[derive(Debug, Default)]
pub struct SessionChange {
    /// Rounds played: late arrivals join the rounds after.
    pub rounds_played: Option<i32>,
    pub starts_at: Option<Option<DateTime<Utc>>>,
    pub room_id: Option<Option<Uuid>>,
}

/// Changes the rounds played, the start time or the room (see [`check_place`]).
pub async fn update(
    db: &DatabaseConnection,
    event_id: Uuid,
    id: Uuid,
    change: SessionChange,
) -> Result<networking_session::Model, NetworkingError> {
    let txn = begin_write(db).await?;
    let event = lock_event(&txn, event_id)
        .await?
        .ok_or(NetworkingError::EventNotFound)?;
    let rooms = venue_rooms(&txn, &event).await?;
    let (_, row) = change_in(&txn, event_id, id, AuditAction::Update, |row, _| {
        if let Some(rounds_played) = change.rounds_played {
            if !(0..=row.rounds).contains(&rounds_played) {
                return Err(NetworkingError::RoundsPlayedOutOfRange { rounds: row.rounds });
            }
            row.rounds_played = rounds_played;
        }
        // Only a new time or room is checked: one set before the event moved stays until
        // the organizer changes it.
        if change.starts_at.is_some() || change.room_id.is_some() {
            let place = SessionPlace {
                starts_at: change.starts_at.unwrap_or(row.starts_at),
                room_id: change.room_id.unwrap_or(row.room_id),
            };
            let place = check_place(place, (event.starts_at, event.ends_at), &rooms)?;
            row.starts_at = place.starts_at;
            row.room_id = place.room_id;
        }
        Ok(())
    })
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// The rooms of the event's venue (none without a venue).
async fn venue_rooms(db: &impl ConnectionTrait, event: &event::Model) -> Result<Vec<Uuid>, DbErr> {
    match event.venue_id {
        Some(venue_id) => room_ids(db, venue_id).await,
        None => Ok(Vec::new()),
    }
}

/// Moves a person to another table in one round (both 1-based).
pub async fn move_person(
    db: &DatabaseConnection,
    event_id: Uuid,
    id: Uuid,
    round: usize,
    registration_id: Uuid,
    to_table: usize,
) -> Result<networking_session::Model, NetworkingError> {
    change(db, event_id, id, AuditAction::Move, |_, rounds| {
        plan::move_person(
            rounds,
            round.wrapping_sub(1),
            &registration_id.to_string(),
            to_table.wrapping_sub(1),
        )
        .map_err(NetworkingError::Move)
    })
    .await
}

/// Seats a late arrival (a confirmed registration of the event that agreed to share its
/// name) in the rounds not yet played, meeting as few people again as possible.
pub async fn seat_arrival(
    db: &DatabaseConnection,
    event_id: Uuid,
    id: Uuid,
    registration_id: Uuid,
) -> Result<networking_session::Model, NetworkingError> {
    let arrival = registration::Entity::find_by_id(registration_id)
        .filter(registration::Column::EventId.eq(event_id))
        .one(db)
        .await?
        .ok_or(NetworkingError::RegistrationNotFound)?;
    if !seatable(arrival.status, arrival.consent_share) {
        return Err(NetworkingError::NotSeatable);
    }
    let history = history(db, event_id, &registrations_of(db, event_id).await?).await?;
    change(db, event_id, id, AuditAction::Seat, |row, rounds| {
        plan::seat_late_arrival(
            rounds,
            row.rounds_played as usize,
            &arrival.id.to_string(),
            &history,
        )
        .map_err(NetworkingError::Arrival)
    })
    .await
}

/// Publishes the session and queues the tables mail of everyone whose tables changed since
/// their last one, in the same transaction.
pub async fn publish(
    db: &DatabaseConnection,
    links: &ManageLinks,
    event_id: Uuid,
    id: Uuid,
) -> Result<networking_session::Model, NetworkingError> {
    let txn = begin_write(db).await?;
    let (event, row) = change_in(&txn, event_id, id, AuditAction::Publish, |row, _| {
        row.published_at.get_or_insert_with(Utc::now);
        Ok(())
    })
    .await?;
    let queued = mail_tables(&txn, &event, links, &row).await?;
    txn.commit().await?;
    tracing::info!(session_id = %row.id, queued, "networking session published");
    Ok(row)
}

/// Applies `edit` to the locked session (with its rounds at hand) and re-records its
/// encounters when the rounds changed.
async fn change<F>(
    db: &DatabaseConnection,
    event_id: Uuid,
    id: Uuid,
    action: AuditAction,
    edit: F,
) -> Result<networking_session::Model, NetworkingError>
where
    F: FnOnce(&mut networking_session::Model, &mut Rounds) -> Result<(), NetworkingError>,
{
    let txn = begin_write(db).await?;
    let (_, row) = change_in(&txn, event_id, id, action, edit).await?;
    txn.commit().await?;
    Ok(row)
}

/// [`change`] inside the caller's transaction, which it leaves open: the locked event and the
/// changed session. The change is recorded in the audit log as `action`.
async fn change_in<F>(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    id: Uuid,
    action: AuditAction,
    edit: F,
) -> Result<(event::Model, networking_session::Model), NetworkingError>
where
    F: FnOnce(&mut networking_session::Model, &mut Rounds) -> Result<(), NetworkingError>,
{
    let event = lock_event(txn, event_id)
        .await?
        .ok_or(NetworkingError::EventNotFound)?;
    let mut row = find(txn, event_id, id).await?;
    let mut rounds = schedule_of(&row)?;
    let before = rounds.clone();
    let before_view = audit_view(&row, &before);
    edit(&mut row, &mut rounds)?;
    row.schedule = serde_json::to_string(&rounds)?;
    row.updated_at = Utc::now();
    let mut active: networking_session::ActiveModel = row.clone().into();
    active.rounds_played = Set(row.rounds_played);
    active.schedule = Set(row.schedule.clone());
    active.published_at = Set(row.published_at);
    active.starts_at = Set(row.starts_at);
    active.room_id = Set(row.room_id);
    active.updated_at = Set(row.updated_at);
    let row = networking_session::Entity::update(active).exec(txn).await?;
    if rounds != before {
        let ids: Vec<Uuid> = rounds
            .iter()
            .flatten()
            .flatten()
            .filter_map(|id| id.parse().ok())
            .collect();
        let person_of = registration::Entity::find()
            .filter(registration::Column::Id.is_in(ids))
            .all(txn)
            .await?
            .into_iter()
            .map(|registration| (registration.id.to_string(), registration.person_id))
            .collect();
        record_encounters(txn, &row, event.local_year, &rounds, &person_of).await?;
    }
    let change = Change::new(action, AuditTarget::NetworkingSession, id)
        .in_event(event_id)
        .before(&before_view)
        .after(&audit_view(&row, &rounds));
    audit::record(txn, change).await?;
    Ok((event, row))
}

/// What the audit log keeps of a session: its settings, and for each seated registration
/// its table in every round (`seats.<registration id>`: `[2, 5, null]`), so a move or a late
/// arrival shows as the one person whose tables changed.
fn audit_view(row: &networking_session::Model, rounds: &Rounds) -> serde_json::Value {
    let mut view = serde_json::json!({
        "title": row.title,
        "rounds": row.rounds,
        "table_size": row.table_size,
        "rounds_played": row.rounds_played,
        "published_at": row.published_at,
        "starts_at": row.starts_at,
        "room_id": row.room_id,
    });
    let mut seats: HashMap<&str, Vec<Option<usize>>> = HashMap::new();
    for (round, tables) in rounds.iter().enumerate() {
        for (table, ids) in tables.iter().enumerate() {
            for id in ids {
                seats.entry(id).or_insert_with(|| vec![None; rounds.len()])[round] =
                    Some(table + 1);
            }
        }
    }
    if let serde_json::Value::Object(fields) = &mut view {
        for (id, tables) in seats {
            fields.insert(format!("seats.{id}"), serde_json::json!(tables));
        }
    }
    view
}

/// Lives as long as the request that started a search; dropping it (the client went away and
/// actix dropped the handler) ends the search at its next check of the deadline.
struct RequestAlive(Arc<AtomicBool>);

impl RequestAlive {
    fn new() -> Self {
        Self(Arc::new(AtomicBool::new(true)))
    }

    fn deadline(&self, budget: Duration) -> UntilDropped {
        UntilDropped {
            clock: WallClock::after(budget),
            alive: self.0.clone(),
        }
    }
}

impl Drop for RequestAlive {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

/// The wall-clock budget, cut short when the request is dropped.
struct UntilDropped {
    clock: WallClock,
    alive: Arc<AtomicBool>,
}

impl Deadline for UntilDropped {
    fn passed(&self) -> bool {
        let dropped = !self.alive.load(Ordering::Relaxed);
        if dropped {
            tracing::info!("networking search stopped: the request was dropped");
        }
        dropped || self.clock.passed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_passes_when_the_request_is_dropped() {
        let request = RequestAlive::new();
        let deadline = request.deadline(Duration::from_secs(3600));
        assert!(!deadline.passed());
        drop(request);
        assert!(deadline.passed(), "a dropped request ends the search");
    }
}
