use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::store::{self, Speaker, SpeakerFilter};
use super::{SpeakerError, SpeakerInput};
use crate::auth::Organizer;
use crate::error::{ApiError, ConflictKind, Problem, ResourceRef};
use crate::extract::{ApiJson, Page, PageQuery, patched};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_speaker)
        .service(list_speakers)
        .service(get_speaker)
        .service(update_speaker)
        .service(delete_speaker);
}

/// The one place a speaker's errors become HTTP answers.
impl From<SpeakerError> for ApiError {
    fn from(error: SpeakerError) -> Self {
        match error {
            SpeakerError::NotFound => ApiError::NotFound("speaker"),
            SpeakerError::Invalid(invalid) => invalid.into(),
            SpeakerError::GivesTalk { talk_id, talk } => ApiError::conflict(
                ConflictKind::InUse,
                format!("the speaker gives the talk \"{talk}\"; remove them from it first"),
                Some(ResourceRef::new("talk", talk_id, talk)),
            ),
            SpeakerError::Database(error) => error.into(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct SpeakerQuery {
    /// Only speakers whose name contains this text (case-insensitive).
    name: Option<String>,
    /// Only speakers with this topic tag.
    tag: Option<String>,
}

/// Add a speaker.
#[utoipa::path(
    tag = "speakers",
    request_body = SpeakerInput,
    responses((status = 201, description = "The speaker was added", body = Speaker)),
)]
#[post("/speakers")]
async fn create_speaker(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    body: ApiJson<SpeakerInput>,
) -> Result<HttpResponse, ApiError> {
    let speaker = store::create_speaker(&db, body.0.parse()?).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/speakers/{}", speaker.id)))
        .json(speaker))
}

/// List speakers, oldest first, optionally filtered by name or tag.
#[utoipa::path(
    tag = "speakers",
    params(PageQuery, SpeakerQuery),
    responses((status = 200, description = "One page of speakers", body = Page<Speaker>)),
)]
#[get("/speakers")]
async fn list_speakers(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    req: HttpRequest,
    page: web::Query<PageQuery>,
    query: web::Query<SpeakerQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = page.limit()?;
    let filter = SpeakerFilter {
        name: query.name.clone(),
        tag: query.tag.clone(),
    };
    let rows = store::list_speakers(&db, &filter, page.cursor, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(&req, rows, limit, |speaker| speaker.id)))
}

/// Get a speaker.
#[utoipa::path(
    tag = "speakers",
    params(("id" = Uuid, Path, description = "Speaker id")),
    responses((status = 200, description = "The speaker", body = Speaker)),
)]
#[get("/speakers/{id}")]
async fn get_speaker(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let speaker = store::load_speaker(db.get_ref(), *id)
        .await?
        .ok_or(ApiError::NotFound("speaker"))?;
    Ok(HttpResponse::Ok().json(speaker))
}

/// Change a speaker: a JSON merge patch (RFC 7396) over the speaker's fields.
#[utoipa::path(
    tag = "speakers",
    params(("id" = Uuid, Path, description = "Speaker id")),
    request_body(content = serde_json::Value, description = "Fields of SpeakerInput to change",
        example = json!({"affiliation": "Kakao", "job_title": "Engineering Manager"})),
    responses((status = 200, description = "The updated speaker", body = Speaker)),
)]
#[patch("/speakers/{id}")]
async fn update_speaker(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    id: web::Path<Uuid>,
    body: ApiJson<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let speaker = store::update_speaker(&db, *id, |current| {
        patched::<_, SpeakerInput>(&current, &body.0)?.parse()
    })
    .await?;
    Ok(HttpResponse::Ok().json(speaker))
}

/// Delete a speaker (409 while they are on a talk).
#[utoipa::path(
    tag = "speakers",
    params(("id" = Uuid, Path, description = "Speaker id")),
    responses(
        (status = 204, description = "The speaker was deleted"),
        (status = 409, description = "The speaker is on a talk", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[delete("/speakers/{id}")]
async fn delete_speaker(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    store::delete_speaker(&db, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
