//! The `audit_log` table: entries written in the changing transaction, read newest first,
//! and scrubbed of a person's data when the person is erased.

use chrono::{DateTime, Utc};
use entity::audit_log;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::diff::{changed_fields, erase_personal};
use super::{ACTING, Actor, AuditAction, AuditTarget, Change};

/// Records `change` as the work of the organizer whose request is running (see
/// [`super::ACTING`]); outside an organizer's request it records nothing. Call it with the
/// transaction that makes the change.
pub async fn record(db: &impl ConnectionTrait, change: Change) -> Result<(), DbErr> {
    match ACTING.try_with(Actor::clone) {
        Ok(actor) => record_as(db, &actor, change).await,
        Err(_) => Ok(()),
    }
}

/// Records `change` as the work of `actor`. An update that changed no field is not
/// recorded: there is nothing to tell.
pub async fn record_as(
    db: &impl ConnectionTrait,
    actor: &Actor,
    change: Change,
) -> Result<(), DbErr> {
    let changes = changed_fields(change.before.as_ref(), change.after.as_ref());
    if change.action == AuditAction::Update && changes.is_empty() {
        return Ok(());
    }
    audit_log::Entity::insert(audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(Utc::now()),
        organizer_id: Set(actor.organizer_id),
        organizer_name: Set(actor.organizer_name.clone()),
        token_name: Set(actor.token_name.clone()),
        action: Set(change.action),
        target_type: Set(change.target_type),
        target_id: Set(change.target_id),
        event_id: Set(change.event_id),
        changes: Set(serde_json::Value::Object(changes)),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// One entry of the log.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Entry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// The organizer who made the change; none for a command-line API token.
    pub organizer_id: Option<Uuid>,
    /// Their name when they made it.
    #[schema(example = "김운영")]
    pub organizer_name: Option<String>,
    /// The API token the change came through; none when it was made in the console.
    #[schema(example = "laptop-2026")]
    pub token_name: Option<String>,
    pub action: AuditAction,
    pub target_type: AuditTarget,
    pub target_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
    /// The changed fields: `{"field": {"before": .., "after": ..}}` (a creation has only
    /// `after`, a deletion only `before`; an erased person's values read `"erased"`).
    #[schema(value_type = Object, example = json!({"capacity": {"before": 120, "after": 150}}))]
    pub changes: serde_json::Value,
}

impl From<audit_log::Model> for Entry {
    fn from(row: audit_log::Model) -> Self {
        Entry {
            id: row.id,
            at: row.at,
            organizer_id: row.organizer_id,
            organizer_name: row.organizer_name,
            token_name: row.token_name,
            action: row.action,
            target_type: row.target_type,
            target_id: row.target_id,
            event_id: row.event_id,
            changes: row.changes,
        }
    }
}

/// Which entries to read.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub event_id: Option<Uuid>,
    pub organizer_id: Option<Uuid>,
}

/// Entries newest first, older than the entry `before`; one more than `limit`, so the caller
/// knows whether an older page exists.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &AuditFilter,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Entry>, DbErr> {
    let mut query = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Id)
        .limit(limit + 1);
    if let Some(before) = before {
        query = query.filter(audit_log::Column::Id.lt(before));
    }
    if let Some(event_id) = filter.event_id {
        query = query.filter(audit_log::Column::EventId.eq(event_id));
    }
    if let Some(organizer_id) = filter.organizer_id {
        query = query.filter(audit_log::Column::OrganizerId.eq(organizer_id));
    }
    Ok(query.all(db).await?.into_iter().map(Entry::from).collect())
}

/// Replaces the personal values in the entries about a person and their registrations with
/// a marker, in the caller's transaction (the erasure's).
pub async fn scrub(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    registration_ids: &[Uuid],
) -> Result<(), DbErr> {
    let about = Condition::any()
        .add(
            Condition::all()
                .add(audit_log::Column::TargetType.eq(AuditTarget::Person))
                .add(audit_log::Column::TargetId.eq(person_id)),
        )
        .add(
            Condition::all()
                .add(audit_log::Column::TargetType.eq(AuditTarget::Registration))
                .add(audit_log::Column::TargetId.is_in(registration_ids.to_vec())),
        );
    let entries = audit_log::Entity::find().filter(about).all(db).await?;
    for entry in entries {
        let changes = erase_personal(&entry.changes);
        if changes == entry.changes {
            continue;
        }
        audit_log::Entity::update_many()
            .col_expr(
                audit_log::Column::Changes,
                sea_orm::sea_query::Expr::value(changes),
            )
            .filter(audit_log::Column::Id.eq(entry.id))
            .exec(db)
            .await?;
    }
    Ok(())
}
