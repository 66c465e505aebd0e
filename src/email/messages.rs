//! The emails, rendered from the templates in `templates/email/<kind>/<lang>/`
//! (`subject.txt`, `body.txt`, `body.html`) in the registrant's language.

use askama::Template;
use chrono::{DateTime, Datelike, Utc, Weekday};
use chrono_tz::Tz;
use entity::{event, registration, venue};
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use super::ics::Invite;
use super::outbox::NewMessage;
use crate::error::ApiError;
use crate::registration::Language;

/// What caused a message; also the template folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Confirmed,
    Waitlisted,
    Pending,
    Promoted,
    Cancelled,
    ManageLink,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Confirmed => "confirmed",
            Kind::Waitlisted => "waitlisted",
            Kind::Pending => "pending",
            Kind::Promoted => "promoted",
            Kind::Cancelled => "cancelled",
            Kind::ManageLink => "manage_link",
        }
    }
}

/// Everything a template may show. Plain values: the HTML templates escape them, the text
/// templates do not need to.
pub struct MailContext {
    pub lang: &'static str,
    pub name: String,
    pub event_title: String,
    /// The date and hours in the event's time zone, written for the language.
    pub when: String,
    /// Venue name and address.
    pub place: Option<String>,
    pub checkin_code: Option<String>,
    pub manage_url: Option<String>,
    pub position_text: String,
}

macro_rules! templates {
    ($($name:ident => $path:literal;)*) => {
        $(
            #[derive(Template)]
            #[template(path = $path)]
            struct $name<'a> {
                m: &'a MailContext,
            }
        )*
    };
}

templates! {
    ConfirmedKoSubject => "email/confirmed/ko/subject.txt";
    ConfirmedKoText => "email/confirmed/ko/body.txt";
    ConfirmedKoHtml => "email/confirmed/ko/body.html";
    ConfirmedEnSubject => "email/confirmed/en/subject.txt";
    ConfirmedEnText => "email/confirmed/en/body.txt";
    ConfirmedEnHtml => "email/confirmed/en/body.html";
    WaitlistedKoSubject => "email/waitlisted/ko/subject.txt";
    WaitlistedKoText => "email/waitlisted/ko/body.txt";
    WaitlistedKoHtml => "email/waitlisted/ko/body.html";
    WaitlistedEnSubject => "email/waitlisted/en/subject.txt";
    WaitlistedEnText => "email/waitlisted/en/body.txt";
    WaitlistedEnHtml => "email/waitlisted/en/body.html";
    PendingKoSubject => "email/pending/ko/subject.txt";
    PendingKoText => "email/pending/ko/body.txt";
    PendingKoHtml => "email/pending/ko/body.html";
    PendingEnSubject => "email/pending/en/subject.txt";
    PendingEnText => "email/pending/en/body.txt";
    PendingEnHtml => "email/pending/en/body.html";
    PromotedKoSubject => "email/promoted/ko/subject.txt";
    PromotedKoText => "email/promoted/ko/body.txt";
    PromotedKoHtml => "email/promoted/ko/body.html";
    PromotedEnSubject => "email/promoted/en/subject.txt";
    PromotedEnText => "email/promoted/en/body.txt";
    PromotedEnHtml => "email/promoted/en/body.html";
    CancelledKoSubject => "email/cancelled/ko/subject.txt";
    CancelledKoText => "email/cancelled/ko/body.txt";
    CancelledKoHtml => "email/cancelled/ko/body.html";
    CancelledEnSubject => "email/cancelled/en/subject.txt";
    CancelledEnText => "email/cancelled/en/body.txt";
    CancelledEnHtml => "email/cancelled/en/body.html";
    ManageLinkKoSubject => "email/manage_link/ko/subject.txt";
    ManageLinkKoText => "email/manage_link/ko/body.txt";
    ManageLinkKoHtml => "email/manage_link/ko/body.html";
    ManageLinkEnSubject => "email/manage_link/en/subject.txt";
    ManageLinkEnText => "email/manage_link/en/body.txt";
    ManageLinkEnHtml => "email/manage_link/en/body.html";
}

/// Subject, plain text and HTML of one message.
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub fn render(kind: Kind, language: Language, m: &MailContext) -> Result<Rendered, askama::Error> {
    macro_rules! with {
        ($subject:ident, $text:ident, $html:ident) => {
            (
                $subject { m }.render()?,
                $text { m }.render()?,
                $html { m }.render()?,
            )
        };
    }
    let (subject, text, html) = match (kind, language) {
        (Kind::Confirmed, Language::Ko) => {
            with!(ConfirmedKoSubject, ConfirmedKoText, ConfirmedKoHtml)
        }
        (Kind::Confirmed, Language::En) => {
            with!(ConfirmedEnSubject, ConfirmedEnText, ConfirmedEnHtml)
        }
        (Kind::Waitlisted, Language::Ko) => {
            with!(WaitlistedKoSubject, WaitlistedKoText, WaitlistedKoHtml)
        }
        (Kind::Waitlisted, Language::En) => {
            with!(WaitlistedEnSubject, WaitlistedEnText, WaitlistedEnHtml)
        }
        (Kind::Pending, Language::Ko) => with!(PendingKoSubject, PendingKoText, PendingKoHtml),
        (Kind::Pending, Language::En) => with!(PendingEnSubject, PendingEnText, PendingEnHtml),
        (Kind::Promoted, Language::Ko) => with!(PromotedKoSubject, PromotedKoText, PromotedKoHtml),
        (Kind::Promoted, Language::En) => with!(PromotedEnSubject, PromotedEnText, PromotedEnHtml),
        (Kind::Cancelled, Language::Ko) => {
            with!(CancelledKoSubject, CancelledKoText, CancelledKoHtml)
        }
        (Kind::Cancelled, Language::En) => {
            with!(CancelledEnSubject, CancelledEnText, CancelledEnHtml)
        }
        (Kind::ManageLink, Language::Ko) => {
            with!(ManageLinkKoSubject, ManageLinkKoText, ManageLinkKoHtml)
        }
        (Kind::ManageLink, Language::En) => {
            with!(ManageLinkEnSubject, ManageLinkEnText, ManageLinkEnHtml)
        }
    };
    Ok(Rendered {
        // One line, whatever a title contains: a subject never carries a line break.
        subject: single_line(&subject),
        text: text.replace("\r\n", "\n"),
        html,
    })
}

/// Collapses line breaks and other control characters (and the whitespace around them) into
/// single spaces: the defence against header injection for every header value.
pub fn single_line(raw: &str) -> String {
    raw.split(|c: char| c.is_control())
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a message needs beyond the registration row.
#[derive(Debug, Default)]
pub struct Extras {
    /// Known only when a token was just made (registration, link resend).
    pub manage_url: Option<String>,
    /// For `waitlisted`.
    pub waitlist_position: Option<u64>,
    /// For `cancelled`: the person held a seat, so their calendar invite is withdrawn.
    pub had_seat: bool,
}

/// The message `kind` for a registration, rendered in its language. Call inside the transaction
/// that causes the message, with the registration row as it is after the change.
pub async fn registration_message(
    db: &impl ConnectionTrait,
    kind: Kind,
    row: &registration::Model,
    event: &event::Model,
    extras: Extras,
) -> Result<Option<NewMessage>, ApiError> {
    let Extras {
        manage_url,
        waitlist_position,
        had_seat,
    } = extras;
    // An erased person has no address: nothing to send.
    let Some(email) = row.email.clone() else {
        return Ok(None);
    };
    let language = Language::parse(&row.language);
    let venue = match event.venue_id {
        Some(id) => venue::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let place = venue.map(|venue| match venue.address.trim() {
        "" => venue.name,
        address => format!("{} ({address})", venue.name),
    });
    let checkin = matches!(kind, Kind::Confirmed | Kind::Promoted);
    let context = MailContext {
        lang: language.as_str(),
        name: single_line(&row.name),
        event_title: single_line(&event.title),
        when: when(event, language),
        place: place.clone(),
        checkin_code: checkin.then(|| row.checkin_code.clone()),
        manage_url,
        position_text: waitlist_position.map(|p| p.to_string()).unwrap_or_default(),
    };
    let rendered = render(kind, language, &context).map_err(anyhow::Error::from)?;
    let invite = match kind {
        Kind::Confirmed | Kind::Promoted => Some("REQUEST"),
        // Only a confirmed seat had an invite to withdraw.
        Kind::Cancelled if had_seat => Some("CANCEL"),
        _ => None,
    };
    let ics = invite.map(|method| {
        Invite {
            uid: format!("registration-{}@homecoming", row.id),
            method,
            sequence: u32::from(method == "CANCEL"),
            starts_at: event.starts_at,
            ends_at: event.ends_at,
            summary: &event.title,
            location: place.clone(),
            description: event.description.clone(),
            attendee_name: &row.name,
            attendee_email: &email,
            stamp: Utc::now(),
        }
        .to_ics()
    });
    Ok(Some(NewMessage {
        registration_id: Some(row.id),
        dedupe_key: match kind {
            Kind::Waitlisted => format!(
                "registration:{}:waitlisted:{}",
                row.id,
                row.waitlist_seq.unwrap_or_default()
            ),
            // Every resend is its own message.
            Kind::ManageLink => format!("registration:{}:manage_link:{}", row.id, Uuid::now_v7()),
            _ => format!("registration:{}:{}", row.id, kind.as_str()),
        },
        kind: kind.as_str(),
        language: language.as_str(),
        to_address: email,
        to_name: Some(context.name),
        subject: rendered.subject,
        text_body: rendered.text,
        html_body: rendered.html,
        ics_method: ics.as_ref().and(invite),
        ics_body: ics,
    }))
}

/// The event's date and hours in its own time zone.
pub fn when(event: &event::Model, language: Language) -> String {
    let tz: Tz = event.time_zone.parse().unwrap_or(chrono_tz::Asia::Seoul);
    let starts = event.starts_at.with_timezone(&tz);
    let ends = event.ends_at.with_timezone(&tz);
    let same_day = starts.date_naive() == ends.date_naive();
    match language {
        Language::Ko => {
            let day = |at: &DateTime<Tz>| {
                format!(
                    "{}년 {}월 {}일 ({})",
                    at.year(),
                    at.month(),
                    at.day(),
                    ko_weekday(at.weekday())
                )
            };
            if same_day {
                format!(
                    "{} {}–{} ({})",
                    day(&starts),
                    starts.format("%H:%M"),
                    ends.format("%H:%M"),
                    event.time_zone
                )
            } else {
                format!(
                    "{} {} – {} {} ({})",
                    day(&starts),
                    starts.format("%H:%M"),
                    day(&ends),
                    ends.format("%H:%M"),
                    event.time_zone
                )
            }
        }
        Language::En => {
            if same_day {
                format!(
                    "{}, {}–{} ({})",
                    starts.format("%A %-d %B %Y"),
                    starts.format("%H:%M"),
                    ends.format("%H:%M"),
                    event.time_zone
                )
            } else {
                format!(
                    "{} – {} ({})",
                    starts.format("%A %-d %B %Y, %H:%M"),
                    ends.format("%A %-d %B %Y, %H:%M"),
                    event.time_zone
                )
            }
        }
    }
}

fn ko_weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "월",
        Weekday::Tue => "화",
        Weekday::Wed => "수",
        Weekday::Thu => "목",
        Weekday::Fri => "금",
        Weekday::Sat => "토",
        Weekday::Sun => "일",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(lang: &'static str) -> MailContext {
        MailContext {
            lang,
            name: "김서연 <script>".into(),
            event_title: "1&N 홈커밍 2027".into(),
            when: "2027년 5월 15일 (토) 13:00–19:00 (Asia/Seoul)".into(),
            place: Some("302동 대강당".into()),
            checkin_code: Some("K7P-M2X".into()),
            manage_url: Some("http://127.0.0.1:8080/registrations/abc".into()),
            position_text: "3".into(),
        }
    }

    #[test]
    fn every_template_renders_in_both_languages() {
        for kind in [
            Kind::Confirmed,
            Kind::Waitlisted,
            Kind::Pending,
            Kind::Promoted,
            Kind::Cancelled,
            Kind::ManageLink,
        ] {
            for (language, lang) in [(Language::Ko, "ko"), (Language::En, "en")] {
                let rendered = render(kind, language, &context(lang)).unwrap();
                assert!(rendered.subject.contains("1&N 홈커밍 2027"), "{kind:?}");
                assert!(!rendered.subject.contains('\n'));
                assert!(rendered.text.contains("김서연 <script>"), "{kind:?}");
                assert!(!rendered.html.contains("<script>"), "{kind:?}");
                assert!(rendered.html.contains("김서연 &"), "{}", rendered.html);
                assert!(rendered.html.contains(&format!("lang=\"{lang}\"")));
            }
        }
        let waitlisted = render(Kind::Waitlisted, Language::En, &context("en")).unwrap();
        assert!(waitlisted.subject.contains("number 3"));
        let confirmed = render(Kind::Confirmed, Language::Ko, &context("ko")).unwrap();
        assert!(confirmed.text.contains("K7P-M2X"));
        assert!(confirmed.text.contains("/registrations/abc"));
    }

    #[test]
    fn single_line_removes_breaks() {
        assert_eq!(single_line("a\r\nBcc: x \n b"), "a Bcc: x b");
    }
}
