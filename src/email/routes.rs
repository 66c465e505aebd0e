use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::messages::MailError;
use super::outbox::{self, OutboxError, OutboxMessage, OutboxStatus};
use super::reminders::{self, Reminders, RemindersInput};
use crate::auth::Organizer;
use crate::clock::Clock;
use crate::error::{ApiError, ConflictKind, Problem};
use crate::events::load_event_row;
use crate::extract::{ApiJson, Page, PageQuery};

/// The one place a mail failure becomes an HTTP answer: both are the server's fault.
impl From<MailError> for ApiError {
    fn from(error: MailError) -> Self {
        match error {
            MailError::Render(error) => ApiError::Internal(error.into()),
            MailError::Database(error) => error.into(),
        }
    }
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_outbox)
        .service(retry_message)
        .service(get_reminders)
        .service(put_reminders);
}

/// The one place the outbox's errors become HTTP answers.
impl From<OutboxError> for ApiError {
    fn from(error: OutboxError) -> Self {
        match error {
            OutboxError::NotFound => ApiError::NotFound("outbox message"),
            OutboxError::NotFailed { status } => ApiError::conflict(
                ConflictKind::NotFailed,
                format!("only failed messages can be retried; this one is {status}"),
                None,
            ),
            OutboxError::Database(error) => error.into(),
        }
    }
}

/// An event's reminders: the offsets before the start and, for each, when it is due and
/// whether it has been queued.
#[utoipa::path(
    tag = "reminders",
    params(("id" = Uuid, Path, description = "Event id")),
    responses((status = 200, description = "The event's reminders", body = Reminders)),
)]
#[get("/events/{id}/reminders")]
async fn get_reminders(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    clock: web::Data<Clock>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let event = load_event_row(db.get_ref(), *id).await?;
    Ok(HttpResponse::Ok().json(reminders::reminders(db.get_ref(), &event, clock.now()).await?))
}

/// Replace an event's reminder offsets (default `["7d", "1d"]`). Reminders follow the event:
/// moving it moves them. A reminder already queued is not sent again.
#[utoipa::path(
    tag = "reminders",
    params(("id" = Uuid, Path, description = "Event id")),
    request_body = RemindersInput,
    responses(
        (status = 200, description = "The event's reminders", body = Reminders),
        (status = 422, description = "An offset is not like \"7d\", \"36h\" or \"90m\", is out of range or repeated", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[put("/events/{id}/reminders")]
async fn put_reminders(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    clock: web::Data<Clock>,
    id: web::Path<Uuid>,
    body: ApiJson<RemindersInput>,
) -> Result<HttpResponse, ApiError> {
    let offsets = body.0.parse()?;
    let reminders = reminders::set_reminders(&db, *id, &offsets, clock.now())
        .await?
        .ok_or(ApiError::NotFound("event"))?;
    Ok(HttpResponse::Ok().json(reminders))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct OutboxQuery {
    /// Only messages in this status.
    status: Option<OutboxStatus>,
    /// Only messages about this registration.
    registration_id: Option<Uuid>,
}

/// The outgoing emails, oldest first: what was sent, what waits for a retry and why, what
/// failed. Bodies are left out (they may hold a personal manage link).
#[utoipa::path(
    tag = "outbox",
    params(PageQuery, OutboxQuery),
    responses((status = 200, description = "One page of outbox messages", body = Page<OutboxMessage>)),
)]
#[get("/outbox")]
async fn list_outbox(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    req: HttpRequest,
    page: web::Query<PageQuery>,
    query: web::Query<OutboxQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = page.limit()?;
    let rows = outbox::list(
        db.get_ref(),
        query.status,
        query.registration_id,
        page.cursor,
        limit,
    )
    .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(&req, rows, limit, |row| row.id)))
}

/// Queue a failed message again, with a fresh attempt budget.
#[utoipa::path(
    tag = "outbox",
    params(("id" = Uuid, Path, description = "Outbox message id")),
    responses(
        (status = 200, description = "Queued again", body = OutboxMessage),
        (status = 409, description = "The message has not failed", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/outbox/{id}/retry")]
async fn retry_message(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(outbox::retry(&db, *id).await?))
}
