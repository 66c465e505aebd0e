//! Every way a talk can clash with the schedule, each answered with a 409 naming the talk
//! concerned: outside the event, a room elsewhere, a room or a speaker taken at that time.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::talks::{Setup, expect_conflict, talk};
use crate::helpers::{expect_problem, expect_status, id, spawn_app};

#[tokio::test]
async fn a_talk_outside_the_event_is_409_outside_event() {
    let s = Setup::new().await;
    for (from, to) in [("12:30", "13:30"), ("17:30", "18:30"), ("10:00", "11:00")] {
        let body = talk("너무 이른 발표", from, to, Some(&s.hall()), &[&s.kim]);
        let problem = expect_problem(s.post(&body).await, StatusCode::CONFLICT).await;
        assert_eq!(problem["conflict"]["kind"], "outside_event", "{problem}");
        assert!(
            problem["conflict"]["with"].is_null(),
            "the talk itself is the problem; no other record is named: {problem}"
        );
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("너무 이른 발표"),
            "{problem}"
        );
    }
    // On another day entirely, written in another offset.
    let body = json!({
        "title": "다음 날", "speaker_ids": [s.kim],
        "starts_at": "2026-05-17T05:00:00Z", "ends_at": "2026-05-17T06:00:00Z",
    });
    let problem = expect_problem(s.post(&body).await, StatusCode::CONFLICT).await;
    assert_eq!(problem["conflict"]["kind"], "outside_event", "{problem}");
    assert!(s.list().await.is_empty(), "nothing was created");
}

#[tokio::test]
async fn a_room_of_another_venue_is_409_room_not_in_venue() {
    let s = Setup::new().await;
    let other_venue = s.app.create_venue().await;
    let foreign_room = other_venue["rooms"][0]["id"].as_str().unwrap();
    let body = talk("남의 방", "14:00", "15:00", Some(foreign_room), &[&s.kim]);
    let problem = expect_problem(s.post(&body).await, StatusCode::CONFLICT).await;
    assert_eq!(
        problem["conflict"]["kind"], "room_not_in_venue",
        "{problem}"
    );
    assert!(problem["conflict"]["with"].is_null(), "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("남의 방"),
        "{problem}"
    );
    assert!(s.list().await.is_empty(), "nothing was created");
}

#[tokio::test]
async fn an_event_without_venue_has_no_rooms() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let event_id = id(&app.create_event(None).await);
    let speaker = id(&app.create_speaker("김서연").await);
    let room = venue["rooms"][0]["id"].as_str().unwrap();
    let response = app
        .create_talk(
            &event_id,
            &talk("방 있음", "14:00", "15:00", Some(room), &[&speaker]),
        )
        .await;
    let problem = expect_problem(response, StatusCode::CONFLICT).await;
    assert_eq!(
        problem["conflict"]["kind"], "room_not_in_venue",
        "{problem}"
    );
    let response = app
        .create_talk(
            &event_id,
            &talk("방 없음", "14:00", "15:00", None, &[&speaker]),
        )
        .await;
    expect_status(response, StatusCode::CREATED).await;
}

#[tokio::test]
async fn two_talks_in_one_room_at_once_is_409_room_overlap() {
    let s = Setup::new().await;
    let keynote = s
        .create(&talk(
            "기조연설",
            "14:00",
            "15:00",
            Some(&s.hall()),
            &[&s.kim],
        ))
        .await;
    for (from, to) in [
        ("14:00", "15:00"),
        ("14:30", "15:30"),
        ("13:30", "14:01"),
        ("14:10", "14:20"),
        ("13:00", "18:00"),
    ] {
        let body = talk("겹치는 발표", from, to, Some(&s.hall()), &[&s.lee]);
        let problem = expect_conflict(s.post(&body).await, "room_overlap", &keynote).await;
        assert!(
            problem["detail"].as_str().unwrap().contains("기조연설"),
            "{problem}"
        );
    }
    assert_eq!(s.list().await.len(), 1, "nothing else was created");
    // The other room at the same time is free.
    s.create(&talk(
        "병렬 세션",
        "14:00",
        "15:00",
        Some(&s.seminar()),
        &[&s.lee],
    ))
    .await;
}

#[tokio::test]
async fn back_to_back_talks_in_one_room_are_fine() {
    let s = Setup::new().await;
    s.create(&talk(
        "첫 발표",
        "14:00",
        "14:30",
        Some(&s.hall()),
        &[&s.kim],
    ))
    .await;
    s.create(&talk(
        "둘째 발표",
        "14:30",
        "15:00",
        Some(&s.hall()),
        &[&s.kim],
    ))
    .await;
    s.create(&talk(
        "앞 발표",
        "13:30",
        "14:00",
        Some(&s.hall()),
        &[&s.kim],
    ))
    .await;
    assert_eq!(s.list().await.len(), 3);
}

#[tokio::test]
async fn a_speaker_in_two_places_at_once_is_409_speaker_overlap() {
    let s = Setup::new().await;
    let panel = s
        .create(&talk(
            "패널 토론",
            "14:00",
            "15:00",
            Some(&s.hall()),
            &[&s.kim, &s.lee],
        ))
        .await;
    let body = talk("혼자 발표", "14:30", "15:30", Some(&s.seminar()), &[&s.lee]);
    let problem = expect_conflict(s.post(&body).await, "speaker_overlap", &panel).await;
    assert!(
        problem["detail"].as_str().unwrap().contains(&s.lee),
        "the detail names the speaker: {problem}"
    );
    // Without a room, too.
    let body = talk("방 없는 발표", "14:00", "14:10", None, &[&s.kim]);
    expect_conflict(s.post(&body).await, "speaker_overlap", &panel).await;
    assert_eq!(s.list().await.len(), 1);
    // Right after the panel, the speaker is free again.
    s.create(&talk(
        "이어서",
        "15:00",
        "15:30",
        Some(&s.seminar()),
        &[&s.lee],
    ))
    .await;
}

#[tokio::test]
async fn a_speaker_cannot_be_in_two_events_at_once() {
    let s = Setup::new().await;
    let first = s
        .create(&talk(
            "본 행사 발표",
            "14:00",
            "15:00",
            Some(&s.hall()),
            &[&s.kim],
        ))
        .await;
    let other_venue = s.app.create_venue().await;
    let other_event = id(&s.app.create_event(Some(&id(&other_venue))).await);
    let other_room = other_venue["rooms"][0]["id"].as_str().unwrap();
    let body = talk(
        "다른 행사 발표",
        "14:30",
        "15:30",
        Some(other_room),
        &[&s.kim],
    );
    let response = s.app.create_talk(&other_event, &body).await;
    expect_conflict(response, "speaker_overlap", &first).await;
    // Another speaker may take that slot in the other event.
    let body = talk(
        "다른 행사 발표",
        "14:30",
        "15:30",
        Some(other_room),
        &[&s.lee],
    );
    let response = s.app.create_talk(&other_event, &body).await;
    expect_status(response, StatusCode::CREATED).await;
}

#[tokio::test]
async fn the_same_room_in_two_events_at_once_is_409_room_overlap() {
    let s = Setup::new().await;
    let first = s
        .create(&talk(
            "본 행사 발표",
            "14:00",
            "15:00",
            Some(&s.hall()),
            &[&s.kim],
        ))
        .await;
    // A second event at the same venue and time.
    let other_event = id(&s.app.create_event(Some(&id(&s.venue))).await);
    let body = talk("겹치는 행사", "14:30", "15:30", Some(&s.hall()), &[&s.lee]);
    let response = s.app.create_talk(&other_event, &body).await;
    expect_conflict(response, "room_overlap", &first).await;
}
