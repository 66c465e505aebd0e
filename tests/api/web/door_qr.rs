//! The manage page's QR code encodes the door check-in URL, the same as the mail's: read back
//! from the page's inline SVG as a camera would read the screen.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::registration::register_ok;
use crate::helpers::{TestApp, id};

/// The number after `name="` in `tag`.
fn attribute(tag: &str, name: &str) -> usize {
    let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    tag[start..].split('"').next().unwrap().parse().unwrap()
}

/// Draws the SVG's dark rectangles (`M{x} {y}h{w}v{h}…`) on a white canvas and decodes the
/// QR code on it.
fn decode_svg_qr(svg: &str) -> String {
    let width = attribute(svg, "width");
    let height = attribute(svg, "height");
    let mut pixels = vec![0xFF_u8; width * height];
    let path = svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    for rect in path.split('M').filter(|r| !r.is_empty()) {
        let numbers: Vec<usize> = rect
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(|n| n.parse().unwrap())
            .collect();
        let (left, top, w, h) = (numbers[0], numbers[1], numbers[2], numbers[3]);
        for y in top..top + h {
            pixels[y * width + left..y * width + left + w].fill(0);
        }
    }
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the page");
    grids[0].decode().expect("the QR code decodes").1
}

async fn manage_page(app: &TestApp, manage_url: &str) -> String {
    let path = &manage_url[manage_url.find("/registrations/").unwrap()..];
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

#[tokio::test]
async fn the_manage_pages_qr_opens_the_door_check_in_page() {
    let app = crate::helpers::spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let registered = register_ok(
        &app,
        &id(&event),
        &json!({"name": "김서연", "email": "seoyeon@example.com", "role": "alumni"}),
    )
    .await;
    let manage_url = registered["manage_url"].as_str().unwrap();
    let html = manage_page(&app, manage_url).await;
    let svg = &html[html.find("<svg").expect("an inline SVG QR code")..];
    let svg = &svg[..svg.find("</svg>").unwrap()];
    let base = &manage_url[..manage_url.find("/registrations/").unwrap()];
    assert_eq!(
        decode_svg_qr(svg),
        format!(
            "{base}/admin/events/{}/check-in?code={}",
            id(&event),
            registered["checkin_code"].as_str().unwrap()
        )
    );
}
