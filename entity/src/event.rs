use sea_orm::entity::prelude::*;

pub use crate::values::EventStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    #[sea_orm(unique)]
    pub slug: String,
    pub description: Option<String>,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// IANA time zone name the event is held in, e.g. `Asia/Seoul`.
    pub time_zone: String,
    /// Calendar year of `starts_at` in the event's own time zone, for filtering by year.
    pub local_year: i32,
    pub venue_id: Option<Uuid>,
    pub capacity: Option<i32>,
    pub registration_opens_at: Option<DateTimeUtc>,
    pub registration_closes_at: Option<DateTimeUtc>,
    /// JSON array of lowercase tags.
    pub tags: String,
    /// JSON object of English labels for the tags (tag → label); `{}` when none.
    pub tags_en: String,
    pub status: EventStatus,
    /// When the event was first published. Only events that were ever published are public:
    /// a draft cancelled before publication stays private.
    pub published_at: Option<DateTimeUtc>,
    /// Registrations wait for an organizer's approval instead of taking a seat at once.
    pub requires_approval: bool,
    /// JSON array of minutes before the start at which confirmed attendees are reminded.
    pub reminder_offsets: String,
    /// The SEQUENCE of the event's calendar invites: raised whenever the time or place
    /// changes or the event is cancelled, so calendars replace the older copy.
    pub calendar_sequence: i32,
    /// Registrations holding a seat; changed with every status change, under the event lock.
    pub confirmed_count: i64,
    /// Registrations on the waitlist; the newest one's position is this number.
    pub waitlisted_count: i64,
    /// The waitlist number given last; the next one is one higher.
    pub last_waitlist_seq: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
