//! Signing in and out: the request for a link, the page the mailed link opens (a button, so
//! a mail scanner fetching the link does not use it up), the organizer's sessions.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::records::utc_minute;
use super::session::{self, ConsoleForm, Signed, console_lang, removal_cookie, same_origin};
use super::{ConsolePage, Section, console_words, render};
use crate::clock::Clock;
use crate::domain::EmailAddress;
use crate::organizers::SessionInfo;
use crate::organizers::sign_in::{self, SignInLinks, is_console_path};
use crate::organizers::store::{self, LinkRefused};
use crate::web::post::{FormPost, Protected};
use crate::web::{Link, WebState, query_param, with_cookie};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("")
            .route(web::get().to(show))
            .route(web::post().to(request)),
    )
    .service(web::resource("/sent").route(web::get().to(sent)))
    .service(
        web::resource("/{secret}")
            .route(web::get().to(confirm))
            .route(web::post().to(complete)),
    );
}

pub fn configure_signed_in(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/sign-out").route(web::post().to(sign_out)))
        .service(web::resource("/account").route(web::get().to(account)))
        .service(
            web::resource("/account/sessions/{session_id}/end").route(web::post().to(end_session)),
        );
}

/// How long a sign-in request takes to answer at least: longer than mailing a link takes.
const SIGN_IN_ANSWER_TIME: std::time::Duration = std::time::Duration::from_millis(500);

#[derive(Template)]
#[template(path = "console/sign_in.html")]
struct SignInPage {
    page: ConsolePage,
    email: String,
    error: Option<&'static str>,
    next: Option<String>,
    form_token: String,
}

fn next_of(req: &HttpRequest) -> Option<String> {
    query_param(req, "next").filter(|next| is_console_path(next))
}

async fn show(req: HttpRequest, pages: web::Data<WebState>) -> HttpResponse {
    let lang = console_lang(&req);
    let (form_token, cookie) = pages.csrf.for_form(&req);
    let page = SignInPage {
        page: ConsolePage::signed_out(&req, lang, console_words(lang).sign_in),
        email: String::new(),
        error: None,
        next: next_of(&req),
        form_token,
    };
    with_cookie(render(StatusCode::OK, &page), cookie)
}

async fn request(
    req: HttpRequest,
    form: FormPost<Protected>,
    db: web::Data<DatabaseConnection>,
    links: web::Data<SignInLinks>,
    clock: web::Data<Clock>,
) -> HttpResponse {
    let lang = console_lang(&req);
    let w = console_words(lang);
    if !same_origin(&req) {
        return session::forbidden(&req, lang);
    }
    let next = form
        .data
        .first("next")
        .filter(|next| is_console_path(next))
        .map(str::to_string);
    let raw = form.data.text("email");
    let Ok(email) = EmailAddress::parse(raw) else {
        let page = SignInPage {
            page: ConsolePage::signed_out(&req, lang, w.sign_in),
            email: raw.to_string(),
            error: Some(w.email_invalid),
            next,
            form_token: form.csrf_token(),
        };
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let started = tokio::time::Instant::now();
    let outcome = sign_in::request(&db, &links, &email, lang, next.as_deref(), clock.now()).await;
    // A known address writes a link and a mail, an unknown one nothing: answering no sooner
    // than this keeps the time from telling them apart (as the words already do not).
    tokio::time::sleep_until(started + SIGN_IN_ANSWER_TIME).await;
    match outcome {
        // The same answer whether or not the address is an organizer's.
        Ok(outcome) => {
            tracing::info!(?outcome, "sign-in link requested");
            super::see_other(&format!("/admin/sign-in/sent?lang={}", lang.as_str()))
        }
        Err(error) => unavailable(&req, lang, error),
    }
}

#[derive(Template)]
#[template(path = "console/sign_in_sent.html")]
struct SentPage {
    page: ConsolePage,
}

async fn sent(req: HttpRequest) -> HttpResponse {
    let lang = console_lang(&req);
    let page = SentPage {
        page: ConsolePage::signed_out(&req, lang, console_words(lang).check_mail_title),
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "console/sign_in_link.html")]
struct ConfirmPage {
    page: ConsolePage,
    name: String,
    form_token: String,
    next: Option<String>,
}

async fn confirm(
    req: HttpRequest,
    secret: web::Path<String>,
    db: web::Data<DatabaseConnection>,
    clock: web::Data<Clock>,
    pages: web::Data<WebState>,
) -> HttpResponse {
    let lang = console_lang(&req);
    match store::peek_sign_in_link(db.get_ref(), &secret, clock.now()).await {
        Ok(Ok(organizer)) => {
            let (form_token, cookie) = pages.csrf.for_form(&req);
            let page = ConfirmPage {
                page: ConsolePage::signed_out(&req, lang, console_words(lang).sign_in),
                name: organizer.name,
                form_token,
                next: next_of(&req),
            };
            with_cookie(render(StatusCode::OK, &page), cookie)
        }
        Ok(Err(refused)) => link_refused(&req, lang, refused),
        Err(error) => unavailable(&req, lang, error),
    }
}

async fn complete(
    req: HttpRequest,
    secret: web::Path<String>,
    form: FormPost<Protected>,
    db: web::Data<DatabaseConnection>,
    clock: web::Data<Clock>,
) -> HttpResponse {
    let lang = console_lang(&req);
    if !same_origin(&req) {
        return session::forbidden(&req, lang);
    }
    let user_agent = req
        .headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|value| value.to_str().ok());
    match sign_in::complete(&db, &secret, user_agent, clock.now()).await {
        Ok(Ok((session_secret, signed))) => {
            tracing::info!(organizer = %signed.organizer.id, "organizer signed in");
            let next = form
                .data
                .first("next")
                .filter(|next| is_console_path(next))
                .unwrap_or("/admin");
            let response = super::see_other(next);
            with_cookie(
                response,
                Some(session::session_cookie(&req, &session_secret)),
            )
        }
        Ok(Err(refused)) => link_refused(&req, lang, refused),
        Err(error) => unavailable(&req, lang, error),
    }
}

fn link_refused(
    req: &HttpRequest,
    lang: crate::registration::Language,
    refused: LinkRefused,
) -> HttpResponse {
    let w = console_words(lang);
    let text = match refused {
        LinkRefused::Unknown => w.link_unknown,
        LinkRefused::Used => w.link_used,
        LinkRefused::Expired => w.link_expired,
    };
    super::message(
        StatusCode::GONE,
        ConsolePage::signed_out(req, lang, w.sign_in),
        text,
        Some(Link {
            href: format!("/admin/sign-in?lang={}", lang.as_str()),
            text: w.new_link.into(),
        }),
    )
}

/// The page for a console request the database could not answer: nothing was changed.
pub(super) fn unavailable(
    req: &HttpRequest,
    lang: crate::registration::Language,
    error: sea_orm::DbErr,
) -> HttpResponse {
    tracing::error!(%error, "console page failed");
    let w = console_words(lang);
    super::message(
        StatusCode::SERVICE_UNAVAILABLE,
        ConsolePage::signed_out(req, lang, w.unavailable_title),
        w.unavailable_text,
        None,
    )
}

async fn sign_out(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    clock: web::Data<Clock>,
) -> HttpResponse {
    let signed = &form.signed;
    if let Err(error) =
        store::end_session(&db, signed.organizer.id, signed.session_id, clock.now()).await
    {
        return unavailable(&req, signed.lang, error);
    }
    let response = super::see_other(&format!("/admin/sign-in?lang={}", signed.lang.as_str()));
    with_cookie(response, Some(removal_cookie(&req)))
}

#[derive(Template)]
#[template(path = "console/account.html")]
struct AccountPage {
    page: ConsolePage,
    email: String,
    sessions: Vec<SessionRow>,
}

struct SessionRow {
    id: Uuid,
    browser: String,
    since: String,
    last_seen: String,
    current: bool,
}

fn session_row(info: SessionInfo, current: Uuid) -> SessionRow {
    SessionRow {
        id: info.id,
        browser: info.user_agent.unwrap_or_default(),
        since: utc_minute(info.created_at),
        last_seen: utc_minute(info.last_seen_at),
        current: info.id == current,
    }
}

async fn account(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    clock: web::Data<Clock>,
) -> HttpResponse {
    let sessions = match store::live_sessions(&db, signed.organizer.id, clock.now()).await {
        Ok(sessions) => sessions,
        Err(error) => return unavailable(&req, signed.lang, error),
    };
    let page = AccountPage {
        page: ConsolePage::new(
            &req,
            &signed,
            console_words(signed.lang).account,
            Section::Account,
        ),
        email: signed.organizer.email.clone(),
        sessions: sessions
            .into_iter()
            .map(|info| session_row(info, signed.session_id))
            .collect(),
    };
    render(StatusCode::OK, &page)
}

async fn end_session(
    req: HttpRequest,
    form: ConsoleForm,
    path: web::Path<Uuid>,
    db: web::Data<DatabaseConnection>,
    clock: web::Data<Clock>,
) -> HttpResponse {
    let signed = &form.signed;
    if let Err(error) = store::end_session(&db, signed.organizer.id, *path, clock.now()).await {
        return unavailable(&req, signed.lang, error);
    }
    if *path == signed.session_id {
        let response = super::see_other("/admin/sign-in");
        return with_cookie(response, Some(removal_cookie(&req)));
    }
    super::see_other("/admin/account")
}
