//! The manage page as the ticket: actions that fit the status, "sign out other links", links
//! from before signed links, and unsubscribing with an undo.

use reqwest::StatusCode;
use reqwest::header::LOCATION;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::json;

use crate::helpers::forms::{browser, header, open_form, post_form};
use crate::helpers::mail::{app_with_sink, parse, part, subject};
use crate::helpers::pages::{
    fixture, fixture_with, follow, get_page, redirect_path, registered, registrations,
};
use crate::helpers::smtp_sink::SmtpSink;
use crate::helpers::{TestApp, expect_problem, expect_status, spawn_app};

/// Presses a button of the page at `page` that posts to `action`.
async fn press(app: &TestApp, page: &str, action: &str) -> reqwest::Response {
    let form = open_form(app, page).await;
    let fields = [("csrf".to_string(), form.csrf.clone())];
    post_form(app, action, Some(&form.cookie), &fields).await
}

#[tokio::test]
async fn the_ticket_shows_what_the_door_and_the_calendar_need() {
    let app = spawn_app().await;
    let fixture = fixture_with(&app, "one-seat", 1, json!({})).await;
    let seated = registered(&app, &fixture, "minji@example.com").await;
    let waiting = registered(&app, &fixture, "second@example.com").await;

    let (_, html) = get_page(&app, &seated).await;
    for expected in [
        "id=\"checkin-code\"",
        "<svg role=\"img\"",
        "id=\"ics\"",
        "https://calendar.google.com/calendar/render?action=TEMPLATE",
        "text=1%26N+",
        "dates=20300518T040000Z%2F20300518T090000Z",
        "<dd id=\"sent-to\">m***@example.com</dd>",
        "id=\"sign-out\"",
    ] {
        assert!(html.contains(expected), "missing {expected:?}");
    }
    let ics = browser()
        .get(app.url(&format!("{seated}/event.ics")))
        .send()
        .await
        .unwrap();
    assert_eq!(ics.status(), StatusCode::OK);

    // Waiting: no code, no calendar, and the file is not there either.
    let (_, html) = get_page(&app, &waiting).await;
    assert!(!html.contains("id=\"ics\""));
    assert!(!html.contains("calendar.google.com"));
    assert!(!html.contains("id=\"checkin-code\""));
    let (status, _) = get_page(&app, &format!("{waiting}/event.ics")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no .ics unless confirmed");
}

#[tokio::test]
async fn a_failed_save_opens_at_the_form() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let path = registered(&app, &fixture, "minji@example.com").await;
    let (_, html) = get_page(&app, &path).await;
    assert!(
        html.contains(&format!("action=\"{path}?lang=ko#edit\"")),
        "the fragment survives the POST"
    );
    assert!(html.contains("<h2 id=\"edit\">"));
}

#[tokio::test]
async fn after_check_in_the_registration_cannot_be_cancelled() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let path = registered(&app, &fixture, "minji@example.com").await;
    let registration = registrations(&app, &fixture.event_id).await.remove(0);
    let check_in = format!("/api/v1/events/{}/check-ins", fixture.event_id);
    let code = json!({"code": registration["checkin_code"]});
    expect_status(app.post(&check_in, &code).await, StatusCode::OK).await;

    let (_, html) = get_page(&app, &path).await;
    assert!(!html.contains("id=\"cancel\""), "no cancel after check-in");
    assert!(html.contains("id=\"checked-in\""));
    let response = browser()
        .get(app.url(&format!("{path}/cancel")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "the question is not asked"
    );
    // Posting anyway changes nothing; the API refuses too.
    let response = press(&app, &path, &format!("{path}/cancel")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cancel = format!(
        "/api/v1/events/{}/registrations/{}/cancel",
        fixture.event_id,
        registration["id"].as_str().unwrap()
    );
    let problem = expect_problem(app.post(&cancel, &json!({})).await, StatusCode::CONFLICT).await;
    assert!(problem["detail"].as_str().unwrap().contains("checked in"));
    assert_eq!(
        registrations(&app, &fixture.event_id).await[0]["status"],
        "confirmed"
    );
}

#[tokio::test]
async fn signing_out_other_links_retires_them_and_mails_the_new_one() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let fixture = fixture(&app).await;
    let old = registered(&app, &fixture, "minji@example.com").await;
    sink.wait_for(1).await;

    let response = press(&app, &old, &format!("{old}/sign-out")).await;
    let new = redirect_path(&response);
    assert_ne!(new, old);
    let (status, html) = follow(&app, &response).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("이전 링크를 모두 막았습니다."));
    let (status, _) = get_page(&app, &old).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the old link is retired");

    let messages = sink.wait_for(2).await;
    let mail = parse(&messages[1]);
    assert!(subject(&mail).contains("신청 관리 링크"));
    let text = part(&mail, "text/plain").unwrap().get_body().unwrap();
    assert!(text.contains(&new), "the new link is mailed: {text}");
}

#[tokio::test]
async fn links_from_before_signed_links_work_until_signed_out_or_erased() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    registered(&app, &fixture, "minji@example.com").await;
    let id: uuid::Uuid = registrations(&app, &fixture.event_id).await[0]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    // A random token stored as its hash, as links were made before.
    let legacy = "l3gacyRandomTokenOf43CharactersXXXXXXXXXXXX";
    let row = entity::registration::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut active: entity::registration::ActiveModel = row.into();
    active.manage_token_hash = Set(homecoming::secrets::hash(legacy));
    active.update(&app.db).await.unwrap();
    let old = format!("/registrations/{legacy}");
    let (status, _) = get_page(&app, &old).await;
    assert_eq!(status, StatusCode::OK, "an old link keeps working");

    let response = press(&app, &old, &format!("{old}/sign-out")).await;
    let new = redirect_path(&response);
    let (status, _) = get_page(&app, &old).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "signing out retires it");

    let person = registrations(&app, &fixture.event_id).await[0]["person_id"]
        .as_str()
        .unwrap()
        .to_string();
    let erase = app.delete(&format!("/api/v1/people/{person}")).await;
    assert_eq!(erase.status(), StatusCode::NO_CONTENT);
    let (status, _) = get_page(&app, &new).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "erasing retires every link");
}

#[tokio::test]
async fn unsubscribing_shows_the_state_and_can_be_undone() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    registered(&app, &fixture, "minji@example.com").await;
    let person: uuid::Uuid = registrations(&app, &fixture.event_id).await[0]["person_id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let key = homecoming::secrets::shared_secret(&app.db, homecoming::email::unsubscribe::KEY_NAME)
        .await
        .unwrap();
    let token = homecoming::email::unsubscribe::token(&key, person);
    let page = format!("/unsubscribe/{token}");

    let (_, html) = get_page(&app, &page).await;
    assert!(html.contains("id=\"unsubscribe\""));
    let response = post_form::<&str, &str>(&app, &page, None, &[]).await;
    assert_eq!(header(&response, LOCATION), page);
    let (_, html) = follow(&app, &response).await;
    assert!(html.contains("id=\"done\""), "the state: unsubscribed");
    assert!(html.contains("id=\"undo\""));
    let (_, again) = get_page(&app, &page).await;
    assert!(again.contains("id=\"done\""), "the state stays on reload");
    assert!(opted_out(&app, person).await);

    let response = post_form::<&str, &str>(&app, &format!("{page}/undo"), None, &[]).await;
    let (_, html) = follow(&app, &response).await;
    assert!(html.contains("id=\"resubscribed\""));
    assert!(html.contains("id=\"unsubscribe\""));
    assert!(!opted_out(&app, person).await);
}

async fn opted_out(app: &TestApp, person: uuid::Uuid) -> bool {
    entity::person::Entity::find_by_id(person)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .email_opt_out_at
        .is_some()
}
