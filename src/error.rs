//! The one error type of the HTTP API and its RFC 9457 `application/problem+json` rendering.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use sea_orm::{DbErr, SqlErr};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::Invalid;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/validation",
    "title": "Invalid request",
    "status": 422,
    "detail": "1 field is invalid",
    "errors": [{"field": "ends_at", "message": "must be after starts_at"}]
}))]
pub struct Problem {
    /// URI reference identifying the problem type (`about:blank` for plain HTTP errors).
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// One entry per invalid field (validation problems only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// What the request collides with (conflict problems only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conflict: Option<ConflictDetail>,
}

/// One invalid input field: `field` is a path such as `rooms[1].capacity`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    // The problem in English, as the API gives it: `problem`'s text.
    pub message: String,
    /// What is wrong, for those who word it themselves (the registration form).
    #[serde(skip)]
    #[schema(ignore)]
    pub problem: FieldProblem,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: impl Into<FieldProblem>) -> Self {
        let problem = problem.into();
        Self {
            field: field.into(),
            message: problem.to_string(),
            problem,
        }
    }
}

/// What is wrong with a field. The registration form words each known problem in the page's
/// language; `Display` is the English message of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldProblem {
    /// Required text that is blank.
    Required,
    /// Single-line text with a line break or another control character.
    SingleLine,
    /// Multi-line text with a control character other than a line break or a tab.
    ControlCharacters,
    /// Text longer than `max` characters.
    TooLong { max: usize },
    /// Not an email address.
    Email,
    /// Not a year from `earliest` to `latest` (the bounds of `domain::Year`).
    Year { earliest: i32, latest: i32 },
    /// An interest that is not a topic of the event.
    NotATopic,
    /// A wanted speaker who is not a speaker of the event.
    NotASpeaker,
    /// A required question left unanswered.
    AnswerRequired,
    /// A single choice that is not one of the options.
    ChooseOne,
    /// Multiple choices not all among the options.
    ChooseAmong,
    /// Several answers to a question that takes one.
    SingleAnswer,
    /// A changed email on an existing registration.
    EmailFixed,
    /// A graduation year before the admission year.
    GraduationBeforeAdmission,
    /// A changed networking consent after the event's tables were published.
    TablesPublished,
    /// Any other problem, in English.
    Other(String),
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            FieldProblem::Required => "must not be empty",
            FieldProblem::SingleLine => "must be a single line without control characters",
            FieldProblem::ControlCharacters => "must not contain control characters",
            FieldProblem::TooLong { max } => return write!(f, "must be at most {max} characters"),
            FieldProblem::Email => "must be an email address such as name@example.com",
            FieldProblem::Year { earliest, latest } => {
                return write!(f, "must be a year between {earliest} and {latest}");
            }
            FieldProblem::NotATopic => "is not a topic of this event",
            FieldProblem::NotASpeaker => "is not a speaker of this event",
            FieldProblem::AnswerRequired => "this question needs an answer",
            FieldProblem::ChooseOne => "choose one of the options",
            FieldProblem::ChooseAmong => "choose among the options",
            FieldProblem::SingleAnswer => "give a single answer",
            FieldProblem::EmailFixed => "the email cannot be changed; cancel and register again",
            FieldProblem::GraduationBeforeAdmission => "must not be before the admission year",
            FieldProblem::TablesPublished => {
                "the networking tables are already published; ask the organizers to change it"
            }
            FieldProblem::Other(message) => message,
        };
        f.write_str(text)
    }
}

impl From<String> for FieldProblem {
    fn from(message: String) -> Self {
        FieldProblem::Other(message)
    }
}

impl From<&str> for FieldProblem {
    fn from(message: &str) -> Self {
        FieldProblem::Other(message.to_string())
    }
}

/// Machine-readable description of a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ConflictDetail {
    pub kind: ConflictKind,
    /// The existing record the request collides with, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub with: Option<ResourceRef>,
}

/// What a conflicting request collides with; on the wire in `snake_case`, e.g. `room_overlap`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Another record has the same unique value (a slug, an email).
    Duplicate,
    /// Another record still refers to this one.
    InUse,
    /// The record's status cannot change to the one asked for.
    InvalidTransition,
    /// The record's status does not allow the operation.
    InvalidState,
    /// The room is taken at that time by another talk.
    RoomOverlap,
    /// A speaker gives another talk at that time.
    SpeakerOverlap,
    /// A talk would not lie within its event.
    OutsideEvent,
    /// A talk uses a room that is not in its event's venue.
    RoomNotInVenue,
    /// The event's registration window has not opened yet.
    RegistrationNotOpen,
    /// The event's registration is closed.
    RegistrationClosed,
    /// The email already has an active registration for the event.
    AlreadyRegistered,
    /// More people are confirmed than the new capacity seats.
    CapacityBelowConfirmed,
    /// A request with the same idempotency key is still being processed.
    RequestInProgress,
    /// The registration is not active (cancelled or rejected).
    NotActive,
    /// The registration is not waiting for approval.
    NotPending,
    /// The registration is not confirmed.
    NotConfirmed,
    /// The outbox message has not failed.
    NotFailed,
}

/// A reference to another record, by id and a human-readable label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ResourceRef {
    /// `talk`, `event`, `speaker`, ...
    pub resource: String,
    pub id: Uuid,
    pub label: String,
}

impl ResourceRef {
    pub fn new(resource: &str, id: Uuid, label: impl Into<String>) -> Self {
        Self {
            resource: resource.into(),
            id,
            label: label.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("invalid request: {} field(s)", .0.len())]
    Validation(Vec<FieldError>),
    #[error("malformed request: {0}")]
    BadRequest(String),
    #[error("missing or invalid API token")]
    Unauthorized,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("conflict: {detail}")]
    Conflict {
        detail: String,
        conflict: ConflictDetail,
    },
    #[error("request body larger than {0} bytes")]
    PayloadTooLarge(usize),
    #[error("unsupported content type")]
    UnsupportedMediaType,
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// The database gave up waiting for a lock: nothing was written, try again shortly.
    #[error("the database is busy")]
    Busy,
    #[error("the request body did not arrive within {0} seconds")]
    RequestTimeout(u64),
    /// Too many requests from one client; it may try again after this many seconds.
    #[error("too many requests: retry after {retry_after_secs} s ({detail})")]
    TooManyRequests {
        detail: String,
        retry_after_secs: u64,
    },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn conflict(
        kind: ConflictKind,
        detail: impl Into<String>,
        with: Option<ResourceRef>,
    ) -> Self {
        ApiError::Conflict {
            detail: detail.into(),
            conflict: ConflictDetail { kind, with },
        }
    }

    pub fn field(field: impl Into<String>, problem: impl Into<FieldProblem>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, problem)])
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let (problem_type, title, detail) = match self {
            ApiError::Validation(errors) => (
                "/problems/validation",
                "Invalid request",
                Some(format!(
                    "{} field{} invalid",
                    errors.len(),
                    if errors.len() == 1 { " is" } else { "s are" }
                )),
            ),
            ApiError::BadRequest(detail) => (
                "/problems/malformed-request",
                "Malformed request",
                Some(detail.clone()),
            ),
            ApiError::Unauthorized => (
                "/problems/unauthorized",
                "Unauthorized",
                Some("send a valid organizer token as `Authorization: Bearer <token>`".into()),
            ),
            ApiError::NotFound(what) => (
                "about:blank",
                "Not Found",
                Some(format!("{what} not found")),
            ),
            ApiError::Conflict { detail, .. } => {
                ("/problems/conflict", "Conflict", Some(detail.clone()))
            }
            ApiError::PayloadTooLarge(limit) => (
                "about:blank",
                "Payload Too Large",
                Some(format!("the request body is larger than {limit} bytes")),
            ),
            ApiError::UnsupportedMediaType => (
                "about:blank",
                "Unsupported Media Type",
                Some("send the body as application/json".into()),
            ),
            ApiError::Unavailable(detail) => {
                ("about:blank", "Service Unavailable", Some(detail.clone()))
            }
            ApiError::Busy => (
                "about:blank",
                "Service Unavailable",
                Some("too many changes at once; nothing was saved, please try again".into()),
            ),
            ApiError::RequestTimeout(seconds) => (
                "about:blank",
                "Request Timeout",
                Some(format!(
                    "the request body did not arrive within {seconds} seconds"
                )),
            ),
            ApiError::TooManyRequests {
                detail,
                retry_after_secs,
            } => (
                "about:blank",
                "Too Many Requests",
                Some(format!("{detail}; retry in {retry_after_secs} seconds")),
            ),
            // Internals stay in the log; the client gets nothing it could exploit.
            ApiError::Internal(_) => ("about:blank", "Internal Server Error", None),
        };
        Problem {
            problem_type: problem_type.into(),
            title: title.into(),
            status: status.as_u16(),
            detail,
            errors: match self {
                ApiError::Validation(errors) => errors.clone(),
                _ => Vec::new(),
            },
            conflict: match self {
                ApiError::Conflict { conflict, .. } => Some(conflict.clone()),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unavailable(_) | ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(error) = self {
            tracing::error!(error = ?error, "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        match self {
            ApiError::Unauthorized => {
                response.insert_header(("WWW-Authenticate", "Bearer"));
            }
            ApiError::TooManyRequests {
                retry_after_secs, ..
            } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            ApiError::Busy => {
                response.insert_header((header::RETRY_AFTER, "1"));
            }
            // The client may send the request again, on a connection that is not stuck.
            ApiError::RequestTimeout(_) => {
                response.insert_header((header::CONNECTION, "close"));
            }
            _ => {}
        }
        response.content_type(PROBLEM_JSON).json(self.problem())
    }
}

impl From<DbErr> for ApiError {
    fn from(error: DbErr) -> Self {
        // Constraint violations are races the explicit checks lost; they are conflicts, not bugs.
        match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => ApiError::conflict(
                ConflictKind::Duplicate,
                "a record with the same unique value already exists",
                None,
            ),
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => ApiError::conflict(
                ConflictKind::InUse,
                "the change would break a reference between records",
                None,
            ),
            _ if crate::db::is_busy(&error) => ApiError::Busy,
            _ => ApiError::Internal(error.into()),
        }
    }
}

/// Input that broke a rule: a 422 listing every invalid field.
impl From<Invalid> for ApiError {
    fn from(Invalid(errors): Invalid) -> Self {
        ApiError::Validation(errors)
    }
}

/// A plain HTTP error as a problem document, for responses actix produces itself.
pub fn http_problem(status: StatusCode, detail: Option<String>) -> Problem {
    Problem {
        problem_type: "about:blank".into(),
        title: status.canonical_reason().unwrap_or("Error").into(),
        status: status.as_u16(),
        detail,
        errors: Vec::new(),
        conflict: None,
    }
}
