//! The public event page: no token, published events only, and nothing private in it.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, expect_problem, expect_status, id, spawn_app};

/// GET without any token.
async fn public_get(app: &TestApp, slug: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/v1/public/events/{slug}")))
        .send()
        .await
        .unwrap()
}

async fn publish(app: &TestApp, event: &Value) -> Value {
    let response = app
        .patch(
            &format!("/api/v1/events/{}", id(event)),
            &json!({"status": "published"}),
        )
        .await;
    let event = expect_status(response, StatusCode::OK).await;
    assert_eq!(event["status"], "published");
    event
}

async fn speaker(app: &TestApp, name: &str, email: &str, affiliation: &str) -> Value {
    let response = app
        .post(
            "/api/v1/speakers",
            &json!({
                "name": name, "email": email, "admission_year": 2013, "cohort": "13학번",
                "affiliation": affiliation, "job_title": "Engineer",
                "bio": format!("{name}의 소개"), "tags": ["career"],
                "links": [{"label": "Blog", "url": "https://blog.example.com/"}]
            }),
        )
        .await;
    expect_status(response, StatusCode::CREATED).await
}

/// A published event at the helper venue with a schedule, created out of start order:
/// (event, venue, [panel speaker B, speaker A], [talk 15:00, panel 13:30, networking 17:00]).
struct Published {
    event: Value,
    venue: Value,
    speakers: [Value; 2],
    talks: [Value; 3],
}

async fn published_event(app: &TestApp) -> Published {
    let venue = app.create_venue().await;
    let hall = id(&venue["rooms"][0]);
    let seminar = id(&venue["rooms"][1]);
    let a = speaker(app, "김서연", "seoyeon.secret@example.com", "Toss").await;
    let b = speaker(app, "박지훈", "jihoon.secret@example.com", "Kakao").await;
    // A speaker with no talk at this event is not listed on its page.
    speaker(app, "이민지", "minji.secret@example.com", "Naver").await;
    let event = app.create_event(Some(&id(&venue))).await;
    let event_id = id(&event);
    let talk = async |body: Value| {
        expect_status(app.create_talk(&event_id, &body).await, StatusCode::CREATED).await
    };
    let keynote = talk(json!({
        "title": "결제 시스템 10년", "abstract": "토스에서 배운 것들", "speaker_ids": [id(&a)],
        "room_id": hall, "starts_at": "2026-05-16T15:00:00+09:00", "ends_at": "2026-05-16T15:40:00+09:00",
        "kind": "talk", "tags": ["backend"]
    }))
    .await;
    let panel = talk(json!({
        "title": "주니어에서 시니어까지", "speaker_ids": [id(&b), id(&a)], "room_id": seminar,
        "starts_at": "2026-05-16T13:30:00+09:00", "ends_at": "2026-05-16T14:30:00+09:00",
        "kind": "panel", "tags": ["career"]
    }))
    .await;
    let networking = talk(json!({
        "title": "네트워킹", "starts_at": "2026-05-16T17:00:00+09:00",
        "ends_at": "2026-05-16T18:00:00+09:00", "kind": "networking"
    }))
    .await;
    let event = publish(app, &event).await;
    Published {
        event,
        venue,
        speakers: [b, a],
        talks: [keynote, panel, networking],
    }
}

#[tokio::test]
async fn drafts_are_not_public() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let event = app.create_event(Some(&id(&venue))).await;
    assert_eq!(event["status"], "draft");
    let slug = event["slug"].as_str().unwrap();
    let problem = expect_problem(public_get(&app, slug).await, StatusCode::NOT_FOUND).await;
    assert!(
        !problem.to_string().contains(&id(&event)),
        "the 404 reveals nothing about the draft: {problem}"
    );
    // Not even with an organizer token: the public page is the public view.
    let response = app
        .request(
            reqwest::Method::GET,
            &format!("/api/v1/public/events/{slug}"),
        )
        .send()
        .await
        .unwrap();
    expect_problem(response, StatusCode::NOT_FOUND).await;

    publish(&app, &event).await;
    expect_status(public_get(&app, slug).await, StatusCode::OK).await;
}

#[tokio::test]
async fn unknown_slugs_are_404_problems() {
    let app = spawn_app().await;
    for slug in [
        "no-such-event",
        "1n-homecoming-2026",
        "%ED%99%88%EC%BB%A4%EB%B0%8D",
    ] {
        let problem = expect_problem(public_get(&app, slug).await, StatusCode::NOT_FOUND).await;
        assert_eq!(problem["detail"], "event not found", "{slug}: {problem}");
    }
}

/// The event's own fields, with the id to register with.
fn the_page_shows_the_event(page: &Value, event: &Value, slug: &str) {
    assert_eq!(page["title"], "1&N 홈커밍 2026");
    assert_eq!(page["slug"], slug);
    assert_eq!(page["id"], event["id"], "the id to register with");
    assert_eq!(page["status"], "published");
    assert_eq!(page["time_zone"], "Asia/Seoul");
    assert_eq!(page["capacity"], 100);
    assert_eq!(page["tags"], json!(["career"]));
}

/// The venue: where, how to get there and which rooms.
fn the_page_shows_where_and_which_rooms(page: &Value, venue: &Value) {
    let public_venue = page["venue"].as_object().expect("a venue");
    assert_eq!(public_venue["name"], venue["name"]);
    assert_eq!(public_venue["address"], venue["address"]);
    assert_eq!(public_venue["map_url"], venue["map_url"]);
    assert_eq!(
        public_venue["rooms"],
        json!([
            {"id": venue["rooms"][0]["id"], "name": "Hall"},
            {"id": venue["rooms"][1]["id"], "name": "Seminar"},
        ])
    );
    // The notes are the venue's directions, for everyone who comes.
    assert_eq!(public_venue["directions"], venue["notes"]);
    assert!(!public_venue.contains_key("notes"), "{page}");
}

/// The schedule in start order, whatever the order of creation.
fn the_schedule_is_in_start_order(
    page: &Value,
    venue: &Value,
    speakers: &[Value; 2],
    talks: &[Value; 3],
) {
    let [keynote, panel, networking] = talks;
    let schedule = page["schedule"].as_array().expect("a schedule");
    let order: Vec<String> = schedule.iter().map(id).collect();
    assert_eq!(order, [id(panel), id(keynote), id(networking)]);
    assert_eq!(
        schedule[1],
        json!({
            "id": id(keynote), "title": "결제 시스템 10년", "abstract": "토스에서 배운 것들",
            "kind": "talk", "room_id": venue["rooms"][0]["id"],
            "starts_at": "2026-05-16T15:00:00+09:00", "ends_at": "2026-05-16T15:40:00+09:00",
            "speaker_ids": [id(&speakers[1])], "tags": ["backend"]
        })
    );
    assert_eq!(schedule[0]["kind"], "panel");
    assert_eq!(schedule[0]["room_id"], venue["rooms"][1]["id"]);
    assert_eq!(
        schedule[0]["speaker_ids"],
        json!([id(&speakers[0]), id(&speakers[1])]),
        "speakers in the order the organizer listed them"
    );
    assert_eq!(schedule[2]["kind"], "networking");
    assert!(schedule[2]["room_id"].is_null());
    assert_eq!(schedule[2]["speaker_ids"], json!([]));
}

/// Speakers in order of first appearance, with their public profile only.
fn the_speakers_show_their_public_profile_only(page: &Value, speakers: &[Value; 2]) {
    let public_speakers = page["speakers"].as_array().expect("speakers");
    let names: Vec<&str> = public_speakers
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["박지훈", "김서연"],
        "only this event's speakers, by first appearance"
    );
    let jihoon = public_speakers[0].as_object().unwrap();
    assert_eq!(jihoon["id"], speakers[0]["id"]);
    assert_eq!(jihoon["affiliation"], "Kakao");
    assert_eq!(jihoon["job_title"], "Engineer");
    assert_eq!(jihoon["bio"], "박지훈의 소개");
    assert_eq!(jihoon["admission_year"], 2013);
    assert_eq!(jihoon["cohort"], "13학번");
    assert_eq!(
        jihoon["links"],
        json!([{"label": "Blog", "url": "https://blog.example.com/"}])
    );
    assert_eq!(jihoon["tags"], json!(["career"]));
    for speaker in public_speakers {
        assert!(
            !speaker.as_object().unwrap().contains_key("email"),
            "{speaker}"
        );
    }
}

#[tokio::test]
async fn a_published_event_shows_its_venue_schedule_and_speakers() {
    let app = spawn_app().await;
    let Published {
        event,
        venue,
        speakers,
        talks,
    } = published_event(&app).await;
    let slug = event["slug"].as_str().unwrap();
    let page = expect_status(public_get(&app, slug).await, StatusCode::OK).await;
    the_page_shows_the_event(&page, &event, slug);
    the_page_shows_where_and_which_rooms(&page, &venue);
    the_schedule_is_in_start_order(&page, &venue, &speakers, &talks);
    the_speakers_show_their_public_profile_only(&page, &speakers);
}

#[tokio::test]
async fn nothing_private_is_in_the_public_page() {
    let app = spawn_app().await;
    let Published { event, .. } = published_event(&app).await;
    let response = public_get(&app, event["slug"].as_str().unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.unwrap();
    for secret in [
        "seoyeon.secret@example.com",
        "jihoon.secret@example.com",
        "minji.secret@example.com",
        "@example.com",
        "\"notes\"",
        "\"email\"",
        "이민지",
    ] {
        assert!(
            !body.contains(secret),
            "the public page shows {secret:?}: {body}"
        );
    }
}

#[tokio::test]
async fn public_times_carry_the_event_time_zone_offset() {
    let app = spawn_app().await;
    let Published { event, .. } = published_event(&app).await;
    let page = expect_status(
        public_get(&app, event["slug"].as_str().unwrap()).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["starts_at"], "2026-05-16T13:00:00+09:00");
    assert_eq!(page["ends_at"], "2026-05-16T18:00:00+09:00");
    for talk in page["schedule"].as_array().unwrap() {
        for field in ["starts_at", "ends_at"] {
            let time = talk[field].as_str().unwrap();
            assert!(time.ends_with("+09:00"), "{field} {time}");
        }
    }
    assert_eq!(
        page["schedule"][0]["starts_at"],
        "2026-05-16T13:30:00+09:00"
    );

    // Times sent with another offset are shown in the event's zone.
    let response = app
        .patch(
            &format!("/api/v1/events/{}", id(&event)),
            &json!({"registration_opens_at": "2026-04-01T01:00:00Z",
                    "registration_closes_at": "2026-05-14T14:59:59Z"}),
        )
        .await;
    expect_status(response, StatusCode::OK).await;
    let page = expect_status(
        public_get(&app, event["slug"].as_str().unwrap()).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["registration_opens_at"], "2026-04-01T10:00:00+09:00");
    assert_eq!(page["registration_closes_at"], "2026-05-14T23:59:59+09:00");
}

#[tokio::test]
async fn a_published_event_without_talks_has_an_empty_schedule() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let event = publish(&app, &app.create_event(Some(&id(&venue))).await).await;
    let page = expect_status(
        public_get(&app, event["slug"].as_str().unwrap()).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["schedule"], json!([]));
    assert_eq!(page["speakers"], json!([]));
    assert_eq!(page["venue"]["name"], venue["name"]);
}

#[tokio::test]
async fn closed_and_cancelled_events_stay_public() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let event = publish(&app, &app.create_event(Some(&id(&venue))).await).await;
    let path = format!("/api/v1/events/{}", id(&event));
    let slug = event["slug"].as_str().unwrap().to_string();
    for status in ["closed", "cancelled"] {
        let response = app.patch(&path, &json!({"status": status})).await;
        expect_status(response, StatusCode::OK).await;
        let page = expect_status(public_get(&app, &slug).await, StatusCode::OK).await;
        assert_eq!(page["status"], status);
    }
}

#[tokio::test]
async fn a_draft_cancelled_before_publication_stays_private() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let event = app.create_event(Some(&id(&venue))).await;
    assert!(event["published_at"].is_null());
    let response = app
        .patch(
            &format!("/api/v1/events/{}", id(&event)),
            &json!({"status": "cancelled"}),
        )
        .await;
    expect_status(response, StatusCode::OK).await;
    let slug = event["slug"].as_str().unwrap();
    expect_problem(public_get(&app, slug).await, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn publishing_records_when_it_happened_once() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let event = publish(&app, &app.create_event(Some(&id(&venue))).await).await;
    let first = event["published_at"]
        .as_str()
        .expect("published_at is set")
        .to_string();
    let path = format!("/api/v1/events/{}", id(&event));
    expect_status(
        app.patch(&path, &json!({"status": "closed"})).await,
        StatusCode::OK,
    )
    .await;
    let reopened = expect_status(
        app.patch(&path, &json!({"status": "published"})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        reopened["published_at"],
        first.as_str(),
        "re-opening keeps the first publication time"
    );
}
