//! `GET/POST /events/{slug}/register`: the registration form and what follows it.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Utc;
use entity::event;
use sea_orm::DatabaseConnection;

use super::form::{FormData, FormOptions, FormValues, FormView, HONEYPOT, SpeakerChoice};
use super::i18n::Words;
use super::{
    Page, Privacy, WebState, check_post, csrf, failure, link, negotiate, public_event_row, render,
    with_cookie,
};
use crate::error::{ApiError, ConflictKind, FieldError};
use crate::events::EventStatus;
use crate::public::{PublicEvent, load_public_event};
use crate::registration::Language;
use crate::registration::routes::PublicBaseUrl;
use crate::registration::store::{
    self, ClosedReason, RegisterOutcome, Registration, closed_reason, manage_url,
};
use crate::registration::{FormContext, RegistrationStatus};
use crate::secrets::random_token;

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    page: Page,
    event_title: String,
    event_href: String,
    when: String,
    /// Why the form cannot be sent, or what went wrong with it, above the form.
    notices: Vec<String>,
    /// Absent while registration is not open.
    form: Option<FormView>,
}

#[derive(Template)]
#[template(path = "registered.html")]
struct RegisteredPage {
    page: Page,
    heading: &'static str,
    text: String,
    event_title: String,
    event_href: String,
    when: String,
    manage_url: String,
    manage_href: String,
}

/// Everything the form needs about its event.
struct Loaded {
    row: event::Model,
    event: PublicEvent,
    context: FormContext,
    speakers: Vec<SpeakerChoice>,
}

impl Loaded {
    async fn load(db: &DatabaseConnection, slug: &str) -> Result<Self, ApiError> {
        let row = public_event_row(db, slug).await?;
        let event = load_public_event(db, slug).await?;
        let context = store::form_context(db, &row).await?;
        let speakers = speaker_choices(&event, &context);
        Ok(Self {
            row,
            event,
            context,
            speakers,
        })
    }

    fn path(&self) -> String {
        format!("/events/{}/register", self.event.slug)
    }

    fn page(
        &self,
        lang: Language,
        values: &FormValues,
        errors: &[FieldError],
        mut notices: Vec<String>,
        csrf: String,
    ) -> RegisterPage {
        let t = lang.t();
        let path = self.path();
        let form = match closed_reason(&self.row, Utc::now()) {
            Some(reason) => {
                notices.push(closed_text(lang, &self.event, reason));
                None
            }
            None => {
                let options = FormOptions {
                    tags: &self.context.tags,
                    speakers: &self.speakers,
                    questions: &self.context.questions,
                };
                let mut form = FormView::new(lang, values, errors, &options, true);
                form.action = link(&path, lang);
                form.csrf = csrf;
                Some(form)
            }
        };
        RegisterPage {
            page: Page::new(
                lang,
                lang.page_title(t.register_title, &self.event.title),
                &path,
            ),
            event_title: self.event.title.clone(),
            event_href: link(&format!("/events/{}", self.event.slug), lang),
            when: lang.span(&self.event.starts_at, &self.event.ends_at),
            notices,
            form,
        }
    }
}

/// The event's speakers, labelled with their affiliation, in order of appearance.
pub fn speaker_choices(event: &PublicEvent, context: &FormContext) -> Vec<SpeakerChoice> {
    context
        .speaker_ids
        .iter()
        .filter_map(|id| event.speakers.iter().find(|speaker| speaker.id == *id))
        .map(|speaker| SpeakerChoice {
            id: speaker.id,
            label: match &speaker.affiliation {
                Some(affiliation) => format!("{} ({affiliation})", speaker.name),
                None => speaker.name.clone(),
            },
        })
        .collect()
}

/// Why the form is not offered.
fn closed_text(lang: Language, event: &PublicEvent, reason: ClosedReason) -> String {
    let t = lang.t();
    match reason {
        ClosedReason::NotYetOpen => match &event.registration_opens_at {
            Some(opens) => lang.opens_at(&lang.date_time(opens)),
            None => t.not_open_notice.into(),
        },
        ClosedReason::Closed if event.status == EventStatus::Cancelled => t.cancelled_notice.into(),
        ClosedReason::Closed => t.closed_notice.into(),
    }
}

pub async fn show(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    state: web::Data<WebState>,
    slug: web::Path<String>,
) -> HttpResponse {
    let lang = negotiate(&req);
    let loaded = match Loaded::load(&db, &slug).await {
        Ok(loaded) => loaded,
        Err(error) => return failure(&req, lang, error),
    };
    let (token, cookie) = state.csrf.for_form(&req);
    let page = loaded.page(lang, &FormValues::blank(lang), &[], Vec::new(), token);
    with_cookie(render(StatusCode::OK, Privacy::Private, &page), cookie)
}

pub async fn submit(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    state: web::Data<WebState>,
    base_url: web::Data<PublicBaseUrl>,
    slug: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let lang = negotiate(&req);
    let data = FormData::parse(&body);
    let token = data.first(csrf::FIELD);
    if let Some(response) = check_post(
        &req,
        &state,
        lang,
        token,
        &format!("/events/{slug}/register"),
    ) {
        return response;
    }
    let token = token.unwrap_or_default().to_string();
    let loaded = match Loaded::load(&db, &slug).await {
        Ok(loaded) => loaded,
        Err(error) => return failure(&req, lang, error),
    };
    if data
        .first(HONEYPOT)
        .is_some_and(|value| !value.trim().is_empty())
    {
        // A bot: it sees what a person would see, and nothing is stored.
        tracing::warn!(event_id = %loaded.row.id, "honeypot field filled; nothing registered");
        let url = manage_url(&base_url.0, &random_token(""));
        return registered_page(
            lang,
            &loaded.event,
            RegistrationStatus::Confirmed,
            None,
            url,
        );
    }
    let questions = &loaded.context.questions;
    let values = FormValues::from_form(&data, questions);
    let (input, mut errors) = values.to_input(questions);
    if !errors.is_empty() {
        // Show the rules' findings on the other fields too, all at once.
        if let Err(ApiError::Validation(more)) = input.parse(&loaded.context) {
            let more: Vec<FieldError> = more
                .into_iter()
                .filter(|error| !errors.iter().any(|e| e.field == error.field))
                .collect();
            errors.extend(more);
        }
        let page = loaded.page(lang, &values, &errors, Vec::new(), token);
        return render(StatusCode::UNPROCESSABLE_ENTITY, Privacy::Private, &page);
    }
    match store::register(&db, loaded.row.id, &input, None, &base_url.0).await {
        Ok(RegisterOutcome::Created(registered)) => {
            let Registration {
                status,
                waitlist_position,
                ..
            } = registered.registration;
            let url = registered.manage_url.unwrap_or_default();
            registered_page(lang, &loaded.event, status, waitlist_position, url)
        }
        Err(ApiError::Validation(errors)) => {
            let page = loaded.page(lang, &values, &errors, Vec::new(), token);
            render(StatusCode::UNPROCESSABLE_ENTITY, Privacy::Private, &page)
        }
        Err(ApiError::Conflict { conflict, .. }) => {
            let t = lang.t();
            let notice = match conflict.kind {
                ConflictKind::AlreadyRegistered | ConflictKind::Duplicate => {
                    Some(t.err_already_registered)
                }
                // The page itself says why registration is not possible.
                ConflictKind::RegistrationNotOpen | ConflictKind::RegistrationClosed => None,
                _ => Some(t.err_generic),
            };
            let notices = notice.into_iter().map(str::to_string).collect();
            let page = loaded.page(lang, &values, &[], notices, token);
            render(StatusCode::CONFLICT, Privacy::Private, &page)
        }
        Ok(RegisterOutcome::Replayed { .. }) => failure(
            &req,
            lang,
            ApiError::Internal(anyhow::anyhow!("a form registration was replayed")),
        ),
        Err(error) => failure(&req, lang, error),
    }
}

/// The answer to a registration: confirmed, waitlisted at position N, or pending approval,
/// with the personal manage link.
fn registered_page(
    lang: Language,
    event: &PublicEvent,
    status: RegistrationStatus,
    waitlist_position: Option<u64>,
    manage_url: String,
) -> HttpResponse {
    let t = lang.t();
    let (heading, text) = match status {
        RegistrationStatus::Waitlisted => (
            t.waitlisted_heading,
            lang.waitlisted_text(waitlist_position.unwrap_or(1)),
        ),
        RegistrationStatus::Pending => (t.pending_heading, t.pending_text.to_string()),
        _ => (t.confirmed_heading, t.confirmed_text.to_string()),
    };
    // The link is shown as the absolute address people keep; it is followed on this site.
    let token = manage_url.rsplit('/').next().unwrap_or_default();
    let page = RegisteredPage {
        page: Page::new(
            lang,
            lang.page_title(heading, &event.title),
            &format!("/events/{}", event.slug),
        ),
        heading,
        text,
        event_title: event.title.clone(),
        event_href: link(&format!("/events/{}", event.slug), lang),
        when: lang.span(&event.starts_at, &event.ends_at),
        manage_href: link(&format!("/registrations/{token}"), lang),
        manage_url,
    };
    render(StatusCode::OK, Privacy::Private, &page)
}
