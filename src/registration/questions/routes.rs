//! The organizers' API for custom questions.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use sea_orm::DatabaseConnection;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::{Question, QuestionInput, store};
use crate::auth::Organizer;
use crate::error::ApiError;
use crate::events::load_event_row;
use crate::extract::ApiJson;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_questions)
        .service(create_question)
        .service(update_question)
        .service(delete_question);
}

/// The custom questions of an event's registration form, in form order.
#[utoipa::path(
    tag = "questions",
    params(("event_id" = Uuid, Path, description = "Event id")),
    responses((status = 200, description = "The questions", body = Vec<Question>)),
)]
#[get("/events/{event_id}/questions")]
async fn list_questions(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    event_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    load_event_row(db.get_ref(), *event_id).await?;
    Ok(HttpResponse::Ok().json(store::event_questions(db.get_ref(), *event_id).await?))
}

/// Add a custom question to the registration form.
#[utoipa::path(
    tag = "questions",
    params(("event_id" = Uuid, Path, description = "Event id")),
    request_body = QuestionInput,
    responses((status = 201, description = "The question was added", body = Question)),
)]
#[post("/events/{event_id}/questions")]
async fn create_question(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    event_id: web::Path<Uuid>,
    body: ApiJson<QuestionInput>,
) -> Result<HttpResponse, ApiError> {
    let question = store::create(&db, *event_id, &body.0).await?;
    Ok(HttpResponse::Created().json(question))
}

/// Change a question: a JSON merge patch (RFC 7396) over its fields. Answers already given
/// are kept as they were.
#[utoipa::path(
    tag = "questions",
    params(("event_id" = Uuid, Path, description = "Event id"), ("question_id" = Uuid, Path, description = "Question id")),
    request_body(content = serde_json::Value, description = "Fields of QuestionInput to change",
        example = json!({"required": true})),
    responses((status = 200, description = "The updated question", body = Question)),
)]
#[patch("/events/{event_id}/questions/{question_id}")]
async fn update_question(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
    body: ApiJson<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, question_id) = path.into_inner();
    let question = store::update(&db, event_id, question_id, &body.0).await?;
    Ok(HttpResponse::Ok().json(question))
}

/// Remove a question from the form (answers already given stay in the registrations).
#[utoipa::path(
    tag = "questions",
    params(("event_id" = Uuid, Path, description = "Event id"), ("question_id" = Uuid, Path, description = "Question id")),
    responses((status = 204, description = "The question was removed")),
)]
#[delete("/events/{event_id}/questions/{question_id}")]
async fn delete_question(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, question_id) = path.into_inner();
    store::delete(&db, event_id, question_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
