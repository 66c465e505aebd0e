//! `/registrations/{token}`: the personal manage page. The token (the secret in the manage
//! link) reaches this one registration and its event's public information, nothing else.
//! Every answer is `no-store` and `no-referrer`, and every change is a POST with the CSRF
//! check.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Utc;
use entity::event;
use qrcode::QrCode;
use qrcode::render::svg;
use sea_orm::DatabaseConnection;

use super::form::{FormData, FormOptions, FormValues, FormView, replacement_patch};
use super::i18n::Words;
use super::register::speaker_choices;
use super::{
    Link, Page, Privacy, WebState, check_post, csrf, failure, link, not_found, render,
    requested_lang, see_other, with_cookie,
};
use crate::domain::in_zone;
use crate::error::{ApiError, FieldError};
use crate::ics::CalendarEvent;
use crate::networking::tables::{SessionTables, tables_of};
use crate::public::{PublicEvent, load_public_event};
use crate::registration::Language;
use crate::registration::routes::PublicBaseUrl;
use crate::registration::store::{self, Locator, Registration};
use crate::registration::{FormContext, RegistrationStatus};

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

/// A registration with its event.
struct Loaded {
    registration: Registration,
    event: PublicEvent,
    row: event::Model,
    /// Seats in published networking sessions (confirmed registrations only).
    tables: Vec<SessionTables>,
}

impl Loaded {
    async fn load(db: &DatabaseConnection, token: &str) -> Result<Self, ApiError> {
        let registration = store::find(db, &Locator::ManageToken(token)).await?;
        let row = store::event_of(db, &registration).await?;
        let event = load_public_event(db, &row.slug).await?;
        let tables = if registration.status == RegistrationStatus::Confirmed {
            tables_of(db, registration.event_id, registration.id).await?
        } else {
            Vec::new()
        };
        Ok(Self {
            registration,
            event,
            row,
            tables,
        })
    }

    /// `?lang=`, else the language the person chose for their emails.
    fn lang(&self, req: &HttpRequest) -> Language {
        requested_lang(req).unwrap_or(self.registration.language)
    }
}

fn manage_path(token: &str) -> String {
    format!("/registrations/{token}")
}

/// An unknown token: a 404 page that, like every manage answer, is neither cached nor
/// passed on as a referrer.
fn unknown(req: &HttpRequest, error: ApiError) -> HttpResponse {
    let lang = super::negotiate(req);
    match error {
        ApiError::NotFound(_) => not_found(req, lang, lang.t().registration_not_found_text),
        error => failure(req, lang, error),
    }
}

#[allow(clippy::too_many_arguments)]
fn manage_page(
    lang: Language,
    token: &str,
    loaded: &Loaded,
    context: Option<&FormContext>,
    values: &FormValues,
    field_errors: &[FieldError],
    notice: Option<&'static str>,
    errors: Vec<&'static str>,
    csrf_token: String,
) -> ManagePage {
    let t = lang.t();
    let registration = &loaded.registration;
    let event = &loaded.event;
    let path = manage_path(token);
    let active = registration.status.is_active();
    let form = match context {
        Some(context) if active => {
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
            Some(form)
        }
        _ => None,
    };
    let checkin = registration.checkin_code.as_ref().map(|code| CheckinView {
        code: code.clone(),
        svg: qr_svg(code, &lang.qr_label(code)),
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
        notice,
        errors,
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

/// The check-in code as an inline SVG QR code, labelled for screen readers.
fn qr_svg(code: &str, label: &str) -> String {
    let Ok(qr) = QrCode::new(code.as_bytes()) else {
        return String::new();
    };
    let image = qr
        .render::<svg::Color<'_>>()
        .min_dimensions(192, 192)
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
    token: web::Path<String>,
) -> HttpResponse {
    let loaded = match Loaded::load(&db, &token).await {
        Ok(loaded) => loaded,
        Err(error) => return unknown(&req, error),
    };
    let lang = loaded.lang(&req);
    let context = match store::form_context(db.get_ref(), &loaded.row).await {
        Ok(context) => context,
        Err(error) => return failure(&req, lang, error),
    };
    let t = lang.t();
    let notice = match super::query_param(&req, "done").as_deref() {
        Some("saved") => Some(t.saved_notice),
        Some("cancelled") => Some(t.cancelled_done),
        _ => None,
    };
    let (csrf_token, cookie) = state.csrf.for_form(&req);
    let values = FormValues::from_registration(&loaded.registration);
    let page = manage_page(
        lang,
        &token,
        &loaded,
        Some(&context),
        &values,
        &[],
        notice,
        Vec::new(),
        csrf_token,
    );
    with_cookie(render(StatusCode::OK, Privacy::Private, &page), cookie)
}

/// Saves changed answers (the email stays), with the same inline errors as the form.
pub async fn update(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    state: web::Data<WebState>,
    token: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let data = FormData::parse(&body);
    let submitted = data.first(csrf::FIELD);
    let lang = requested_lang(&req).unwrap_or_else(|| super::negotiate(&req));
    let path = manage_path(&token);
    if let Some(response) = check_post(&req, &state, lang, submitted, &path) {
        return response;
    }
    let csrf_token = submitted.unwrap_or_default().to_string();
    let loaded = match Loaded::load(&db, &token).await {
        Ok(loaded) => loaded,
        Err(error) => return unknown(&req, error),
    };
    let context = match store::form_context(db.get_ref(), &loaded.row).await {
        Ok(context) => context,
        Err(error) => return failure(&req, lang, error),
    };
    let mut values = FormValues::from_form(&data, &context.questions);
    values.email = loaded.registration.email.clone().unwrap_or_default();
    let (input, mut errors) = values.to_input(&context.questions);
    let rerender = |status: StatusCode, errors: &[FieldError], top: Vec<&'static str>| {
        let page = manage_page(
            lang,
            &token,
            &loaded,
            Some(&context),
            &values,
            errors,
            None,
            top,
            csrf_token.clone(),
        );
        render(status, Privacy::Private, &page)
    };
    if !errors.is_empty() {
        if let Err(ApiError::Validation(more)) = input.parse(&context) {
            let more: Vec<FieldError> = more
                .into_iter()
                .filter(|error| !errors.iter().any(|e| e.field == error.field))
                .collect();
            errors.extend(more);
        }
        return rerender(StatusCode::UNPROCESSABLE_ENTITY, &errors, Vec::new());
    }
    let patch = replacement_patch(&input, &context.questions);
    match store::update_answers(&db, &Locator::ManageToken(&token), &patch).await {
        Ok(_) => see_other(
            &format!("{}&done=saved", link(&path, lang)),
            Privacy::Private,
        ),
        Err(ApiError::Validation(errors)) => {
            rerender(StatusCode::UNPROCESSABLE_ENTITY, &errors, Vec::new())
        }
        Err(ApiError::Conflict { .. }) => {
            rerender(StatusCode::CONFLICT, &[], vec![lang.t().err_not_active])
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
    state: web::Data<WebState>,
    token: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let data = FormData::parse(&body);
    let lang = requested_lang(&req).unwrap_or_else(|| super::negotiate(&req));
    let path = manage_path(&token);
    if let Some(response) = check_post(
        &req,
        &state,
        lang,
        data.first(csrf::FIELD),
        &format!("{path}/cancel"),
    ) {
        return response;
    }
    match store::cancel(&db, &Locator::ManageToken(&token)).await {
        Ok(_) => see_other(
            &format!("{}&done=cancelled", link(&path, lang)),
            Privacy::Private,
        ),
        // Already cancelled (a second click): the page shows the state as it is.
        Err(ApiError::Conflict { .. }) => see_other(&link(&path, lang), Privacy::Private),
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
    let base = base_url.0.trim_end_matches('/');
    let host = url::Url::parse(base)
        .ok()
        .and_then(|url| url.host_str().map(str::to_string))
        .unwrap_or_else(|| "homecoming".into());
    let url = format!("{base}/events/{}", event.slug);
    let calendar = CalendarEvent {
        uid: format!("registration-{}@{host}", loaded.registration.id),
        method: "PUBLISH",
        sequence: None,
        starts_at: loaded.row.starts_at,
        ends_at: loaded.row.ends_at,
        summary: &event.title,
        location: event
            .venue
            .as_ref()
            .map(|venue| format!("{}, {}", venue.name, venue.address)),
        description: event.description.as_deref(),
        attendee: None,
        url: Some(&url),
        status: match loaded.registration.status {
            RegistrationStatus::Confirmed => "CONFIRMED",
            RegistrationStatus::Waitlisted | RegistrationStatus::Pending => "TENTATIVE",
            RegistrationStatus::Rejected | RegistrationStatus::Cancelled => "CANCELLED",
        },
        stamp: Utc::now(),
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
