use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use sea_orm::DatabaseConnection;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::store::{self, Venue};
use super::{VenueError, VenueInput};
use crate::auth::Organizer;
use crate::error::{ApiError, ConflictKind, Problem, ResourceRef};
use crate::extract::{ApiJson, Page, PageQuery, patched};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_venue)
        .service(list_venues)
        .service(get_venue)
        .service(update_venue)
        .service(delete_venue);
}

/// The one place a venue's errors become HTTP answers.
impl From<VenueError> for ApiError {
    fn from(error: VenueError) -> Self {
        match error {
            VenueError::NotFound => ApiError::NotFound("venue"),
            VenueError::Invalid(invalid) => invalid.into(),
            VenueError::RoomInUse { talk_id, talk } => ApiError::conflict(
                ConflictKind::InUse,
                format!("a removed room is used by the talk \"{talk}\""),
                Some(ResourceRef::new("talk", talk_id, talk)),
            ),
            VenueError::UsedByEvent { event_id, event } => ApiError::conflict(
                ConflictKind::InUse,
                format!("the venue is used by the event \"{event}\""),
                Some(ResourceRef::new("event", event_id, event)),
            ),
            VenueError::Database(error) => error.into(),
        }
    }
}

/// Create a venue with its rooms.
#[utoipa::path(
    tag = "venues",
    request_body = VenueInput,
    responses((status = 201, description = "The venue was created", body = Venue)),
)]
#[post("/venues")]
async fn create_venue(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    body: ApiJson<VenueInput>,
) -> Result<HttpResponse, ApiError> {
    let new = body.0.parse()?;
    let venue = store::create_venue(&db, new).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/venues/{}", venue.id)))
        .json(venue))
}

/// List venues, oldest first.
#[utoipa::path(
    tag = "venues",
    params(PageQuery),
    responses((status = 200, description = "One page of venues", body = Page<Venue>)),
)]
#[get("/venues")]
async fn list_venues(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    req: HttpRequest,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = query.limit()?;
    let rows = store::list_venues(&db, query.cursor, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(&req, rows, limit, |venue| venue.id)))
}

/// Get a venue with its rooms.
#[utoipa::path(
    tag = "venues",
    params(("id" = Uuid, Path, description = "Venue id")),
    responses((status = 200, description = "The venue", body = Venue)),
)]
#[get("/venues/{id}")]
async fn get_venue(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let venue = store::load_venue(db.get_ref(), *id)
        .await?
        .ok_or(ApiError::NotFound("venue"))?;
    Ok(HttpResponse::Ok().json(venue))
}

/// Change a venue: a JSON merge patch (RFC 7396) over the venue's fields. A `rooms` array
/// replaces the list: keep a room by sending its `id`; a room left out is deleted (409 when a
/// talk uses it).
#[utoipa::path(
    tag = "venues",
    params(("id" = Uuid, Path, description = "Venue id")),
    request_body(content = serde_json::Value, description = "Fields of VenueInput to change",
        example = json!({"capacity": 200, "notes": "주차 가능"})),
    responses(
        (status = 200, description = "The updated venue", body = Venue),
        (status = 409, description = "A removed room is still used by a talk", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[patch("/venues/{id}")]
async fn update_venue(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    id: web::Path<Uuid>,
    body: ApiJson<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let venue = store::update_venue(&db, *id, |current| {
        patched::<_, VenueInput>(&current, &body.0)?.parse()
    })
    .await?;
    Ok(HttpResponse::Ok().json(venue))
}

/// Delete a venue and its rooms (409 while an event uses it).
#[utoipa::path(
    tag = "venues",
    params(("id" = Uuid, Path, description = "Venue id")),
    responses(
        (status = 204, description = "The venue was deleted"),
        (status = 409, description = "An event uses the venue", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[delete("/venues/{id}")]
async fn delete_venue(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    store::delete_venue(&db, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
