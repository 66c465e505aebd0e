//! The registration API, and the one place registration outcomes and errors become HTTP.

use actix_web::{HttpRequest, HttpResponse, delete, get, http::header, patch, post, web};
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::admission::{Attempt, Registered, Registrar};
use super::checkin::{self, CheckIn};
use super::figures::{self, EventStats};
use super::links::ManageLinks;
use super::questions;
use super::status::{self, Decision};
use super::store::{self, AnswersChange, Locator, Registration, RegistrationFilter};
use super::{Outcome, RegistrationError, RegistrationInput, RegistrationStatus, export};
use crate::auth::Organizer;
use crate::csv_download::csv_download;
use crate::error::{ApiError, ConflictKind, Problem};
use crate::events::load_event_row;
use crate::extract::{ApiJson, Page, PageQuery};
use crate::metrics::Metrics;
use crate::throttle::Throttles;

/// The longest `Idempotency-Key` accepted, as documented on the operation.
const MAX_IDEMPOTENCY_KEY_LEN: usize = 200;

impl From<RegistrationError> for ApiError {
    fn from(error: RegistrationError) -> Self {
        let conflict = |kind: ConflictKind, detail: String| ApiError::conflict(kind, detail, None);
        match error {
            RegistrationError::EventNotFound => ApiError::NotFound("event"),
            RegistrationError::RegistrationNotFound => ApiError::NotFound("registration"),
            RegistrationError::QuestionNotFound => ApiError::NotFound("question"),
            RegistrationError::Invalid(invalid) => invalid.into(),
            RegistrationError::NotYetOpen(opens_at) => conflict(
                ConflictKind::RegistrationNotOpen,
                format!(
                    "registration opens at {}",
                    opens_at.map(|at| at.to_rfc3339()).unwrap_or_default()
                ),
            ),
            RegistrationError::Closed => conflict(
                ConflictKind::RegistrationClosed,
                "registration is closed".into(),
            ),
            // The same words whether or not the mail was held back by the interval, so the
            // answer reveals nothing more than that the address is registered.
            RegistrationError::AlreadyRegistered => conflict(
                ConflictKind::AlreadyRegistered,
                "this email is already registered for the event; a link to the registration \
                 was mailed to that address"
                    .into(),
            ),
            RegistrationError::IdempotencyKeyReused => ApiError::field(
                "Idempotency-Key",
                "was already used with a different request; send a new key with a new request",
            ),
            RegistrationError::RequestInProgress => conflict(
                ConflictKind::RequestInProgress,
                "a request with this Idempotency-Key is still being processed; retry shortly"
                    .into(),
            ),
            RegistrationError::AlreadyInactive(status) => conflict(
                ConflictKind::NotActive,
                format!("the registration is already {}", status.as_str()),
            ),
            RegistrationError::CheckedIn => conflict(
                ConflictKind::InvalidState,
                "the person has checked in, so the registration can no longer be cancelled".into(),
            ),
            RegistrationError::Unchangeable(status) => conflict(
                ConflictKind::NotActive,
                format!("a {status} registration cannot be changed"),
            ),
            RegistrationError::NotPending(status) => conflict(
                ConflictKind::NotPending,
                format!(
                    "only pending registrations can be approved or rejected; this one is {status}"
                ),
            ),
            RegistrationError::NotConfirmed { name, status } => conflict(
                ConflictKind::NotConfirmed,
                format!(
                    "{name} cannot check in: the registration is {}",
                    status.as_str()
                ),
            ),
            RegistrationError::NotCheckedIn => conflict(
                ConflictKind::InvalidState,
                "the person has not checked in, so there is no check-in to undo".into(),
            ),
            RegistrationError::CapacityBelowConfirmed(confirmed) => conflict(
                ConflictKind::CapacityBelowConfirmed,
                format!(
                    "{confirmed} people are already confirmed; the capacity cannot go below that"
                ),
            ),
            RegistrationError::Busy => ApiError::Busy,
            RegistrationError::Mail(error) => ApiError::Internal(error),
            RegistrationError::Database(error) => error.into(),
        }
    }
}

/// The answer to a new registration: the registration and, once only, its manage link.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Registered)]
pub struct RegisteredBody {
    #[serde(flatten)]
    pub registration: Registration,
    /// The personal link to see, change or cancel the registration, also mailed to the
    /// person. A replay of an idempotent request leaves it out: the key is no credential.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manage_url: Option<String>,
}

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
        .service(undo_check_in)
        .service(event_stats)
        .configure(questions::routes::configure);
}

/// The operations anyone may call, without an organizer token.
pub fn configure_public(cfg: &mut ServiceConfig) {
    cfg.service(register);
}

/// Register for a published event whose registration window is open (no token needed).
///
/// The answer says whether the seat is `confirmed`, the person is `waitlisted` (with their
/// position) or `pending` approval, and gives the personal `manage_url`. A second
/// registration of the same email (compared case-insensitively) changes nothing, revokes no
/// link, and answers 409 `already_registered`; the link to the registration is mailed to the
/// address (at most once per `limits.manage_link_mail_interval_secs`, the answer the same
/// either way). With an `Idempotency-Key` header, a retry of the same request
/// (same body) within 24 hours returns the registration the first one made, as it is now
/// (without the manage link), and creates nothing; the same
/// key with a different body answers 422.
#[utoipa::path(
    tag = "public",
    params(
        ("event_id" = Uuid, Path, description = "Event id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Any unique string (1 to 200 visible ASCII characters) identifying this attempt"),
    ),
    request_body = RegistrationInput,
    responses(
        (status = 201, description = "Registered", body = RegisteredBody),
        (status = 404, description = "No such event", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already registered, registration not open or closed, or a request with this key is in progress", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid, or the Idempotency-Key was used with a different body", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many registrations from this address (`limits.registrations_per_minute`); try again after `Retry-After` seconds", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u32, description = "Seconds to wait before trying again"))),
    ),
)]
#[post("/events/{event_id}/registrations")]
async fn register(
    db: web::Data<DatabaseConnection>,
    registrar: web::Data<Registrar>,
    metrics: web::Data<Metrics>,
    req: HttpRequest,
    event_id: web::Path<Uuid>,
    throttles: web::Data<Throttles>,
    body: ApiJson<RegistrationInput>,
) -> Result<HttpResponse, ApiError> {
    if let (Some(limit), Some(client)) = (&throttles.registrations, throttles.client(&req))
        && let Err(wait) = limit.check(client)
    {
        tracing::warn!(ip = %client, "registration rate limit reached");
        metrics.registration(Outcome::Throttled);
        return Err(ApiError::TooManyRequests {
            detail: "too many registrations from this address".into(),
            retry_after_secs: wait.as_secs() + 1,
        });
    }
    let key = idempotency_key(&req)?;
    let attempt = registrar
        .register_once(&db, *event_id, &body.0, key.as_deref())
        .await;
    metrics.registration(match &attempt {
        Ok(Attempt::Registered(registered)) => Outcome::of_status(registered.registration.status),
        Ok(Attempt::Replay(_)) => Outcome::Replayed,
        Err(error) => Outcome::of_error(error),
    });
    Ok(match attempt? {
        Attempt::Registered(Registered {
            registration,
            manage_url,
            ..
        }) => HttpResponse::Created()
            .insert_header((
                header::LOCATION,
                format!(
                    "/api/v1/events/{}/registrations/{}",
                    registration.event_id, registration.id
                ),
            ))
            .json(RegisteredBody {
                registration,
                manage_url: Some(manage_url),
            }),
        Attempt::Replay(registration) => HttpResponse::Created()
            .insert_header(("Idempotent-Replayed", "true"))
            .json(registration),
    })
}

fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get("Idempotency-Key") else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key)
            if (1..=MAX_IDEMPOTENCY_KEY_LEN).contains(&key.len())
                && key.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            Ok(Some(key.to_string()))
        }
        _ => Err(ApiError::BadRequest(format!(
            "the Idempotency-Key header must be 1 to {MAX_IDEMPOTENCY_KEY_LEN} visible ASCII characters"
        ))),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct RegistrationQuery {
    /// Only registrations in this status.
    status: Option<RegistrationStatus>,
    /// Part of the name, email or affiliation (case-insensitive).
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
    let rows = store::list(db.get_ref(), *event_id, &filter, page.cursor, Some(limit)).await?;
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
    let (filename, records) = export::event_export(db.get_ref(), *event_id).await?;
    csv_download(&filename, records)
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
        (status = 422, description = "A field is invalid: as on a new registration, the email changed, or `consent_share` changed after the event's networking tables were published", body = Problem, content_type = "application/problem+json"),
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
    let locator = Locator::InEvent { event_id, id };
    let registration = store::update_answers(&db, &locator, AnswersChange::Patch(&body.0)).await?;
    Ok(HttpResponse::Ok().json(registration))
}

/// Cancel a registration; a freed seat goes to the head of the waitlist at once.
#[utoipa::path(
    tag = "registrations",
    params(("event_id" = Uuid, Path, description = "Event id"), ("registration_id" = Uuid, Path, description = "Registration id")),
    responses(
        (status = 200, description = "The cancelled registration", body = Registration),
        (status = 409, description = "Already cancelled or rejected, or the person has checked in", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/events/{event_id}/registrations/{registration_id}/cancel")]
async fn cancel_registration(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    links: web::Data<ManageLinks>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    let locator = Locator::InEvent { event_id, id };
    Ok(HttpResponse::Ok().json(status::cancel(&db, &links, &locator).await?))
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
    links: web::Data<ManageLinks>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    let locator = Locator::InEvent { event_id, id };
    Ok(HttpResponse::Ok().json(status::decide(&db, &links, &locator, Decision::Approve).await?))
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
    links: web::Data<ManageLinks>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, id) = path.into_inner();
    let locator = Locator::InEvent { event_id, id };
    Ok(HttpResponse::Ok().json(status::decide(&db, &links, &locator, Decision::Reject).await?))
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
    Ok(HttpResponse::Ok().json(checkin::check_in(&db, *event_id, &body.0.code).await?))
}

/// Undo a mistaken check-in: the confirmed person counts as not arrived again and can be
/// checked in anew. Answers the registration as it is now; 409 when it has not checked in.
#[utoipa::path(
    tag = "registrations",
    params(
        ("event_id" = Uuid, Path, description = "Event id"),
        ("registration_id" = Uuid, Path, description = "Registration id"),
    ),
    responses(
        (status = 200, description = "The check-in was undone", body = Registration),
        (status = 409, description = "The registration has not checked in (or is not confirmed)", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[delete("/events/{event_id}/check-ins/{registration_id}")]
async fn undo_check_in(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, registration_id) = path.into_inner();
    load_event_row(db.get_ref(), event_id).await?;
    let registration = checkin::undo_check_in(&db, event_id, registration_id).await?;
    Ok(HttpResponse::Ok().json(registration))
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
    Ok(HttpResponse::Ok().json(figures::stats(&db, &event).await?))
}
