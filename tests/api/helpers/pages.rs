//! The public pages as the web tests use them: a published event with a speaker, a talk and
//! three questions; fetching pages; and registering through the form as a browser would.

use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use super::forms::{browser, open_form, post_form};
use super::{TestApp, expect_status, id};

/// A published event with a speaker, a talk, tags and three custom questions.
pub struct Fixture {
    pub event_id: String,
    pub slug: String,
    pub speaker_id: String,
    /// Required text question.
    pub text_q: String,
    /// Optional single choice ("네" / "아니요").
    pub single_q: String,
    /// Optional multiple choice ("A" / "B" / "C").
    pub multi_q: String,
}

impl Fixture {
    pub fn event_path(&self) -> String {
        format!("/events/{}", self.slug)
    }

    pub fn form_path(&self) -> String {
        format!("/events/{}/register", self.slug)
    }

    /// A complete, valid registration.
    pub fn fields(&self, email: &str) -> Vec<(String, String)> {
        [
            ("name", "이민지"),
            ("email", email),
            ("role", "alumni"),
            ("admission_year", "2014"),
            ("graduation_year", ""),
            ("affiliation", "Toss"),
            ("job_title", "Engineer"),
            ("interests", "career"),
            ("interests_other", "커피"),
            ("goals", "find_mentor"),
            ("goals", "meet_people"),
            ("wanted_speaker_ids", &self.speaker_id),
            ("consent_share", "yes"),
            ("language", "ko"),
            (&format!("answers.{}", self.text_q), "반갑습니다"),
            (&format!("answers.{}", self.single_q), "네"),
            (&format!("answers.{}", self.multi_q), "A"),
            (&format!("answers.{}", self.multi_q), "C"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }
}

pub async fn publish(app: &TestApp, event_id: &str) {
    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"status": "published"}),
        )
        .await;
    expect_status(response, StatusCode::OK).await;
}

/// An event in 2030 (registration open now) with `capacity` seats.
pub async fn fixture_with(app: &TestApp, slug: &str, capacity: i64, extra: Value) -> Fixture {
    let venue = app.create_venue().await;
    let hall = venue["rooms"][0]["id"].as_str().unwrap().to_string();
    let speaker = app.create_speaker("김서연").await;
    let mut body = json!({
        "title": "1&N 홈커밍 2030", "slug": slug,
        "starts_at": "2030-05-18T13:00:00+09:00", "ends_at": "2030-05-18T18:00:00+09:00",
        "venue_id": id(&venue), "capacity": capacity, "tags": ["career", "backend"],
        "description": "졸업생과 재학생이 다시 만나는 날."
    });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let event = expect_status(app.post("/api/v1/events", &body).await, StatusCode::CREATED).await;
    let event_id = id(&event);
    let talk = app
        .create_talk(
            &event_id,
            &json!({
                "title": "신입 개발자로 살아남기", "speaker_ids": [id(&speaker)], "room_id": hall,
                "starts_at": "2030-05-18T13:20:00+09:00", "ends_at": "2030-05-18T13:40:00+09:00"
            }),
        )
        .await;
    expect_status(talk, StatusCode::CREATED).await;
    let mut questions = Vec::new();
    for question in [
        json!({"label": "하고 싶은 이야기", "label_en": "What would you like to talk about?",
               "kind": "text", "required": true}),
        json!({"label": "뒤풀이에 참석하시나요?", "label_en": "Will you join the after-party?",
               "kind": "single_choice", "options": ["네", "아니요"]}),
        json!({"label": "관심 세션", "kind": "multiple_choice", "options": ["A", "B", "C"]}),
    ] {
        let response = app
            .post(&format!("/api/v1/events/{event_id}/questions"), &question)
            .await;
        questions.push(id(&expect_status(response, StatusCode::CREATED).await));
    }
    publish(app, &event_id).await;
    Fixture {
        event_id,
        slug: slug.to_string(),
        speaker_id: id(&speaker),
        text_q: questions[0].clone(),
        single_q: questions[1].clone(),
        multi_q: questions[2].clone(),
    }
}

pub async fn fixture(app: &TestApp) -> Fixture {
    fixture_with(app, "homecoming-2030", 100, json!({})).await
}

pub async fn get_page(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = browser().get(app.url(path)).send().await.unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

/// Submits the registration form as a browser would (GET, then POST with the token).
pub async fn register(
    app: &TestApp,
    fixture: &Fixture,
    mut fields: Vec<(String, String)>,
) -> Response {
    let form = open_form(app, &fixture.form_path()).await;
    fields.push(("csrf".into(), form.csrf.clone()));
    post_form(app, &fixture.form_path(), Some(&form.cookie), &fields).await
}

pub async fn registrations(app: &TestApp, event_id: &str) -> Vec<Value> {
    let response = app
        .get(&format!("/api/v1/events/{event_id}/registrations"))
        .await;
    expect_status(response, StatusCode::OK).await["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// Where a 303 leads, without its query.
pub fn redirect_path(response: &Response) -> String {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .expect("a Location")
        .to_str()
        .unwrap();
    location.split(['?', '#']).next().unwrap().to_string()
}

pub fn with(mut fields: Vec<(String, String)>, key: &str, value: &str) -> Vec<(String, String)> {
    fields.retain(|(k, _)| k != key);
    fields.push((key.into(), value.into()));
    fields
}

/// Registers and returns the manage page's path (where the form leads).
pub async fn registered(app: &TestApp, fixture: &Fixture, email: &str) -> String {
    let response = register(app, fixture, fixture.fields(email)).await;
    let path = redirect_path(&response);
    assert!(path.starts_with("/registrations/"), "{path}");
    path
}

/// Follows a 303 as a browser would, sending back the cookies it set (the one-time notice).
pub async fn follow(app: &TestApp, response: &Response) -> (StatusCode, String) {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[reqwest::header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    let cookies: Vec<String> = response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok()?.split(';').next().map(str::to_string))
        .collect();
    let page = browser()
        .get(app.url(&location))
        .header(reqwest::header::COOKIE, cookies.join("; "))
        .send()
        .await
        .unwrap();
    let status = page.status();
    (status, page.text().await.unwrap())
}
