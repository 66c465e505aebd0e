//! The audit log in a real browser: an organizer signs in through a one-time link, opens
//! `/admin/audit` from the menu, narrows it to one event, and the page fits a phone and a
//! laptop (the screenshots are saved to the temporary folder to be looked at).

use fantoccini::{Client, Locator};
use serde_json::json;

use crate::harness::{click_through, in_browser, text};
use crate::helpers::{TestApp, id, spawn_app};

#[tokio::test]
async fn the_audit_page_shows_changes_and_filters_by_event() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let event = app.create_event(Some(&id(&venue))).await;
    let speaker = app.create_speaker("김서연").await;
    app.patch(
        &format!("/api/v1/speakers/{}", id(&speaker)),
        &json!({"affiliation": "Kakao", "job_title": "Engineering Manager"}),
    )
    .await;
    app.patch(
        &format!("/api/v1/events/{}", id(&event)),
        &json!({"capacity": 150, "status": "published"}),
    )
    .await;
    in_browser(|client| async move { run(&client, &app, &id(&event)).await }).await;
}

async fn run(client: &Client, app: &TestApp, event_id: &str) {
    // The session a mailed link starts (signing in through the browser is the sign-in
    // tests' business), handed to the browser as its cookie.
    let console = app.console().await;
    client.goto(&app.url("/admin/sign-in")).await.unwrap();
    let cookie = fantoccini::cookies::Cookie::parse(format!(
        "{}; Domain=127.0.0.1; Path=/admin; HttpOnly; SameSite=Strict",
        console.cookie
    ))
    .unwrap();
    client.add_cookie(cookie).await.unwrap();
    client.goto(&app.url("/admin")).await.unwrap();
    click_through(client, ".console-nav a[href='/admin/audit']").await;
    assert_eq!(text(client, "main h1").await, "변경 기록");
    let table = text(client, "table.audit").await;
    assert!(table.contains("행사 · 공개"), "{table}");
    assert!(
        table.contains("연사 · 바꿈") && table.contains("Kakao"),
        "{table}"
    );
    assert!(table.contains("API 토큰"), "{table}");
    shoot(client, 390, "phone").await;
    client
        .execute(
            "document.querySelector('table.diff').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    shoot(client, 390, "phone-changes").await;
    client.set_window_size(1280, 900).await.unwrap();
    client
        .execute("window.scrollTo(0, 0)", vec![])
        .await
        .unwrap();
    shoot(client, 1280, "laptop").await;

    client
        .find(Locator::Css(&format!(
            "#event_id option[value='{event_id}']"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click_through(client, ".audit-filter button").await;
    let url = client.current_url().await.unwrap();
    assert!(
        url.query().is_some_and(|query| query.contains(event_id)),
        "{url}"
    );
    let table = text(client, "table.audit").await;
    assert!(!table.contains("연사"), "only the event's entries: {table}");
    assert!(table.contains("행사 · 공개"), "{table}");
}

async fn shoot(client: &Client, width: u32, name: &str) {
    if width == 390 {
        client.set_window_size(390, 900).await.unwrap();
    }
    let png = client.screenshot().await.unwrap();
    let path = std::env::temp_dir().join(format!("audit-{name}.png"));
    std::fs::write(&path, png).unwrap();
    eprintln!("screenshot: {}", path.display());
}
