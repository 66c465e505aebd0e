//! The rules a talk is checked against, each broken one a 422 naming its field.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::talks::{Setup, talk};
use crate::helpers::{error_fields, expect_problem};

async fn expect_invalid(s: &Setup, body: &Value, fields: &[&str]) {
    let problem = expect_problem(s.post(body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), fields, "{body}: {problem}");
    assert!(s.list().await.is_empty(), "{body}: nothing was created");
}

#[tokio::test]
async fn networking_and_breaks_need_no_speaker_but_talks_do() {
    let s = Setup::new().await;
    for kind in ["talk", "lightning", "panel"] {
        let mut body = talk("발표", "14:00", "15:00", Some(&s.hall()), &[]);
        body["kind"] = json!(kind);
        expect_invalid(&s, &body, &["speaker_ids"]).await;
    }
    // No kind means `talk`.
    let body = json!({"title": "발표", "starts_at": "2026-05-16T14:00:00+09:00",
        "ends_at": "2026-05-16T15:00:00+09:00"});
    expect_invalid(&s, &body, &["speaker_ids"]).await;

    let mut networking = talk("네트워킹", "16:00", "17:00", Some(&s.hall()), &[]);
    networking["kind"] = json!("networking");
    let created = s.create(&networking).await;
    assert_eq!(created["kind"], "networking");
    assert_eq!(created["speaker_ids"], json!([]));
    let mut coffee = talk("커피 브레이크", "15:30", "16:00", None, &[]);
    coffee["kind"] = json!("break");
    assert_eq!(s.create(&coffee).await["kind"], "break");
}

#[tokio::test]
async fn an_unknown_speaker_is_422_naming_its_position() {
    let s = Setup::new().await;
    let unknown = "0193a0b0-0000-7000-8000-000000000000";
    expect_invalid(
        &s,
        &talk("발표", "14:00", "15:00", None, &[unknown]),
        &["speaker_ids[0]"],
    )
    .await;
    expect_invalid(
        &s,
        &talk("발표", "14:00", "15:00", None, &[&s.kim, unknown]),
        &["speaker_ids[1]"],
    )
    .await;
    expect_invalid(
        &s,
        &talk("발표", "14:00", "15:00", None, &["not-a-uuid"]),
        &["speaker_ids[0]"],
    )
    .await;
}

#[tokio::test]
async fn an_unknown_room_is_422() {
    let s = Setup::new().await;
    expect_invalid(
        &s,
        &talk(
            "발표",
            "14:00",
            "15:00",
            Some("0193a0b0-0000-7000-8000-000000000000"),
            &[&s.kim],
        ),
        &["room_id"],
    )
    .await;
}

#[tokio::test]
async fn a_speaker_listed_twice_is_422() {
    let s = Setup::new().await;
    expect_invalid(
        &s,
        &talk("패널", "14:00", "15:00", None, &[&s.kim, &s.lee, &s.kim]),
        &["speaker_ids[2]"],
    )
    .await;
}

#[tokio::test]
async fn talk_fields_are_validated() {
    let s = Setup::new().await;
    expect_invalid(
        &s,
        &talk("거꾸로", "15:00", "14:00", None, &[&s.kim]),
        &["ends_at"],
    )
    .await;
    expect_invalid(
        &s,
        &talk("0분", "15:00", "15:00", None, &[&s.kim]),
        &["ends_at"],
    )
    .await;
    expect_invalid(
        &s,
        &talk(" ", "14:00", "15:00", None, &[&s.kim]),
        &["title"],
    )
    .await;
    let mut body = talk("발표", "14:00", "15:00", None, &[&s.kim]);
    body["kind"] = json!("keynote");
    expect_invalid(&s, &body, &["kind"]).await;
    let mut body = talk("발표", "14:00", "15:00", None, &[&s.kim]);
    body["starts_at"] = json!("2026-05-16T14:00:00");
    expect_invalid(&s, &body, &["starts_at"]).await;
}
