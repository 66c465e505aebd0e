//! `/registrations/{token}`: the personal manage page, which is the person's ticket. The token
//! (the signed secret in the manage link, see `registration::links`) reaches this one
//! registration and its event's public information, nothing else. Every answer is `no-store`
//! and `no-referrer`; every change is a POST with the CSRF check that answers 303 to a page.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};
use entity::event;
use qrcode::QrCode;
use qrcode::render::svg;
use sea_orm::DatabaseConnection;

use super::flash::{self, Flash};
use super::form::{FormData, FormOptions, FormView, with_rule_errors};
use super::i18n::Words;
use super::post::{FormPost, Refillable};
use super::register::speaker_choices;
use super::{
    Link, Page, Privacy, WebState, failure, failure_or_not_found, link, render, requested_lang,
    see_other, with_cookie,
};
use crate::domain::{Invalid, in_zone};
use crate::door;
use crate::email::messages::event_url;
use crate::error::{ApiError, FieldError};
use crate::ics::{self, CalendarEvent, Place, registration_entry};
use crate::networking::tables::{SessionTables, tables_of};
use crate::public::{PublicEvent, public_event};
use crate::registration::links::{ManageLinks, ManageToken};
use crate::registration::status;
use crate::registration::store::{self, AnswersChange, Locator, Registration};
use crate::registration::{
    FormContext, Language, RegistrationError, RegistrationInput, RegistrationStatus, manage_path,
};
use crate::time_words;

/// The door QR's smallest side in pixels: with the style sheet's size, scannable from a
/// phone held at arm's length.
const QR_MIN_PIXELS: u32 = 288;

#[derive(Template)]
#[template(path = "manage.html")]
struct ManagePage {
    page: Page,
    event_title: String,
    event_href: String,
    when: String,
    starts_iso: String,
    venue: Option<String>,
    map_url: Option<String>,
    /// How to get there (the venue's notes).
    directions: Option<String>,
    name: String,
    /// The address the mails go to, partly masked.
    sent_to: Option<String>,
    /// The one-time "you are registered" banner.
    banner: Option<Banner>,
    notice: Option<&'static str>,
    errors: Vec<&'static str>,
    status: &'static str,
    position: Option<String>,
    /// The status in a sentence.
    status_text: String,
    checkin: Option<CheckinView>,
    /// Only for a confirmed seat.
    calendar: Option<CalendarLinks>,
    cancel: Option<Link>,
    /// The answers to change; absent once the registration is no longer active.
    form: Option<FormView>,
    sign_out_action: String,
    csrf: String,
    /// The person's tables in the event's published networking sessions.
    tables: Vec<TablesView>,
}

struct Banner {
    heading: &'static str,
    text: String,
}

struct CalendarLinks {
    ics_href: String,
    google_href: String,
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
    directions: Option<String>,
    /// The event's tables are published: the networking choice is fixed.
    consent_locked: bool,
    /// What the door QR opens: the staff check-in page for this person's code.
    door_url: Option<String>,
}

impl Loaded {
    async fn load(
        db: &DatabaseConnection,
        links: &ManageLinks,
        token: &str,
    ) -> Result<Self, ApiError> {
        let token = ManageToken::parse(token).ok_or(RegistrationError::RegistrationNotFound)?;
        let registration = store::find(
            db,
            &Locator::Manage {
                links,
                token: &token,
            },
        )
        .await?;
        let row = store::event_of(db, &registration).await?;
        let event = public_event(db, &row).await?;
        let context = store::form_context(db, &row).await?;
        let tables = if registration.status == RegistrationStatus::Confirmed {
            tables_of(db, registration.event_id, registration.id).await?
        } else {
            Vec::new()
        };
        let directions = event
            .venue
            .as_ref()
            .and_then(|venue| venue.directions.clone())
            .filter(|notes| !notes.trim().is_empty());
        let consent_locked = store::tables_published(db, row.id).await?;
        let door_url = registration
            .checkin_code
            .as_deref()
            .map(|code| door::checkin_url(links.base_url(), registration.event_id, code));
        Ok(Self {
            registration,
            event,
            row,
            context,
            tables,
            directions,
            consent_locked,
            door_url,
        })
    }

    /// `?lang=`, else the language the person chose for their emails.
    fn lang(&self, req: &HttpRequest) -> Language {
        requested_lang(req).unwrap_or(self.registration.language)
    }

    /// Whether the person may still cancel: active and not yet through the door.
    fn can_cancel(&self) -> bool {
        self.registration.status.is_active() && self.registration.checked_in_at.is_none()
    }
}

/// An unknown token: a 404 page that, like every manage answer, is neither cached nor
/// passed on as a referrer.
fn unknown(req: &HttpRequest, error: impl Into<ApiError>) -> HttpResponse {
    let lang = super::negotiate(req);
    failure_or_not_found(req, lang, error, lang.t().registration_not_found_text)
}

/// Runs `act` on the registration the link names; what no link of ours ever was is the 404
/// page.
async fn on_registration(
    req: &HttpRequest,
    links: &ManageLinks,
    token: &str,
    act: impl AsyncFnOnce(&Locator<'_>) -> HttpResponse,
) -> HttpResponse {
    match ManageToken::parse(token) {
        Some(token) => {
            act(&Locator::Manage {
                links,
                token: &token,
            })
            .await
        }
        None => unknown(req, RegistrationError::RegistrationNotFound),
    }
}

/// What the manage page says above the form.
#[derive(Default)]
struct Notices {
    /// What was just done.
    done: Option<Flash>,
    /// What went wrong.
    errors: Vec<&'static str>,
}

/// The section of the page a failed save opens at: the form's heading, above its errors.
const EDIT_ANCHOR: &str = "#edit";

fn manage_page(
    lang: Language,
    token: &str,
    loaded: &Loaded,
    values: &FormData,
    field_errors: &[FieldError],
    notices: Notices,
    csrf_token: String,
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
            consent_locked: loaded.consent_locked,
        };
        let mut form = FormView::new(lang, values, field_errors, &options, false);
        // The fragment survives the POST: a page with errors opens at them.
        form.action = format!("{}{EDIT_ANCHOR}", link(&path, lang));
        form.csrf = csrf_token.clone();
        form.heading_tag = "h3";
        form.submit = t.save;
        form
    });
    let checkin = registration
        .checkin_code
        .as_ref()
        .zip(loaded.door_url.as_deref())
        .map(|(code, door_url)| CheckinView {
            code: code.clone(),
            svg: qr_svg(door_url, &lang.qr_label(code)),
            checked_in: registration
                .checked_in_at
                .map(|at| lang.checked_in_at(&lang.date_time(&in_zone(at, &loaded.row.time_zone)))),
        });
    let cancel = loaded.can_cancel().then(|| Link {
        href: link(&format!("{path}/cancel"), lang),
        text: if registration.status == RegistrationStatus::Waitlisted {
            t.leave_waitlist_link
        } else {
            t.cancel_link
        }
        .into(),
    });
    let venue = event
        .venue
        .as_ref()
        .map(|venue| format!("{}, {}", venue.name, venue.address));
    let calendar = (registration.status == RegistrationStatus::Confirmed).then(|| CalendarLinks {
        ics_href: format!("{path}/event.ics"),
        google_href: google_calendar_url(
            &event.title,
            loaded.row.starts_at,
            loaded.row.ends_at,
            venue.as_deref(),
        ),
    });
    let status_text = match registration.status {
        RegistrationStatus::Confirmed => t.confirmed_text.into(),
        RegistrationStatus::Waitlisted => {
            lang.waitlisted_text(registration.waitlist_position.unwrap_or(1))
        }
        RegistrationStatus::Pending => t.pending_text.into(),
        RegistrationStatus::Rejected | RegistrationStatus::Cancelled => t.inactive_text.into(),
    };
    // Right after registering: what the status means, and for a seat that this page is the
    // link to keep.
    let banner = (notices.done == Some(Flash::Registered)).then(|| match registration.status {
        RegistrationStatus::Waitlisted => Banner {
            heading: t.waitlisted_heading,
            text: status_text.clone(),
        },
        RegistrationStatus::Pending => Banner {
            heading: t.pending_heading,
            text: status_text.clone(),
        },
        _ => Banner {
            heading: t.confirmed_heading,
            text: t.manage_link_text.into(),
        },
    });
    let notice = notices.done.and_then(|done| match done {
        Flash::Saved => Some(t.saved_notice),
        Flash::Cancelled => Some(t.cancelled_done),
        Flash::SignedOut => Some(t.signed_out_notice),
        _ => None,
    });
    ManagePage {
        page: Page::new(lang, lang.page_title(t.manage_title, &event.title), &path),
        event_title: event.title.clone(),
        event_href: link(&format!("/events/{}", event.slug), lang),
        when: time_words::event_when(event.starts_at, event.ends_at, &event.time_zone, lang),
        starts_iso: event.starts_at.to_rfc3339(),
        map_url: event.venue.as_ref().and_then(|venue| venue.map_url.clone()),
        venue,
        directions: loaded.directions.clone(),
        name: registration.name.clone(),
        sent_to: registration.email.as_deref().map(mask_email),
        banner,
        notice,
        errors: notices.errors,
        status: lang.status(registration.status),
        position: registration
            .waitlist_position
            .map(|position| lang.waitlist_position(position)),
        status_text,
        checkin,
        calendar,
        cancel,
        form,
        sign_out_action: link(&format!("{path}/sign-out"), lang),
        csrf: csrf_token,
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

/// Google Calendar's "add an event" link (times in UTC, as it expects them).
fn google_calendar_url(
    title: &str,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    location: Option<&str>,
) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query
        .append_pair("action", "TEMPLATE")
        .append_pair("text", title)
        .append_pair(
            "dates",
            &format!("{}/{}", ics::utc(starts_at), ics::utc(ends_at)),
        );
    if let Some(location) = location {
        query.append_pair("location", location);
    }
    format!(
        "https://calendar.google.com/calendar/render?{}",
        query.finish()
    )
}

/// "m***@example.com": enough for the person to know which address, little for anyone
/// looking over their shoulder.
fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
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
    links: web::Data<ManageLinks>,
    state: web::Data<WebState>,
    token: web::Path<String>,
) -> HttpResponse {
    let loaded = match Loaded::load(&db, &links, &token).await {
        Ok(loaded) => loaded,
        Err(error) => return unknown(&req, error),
    };
    let lang = loaded.lang(&req);
    let (done, cleared) = flash::take(&req, &manage_path(&token));
    let (csrf_token, cookie) = state.csrf.for_form(&req);
    let values = FormData::from_input(&RegistrationInput::from(&loaded.registration));
    let notices = Notices {
        done,
        ..Notices::default()
    };
    let page = manage_page(lang, &token, &loaded, &values, &[], notices, csrf_token);
    let response = with_cookie(render(StatusCode::OK, Privacy::Private, &page), cookie);
    with_cookie(response, cleared)
}

/// Saves changed answers (the email stays), with the same inline errors as the form.
pub async fn update(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    links: web::Data<ManageLinks>,
    token: web::Path<String>,
    post: FormPost<Refillable>,
) -> HttpResponse {
    let lang = post.lang;
    let csrf_token = post.csrf_token();
    let renewed = post.renewed_token();
    let loaded = match Loaded::load(&db, &links, &token).await {
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
        );
        render(status, Privacy::Private, &page)
    };
    if let Some((_, cookie)) = renewed {
        // A restart or a lost cookie: nothing is saved, and the page comes back as it was
        // typed with a fresh token, asking only to save again.
        let notices = Notices {
            errors: vec![lang.t().resave_notice],
            ..Notices::default()
        };
        return with_cookie(rerender(StatusCode::BAD_REQUEST, &[], notices), cookie);
    }
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
    let Some(parsed) = ManageToken::parse(&token) else {
        return unknown(&req, RegistrationError::RegistrationNotFound);
    };
    let locator = Locator::Manage {
        links: &links,
        token: &parsed,
    };
    match store::update_answers(&db, &locator, AnswersChange::Replace(&input)).await {
        // The form's `#edit` would carry over to the redirect: the notice is at the top.
        Ok(_) => flash::see_other_with(
            &manage_path(&token),
            &format!("{}#notice", lang_query(lang)),
            Flash::Saved,
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

/// `?lang=…`: the query that keeps the page's language.
fn lang_query(lang: Language) -> String {
    link("", lang)
}

/// "Are you sure?" before cancelling or leaving the waitlist.
pub async fn confirm_cancel(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    links: web::Data<ManageLinks>,
    state: web::Data<WebState>,
    token: web::Path<String>,
) -> HttpResponse {
    let loaded = match Loaded::load(&db, &links, &token).await {
        Ok(loaded) => loaded,
        Err(error) => return unknown(&req, error),
    };
    let lang = loaded.lang(&req);
    let path = manage_path(&token);
    if !loaded.can_cancel() {
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
    links: web::Data<ManageLinks>,
    token: web::Path<String>,
    post: FormPost,
) -> HttpResponse {
    let path = manage_path(&token);
    on_registration(&req, &links, &token, async |locator| {
        match status::cancel(&db, &links, locator).await {
            Ok(_) => flash::see_other_with(&path, &lang_query(post.lang), Flash::Cancelled),
            // Already cancelled (a second click) or through the door: the page shows the
            // state as it is.
            Err(RegistrationError::AlreadyInactive(_) | RegistrationError::CheckedIn) => {
                see_other(&link(&path, post.lang), Privacy::Private)
            }
            Err(error) => unknown(&req, error),
        }
    })
    .await
}

/// "Sign out other links": retires every link of the registration and continues on a new
/// one, which is mailed too.
pub async fn sign_out(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    links: web::Data<ManageLinks>,
    token: web::Path<String>,
    post: FormPost,
) -> HttpResponse {
    on_registration(
        &req,
        &links,
        &token,
        async |locator| match store::retire_links(&db, &links, locator).await {
            Ok(fresh) => flash::see_other_with(
                &manage_path(&fresh),
                &lang_query(post.lang),
                Flash::SignedOut,
            ),
            Err(error) => unknown(&req, error),
        },
    )
    .await
}

/// The event as a calendar file: only for a confirmed seat.
pub async fn ics(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    links: web::Data<ManageLinks>,
    token: web::Path<String>,
) -> HttpResponse {
    let loaded = match Loaded::load(&db, &links, &token).await {
        Ok(loaded) if loaded.registration.status == RegistrationStatus::Confirmed => loaded,
        Ok(_) => return unknown(&req, RegistrationError::RegistrationNotFound),
        Err(error) => return unknown(&req, error),
    };
    let event = &loaded.event;
    let url = event_url(links.base_url(), &loaded.row);
    let place = event.venue.as_ref().map(|venue| Place {
        name: &venue.name,
        address: &venue.address,
    });
    let calendar = CalendarEvent {
        url: Some(&url),
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_google_calendar_link_carries_the_event_in_utc() {
        let starts = Utc.with_ymd_and_hms(2027, 5, 15, 4, 0, 0).unwrap();
        let ends = Utc.with_ymd_and_hms(2027, 5, 15, 10, 0, 0).unwrap();
        let url = google_calendar_url("1&N 홈커밍", starts, ends, Some("302동, 관악로 1"));
        assert!(url.starts_with("https://calendar.google.com/calendar/render?action=TEMPLATE&"));
        assert!(url.contains("&dates=20270515T040000Z%2F20270515T100000Z"));
        assert!(url.contains("text=1%26N+"), "{url}");
        assert!(url.contains("&location=302"), "{url}");
    }

    #[test]
    fn an_address_is_masked_but_recognizable() {
        assert_eq!(mask_email("minji@example.com"), "m***@example.com");
        assert_eq!(mask_email("민지@example.com"), "민***@example.com");
        assert_eq!(mask_email("nonsense"), "***");
    }
}
