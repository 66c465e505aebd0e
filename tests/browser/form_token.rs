//! A form whose token expired while the person typed (here: the cookie is deleted, as a
//! blocked cookie or a restart would leave it) comes back with everything typed and a fresh
//! token, asking only to send it again; sent again, it registers. On the way, every radio
//! and checkbox is a target of at least 44 px with its label, at phone width.

use std::time::Duration;

use fantoccini::{Client, Locator};
use reqwest::StatusCode;

use crate::harness::{click, in_browser, published_event, text, type_into, value};
use crate::helpers::{TestApp, expect_status, spawn_app};

#[tokio::test]
async fn an_expired_token_keeps_everything_typed() {
    let app = spawn_app().await;
    let slug = published_event(&app).await;
    in_browser(|client| async move { run(&client, &app, &slug).await }).await;
}

/// The event's registrations as the organizers' API lists them.
async fn registrations(app: &TestApp) -> Vec<serde_json::Value> {
    let events = expect_status(app.get("/api/v1/events").await, StatusCode::OK).await;
    let event_id = events["items"][0]["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/events/{event_id}/registrations");
    let listed = expect_status(app.get(&path).await, StatusCode::OK).await;
    listed["items"].as_array().unwrap().clone()
}

async fn is_checked(client: &Client, css: &str) -> bool {
    let element = client.find(Locator::Css(css)).await.unwrap();
    element.is_selected().await.unwrap()
}

/// The smallest height and width of the choices' labels (each the tap target of its box).
async fn smallest_choice(client: &Client) -> (f64, f64) {
    let sizes = client
        .execute(
            "const rects = [...document.querySelectorAll('.choice label')]
                .map(label => label.getBoundingClientRect());
             return [rects.length, Math.min(...rects.map(r => r.height)),
                     Math.min(...rects.map(r => r.width))];",
            vec![],
        )
        .await
        .unwrap();
    let sizes: Vec<f64> = serde_json::from_value(sizes).unwrap();
    assert!(sizes[0] >= 10.0, "the form's choices: {sizes:?}");
    (sizes[1], sizes[2])
}

async fn run(client: &Client, app: &TestApp, slug: &str) {
    client.set_window_size(390, 900).await.unwrap();
    client
        .goto(&app.url(&format!("/events/{slug}/register")))
        .await
        .unwrap();
    let (height, width) = smallest_choice(client).await;
    assert!(height >= 44.0 && width >= 44.0, "{height} × {width}");
    type_into(client, "#f-name", "이민지").await;
    type_into(client, "#f-email", "minji@example.com").await;
    click(client, "#f-role-1").await;
    type_into(client, "#f-admission_year", "14").await;
    type_into(client, "#f-affiliation", "Toss").await;
    click(client, "#f-interests-1").await;
    click(client, "#f-goals-2").await;
    click(client, "#f-consent_share").await;
    type_into(client, "#f-q0", "커리어 이야기").await;
    let first_token = value(client, "input[name=csrf]").await;

    client.delete_cookie("hc_csrf").await.unwrap();
    click(client, "#submit").await;

    // Back with a notice, everything as typed, a fresh token, nothing registered.
    let notice = text(client, ".notice").await;
    assert!(notice.contains("한 번 더 제출해 주세요"), "{notice}");
    assert_eq!(value(client, "#f-name").await, "이민지");
    assert_eq!(value(client, "#f-email").await, "minji@example.com");
    assert_eq!(value(client, "#f-admission_year").await, "14");
    assert_eq!(value(client, "#f-affiliation").await, "Toss");
    assert_eq!(value(client, "#f-q0").await, "커리어 이야기");
    for checked in [
        "#f-role-1",
        "#f-interests-1",
        "#f-goals-2",
        "#f-consent_share",
    ] {
        assert!(is_checked(client, checked).await, "{checked} stays checked");
    }
    assert!(!is_checked(client, "#f-interests-0").await);
    assert!(
        client.find(Locator::Css(".summary")).await.is_err(),
        "nothing to correct"
    );
    let fresh_token = value(client, "input[name=csrf]").await;
    assert_ne!(fresh_token, first_token);
    let cookie = client.get_named_cookie("hc_csrf").await.unwrap();
    assert_eq!(cookie.value(), fresh_token);
    assert!(registrations(app).await.is_empty());

    // Sent again as it is: registered, with the year in four digits.
    click(client, "#submit").await;
    let mut stored = Vec::new();
    for _ in 0..100 {
        stored = registrations(app).await;
        if !stored.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(stored.len(), 1, "registered by the second submit");
    assert_eq!(stored[0]["admission_year"], 2014);
    assert_eq!(stored[0]["interests"], serde_json::json!(["backend"]));
    assert_eq!(stored[0]["consent_share"], true);
}
