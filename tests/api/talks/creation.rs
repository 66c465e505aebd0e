//! Adding a talk to an event's schedule.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::talks::{Setup, talk};
use crate::helpers::{expect_problem, expect_status, id};

#[tokio::test]
async fn create_returns_201_with_speakers_in_the_order_given() {
    let s = Setup::new().await;
    let body = json!({
        "title": "신입 개발자로 살아남기", "abstract": "첫 회사에서 배운 것들",
        "speaker_ids": [s.lee, s.kim], "room_id": s.hall(), "kind": "panel",
        // Sent in UTC; it comes back in the event's offset.
        "starts_at": "2026-05-16T05:00:00Z", "ends_at": "2026-05-16T05:30:00Z",
        "tags": ["Career", "career", "backend"],
    });
    let response = s.post(&body).await;
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let created = expect_status(response, StatusCode::CREATED).await;
    assert_eq!(location, s.talk_path(&id(&created)));
    assert_eq!(created["event_id"], s.event_id);
    assert_eq!(created["title"], "신입 개발자로 살아남기");
    assert_eq!(created["abstract"], "첫 회사에서 배운 것들");
    assert_eq!(created["speaker_ids"], json!([s.lee, s.kim]), "order kept");
    assert_eq!(created["room_id"], s.hall());
    assert_eq!(created["kind"], "panel");
    assert_eq!(created["starts_at"], "2026-05-16T14:00:00+09:00");
    assert_eq!(created["ends_at"], "2026-05-16T14:30:00+09:00");
    assert_eq!(created["tags"], json!(["career", "backend"]));
    let fetched = expect_status(s.app.get(&s.talk_path(&id(&created))).await, StatusCode::OK).await;
    assert_eq!(fetched, created);

    // The other order is kept too.
    let other = s
        .create(&talk(
            "둘이서",
            "15:00",
            "15:30",
            Some(&s.hall()),
            &[&s.kim, &s.lee],
        ))
        .await;
    assert_eq!(other["speaker_ids"], json!([s.kim, s.lee]));
    assert_eq!(other["kind"], "talk", "the default kind");
}

#[tokio::test]
async fn a_talk_may_fill_the_whole_event_and_needs_no_room() {
    let s = Setup::new().await;
    let created = s
        .create(&talk("하루 종일", "13:00", "18:00", None, &[&s.kim]))
        .await;
    assert!(created["room_id"].is_null());
}

#[tokio::test]
async fn a_talk_for_an_unknown_event_is_404() {
    let s = Setup::new().await;
    let response = s
        .app
        .create_talk(
            "0193a0b0-0000-7000-8000-000000000000",
            &talk("x", "14:00", "15:00", None, &[&s.kim]),
        )
        .await;
    expect_problem(response, StatusCode::NOT_FOUND).await;
}
