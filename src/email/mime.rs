//! Builds the wire message of an outbox row with lettre: `Message-ID` stable per outbox row
//! (so a resend after a lost acknowledgement can be recognised), `Date`, a plain-text part
//! with an HTML alternative, the invite as `text/calendar`, RFC 2047 encoded headers.

use entity::outbox_message;
use lettre::Message;
use lettre::message::header::{ContentDisposition, ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};

use super::ics::with_organizer;
use super::messages::single_line;

/// What every message shares: the configured sender.
#[derive(Debug, Clone)]
pub struct Identity {
    pub from: Mailbox,
    pub reply_to: Option<Mailbox>,
    /// The right-hand side of Message-IDs.
    pub domain: String,
}

pub fn build(row: &outbox_message::Model, identity: &Identity) -> anyhow::Result<Message> {
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
    let alternative = MultiPart::alternative()
        .singlepart(SinglePart::plain(row.text_body.clone()))
        .singlepart(SinglePart::html(row.html_body.clone()));
    let message = match (&row.ics_body, &row.ics_method) {
        (Some(ics), Some(method)) => {
            let ics = with_organizer(
                ics,
                identity.from.name.as_deref(),
                &identity.from.email.to_string(),
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

/// `Auto-Submitted: auto-generated` (RFC 3834): no auto-replies to these messages.
#[derive(Clone)]
struct AutoSubmitted;

impl lettre::message::header::Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".into())
    }
}
