//! Each attendee's own tables: mailed when a session is published (through the outbox, in the
//! transaction that publishes) and shown on their manage page for every published session.
//!
//! Republishing: changes to a published session (a move, a late arrival) show on the manage
//! pages at once but are mailed only when the organizer publishes again. Then each confirmed
//! attendee whose rounds, tables or tablemates differ from the last tables mail they got for
//! that session gets exactly one new mail; publishing again without a change mails nobody.
//! The outbox is the record of what each person was told: a tables mail's dedupe key ends in
//! `session:{session}:{n}:{fingerprint}`, the person's `n`-th mail for the session and a digest
//! of the tables it shows.

use std::collections::HashMap;

use entity::{event, networking_session, outbox_message, registration, room};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::plan::{self, Placement};
use super::store::schedule_of;
use crate::email::messages::TableLine;
use crate::email::{Extras, Kind, MailError, MailEvent, enqueue_many};
use crate::registration::RegistrationStatus;
use crate::registration::links::ManageLinks;

/// How a person is called at a table: Korean names whole, others by their first word.
pub fn called(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_string()
}

/// A tablemate as the plan shows them: "김민준 (Toss)", "Jane".
fn mate_label(row: &registration::Model) -> String {
    match row.affiliation.as_deref().map(str::trim) {
        Some(affiliation) if !affiliation.is_empty() => {
            format!("{} ({affiliation})", called(&row.name))
        }
        _ => called(&row.name),
    }
}

fn lines(placements: &[Placement], labels: &HashMap<String, String>) -> Vec<TableLine> {
    placements
        .iter()
        .map(|placement| TableLine {
            round: placement.round as u32,
            table: placement.table as u32,
            mates: placement
                .mates
                .iter()
                .filter_map(|id| labels.get(id).map(String::as_str))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect()
}

fn labels(rows: &[registration::Model]) -> HashMap<String, String> {
    rows.iter()
        .map(|row| (row.id.to_string(), mate_label(row)))
        .collect()
}

/// One published session as a person sees it.
pub struct SessionTables {
    pub title: String,
    pub lines: Vec<TableLine>,
}

/// The tables of one registration in every published session of its event (oldest session
/// first). The manage page shows them to confirmed attendees.
pub async fn tables_of(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    registration_id: Uuid,
) -> Result<Vec<SessionTables>, DbErr> {
    let sessions = networking_session::Entity::find()
        .filter(networking_session::Column::EventId.eq(event_id))
        .filter(networking_session::Column::PublishedAt.is_not_null())
        .order_by_asc(networking_session::Column::Id)
        .all(db)
        .await?;
    let who = registration_id.to_string();
    let mut seated = Vec::new();
    for session in sessions {
        let placements = plan::placements(&schedule_of(&session)?, &who);
        if !placements.is_empty() {
            seated.push((session.title, placements));
        }
    }
    if seated.is_empty() {
        return Ok(Vec::new());
    }
    let labels = labels(
        &registration::Entity::find()
            .filter(registration::Column::EventId.eq(event_id))
            .all(db)
            .await?,
    );
    Ok(seated
        .into_iter()
        .map(|(title, placements)| SessionTables {
            title,
            lines: lines(&placements, &labels),
        })
        .collect())
}

/// What each person was last mailed for this session: registration -> (n, fingerprint).
async fn last_mailed(
    txn: &DatabaseTransaction,
    session_id: Uuid,
) -> Result<HashMap<Uuid, (u32, String)>, DbErr> {
    let keys: Vec<String> = outbox_message::Entity::find()
        .select_only()
        .column(outbox_message::Column::DedupeKey)
        .filter(outbox_message::Column::Kind.eq(Kind::Tables))
        .filter(
            outbox_message::Column::DedupeKey
                .like(format!("registration:%:tables:session:{session_id}:%")),
        )
        .into_tuple()
        .all(txn)
        .await?;
    let mut last: HashMap<Uuid, (u32, String)> = HashMap::new();
    for key in keys {
        // registration:{id}:tables:session:{session}:{n}:{fingerprint}
        let parts: Vec<&str> = key.split(':').collect();
        let [_, id, _, _, _, n, fingerprint] = parts[..] else {
            continue;
        };
        let (Ok(id), Ok(n)) = (id.parse::<Uuid>(), n.parse::<u32>()) else {
            continue;
        };
        let entry = last.entry(id).or_insert((0, String::new()));
        if n > entry.0 {
            *entry = (n, fingerprint.to_string());
        }
    }
    Ok(last)
}

/// Queues a tables mail for every confirmed attendee seated in `session` whose tables differ
/// from the last tables mail they got for it (everyone seated, the first time). Call in the
/// transaction that publishes. Returns how many mails were queued.
pub(super) async fn mail_tables(
    txn: &DatabaseTransaction,
    event: &event::Model,
    links: &ManageLinks,
    session: &networking_session::Model,
) -> Result<u64, MailError> {
    let rounds = schedule_of(session)?;
    let rows = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event.id))
        .all(txn)
        .await?;
    let labels = labels(&rows);
    let mailed = last_mailed(txn, session.id).await?;
    let mail_event = MailEvent::load(txn, event, links).await?;
    let room = match session.room_id {
        Some(id) => room::Entity::find_by_id(id)
            .one(txn)
            .await?
            .map(|room| room.name),
        None => None,
    };
    let mut messages = Vec::new();
    for row in rows
        .iter()
        .filter(|row| row.status == RegistrationStatus::Confirmed)
    {
        let placements = plan::placements(&rounds, &row.id.to_string());
        if placements.is_empty() {
            continue;
        }
        let fingerprint = plan::fingerprint(&placements);
        let (n, last) = mailed
            .get(&row.id)
            .map_or((0, ""), |(n, last)| (*n, last.as_str()));
        if last == fingerprint {
            continue;
        }
        let extras = Extras {
            tables: lines(&placements, &labels),
            session_title: Some(session.title.clone()),
            session_starts_at: session.starts_at,
            session_room: room.clone(),
            cause: Some(format!("session:{}:{}:{fingerprint}", session.id, n + 1)),
            ..Extras::default()
        };
        messages.extend(mail_event.message(Kind::Tables, row, extras)?);
    }
    Ok(enqueue_many(txn, messages).await?)
}
