//! Whether a registration is taken at all: only while the event is published and its window
//! open, only with valid fields, and only once per idempotency key.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::registration::{person, registrations};
use crate::helpers::{TestApp, error_fields, expect_problem, expect_status, id, spawn_app};

/// Registering someone is refused as a conflict: the problem.
async fn registering_is_refused(app: &TestApp, event: &Value) -> Value {
    expect_problem(
        app.register(&id(event), &person(1)).await,
        StatusCode::CONFLICT,
    )
    .await
}

async fn a_draft(app: &TestApp) -> Value {
    let venue = app.create_venue().await;
    expect_status(
        app.post(
            "/api/v1/events",
            &json!({"title": "초안", "starts_at": "2030-05-18T13:00:00+09:00", "ends_at": "2030-05-18T19:00:00+09:00",
                    "venue_id": venue["id"], "capacity": 10}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await
}

async fn an_event_opening_later(app: &TestApp) -> Value {
    app.open_event(
        10,
        json!({"registration_opens_at": "2030-01-01T00:00:00+09:00"}),
    )
    .await
}

async fn an_event_whose_window_is_over(app: &TestApp) -> Value {
    app.open_event(10, json!({"registration_opens_at": "2020-01-01T00:00:00Z", "registration_closes_at": "2021-01-01T00:00:00Z"}))
        .await
}

async fn an_event_the_organizers_closed(app: &TestApp) -> Value {
    let open = app.open_event(10, json!({})).await;
    let path = format!("/api/v1/events/{}", id(&open));
    expect_status(
        app.patch(&path, &json!({"status": "closed"})).await,
        StatusCode::OK,
    )
    .await;
    open
}

#[tokio::test]
async fn registration_is_only_possible_while_published_and_open() {
    let app = spawn_app().await;
    let draft = a_draft(&app).await;
    let problem = registering_is_refused(&app, &draft).await;
    assert_eq!(problem["conflict"]["kind"], "registration_closed");
    let later = an_event_opening_later(&app).await;
    let problem = registering_is_refused(&app, &later).await;
    assert_eq!(problem["conflict"]["kind"], "registration_not_open");
    let over = an_event_whose_window_is_over(&app).await;
    let problem = registering_is_refused(&app, &over).await;
    assert_eq!(problem["conflict"]["kind"], "registration_closed");
    let closed = an_event_the_organizers_closed(&app).await;
    registering_is_refused(&app, &closed).await;

    let unknown = app
        .register("0193a0b0-0000-7000-8000-000000000000", &person(1))
        .await;
    expect_problem(unknown, StatusCode::NOT_FOUND).await;
    for event in [&draft, &later, &over, &closed] {
        assert!(
            registrations(&app, &id(event), "").await.is_empty(),
            "nothing was created"
        );
    }
}

#[tokio::test]
async fn invalid_registrations_name_each_field() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let response = app
        .register(&id(&event), &json!({
            "name": "", "email": "not-an-email", "role": "student", "admission_year": 1800,
            "interests": ["cooking"], "wanted_speaker_ids": ["0193a0b0-0000-7000-8000-000000000000"]
        }))
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        error_fields(&problem),
        [
            "name",
            "email",
            "admission_year",
            "interests[0]",
            "wanted_speaker_ids[0]"
        ]
    );
    let response = app
        .register(
            &id(&event),
            &json!({"name": "x", "email": "x@example.com", "role": "teacher"}),
        )
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["role"]);
    assert!(registrations(&app, &id(&event), "").await.is_empty());
}

#[tokio::test]
async fn an_idempotency_key_replays_the_first_answer() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let url = app.url(&format!("/api/v1/events/{}/registrations", id(&event)));
    let send = |key: &str| {
        app.client
            .post(&url)
            .header("Idempotency-Key", key)
            .json(&person(7))
            .send()
    };
    let first = send("attempt-1").await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let retry = send("attempt-1").await.unwrap();
    assert_eq!(retry.status(), StatusCode::CREATED);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    let retry: Value = retry.json().await.unwrap();
    assert_eq!(retry["id"], first["id"]);
    assert_eq!(retry["status"], first["status"]);
    assert!(
        retry.get("manage_url").is_none(),
        "the link is stored only as a hash"
    );
    assert_eq!(
        registrations(&app, &id(&event), "").await.len(),
        1,
        "the retry created nothing"
    );

    let other_key = send("attempt-2").await.unwrap();
    assert_eq!(
        other_key.status(),
        StatusCode::CONFLICT,
        "a new key is a new attempt: already registered"
    );
    let bad_key = app
        .client
        .post(&url)
        .header("Idempotency-Key", "")
        .json(&person(8))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_key.status(), StatusCode::BAD_REQUEST);
}
