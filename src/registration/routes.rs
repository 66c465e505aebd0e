use actix_web::{HttpRequest, HttpResponse, get, http::header, patch, post, web};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::questions::{self, event_questions};
use super::store::{
    self, CheckIn, EventStats, Locator, RegisterOutcome, Registered, Registration,
    RegistrationFilter,
};
use super::{Answer, RegistrationInput, RegistrationStatus};
use crate::auth::Organizer;
use crate::csv_download::csv_download;
use crate::error::{ApiError, Problem};
use crate::events::load_event_row;
use crate::extract::{ApiJson, Page, PageQuery};

/// Where people reach the service, for links such as the manage link.
#[derive(Debug, Clone)]
pub struct PublicBaseUrl(pub String);

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_registrations)
        .service(export_registrations)
        .service(get_registration)
        .service(update_registration)
        .service(cancel_registration)
        .service(approve_registration)
        .service(reject_registration)
        .service(check_in)
        .service(event_stats)
        .configure(questions::configure);
}

/// The operations anyone may call, without an organizer token.
pub fn configure_public(cfg: &mut ServiceConfig) {
    cfg.service(register);
}

/// Register for a published event whose registration window is open (no token needed).
///
/// The answer says whether the seat is `confirmed`, the person is `waitlisted` (with their
/// position) or `pending` approval, and gives the personal `manage_url` once. A second
/// registration of the same email (compared case-insensitively) changes nothing and answers
/// 409 `already_registered`. With an `Idempotency-Key` header, a retry returns the first
/// answer (without the manage link, which is stored only as a hash) and creates nothing.
#[utoipa::path(
    tag = "public",
    params(
        ("event_id" = Uuid, Path, description = "Event id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Any unique string (1 to 200 visible ASCII characters) identifying this attempt"),
    ),
    request_body = RegistrationInput,
    responses(
        (status = 201, description = "Registered", body = Registered),
        (status = 404, description = "No such event", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already registered, registration not open or closed, or a request with this key is in progress", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/events/{event_id}/registrations")]
async fn register(
    db: web::Data<DatabaseConnection>,
    base_url: web::Data<PublicBaseUrl>,
    req: HttpRequest,
    event_id: web::Path<Uuid>,
    body: ApiJson<RegistrationInput>,
) -> Result<HttpResponse, ApiError> {
    let key = idempotency_key(&req)?;
    match store::register(&db, *event_id, &body.0, key.as_deref(), &base_url.0).await? {
        RegisterOutcome::Created(registered) => Ok(HttpResponse::Created()
            .insert_header((
                header::LOCATION,
                format!(
                    "/api/v1/events/{}/registrations/{}",
                    registered.registration.event_id, registered.registration.id
                ),
            ))
            .json(registered)),
        RegisterOutcome::Replayed { status, body } => Ok(HttpResponse::build(
            actix_web::http::StatusCode::from_u16(status).map_err(anyhow::Error::from)?,
        )
        .insert_header(("Idempotent-Replayed", "true"))
        .content_type("application/json")
        .body(body)),
    }
}

fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get("Idempotency-Key") else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key) if (1..=200).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(Some(key.to_string()))
        }
        _ => Err(ApiError::BadRequest(
            "the Idempotency-Key header must be 1 to 200 visible ASCII characters".into(),
        )),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct RegistrationQuery {
    /// Only registrations in this status.
    status: Option<RegistrationStatus>,
    /// Part of the name or email (case-insensitive).
    q: Option<String>,
}

/// The registrations of an event, oldest first.
#[utoipa::path(
    tag = "registrations",
    params(("event_id" = Uuid, Path, description = "Event id"), PageQuery, RegistrationQuery),
    responses((status = 200, description = "One page of registrations", body = Page<Registration>)),
)]
#[get("/events/{event_id}/registrations")]
async fn list_registrations(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    req: HttpRequest,
    event_id: web::Path<Uuid>,
    page: web::Query<PageQuery>,
    query: web::Query<RegistrationQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = page.limit()?;
    load_event_row(db.get_ref(), *event_id).await?;
    let filter = RegistrationFilter {
        status: query.status,
        search: query.q.clone(),
    };
    let rows = store::list(&db, *event_id, &filter, page.cursor, Some(limit)).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(&req, rows, limit, |row| row.id)))
}

/// All registrations of an event as CSV (UTF-8 with a byte order mark, so spreadsheet
/// programs show Korean correctly), one column per custom question.
#[utoipa::path(
    tag = "registrations",
    params(("event_id" = Uuid, Path, description = "Event id")),
    responses((status = 200, description = "The CSV file", content_type = "text/csv", body = String)),
)]
#[get("/events/{event_id}/exports/registrations.csv")]
async fn export_registrations(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    event_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let event = load_event_row(db.get_ref(), *event_id).await?;
    let questions = event_questions(db.get_ref(), event.id).await?;
    let filter = RegistrationFilter {
        status: None,
        search: None,
    };
    let rows = store::list(&db, event.id, &filter, None, None).await?;
    let mut heading: Vec<String> = [
        "name",
        "email",
        "status",
        "waitlist_position",
        "role",
        "admission_year",
        "graduation_year",
        "affiliation",
        "job_title",
        "interests",
        "interests_other",
        "goals",
        "consent_share",
        "language",
        "checkin_code",
        "checked_in_at",
        "registered_at",
    ]
    .iter()
    .map(|column| column.to_string())
    .collect();
    heading.extend(questions.iter().map(|question| question.label.clone()));
    let mut records = vec![heading];
    for row in rows {
        let mut record = vec![
            row.name.clone(),
            row.email.clone().unwrap_or_default(),
            row.status.as_str().to_string(),
            row.waitlist_position
                .map(|p| p.to_string())
                .unwrap_or_default(),
            row.role.as_str().to_string(),
            row.admission_year
                .map(|y| y.to_string())
                .unwrap_or_default(),
            row.graduation_year
                .map(|y| y.to_string())
                .unwrap_or_default(),
            row.affiliation.clone().unwrap_or_default(),
            row.job_title.clone().unwrap_or_default(),
            row.interests.join(", "),
            row.interests_other.clone().unwrap_or_default(),
            serde_json::to_value(&row.goals)
                .ok()
                .and_then(|goals| goals.as_array().cloned())
                .unwrap_or_default()
                .iter()
                .filter_map(|goal| goal.as_str().map(str::to_string))
                .collect::<Vec<_>>()
                .join(", "),
            row.consent_share.to_string(),
            row.language.as_str().to_string(),
            row.checkin_code.clone().unwrap_or_default(),
            row.checked_in_at
                .map(|at| at.to_rfc3339())
                .unwrap_or_default(),
            row.created_at.to_rfc3339(),
        ];
        record.extend(
            questions
                .iter()
                .map(|question| match row.answers.get(&question.id) {
                    Some(Answer::Text(text)) => text.clone(),
                    Some(Answer::Choices(choices)) => choices.join(", "),
                    None => String::new(),
                }),
        );
        records.push(record);
    }
    csv_download(&format!("{}-registrations.csv", event.slug), records)
}

/// One registration.
#[utoipa::path(
    tag = "registrations",
    params(("event_id" = Uuid, Path, description = "Event id"), ("registration_id" = Uuid, Path, description = "Registration id")),
    responses((status = 200, description = "The registration", body = Registration)),
)]
#[get("/events/{event_id}/registrations/{registration_id}")]
async fn get_registration(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    Ok(HttpResponse::Ok()
        .json(store::find(db.get_ref(), &Locator::InEvent { event_id, id }).await?))
}

/// Change a registration's answers: a JSON merge patch (RFC 7396) over its fields, validated
/// like a new registration. The email cannot change; status changes have their own routes.
#[utoipa::path(
    tag = "registrations",
    params(("event_id" = Uuid, Path, description = "Event id"), ("registration_id" = Uuid, Path, description = "Registration id")),
    request_body(content = serde_json::Value, description = "Fields of RegistrationInput to change",
        example = json!({"affiliation": "Kakao"})),
    responses(
        (status = 200, description = "The updated registration", body = Registration),
        (status = 409, description = "The registration is no longer active", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[patch("/events/{event_id}/registrations/{registration_id}")]
async fn update_registration(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
    body: ApiJson<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    let registration =
        store::update_answers(&db, &Locator::InEvent { event_id, id }, &body.0).await?;
    Ok(HttpResponse::Ok().json(registration))
}

/// Cancel a registration; a freed seat goes to the head of the waitlist at once.
#[utoipa::path(
    tag = "registrations",
    params(("event_id" = Uuid, Path, description = "Event id"), ("registration_id" = Uuid, Path, description = "Registration id")),
    responses(
        (status = 200, description = "The cancelled registration", body = Registration),
        (status = 409, description = "Already cancelled or rejected", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/events/{event_id}/registrations/{registration_id}/cancel")]
async fn cancel_registration(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    Ok(HttpResponse::Ok().json(store::cancel(&db, &Locator::InEvent { event_id, id }).await?))
}

/// Approve a pending registration: a free seat, or the waitlist when the event is full.
#[utoipa::path(
    tag = "registrations",
    params(("event_id" = Uuid, Path, description = "Event id"), ("registration_id" = Uuid, Path, description = "Registration id")),
    responses(
        (status = 200, description = "The approved registration", body = Registration),
        (status = 409, description = "The registration is not pending", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/events/{event_id}/registrations/{registration_id}/approve")]
async fn approve_registration(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    Ok(
        HttpResponse::Ok()
            .json(store::decide(&db, &Locator::InEvent { event_id, id }, true).await?),
    )
}

/// Reject a pending registration.
#[utoipa::path(
    tag = "registrations",
    params(("event_id" = Uuid, Path, description = "Event id"), ("registration_id" = Uuid, Path, description = "Registration id")),
    responses(
        (status = 200, description = "The rejected registration", body = Registration),
        (status = 409, description = "The registration is not pending", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/events/{event_id}/registrations/{registration_id}/reject")]
async fn reject_registration(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    Ok(HttpResponse::Ok()
        .json(store::decide(&db, &Locator::InEvent { event_id, id }, false).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct CheckInInput {
    /// The code from the person's confirmation or QR code; case, spaces and hyphens are ignored.
    #[schema(example = "K7P-M2X")]
    code: String,
}

/// Mark a confirmed person as arrived. A second scan answers `already_checked_in` with the
/// time of the first; unknown codes are 422 and waitlisted, pending or cancelled
/// registrations 409.
#[utoipa::path(
    tag = "registrations",
    params(("event_id" = Uuid, Path, description = "Event id")),
    request_body = CheckInInput,
    responses(
        (status = 200, description = "Checked in (now or before)", body = CheckIn),
        (status = 409, description = "The registration is not confirmed", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/events/{event_id}/check-ins")]
async fn check_in(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    event_id: web::Path<Uuid>,
    body: ApiJson<CheckInInput>,
) -> Result<HttpResponse, ApiError> {
    load_event_row(db.get_ref(), *event_id).await?;
    Ok(HttpResponse::Ok().json(store::check_in(&db, *event_id, &body.0.code).await?))
}

/// Registration figures of an event.
#[utoipa::path(
    tag = "registrations",
    params(("event_id" = Uuid, Path, description = "Event id")),
    responses((status = 200, description = "The figures", body = EventStats)),
)]
#[get("/events/{event_id}/stats")]
async fn event_stats(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    event_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let event = load_event_row(db.get_ref(), *event_id).await?;
    Ok(HttpResponse::Ok().json(store::stats(&db, &event).await?))
}
