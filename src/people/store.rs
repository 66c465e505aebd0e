//! The people's queries: a person with their history across events, erasure, and the
//! opt-out from reminders and surveys that an unsubscribe link makes.

use std::collections::HashMap;

use chrono::Utc;
use entity::{event, person, registration};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::{ERASED_NAME, HistoryEntry, Person};
use crate::audit::{self, AuditAction, AuditTarget, Change};
use crate::db::begin_write;
use crate::domain::{Tags, contains_pattern};
use crate::email::unsubscribe::{KEY_NAME, verify};
use crate::registration::Language;
use crate::registration::links::retire_all;
use crate::secrets::shared_secret;

#[derive(Debug, thiserror::Error)]
pub enum PeopleError {
    /// No such person, or one who has been erased.
    #[error("person not found")]
    PersonNotFound,
    #[error(transparent)]
    Database(#[from] DbErr),
}

async fn with_history(
    db: &impl ConnectionTrait,
    people: Vec<person::Model>,
) -> Result<Vec<Person>, DbErr> {
    let ids: Vec<Uuid> = people.iter().map(|p| p.id).collect();
    let registrations = registration::Entity::find()
        .filter(registration::Column::PersonId.is_in(ids))
        .all(db)
        .await?;
    let event_ids: Vec<Uuid> = registrations.iter().map(|r| r.event_id).collect();
    let events: HashMap<Uuid, event::Model> = event::Entity::find()
        .filter(event::Column::Id.is_in(event_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let mut by_person: HashMap<Uuid, Vec<HistoryEntry>> = HashMap::new();
    for row in registrations {
        let Some(event) = events.get(&row.event_id) else {
            continue;
        };
        by_person
            .entry(row.person_id)
            .or_default()
            .push(HistoryEntry {
                event_id: event.id,
                event_title: event.title.clone(),
                event_starts_at: event.starts_at,
                year: event.local_year,
                status: row.status,
                checked_in: row.checked_in_at.is_some(),
            });
    }
    people
        .into_iter()
        .map(|row| {
            let mut history = by_person.remove(&row.id).unwrap_or_default();
            history.sort_by_key(|entry| entry.event_starts_at);
            Ok(Person {
                id: row.id,
                name: row.name,
                email: row.email,
                role: row.role,
                admission_year: row.admission_year,
                graduation_year: row.graduation_year,
                affiliation: row.affiliation,
                job_title: row.job_title,
                interests: Tags::from_column(&row.interests)?,
                events_registered: history.len(),
                events_attended: history.iter().filter(|entry| entry.checked_in).count(),
                history,
            })
        })
        .collect()
}

/// One page of the people not erased, by id after `after`, whose name or email contains
/// `search`; one more than `limit`, so the caller knows whether a next page exists.
pub async fn list(
    db: &DatabaseConnection,
    search: Option<&str>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Person>, DbErr> {
    let mut select = person::Entity::find()
        .filter(person::Column::ErasedAt.is_null())
        .order_by_asc(person::Column::Id)
        .limit(limit + 1);
    if let Some(after) = after {
        select = select.filter(person::Column::Id.gt(after));
    }
    if let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = contains_pattern(db.get_database_backend(), search);
        select = select.filter(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col(person::Column::Name)))
                        .like(LikeExpr::new(pattern.clone()).escape('\\')),
                )
                .add(Expr::col(person::Column::Email).like(LikeExpr::new(pattern).escape('\\'))),
        );
    }
    with_history(db, select.all(db).await?).await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Person, PeopleError> {
    let row = person::Entity::find_by_id(id)
        .filter(person::Column::ErasedAt.is_null())
        .one(db)
        .await?
        .ok_or(PeopleError::PersonNotFound)?;
    let mut people = with_history(db, vec![row]).await?;
    Ok(people.remove(0))
}

/// Removes the person's personal data from every table, in one transaction.
pub async fn erase(db: &DatabaseConnection, person_id: Uuid) -> Result<(), PeopleError> {
    let txn = begin_write(db).await?;
    let row = person::Entity::find_by_id(person_id)
        .filter(person::Column::ErasedAt.is_null())
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(PeopleError::PersonNotFound)?;
    let now = Utc::now();
    let mut active: person::ActiveModel = row.into();
    active.email = Set(None);
    active.name = Set(ERASED_NAME.into());
    active.role = Set(None);
    active.admission_year = Set(None);
    active.graduation_year = Set(None);
    active.affiliation = Set(None);
    active.job_title = Set(None);
    active.interests = Set("[]".into());
    active.erased_at = Set(Some(now));
    active.updated_at = Set(now);
    person::Entity::update(active).exec(&txn).await?;
    let registrations = registration::Entity::find()
        .filter(registration::Column::PersonId.eq(person_id))
        .all(&txn)
        .await?;
    let registration_ids: Vec<Uuid> = registrations.iter().map(|row| row.id).collect();
    // Their emails, sent or not, hold their address and name (and unsent ones must not go out).
    crate::email::outbox::forget(&txn, registration_ids.iter().copied()).await?;
    crate::feedback::store::forget_comments(&txn, registration_ids.iter().copied()).await?;
    crate::registration::admission::forget_idempotency_keys(&txn, registration_ids.iter().copied())
        .await?;
    for registration in registrations {
        let mut active: registration::ActiveModel = registration.clone().into();
        active.email = Set(None);
        active.active_email = Set(None);
        active.name = Set(ERASED_NAME.into());
        active.admission_year = Set(None);
        active.graduation_year = Set(None);
        active.affiliation = Set(None);
        active.job_title = Set(None);
        active.interests = Set("[]".into());
        active.interests_other = Set(None);
        active.goals = Set("[]".into());
        active.wanted_speaker_ids = Set("[]".into());
        active.answers = Set("{}".into());
        retire_all(&mut active, registration.manage_link_generation);
        active.updated_at = Set(now);
        registration::Entity::update(active).exec(&txn).await?;
    }
    // The log keeps that things were changed, not what they held about the person; the
    // erasure itself is then recorded, with nothing personal in it.
    audit::scrub(&txn, person_id, &registration_ids).await?;
    let change = Change::new(AuditAction::Erase, AuditTarget::Person, person_id)
        .after(&serde_json::json!({ "erased_at": now }));
    audit::record(&txn, change).await?;
    txn.commit().await?;
    tracing::info!(person_id = %person_id, "person erased");
    Ok(())
}

/// Whom an unsubscribe link names.
pub struct Subscriber {
    pub person_id: Uuid,
    /// The language of their latest registration.
    pub language: Language,
    /// They asked for no reminders or surveys.
    pub opted_out: bool,
}

/// The person an unsubscribe token names, if it is genuine and they still exist.
pub async fn find_by_unsubscribe_token(
    db: &DatabaseConnection,
    token: &str,
) -> Result<Option<Subscriber>, DbErr> {
    let key = shared_secret(db, KEY_NAME).await?;
    let Some(person_id) = verify(&key, token) else {
        return Ok(None);
    };
    let Some(person) = person::Entity::find_by_id(person_id).one(db).await? else {
        return Ok(None);
    };
    let language = registration::Entity::find()
        .filter(registration::Column::PersonId.eq(person_id))
        .order_by_desc(registration::Column::CreatedAt)
        .one(db)
        .await?
        .map(|row| row.language)
        .unwrap_or_default();
    Ok(Some(Subscriber {
        person_id,
        language,
        opted_out: person.email_opt_out_at.is_some(),
    }))
}

/// Marks the person as opted out of reminders and surveys (once: the first time is kept).
pub async fn opt_out(db: &DatabaseConnection, person_id: Uuid) -> Result<(), DbErr> {
    person::Entity::update_many()
        .col_expr(person::Column::EmailOptOutAt, Expr::value(Utc::now()))
        .filter(person::Column::Id.eq(person_id))
        .filter(person::Column::EmailOptOutAt.is_null())
        .exec(db)
        .await?;
    tracing::info!(%person_id, "unsubscribed from reminders and surveys");
    Ok(())
}

/// Takes back an opt-out: reminders and surveys reach the person again.
pub async fn opt_in(db: &DatabaseConnection, person_id: Uuid) -> Result<(), DbErr> {
    person::Entity::update_many()
        .col_expr(
            person::Column::EmailOptOutAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .filter(person::Column::Id.eq(person_id))
        .exec(db)
        .await?;
    tracing::info!(%person_id, "subscribed again to reminders and surveys");
    Ok(())
}
