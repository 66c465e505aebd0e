//! The form fixes of issue 11: two-digit 학번 in the form and the API, graduation not before
//! admission, English labels for options and tags, an expired token that keeps what was
//! typed, and the networking consent that can change only until the tables are published.

use reqwest::StatusCode;
use reqwest::header::SET_COOKIE;
use serde_json::{Value, json};

use crate::helpers::forms::{between, header, open_form, post_form};
use crate::helpers::networking::{create_session, publish, session_path};
use crate::helpers::pages::{
    Fixture, fixture, fixture_with, get_page, register, registered, registrations, with,
};
use crate::helpers::{error_fields, expect_problem, expect_status, spawn_app};

/// A registration for the JSON API, with the answer the fixture's required question needs.
fn api_person(fixture: &Fixture, email: &str, extra: Value) -> Value {
    let mut body = json!({"name": "이민지", "email": email, "role": "alumni",
        "answers": {fixture.text_q.clone(): "반갑습니다"}});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body
}

#[tokio::test]
async fn two_digit_years_are_read_as_koreans_write_them_in_the_form_and_the_api() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;

    let fields = with(fixture.fields("form@example.com"), "admission_year", "14");
    let fields = with(fields, "graduation_year", "18");
    register(&app, &fixture, fields).await;
    let response = app
        .register(
            &fixture.event_id,
            &api_person(
                &fixture,
                "api@example.com",
                json!({"admission_year": 99, "graduation_year": 3}),
            ),
        )
        .await;
    expect_status(response, StatusCode::CREATED).await;

    let stored = registrations(&app, &fixture.event_id).await;
    let years = |email: &str| {
        let registration = stored.iter().find(|r| r["email"] == email).unwrap();
        (
            registration["admission_year"].clone(),
            registration["graduation_year"].clone(),
        )
    };
    assert_eq!(years("form@example.com"), (json!(2014), json!(2018)));
    assert_eq!(years("api@example.com"), (json!(1999), json!(2003)));
}

#[tokio::test]
async fn graduation_before_admission_is_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;

    let fields = with(fixture.fields("form@example.com"), "admission_year", "18");
    let fields = with(fields, "graduation_year", "2014");
    let response = register(&app, &fixture, fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    let error = between(&html, "id=\"f-graduation_year-error\">", "</p>").expect("inline error");
    assert!(
        error.contains("졸업 연도는 입학 연도보다 앞설 수 없습니다."),
        "{error}"
    );
    assert!(
        html.contains("href=\"#f-graduation_year\""),
        "in the summary"
    );
    assert!(html.contains("value=\"2014\""), "what was typed is kept");

    let response = app
        .register(
            &fixture.event_id,
            &api_person(
                &fixture,
                "api@example.com",
                json!({"admission_year": 2018, "graduation_year": 14}),
            ),
        )
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["graduation_year"]);
    assert_eq!(
        problem["errors"][0]["message"],
        "must not be before the admission year"
    );

    assert!(registrations(&app, &fixture.event_id).await.is_empty());
}

#[tokio::test]
async fn the_english_form_shows_the_organizers_english_labels() {
    let app = spawn_app().await;
    let fixture = fixture_with(
        &app,
        "homecoming-2030",
        100,
        json!({"tags_en": {"Career": "Careers"}}),
    )
    .await;
    let path = format!(
        "/api/v1/events/{}/questions/{}",
        fixture.event_id, fixture.single_q
    );
    let question = app
        .patch(&path, &json!({"options_en": {"네": "Yes", "아니요": "No"}}))
        .await;
    let question = expect_status(question, StatusCode::OK).await;
    assert_eq!(question["options_en"], json!({"네": "Yes", "아니요": "No"}));
    let event = app
        .get(&format!("/api/v1/events/{}", fixture.event_id))
        .await;
    let event = expect_status(event, StatusCode::OK).await;
    assert_eq!(event["tags_en"], json!({"career": "Careers"}));

    let (_, english) = get_page(&app, &format!("{}?lang=en", fixture.form_path())).await;
    assert!(english.contains(">Careers</label>"), "the tag's label");
    assert!(english.contains(">backend</label>"), "no label: as it is");
    assert!(english.contains("value=\"네\""), "the value stays Korean");
    assert!(english.contains(">Yes</label>") && english.contains(">No</label>"));
    let (_, korean) = get_page(&app, &format!("{}?lang=ko", fixture.form_path())).await;
    assert!(korean.contains(">career</label>") && korean.contains(">네</label>"));
    assert!(!korean.contains("Careers"));

    // Labels only for what is listed.
    let wrong = app
        .patch(&path, &json!({"options_en": {"아마도": "Maybe"}}))
        .await;
    let problem = expect_problem(wrong, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["options_en"]);
    let wrong = app
        .patch(
            &format!("/api/v1/events/{}", fixture.event_id),
            &json!({"tags_en": {"cooking": "Cooking"}}),
        )
        .await;
    let problem = expect_problem(wrong, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["tags_en"]);
}

#[tokio::test]
async fn an_expired_token_shows_the_form_again_as_typed_and_registers_nothing() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let form = open_form(&app, &fixture.form_path()).await;

    // The cookie is gone (a blocked cookie, or a restart made it worthless).
    let mut fields = with(
        fixture.fields("minji@example.com"),
        "affiliation",
        "당근마켓",
    );
    fields.push(("csrf".into(), form.csrf.clone()));
    let response = post_form(&app, &fixture.form_path(), None, &fields).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let cookie = header(&response, SET_COOKIE);
    let cookie = cookie.split(';').next().unwrap().to_string();
    let html = response.text().await.unwrap();
    assert!(html.contains("한 번 더 제출해 주세요."));
    assert!(html.contains("value=\"당근마켓\""));
    assert!(html.contains("value=\"minji@example.com\""));
    assert!(html.contains("value=\"alumni\" checked"));
    assert!(!html.contains("class=\"summary\""), "no errors to fix");
    let fresh = between(&html, "name=\"csrf\" value=\"", "\"").unwrap();
    assert_ne!(fresh, form.csrf);
    assert_eq!(cookie, format!("hc_csrf={fresh}"));
    assert!(registrations(&app, &fixture.event_id).await.is_empty());

    // Sent again as it came back: registered.
    let fields = with(fields, "csrf", fresh);
    post_form(&app, &fixture.form_path(), Some(&cookie), &fields).await;
    let stored = registrations(&app, &fixture.event_id).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["affiliation"], "당근마켓");
}

#[tokio::test]
async fn the_consent_changes_until_the_tables_are_published() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let manage = registered(&app, &fixture, "minji@example.com").await;
    for n in 0..3 {
        let body = api_person(
            &fixture,
            &format!("p{n}@example.com"),
            json!({"consent_share": true}),
        );
        expect_status(
            app.register(&fixture.event_id, &body).await,
            StatusCode::CREATED,
        )
        .await;
    }
    let stored = registrations(&app, &fixture.event_id).await;
    let minji = stored
        .iter()
        .find(|r| r["email"] == "minji@example.com")
        .unwrap();
    let api_path = format!(
        "/api/v1/events/{}/registrations/{}",
        fixture.event_id,
        minji["id"].as_str().unwrap()
    );

    // Before publication the choice is the person's: the manage page shows and changes it.
    let form = open_form(&app, &manage).await;
    assert!(
        form.html
            .contains("id=\"f-consent_share\" name=\"consent_share\" value=\"yes\" checked")
    );
    let mut fields = fixture.fields("minji@example.com");
    fields.retain(|(key, _)| key != "consent_share");
    fields.push(("csrf".into(), form.csrf.clone()));
    let response = post_form(&app, &manage, Some(&form.cookie), &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let changed = expect_status(app.get(&api_path).await, StatusCode::OK).await;
    assert_eq!(changed["consent_share"], false);
    let again = app.patch(&api_path, &json!({"consent_share": true})).await;
    assert_eq!(
        expect_status(again, StatusCode::OK).await["consent_share"],
        true
    );

    let event = json!({"id": fixture.event_id});
    let session = create_session(&app, &event, json!({"rounds": 1, "table_size": 4})).await;
    publish(&app, &session_path(&event, &session)).await;

    // After it: refused with the field, in the API and on the manage page; other changes pass.
    let refused = app.patch(&api_path, &json!({"consent_share": false})).await;
    let problem = expect_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["consent_share"]);
    let form = open_form(&app, &manage).await;
    let mut fields = with(fixture.fields("minji@example.com"), "affiliation", "Kakao");
    fields.retain(|(key, _)| key != "consent_share");
    fields.push(("csrf".into(), form.csrf.clone()));
    let response = post_form(&app, &manage, Some(&form.cookie), &fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    let error = between(&html, "id=\"f-consent_share-error\">", "</p>").expect("inline error");
    assert!(error.contains("이미 발표되어"), "{error}");
    let unchanged = expect_status(app.get(&api_path).await, StatusCode::OK).await;
    assert_eq!(unchanged["consent_share"], true);
    assert_eq!(unchanged["affiliation"], "Toss");
    let other = app.patch(&api_path, &json!({"affiliation": "Kakao"})).await;
    assert_eq!(
        expect_status(other, StatusCode::OK).await["affiliation"],
        "Kakao"
    );

    // The page shows the choice as fixed: the box is disabled and a hidden input carries it,
    // so saving the page as it stands changes the rest and keeps the seat at the tables.
    let form = open_form(&app, &manage).await;
    assert!(
        form.html.contains("value=\"yes\" checked disabled"),
        "the box is shown ticked and disabled"
    );
    assert!(
        form.html
            .contains("<input type=\"hidden\" name=\"consent_share\" value=\"yes\">")
    );
    let hint = between(&form.html, "id=\"f-consent_share-hint\">", "</p>").expect("a hint");
    assert!(hint.contains("이미 발표되어"), "{hint}");
    let mut fields = with(fixture.fields("minji@example.com"), "affiliation", "Naver");
    fields.push(("csrf".into(), form.csrf.clone()));
    let response = post_form(&app, &manage, Some(&form.cookie), &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let saved = expect_status(app.get(&api_path).await, StatusCode::OK).await;
    assert_eq!(saved["affiliation"], "Naver");
    assert_eq!(saved["consent_share"], true);
}

#[tokio::test]
async fn an_expired_token_on_the_manage_page_keeps_the_changes_typed_and_saves_nothing() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let manage = registered(&app, &fixture, "minji@example.com").await;
    let form = open_form(&app, &manage).await;

    // The cookie is gone: the page comes back with the change as typed and a fresh token.
    let mut fields = with(
        fixture.fields("minji@example.com"),
        "affiliation",
        "당근마켓",
    );
    fields.push(("csrf".into(), form.csrf.clone()));
    let response = post_form(&app, &manage, None, &fields).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let cookie = header(&response, SET_COOKIE);
    let cookie = cookie.split(';').next().unwrap().to_string();
    let html = response.text().await.unwrap();
    assert!(html.contains("한 번 더 저장해 주세요."), "{html}");
    assert!(html.contains("value=\"당근마켓\""));
    let fresh = between(&html, "name=\"csrf\" value=\"", "\"").unwrap();
    assert_ne!(fresh, form.csrf);
    assert_eq!(cookie, format!("hc_csrf={fresh}"));
    let stored = registrations(&app, &fixture.event_id).await;
    assert_eq!(stored[0]["affiliation"], "Toss", "nothing saved yet");

    // Saved again as it came back: the change is kept.
    let fields = with(fields, "csrf", fresh);
    let response = post_form(&app, &manage, Some(&cookie), &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let stored = registrations(&app, &fixture.event_id).await;
    assert_eq!(stored[0]["affiliation"], "당근마켓");
}
