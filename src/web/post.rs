//! `FormPost`: the one way a page's POST comes in. It reads the form body, negotiates the
//! language and passes the guards of its kind before the handler runs; a refused post gets
//! its page (429 or 400) from here. The registration form's guards let an expired token
//! through, marked, so that form can come back with everything typed.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_web::cookie::Cookie;
use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};

use super::form::FormData;
use super::i18n::Words;
use super::{Link, WebState, csrf, error_page, link, negotiate};
use crate::extract::read_body;
use crate::registration::Language;
use crate::throttle::Throttles;

/// A submitted form that passed the guards `G`.
pub struct FormPost<G = Protected> {
    /// The language of the page that answers: `?lang=`, else the browser's preference.
    pub lang: Language,
    pub data: FormData,
    token: Token,
    guards: PhantomData<G>,
}

impl<G> FormPost<G> {
    /// The token for the form shown again: the one it carried, or a fresh one when that had
    /// expired.
    pub fn csrf_token(&self) -> String {
        match &self.token {
            Token::Passed => self.data.text(csrf::FIELD).to_string(),
            Token::Expired { token, .. } => token.clone(),
        }
    }

    /// When the form's CSRF token had expired (only `Refillable` posts get this far so): the
    /// token for the form shown again, with its cookie when the browser holds no valid one.
    pub fn renewed_token(&self) -> Option<(String, Option<Cookie<'static>>)> {
        match &self.token {
            Token::Passed => None,
            Token::Expired { token, cookie } => Some((token.clone(), cookie.clone())),
        }
    }
}

/// What the guards found of the post's CSRF token.
pub enum Token {
    /// Valid, or not asked for.
    Passed,
    /// Missing, from another key (a restart) or not the cookie's: nothing may be done with
    /// the post but show its form again, with this fresh token (and cookie).
    Expired {
        token: String,
        cookie: Option<Cookie<'static>>,
    },
}

/// What a kind of POST must pass; `Err` carries the page that refuses it.
pub trait Guards {
    fn check(req: &HttpRequest, lang: Language, data: &FormData)
    -> Result<Token, actix_web::Error>;
}

/// Answers a refused post with `page`.
fn refuse(page: HttpResponse) -> actix_web::Error {
    InternalError::from_response("form post refused", page).into()
}

/// A form of one of the pages: the per-address rate limit, then the CSRF token.
pub struct Protected;

/// A button behind a signed link (unsubscribing): the token in the URL is the only
/// credential, and RFC 8058 one-click clients send no cookie, so there is nothing to check.
pub struct SignedLink;

/// The registration form: the rate limit as for `Protected`, but a post whose token expired
/// (a restart, a blocked or lost cookie) comes through marked `Token::Expired`, so the form
/// can come back with everything typed instead of an error page that loses it.
pub struct Refillable;

impl Guards for SignedLink {
    fn check(_: &HttpRequest, _: Language, _: &FormData) -> Result<Token, actix_web::Error> {
        Ok(Token::Passed)
    }
}

impl Guards for Refillable {
    fn check(
        req: &HttpRequest,
        lang: Language,
        data: &FormData,
    ) -> Result<Token, actix_web::Error> {
        rate_limit(req, lang)?;
        if token_holds(req, data) {
            return Ok(Token::Passed);
        }
        let (token, cookie) = web_state(req).csrf.for_form(req);
        Ok(Token::Expired { token, cookie })
    }
}

impl Guards for Protected {
    fn check(
        req: &HttpRequest,
        lang: Language,
        data: &FormData,
    ) -> Result<Token, actix_web::Error> {
        rate_limit(req, lang)?;
        if !token_holds(req, data) {
            let t = lang.t();
            // Every form posts to the page that shows it: that page is the one to reload.
            return Err(refuse(error_page(
                req,
                lang,
                StatusCode::BAD_REQUEST,
                t.expired_title,
                t.expired_text,
                Some(Link {
                    href: link(req.path(), lang),
                    text: t.reload_form.into(),
                }),
            )));
        }
        Ok(Token::Passed)
    }
}

/// Whether the post carries the same valid CSRF token in its cookie and its form.
fn token_holds(req: &HttpRequest, data: &FormData) -> bool {
    web_state(req).csrf.verify(req, data.first(csrf::FIELD))
}

fn web_state(req: &HttpRequest) -> &web::Data<WebState> {
    req.app_data::<web::Data<WebState>>()
        .expect("the server registers the pages' state")
}

/// The per-address rate limit of the pages' forms.
fn rate_limit(req: &HttpRequest, lang: Language) -> Result<(), actix_web::Error> {
    let t = lang.t();
    let throttles = req
        .app_data::<web::Data<Throttles>>()
        .expect("the server registers the throttles");
    if let Some(client) = throttles.client(req)
        && let Err(wait) = throttles.forms.check(client)
    {
        let seconds = wait.as_secs() + 1;
        tracing::warn!(ip = %client, "form rate limit reached");
        let mut response = error_page(
            req,
            lang,
            StatusCode::TOO_MANY_REQUESTS,
            t.too_many_title,
            lang.retry_after(seconds),
            None,
        );
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from_str(&seconds.to_string()).expect("digits are a valid header"),
        );
        return Err(refuse(response));
    }
    Ok(())
}

impl<G: Guards> FromRequest for FormPost<G> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = read_body(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let data = FormData::parse(&body.await?);
            let lang = negotiate(&req);
            if data.has_nul() {
                // No key types NUL; only a crafted post carries it, and no field can keep it.
                let t = lang.t();
                return Err(refuse(error_page(
                    &req,
                    lang,
                    StatusCode::BAD_REQUEST,
                    t.bad_request_title,
                    t.bad_request_text,
                    Some(Link {
                        href: link(req.path(), lang),
                        text: t.reload_form.into(),
                    }),
                )));
            }
            let token = G::check(&req, lang, &data)?;
            Ok(FormPost {
                lang,
                data,
                token,
                guards: PhantomData,
            })
        })
    }
}
