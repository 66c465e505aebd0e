//! The HTML forms as a browser uses them: fetch the page (its CSRF cookie and hidden token),
//! post the fields back with them.

use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, COOKIE, REFERRER_POLICY, SET_COOKIE};
use reqwest::{Response, StatusCode};

use super::TestApp;

/// A client that does not follow redirects, keeps no cookies and sends no token.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub fn header(response: &Response, name: reqwest::header::HeaderName) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// Pages with personal data are neither cached nor sent as a referrer.
pub fn assert_private(response: &Response) {
    assert_eq!(header(response, CACHE_CONTROL), "no-store");
    assert_eq!(header(response, REFERRER_POLICY), "no-referrer");
}

/// Console pages are not cached either; their referrer goes only to the site itself, so its
/// forms' posts carry an `Origin` (under `no-referrer` a browser sends `Origin: null`).
pub fn assert_console_private(response: &Response) {
    assert_eq!(header(response, CACHE_CONTROL), "no-store");
    assert_eq!(header(response, REFERRER_POLICY), "same-origin");
}

/// The text between `start` and the next `end` after it.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = html.find(start)? + start.len();
    let to = html[from..].find(end)? + from;
    Some(&html[from..to])
}

/// A form as a browser holds it: the page, its CSRF cookie and hidden token.
pub struct OpenForm {
    pub cookie: String,
    pub csrf: String,
    pub html: String,
}

pub async fn open_form(app: &TestApp, path: &str) -> OpenForm {
    let response = browser().get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    if path.starts_with("/admin") {
        assert_console_private(&response);
    } else {
        assert_private(&response);
    }
    let set_cookie = header(&response, SET_COOKIE);
    let html = response.text().await.unwrap();
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    assert!(cookie.starts_with("hc_csrf="), "{set_cookie}");
    let csrf = between(&html, "name=\"csrf\" value=\"", "\"")
        .expect("a CSRF field")
        .to_string();
    assert_eq!(cookie, format!("hc_csrf={csrf}"));
    OpenForm { cookie, csrf, html }
}

pub async fn post_form<K: AsRef<str>, V: AsRef<str>>(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    fields: &[(K, V)],
) -> Response {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let mut request = browser()
        .post(app.url(path))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body);
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    request.send().await.unwrap()
}
