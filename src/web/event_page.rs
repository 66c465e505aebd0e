//! `GET /events/{slug}`: the public event page.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};
use entity::event;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::i18n::Words;
use super::{Link, Page, Privacy, failure, link, negotiate, page_response, render_html};
use crate::error::ApiError;
use crate::events::EventStatus;
use crate::page_cache::{PageCache, Variant, respond};
use crate::public::store::public_event_row;
use crate::public::{PublicEvent, PublicSpeaker, public_event};
use crate::registration::Language;
use crate::registration::rules::{ClosedReason, closed_reason};

/// How much of a speaker's bio the event page shows.
const SHORT_BIO_CHARS: usize = 280;

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    page: Page,
    title: String,
    description: Option<String>,
    when: String,
    starts_iso: String,
    zone_note: String,
    cancelled: bool,
    venue: Option<VenueView>,
    registration: RegistrationBox,
    schedule: Vec<TalkView>,
    speakers: Vec<SpeakerView>,
}

struct VenueView {
    name: String,
    address: String,
    map_url: Option<String>,
}

/// What the page says about registering, and the button if there is one.
struct RegistrationBox {
    notices: Vec<String>,
    button: Option<Link>,
}

struct TalkView {
    starts: String,
    ends: String,
    starts_iso: String,
    ends_iso: String,
    title: String,
    kind: &'static str,
    room: Option<String>,
    speakers: String,
    abstract_text: Option<String>,
}

struct SpeakerView {
    name: String,
    /// Cohort, affiliation and job title, e.g. "14학번 · Toss · Backend Engineer".
    line: String,
    bio: Option<String>,
    links: Vec<Link>,
}

/// Served from the page cache: the page is the same for everyone who asks in its language.
pub async fn show(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    cache: web::Data<PageCache>,
    slug: web::Path<String>,
) -> HttpResponse {
    let lang = negotiate(&req);
    let page = cache.get_or_build(&slug, Variant::Page(lang), async {
        let (row, event, confirmed) = load(&db, &slug).await?;
        render_html(&event_page(lang, &row, event, confirmed, Utc::now()))
    });
    match page.await {
        Ok(page) => respond(&req, &page, page_response(StatusCode::OK, Privacy::Public)),
        Err(error) => failure(&req, lang, error),
    }
}

async fn load(
    db: &DatabaseConnection,
    slug: &str,
) -> Result<(event::Model, PublicEvent, u64), ApiError> {
    let row = public_event_row(db, slug).await?;
    let event = public_event(db, &row).await?;
    // The seat counter on the event row: no count of the registrations.
    let confirmed = u64::try_from(row.confirmed_count).unwrap_or(0);
    Ok((row, event, confirmed))
}

fn event_page(
    lang: Language,
    row: &event::Model,
    event: PublicEvent,
    confirmed: u64,
    now: DateTime<Utc>,
) -> EventPage {
    let path = format!("/events/{}", event.slug);
    let registration = registration_box(lang, row, &event, confirmed, now);
    let rooms: HashMap<Uuid, String> = event
        .venue
        .iter()
        .flat_map(|venue| &venue.rooms)
        .map(|room| (room.id, room.name.clone()))
        .collect();
    let speaker_names: HashMap<Uuid, &str> = event
        .speakers
        .iter()
        .map(|speaker| (speaker.id, speaker.name.as_str()))
        .collect();
    let schedule = event
        .schedule
        .iter()
        .map(|talk| TalkView {
            starts: lang.time(&talk.starts_at),
            ends: lang.time(&talk.ends_at),
            starts_iso: talk.starts_at.to_rfc3339(),
            ends_iso: talk.ends_at.to_rfc3339(),
            title: talk.title.clone(),
            kind: lang.talk_kind(talk.kind),
            room: talk.room_id.and_then(|id| rooms.get(&id).cloned()),
            speakers: talk
                .speaker_ids
                .iter()
                .filter_map(|id| speaker_names.get(id).copied())
                .collect::<Vec<_>>()
                .join(", "),
            abstract_text: talk.abstract_text.clone(),
        })
        .collect();
    let speakers = event
        .speakers
        .iter()
        .map(|speaker| speaker_view(lang, speaker))
        .collect();
    EventPage {
        page: Page::new(lang, event.title.clone(), &path),
        when: lang.span(&event.starts_at, &event.ends_at),
        starts_iso: event.starts_at.to_rfc3339(),
        zone_note: lang.times_in_zone(&event.time_zone),
        cancelled: event.status == EventStatus::Cancelled,
        venue: event.venue.map(|venue| VenueView {
            name: venue.name,
            address: venue.address,
            map_url: venue.map_url.filter(|url| is_web_url(url)),
        }),
        title: event.title,
        description: event.description,
        registration,
        schedule,
        speakers,
    }
}

/// Register, join the waitlist, or why not (not open yet, closed).
fn registration_box(
    lang: Language,
    row: &event::Model,
    event: &PublicEvent,
    confirmed: u64,
    now: DateTime<Utc>,
) -> RegistrationBox {
    let t = lang.t();
    let register_href = link(&format!("/events/{}/register", event.slug), lang);
    match closed_reason(row, now) {
        Some(ClosedReason::NotYetOpen) => RegistrationBox {
            notices: vec![match &event.registration_opens_at {
                Some(opens) => lang.opens_at(&lang.date_time(opens)),
                None => t.not_open_notice.into(),
            }],
            button: None,
        },
        Some(ClosedReason::Closed) => RegistrationBox {
            notices: vec![t.closed_notice.into()],
            button: None,
        },
        None => {
            let mut notices = Vec::new();
            let seats_left = i64::from(row.capacity.unwrap_or(0)) - confirmed as i64;
            if row.requires_approval {
                notices.push(t.approval_notice.to_string());
            }
            let text = if seats_left > 0 {
                notices.push(lang.seats_left(seats_left));
                t.register_button
            } else {
                notices.push(t.full_notice.into());
                t.join_waitlist_button
            };
            if let Some(closes) = &event.registration_closes_at
                && closes < &event.ends_at
            {
                notices.push(lang.closes_at(&lang.date_time(closes)));
            }
            RegistrationBox {
                notices,
                button: Some(Link {
                    href: register_href,
                    text: text.into(),
                }),
            }
        }
    }
}

fn speaker_view(lang: Language, speaker: &PublicSpeaker) -> SpeakerView {
    let cohort = speaker
        .cohort
        .clone()
        .or_else(|| speaker.admission_year.map(|year| lang.admission_year(year)));
    let line = [
        cohort,
        speaker.affiliation.clone(),
        speaker.job_title.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    SpeakerView {
        name: speaker.name.clone(),
        line,
        bio: speaker.bio.as_deref().map(short),
        links: speaker
            .links
            .iter()
            .filter(|link| is_web_url(&link.url))
            .map(|link| Link {
                href: link.url.clone(),
                text: link.label.clone(),
            })
            .collect(),
    }
}

/// The first `SHORT_BIO_CHARS` characters, cut at a word when possible.
fn short(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= SHORT_BIO_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(SHORT_BIO_CHARS).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(space) if space > cut.len() / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end())
}

/// Only http(s) links become `href`s (the API checks this too; the page does not rely on it).
fn is_web_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_bios_are_shortened_at_a_word() {
        assert_eq!(short(" short "), "short");
        let long = "word ".repeat(100);
        let shortened = short(&long);
        assert!(shortened.ends_with("word…"), "{shortened}");
        assert!(shortened.chars().count() <= SHORT_BIO_CHARS + 1);
        let hangul = "가".repeat(400);
        assert_eq!(short(&hangul).chars().count(), SHORT_BIO_CHARS + 1);
    }
}
