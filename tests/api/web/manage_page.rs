//! The personal manage page behind the link in the confirmation: shown privately, answers
//! edited with inline errors, cancelling after a question, and unknown links.

use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::forms::{OpenForm, assert_private, browser, header, open_form, post_form};
use crate::helpers::pages::{
    Fixture, fixture, fixture_with, follow, get_page, redirect_path, register, registered,
    registrations, with,
};
use crate::helpers::{TestApp, spawn_app};

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
    let english_path = redirect_path(&response);
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
        format!("{path}?lang=ko#notice")
    );
    let (_, html) = follow(&app, &response).await;
    assert!(html.contains(
        "<div class=\"notice ok\" role=\"status\" id=\"notice\"><p>바꾼 내용을 저장했습니다."
    ));
    assert!(html.contains("value=\"Kakao\""));
    let (_, html) = get_page(&app, &path).await;
    assert!(!html.contains("바꾼 내용을 저장했습니다."), "told once");
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

/// The registrations' statuses, in order of registration.
async fn statuses(app: &TestApp, fixture: &Fixture) -> Vec<String> {
    registrations(app, &fixture.event_id)
        .await
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_string())
        .collect()
}

/// The waitlisted person's page words it as leaving the waitlist.
async fn the_waitlisted_are_asked_about_leaving_the_waitlist(app: &TestApp, second: &str) {
    let (_, html) = get_page(app, second).await;
    assert!(html.contains("<strong id=\"status\">대기 중</strong>"));
    assert!(html.contains("대기 순번: 1번"));
    assert!(html.contains("대기자 명단에서 나가기"));
    assert!(
        !html.contains("id=\"checkin-code\""),
        "no check-in code while waiting"
    );
    let (_, html) = get_page(app, &format!("{second}/cancel")).await;
    assert!(html.contains("대기자 명단에서 나갈까요?"));
}

/// GET only asks, and changes nothing. Returns the question's form.
async fn the_cancel_link_only_asks(app: &TestApp, fixture: &Fixture, first: &str) -> OpenForm {
    let confirm = open_form(app, &format!("{first}/cancel")).await;
    assert!(confirm.html.contains("참가 신청을 취소할까요?"));
    assert!(confirm.html.contains("네, 취소합니다"));
    assert!(confirm.html.contains(&format!("href=\"{first}?lang=ko\"")));
    assert_eq!(statuses(app, fixture).await, ["confirmed", "waitlisted"]);
    confirm
}

async fn confirm_cancelling(app: &TestApp, first: &str, confirm: &OpenForm) -> Response {
    let fields = [("csrf".to_string(), confirm.csrf.clone())];
    post_form(
        app,
        &format!("{first}/cancel"),
        Some(&confirm.cookie),
        &fields,
    )
    .await
}

/// Confirmed: back to the page, which says so; the seat goes to the head of the waitlist.
async fn confirming_cancels_and_frees_the_seat(
    app: &TestApp,
    fixture: &Fixture,
    first: &str,
    confirm: &OpenForm,
) {
    let response = confirm_cancelling(app, first, confirm).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_private(&response);
    assert_eq!(header(&response, LOCATION), format!("{first}?lang=ko"));
    assert_eq!(
        statuses(app, fixture).await,
        ["cancelled", "confirmed"],
        "the seat went to the head of the waitlist"
    );
    let (_, html) = follow(app, &response).await;
    assert!(html.contains("신청을 취소했습니다."));
    assert!(html.contains("<strong id=\"status\">취소됨</strong>"));
    assert!(!html.contains("id=\"form\""), "nothing left to change");
    assert!(!html.contains("id=\"cancel\""), "nothing left to cancel");
}

#[tokio::test]
async fn cancelling_asks_first_and_frees_the_seat() {
    let app = spawn_app().await;
    let fixture = fixture_with(&app, "one-seat", 1, json!({})).await;
    let first = registered(&app, &fixture, "first@example.com").await;
    let second = registered(&app, &fixture, "second@example.com").await;
    the_waitlisted_are_asked_about_leaving_the_waitlist(&app, &second).await;
    let confirm = the_cancel_link_only_asks(&app, &fixture, &first).await;

    // POST without the token is refused.
    let response =
        post_form::<&str, &str>(&app, &format!("{first}/cancel"), Some(&confirm.cookie), &[]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    confirming_cancels_and_frees_the_seat(&app, &fixture, &first, &confirm).await;

    // A second click changes nothing and lands on the page.
    let response = confirm_cancelling(&app, &first, &confirm).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = get_page(&app, &second).await;
    assert!(html.contains("<strong id=\"status\">참가 확정</strong>"));
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
