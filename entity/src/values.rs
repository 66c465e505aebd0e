//! The closed sets stored in columns (statuses, roles, languages, kinds). Each is an enum down
//! to the column: reading a value that is not one of its variants is an error
//! (`DbErr::Type`), never a silent default.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares a closed set once: the variants with their stored (and JSON) spelling, `ALL`,
/// `as_str` and a strict `parse`. The spelling is taken as `tt`: utoipa does not see a
/// `literal` fragment inside `#[serde(rename = ...)]` and would document the variant names.
macro_rules! closed_set {
    (
        $(#[$meta:meta])*
        $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $value:tt),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize,
            Deserialize, ToSchema,
        )]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
        pub enum $name {
            $(
                $(#[$variant_meta])*
                #[sea_orm(string_value = $value)]
                #[serde(rename = $value)]
                $variant,
            )+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and serialized spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $value,)+
                }
            }

            /// The variant spelled exactly `raw`, if any.
            pub fn parse(raw: &str) -> Option<Self> {
                match raw {
                    $($value => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

closed_set! {
    /// The language of a person's pages and emails.
    #[derive(Default)]
    Language {
        #[default]
        Ko = "ko",
        En = "en",
    }
}

impl Language {
    /// The other language, for a language switch.
    pub fn other(self) -> Self {
        match self {
            Language::Ko => Language::En,
            Language::En => Language::Ko,
        }
    }
}

closed_set! {
    /// Who someone is at the homecoming.
    Role {
        Student = "student",
        Alumni = "alumni",
        Guest = "guest",
    }
}

closed_set! {
    /// What someone hopes to get from the networking tables (kept in a JSON list column).
    Goal {
        FindMentor = "find_mentor",
        Mentor = "mentor",
        Hiring = "hiring",
        JobSeeking = "job_seeking",
        MeetPeople = "meet_people",
    }
}

closed_set! {
    /// Where a registration stands.
    RegistrationStatus {
        Confirmed = "confirmed",
        Waitlisted = "waitlisted",
        Pending = "pending",
        Rejected = "rejected",
        Cancelled = "cancelled",
    }
}

impl RegistrationStatus {
    /// Active registrations hold (or wait for) a seat and block a second one for the email.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            RegistrationStatus::Confirmed
                | RegistrationStatus::Waitlisted
                | RegistrationStatus::Pending
        )
    }
}

closed_set! {
    /// The life cycle of an event: `draft` -> `published` -> `closed` -> `completed`, and
    /// `cancelled` from any state before `completed`.
    EventStatus {
        Draft = "draft",
        Published = "published",
        Closed = "closed",
        Completed = "completed",
        Cancelled = "cancelled",
    }
}

impl EventStatus {
    /// The documented transitions; a closed event may be re-opened (`closed` -> `published`)
    /// when seats free up or the window is extended.
    pub fn can_become(self, next: EventStatus) -> bool {
        use EventStatus::*;
        matches!(
            (self, next),
            (Draft, Published)
                | (Published, Closed)
                | (Closed, Published)
                | (Closed, Completed)
                | (Draft | Published | Closed, Cancelled)
        )
    }
}

closed_set! {
    /// What a schedule item is.
    #[derive(Default)]
    TalkKind {
        #[default]
        Talk = "talk",
        Lightning = "lightning",
        Panel = "panel",
        Networking = "networking",
        Break = "break",
    }
}

impl TalkKind {
    /// Talks, lightning talks and panels are given by someone; networking and breaks are not.
    pub fn needs_speaker(self) -> bool {
        matches!(self, TalkKind::Talk | TalkKind::Lightning | TalkKind::Panel)
    }
}

closed_set! {
    /// How a custom question is answered.
    QuestionKind {
        Text = "text",
        SingleChoice = "single_choice",
        MultipleChoice = "multiple_choice",
    }
}

closed_set! {
    /// Where an outbox message stands.
    OutboxStatus {
        /// Waiting for its first attempt.
        Queued = "queued",
        /// Claimed by a worker (until its lease ends).
        Sending = "sending",
        Sent = "sent",
        /// A transient failure; tried again at `next_attempt_at`.
        Retrying = "retrying",
        /// A permanent failure or too many attempts; an organizer may retry it.
        Failed = "failed",
    }
}

closed_set! {
    /// What caused a message; also the folder of its templates.
    MailKind {
        Confirmed = "confirmed",
        Waitlisted = "waitlisted",
        Pending = "pending",
        Promoted = "promoted",
        Cancelled = "cancelled",
        ManageLink = "manage_link",
        Rejected = "rejected",
        EventChanged = "event_changed",
        EventCancelled = "event_cancelled",
        Reminder = "reminder",
        Feedback = "feedback",
        Tables = "tables",
        /// An organizer's one-time console sign-in link.
        SignIn = "sign_in",
    }
}

impl MailKind {
    /// Reminders and surveys: people may opt out of them, and they carry `List-Unsubscribe`.
    /// Everything else answers something the person did or must know.
    pub fn is_transactional(self) -> bool {
        !matches!(self, MailKind::Reminder | MailKind::Feedback)
    }
}

closed_set! {
    /// The iTIP method of a calendar attachment (RFC 5546).
    IcsMethod {
        Request = "REQUEST",
        Cancel = "CANCEL",
    }
}

closed_set! {
    /// Whether someone would come to the next homecoming.
    ComeAgain {
        Yes = "yes",
        Maybe = "maybe",
        No = "no",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips_and_unknown_ones_are_refused() {
        for status in RegistrationStatus::ALL {
            assert_eq!(RegistrationStatus::parse(status.as_str()), Some(*status));
            assert_eq!(status.to_value(), status.as_str());
        }
        assert_eq!(RegistrationStatus::parse("Confirmed"), None);
        assert!(RegistrationStatus::try_from_value(&"bogus".to_string()).is_err());
        assert_eq!(MailKind::ManageLink.as_str(), "manage_link");
        assert_eq!(IcsMethod::Cancel.to_string(), "CANCEL");
    }

    /// The values the OpenAPI document lists for a closed set.
    fn schema_values<T: utoipa::PartialSchema>() -> Vec<String> {
        let schema = serde_json::to_value(T::schema()).unwrap();
        schema["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("no enum in {schema}"))
            .iter()
            .map(|value| value.as_str().unwrap().to_string())
            .collect()
    }

    fn spellings<T: Copy>(all: &[T], as_str: fn(T) -> &'static str) -> Vec<String> {
        all.iter().map(|value| as_str(*value).to_string()).collect()
    }

    #[test]
    fn the_api_documents_the_stored_spelling() {
        assert_eq!(
            schema_values::<Language>(),
            spellings(Language::ALL, Language::as_str)
        );
        assert_eq!(schema_values::<Role>(), spellings(Role::ALL, Role::as_str));
        assert_eq!(schema_values::<Goal>(), spellings(Goal::ALL, Goal::as_str));
        assert_eq!(
            schema_values::<RegistrationStatus>(),
            spellings(RegistrationStatus::ALL, RegistrationStatus::as_str)
        );
        assert_eq!(
            schema_values::<EventStatus>(),
            spellings(EventStatus::ALL, EventStatus::as_str)
        );
        assert_eq!(
            schema_values::<TalkKind>(),
            spellings(TalkKind::ALL, TalkKind::as_str)
        );
        assert_eq!(
            schema_values::<QuestionKind>(),
            spellings(QuestionKind::ALL, QuestionKind::as_str)
        );
        assert_eq!(
            schema_values::<OutboxStatus>(),
            spellings(OutboxStatus::ALL, OutboxStatus::as_str)
        );
        assert_eq!(
            schema_values::<MailKind>(),
            spellings(MailKind::ALL, MailKind::as_str)
        );
        assert_eq!(
            schema_values::<IcsMethod>(),
            spellings(IcsMethod::ALL, IcsMethod::as_str)
        );
        assert_eq!(
            schema_values::<ComeAgain>(),
            spellings(ComeAgain::ALL, ComeAgain::as_str)
        );
    }

    #[test]
    fn json_uses_the_stored_spelling() {
        assert_eq!(
            serde_json::to_string(&QuestionKind::SingleChoice).unwrap(),
            "\"single_choice\""
        );
        assert_eq!(
            serde_json::from_str::<Language>("\"en\"").unwrap(),
            Language::En
        );
        assert!(serde_json::from_str::<Role>("\"teacher\"").is_err());
    }
}

closed_set! {
    /// What an organizer did, in the audit log.
    AuditAction {
        Create = "create",
        Update = "update",
        Delete = "delete",
        Publish = "publish",
        Close = "close",
        Cancel = "cancel",
        Approve = "approve",
        /// A seat that freed up went to the head of the waitlist.
        Promote = "promote",
        Reject = "reject",
        CheckIn = "check_in",
        UndoCheckIn = "undo_check_in",
        Erase = "erase",
        Retry = "retry",
        Move = "move",
        Revoke = "revoke",
        Invite = "invite",
        Complete = "complete",
        /// A late arrival seated in a networking session.
        Seat = "seat",
        /// A new secret link (the room's table plan); the old one stops working.
        RenewLink = "renew_link",
    }
}

closed_set! {
    /// What an audit log entry is about.
    AuditTarget {
        Event = "event",
        Venue = "venue",
        Speaker = "speaker",
        Talk = "talk",
        Question = "question",
        Registration = "registration",
        Person = "person",
        NetworkingSession = "networking_session",
        OutboxMessage = "outbox_message",
        Organizer = "organizer",
        ApiToken = "api_token",
    }
}
