//! Door check-in on a phone: Chromium's fake camera plays a video made from a ticket's QR
//! image, the scanner reads it and checks the person in (green, the count moves), undo puts
//! the count back; on another phone the count follows what others check in, and typed codes
//! check in (green), again (amber) and unknown (red). Screenshots go to /tmp/door-*.png.

use std::path::Path;
use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use crate::harness::{click, in_browser_with, text, type_into};
use crate::helpers::registration::register_ok;
use crate::helpers::{TestApp, id, spawn_app};

/// The video Chromium's fake camera plays: the frame size (even, as 4:2:0 needs) and how many
/// frames the file holds (it loops).
const WIDTH: usize = 640;
const HEIGHT: usize = 480;
const FRAMES: usize = 10;

/// A Y4M video of `png` (a greyscale QR image) centred on white, every frame the same.
fn qr_video(png: &[u8], path: &Path) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    let (width, height) = (info.width as usize, info.height as usize);
    assert!(width <= WIDTH && height <= HEIGHT, "{width}x{height}");
    let mut luma = vec![0xFF_u8; WIDTH * HEIGHT];
    let (left, top) = ((WIDTH - width) / 2, (HEIGHT - height) / 2);
    for row in 0..height {
        let start = (top + row) * WIDTH + left;
        luma[start..start + width].copy_from_slice(&pixels[row * width..(row + 1) * width]);
    }
    let chroma = vec![128_u8; WIDTH * HEIGHT / 4];
    let mut video = format!("YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n").into_bytes();
    for _ in 0..FRAMES {
        video.extend_from_slice(b"FRAME\n");
        video.extend_from_slice(&luma);
        video.extend_from_slice(&chroma);
        video.extend_from_slice(&chroma);
    }
    std::fs::write(path, video).unwrap();
}

/// Chromium's fake camera, allowed without asking; with `video`, playing that file.
fn fake_camera(video: Option<&Path>) -> Vec<String> {
    let mut args = vec![
        "--use-fake-device-for-media-stream".to_string(),
        "--use-fake-ui-for-media-stream".to_string(),
    ];
    if let Some(video) = video {
        args.push(format!(
            "--use-file-for-fake-video-capture={}",
            video.display()
        ));
    }
    args
}

fn code(registration: &Value) -> String {
    registration["checkin_code"].as_str().unwrap().to_string()
}

/// Signs the test organizer in through a one-time link that continues to `next`.
async fn sign_in(client: &Client, app: &TestApp, next: &str) {
    let secret =
        homecoming::organizers::store::new_sign_in_link(&app.db, app.organizer.id, app.clock.now())
            .await
            .unwrap();
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("next", next)
        .finish();
    client
        .goto(&app.url(&format!("/admin/sign-in/{secret}?{query}")))
        .await
        .unwrap();
    click(client, "main form button[type=submit]").await;
}

/// Waits until the count on the page reads `checked_in` (the page polls every 3 s).
async fn count_reads(client: &Client, checked_in: &str) {
    for _ in 0..100 {
        if text(client, "#door-checked").await == checked_in {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!(
        "the count stayed at {}, not {checked_in}",
        text(client, "#door-checked").await
    );
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    std::fs::write(format!("/tmp/door-{name}.png"), png).unwrap();
}

async fn tone(client: &Client) -> String {
    let result = client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#door-result"))
        .await
        .unwrap();
    result.attr("class").await.unwrap().unwrap_or_default()
}

struct Door {
    app: TestApp,
    event: Value,
    seoyeon: Value,
    minjun: Value,
}

impl Door {
    async fn open() -> Self {
        let app = spawn_app().await;
        let event = app.open_event(10, json!({})).await;
        let seoyeon = register_ok(
            &app,
            &id(&event),
            &json!({"name": "김서연", "email": "seoyeon@example.com", "role": "alumni", "affiliation": "Toss"}),
        )
        .await;
        let minjun = register_ok(
            &app,
            &id(&event),
            &json!({"name": "이민준", "email": "minjun@example.com", "role": "alumni", "affiliation": "Kakao"}),
        )
        .await;
        Door {
            app,
            event,
            seoyeon,
            minjun,
        }
    }

    fn path(&self) -> String {
        format!("/admin/events/{}/check-in", id(&self.event))
    }
}

#[tokio::test]
async fn the_camera_scans_a_ticket_checks_the_person_in_and_undo_puts_the_count_back() {
    let door = Door::open().await;
    let ticket = homecoming::door::checkin_url(
        &door.app.address,
        id(&door.event).parse().unwrap(),
        &code(&door.seoyeon),
    );
    let folder = tempfile::tempdir().unwrap();
    let video = folder.path().join("ticket.y4m");
    qr_video(&homecoming::door::qr_png(&ticket).unwrap(), &video);
    in_browser_with(&fake_camera(Some(&video)), |client| async move {
        client.set_window_size(390, 844).await.unwrap();
        sign_in(&client, &door.app, &door.path()).await;

        // The scanner reads the ticket and the result page says who came in.
        assert!(tone(&client).await.contains("door-go"));
        assert_eq!(text(&client, "#door-person").await, "김서연, Toss");
        assert_eq!(text(&client, "#door-checked").await, "1");
        screenshot(&client, "green").await;

        click(&client, "#door-undo").await;
        let notice = text(&client, "#door-notice").await;
        assert!(notice.contains("체크인을 취소했습니다"), "{notice}");
        assert!(tone(&client).await.contains("door-ready"));
        assert_eq!(text(&client, "#door-checked").await, "0");
        screenshot(&client, "undone").await;
    })
    .await;
}

#[tokio::test]
async fn typed_codes_check_in_and_the_count_follows_the_other_phones() {
    let door = Door::open().await;
    in_browser_with(&fake_camera(None), |client| async move {
        client.set_window_size(390, 844).await.unwrap();
        sign_in(&client, &door.app, &door.path()).await;
        assert_eq!(text(&client, "#door-checked").await, "0");
        // The default fake camera shows no QR code: the scanner runs and checks nobody in.
        client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css("#door-scanner:not([hidden])"))
            .await
            .unwrap();
        screenshot(&client, "scanner").await;

        // Another phone checks 이민준 in; this one's count follows.
        door.app
            .post(
                &format!("/api/v1/events/{}/check-ins", id(&door.event)),
                &json!({"code": code(&door.minjun)}),
            )
            .await;
        count_reads(&client, "1").await;

        // Typed in lower case without the dash.
        let typed = code(&door.seoyeon).to_lowercase().replace('-', "");
        type_into(&client, "#door-code", &typed).await;
        click(&client, "#door-code-submit").await;
        assert!(tone(&client).await.contains("door-go"));
        assert_eq!(text(&client, "#door-person").await, "김서연, Toss");
        assert_eq!(text(&client, "#door-checked").await, "2");

        // The same code again: amber, with the time of the first check-in.
        click(&client, "#door-next").await;
        type_into(&client, "#door-code", &code(&door.seoyeon)).await;
        click(&client, "#door-code-submit").await;
        assert!(tone(&client).await.contains("door-again"));
        let headline = text(&client, "#door-headline").await;
        assert!(headline.starts_with("이미 "), "{headline}");
        screenshot(&client, "amber").await;

        // An unknown code: red.
        click(&client, "#door-next").await;
        type_into(&client, "#door-code", "zzz-zzz").await;
        click(&client, "#door-code-submit").await;
        assert!(tone(&client).await.contains("door-stop"));
        assert_eq!(text(&client, "#door-headline").await, "등록되지 않음");
        screenshot(&client, "red").await;

        // Found by name, already in.
        click(&client, "#door-next").await;
        type_into(&client, "#door-q", "이민").await;
        click(&client, "#door-search").await;
        let found = text(&client, "#door-found").await;
        assert!(found.contains("이민준"), "{found}");
        client.set_window_size(1280, 900).await.unwrap();
        client
            .execute(
                "document.getElementById('door-found').scrollIntoView()",
                vec![],
            )
            .await
            .unwrap();
        screenshot(&client, "laptop-search").await;
    })
    .await;
}
