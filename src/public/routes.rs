//! The public API: the published event, for anyone without a token.

use actix_web::http::header::ContentType;
use actix_web::{HttpRequest, HttpResponse, get, web};
use sea_orm::DatabaseConnection;
use utoipa_actix_web::service_config::ServiceConfig;

use super::store::PublicError;
use super::{PublicEvent, load_public_event};
use crate::error::ApiError;
use crate::page_cache::{PageCache, Variant, respond};

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
///
/// Served from memory: at most a second old (an organizer's change through the same
/// instance shows at once). With the `ETag` of an earlier answer in `If-None-Match`, an
/// unchanged event answers 304 without a body.
#[utoipa::path(
    tag = "public",
    params(
        ("slug" = String, Path, description = "Event slug", example = "1n-homecoming-2026"),
        ("If-None-Match" = Option<String>, Header,
            description = "ETags of copies the client holds; 304 when one is current"),
    ),
    responses(
        (status = 200, description = "The event", body = PublicEvent,
            headers(("ETag" = String, description = "A hash of the body: equal content, equal ETag"))),
        (status = 304, description = "Not modified: the copy named in `If-None-Match` is current",
            headers(("ETag" = String, description = "The current ETag"))),
    ),
)]
#[get("/events/{slug}")]
async fn get_public_event(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    cache: web::Data<PageCache>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let event = cache.get_or_build(&slug, Variant::Json, async {
        let event = load_public_event(&db, &slug).await?;
        serde_json::to_vec(&event).map_err(|error| ApiError::Internal(error.into()))
    });
    let event = event.await?;
    let mut response = HttpResponse::Ok();
    response.content_type(ContentType::json());
    Ok(respond(&req, &event, response))
}
