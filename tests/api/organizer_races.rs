//! Concurrent writers: the schedule rules hold when requests race, SQLite writers wait for
//! each other instead of failing with SQLITE_BUSY, and no race ever surfaces as a 500.

use std::sync::Arc;

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, expect_status, id, spawn_app};

/// Runs `count` requests at once, each built by `request(i)`, and returns every status with
/// its body.
async fn race<F, Fut>(app: &Arc<TestApp>, count: usize, request: F) -> Vec<(StatusCode, Value)>
where
    F: Fn(Arc<TestApp>, usize) -> Fut,
    Fut: std::future::Future<Output = reqwest::Response> + Send + 'static,
{
    let tasks = (0..count).map(|i| {
        let response = request(app.clone(), i);
        tokio::spawn(async move {
            let response = response.await;
            let status = response.status();
            let body = response.json::<Value>().await.unwrap_or(Value::Null);
            (status, body)
        })
    });
    join_all(tasks)
        .await
        .into_iter()
        .map(|joined| joined.expect("the request task did not panic"))
        .collect()
}

fn count(results: &[(StatusCode, Value)], status: StatusCode) -> usize {
    results.iter().filter(|(s, _)| *s == status).count()
}

fn assert_no_server_errors(results: &[(StatusCode, Value)]) {
    for (status, body) in results {
        assert!(!status.is_server_error(), "{status}: {body}");
    }
}

#[tokio::test]
async fn concurrent_talks_in_one_room_and_slot_admit_exactly_one() {
    let app = Arc::new(spawn_app().await);
    let venue = app.create_venue().await;
    let event_id = id(&app.create_event(Some(&id(&venue))).await);
    let room = venue["rooms"][0]["id"].as_str().unwrap().to_string();
    let results = race(&app, 10, |app, i| {
        let (event_id, room) = (event_id.clone(), room.clone());
        async move {
            app.create_talk(
                &event_id,
                &json!({
                    "title": format!("네트워킹 {i}"), "kind": "networking", "room_id": room,
                    "starts_at": "2026-05-16T14:00:00+09:00", "ends_at": "2026-05-16T15:00:00+09:00",
                }),
            )
            .await
        }
    })
    .await;
    assert_no_server_errors(&results);
    assert_eq!(count(&results, StatusCode::CREATED), 1, "{results:?}");
    assert_eq!(count(&results, StatusCode::CONFLICT), 9, "{results:?}");
    let winner = &results
        .iter()
        .find(|(status, _)| *status == StatusCode::CREATED)
        .unwrap()
        .1;
    for (_, problem) in results.iter().filter(|(s, _)| *s == StatusCode::CONFLICT) {
        assert_eq!(problem["conflict"]["kind"], "room_overlap", "{problem}");
        assert_eq!(problem["conflict"]["with"]["id"], winner["id"], "{problem}");
    }
    let list = expect_status(
        app.get(&format!("/api/v1/events/{event_id}/talks")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn concurrent_talks_of_one_speaker_in_two_events_admit_exactly_one() {
    let app = Arc::new(spawn_app().await);
    let speaker = id(&app.create_speaker("김서연").await);
    let mut event_ids = Vec::new();
    for _ in 0..4 {
        event_ids.push(id(&app.create_event(None).await));
    }
    let results = race(&app, 8, |app, i| {
        let event_id = event_ids[i % event_ids.len()].clone();
        let speaker = speaker.clone();
        async move {
            app.create_talk(
                &event_id,
                &json!({
                    "title": format!("발표 {i}"), "speaker_ids": [speaker],
                    "starts_at": "2026-05-16T14:00:00+09:00", "ends_at": "2026-05-16T15:00:00+09:00",
                }),
            )
            .await
        }
    })
    .await;
    assert_no_server_errors(&results);
    assert_eq!(count(&results, StatusCode::CREATED), 1, "{results:?}");
    assert_eq!(count(&results, StatusCode::CONFLICT), 7, "{results:?}");
    for (_, problem) in results.iter().filter(|(s, _)| *s == StatusCode::CONFLICT) {
        assert_eq!(problem["conflict"]["kind"], "speaker_overlap", "{problem}");
    }
}

#[tokio::test]
async fn concurrent_venue_creations_all_succeed() {
    let app = Arc::new(spawn_app().await);
    let results = race(&app, 20, |app, i| async move {
        app.post(
            "/api/v1/venues",
            &json!({
                "name": format!("강의실 {i}"), "address": "서울특별시 관악구 관악로 1",
                "rooms": [{"name": "A", "capacity": 30}, {"name": "B"}]
            }),
        )
        .await
    })
    .await;
    assert_no_server_errors(&results);
    assert_eq!(count(&results, StatusCode::CREATED), 20, "{results:?}");
    let list = expect_status(app.get("/api/v1/venues?limit=100").await, StatusCode::OK).await;
    let venues = list["items"].as_array().unwrap();
    assert_eq!(venues.len(), 20);
    assert!(
        venues
            .iter()
            .all(|venue| venue["rooms"].as_array().unwrap().len() == 2),
        "every venue got its rooms"
    );
}

#[tokio::test]
async fn concurrent_publishing_of_one_event_has_one_outcome() {
    let app = Arc::new(spawn_app().await);
    let venue = app.create_venue().await;
    let event_id = id(&app.create_event(Some(&id(&venue))).await);
    let results = race(&app, 8, |app, _| {
        let event_id = event_id.clone();
        async move {
            app.patch(
                &format!("/api/v1/events/{event_id}"),
                &json!({"status": "published"}),
            )
            .await
        }
    })
    .await;
    assert_no_server_errors(&results);
    assert!(count(&results, StatusCode::OK) >= 1, "{results:?}");
    for (status, body) in &results {
        match *status {
            StatusCode::OK => assert_eq!(body["status"], "published", "{body}"),
            StatusCode::CONFLICT => {
                assert_eq!(body["conflict"]["kind"], "invalid_transition", "{body}")
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    let event = expect_status(
        app.get(&format!("/api/v1/events/{event_id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(event["status"], "published");
}

#[tokio::test]
async fn concurrent_publish_and_cancel_end_in_a_consistent_state() {
    let app = Arc::new(spawn_app().await);
    let venue = app.create_venue().await;
    let event_id = id(&app.create_event(Some(&id(&venue))).await);
    let results = race(&app, 6, |app, i| {
        let event_id = event_id.clone();
        let status = if i % 2 == 0 { "published" } else { "cancelled" };
        async move {
            app.patch(
                &format!("/api/v1/events/{event_id}"),
                &json!({ "status": status }),
            )
            .await
        }
    })
    .await;
    assert_no_server_errors(&results);
    let event = expect_status(
        app.get(&format!("/api/v1/events/{event_id}")).await,
        StatusCode::OK,
    )
    .await;
    // Cancelling is allowed from draft and from published, and nothing leaves cancelled.
    assert_eq!(event["status"], "cancelled", "{results:?}");
}

#[tokio::test]
async fn moving_an_event_while_a_talk_is_added_keeps_the_schedule_consistent() {
    let app = Arc::new(spawn_app().await);
    for _ in 0..5 {
        let event_id = id(&app.create_event(None).await);
        let results = race(&app, 2, |app, i| {
            let event_id = event_id.clone();
            async move {
                if i == 0 {
                    app.create_talk(
                        &event_id,
                        &json!({
                            "title": "마지막 네트워킹", "kind": "networking",
                            "starts_at": "2026-05-16T17:00:00+09:00",
                            "ends_at": "2026-05-16T18:00:00+09:00",
                        }),
                    )
                    .await
                } else {
                    app.patch(
                        &format!("/api/v1/events/{event_id}"),
                        &json!({"ends_at": "2026-05-16T17:00:00+09:00"}),
                    )
                    .await
                }
            }
        })
        .await;
        assert_no_server_errors(&results);
        let (talk, moved) = (&results[0], &results[1]);
        assert!(
            (talk.0 == StatusCode::CREATED) != (moved.0 == StatusCode::OK),
            "exactly one of the two wins: {results:?}"
        );
        let event = expect_status(
            app.get(&format!("/api/v1/events/{event_id}")).await,
            StatusCode::OK,
        )
        .await;
        let talks = expect_status(
            app.get(&format!("/api/v1/events/{event_id}/talks")).await,
            StatusCode::OK,
        )
        .await;
        let talks = talks["items"].as_array().unwrap();
        if event["ends_at"] == "2026-05-16T17:00:00+09:00" {
            assert!(talks.is_empty(), "no talk outside the moved event");
        } else {
            assert_eq!(talks.len(), 1, "{results:?}");
        }
    }
}

#[tokio::test]
async fn concurrent_events_with_one_title_all_get_their_own_slug() {
    let app = Arc::new(spawn_app().await);
    let results = race(&app, 8, |app, _| async move {
        app.post(
            "/api/v1/events",
            &json!({
                "title": "1&N 홈커밍 2026",
                "starts_at": "2026-05-16T13:00:00+09:00", "ends_at": "2026-05-16T18:00:00+09:00",
            }),
        )
        .await
    })
    .await;
    assert_no_server_errors(&results);
    assert_eq!(count(&results, StatusCode::CREATED), 8, "{results:?}");
    let mut slugs: Vec<_> = results
        .iter()
        .map(|(_, event)| event["slug"].as_str().unwrap().to_string())
        .collect();
    slugs.sort();
    slugs.dedup();
    assert_eq!(slugs.len(), 8, "{slugs:?}");
}

#[tokio::test]
async fn concurrent_patches_of_different_fields_lose_nothing() {
    let app = Arc::new(spawn_app().await);
    for _ in 0..5 {
        let venue = app.create_venue().await;
        let event_id = id(&app.create_event(Some(&id(&venue))).await);
        let results = race(&app, 3, |app, i| {
            let event_id = event_id.clone();
            let patch = match i {
                0 => json!({"title": "새 이름"}),
                1 => json!({"capacity": 42}),
                _ => json!({"status": "cancelled"}),
            };
            async move {
                app.patch(&format!("/api/v1/events/{event_id}"), &patch)
                    .await
            }
        })
        .await;
        for (status, body) in &results {
            assert_eq!(*status, StatusCode::OK, "{body}");
        }
        let event = expect_status(
            app.get(&format!("/api/v1/events/{event_id}")).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(event["title"], "새 이름", "{event}");
        assert_eq!(event["capacity"], 42, "{event}");
        assert_eq!(event["status"], "cancelled", "{event}");
    }
}

#[tokio::test]
async fn concurrent_patches_of_one_talk_lose_nothing() {
    let app = Arc::new(spawn_app().await);
    let venue = app.create_venue().await;
    let event_id = id(&app.create_event(Some(&id(&venue))).await);
    let speaker = id(&app.create_speaker("김서연").await);
    for round in 0..5 {
        let response = app
            .create_talk(
                &event_id,
                &json!({
                    "title": format!("발표 {round}"), "speaker_ids": [speaker],
                    "starts_at": format!("2026-05-16T1{}:00:00+09:00", 3 + round),
                    "ends_at": format!("2026-05-16T1{}:30:00+09:00", 3 + round),
                }),
            )
            .await;
        let talk_id = id(&expect_status(response, StatusCode::CREATED).await);
        let path = format!("/api/v1/events/{event_id}/talks/{talk_id}");
        let results = race(&app, 3, |app, i| {
            let path = path.clone();
            let patch = match i {
                0 => json!({"title": "새 제목"}),
                1 => json!({"abstract": "새 요약"}),
                _ => json!({"tags": ["career"]}),
            };
            async move { app.patch(&path, &patch).await }
        })
        .await;
        for (status, body) in &results {
            assert_eq!(*status, StatusCode::OK, "{body}");
        }
        let talk = expect_status(app.get(&path).await, StatusCode::OK).await;
        assert_eq!(talk["title"], "새 제목", "{talk}");
        assert_eq!(talk["abstract"], "새 요약", "{talk}");
        assert_eq!(talk["tags"], json!(["career"]), "{talk}");
    }
}
