//! The networking API: each handler extracts, calls [`store`] and answers with the session.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use entity::networking_session;
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::plan::RepeatCheck;
use super::store::{self, NetworkingError, Seating, SessionChange};
use super::{Round, SessionInput, SolverLimits, plan_url};
use crate::auth::Organizer;
use crate::csv_download::csv_download;
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::metrics::Metrics;
use crate::registration::links::ManageLinks;
use crate::registration::routes::PublicBaseUrl;

/// The one place networking failures become HTTP answers.
impl From<NetworkingError> for ApiError {
    fn from(error: NetworkingError) -> Self {
        if let Some(field) = error.field() {
            return ApiError::field(field, error.to_string());
        }
        match error {
            NetworkingError::EventNotFound => ApiError::NotFound("event"),
            NetworkingError::SessionNotFound => ApiError::NotFound("networking session"),
            NetworkingError::PlanNotFound => ApiError::NotFound("table plan"),
            NetworkingError::RegistrationNotFound => ApiError::NotFound("registration"),
            NetworkingError::Search(error) => ApiError::Internal(error.into()),
            NetworkingError::Encode(error) => ApiError::Internal(error.into()),
            NetworkingError::Mail(error) => error.into(),
            NetworkingError::Database(error) => error.into(),
            // Input the domain refused: answered above with its field.
            invalid => ApiError::field("body", invalid.to_string()),
        }
    }
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_session)
        .service(list_sessions)
        .service(get_session)
        .service(update_session)
        .service(move_person)
        .service(add_arrival)
        .service(publish_session)
        .service(new_plan_link)
        .service(export_tables);
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
    /// When the session starts, if set.
    pub starts_at: Option<DateTime<Utc>>,
    /// Its room (of the event's venue), if set.
    pub room_id: Option<Uuid>,
    /// The printable table plan for the room (first names and affiliations only). Only in the
    /// answer that creates the session: the key in it is stored as a hash. `POST
    /// …/plan-link` makes a new one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan_url: Option<String>,
    /// The matcher's quality report at creation.
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
    /// Pairs who meet again, recounted after every change.
    pub repeats: RepeatCheck,
}

/// The link to a printable plan, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanLink {
    pub plan_url: String,
}

/// The session as the API shows it (see [`plan_url`] for the link to its printable plan).
async fn session(
    db: &DatabaseConnection,
    row: networking_session::Model,
) -> Result<Session, ApiError> {
    let Seating {
        session,
        rounds,
        repeats,
        report,
    } = store::seating(db, row).await?;
    Ok(Session {
        plan_url: None,
        id: session.id,
        event_id: session.event_id,
        title: session.title,
        table_size: session.table_size,
        rounds,
        rounds_played: session.rounds_played,
        published_at: session.published_at,
        starts_at: session.starts_at,
        room_id: session.room_id,
        report,
        repeats,
    })
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
        (status = 422, description = "Too few attendees, the rounds and tables do not fit them, a start outside the event or a room outside its venue", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/events/{event_id}/networking-sessions")]
async fn create_session(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    base_url: web::Data<PublicBaseUrl>,
    limits: web::Data<SolverLimits>,
    event_id: web::Path<Uuid>,
    metrics: web::Data<Metrics>,
    body: ApiJson<SessionInput>,
) -> Result<HttpResponse, ApiError> {
    let (row, plan_key) =
        store::create_measured(&db, &metrics, *event_id, body.0, limits.max_time_limit).await?;
    let mut created = session(&db, row).await?;
    created.plan_url = Some(plan_url(&base_url.0, &plan_key));
    Ok(HttpResponse::Created().json(created))
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
    event_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let rows = store::list(&db, *event_id).await?;
    let mut sessions = Vec::with_capacity(rows.len());
    for row in rows {
        sessions.push(session(&db, row).await?);
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
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    let row = store::find(db.get_ref(), event_id, id).await?;
    Ok(HttpResponse::Ok().json(session(&db, row).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct SessionPatch {
    /// How many rounds have been played (late arrivals join the rounds after).
    #[serde(default)]
    rounds_played: Option<i32>,
    /// When the session starts, within the event; `null` clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    starts_at: Option<Option<DateTime<Utc>>>,
    /// A room of the event's venue; `null` clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    room_id: Option<Option<Uuid>>,
}

/// A field given, even as `null`: absent fields stay `None` through `#[serde(default)]`.
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Record how many rounds have been played, or set when the session starts and its room
/// (both shown in the tables mail). Fields left out stay as they are.
#[utoipa::path(
    tag = "networking",
    params(("event_id" = Uuid, Path, description = "Event id"), ("session_id" = Uuid, Path, description = "Session id")),
    request_body = SessionPatch,
    responses(
        (status = 200, description = "The session", body = Session),
        (status = 422, description = "Rounds played out of range, a start outside the event or a room outside its venue", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[patch("/events/{event_id}/networking-sessions/{session_id}")]
async fn update_session(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
    body: ApiJson<SessionPatch>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    let patch = body.0;
    let change = SessionChange {
        rounds_played: patch.rounds_played,
        starts_at: patch.starts_at,
        room_id: patch.room_id,
    };
    let row = store::update(&db, event_id, id, change).await?;
    Ok(HttpResponse::Ok().json(session(&db, row).await?))
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
    path: web::Path<(Uuid, Uuid)>,
    body: ApiJson<MoveInput>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    let input = body.0;
    let row = store::move_person(
        &db,
        event_id,
        id,
        input.round,
        input.registration_id,
        input.to_table,
    )
    .await?;
    Ok(HttpResponse::Ok().json(session(&db, row).await?))
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
    path: web::Path<(Uuid, Uuid)>,
    body: ApiJson<ArrivalInput>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    let row = store::seat_arrival(&db, event_id, id, body.0.registration_id).await?;
    Ok(HttpResponse::Ok().json(session(&db, row).await?))
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
    links: web::Data<ManageLinks>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    let row = store::publish(&db, &links, event_id, id).await?;
    Ok(HttpResponse::Ok().json(session(&db, row).await?))
}

/// A new link to the session's printable table plan: the key is shown only in this answer
/// (it is stored as a hash) and the earlier link stops working.
#[utoipa::path(
    tag = "networking",
    params(("event_id" = Uuid, Path, description = "Event id"), ("session_id" = Uuid, Path, description = "Session id")),
    responses((status = 200, description = "The new link", body = PlanLink)),
)]
#[post("/events/{event_id}/networking-sessions/{session_id}/plan-link")]
async fn new_plan_link(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    base_url: web::Data<PublicBaseUrl>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    let plan_key = store::new_plan_key(&db, event_id, id).await?;
    Ok(HttpResponse::Ok().json(PlanLink {
        plan_url: plan_url(&base_url.0, &plan_key),
    }))
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
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    let row = store::find(db.get_ref(), event_id, id).await?;
    let rounds = store::seating(db.get_ref(), row).await?.rounds;
    let mut records = vec![
        ["round", "table", "name", "affiliation"]
            .map(String::from)
            .to_vec(),
    ];
    for round in &rounds {
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
