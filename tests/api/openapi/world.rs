//! One of every record, made through the API, so that requests with valid ids get past the
//! 404 and reach the code behind it; and a valid body for every operation that takes one,
//! for the generator to vary field by field.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::networking::{create_session, register_attendee, register_attendees};
use crate::helpers::{TestApp, expect_status, id};

pub struct World {
    venue: Value,
    speaker: String,
    event: Value,
    talk: String,
    question: String,
    registration: Value,
    /// Registered after the session was seated: may still arrive.
    late: String,
    session: String,
    outbox: String,
}

impl World {
    pub async fn make(app: &TestApp) -> Self {
        let venue = app.create_venue().await;
        let speaker = id(&app.create_speaker("김서연").await);
        let event = app.open_event(50, json!({})).await;
        let talk = expect_status(
            app.create_talk(
                &id(&event),
                &json!({
                    "title": "신입 개발자로 살아남기", "speaker_ids": [speaker],
                    "starts_at": "2030-05-18T14:00:00+09:00", "ends_at": "2030-05-18T14:30:00+09:00"
                }),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        let question = expect_status(
            app.post(
                &format!("/api/v1/events/{}/questions", id(&event)),
                &json!({"label": "뒤풀이에 참석하시나요?", "kind": "single_choice", "options": ["네", "아니요"]}),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        let registration = register_attendees(app, &event, 4, true).await.remove(0);
        let session = create_session(app, &event, json!({"rounds": 2, "table_size": 2})).await;
        let late = id(&register_attendee(app, &event, "늦은 사람", true).await);
        let outbox = expect_status(app.get("/api/v1/outbox?limit=1").await, StatusCode::OK).await;
        World {
            speaker,
            talk: id(&talk),
            question: id(&question),
            late,
            session: id(&session),
            outbox: id(&outbox["items"][0]),
            venue,
            event,
            registration,
        }
    }

    /// A valid value for the path parameter that follows `collection` in a path template
    /// (`/events/{id}` names an event, `/talks/{talk_id}` a talk).
    pub fn id_after(&self, collection: &str) -> String {
        match collection {
            "venues" => id(&self.venue),
            "speakers" => self.speaker.clone(),
            "events" => id(&self.event),
            "talks" => self.talk.clone(),
            "questions" => self.question.clone(),
            "registrations" | "check-ins" => id(&self.registration),
            "networking-sessions" => self.session.clone(),
            "people" => self.registration["person_id"].as_str().unwrap().to_string(),
            "outbox" => self.outbox.clone(),
            other => panic!("no record for a path parameter after /{other}/"),
        }
    }

    /// The path with every parameter replaced by a valid value, except `replace`d ones.
    pub fn path(&self, template: &str, replace: Option<(&str, &str)>) -> String {
        let mut previous = "";
        let mut path = String::new();
        for segment in template.split('/').filter(|segment| !segment.is_empty()) {
            path.push('/');
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => match replace {
                    Some((replaced, value)) if replaced == name => path.push_str(value),
                    _ if name == "slug" => path.push_str(self.event["slug"].as_str().unwrap()),
                    _ => path.push_str(&self.id_after(previous)),
                },
                None => path.push_str(segment),
            }
            previous = segment;
        }
        path
    }

    /// A body the operation accepts, for the generator to vary.
    pub fn valid_body(&self, method: &str, template: &str) -> Value {
        let room = &self.venue["rooms"][0]["id"];
        match (method, template.trim_start_matches("/api/v1")) {
            ("POST", "/venues") => json!({
                "name": "서울대학교 302동", "address": "서울특별시 관악구 관악로 1",
                "map_url": "https://naver.me/example", "capacity": 150, "notes": "주차 불가",
                "rooms": [{"name": "Hall", "capacity": 120}]
            }),
            ("PATCH", "/venues/{id}") => {
                json!({"name": "서울대학교 301동", "rooms": [{"id": room, "name": "Hall"}]})
            }
            ("POST", "/speakers") => json!({
                "name": "이하은", "email": "haeun@example.com", "admission_year": 2014,
                "affiliation": "Toss", "job_title": "Engineer", "bio": "결제",
                "cohort": "14학번", "tags": ["backend"], "links": [{"label": "GitHub", "url": "https://github.com/example"}]
            }),
            ("PATCH", "/speakers/{id}") => json!({"bio": "결제 시스템"}),
            ("POST", "/events") => json!({
                "title": "1&N 홈커밍 2031", "starts_at": "2031-05-17T13:00:00+09:00",
                "ends_at": "2031-05-17T18:00:00+09:00", "venue_id": self.venue["id"], "capacity": 100,
                "time_zone": "Asia/Seoul", "tags": ["career"], "requires_approval": false,
                "registration_opens_at": "2031-04-01T10:00:00+09:00",
                "registration_closes_at": "2031-05-16T23:59:59+09:00"
            }),
            ("PATCH", "/events/{id}") => json!({"description": "다시 만나는 날", "capacity": 60}),
            ("PUT", "/events/{id}/reminders") => json!({"offsets": ["7d", "1d", "2h"]}),
            ("POST", "/events/{event_id}/talks") => json!({
                "title": "AI와 커리어", "kind": "talk", "room_id": null, "speaker_ids": [self.speaker],
                "starts_at": "2030-05-18T15:00:00+09:00", "ends_at": "2030-05-18T15:30:00+09:00",
                "abstract": "요약", "tags": ["career"]
            }),
            ("PATCH", "/events/{event_id}/talks/{talk_id}") => {
                json!({"title": "신입 개발자로 살아남기 2"})
            }
            ("POST", "/events/{event_id}/questions") => json!({
                "label": "티셔츠 크기", "label_en": "T-shirt size", "kind": "multiple_choice",
                "options": ["S", "M"], "required": false, "position": 2
            }),
            ("PATCH", "/events/{event_id}/questions/{question_id}") => {
                json!({"label_en": "After-party?"})
            }
            ("POST", "/events/{event_id}/registrations") => json!({
                "name": "이민지", "email": "minji@example.com", "role": "alumni", "language": "ko",
                "admission_year": 2015, "graduation_year": 2019, "affiliation": "서울대학교",
                "job_title": "Engineer", "interests": ["career"], "interests_other": "Rust",
                "goals": ["find_mentor"], "wanted_speaker_ids": [], "consent_share": true,
                "answers": {self.question.clone(): "네"}
            }),
            ("PATCH", "/events/{event_id}/registrations/{registration_id}") => {
                json!({"job_title": "Designer"})
            }
            ("POST", "/events/{event_id}/check-ins") => {
                json!({"code": self.registration["checkin_code"]})
            }
            ("POST", "/events/{event_id}/networking-sessions") => json!({
                "title": "네트워킹 2부", "rounds": 2, "table_size": 2, "seed": 3,
                "separate_affiliations": false, "time_limit_ms": 200
            }),
            ("PATCH", "/events/{event_id}/networking-sessions/{session_id}") => {
                json!({"rounds_played": 1})
            }
            ("POST", "/events/{event_id}/networking-sessions/{session_id}/moves") => json!({
                "round": 2, "registration_id": id(&self.registration), "to_table": 1
            }),
            ("POST", "/events/{event_id}/networking-sessions/{session_id}/arrivals") => {
                json!({"registration_id": self.late})
            }
            (method, path) => {
                panic!("no valid body for {method} {path}: add one to World::valid_body")
            }
        }
    }
}
