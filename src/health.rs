//! Liveness and readiness probes for load balancers and orchestrators.

use actix_web::{HttpResponse, get, web};
use sea_orm::DatabaseConnection;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health).service(ready);
}

#[derive(Serialize, ToSchema)]
pub struct Status {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// The process is up and serving HTTP.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Up", body = Status)))]
#[get("/health")]
async fn health() -> HttpResponse {
    HttpResponse::Ok().json(Status { status: "ok" })
}

/// The service can reach its database (503 otherwise).
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Ready", body = Status),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/ready")]
async fn ready(db: web::Data<DatabaseConnection>) -> Result<HttpResponse, ApiError> {
    db.ping().await.map_err(|error| {
        tracing::warn!(%error, "database unreachable");
        ApiError::Unavailable("the database is unreachable".into())
    })?;
    Ok(HttpResponse::Ok().json(Status { status: "ok" }))
}
