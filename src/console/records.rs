//! What the follow-up pages (dashboard, registrations, people, mail, feedback) share: which
//! event a page is about, the event's sub-menu, times on the event's clock, and the one place
//! their failures become pages.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use entity::event;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryOrder};
use uuid::Uuid;

use super::people_words::people_words;
use super::sign_in::unavailable;
use super::{ConsolePage, Section, Signed};
use crate::domain::in_zone;
use crate::events::EventStatus;
use crate::registration::RegistrationError;
use crate::web::Link;

/// Why a follow-up page cannot be shown.
#[derive(Debug)]
pub enum Failure {
    NotFound,
    Database(DbErr),
}

impl From<DbErr> for Failure {
    fn from(error: DbErr) -> Self {
        Failure::Database(error)
    }
}

/// A registration that is not there is a page not found; anything else, a failure of the
/// service (the pages that change registrations word the expected refusals themselves).
impl From<RegistrationError> for Failure {
    fn from(error: RegistrationError) -> Self {
        match error {
            RegistrationError::EventNotFound | RegistrationError::RegistrationNotFound => {
                Failure::NotFound
            }
            RegistrationError::Database(error) => Failure::Database(error),
            error => Failure::Database(DbErr::Custom(error.to_string())),
        }
    }
}

impl Failure {
    pub fn page(self, req: &HttpRequest, signed: &Signed, section: Section) -> HttpResponse {
        match self {
            Failure::NotFound => {
                let w = people_words(signed.lang);
                super::message(
                    StatusCode::NOT_FOUND,
                    ConsolePage::new(req, signed, w.not_found, section),
                    w.not_found,
                    Some(Link {
                        href: "/admin".into(),
                        text: w.back_to_dashboard.into(),
                    }),
                )
            }
            Failure::Database(error) => unavailable(req, signed.lang, error),
        }
    }
}

/// Every event, earliest first (a homecoming has one a year, so they are few).
pub async fn events_by_start(db: &impl ConnectionTrait) -> Result<Vec<event::Model>, DbErr> {
    event::Entity::find()
        .order_by_asc(event::Column::StartsAt)
        .order_by_asc(event::Column::Id)
        .all(db)
        .await
}

/// The event an organizer most likely means: the next one not cancelled that has not ended
/// (the one running now included), else the latest one.
pub fn next_event(events: &[event::Model], now: DateTime<Utc>) -> Option<&event::Model> {
    events
        .iter()
        .find(|event| event.status != EventStatus::Cancelled && event.ends_at > now)
        .or_else(|| events.last())
}

/// The event `id`.
pub async fn event(db: &impl ConnectionTrait, id: Uuid) -> Result<event::Model, Failure> {
    event::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Failure::NotFound)
}

/// A moment not tied to an event (sign-ins, mail, tokens), in UTC to the minute.
pub fn utc_minute(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// An instant on the event's clock, to the minute.
pub fn local_time(at: DateTime<Utc>, zone: &str) -> String {
    in_zone(at, zone).format("%Y-%m-%d %H:%M").to_string()
}

/// Keeps the first `page` of `rows` (a store gives one more than a page when there is a
/// next one) and gives the address of the next page: `href` with the last id kept.
pub fn next_page<T>(
    rows: &mut Vec<T>,
    page: u64,
    id: impl Fn(&T) -> Uuid,
    href: impl FnOnce(Uuid) -> String,
) -> Option<String> {
    if rows.len() as u64 <= page {
        return None;
    }
    rows.truncate(page as usize);
    rows.last().map(|row| href(id(row)))
}

/// The head of an event's pages: its title and date, and links to its other pages.
pub struct EventHead {
    pub id: Uuid,
    pub title: String,
    pub date: String,
    pub links: Vec<EventLink>,
}

pub struct EventLink {
    pub href: String,
    pub text: &'static str,
    pub current: bool,
}

impl EventHead {
    pub fn new(event: &event::Model, signed: &Signed, current: Section) -> Self {
        let w = super::console_words(signed.lang);
        let link = |href: String, text, section| EventLink {
            href,
            text,
            current: section == current,
        };
        EventHead {
            id: event.id,
            title: event.title.clone(),
            date: in_zone(event.starts_at, &event.time_zone)
                .format("%Y-%m-%d")
                .to_string(),
            links: vec![
                link(
                    format!("/admin?event={}", event.id),
                    w.dashboard,
                    Section::Dashboard,
                ),
                link(
                    format!("/admin/events/{}/registrations", event.id),
                    w.registrations,
                    Section::Registrations,
                ),
                link(
                    format!("/admin/events/{}/networking", event.id),
                    w.networking,
                    Section::Networking,
                ),
                link(
                    format!("/admin/events/{}/feedback", event.id),
                    w.feedback,
                    Section::Feedback,
                ),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    fn event(days_from_now: i64, status: EventStatus, now: DateTime<Utc>) -> event::Model {
        let starts_at = now + TimeDelta::days(days_from_now);
        event::Model {
            id: Uuid::now_v7(),
            title: format!("{days_from_now}"),
            slug: format!("e{days_from_now}"),
            description: None,
            starts_at,
            ends_at: starts_at + TimeDelta::hours(5),
            time_zone: "Asia/Seoul".into(),
            local_year: 2026,
            venue_id: None,
            capacity: None,
            registration_opens_at: None,
            registration_closes_at: None,
            tags: "[]".into(),
            tags_en: "{}".into(),
            status,
            published_at: None,
            requires_approval: false,
            reminder_offsets: "[]".into(),
            calendar_sequence: 0,
            confirmed_count: 0,
            waitlisted_count: 0,
            last_waitlist_seq: 0,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn the_next_event_is_the_first_not_cancelled_and_not_over() {
        let now = Utc::now();
        let events = [
            event(-365, EventStatus::Completed, now),
            event(10, EventStatus::Cancelled, now),
            event(20, EventStatus::Published, now),
            event(400, EventStatus::Draft, now),
        ];
        assert_eq!(next_event(&events, now).unwrap().title, "20");
        // After the last one, the latest is shown.
        let later = now + TimeDelta::days(500);
        assert_eq!(next_event(&events, later).unwrap().title, "400");
        assert!(next_event(&[], now).is_none());
    }
}
