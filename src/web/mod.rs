//! The server-rendered pages people use: the public event page, the registration form and
//! the personal manage page. Korean by default, English with `?lang=en` or an
//! `Accept-Language` that prefers it; no JavaScript.
//!
//! Routes are registered with `web::resource` (not route macros) because they are HTML, not
//! part of the JSON API and its OpenAPI document. Handlers are thin: a POST comes in as a
//! `post::FormPost` (body, language, CSRF and rate limit); a handler loads its event once,
//! parses once, calls the same domain function the JSON API calls, and renders an askama
//! template from `templates/`.

mod card;
pub mod csrf;
mod event_page;
mod feedback;
pub mod flash;
pub mod form;
mod home;
pub mod i18n;
mod manage;
pub mod plan;
pub mod post;
mod register;
mod unsubscribe;

use std::sync::LazyLock;

use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};
use askama::Template;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::registration::Language;
use csrf::CsrfKey;
use i18n::{Strings, Words, from_accept_language, language_from_code};

/// What the pages keep for the life of the process: the CSRF key.
pub struct WebState {
    pub csrf: CsrfKey,
}

impl WebState {
    /// Signs form tokens with `key` (shared by every instance), or a fresh random key when
    /// there is none; cookies are `Secure` when the site is served over https.
    pub fn new(public_base_url: &str, key: Option<[u8; 32]>) -> Self {
        let secure = public_base_url.starts_with("https://");
        Self {
            csrf: key.map_or_else(
                || CsrfKey::generate(secure),
                |key| CsrfKey::from_key(key, secure),
            ),
        }
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/").route(web::get().to(home::show)))
        .service(web::resource("/robots.txt").route(web::get().to(home::robots)))
        .service(
            web::resource(["/favicon.svg", "/favicon.ico"]).route(web::get().to(home::favicon)),
        )
        .service(web::resource("/events/{slug}").route(web::get().to(event_page::show)))
        .service(web::resource("/events/{slug}/card.png").route(web::get().to(card::show)))
        .service(
            web::resource("/events/{slug}/register")
                .route(web::get().to(register::show))
                .route(web::post().to(register::submit)),
        )
        .service(web::resource("/events/{slug}/register/sent").route(web::get().to(register::sent)))
        .service(
            web::resource("/feedback/{token}")
                .route(web::get().to(feedback::show))
                .route(web::post().to(feedback::submit)),
        )
        .service(
            web::resource("/registrations/{token}")
                .route(web::get().to(manage::show))
                .route(web::post().to(manage::update)),
        )
        .service(
            web::resource("/registrations/{token}/cancel")
                .route(web::get().to(manage::confirm_cancel))
                .route(web::post().to(manage::cancel)),
        )
        .service(
            web::resource("/registrations/{token}/sign-out")
                .route(web::post().to(manage::sign_out)),
        )
        .service(
            web::resource("/registrations/{token}/event.ics").route(web::get().to(manage::ics)),
        )
        .service(
            web::resource("/unsubscribe/{token}")
                .route(web::get().to(unsubscribe::show))
                .route(web::post().to(unsubscribe::submit)),
        )
        .service(
            web::resource("/unsubscribe/{token}/undo").route(web::post().to(unsubscribe::undo)),
        );
}

/// The style sheet, inlined into every page (one request per page, nothing to cache-bust).
const STYLE: &str = include_str!("../../templates/style.css");

static CONTENT_SECURITY_POLICY: LazyLock<String> = LazyLock::new(|| content_security_policy(STYLE));

/// Pages run no script, load nothing from elsewhere and may not be framed; their one inline
/// style sheet, `style`, is allowed by its hash.
pub fn content_security_policy(style: &str) -> String {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(style));
    format!(
        "default-src 'none'; style-src 'sha256-{hash}'; img-src 'self' data:; \
         form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
}

/// What the frame of every page needs.
pub struct Page {
    pub lang: Language,
    pub t: &'static Strings,
    pub title: String,
    /// This page in the other language.
    pub switch_href: String,
    pub style: &'static str,
    /// The link preview of a public page; a page without one is personal or transient and
    /// asks search engines not to list it (`noindex`).
    pub share: Option<Share>,
}

/// What a link preview (KakaoTalk, Slack, social sites) and a search result show of a page:
/// its Open Graph tags and meta description. URLs are absolute, because the preview is made
/// elsewhere.
pub struct Share {
    pub description: String,
    pub url: String,
    pub image: Option<ShareImage>,
}

pub struct ShareImage {
    pub url: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
}

impl Page {
    pub fn new(lang: Language, title: impl Into<String>, path: &str) -> Self {
        Self {
            lang,
            t: lang.t(),
            title: title.into(),
            switch_href: link(path, lang.other()),
            style: STYLE,
            share: None,
        }
    }

    /// A public page, with its link preview.
    pub fn shared(self, share: Share) -> Self {
        Self {
            share: Some(share),
            ..self
        }
    }

    /// The Open Graph locale of the page's language.
    pub fn og_locale(&self) -> &'static str {
        match self.lang {
            Language::Ko => "ko_KR",
            Language::En => "en_US",
        }
    }

    pub fn other_lang(&self) -> &'static str {
        self.lang.other().as_str()
    }
}

/// A link to one of the pages that keeps the language.
pub fn link(path: &str, lang: Language) -> String {
    format!("{path}?lang={}", lang.as_str())
}

/// `path` (with its query) under the site's public address.
pub fn absolute(public_base_url: &str, path: &str) -> String {
    format!("{}{path}", public_base_url.trim_end_matches('/'))
}

/// The value of a query parameter.
pub(crate) fn query_param(req: &HttpRequest, key: &str) -> Option<String> {
    url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// The language asked for with `?lang=`, if any.
fn requested_lang(req: &HttpRequest) -> Option<Language> {
    query_param(req, "lang").and_then(|code| language_from_code(&code))
}

/// `?lang=`, else the browser's preference among Korean and English, else Korean.
pub fn negotiate(req: &HttpRequest) -> Language {
    negotiate_with(req, None)
}

/// `?lang=`, else `chosen` (a language the visitor picked before), else the browser's
/// preference among Korean and English, else Korean.
pub fn negotiate_with(req: &HttpRequest, chosen: Option<Language>) -> Language {
    requested_lang(req)
        .or(chosen)
        .or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|value| value.to_str().ok())
                .and_then(from_accept_language)
        })
        .unwrap_or_default()
}

/// Whether a response may be cached and shown as a referrer.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Privacy {
    /// The public event page.
    Public,
    /// Anything with a form token, a manage link or personal data: `Cache-Control: no-store`
    /// and `Referrer-Policy: no-referrer` (the manage link is in the URL).
    Private,
}

/// Renders a template as an HTML response with the pages' security headers.
pub fn render(status: StatusCode, privacy: Privacy, template: &impl Template) -> HttpResponse {
    render_with_policy(status, privacy, template, &CONTENT_SECURITY_POLICY)
}

/// Renders a page whose inline style sheet is not the pages' own, under `policy` (made by
/// [`content_security_policy`] from that sheet).
pub fn render_with_policy(
    status: StatusCode,
    privacy: Privacy,
    template: &impl Template,
    policy: &str,
) -> HttpResponse {
    match render_html(template) {
        Ok(body) => page_headers(status, privacy, policy).body(body),
        Err(error) => {
            tracing::error!(%error, "a page failed to render");
            HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body("internal error")
        }
    }
}

/// A page's HTML, for the answer or for the page cache.
pub fn render_html(template: &impl Template) -> Result<String, ApiError> {
    template
        .render()
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("a page failed to render: {error}")))
}

/// An HTML answer with the pages' security headers (under the pages' own policy), before its
/// body.
pub fn page_response(status: StatusCode, privacy: Privacy) -> HttpResponseBuilder {
    page_headers(status, privacy, &CONTENT_SECURITY_POLICY)
}

fn page_headers(status: StatusCode, privacy: Privacy, policy: &str) -> HttpResponseBuilder {
    let mut response = HttpResponse::build(status);
    response
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, policy))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::VARY, "Accept-Language"));
    private_headers(&mut response, privacy);
    response
}

fn private_headers(response: &mut HttpResponseBuilder, privacy: Privacy) {
    if privacy == Privacy::Private {
        response
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::REFERRER_POLICY, "no-referrer"));
    }
}

/// Adds a cookie (the CSRF token of a new form) to a response.
pub fn with_cookie(mut response: HttpResponse, cookie: Option<Cookie<'static>>) -> HttpResponse {
    if let Some(cookie) = cookie
        && let Err(error) = response.add_cookie(&cookie)
    {
        tracing::error!(%error, "cannot set the form cookie");
    }
    response
}

/// A 303 to another page (after a successful POST).
pub fn see_other(location: &str, privacy: Privacy) -> HttpResponse {
    let mut response = HttpResponse::SeeOther();
    response.insert_header((
        header::LOCATION,
        HeaderValue::from_str(location).unwrap_or(HeaderValue::from_static("/")),
    ));
    private_headers(&mut response, privacy);
    response.finish()
}

/// A link with its text.
pub struct Link {
    pub href: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub page: Page,
    pub message: String,
    /// A way on, when there is one.
    pub link: Option<Link>,
}

/// A page that says what went wrong, in the page's language.
pub fn error_page(
    req: &HttpRequest,
    lang: Language,
    status: StatusCode,
    title: &str,
    message: impl Into<String>,
    link: Option<Link>,
) -> HttpResponse {
    let page = ErrorPage {
        page: Page::new(lang, title, req.path()),
        message: message.into(),
        link,
    };
    render(status, Privacy::Private, &page)
}

pub fn not_found(req: &HttpRequest, lang: Language, message: &str) -> HttpResponse {
    error_page(
        req,
        lang,
        StatusCode::NOT_FOUND,
        lang.t().not_found_title,
        message,
        None,
    )
}

/// The page for an error of the registration core that is not about the person's input.
pub fn failure(req: &HttpRequest, lang: Language, error: impl Into<ApiError>) -> HttpResponse {
    failure_or_not_found(req, lang, error, lang.t().not_found_text)
}

/// As [`failure`], saying `not_found_text` when what the page is about does not exist (an
/// unknown personal link, say).
pub fn failure_or_not_found(
    req: &HttpRequest,
    lang: Language,
    error: impl Into<ApiError>,
    not_found_text: &str,
) -> HttpResponse {
    let t = lang.t();
    match error.into() {
        ApiError::NotFound(_) => not_found(req, lang, not_found_text),
        error => {
            if let ApiError::Internal(inner) = &error {
                tracing::error!(error = ?inner, "a page failed");
            } else {
                tracing::warn!(%error, "a page failed");
            }
            error_page(
                req,
                lang,
                StatusCode::INTERNAL_SERVER_ERROR,
                t.server_error_title,
                t.err_generic,
                None,
            )
        }
    }
}
