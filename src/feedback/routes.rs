use actix_web::{HttpResponse, get, web};
use sea_orm::DatabaseConnection;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::store;
use super::{FeedbackError, FeedbackReport};
use crate::auth::Organizer;
use crate::error::ApiError;
use crate::events::load_event_row;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_feedback);
}

/// The one place the survey's errors become HTTP answers.
impl From<FeedbackError> for ApiError {
    fn from(error: FeedbackError) -> Self {
        match error {
            FeedbackError::NotFound => ApiError::NotFound("feedback invitation"),
            FeedbackError::Database(error) => error.into(),
        }
    }
}

/// The feedback survey's figures for an event: invitations, responses, the rating's average
/// and distribution, "would you come again", and the comments; with the same figures for
/// every earlier event that sent the survey (newest first), to compare year over year.
#[utoipa::path(
    tag = "feedback",
    params(("id" = Uuid, Path, description = "Event id")),
    responses((status = 200, description = "The event's survey figures and earlier events'", body = FeedbackReport)),
)]
#[get("/events/{id}/feedback")]
async fn get_feedback(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let event = load_event_row(db.get_ref(), *id).await?;
    Ok(HttpResponse::Ok().json(store::report(db.get_ref(), &event).await?))
}
