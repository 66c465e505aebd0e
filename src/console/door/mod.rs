//! Door check-in at `/admin/events/{event_id}/check-in`, made for a phone in one hand: a live
//! count, a camera scanner, a typed code, a search by name, and a full-screen result with an
//! undo. It calls the same check-in functions as the API (`registration::checkin`).
//!
//! Everything works without script: the code and the search are plain forms, and a check-in
//! answers with a redirect to the person's result (`?code=`). The scanner (`scanner.js`, with
//! the vendored jsQR where the browser has no `BarcodeDetector`) only adds the camera and a
//! count that follows the other phones; this is the one console page that runs script, from
//! the service's own origin under its own policy. A ticket's QR code opens the same page with
//! `?code=`: it shows the person and checks them in only after a tap, since a GET changes
//! nothing.

mod words;

use std::sync::LazyLock;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::{
    ConsoleForm, ConsolePage, STYLE, Section, Signed, console_words, message, render_under,
    see_other,
};
use crate::events::{EventError, EventFilter, EventStatus, list_events, load_event_row};
use crate::registration::checkin::{self, Arrival, CheckInResult, DoorCount};
use crate::registration::store::{self as registrations, RegistrationFilter};
use crate::registration::{RegistrationError, RegistrationStatus};
use crate::secrets::normalize_code;
use crate::time_words::clock;
use crate::web::Link;
use crate::web::content_security_policy;
use words::{DoorWords, door_words};

/// The console's policy, and the door's own scripts, fetches (the check-in, the count) and
/// camera.
static POLICY: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{}; script-src 'self'; connect-src 'self'; media-src 'self' blob: mediastream:",
        content_security_policy(&STYLE)
    )
});

const SCANNER_JS: &str = include_str!("../../../assets/scanner.js");
/// jsQR 1.4.0 from the npm registry (Apache-2.0, `assets/vendor/jsQR.LICENSE`), loaded by the
/// scanner only where the browser cannot read QR codes itself.
const JSQR_JS: &str = include_str!("../../../assets/vendor/jsQR.js");

/// Names the vendored version, so the file can be cached for good.
const JSQR_PATH: &str = "/jsQR-1.4.0.js";

/// How many search results a phone shows.
const FOUND_MAX: u64 = 20;

/// The scripts are the same for everyone and hold nothing personal, so they sit outside the
/// session guard and may be cached.
pub fn configure_assets(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/scanner.js").route(web::get().to(scanner_js)))
        .service(web::resource(JSQR_PATH).route(web::get().to(jsqr_js)));
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/check-in").route(web::get().to(events)))
        .service(
            web::resource("/events/{event_id}/check-in")
                .route(web::get().to(show))
                .route(web::post().to(check_in)),
        )
        .service(web::resource("/events/{event_id}/check-in/undo").route(web::post().to(undo)))
        .service(web::resource("/events/{event_id}/check-in/count").route(web::get().to(count)));
}

async fn scanner_js() -> HttpResponse {
    script(SCANNER_JS, "no-cache")
}

async fn jsqr_js() -> HttpResponse {
    script(JSQR_JS, "public, max-age=31536000, immutable")
}

fn script(body: &'static str, cache: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static(cache)))
        .body(body)
}

fn door_path(event_id: Uuid) -> String {
    format!("/admin/events/{event_id}/check-in")
}

/// What the page opened with `?code=` says above the person, after a POST.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Done {
    /// This check-in was the first: green, not amber.
    CheckedIn,
    Undone,
}

impl Done {
    fn as_str(self) -> &'static str {
        match self {
            Done::CheckedIn => "checked-in",
            Done::Undone => "undone",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        [Done::CheckedIn, Done::Undone]
            .into_iter()
            .find(|done| done.as_str() == raw)
    }
}

/// The page for the person holding `code`, after `done`, scrolled to the result (on a phone
/// the console's menu would push it half off the screen).
fn person_path(event_id: Uuid, code: &str, done: Option<Done>) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("code", code);
    if let Some(done) = done {
        query.append_pair("done", done.as_str());
    }
    format!("{}?{}#door-result", door_path(event_id), query.finish())
}

/// The first value of `key` in the query; a page never fails on a repeated or odd parameter.
fn query_value(req: &HttpRequest, key: &str) -> Option<String> {
    crate::web::query_param(req, key).map(|value| value.trim().to_string())
}

/// The colour of a result: what the person at the door is told at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    /// Green: in.
    Go,
    /// Amber: came in before.
    Again,
    /// Confirmed and not in yet: one tap checks in.
    Ready,
    /// Red: may not come in.
    Stop,
}

impl Tone {
    fn class(self) -> &'static str {
        match self {
            Tone::Go => "go",
            Tone::Again => "again",
            Tone::Ready => "ready",
            Tone::Stop => "stop",
        }
    }
}

/// The full-screen answer about one code.
struct Verdict {
    tone: Tone,
    headline: String,
    /// "이름, 소속"; empty for an unknown code.
    person: String,
    detail: String,
    notice: Option<&'static str>,
    /// The registration whose check-in the undo button clears.
    undo: Option<Uuid>,
    /// The code the check-in button sends.
    check_in: Option<String>,
}

impl Verdict {
    fn tone_class(&self) -> &'static str {
        self.tone.class()
    }
}

fn person_line(arrival: &Arrival) -> String {
    match &arrival.affiliation {
        Some(affiliation) => format!("{}, {affiliation}", arrival.name),
        None => arrival.name.clone(),
    }
}

/// What the door says about `code`: decided from the registration as it is now, so a
/// reloaded or shared result never claims more than the database holds; `done` only tells a
/// first check-in (green) from a later one (amber) and adds the undo notice.
fn verdict(
    arrival: Option<&Arrival>,
    code: &str,
    done: Option<Done>,
    zone: &str,
    d: &DoorWords,
) -> Verdict {
    let Some(arrival) = arrival else {
        return Verdict {
            tone: Tone::Stop,
            headline: d.not_registered.into(),
            person: String::new(),
            detail: (d.unknown_code)(code),
            notice: None,
            undo: None,
            check_in: None,
        };
    };
    let person = person_line(arrival);
    if let Some((headline, reason)) = d.refusal(arrival.status) {
        return Verdict {
            tone: Tone::Stop,
            headline: headline.into(),
            person,
            detail: reason.into(),
            notice: None,
            undo: None,
            check_in: None,
        };
    }
    match arrival.checked_in_at {
        None => Verdict {
            tone: Tone::Ready,
            headline: d.ready.into(),
            person,
            detail: d.ready_detail.into(),
            notice: (done == Some(Done::Undone)).then_some(d.undone),
            undo: None,
            check_in: Some(arrival.code.clone()),
        },
        Some(at) => {
            let time = clock(at, zone);
            let (tone, headline, detail) = if done == Some(Done::CheckedIn) {
                (Tone::Go, d.checked_in.to_string(), (d.came_in_at)(&time))
            } else {
                (Tone::Again, (d.already_at)(&time), String::new())
            };
            Verdict {
                tone,
                headline,
                person,
                detail,
                notice: None,
                undo: Some(arrival.registration_id),
                check_in: None,
            }
        }
    }
}

/// A confirmed person the search found.
struct Found {
    name: String,
    affiliation: String,
    /// "13:42 체크인" once in; otherwise the code the check-in button sends.
    came_in: Option<String>,
    code: String,
}

#[derive(Template)]
#[template(path = "console/door.html")]
struct DoorPage {
    page: ConsolePage,
    d: &'static DoorWords,
    action: String,
    count_url: String,
    jsqr_url: String,
    event_title: String,
    count: DoorCount,
    verdict: Option<Verdict>,
    /// The typed code, kept when it is refused, and why.
    code: String,
    code_error: Option<&'static str>,
    search: String,
    found: Option<Vec<Found>>,
    more_found: bool,
}

/// Why a door page cannot be shown: no such event, or the database failed (the words are
/// only logged).
enum Failure {
    NoEvent,
    Unavailable(String),
}

impl From<EventError> for Failure {
    fn from(error: EventError) -> Self {
        match error {
            EventError::NotFound => Failure::NoEvent,
            other => Failure::Unavailable(other.to_string()),
        }
    }
}

impl From<sea_orm::DbErr> for Failure {
    fn from(error: sea_orm::DbErr) -> Self {
        Failure::Unavailable(error.to_string())
    }
}

impl From<RegistrationError> for Failure {
    fn from(error: RegistrationError) -> Self {
        match error {
            RegistrationError::EventNotFound => Failure::NoEvent,
            other => Failure::Unavailable(other.to_string()),
        }
    }
}

fn failure_page(req: &HttpRequest, signed: &Signed, failure: Failure) -> HttpResponse {
    let w = console_words(signed.lang);
    let d = door_words(signed.lang);
    let back = Some(Link {
        href: "/admin/check-in".into(),
        text: d.title.into(),
    });
    match failure {
        Failure::NoEvent => message(
            StatusCode::NOT_FOUND,
            ConsolePage::new(req, signed, d.title, Section::Door),
            d.event_not_found,
            back,
        ),
        Failure::Unavailable(error) => {
            tracing::error!(%error, "a door page failed");
            message(
                StatusCode::SERVICE_UNAVAILABLE,
                ConsolePage::new(req, signed, w.unavailable_title, Section::Door),
                w.unavailable_text,
                back,
            )
        }
    }
}

/// The typed code and the error to show beside it.
struct Typed {
    code: String,
    error: Option<&'static str>,
}

/// The door page of `event_id` as the query asks: the person a code names, or the scanner
/// with the forms (and the search's results).
async fn door_page(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    event_id: Uuid,
    typed: Typed,
) -> Result<DoorPage, Failure> {
    let event = load_event_row(db, event_id).await?;
    let d = door_words(signed.lang);
    let count = checkin::count(db, &event).await?;
    let verdict = match query_value(req, "code").filter(|code| !code.is_empty()) {
        Some(code) => {
            let arrival = checkin::find_by_code(db, event_id, &code).await?;
            let done = query_value(req, "done").and_then(|raw| Done::parse(&raw));
            Some(verdict(
                arrival.as_ref(),
                &normalize_code(&code),
                done,
                &event.time_zone,
                d,
            ))
        }
        None => None,
    };
    let search = query_value(req, "q").unwrap_or_default();
    let (found, more_found) = if search.is_empty() {
        (None, false)
    } else {
        let filter = RegistrationFilter {
            status: Some(RegistrationStatus::Confirmed),
            search: Some(search.clone()),
        };
        let mut rows = registrations::list(db, event_id, &filter, None, Some(FOUND_MAX)).await?;
        let more = rows.len() as u64 > FOUND_MAX;
        rows.truncate(FOUND_MAX as usize);
        let found = rows
            .into_iter()
            .map(|row| Found {
                name: row.name,
                affiliation: row.affiliation.unwrap_or_default(),
                came_in: row
                    .checked_in_at
                    .map(|at| (d.came_in_at)(&clock(at, &event.time_zone))),
                code: row.checkin_code.unwrap_or_default(),
            })
            .collect();
        (Some(found), more)
    };
    Ok(DoorPage {
        page: ConsolePage::new(
            req,
            signed,
            format!("{} · {}", d.title, event.title),
            Section::Door,
        ),
        d,
        action: door_path(event_id),
        count_url: format!("{}/count", door_path(event_id)),
        jsqr_url: format!("/admin/assets{JSQR_PATH}"),
        event_title: event.title,
        count,
        verdict,
        code: typed.code,
        code_error: typed.error,
        search,
        found,
        more_found,
    })
}

async fn show(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    event_id: web::Path<Uuid>,
) -> HttpResponse {
    let typed = Typed {
        code: String::new(),
        error: None,
    };
    answer(&req, &signed, &db, *event_id, typed, StatusCode::OK).await
}

/// The door page, or why it cannot be shown.
async fn answer(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    event_id: Uuid,
    typed: Typed,
    status: StatusCode,
) -> HttpResponse {
    match door_page(req, signed, db, event_id, typed).await {
        Ok(page) => render_under(status, &page, &POLICY),
        Err(failure) => failure_page(req, signed, failure),
    }
}

/// Longer than any code: a scan of some other QR code, or a paste gone wrong.
const CODE_MAX: usize = 16;

/// Checks in the person with the posted code (typed, scanned or from a button) and shows
/// them; a refused code shows why.
async fn check_in(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    event_id: web::Path<Uuid>,
) -> HttpResponse {
    let event_id = *event_id;
    let d = door_words(form.lang());
    let raw = form.data.first("code").unwrap_or_default();
    let code = normalize_code(raw);
    let error = if code.is_empty() {
        Some(d.code_missing)
    } else if code.len() > CODE_MAX {
        Some(d.code_malformed)
    } else {
        None
    };
    if let Some(error) = error {
        let typed = Typed {
            code: raw.chars().take(64).collect(),
            error: Some(error),
        };
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return answer(&req, &form.signed, &db, event_id, typed, status).await;
    }
    if let Err(error) = load_event_row(db.get_ref(), event_id).await {
        return failure_page(&req, &form.signed, error.into());
    }
    match checkin::check_in(&db, event_id, &code).await {
        Ok(done) => {
            let first = (done.result == CheckInResult::CheckedIn).then_some(Done::CheckedIn);
            see_other(&person_path(event_id, &code, first))
        }
        // The person's page says why: unknown code, or not confirmed.
        Err(RegistrationError::Invalid(_) | RegistrationError::NotConfirmed { .. }) => {
            see_other(&person_path(event_id, &code, None))
        }
        Err(error) => failure_page(&req, &form.signed, error.into()),
    }
}

/// Undoes a mistaken check-in and shows the person again, ready to be checked in.
async fn undo(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    event_id: web::Path<Uuid>,
) -> HttpResponse {
    let event_id = *event_id;
    let d = door_words(form.lang());
    let registration = form
        .data
        .first("registration")
        .and_then(|raw| Uuid::parse_str(raw).ok());
    let outcome = match registration {
        Some(id) => checkin::undo_check_in(&db, event_id, id).await,
        None => Err(RegistrationError::RegistrationNotFound),
    };
    match outcome {
        Ok(registration) => see_other(&person_path(
            event_id,
            registration.checkin_code.as_deref().unwrap_or_default(),
            Some(Done::Undone),
        )),
        Err(RegistrationError::NotCheckedIn | RegistrationError::RegistrationNotFound) => message(
            StatusCode::CONFLICT,
            ConsolePage::new(&req, &form.signed, d.undo, Section::Door),
            d.nothing_to_undo,
            Some(Link {
                href: door_path(event_id),
                text: d.next.into(),
            }),
        ),
        Err(error) => failure_page(&req, &form.signed, error.into()),
    }
}

/// The live count, for the scanner to follow what the other phones check in.
async fn count(db: web::Data<DatabaseConnection>, event_id: web::Path<Uuid>) -> HttpResponse {
    let event = match load_event_row(db.get_ref(), *event_id).await {
        Ok(event) => event,
        Err(EventError::NotFound) => return HttpResponse::NotFound().finish(),
        Err(error) => {
            tracing::error!(%error, "the door count cannot read the event");
            return HttpResponse::ServiceUnavailable().finish();
        }
    };
    match checkin::count(db.get_ref(), &event).await {
        Ok(count) => HttpResponse::Ok().json(count),
        Err(error) => {
            tracing::error!(%error, "the door count cannot read the registrations");
            HttpResponse::ServiceUnavailable().finish()
        }
    }
}

/// An event on the list of doors.
struct Door {
    href: String,
    title: String,
    when: String,
}

#[derive(Template)]
#[template(path = "console/door_events.html")]
struct EventsPage {
    page: ConsolePage,
    d: &'static DoorWords,
    doors: Vec<Door>,
}

/// Events people can come to, the latest first: the one at the door is usually on top.
async fn events(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
) -> HttpResponse {
    let d = door_words(signed.lang);
    let filter = EventFilter {
        status: None,
        year: None,
    };
    let mut events = match list_events(&db, &filter, None, 200).await {
        Ok(events) => events,
        Err(error) => return failure_page(&req, &signed, error.into()),
    };
    events.retain(|event| {
        matches!(
            event.status,
            EventStatus::Published | EventStatus::Closed | EventStatus::Completed
        )
    });
    events.sort_by_key(|event| std::cmp::Reverse(event.starts_at));
    let doors = events
        .into_iter()
        .map(|event| Door {
            href: door_path(event.id),
            when: crate::time_words::event_when(
                event.starts_at,
                event.ends_at,
                &event.time_zone,
                signed.lang,
            ),
            title: event.title,
        })
        .collect();
    let page = EventsPage {
        page: ConsolePage::new(&req, &signed, d.title, Section::Door),
        d,
        doors,
    };
    super::render(StatusCode::OK, &page)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    fn arrival(status: RegistrationStatus, checked_in_at: Option<&str>) -> Arrival {
        Arrival {
            registration_id: Uuid::nil(),
            name: "김서연".into(),
            affiliation: Some("Toss".into()),
            status,
            checked_in_at: checked_in_at.map(|raw| {
                DateTime::parse_from_rfc3339(raw)
                    .unwrap()
                    .with_timezone(&Utc)
            }),
            code: "K7P-M2X".into(),
        }
    }

    const SEOUL: &str = "Asia/Seoul";

    #[test]
    fn an_unknown_code_is_red_and_named() {
        let d = door_words(crate::registration::Language::En);
        let v = verdict(None, "ABC-DEF", None, SEOUL, d);
        assert_eq!(v.tone, Tone::Stop);
        assert!(v.detail.contains("ABC-DEF"), "{}", v.detail);
        assert!(v.undo.is_none() && v.check_in.is_none());
    }

    #[test]
    fn a_refused_status_is_red_with_its_reason() {
        let d = door_words(crate::registration::Language::Ko);
        for status in [
            RegistrationStatus::Waitlisted,
            RegistrationStatus::Pending,
            RegistrationStatus::Cancelled,
            RegistrationStatus::Rejected,
        ] {
            let v = verdict(Some(&arrival(status, None)), "K7P-M2X", None, SEOUL, d);
            assert_eq!(v.tone, Tone::Stop, "{status:?}");
            assert_eq!(v.person, "김서연, Toss");
            assert!(v.check_in.is_none());
        }
    }

    #[test]
    fn a_first_check_in_is_green_and_a_later_look_amber_in_the_events_zone() {
        let d = door_words(crate::registration::Language::En);
        let person = arrival(RegistrationStatus::Confirmed, Some("2030-05-18T04:42:10Z"));
        let first = verdict(Some(&person), "K7P-M2X", Some(Done::CheckedIn), SEOUL, d);
        assert_eq!(first.tone, Tone::Go);
        assert_eq!(first.undo, Some(Uuid::nil()));
        let again = verdict(Some(&person), "K7P-M2X", None, SEOUL, d);
        assert_eq!(again.tone, Tone::Again);
        assert_eq!(again.headline, "Already checked in at 13:42");
    }

    #[test]
    fn a_green_claim_needs_the_check_in_in_the_database() {
        let d = door_words(crate::registration::Language::En);
        let person = arrival(RegistrationStatus::Confirmed, None);
        let v = verdict(Some(&person), "K7P-M2X", Some(Done::CheckedIn), SEOUL, d);
        assert_eq!(v.tone, Tone::Ready);
        assert_eq!(v.check_in.as_deref(), Some("K7P-M2X"));
    }
}
