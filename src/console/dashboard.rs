//! The console's first page: the figures of the next event (or the one chosen), a chart of
//! registrations per day, and links to what needs attention.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use entity::event;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::chart::{self, Bar};
use super::people_words::{PeopleWords, people_words};
use super::records::{EventHead, Failure, events_by_start, next_event};
use super::{ConsolePage, Section, Signed, console_words, render};
use crate::clock::Clock;
use crate::email::outbox::{self, OutboxStatus};
use crate::registration::figures::{self, EventStats};

#[derive(Template)]
#[template(path = "console/dashboard.html")]
struct DashboardPage {
    page: ConsolePage,
    pw: &'static PeopleWords,
    choices: Vec<Choice>,
    head: Option<EventHead>,
    shown: Option<Shown>,
    /// Registrations of the shown event waiting for approval.
    pending: u64,
    failed_mails: i64,
}

struct Choice {
    id: Uuid,
    title: String,
    selected: bool,
}

struct Shown {
    stats: EventStats,
    chart: Option<String>,
    days: Vec<(String, u64)>,
}

#[derive(serde::Deserialize)]
pub struct Query {
    event: Option<Uuid>,
}

pub async fn show(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    clock: web::Data<Clock>,
    query: web::Query<Query>,
) -> HttpResponse {
    match dashboard(&req, &signed, &db, clock.now(), query.event).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(failure) => failure.page(&req, &signed, Section::Dashboard),
    }
}

async fn dashboard(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
    chosen: Option<Uuid>,
) -> Result<DashboardPage, Failure> {
    let events = events_by_start(db).await?;
    let event = match chosen {
        Some(id) => Some(
            events
                .iter()
                .find(|event| event.id == id)
                .ok_or(Failure::NotFound)?,
        ),
        None => next_event(&events, now),
    };
    let shown = match event {
        Some(event) => Some(shown(db, event).await?),
        None => None,
    };
    let failed_mails = outbox::depth(db)
        .await?
        .by_status
        .into_iter()
        .find(|(status, _)| *status == OutboxStatus::Failed)
        .map_or(0, |(_, count)| count);
    Ok(DashboardPage {
        page: ConsolePage::new(
            req,
            signed,
            console_words(signed.lang).dashboard,
            Section::Dashboard,
        ),
        pw: people_words(signed.lang),
        choices: events
            .iter()
            .rev()
            .map(|choice| Choice {
                id: choice.id,
                title: choice.title.clone(),
                selected: event.is_some_and(|event| event.id == choice.id),
            })
            .collect(),
        head: event.map(|event| EventHead::new(event, signed, Section::Dashboard)),
        pending: shown.as_ref().map_or(0, |shown| shown.stats.pending),
        shown,
        failed_mails,
    })
}

async fn shown(db: &DatabaseConnection, event: &event::Model) -> Result<Shown, Failure> {
    let stats = figures::stats(db, event).await?;
    let per_day = figures::registrations_per_day(db, event).await?;
    let bars: Vec<Bar> = per_day
        .iter()
        .map(|(day, count)| Bar {
            label: day.format("%m-%d").to_string(),
            value: *count as f64,
        })
        .collect();
    Ok(Shown {
        stats,
        chart: chart::bars(&bars, None),
        days: per_day
            .into_iter()
            .map(|(day, count)| (day.format("%Y-%m-%d").to_string(), count))
            .collect(),
    })
}
