//! `GET/POST /events/{slug}/register`: the registration form and what follows it.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Utc;
use entity::event;
use sea_orm::DatabaseConnection;

use super::flash::{self, Flash};
use super::form::{FormData, FormOptions, FormView, HONEYPOT, SpeakerChoice, with_rule_errors};
use super::i18n::Words;
use super::post::{FormPost, Refillable};
use super::{
    Link, Page, Privacy, WebState, error_page, failure, link, negotiate, page_response, render,
    render_html, see_other, with_cookie,
};
use crate::domain::Invalid;
use crate::error::{ApiError, FieldError};
use crate::events::EventStatus;
use crate::metrics::Metrics;
use crate::page_cache::{PageCache, TOKEN_SLOT, Variant};
use crate::public::store::public_event_row;
use crate::public::{PublicEvent, public_event};
use crate::registration::admission::{Registered, Registrar};
use crate::registration::rules::{ClosedReason, closed_reason};
use crate::registration::store::form_context;
use crate::registration::{FormContext, Language, Outcome, RegistrationError, manage_path};
use crate::time_words;

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

/// Everything the form needs about its event, loaded once.
struct Loaded {
    row: event::Model,
    event: PublicEvent,
    context: FormContext,
    speakers: Vec<SpeakerChoice>,
}

impl Loaded {
    async fn load(db: &DatabaseConnection, slug: &str) -> Result<Self, ApiError> {
        let row = public_event_row(db, slug).await?;
        let event = public_event(db, &row).await?;
        let context = form_context(db, &row).await?;
        let speakers = speaker_choices(&event, &context);
        Ok(Self {
            row,
            event,
            context,
            speakers,
        })
    }

    fn path(&self) -> String {
        form_path(&self.event.slug)
    }

    /// The form page with what was entered, its errors and notices above it.
    fn render(
        &self,
        status: StatusCode,
        lang: Language,
        values: &FormData,
        errors: &[FieldError],
        notices: Vec<String>,
        csrf: String,
    ) -> HttpResponse {
        let page = self.page(lang, values, errors, notices, csrf);
        render(status, Privacy::Private, &page)
    }

    fn page(
        &self,
        lang: Language,
        values: &FormData,
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
                    consent_locked: false,
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
            when: time_words::event_when(
                self.event.starts_at,
                self.event.ends_at,
                &self.event.time_zone,
                lang,
            ),
            notices,
            form,
        }
    }
}

fn form_path(slug: &str) -> String {
    format!("/events/{slug}/register")
}

/// The page that says a link was mailed (an email registered again).
fn sent_path(slug: &str) -> String {
    format!("{}/sent", form_path(slug))
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

/// The blank form from the page cache, with this visitor's own CSRF token filled in (the
/// blank form shows nothing else of the visitor; a token is URL-safe base64 with a valid
/// signature, so it needs no escaping). No ETag: the page is `no-store`, as the token is the
/// visitor's.
pub async fn show(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    state: web::Data<WebState>,
    cache: web::Data<PageCache>,
    slug: web::Path<String>,
) -> HttpResponse {
    let lang = negotiate(&req);
    let form = cache.get_or_build(&slug, Variant::Form(lang), async {
        let loaded = Loaded::load(&db, &slug).await?;
        let blank = FormData::blank(lang);
        render_html(&loaded.page(lang, &blank, &[], Vec::new(), TOKEN_SLOT.into()))
    });
    let form = match form.await {
        Ok(form) => form,
        Err(error) => return failure(&req, lang, error),
    };
    let (token, cookie) = state.csrf.for_form(&req);
    let page = page_response(StatusCode::OK, Privacy::Private).body(form.with_token(&token));
    with_cookie(page, cookie)
}

/// Every form post that succeeds answers 303 to a page, so Back and Reload never post again:
/// a new registration to its manage page (with a one-time banner), an email registered
/// before to the page saying its link was mailed.
pub async fn submit(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    registrar: web::Data<Registrar>,
    metrics: web::Data<Metrics>,
    slug: web::Path<String>,
    post: FormPost<Refillable>,
) -> HttpResponse {
    let lang = post.lang;
    let csrf = post.csrf_token();
    let loaded = match Loaded::load(&db, &slug).await {
        Ok(loaded) => loaded,
        Err(error) => return failure(&req, lang, error),
    };
    let values = &post.data;
    if let Some((token, cookie)) = post.renewed_token() {
        // A restart or a lost cookie: nothing is registered, and the form comes back as it
        // was typed with a fresh token, asking only to send it again.
        let notices = vec![lang.t().resubmit_notice.to_string()];
        let status = StatusCode::BAD_REQUEST;
        return with_cookie(
            loaded.render(status, lang, values, &[], notices, token),
            cookie,
        );
    }
    if values
        .first(HONEYPOT)
        .is_some_and(|value| !value.trim().is_empty())
    {
        // A bot: it is told a link was mailed, and nothing is stored.
        tracing::warn!(event_id = %loaded.row.id, "honeypot field filled; nothing registered");
        metrics.registration(Outcome::Honeypot);
        return see_other(&link(&sent_path(&slug), lang), Privacy::Private);
    }
    let (input, errors) = values.to_input(&loaded.context.questions);
    if !errors.is_empty() {
        let errors = match input.parse(&loaded.context) {
            Err(Invalid(rules)) => with_rule_errors(errors, rules),
            Ok(_) => errors,
        };
        metrics.registration(Outcome::Invalid);
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return loaded.render(status, lang, values, &errors, Vec::new(), csrf);
    }
    let registered = registrar.register(&db, loaded.row.id, &input).await;
    metrics.registration(match &registered {
        Ok(registered) => Outcome::of_status(registered.registration.status),
        Err(error) => Outcome::of_error(error),
    });
    match registered {
        Ok(Registered { manage_token, .. }) => flash::see_other_with(
            &manage_path(&manage_token),
            &link("", lang),
            Flash::Registered,
        ),
        Err(RegistrationError::Invalid(Invalid(errors))) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            loaded.render(status, lang, values, &errors, Vec::new(), csrf)
        }
        Err(RegistrationError::AlreadyRegistered) => {
            see_other(&link(&sent_path(&slug), lang), Privacy::Private)
        }
        // The page itself says why registration is not possible (any more).
        Err(RegistrationError::NotYetOpen(_) | RegistrationError::Closed) => {
            loaded.render(StatusCode::CONFLICT, lang, values, &[], Vec::new(), csrf)
        }
        Err(error) => failure(&req, lang, error),
    }
}

/// "Check your email": what someone who registered an email again is told (the link was
/// mailed to the address, not shown to whoever typed it).
pub async fn sent(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    slug: web::Path<String>,
) -> HttpResponse {
    let lang = negotiate(&req);
    let t = lang.t();
    match public_event_row(&db, &slug).await {
        Ok(_) => error_page(
            &req,
            lang,
            StatusCode::OK,
            t.link_sent_title,
            t.err_already_registered,
            Some(Link {
                href: link(&format!("/events/{slug}"), lang),
                text: t.back_to_event.into(),
            }),
        ),
        Err(error) => failure(&req, lang, error),
    }
}
