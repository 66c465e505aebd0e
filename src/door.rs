//! The door: what a ticket's QR code opens. It encodes the staff check-in page of the event
//! with the person's code, so a staff phone's camera lands where the person is checked in,
//! while anybody else's reaches only a page asking staff to sign in.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use qrcode::{Color, QrCode};
use uuid::Uuid;

/// Codes are letters, digits and dashes ("K7P-M2X"); anything else is escaped.
const CODE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-');

/// Pixels per QR module in the PNG: a mail client showing it at 200 CSS pixels still has
/// whole pixels per module on a phone screen.
const MODULE_PIXELS: u32 = 8;

/// Modules of white around the code, as the QR standard asks.
const QUIET_ZONE: u32 = 4;

/// The door check-in page for `code` at `event_id`:
/// `<base>/admin/events/{event_id}/check-in?code=K7P-M2X`.
pub fn checkin_url(base_url: &str, event_id: Uuid, code: &str) -> String {
    format!(
        "{}/admin/events/{event_id}/check-in?code={}",
        base_url.trim_end_matches('/'),
        utf8_percent_encode(code, CODE)
    )
}

/// `content` as a black-on-white QR code in a greyscale PNG.
pub fn qr_png(content: &str) -> Result<Vec<u8>, QrError> {
    let qr = QrCode::new(content.as_bytes()).map_err(QrError::Encode)?;
    let modules = qr.width() as u32;
    let colors = qr.to_colors();
    let side = (modules + 2 * QUIET_ZONE) * MODULE_PIXELS;
    let mut pixels = vec![0xFF_u8; (side * side) as usize];
    for (index, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (row, column) = (index as u32 / modules, index as u32 % modules);
        for y in 0..MODULE_PIXELS {
            let start = ((QUIET_ZONE + row) * MODULE_PIXELS + y) * side
                + (QUIET_ZONE + column) * MODULE_PIXELS;
            pixels[start as usize..(start + MODULE_PIXELS) as usize].fill(0);
        }
    }
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(QrError::Png)?;
    writer.write_image_data(&pixels).map_err(QrError::Png)?;
    writer.finish().map_err(QrError::Png)?;
    Ok(png)
}

/// Why a QR image could not be made.
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    /// The content is too long for any QR version.
    #[error("cannot encode the QR code: {0}")]
    Encode(qrcode::types::QrError),
    #[error("cannot write the PNG: {0}")]
    Png(png::EncodingError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checkin_url_carries_the_event_and_the_code() {
        let event = Uuid::nil();
        assert_eq!(
            checkin_url("https://homecoming.example/", event, "K7P-M2X"),
            "https://homecoming.example/admin/events/00000000-0000-0000-0000-000000000000/check-in?code=K7P-M2X"
        );
        assert!(checkin_url("http://x", event, "a&b c").ends_with("?code=a%26b%20c"));
    }

    #[test]
    fn the_png_is_a_square_with_a_white_quiet_zone() {
        let png =
            qr_png("https://homecoming.example/admin/events/x/check-in?code=K7P-M2X").unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        assert_eq!(info.width, info.height);
        assert_eq!(info.width % MODULE_PIXELS, 0);
        let quiet = (QUIET_ZONE * MODULE_PIXELS) as usize;
        assert!(
            pixels[..quiet * info.width as usize]
                .iter()
                .all(|&p| p == 0xFF)
        );
        assert!(pixels.contains(&0));
    }
}
