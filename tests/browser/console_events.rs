//! An organizer prepares a homecoming in the console through a real browser: signs in
//! through the mailed link, creates a venue with rooms and an event, adds a session to the
//! schedule, sees a room conflict beside the session it collides with, and publishes.
//! Screenshots at phone and laptop widths go to /tmp/events-*.png.

use entity::outbox_message;
use fantoccini::{Client, Locator};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::harness::{click, in_browser, text, type_into};
use crate::helpers::{TestApp, spawn_app};

#[tokio::test]
async fn an_organizer_prepares_an_event_in_the_console() {
    let app = spawn_app().await;
    in_browser(|client| async move { run(&client, &app).await }).await;
}

/// The path of the sign-in link mailed to `email` (through the outbox).
async fn mailed_link(app: &TestApp, email: &str) -> String {
    let mail = outbox_message::Entity::find()
        .filter(outbox_message::Column::ToAddress.eq(email))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a sign-in mail in the outbox");
    let start = mail
        .text_body
        .find("/admin/sign-in/")
        .expect("a sign-in link in the mail");
    mail.text_body[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

/// Sets a field a person would pick with the browser's own picker (a date and time).
async fn set_value(client: &Client, css: &str, value: &str) {
    client
        .execute(
            "document.querySelector(arguments[0]).value = arguments[1];",
            vec![json!(css), json!(value)],
        )
        .await
        .unwrap();
}

async fn choose(client: &Client, css: &str, label: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .select_by_label(label)
        .await
        .unwrap();
}

async fn screenshots(client: &Client, name: &str) {
    for (width, height) in [(390, 900), (1280, 900)] {
        client.set_window_size(width, height).await.unwrap();
        let png = client.screenshot().await.unwrap();
        std::fs::write(format!("/tmp/events-{name}-{width}.png"), png).unwrap();
    }
    client.set_window_size(412, 915).await.unwrap();
}

async fn submit(client: &Client) {
    click(client, "main form button[type=submit]").await;
}

async fn run(client: &Client, app: &TestApp) {
    // Sign in through the mailed link.
    client.goto(&app.url("/admin/events")).await.unwrap();
    type_into(client, "#email", &app.organizer.email).await;
    submit(client).await;
    assert_eq!(text(client, "h1").await, "메일을 확인하세요");
    let link = mailed_link(app, &app.organizer.email).await;
    client.goto(&app.url(&link)).await.unwrap();
    submit(client).await;
    assert_eq!(text(client, "h1").await, "행사");

    // A venue with two rooms.
    client.goto(&app.url("/admin/venues/new")).await.unwrap();
    type_into(client, "#f-name", "302동").await;
    type_into(client, "#f-address", "서울특별시 관악구 관악로 1").await;
    type_into(client, "#f-rooms", "대강당\n세미나실").await;
    submit(client).await;
    assert_eq!(text(client, "h1").await, "302동");
    let rooms = client.find_all(Locator::Css("ul.rooms li")).await.unwrap();
    assert_eq!(rooms.len(), 2);

    // An event there: first without a title, which is refused beside the field.
    client.goto(&app.url("/admin/events/new")).await.unwrap();
    set_value(client, "#f-starts_at", "2030-05-18T13:00").await;
    set_value(client, "#f-ends_at", "2030-05-18T18:00").await;
    choose(client, "#f-venue_id", "302동").await;
    type_into(client, "#f-capacity", "80").await;
    submit(client).await;
    assert_eq!(text(client, "#f-title-error").await, "must not be empty");
    screenshots(client, "form-error").await;
    type_into(client, "#f-title", "1&N 홈커밍 2030").await;
    submit(client).await;
    assert!(text(client, "h1").await.starts_with("1&N 홈커밍 2030"));
    let event_path = client.current_url().await.unwrap().path().to_string();

    // A session in the big hall, then one that collides with it.
    client
        .goto(&app.url(&format!("{event_path}/schedule")))
        .await
        .unwrap();
    let add_session = |title: &'static str, from: &'static str, to: &'static str| async move {
        type_into(client, "#f-title", title).await;
        choose(client, "#f-kind", "네트워킹").await;
        choose(client, "#f-room_id", "대강당").await;
        set_value(client, "#f-starts_at", from).await;
        set_value(client, "#f-ends_at", to).await;
        submit(client).await;
    };
    add_session(
        "환영 인사와 네트워킹",
        "2030-05-18T13:00",
        "2030-05-18T14:00",
    )
    .await;
    assert!(
        text(client, "table.schedule-grid")
            .await
            .contains("환영 인사와 네트워킹")
    );
    add_session("겹치는 세션", "2030-05-18T13:30", "2030-05-18T14:30").await;
    let conflict = text(client, ".talk.collides .error").await;
    assert!(
        conflict.contains("the room is taken at that time by the talk \"환영 인사와 네트워킹\""),
        "{conflict}"
    );
    assert_eq!(
        client
            .find(Locator::Css("#f-title"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("겹치는 세션")
    );
    screenshots(client, "schedule-conflict").await;

    // Publish.
    client.goto(&app.url(&event_path)).await.unwrap();
    click(client, "form[action$='/status'] button").await;
    text(client, "h1 .status-published").await;
    screenshots(client, "event").await;
    client
        .goto(&app.url(&format!("{event_path}/schedule?lang=en")))
        .await
        .unwrap();
    assert_eq!(text(client, "#talk-form").await, "Add a session");
    screenshots(client, "schedule-en").await;
    client.goto(&app.url("/admin/events")).await.unwrap();
    screenshots(client, "list").await;
    client
        .goto(&app.url(&format!("{event_path}/edit")))
        .await
        .unwrap();
    screenshots(client, "edit").await;
}
