use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use sea_orm::DatabaseConnection;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::schedule::Conflict;
use super::store::{self, Talk};
use super::{TalkError, TalkInput};
use crate::auth::Organizer;
use crate::error::{ApiError, ConflictKind, Problem, ResourceRef};
use crate::events::load_event_row;
use crate::extract::{ApiJson, Page, PageQuery, patched};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_talk)
        .service(list_talks)
        .service(get_talk)
        .service(update_talk)
        .service(delete_talk);
}

/// The one place a talk's errors become HTTP answers.
impl From<TalkError> for ApiError {
    fn from(error: TalkError) -> Self {
        match error {
            TalkError::EventNotFound => ApiError::NotFound("event"),
            TalkError::NotFound => ApiError::NotFound("talk"),
            TalkError::Invalid(invalid) => invalid.into(),
            TalkError::Schedule { talk, conflict } => schedule_problem(conflict, Some(&talk)),
            TalkError::Database(error) => error.into(),
        }
    }
}

/// The 409 answer to a broken schedule rule, naming the talk concerned. `candidate` is the
/// title of the talk being written, if a talk is being written (rather than its event); a
/// problem with that talk itself names no other record in `conflict.with`.
pub fn schedule_problem(conflict: Conflict, candidate: Option<&str>) -> ApiError {
    let talk_ref = |(id, title): (Uuid, String)| ResourceRef::new("talk", id, title);
    let subject = candidate.map_or_else(String::new, |title| format!("\"{title}\" "));
    match conflict {
        Conflict::OutsideEvent { talk } => ApiError::conflict(
            ConflictKind::OutsideEvent,
            match candidate {
                Some(_) => format!("the talk {subject}must lie within the event's start and end"),
                None => format!(
                    "the talk \"{}\" would no longer lie within the event",
                    talk.1
                ),
            },
            candidate.is_none().then(|| talk_ref(talk)),
        ),
        Conflict::RoomNotInVenue { talk } => ApiError::conflict(
            ConflictKind::RoomNotInVenue,
            match candidate {
                Some(_) => {
                    format!("the talk {subject}uses a room that is not in the event's venue")
                }
                None => format!(
                    "the talk \"{}\" uses a room that is not in the event's venue",
                    talk.1
                ),
            },
            candidate.is_none().then(|| talk_ref(talk)),
        ),
        Conflict::RoomOverlap { existing } => ApiError::conflict(
            ConflictKind::RoomOverlap,
            format!(
                "the room is taken at that time by the talk \"{}\"",
                existing.1
            ),
            Some(talk_ref(existing)),
        ),
        Conflict::SpeakerOverlap {
            existing,
            speaker_id,
        } => ApiError::conflict(
            ConflictKind::SpeakerOverlap,
            format!(
                "speaker {speaker_id} gives the talk \"{}\" at the same time",
                existing.1
            ),
            Some(talk_ref(existing)),
        ),
    }
}

/// Add a talk (or panel, networking block, break) to an event's schedule.
///
/// 409 when the talk would not lie within the event, uses a room outside the event's venue,
/// takes a room another talk uses at that time, or puts a speaker in two places at once; the
/// problem's `conflict.with` names the talk it collides with.
#[utoipa::path(
    tag = "talks",
    params(("event_id" = Uuid, Path, description = "Event id")),
    request_body = TalkInput,
    responses(
        (status = 201, description = "The talk was scheduled", body = Talk),
        (status = 409, description = "The schedule would become inconsistent", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "/problems/conflict", "title": "Conflict", "status": 409,
                "detail": "the room is taken at that time by the talk \"신입 개발자로 살아남기\"",
                "conflict": {"kind": "room_overlap", "with": {"resource": "talk", "id": "01938f5e-6d2b-7c3a-9a1e-3b9f1c2d4e5f", "label": "신입 개발자로 살아남기"}}})),
    ),
)]
#[post("/events/{event_id}/talks")]
async fn create_talk(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    event_id: web::Path<Uuid>,
    body: ApiJson<TalkInput>,
) -> Result<HttpResponse, ApiError> {
    let talk = store::create_talk(&db, *event_id, body.0.parse()?).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/events/{}/talks/{}", talk.event_id, talk.id),
        ))
        .json(talk))
}

/// An event's schedule, in order of start time.
#[utoipa::path(
    tag = "talks",
    params(("event_id" = Uuid, Path, description = "Event id"), PageQuery),
    responses((status = 200, description = "One page of the schedule", body = Page<Talk>)),
)]
#[get("/events/{event_id}/talks")]
async fn list_talks(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    req: HttpRequest,
    event_id: web::Path<Uuid>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = page.limit()?;
    let event = load_event_row(db.get_ref(), *event_id).await?;
    let talks = store::list_event_talks(db.get_ref(), &event, page.cursor, Some(limit)).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(&req, talks, limit, |talk| talk.id)))
}

/// Get one talk.
#[utoipa::path(
    tag = "talks",
    params(("event_id" = Uuid, Path, description = "Event id"), ("talk_id" = Uuid, Path, description = "Talk id")),
    responses((status = 200, description = "The talk", body = Talk)),
)]
#[get("/events/{event_id}/talks/{talk_id}")]
async fn get_talk(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, talk_id) = path.into_inner();
    let event = load_event_row(db.get_ref(), event_id).await?;
    Ok(HttpResponse::Ok().json(store::load_talk(db.get_ref(), &event, talk_id).await?))
}

/// Change a talk: a JSON merge patch (RFC 7396) over its fields, checked like a new talk.
#[utoipa::path(
    tag = "talks",
    params(("event_id" = Uuid, Path, description = "Event id"), ("talk_id" = Uuid, Path, description = "Talk id")),
    request_body(content = serde_json::Value, description = "Fields of TalkInput to change",
        example = json!({"starts_at": "2026-05-16T15:00:00+09:00", "ends_at": "2026-05-16T15:20:00+09:00"})),
    responses(
        (status = 200, description = "The updated talk", body = Talk),
        (status = 409, description = "The schedule would become inconsistent", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[patch("/events/{event_id}/talks/{talk_id}")]
async fn update_talk(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
    body: ApiJson<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, talk_id) = path.into_inner();
    let talk = store::update_talk(&db, event_id, talk_id, |current| {
        patched::<_, TalkInput>(&current, &body.0)?.parse()
    })
    .await?;
    Ok(HttpResponse::Ok().json(talk))
}

/// Remove a talk from the schedule.
#[utoipa::path(
    tag = "talks",
    params(("event_id" = Uuid, Path, description = "Event id"), ("talk_id" = Uuid, Path, description = "Talk id")),
    responses((status = 204, description = "The talk was removed")),
)]
#[delete("/events/{event_id}/talks/{talk_id}")]
async fn delete_talk(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, talk_id) = path.into_inner();
    store::delete_talk(&db, event_id, talk_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
