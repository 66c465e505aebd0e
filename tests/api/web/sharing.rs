//! The event page for sharing and for the day: link-preview tags and the share card,
//! robots.txt and `noindex`, the list of events at `/`, what the page says once the event is
//! over, the closing time and the time zone in words.

use chrono::{DateTime, TimeDelta, Utc};
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use serde_json::json;

use crate::helpers::fixtures::{event_starting_in, register};
use crate::helpers::forms::{between, browser, header};
use crate::helpers::mail::app_with_sink;
use crate::helpers::pages::{fixture, fixture_with, get_page, publish};
use crate::helpers::smtp_sink::SmtpSink;
use crate::helpers::{TestApp, expect_status, id, spawn_app};

/// The address the test app puts in links (`server.public_base_url`).
const BASE: &str = "http://127.0.0.1:8080";

/// The `content` of the `<meta>` whose `property` or `name` is `key`.
fn meta<'a>(html: &'a str, key: &str) -> Option<&'a str> {
    between(html, &format!("property=\"{key}\" content=\""), "\"")
        .or_else(|| between(html, &format!("name=\"{key}\" content=\""), "\""))
}

/// An absolute link of the app, fetched from the test server.
async fn fetch_absolute(app: &TestApp, url: &str) -> reqwest::Response {
    let path = url
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} is under {BASE}"));
    browser()
        .get(app.url(&path.replace("&#38;", "&")))
        .send()
        .await
        .unwrap()
}

async fn set_now(app: &TestApp, at: &str) {
    app.clock
        .set(DateTime::parse_from_rfc3339(at).unwrap().to_utc());
}

#[tokio::test]
async fn the_event_page_carries_link_preview_tags_with_absolute_urls() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let (status, html) = get_page(&app, &fixture.event_path()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(meta(&html, "og:title"), Some("1&#38;N 홈커밍 2030"));
    assert_eq!(meta(&html, "og:type"), Some("website"));
    assert_eq!(meta(&html, "og:locale"), Some("ko_KR"));
    let description = "졸업생과 재학생이 다시 만나는 날.";
    assert_eq!(meta(&html, "og:description"), Some(description));
    assert_eq!(meta(&html, "description"), Some(description));
    assert_eq!(
        meta(&html, "og:url"),
        Some(format!("{BASE}/events/homecoming-2030?lang=ko").as_str())
    );
    let image = meta(&html, "og:image").expect("an og:image");
    assert!(
        image.starts_with(&format!("{BASE}/events/homecoming-2030/card.png?lang=ko")),
        "{image}"
    );
    assert_eq!(meta(&html, "og:image:width"), Some("1200"));
    assert_eq!(meta(&html, "og:image:height"), Some("630"));
    assert!(
        meta(&html, "og:image:alt").is_some_and(|alt| alt.contains("서울대학교 302동")),
        "the card's text is its alt"
    );
    assert_eq!(meta(&html, "twitter:card"), Some("summary_large_image"));
    assert!(html.contains("<link rel=\"icon\" href=\"/favicon.svg\""));
    assert_eq!(meta(&html, "robots"), None, "the event page may be listed");
    let card = fetch_absolute(&app, image).await;
    assert_eq!(card.status(), StatusCode::OK);
    assert_eq!(header(&card, CONTENT_TYPE), "image/png");

    let (_, english) = get_page(&app, &format!("{}?lang=en", fixture.event_path())).await;
    assert_eq!(meta(&english, "og:locale"), Some("en_US"));
    assert_eq!(
        meta(&english, "og:url"),
        Some(format!("{BASE}/events/homecoming-2030?lang=en").as_str())
    );
    assert!(meta(&english, "og:image").is_some_and(|url| url.contains("card.png?lang=en")));

    // Without a description, the preview says when and where.
    let plain = fixture_with(&app, "plain", 10, json!({"description": null})).await;
    let (_, html) = get_page(&app, &plain.event_path()).await;
    assert_eq!(
        meta(&html, "description"),
        Some("2030년 5월 18일 (토) 13:00–18:00 (한국 시간) · 서울대학교 302동")
    );
}

#[tokio::test]
async fn personal_and_transient_pages_ask_not_to_be_listed() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    for path in [
        fixture.form_path(),
        "/registrations/no-such-link".to_string(),
        "/unsubscribe/no-such-link".to_string(),
    ] {
        let (_, html) = get_page(&app, &path).await;
        assert_eq!(meta(&html, "robots"), Some("noindex"), "{path}");
        assert_eq!(meta(&html, "og:title"), None, "{path} has no preview");
    }
}

/// Decodes a PNG: its size and its RGB(A) pixels.
fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes))
        .read_info()
        .unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    pixels.truncate(frame.buffer_size());
    (frame.width, frame.height, pixels)
}

#[tokio::test]
async fn the_card_is_a_1200_by_630_png_with_text_on_it_cached_by_version() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let card_path = format!("{}/card.png", fixture.event_path());
    let response = browser().get(app.url(&card_path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, CONTENT_TYPE), "image/png");
    assert!(header(&response, CACHE_CONTROL).starts_with("public"));
    let etag = header(&response, ETAG);
    assert!(!etag.is_empty());
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG signature");
    let (width, height, pixels) = decode(&bytes);
    assert_eq!((width, height), (1200, 630));
    let white = pixels.chunks(3).filter(|p| *p == [255, 255, 255]).count();
    assert!(white > 2_000, "white text on the card: {white} pixels");
    let background = &pixels[..3];
    let other = pixels.chunks(3).filter(|p| *p != background).count();
    assert!(other > 100_000, "not one colour: {other} pixels differ");

    // The client's copy is current until the text changes.
    let again = browser()
        .get(app.url(&card_path))
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let (_, page) = get_page(&app, &fixture.event_path()).await;
    let version = between(&page, "card.png?lang=ko&#38;v=", "\"")
        .unwrap()
        .to_string();
    let response = app
        .patch(
            &format!("/api/v1/events/{}", fixture.event_id),
            &json!({"title": "1&N 홈커밍 2030 봄"}),
        )
        .await;
    expect_status(response, StatusCode::OK).await;
    let renamed = browser()
        .get(app.url(&card_path))
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), StatusCode::OK, "a new title, a new card");
    assert_ne!(header(&renamed, ETAG), etag);
    let (_, page) = get_page(&app, &fixture.event_path()).await;
    assert!(
        !page.contains(&format!("v={version}\"")),
        "the page links the new card"
    );

    let missing = browser()
        .get(app.url("/events/no-such-event/card.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let venue = app.create_venue().await;
    let draft = app.create_event(Some(&id(&venue))).await;
    let draft_card = browser()
        .get(app.url(&format!(
            "/events/{}/card.png",
            draft["slug"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(
        draft_card.status(),
        StatusCode::NOT_FOUND,
        "no card of a draft"
    );
}

#[tokio::test]
async fn robots_txt_allows_the_public_pages_and_not_the_personal_ones() {
    let app = spawn_app().await;
    let response = browser().get(app.url("/robots.txt")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, CONTENT_TYPE), "text/plain; charset=utf-8");
    let text = response.text().await.unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .collect();
    assert_eq!(
        lines,
        [
            "User-agent: *",
            "Allow: /",
            "Disallow: /registrations/",
            "Disallow: /feedback/",
            "Disallow: /unsubscribe/",
            "Disallow: /plans/",
            "Disallow: /api/",
            "Disallow: /admin/",
        ]
    );
    for path in ["/favicon.svg", "/favicon.ico"] {
        let icon = browser().get(app.url(path)).send().await.unwrap();
        assert_eq!(icon.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&icon, CONTENT_TYPE), "image/svg+xml");
        assert!(icon.text().await.unwrap().starts_with("<svg"));
    }
}

#[tokio::test]
async fn home_lists_published_events_and_not_drafts_in_both_languages() {
    let app = spawn_app().await;
    fixture(&app).await;
    let venue = app.create_venue().await;
    let draft = app.create_event(Some(&id(&venue))).await;
    let response = browser().get(app.url("/")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, CONTENT_TYPE).starts_with("text/html"));
    let html = response.text().await.unwrap();
    for expected in [
        "<html lang=\"ko\">",
        "다가오는 행사",
        "href=\"/events/homecoming-2030?lang=ko\">1&#38;N 홈커밍 2030</a>",
        "2030년 5월 18일 (토) 13:00–18:00 (한국 시간) · 서울대학교 302동",
    ] {
        assert!(html.contains(expected), "missing {expected:?} in {html}");
    }
    assert!(!html.contains(draft["title"].as_str().unwrap()), "no draft");
    assert!(!html.contains(&format!("/events/{}", draft["slug"].as_str().unwrap())));
    assert!(!html.contains("지난 행사"), "nothing has ended yet");
    let (_, english) = get_page(&app, "/?lang=en").await;
    for expected in [
        "<html lang=\"en\">",
        "Upcoming events",
        "href=\"/events/homecoming-2030?lang=en\"",
        "Saturday 18 May 2030, 13:00–18:00 (Korea time)",
    ] {
        assert!(english.contains(expected), "missing {expected:?}");
    }

    // After it ends the event is listed as recent for a year, then no more.
    set_now(&app, "2030-06-01T12:00:00+09:00").await;
    let (_, html) = get_page(&app, "/").await;
    let recent = between(&html, "지난 행사", "</section>").expect("a recent section");
    assert!(recent.contains("1&#38;N 홈커밍 2030"), "{recent}");
    assert!(html.contains("예정된 행사가 아직 없습니다."));
    set_now(&app, "2031-06-01T12:00:00+09:00").await;
    let (_, html) = get_page(&app, "/").await;
    assert!(
        !html.contains("1&#38;N 홈커밍 2030"),
        "more than a year ago"
    );
}

#[tokio::test]
async fn an_ended_event_says_so_keeps_its_schedule_and_offers_no_registration() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    set_now(&app, "2030-05-18T18:30:00+09:00").await;
    let (status, html) = get_page(&app, &fixture.event_path()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("이 행사는 끝났습니다."), "{html}");
    assert!(
        html.contains("신입 개발자로 살아남기"),
        "the schedule as it was"
    );
    for directions in [
        "오시는 길",
        "private parking note",
        "href=\"https://naver.me/example\"",
    ] {
        assert!(
            html.contains(directions),
            "{directions:?}: how to get there"
        );
    }
    for absent in [
        "참가 신청이 마감되었습니다",
        "프로그램은 곧 공개됩니다",
        "참가 신청하기",
        "id=\"register\"",
        "register-bar\"><a",
        "남은 자리",
    ] {
        assert!(
            !html.contains(absent),
            "{absent:?} on an ended event's page"
        );
    }
    let (_, english) = get_page(&app, &format!("{}?lang=en", fixture.event_path())).await;
    assert!(english.contains("This event has ended."));
    assert!(!english.contains("Registration is closed"));

    // An event that ended without a published schedule says nothing about one coming.
    let venue = app.create_venue().await;
    let bare = app.create_event(Some(&id(&venue))).await;
    publish(&app, &id(&bare)).await;
    let (_, html) = get_page(&app, &format!("/events/{}", bare["slug"].as_str().unwrap())).await;
    assert!(html.contains("이 행사는 끝났습니다."));
    assert!(!html.contains("프로그램은 곧 공개됩니다"), "{html}");
}

#[tokio::test]
async fn a_closing_time_at_midnight_reads_as_the_last_minute_of_the_day_before() {
    let app = spawn_app().await;
    let fixture = fixture_with(
        &app,
        "closes-at-midnight",
        10,
        json!({"registration_closes_at": "2030-05-15T00:00:00+09:00"}),
    )
    .await;
    let (_, html) = get_page(&app, &fixture.event_path()).await;
    assert!(
        html.contains("참가 신청은 5월 14일 (화) 23:59까지 받습니다."),
        "{html}"
    );
    assert!(!html.contains("15일 (수) 00:00"), "no ambiguous midnight");
    let (_, english) = get_page(&app, &format!("{}?lang=en", fixture.event_path())).await;
    assert!(english.contains("Registration is open until Tue 14 May, 23:59."));
}

#[tokio::test]
async fn the_time_zone_is_said_in_words() {
    let app = spawn_app().await;
    let seoul = fixture(&app).await;
    let (_, html) = get_page(&app, &seoul.event_path()).await;
    assert!(html.contains("13:00–18:00 (한국 시간)"));
    assert!(html.contains("시간은 모두 한국 시간 기준입니다."));
    assert!(!html.contains("Asia/Seoul"));
    let (_, english) = get_page(&app, &format!("{}?lang=en", seoul.event_path())).await;
    assert!(english.contains("13:00–18:00 (Korea time)"));
    assert!(english.contains("All times are in Korea time."));

    let berlin = fixture_with(&app, "berlin", 10, json!({"time_zone": "Europe/Berlin"})).await;
    let (_, html) = get_page(&app, &berlin.event_path()).await;
    assert!(html.contains("06:00–11:00 (Berlin 시간)"), "{html}");
    assert!(!html.contains("Europe/Berlin"));
}

#[tokio::test]
async fn once_the_survey_is_mailed_the_ended_page_points_to_it() {
    // The scheduler that sends surveys runs beside the mail worker.
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let event = event_starting_in(&app, TimeDelta::hours(1), 10).await;
    let registration = register(&app, &event, "김서연", "seoyeon@example.com", "ko").await;
    let checked_in = app
        .post(
            &format!("/api/v1/events/{}/check-ins", id(&event)),
            &json!({"code": registration["checkin_code"]}),
        )
        .await;
    expect_status(checked_in, StatusCode::OK).await;
    let path = format!("/events/{}", event["slug"].as_str().unwrap());
    let ends_at: DateTime<Utc> = event["ends_at"].as_str().unwrap().parse().unwrap();

    // Ended, but the survey goes out a day later: nothing to point to yet.
    app.clock.set(ends_at + TimeDelta::hours(1));
    let (_, html) = get_page(&app, &path).await;
    assert!(html.contains("이 행사는 끝났습니다."), "{html}");
    assert!(
        !html.contains("설문"),
        "no survey before it is mailed: {html}"
    );

    // A day after the end the scheduler mails it; the page (cached for a second) then says so.
    app.clock
        .set(ends_at + TimeDelta::hours(24) + TimeDelta::minutes(1));
    let started = std::time::Instant::now();
    loop {
        let (_, html) = get_page(&app, &path).await;
        if html.contains("설문 링크를 메일로 보내 드렸습니다") {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the ended page never pointed to the mailed survey: {html}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let (_, english) = get_page(&app, &format!("{path}?lang=en")).await;
    assert!(
        english.contains("mailed a link to a short survey"),
        "{english}"
    );
}
