//! The registration form: every field with its label, inline errors that keep what was typed,
//! the success page for each outcome, and the confirmation mail it leads to.

use reqwest::header::SET_COOKIE;
use reqwest::{Response, StatusCode};
use serde_json::json;

use crate::helpers::forms::{assert_private, browser, header, open_form, post_form};
use crate::helpers::mail::{app_with_sink, ics_start, parse, part, subject};
use crate::helpers::pages::{
    Fixture, fixture, fixture_with, follow, get_page, redirect_path, register, registrations, with,
};
use crate::helpers::smtp_sink::SmtpSink;
use crate::helpers::{TestApp, spawn_app};

/// The form sets its CSRF cookie HttpOnly, SameSite=Strict, for the whole site.
fn the_csrf_cookie_is_strict(response: &Response) {
    let set_cookie = header(response, SET_COOKIE);
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    assert!(set_cookie.contains("Path=/"), "{set_cookie}");
}

/// Every field has its label, the event's own questions included.
fn every_field_has_its_label(html: &str) {
    for (id, label) in [
        ("f-name", "이름"),
        ("f-email", "이메일"),
        ("f-admission_year", "학번 (입학 연도)"),
        ("f-graduation_year", "졸업 연도"),
        ("f-affiliation", "소속 (회사 또는 학교)"),
        ("f-job_title", "직함"),
        ("f-interests_other", "그 밖의 관심사"),
        ("f-consent_share", "네트워킹 테이블에 참여합니다"),
        ("f-q0", "하고 싶은 이야기"),
    ] {
        assert!(
            html.contains(&format!("<label for=\"{id}\">{label}")),
            "no label for {id}"
        );
    }
}

/// Every choice is offered: roles, interests, goals, speakers, languages and the questions'
/// options; a honeypot field, and the browser's own checks off.
fn every_choice_is_offered(html: &str, fixture: &Fixture) {
    for expected in [
        "<legend>구분 <span class=\"req\"",
        "name=\"role\" value=\"student\" required><label for=\"f-role-0\">재학생</label>",
        "name=\"role\" value=\"alumni\" required><label for=\"f-role-1\">졸업생</label>",
        "name=\"role\" value=\"guest\" required><label for=\"f-role-2\">게스트</label>",
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
}

/// The English form: labels, legend, language and where it posts.
async fn the_english_form_is_in_english(app: &TestApp, fixture: &Fixture) {
    let (_, english) = get_page(app, &format!("{}?lang=en", fixture.form_path())).await;
    assert!(english.contains("<label for=\"f-q0\">What would you like to talk about?"));
    assert!(english.contains("<legend>Will you join the after-party?</legend>"));
    assert!(english.contains("name=\"language\" value=\"en\" checked"));
    assert!(english.contains(&format!("action=\"{}?lang=en\"", fixture.form_path())));
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
    the_csrf_cookie_is_strict(&response);
    let html = response.text().await.unwrap();
    every_field_has_its_label(&html);
    every_choice_is_offered(&html, &fixture);
    the_english_form_is_in_english(&app, &fixture).await;
}

/// A bad email and a blank required answer: each error inline and in the summary, every
/// answer kept as typed, nothing registered.
async fn the_servers_errors_are_inline_and_keep_what_was_typed(app: &TestApp, fixture: &Fixture) {
    let fields = with(
        fixture.fields("not-an-email"),
        &format!("answers.{}", fixture.text_q),
        " ",
    );
    let response = register(app, fixture, fields).await;
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
        "value=\"alumni\" checked",
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
    assert!(registrations(app, &fixture.event_id).await.is_empty());
}

/// The form's own checks (a role not chosen, a year that is no number) come with the rest,
/// and in English on the English form.
async fn the_forms_own_checks_come_with_the_rest_in_english(app: &TestApp, fixture: &Fixture) {
    let form = open_form(app, &fixture.form_path()).await;
    let mut fields = with(fixture.fields(""), "role", "");
    fields = with(fields, "admission_year", "열넷");
    fields.push(("csrf".into(), form.csrf.clone()));
    let response = post_form(
        app,
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
async fn invalid_input_shows_inline_errors_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    the_servers_errors_are_inline_and_keep_what_was_typed(&app, &fixture).await;
    the_forms_own_checks_come_with_the_rest_in_english(&app, &fixture).await;
}

#[tokio::test]
async fn the_form_leads_to_the_manage_page_with_a_one_time_banner() {
    let app = spawn_app().await;
    let fixture = fixture_with(&app, "two-seats", 1, json!({})).await;

    let response = register(&app, &fixture, fixture.fields("one@example.com")).await;
    assert_private(&response);
    let path = redirect_path(&response);
    assert!(path.starts_with("/registrations/"), "{path}");
    let (status, html) = follow(&app, &response).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"registered\""));
    assert!(html.contains("<h2>참가가 확정되었습니다</h2>"));
    assert!(html.contains("id=\"checkin-code\""), "the ticket itself");
    let (_, again) = get_page(&app, &path).await;
    assert!(
        !again.contains("id=\"registered\""),
        "the banner shows once"
    );

    let response = register(&app, &fixture, fixture.fields("two@example.com")).await;
    let (_, html) = follow(&app, &response).await;
    assert!(html.contains("<h2>대기자 명단에 올랐습니다</h2>"));
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
    let (_, html) = follow(&app, &response).await;
    assert!(html.contains("<h2>You are on the waitlist</h2>"));
    assert!(html.contains("You are number 2 on the waitlist."));

    // The same email again: nothing changes, and a page says the link was mailed.
    let fields = fixture.fields(" ONE@example.com ");
    let response = register(&app, &fixture, fields).await;
    assert_eq!(
        redirect_path(&response),
        format!("{}/sent", fixture.form_path())
    );
    let (status, html) = follow(&app, &response).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("이 이메일로 이미 신청되어 있어 아무것도 바꾸지 않았습니다."));
    assert!(html.contains("링크를 그 주소로 보냈습니다"));
    assert!(!html.contains("/registrations/"), "the link is only mailed");
    assert_eq!(registrations(&app, &fixture.event_id).await.len(), 3);

    let approval = fixture_with(&app, "approval", 10, json!({"requires_approval": true})).await;
    let (_, page) = get_page(&app, &approval.event_path()).await;
    assert!(page.contains("운영진이 승인하면"));
    let response = register(&app, &approval, approval.fields("four@example.com")).await;
    let (_, html) = follow(&app, &response).await;
    assert!(html.contains("<h2>승인을 기다리고 있습니다</h2>"));
    assert!(html.contains("운영진이 신청 내용을 확인한 뒤"));
}

#[tokio::test]
async fn a_registration_through_the_form_arrives_as_a_korean_confirmation_by_smtp() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let fixture = fixture(&app).await;
    let response = register(&app, &fixture, fixture.fields("minji@example.com")).await;
    let manage = redirect_path(&response);

    let messages = sink.wait_for(1).await;
    assert_eq!(messages[0].to, ["minji@example.com"]);
    let mail = parse(&messages[0]);
    assert_eq!(subject(&mail), "1&N 홈커밍 2030 참가가 확정되었습니다");
    let text = part(&mail, "text/plain").unwrap().get_body().unwrap();
    assert!(text.contains("이민지님"), "{text}");
    assert!(
        text.contains(&manage),
        "the manage link the form led to: {text}"
    );
    let invite = part(&mail, "text/calendar").expect("an invite");
    assert_eq!(
        ics_start(&invite.get_body().unwrap()),
        "2030-05-18T04:00:00Z"
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
    );
}
