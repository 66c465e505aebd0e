use chrono::{DateTime, FixedOffset, Utc};
use entity::{event, venue};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{EventError, EventInput, EventStatus, NewEvent};
use crate::audit::{self, AuditAction, AuditTarget, Change};
use crate::db::{begin_write, lock_event};
use crate::domain::{EnglishLabels, Fields, Invalid, Slug, Tags, TimeRange, in_zone};
use crate::email::{self, Kind};
use crate::registration;
use crate::registration::links::ManageLinks;
use crate::talks::event_slots;
use crate::talks::schedule::{Frame, check_frame};
use crate::venues::room_ids;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Event {
    pub id: Uuid,
    #[schema(example = "1&N 홈커밍 2026")]
    pub title: String,
    #[schema(example = "1n-homecoming-2026")]
    pub slug: String,
    pub description: Option<String>,
    /// In the event's time zone.
    #[schema(value_type = String, format = DateTime, example = "2026-05-16T13:00:00+09:00")]
    pub starts_at: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime, example = "2026-05-16T18:00:00+09:00")]
    pub ends_at: DateTime<FixedOffset>,
    #[schema(example = "Asia/Seoul")]
    pub time_zone: String,
    pub venue_id: Option<Uuid>,
    pub capacity: Option<i32>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub registration_opens_at: Option<DateTime<FixedOffset>>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub registration_closes_at: Option<DateTime<FixedOffset>>,
    pub tags: Vec<String>,
    /// English labels of the tags (tag → label).
    #[schema(value_type = std::collections::BTreeMap<String, String>)]
    pub tags_en: EnglishLabels,
    pub requires_approval: bool,
    pub status: EventStatus,
    /// When the event was first published (it is public from then on).
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<event::Model> for Event {
    type Error = DbErr;

    fn try_from(row: event::Model) -> Result<Self, DbErr> {
        let zone = row.time_zone.clone();
        Ok(Event {
            id: row.id,
            title: row.title,
            slug: row.slug,
            description: row.description,
            starts_at: in_zone(row.starts_at, &zone),
            ends_at: in_zone(row.ends_at, &zone),
            venue_id: row.venue_id,
            capacity: row.capacity,
            registration_opens_at: row.registration_opens_at.map(|at| in_zone(at, &zone)),
            registration_closes_at: row.registration_closes_at.map(|at| in_zone(at, &zone)),
            tags: Tags::from_column(&row.tags)?,
            tags_en: EnglishLabels::from_column("tags_en", &row.tags_en)?,
            status: row.status,
            published_at: row.published_at,
            requires_approval: row.requires_approval,
            created_at: row.created_at,
            updated_at: row.updated_at,
            time_zone: zone,
        })
    }
}

impl Event {
    pub fn as_input(&self) -> EventInput {
        EventInput {
            title: self.title.clone(),
            slug: Some(self.slug.clone()),
            description: self.description.clone(),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            time_zone: Some(self.time_zone.clone()),
            venue_id: self.venue_id,
            capacity: self.capacity.map(i64::from),
            registration_opens_at: self.registration_opens_at,
            registration_closes_at: self.registration_closes_at,
            tags: self.tags.clone(),
            tags_en: self.tags_en.as_map().clone(),
            requires_approval: self.requires_approval,
            status: Some(self.status),
        }
    }
}

pub async fn load_event_row(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<event::Model, EventError> {
    event::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(EventError::NotFound)
}

/// An event with its seat counters, as the console lists it.
#[derive(Debug, Clone)]
pub struct EventOverview {
    pub event: Event,
    pub confirmed: i64,
    pub waitlisted: i64,
}

impl TryFrom<event::Model> for EventOverview {
    type Error = DbErr;

    fn try_from(row: event::Model) -> Result<Self, DbErr> {
        Ok(EventOverview {
            confirmed: row.confirmed_count,
            waitlisted: row.waitlisted_count,
            event: Event::try_from(row)?,
        })
    }
}

/// Every event, those not over yet first (soonest first), then the past (latest first).
pub async fn overview(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<EventOverview>, DbErr> {
    let mut rows = event::Entity::find().all(db).await?;
    rows.sort_by_key(|row| {
        let past = row.ends_at < now;
        let key = if past {
            -row.starts_at.timestamp()
        } else {
            row.starts_at.timestamp()
        };
        (past, key)
    });
    rows.into_iter().map(EventOverview::try_from).collect()
}

pub struct EventFilter {
    pub status: Option<EventStatus>,
    /// Calendar year of the start, where the event takes place.
    pub year: Option<i32>,
}

pub async fn list_events(
    db: &DatabaseConnection,
    filter: &EventFilter,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Event>, DbErr> {
    let mut query = event::Entity::find()
        .order_by_asc(event::Column::Id)
        .limit(limit + 1);
    if let Some(after) = after {
        query = query.filter(event::Column::Id.gt(after));
    }
    if let Some(status) = filter.status {
        query = query.filter(event::Column::Status.eq(status));
    }
    if let Some(year) = filter.year {
        query = query.filter(event::Column::LocalYear.eq(year));
    }
    query
        .all(db)
        .await?
        .into_iter()
        .map(Event::try_from)
        .collect()
}

async fn check_venue(txn: &DatabaseTransaction, venue_id: Option<Uuid>) -> Result<(), EventError> {
    if let Some(venue_id) = venue_id
        && venue::Entity::find_by_id(venue_id)
            .one(txn)
            .await?
            .is_none()
    {
        return Err(Invalid::field("venue_id", "no venue with this id").into());
    }
    Ok(())
}

/// The slug to store: the one given (409 when another event has it) or one derived from the
/// title, with `-2`, `-3`, ... appended until it is free.
async fn choose_slug(
    txn: &DatabaseTransaction,
    new: &NewEvent,
    own_id: Uuid,
) -> Result<String, EventError> {
    let taken = |slug: String| async move {
        let found = event::Entity::find()
            .filter(event::Column::Slug.eq(slug))
            .filter(event::Column::Id.ne(own_id))
            .one(txn)
            .await?;
        Ok::<_, DbErr>(found)
    };
    if let Some(slug) = &new.slug {
        return match taken(slug.as_str().to_string()).await? {
            Some(other) => Err(EventError::SlugTaken {
                slug: slug.as_str().to_string(),
                event_id: other.id,
                event: other.title,
            }),
            None => Ok(slug.as_str().to_string()),
        };
    }
    let base = Slug::from_title(&new.title);
    for n in 1..=MAX_SLUG_SUFFIX {
        let candidate = if n == 1 {
            base.clone()
        } else {
            base.with_suffix(n)
        };
        if taken(candidate.as_str().to_string()).await?.is_none() {
            return Ok(candidate.as_str().to_string());
        }
    }
    Err(Invalid::field(
        "slug",
        "no free slug could be derived from the title; choose one",
    )
    .into())
}

/// Publishing makes the event open for registration, which needs somewhere and seats.
fn check_publishable(new: &NewEvent) -> Result<(), Invalid> {
    let mut fields = Fields::default();
    if new.venue_id.is_none() {
        fields.push("venue_id", "an event needs a venue before it is published");
    }
    if new.capacity.is_none() {
        fields.push(
            "capacity",
            "an event needs a capacity before it is published",
        );
    }
    fields.finish()
}

fn columns(active: &mut event::ActiveModel, new: &NewEvent, slug: String) {
    active.title = Set(new.title.clone());
    active.slug = Set(slug);
    active.description = Set(new.description.clone());
    active.starts_at = Set(new.time.starts_at());
    active.ends_at = Set(new.time.ends_at());
    active.time_zone = Set(new.time_zone.name().to_string());
    active.local_year = Set(new.local_year);
    active.venue_id = Set(new.venue_id);
    active.capacity = Set(new.capacity.map(|c| c.get()));
    active.registration_opens_at = Set(new.registration_opens_at);
    active.registration_closes_at = Set(new.registration_closes_at);
    active.tags = Set(new.tags.to_column());
    active.tags_en = Set(new.tags_en.to_column());
    active.requires_approval = Set(new.requires_approval);
    active.updated_at = Set(Utc::now());
}

/// How many times a write is tried when concurrent writers keep taking its slug.
const SLUG_ATTEMPTS: u32 = 10;

/// How far a derived slug is numbered (`title-2`, `title-3`, ...) before giving up.
const MAX_SLUG_SUFFIX: u32 = 1000;

/// Whether a write failed only because a concurrent request took the slug between
/// `choose_slug`'s check and the write (possible on PostgreSQL, where writers do not queue
/// for one lock as on SQLite): the unique index refused it. Trying again in a new transaction
/// sees the other event, so a derived slug moves on to the next free one and an explicit slug
/// gets the usual 409 naming the event that has it.
fn lost_slug_race(error: &EventError) -> bool {
    matches!(error, EventError::Database(error)
        if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))))
}

pub async fn create_event(db: &DatabaseConnection, new: NewEvent) -> Result<Event, EventError> {
    if new
        .status
        .is_some_and(|status| status != EventStatus::Draft)
    {
        return Err(Invalid::field(
            "status",
            "new events start as draft; publish them with PATCH {\"status\": \"published\"}",
        )
        .into());
    }
    retrying_slug_races(|| insert_event(db, &new)).await
}

/// Runs `write` again, in a new transaction, while it loses slug races.
async fn retrying_slug_races<F, Fut>(mut write: F) -> Result<Event, EventError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Event, EventError>>,
{
    let mut attempt = 1;
    loop {
        match write().await {
            Err(error) if attempt < SLUG_ATTEMPTS && lost_slug_race(&error) => attempt += 1,
            result => return result,
        }
    }
}

async fn insert_event(db: &DatabaseConnection, new: &NewEvent) -> Result<Event, EventError> {
    let txn = begin_write(db).await?;
    check_venue(&txn, new.venue_id).await?;
    let id = Uuid::now_v7();
    let slug = choose_slug(&txn, new, id).await?;
    let mut active = event::ActiveModel {
        id: Set(id),
        status: Set(EventStatus::Draft),
        // Written rather than left to the column default, so the row read back holds them.
        confirmed_count: Set(0),
        waitlisted_count: Set(0),
        last_waitlist_seq: Set(0),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    columns(&mut active, new, slug);
    let row = event::Entity::insert(active)
        .exec_with_returning(&txn)
        .await?;
    let event = Event::try_from(row)?;
    audit::record(
        &txn,
        Change::created(AuditTarget::Event, id, &event).in_event(id),
    )
    .await?;
    txn.commit().await?;
    Ok(event)
}

/// Changes an event to what `change` makes of it. `change` is given the event as it is inside
/// the write transaction, after the row is locked: given a copy read earlier, a change (such
/// as a merge patch) would write back stale values of the fields it does not name, undoing a
/// concurrent change (or, for `status`, turning a concurrent cancellation into a refused
/// `cancelled -> draft`). It runs again should the write lose a race for the slug.
pub async fn update_event(
    db: &DatabaseConnection,
    links: &ManageLinks,
    id: Uuid,
    change: impl Fn(EventInput) -> Result<NewEvent, Invalid>,
) -> Result<Event, EventError> {
    retrying_slug_races(|| async {
        let txn = begin_write(db).await?;
        // Locked so that talks cannot be placed while the event's frame changes under them.
        let row = lock_event(&txn, id).await?.ok_or(EventError::NotFound)?;
        let before = Event::try_from(row.clone())?;
        let new = change(before.as_input())?;
        let event = write_event(&txn, links, row, new).await?;
        let action = status_action(before.status, event.status);
        let change = Change::changed(action, AuditTarget::Event, id, &before, &event);
        audit::record(&txn, change.in_event(id)).await?;
        txn.commit().await?;
        Ok(event)
    })
    .await
}

/// What a change that moves an event from `from` to `to` is called in the audit log.
fn status_action(from: EventStatus, to: EventStatus) -> AuditAction {
    match to {
        _ if from == to => AuditAction::Update,
        EventStatus::Published => AuditAction::Publish,
        EventStatus::Closed => AuditAction::Close,
        EventStatus::Completed => AuditAction::Complete,
        EventStatus::Cancelled => AuditAction::Cancel,
        EventStatus::Draft => AuditAction::Update,
    }
}

/// Checks `new` against the locked `row` (transition, publishability, venue, talks, slug) and
/// writes it.
async fn write_event(
    txn: &DatabaseTransaction,
    links: &ManageLinks,
    row: event::Model,
    new: NewEvent,
) -> Result<Event, EventError> {
    let id = row.id;
    let current = row.status;
    let next = new.status.unwrap_or(current);
    if next != current && !current.can_become(next) {
        return Err(EventError::InvalidTransition {
            from: current,
            to: next,
        });
    }
    if next == EventStatus::Published {
        check_publishable(&new)?;
    }
    check_venue(txn, new.venue_id).await?;
    let moved = row.starts_at != new.time.starts_at() || row.ends_at != new.time.ends_at();
    if moved || row.venue_id != new.venue_id {
        let venue_rooms = match new.venue_id {
            Some(venue_id) => room_ids(txn, venue_id).await?,
            None => Vec::new(),
        };
        let frame = Frame {
            time: new.time,
            room_ids: &venue_rooms,
        };
        check_frame(&frame, &event_slots(txn, id).await?).map_err(EventError::Schedule)?;
    }
    let relocated = row.venue_id != new.venue_id;
    let capacity_changed = row.capacity != new.capacity.map(|c| c.get());
    if capacity_changed {
        registration::store::check_capacity(&row, new.capacity.map(|c| c.get()))?;
    }
    let slug = choose_slug(txn, &new, id).await?;
    let published_at = row.published_at;
    // Only an event that was ever published can have registrants to tell.
    let notice = match published_at {
        Some(_) if next == EventStatus::Cancelled && current != EventStatus::Cancelled => {
            Some(Kind::EventCancelled)
        }
        Some(_) if next != EventStatus::Cancelled && (moved || relocated) => {
            Some(Kind::EventChanged)
        }
        _ => None,
    };
    let calendar_sequence = row.calendar_sequence;
    let mut active: event::ActiveModel = row.into();
    columns(&mut active, &new, slug);
    active.status = Set(next);
    if next == EventStatus::Published && published_at.is_none() {
        active.published_at = Set(Some(Utc::now()));
    }
    if notice.is_some() {
        // Calendars replace an invite only with one of a higher SEQUENCE.
        active.calendar_sequence = Set(calendar_sequence + 1);
    }
    let row = event::Entity::update(active).exec(txn).await?;
    if let Some(kind) = notice {
        email::notices::tell_registrants(txn, &row, links, kind).await?;
    }
    if capacity_changed {
        // More seats go to the head of the waitlist at once.
        let seats = registration::seats::Seats::of(&row);
        registration::store::fill_free_seats(txn, &row, links, seats).await?;
    }
    Ok(Event::try_from(row)?)
}

/// Only drafts and cancelled events can be deleted: anything else may have been seen or
/// registered for, and is kept as history.
pub async fn delete_event(db: &DatabaseConnection, id: Uuid) -> Result<(), EventError> {
    let txn = begin_write(db).await?;
    let row = lock_event(&txn, id).await?.ok_or(EventError::NotFound)?;
    if !matches!(row.status, EventStatus::Draft | EventStatus::Cancelled) {
        return Err(EventError::KeptAsHistory { status: row.status });
    }
    event::Entity::delete_by_id(id).exec(&txn).await?;
    let before = Event::try_from(row)?;
    audit::record(
        &txn,
        Change::deleted(AuditTarget::Event, id, &before).in_event(id),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The event's time span, for code that has a stored row.
pub fn event_time(row: &event::Model) -> Result<TimeRange, DbErr> {
    TimeRange::new(row.starts_at, row.ends_at)
        .map_err(|error| DbErr::Custom(format!("stored event {}: {error}", row.id)))
}
