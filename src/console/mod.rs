//! The organizer console at `/admin`: server-rendered pages, Korean and English, that call
//! the same domain functions as the JSON API.
//!
//! Who may use a page is decided here, by structure: the sign-in pages sit in their own scope
//! before `/admin`, and everything else under `/admin` is wrapped by
//! [`session::require_session`], which lets no request through without a live session. A
//! console POST comes in as a [`session::ConsoleForm`], which checks `Origin` and the
//! session's CSRF token before the handler runs.

mod audit;
mod chart;
mod dashboard;
mod door;
mod events;
mod feedback;
mod form;
mod mail;
mod networking;
mod organizers;
mod people;
mod people_words;
mod program_words;
mod questions;
mod records;
mod registrations;
mod schedule;
pub mod session;
mod sign_in;
mod speakers;
mod tokens;
mod venues;
mod words;

use std::sync::LazyLock;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::registration::Language;
use crate::web::{Privacy, content_security_policy, render_with_policy};
pub use session::{ConsoleForm, Signed};
pub use words::{ConsoleStrings, console_words};

/// Where the console lives.
pub const CONSOLE: &str = "/admin";

pub fn configure(cfg: &mut web::ServiceConfig) {
    // First: the scope below owns every other path under /admin.
    cfg.service(web::scope("/admin/sign-in").configure(sign_in::configure))
        .service(web::scope("/admin/assets").configure(door::configure_assets))
        .service(
            web::scope(CONSOLE)
                .wrap(actix_web::middleware::from_fn(session::require_session))
                // A bad address or query answers a console page, not the API's JSON problem.
                .app_data(web::PathConfig::default().error_handler(|error, req| {
                    bad_address(req, StatusCode::NOT_FOUND, error.to_string())
                }))
                .app_data(web::QueryConfig::default().error_handler(|error, req| {
                    bad_address(req, StatusCode::BAD_REQUEST, error.to_string())
                }))
                .configure(configure_signed_in),
        );
}

/// The page for a console address whose path or query does not parse: nothing was done.
fn bad_address(req: &HttpRequest, status: StatusCode, reason: String) -> actix_web::Error {
    let lang = session::console_lang(req);
    let w = console_words(lang);
    let page = message(
        status,
        ConsolePage::signed_out(req, lang, w.bad_address_title),
        w.bad_address_text,
        Some(crate::web::Link {
            href: CONSOLE.into(),
            text: w.dashboard.into(),
        }),
    );
    actix_web::error::InternalError::from_response(reason, page).into()
}

/// The pages behind the session guard.
fn configure_signed_in(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("").route(web::get().to(dashboard::show)))
        .configure(sign_in::configure_signed_in)
        .configure(registrations::configure)
        .configure(people::configure)
        .configure(mail::configure)
        .configure(feedback::configure)
        .configure(events::configure)
        .configure(questions::configure)
        .configure(schedule::configure)
        .configure(venues::configure)
        .configure(speakers::configure)
        .configure(audit::configure)
        .configure(networking::configure)
        .configure(organizers::configure)
        .configure(tokens::configure)
        .configure(door::configure);
}

/// The console's style: the public pages' sheet and the console's additions, inlined.
static STYLE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{}{}",
        include_str!("../../templates/style.css"),
        include_str!("../../templates/console/console.css")
    )
});

static POLICY: LazyLock<String> = LazyLock::new(|| content_security_policy(&STYLE));

/// The console's pages in the order of its menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Dashboard,
    Door,
    Account,
    Registrations,
    People,
    Mail,
    Feedback,
    Events,
    Venues,
    Speakers,
    Audit,
    /// An event's networking sessions (reached from the event, not the menu).
    Networking,
    Organizers,
    Tokens,
}

impl Section {
    /// The name templates ask about (`page.is("dashboard")`).
    pub fn key(self) -> &'static str {
        match self {
            Section::Dashboard => "dashboard",
            Section::Door => "door",
            Section::Account => "account",
            Section::Registrations => "registrations",
            Section::People => "people",
            Section::Mail => "mail",
            Section::Feedback => "feedback",
            Section::Events => "events",
            Section::Venues => "venues",
            Section::Speakers => "speakers",
            Section::Audit => "audit",
            Section::Networking => "networking",
            Section::Organizers => "organizers",
            Section::Tokens => "tokens",
        }
    }
}

/// The frame of every console page.
pub struct ConsolePage {
    pub lang: Language,
    pub w: &'static ConsoleStrings,
    pub title: String,
    /// The signed-in organizer's name; none on the sign-in pages.
    pub organizer: Option<String>,
    /// The CSRF token the page's forms carry (bound to the session).
    pub csrf: String,
    pub section: Option<Section>,
    /// This page in the other language.
    pub switch_href: String,
    pub style: &'static str,
}

impl ConsolePage {
    /// A page for a signed-in organizer.
    pub fn new(
        req: &HttpRequest,
        signed: &Signed,
        title: impl Into<String>,
        section: Section,
    ) -> Self {
        let lang = signed.lang;
        Self {
            lang,
            w: console_words(lang),
            title: title.into(),
            organizer: Some(signed.organizer.name.clone()),
            csrf: signed.csrf.clone(),
            section: Some(section),
            switch_href: switch_href(req, lang),
            style: &STYLE,
        }
    }

    /// A page for somebody not signed in (the sign-in pages).
    pub fn signed_out(req: &HttpRequest, lang: Language, title: impl Into<String>) -> Self {
        Self {
            lang,
            w: console_words(lang),
            title: title.into(),
            organizer: None,
            csrf: String::new(),
            section: None,
            switch_href: switch_href(req, lang),
            style: &STYLE,
        }
    }

    pub fn other_lang(&self) -> &'static str {
        self.lang.other().as_str()
    }

    /// Whether this page is in the menu's section `key`.
    pub fn is(&self, key: &str) -> bool {
        self.section.map(Section::key) == Some(key)
    }
}

/// This page in the other language, its other query parameters kept.
fn switch_href(req: &HttpRequest, lang: Language) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in url::form_urlencoded::parse(req.query_string().as_bytes()) {
        if key != "lang" {
            query.append_pair(&key, &value);
        }
    }
    query.append_pair("lang", lang.other().as_str());
    format!("{}?{}", req.path(), query.finish())
}

/// Renders a console page: never cached, never sent on to another site as a referrer, no
/// script.
pub fn render(status: StatusCode, template: &impl Template) -> HttpResponse {
    render_under(status, template, &POLICY)
}

/// Renders a console page under its own `policy` (the door's scanner page runs script).
pub fn render_under(status: StatusCode, template: &impl Template, policy: &str) -> HttpResponse {
    let mut response = render_with_policy(status, Privacy::Private, template, policy);
    response
        .headers_mut()
        .insert(header::REFERRER_POLICY, REFERRER_POLICY);
    response
}

/// `same-origin`, not `no-referrer`: under `no-referrer` a browser sends `Origin: null` with
/// a form's POST, and the console refuses every POST whose origin is not its own. Other
/// sites still get no referrer (sign-in links hold a secret in the URL).
pub const REFERRER_POLICY: HeaderValue = HeaderValue::from_static("same-origin");

/// A 303 to a console page after a successful POST.
pub fn see_other(location: &str) -> HttpResponse {
    let mut response = crate::web::see_other(location, Privacy::Private);
    response
        .headers_mut()
        .insert(header::REFERRER_POLICY, REFERRER_POLICY);
    response
}

#[derive(Template)]
#[template(path = "console/message.html")]
pub struct MessagePage {
    pub page: ConsolePage,
    pub message: String,
    pub link: Option<crate::web::Link>,
}

/// A console page that only says something (an error, a refusal), with a way on.
pub fn message(
    status: StatusCode,
    page: ConsolePage,
    message: impl Into<String>,
    link: Option<crate::web::Link>,
) -> HttpResponse {
    render(
        status,
        &MessagePage {
            page,
            message: message.into(),
            link,
        },
    )
}

#[cfg(test)]
mod tests {
    /// Every block of the style sheets is closed where it should be: an unclosed `@media`
    /// would quietly confine every rule after it to phones (merged sheets are prone to it).
    #[test]
    fn the_style_sheets_close_every_block() {
        for (name, sheet) in [
            ("style.css", include_str!("../../templates/style.css")),
            (
                "console.css",
                include_str!("../../templates/console/console.css"),
            ),
        ] {
            let mut depth = 0i32;
            for (number, line) in sheet.lines().enumerate() {
                let opens = line.matches('{').count() as i32;
                depth += opens - line.matches('}').count() as i32;
                assert!(depth >= 0, "{name}:{}: a block closed twice", number + 1);
                // A rule line opening a block it does not close is only ever an `@media`.
                if opens > 0 && depth > 0 && !line.trim_start().starts_with('@') {
                    assert!(
                        depth == 1 && opens == 1,
                        "{name}:{}: a rule opened inside an unclosed block",
                        number + 1
                    );
                }
            }
            assert_eq!(depth, 0, "{name}: a block is never closed");
        }
    }
}
