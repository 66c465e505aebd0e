//! The console's events: the list, creating and editing one (the API's `EventInput` and its
//! parse, read from a form), and moving it through its life cycle (publish, close, cancel
//! after a confirmation, since cancelling mails every registrant).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{Duration, Utc};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::form::{Problems, Reader, filled, label_lines, local_input};
use super::program_words::{ProgramWords, program_words, status_name};
use super::{ConsoleForm, ConsolePage, Section, Signed, render, see_other};
use crate::clock::Clock;
use crate::domain::{Invalid, TimeZone};
use crate::email::reminders::{self, ReminderState, ReminderStatus, Reminders, RemindersInput};
use crate::events::{
    DEFAULT_TIME_ZONE, Event, EventError, EventInput, EventOverview, EventStatus, NewEvent,
    create_event, load_event_row, overview, update_event,
};
use crate::registration::links::ManageLinks;
use crate::registration::questions::{Question, event_questions};
use crate::venues::{Venue, list_venues};
use crate::web::form::FormData;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/events").route(web::get().to(list)))
        .service(
            web::resource("/events/new")
                .route(web::get().to(new_form))
                .route(web::post().to(create)),
        )
        .service(web::resource("/events/{event_id}").route(web::get().to(show)))
        .service(
            web::resource("/events/{event_id}/edit")
                .route(web::get().to(edit_form))
                .route(web::post().to(edit)),
        )
        .service(web::resource("/events/{event_id}/status").route(web::post().to(change_status)))
        .service(web::resource("/events/{event_id}/reminders").route(web::post().to(set_reminders)))
        .service(web::resource("/events/{event_id}/cancel").route(web::get().to(confirm_cancel)));
}

/// The console path of an event.
pub fn event_path(id: Uuid) -> String {
    format!("/admin/events/{id}")
}

/// Venues are few (one club, a handful of places): the select lists them all.
const VENUE_CHOICES: u64 = 500;

#[derive(Template)]
#[template(path = "console/events.html")]
struct ListPage {
    page: ConsolePage,
    p: &'static ProgramWords,
    events: Vec<Row>,
}

struct Row {
    overview: EventOverview,
    status: &'static str,
    when: String,
}

pub async fn list(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
) -> HttpResponse {
    let p = program_words(signed.lang);
    let page = ConsolePage::new(&req, &signed, p.events, Section::Events);
    match overview(db.get_ref(), Utc::now()).await {
        Ok(events) => {
            let events = events
                .into_iter()
                .map(|overview| Row {
                    status: status_name(p, overview.event.status),
                    when: when(&overview.event),
                    overview,
                })
                .collect();
            render(StatusCode::OK, &ListPage { page, p, events })
        }
        Err(error) => failed(page, error),
    }
}

/// When an event is, on its own wall clock.
pub fn when(event: &Event) -> String {
    let same_day = event.starts_at.date_naive() == event.ends_at.date_naive();
    let end = if same_day { "%H:%M" } else { "%Y-%m-%d %H:%M" };
    format!(
        "{} – {} ({})",
        event.starts_at.format("%Y-%m-%d %H:%M"),
        event.ends_at.format(end),
        event.time_zone
    )
}

/// A page saying the database failed; the error goes to the log.
pub fn failed(page: ConsolePage, error: impl std::fmt::Display) -> HttpResponse {
    tracing::error!(%error, "a console page could not be read");
    let text = page.w.unavailable_text;
    super::message(StatusCode::SERVICE_UNAVAILABLE, page, text, None)
}

/// The page for a record that does not exist (or no longer does).
pub fn not_found(page: ConsolePage, p: &ProgramWords) -> HttpResponse {
    super::message(
        StatusCode::NOT_FOUND,
        page,
        p.not_found,
        Some(crate::web::Link {
            href: "/admin/events".into(),
            text: p.events.into(),
        }),
    )
}

#[derive(Template)]
#[template(path = "console/event_form.html")]
struct FormPage {
    page: ConsolePage,
    p: &'static ProgramWords,
    /// Where the form posts.
    action: String,
    /// None for a new event.
    event: Option<Uuid>,
    form: FormData,
    problems: Problems,
    venues: Vec<Venue>,
}

const FIELDS: &[&str] = &[
    "title",
    "slug",
    "description",
    "starts_at",
    "ends_at",
    "time_zone",
    "venue_id",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "tags",
    "tags_en",
];

impl FormPage {
    fn others(&self) -> Vec<&crate::error::FieldError> {
        self.problems.others(FIELDS)
    }

    fn selected_venue(&self, venue: &Venue) -> bool {
        self.form.text("venue_id") == venue.id.to_string()
    }
}

async fn form_page(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    event: Option<Uuid>,
    form: FormData,
    problems: Problems,
) -> HttpResponse {
    let p = program_words(signed.lang);
    let (title, action) = match event {
        Some(id) => (p.edit_event, format!("{}/edit", event_path(id))),
        None => (p.new_event, "/admin/events/new".to_string()),
    };
    let page = ConsolePage::new(req, signed, title, Section::Events);
    let venues = match list_venues(db, None, VENUE_CHOICES).await {
        Ok(venues) => venues,
        Err(error) => return failed(page, error),
    };
    let status = problems.status();
    render(
        status,
        &FormPage {
            page,
            p,
            action,
            event,
            form,
            problems,
            venues,
        },
    )
}

async fn new_form(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
) -> HttpResponse {
    let form = filled(&[("time_zone", DEFAULT_TIME_ZONE)]);
    form_page(&req, &signed, &db, None, form, Problems::none()).await
}

/// The event as its form shows it.
fn event_form(event: &Event) -> FormData {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let time =
        |at: Option<chrono::DateTime<chrono::FixedOffset>>| at.map(local_input).unwrap_or_default();
    let mut pairs = vec![
        ("title", event.title.clone()),
        ("slug", event.slug.clone()),
        ("description", text(&event.description)),
        ("starts_at", local_input(event.starts_at)),
        ("ends_at", local_input(event.ends_at)),
        ("time_zone", event.time_zone.clone()),
        (
            "venue_id",
            event.venue_id.map(|id| id.to_string()).unwrap_or_default(),
        ),
        (
            "capacity",
            event.capacity.map(|c| c.to_string()).unwrap_or_default(),
        ),
        ("registration_opens_at", time(event.registration_opens_at)),
        ("registration_closes_at", time(event.registration_closes_at)),
        ("tags", event.tags.join(", ")),
        ("tags_en", label_lines(event.tags_en.as_map())),
    ];
    if event.requires_approval {
        pairs.push(("requires_approval", "yes".into()));
    }
    filled(&pairs)
}

/// The event a submitted form describes, through the API's parse. Its status is left to the
/// life cycle buttons.
fn read_event(data: &FormData, p: &'static ProgramWords) -> Result<NewEvent, Invalid> {
    let mut r = Reader::new(data, p);
    let time_zone = r.optional("time_zone");
    // A zone that does not parse is reported by the parse below; times are read in Seoul's.
    let zone = TimeZone::parse(time_zone.as_deref().unwrap_or(DEFAULT_TIME_ZONE))
        .unwrap_or(TimeZone::SEOUL);
    let now = Utc::now().fixed_offset();
    let starts_at = r.required_time("starts_at", zone, now);
    let ends_at = r.required_time("ends_at", zone, now + Duration::hours(1));
    let input = EventInput {
        title: r.text("title"),
        slug: r.optional("slug"),
        description: r.optional("description"),
        starts_at,
        ends_at,
        time_zone,
        venue_id: r.id("venue_id"),
        capacity: r.number("capacity"),
        registration_opens_at: r.time("registration_opens_at", zone),
        registration_closes_at: r.time("registration_closes_at", zone),
        tags: r.list("tags"),
        tags_en: r.labels("tags_en"),
        requires_approval: r.checked("requires_approval"),
        status: None,
    };
    r.finish(input.parse())
}

async fn create(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
) -> HttpResponse {
    let p = program_words(form.lang());
    let result = match read_event(&form.data, p) {
        Ok(new) => create_event(&db, new).await,
        Err(invalid) => Err(invalid.into()),
    };
    match result {
        Ok(event) => see_other(&event_path(event.id)),
        Err(error) => {
            form_page(
                &req,
                &form.signed,
                &db,
                None,
                form.data.clone(),
                Problems::of(error),
            )
            .await
        }
    }
}

async fn edit_form(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    path: web::Path<Uuid>,
) -> HttpResponse {
    let id = path.into_inner();
    match load_event(&db, id).await {
        Ok(event) => {
            form_page(
                &req,
                &signed,
                &db,
                Some(id),
                event_form(&event),
                Problems::none(),
            )
            .await
        }
        Err(error) => refused_page(&req, &signed, error),
    }
}

async fn edit(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    links: web::Data<ManageLinks>,
    path: web::Path<Uuid>,
) -> HttpResponse {
    let id = path.into_inner();
    let p = program_words(form.lang());
    let result = match read_event(&form.data, p) {
        Ok(new) => update_event(&db, &links, id, |_| Ok(new.clone())).await,
        Err(invalid) => Err(invalid.into()),
    };
    match result {
        Ok(event) => see_other(&event_path(event.id)),
        Err(EventError::NotFound) => refused_page(&req, &form.signed, EventError::NotFound),
        Err(error) => {
            form_page(
                &req,
                &form.signed,
                &db,
                Some(id),
                form.data.clone(),
                Problems::of(error),
            )
            .await
        }
    }
}

pub async fn load_event(db: &DatabaseConnection, id: Uuid) -> Result<Event, EventError> {
    Ok(Event::try_from(load_event_row(db, id).await?)?)
}

/// The page for an event that could not be read.
pub fn refused_page(req: &HttpRequest, signed: &Signed, error: EventError) -> HttpResponse {
    let p = program_words(signed.lang);
    let page = ConsolePage::new(req, signed, p.events, Section::Events);
    match error {
        EventError::NotFound => not_found(page, p),
        error => failed(page, error),
    }
}

#[derive(Template)]
#[template(path = "console/event.html")]
struct EventPage {
    page: ConsolePage,
    p: &'static ProgramWords,
    event: Event,
    status: &'static str,
    when: String,
    venue: Option<Venue>,
    confirmed: i64,
    waitlisted: i64,
    questions: Vec<Question>,
    reminders: Reminders,
    /// The reminder offsets as the form shows them (what was typed, after a refusal).
    offsets: String,
    /// The life cycle steps open from here (cancel goes through its confirmation).
    steps: Vec<Step>,
    can_cancel: bool,
    problems: Problems,
}

struct Step {
    status: &'static str,
    label: &'static str,
}

impl EventPage {
    fn window(&self) -> String {
        let at = |at: Option<chrono::DateTime<chrono::FixedOffset>>| {
            at.map(|at| at.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_else(|| "—".into())
        };
        format!(
            "{} – {}",
            at(self.event.registration_opens_at),
            at(self.event.registration_closes_at)
        )
    }

    /// The problems of fields the page does not show (of its forms, only the reminders').
    fn others(&self) -> Vec<&crate::error::FieldError> {
        self.problems.others(&["offsets"])
    }

    fn reminder_state(&self, state: &ReminderState) -> &'static str {
        match state.state {
            ReminderStatus::Scheduled => self.p.reminder_scheduled,
            ReminderStatus::Due => self.p.reminder_due,
            ReminderStatus::Queued => self.p.reminder_queued,
            ReminderStatus::Skipped => self.p.reminder_skipped,
        }
    }

    fn due_at(&self, state: &ReminderState) -> String {
        crate::domain::in_zone(state.due_at, &self.event.time_zone)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    fn kind_name(&self, question: &Question) -> &'static str {
        super::program_words::question_kind_name(self.p, question.kind)
    }
}

async fn show(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    path: web::Path<Uuid>,
) -> HttpResponse {
    event_page(
        &req,
        &signed,
        &db,
        path.into_inner(),
        Problems::none(),
        None,
    )
    .await
}

async fn event_page(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    id: Uuid,
    problems: Problems,
    typed_offsets: Option<String>,
) -> HttpResponse {
    let p = program_words(signed.lang);
    let row = match load_event_row(db, id).await {
        Ok(row) => row,
        Err(error) => return refused_page(req, signed, error),
    };
    let page = ConsolePage::new(req, signed, row.title.clone(), Section::Events);
    let loaded = async {
        let reminders = reminders::reminders(db, &row, Utc::now()).await?;
        let overview = EventOverview::try_from(row)?;
        let venue = match overview.event.venue_id {
            Some(venue_id) => crate::venues::load_venue(db, venue_id).await?,
            None => None,
        };
        let questions = event_questions(db, id).await?;
        Ok::<_, sea_orm::DbErr>((overview, venue, questions, reminders))
    };
    let (overview, venue, questions, reminders) = match loaded.await {
        Ok(loaded) => loaded,
        Err(error) => return failed(page, error),
    };
    let status = overview.event.status;
    let steps = [
        (EventStatus::Published, p.publish),
        (EventStatus::Closed, p.close),
        (EventStatus::Completed, p.complete),
    ]
    .into_iter()
    .filter(|(next, _)| status.can_become(*next))
    .map(|(next, label)| Step {
        status: next.as_str(),
        label,
    })
    .collect();
    let status_code = problems.status();
    render(
        status_code,
        &EventPage {
            page,
            p,
            status: status_name(p, status),
            when: when(&overview.event),
            can_cancel: status.can_become(EventStatus::Cancelled),
            event: overview.event,
            venue,
            confirmed: overview.confirmed,
            waitlisted: overview.waitlisted,
            questions,
            offsets: typed_offsets.unwrap_or_else(|| reminders.offsets.join(", ")),
            reminders,
            steps,
            problems,
        },
    )
}

#[derive(Template)]
#[template(path = "console/event_cancel.html")]
struct CancelPage {
    page: ConsolePage,
    p: &'static ProgramWords,
    event: Event,
    /// How many people the cancellation mails.
    told: i64,
}

async fn confirm_cancel(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    path: web::Path<Uuid>,
) -> HttpResponse {
    cancel_page(&req, &signed, &db, path.into_inner()).await
}

async fn cancel_page(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    id: Uuid,
) -> HttpResponse {
    let p = program_words(signed.lang);
    let overview = match load_event_row(db, id)
        .await
        .and_then(|row| Ok(EventOverview::try_from(row)?))
    {
        Ok(overview) => overview,
        Err(error) => return refused_page(req, signed, error),
    };
    let page = ConsolePage::new(req, signed, p.cancel_event, Section::Events);
    // Only an event that was ever published has registrants to tell.
    let told = if overview.event.published_at.is_some() {
        overview.confirmed + overview.waitlisted
    } else {
        0
    };
    render(
        StatusCode::OK,
        &CancelPage {
            page,
            p,
            event: overview.event,
            told,
        },
    )
}

/// A life cycle step. Cancelling only happens from the confirmation page, which sends
/// `confirm`; without it the confirmation is shown and nothing changes.
async fn change_status(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    links: web::Data<ManageLinks>,
    path: web::Path<Uuid>,
) -> HttpResponse {
    let id = path.into_inner();
    let Some(next) = EventStatus::parse(form.data.text("status")) else {
        let p = program_words(form.lang());
        let problems = Problems::of(Invalid::field("status", p.not_a_choice));
        return event_page(&req, &form.signed, &db, id, problems, None).await;
    };
    if next == EventStatus::Cancelled && form.data.first("confirm") != Some("yes") {
        return cancel_page(&req, &form.signed, &db, id).await;
    }
    let result = update_event(&db, &links, id, |current| {
        EventInput {
            status: Some(next),
            ..current
        }
        .parse()
    })
    .await;
    match result {
        Ok(event) => see_other(&event_path(event.id)),
        Err(error) => event_page(&req, &form.signed, &db, id, Problems::of(error), None).await,
    }
}

/// Replaces the event's reminder offsets (`7d, 1d`; empty for none), parsed as the API's.
async fn set_reminders(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    clock: web::Data<Clock>,
    path: web::Path<Uuid>,
) -> HttpResponse {
    let id = path.into_inner();
    let r = Reader::new(&form.data, program_words(form.lang()));
    let input = RemindersInput {
        offsets: r.list("offsets"),
    };
    let result = match input.parse() {
        Ok(offsets) => reminders::set_reminders(&db, id, &offsets, clock.now())
            .await
            .map_err(EventError::from)
            .and_then(|set| set.ok_or(EventError::NotFound)),
        Err(invalid) => Err(invalid.into()),
    };
    match result {
        Ok(_) => see_other(&event_path(id)),
        Err(EventError::NotFound) => refused_page(&req, &form.signed, EventError::NotFound),
        Err(error) => {
            let typed = form.data.text("offsets").to_string();
            event_page(
                &req,
                &form.signed,
                &db,
                id,
                Problems::of(error),
                Some(typed),
            )
            .await
        }
    }
}
