//! Moving an event or changing its venue re-checks its talks: a change that leaves a talk
//! outside the event or in a room elsewhere is a 409 naming the talk.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::events::{event_with_talk, get_event};
use crate::helpers::{expect_problem, expect_status, id, spawn_app};

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
