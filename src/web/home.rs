//! The site's own addresses: `/` (the list of upcoming and recent events), `/robots.txt` and
//! the favicon.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::DatabaseConnection;

use super::i18n::Words;
use super::{Page, Privacy, Share, absolute, failure, link, negotiate, render};
use crate::clock::Clock;
use crate::events::EventStatus;
use crate::public::{EventListing, list_public_events};
use crate::registration::Language;
use crate::registration::routes::PublicBaseUrl;
use crate::time_words;

/// How far back `/` lists events that have ended.
const RECENT: TimeDelta = TimeDelta::days(365);

const ROBOTS: &str = include_str!("../../assets/robots.txt");
const FAVICON: &[u8] = include_bytes!("../../assets/favicon.svg");

/// Static files may be kept a day.
const CACHE_A_DAY: &str = "public, max-age=86400";

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    upcoming: Vec<EventItem>,
    recent: Vec<EventItem>,
}

struct EventItem {
    href: String,
    title: String,
    when: String,
    venue: Option<String>,
    /// "Cancelled", where it is.
    label: Option<&'static str>,
}

pub async fn show(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    clock: web::Data<Clock>,
    base_url: web::Data<PublicBaseUrl>,
) -> HttpResponse {
    let lang = negotiate(&req);
    let now = clock.now();
    match list_public_events(&db, now - RECENT).await {
        Ok(events) => render(
            StatusCode::OK,
            Privacy::Public,
            &home_page(lang, events, now, &base_url.0),
        ),
        Err(error) => failure(&req, lang, error),
    }
}

fn home_page(
    lang: Language,
    events: Vec<EventListing>,
    now: DateTime<Utc>,
    base_url: &str,
) -> HomePage {
    let t = lang.t();
    let (upcoming, recent) = split(events, now);
    let item = |event: EventListing| EventItem {
        href: link(&format!("/events/{}", event.slug), lang),
        when: time_words::event_when(
            event.starts_at.with_timezone(&Utc),
            event.ends_at.with_timezone(&Utc),
            &event.time_zone,
            lang,
        ),
        label: (event.status == EventStatus::Cancelled).then_some(t.cancelled_label),
        title: event.title,
        venue: event.venue,
    };
    let page = Page::new(lang, t.site_name, "/").shared(Share {
        description: t.home_description.into(),
        url: absolute(base_url, &link("/", lang)),
        image: None,
    });
    HomePage {
        page,
        upcoming: upcoming.into_iter().map(item).collect(),
        recent: recent.into_iter().map(item).collect(),
    }
}

/// Events still to come or going on (soonest first), and those that have ended (latest
/// first), from a list in order of start.
fn split(events: Vec<EventListing>, now: DateTime<Utc>) -> (Vec<EventListing>, Vec<EventListing>) {
    let (upcoming, mut ended): (Vec<_>, Vec<_>) =
        events.into_iter().partition(|event| event.ends_at > now);
    ended.reverse();
    (upcoming, ended)
}

pub async fn robots() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, CACHE_A_DAY))
        .body(ROBOTS)
}

/// The favicon, at `/favicon.svg` (linked from every page) and at `/favicon.ico`, where
/// browsers look by themselves.
pub async fn favicon() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::CACHE_CONTROL, CACHE_A_DAY))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(FAVICON)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(slug: &str, starts: &str, ends: &str) -> EventListing {
        EventListing {
            slug: slug.into(),
            title: slug.into(),
            starts_at: DateTime::parse_from_rfc3339(starts).unwrap(),
            ends_at: DateTime::parse_from_rfc3339(ends).unwrap(),
            time_zone: "Asia/Seoul".into(),
            status: EventStatus::Published,
            venue: None,
        }
    }

    #[test]
    fn upcoming_events_come_soonest_first_and_ended_ones_latest_first() {
        let now = DateTime::parse_from_rfc3339("2030-05-18T15:00:00+09:00")
            .unwrap()
            .with_timezone(&Utc);
        let events = vec![
            event(
                "spring-2029",
                "2029-05-19T13:00:00+09:00",
                "2029-05-19T18:00:00+09:00",
            ),
            event(
                "winter-2029",
                "2029-12-01T13:00:00+09:00",
                "2029-12-01T18:00:00+09:00",
            ),
            event(
                "today",
                "2030-05-18T13:00:00+09:00",
                "2030-05-18T18:00:00+09:00",
            ),
            event(
                "autumn-2030",
                "2030-10-01T13:00:00+09:00",
                "2030-10-01T18:00:00+09:00",
            ),
        ];
        let (upcoming, ended) = split(events, now);
        let slugs =
            |events: &[EventListing]| events.iter().map(|e| e.slug.clone()).collect::<Vec<_>>();
        assert_eq!(
            slugs(&upcoming),
            ["today", "autumn-2030"],
            "going on counts as upcoming"
        );
        assert_eq!(slugs(&ended), ["winter-2029", "spring-2029"]);
    }
}
