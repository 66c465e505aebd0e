//! `GET /events/{slug}`: the public event page.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};
use entity::event;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::card::{self, CardText};
use super::i18n::Words;
use super::{
    Link, Page, Privacy, Share, ShareImage, absolute, failure, link, negotiate, page_response,
    render_html,
};
use crate::clock::Clock;
use crate::events::EventStatus;
use crate::feedback;
use crate::page_cache::{PageCache, Variant, respond};
use crate::public::store::public_event_row;
use crate::public::{PublicEvent, PublicSpeaker, public_event};
use crate::registration::Language;
use crate::registration::routes::PublicBaseUrl;
use crate::registration::rules::{ClosedReason, closed_reason};
use crate::time_words;

/// How much of a speaker's bio the event page shows.
const SHORT_BIO_CHARS: usize = 280;

/// How much of the description a link preview or search result shows.
const SHARE_DESCRIPTION_CHARS: usize = 160;

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    page: Page,
    title: String,
    description: Option<String>,
    when: String,
    starts_iso: String,
    /// The schedule's times are in the event's zone, said in words.
    zone_note: String,
    cancelled: bool,
    /// The event is over: the page says so and keeps the schedule as it was.
    ended: bool,
    /// The survey has been mailed: the ended page points to it.
    survey_mailed: bool,
    venue: Option<VenueView>,
    /// None once the event is over: there is nothing left to say about registering.
    registration: Option<RegistrationBox>,
    schedule: Vec<TalkView>,
    speakers: Vec<SpeakerView>,
}

struct VenueView {
    name: String,
    address: String,
    map_url: Option<String>,
    directions: Option<String>,
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
    clock: web::Data<Clock>,
    base_url: web::Data<PublicBaseUrl>,
    slug: web::Path<String>,
) -> HttpResponse {
    let lang = negotiate(&req);
    let page = cache.get_or_build(&slug, Variant::Page(lang), async {
        let row = public_event_row(&db, &slug).await?;
        let event = public_event(&db, &row).await?;
        let now = clock.now();
        let survey_mailed =
            now >= row.ends_at && feedback::store::invitations_sent(db.get_ref(), row.id).await?;
        render_html(&event_page(
            lang,
            &row,
            event,
            now,
            survey_mailed,
            &base_url.0,
        ))
    });
    match page.await {
        Ok(page) => respond(&req, &page, page_response(StatusCode::OK, Privacy::Public)),
        Err(error) => failure(&req, lang, error),
    }
}

/// The page as of `now`; `survey_mailed` says whether the event's survey has gone out.
fn event_page(
    lang: Language,
    row: &event::Model,
    event: PublicEvent,
    now: DateTime<Utc>,
    survey_mailed: bool,
    base_url: &str,
) -> EventPage {
    let path = format!("/events/{}", event.slug);
    let cancelled = event.status == EventStatus::Cancelled;
    let ended = !cancelled && now >= event.ends_at;
    let registration = (!ended).then(|| registration_box(lang, row, &event, now));
    let when = time_words::event_when(
        event.starts_at.with_timezone(&Utc),
        event.ends_at.with_timezone(&Utc),
        &event.time_zone,
        lang,
    );
    let share = share(lang, &event, &when, base_url);
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
        page: Page::new(lang, event.title.clone(), &path).shared(share),
        when,
        starts_iso: event.starts_at.to_rfc3339(),
        zone_note: lang.times_in_zone(&time_words::zone_in_words(&event.time_zone, lang)),
        cancelled,
        ended,
        survey_mailed: ended && survey_mailed,
        venue: event.venue.map(|venue| VenueView {
            name: venue.name,
            address: venue.address,
            map_url: venue.map_url.filter(|url| is_web_url(url)),
            directions: venue.directions,
        }),
        title: event.title,
        description: event.description,
        registration,
        schedule,
        speakers,
    }
}

/// The link preview: the description (or, without one, when and where), and the share card.
fn share(lang: Language, event: &PublicEvent, when: &str, base_url: &str) -> Share {
    let description = match &event.description {
        // One line: previews show no line breaks.
        Some(text) => short(
            &text.split_whitespace().collect::<Vec<_>>().join(" "),
            SHARE_DESCRIPTION_CHARS,
        ),
        None => match &event.venue {
            Some(venue) => format!("{when} · {}", venue.name),
            None => when.to_string(),
        },
    };
    let card = CardText::of(event, lang);
    Share {
        description,
        url: absolute(base_url, &link(&format!("/events/{}", event.slug), lang)),
        image: Some(ShareImage {
            // `v` changes with the card's text, so previews that keep images fetch it anew.
            url: absolute(
                base_url,
                &format!(
                    "{}&v={}",
                    link(&format!("/events/{}/card.png", event.slug), lang),
                    card.version()
                ),
            ),
            alt: [Some(card.title), Some(card.when), card.venue]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
            width: card::WIDTH,
            height: card::HEIGHT,
        }),
    }
}

/// Register, join the waitlist, or why not (not open yet, closed).
fn registration_box(
    lang: Language,
    row: &event::Model,
    event: &PublicEvent,
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
            // The seat counter on the event row: no count of the registrations.
            let seats_left = i64::from(row.capacity.unwrap_or(0)) - row.confirmed_count.max(0);
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
                let until = time_words::until(closes.with_timezone(&Utc), &event.time_zone, lang);
                notices.push(lang.open_until(&until));
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
        bio: speaker
            .bio
            .as_deref()
            .map(|bio| short(bio, SHORT_BIO_CHARS)),
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

/// The first `max` characters, cut at a word when possible.
fn short(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
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
        assert_eq!(short(" short ", SHORT_BIO_CHARS), "short");
        let long = "word ".repeat(100);
        let shortened = short(&long, SHORT_BIO_CHARS);
        assert!(shortened.ends_with("word…"), "{shortened}");
        assert!(shortened.chars().count() <= SHORT_BIO_CHARS + 1);
        let hangul = "가".repeat(400);
        assert_eq!(
            short(&hangul, SHORT_BIO_CHARS).chars().count(),
            SHORT_BIO_CHARS + 1
        );
    }
}
