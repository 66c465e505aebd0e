use actix_web::{HttpRequest, HttpResponse, get, post, web};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::outbox::{self, OutboxMessage, OutboxStatus};
use crate::auth::Organizer;
use crate::error::{ApiError, Problem};
use crate::extract::{Page, PageQuery};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_outbox).service(retry_message);
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
