//! The HTML pages against the real server: the event page, the registration form (with its
//! CSRF token, honeypot and rate limit) and the personal manage page.

use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_TYPE, LOCATION, RETRY_AFTER, SET_COOKIE};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::forms::{assert_private, between, browser, header, open_form, post_form};
use crate::helpers::{TestApp, expect_status, id, spawn_app};

/// A published event with a speaker, a talk, tags and three custom questions.
struct Fixture {
    event_id: String,
    slug: String,
    speaker_id: String,
    /// Required text question.
    text_q: String,
    /// Optional single choice ("네" / "아니요").
    single_q: String,
    /// Optional multiple choice ("A" / "B" / "C").
    multi_q: String,
}

impl Fixture {
    fn event_path(&self) -> String {
        format!("/events/{}", self.slug)
    }

    fn form_path(&self) -> String {
        format!("/events/{}/register", self.slug)
    }

    /// A complete, valid registration.
    fn fields(&self, email: &str) -> Vec<(String, String)> {
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

async fn publish(app: &TestApp, event_id: &str) {
    let response = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"status": "published"}),
        )
        .await;
    expect_status(response, StatusCode::OK).await;
}

/// An event in 2030 (registration open now) with `capacity` seats.
async fn fixture_with(app: &TestApp, slug: &str, capacity: i64, extra: Value) -> Fixture {
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

async fn fixture(app: &TestApp) -> Fixture {
    fixture_with(app, "homecoming-2030", 100, json!({})).await
}

async fn get_page(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = browser().get(app.url(path)).send().await.unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

/// Submits the registration form as a browser would (GET, then POST with the token).
async fn register(app: &TestApp, fixture: &Fixture, mut fields: Vec<(String, String)>) -> Response {
    let form = open_form(app, &fixture.form_path()).await;
    fields.push(("csrf".into(), form.csrf.clone()));
    post_form(app, &fixture.form_path(), Some(&form.cookie), &fields).await
}

async fn registrations(app: &TestApp, event_id: &str) -> Vec<Value> {
    let response = app
        .get(&format!("/api/v1/events/{event_id}/registrations"))
        .await;
    expect_status(response, StatusCode::OK).await["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// The manage link's path from a success page.
fn manage_path(html: &str) -> String {
    let href = between(html, "id=\"manage-link\" href=\"", "\"").expect("a manage link");
    href.split('?').next().unwrap().to_string()
}

fn with(mut fields: Vec<(String, String)>, key: &str, value: &str) -> Vec<(String, String)> {
    fields.retain(|(k, _)| k != key);
    fields.push((key.into(), value.into()));
    fields
}

#[tokio::test]
async fn the_event_page_is_korean_by_default_and_english_on_request() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let response = browser()
        .get(app.url(&fixture.event_path()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, CONTENT_TYPE).starts_with("text/html"));
    assert!(header(&response, "content-security-policy".parse().unwrap()).contains("'none'"));
    let html = response.text().await.unwrap();
    for expected in [
        "<html lang=\"ko\">",
        "<h1>1&#38;N 홈커밍 2030</h1>",
        "2030년 5월 18일 (토) 13:00 – 18:00",
        "Asia/Seoul",
        "서울대학교 302동",
        "서울특별시 관악구 관악로 1",
        "href=\"https://naver.me/example\"",
        "지도에서 보기",
        "신입 개발자로 살아남기",
        "13:20",
        "김서연",
        "Toss",
        "결제 시스템을 만듭니다.",
        "졸업생과 재학생이 다시 만나는 날.",
        "남은 자리 100석",
        "참가 신청하기",
        &format!("href=\"{}?lang=ko\"", fixture.form_path()),
        &format!("href=\"{}?lang=en\" lang=\"en\"", fixture.event_path()),
    ] {
        assert!(html.contains(expected), "missing {expected:?} in {html}");
    }
    assert!(!html.contains("<script"), "no JavaScript");
    assert!(
        !html.contains("private parking note"),
        "no private venue notes"
    );
    assert!(!html.contains("@example.com"), "no speaker emails");

    let (status, english) = get_page(&app, &format!("{}?lang=en", fixture.event_path())).await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "<html lang=\"en\">",
        "Sat 18 May 2030 13:00 – 18:00",
        "Open in a map",
        "100 seats left",
        ">Register</a>",
        "Schedule",
        "Speakers",
        &format!("href=\"{}?lang=en\"", fixture.form_path()),
    ] {
        assert!(english.contains(expected), "missing {expected:?}");
    }

    for (accept, lang) in [
        ("en-US,en;q=0.9,ko;q=0.8", "en"),
        ("ko-KR,ko;q=0.9,en;q=0.8", "ko"),
        ("fr-FR,fr;q=0.9", "ko"),
    ] {
        let html = browser()
            .get(app.url(&fixture.event_path()))
            .header(ACCEPT_LANGUAGE, accept)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains(&format!("<html lang=\"{lang}\">")),
            "{accept}"
        );
    }
    // ?lang= wins over the header.
    let html = browser()
        .get(app.url(&format!("{}?lang=ko", fixture.event_path())))
        .header(ACCEPT_LANGUAGE, "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"ko\">"));
}

#[tokio::test]
async fn the_event_page_says_when_registration_is_not_possible() {
    let app = spawn_app().await;
    let later = fixture_with(
        &app,
        "later",
        10,
        json!({"registration_opens_at": "2030-01-01T09:00:00+09:00"}),
    )
    .await;
    let (_, html) = get_page(&app, &later.event_path()).await;
    assert!(html.contains("참가 신청은 2030년 1월 1일 (화) 09:00에 열립니다."));
    assert!(!html.contains("id=\"register\""));
    let (_, html) = get_page(&app, &format!("{}?lang=en", later.event_path())).await;
    assert!(html.contains("Registration opens on Tue 1 January 2030 09:00."));
    let (_, form) = get_page(&app, &later.form_path()).await;
    assert!(form.contains("참가 신청은 2030년 1월 1일"));
    assert!(!form.contains("<form"), "no form before registration opens");

    let full = fixture_with(&app, "full", 1, json!({})).await;
    let response = register(&app, &full, full.fields("first@example.com")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let (_, html) = get_page(&app, &full.event_path()).await;
    assert!(html.contains("정원이 모두 찼습니다"));
    assert!(
        html.contains("대기자로 신청하기"),
        "a full event still takes the waitlist"
    );
    let (_, html) = get_page(&app, &format!("{}?lang=en", full.event_path())).await;
    assert!(html.contains("Join the waitlist"));

    let closed = fixture_with(&app, "closed", 10, json!({})).await;
    let response = app
        .patch(
            &format!("/api/v1/events/{}", closed.event_id),
            &json!({"status": "closed"}),
        )
        .await;
    expect_status(response, StatusCode::OK).await;
    let (_, html) = get_page(&app, &closed.event_path()).await;
    assert!(html.contains("참가 신청이 마감되었습니다."));
    assert!(!html.contains("id=\"register\""));
    let (_, html) = get_page(&app, &format!("{}?lang=en", closed.event_path())).await;
    assert!(html.contains("Registration is closed."));
}

#[tokio::test]
async fn drafts_and_unknown_events_are_html_404s() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let draft = app.create_event(Some(&id(&venue))).await;
    let slug = draft["slug"].as_str().unwrap();
    for path in [
        format!("/events/{slug}"),
        format!("/events/{slug}/register"),
        "/events/no-such-event".to_string(),
    ] {
        let response = browser().get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(header(&response, CONTENT_TYPE).starts_with("text/html"));
        let html = response.text().await.unwrap();
        assert!(html.contains("페이지를 찾을 수 없습니다"), "{html}");
        assert!(
            !html.contains("1&#38;N 홈커밍 2026"),
            "nothing of the draft shows"
        );
    }
    let (_, english) = get_page(&app, &format!("/events/{slug}?lang=en")).await;
    assert!(english.contains("Page not found"));
    // Other unknown paths keep the API's problem document.
    let response = browser()
        .get(app.url("/no-such-page"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(header(&response, CONTENT_TYPE), "application/problem+json");
}

#[tokio::test]
async fn the_form_offers_every_field_with_labels() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let response = browser()
        .get(app.url(&fixture.form_path()))
        .send()
        .await
        .unwrap();
    let set_cookie = header(&response, SET_COOKIE);
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    assert!(set_cookie.contains("Path=/"), "{set_cookie}");
    let html = response.text().await.unwrap();
    for (id, label) in [
        ("f-name", "이름"),
        ("f-email", "이메일"),
        ("f-role", "구분"),
        ("f-admission_year", "학번 (입학 연도)"),
        ("f-graduation_year", "졸업 연도"),
        ("f-affiliation", "소속 (회사 또는 학교)"),
        ("f-job_title", "직함"),
        ("f-interests_other", "그 밖의 관심사"),
        ("f-consent_share", "네트워킹 테이블에서"),
        ("f-q0", "하고 싶은 이야기"),
    ] {
        assert!(
            html.contains(&format!("<label for=\"{id}\">{label}")),
            "no label for {id}"
        );
    }
    for expected in [
        "<option value=\"student\">재학생</option>",
        "<option value=\"alumni\">졸업생</option>",
        "<option value=\"guest\">게스트</option>",
        "name=\"interests\" value=\"career\"",
        "name=\"interests\" value=\"backend\"",
        "name=\"goals\" value=\"find_mentor\"",
        "name=\"goals\" value=\"meet_people\"",
        &format!(
            "name=\"wanted_speaker_ids\" value=\"{}\"",
            fixture.speaker_id
        ),
        "김서연 (Toss)",
        "name=\"language\" value=\"ko\" checked",
        &format!("name=\"answers.{}\" rows=\"3\" required", fixture.text_q),
        &format!(
            "type=\"radio\" id=\"f-q1-0\" name=\"answers.{}\" value=\"네\"",
            fixture.single_q
        ),
        &format!(
            "type=\"checkbox\" id=\"f-q2-2\" name=\"answers.{}\" value=\"C\"",
            fixture.multi_q
        ),
        "<legend>뒤풀이에 참석하시나요?</legend>",
        "name=\"website_url\"",
        "novalidate",
    ] {
        assert!(html.contains(expected), "missing {expected:?}");
    }
    let (_, english) = get_page(&app, &format!("{}?lang=en", fixture.form_path())).await;
    assert!(english.contains("<label for=\"f-q0\">What would you like to talk about?"));
    assert!(english.contains("<legend>Will you join the after-party?</legend>"));
    assert!(english.contains("name=\"language\" value=\"en\" checked"));
    assert!(english.contains(&format!("action=\"{}?lang=en\"", fixture.form_path())));
}

#[tokio::test]
async fn invalid_input_shows_inline_errors_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let fields = with(
        fixture.fields("not-an-email"),
        &format!("answers.{}", fixture.text_q),
        " ",
    );
    let response = register(&app, &fixture, fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_private(&response);
    let html = response.text().await.unwrap();
    assert!(html.contains(
        "<p class=\"error\" id=\"f-email-error\"><span class=\"sr-only\">오류: </span>name@example.com 형식의 이메일 주소를 입력해 주세요.</p>"
    ));
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"f-email-hint f-email-error\""));
    assert!(html.contains("id=\"f-q0-error\""), "the required question");
    assert!(html.contains("이 질문에 답해 주세요."));
    assert!(
        html.contains("입력 내용을 확인해 주세요"),
        "the error summary"
    );
    assert!(html.contains("href=\"#f-email\""));
    for kept in [
        "id=\"f-name\" name=\"name\" value=\"이민지\"",
        "value=\"not-an-email\"",
        "<option value=\"alumni\" selected>",
        "value=\"2014\"",
        "value=\"Toss\"",
        "value=\"career\" checked",
        "value=\"find_mentor\" checked",
        "value=\"meet_people\" checked",
        &format!("value=\"{}\" checked", fixture.speaker_id),
        ">커피</textarea>",
        "value=\"네\" checked",
        "value=\"A\" checked",
        "value=\"C\" checked",
    ] {
        assert!(html.contains(kept), "lost {kept:?}");
    }
    assert!(!html.contains("value=\"B\" checked"));
    assert!(!html.contains("value=\"backend\" checked"));
    assert!(registrations(&app, &fixture.event_id).await.is_empty());

    // The form's own checks (a role not chosen, a year that is no number) come with the rest,
    // and in English on the English form.
    let form = open_form(&app, &fixture.form_path()).await;
    let mut fields = with(fixture.fields(""), "role", "");
    fields = with(fields, "admission_year", "열넷");
    fields.push(("csrf".into(), form.csrf.clone()));
    let response = post_form(
        &app,
        &format!("{}?lang=en", fixture.form_path()),
        Some(&form.cookie),
        &fields,
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("id=\"f-role-error\""));
    assert!(html.contains("Please choose one."));
    assert!(html.contains("id=\"f-admission_year-error\""));
    assert!(html.contains("Please enter a year between 1950 and 2100"));
    assert!(html.contains("id=\"f-email-error\""));
    assert!(html.contains("Please enter an email address such as name@example.com."));
    assert!(html.contains("value=\"열넷\""));
}

#[tokio::test]
async fn a_post_without_the_matching_csrf_token_is_refused() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let form = open_form(&app, &fixture.form_path()).await;
    let mut with_token = fixture.fields("minji@example.com");
    with_token.push(("csrf".into(), form.csrf.clone()));

    // No cookie (another site's form, or cookies off).
    let response = post_form(&app, &fixture.form_path(), None, &with_token).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(header(&response, CONTENT_TYPE).starts_with("text/html"));
    let html = response.text().await.unwrap();
    assert!(html.contains("양식이 만료되었습니다"));
    assert!(html.contains(&format!("href=\"{}?lang=ko\"", fixture.form_path())));

    // A cookie that does not match the form's token.
    let other = open_form(&app, &fixture.form_path()).await;
    let response = post_form(&app, &fixture.form_path(), Some(&other.cookie), &with_token).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    // The same token in both, but not signed by the server.
    let forged = "AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let fields = with(fixture.fields("minji@example.com"), "csrf", forged);
    let response = post_form(
        &app,
        &fixture.form_path(),
        Some(&format!("hc_csrf={forged}")),
        &fields,
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    // No token in the form at all.
    let response = post_form(
        &app,
        &fixture.form_path(),
        Some(&form.cookie),
        &fixture.fields("minji@example.com"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(registrations(&app, &fixture.event_id).await.is_empty());

    // The matching pair goes through; the page's cookie is reused, not replaced.
    let response = post_form(&app, &fixture.form_path(), Some(&form.cookie), &with_token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(registrations(&app, &fixture.event_id).await.len(), 1);
}

#[tokio::test]
async fn a_filled_honeypot_looks_like_success_but_creates_nothing() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let mut fields = fixture.fields("bot@example.com");
    fields.push(("website_url".into(), "http://spam.example".into()));
    let response = register(&app, &fixture, fields).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("참가가 확정되었습니다"));
    assert!(html.contains("id=\"manage-link\""));
    assert!(registrations(&app, &fixture.event_id).await.is_empty());
    let (status, _) = get_page(&app, &manage_path(&html)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the link leads nowhere");
    // The same person without the honeypot registers normally.
    let response = register(&app, &fixture, fixture.fields("bot@example.com")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(registrations(&app, &fixture.event_id).await.len(), 1);
}

#[tokio::test]
async fn too_many_posts_from_one_address_get_429() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let form = open_form(&app, &fixture.form_path()).await;
    let fields = vec![("csrf".to_string(), form.csrf.clone())];
    let mut statuses = Vec::new();
    for _ in 0..25 {
        let response = post_form(&app, &fixture.form_path(), Some(&form.cookie), &fields).await;
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert!(header(&response, RETRY_AFTER).parse::<u64>().unwrap() >= 1);
            assert!(header(&response, CONTENT_TYPE).starts_with("text/html"));
            let html = response.text().await.unwrap();
            assert!(html.contains("요청이 너무 많습니다"), "{html}");
        }
        statuses.push(status);
    }
    let limited = statuses
        .iter()
        .position(|s| *s == StatusCode::TOO_MANY_REQUESTS)
        .expect("the limit applies");
    // 20 at once pass (one more every 3 seconds, should the machine be that slow).
    assert!(limited >= 20, "a burst of 20 passes: {statuses:?}");
    assert!(
        statuses[..limited]
            .iter()
            .all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY)
    );
    // Reading pages is not limited.
    let (status, _) = get_page(&app, &fixture.event_path()).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_success_page_says_confirmed_waitlisted_or_pending() {
    let app = spawn_app().await;
    let fixture = fixture_with(&app, "two-seats", 1, json!({})).await;

    let response = register(&app, &fixture, fixture.fields("one@example.com")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_private(&response);
    let html = response.text().await.unwrap();
    assert!(html.contains("<h1>참가가 확정되었습니다"));
    assert!(html.contains("개인 관리 링크"));
    let link_text = between(&html, "id=\"manage-link\" href=\"", "</a>").unwrap();
    assert!(
        link_text.contains(">http://127.0.0.1:8080/registrations/"),
        "{link_text}"
    );
    assert!(manage_path(&html).starts_with("/registrations/"));

    let response = register(&app, &fixture, fixture.fields("two@example.com")).await;
    let html = response.text().await.unwrap();
    assert!(html.contains("<h1>대기자 명단에 올랐습니다"));
    assert!(html.contains("대기 순번은 1번입니다."));

    let form = open_form(&app, &format!("{}?lang=en", fixture.form_path())).await;
    let mut fields = fixture.fields("three@example.com");
    fields.push(("csrf".into(), form.csrf.clone()));
    let response = post_form(
        &app,
        &format!("{}?lang=en", fixture.form_path()),
        Some(&form.cookie),
        &fields,
    )
    .await;
    let html = response.text().await.unwrap();
    assert!(html.contains("<h1>You are on the waitlist"));
    assert!(html.contains("You are number 2 on the waitlist."));
    assert!(html.contains("Your personal link"));

    // The same email again: nothing changes, and the page says so at the top.
    let fields = fixture.fields(" ONE@example.com ");
    let response = register(&app, &fixture, fields).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await.unwrap();
    assert!(html.contains("이 이메일로 이미 신청되어 있어 아무것도 바꾸지 않았습니다."));
    assert!(html.contains("새 개인 링크를 이 주소로 다시 보내 드렸습니다"));
    assert!(
        html.contains("value=\" ONE@example.com \""),
        "the input is kept"
    );
    assert_eq!(registrations(&app, &fixture.event_id).await.len(), 3);

    let approval = fixture_with(&app, "approval", 10, json!({"requires_approval": true})).await;
    let (_, page) = get_page(&app, &approval.event_path()).await;
    assert!(page.contains("운영진이 승인하면"));
    let response = register(&app, &approval, approval.fields("four@example.com")).await;
    let html = response.text().await.unwrap();
    assert!(html.contains("<h1>승인을 기다리고 있습니다"));
    assert!(html.contains("운영진이 신청 내용을 확인한 뒤"));
}

/// Registers and returns the manage page's path.
async fn registered(app: &TestApp, fixture: &Fixture, email: &str) -> String {
    let response = register(app, fixture, fixture.fields(email)).await;
    assert_eq!(response.status(), StatusCode::OK);
    manage_path(&response.text().await.unwrap())
}

#[tokio::test]
async fn the_manage_page_shows_the_registration_privately() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let path = registered(&app, &fixture, "minji@example.com").await;
    let response = browser().get(app.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_private(&response);
    let html = response.text().await.unwrap();
    let code = registrations(&app, &fixture.event_id).await[0]["checkin_code"]
        .as_str()
        .unwrap()
        .to_string();
    for expected in [
        "<html lang=\"ko\">",
        "<strong id=\"status\">참가 확정</strong>",
        &format!("<p class=\"code\" id=\"checkin-code\">{code}</p>"),
        &format!("<svg role=\"img\" aria-label=\"체크인 QR 코드 ({code})\""),
        "<path fill=\"#000\" d=\"M",
        "id=\"f-email\">minji@example.com</p>",
        "이메일은 바꿀 수 없습니다.",
        "value=\"이민지\"",
        &format!("href=\"{path}/event.ics\""),
        &format!("href=\"{path}/cancel?lang=ko\""),
        "참가 신청 취소하기",
        "서울대학교 302동, 서울특별시 관악구 관악로 1",
    ] {
        assert!(html.contains(expected), "missing {expected:?}");
    }
    assert!(
        !html.contains("name=\"email\""),
        "the email is not editable"
    );
    assert!(!html.contains("<?xml"));

    let (_, english) = get_page(&app, &format!("{path}?lang=en")).await;
    assert!(english.contains("<strong id=\"status\">Confirmed</strong>"));
    assert!(english.contains("Check-in QR code"));

    // The person chose English emails: their page opens in English.
    let fields = with(fixture.fields("en@example.com"), "language", "en");
    let response = register(&app, &fixture, fields).await;
    let english_path = manage_path(&response.text().await.unwrap());
    let (_, html) = get_page(&app, &english_path).await;
    assert!(html.contains("<html lang=\"en\">"));
}

#[tokio::test]
async fn the_manage_page_edits_answers_with_inline_errors() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let path = registered(&app, &fixture, "minji@example.com").await;
    let form = open_form(&app, &path).await;
    assert!(form.html.contains("신청 내용 고치기"));

    // An invalid change: inline error, input kept, nothing saved.
    let mut fields = with(fixture.fields("ignored@example.com"), "name", "");
    fields = with(fields, "affiliation", "Kakao");
    fields.push(("csrf".into(), form.csrf.clone()));
    let response = post_form(&app, &path, Some(&form.cookie), &fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_private(&response);
    let html = response.text().await.unwrap();
    assert!(html.contains("id=\"f-name-error\""));
    assert!(html.contains("입력해 주세요."));
    assert!(html.contains("value=\"Kakao\""));
    let stored = &registrations(&app, &fixture.event_id).await[0];
    assert_eq!(stored["affiliation"], "Toss");

    // A valid change: saved, blanks cleared, the email unchanged whatever the form says.
    let mut fields = with(
        fixture.fields("ignored@example.com"),
        "affiliation",
        "Kakao",
    );
    fields = with(fields, "job_title", "");
    fields = with(fields, &format!("answers.{}", fixture.single_q), "");
    fields.retain(|(k, v)| !(k == "goals" && v == "meet_people"));
    fields.push(("csrf".into(), form.csrf.clone()));
    let response = post_form(&app, &path, Some(&form.cookie), &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_private(&response);
    assert_eq!(
        header(&response, LOCATION),
        format!("{path}?lang=ko&done=saved")
    );
    let (_, html) = get_page(&app, &header(&response, LOCATION)).await;
    assert!(html.contains("바꾼 내용을 저장했습니다."));
    assert!(html.contains("value=\"Kakao\""));
    let stored = &registrations(&app, &fixture.event_id).await[0];
    assert_eq!(stored["affiliation"], "Kakao");
    assert_eq!(stored["job_title"], Value::Null);
    assert_eq!(stored["email"], "minji@example.com");
    assert_eq!(stored["goals"], json!(["find_mentor"]));
    assert!(stored["answers"].get(&fixture.single_q).is_none());
    assert_eq!(stored["answers"][&fixture.multi_q], json!(["A", "C"]));

    // Without the token nothing changes.
    let fields = with(fixture.fields("x@example.com"), "affiliation", "Naver");
    let response = post_form(&app, &path, Some(&form.cookie), &fields).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_private(&response);
    let stored = &registrations(&app, &fixture.event_id).await[0];
    assert_eq!(stored["affiliation"], "Kakao");
}

#[tokio::test]
async fn cancelling_asks_first_and_frees_the_seat() {
    let app = spawn_app().await;
    let fixture = fixture_with(&app, "one-seat", 1, json!({})).await;
    let first = registered(&app, &fixture, "first@example.com").await;
    let second = registered(&app, &fixture, "second@example.com").await;

    // The waitlisted person's page words it as leaving the waitlist.
    let (_, html) = get_page(&app, &second).await;
    assert!(html.contains("<strong id=\"status\">대기 중</strong>"));
    assert!(html.contains("대기 순번: 1번"));
    assert!(html.contains("대기자 명단에서 나가기"));
    assert!(
        !html.contains("id=\"checkin-code\""),
        "no check-in code while waiting"
    );
    let (_, html) = get_page(&app, &format!("{second}/cancel")).await;
    assert!(html.contains("대기자 명단에서 나갈까요?"));

    // GET only asks.
    let confirm = open_form(&app, &format!("{first}/cancel")).await;
    assert!(confirm.html.contains("참가 신청을 취소할까요?"));
    assert!(confirm.html.contains("네, 취소합니다"));
    assert!(confirm.html.contains(&format!("href=\"{first}?lang=ko\"")));
    let statuses = |rows: Vec<Value>| -> Vec<String> {
        rows.iter()
            .map(|r| r["status"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        statuses(registrations(&app, &fixture.event_id).await),
        ["confirmed", "waitlisted"]
    );

    // POST without the token is refused.
    let response =
        post_form::<&str, &str>(&app, &format!("{first}/cancel"), Some(&confirm.cookie), &[]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let fields = [("csrf".to_string(), confirm.csrf.clone())];
    let response = post_form(
        &app,
        &format!("{first}/cancel"),
        Some(&confirm.cookie),
        &fields,
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_private(&response);
    assert_eq!(
        header(&response, LOCATION),
        format!("{first}?lang=ko&done=cancelled")
    );
    assert_eq!(
        statuses(registrations(&app, &fixture.event_id).await),
        ["cancelled", "confirmed"],
        "the seat went to the head of the waitlist"
    );
    let (_, html) = get_page(&app, &header(&response, LOCATION)).await;
    assert!(html.contains("신청을 취소했습니다."));
    assert!(html.contains("<strong id=\"status\">취소됨</strong>"));
    assert!(!html.contains("<form"), "nothing left to change");

    // A second click changes nothing and lands on the page.
    let response = post_form(
        &app,
        &format!("{first}/cancel"),
        Some(&confirm.cookie),
        &fields,
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = get_page(&app, &second).await;
    assert!(html.contains("<strong id=\"status\">참가 확정</strong>"));
}

#[tokio::test]
async fn the_event_downloads_as_an_ics_file() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let path = registered(&app, &fixture, "minji@example.com").await;
    let registration_id = id(&registrations(&app, &fixture.event_id).await[0]);
    let response = browser()
        .get(app.url(&format!("{path}/event.ics")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_private(&response);
    assert_eq!(
        header(&response, CONTENT_TYPE),
        "text/calendar; charset=utf-8"
    );
    assert!(
        header(&response, "content-disposition".parse().unwrap())
            .contains("filename=\"homecoming-2030.ics\"")
    );
    let ics = response.text().await.unwrap();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "BEGIN:VEVENT",
        &format!("UID:registration-{registration_id}@127.0.0.1"),
        "DTSTART:20300518T040000Z",
        "DTEND:20300518T090000Z",
        "SUMMARY:1&N 홈커밍 2030",
        "LOCATION:서울대학교 302동\\, 서울특별시 관악구 관악로 1",
        "URL:http://127.0.0.1:8080/events/homecoming-2030",
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ] {
        assert!(
            ics.contains(&format!("{line}\r\n")),
            "missing {line:?} in {ics}"
        );
    }
    assert!(ics.contains("DTSTAMP:"));
    let again = browser()
        .get(app.url(&format!("{path}/event.ics")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let uid = |ics: &str| between(ics, "UID:", "\r\n").unwrap().to_string();
    assert_eq!(uid(&ics), uid(&again), "the UID is stable");
}

#[tokio::test]
async fn an_unknown_manage_token_is_404() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    registered(&app, &fixture, "minji@example.com").await;
    let unknown = "/registrations/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    for path in [
        unknown.to_string(),
        format!("{unknown}/cancel"),
        format!("{unknown}/event.ics"),
    ] {
        let response = browser().get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_private(&response);
        assert!(header(&response, CONTENT_TYPE).starts_with("text/html"));
        let html = response.text().await.unwrap();
        assert!(html.contains("이 링크에 해당하는 신청이 없습니다."));
    }
    // POSTs with a valid token pair are 404 too, and change nothing.
    let form = open_form(&app, &fixture.form_path()).await;
    let fields = [("csrf".to_string(), form.csrf.clone())];
    for path in [unknown.to_string(), format!("{unknown}/cancel")] {
        let response = post_form(&app, &path, Some(&form.cookie), &fields).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        registrations(&app, &fixture.event_id).await[0]["status"],
        "confirmed"
    );
}

#[tokio::test]
async fn a_form_from_one_instance_can_be_posted_to_another() {
    let app = spawn_app().await;
    let other = app.second_instance().await;
    let fixture = fixture(&app).await;
    let form = open_form(&app, &fixture.form_path()).await;
    let mut fields = fixture.fields("minji@example.com");
    fields.push(("csrf".into(), form.csrf.clone()));
    let response = post_form(&other, &fixture.form_path(), Some(&form.cookie), &fields).await;
    assert_ne!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "the other instance accepts the token"
    );
    assert_eq!(registrations(&app, &fixture.event_id).await.len(), 1);
}

#[tokio::test]
async fn a_registration_through_the_form_arrives_as_a_korean_confirmation_by_smtp() {
    let sink = crate::smtp_sink::SmtpSink::start().await;
    let app = crate::email::app_with_sink(&sink, None, true).await;
    let fixture = fixture(&app).await;
    let response = register(&app, &fixture, fixture.fields("minji@example.com")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let manage = manage_path(&response.text().await.unwrap());

    let messages = sink.wait_for(1).await;
    assert_eq!(messages[0].to, ["minji@example.com"]);
    let mail = crate::email::parse(&messages[0]);
    assert_eq!(
        crate::email::subject(&mail),
        "[1&N] 1&N 홈커밍 2030 참가가 확정되었습니다"
    );
    let text = crate::email::part(&mail, "text/plain")
        .unwrap()
        .get_body()
        .unwrap();
    assert!(text.contains("이민지님"), "{text}");
    assert!(
        text.contains(&manage),
        "the manage link of the success page: {text}"
    );
    let invite = crate::email::part(&mail, "text/calendar").expect("an invite");
    assert_eq!(
        crate::email::ics_start(&invite.get_body().unwrap()),
        "2030-05-18T04:00:00Z"
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
    );
}
