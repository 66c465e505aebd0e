//! One walk through a homecoming that calls every organizer write operation the OpenAPI
//! document lists: each call leaves one entry naming the token and its organizer, with only
//! the changed fields; a refused change leaves none.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};

use super::{all_entries, newest, token_name};
use crate::helpers::networking::seating;
use crate::helpers::{TestApp, expect_problem, expect_status, id, spawn_app};

/// The app, the operations called so far (`POST /api/v1/venues`) and who the entries must
/// name.
struct Walk {
    app: TestApp,
    called: BTreeSet<String>,
    token_name: String,
}

impl Walk {
    /// Calls an organizer write operation (`template` is its documented path), expects
    /// `status` and one new entry of `action` on `target_type`; returns the answer and the
    /// entry.
    async fn change(
        &mut self,
        method: Method,
        template: &str,
        path: &str,
        body: Value,
        status: StatusCode,
        (action, target_type): (&str, &str),
    ) -> (Value, Value) {
        let before = all_entries(&self.app).await.len();
        let response = self
            .app
            .request(method.clone(), path)
            .json(&body)
            .send()
            .await
            .unwrap();
        let answer = expect_status(response, status).await;
        self.called.insert(format!("{method} {template}"));
        let entry = newest(&self.app).await;
        assert_eq!(
            all_entries(&self.app).await.len(),
            before + 1,
            "{method} {path} writes one entry"
        );
        assert_eq!(entry["action"], action, "{method} {path}: {entry}");
        assert_eq!(
            entry["target_type"], target_type,
            "{method} {path}: {entry}"
        );
        assert_eq!(entry["token_name"], self.token_name.as_str(), "{entry}");
        assert_eq!(entry["organizer_name"], "테스트 운영자", "{entry}");
        assert_eq!(
            entry["organizer_id"],
            self.app.organizer.id.to_string(),
            "{entry}"
        );
        (answer, entry)
    }

    /// A change the service refuses with `status`: no entry is written.
    async fn refused(&self, method: Method, path: &str, body: Value, status: StatusCode) {
        let before = all_entries(&self.app).await.len();
        let response = self
            .app
            .request(method, path)
            .json(&body)
            .send()
            .await
            .unwrap();
        expect_problem(response, status).await;
        assert_eq!(
            all_entries(&self.app).await.len(),
            before,
            "a refused {path} writes no entry"
        );
    }

    /// The organizer write operations of the served OpenAPI document.
    async fn documented_writes(&self) -> BTreeSet<String> {
        let document = expect_status(
            self.app
                .client
                .get(self.app.url("/api/openapi.json"))
                .send()
                .await
                .unwrap(),
            StatusCode::OK,
        )
        .await;
        let mut writes = BTreeSet::new();
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let organizer_only = operation["security"].is_array();
                if organizer_only && ["post", "put", "patch", "delete"].contains(&method.as_str()) {
                    writes.insert(format!("{} {path}", method.to_uppercase()));
                }
            }
        }
        writes
    }
}

fn changed_fields(entry: &Value) -> Vec<&str> {
    entry["changes"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

const V1: &str = "/api/v1";

#[tokio::test]
async fn every_organizer_write_operation_records_its_author_and_changed_fields() {
    let app = spawn_app().await;
    let token_name = token_name(&app).await;
    let mut walk = Walk {
        app,
        called: BTreeSet::new(),
        token_name,
    };
    use Method as M;
    use StatusCode as S;

    // Venues, speakers.
    let venue_body = json!({"name": "302동", "address": "관악로 1", "capacity": 150,
        "rooms": [{"name": "Hall", "capacity": 120}, {"name": "Seminar"}]});
    let (venue, created) = walk
        .change(
            M::POST,
            "/api/v1/venues",
            "/api/v1/venues",
            venue_body.clone(),
            S::CREATED,
            ("create", "venue"),
        )
        .await;
    assert_eq!(created["target_id"], venue["id"]);
    assert_eq!(
        created["changes"]["name"],
        json!({"after": "302동"}),
        "a creation has only afters"
    );
    let venue_path = format!("{V1}/venues/{}", id(&venue));
    let (_, updated) = walk
        .change(
            M::PATCH,
            "/api/v1/venues/{id}",
            &venue_path,
            json!({"capacity": 200}),
            S::OK,
            ("update", "venue"),
        )
        .await;
    assert_eq!(
        updated["changes"],
        json!({"capacity": {"before": 150, "after": 200}}),
        "only the changed field, without updated_at"
    );
    let (speaker, _) = walk
        .change(
            M::POST,
            "/api/v1/speakers",
            "/api/v1/speakers",
            json!({"name": "김서연", "email": "seoyeon@example.com", "affiliation": "Toss"}),
            S::CREATED,
            ("create", "speaker"),
        )
        .await;
    let speaker_path = format!("{V1}/speakers/{}", id(&speaker));
    let (_, updated) = walk
        .change(
            M::PATCH,
            "/api/v1/speakers/{id}",
            &speaker_path,
            json!({"affiliation": "Kakao"}),
            S::OK,
            ("update", "speaker"),
        )
        .await;
    assert_eq!(changed_fields(&updated), ["affiliation"]);

    // The event: created, refused a bad change, published, reminders, questions, talks.
    let (event, created) = walk
        .change(M::POST, "/api/v1/events", "/api/v1/events",
            json!({"title": "홈커밍 2030", "starts_at": "2030-05-18T13:00:00+09:00", "ends_at": "2030-05-18T19:00:00+09:00",
                "venue_id": venue["id"], "capacity": 10, "requires_approval": true}),
            S::CREATED, ("create", "event"))
        .await;
    let event_id = id(&event);
    assert_eq!(created["event_id"], event["id"]);
    let event_path = format!("{V1}/events/{event_id}");
    walk.refused(
        M::PATCH,
        &event_path,
        json!({"capacity": -1}),
        S::UNPROCESSABLE_ENTITY,
    )
    .await;
    walk.refused(M::DELETE, &venue_path, json!(null), S::CONFLICT)
        .await;
    let (_, published) = walk
        .change(
            M::PATCH,
            "/api/v1/events/{id}",
            &event_path,
            json!({"status": "published"}),
            S::OK,
            ("publish", "event"),
        )
        .await;
    assert_eq!(
        published["changes"]["status"],
        json!({"before": "draft", "after": "published"})
    );
    let (_, reminders) = walk
        .change(
            M::PUT,
            "/api/v1/events/{id}/reminders",
            &format!("{event_path}/reminders"),
            json!({"offsets": ["2d"]}),
            S::OK,
            ("update", "event"),
        )
        .await;
    assert_eq!(reminders["changes"]["reminders"]["after"], json!(["2d"]));
    let (question, _) = walk
        .change(
            M::POST,
            "/api/v1/events/{event_id}/questions",
            &format!("{event_path}/questions"),
            json!({"label": "뒤풀이?", "kind": "single_choice", "options": ["네", "아니요"]}),
            S::CREATED,
            ("create", "question"),
        )
        .await;
    let question_path = format!("{event_path}/questions/{}", id(&question));
    let (_, updated) = walk
        .change(
            M::PATCH,
            "/api/v1/events/{event_id}/questions/{question_id}",
            &question_path,
            json!({"required": true}),
            S::OK,
            ("update", "question"),
        )
        .await;
    assert_eq!(
        updated["changes"],
        json!({"required": {"before": false, "after": true}})
    );
    walk.change(
        M::DELETE,
        "/api/v1/events/{event_id}/questions/{question_id}",
        &question_path,
        json!(null),
        S::NO_CONTENT,
        ("delete", "question"),
    )
    .await;
    let (talk, _) = walk
        .change(M::POST, "/api/v1/events/{event_id}/talks", &format!("{event_path}/talks"),
            json!({"title": "신입 개발자로 살아남기", "starts_at": "2030-05-18T14:00:00+09:00", "ends_at": "2030-05-18T14:30:00+09:00",
                "room_id": venue["rooms"][0]["id"], "speaker_ids": [speaker["id"]]}),
            S::CREATED, ("create", "talk"))
        .await;
    let talk_path = format!("{event_path}/talks/{}", id(&talk));
    let (_, updated) = walk
        .change(
            M::PATCH,
            "/api/v1/events/{event_id}/talks/{talk_id}",
            &talk_path,
            json!({"title": "살아남기"}),
            S::OK,
            ("update", "talk"),
        )
        .await;
    assert_eq!(updated["event_id"], event["id"]);
    assert_eq!(changed_fields(&updated), ["title"]);
    let (_, deleted) = walk
        .change(
            M::DELETE,
            "/api/v1/events/{event_id}/talks/{talk_id}",
            &talk_path,
            json!(null),
            S::NO_CONTENT,
            ("delete", "talk"),
        )
        .await;
    assert_eq!(
        deleted["changes"]["title"],
        json!({"before": "살아남기"}),
        "a deletion has only befores"
    );

    // Registrations: the public's are not organizer changes.
    let before = all_entries(&walk.app).await.len();
    let mut people = Vec::new();
    for n in 0..6 {
        let body = json!({"name": format!("사람{n}"), "email": format!("p{n}@example.com"), "role": "alumni",
            "affiliation": format!("회사{n}"), "consent_share": true});
        people.push(expect_status(walk.app.register(&event_id, &body).await, S::CREATED).await);
    }
    assert_eq!(
        all_entries(&walk.app).await.len(),
        before,
        "public registrations are not logged"
    );
    let registration_path = |person: &Value| format!("{event_path}/registrations/{}", id(person));
    let mut approved = Vec::new();
    for person in &people[..4] {
        let (registration, entry) = walk
            .change(
                M::POST,
                "/api/v1/events/{event_id}/registrations/{registration_id}/approve",
                &format!("{}/approve", registration_path(person)),
                json!({}),
                S::OK,
                ("approve", "registration"),
            )
            .await;
        assert_eq!(
            entry["changes"]["status"],
            json!({"before": "pending", "after": "confirmed"})
        );
        assert_eq!(entry["target_id"], person["id"]);
        approved.push(registration);
    }
    walk.refused(
        M::POST,
        &format!("{}/approve", registration_path(&people[0])),
        json!({}),
        S::CONFLICT,
    )
    .await;
    walk.change(
        M::POST,
        "/api/v1/events/{event_id}/registrations/{registration_id}/reject",
        &format!("{}/reject", registration_path(&people[4])),
        json!({}),
        S::OK,
        ("reject", "registration"),
    )
    .await;
    let (_, updated) = walk
        .change(
            M::PATCH,
            "/api/v1/events/{event_id}/registrations/{registration_id}",
            &registration_path(&people[0]),
            json!({"affiliation": "Naver"}),
            S::OK,
            ("update", "registration"),
        )
        .await;
    assert_eq!(
        updated["changes"],
        json!({"affiliation": {"before": "회사0", "after": "Naver"}})
    );
    // Networking (before anyone checks in: then only those who came are seated): created from
    // the four confirmed, a move, a late arrival, published.
    let sessions = format!("{event_path}/networking-sessions");
    let (session, _) = walk
        .change(
            M::POST,
            "/api/v1/events/{event_id}/networking-sessions",
            &sessions,
            json!({"rounds": 2, "table_size": 2, "seed": 1}),
            S::CREATED,
            ("create", "networking_session"),
        )
        .await;
    let session_path = format!("{sessions}/{}", id(&session));
    let mover = id(&people[0]);
    let other_table = seating(&session)[1]
        .iter()
        .position(|table| !table.contains(&mover))
        .unwrap();
    let (_, moved) = walk
        .change(
            M::POST,
            "/api/v1/events/{event_id}/networking-sessions/{session_id}/moves",
            &format!("{session_path}/moves"),
            json!({"round": 2, "registration_id": mover, "to_table": other_table + 1}),
            S::OK,
            ("move", "networking_session"),
        )
        .await;
    assert_eq!(
        changed_fields(&moved),
        [format!("seats.{mover}")],
        "only the mover's seats"
    );
    walk.change(
        M::PATCH,
        "/api/v1/events/{event_id}/networking-sessions/{session_id}",
        &session_path,
        json!({"rounds_played": 1}),
        S::OK,
        ("update", "networking_session"),
    )
    .await;
    walk.change(
        M::POST,
        "/api/v1/events/{event_id}/registrations/{registration_id}/approve",
        &format!("{}/approve", registration_path(&people[5])),
        json!({}),
        S::OK,
        ("approve", "registration"),
    )
    .await;
    let (_, seated) = walk
        .change(
            M::POST,
            "/api/v1/events/{event_id}/networking-sessions/{session_id}/arrivals",
            &format!("{session_path}/arrivals"),
            json!({"registration_id": people[5]["id"]}),
            S::OK,
            ("seat", "networking_session"),
        )
        .await;
    assert!(
        changed_fields(&seated).contains(&format!("seats.{}", id(&people[5])).as_str()),
        "{seated}"
    );
    walk.change(
        M::POST,
        "/api/v1/events/{event_id}/networking-sessions/{session_id}/publish",
        &format!("{session_path}/publish"),
        json!({}),
        S::OK,
        ("publish", "networking_session"),
    )
    .await;
    walk.change(
        M::POST,
        "/api/v1/events/{event_id}/networking-sessions/{session_id}/plan-link",
        &format!("{session_path}/plan-link"),
        json!({}),
        S::OK,
        ("renew_link", "networking_session"),
    )
    .await;
    let (_, cancelled) = walk
        .change(
            M::POST,
            "/api/v1/events/{event_id}/registrations/{registration_id}/cancel",
            &format!("{}/cancel", registration_path(&people[1])),
            json!({}),
            S::OK,
            ("cancel", "registration"),
        )
        .await;
    assert_eq!(
        cancelled["changes"]["status"],
        json!({"before": "confirmed", "after": "cancelled"})
    );

    let (_, checked_in) = walk
        .change(
            M::POST,
            "/api/v1/events/{event_id}/check-ins",
            &format!("{event_path}/check-ins"),
            json!({"code": approved[0]["checkin_code"]}),
            S::OK,
            ("check_in", "registration"),
        )
        .await;
    assert_eq!(checked_in["target_id"], people[0]["id"]);
    assert_eq!(
        checked_in["changes"]["checked_in_at"]["before"],
        Value::Null
    );
    let before = all_entries(&walk.app).await.len();
    expect_status(
        walk.app
            .post(
                &format!("{event_path}/check-ins"),
                &json!({"code": approved[0]["checkin_code"]}),
            )
            .await,
        S::OK,
    )
    .await;
    assert_eq!(
        all_entries(&walk.app).await.len(),
        before,
        "a second scan changes nothing"
    );
    let (_, undone) = walk
        .change(
            M::DELETE,
            "/api/v1/events/{event_id}/check-ins/{registration_id}",
            &format!("{event_path}/check-ins/{}", id(&people[0])),
            json!(null),
            S::OK,
            ("undo_check_in", "registration"),
        )
        .await;
    assert_eq!(
        undone["changes"]["checked_in_at"]["after"],
        Value::Null,
        "{undone}"
    );
    // In again, as the rest of the walk expects.
    expect_status(
        walk.app
            .post(
                &format!("{event_path}/check-ins"),
                &json!({"code": approved[0]["checkin_code"]}),
            )
            .await,
        S::OK,
    )
    .await;

    // Mail: a failed message queued again.
    let outbox = expect_status(walk.app.get("/api/v1/outbox?limit=1").await, S::OK).await;
    let message_id: uuid::Uuid = outbox["items"][0]["id"].as_str().unwrap().parse().unwrap();
    let row = entity::outbox_message::Entity::find_by_id(message_id)
        .one(&walk.app.db)
        .await
        .unwrap()
        .unwrap();
    let mut failed: entity::outbox_message::ActiveModel = row.into();
    failed.status = Set(entity::values::OutboxStatus::Failed);
    failed.update(&walk.app.db).await.unwrap();
    let (_, retried) = walk
        .change(
            M::POST,
            "/api/v1/outbox/{id}/retry",
            &format!("{V1}/outbox/{message_id}/retry"),
            json!({}),
            S::OK,
            ("retry", "outbox_message"),
        )
        .await;
    assert_eq!(
        retried["changes"]["status"],
        json!({"before": "failed", "after": "queued"})
    );

    // People, and what is deleted last.
    walk.change(
        M::DELETE,
        "/api/v1/people/{person_id}",
        &format!("{V1}/people/{}", people[4]["person_id"].as_str().unwrap()),
        json!(null),
        S::NO_CONTENT,
        ("erase", "person"),
    )
    .await;
    walk.change(
        M::DELETE,
        "/api/v1/speakers/{id}",
        &speaker_path,
        json!(null),
        S::NO_CONTENT,
        ("delete", "speaker"),
    )
    .await;
    let (draft, _) = walk
        .change(M::POST, "/api/v1/events", "/api/v1/events",
            json!({"title": "초안", "starts_at": "2030-06-01T13:00:00+09:00", "ends_at": "2030-06-01T15:00:00+09:00"}),
            S::CREATED, ("create", "event"))
        .await;
    walk.change(
        M::DELETE,
        "/api/v1/events/{id}",
        &format!("{V1}/events/{}", id(&draft)),
        json!(null),
        S::NO_CONTENT,
        ("delete", "event"),
    )
    .await;
    let (spare, _) = walk
        .change(
            M::POST,
            "/api/v1/venues",
            "/api/v1/venues",
            venue_body,
            S::CREATED,
            ("create", "venue"),
        )
        .await;
    let (_, deleted) = walk
        .change(
            M::DELETE,
            "/api/v1/venues/{id}",
            &format!("{V1}/venues/{}", id(&spare)),
            json!(null),
            S::NO_CONTENT,
            ("delete", "venue"),
        )
        .await;
    assert_eq!(
        deleted["changes"]["rooms"]["before"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    assert_eq!(
        walk.called,
        walk.documented_writes().await,
        "the walk calls exactly the organizer write operations the document lists"
    );
}
