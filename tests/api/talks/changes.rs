//! Changing a talk is checked like adding one; deleting it frees its slot.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::talks::{Setup, expect_conflict, talk};
use crate::helpers::{error_fields, expect_problem, expect_status, id};

/// Into the keynote's room, or with the keynote's speaker, while it runs: a conflict with
/// the keynote.
async fn overlapping_the_keynote_is_a_conflict_with_it(s: &Setup, path: &str, keynote: &Value) {
    let response = s
        .app
        .patch(
            path,
            &json!({"room_id": s.hall(), "starts_at": "2026-05-16T14:30:00+09:00",
                    "ends_at": "2026-05-16T15:30:00+09:00"}),
        )
        .await;
    expect_conflict(response, "room_overlap", keynote).await;

    let response = s
        .app
        .patch(
            path,
            &json!({"speaker_ids": [s.lee, s.kim], "starts_at": "2026-05-16T14:30:00+09:00",
                    "ends_at": "2026-05-16T15:30:00+09:00"}),
        )
        .await;
    expect_conflict(response, "speaker_overlap", keynote).await;
}

/// Moving it out of the event, or into a foreign room, is a problem of the talk itself.
async fn out_of_the_event_or_into_a_foreign_room_is_a_conflict_of_its_own(s: &Setup, path: &str) {
    let response = s
        .app
        .patch(path, &json!({"ends_at": "2026-05-16T18:30:00+09:00"}))
        .await;
    let problem = expect_problem(response, StatusCode::CONFLICT).await;
    assert_eq!(problem["conflict"]["kind"], "outside_event", "{problem}");
    assert!(problem["conflict"]["with"].is_null(), "{problem}");

    let other_venue = s.app.create_venue().await;
    let response = s
        .app
        .patch(path, &json!({"room_id": other_venue["rooms"][0]["id"]}))
        .await;
    let problem = expect_problem(response, StatusCode::CONFLICT).await;
    assert_eq!(
        problem["conflict"]["kind"], "room_not_in_venue",
        "{problem}"
    );
    assert!(problem["conflict"]["with"].is_null(), "{problem}");
}

/// An unknown speaker, or none at all: the speakers field is named.
async fn unknown_or_no_speakers_are_refused(s: &Setup, path: &str) {
    let response = s
        .app
        .patch(
            path,
            &json!({"speaker_ids": ["0193a0b0-0000-7000-8000-000000000000"]}),
        )
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["speaker_ids[0]"]);

    let response = s.app.patch(path, &json!({"speaker_ids": []})).await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["speaker_ids"]);
}

#[tokio::test]
async fn patching_a_talk_into_a_conflict_is_409_and_changes_nothing() {
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
    let later = s
        .create(&talk(
            "오후 발표",
            "16:00",
            "17:00",
            Some(&s.seminar()),
            &[&s.lee],
        ))
        .await;
    let path = s.talk_path(&id(&later));

    overlapping_the_keynote_is_a_conflict_with_it(&s, &path, &keynote).await;
    out_of_the_event_or_into_a_foreign_room_is_a_conflict_of_its_own(&s, &path).await;
    unknown_or_no_speakers_are_refused(&s, &path).await;
    let unchanged = expect_status(s.app.get(&path).await, StatusCode::OK).await;
    assert_eq!(unchanged, later, "the talk is unchanged");
}

#[tokio::test]
async fn patching_a_talk_without_moving_it_does_not_collide_with_itself() {
    let s = Setup::new().await;
    let original = s
        .create(&talk(
            "신입 개발자로 살아남기",
            "14:00",
            "15:00",
            Some(&s.hall()),
            &[&s.kim, &s.lee],
        ))
        .await;
    let path = s.talk_path(&id(&original));

    let same = expect_status(s.app.patch(&path, &json!({})).await, StatusCode::OK).await;
    for field in [
        "id",
        "title",
        "room_id",
        "starts_at",
        "ends_at",
        "speaker_ids",
        "kind",
        "tags",
    ] {
        assert_eq!(same[field], original[field], "{field}");
    }

    let response = s
        .app
        .patch(
            &path,
            &json!({"title": "신입 개발자로 살아남기 2", "abstract": "요약",
                    "ends_at": "2026-05-16T15:30:00+09:00"}),
        )
        .await;
    let patched = expect_status(response, StatusCode::OK).await;
    assert_eq!(patched["title"], "신입 개발자로 살아남기 2");
    assert_eq!(patched["abstract"], "요약");
    assert_eq!(patched["ends_at"], "2026-05-16T15:30:00+09:00");
    assert_eq!(patched["starts_at"], original["starts_at"]);
    assert_eq!(patched["room_id"], original["room_id"]);
    assert_eq!(
        patched["speaker_ids"], original["speaker_ids"],
        "speakers kept in order"
    );

    // Reordering the speakers is kept.
    let response = s
        .app
        .patch(&path, &json!({"speaker_ids": [s.lee, s.kim]}))
        .await;
    let reordered = expect_status(response, StatusCode::OK).await;
    assert_eq!(reordered["speaker_ids"], json!([s.lee, s.kim]));
    let fetched = expect_status(s.app.get(&path).await, StatusCode::OK).await;
    assert_eq!(fetched, reordered);
}

#[tokio::test]
async fn deleting_a_talk_frees_its_slot() {
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
    let response = s.app.delete(&s.talk_path(&id(&keynote))).await;
    expect_status(response, StatusCode::NO_CONTENT).await;
    expect_problem(
        s.app.get(&s.talk_path(&id(&keynote))).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    expect_problem(
        s.app.delete(&s.talk_path(&id(&keynote))).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    s.create(&talk(
        "대체 발표",
        "14:00",
        "15:00",
        Some(&s.hall()),
        &[&s.kim],
    ))
    .await;
}
