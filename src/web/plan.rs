//! `/plans/{plan_key}`: a networking session's table plan for the room's projector, outside
//! the API, reached by the session's random plan key. It shows first names and affiliations
//! only.

use std::sync::LazyLock;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sea_orm::DatabaseConnection;
use serde::Deserialize;

use crate::error::ApiError;
use crate::networking::store;
use crate::networking::tables::called;
use crate::web::{Privacy, content_security_policy, render_with_policy};

pub fn configure_pages(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/plans/{plan_key}").route(web::get().to(plan_page)));
}

/// The plan's own style sheet (big type for a projector), inlined like the pages' one.
const STYLE: &str = include_str!("../../templates/plan.css");

static CONTENT_SECURITY_POLICY: LazyLock<String> = LazyLock::new(|| content_security_policy(STYLE));

/// One round of the plan for a projector: big type, a box per table.
#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    style: &'static str,
    title: String,
    round: usize,
    rounds: Vec<usize>,
    tables: Vec<(usize, Vec<(String, String)>)>,
    plan_key: String,
}

#[derive(Debug, Deserialize)]
struct PlanQuery {
    round: Option<usize>,
}

async fn plan_page(
    db: web::Data<DatabaseConnection>,
    plan_key: web::Path<String>,
    query: web::Query<PlanQuery>,
) -> Result<HttpResponse, ApiError> {
    let row = store::find_by_plan_key(&db, &plan_key).await?;
    let seating = store::seating(db.get_ref(), row).await?;
    let round = query
        .round
        .unwrap_or(1)
        .clamp(1, seating.rounds.len().max(1));
    let tables = seating
        .rounds
        .get(round - 1)
        .map(|r| {
            r.tables
                .iter()
                .map(|table| {
                    let seats = table
                        .seats
                        .iter()
                        .map(|seat| {
                            (
                                called(&seat.name),
                                seat.affiliation.clone().unwrap_or_default(),
                            )
                        })
                        .collect();
                    (table.number, seats)
                })
                .collect()
        })
        .unwrap_or_default();
    let page = PlanPage {
        style: STYLE,
        title: seating.session.title,
        round,
        rounds: (1..=seating.rounds.len()).collect(),
        tables,
        plan_key: plan_key.into_inner(),
    };
    // Private: names and affiliations are not kept by caches or sent on as a referrer.
    Ok(render_with_policy(
        StatusCode::OK,
        Privacy::Private,
        &page,
        &CONTENT_SECURITY_POLICY,
    ))
}
