//! The `feedback` table: an invitation found by its link's token, answers saved over it, and
//! the rows behind the organizer's figures.

use chrono::{DateTime, Utc};
use entity::{event, feedback, registration};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::{
    Aggregates, Answers, Comment, EventRef, FeedbackError, FeedbackReport, Rating, aggregate,
};
use crate::registration::Language;
use crate::secrets::hash;

/// One person's invitation to one event's survey, as the form needs it.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub id: Uuid,
    pub event_title: String,
    pub name: String,
    /// The language of their emails.
    pub language: Language,
    /// Their answers, when they have answered.
    pub answers: Option<Answers>,
}

/// The answers stored in a row, if it was answered.
fn answers_of(row: &feedback::Model) -> Option<Answers> {
    row.submitted_at?;
    let comment = |text: &Option<String>| {
        text.as_deref()
            .and_then(|text| Comment::parse(text).ok().flatten())
    };
    Some(Answers {
        rating: Rating::new(row.rating?.into())?,
        best_part: comment(&row.best_part),
        change_next: comment(&row.change_next),
        come_again: row.come_again?,
    })
}

/// Whether the event's survey has gone out to anyone: then the ended event's page points
/// people to the link in their mail (each link is personal, so the page cannot show one).
pub async fn invitations_sent(db: &impl ConnectionTrait, event_id: Uuid) -> Result<bool, DbErr> {
    Ok(feedback::Entity::find()
        .filter(feedback::Column::EventId.eq(event_id))
        .one(db)
        .await?
        .is_some())
}

/// The invitation behind a survey link. An unknown token, or one of a person who has since
/// been erased, is `NotFound`.
pub async fn find_by_token(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Invitation, FeedbackError> {
    let not_found = FeedbackError::NotFound;
    let Some(row) = feedback::Entity::find()
        .filter(feedback::Column::TokenHash.eq(hash(token)))
        .one(db)
        .await?
    else {
        return Err(not_found);
    };
    let Some(registration) = registration::Entity::find_by_id(row.registration_id)
        .one(db)
        .await?
        .filter(|registration| registration.email.is_some())
    else {
        return Err(not_found);
    };
    let Some(event) = event::Entity::find_by_id(row.event_id).one(db).await? else {
        return Err(not_found);
    };
    Ok(Invitation {
        id: row.id,
        event_title: event.title,
        name: registration.name,
        language: registration.language,
        answers: answers_of(&row),
    })
}

/// Stores the answers of an invitation, replacing earlier ones.
pub async fn save(
    db: &impl ConnectionTrait,
    id: Uuid,
    answers: &Answers,
    now: DateTime<Utc>,
) -> Result<(), FeedbackError> {
    let result = feedback::Entity::update_many()
        .set(feedback::ActiveModel {
            rating: Set(Some(answers.rating.get().into())),
            best_part: Set(answers.best_part.clone().map(Comment::into_string)),
            change_next: Set(answers.change_next.clone().map(Comment::into_string)),
            come_again: Set(Some(answers.come_again)),
            submitted_at: Set(Some(now)),
            ..Default::default()
        })
        .filter(feedback::Column::Id.eq(id))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(FeedbackError::NotFound);
    }
    Ok(())
}

/// Erasure: the person's words go (they may name them); the rating and "would come again"
/// stay as anonymous figures. Their survey link already stops working, since it leads to an
/// erased registration.
pub async fn forget_comments(
    txn: &DatabaseTransaction,
    registration_ids: impl IntoIterator<Item = Uuid>,
) -> Result<(), DbErr> {
    feedback::Entity::update_many()
        .set(feedback::ActiveModel {
            best_part: Set(None),
            change_next: Set(None),
            ..Default::default()
        })
        .filter(feedback::Column::RegistrationId.is_in(registration_ids))
        .exec(txn)
        .await?;
    Ok(())
}

fn event_ref(row: &event::Model) -> EventRef {
    EventRef {
        id: row.id,
        title: row.title.clone(),
        starts_at: row.starts_at,
    }
}

/// An event's figures and those of every earlier event that invited anyone, newest first.
pub async fn report(
    db: &impl ConnectionTrait,
    event: &event::Model,
) -> Result<FeedbackReport, DbErr> {
    let earlier = event::Entity::find()
        .filter(event::Column::Id.ne(event.id))
        .filter(event::Column::StartsAt.lt(event.starts_at))
        .filter(
            event::Column::Id.in_subquery(
                Query::select()
                    .column(feedback::Column::EventId)
                    .from(feedback::Entity)
                    .to_owned(),
            ),
        )
        .order_by_desc(event::Column::StartsAt)
        .order_by_desc(event::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = std::iter::once(event.id)
        .chain(earlier.iter().map(|row| row.id))
        .collect();
    let rows = feedback::Entity::find()
        .filter(feedback::Column::EventId.is_in(ids))
        .order_by_asc(feedback::Column::SubmittedAt)
        .order_by_asc(feedback::Column::Id)
        .all(db)
        .await?;
    let figures = |event: &event::Model| {
        let answers: Vec<Option<Answers>> = rows
            .iter()
            .filter(|row| row.event_id == event.id)
            .map(answers_of)
            .collect();
        aggregate(&event_ref(event), answers.iter().map(Option::as_ref))
    };
    Ok(FeedbackReport {
        event: figures(event),
        earlier: earlier.iter().map(figures).collect::<Vec<Aggregates>>(),
    })
}
