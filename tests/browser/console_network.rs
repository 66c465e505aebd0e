//! The console's networking, organizers and token pages in a real browser, on a phone
//! (390 px) and a laptop (1280 px): a session made through the form, published; nothing
//! wider than the screen. Screenshots go to /tmp/network-*.png for a person to look at.

use fantoccini::{Client, Locator};
use serde_json::json;

use crate::harness::{click, click_through, in_browser, text, type_into};
use crate::helpers::networking::register_attendees;
use crate::helpers::{TestApp, id, spawn_app};

/// Signs the test organizer in through a one-time link, as the mailed link would.
async fn sign_in(client: &Client, app: &TestApp) {
    let secret =
        homecoming::organizers::store::new_sign_in_link(&app.db, app.organizer.id, app.clock.now())
            .await
            .unwrap();
    client
        .goto(&app.url(&format!("/admin/sign-in/{secret}")))
        .await
        .unwrap();
    click(client, "main button[type=submit]").await;
    text(client, ".console-nav").await;
}

/// Saves the page at `width` wide to /tmp/network-{name}-{width}.png, after checking that
/// nothing on it is wider than the screen.
async fn look(client: &Client, name: &str, width: u32) {
    client.set_window_size(width, 2400).await.unwrap();
    let sizes = client
        .execute(
            "return [document.documentElement.scrollWidth, innerWidth]",
            vec![],
        )
        .await
        .unwrap();
    let (scroll, inner) = (sizes[0].as_u64().unwrap(), sizes[1].as_u64().unwrap());
    assert!(
        scroll <= inner,
        "{name} at {width}: {scroll} px wide in a {inner} px window"
    );
    let png = client.screenshot().await.unwrap();
    std::fs::write(format!("/tmp/network-{name}-{width}.png"), png).unwrap();
}

async fn look_both(client: &Client, name: &str) {
    for width in [390, 1280] {
        look(client, name, width).await;
    }
}

#[tokio::test]
async fn the_networking_organizer_and_token_pages_fit_a_phone_and_a_laptop() {
    let app = spawn_app().await;
    let event = app.open_event(50, json!({})).await;
    register_attendees(&app, &event, 16, true).await;
    let networking = app.url(&format!("/admin/events/{}/networking", id(&event)));
    in_browser(|client| async move {
        client.set_window_size(390, 2400).await.unwrap();
        sign_in(&client, &app).await;

        client.goto(&networking).await.unwrap();
        type_into(&client, "#title", "1부 네트워킹").await;
        type_into(&client, "#rounds", "3").await;
        type_into(&client, "#table_size", "4").await;
        click_through(&client, "main form button[type=submit]").await;
        assert_eq!(text(&client, "main h1").await, "1부 네트워킹");
        click_through(&client, "form[action$='/publish'] button").await;
        assert_eq!(text(&client, "main p .tag").await, "게시됨");
        assert!(text(&client, ".notice.ok").await.contains("저장했습니다"));
        look_both(&client, "session").await;

        client.goto(&networking).await.unwrap();
        look_both(&client, "list").await;

        client.goto(&app.url("/admin/organizers")).await.unwrap();
        type_into(&client, "#email", "not-an-address").await;
        click_through(&client, "form[action='/admin/organizers'] button").await;
        text(&client, "#email-error").await;
        look_both(&client, "organizers").await;

        client
            .goto(&app.url("/admin/tokens?lang=en"))
            .await
            .unwrap();
        type_into(&client, "#name", "deploy-2030").await;
        click_through(&client, "form[action='/admin/tokens'] button").await;
        let secret = text(&client, "output.secret").await;
        assert!(secret.starts_with("hc_"), "{secret}");
        look_both(&client, "token-created").await;
        client.goto(&app.url("/admin/tokens")).await.unwrap();
        let listed = client
            .find(Locator::Css("table.data"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(listed.contains("deploy-2030"));
        look_both(&client, "tokens").await;
    })
    .await;
}
