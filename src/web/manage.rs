//! `/registrations/{token}`: the personal manage page. The token (the secret in the manage
//! link) reaches this one registration and its event's public information, nothing else.
//! Every answer is `no-store` and `no-referrer`, and every change is a POST with the CSRF
//! check.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use entity::event;
use qrcode::QrCode;
use qrcode::render::svg;
use sea_orm::DatabaseConnection;

use super::form::{FormData, FormOptions, FormView, with_rule_errors};
use super::i18n::Words;
use super::post::FormPost;
use super::register::speaker_choices;
use super::{
    Link, Page, Privacy, WebState, failure, failure_or_not_found, link, render, requested_lang,
    see_other, with_cookie,
};
use crate::domain::{Invalid, in_zone};
use crate::door;
use crate::error::{ApiError, FieldError};
use crate::ics::{CalendarEvent, Place, registration_entry};
use crate::networking::tables::{SessionTables, tables_of};
use crate::public::{PublicEvent, public_event};
use crate::registration::routes::PublicBaseUrl;
use crate::registration::status;
use crate::registration::store::{self, AnswersChange, Locator, Registration};
use crate::registration::{
    FormContext, Language, RegistrationError, RegistrationInput, RegistrationStatus, manage_path,
};

/// The door QR's smallest side in pixels: scannable from a phone at arm's length.
const QR_MIN_PIXELS: u32 = 192;

#[derive(Template)]
#[template(path = "manage.html")]
struct ManagePage {
    page: Page,
    event_title: String,
    event_href: String,
    when: String,
    starts_iso: String,
    venue: Option<String>,
    name: String,
    notice: Option<&'static str>,
    errors: Vec<&'static str>,
    status: &'static str,
    position: Option<String>,
    checkin: Option<CheckinView>,
    ics_href: String,
    cancel: Option<Link>,
    /// The answers to change; absent once the registration is no longer active.
    form: Option<FormView>,
    /// The person's tables in the event's published networking sessions.
    tables: Vec<TablesView>,
}

struct TablesView {
    title: String,
    /// "Round 1: table 3 — 김민준 (Toss), Jane".
    lines: Vec<String>,
}

struct CheckinView {
    code: String,
    /// The QR code as inline SVG.
    svg: String,
    checked_in: Option<String>,
}

#[derive(Template)]
#[template(path = "cancel.html")]
struct CancelPage {
    page: Page,
    event_title: String,
    heading: &'static str,
    text: &'static str,
    button: &'static str,
    action: String,
    csrf: String,
    back_href: String,
}

/// A registration with its event (loaded once) and its form.
struct Loaded {
    registration: Registration,
    event: PublicEvent,
    row: event::Model,
    context: FormContext,
    /// Seats in published networking sessions (confirmed registrations only).
    tables: Vec<SessionTables>,
}

impl Loaded {
    async fn load(db: &DatabaseConnection, token: &str) -> Result<Self, ApiError> {
        let registration = store::find(db, &Locator::ManageToken(token)).await?;
        let row = store::event_of(db, &registration).await?;
        let event = public_event(db, &row).await?;
        let context = store::form_context(db, &row).await?;
        let tables = if registration.status == RegistrationStatus::Confirmed {
            tables_of(db, registration.event_id, registration.id).await?
        } else {
            Vec::new()
        };
        Ok(Self {
            registration,
            event,
            row,
            context,
            tables,
        })
    }

    /// `?lang=`, else the language the person chose for their emails.
    fn lang(&self, req: &HttpRequest) -> Language {
        requested_lang(req).unwrap_or(self.registration.language)
    }
}

/// An unknown token: a 404 page that, like every manage answer, is neither cached nor
/// passed on as a referrer.
fn unknown(req: &HttpRequest, error: impl Into<ApiError>) -> HttpResponse {
    let lang = super::negotiate(req);
    failure_or_not_found(req, lang, error, lang.t().registration_not_found_text)
}

/// What the manage page says above the form.
#[derive(Default)]
struct Notices {
    /// What was just done.
    done: Option<&'static str>,
    /// What went wrong.
    errors: Vec<&'static str>,
}

// The page is made from the request's parts; a struct of them would only rename them.
#[allow(clippy::too_many_arguments)]
fn manage_page(
    lang: Language,
    token: &str,
    loaded: &Loaded,
    values: &FormData,
    field_errors: &[FieldError],
    notices: Notices,
    csrf_token: String,
    base_url: &str,
) -> ManagePage {
    let t = lang.t();
    let registration = &loaded.registration;
    let event = &loaded.event;
    let path = manage_path(token);
    let active = registration.status.is_active();
    let context = &loaded.context;
    let form = active.then(|| {
        let speakers = speaker_choices(event, context);
        let options = FormOptions {
            tags: &context.tags,
            speakers: &speakers,
            questions: &context.questions,
        };
        let mut form = FormView::new(lang, values, field_errors, &options, false);
        form.action = link(&path, lang);
        form.csrf = csrf_token;
        form.heading_tag = "h3";
        form.submit = t.save;
        form
    });
    let checkin = registration.checkin_code.as_ref().map(|code| CheckinView {
        code: code.clone(),
        svg: qr_svg(
            &door::checkin_url(base_url, registration.event_id, code),
            &lang.qr_label(code),
        ),
        checked_in: registration
            .checked_in_at
            .map(|at| lang.checked_in_at(&lang.date_time(&in_zone(at, &loaded.row.time_zone)))),
    });
    let cancel = active.then(|| Link {
        href: link(&format!("{path}/cancel"), lang),
        text: if registration.status == RegistrationStatus::Waitlisted {
            t.leave_waitlist_link
        } else {
            t.cancel_link
        }
        .into(),
    });
    ManagePage {
        page: Page::new(lang, lang.page_title(t.manage_title, &event.title), &path),
        event_title: event.title.clone(),
        event_href: link(&format!("/events/{}", event.slug), lang),
        when: lang.span(&event.starts_at, &event.ends_at),
        starts_iso: event.starts_at.to_rfc3339(),
        venue: event
            .venue
            .as_ref()
            .map(|venue| format!("{}, {}", venue.name, venue.address)),
        name: registration.name.clone(),
        notice: notices.done,
        errors: notices.errors,
        status: lang.status(registration.status),
        position: registration
            .waitlist_position
            .map(|position| lang.waitlist_position(position)),
        checkin,
        ics_href: format!("{path}/event.ics"),
        cancel,
        form,
        tables: loaded
            .tables
            .iter()
            .map(|session| TablesView {
                title: session.title.clone(),
                lines: session
                    .lines
                    .iter()
                    .map(|line| lang.table_line(line.round, line.table, &line.mates))
                    .collect(),
            })
            .collect(),
    }
}

/// The door check-in URL as an inline SVG QR code, labelled for screen readers.
fn qr_svg(content: &str, label: &str) -> String {
    let Ok(qr) = QrCode::new(content.as_bytes()) else {
        return String::new();
    };
    let image = qr
        .render::<svg::Color<'_>>()
        .min_dimensions(QR_MIN_PIXELS, QR_MIN_PIXELS)
        .quiet_zone(true)
        .build();
    // Inline SVG needs no XML declaration.
    let image = image.find("<svg").map_or(image.as_str(), |at| &image[at..]);
    image.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{}\" ",
            askama::filters::escape(label, askama::filters::Html)
                .map(|escaped| escaped.to_string())
                .unwrap_or_default()
        ),
        1,
    )
}

pub async fn show(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    state: web::Data<WebState>,
    base_url: web::Data<PublicBaseUrl>,
    token: web::Path<String>,
) -> HttpResponse {
    let loaded = match Loaded::load(&db, &token).await {
        Ok(loaded) => loaded,
        Err(error) => return unknown(&req, error),
    };
    let lang = loaded.lang(&req);
    let t = lang.t();
    let done = match super::query_param(&req, "done").as_deref() {
        Some("saved") => Some(t.saved_notice),
        Some("cancelled") => Some(t.cancelled_done),
        _ => None,
    };
    let (csrf_token, cookie) = state.csrf.for_form(&req);
    let values = FormData::from_input(&RegistrationInput::from(&loaded.registration));
    let notices = Notices {
        done,
        ..Notices::default()
    };
    let page = manage_page(
        lang,
        &token,
        &loaded,
        &values,
        &[],
        notices,
        csrf_token,
        &base_url.0,
    );
    with_cookie(render(StatusCode::OK, Privacy::Private, &page), cookie)
}

/// Saves changed answers (the email stays), with the same inline errors as the form.
pub async fn update(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    base_url: web::Data<PublicBaseUrl>,
    token: web::Path<String>,
    post: FormPost,
) -> HttpResponse {
    let lang = post.lang;
    let csrf_token = post.csrf_token();
    let loaded = match Loaded::load(&db, &token).await {
        Ok(loaded) => loaded,
        Err(error) => return unknown(&req, error),
    };
    let mut values = post.data;
    values.set(
        "email",
        loaded.registration.email.as_deref().unwrap_or_default(),
    );
    let (input, errors) = values.to_input(&loaded.context.questions);
    let rerender = |status: StatusCode, errors: &[FieldError], notices: Notices| {
        let page = manage_page(
            lang,
            &token,
            &loaded,
            &values,
            errors,
            notices,
            csrf_token.clone(),
            &base_url.0,
        );
        render(status, Privacy::Private, &page)
    };
    if !errors.is_empty() {
        let errors = match input.parse(&loaded.context) {
            Err(Invalid(rules)) => with_rule_errors(errors, rules),
            Ok(_) => errors,
        };
        return rerender(
            StatusCode::UNPROCESSABLE_ENTITY,
            &errors,
            Notices::default(),
        );
    }
    let locator = Locator::ManageToken(&token);
    match store::update_answers(&db, &locator, AnswersChange::Replace(&input)).await {
        Ok(_) => see_other(
            &format!("{}&done=saved", link(&manage_path(&token), lang)),
            Privacy::Private,
        ),
        Err(RegistrationError::Invalid(Invalid(errors))) => rerender(
            StatusCode::UNPROCESSABLE_ENTITY,
            &errors,
            Notices::default(),
        ),
        Err(RegistrationError::Unchangeable(_)) => {
            let notices = Notices {
                errors: vec![lang.t().err_not_active],
                ..Notices::default()
            };
            rerender(StatusCode::CONFLICT, &[], notices)
        }
        Err(error) => failure(&req, lang, error),
    }
}

/// "Are you sure?" before cancelling or leaving the waitlist.
pub async fn confirm_cancel(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    state: web::Data<WebState>,
    token: web::Path<String>,
) -> HttpResponse {
    let loaded = match Loaded::load(&db, &token).await {
        Ok(loaded) => loaded,
        Err(error) => return unknown(&req, error),
    };
    let lang = loaded.lang(&req);
    let path = manage_path(&token);
    if !loaded.registration.status.is_active() {
        return see_other(&link(&path, lang), Privacy::Private);
    }
    let t = lang.t();
    let (heading, text, button) = match loaded.registration.status {
        RegistrationStatus::Waitlisted => (t.leave_heading, t.leave_text, t.confirm_leave),
        RegistrationStatus::Pending => (t.cancel_heading, t.cancel_pending_text, t.confirm_cancel),
        _ => (t.cancel_heading, t.cancel_text, t.confirm_cancel),
    };
    let (csrf_token, cookie) = state.csrf.for_form(&req);
    let cancel_path = format!("{path}/cancel");
    let page = CancelPage {
        page: Page::new(
            lang,
            lang.page_title(heading, &loaded.event.title),
            &cancel_path,
        ),
        event_title: loaded.event.title.clone(),
        heading,
        text,
        button,
        action: link(&cancel_path, lang),
        csrf: csrf_token,
        back_href: link(&path, lang),
    };
    with_cookie(render(StatusCode::OK, Privacy::Private, &page), cookie)
}

/// Cancels (or leaves the waitlist); a freed seat goes to the head of the waitlist.
pub async fn cancel(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    token: web::Path<String>,
    post: FormPost,
) -> HttpResponse {
    let page = link(&manage_path(&token), post.lang);
    match status::cancel(&db, &Locator::ManageToken(&token)).await {
        Ok(_) => see_other(&format!("{page}&done=cancelled"), Privacy::Private),
        // Already cancelled (a second click): the page shows the state as it is.
        Err(RegistrationError::AlreadyInactive(_)) => see_other(&page, Privacy::Private),
        Err(error) => unknown(&req, error),
    }
}

/// The event as a calendar file.
pub async fn ics(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    base_url: web::Data<PublicBaseUrl>,
    token: web::Path<String>,
) -> HttpResponse {
    let loaded = match Loaded::load(&db, &token).await {
        Ok(loaded) => loaded,
        Err(error) => return unknown(&req, error),
    };
    let event = &loaded.event;
    let url = format!("{}/events/{}", base_url.0.trim_end_matches('/'), event.slug);
    let place = event.venue.as_ref().map(|venue| Place {
        name: &venue.name,
        address: &venue.address,
    });
    let calendar = CalendarEvent {
        url: Some(&url),
        status: match loaded.registration.status {
            RegistrationStatus::Confirmed => "CONFIRMED",
            RegistrationStatus::Waitlisted | RegistrationStatus::Pending => "TENTATIVE",
            RegistrationStatus::Rejected | RegistrationStatus::Cancelled => "CANCELLED",
        },
        ..registration_entry(&loaded.row, place, loaded.registration.id)
    };
    HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.ics\"", event.slug),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(calendar.to_ics())
}
