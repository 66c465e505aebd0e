//! `GET /events/{slug}/card.png`: the share card, a 1200×630 PNG with the event's title, date
//! and venue that link previews (KakaoTalk, Slack, social sites) show for the event page's
//! `og:image`.
//!
//! The text is drawn with a bundled font (`assets/fonts/`, a Korean-capable subset of
//! Pretendard under the OFL), so the card looks the same on a machine with no fonts installed.
//! A card is rendered once per version of its text: the version (a hash of the text) is its
//! ETag, its key in memory and the `v` of the page's `og:image` URL, so a changed title gives a
//! new URL that link previews fetch again.

use std::sync::LazyLock;

use ab_glyph::{Font, FontRef, GlyphId, InvalidFont, PxScale, ScaleFont, point};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ETag, EntityTag};
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};

use super::i18n::Words;
use super::{failure, negotiate};
use crate::error::ApiError;
use crate::page_cache;
use crate::public::{PublicEvent, load_public_event};
use crate::registration::Language;
use crate::time_words;

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

const BOLD: &[u8] = include_bytes!("../../assets/fonts/HomecomingCard-Bold.ttf");
const REGULAR: &[u8] = include_bytes!("../../assets/fonts/HomecomingCard-Regular.ttf");

/// Space around the text.
const MARGIN: f32 = 80.0;
const TEXT_WIDTH: f32 = WIDTH as f32 - 2.0 * MARGIN;

/// The title's sizes, largest first, each with the lines it may take: a short title is large.
const TITLE_SIZES: [(f32, usize); 4] = [(76.0, 2), (64.0, 3), (54.0, 3), (46.0, 3)];
/// The date and venue lines: one line each.
const DETAIL_SIZES: [(f32, usize); 3] = [(36.0, 1), (32.0, 1), (28.0, 1)];

const TOP: [u8; 3] = [0x0a, 0x4f, 0xbf];
const BOTTOM: [u8; 3] = [0x06, 0x2a, 0x66];
const WHITE: [u8; 3] = [0xff, 0xff, 0xff];
const PALE: [u8; 3] = [0xd5, 0xe2, 0xfa];

/// How many cards are kept (one per event and language, old versions until evicted).
const KEPT: u64 = 64;

static CARDS: LazyLock<moka::future::Cache<String, Bytes>> =
    LazyLock::new(|| moka::future::Cache::new(KEPT));

/// What a card says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardText {
    pub site: String,
    pub title: String,
    pub when: String,
    pub venue: Option<String>,
}

impl CardText {
    /// The card of a public event in `lang`.
    pub fn of(event: &PublicEvent, lang: Language) -> Self {
        Self {
            site: lang.t().site_name.to_string(),
            title: event.title.clone(),
            when: time_words::event_when(
                event.starts_at.with_timezone(&Utc),
                event.ends_at.with_timezone(&Utc),
                &event.time_zone,
                lang,
            ),
            venue: event.venue.as_ref().map(|venue| venue.name.clone()),
        }
    }

    /// Names the card: equal text, equal version.
    pub fn version(&self) -> String {
        let mut hash = Sha256::new();
        for part in [
            self.site.as_str(),
            &self.title,
            &self.when,
            self.venue.as_deref().unwrap_or(""),
        ] {
            // NUL cannot be in the text (the input guard refuses control characters), so the
            // parts cannot run into each other.
            hash.update(part);
            hash.update([0]);
        }
        URL_SAFE_NO_PAD.encode(&hash.finalize()[..12])
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CardError {
    #[error("the bundled card font cannot be read: {0}")]
    Font(#[from] InvalidFont),
    #[error("the card cannot be encoded: {0}")]
    Png(#[from] png::EncodingError),
}

/// The card as a PNG.
pub fn render(text: &CardText) -> Result<Vec<u8>, CardError> {
    let bold = FontRef::try_from_slice(BOLD)?;
    let regular = FontRef::try_from_slice(REGULAR)?;
    let mut canvas = Canvas::gradient(TOP, BOTTOM);

    let site_size = 34.0;
    canvas.line(
        &bold,
        site_size,
        MARGIN,
        MARGIN + site_size,
        &text.site,
        PALE,
    );

    let (size, lines) = fit(&bold, &text.title, &TITLE_SIZES);
    let line_height = size * 1.25;
    let mut baseline = MARGIN + site_size + 56.0 + size;
    for line in &lines {
        canvas.line(&bold, size, MARGIN, baseline, line, WHITE);
        baseline += line_height;
    }

    // The date and venue sit at the bottom, the venue last.
    let mut bottom = HEIGHT as f32 - MARGIN;
    for detail in [text.venue.as_deref(), Some(text.when.as_str())]
        .into_iter()
        .flatten()
    {
        let (size, lines) = fit(&regular, detail, &DETAIL_SIZES);
        for line in lines.iter().rev() {
            canvas.line(&regular, size, MARGIN, bottom, line, PALE);
            bottom -= size * 1.5;
        }
    }
    canvas.png()
}

/// RGB pixels, row by row.
struct Canvas {
    pixels: Vec<u8>,
}

impl Canvas {
    /// A background shading from `top` to `bottom`.
    fn gradient(top: [u8; 3], bottom: [u8; 3]) -> Self {
        let mut pixels = Vec::with_capacity((WIDTH * HEIGHT * 3) as usize);
        for y in 0..HEIGHT {
            let share = y as f32 / (HEIGHT - 1) as f32;
            let row: [u8; 3] = std::array::from_fn(|i| mix(top[i], bottom[i], share));
            for _ in 0..WIDTH {
                pixels.extend_from_slice(&row);
            }
        }
        Self { pixels }
    }

    /// Draws one line of text from `x`, standing on `baseline`.
    fn line(
        &mut self,
        font: &FontRef,
        size: f32,
        x: f32,
        baseline: f32,
        text: &str,
        color: [u8; 3],
    ) {
        let (glyphs, _) = layout(font, size, text);
        for (id, offset) in glyphs {
            let glyph = id.with_scale_and_position(size, point(x + offset, baseline));
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let px = bounds.min.x as i64 + i64::from(gx);
                let py = bounds.min.y as i64 + i64::from(gy);
                self.blend(px, py, color, coverage);
            });
        }
    }

    fn blend(&mut self, x: i64, y: i64, color: [u8; 3], coverage: f32) {
        if x < 0 || y < 0 || x >= i64::from(WIDTH) || y >= i64::from(HEIGHT) {
            return;
        }
        let at = ((y as usize) * WIDTH as usize + x as usize) * 3;
        for (channel, value) in self.pixels[at..at + 3].iter_mut().zip(color) {
            *channel = mix(*channel, value, coverage.clamp(0.0, 1.0));
        }
    }

    fn png(self) -> Result<Vec<u8>, CardError> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&self.pixels)?;
        writer.finish()?;
        Ok(out)
    }
}

/// `from` moved `share` (0 to 1) of the way to `to`.
fn mix(from: u8, to: u8, share: f32) -> u8 {
    (f32::from(from) + (f32::from(to) - f32::from(from)) * share).round() as u8
}

/// The width of `text` in one line at `size`.
fn width(font: &FontRef, size: f32, text: &str) -> f32 {
    layout(font, size, text).1
}

/// The glyphs of `text` in one line at `size`, each with its offset from the line's start
/// (advances and kerning), and the line's width.
fn layout(font: &FontRef, size: f32, text: &str) -> (Vec<(GlyphId, f32)>, f32) {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut glyphs = Vec::new();
    let mut caret = 0.0;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(previous) = previous {
            caret += scaled.kern(previous, id);
        }
        glyphs.push((id, caret));
        caret += scaled.h_advance(id);
        previous = Some(id);
    }
    (glyphs, caret)
}

/// The largest of `sizes` at which `text` fits in the lines that size allows; at the smallest,
/// the lines that fit, the last ending in "…".
fn fit(font: &FontRef, text: &str, sizes: &[(f32, usize)]) -> (f32, Vec<String>) {
    let mut last = (0.0, Vec::new());
    for &(size, max_lines) in sizes {
        let fits = |line: &str| width(font, size, line) <= TEXT_WIDTH;
        let mut lines = wrap(text, fits);
        if lines.len() <= max_lines {
            return (size, lines);
        }
        lines.truncate(max_lines);
        if let Some(end) = lines.last_mut() {
            ellipsize(end, fits);
        }
        last = (size, lines);
    }
    last
}

/// Breaks `text` into lines that `fits`, between words as Korean is written (keep-all), and
/// inside a word only when the word alone is too long.
fn wrap(text: &str, fits: impl Fn(&str) -> bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let joined = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if fits(&joined) {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            let mut longer = line.clone();
            longer.push(c);
            if !line.is_empty() && !fits(&longer) {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Ends `line` with "…", dropping characters until it fits.
fn ellipsize(line: &mut String, fits: impl Fn(&str) -> bool) {
    loop {
        let shortened = format!("{}…", line.trim_end());
        if fits(&shortened) || line.is_empty() {
            *line = shortened;
            return;
        }
        line.pop();
    }
}

/// The card of the event `slug`, in the language asked for; 304 when the client has it.
pub async fn show(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    slug: web::Path<String>,
) -> HttpResponse {
    let lang = negotiate(&req);
    let text = match load_public_event(&db, &slug).await {
        Ok(event) => CardText::of(&event, lang),
        Err(error) => return failure(&req, lang, error),
    };
    let version = text.version();
    let etag = EntityTag::new_strong(version.clone());
    let mut response = HttpResponse::Ok();
    response
        .insert_header(ETag(etag.clone()))
        // The `v` in the page's link changes with the text, so a copy may be kept a while.
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if page_cache::client_has(&req, &etag) {
        return response.status(StatusCode::NOT_MODIFIED).finish();
    }
    let card = CARDS
        .try_get_with(version, async move {
            let png = web::block(move || render(&text))
                .await
                .map_err(|error| ApiError::Internal(error.into()))?
                .map_err(|error| ApiError::Internal(error.into()))?;
            Ok::<_, ApiError>(Bytes::from(png))
        })
        .await;
    match card {
        Ok(card) => response.content_type("image/png").body(card),
        Err(error) => {
            tracing::error!(%error, "the share card failed to render");
            failure(&req, lang, ApiError::Internal(anyhow::anyhow!("{error}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fits when at most `max` characters long.
    fn at_most(max: usize) -> impl Fn(&str) -> bool {
        move |line: &str| line.chars().count() <= max
    }

    #[test]
    fn lines_break_between_words_and_inside_a_word_only_when_it_is_too_long() {
        assert_eq!(
            wrap("1&N 홈커밍 2030 봄", at_most(10)),
            ["1&N 홈커밍", "2030 봄"]
        );
        assert_eq!(
            wrap("가나다라마바사", at_most(3)),
            ["가나다", "라마바", "사"]
        );
        assert_eq!(wrap("  ", at_most(3)), Vec::<String>::new());
    }

    #[test]
    fn a_line_too_long_ends_in_an_ellipsis_that_fits() {
        let mut line = "가나다라마".to_string();
        ellipsize(&mut line, at_most(4));
        assert_eq!(line, "가나다…");
    }

    #[test]
    fn a_short_title_is_large_and_a_long_one_smaller_and_cut() {
        let bold = FontRef::try_from_slice(BOLD).unwrap();
        let (size, lines) = fit(&bold, "1&N 홈커밍 2030", &TITLE_SIZES);
        assert_eq!((size, lines.len()), (76.0, 1));
        let long = "동아리 선배와 후배가 함께 만드는 아주 긴 이름의 홈커밍 행사 ".repeat(6);
        let (size, lines) = fit(&bold, &long, &TITLE_SIZES);
        assert_eq!((size, lines.len()), (46.0, 3));
        assert!(lines[2].ends_with('…'), "{lines:?}");
        assert!(
            lines
                .iter()
                .all(|line| width(&bold, size, line) <= TEXT_WIDTH)
        );
    }

    #[test]
    fn the_version_changes_with_the_text() {
        let text = CardText {
            site: "1&N 홈커밍".into(),
            title: "1&N 홈커밍 2030".into(),
            when: "2030년 5월 18일 (토) 13:00–18:00 (한국 시간)".into(),
            venue: Some("서울대학교 302동".into()),
        };
        assert_eq!(text.version(), text.clone().version());
        let renamed = CardText {
            title: "1&N 홈커밍 2031".into(),
            ..text.clone()
        };
        assert_ne!(text.version(), renamed.version());
        let png = render(&text).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (WIDTH, HEIGHT));
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut pixels).unwrap();
        let white = pixels.chunks(3).filter(|p| *p == WHITE).count();
        assert!(white > 1_000, "the title is drawn in white: {white} pixels");
    }
}
