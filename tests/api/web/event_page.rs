//! The public event page: its languages, what it says when registration is not possible,
//! 404s for drafts and unknown events, and the calendar download.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_TYPE};
use serde_json::json;

use crate::helpers::forms::{assert_private, between, browser, header};
use crate::helpers::pages::{
    Fixture, fixture, fixture_with, get_page, register, registered, registrations,
};
use crate::helpers::{TestApp, expect_status, id, spawn_app};

/// With no language asked for: a Korean page, HTML under a strict content security policy,
/// with the event, its venue, schedule and speakers, and nothing private or scripted.
async fn the_page_is_korean_by_default(app: &TestApp, fixture: &Fixture) {
    let response = browser()
        .get(app.url(&fixture.event_path()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, CONTENT_TYPE).starts_with("text/html"));
    assert!(header(&response, "content-security-policy".parse().unwrap()).contains("'none'"));
    let html = response.text().await.unwrap();
    for expected in [
        "<html lang=\"ko\">",
        "<h1>1&#38;N 홈커밍 2030</h1>",
        "2030년 5월 18일 (토) 13:00–18:00 (한국 시간)",
        "시간은 모두 한국 시간 기준입니다.",
        "서울대학교 302동",
        "서울특별시 관악구 관악로 1",
        "href=\"https://naver.me/example\"",
        "지도에서 보기",
        "신입 개발자로 살아남기",
        "13:20",
        "김서연",
        "Toss",
        "결제 시스템을 만듭니다.",
        "졸업생과 재학생이 다시 만나는 날.",
        "남은 자리 100석",
        "참가 신청하기",
        &format!("href=\"{}?lang=ko\"", fixture.form_path()),
        &format!("href=\"{}?lang=en\" lang=\"en\"", fixture.event_path()),
    ] {
        assert!(html.contains(expected), "missing {expected:?} in {html}");
    }
    assert!(!html.contains("<script"), "no JavaScript");
    assert!(!html.contains("Asia/Seoul"), "the zone is said in words");
    assert!(!html.contains("@example.com"), "no speaker emails");
}

/// `?lang=en` gives the English page, linking to the English form.
async fn the_page_is_english_on_request(app: &TestApp, fixture: &Fixture) {
    let (status, english) = get_page(app, &format!("{}?lang=en", fixture.event_path())).await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "<html lang=\"en\">",
        "Saturday 18 May 2030, 13:00–18:00 (Korea time)",
        "Open in a map",
        "100 seats left",
        ">Register</a>",
        "Schedule",
        "Speakers",
        &format!("href=\"{}?lang=en\"", fixture.form_path()),
    ] {
        assert!(english.contains(expected), "missing {expected:?}");
    }
}

/// The page at `path` as a browser whose Accept-Language is `accept_language` gets it.
async fn page_asking_for(app: &TestApp, path: &str, accept_language: &str) -> String {
    browser()
        .get(app.url(path))
        .header(ACCEPT_LANGUAGE, accept_language)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The browser's Accept-Language picks English or Korean (Korean for anything else), and
/// `?lang=` wins over it.
async fn the_browsers_language_is_followed_unless_lang_is_given(app: &TestApp, fixture: &Fixture) {
    for (accept, lang) in [
        ("en-US,en;q=0.9,ko;q=0.8", "en"),
        ("ko-KR,ko;q=0.9,en;q=0.8", "ko"),
        ("fr-FR,fr;q=0.9", "ko"),
    ] {
        let html = page_asking_for(app, &fixture.event_path(), accept).await;
        assert!(
            html.contains(&format!("<html lang=\"{lang}\">")),
            "{accept}"
        );
    }
    // ?lang= wins over the header.
    let html = page_asking_for(app, &format!("{}?lang=ko", fixture.event_path()), "en").await;
    assert!(html.contains("<html lang=\"ko\">"));
}

#[tokio::test]
async fn the_event_page_is_korean_by_default_and_english_on_request() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    the_page_is_korean_by_default(&app, &fixture).await;
    the_page_is_english_on_request(&app, &fixture).await;
    the_browsers_language_is_followed_unless_lang_is_given(&app, &fixture).await;
}

#[tokio::test]
async fn the_event_page_says_when_registration_is_not_possible() {
    let app = spawn_app().await;
    let later = fixture_with(
        &app,
        "later",
        10,
        json!({"registration_opens_at": "2030-01-01T09:00:00+09:00"}),
    )
    .await;
    let (_, html) = get_page(&app, &later.event_path()).await;
    assert!(html.contains("참가 신청은 2030년 1월 1일 (화) 09:00에 열립니다."));
    assert!(!html.contains("id=\"register\""));
    let (_, html) = get_page(&app, &format!("{}?lang=en", later.event_path())).await;
    assert!(html.contains("Registration opens on Tue 1 January 2030 09:00."));
    let (_, form) = get_page(&app, &later.form_path()).await;
    assert!(form.contains("참가 신청은 2030년 1월 1일"));
    assert!(!form.contains("<form"), "no form before registration opens");

    let full = fixture_with(&app, "full", 1, json!({})).await;
    let response = register(&app, &full, full.fields("first@example.com")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = get_page(&app, &full.event_path()).await;
    assert!(html.contains("정원이 모두 찼습니다"));
    assert!(
        html.contains("대기자로 신청하기"),
        "a full event still takes the waitlist"
    );
    let (_, html) = get_page(&app, &format!("{}?lang=en", full.event_path())).await;
    assert!(html.contains("Join the waitlist"));

    let closed = fixture_with(&app, "closed", 10, json!({})).await;
    let response = app
        .patch(
            &format!("/api/v1/events/{}", closed.event_id),
            &json!({"status": "closed"}),
        )
        .await;
    expect_status(response, StatusCode::OK).await;
    let (_, html) = get_page(&app, &closed.event_path()).await;
    assert!(html.contains("참가 신청이 마감되었습니다."));
    assert!(!html.contains("id=\"register\""));
    let (_, html) = get_page(&app, &format!("{}?lang=en", closed.event_path())).await;
    assert!(html.contains("Registration is closed."));
}

#[tokio::test]
async fn drafts_and_unknown_events_are_html_404s() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let draft = app.create_event(Some(&id(&venue))).await;
    let slug = draft["slug"].as_str().unwrap();
    for path in [
        format!("/events/{slug}"),
        format!("/events/{slug}/register"),
        "/events/no-such-event".to_string(),
    ] {
        let response = browser().get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(header(&response, CONTENT_TYPE).starts_with("text/html"));
        let html = response.text().await.unwrap();
        assert!(html.contains("페이지를 찾을 수 없습니다"), "{html}");
        assert!(
            !html.contains("1&#38;N 홈커밍 2026"),
            "nothing of the draft shows"
        );
    }
    let (_, english) = get_page(&app, &format!("/events/{slug}?lang=en")).await;
    assert!(english.contains("Page not found"));
    // Other unknown paths keep the API's problem document.
    let response = browser()
        .get(app.url("/no-such-page"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(header(&response, CONTENT_TYPE), "application/problem+json");
}

#[tokio::test]
async fn the_event_downloads_as_an_ics_file() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let path = registered(&app, &fixture, "minji@example.com").await;
    let registration_id = id(&registrations(&app, &fixture.event_id).await[0]);
    let response = browser()
        .get(app.url(&format!("{path}/event.ics")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_private(&response);
    assert_eq!(
        header(&response, CONTENT_TYPE),
        "text/calendar; charset=utf-8"
    );
    assert!(
        header(&response, "content-disposition".parse().unwrap())
            .contains("filename=\"homecoming-2030.ics\"")
    );
    let ics = response.text().await.unwrap();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "BEGIN:VEVENT",
        &format!("UID:registration-{registration_id}@homecoming"),
        "DTSTART:20300518T040000Z",
        "DTEND:20300518T090000Z",
        "SUMMARY:1&N 홈커밍 2030",
        "LOCATION:서울대학교 302동\\, 서울특별시 관악구 관악로 1",
        "URL:http://127.0.0.1:8080/events/homecoming-2030",
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ] {
        assert!(
            ics.contains(&format!("{line}\r\n")),
            "missing {line:?} in {ics}"
        );
    }
    assert!(ics.contains("DTSTAMP:"));
    let again = browser()
        .get(app.url(&format!("{path}/event.ics")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let uid = |ics: &str| between(ics, "UID:", "\r\n").unwrap().to_string();
    assert_eq!(uid(&ics), uid(&again), "the UID is stable");
}
