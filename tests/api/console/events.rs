//! The console's events, venues, speakers and schedule: what its forms create is what the
//! JSON API reads back, invalid input is shown beside its field with nothing changed, a
//! schedule conflict is shown beside the talk it collides with, and an event is published
//! and cancelled (after a confirmation) through its buttons.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE};
use serde_json::Value;

use crate::helpers::console::{Console, form_body, location};
use crate::helpers::forms::browser;
use crate::helpers::{TestApp, expect_status, spawn_app};

/// Posts a console form that must succeed; where it leads.
async fn submit(console: &Console, path: &str, fields: &[(&str, &str)]) -> String {
    let response = console.post(path, fields).await;
    let status = response.status();
    let target = location(&response);
    let body = response.text().await.unwrap();
    assert_eq!(status, StatusCode::SEE_OTHER, "POST {path}: {body}");
    target
}

/// The id at the end of a console path.
fn last_id(path: &str) -> String {
    path.rsplit('/').next().unwrap().to_string()
}

async fn api(app: &TestApp, path: &str) -> Value {
    expect_status(app.get(path).await, StatusCode::OK).await
}

/// A venue with two rooms, made through the console; its id.
async fn console_venue(console: &Console) -> String {
    let at = submit(
        console,
        "/admin/venues/new",
        &[
            ("name", "302동"),
            ("address", "서울특별시 관악구 관악로 1"),
            ("capacity", "150"),
            ("rooms", "대강당\n세미나실"),
        ],
    )
    .await;
    last_id(&at)
}

fn event_fields(venue_id: &str) -> Vec<(&'static str, String)> {
    vec![
        ("title", "1&N 홈커밍 2026".into()),
        ("starts_at", "2026-05-16T13:00".into()),
        ("ends_at", "2026-05-16T18:00".into()),
        ("time_zone", "Asia/Seoul".into()),
        ("venue_id", venue_id.into()),
        ("capacity", "120".into()),
        ("tags", "진로, AI".into()),
        ("tags_en", "진로 = Careers".into()),
    ]
}

async fn console_event(console: &Console, venue_id: &str) -> String {
    let fields = event_fields(venue_id);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    last_id(&submit(console, "/admin/events/new", &fields).await)
}

#[tokio::test]
async fn a_venue_event_and_talk_made_in_the_console_are_what_the_api_reads() {
    let app = spawn_app().await;
    let console = app.console().await;
    let venue_id = console_venue(&console).await;
    let venue = api(&app, &format!("/api/v1/venues/{venue_id}")).await;
    assert_eq!(venue["name"], "302동");
    assert_eq!(venue["capacity"], 150);
    let rooms: Vec<&str> = venue["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|room| room["name"].as_str().unwrap())
        .collect();
    assert_eq!(rooms, ["대강당", "세미나실"]);
    let room_id = venue["rooms"][0]["id"].as_str().unwrap().to_string();

    let event_id = console_event(&console, &venue_id).await;
    let event = api(&app, &format!("/api/v1/events/{event_id}")).await;
    assert_eq!(event["title"], "1&N 홈커밍 2026");
    assert_eq!(event["starts_at"], "2026-05-16T13:00:00+09:00");
    assert_eq!(event["ends_at"], "2026-05-16T18:00:00+09:00");
    assert_eq!(event["venue_id"], venue_id.as_str());
    assert_eq!(event["capacity"], 120);
    assert_eq!(event["status"], "draft");
    assert_eq!(event["tags"], serde_json::json!(["진로", "ai"]));
    assert_eq!(event["tags_en"]["진로"], "Careers");

    let speaker_at = submit(
        &console,
        "/admin/speakers/new",
        &[
            ("name", "김서연"),
            ("email", "seoyeon@example.com"),
            ("affiliation", "Toss"),
            ("links", "블로그 https://example.com/blog"),
        ],
    )
    .await;
    assert_eq!(speaker_at, "/admin/speakers");
    let speakers = api(&app, "/api/v1/speakers").await;
    let speaker = &speakers["items"][0];
    assert_eq!(speaker["name"], "김서연");
    assert_eq!(speaker["links"][0]["label"], "블로그");
    assert_eq!(speaker["links"][0]["url"], "https://example.com/blog");
    let speaker_id = speaker["id"].as_str().unwrap();

    submit(
        &console,
        &format!("/admin/events/{event_id}/talks"),
        &[
            ("title", "신입 개발자로 살아남기"),
            ("kind", "talk"),
            ("room_id", &room_id),
            ("starts_at", "2026-05-16T14:00"),
            ("ends_at", "2026-05-16T14:30"),
            ("speaker_ids", speaker_id),
        ],
    )
    .await;
    let talks = api(&app, &format!("/api/v1/events/{event_id}/talks")).await;
    let talk = &talks["items"][0];
    assert_eq!(talk["title"], "신입 개발자로 살아남기");
    assert_eq!(talk["room_id"], room_id.as_str());
    assert_eq!(talk["starts_at"], "2026-05-16T14:00:00+09:00");
    assert_eq!(talk["speaker_ids"][0], speaker_id);

    let schedule = console
        .page(&format!("/admin/events/{event_id}/schedule"))
        .await;
    assert!(schedule.contains("신입 개발자로 살아남기"), "{schedule}");
    assert!(schedule.contains("김서연"));
}

#[tokio::test]
async fn invalid_event_input_is_shown_beside_its_field_and_nothing_is_created() {
    let app = spawn_app().await;
    let console = app.console().await;
    let response = console
        .post(
            "/admin/events/new",
            &[
                ("title", "   "),
                ("starts_at", "2026-05-16T18:00"),
                ("ends_at", "2026-05-16T13:00"),
                ("capacity", "many"),
                ("time_zone", "Asia/Seoul"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    // The API's words, beside each field.
    assert!(
        html.contains("id=\"f-title-error\">must not be empty<"),
        "{html}"
    );
    assert!(html.contains("id=\"f-ends_at-error\">must be after starts_at<"));
    assert!(html.contains("id=\"f-capacity-error\">"));
    // What was typed is shown again.
    assert!(html.contains("value=\"2026-05-16T18:00\""));
    let events = api(&app, "/api/v1/events").await;
    assert_eq!(events["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn a_room_conflict_is_shown_beside_the_talk_it_collides_with() {
    let app = spawn_app().await;
    let console = app.console().await;
    let venue_id = console_venue(&console).await;
    let event_id = console_event(&console, &venue_id).await;
    let venue = api(&app, &format!("/api/v1/venues/{venue_id}")).await;
    let room_id = venue["rooms"][0]["id"].as_str().unwrap().to_string();
    let talk = |title: &'static str, from: &'static str, to: &'static str| {
        vec![
            ("title", title.to_string()),
            ("kind", "break".into()),
            ("room_id", room_id.clone()),
            ("starts_at", from.into()),
            ("ends_at", to.into()),
        ]
    };
    let first = talk("환영 인사", "2026-05-16T13:00", "2026-05-16T14:00");
    let added = console
        .post(&format!("/admin/events/{event_id}/talks"), &first)
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let existing = api(&app, &format!("/api/v1/events/{event_id}/talks")).await;
    let existing_id = existing["items"][0]["id"].as_str().unwrap().to_string();

    let clash = talk("겹치는 세션", "2026-05-16T13:30", "2026-05-16T14:30");
    let response = console
        .post(&format!("/admin/events/{event_id}/talks"), &clash)
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await.unwrap();
    // The API's 409 words, inside the block of the talk it collides with.
    let words = "the room is taken at that time by the talk &#34;환영 인사&#34;";
    let block_start = html
        .find(&format!("id=\"talk-{existing_id}\""))
        .expect("the existing talk in the grid");
    let block = &html[block_start..block_start + html[block_start..].find("</div>").unwrap()];
    assert!(block.contains(words), "{block}");
    // The form keeps what was typed; nothing was added.
    assert!(html.contains("value=\"겹치는 세션\""));
    let talks = api(&app, &format!("/api/v1/events/{event_id}/talks")).await;
    assert_eq!(talks["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn publishing_needs_a_venue_and_capacity_and_then_happens() {
    let app = spawn_app().await;
    let console = app.console().await;
    let bare = submit(
        &console,
        "/admin/events/new",
        &[
            ("title", "장소 미정 행사"),
            ("starts_at", "2026-05-16T13:00"),
            ("ends_at", "2026-05-16T18:00"),
        ],
    )
    .await;
    let response = console
        .post(&format!("{bare}/status"), &[("status", "published")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("an event needs a venue before it is published"),
        "{html}"
    );
    let event = api(&app, &format!("/api/v1/events/{}", last_id(&bare))).await;
    assert_eq!(event["status"], "draft");

    let venue_id = console_venue(&console).await;
    let event_id = console_event(&console, &venue_id).await;
    let at = submit(
        &console,
        &format!("/admin/events/{event_id}/status"),
        &[("status", "published")],
    )
    .await;
    assert_eq!(at, format!("/admin/events/{event_id}"));
    let event = api(&app, &format!("/api/v1/events/{event_id}")).await;
    assert_eq!(event["status"], "published");
    let page = console.page(&at).await;
    assert!(page.contains(&format!("/admin/events/{event_id}/registrations")));
    assert!(page.contains(&format!("/admin/events/{event_id}/check-in")));
}

#[tokio::test]
async fn cancelling_needs_the_confirmation() {
    let app = spawn_app().await;
    let console = app.console().await;
    let venue_id = console_venue(&console).await;
    let event_id = console_event(&console, &venue_id).await;
    let status = format!("/admin/events/{event_id}/status");
    submit(&console, &status, &[("status", "published")]).await;

    let response = console.post(&status, &[("status", "cancelled")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("name=\"confirm\" value=\"yes\""), "{html}");
    let event = api(&app, &format!("/api/v1/events/{event_id}")).await;
    assert_eq!(event["status"], "published");

    submit(
        &console,
        &status,
        &[("status", "cancelled"), ("confirm", "yes")],
    )
    .await;
    let event = api(&app, &format!("/api/v1/events/{event_id}")).await;
    assert_eq!(event["status"], "cancelled");
}

#[tokio::test]
async fn a_form_without_the_token_or_from_another_site_changes_nothing() {
    let app = spawn_app().await;
    let console = app.console().await;
    let fields = [("name", "302동"), ("address", "관악로 1")];
    let without_token = browser()
        .post(console.url("/admin/venues/new"))
        .header(COOKIE, &console.cookie)
        .header("Origin", &console.address)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form_body(&fields))
        .send()
        .await
        .unwrap();
    assert_eq!(without_token.status(), StatusCode::FORBIDDEN);
    let mut with_token = vec![("csrf", console.csrf.as_str())];
    with_token.extend(fields);
    let other_site = browser()
        .post(console.url("/admin/venues/new"))
        .header(COOKIE, &console.cookie)
        .header("Origin", "https://evil.example")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form_body(&with_token))
        .send()
        .await
        .unwrap();
    assert_eq!(other_site.status(), StatusCode::FORBIDDEN);
    let venues = api(&app, "/api/v1/venues").await;
    assert_eq!(venues["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn rooms_are_added_renamed_and_removed_on_the_venue_page() {
    let app = spawn_app().await;
    let console = app.console().await;
    let venue_id = console_venue(&console).await;
    let rooms = format!("/admin/venues/{venue_id}/rooms");
    submit(
        &console,
        &rooms,
        &[("room_name", "소강당"), ("room_capacity", "40")],
    )
    .await;
    let venue = api(&app, &format!("/api/v1/venues/{venue_id}")).await;
    let first = venue["rooms"][0]["id"].as_str().unwrap().to_string();
    let second = venue["rooms"][1]["id"].as_str().unwrap().to_string();
    assert_eq!(venue["rooms"][2]["name"], "소강당");
    assert_eq!(venue["rooms"][2]["capacity"], 40);

    // A name another room has is refused beside that room's field.
    let response = console
        .post(&format!("{rooms}/{first}"), &[("room_name", "세미나실")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("two rooms of a venue cannot share a name"),
        "{html}"
    );

    submit(
        &console,
        &format!("{rooms}/{first}"),
        &[("room_name", "대강당 A")],
    )
    .await;
    submit(
        &console,
        &format!("{rooms}/{second}/remove"),
        &[] as &[(&str, &str)],
    )
    .await;
    let venue = api(&app, &format!("/api/v1/venues/{venue_id}")).await;
    let names: Vec<&str> = venue["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|room| room["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["대강당 A", "소강당"]);
}

#[tokio::test]
async fn a_custom_question_with_english_labels_is_added_from_the_event_page() {
    let app = spawn_app().await;
    let console = app.console().await;
    let venue_id = console_venue(&console).await;
    let event_id = console_event(&console, &venue_id).await;
    submit(
        &console,
        &format!("/admin/events/{event_id}/questions/new"),
        &[
            ("label", "뒤풀이에 참석하시나요?"),
            ("label_en", "Will you join the after-party?"),
            ("kind", "single_choice"),
            ("options", "네\n아니요"),
            ("options_en", "네 = Yes\n아니요 = No"),
            ("required", "yes"),
        ],
    )
    .await;
    let questions = api(&app, &format!("/api/v1/events/{event_id}/questions")).await;
    assert_eq!(questions[0]["label_en"], "Will you join the after-party?");
    assert_eq!(questions[0]["options"], serde_json::json!(["네", "아니요"]));
    assert_eq!(questions[0]["options_en"]["아니요"], "No");
    assert_eq!(questions[0]["required"], true);

    let response = console
        .post(
            &format!("/admin/events/{event_id}/questions/new"),
            &[
                ("label", "하나뿐"),
                ("kind", "single_choice"),
                ("options", "네"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("a choice question needs at least two options"));
}

#[tokio::test]
async fn reminder_offsets_are_set_on_the_event_page_as_the_api_parses_them() {
    let app = spawn_app().await;
    let console = app.console().await;
    let venue_id = console_venue(&console).await;
    let event_id = console_event(&console, &venue_id).await;
    let reminders = format!("/admin/events/{event_id}/reminders");

    let response = console.post(&reminders, &[("offsets", "3d, soon")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("id=\"f-offsets-error\""), "{html}");
    assert!(html.contains("value=\"3d, soon\""));
    let api_view = api(&app, &format!("/api/v1/events/{event_id}/reminders")).await;
    assert_eq!(api_view["offsets"], serde_json::json!(["7d", "1d"]));

    submit(&console, &reminders, &[("offsets", "2h, 3d")]).await;
    let api_view = api(&app, &format!("/api/v1/events/{event_id}/reminders")).await;
    assert_eq!(api_view["offsets"], serde_json::json!(["3d", "2h"]));
    let page = console.page(&format!("/admin/events/{event_id}")).await;
    assert!(page.contains("value=\"3d, 2h\""), "{page}");
}
