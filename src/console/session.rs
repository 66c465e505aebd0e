//! The console's session: the cookie, the guard of `/admin`, and the form extractor that
//! checks `Origin` and the session's CSRF token.

use std::future::{Future, Ready, ready};
use std::pin::Pin;

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, web};
use sea_orm::DatabaseConnection;

use super::{ConsolePage, console_words};
use crate::audit::Actor;
use crate::clock::Clock;
use crate::extract::read_body;
use crate::organizers::store::{self, Organizer};
use crate::organizers::{SESSION_MAX, SignedIn};
use crate::registration::Language;
use crate::registration::routes::PublicBaseUrl;
use crate::web::form::FormData;
use crate::web::i18n::language_from_code;
use crate::web::{Link, WebState};

/// The session cookie. Its value is the session's secret.
pub const COOKIE: &str = "hc_session";

/// The console's language, once chosen with `?lang=`.
const LANG_COOKIE: &str = "hc_console_lang";

/// The form field of the CSRF token.
pub const CSRF_FIELD: &str = "csrf";

/// The signed-in organizer of a console request, put there by [`require_session`].
#[derive(Debug, Clone)]
pub struct Signed {
    pub organizer: Organizer,
    pub session_id: uuid::Uuid,
    pub lang: Language,
    /// The token the session's forms carry.
    pub csrf: String,
}

impl Signed {
    /// Who the changes this request makes are by.
    pub fn actor(&self) -> Actor {
        Actor::console(self.organizer.id, &self.organizer.name)
    }
}

/// Taking `Signed` as an argument fails closed (a page asking to sign in) should a handler
/// ever be mounted outside the guarded scope.
impl FromRequest for Signed {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<Signed>()
                .cloned()
                .ok_or_else(|| refuse(sign_in_redirect(req))),
        )
    }
}

/// The console's language: `?lang=`, else the one chosen before, else the browser's
/// preference, else Korean.
pub fn console_lang(req: &HttpRequest) -> Language {
    let chosen = req
        .cookie(LANG_COOKIE)
        .and_then(|cookie| language_from_code(cookie.value()));
    crate::web::negotiate_with(req, chosen)
}

/// The guard of `/admin`: a request without a live session is sent to sign in (a GET comes
/// back to where it was going afterwards); one with a session gets [`Signed`] in its
/// extensions. No console answer may be cached.
pub async fn require_session(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let signed = match signed_in(req.request()).await {
        Ok(signed) => signed,
        Err(error) => {
            tracing::error!(%error, "cannot read the console session");
            let response = HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .insert_header((header::RETRY_AFTER, "5"))
                .body("the database is not answering; try again shortly");
            return Ok(req.into_response(response).map_into_right_body());
        }
    };
    let Some(signed) = signed else {
        let response = sign_in_redirect(req.request());
        return Ok(req.into_response(response).map_into_right_body());
    };
    let lang = signed.lang;
    let actor = signed.actor();
    req.extensions_mut().insert(signed);
    let chose_language = req.query_string().contains("lang=");
    // The changes the request makes are recorded as this organizer's (see `audit`).
    let mut response = crate::audit::acting(actor, async move { next.call(req).await })
        .await?
        .map_into_left_body();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::REFERRER_POLICY, super::REFERRER_POLICY);
    if chose_language {
        let cookie = Cookie::build(LANG_COOKIE, lang.as_str())
            .path("/admin")
            .same_site(SameSite::Strict)
            .http_only(true)
            .max_age(CookieDuration::days(365))
            .finish();
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

async fn signed_in(req: &HttpRequest) -> Result<Option<Signed>, sea_orm::DbErr> {
    let Some(cookie) = req.cookie(COOKIE) else {
        return Ok(None);
    };
    let db = app_data::<DatabaseConnection>(req);
    let clock = app_data::<Clock>(req);
    let Some(SignedIn {
        session_id,
        organizer,
    }) = store::session(db, cookie.value(), clock.now()).await?
    else {
        return Ok(None);
    };
    let csrf = app_data::<WebState>(req).csrf.bound(session_id.as_bytes());
    Ok(Some(Signed {
        organizer,
        session_id,
        lang: console_lang(req),
        csrf,
    }))
}

fn app_data<T: 'static>(req: &HttpRequest) -> &T {
    req.app_data::<web::Data<T>>()
        .expect("the server registers the console's state")
}

/// Where a signed-out request goes: a GET to the sign-in page, which brings it back here
/// afterwards; anything else to a page saying the session ended.
fn sign_in_redirect(req: &HttpRequest) -> HttpResponse {
    let lang = console_lang(req);
    if req.method() == actix_web::http::Method::GET {
        let here = match req.query_string() {
            "" => req.path().to_string(),
            query => format!("{}?{query}", req.path()),
        };
        let location = format!(
            "/admin/sign-in?next={}",
            percent_encoding::utf8_percent_encode(&here, percent_encoding::NON_ALPHANUMERIC)
        );
        return super::see_other(&location);
    }
    let w = console_words(lang);
    super::message(
        StatusCode::UNAUTHORIZED,
        ConsolePage::signed_out(req, lang, w.signed_out_title),
        w.signed_out_text,
        Some(Link {
            href: "/admin/sign-in".into(),
            text: w.sign_in.into(),
        }),
    )
}

/// The session cookie for a new session's secret: `HttpOnly`, `SameSite=Strict`, `Secure`
/// on an https site, for the console's paths only, gone after the session's absolute limit.
pub fn session_cookie(req: &HttpRequest, secret: &str) -> Cookie<'static> {
    Cookie::build(COOKIE, secret.to_string())
        .path("/admin")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(is_https(req))
        .max_age(CookieDuration::seconds(SESSION_MAX.num_seconds()))
        .finish()
}

/// The cookie that removes the session cookie.
pub fn removal_cookie(req: &HttpRequest) -> Cookie<'static> {
    let mut cookie = session_cookie(req, "");
    cookie.make_removal();
    cookie
}

fn is_https(req: &HttpRequest) -> bool {
    app_data::<PublicBaseUrl>(req).0.starts_with("https://")
}

/// Whether a POST comes from a page of this site: its `Origin` (or, without one, its
/// `Referer`) is the site's public address or the address the request was sent to.
pub fn same_origin(req: &HttpRequest) -> bool {
    let claimed = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
        .or_else(|| {
            let referer = req.headers().get(header::REFERER)?.to_str().ok()?;
            let url = url::Url::parse(referer).ok()?;
            Some(url.origin().ascii_serialization())
        });
    let Some(claimed) = claimed else {
        return false;
    };
    let public = url::Url::parse(&app_data::<PublicBaseUrl>(req).0)
        .map(|url| url.origin().ascii_serialization())
        .ok();
    let info = req.connection_info();
    let requested = format!("{}://{}", info.scheme(), info.host());
    public.as_deref() == Some(claimed.as_str()) || claimed == requested
}

/// A console form post from a signed-in organizer that passed the `Origin` and CSRF checks.
pub struct ConsoleForm {
    pub signed: Signed,
    pub data: FormData,
}

impl ConsoleForm {
    pub fn lang(&self) -> Language {
        self.signed.lang
    }
}

impl FromRequest for ConsoleForm {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signed = req.extensions().get::<Signed>().cloned();
        let body = read_body(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let Some(signed) = signed else {
                return Err(refuse(sign_in_redirect(&req)));
            };
            let data = FormData::parse(&body.await?);
            let token_holds = data.first(CSRF_FIELD).is_some_and(|token| {
                app_data::<WebState>(&req)
                    .csrf
                    .verify_bound(signed.session_id.as_bytes(), token)
            });
            if !same_origin(&req) || !token_holds || data.has_nul() {
                tracing::warn!(
                    path = req.path(),
                    "console form refused: origin or CSRF token"
                );
                return Err(refuse(forbidden(&req, signed.lang)));
            }
            Ok(ConsoleForm { signed, data })
        })
    }
}

/// The page for a console form that failed its checks: nothing was done.
pub fn forbidden(req: &HttpRequest, lang: Language) -> HttpResponse {
    let w = console_words(lang);
    super::message(
        StatusCode::FORBIDDEN,
        ConsolePage::signed_out(req, lang, w.refused_title),
        w.refused_text,
        Some(Link {
            href: req.path().to_string(),
            text: w.reload.into(),
        }),
    )
}

fn refuse(page: HttpResponse) -> actix_web::Error {
    InternalError::from_response("console request refused", page).into()
}
