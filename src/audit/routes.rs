//! `GET /api/v1/audit-log`: the log, newest first, one page at a time.

use actix_web::{HttpRequest, HttpResponse, get, web};
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::store::{self, AuditFilter, Entry};
use crate::auth::Organizer;
use crate::error::ApiError;
use crate::extract::next_link;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(audit_log);
}

/// Entries per page unless asked otherwise, and the most a page holds.
pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 200;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct AuditQuery {
    /// Entries per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u64>,
    /// The `next_before` of the previous page: only entries older than this one.
    before: Option<Uuid>,
    /// Only changes to this event and what belongs to it.
    event_id: Option<Uuid>,
    /// Only changes by this organizer.
    organizer_id: Option<Uuid>,
}

/// One page of the log, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<Entry>,
    /// Pass as `before` to get the next (older) page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_before: Option<Uuid>,
    /// The next page's URL (path and query), absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// The audit log: every change an organizer made, through the console or the API (and
/// which token), newest first, with the changed fields before and after.
#[utoipa::path(
    tag = "audit",
    params(AuditQuery),
    responses((status = 200, description = "One page of the log", body = AuditPage)),
)]
#[get("/audit-log")]
async fn audit_log(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    req: HttpRequest,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = match query.limit {
        None => DEFAULT_LIMIT,
        Some(limit @ 1..=MAX_LIMIT) => limit,
        Some(_) => {
            return Err(ApiError::field(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
    };
    let filter = AuditFilter {
        event_id: query.event_id,
        organizer_id: query.organizer_id,
    };
    let mut items = store::list(db.get_ref(), &filter, query.before, limit).await?;
    let more = items.len() as u64 > limit;
    items.truncate(limit as usize);
    let next_before = items.last().map(|entry| entry.id).filter(|_| more);
    Ok(HttpResponse::Ok().json(AuditPage {
        next: next_before.map(|before| next_link(&req, "before", before)),
        next_before,
        items,
    }))
}
