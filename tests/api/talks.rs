//! Talks: the schedule of an event. Creation, every conflict kind (each answered with 409
//! naming the talk concerned), validation, updates, ordering and pagination, and talks seen
//! through the wrong event.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_fields, expect_problem, expect_status, id, spawn_app};

/// A venue (rooms "Hall" and "Seminar"), a draft event there on 2026-05-16 from 13:00 to
/// 18:00 Seoul time, and two speakers.
struct Setup {
    app: TestApp,
    venue: Value,
    event_id: String,
    kim: String,
    lee: String,
}

impl Setup {
    async fn new() -> Self {
        let app = spawn_app().await;
        let venue = app.create_venue().await;
        let event_id = id(&app.create_event(Some(&id(&venue))).await);
        let kim = id(&app.create_speaker("김서연").await);
        let lee = id(&app.create_speaker("이하은").await);
        Setup {
            app,
            venue,
            event_id,
            kim,
            lee,
        }
    }

    fn hall(&self) -> String {
        self.venue["rooms"][0]["id"].as_str().unwrap().to_string()
    }

    fn seminar(&self) -> String {
        self.venue["rooms"][1]["id"].as_str().unwrap().to_string()
    }

    fn talks_path(&self) -> String {
        format!("/api/v1/events/{}/talks", self.event_id)
    }

    fn talk_path(&self, talk_id: &str) -> String {
        format!("/api/v1/events/{}/talks/{talk_id}", self.event_id)
    }

    async fn post(&self, body: &Value) -> reqwest::Response {
        self.app.create_talk(&self.event_id, body).await
    }

    async fn create(&self, body: &Value) -> Value {
        expect_status(self.post(body).await, StatusCode::CREATED).await
    }

    async fn list(&self) -> Vec<Value> {
        let page = expect_status(
            self.app
                .get(&format!("{}?limit=100", self.talks_path()))
                .await,
            StatusCode::OK,
        )
        .await;
        page["items"].as_array().unwrap().clone()
    }
}

/// A talk body on 2026-05-16 from `from` to `to` (Seoul wall-clock "HH:MM").
fn talk(title: &str, from: &str, to: &str, room: Option<&str>, speakers: &[&str]) -> Value {
    json!({
        "title": title,
        "starts_at": format!("2026-05-16T{from}:00+09:00"),
        "ends_at": format!("2026-05-16T{to}:00+09:00"),
        "room_id": room,
        "speaker_ids": speakers,
    })
}

/// Asserts a 409 of this kind whose `conflict.with` names `talk`.
async fn expect_conflict(response: reqwest::Response, kind: &str, talk: &Value) -> Value {
    let problem = expect_problem(response, StatusCode::CONFLICT).await;
    assert_eq!(problem["type"], "/problems/conflict");
    assert_eq!(problem["conflict"]["kind"], kind, "{problem}");
    let with = &problem["conflict"]["with"];
    assert_eq!(with["resource"], "talk", "{problem}");
    assert_eq!(with["id"], talk["id"], "{problem}");
    assert_eq!(with["label"], talk["title"], "{problem}");
    problem
}

// ---------------------------------------------------------------------------------------
// Creation
// ---------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------
// Conflicts
// ---------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------
// Updates
// ---------------------------------------------------------------------------------------

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

    let response = s
        .app
        .patch(
            &path,
            &json!({"room_id": s.hall(), "starts_at": "2026-05-16T14:30:00+09:00",
                    "ends_at": "2026-05-16T15:30:00+09:00"}),
        )
        .await;
    expect_conflict(response, "room_overlap", &keynote).await;

    let response = s
        .app
        .patch(
            &path,
            &json!({"speaker_ids": [s.lee, s.kim], "starts_at": "2026-05-16T14:30:00+09:00",
                    "ends_at": "2026-05-16T15:30:00+09:00"}),
        )
        .await;
    expect_conflict(response, "speaker_overlap", &keynote).await;

    // Moving it out of the event, or into a foreign room, is a problem of the talk itself.
    let response = s
        .app
        .patch(&path, &json!({"ends_at": "2026-05-16T18:30:00+09:00"}))
        .await;
    let problem = expect_problem(response, StatusCode::CONFLICT).await;
    assert_eq!(problem["conflict"]["kind"], "outside_event", "{problem}");
    assert!(problem["conflict"]["with"].is_null(), "{problem}");

    let other_venue = s.app.create_venue().await;
    let response = s
        .app
        .patch(&path, &json!({"room_id": other_venue["rooms"][0]["id"]}))
        .await;
    let problem = expect_problem(response, StatusCode::CONFLICT).await;
    assert_eq!(
        problem["conflict"]["kind"], "room_not_in_venue",
        "{problem}"
    );
    assert!(problem["conflict"]["with"].is_null(), "{problem}");

    let response = s
        .app
        .patch(
            &path,
            &json!({"speaker_ids": ["0193a0b0-0000-7000-8000-000000000000"]}),
        )
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["speaker_ids[0]"]);

    let response = s.app.patch(&path, &json!({"speaker_ids": []})).await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["speaker_ids"]);

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

// ---------------------------------------------------------------------------------------
// Listing
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn the_schedule_is_listed_in_start_time_order_and_paginates() {
    let s = Setup::new().await;
    let mut created = Vec::new();
    for (title, from, to, room) in [
        ("셋째", "15:00", "15:30", s.hall()),
        ("첫째", "13:00", "13:30", s.hall()),
        ("넷째", "16:00", "16:30", s.hall()),
        ("둘째-a", "14:00", "14:30", s.hall()),
        ("둘째-b", "14:00", "14:30", s.seminar()),
    ] {
        let mut body = talk(title, from, to, Some(&room), &[]);
        body["kind"] = json!("networking");
        created.push(s.create(&body).await);
    }
    let titles: Vec<_> = s
        .list()
        .await
        .iter()
        .map(|talk| talk["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, ["첫째", "둘째-a", "둘째-b", "셋째", "넷째"]);

    let mut seen = Vec::new();
    let mut path = format!("{}?limit=2", s.talks_path());
    let mut pages = 0;
    loop {
        let page = expect_status(s.app.get(&path).await, StatusCode::OK).await;
        pages += 1;
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2, "{page}");
        seen.extend(
            items
                .iter()
                .map(|talk| talk["title"].as_str().unwrap().to_string()),
        );
        match page["next"].as_str() {
            Some(next) => {
                assert!(next.starts_with(&s.talks_path()), "{next}");
                assert!(next.contains("limit=2"), "{next}");
                path = next.to_string();
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, titles, "paging visits every talk once, in order");
}

#[tokio::test]
async fn the_schedule_of_an_unknown_event_is_404() {
    let s = Setup::new().await;
    let response = s
        .app
        .get("/api/v1/events/0193a0b0-0000-7000-8000-000000000000/talks")
        .await;
    expect_problem(response, StatusCode::NOT_FOUND).await;
}

// ---------------------------------------------------------------------------------------
// Talks seen through the wrong event, and deletion
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_talk_of_another_event_is_404() {
    let s = Setup::new().await;
    let created = s
        .create(&talk("본 행사 발표", "14:00", "15:00", None, &[&s.kim]))
        .await;
    let other_event = id(&s.app.create_event(None).await);
    let wrong = format!("/api/v1/events/{other_event}/talks/{}", id(&created));
    expect_problem(s.app.get(&wrong).await, StatusCode::NOT_FOUND).await;
    expect_problem(
        s.app.patch(&wrong, &json!({"title": "hijacked"})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    expect_problem(s.app.delete(&wrong).await, StatusCode::NOT_FOUND).await;
    let intact = expect_status(s.app.get(&s.talk_path(&id(&created))).await, StatusCode::OK).await;
    assert_eq!(intact, created, "the talk is untouched");
    let other_list = expect_status(
        s.app
            .get(&format!("/api/v1/events/{other_event}/talks"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(other_list["items"], json!([]));
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
