//! Custom questions in the database.

use chrono::Utc;
use entity::{event, question};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::{NewQuestion, Question, QuestionInput};
use crate::audit::{self, AuditAction, AuditTarget, Change};
use crate::db::{begin_write, json_column};
use crate::domain::EnglishLabels;
use crate::extract::patched;
use crate::registration::RegistrationError;

impl Question {
    /// A stored question; options that are not a list of strings are an error.
    fn from_row(row: question::Model) -> Result<Self, DbErr> {
        Ok(Question {
            id: row.id,
            event_id: row.event_id,
            options: json_column("question.options", &row.options)?,
            options_en: EnglishLabels::from_column("question.options_en", &row.options_en)?,
            label: row.label,
            label_en: row.label_en,
            kind: row.kind,
            required: row.required,
            position: row.position,
        })
    }
}

/// The questions of an event, in form order.
pub async fn event_questions(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<Question>, DbErr> {
    question::Entity::find()
        .filter(question::Column::EventId.eq(event_id))
        .order_by_asc(question::Column::Position)
        .order_by_asc(question::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Question::from_row)
        .collect()
}

fn columns(active: &mut question::ActiveModel, new: NewQuestion, position: i32) {
    active.label = Set(new.label);
    active.label_en = Set(new.label_en);
    active.kind = Set(new.kind);
    active.options = Set(serde_json::to_string(&new.options).expect("strings serialize"));
    active.options_en = Set(new.options_en.to_column());
    active.required = Set(new.required);
    active.position = Set(new.position.unwrap_or(position));
}

/// Adds a question to the event's form, after the others unless it says where.
pub async fn create(
    db: &DatabaseConnection,
    event_id: Uuid,
    input: &QuestionInput,
) -> Result<Question, RegistrationError> {
    let new = input.parse()?;
    let txn = begin_write(db).await?;
    event::Entity::find_by_id(event_id)
        .one(&txn)
        .await?
        .ok_or(RegistrationError::EventNotFound)?;
    let next_position = event_questions(&txn, event_id).await?.len() as i32;
    let mut active = question::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    columns(&mut active, new, next_position);
    let row = question::Entity::insert(active)
        .exec_with_returning(&txn)
        .await?;
    let question = Question::from_row(row)?;
    let change = Change::created(AuditTarget::Question, question.id, &question);
    audit::record(&txn, change.in_event(event_id)).await?;
    txn.commit().await?;
    Ok(question)
}

/// Changes a question with a JSON merge patch over its fields.
pub async fn update(
    db: &DatabaseConnection,
    event_id: Uuid,
    question_id: Uuid,
    patch: &serde_json::Value,
) -> Result<Question, RegistrationError> {
    change(db, event_id, question_id, |current| {
        Ok(patched(&current, patch)?)
    })
    .await
}

/// Changes a question to what `change` makes of it, given the question as it is inside the
/// write transaction (a merge patch, or the console's whole form).
pub async fn change(
    db: &DatabaseConnection,
    event_id: Uuid,
    question_id: Uuid,
    change: impl FnOnce(QuestionInput) -> Result<QuestionInput, RegistrationError>,
) -> Result<Question, RegistrationError> {
    let txn = begin_write(db).await?;
    let row = question::Entity::find_by_id(question_id)
        .filter(question::Column::EventId.eq(event_id))
        .one(&txn)
        .await?
        .ok_or(RegistrationError::QuestionNotFound)?;
    let before = Question::from_row(row.clone())?;
    let input = change(before.as_input())?;
    let position = row.position;
    let mut active: question::ActiveModel = row.into();
    columns(&mut active, input.parse()?, position);
    let row = question::Entity::update(active).exec(&txn).await?;
    let question = Question::from_row(row)?;
    let change = Change::changed(
        AuditAction::Update,
        AuditTarget::Question,
        question_id,
        &before,
        &question,
    );
    audit::record(&txn, change.in_event(event_id)).await?;
    txn.commit().await?;
    Ok(question)
}

/// Removes a question from the form (answers already given stay in the registrations).
pub async fn delete(
    db: &DatabaseConnection,
    event_id: Uuid,
    question_id: Uuid,
) -> Result<(), RegistrationError> {
    let txn = begin_write(db).await?;
    let row = question::Entity::find_by_id(question_id)
        .filter(question::Column::EventId.eq(event_id))
        .one(&txn)
        .await?
        .ok_or(RegistrationError::QuestionNotFound)?;
    question::Entity::delete_by_id(question_id)
        .exec(&txn)
        .await?;
    let before = Question::from_row(row)?;
    let change = Change::deleted(AuditTarget::Question, question_id, &before);
    audit::record(&txn, change.in_event(event_id)).await?;
    txn.commit().await?;
    Ok(())
}
