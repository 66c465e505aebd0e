use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::store::{self, Event, EventFilter};
use super::{EventError, EventInput, EventStatus};
use crate::auth::Organizer;
use crate::error::{ApiError, ConflictKind, Problem, ResourceRef};
use crate::extract::{ApiJson, Page, PageQuery, patched};
use crate::registration::links::ManageLinks;
use crate::talks::schedule_problem;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_event)
        .service(list_events)
        .service(get_event)
        .service(update_event)
        .service(delete_event);
}

/// The one place an event's errors become HTTP answers.
impl From<EventError> for ApiError {
    fn from(error: EventError) -> Self {
        match error {
            EventError::NotFound => ApiError::NotFound("event"),
            EventError::Invalid(invalid) => invalid.into(),
            EventError::SlugTaken {
                slug,
                event_id,
                event,
            } => ApiError::conflict(
                ConflictKind::Duplicate,
                format!("the slug \"{slug}\" is already used by the event \"{event}\""),
                Some(ResourceRef::new("event", event_id, event)),
            ),
            EventError::InvalidTransition { from, to } => ApiError::conflict(
                ConflictKind::InvalidTransition,
                format!(
                    "an event cannot go from {} to {}",
                    from.as_str(),
                    to.as_str()
                ),
                None,
            ),
            EventError::KeptAsHistory { status } => ApiError::conflict(
                ConflictKind::InvalidState,
                format!("a {status} event is kept as history; cancel it instead of deleting it"),
                None,
            ),
            EventError::Schedule(conflict) => schedule_problem(conflict, None),
            EventError::Registrations(error) => error.into(),
            EventError::Mail(error) => error.into(),
            EventError::Database(error) => error.into(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct EventQuery {
    /// Only events in this status.
    status: Option<EventStatus>,
    /// Only events starting in this calendar year (in the event's time zone).
    year: Option<i32>,
}

/// Create an event. It starts as a `draft`; publish it with `PATCH {"status": "published"}`.
#[utoipa::path(
    tag = "events",
    request_body = EventInput,
    responses(
        (status = 201, description = "The event was created", body = Event),
        (status = 409, description = "The slug is taken", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/events")]
async fn create_event(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    body: ApiJson<EventInput>,
) -> Result<HttpResponse, ApiError> {
    let event = store::create_event(&db, body.0.parse()?).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/events/{}", event.id)))
        .json(event))
}

/// List events, oldest first, optionally by status and year.
#[utoipa::path(
    tag = "events",
    params(PageQuery, EventQuery),
    responses((status = 200, description = "One page of events", body = Page<Event>)),
)]
#[get("/events")]
async fn list_events(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    req: HttpRequest,
    page: web::Query<PageQuery>,
    query: web::Query<EventQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = page.limit()?;
    let filter = EventFilter {
        status: query.status,
        year: query.year,
    };
    let rows = store::list_events(&db, &filter, page.cursor, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(&req, rows, limit, |event| event.id)))
}

/// Get an event.
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id")),
    responses((status = 200, description = "The event", body = Event)),
)]
#[get("/events/{id}")]
async fn get_event(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let row = store::load_event_row(db.get_ref(), *id).await?;
    Ok(HttpResponse::Ok().json(Event::try_from(row)?))
}

/// Change an event: a JSON merge patch (RFC 7396) over its fields, validated like a new
/// event. `status` moves it through its life cycle (409 for a transition that is not
/// allowed); moving it or changing its venue re-checks every talk (409 naming the first that
/// no longer fits). Publishing needs a venue and a capacity.
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id")),
    request_body(content = serde_json::Value, description = "Fields of EventInput to change",
        example = json!({"status": "published"})),
    responses(
        (status = 200, description = "The updated event", body = Event),
        (status = 409, description = "Transition not allowed, slug taken, or a talk would no longer fit", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[patch("/events/{id}")]
async fn update_event(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    links: web::Data<ManageLinks>,
    id: web::Path<Uuid>,
    body: ApiJson<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let event = store::update_event(&db, &links, *id, |current| {
        patched::<_, EventInput>(&current, &body.0)?.parse()
    })
    .await?;
    Ok(HttpResponse::Ok().json(event))
}

/// Delete a draft or cancelled event with its schedule (409 otherwise: cancel it instead).
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id")),
    responses(
        (status = 204, description = "The event was deleted"),
        (status = 409, description = "The event is neither a draft nor cancelled", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[delete("/events/{id}")]
async fn delete_event(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    store::delete_event(&db, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
