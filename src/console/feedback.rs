//! An event's feedback survey: its figures beside earlier years' (a table and a chart of the
//! average rating), the distribution of ratings, and the comments.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::chart::{self, Bar};
use super::people_words::{PeopleWords, people_words};
use super::records::{EventHead, Failure, event, events_by_start, next_event};
use super::{ConsolePage, Section, Signed, console_words, render, see_other};
use crate::clock::Clock;
use crate::feedback::{Aggregates, FeedbackReport, store};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/feedback").route(web::get().to(latest)))
        .service(web::resource("/events/{event_id}/feedback").route(web::get().to(show)));
}

/// The menu's "feedback": that of the latest event that has started (surveys follow an
/// event), else of the next one.
async fn latest(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    clock: web::Data<Clock>,
) -> HttpResponse {
    let now = clock.now();
    match events_by_start(db.get_ref()).await {
        Ok(events) => {
            let started = events.iter().rev().find(|event| event.starts_at <= now);
            match started.or_else(|| next_event(&events, now)) {
                Some(event) => see_other(&format!("/admin/events/{}/feedback", event.id)),
                None => see_other("/admin"),
            }
        }
        Err(error) => Failure::from(error).page(&req, &signed, Section::Feedback),
    }
}

/// One event's figures as a row of the comparison.
struct YearRow {
    title: String,
    this: bool,
    invited: u64,
    responses: u64,
    rate: String,
    average: String,
    yes: u64,
    maybe: u64,
    no: u64,
}

fn year_row(figures: &Aggregates, this: bool) -> YearRow {
    YearRow {
        title: figures.title.clone(),
        this,
        invited: figures.invited,
        responses: figures.responses,
        rate: format!("{:.0}%", figures.response_rate * 100.0),
        average: figures
            .average_rating
            .map(|average| format!("{average:.2}"))
            .unwrap_or_else(|| "–".into()),
        yes: figures.come_again.yes,
        maybe: figures.come_again.maybe,
        no: figures.come_again.no,
    }
}

#[derive(Template)]
#[template(path = "console/feedback.html")]
struct FeedbackPage {
    page: ConsolePage,
    pw: &'static PeopleWords,
    head: EventHead,
    surveyed: bool,
    years: Vec<YearRow>,
    chart: Option<String>,
    /// How many gave each rating, 1 to 5.
    distribution: Vec<(u8, u64)>,
    best_parts: Vec<String>,
    changes: Vec<String>,
}

async fn show(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    event_id: web::Path<Uuid>,
) -> HttpResponse {
    match feedback_page(&req, &signed, &db, *event_id).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(failure) => failure.page(&req, &signed, Section::Feedback),
    }
}

async fn feedback_page(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    event_id: Uuid,
) -> Result<FeedbackPage, Failure> {
    let event = event(db, event_id).await?;
    let FeedbackReport {
        event: figures,
        earlier,
    } = store::report(db, &event).await?;
    // Oldest first, as a year-over-year chart reads.
    let bars: Vec<Bar> = earlier
        .iter()
        .rev()
        .chain(std::iter::once(&figures))
        .filter_map(|year| {
            Some(Bar {
                label: year.starts_at.format("%Y").to_string(),
                value: year.average_rating?,
            })
        })
        .collect();
    let d = &figures.distribution;
    Ok(FeedbackPage {
        page: ConsolePage::new(
            req,
            signed,
            format!("{} · {}", console_words(signed.lang).feedback, event.title),
            Section::Feedback,
        ),
        pw: people_words(signed.lang),
        head: EventHead::new(&event, signed, Section::Feedback),
        surveyed: figures.invited > 0,
        years: std::iter::once(year_row(&figures, true))
            .chain(earlier.iter().map(|year| year_row(year, false)))
            .collect(),
        chart: chart::bars(&bars, Some(5.0)),
        distribution: vec![
            (5, d.five),
            (4, d.four),
            (3, d.three),
            (2, d.two),
            (1, d.one),
        ],
        best_parts: figures.best_parts,
        changes: figures.changes,
    })
}
