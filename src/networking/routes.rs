use std::collections::HashMap;

use actix_web::{HttpResponse, get, patch, post, web};
use askama::Template;
use chrono::{DateTime, Utc};
use entity::{encounter, event, networking_session};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::plan::{self, RepeatCheck, Rounds};
use super::tables::{called, mail_tables};
use super::{history_of, participant};
use crate::auth::Organizer;
use crate::csv_download::csv_download;
use crate::db::{begin_write, lock_event};
use crate::error::{ApiError, Problem};
use crate::events::load_event_row;
use crate::extract::ApiJson;
use crate::matching::{
    EncounterInput, Problem as MatchProblem, ProblemInput, solve_within_time_limit,
};
use crate::registration::RegistrationStatus;
use crate::registration::routes::PublicBaseUrl;
use crate::registration::store::{self as registrations, Registration, RegistrationFilter};
use crate::secrets::random_token;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_session)
        .service(list_sessions)
        .service(get_session)
        .service(update_session)
        .service(move_person)
        .service(add_arrival)
        .service(publish_session)
        .service(export_tables);
}

/// The room's table plan: outside the API, reached by the session's random plan key.
pub fn configure_pages(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/plans/{plan_key}").route(web::get().to(plan_page)));
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionInput {
    #[serde(default)]
    #[schema(example = "네트워킹 1부")]
    pub title: Option<String>,
    #[schema(example = 3)]
    pub rounds: usize,
    /// Largest table (default 6); or give `tables` instead.
    #[serde(default)]
    #[schema(example = 6)]
    pub table_size: Option<usize>,
    #[serde(default)]
    pub tables: Option<usize>,
    /// Same seed, same attendees: same schedule.
    #[serde(default)]
    pub seed: u64,
    /// Search budget (default 2000 ms).
    #[serde(default)]
    pub time_limit_ms: Option<u64>,
    /// Never seat two people of the same affiliation together.
    #[serde(default)]
    pub separate_affiliations: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Session {
    pub id: Uuid,
    pub event_id: Uuid,
    pub title: String,
    pub table_size: i32,
    pub rounds: Vec<Round>,
    /// Rounds already played; late arrivals join the ones after.
    pub rounds_played: i32,
    pub published_at: Option<DateTime<Utc>>,
    /// The printable table plan for the room (first names and affiliations only).
    pub plan_url: String,
    /// The matcher's quality report at creation.
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
    /// Pairs who meet again, recounted after every change.
    pub repeats: RepeatCheck,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Round {
    /// 1-based.
    pub number: usize,
    pub tables: Vec<Table>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Table {
    /// 1-based.
    pub number: usize,
    pub seats: Vec<Seat>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Seat {
    pub registration_id: Uuid,
    pub name: String,
    pub affiliation: Option<String>,
}

/// The people to seat: confirmed registrations that consented to share their name and
/// affiliation; once anyone has checked in, only those who did.
async fn attendees(db: &DatabaseConnection, event_id: Uuid) -> Result<Vec<Registration>, ApiError> {
    let filter = RegistrationFilter {
        status: Some(RegistrationStatus::Confirmed),
        search: None,
    };
    let confirmed: Vec<Registration> = registrations::list(db, event_id, &filter, None, None)
        .await?
        .into_iter()
        .filter(|registration| registration.consent_share)
        .collect();
    if confirmed
        .iter()
        .any(|registration| registration.checked_in_at.is_some())
    {
        Ok(confirmed
            .into_iter()
            .filter(|registration| registration.checked_in_at.is_some())
            .collect())
    } else {
        Ok(confirmed)
    }
}

/// Encounters at other events between any of these people: `(person_a, person_b, year)`.
async fn earlier_encounters(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    people: Vec<Uuid>,
) -> Result<Vec<(Uuid, Uuid, i32)>, ApiError> {
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

/// Replaces the session's encounters with the pairs its schedule seats together.
async fn record_encounters(
    txn: &DatabaseTransaction,
    session: &networking_session::Model,
    year: i32,
    rounds: &Rounds,
    person_of: &HashMap<String, Uuid>,
) -> Result<(), ApiError> {
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
    // In chunks: SQLite limits the number of bound parameters per statement.
    for chunk in rows.chunks(500) {
        encounter::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

async fn view(
    db: &DatabaseConnection,
    row: &networking_session::Model,
    base_url: &str,
) -> Result<Session, ApiError> {
    let rounds: Rounds = serde_json::from_str(&row.schedule).map_err(anyhow::Error::from)?;
    let everyone = registrations::list(
        db,
        row.event_id,
        &RegistrationFilter {
            status: None,
            search: None,
        },
        None,
        None,
    )
    .await?;
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
    let people: Vec<Uuid> = everyone
        .iter()
        .map(|registration| registration.person_id)
        .collect();
    let history = history_of(
        &everyone,
        &earlier_encounters(db, row.event_id, people).await?,
    );
    Ok(Session {
        id: row.id,
        event_id: row.event_id,
        title: row.title.clone(),
        table_size: row.table_size,
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
        rounds_played: row.rounds_played,
        published_at: row.published_at,
        plan_url: format!("{}/plans/{}", base_url.trim_end_matches('/'), row.plan_key),
        report: serde_json::from_str(&row.report).unwrap_or_default(),
    })
}

async fn load_session(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    id: Uuid,
) -> Result<networking_session::Model, ApiError> {
    networking_session::Entity::find_by_id(id)
        .filter(networking_session::Column::EventId.eq(event_id))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("networking session"))
}

/// Compute rounds of tables for the event's attendees (checked in, or before the event the
/// confirmed ones) who agreed to share their name and affiliation, meeting as many new people
/// as possible: no pair twice when feasible, few pairs who met at earlier events, mixed
/// tables. The schedule and the encounters it creates are stored.
#[utoipa::path(
    tag = "networking",
    params(("event_id" = Uuid, Path, description = "Event id")),
    request_body = SessionInput,
    responses(
        (status = 201, description = "The computed session", body = Session),
        (status = 422, description = "Too few attendees, or the rounds and tables do not fit them", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/events/{event_id}/networking-sessions")]
async fn create_session(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    base_url: web::Data<PublicBaseUrl>,
    event_id: web::Path<Uuid>,
    body: ApiJson<SessionInput>,
) -> Result<HttpResponse, ApiError> {
    let event = load_event_row(db.get_ref(), *event_id).await?;
    let input = body.0;
    let people = attendees(&db, event.id).await?;
    if people.len() < 2 {
        return Err(ApiError::field(
            "rounds",
            "at least two confirmed attendees who agreed to share their name are needed",
        ));
    }
    let encounters = earlier_encounters(
        db.get_ref(),
        event.id,
        people.iter().map(|p| p.person_id).collect(),
    )
    .await?;
    let history = history_of(&people, &encounters);
    let table_size = input.table_size.or(if input.tables.is_none() {
        Some(6)
    } else {
        None
    });
    let problem_input = ProblemInput {
        participants: people.iter().map(participant).collect(),
        rounds: input.rounds,
        table_size,
        tables: input.tables,
        history: history
            .iter()
            .map(|((a, b), year)| EncounterInput {
                a: a.clone(),
                b: b.clone(),
                year: *year,
            })
            .collect(),
        current_year: Some(event.local_year),
        separate_affiliations: input.separate_affiliations,
        seed: input.seed,
        time_limit_ms: input.time_limit_ms,
        ..Default::default()
    };
    let problem = MatchProblem::from_input(problem_input)
        .map_err(|error| ApiError::field("body", error.to_string()))?;
    let output = web::block(move || solve_within_time_limit(&problem).to_output(&problem))
        .await
        .map_err(anyhow::Error::from)?;
    let now = Utc::now();
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
        schedule: Set(serde_json::to_string(&output.rounds).map_err(anyhow::Error::from)?),
        report: Set(serde_json::to_string(&output.report).map_err(anyhow::Error::from)?),
        rounds_played: Set(0),
        plan_key: Set(random_token("")),
        published_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let txn = begin_write(&db).await?;
    let row = networking_session::Entity::insert(row)
        .exec_with_returning(&txn)
        .await?;
    let person_of = people
        .iter()
        .map(|p| (p.id.to_string(), p.person_id))
        .collect();
    record_encounters(&txn, &row, event.local_year, &output.rounds, &person_of).await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(view(&db, &row, &base_url.0).await?))
}

/// The networking sessions of an event, oldest first.
#[utoipa::path(
    tag = "networking",
    params(("event_id" = Uuid, Path, description = "Event id")),
    responses((status = 200, description = "The sessions", body = Vec<Session>)),
)]
#[get("/events/{event_id}/networking-sessions")]
async fn list_sessions(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    base_url: web::Data<PublicBaseUrl>,
    event_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    load_event_row(db.get_ref(), *event_id).await?;
    let rows = networking_session::Entity::find()
        .filter(networking_session::Column::EventId.eq(*event_id))
        .order_by_asc(networking_session::Column::Id)
        .all(db.get_ref())
        .await?;
    let mut sessions = Vec::with_capacity(rows.len());
    for row in &rows {
        sessions.push(view(&db, row, &base_url.0).await?);
    }
    Ok(HttpResponse::Ok().json(sessions))
}

/// One session with its tables, report and the pairs who meet again.
#[utoipa::path(
    tag = "networking",
    params(("event_id" = Uuid, Path, description = "Event id"), ("session_id" = Uuid, Path, description = "Session id")),
    responses((status = 200, description = "The session", body = Session)),
)]
#[get("/events/{event_id}/networking-sessions/{session_id}")]
async fn get_session(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    base_url: web::Data<PublicBaseUrl>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    let row = load_session(db.get_ref(), event_id, id).await?;
    Ok(HttpResponse::Ok().json(view(&db, &row, &base_url.0).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct SessionPatch {
    /// How many rounds have been played (late arrivals join the rounds after).
    rounds_played: i32,
}

/// Record how many rounds have been played.
#[utoipa::path(
    tag = "networking",
    params(("event_id" = Uuid, Path, description = "Event id"), ("session_id" = Uuid, Path, description = "Session id")),
    request_body = SessionPatch,
    responses((status = 200, description = "The session", body = Session)),
)]
#[patch("/events/{event_id}/networking-sessions/{session_id}")]
async fn update_session(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    base_url: web::Data<PublicBaseUrl>,
    path: web::Path<(Uuid, Uuid)>,
    body: ApiJson<SessionPatch>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    let row = change(&db, event_id, id, |row, _| {
        if !(0..=row.rounds).contains(&body.0.rounds_played) {
            return Err(ApiError::field(
                "rounds_played",
                format!("must be from 0 to {}", row.rounds),
            ));
        }
        row.rounds_played = body.0.rounds_played;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::Ok().json(view(&db, &row, &base_url.0).await?))
}

/// Applies `edit` to the locked session (with its rounds at hand) and re-records its
/// encounters when the rounds changed.
async fn change<F>(
    db: &DatabaseConnection,
    event_id: Uuid,
    id: Uuid,
    edit: F,
) -> Result<networking_session::Model, ApiError>
where
    F: FnOnce(&mut networking_session::Model, &mut Rounds) -> Result<(), ApiError>,
{
    let txn = begin_write(db).await?;
    let (_, row) = change_in(&txn, event_id, id, edit).await?;
    txn.commit().await?;
    Ok(row)
}

/// [`change`] inside the caller's transaction, which it leaves open: the locked event and the
/// changed session.
async fn change_in<F>(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    id: Uuid,
    edit: F,
) -> Result<(event::Model, networking_session::Model), ApiError>
where
    F: FnOnce(&mut networking_session::Model, &mut Rounds) -> Result<(), ApiError>,
{
    let event = lock_event(txn, event_id)
        .await?
        .ok_or(ApiError::NotFound("event"))?;
    let mut row = load_session(txn, event_id, id).await?;
    let mut rounds: Rounds = serde_json::from_str(&row.schedule).map_err(anyhow::Error::from)?;
    let before = rounds.clone();
    edit(&mut row, &mut rounds)?;
    row.schedule = serde_json::to_string(&rounds).map_err(anyhow::Error::from)?;
    row.updated_at = Utc::now();
    let mut active: networking_session::ActiveModel = row.clone().into();
    active.rounds_played = Set(row.rounds_played);
    active.schedule = Set(row.schedule.clone());
    active.published_at = Set(row.published_at);
    active.updated_at = Set(row.updated_at);
    let row = networking_session::Entity::update(active).exec(txn).await?;
    if rounds != before {
        let ids: Vec<Uuid> = rounds
            .iter()
            .flatten()
            .flatten()
            .filter_map(|id| id.parse().ok())
            .collect();
        let person_of = entity::registration::Entity::find()
            .filter(Condition::all().add(entity::registration::Column::Id.is_in(ids)))
            .all(txn)
            .await?
            .into_iter()
            .map(|registration| (registration.id.to_string(), registration.person_id))
            .collect();
        record_encounters(txn, &row, event.local_year, &rounds, &person_of).await?;
    }
    Ok((event, row))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct MoveInput {
    /// 1-based round.
    round: usize,
    registration_id: Uuid,
    /// 1-based table to move to.
    to_table: usize,
}

/// Move a person to another table in one round. The answer's `repeats` lists every pair that
/// now meets again, so the organizer sees what the move costs.
#[utoipa::path(
    tag = "networking",
    params(("event_id" = Uuid, Path, description = "Event id"), ("session_id" = Uuid, Path, description = "Session id")),
    request_body = MoveInput,
    responses((status = 200, description = "The changed session", body = Session)),
)]
#[post("/events/{event_id}/networking-sessions/{session_id}/moves")]
async fn move_person(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    base_url: web::Data<PublicBaseUrl>,
    path: web::Path<(Uuid, Uuid)>,
    body: ApiJson<MoveInput>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    let input = body.0;
    let row = change(&db, event_id, id, |_, rounds| {
        plan::move_person(
            rounds,
            input.round.wrapping_sub(1),
            &input.registration_id.to_string(),
            input.to_table.wrapping_sub(1),
        )
        .map_err(|message| ApiError::field("body", message))
    })
    .await?;
    Ok(HttpResponse::Ok().json(view(&db, &row, &base_url.0).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ArrivalInput {
    /// A confirmed registration of the event that is not yet seated.
    registration_id: Uuid,
}

/// Seat a late arrival in the rounds not yet played, meeting as few people again as
/// possible; played rounds stay as they were.
#[utoipa::path(
    tag = "networking",
    params(("event_id" = Uuid, Path, description = "Event id"), ("session_id" = Uuid, Path, description = "Session id")),
    request_body = ArrivalInput,
    responses((status = 200, description = "The changed session", body = Session)),
)]
#[post("/events/{event_id}/networking-sessions/{session_id}/arrivals")]
async fn add_arrival(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    base_url: web::Data<PublicBaseUrl>,
    path: web::Path<(Uuid, Uuid)>,
    body: ApiJson<ArrivalInput>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    let arrival = registrations::find(
        db.get_ref(),
        &registrations::Locator::InEvent {
            event_id,
            id: body.0.registration_id,
        },
    )
    .await?;
    if arrival.status != RegistrationStatus::Confirmed || !arrival.consent_share {
        return Err(ApiError::field(
            "registration_id",
            "only confirmed attendees who agreed to share their name can be seated",
        ));
    }
    let everyone = registrations::list(
        &db,
        event_id,
        &RegistrationFilter {
            status: None,
            search: None,
        },
        None,
        None,
    )
    .await?;
    let history = history_of(
        &everyone,
        &earlier_encounters(
            db.get_ref(),
            event_id,
            everyone.iter().map(|r| r.person_id).collect(),
        )
        .await?,
    );
    let row = change(&db, event_id, id, |row, rounds| {
        plan::seat_late_arrival(
            rounds,
            row.rounds_played as usize,
            &arrival.id.to_string(),
            &history,
        )
        .map_err(|message| ApiError::field("registration_id", message))
    })
    .await?;
    Ok(HttpResponse::Ok().json(view(&db, &row, &base_url.0).await?))
}

/// Publish the session: attendees see their tables on their manage page from now on, and each
/// confirmed attendee seated in it is mailed their tables (queued in the same transaction).
/// Publishing again after a change (a move, a late arrival) mails only the people whose
/// tables changed since their last tables mail for this session, once; publishing again
/// without a change mails nobody. Changes are not mailed until the session is published again.
#[utoipa::path(
    tag = "networking",
    params(("event_id" = Uuid, Path, description = "Event id"), ("session_id" = Uuid, Path, description = "Session id")),
    responses((status = 200, description = "The published session", body = Session)),
)]
#[post("/events/{event_id}/networking-sessions/{session_id}/publish")]
async fn publish_session(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    base_url: web::Data<PublicBaseUrl>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    let txn = begin_write(&db).await?;
    let (event, row) = change_in(&txn, event_id, id, |row, _| {
        row.published_at.get_or_insert_with(Utc::now);
        Ok(())
    })
    .await?;
    let queued = mail_tables(&txn, &event, &row).await?;
    txn.commit().await?;
    tracing::info!(session_id = %row.id, queued, "networking session published");
    Ok(HttpResponse::Ok().json(view(&db, &row, &base_url.0).await?))
}

/// The tables as CSV (UTF-8 with a byte order mark): round, table, name, affiliation.
#[utoipa::path(
    tag = "networking",
    params(("event_id" = Uuid, Path, description = "Event id"), ("session_id" = Uuid, Path, description = "Session id")),
    responses((status = 200, description = "The CSV file", content_type = "text/csv", body = String)),
)]
#[get("/events/{event_id}/networking-sessions/{session_id}/tables.csv")]
async fn export_tables(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    base_url: web::Data<PublicBaseUrl>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    let session = view(
        &db,
        &load_session(db.get_ref(), event_id, id).await?,
        &base_url.0,
    )
    .await?;
    let mut records = vec![
        ["round", "table", "name", "affiliation"]
            .map(String::from)
            .to_vec(),
    ];
    for round in &session.rounds {
        for table in &round.tables {
            for seat in &table.seats {
                records.push(vec![
                    round.number.to_string(),
                    table.number.to_string(),
                    seat.name.clone(),
                    seat.affiliation.clone().unwrap_or_default(),
                ]);
            }
        }
    }
    csv_download("tables.csv", records)
}

/// One round of the plan for a projector: big type, a box per table.
#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    title: String,
    round: usize,
    rounds: Vec<usize>,
    tables: Vec<(usize, Vec<(String, String)>)>,
    plan_key: String,
}

#[derive(Debug, Deserialize)]
struct PlanQuery {
    round: Option<usize>,
}

async fn plan_page(
    db: web::Data<DatabaseConnection>,
    base_url: web::Data<PublicBaseUrl>,
    plan_key: web::Path<String>,
    query: web::Query<PlanQuery>,
) -> Result<HttpResponse, ApiError> {
    let row = networking_session::Entity::find()
        .filter(networking_session::Column::PlanKey.eq(plan_key.as_str()))
        .one(db.get_ref())
        .await?
        .ok_or(ApiError::NotFound("table plan"))?;
    let session = view(&db, &row, &base_url.0).await?;
    let round = query
        .round
        .unwrap_or(1)
        .clamp(1, session.rounds.len().max(1));
    let tables = session
        .rounds
        .get(round - 1)
        .map(|r| {
            r.tables
                .iter()
                .map(|table| {
                    let seats = table
                        .seats
                        .iter()
                        .map(|seat| {
                            (
                                called(&seat.name),
                                seat.affiliation.clone().unwrap_or_default(),
                            )
                        })
                        .collect();
                    (table.number, seats)
                })
                .collect()
        })
        .unwrap_or_default();
    let page = PlanPage {
        title: session.title,
        round,
        rounds: (1..=session.rounds.len()).collect(),
        tables,
        plan_key: plan_key.into_inner(),
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Referrer-Policy", "no-referrer"))
        .body(page.render().map_err(anyhow::Error::from)?))
}
