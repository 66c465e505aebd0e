//! Mails as tickets: the confirmation carries the door code and its QR as an inline PNG
//! (`multipart/related`, referenced by Content-ID), the QR opens the door check-in page
//! (staff sign in first), the text part says everything the HTML does, and no
//! subject names "1&N" twice.

use mailparse::{MailHeaderMap, ParsedMail};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::mail::{app_with_sink, outbox, parse, part, subject};
use crate::helpers::registration::{register_ok, registrations};
use crate::helpers::smtp_sink::SmtpSink;
use crate::helpers::{TestApp, expect_status, id};

/// The `multipart/related` part (the HTML with the images it shows), wherever it is.
fn related<'a>(mail: &'a ParsedMail<'a>) -> Option<&'a ParsedMail<'a>> {
    if mail.ctype.mimetype == "multipart/related" {
        return Some(mail);
    }
    mail.subparts.iter().find_map(related)
}

/// What a phone camera reads from the PNG.
fn decode_qr(png_bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(frame.color_type, png::ColorType::Grayscale);
    let width = frame.width as usize;
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, frame.height as usize, |x, y| {
            pixels[y * width + x]
        });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().expect("the QR code decodes").1
}

/// The public base URL, as the manage link shows it.
fn base_of(registered: &Value) -> String {
    let url = registered["manage_url"].as_str().unwrap();
    url[..url.find("/registrations/").unwrap()].to_string()
}

async fn seoyeon_registers(app: &TestApp, event: &Value) -> Value {
    register_ok(
        app,
        &id(event),
        &json!({"name": "김서연", "email": "seoyeon@example.com", "role": "alumni", "language": "ko"}),
    )
    .await
}

#[tokio::test]
async fn the_confirmation_shows_the_door_qr_inline_and_it_opens_the_staff_check_in_page() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let event = app.open_event(10, json!({})).await;
    let seoyeon = seoyeon_registers(&app, &event).await;
    let messages = sink.wait_for(1).await;
    let mail = parse(&messages[0]);

    let related = related(&mail).expect("a multipart/related part");
    let html = related
        .subparts
        .iter()
        .find(|p| p.ctype.mimetype == "text/html")
        .expect("the HTML in the related part")
        .get_body()
        .unwrap();
    let image = related
        .subparts
        .iter()
        .find(|p| p.ctype.mimetype == "image/png")
        .expect("a PNG in the related part");
    let content_id = image.headers.get_first_value("Content-ID").unwrap();
    let cid = content_id.trim_start_matches('<').trim_end_matches('>');
    assert!(html.contains(&format!("src=\"cid:{cid}\"")), "{html}");
    assert!(
        html.contains("word-break:keep-all"),
        "Korean never breaks mid-word"
    );

    let code = seoyeon["checkin_code"].as_str().unwrap();
    let door = decode_qr(&image.get_body_raw().unwrap());
    assert_eq!(
        door,
        format!(
            "{}/admin/events/{}/check-in?code={code}",
            base_of(&seoyeon),
            id(&event)
        )
    );

    let text = part(&mail, "text/plain").unwrap().get_body().unwrap();
    assert!(
        text.contains(seoyeon["manage_url"].as_str().unwrap()),
        "{text}"
    );
    assert!(text.contains(code), "{text}");
    assert!(
        text.contains("한국 시간") && !text.contains("Asia/Seoul"),
        "{text}"
    );
    assert_eq!(
        subject(&mail).matches("1&N").count(),
        1,
        "{}",
        subject(&mail)
    );

    // A guest's camera opening the QR (no console session) is sent to the staff sign-in,
    // which comes back to the check-in after it; nothing changes.
    let mails_before = outbox(&app, "").await.len();
    let path = &door[base_of(&seoyeon).len()..];
    let response = crate::helpers::forms::browser()
        .get(app.url(path))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["cache-control"].to_str().unwrap(),
        "no-store"
    );
    let location = response.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with("/admin/sign-in?next=%2Fadmin%2Fevents%2F"),
        "{location}"
    );
    let page = response.text().await.unwrap();
    assert!(!page.contains("김서연"), "nothing of the person");
    let after = registrations(&app, &id(&event), "").await;
    assert_eq!(after.len(), 1);
    assert!(after[0]["checked_in_at"].is_null(), "nobody checked in");
    assert_eq!(after[0]["status"], "confirmed");
    assert_eq!(outbox(&app, "").await.len(), mails_before, "no mail");
}

#[tokio::test]
async fn no_subject_names_1_and_n_twice() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let event = app.open_event(1, json!({})).await;
    let seated = seoyeon_registers(&app, &event).await;
    register_ok(
        &app,
        &id(&event),
        &json!({"name": "Jane Doe", "email": "jane@example.com", "role": "guest", "language": "en"}),
    )
    .await;
    // Seoyeon cancels (a cancellation), Jane moves up (a promotion).
    expect_status(
        app.post(
            &format!(
                "/api/v1/events/{}/registrations/{}/cancel",
                id(&event),
                id(&seated)
            ),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let messages = sink.wait_for(4).await;
    for message in &messages {
        let subject = subject(&parse(message));
        assert!(
            subject.contains("1&N") && subject.matches("1&N").count() == 1,
            "{subject}"
        );
    }
}
