//! The public pages from memory (the event page, its JSON and the form): ETags with 304
//! answers, an organizer's change shown at once on the instance that made it and within about
//! a second on another, a CSRF token of their own for every visitor of the cached form, and
//! the seats-left figure following registrations.

use std::time::{Duration, Instant};

use reqwest::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, ETAG, IF_NONE_MATCH, VARY};
use reqwest::{Response, StatusCode};
use serde_json::json;

use crate::helpers::forms::{assert_private, browser, header, open_form, post_form};
use crate::helpers::pages::{Fixture, fixture, fixture_with, registered, registrations};
use crate::helpers::{TestApp, expect_status, id, spawn_app};

/// The fixture's title as the pages and the JSON write it.
const TITLE: [&str; 2] = ["1&#38;N 홈커밍 2030", "1&N 홈커밍 2030"];
const NEW_TITLE: &str = "홈커밍 새 이름";

/// The event page in both languages and the public JSON.
fn cached_paths(fixture: &Fixture) -> [String; 3] {
    [
        fixture.event_path(),
        format!("{}?lang=en", fixture.event_path()),
        format!("/api/v1/public/events/{}", fixture.slug),
    ]
}

async fn fetch(app: &TestApp, path: &str, if_none_match: Option<&str>) -> Response {
    let mut request = browser().get(app.url(path));
    if let Some(etag) = if_none_match {
        request = request.header(IF_NONE_MATCH, etag);
    }
    request.send().await.unwrap()
}

async fn text(app: &TestApp, path: &str) -> String {
    let response = fetch(app, path, None).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.text().await.unwrap()
}

/// Whether the answer at `path` names the old title (escaped as its kind escapes it).
fn shows_old_title(body: &str) -> bool {
    TITLE.iter().any(|title| body.contains(title))
}

/// The answer at `path` once `done` holds of it, asked again for up to 3 s (a copy lives at
/// most a second); the last answer when it never does.
async fn eventually(app: &TestApp, path: &str, done: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let body = text(app, path).await;
        if done(&body) || Instant::now() > deadline {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn rename_event(app: &TestApp, fixture: &Fixture) {
    let path = format!("/api/v1/events/{}", fixture.event_id);
    let response = app.patch(&path, &json!({"title": NEW_TITLE})).await;
    expect_status(response, StatusCode::OK).await;
}

#[tokio::test]
async fn if_none_match_gets_304_until_the_event_changes() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let mut etags = Vec::new();
    for path in cached_paths(&fixture) {
        let first = fetch(&app, &path, None).await;
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        let etag = header(&first, ETAG);
        assert!(etag.starts_with('"') && etag.len() > 2, "{path}: {etag:?}");
        let page_headers = |response: &Response| {
            [VARY, CONTENT_SECURITY_POLICY, CACHE_CONTROL].map(|name| header(response, name))
        };
        let known = fetch(&app, &path, Some(&etag)).await;
        assert_eq!(known.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(header(&known, ETAG), etag);
        assert_eq!(page_headers(&known), page_headers(&first), "{path}");
        assert!(known.bytes().await.unwrap().is_empty(), "{path}: no body");
        // Weak comparison, and any of a list.
        let listed = format!("\"other\", W/{etag}");
        let weak = fetch(&app, &path, Some(&listed)).await;
        assert_eq!(weak.status(), StatusCode::NOT_MODIFIED, "{path}");
        let other = fetch(&app, &path, Some("\"other\"")).await;
        assert_eq!(other.status(), StatusCode::OK, "{path}");
        etags.push(etag);
    }
    assert_eq!(
        header(&fetch(&app, &fixture.event_path(), None).await, VARY),
        "Accept-Language"
    );
    let distinct: std::collections::HashSet<_> = etags.iter().collect();
    assert_eq!(
        distinct.len(),
        3,
        "each language and the JSON have their own ETag"
    );

    rename_event(&app, &fixture).await;
    for (path, old) in cached_paths(&fixture).iter().zip(&etags) {
        let changed = fetch(&app, path, Some(old)).await;
        assert_eq!(changed.status(), StatusCode::OK, "{path}");
        assert_ne!(&header(&changed, ETAG), old, "{path}");
        assert!(changed.text().await.unwrap().contains(NEW_TITLE), "{path}");
    }

    // The form holds a visitor's token: never stored by anyone, so no ETag.
    let form = fetch(&app, &fixture.form_path(), None).await;
    assert_private(&form);
    assert_eq!(header(&form, ETAG), "");
}

#[tokio::test]
async fn an_organizers_edit_shows_at_once_on_the_same_instance() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let mut paths = cached_paths(&fixture).to_vec();
    paths.push(fixture.form_path());
    for path in &paths {
        assert!(shows_old_title(&text(&app, path).await), "{path}");
    }

    rename_event(&app, &fixture).await;
    for path in &paths {
        let body = text(&app, path).await;
        assert!(body.contains(NEW_TITLE), "{path}");
        assert!(!shows_old_title(&body), "{path}");
    }

    // Any organizer write counts, not only the event's own: here the speaker's name.
    let response = app
        .patch(
            &format!("/api/v1/speakers/{}", fixture.speaker_id),
            &json!({"name": "김서연 교수"}),
        )
        .await;
    expect_status(response, StatusCode::OK).await;
    assert!(
        text(&app, &fixture.event_path())
            .await
            .contains("김서연 교수")
    );
}

#[tokio::test]
async fn an_edit_through_one_instance_shows_on_another_within_a_second() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let other = app.second_instance().await;
    for path in cached_paths(&fixture) {
        assert!(shows_old_title(&text(&other, &path).await), "{path}");
    }

    rename_event(&app, &fixture).await;
    for path in cached_paths(&fixture) {
        let body = eventually(&other, &path, |body| body.contains(NEW_TITLE)).await;
        assert!(body.contains(NEW_TITLE), "{path} on the other instance");
        assert!(!shows_old_title(&body), "{path}");
    }
}

#[tokio::test]
async fn every_visitor_of_the_cached_form_gets_a_token_of_their_own() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let first = open_form(&app, &fixture.form_path()).await;
    let second = open_form(&app, &fixture.form_path()).await;
    assert_ne!(first.csrf, second.csrf);
    assert_eq!(
        first.html.replace(&first.csrf, ""),
        second.html.replace(&second.csrf, ""),
        "the rest of the page is the shared copy"
    );
    assert!(!first.html.contains('\0'), "no token slot is left");

    for (n, form) in [first, second].iter().enumerate() {
        let mut fields = fixture.fields(&format!("visitor{n}@example.com"));
        fields.push(("csrf".into(), form.csrf.clone()));
        let response = post_form(&app, &fixture.form_path(), Some(&form.cookie), &fields).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "visitor {n}");
    }
    assert_eq!(registrations(&app, &fixture.event_id).await.len(), 2);
}

#[tokio::test]
async fn the_seats_left_follow_registrations_within_a_second() {
    let app = spawn_app().await;
    let fixture = fixture_with(&app, "seats", 10, json!({})).await;
    let page = fixture.event_path();
    assert!(text(&app, &page).await.contains("남은 자리 10석"));

    registered(&app, &fixture, "one@example.com").await;
    registered(&app, &fixture, "two@example.com").await;
    let body = eventually(&app, &page, |body| body.contains("남은 자리 8석")).await;
    assert!(body.contains("남은 자리 8석"), "{body}");
    let response = app
        .post(
            &format!(
                "/api/v1/events/{}/registrations/{}/cancel",
                fixture.event_id,
                id(&registrations(&app, &fixture.event_id).await[0])
            ),
            &json!({}),
        )
        .await;
    expect_status(response, StatusCode::OK).await;
    let body = eventually(&app, &page, |body| body.contains("남은 자리 9석")).await;
    assert!(body.contains("남은 자리 9석"), "{body}");
}
