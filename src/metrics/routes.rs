//! `GET /metrics`: the Prometheus scrape endpoint, behind the scrapers' bearer token.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, web};
use prometheus_client::encoding::prometheus_text::CONTENT_TYPE;
use sea_orm::DatabaseConnection;
use utoipa_actix_web::service_config::ServiceConfig;

use super::Metrics;
use crate::auth::bearer_token;
use crate::error::{ApiError, PROBLEM_JSON, Problem, http_problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(metrics);
}

/// Metrics for Prometheus (text format 0.0.4): requests by route and status, registrations
/// by outcome, the outbox, the scheduler, the matcher and the database pool. Send the
/// metrics token (`HOMECOMING__METRICS__TOKEN`, not an organizer token) as
/// `Authorization: Bearer <token>`; while no token is configured the route answers 404.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "The metrics", body = String, content_type = "text/plain; version=0.0.4"),
        (status = 401, description = "Missing or wrong metrics token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Metrics are off: no metrics token is configured", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/metrics")]
async fn metrics(
    req: HttpRequest,
    metrics: web::Data<Metrics>,
    db: web::Data<DatabaseConnection>,
) -> Result<HttpResponse, ApiError> {
    match metrics.admits(bearer_token(req.headers())) {
        None => Err(ApiError::NotFound("metrics")),
        Some(false) => Ok(HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
            .content_type(PROBLEM_JSON)
            .json(http_problem(
                StatusCode::UNAUTHORIZED,
                Some("send the metrics token as `Authorization: Bearer <token>`".into()),
            ))),
        Some(true) => Ok(HttpResponse::Ok()
            .content_type(CONTENT_TYPE)
            .body(metrics.render(&db).await?)),
    }
}
