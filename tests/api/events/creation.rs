//! Creating an event: a draft in Seoul time by default, times in the event's own offset, and
//! slugs derived from the title or given.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::events::{create, event_body, event_count, get_event};
use crate::helpers::{error_fields, expect_problem, expect_status, id, spawn_app};

fn is_url_safe(slug: &str) -> bool {
    !slug.is_empty()
        && slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[tokio::test]
async fn create_returns_201_with_a_draft_in_seoul_time() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let response = app
        .post(
            "/api/v1/events",
            &event_body(json!({
                // Sent in UTC: it must come back in the event's own offset.
                "starts_at": "2026-05-16T04:00:00Z", "ends_at": "2026-05-16T09:00:00Z",
                "venue_id": id(&venue), "capacity": 100, "tags": ["Career", "AI", "career"],
                "description": "졸업생과 재학생이 다시 만나는 날",
                "registration_opens_at": "2026-04-01T01:00:00Z",
                "registration_closes_at": "2026-05-14T23:59:59+09:00",
            })),
        )
        .await;
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let event = expect_status(response, StatusCode::CREATED).await;
    assert_eq!(location, format!("/api/v1/events/{}", id(&event)));
    assert_eq!(event["status"], "draft");
    assert_eq!(event["time_zone"], "Asia/Seoul", "the default time zone");
    assert_eq!(event["starts_at"], "2026-05-16T13:00:00+09:00");
    assert_eq!(event["ends_at"], "2026-05-16T18:00:00+09:00");
    assert_eq!(event["registration_opens_at"], "2026-04-01T10:00:00+09:00");
    assert_eq!(event["registration_closes_at"], "2026-05-14T23:59:59+09:00");
    assert_eq!(event["venue_id"], id(&venue));
    assert_eq!(event["capacity"], 100);
    assert_eq!(
        event["tags"],
        json!(["career", "ai"]),
        "tags lowercased, de-duplicated"
    );
    assert_eq!(event["description"], "졸업생과 재학생이 다시 만나는 날");
    // GET returns the same representation.
    assert_eq!(get_event(&app, &id(&event)).await, event);
}

#[tokio::test]
async fn times_come_back_in_the_offset_of_the_events_own_time_zone() {
    let app = spawn_app().await;
    let event = create(
        &app,
        event_body(json!({
            "time_zone": "America/New_York",
            "starts_at": "2026-05-16T13:00:00+09:00", "ends_at": "2026-05-16T18:00:00+09:00",
        })),
    )
    .await;
    assert_eq!(event["time_zone"], "America/New_York");
    assert_eq!(
        event["starts_at"], "2026-05-16T00:00:00-04:00",
        "daylight saving time in May"
    );
    assert_eq!(event["ends_at"], "2026-05-16T05:00:00-04:00");
}

#[tokio::test]
async fn a_slug_derived_from_a_korean_title_is_url_safe_and_unique() {
    let app = spawn_app().await;
    let first = create(&app, event_body(json!({}))).await;
    let slug = first["slug"].as_str().unwrap().to_string();
    assert!(is_url_safe(&slug), "{slug}");
    assert!(slug.contains("2026"), "{slug}");

    let second = create(&app, event_body(json!({}))).await;
    assert_eq!(second["slug"], format!("{slug}-2"));
    let third = create(&app, event_body(json!({}))).await;
    assert_eq!(third["slug"], format!("{slug}-3"));

    let hangul_only = create(&app, event_body(json!({"title": "홈커밍 데이"}))).await;
    let slug = hangul_only["slug"].as_str().unwrap();
    assert!(is_url_safe(slug), "{slug}");
}

#[tokio::test]
async fn an_explicit_slug_is_kept_and_a_duplicate_is_409() {
    let app = spawn_app().await;
    let first = create(&app, event_body(json!({"slug": "spring-2026"}))).await;
    assert_eq!(first["slug"], "spring-2026");

    let response = app
        .post(
            "/api/v1/events",
            &event_body(json!({"title": "다른 행사", "slug": "spring-2026"})),
        )
        .await;
    let problem = expect_problem(response, StatusCode::CONFLICT).await;
    assert_eq!(problem["conflict"]["kind"], "duplicate", "{problem}");
    assert_eq!(problem["conflict"]["with"]["id"], id(&first), "{problem}");
    assert_eq!(event_count(&app).await, 1, "nothing was created");

    // A derived slug never collides with an explicit one: it gets a suffix.
    let derived = create(&app, event_body(json!({"title": "Spring 2026"}))).await;
    assert_eq!(derived["slug"], "spring-2026-2");
}

#[tokio::test]
async fn an_invalid_explicit_slug_is_422() {
    let app = spawn_app().await;
    for bad in [
        "Upper-Case",
        "two--hyphens",
        "-lead",
        "trail-",
        "with space",
        "홈커밍",
        "",
    ] {
        let response = app
            .post("/api/v1/events", &event_body(json!({"slug": bad})))
            .await;
        let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), ["slug"], "{bad:?}: {problem}");
    }
    assert_eq!(event_count(&app).await, 0, "nothing was created");
}

#[tokio::test]
async fn status_draft_may_be_given_on_create() {
    let app = spawn_app().await;
    let event = create(&app, event_body(json!({"status": "draft"}))).await;
    assert_eq!(event["status"], "draft");
}
