//! The organizer console as a browser uses it: sign in through a one-time link, then get
//! pages and post forms with the session cookie, the `Origin` header and the session's CSRF
//! token, as a page of the site would.

use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, ORIGIN, SET_COOKIE};
use reqwest::{Response, StatusCode};

use super::TestApp;
use super::forms::{between, browser, header};

/// A signed-in console session.
pub struct Console {
    pub address: String,
    /// `hc_session=<secret>`.
    pub cookie: String,
    /// The CSRF token of the session's forms.
    pub csrf: String,
    /// Where signing in led (the `next` the link carried, else `/admin`).
    pub landed: String,
}

impl TestApp {
    /// Signs the test organizer in to the console through a fresh one-time link.
    pub async fn console(&self) -> Console {
        let secret = homecoming::organizers::store::new_sign_in_link(
            &self.db,
            self.organizer.id,
            self.clock.now(),
        )
        .await
        .expect("a sign-in link");
        sign_in_with_link(self, &format!("/admin/sign-in/{secret}")).await
    }
}

/// Opens a mailed sign-in link (a path with its query) and presses its button; the console
/// session that starts.
pub async fn sign_in_with_link(app: &TestApp, link_path: &str) -> Console {
    let response = browser().get(app.url(link_path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "GET {link_path}");
    let form_cookie = header(&response, SET_COOKIE)
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let html = response.text().await.unwrap();
    let token = between(&html, "name=\"csrf\" value=\"", "\"").expect("a CSRF field");
    let mut fields = vec![("csrf", token.to_string())];
    if let Some(next) = between(&html, "name=\"next\" value=\"", "\"") {
        fields.push(("next", html_unescape(next)));
    }
    let path = link_path.split('?').next().unwrap();
    let response = browser()
        .post(app.url(path))
        .header(COOKIE, form_cookie)
        .header(ORIGIN, &app.address)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form_body(&fields))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "POST {path}");
    let landed = location(&response);
    let cookie = header(&response, SET_COOKIE)
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("hc_session="), "{cookie}");
    let mut console = Console {
        address: app.address.clone(),
        cookie,
        csrf: String::new(),
        landed,
    };
    let home = console.page("/admin").await;
    console.csrf = between(&home, "name=\"csrf\" value=\"", "\"")
        .expect("the sign-out form's token")
        .to_string();
    console
}

impl Console {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// A GET with the session cookie (redirects are not followed).
    pub async fn get(&self, path: &str) -> Response {
        browser()
            .get(self.url(path))
            .header(COOKIE, &self.cookie)
            .send()
            .await
            .unwrap()
    }

    /// A page's HTML; it must answer 200.
    pub async fn page(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.text().await.unwrap()
    }

    /// Posts a console form as its page would: session cookie, this site's `Origin` and the
    /// CSRF token added to `fields`.
    pub async fn post<K: AsRef<str>, V: AsRef<str>>(
        &self,
        path: &str,
        fields: &[(K, V)],
    ) -> Response {
        let mut all: Vec<(String, String)> = vec![("csrf".into(), self.csrf.clone())];
        all.extend(
            fields
                .iter()
                .map(|(k, v)| (k.as_ref().to_string(), v.as_ref().to_string())),
        );
        browser()
            .post(self.url(path))
            .header(COOKIE, &self.cookie)
            .header(ORIGIN, &self.address)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form_body(&all))
            .send()
            .await
            .unwrap()
    }
}

impl Console {
    /// Follows a POST's 303 as a browser would, with the cookies it set (a one-time notice);
    /// the page's HTML, which must answer 200.
    pub async fn follow(&self, response: &Response) -> String {
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let mut cookies = vec![self.cookie.clone()];
        for set in response.headers().get_all(SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap();
            cookies.push(pair.to_string());
        }
        let path = location(response);
        let page = browser()
            .get(self.url(&path))
            .header(COOKIE, cookies.join("; "))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK, "GET {path}");
        page.text().await.unwrap()
    }
}

/// Where a redirect points.
pub fn location(response: &Response) -> String {
    header(response, LOCATION)
}

pub fn form_body<K: AsRef<str>, V: AsRef<str>>(fields: &[(K, V)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// The few entities askama escapes in attribute values.
pub fn html_unescape(raw: &str) -> String {
    raw.replace("&#x2f;", "/")
        .replace("&#47;", "/")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}
