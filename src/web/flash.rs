//! One-time notices after a POST (Post/Redirect/Get). A form that succeeds answers 303 with a
//! short-lived cookie naming what was done; the page it leads to shows the notice once and
//! clears the cookie, so Reload shows the page as it is and Back never posts again.

use actix_web::HttpRequest;
use actix_web::HttpResponse;
use actix_web::cookie::time::Duration;
use actix_web::cookie::{Cookie, SameSite};

use super::{Privacy, see_other, with_cookie};

const COOKIE: &str = "hc_flash";

/// What was just done, for the page after the redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flash {
    Registered,
    Saved,
    Cancelled,
    SignedOut,
    Unsubscribed,
    Resubscribed,
    FeedbackSent,
}

impl Flash {
    const ALL: [Flash; 7] = [
        Flash::Registered,
        Flash::Saved,
        Flash::Cancelled,
        Flash::SignedOut,
        Flash::Unsubscribed,
        Flash::Resubscribed,
        Flash::FeedbackSent,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Flash::Registered => "registered",
            Flash::Saved => "saved",
            Flash::Cancelled => "cancelled",
            Flash::SignedOut => "signed-out",
            Flash::Unsubscribed => "unsubscribed",
            Flash::Resubscribed => "resubscribed",
            Flash::FeedbackSent => "feedback-sent",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|flash| flash.as_str() == raw)
    }
}

/// The cookie, scoped to the page that shows it. A minute is plenty for the redirect.
fn cookie(path: &str, value: &str, max_age: Duration) -> Cookie<'static> {
    Cookie::build(COOKIE, value.to_string())
        .path(path.to_string())
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(max_age)
        .finish()
}

/// A 303 to `path` (with `query`, e.g. `?lang=ko`) that shows `flash` there once.
pub fn see_other_with(path: &str, query: &str, flash: Flash) -> HttpResponse {
    with_cookie(
        see_other(&format!("{path}{query}"), Privacy::Private),
        Some(cookie(path, flash.as_str(), Duration::minutes(1))),
    )
}

/// The notice waiting for the page at `path`, and the cookie that clears it.
pub fn take(req: &HttpRequest, path: &str) -> (Option<Flash>, Option<Cookie<'static>>) {
    match req.cookie(COOKIE) {
        Some(found) => (
            Flash::parse(found.value()),
            Some(cookie(path, "", Duration::ZERO)),
        ),
        None => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_reads_back_as_itself() {
        for flash in Flash::ALL {
            assert_eq!(Flash::parse(flash.as_str()), Some(flash));
        }
        assert_eq!(Flash::parse("anything else"), None);
    }
}
