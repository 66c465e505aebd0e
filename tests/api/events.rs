//! Events: creation and its defaults, every validation rule, the status life cycle, list
//! filters and pagination, merge patches, re-checking the schedule when an event moves or
//! changes venue, and deletion.

use entity::{talk, talk_speaker};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_fields, expect_problem, expect_status, id, spawn_app};

/// A minimal valid event body on 2026-05-16, 13:00 to 18:00 in Seoul, with `extra` merged in.
fn event_body(extra: Value) -> Value {
    let mut body = json!({
        "title": "1&N 홈커밍 2026",
        "starts_at": "2026-05-16T13:00:00+09:00",
        "ends_at": "2026-05-16T18:00:00+09:00",
    });
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

async fn create(app: &TestApp, body: Value) -> Value {
    expect_status(app.post("/api/v1/events", &body).await, StatusCode::CREATED).await
}

async fn get_event(app: &TestApp, event_id: &str) -> Value {
    expect_status(
        app.get(&format!("/api/v1/events/{event_id}")).await,
        StatusCode::OK,
    )
    .await
}

async fn set_status(app: &TestApp, event_id: &str, status: &str) -> reqwest::Response {
    app.patch(
        &format!("/api/v1/events/{event_id}"),
        &json!({ "status": status }),
    )
    .await
}

/// Moves the event to `status` through allowed transitions, asserting each succeeds.
async fn walk_to(app: &TestApp, event_id: &str, path: &[&str]) {
    for status in path {
        let event = expect_status(set_status(app, event_id, status).await, StatusCode::OK).await;
        assert_eq!(event["status"], *status);
    }
}

async fn event_count(app: &TestApp) -> usize {
    let list = expect_status(app.get("/api/v1/events?limit=100").await, StatusCode::OK).await;
    list["items"].as_array().unwrap().len()
}

fn is_url_safe(slug: &str) -> bool {
    !slug.is_empty()
        && slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

// ---------------------------------------------------------------------------------------
// Creation
// ---------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------

/// Posts `extra` over a valid event and expects 422 naming exactly `fields`, with nothing
/// created.
async fn rejects(app: &TestApp, extra: Value, fields: &[&str]) {
    let response = app.post("/api/v1/events", &event_body(extra.clone())).await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), fields, "{extra}: {problem}");
    assert_eq!(problem["type"], "/problems/validation");
    assert_eq!(event_count(app).await, 0, "{extra}: nothing was created");
}

#[tokio::test]
async fn an_event_must_end_after_it_starts() {
    let app = spawn_app().await;
    rejects(
        &app,
        json!({"ends_at": "2026-05-16T12:00:00+09:00"}),
        &["ends_at"],
    )
    .await;
    rejects(
        &app,
        json!({"ends_at": "2026-05-16T13:00:00+09:00"}),
        &["ends_at"],
    )
    .await;
    // The same instant written with a different offset is still not after the start.
    rejects(
        &app,
        json!({"ends_at": "2026-05-16T04:00:00Z"}),
        &["ends_at"],
    )
    .await;
}

#[tokio::test]
async fn times_need_an_offset() {
    let app = spawn_app().await;
    rejects(
        &app,
        json!({"starts_at": "2026-05-16T13:00:00"}),
        &["starts_at"],
    )
    .await;
    rejects(&app, json!({"ends_at": "2026-05-16"}), &["ends_at"]).await;
    rejects(
        &app,
        json!({"registration_opens_at": "2026-04-01T10:00:00"}),
        &["registration_opens_at"],
    )
    .await;
}

#[tokio::test]
async fn required_fields_are_named() {
    let app = spawn_app().await;
    let response = app
        .post(
            "/api/v1/events",
            &json!({"title": "x", "ends_at": "2026-05-16T18:00:00+09:00"}),
        )
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["starts_at"], "{problem}");
    rejects(&app, json!({"title": "   "}), &["title"]).await;
    rejects(&app, json!({"colour": "blue"}), &["colour"]).await;
}

#[tokio::test]
async fn an_unknown_time_zone_is_422() {
    let app = spawn_app().await;
    rejects(&app, json!({"time_zone": "Mars/Olympus"}), &["time_zone"]).await;
    rejects(&app, json!({"time_zone": "KST"}), &["time_zone"]).await;
}

#[tokio::test]
async fn capacity_must_be_positive() {
    let app = spawn_app().await;
    rejects(&app, json!({"capacity": 0}), &["capacity"]).await;
    rejects(&app, json!({"capacity": -3}), &["capacity"]).await;
    rejects(&app, json!({"capacity": 100_001}), &["capacity"]).await;
}

#[tokio::test]
async fn the_registration_window_must_be_in_order_and_close_by_the_end() {
    let app = spawn_app().await;
    rejects(
        &app,
        json!({
            "registration_opens_at": "2026-05-10T00:00:00+09:00",
            "registration_closes_at": "2026-05-01T00:00:00+09:00",
        }),
        &["registration_closes_at"],
    )
    .await;
    rejects(
        &app,
        json!({
            "registration_opens_at": "2026-05-01T00:00:00+09:00",
            "registration_closes_at": "2026-05-16T18:00:01+09:00",
        }),
        &["registration_closes_at"],
    )
    .await;
    rejects(
        &app,
        json!({"registration_opens_at": "2026-05-16T18:00:00+09:00"}),
        &["registration_opens_at"],
    )
    .await;
    // Closing exactly when the event ends is allowed.
    create(
        &app,
        event_body(json!({
            "registration_opens_at": "2026-05-01T00:00:00+09:00",
            "registration_closes_at": "2026-05-16T18:00:00+09:00",
        })),
    )
    .await;
}

#[tokio::test]
async fn an_unknown_venue_is_422() {
    let app = spawn_app().await;
    rejects(
        &app,
        json!({"venue_id": "0193a0b0-0000-7000-8000-000000000000"}),
        &["venue_id"],
    )
    .await;
    rejects(&app, json!({"venue_id": "not-a-uuid"}), &["venue_id"]).await;
}

#[tokio::test]
async fn new_events_cannot_skip_the_draft_status() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    for status in ["published", "closed", "completed", "cancelled"] {
        rejects(
            &app,
            json!({"status": status, "venue_id": id(&venue), "capacity": 10}),
            &["status"],
        )
        .await;
    }
    rejects(&app, json!({"status": "someday"}), &["status"]).await;
}

#[tokio::test]
async fn several_invalid_fields_are_reported_together() {
    let app = spawn_app().await;
    rejects(
        &app,
        json!({
            "title": "", "slug": "Bad Slug", "ends_at": "2026-05-16T12:00:00+09:00",
            "time_zone": "Nowhere/City", "capacity": 0,
        }),
        &["title", "slug", "ends_at", "time_zone", "capacity"],
    )
    .await;
}

// ---------------------------------------------------------------------------------------
// Status life cycle
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn publishing_needs_a_venue_and_a_capacity() {
    let app = spawn_app().await;
    let event = create(&app, event_body(json!({}))).await;
    let event_id = id(&event);
    let problem = expect_problem(
        set_status(&app, &event_id, "published").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        ["venue_id", "capacity"],
        "{problem}"
    );
    assert_eq!(get_event(&app, &event_id).await["status"], "draft");

    let venue = app.create_venue().await;
    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"status": "published", "venue_id": id(&venue)}),
        )
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["capacity"], "{problem}");
    let unchanged = get_event(&app, &event_id).await;
    assert_eq!(unchanged["status"], "draft");
    assert!(unchanged["venue_id"].is_null(), "nothing was changed");

    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"status": "published", "venue_id": id(&venue), "capacity": 80}),
        )
        .await;
    let published = expect_status(response, StatusCode::OK).await;
    assert_eq!(published["status"], "published");

    // A published event cannot lose what it was published with.
    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"capacity": null}),
        )
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["capacity"], "{problem}");
}

#[tokio::test]
async fn published_closed_completed_is_the_normal_life() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let event = app.create_event(Some(&id(&venue))).await;
    let event_id = id(&event);
    walk_to(
        &app,
        &event_id,
        &["published", "closed", "published", "closed", "completed"],
    )
    .await;
    assert_eq!(get_event(&app, &event_id).await["status"], "completed");
}

async fn expect_transition_conflict(app: &TestApp, event_id: &str, to: &str, from: &str) {
    let problem = expect_problem(set_status(app, event_id, to).await, StatusCode::CONFLICT).await;
    assert_eq!(
        problem["conflict"]["kind"], "invalid_transition",
        "{problem}"
    );
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains(from) && detail.contains(to), "{detail}");
    assert_eq!(
        get_event(app, event_id).await["status"],
        from,
        "the status did not change"
    );
}

#[tokio::test]
async fn a_completed_event_stays_completed() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let event_id = id(&app.create_event(Some(&id(&venue))).await);
    walk_to(&app, &event_id, &["published", "closed", "completed"]).await;
    for to in ["published", "cancelled", "closed", "draft"] {
        expect_transition_conflict(&app, &event_id, to, "completed").await;
    }
}

#[tokio::test]
async fn a_draft_cannot_jump_ahead() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let event_id = id(&app.create_event(Some(&id(&venue))).await);
    expect_transition_conflict(&app, &event_id, "completed", "draft").await;
    expect_transition_conflict(&app, &event_id, "closed", "draft").await;
    walk_to(&app, &event_id, &["published"]).await;
    expect_transition_conflict(&app, &event_id, "draft", "published").await;
    expect_transition_conflict(&app, &event_id, "completed", "published").await;
}

#[tokio::test]
async fn any_open_event_can_be_cancelled_and_cancelled_is_final() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let venue_id = id(&venue);
    for path in [
        &["cancelled"][..],
        &["published", "cancelled"][..],
        &["published", "closed", "cancelled"][..],
    ] {
        let event_id = id(&app.create_event(Some(&venue_id)).await);
        walk_to(&app, &event_id, path).await;
        for to in ["draft", "published", "closed", "completed"] {
            expect_transition_conflict(&app, &event_id, to, "cancelled").await;
        }
    }
}

#[tokio::test]
async fn patching_the_current_status_again_is_not_a_transition() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let event_id = id(&app.create_event(Some(&id(&venue))).await);
    walk_to(&app, &event_id, &["published", "published"]).await;
    walk_to(&app, &event_id, &["draft"][..0]).await;
    let event = expect_status(
        set_status(&app, &event_id, "published").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(event["status"], "published");
}

#[tokio::test]
async fn an_unknown_status_in_a_patch_is_422() {
    let app = spawn_app().await;
    let event_id = id(&app.create_event(None).await);
    let problem = expect_problem(
        set_status(&app, &event_id, "archived").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["status"], "{problem}");
}

// ---------------------------------------------------------------------------------------
// Listing
// ---------------------------------------------------------------------------------------

fn ids(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(id).collect()
}

#[tokio::test]
async fn the_list_filters_by_status() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let draft = app.create_event(Some(&id(&venue))).await;
    let published = app.create_event(Some(&id(&venue))).await;
    walk_to(&app, &id(&published), &["published"]).await;
    let cancelled = app.create_event(Some(&id(&venue))).await;
    walk_to(&app, &id(&cancelled), &["cancelled"]).await;

    for (status, expected) in [
        ("draft", vec![id(&draft)]),
        ("published", vec![id(&published)]),
        ("cancelled", vec![id(&cancelled)]),
        ("closed", vec![]),
    ] {
        let page = expect_status(
            app.get(&format!("/api/v1/events?status={status}")).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(ids(&page), expected, "status={status}");
    }
    let all = expect_status(app.get("/api/v1/events").await, StatusCode::OK).await;
    assert_eq!(
        ids(&all),
        [id(&draft), id(&published), id(&cancelled)],
        "oldest first"
    );
    assert!(all["next"].is_null(), "one page only: {all}");
}

#[tokio::test]
async fn the_year_filter_uses_the_events_time_zone() {
    let app = spawn_app().await;
    // 01:00 on New Year's Day in Seoul is still 2026 in UTC.
    let new_year = create(
        &app,
        event_body(json!({
            "title": "신년 홈커밍",
            "starts_at": "2027-01-01T01:00:00+09:00", "ends_at": "2027-01-01T05:00:00+09:00",
        })),
    )
    .await;
    // 20:00 on New Year's Eve in New York is already 2027 in UTC.
    let eve = create(
        &app,
        event_body(json!({
            "title": "New Year's Eve", "time_zone": "America/New_York",
            "starts_at": "2026-12-31T20:00:00-05:00", "ends_at": "2026-12-31T23:00:00-05:00",
        })),
    )
    .await;
    let may = create(&app, event_body(json!({}))).await;

    let year = |year: i32| {
        let app = &app;
        async move {
            ids(&expect_status(
                app.get(&format!("/api/v1/events?year={year}")).await,
                StatusCode::OK,
            )
            .await)
        }
    };
    assert_eq!(year(2027).await, [id(&new_year)]);
    assert_eq!(year(2026).await, [id(&eve), id(&may)]);
    assert_eq!(year(2025).await, Vec::<String>::new());

    let both = expect_status(
        app.get("/api/v1/events?year=2027&status=draft").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ids(&both), [id(&new_year)]);
    let none = expect_status(
        app.get("/api/v1/events?year=2027&status=published").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ids(&none), Vec::<String>::new());
}

#[tokio::test]
async fn moving_an_event_across_new_year_changes_its_year() {
    let app = spawn_app().await;
    let event_id = id(&app.create_event(None).await);
    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"starts_at": "2027-01-01T00:30:00+09:00", "ends_at": "2027-01-01T03:00:00+09:00"}),
        )
        .await;
    expect_status(response, StatusCode::OK).await;
    let page = expect_status(app.get("/api/v1/events?year=2027").await, StatusCode::OK).await;
    assert_eq!(ids(&page), std::slice::from_ref(&event_id));
    // Changing only the time zone re-evaluates the year too: in UTC it is 2026.
    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"time_zone": "UTC"}),
        )
        .await;
    let event = expect_status(response, StatusCode::OK).await;
    assert_eq!(event["starts_at"], "2026-12-31T15:30:00Z");
    let page = expect_status(app.get("/api/v1/events?year=2026").await, StatusCode::OK).await;
    assert_eq!(ids(&page), [event_id]);
}

#[tokio::test]
async fn the_list_paginates_with_a_next_link() {
    let app = spawn_app().await;
    let mut created = Vec::new();
    for _ in 0..5 {
        created.push(id(&app.create_event(None).await));
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/events?limit=2&status=draft".to_string();
    let mut pages = 0;
    loop {
        let page = expect_status(app.get(&path).await, StatusCode::OK).await;
        pages += 1;
        let items = ids(&page);
        assert!(items.len() <= 2, "{page}");
        seen.extend(items);
        match page["next"].as_str() {
            Some(next) => {
                assert!(next.starts_with("/api/v1/events?"), "{next}");
                assert!(
                    next.contains("limit=2") && next.contains("status=draft"),
                    "the next link keeps the query: {next}"
                );
                assert_eq!(
                    page["next_cursor"], page["items"][1]["id"],
                    "the cursor is the last item"
                );
                path = next.to_string();
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, created, "every event once, in a stable order");

    // An exact multiple of the page size does not end with an empty page link.
    let page = expect_status(app.get("/api/v1/events?limit=5").await, StatusCode::OK).await;
    assert_eq!(ids(&page).len(), 5);
    assert!(page["next"].is_null(), "{page}");
}

#[tokio::test]
async fn get_of_an_unknown_event_is_404() {
    let app = spawn_app().await;
    let unknown = "/api/v1/events/0193a0b0-0000-7000-8000-000000000000";
    expect_problem(app.get(unknown).await, StatusCode::NOT_FOUND).await;
    expect_problem(
        app.patch(unknown, &json!({"title": "x"})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    expect_problem(app.delete(unknown).await, StatusCode::NOT_FOUND).await;
}

// ---------------------------------------------------------------------------------------
// Updates
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_patch_changes_only_the_fields_it_names() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let event = create(
        &app,
        event_body(json!({
            "venue_id": id(&venue), "capacity": 100, "description": "설명",
            "tags": ["career"], "registration_opens_at": "2026-04-01T10:00:00+09:00",
        })),
    )
    .await;
    let event_id = id(&event);
    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"title": "1&N 홈커밍 2026 (봄)", "capacity": 120}),
        )
        .await;
    let patched = expect_status(response, StatusCode::OK).await;
    assert_eq!(patched["title"], "1&N 홈커밍 2026 (봄)");
    assert_eq!(patched["capacity"], 120);
    for unchanged in [
        "slug",
        "description",
        "starts_at",
        "ends_at",
        "time_zone",
        "venue_id",
        "registration_opens_at",
        "tags",
        "status",
        "created_at",
    ] {
        assert_eq!(patched[unchanged], event[unchanged], "{unchanged}");
    }
    assert_eq!(get_event(&app, &event_id).await, patched);

    // `null` removes an optional field.
    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"description": null, "registration_opens_at": null}),
        )
        .await;
    let cleared = expect_status(response, StatusCode::OK).await;
    assert!(cleared["description"].is_null());
    assert!(cleared["registration_opens_at"].is_null());
    assert_eq!(cleared["capacity"], 120);
}

#[tokio::test]
async fn a_patch_is_validated_like_a_create() {
    let app = spawn_app().await;
    let event = app.create_event(None).await;
    let event_id = id(&event);
    for (patch, field) in [
        (json!({"ends_at": "2026-05-16T12:00:00+09:00"}), "ends_at"),
        (json!({"capacity": 0}), "capacity"),
        (json!({"time_zone": "Mars/Olympus"}), "time_zone"),
        (json!({"slug": "Not OK"}), "slug"),
        (
            json!({"venue_id": "0193a0b0-0000-7000-8000-000000000000"}),
            "venue_id",
        ),
        (json!({"starts_at": "2026-05-16T13:00:00"}), "starts_at"),
        (json!({"unknown": 1}), "unknown"),
    ] {
        let response = app
            .patch(&format!("/api/v1/events/{event_id}"), &patch)
            .await;
        let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), [field], "{patch}: {problem}");
    }
    assert_eq!(get_event(&app, &event_id).await, event, "nothing changed");
    let response = app
        .patch(&format!("/api/v1/events/{event_id}"), &json!([1, 2]))
        .await;
    expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
}

#[tokio::test]
async fn a_patch_to_a_slug_of_another_event_is_409() {
    let app = spawn_app().await;
    let first = create(&app, event_body(json!({"slug": "first"}))).await;
    let second = create(&app, event_body(json!({"slug": "second"}))).await;
    let response = app
        .patch(
            &format!("/api/v1/events/{}", id(&second)),
            &json!({"slug": "first"}),
        )
        .await;
    let problem = expect_problem(response, StatusCode::CONFLICT).await;
    assert_eq!(problem["conflict"]["with"]["id"], id(&first), "{problem}");
    assert_eq!(get_event(&app, &id(&second)).await["slug"], "second");
    // Keeping its own slug is no conflict.
    let response = app
        .patch(
            &format!("/api/v1/events/{}", id(&first)),
            &json!({"slug": "first", "title": "renamed"}),
        )
        .await;
    expect_status(response, StatusCode::OK).await;
}

/// A venue, a draft event there (13:00-18:00 Seoul), a speaker and one talk from 16:00 to
/// 17:00 in the venue's first room.
async fn event_with_talk(app: &TestApp) -> (Value, Value, Value) {
    let venue = app.create_venue().await;
    let event = app.create_event(Some(&id(&venue))).await;
    let speaker = app.create_speaker("김서연").await;
    let response = app
        .create_talk(
            &id(&event),
            &json!({
                "title": "신입 개발자로 살아남기", "speaker_ids": [id(&speaker)],
                "room_id": venue["rooms"][0]["id"],
                "starts_at": "2026-05-16T16:00:00+09:00", "ends_at": "2026-05-16T17:00:00+09:00",
            }),
        )
        .await;
    let talk = expect_status(response, StatusCode::CREATED).await;
    (venue, event, talk)
}

#[tokio::test]
async fn moving_an_event_away_from_its_talks_is_409_naming_the_talk() {
    let app = spawn_app().await;
    let (_, event, talk) = event_with_talk(&app).await;
    let event_id = id(&event);
    for patch in [
        json!({"ends_at": "2026-05-16T16:30:00+09:00"}),
        json!({"starts_at": "2026-05-16T16:30:00+09:00"}),
        json!({"starts_at": "2026-05-17T13:00:00+09:00", "ends_at": "2026-05-17T18:00:00+09:00"}),
        // The same wall-clock times in another zone are other instants.
        json!({"time_zone": "Asia/Tokyo", "starts_at": "2026-05-16T13:00:00+00:00",
               "ends_at": "2026-05-16T15:00:00+00:00"}),
    ] {
        let response = app
            .patch(&format!("/api/v1/events/{event_id}"), &patch)
            .await;
        let problem = expect_problem(response, StatusCode::CONFLICT).await;
        assert_eq!(problem["conflict"]["kind"], "outside_event", "{problem}");
        assert_eq!(problem["conflict"]["with"]["resource"], "talk");
        assert_eq!(problem["conflict"]["with"]["id"], id(&talk), "{problem}");
        assert_eq!(
            problem["conflict"]["with"]["label"],
            "신입 개발자로 살아남기"
        );
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("신입 개발자로 살아남기"),
            "{problem}"
        );
        assert_eq!(
            get_event(&app, &event_id).await,
            event,
            "{patch}: nothing changed"
        );
    }
    // Moving while keeping the talk inside is fine, down to the talk's exact bounds.
    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"starts_at": "2026-05-16T16:00:00+09:00", "ends_at": "2026-05-16T17:00:00+09:00"}),
        )
        .await;
    expect_status(response, StatusCode::OK).await;
}

#[tokio::test]
async fn changing_the_venue_under_a_talk_is_409_naming_the_talk() {
    let app = spawn_app().await;
    let (venue, event, talk) = event_with_talk(&app).await;
    let event_id = id(&event);
    let other_venue = app.create_venue().await;
    for patch in [
        json!({"venue_id": id(&other_venue)}),
        json!({"venue_id": null}),
    ] {
        let response = app
            .patch(&format!("/api/v1/events/{event_id}"), &patch)
            .await;
        let problem = expect_problem(response, StatusCode::CONFLICT).await;
        assert_eq!(
            problem["conflict"]["kind"], "room_not_in_venue",
            "{problem}"
        );
        assert_eq!(problem["conflict"]["with"]["id"], id(&talk), "{problem}");
        assert_eq!(problem["conflict"]["with"]["label"], talk["title"]);
        assert_eq!(
            get_event(&app, &event_id).await["venue_id"],
            id(&venue),
            "{patch}: the venue did not change"
        );
    }
    // Once the talk has no room, the venue may change.
    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}/talks/{}", id(&talk)),
            &json!({"room_id": null}),
        )
        .await;
    expect_status(response, StatusCode::OK).await;
    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"venue_id": id(&other_venue)}),
        )
        .await;
    let moved = expect_status(response, StatusCode::OK).await;
    assert_eq!(moved["venue_id"], id(&other_venue));
}

#[tokio::test]
async fn changing_other_fields_does_not_trip_over_the_schedule() {
    let app = spawn_app().await;
    let (_, event, _) = event_with_talk(&app).await;
    let response = app
        .patch(
            &format!("/api/v1/events/{}", id(&event)),
            &json!({"title": "새 이름", "capacity": 50, "status": "published"}),
        )
        .await;
    let event = expect_status(response, StatusCode::OK).await;
    assert_eq!(event["status"], "published");
}

// ---------------------------------------------------------------------------------------
// Deletion
// ---------------------------------------------------------------------------------------

async fn talks_of(app: &TestApp, event_id: &str) -> u64 {
    talk::Entity::find()
        .filter(talk::Column::EventId.eq(event_id.parse::<uuid::Uuid>().unwrap()))
        .count(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn deleting_a_draft_removes_it_with_its_talks() {
    let app = spawn_app().await;
    let (_, event, talk) = event_with_talk(&app).await;
    let event_id = id(&event);
    assert_eq!(talks_of(&app, &event_id).await, 1);
    let response = app.delete(&format!("/api/v1/events/{event_id}")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.text().await.unwrap().is_empty());
    expect_problem(
        app.get(&format!("/api/v1/events/{event_id}")).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(talks_of(&app, &event_id).await, 0, "the talks went with it");
    let links = talk_speaker::Entity::find()
        .filter(talk_speaker::Column::TalkId.eq(id(&talk).parse::<uuid::Uuid>().unwrap()))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(links, 0, "and so did their speaker links");
    expect_problem(
        app.delete(&format!("/api/v1/events/{event_id}")).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn published_closed_and_completed_events_are_kept() {
    let app = spawn_app().await;
    let (_, event, _) = event_with_talk(&app).await;
    let event_id = id(&event);
    for status in ["published", "closed", "completed"] {
        walk_to(&app, &event_id, &[status]).await;
        let problem = expect_problem(
            app.delete(&format!("/api/v1/events/{event_id}")).await,
            StatusCode::CONFLICT,
        )
        .await;
        assert_eq!(problem["conflict"]["kind"], "invalid_state", "{problem}");
        assert_eq!(get_event(&app, &event_id).await["status"], status);
        assert_eq!(talks_of(&app, &event_id).await, 1, "the schedule is kept");
    }
}

#[tokio::test]
async fn a_cancelled_event_can_be_deleted() {
    let app = spawn_app().await;
    let (_, event, _) = event_with_talk(&app).await;
    let event_id = id(&event);
    walk_to(&app, &event_id, &["published", "cancelled"]).await;
    let response = app.delete(&format!("/api/v1/events/{event_id}")).await;
    expect_status(response, StatusCode::NO_CONTENT).await;
    expect_problem(
        app.get(&format!("/api/v1/events/{event_id}")).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(talks_of(&app, &event_id).await, 0);
}
