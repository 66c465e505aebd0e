//! The public API: the published event, for anyone without a token.

use actix_web::{HttpResponse, get, web};
use sea_orm::DatabaseConnection;
use utoipa_actix_web::service_config::ServiceConfig;

use super::store::PublicError;
use super::{PublicEvent, load_public_event};
use crate::error::ApiError;

/// The one place public failures become HTTP answers.
impl From<PublicError> for ApiError {
    fn from(error: PublicError) -> Self {
        match error {
            PublicError::EventNotFound => ApiError::NotFound("event"),
            PublicError::Talks(error) => error.into(),
            PublicError::Database(error) => error.into(),
        }
    }
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_public_event);
}

/// A published (or closed, completed, cancelled) event with its venue, schedule and
/// speakers. Drafts answer 404.
#[utoipa::path(
    tag = "public",
    params(("slug" = String, Path, description = "Event slug", example = "1n-homecoming-2026")),
    responses((status = 200, description = "The event", body = PublicEvent)),
)]
#[get("/events/{slug}")]
async fn get_public_event(
    db: web::Data<DatabaseConnection>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(load_public_event(&db, &slug).await?))
}
