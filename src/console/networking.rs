//! An event's networking sessions in the console: the list and a new session from the
//! attendees, then one session's report, tables, moves, late arrivals, time and room,
//! publication and its table plan. Every change goes through `networking::store`, as the
//! API's do; the forms only turn their text into the store's input.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, NaiveDateTime, Utc};
use entity::{event, networking_session};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::people_words::{PeopleWords, people_words};
use super::records::utc_minute;
use super::records::{EventHead, local_time};
use super::sign_in::unavailable;
use super::tokens::ShownOnce;
use super::{ConsoleForm, ConsolePage, Section, Signed, render};
use crate::db::json_column;
use crate::domain::{TimeZone, in_zone};
use crate::events::load_event_row;
use crate::matching::Report;
use crate::metrics::Metrics;
use crate::networking::store::{self, NetworkingError, Seating, SessionChange};
use crate::networking::{PlaceError, Round, SessionInput, SolverLimits, plan_url};
use crate::registration::Language;
use crate::registration::links::ManageLinks;
use crate::registration::routes::PublicBaseUrl;
use crate::venues::load_venue;
use crate::web::Link;
use crate::web::flash::{self, Flash};
use crate::web::form::FormData;
use crate::web::with_cookie;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/events/{event_id}/networking")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(web::resource("/events/{event_id}/networking/{session_id}").route(web::get().to(show)))
    .service(
        web::resource("/events/{event_id}/networking/{session_id}/settings")
            .route(web::post().to(settings)),
    )
    .service(
        web::resource("/events/{event_id}/networking/{session_id}/moves")
            .route(web::post().to(move_person)),
    )
    .service(
        web::resource("/events/{event_id}/networking/{session_id}/arrivals")
            .route(web::post().to(add_arrival)),
    )
    .service(
        web::resource("/events/{event_id}/networking/{session_id}/publish")
            .route(web::post().to(publish)),
    )
    .service(
        web::resource("/events/{event_id}/networking/{session_id}/plan-link")
            .route(web::post().to(plan_link)),
    );
}

fn list_path(event_id: Uuid) -> String {
    format!("/admin/events/{event_id}/networking")
}

fn session_path(event_id: Uuid, session_id: Uuid) -> String {
    format!("/admin/events/{event_id}/networking/{session_id}")
}

/// What is wrong with a form's fields, by the field names the API's 422 uses; `body` is
/// about the form as a whole.
#[derive(Debug, Default)]
struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    fn push(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for `field` (templates ask with the field's name).
    fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, message)| message.as_str())
    }

    /// A store's refusal, beside the field it names (or on the form as a whole).
    fn refused(t: &NetworkingWords, error: &NetworkingError) -> Self {
        let mut errors = Self::default();
        errors.push(error.field().unwrap_or("body"), refusal(t, error));
        errors
    }
}

/// A store's refusal in the console's words; the matcher's and the plan's own explanations
/// (in English) follow a sentence in the page's language.
fn refusal(t: &NetworkingWords, error: &NetworkingError) -> String {
    match error {
        NetworkingError::TooFewAttendees => t.too_few.into(),
        NetworkingError::Place(PlaceError::StartsOutsideEvent) => t.starts_outside.into(),
        NetworkingError::Place(PlaceError::RoomNotInVenue) => t.room_not_in_venue.into(),
        NetworkingError::RoundsPlayedOutOfRange { rounds } => {
            format!("{} {rounds}", t.rounds_played_range)
        }
        NetworkingError::NotSeatable | NetworkingError::RegistrationNotFound => {
            t.not_seatable.into()
        }
        NetworkingError::SessionNotFound | NetworkingError::EventNotFound => t.not_found.into(),
        NetworkingError::NotAnAttendee { .. } => t.not_an_attendee.into(),
        other => format!("{} ({other})", t.refused),
    }
}

/// The event a page is about, with what its forms offer.
struct EventContext {
    row: event::Model,
    zone: Option<TimeZone>,
    /// The rooms of its venue: id and name.
    rooms: Vec<(Uuid, String)>,
}

impl EventContext {
    async fn load(db: &DatabaseConnection, event_id: Uuid) -> Result<Option<Self>, sea_orm::DbErr> {
        let row = match load_event_row(db, event_id).await {
            Ok(row) => row,
            Err(crate::events::EventError::NotFound) => return Ok(None),
            Err(crate::events::EventError::Database(error)) => return Err(error),
            Err(other) => return Err(sea_orm::DbErr::Custom(other.to_string())),
        };
        let rooms = match row.venue_id {
            Some(venue_id) => load_venue(db, venue_id)
                .await?
                .map(|venue| {
                    venue
                        .rooms
                        .into_iter()
                        .map(|room| (room.id, room.name))
                        .collect()
                })
                .unwrap_or_default(),
            None => Vec::new(),
        };
        Ok(Some(Self {
            zone: TimeZone::parse(&row.time_zone).ok(),
            row,
            rooms,
        }))
    }

    /// The event, or the page saying it does not exist or the database did not answer.
    async fn answer_load(
        req: &HttpRequest,
        signed: &Signed,
        db: &DatabaseConnection,
        event_id: Uuid,
    ) -> Result<Self, HttpResponse> {
        match Self::load(db, event_id).await {
            Ok(Some(event)) => Ok(event),
            Ok(None) => Err(not_found(req, signed)),
            Err(error) => Err(unavailable(req, signed.lang, error)),
        }
    }

    /// A moment on the event's wall clock, as a `datetime-local` field holds it.
    fn local_input(&self, at: DateTime<Utc>) -> String {
        in_zone(at, &self.row.time_zone)
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    }

    /// A moment on the event's wall clock, to read.
    fn local_text(&self, at: DateTime<Utc>) -> String {
        local_time(at, &self.row.time_zone)
    }

    fn room_name(&self, id: Uuid) -> Option<String> {
        self.rooms
            .iter()
            .find(|(room, _)| *room == id)
            .map(|(_, name)| name.clone())
    }
}

/// When and where, as a form gives them: a `datetime-local` on the event's wall clock and a
/// room of its venue; empty clears.
fn place_fields(
    t: &NetworkingWords,
    data: &FormData,
    event: &EventContext,
    errors: &mut FieldErrors,
) -> (Option<DateTime<Utc>>, Option<Uuid>) {
    let starts_at = match data.text("starts_at").trim() {
        "" => None,
        raw => {
            let instant = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
                .ok()
                .and_then(|local| event.zone?.at_local(local))
                .map(|at| at.to_utc());
            if instant.is_none() {
                errors.push("starts_at", t.time_invalid);
            }
            instant
        }
    };
    let room_id = match data.text("room_id").trim() {
        "" => None,
        raw => {
            let room = raw.parse().ok();
            if room.is_none() {
                errors.push("room_id", t.room_not_in_venue);
            }
            room
        }
    };
    (starts_at, room_id)
}

/// A whole number a form gives (`field` names it in `errors` when it is not one).
fn number(
    t: &NetworkingWords,
    data: &FormData,
    field: &'static str,
    errors: &mut FieldErrors,
) -> Option<usize> {
    let raw = data.text(field).trim();
    let parsed = raw.parse().ok();
    if parsed.is_none() {
        errors.push(field, t.number_invalid);
    }
    parsed
}

/// The new-session form as typed.
struct CreateForm {
    title: String,
    rounds: String,
    table_size: String,
    separate_affiliations: bool,
    starts_at: String,
    room_id: String,
    /// The registration ids ticked as hosts.
    hosts: Vec<String>,
    /// The kept-apart rows as chosen (registration ids, blank when none).
    apart: Vec<(String, String)>,
    errors: FieldErrors,
}

/// Rows of kept-apart pairs the form offers.
const APART_ROWS: usize = 3;

impl CreateForm {
    /// Whether any kept-apart row has someone chosen (its choices then show opened).
    fn has_apart(&self) -> bool {
        self.apart
            .iter()
            .any(|(a, b)| !a.is_empty() || !b.is_empty())
    }

    fn blank() -> Self {
        Self {
            title: String::new(),
            rounds: "3".into(),
            table_size: "6".into(),
            separate_affiliations: false,
            starts_at: String::new(),
            room_id: String::new(),
            hosts: Vec::new(),
            apart: vec![(String::new(), String::new()); APART_ROWS],
            errors: FieldErrors::default(),
        }
    }

    /// The form as typed, and the API's create input when its fields are numbers, times and
    /// rooms at all (the store judges the rest, as it does the API's).
    fn parse(
        t: &NetworkingWords,
        data: &FormData,
        event: &EventContext,
    ) -> (Self, Option<SessionInput>) {
        let mut errors = FieldErrors::default();
        let rounds = number(t, data, "rounds", &mut errors);
        let table_size = match data.text("table_size").trim() {
            "" => None,
            _ => number(t, data, "table_size", &mut errors),
        };
        let (starts_at, room_id) = place_fields(t, data, event, &mut errors);
        let title = data.text("title").trim().to_string();
        let separate_affiliations = data.first("separate_affiliations").is_some();
        let hosts: Vec<String> = data.all("hosts").into_iter().map(str::to_string).collect();
        let host_ids: Vec<Uuid> = hosts.iter().filter_map(|id| id.parse().ok()).collect();
        if host_ids.len() != hosts.len() {
            errors.push("hosts", t.not_an_attendee);
        }
        let apart: Vec<(String, String)> = (1..=APART_ROWS)
            .map(|row| {
                let side = |name: &str| data.text(&format!("{name}_{row}")).trim().to_string();
                (side("apart_a"), side("apart_b"))
            })
            .collect();
        let mut kept_apart = Vec::new();
        for (a, b) in &apart {
            match (a.parse::<Uuid>(), b.parse::<Uuid>()) {
                (Ok(a), Ok(b)) => kept_apart.push([a, b]),
                _ if a.is_empty() && b.is_empty() => {}
                _ => errors.push("kept_apart", t.pair_incomplete),
            }
        }
        let input = match (errors.is_empty(), rounds) {
            (true, Some(rounds)) => Some(SessionInput {
                title: Some(title.clone()),
                rounds,
                table_size,
                tables: None,
                seed: 0,
                time_limit_ms: None,
                separate_affiliations,
                starts_at,
                room_id,
                hosts: host_ids,
                kept_apart,
            }),
            _ => None,
        };
        let form = Self {
            title,
            rounds: data.text("rounds").trim().to_string(),
            table_size: data.text("table_size").trim().to_string(),
            separate_affiliations,
            starts_at: data.text("starts_at").trim().to_string(),
            room_id: data.text("room_id").trim().to_string(),
            hosts,
            apart,
            errors,
        };
        (form, input)
    }
}

#[derive(Template)]
#[template(path = "console/networking_list.html")]
struct ListPage {
    page: ConsolePage,
    t: &'static NetworkingWords,
    head: EventHead,
    pw: &'static PeopleWords,
    sessions: Vec<SessionRow>,
    seatable: usize,
    /// Who the session would seat (registration id, name and affiliation), for the hosts
    /// and kept-apart pairs.
    attendees: Vec<(String, String)>,
    rooms: Vec<(Uuid, String)>,
    form: CreateForm,
    action: String,
}

struct SessionRow {
    href: String,
    title: String,
    rounds: i32,
    table_size: i32,
    people: Option<usize>,
    starts: Option<String>,
    published: Option<String>,
}

/// The answer for an event or session that does not exist (or not under this event).
fn not_found(req: &HttpRequest, signed: &Signed) -> HttpResponse {
    let t = networking_words(signed.lang);
    super::message(
        StatusCode::NOT_FOUND,
        ConsolePage::new(req, signed, t.title, Section::Networking),
        t.not_found,
        Some(Link {
            href: "/admin".into(),
            text: super::console_words(signed.lang).dashboard.into(),
        }),
    )
}

/// A failure that is nobody's input: the database, the search, the mail's rendering.
fn failed(req: &HttpRequest, signed: &Signed, error: NetworkingError) -> HttpResponse {
    match error {
        NetworkingError::EventNotFound | NetworkingError::SessionNotFound => not_found(req, signed),
        NetworkingError::Database(error) => unavailable(req, signed.lang, error),
        other => unavailable(req, signed.lang, sea_orm::DbErr::Custom(other.to_string())),
    }
}

async fn list_page(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    event: EventContext,
    form: CreateForm,
) -> Result<ListPage, NetworkingError> {
    let t = networking_words(signed.lang);
    let rows = store::list(db, event.row.id).await?;
    let people = store::attendees_of(db, event.row.id).await?;
    let attendees = people
        .iter()
        .map(|person| {
            let label = match &person.affiliation {
                Some(affiliation) => format!("{} ({affiliation})", person.name),
                None => person.name.clone(),
            };
            (person.id.to_string(), label)
        })
        .collect();
    let sessions = rows
        .iter()
        .map(|row| SessionRow {
            href: session_path(event.row.id, row.id),
            title: row.title.clone(),
            rounds: row.rounds,
            table_size: row.table_size,
            people: report_of(row).ok().map(|report| report.participants),
            starts: row.starts_at.map(|at| event.local_text(at)),
            published: row.published_at.map(utc_minute),
        })
        .collect();
    Ok(ListPage {
        page: ConsolePage::new(req, signed, t.title, Section::Networking),
        t,
        head: EventHead::new(&event.row, signed, Section::Networking),
        pw: people_words(signed.lang),
        sessions,
        seatable: people.len(),
        attendees,
        rooms: event.rooms,
        form,
        action: list_path(event.row.id),
    })
}

fn report_of(row: &networking_session::Model) -> Result<Report, sea_orm::DbErr> {
    json_column("networking_session.report", &row.report)
}

async fn list(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    path: web::Path<Uuid>,
) -> HttpResponse {
    let event = match EventContext::answer_load(&req, &signed, &db, *path).await {
        Ok(event) => event,
        Err(answer) => return answer,
    };
    match list_page(&req, &signed, &db, event, CreateForm::blank()).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(error) => failed(&req, &signed, error),
    }
}

async fn create(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    metrics: web::Data<Metrics>,
    limits: web::Data<SolverLimits>,
    path: web::Path<Uuid>,
) -> HttpResponse {
    let signed = &form.signed;
    let t = networking_words(signed.lang);
    let event = match EventContext::answer_load(&req, signed, &db, *path).await {
        Ok(event) => event,
        Err(answer) => return answer,
    };
    let (mut typed, input) = CreateForm::parse(t, &form.data, &event);
    if let Some(input) = input {
        match store::create_measured(&db, &metrics, event.row.id, input, limits.max_time_limit)
            .await
        {
            Ok((row, _plan_key)) => {
                tracing::info!(session_id = %row.id, organizer = %signed.organizer.id, "networking session created in the console");
                return flash::see_other_with(
                    &session_path(event.row.id, row.id),
                    "",
                    Flash::Saved,
                );
            }
            Err(error) if error.field().is_some() => {
                typed.errors = FieldErrors::refused(t, &error);
            }
            Err(error) => return failed(&req, signed, error),
        }
    }
    match list_page(&req, signed, &db, event, typed).await {
        Ok(page) => render(StatusCode::UNPROCESSABLE_ENTITY, &page),
        Err(error) => failed(&req, signed, error),
    }
}

#[derive(Template)]
#[template(path = "console/networking_session.html")]
struct SessionPage {
    page: ConsolePage,
    t: &'static NetworkingWords,
    head: EventHead,
    pw: &'static PeopleWords,
    list_href: String,
    base: String,
    title: String,
    published: Option<String>,
    starts: Option<String>,
    room: Option<String>,
    rounds_played: i32,
    round_count: i32,
    saved: bool,
    report: Option<ReportView>,
    repeats_within: Vec<RepeatLine>,
    repeats_earlier: Vec<RepeatLine>,
    rounds: Vec<Round>,
    /// Everyone seated, by name, for the move form: registration id and name.
    seated: Vec<(String, String)>,
    tables_per_round: usize,
    arrivals: Vec<(String, String)>,
    rooms: Vec<(Uuid, String)>,
    /// The settings form's values: start (`datetime-local`) and room.
    starts_input: String,
    room_input: String,
    errors: FieldErrors,
    /// Which form `errors` belong to.
    failed_form: Option<SessionForm>,
}

/// The forms of the session page, for the page to show a refusal beside the right one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SessionForm {
    Settings,
    Move,
    Arrival,
}

impl SessionPage {
    /// The refusal of `field` when it is about `form`.
    fn error(&self, form: SessionForm, field: &str) -> Option<&str> {
        (self.failed_form == Some(form))
            .then(|| self.errors.get(field))
            .flatten()
    }

    fn settings_error(&self, field: &str) -> Option<&str> {
        self.error(SessionForm::Settings, field)
    }

    fn move_error(&self) -> Option<&str> {
        self.error(SessionForm::Move, "body")
            .or_else(|| self.error(SessionForm::Move, "round"))
            .or_else(|| self.error(SessionForm::Move, "to_table"))
            .or_else(|| self.error(SessionForm::Move, "registration_id"))
    }

    fn arrival_error(&self) -> Option<&str> {
        self.error(SessionForm::Arrival, "registration_id")
            .or_else(|| self.error(SessionForm::Arrival, "body"))
    }
}

/// The matcher's report at creation, as the page shows it.
struct ReportView {
    participants: usize,
    tables_per_round: usize,
    smallest_table: usize,
    largest_table: usize,
    distinct_pairs_met: usize,
    new_contacts: String,
    students_per_table: String,
    alumni_per_table: String,
    cohorts_per_table: String,
    tables_mixing: usize,
    tables_of_students_only: usize,
}

fn figures(figures: &crate::matching::Figures) -> String {
    format!(
        "{:.0} / {:.1} / {:.0}",
        figures.min, figures.mean, figures.max
    )
}

impl From<Report> for ReportView {
    fn from(report: Report) -> Self {
        Self {
            participants: report.participants,
            tables_per_round: report.tables_per_round,
            smallest_table: report.smallest_table,
            largest_table: report.largest_table,
            distinct_pairs_met: report.distinct_pairs_met,
            new_contacts: figures(&report.new_contacts),
            students_per_table: figures(&report.students_per_table),
            alumni_per_table: figures(&report.alumni_per_table),
            cohorts_per_table: figures(&report.cohorts_per_table),
            tables_mixing: report.tables_mixing_students_and_alumni,
            tables_of_students_only: report.tables_of_students_only,
        }
    }
}

/// A pair who meet again, by name, and how: times together, or the year they last met.
struct RepeatLine {
    a: String,
    b: String,
    how: String,
}

async fn session_page(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    ids: (Uuid, Uuid),
    errors: Option<(SessionForm, FieldErrors)>,
    saved: bool,
) -> Result<SessionPage, NetworkingError> {
    let t = networking_words(signed.lang);
    let (event_id, session_id) = ids;
    let event = EventContext::load(db, event_id)
        .await?
        .ok_or(NetworkingError::EventNotFound)?;
    let row = store::find(db, event_id, session_id).await?;
    let arrivals = store::arrivals_to_seat(db, &row).await?;
    let Seating {
        session,
        rounds,
        repeats,
        report,
    } = store::seating(db, row).await?;
    let names: HashMap<String, String> = rounds
        .iter()
        .flat_map(|round| &round.tables)
        .flat_map(|table| &table.seats)
        .map(|seat| (seat.registration_id.to_string(), seat.name.clone()))
        .collect();
    let name_of = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let lines = |pairs: Vec<crate::networking::plan::RepeatedPair>, how: fn(i32) -> String| {
        pairs
            .into_iter()
            .map(|pair| RepeatLine {
                a: name_of(&pair.a),
                b: name_of(&pair.b),
                how: how(pair.value),
            })
            .collect()
    };
    let mut seated: Vec<(String, String)> = names.clone().into_iter().collect();
    seated.sort_by(|a, b| a.1.cmp(&b.1));
    let (failed_form, errors) = match errors {
        Some((form, errors)) => (Some(form), errors),
        None => (None, FieldErrors::default()),
    };
    Ok(SessionPage {
        page: ConsolePage::new(req, signed, session.title.clone(), Section::Networking),
        t,
        head: EventHead::new(&event.row, signed, Section::Networking),
        pw: people_words(signed.lang),
        list_href: list_path(event_id),
        base: session_path(event_id, session_id),
        title: session.title,
        published: session.published_at.map(utc_minute),
        starts: session.starts_at.map(|at| event.local_text(at)),
        room: session.room_id.and_then(|room| event.room_name(room)),
        rounds_played: session.rounds_played,
        round_count: session.rounds,
        saved,
        report: serde_json::from_value::<Report>(report)
            .ok()
            .map(ReportView::from),
        repeats_within: lines(repeats.within_event, t.times_together),
        repeats_earlier: lines(repeats.earlier_years, t.met_in),
        tables_per_round: rounds.first().map_or(0, |round| round.tables.len()),
        rounds,
        seated,
        arrivals: arrivals
            .into_iter()
            .map(|registration| (registration.id.to_string(), registration.name))
            .collect(),
        starts_input: session
            .starts_at
            .map(|at| event.local_input(at))
            .unwrap_or_default(),
        room_input: session
            .room_id
            .map(|room| room.to_string())
            .unwrap_or_default(),
        rooms: event.rooms,
        errors,
        failed_form,
    })
}

async fn show(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> HttpResponse {
    let (event_id, session_id) = path.into_inner();
    let (done, cleared) = flash::take(&req, &session_path(event_id, session_id));
    let saved = done == Some(Flash::Saved);
    match session_page(&req, &signed, &db, (event_id, session_id), None, saved).await {
        Ok(page) => with_cookie(render(StatusCode::OK, &page), cleared),
        Err(error) => failed(&req, &signed, error),
    }
}

/// The answer to a change of the session: back to its page with a notice, or the page again
/// with the refusal beside `form` (nothing changed).
async fn after_change(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    ids: (Uuid, Uuid),
    form: SessionForm,
    outcome: Result<(), FieldErrors>,
) -> HttpResponse {
    match outcome {
        Ok(()) => flash::see_other_with(&session_path(ids.0, ids.1), "", Flash::Saved),
        Err(errors) => {
            match session_page(req, signed, db, ids, Some((form, errors)), false).await {
                Ok(page) => render(StatusCode::UNPROCESSABLE_ENTITY, &page),
                Err(error) => failed(req, signed, error),
            }
        }
    }
}

/// A store change's outcome for [`after_change`]: refusals of the input become the form's
/// errors; anything else is answered by [`failed`].
fn judged<T>(
    t: &NetworkingWords,
    outcome: Result<T, NetworkingError>,
) -> Result<Result<(), FieldErrors>, NetworkingError> {
    match outcome {
        Ok(_) => Ok(Ok(())),
        Err(error @ NetworkingError::RegistrationNotFound) => {
            Ok(Err(FieldErrors::refused(t, &error)))
        }
        Err(error) if error.field().is_some() => Ok(Err(FieldErrors::refused(t, &error))),
        Err(error) => Err(error),
    }
}

async fn settings(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> HttpResponse {
    let signed = &form.signed;
    let t = networking_words(signed.lang);
    let ids = path.into_inner();
    let event = match EventContext::answer_load(&req, signed, &db, ids.0).await {
        Ok(event) => event,
        Err(answer) => return answer,
    };
    let mut errors = FieldErrors::default();
    let rounds_played = number(t, &form.data, "rounds_played", &mut errors);
    let (starts_at, room_id) = place_fields(t, &form.data, &event, &mut errors);
    let outcome = match rounds_played {
        Some(rounds_played) if errors.is_empty() => {
            let change = SessionChange {
                rounds_played: Some(rounds_played.min(i32::MAX as usize) as i32),
                starts_at: Some(starts_at),
                room_id: Some(room_id),
            };
            match judged(t, store::update(&db, ids.0, ids.1, change).await) {
                Ok(outcome) => outcome,
                Err(error) => return failed(&req, signed, error),
            }
        }
        _ => Err(errors),
    };
    after_change(&req, signed, &db, ids, SessionForm::Settings, outcome).await
}

async fn move_person(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> HttpResponse {
    let signed = &form.signed;
    let t = networking_words(signed.lang);
    let ids = path.into_inner();
    let mut errors = FieldErrors::default();
    let round = number(t, &form.data, "round", &mut errors);
    let to_table = number(t, &form.data, "to_table", &mut errors);
    let who: Option<Uuid> = form.data.text("registration_id").trim().parse().ok();
    if who.is_none() {
        errors.push("registration_id", t.pick_person);
    }
    let outcome = match (round, to_table, who) {
        (Some(round), Some(to_table), Some(who)) if errors.is_empty() => {
            match judged(
                t,
                store::move_person(&db, ids.0, ids.1, round, who, to_table).await,
            ) {
                Ok(outcome) => outcome,
                Err(error) => return failed(&req, signed, error),
            }
        }
        _ => Err(errors),
    };
    after_change(&req, signed, &db, ids, SessionForm::Move, outcome).await
}

async fn add_arrival(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> HttpResponse {
    let signed = &form.signed;
    let t = networking_words(signed.lang);
    let ids = path.into_inner();
    let outcome = match form.data.text("registration_id").trim().parse::<Uuid>() {
        Ok(who) => match judged(t, store::seat_arrival(&db, ids.0, ids.1, who).await) {
            Ok(outcome) => outcome,
            Err(error) => return failed(&req, signed, error),
        },
        Err(_) => {
            let mut errors = FieldErrors::default();
            errors.push("registration_id", t.pick_person);
            Err(errors)
        }
    };
    after_change(&req, signed, &db, ids, SessionForm::Arrival, outcome).await
}

async fn publish(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    links: web::Data<ManageLinks>,
    path: web::Path<(Uuid, Uuid)>,
) -> HttpResponse {
    let signed = &form.signed;
    let (event_id, session_id) = path.into_inner();
    match store::publish(&db, &links, event_id, session_id).await {
        Ok(row) => {
            tracing::info!(session_id = %row.id, organizer = %signed.organizer.id, "networking session published in the console");
            flash::see_other_with(&session_path(event_id, session_id), "", Flash::Saved)
        }
        Err(error) => failed(&req, signed, error),
    }
}

/// A new link to the room's table plan, shown on this answer alone (the key is stored as a
/// hash); the link before it stops working.
async fn plan_link(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    base_url: web::Data<PublicBaseUrl>,
    path: web::Path<(Uuid, Uuid)>,
) -> HttpResponse {
    let signed = &form.signed;
    let t = networking_words(signed.lang);
    let (event_id, session_id) = path.into_inner();
    match store::new_plan_key(&db, event_id, session_id).await {
        Ok(plan_key) => {
            let url = plan_url(&base_url.0, &plan_key);
            let page = ShownOnce {
                page: ConsolePage::new(&req, signed, t.plan_link_title, Section::Networking),
                text: t.plan_link_text.into(),
                open: Some(Link {
                    href: url.clone(),
                    text: t.open_plan.into(),
                }),
                value: url,
                back: Link {
                    href: session_path(event_id, session_id),
                    text: t.back_to_session.into(),
                },
            };
            // `render` answers `no-store`: the link is on this page alone.
            render(StatusCode::OK, &page)
        }
        Err(error) => failed(&req, signed, error),
    }
}

pub(super) struct NetworkingWords {
    title: &'static str,
    intro: &'static str,
    seatable_now: &'static str,
    none_yet: &'static str,
    session_title: &'static str,
    people: &'static str,
    rounds: &'static str,
    table_size: &'static str,
    table_size_hint: &'static str,
    starts_at: &'static str,
    room: &'static str,
    no_room: &'static str,
    optional: &'static str,
    separate_affiliations: &'static str,
    hosts: &'static str,
    hosts_hint: &'static str,
    kept_apart: &'static str,
    kept_apart_hint: &'static str,
    pair_first: &'static str,
    pair_second: &'static str,
    pair_incomplete: &'static str,
    nobody: &'static str,
    not_an_attendee: &'static str,
    status: &'static str,
    draft: &'static str,
    published: &'static str,
    create: &'static str,
    create_hint: &'static str,
    new_session: &'static str,
    saved: &'static str,
    republish_hint: &'static str,
    report: &'static str,
    report_hint: &'static str,
    participants: &'static str,
    tables_per_round: &'static str,
    table_sizes: &'static str,
    distinct_pairs: &'static str,
    new_contacts: &'static str,
    min_mean_max: &'static str,
    students_per_table: &'static str,
    alumni_per_table: &'static str,
    cohorts_per_table: &'static str,
    tables_mixing: &'static str,
    tables_students_only: &'static str,
    repeats: &'static str,
    no_repeats: &'static str,
    /// Pairs meeting more than once: how often.
    times_together: fn(i32) -> String,
    /// Pairs who met at an earlier event: the year.
    met_in: fn(i32) -> String,
    round: &'static str,
    table: &'static str,
    tables: &'static str,
    played: &'static str,
    move_title: &'static str,
    move_hint: &'static str,
    person: &'static str,
    to_table: &'static str,
    move_button: &'static str,
    arrival_title: &'static str,
    arrival_hint: &'static str,
    no_arrivals: &'static str,
    arrival_button: &'static str,
    settings_title: &'static str,
    rounds_played: &'static str,
    rounds_played_hint: &'static str,
    save: &'static str,
    publish_title: &'static str,
    publish_hint: &'static str,
    publish_button: &'static str,
    plan_title: &'static str,
    plan_hint: &'static str,
    plan_button: &'static str,
    plan_link_title: &'static str,
    plan_link_text: &'static str,
    open_plan: &'static str,
    back_to_session: &'static str,
    back_to_list: &'static str,
    too_few: &'static str,
    starts_outside: &'static str,
    room_not_in_venue: &'static str,
    rounds_played_range: &'static str,
    not_seatable: &'static str,
    not_found: &'static str,
    refused: &'static str,
    number_invalid: &'static str,
    time_invalid: &'static str,
    pick_person: &'static str,
}

fn networking_words(lang: Language) -> &'static NetworkingWords {
    match lang {
        Language::Ko => &KO,
        Language::En => &EN,
    }
}

const KO: NetworkingWords = NetworkingWords {
    title: "네트워킹",
    intro: "참석자를 라운드마다 새로운 사람과 같은 테이블에 앉힙니다. 같은 두 사람이 두 번 만나지 않게, 지난해에 만난 사람과도 되도록 떨어지게 배치합니다.",
    seatable_now: "지금 배치할 수 있는 참석자(확정, 이름 공개 동의; 체크인이 시작되면 체크인한 사람)",
    none_yet: "아직 네트워킹 세션이 없습니다.",
    session_title: "세션 이름",
    people: "인원",
    rounds: "라운드 수",
    table_size: "테이블당 최대 인원",
    table_size_hint: "비우면 6명",
    starts_at: "시작 시각",
    room: "장소",
    no_room: "정하지 않음",
    optional: "선택",
    separate_affiliations: "같은 소속끼리는 같은 테이블에 앉히지 않기",
    hosts: "테이블 호스트",
    hosts_hint: "고른 사람은 모든 라운드에서 한 테이블에 머뭅니다(연사가 테이블을 맡을 때). 호스트끼리는 같은 테이블에 앉지 않습니다.",
    kept_apart: "떨어뜨려 앉힐 두 사람",
    kept_apart_hint: "한 줄에 두 사람: 어느 라운드에서도 같은 테이블에 앉히지 않습니다.",
    pair_first: "첫 번째 사람",
    pair_second: "두 번째 사람",
    pair_incomplete: "두 사람을 모두 고르세요.",
    nobody: "(고르지 않음)",
    not_an_attendee: "참가자 목록에서 고르세요.",
    status: "상태",
    draft: "게시 전",
    published: "게시됨",
    create: "테이블 배치 만들기",
    create_hint: "배치를 계산하는 데 몇 초 걸릴 수 있습니다.",
    new_session: "새 네트워킹 세션",
    saved: "저장했습니다.",
    republish_hint: "게시한 뒤에 바꾼 내용은 다시 게시해야 참석자에게 메일로 갑니다(테이블이 바뀐 사람에게만).",
    report: "배치 보고서",
    report_hint: "만들 때 계산한 값입니다. 옮기기와 늦은 도착 뒤의 재만남은 아래 목록에 다시 셉니다.",
    participants: "배치된 인원",
    tables_per_round: "라운드당 테이블",
    table_sizes: "테이블 인원(최소–최대)",
    distinct_pairs: "한 번 이상 만난 서로 다른 쌍",
    new_contacts: "1인당 새로 만나는 사람",
    min_mean_max: "최소 / 평균 / 최대",
    students_per_table: "테이블당 재학생",
    alumni_per_table: "테이블당 졸업생",
    cohorts_per_table: "테이블당 학번 수",
    tables_mixing: "재학생과 졸업생이 섞인 테이블",
    tables_students_only: "재학생만 있는 테이블",
    repeats: "다시 만나는 사람",
    no_repeats: "이 세션에서 두 번 만나는 쌍도, 지난해에 만난 쌍도 없습니다.",
    times_together: |n| format!("{n}번 같은 테이블"),
    met_in: |year| format!("{year}년에 만남"),
    round: "라운드",
    table: "테이블",
    tables: "테이블 배치",
    played: "진행함",
    move_title: "사람 옮기기",
    move_hint: "한 라운드에서 한 사람을 다른 테이블로 옮깁니다. 다시 만나게 되는 쌍은 위 목록에 나옵니다.",
    person: "사람",
    to_table: "옮길 테이블",
    move_button: "옮기기",
    arrival_title: "늦게 온 사람 추가",
    arrival_hint: "아직 진행하지 않은 라운드에, 다시 만나는 사람이 가장 적은 테이블로 앉힙니다.",
    no_arrivals: "추가할 사람이 없습니다: 확정되고 이름 공개에 동의한 사람은 모두 앉아 있습니다.",
    arrival_button: "자리 배정",
    settings_title: "진행 상황, 시각과 장소",
    rounds_played: "진행한 라운드",
    rounds_played_hint: "늦게 온 사람은 이 다음 라운드부터 앉습니다.",
    save: "저장",
    publish_title: "게시",
    publish_hint: "참석자가 관리 페이지에서 자기 테이블을 보고, 테이블 안내 메일을 받습니다. 다시 게시하면 테이블이 바뀐 사람에게만 메일이 갑니다.",
    publish_button: "게시하고 메일 보내기",
    plan_title: "현장 테이블 안내",
    plan_hint: "현장 화면이나 인쇄용 테이블 안내(이름과 소속만)의 새 링크를 만듭니다. 전에 만든 링크는 더 이상 열리지 않습니다.",
    plan_button: "새 안내 링크 만들기",
    plan_link_title: "테이블 안내 링크",
    plan_link_text: "이 링크는 지금 한 번만 보입니다. 현장 화면에 열거나 복사해 두세요. 전에 만든 링크는 이제 열리지 않습니다.",
    open_plan: "테이블 안내 열기",
    back_to_session: "세션으로 돌아가기",
    back_to_list: "네트워킹 세션 목록",
    too_few: "배치할 참석자가 두 명 이상 필요합니다(확정되고 이름 공개에 동의한 사람).",
    starts_outside: "시작 시각은 행사 시간 안이어야 합니다.",
    room_not_in_venue: "행사 장소의 방을 고르세요.",
    rounds_played_range: "진행한 라운드는 0부터 다음 값까지입니다:",
    not_seatable: "확정되고 이름 공개에 동의한 사람만 앉힐 수 있습니다.",
    not_found: "이 행사나 네트워킹 세션을 찾을 수 없습니다.",
    refused: "이대로는 할 수 없습니다",
    number_invalid: "숫자를 입력하세요.",
    time_invalid: "날짜와 시각을 확인하세요.",
    pick_person: "사람을 고르세요.",
};

const EN: NetworkingWords = NetworkingWords {
    title: "Networking",
    intro: "Attendees sit with new people every round: no two meet twice, and people who met in earlier years are kept apart where possible.",
    seatable_now: "Attendees who can be seated now (confirmed, agreed to share their name; once check-in starts, those checked in)",
    none_yet: "No networking sessions yet.",
    session_title: "Session name",
    people: "People",
    rounds: "Rounds",
    table_size: "Largest table",
    table_size_hint: "6 when left empty",
    starts_at: "Starts at",
    room: "Room",
    no_room: "Not set",
    optional: "optional",
    separate_affiliations: "Never seat people of the same affiliation together",
    hosts: "Table hosts",
    hosts_hint: "Each person chosen stays at one table for every round (a speaker hosting a table). No two hosts share a table.",
    kept_apart: "Keep two people apart",
    kept_apart_hint: "Two people a row: never seated at one table in any round.",
    pair_first: "First person",
    pair_second: "Second person",
    pair_incomplete: "Choose both people.",
    nobody: "(nobody)",
    not_an_attendee: "Choose from the attendees.",
    status: "Status",
    draft: "Not published",
    published: "Published",
    create: "Make the tables",
    create_hint: "Finding the tables can take a few seconds.",
    new_session: "New networking session",
    saved: "Saved.",
    republish_hint: "Changes after publishing reach attendees when you publish again (only those whose tables changed are mailed).",
    report: "Report",
    report_hint: "As computed when the session was made. Repeats after moves and late arrivals are recounted in the list below.",
    participants: "People seated",
    tables_per_round: "Tables per round",
    table_sizes: "Table sizes (smallest–largest)",
    distinct_pairs: "Distinct pairs who meet",
    new_contacts: "New people met per person",
    min_mean_max: "min / mean / max",
    students_per_table: "Students per table",
    alumni_per_table: "Alumni per table",
    cohorts_per_table: "Admission years per table",
    tables_mixing: "Tables mixing students and alumni",
    tables_students_only: "Tables of students only",
    repeats: "People who meet again",
    no_repeats: "Nobody meets twice in this session, and nobody who met in an earlier year.",
    times_together: |n| format!("{n} times at one table"),
    met_in: |year| format!("met in {year}"),
    round: "Round",
    table: "Table",
    tables: "Tables",
    played: "played",
    move_title: "Move a person",
    move_hint: "Moves one person to another table in one round. Pairs who then meet again show in the list above.",
    person: "Person",
    to_table: "To table",
    move_button: "Move",
    arrival_title: "Add a late arrival",
    arrival_hint: "Seats them in the rounds not yet played, where they meet the fewest people again.",
    no_arrivals: "Nobody to add: every confirmed attendee who agreed to share their name is seated.",
    arrival_button: "Seat them",
    settings_title: "Progress, time and room",
    rounds_played: "Rounds played",
    rounds_played_hint: "Late arrivals join from the next round on.",
    save: "Save",
    publish_title: "Publish",
    publish_hint: "Attendees see their tables on their page and get them by mail. Publishing again mails only those whose tables changed.",
    publish_button: "Publish and mail the tables",
    plan_title: "Table plan for the room",
    plan_hint: "Makes a new link to the plan for a screen or print (first names and affiliations only). The link made before stops working.",
    plan_button: "Make a new plan link",
    plan_link_title: "Table plan link",
    plan_link_text: "This link is shown now and never again: open it on the room's screen or copy it. The link made before no longer opens.",
    open_plan: "Open the table plan",
    back_to_session: "Back to the session",
    back_to_list: "Networking sessions",
    too_few: "At least two attendees to seat are needed (confirmed, and agreed to share their name).",
    starts_outside: "The start must lie within the event.",
    room_not_in_venue: "Pick a room of the event's venue.",
    rounds_played_range: "Rounds played go from 0 up to",
    not_seatable: "Only confirmed attendees who agreed to share their name can be seated.",
    not_found: "This event or networking session does not exist.",
    refused: "This cannot be done as it is",
    number_invalid: "Enter a number.",
    time_invalid: "Check the date and time.",
    pick_person: "Pick a person.",
};
