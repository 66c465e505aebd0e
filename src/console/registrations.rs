//! An event's registrations: search and filter, approve / reject / cancel, edit, the CSV
//! export, and each person's history across years. Every change goes through the same
//! registration functions as the API.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sea_orm::DatabaseConnection;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::people_words::{PeopleWords, people_words};
use super::records::{EventHead, Failure, event, events_by_start, local_time, next_event};
use super::{ConsoleForm, ConsolePage, Section, Signed, console_words, render, see_other};
use crate::clock::Clock;
use crate::csv_download::csv_download;
use crate::error::FieldError;
use crate::organizers::sign_in::is_console_path;
use crate::people::{self, HistoryEntry};
use crate::registration::links::ManageLinks;
use crate::registration::status::{self, Decision};
use crate::registration::store::{self, AnswersChange, Locator, Registration, RegistrationFilter};
use crate::registration::{RegistrationError, RegistrationStatus, export};
use crate::web::form::localize;
use crate::web::i18n::Words;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/registrations").route(web::get().to(next_events)))
        .service(web::resource("/events/{event_id}/registrations").route(web::get().to(list)))
        .service(
            web::resource("/events/{event_id}/exports/registrations.csv")
                .route(web::get().to(download)),
        )
        .service(
            web::resource("/events/{event_id}/registrations/{registration_id}")
                .route(web::get().to(show))
                .route(web::post().to(save)),
        )
        .service(
            web::resource("/events/{event_id}/registrations/{registration_id}/{action}")
                .route(web::post().to(act)),
        );
}

/// The menu's "registrations": those of the next event.
async fn next_events(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    clock: web::Data<Clock>,
) -> HttpResponse {
    match events_by_start(db.get_ref()).await {
        Ok(events) => match next_event(&events, clock.now()) {
            Some(event) => see_other(&format!("/admin/events/{}/registrations", event.id)),
            None => see_other("/admin"),
        },
        Err(error) => Failure::from(error).page(&req, &signed, Section::Registrations),
    }
}

/// A registration as a row of the list: the words and links the page shows.
struct Row {
    id: Uuid,
    href: String,
    name: String,
    email: String,
    affiliation: String,
    status: &'static str,
    waitlist_position: Option<u64>,
    registered_at: String,
    actions: Vec<ActionButton>,
}

struct ActionButton {
    action: &'static str,
    text: &'static str,
    danger: bool,
}

/// What an organizer can do to a registration, each by its own store function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Approve,
    Reject,
    Cancel,
}

impl Action {
    fn parse(raw: &str) -> Option<Self> {
        match raw {
            "approve" => Some(Action::Approve),
            "reject" => Some(Action::Reject),
            "cancel" => Some(Action::Cancel),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Cancel => "cancel",
        }
    }

    /// The actions a registration offers: a decision while pending, cancelling while it
    /// holds or waits for a seat and the person has not arrived.
    fn offered(registration: &Registration) -> Vec<Action> {
        match registration.status {
            RegistrationStatus::Pending => vec![Action::Approve, Action::Reject, Action::Cancel],
            status if status.is_active() && registration.checked_in_at.is_none() => {
                vec![Action::Cancel]
            }
            _ => Vec::new(),
        }
    }

    fn button(self, w: &PeopleWords) -> ActionButton {
        ActionButton {
            action: self.as_str(),
            text: match self {
                Action::Approve => w.approve,
                Action::Reject => w.reject,
                Action::Cancel => w.cancel,
            },
            danger: self != Action::Approve,
        }
    }
}

fn row(signed: &Signed, zone: &str, registration: &Registration) -> Row {
    let w = people_words(signed.lang);
    Row {
        id: registration.id,
        href: format!(
            "/admin/events/{}/registrations/{}",
            registration.event_id, registration.id
        ),
        name: registration.name.clone(),
        email: registration.email.clone().unwrap_or_default(),
        affiliation: registration.affiliation.clone().unwrap_or_default(),
        status: signed.lang.status(registration.status),
        waitlist_position: registration.waitlist_position,
        registered_at: local_time(registration.created_at, zone),
        actions: Action::offered(registration)
            .into_iter()
            .map(|action| action.button(w))
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "console/registrations.html")]
struct ListPage {
    page: ConsolePage,
    pw: &'static PeopleWords,
    head: EventHead,
    q: String,
    statuses: Vec<StatusChoice>,
    rows: Vec<Row>,
    /// This list's own address, where its buttons come back to.
    back: String,
}

struct StatusChoice {
    value: &'static str,
    text: &'static str,
    selected: bool,
}

#[derive(serde::Deserialize)]
struct ListQuery {
    q: Option<String>,
    status: Option<String>,
}

async fn list(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    event_id: web::Path<Uuid>,
    query: web::Query<ListQuery>,
) -> HttpResponse {
    match list_page(&req, &signed, &db, *event_id, &query).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(failure) => failure.page(&req, &signed, Section::Registrations),
    }
}

async fn list_page(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    event_id: Uuid,
    query: &ListQuery,
) -> Result<ListPage, Failure> {
    let event = event(db, event_id).await?;
    // An unknown status shows every registration rather than an error: it can only come
    // from an edited address.
    let status = query.status.as_deref().and_then(RegistrationStatus::parse);
    let q = query.q.clone().unwrap_or_default();
    let filter = RegistrationFilter {
        status,
        search: Some(q.clone()),
    };
    let registrations = store::list(db, event.id, &filter, None, None).await?;
    let w = people_words(signed.lang);
    let mut statuses = vec![StatusChoice {
        value: "",
        text: w.all_statuses,
        selected: status.is_none(),
    }];
    statuses.extend(RegistrationStatus::ALL.iter().map(|choice| StatusChoice {
        value: choice.as_str(),
        text: signed.lang.status(*choice),
        selected: status == Some(*choice),
    }));
    Ok(ListPage {
        page: ConsolePage::new(
            req,
            signed,
            format!(
                "{} · {}",
                console_words(signed.lang).registrations,
                event.title
            ),
            Section::Registrations,
        ),
        pw: w,
        head: EventHead::new(&event, signed, Section::Registrations),
        q,
        statuses,
        rows: registrations
            .iter()
            .map(|registration| row(signed, &event.time_zone, registration))
            .collect(),
        back: match req.query_string() {
            "" => req.path().to_string(),
            query => format!("{}?{query}", req.path()),
        },
    })
}

/// The CSV export, the same file as the API's.
async fn download(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    event_id: web::Path<Uuid>,
) -> HttpResponse {
    let failure = match export::event_export(db.get_ref(), *event_id).await {
        Ok((filename, records)) => match csv_download(&filename, records) {
            Ok(response) => return response,
            Err(error) => Failure::Database(sea_orm::DbErr::Custom(format!("{error:?}"))),
        },
        Err(error) => error.into(),
    };
    failure.page(&req, &signed, Section::Registrations)
}

#[derive(Template)]
#[template(path = "console/registration.html")]
struct RegistrationPage {
    page: ConsolePage,
    pw: &'static PeopleWords,
    head: EventHead,
    row: Row,
    checkin_code: Option<String>,
    editable: bool,
    fields: Vec<EditField>,
    /// Errors of fields the form does not show.
    other_errors: Vec<String>,
    notice: Option<Notice>,
    history: Vec<HistoryRow>,
    person_href: Option<String>,
    back: String,
}

/// A message above the page: a success (`ok`) or why nothing was done.
pub struct Notice {
    pub text: String,
    pub ok: bool,
}

/// One field of the edit form with what was entered and its error.
struct EditField {
    name: &'static str,
    label: &'static str,
    value: String,
    error: Option<String>,
}

/// The fields the console edits: the profile an organizer is asked to correct.
const EDITED: [&str; 5] = [
    "name",
    "affiliation",
    "job_title",
    "admission_year",
    "graduation_year",
];

fn label(w: &PeopleWords, field: &str) -> &'static str {
    match field {
        "name" => w.name,
        "affiliation" => w.affiliation,
        "job_title" => w.job_title,
        "admission_year" => w.admission_year,
        _ => w.graduation_year,
    }
}

fn current_value(registration: &Registration, field: &str) -> String {
    let year = |year: Option<i32>| year.map(|y| y.to_string()).unwrap_or_default();
    match field {
        "name" => registration.name.clone(),
        "affiliation" => registration.affiliation.clone().unwrap_or_default(),
        "job_title" => registration.job_title.clone().unwrap_or_default(),
        "admission_year" => year(registration.admission_year),
        _ => year(registration.graduation_year),
    }
}

/// A person's registrations at every event, as the history table shows them.
pub struct HistoryRow {
    pub event_href: String,
    pub event_title: String,
    pub year: i32,
    pub status: &'static str,
    pub attended: bool,
}

pub fn history_rows(signed: &Signed, history: &[HistoryEntry]) -> Vec<HistoryRow> {
    history
        .iter()
        .map(|entry| HistoryRow {
            event_href: format!("/admin/events/{}/registrations", entry.event_id),
            event_title: entry.event_title.clone(),
            year: entry.year,
            status: signed.lang.status(entry.status),
            attended: entry.checked_in,
        })
        .collect()
}

#[derive(serde::Deserialize)]
struct ShowQuery {
    saved: Option<String>,
}

async fn show(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<ShowQuery>,
) -> HttpResponse {
    let (event_id, id) = path.into_inner();
    let notice = query.saved.as_ref().map(|_| Notice {
        text: people_words(signed.lang).saved.into(),
        ok: true,
    });
    let shown = registration_page(&req, &signed, &db, event_id, id, None, notice).await;
    respond(&req, &signed, StatusCode::OK, shown)
}

fn respond(
    req: &HttpRequest,
    signed: &Signed,
    status: StatusCode,
    page: Result<RegistrationPage, Failure>,
) -> HttpResponse {
    match page {
        Ok(page) => render(status, &page),
        Err(failure) => failure.page(req, signed, Section::Registrations),
    }
}

/// What the organizer typed into the edit form, with the errors it got.
struct Entered<'a> {
    form: &'a ConsoleForm,
    errors: Vec<FieldError>,
}

async fn registration_page(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    event_id: Uuid,
    id: Uuid,
    entered: Option<Entered<'_>>,
    notice: Option<Notice>,
) -> Result<RegistrationPage, Failure> {
    let event = event(db, event_id).await?;
    let registration = store::find(db, &Locator::InEvent { event_id, id }).await?;
    let person = match people::store::find(db, registration.person_id).await {
        Ok(person) => Some(person),
        Err(people::store::PeopleError::PersonNotFound) => None,
        Err(people::store::PeopleError::Database(error)) => return Err(error.into()),
    };
    let w = people_words(signed.lang);
    let errors = entered.as_ref().map(|e| e.errors.as_slice()).unwrap_or(&[]);
    let fields = EDITED
        .iter()
        .map(|field| EditField {
            name: field,
            label: label(w, field),
            value: match &entered {
                Some(entered) => entered.form.data.text(field).to_string(),
                None => current_value(&registration, field),
            },
            error: errors
                .iter()
                .find(|error| error.field == *field)
                .map(|error| localize(signed.lang, error)),
        })
        .collect();
    Ok(RegistrationPage {
        page: ConsolePage::new(
            req,
            signed,
            registration.name.clone(),
            Section::Registrations,
        ),
        pw: w,
        head: EventHead::new(&event, signed, Section::Registrations),
        row: row(signed, &event.time_zone, &registration),
        checkin_code: registration.checkin_code.clone(),
        editable: registration.status.is_active(),
        fields,
        other_errors: errors
            .iter()
            .filter(|error| !EDITED.contains(&error.field.as_str()))
            .map(|error| format!("{}: {}", error.field, localize(signed.lang, error)))
            .collect(),
        notice,
        history: person
            .as_ref()
            .map(|person| history_rows(signed, &person.history))
            .unwrap_or_default(),
        person_href: person.map(|person| format!("/admin/people/{}", person.id)),
        back: req.path().to_string(),
    })
}

/// The edit form as a JSON merge patch over the registration, as the API's PATCH takes it:
/// an empty field clears it; the registration rules then judge the result alike.
fn patch_of(form: &ConsoleForm) -> Value {
    let mut patch = Map::new();
    for field in EDITED {
        let raw = form.data.text(field).trim();
        let value = if raw.is_empty() {
            Value::Null
        } else if field.ends_with("_year") {
            // A year that is no number is left as text for the rules to refuse.
            raw.parse::<i64>()
                .map_or_else(|_| Value::String(raw.into()), Value::from)
        } else {
            Value::String(raw.into())
        };
        patch.insert(field.into(), value);
    }
    Value::Object(patch)
}

async fn save(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> HttpResponse {
    let (event_id, id) = path.into_inner();
    let signed = form.signed.clone();
    let locator = Locator::InEvent { event_id, id };
    let patch = patch_of(&form);
    let (status, entered, notice) =
        match store::update_answers(&db, &locator, AnswersChange::Patch(&patch)).await {
            Ok(_) => {
                return see_other(&format!(
                    "/admin/events/{event_id}/registrations/{id}?saved=1"
                ));
            }
            Err(RegistrationError::Invalid(invalid)) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(Entered {
                    form: &form,
                    errors: invalid.0,
                }),
                Notice {
                    text: people_words(signed.lang).fix_errors.into(),
                    ok: false,
                },
            ),
            Err(error) => {
                let (status, text) = refusal(signed.lang, &error);
                (status, None, Notice { text, ok: false })
            }
        };
    let page = registration_page(&req, &signed, &db, event_id, id, entered, Some(notice)).await;
    respond(&req, &signed, status, page)
}

/// Why a change was refused, in the organizer's words, and the status of the answer.
fn refusal(lang: crate::registration::Language, error: &RegistrationError) -> (StatusCode, String) {
    let w = people_words(lang);
    let (status, text) = match error {
        RegistrationError::NotPending(_) => (StatusCode::CONFLICT, w.not_pending),
        RegistrationError::AlreadyInactive(_) => (StatusCode::CONFLICT, w.not_active),
        RegistrationError::Unchangeable(_) => (StatusCode::CONFLICT, w.not_changeable),
        RegistrationError::CheckedIn => (StatusCode::CONFLICT, w.already_checked_in),
        RegistrationError::RegistrationNotFound | RegistrationError::EventNotFound => {
            (StatusCode::NOT_FOUND, w.registration_gone)
        }
        error => {
            tracing::error!(%error, "console registration change failed");
            (StatusCode::SERVICE_UNAVAILABLE, w.busy)
        }
    };
    (status, text.to_string())
}

async fn act(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    links: web::Data<ManageLinks>,
    path: web::Path<(Uuid, Uuid, String)>,
) -> HttpResponse {
    let (event_id, id, action) = path.into_inner();
    let signed = form.signed.clone();
    let Some(action) = Action::parse(&action) else {
        return Failure::NotFound.page(&req, &signed, Section::Registrations);
    };
    let locator = Locator::InEvent { event_id, id };
    let done = match action {
        Action::Approve => status::decide(&db, &links, &locator, Decision::Approve).await,
        Action::Reject => status::decide(&db, &links, &locator, Decision::Reject).await,
        Action::Cancel => status::cancel(&db, &links, &locator).await,
    };
    match done {
        Ok(_) => {
            let back = form
                .data
                .first("back")
                .filter(|back| is_console_path(back))
                .unwrap_or("/admin");
            see_other(back)
        }
        Err(error) => {
            let (status, text) = refusal(signed.lang, &error);
            let notice = Notice { text, ok: false };
            let page =
                registration_page(&req, &signed, &db, event_id, id, None, Some(notice)).await;
            respond(&req, &signed, status, page)
        }
    }
}
