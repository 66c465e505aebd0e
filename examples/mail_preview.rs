//! Writes every mail's HTML part, in both languages, to files a browser can open: the door
//! QR's `cid:` reference is replaced by the same PNG as a `data:` URL. For looking at the
//! mails as a mail client shows them (e.g. `chromium --headless=new --screenshot
//! --window-size=390,1400 file://…`).
//!
//! ```sh
//! cargo run --example mail_preview -- /tmp/mails
//! ```

use base64::Engine;
use homecoming::door;
use homecoming::email::Kind;
use homecoming::email::messages::{DOOR_QR_CID, MailContext, TableLine, render};
use homecoming::registration::Language;

fn context(language: Language) -> MailContext {
    let ko = language == Language::Ko;
    MailContext {
        lang: language.as_str(),
        name: if ko { "김서연" } else { "Jane Doe" }.into(),
        event_title: "1&N 홈커밍 2027 — 서울대학교 관악캠퍼스에서 다시 만나는 선후배의 밤".into(),
        when: if ko {
            "2027년 5월 15일 (토) 13:00–19:00 (한국 시간)"
        } else {
            "Saturday 15 May 2027, 13:00–19:00 (Korea time)"
        }
        .into(),
        place: Some("서울대학교 302동 대강당 (서울특별시 관악구 관악로 1)".into()),
        checkin_code: Some("K7P-M2X".into()),
        manage_url: Some(
            "https://homecoming.example.org/registrations/0190f2c4-7b1e-7c2a-9d55-2b8e6f1a3c44.c2lnbmF0dXJlLW9mLXRoZS1tYW5hZ2UtbGluaw"
                .into(),
        ),
        position_text: "3".into(),
        event_url: Some("https://homecoming.example.org/events/homecoming-2027".into()),
        feedback_url: Some("https://homecoming.example.org/feedback/abc".into()),
        unsubscribe_url: Some("https://homecoming.example.org/unsubscribe/xyz".into()),
        lead_time: if ko { "7일" } else { "7 days" }.into(),
        tables: (1..=3)
            .map(|round| TableLine {
                round,
                table: round * 2 + 1,
                mates: "이민준 (Toss), Alice Park (Naver Cloud Platform 검색 인프라팀), 박지호"
                    .into(),
            })
            .collect(),
        session_title: Some(if ko { "저녁 네트워킹" } else { "Evening networking" }.into()),
        session_when: Some(
            if ko {
                "5월 15일 (토) 17:00 (한국 시간)"
            } else {
                "Sat 15 May, 17:00 (Korea time)"
            }
            .into(),
        ),
        session_room: Some("302동 로비".into()),
        qr_cid: Some(DOOR_QR_CID),
        has_invite: true,
    }
}

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "mail-preview".into());
    std::fs::create_dir_all(&dir)?;
    let png = door::qr_png(&door::checkin_url(
        "https://homecoming.example.org",
        uuid::Uuid::nil(),
        "K7P-M2X",
    ))?;
    let data_url = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    );
    for &kind in Kind::ALL {
        for language in [Language::Ko, Language::En] {
            let mut m = context(language);
            if !homecoming::email::messages::shows_door_code(kind) {
                m.checkin_code = None;
                m.qr_cid = None;
            }
            let rendered = render(kind, language, &m)?;
            let stem = format!("{dir}/{}-{}", kind.as_str(), language.as_str());
            std::fs::write(
                format!("{stem}.html"),
                rendered
                    .html
                    .replace(&format!("cid:{DOOR_QR_CID}"), &data_url),
            )?;
            std::fs::write(
                format!("{stem}.txt"),
                format!("Subject: {}\n\n{}", rendered.subject, rendered.text),
            )?;
        }
    }
    println!("wrote {} kinds in two languages to {dir}", Kind::ALL.len());
    Ok(())
}
