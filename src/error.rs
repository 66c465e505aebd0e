//! The one error type of the HTTP API and its RFC 9457 `application/problem+json` rendering.

use actix_web::http::StatusCode;
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
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Machine-readable description of a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ConflictDetail {
    /// e.g. `room_overlap`, `speaker_overlap`, `outside_event`, `room_not_in_venue`,
    /// `in_use`, `invalid_transition`, `duplicate`.
    pub kind: String,
    /// The existing record the request collides with, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub with: Option<ResourceRef>,
}

/// A reference to another record, by id and a human-readable label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ResourceRef {
    /// `talk`, `event`, `speaker`, ...
    pub resource: String,
    pub id: Uuid,
    pub label: String,
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
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn conflict(kind: &str, detail: impl Into<String>, with: Option<ResourceRef>) -> Self {
        ApiError::Conflict {
            detail: detail.into(),
            conflict: ConflictDetail {
                kind: kind.into(),
                with,
            },
        }
    }

    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, message)])
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
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(error) = self {
            tracing::error!(error = ?error, "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        if matches!(self, ApiError::Unauthorized) {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        response.content_type(PROBLEM_JSON).json(self.problem())
    }
}

impl From<DbErr> for ApiError {
    fn from(error: DbErr) -> Self {
        // Constraint violations are races the explicit checks lost; they are conflicts, not bugs.
        match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => ApiError::conflict(
                "duplicate",
                "a record with the same unique value already exists",
                None,
            ),
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => ApiError::conflict(
                "in_use",
                "the change would break a reference between records",
                None,
            ),
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
