use sea_orm::entity::prelude::*;

pub use crate::values::{Language, RegistrationStatus, Role};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registrations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub person_id: Uuid,
    /// Trimmed and lowercased; NULL once the person is erased.
    pub email: Option<String>,
    /// Equal to `email` while the registration is active (confirmed, waitlisted or pending),
    /// NULL otherwise; unique per event.
    pub active_email: Option<String>,
    pub name: String,
    pub role: Role,
    pub admission_year: Option<i32>,
    pub graduation_year: Option<i32>,
    pub affiliation: Option<String>,
    pub job_title: Option<String>,
    /// JSON array of the event's topic tags the person chose.
    pub interests: String,
    pub interests_other: Option<String>,
    /// JSON array of networking goals.
    pub goals: String,
    /// JSON array of speaker ids.
    pub wanted_speaker_ids: String,
    pub consent_share: bool,
    /// The language of their emails and pages.
    pub language: Language,
    /// JSON object: question id -> answer (a string or a list of strings).
    pub answers: String,
    pub status: RegistrationStatus,
    /// Order on the waitlist (lower is earlier); set while waitlisted.
    pub waitlist_seq: Option<i64>,
    #[sea_orm(unique)]
    /// The hash of a manage token from before signed links; retired (replaced by the hash of
    /// a token nobody holds) when the person signs out other links.
    pub manage_token_hash: String,
    /// Signed manage links carry this; raising it retires every link made before.
    pub manage_link_generation: i32,
    /// When the link was last mailed because the email was registered again.
    pub manage_link_mailed_at: Option<DateTimeUtc>,
    pub checkin_code: String,
    pub checked_in_at: Option<DateTimeUtc>,
    /// When the registration last took a seat; reminders due before then are not sent.
    pub confirmed_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
