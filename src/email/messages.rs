//! The emails, rendered from the templates in `templates/email/<kind>/<lang>/`
//! (`subject.txt`, `body.txt`, `body.html`) in the registrant's language.

use askama::Template;
use chrono::{DateTime, Utc};
use entity::{event, registration, venue};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use uuid::Uuid;

use super::outbox::NewMessage;
use super::reminders::MINUTES_PER_DAY;
use crate::ics::{CalendarEvent, Place, registration_entry};
use crate::registration::links::ManageLinks;
use crate::registration::{Language, RegistrationStatus};
use crate::time_words;
use entity::values::IcsMethod;

pub use entity::values::MailKind as Kind;

/// One round of a person's networking tables.
pub struct TableLine {
    pub round: u32,
    pub table: u32,
    /// Their tablemates, e.g. "김민준 (Toss), Jane Doe".
    pub mates: String,
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
    /// The public event page.
    pub event_url: Option<String>,
    pub feedback_url: Option<String>,
    pub unsubscribe_url: Option<String>,
    /// How long until the event, for reminders ("7일", "1 day").
    pub lead_time: String,
    pub tables: Vec<TableLine>,
    /// The networking session the tables belong to, when it starts and its room.
    pub session_title: Option<String>,
    pub session_when: Option<String>,
    pub session_room: Option<String>,
    /// The Content-ID of the door QR image sent with the HTML part.
    pub qr_cid: Option<&'static str>,
    /// A calendar file is attached.
    pub has_invite: bool,
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
    RejectedKoSubject => "email/rejected/ko/subject.txt";
    RejectedKoText => "email/rejected/ko/body.txt";
    RejectedKoHtml => "email/rejected/ko/body.html";
    RejectedEnSubject => "email/rejected/en/subject.txt";
    RejectedEnText => "email/rejected/en/body.txt";
    RejectedEnHtml => "email/rejected/en/body.html";
    EventChangedKoSubject => "email/event_changed/ko/subject.txt";
    EventChangedKoText => "email/event_changed/ko/body.txt";
    EventChangedKoHtml => "email/event_changed/ko/body.html";
    EventChangedEnSubject => "email/event_changed/en/subject.txt";
    EventChangedEnText => "email/event_changed/en/body.txt";
    EventChangedEnHtml => "email/event_changed/en/body.html";
    EventCancelledKoSubject => "email/event_cancelled/ko/subject.txt";
    EventCancelledKoText => "email/event_cancelled/ko/body.txt";
    EventCancelledKoHtml => "email/event_cancelled/ko/body.html";
    EventCancelledEnSubject => "email/event_cancelled/en/subject.txt";
    EventCancelledEnText => "email/event_cancelled/en/body.txt";
    EventCancelledEnHtml => "email/event_cancelled/en/body.html";
    ReminderKoSubject => "email/reminder/ko/subject.txt";
    ReminderKoText => "email/reminder/ko/body.txt";
    ReminderKoHtml => "email/reminder/ko/body.html";
    ReminderEnSubject => "email/reminder/en/subject.txt";
    ReminderEnText => "email/reminder/en/body.txt";
    ReminderEnHtml => "email/reminder/en/body.html";
    FeedbackKoSubject => "email/feedback/ko/subject.txt";
    FeedbackKoText => "email/feedback/ko/body.txt";
    FeedbackKoHtml => "email/feedback/ko/body.html";
    FeedbackEnSubject => "email/feedback/en/subject.txt";
    FeedbackEnText => "email/feedback/en/body.txt";
    FeedbackEnHtml => "email/feedback/en/body.html";
    TablesKoSubject => "email/tables/ko/subject.txt";
    TablesKoText => "email/tables/ko/body.txt";
    TablesKoHtml => "email/tables/ko/body.html";
    TablesEnSubject => "email/tables/en/subject.txt";
    TablesEnText => "email/tables/en/body.txt";
    TablesEnHtml => "email/tables/en/body.html";
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
        (Kind::Rejected, Language::Ko) => with!(RejectedKoSubject, RejectedKoText, RejectedKoHtml),
        (Kind::Rejected, Language::En) => with!(RejectedEnSubject, RejectedEnText, RejectedEnHtml),
        (Kind::EventChanged, Language::Ko) => with!(
            EventChangedKoSubject,
            EventChangedKoText,
            EventChangedKoHtml
        ),
        (Kind::EventChanged, Language::En) => with!(
            EventChangedEnSubject,
            EventChangedEnText,
            EventChangedEnHtml
        ),
        (Kind::EventCancelled, Language::Ko) => with!(
            EventCancelledKoSubject,
            EventCancelledKoText,
            EventCancelledKoHtml
        ),
        (Kind::EventCancelled, Language::En) => with!(
            EventCancelledEnSubject,
            EventCancelledEnText,
            EventCancelledEnHtml
        ),
        (Kind::Reminder, Language::Ko) => with!(ReminderKoSubject, ReminderKoText, ReminderKoHtml),
        (Kind::Reminder, Language::En) => with!(ReminderEnSubject, ReminderEnText, ReminderEnHtml),
        (Kind::Feedback, Language::Ko) => with!(FeedbackKoSubject, FeedbackKoText, FeedbackKoHtml),
        (Kind::Feedback, Language::En) => with!(FeedbackEnSubject, FeedbackEnText, FeedbackEnHtml),
        (Kind::Tables, Language::Ko) => with!(TablesKoSubject, TablesKoText, TablesKoHtml),
        (Kind::Tables, Language::En) => with!(TablesEnSubject, TablesEnText, TablesEnHtml),
        // Not about a registration: `organizers::sign_in` renders it from its own templates.
        (Kind::SignIn, _) => {
            return Err(askama::Error::Custom(
                "a sign-in mail has no registration to render from".into(),
            ));
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
#[derive(Default)]
pub struct Extras {
    /// For `waitlisted`.
    pub waitlist_position: Option<u64>,
    /// For `cancelled`: the person held a seat, so their calendar invite is withdrawn.
    pub had_seat: bool,
    pub event_url: Option<String>,
    pub feedback_url: Option<String>,
    pub unsubscribe_url: Option<String>,
    /// For reminders: how long before the start.
    pub lead_time: Option<chrono::TimeDelta>,
    pub tables: Vec<TableLine>,
    pub session_title: Option<String>,
    /// When the networking session starts, and its room.
    pub session_starts_at: Option<DateTime<Utc>>,
    pub session_room: Option<String>,
    /// Tells repeated messages of one kind apart in the dedupe key (the reminder's offset,
    /// the networking session, the event change's sequence).
    pub cause: Option<String>,
}

/// Why a message could not be made or queued.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// A template does not render: a bug, never the recipient's doing.
    #[error("cannot render the message: {0}")]
    Render(#[from] askama::Error),
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// The event as every message about it shows it, loaded once for many messages, and the
/// manage links every message about a registration carries.
pub struct MailEvent<'a> {
    pub event: &'a event::Model,
    venue: Option<venue::Model>,
    links: &'a ManageLinks,
}

impl<'a> MailEvent<'a> {
    pub async fn load(
        db: &impl ConnectionTrait,
        event: &'a event::Model,
        links: &'a ManageLinks,
    ) -> Result<Self, DbErr> {
        let venue = match event.venue_id {
            Some(id) => venue::Entity::find_by_id(id).one(db).await?,
            None => None,
        };
        Ok(MailEvent {
            event,
            venue,
            links,
        })
    }

    /// Venue name and address, as the messages show them.
    fn place(&self) -> Option<String> {
        self.venue.as_ref().map(|venue| match venue.address.trim() {
            "" => venue.name.clone(),
            address => format!("{} ({address})", venue.name),
        })
    }

    fn calendar_place(&self) -> Option<Place<'_>> {
        self.venue.as_ref().map(|venue| Place {
            name: &venue.name,
            address: &venue.address,
        })
    }

    /// The message `kind` for a registration, rendered in its language, or `None` for an
    /// erased person (who has no address).
    pub fn message(
        &self,
        kind: Kind,
        row: &registration::Model,
        extras: Extras,
    ) -> Result<Option<NewMessage>, MailError> {
        let event = self.event;
        let Some(email) = row.email.clone() else {
            return Ok(None);
        };
        let language = row.language;
        let holds_seat = row.status == RegistrationStatus::Confirmed;
        let invite = match kind {
            Kind::Confirmed | Kind::Promoted => Some(IcsMethod::Request),
            Kind::EventChanged if holds_seat => Some(IcsMethod::Request),
            // Only a confirmed seat had an invite to withdraw.
            Kind::Cancelled if extras.had_seat => Some(IcsMethod::Cancel),
            Kind::EventCancelled if holds_seat => Some(IcsMethod::Cancel),
            _ => None,
        };
        let checkin = shows_door_code(kind);
        let context = MailContext {
            lang: language.as_str(),
            name: single_line(&row.name),
            event_title: single_line(&event.title),
            when: when(event, language),
            place: self.place(),
            checkin_code: checkin.then(|| row.checkin_code.clone()),
            manage_url: Some(self.links.url(row)),
            position_text: extras
                .waitlist_position
                .map(|p| p.to_string())
                .unwrap_or_default(),
            event_url: extras.event_url,
            feedback_url: extras.feedback_url,
            unsubscribe_url: extras.unsubscribe_url.clone(),
            lead_time: extras
                .lead_time
                .map(|lead| lead_time(lead, language))
                .unwrap_or_default(),
            tables: extras.tables,
            session_title: extras.session_title.as_deref().map(single_line),
            session_when: extras
                .session_starts_at
                .map(|at| starts_in_words(at, &event.time_zone, language)),
            session_room: extras.session_room.as_deref().map(single_line),
            qr_cid: checkin.then_some(DOOR_QR_CID),
            has_invite: invite.is_some(),
        };
        let rendered = render(kind, language, &context)?;
        let ics = invite.map(|method| {
            let mut entry = CalendarEvent {
                method: method.as_str(),
                attendee: Some((&row.name, &email)),
                ..registration_entry(event, self.calendar_place(), row.id)
            };
            if method == IcsMethod::Cancel {
                entry.status = "CANCELLED";
            }
            // Withdrawing one person's seat comes after every invite sent so far.
            if kind == Kind::Cancelled {
                entry.sequence += 1;
            }
            entry.to_ics()
        });
        let mut dedupe_key = match kind {
            Kind::Waitlisted => format!(
                "registration:{}:waitlisted:{}",
                row.id,
                row.waitlist_seq.unwrap_or_default()
            ),
            // Every resend is its own message.
            Kind::ManageLink => format!("registration:{}:manage_link:{}", row.id, Uuid::now_v7()),
            _ => format!("registration:{}:{}", row.id, kind.as_str()),
        };
        if let Some(cause) = extras.cause {
            dedupe_key = format!("{dedupe_key}:{cause}");
        }
        Ok(Some(NewMessage {
            registration_id: Some(row.id),
            dedupe_key,
            kind,
            language,
            to_address: email,
            to_name: Some(context.name),
            subject: rendered.subject,
            text_body: rendered.text,
            html_body: rendered.html,
            ics_method: ics.as_ref().and(invite),
            ics_body: ics,
            list_unsubscribe: extras.unsubscribe_url.filter(|_| !kind.is_transactional()),
        }))
    }
}

/// The messages that carry the door code and its QR image: the ones a person may show at
/// the door.
pub fn shows_door_code(kind: Kind) -> bool {
    matches!(kind, Kind::Confirmed | Kind::Promoted | Kind::Reminder)
}

/// The Content-ID of the door QR image, which the HTML part shows as `cid:` (see
/// [`super::mime`]).
pub const DOOR_QR_CID: &str = "door-qr@homecoming";

/// The event's public page.
pub fn event_url(base_url: &str, event: &event::Model) -> String {
    format!("{}/events/{}", base_url.trim_end_matches('/'), event.slug)
}

/// The message `kind` for a registration. Call inside the transaction that causes the
/// message, with the registration row as it is after the change.
pub async fn registration_message(
    db: &impl ConnectionTrait,
    kind: Kind,
    row: &registration::Model,
    event: &event::Model,
    links: &ManageLinks,
    extras: Extras,
) -> Result<Option<NewMessage>, MailError> {
    MailEvent::load(db, event, links)
        .await?
        .message(kind, row, extras)
}

/// "7일", "3시간" / "7 days", "1 hour": the largest whole unit.
pub fn lead_time(lead: chrono::TimeDelta, language: Language) -> String {
    let minutes = Ord::max(lead.num_minutes(), 1);
    let day = i64::from(MINUTES_PER_DAY);
    let (count, unit) = if minutes % day == 0 {
        (minutes / day, ("일", "day"))
    } else if minutes % 60 == 0 {
        (minutes / 60, ("시간", "hour"))
    } else {
        (minutes, ("분", "minute"))
    };
    match language {
        Language::Ko => format!("{count}{}", unit.0),
        Language::En if count == 1 => format!("1 {}", unit.1),
        Language::En => format!("{count} {}s", unit.1),
    }
}

/// A start in the event's zone: "5월 15일 (토) 17:00 (한국 시간)" / "Sat 15 May, 17:00 (Korea
/// time)".
fn starts_in_words(at: DateTime<Utc>, zone: &str, language: Language) -> String {
    let local = crate::domain::in_zone(at, zone);
    let separator = if language == Language::Ko { " " } else { ", " };
    format!(
        "{}{separator}{} ({})",
        time_words::day(&local, language),
        local.format("%H:%M"),
        time_words::zone_in_words(zone, language)
    )
}

/// The event's date and hours in its own time zone.
pub fn when(event: &event::Model, language: Language) -> String {
    time_words::event_when(event.starts_at, event.ends_at, &event.time_zone, language)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(lang: &'static str) -> MailContext {
        MailContext {
            lang,
            name: "김서연 <script>".into(),
            event_title: "1&N 홈커밍 2027".into(),
            when: "2027년 5월 15일 (토) 13:00–19:00 (한국 시간)".into(),
            place: Some("302동 대강당".into()),
            checkin_code: Some("K7P-M2X".into()),
            manage_url: Some("http://127.0.0.1:8080/registrations/abc".into()),
            position_text: "3".into(),
            event_url: Some("http://127.0.0.1:8080/events/homecoming-2027".into()),
            feedback_url: Some("http://127.0.0.1:8080/feedback/xyz".into()),
            unsubscribe_url: Some("http://127.0.0.1:8080/unsubscribe/u1".into()),
            lead_time: "7일".into(),
            tables: vec![TableLine {
                round: 1,
                table: 3,
                mates: "이민준 (Toss)".into(),
            }],
            session_title: Some("저녁 네트워킹".into()),
            session_when: Some("5월 15일 (토) 17:00 (한국 시간)".into()),
            session_room: Some("302동 로비".into()),
            qr_cid: Some(DOOR_QR_CID),
            has_invite: true,
        }
    }

    #[test]
    fn every_template_renders_in_both_languages() {
        // Sign-in mails are an organizer's, rendered by `organizers::sign_in` (tested there).
        for &kind in Kind::ALL.iter().filter(|&&kind| kind != Kind::SignIn) {
            for (language, lang) in [(Language::Ko, "ko"), (Language::En, "en")] {
                let rendered = render(kind, language, &context(lang)).unwrap();
                assert!(rendered.subject.contains("1&N 홈커밍 2027"), "{kind:?}");
                assert_eq!(
                    rendered.subject.matches("1&N").count(),
                    1,
                    "{}",
                    rendered.subject
                );
                // The header and its button, in every mail; the text says the same.
                for body in [&rendered.html, &rendered.text] {
                    assert!(body.contains("/registrations/abc"), "{kind:?}");
                    assert!(body.contains("(한국 시간)"), "{kind:?}");
                    assert!(body.contains("K7P-M2X"), "{kind:?}");
                }
                assert!(rendered.html.contains("cid:door-qr@homecoming"), "{kind:?}");
                assert!(rendered.html.contains("word-break:keep-all"));
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
    fn non_transactional_mail_offers_a_way_out() {
        for kind in [Kind::Reminder, Kind::Feedback] {
            let rendered = render(kind, Language::Ko, &context("ko")).unwrap();
            assert!(rendered.text.contains("/unsubscribe/u1"), "{kind:?}");
            assert!(rendered.html.contains("/unsubscribe/u1"), "{kind:?}");
        }
        let reminder = render(Kind::Reminder, Language::Ko, &context("ko")).unwrap();
        assert!(
            reminder.subject.contains("7일 남았습니다"),
            "{}",
            reminder.subject
        );
        let tables = render(Kind::Tables, Language::En, &context("en")).unwrap();
        assert!(tables.text.contains("Round 1: table 3 — 이민준 (Toss)"));
        assert!(tables.text.contains("저녁 네트워킹"), "{}", tables.text);
        let feedback = render(Kind::Feedback, Language::En, &context("en")).unwrap();
        assert!(feedback.text.contains("/feedback/xyz"));
    }

    #[test]
    fn lead_times_use_the_largest_whole_unit() {
        use chrono::TimeDelta;
        assert_eq!(lead_time(TimeDelta::days(7), Language::Ko), "7일");
        assert_eq!(lead_time(TimeDelta::days(1), Language::En), "1 day");
        assert_eq!(lead_time(TimeDelta::hours(3), Language::En), "3 hours");
        assert_eq!(lead_time(TimeDelta::minutes(90), Language::Ko), "90분");
    }

    #[test]
    fn single_line_removes_breaks() {
        assert_eq!(single_line("a\r\nBcc: x \n b"), "a Bcc: x b");
    }
}
