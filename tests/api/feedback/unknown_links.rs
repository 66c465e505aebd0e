//! Unknown survey links and events: a 404 page in either language, even for a well-formed
//! POST; the pages' rate limit; the figures for organizers only, zeros when nobody was invited.

use chrono::TimeDelta;
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, REFERRER_POLICY, RETRY_AFTER, SET_COOKIE};
use serde_json::{Value, json};

use crate::helpers::feedback::figures;
use crate::helpers::fixtures::event_starting_in;
use crate::helpers::forms::{browser, header, post_form};
use crate::helpers::mail::app_with_sink;
use crate::helpers::smtp_sink::SmtpSink;
use crate::helpers::{TestApp, expect_problem, id};

/// An unknown link is a private, uncached 404 page, in Korean by default.
async fn an_unknown_link_is_a_404_page(app: &TestApp) {
    let response = browser()
        .get(app.url("/feedback/no-such-token"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(header(&response, CACHE_CONTROL), "no-store");
    assert_eq!(header(&response, REFERRER_POLICY), "no-referrer");
    let html = response.text().await.unwrap();
    assert!(html.contains("설문 링크를 찾을 수 없습니다"), "{html}");
}

/// A CSRF cookie and its token, from the event's registration form: `(cookie, token)`.
async fn a_csrf_cookie(app: &TestApp, event: &Value) -> (String, String) {
    let form = browser()
        .get(app.url(&format!(
            "/events/{}/register",
            event["slug"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    let cookie = header(&form, SET_COOKIE)
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = cookie.trim_start_matches("hc_csrf=").to_string();
    (cookie, csrf)
}

/// A POST with a good token and cookie still finds nothing, said in English when asked.
async fn a_well_formed_answer_to_an_unknown_link_finds_nothing(app: &TestApp, event: &Value) {
    let (cookie, csrf) = a_csrf_cookie(app, event).await;
    let response = post_form(
        app,
        "/feedback/no-such-token?lang=en",
        Some(&cookie),
        &[("rating", "5"), ("come_again", "yes"), ("csrf", &csrf)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("We could not find this survey link")
    );
}

/// The pages' per-address limit applies to the survey's POSTs too.
async fn a_burst_of_answers_from_one_address_is_limited(app: &TestApp) {
    let mut limited = false;
    for _ in 0..30 {
        let response = post_form::<&str, &str>(app, "/feedback/no-such-token", None, &[]).await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(!header(&response, RETRY_AFTER).is_empty());
            limited = true;
            break;
        }
        // No CSRF cookie either: an expired token only brings a known survey back to refill.
        assert_eq!(
            response.status(),
            StatusCode::NOT_FOUND,
            "an unknown link, token or not"
        );
    }
    assert!(limited, "a burst of POSTs from one address is limited");
}

/// The figures of an unknown event are a 404; anyone's figures are for organizers only.
async fn the_figures_are_for_known_events_and_organizers_only(app: &TestApp, event: &Value) {
    expect_problem(
        app.get(&format!("/api/v1/events/{}/feedback", uuid::Uuid::now_v7()))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let response = browser()
        .get(app.url(&format!("/api/v1/events/{}/feedback", id(event))))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

/// An event nobody was invited for: zeros, not errors.
async fn an_event_nobody_was_invited_for_has_zero_figures(app: &TestApp, event: &Value) {
    let report = figures(app, event).await;
    assert_eq!(report["event"]["invited"], 0);
    assert_eq!(report["event"]["response_rate"], 0.0);
    assert_eq!(report["earlier"], json!([]));
}

#[tokio::test]
async fn unknown_survey_links_and_events_are_404() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, false).await;
    an_unknown_link_is_a_404_page(&app).await;
    let event = event_starting_in(&app, TimeDelta::hours(60), 10).await;
    a_well_formed_answer_to_an_unknown_link_finds_nothing(&app, &event).await;
    a_burst_of_answers_from_one_address_is_limited(&app).await;
    the_figures_are_for_known_events_and_organizers_only(&app, &event).await;
    an_event_nobody_was_invited_for_has_zero_figures(&app, &event).await;
}
