//! What organizers do with registrations: check people in at the door, read the figures, and
//! list, search and update registrations.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::registration::{person, register_ok, registrations, stats};
use crate::helpers::{TestApp, error_fields, expect_problem, expect_status, id, spawn_app};

/// The door code, typed loosely (lower case, a space for the dash), checks the person in;
/// the same code again says they are already in, at the first time.
async fn a_code_checks_in_once(app: &TestApp, path: &str, seated: &Value) {
    let code = seated["checkin_code"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .replace('-', " ");
    let first = expect_status(app.post(path, &json!({"code": code})).await, StatusCode::OK).await;
    assert_eq!(first["result"], "checked_in");
    assert_eq!(first["name"], "참가자 1");
    let second = expect_status(
        app.post(path, &json!({"code": seated["checkin_code"]}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(second["result"], "already_checked_in");
    assert_eq!(second["checked_in_at"], first["checked_in_at"]);
}

/// A cancelled registration's code no longer lets anyone in.
async fn a_cancelled_code_lets_nobody_in(
    app: &TestApp,
    path: &str,
    event: &Value,
    leaving: &Value,
) {
    let cancel = format!(
        "/api/v1/events/{}/registrations/{}/cancel",
        id(event),
        id(leaving)
    );
    expect_status(app.post(&cancel, &json!({})).await, StatusCode::OK).await;
    let problem = expect_problem(
        app.post(path, &json!({"code": leaving["checkin_code"]}))
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["conflict"]["kind"], "not_confirmed");
    assert!(
        problem["detail"].as_str().unwrap().contains("cancelled"),
        "{problem}"
    );
}

/// The person promoted to the freed seat gets their own door code.
async fn the_promoted_get_a_door_code(app: &TestApp, event: &Value, waiting: &Value) {
    let promoted = expect_status(
        app.get(&format!(
            "/api/v1/events/{}/registrations/{}",
            id(event),
            id(waiting)
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(promoted["status"], "confirmed");
    assert!(
        promoted["checkin_code"].is_string(),
        "a promoted person gets their door code"
    );
}

#[tokio::test]
async fn check_in_marks_arrival_once() {
    let app = spawn_app().await;
    let event = app.open_event(2, json!({})).await;
    let seated = register_ok(&app, &id(&event), &person(1)).await;
    let leaving = register_ok(&app, &id(&event), &person(3)).await;
    let waiting = register_ok(&app, &id(&event), &person(2)).await;
    assert_eq!(waiting["status"], "waitlisted");
    let path = format!("/api/v1/events/{}/check-ins", id(&event));

    a_code_checks_in_once(&app, &path, &seated).await;
    let problem = expect_problem(
        app.post(&path, &json!({"code": "ZZZ-ZZZ"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["code"]);
    a_cancelled_code_lets_nobody_in(&app, &path, &event, &leaving).await;
    the_promoted_get_a_door_code(&app, &event, &waiting).await;
    let figures = stats(&app, &id(&event)).await;
    assert_eq!(figures["checked_in"], 1);
}

#[tokio::test]
async fn stats_count_statuses_and_returning_attendees() {
    let app = spawn_app().await;
    let earlier = app
        .open_event(5, json!({"starts_at": "2029-05-18T13:00:00+09:00", "ends_at": "2029-05-18T19:00:00+09:00"}))
        .await;
    register_ok(&app, &id(&earlier), &person(1)).await;
    register_ok(&app, &id(&earlier), &person(2)).await;
    let event = app.open_event(2, json!({})).await;
    register_ok(
        &app,
        &id(&event),
        &json!({"name": "다시 온 사람", "email": "PERSON1@example.com", "role": "alumni"}),
    )
    .await;
    register_ok(&app, &id(&event), &person(3)).await;
    let waiting = register_ok(&app, &id(&event), &person(4)).await;
    let leaving = register_ok(&app, &id(&event), &person(5)).await;
    app.post(
        &format!(
            "/api/v1/events/{}/registrations/{}/cancel",
            id(&event),
            id(&leaving)
        ),
        &json!({}),
    )
    .await;
    assert_eq!(waiting["status"], "waitlisted");
    let figures = stats(&app, &id(&event)).await;
    assert_eq!(figures["registered"], 3);
    assert_eq!(figures["confirmed"], 2);
    assert_eq!(figures["waitlisted"], 1);
    assert_eq!(figures["cancelled"], 1);
    assert_eq!(figures["seats_left"], 0);
    assert_eq!(
        figures["returning_attendees"], 1,
        "person1 came to the earlier event"
    );
}

/// Filtered by status, searched by name or email (case aside, wildcards literal).
async fn the_list_filters_and_searches(app: &TestApp, event: &Value) -> Value {
    assert_eq!(
        registrations(app, &id(event), "&status=confirmed")
            .await
            .len(),
        2
    );
    let found = registrations(app, &id(event), "&q=ALICE").await;
    assert_eq!(found.len(), 1);
    assert_eq!(
        registrations(app, &id(event), "&q=corp.example")
            .await
            .len(),
        1,
        "by email too"
    );
    assert_eq!(
        registrations(app, &id(event), "&q=%25").await.len(),
        0,
        "wildcards are literal"
    );
    found[0].clone()
}

/// Three a page, and the next page holds the rest.
async fn the_list_comes_in_pages(app: &TestApp, event: &Value) {
    let page = expect_status(
        app.get(&format!(
            "/api/v1/events/{}/registrations?limit=3",
            id(event)
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    let rest = expect_status(
        app.get(page["next"].as_str().unwrap()).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
}

/// A patch changes the fields it names, keeps the rest, and is checked: no new email, only
/// known interests.
async fn a_registration_is_updated_and_checked(app: &TestApp, event: &Value, alice: &Value) {
    let path = format!("/api/v1/events/{}/registrations/{}", id(event), id(alice));
    let updated = expect_status(
        app.patch(&path, &json!({"affiliation": "Kakao", "goals": ["hiring"]}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(updated["affiliation"], "Kakao");
    assert_eq!(updated["goals"], json!(["hiring"]));
    assert_eq!(updated["name"], "Alice Kim", "other fields are kept");
    let problem = expect_problem(
        app.patch(&path, &json!({"email": "other@example.com"}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["email"]);
    let problem = expect_problem(
        app.patch(&path, &json!({"interests": ["cooking"]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["interests[0]"]);
}

#[tokio::test]
async fn organizers_list_search_and_update_registrations() {
    let app = spawn_app().await;
    let event = app.open_event(2, json!({})).await;
    for n in 0..3 {
        register_ok(&app, &id(&event), &person(n)).await;
    }
    register_ok(
        &app,
        &id(&event),
        &json!({"name": "Alice Kim", "email": "alice@corp.example", "role": "alumni"}),
    )
    .await;
    let alice = the_list_filters_and_searches(&app, &event).await;
    the_list_comes_in_pages(&app, &event).await;
    a_registration_is_updated_and_checked(&app, &event, &alice).await;
}

/// What a spreadsheet would run as a formula is exported as text (OWASP "CSV Injection").
#[tokio::test]
async fn the_export_never_hands_a_spreadsheet_a_formula() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    register_ok(
        &app,
        &id(&event),
        &json!({
            "name": "=cmd|\"/c calc\"!A1", "email": "formula@example.com", "role": "alumni",
            "affiliation": "@SUM(1+1)", "job_title": "+1-2", "interests_other": "-3+4"
        }),
    )
    .await;
    let path = format!("/api/v1/events/{}/exports/registrations.csv", id(&event));
    let response = app.get(&path).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let record = reader.records().next().unwrap().unwrap();
    for cell in ["'=cmd|\"/c calc\"!A1", "'@SUM(1+1)", "'+1-2", "'-3+4"] {
        assert!(
            record.iter().any(|field| field == cell),
            "{cell} in {record:?}"
        );
    }
    for field in &record {
        assert!(
            !field.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{field} would run as a formula"
        );
    }
}
