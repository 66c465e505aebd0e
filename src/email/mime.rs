//! Builds the wire message of an outbox row with lettre: `Message-ID` stable per outbox row
//! (so a resend after a lost acknowledgement can be recognised), `Date`, a plain-text part
//! with an HTML alternative (and, in the messages one shows at the door, the door QR as an
//! inline image the HTML refers to by Content-ID), the invite as `text/calendar`, RFC 2047
//! encoded headers.

use entity::outbox_message;
use lettre::Message;
use lettre::message::header::{ContentDisposition, ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};

use super::ics::with_organizer;
use super::messages::{DOOR_QR_CID, single_line};

/// What every message shares: the configured sender.
#[derive(Debug, Clone)]
pub struct Identity {
    pub from: Mailbox,
    pub reply_to: Option<Mailbox>,
    /// The right-hand side of Message-IDs.
    pub domain: String,
}

/// The message of `row`; `door_qr` is the PNG its HTML shows as `cid:` [`DOOR_QR_CID`].
pub fn build(
    row: &outbox_message::Model,
    identity: &Identity,
    door_qr: Option<&[u8]>,
) -> anyhow::Result<Message> {
    let address = row.to_address.parse()?;
    // Display names are user input: one line, so nothing can start a new header; lettre
    // quotes or encodes the rest.
    let to = Mailbox::new(
        row.to_name
            .as_deref()
            .map(single_line)
            .filter(|name| !name.is_empty()),
        address,
    );
    let mut builder = Message::builder()
        .from(identity.from.clone())
        .to(to)
        .subject(single_line(&row.subject))
        .message_id(Some(format!("<{}@{}>", row.id, identity.domain)))
        .date_now()
        .header(AutoSubmitted);
    if let Some(reply_to) = &identity.reply_to {
        builder = builder.reply_to(reply_to.clone());
    }
    if let Some(url) = &row.list_unsubscribe {
        // RFC 2369 and RFC 8058: mail clients offer a one-click unsubscribe button.
        builder = builder
            .header(ListUnsubscribe(format!("<{}>", single_line(url))))
            .header(ListUnsubscribePost);
    }
    let plain = MultiPart::alternative().singlepart(SinglePart::plain(row.text_body.clone()));
    let html = SinglePart::html(row.html_body.clone());
    // RFC 2387: the HTML and the image it shows travel together as one alternative.
    let alternative = match door_qr {
        Some(png) => plain.multipart(
            MultiPart::related().singlepart(html).singlepart(
                Attachment::new_inline(DOOR_QR_CID.into())
                    .body(png.to_vec(), ContentType::parse("image/png")?),
            ),
        ),
        None => plain.singlepart(html),
    };
    let message = match (&row.ics_body, &row.ics_method) {
        (Some(ics), Some(method)) => {
            let ics = with_organizer(
                ics,
                identity.from.name.as_deref(),
                identity.from.email.as_ref(),
            );
            let content_type =
                ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))?;
            builder.multipart(
                MultiPart::mixed().multipart(alternative).singlepart(
                    SinglePart::builder()
                        .header(content_type)
                        .header(ContentDisposition::attachment("invite.ics"))
                        .body(ics),
                ),
            )?
        }
        _ => builder.multipart(alternative)?,
    };
    Ok(message)
}

/// A header whose value never changes.
macro_rules! fixed_header {
    ($(#[$doc:meta])* $name:ident, $header:literal, $value:literal) => {
        $(#[$doc])*
        #[derive(Clone)]
        struct $name;

        impl lettre::message::header::Header for $name {
            fn name() -> HeaderName {
                HeaderName::new_from_ascii_str($header)
            }

            fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                Ok($name)
            }

            fn display(&self) -> HeaderValue {
                HeaderValue::new(Self::name(), $value.into())
            }
        }
    };
}

fixed_header!(
    /// `Auto-Submitted: auto-generated` (RFC 3834): no auto-replies to these messages.
    AutoSubmitted,
    "Auto-Submitted",
    "auto-generated"
);

fixed_header!(
    /// RFC 8058: the `List-Unsubscribe` URL works with a single POST.
    ListUnsubscribePost,
    "List-Unsubscribe-Post",
    "List-Unsubscribe=One-Click"
);

/// `List-Unsubscribe: <url>` (RFC 2369).
#[derive(Clone)]
struct ListUnsubscribe(String);

impl lettre::message::header::Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(raw: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(raw.into()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use entity::values::{Language, MailKind, OutboxStatus};
    use mailparse::MailHeaderMap;
    use uuid::Uuid;

    use super::*;

    fn row(to_name: &str, subject: &str) -> outbox_message::Model {
        outbox_message::Model {
            id: Uuid::now_v7(),
            registration_id: None,
            dedupe_key: "test".into(),
            kind: MailKind::Confirmed,
            language: Language::Ko,
            to_address: "seoyeon@example.com".into(),
            to_name: Some(to_name.into()),
            subject: subject.into(),
            text_body: format!("{}\n", "가나다라마바사 ".repeat(40)),
            html_body: format!("<p>{}</p>", "아자차카타파하 ".repeat(40)),
            ics_body: None,
            ics_method: None,
            status: OutboxStatus::Sending,
            attempts: 1,
            next_attempt_at: Utc::now(),
            lease_until: None,
            last_error: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            sent_at: None,
            list_unsubscribe: None,
        }
    }

    fn identity() -> Identity {
        Identity {
            from: "1&N 홈커밍 <homecoming@example.com>".parse().unwrap(),
            reply_to: Some("운영진 <organizers@example.com>".parse().unwrap()),
            domain: "homecoming.example".into(),
        }
    }

    #[test]
    fn korean_headers_decode_with_their_spaces_and_cannot_be_injected() {
        let subject =
            "[1&N] 1&N 홈커밍 2027 참가가 확정되었습니다 — 서울대학교 관악캠퍼스 302동에서 만나요";
        let row = row(
            "김 서연\r\nBcc: evil@example.com",
            &format!("{subject}\r\nBcc: evil@example.com"),
        );
        let raw = build(&row, &identity(), None).unwrap().formatted();
        let mail = mailparse::parse_mail(&raw).unwrap();
        assert_eq!(
            mail.headers.get_first_value("Subject").unwrap(),
            format!("{subject} Bcc: evil@example.com"),
            "one line, every space kept"
        );
        assert!(mail.headers.get_first_value("Bcc").is_none());
        let to = mailparse::addrparse_header(mail.headers.get_first_header("To").unwrap()).unwrap();
        match &to[0] {
            mailparse::MailAddr::Single(info) => {
                assert_eq!(
                    info.display_name.as_deref(),
                    Some("김 서연 Bcc: evil@example.com")
                );
                assert_eq!(info.addr, "seoyeon@example.com");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(to.len(), 1, "no second recipient smuggled in");
        let from =
            mailparse::addrparse_header(mail.headers.get_first_header("From").unwrap()).unwrap();
        match &from[0] {
            mailparse::MailAddr::Single(info) => {
                assert_eq!(info.display_name.as_deref(), Some("1&N 홈커밍"))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            mail.headers.get_first_value("Message-ID").unwrap(),
            format!("<{}@homecoming.example>", row.id)
        );
        assert!(mail.headers.get_first_value("Date").is_some());
        assert_eq!(mail.ctype.mimetype, "multipart/alternative");
        let plain = mail.subparts[0].get_body().unwrap();
        assert!(plain.starts_with("가나다라마바사 가나다라마바사"));
        assert_eq!(mail.subparts[1].ctype.mimetype, "text/html");
        // RFC 5322 2.1.1: at most 998 octets (MUST) and 78 (SHOULD). lettre folds the
        // subject and the bodies; a long encoded display name stays on its one line.
        for line in String::from_utf8(raw).unwrap().split("\r\n") {
            assert!(line.len() <= 998, "line over 998 octets: {line}");
            assert!(line.len() <= 78 || line.starts_with("To: "), "{line}");
        }
    }

    #[test]
    fn only_non_transactional_rows_offer_one_click_unsubscribe() {
        let plain = build(&row("김서연", "확정"), &identity(), None)
            .unwrap()
            .formatted();
        let plain = mailparse::parse_mail(&plain).unwrap();
        assert!(plain.headers.get_first_value("List-Unsubscribe").is_none());

        let mut reminder = row("김서연", "알림");
        reminder.list_unsubscribe =
            Some("https://homecoming.example/unsubscribe/abc.def\r\nBcc: x@y.z".into());
        let raw = build(&reminder, &identity(), None).unwrap().formatted();
        let mail = mailparse::parse_mail(&raw).unwrap();
        assert_eq!(
            mail.headers.get_first_value("List-Unsubscribe").unwrap(),
            "<https://homecoming.example/unsubscribe/abc.def Bcc: x@y.z>"
        );
        assert_eq!(
            mail.headers
                .get_first_value("List-Unsubscribe-Post")
                .unwrap(),
            "List-Unsubscribe=One-Click"
        );
        assert!(mail.headers.get_first_value("Bcc").is_none());
    }
}
