//! The event page on a phone: the register button stays at the bottom of the screen however
//! far the page is scrolled; on a desktop it is not repeated (the one in the page is near).

use serde_json::{Value, json};

use crate::harness::{in_browser, published_event, text};
use crate::helpers::spawn_app;

/// Where the register bar is: its top and bottom, the viewport's height, and its `display`.
const BAR: &str = "const bar = document.querySelector('.register-bar'); \
    const box = bar.getBoundingClientRect(); \
    return [box.top, box.bottom, window.innerHeight, getComputedStyle(bar).display, \
            document.documentElement.scrollHeight];";

fn number(value: &Value) -> f64 {
    value.as_f64().unwrap()
}

#[tokio::test]
async fn on_a_phone_the_register_button_stays_at_the_bottom_of_the_screen() {
    let app = spawn_app().await;
    let slug = published_event(&app).await;
    let url = app.url(&format!("/events/{slug}"));
    in_browser(|client| async move {
        client.set_window_size(390, 600).await.unwrap();
        client.goto(&url).await.unwrap();
        assert_eq!(text(&client, ".register-bar a").await, "참가 신청하기");
        for scrolled in [0, 300] {
            client
                .execute(&format!("window.scrollTo(0, {scrolled})"), vec![])
                .await
                .unwrap();
            let bar = client.execute(BAR, vec![]).await.unwrap();
            let (top, bottom, viewport) = (number(&bar[0]), number(&bar[1]), number(&bar[2]));
            assert!(
                number(&bar[4]) > viewport + 300.0,
                "the page scrolls: {bar}"
            );
            assert!(
                (bottom - viewport).abs() <= 1.0 && top > 0.0,
                "scrolled {scrolled} px, the bar sits at the bottom of the screen: {bar}"
            );
        }
        client.set_window_size(1280, 800).await.unwrap();
        let bar = client.execute(BAR, vec![]).await.unwrap();
        assert_eq!(bar[3], json!("none"), "not repeated on a desktop");
    })
    .await;
}
