use chrono::{DateTime, Utc};
use entity::{speaker, talk, talk_speaker};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{NewSpeaker, SpeakerError, SpeakerInput};
use crate::audit::{self, AuditAction, AuditTarget, Change};
use crate::db::{begin_write, json_column};
use crate::domain::{Invalid, Link, Tags, contains_pattern};

/// A speaker as organizers see them (with email).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Speaker {
    pub id: Uuid,
    #[schema(example = "김서연")]
    pub name: String,
    #[schema(example = "seoyeon.kim@example.com")]
    pub email: String,
    pub admission_year: Option<i32>,
    pub cohort: Option<String>,
    pub affiliation: Option<String>,
    pub job_title: Option<String>,
    pub bio: Option<String>,
    pub links: Vec<Link>,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<speaker::Model> for Speaker {
    type Error = DbErr;

    fn try_from(row: speaker::Model) -> Result<Self, DbErr> {
        Ok(Speaker {
            id: row.id,
            name: row.name,
            email: row.email,
            admission_year: row.admission_year,
            cohort: row.cohort,
            affiliation: row.affiliation,
            job_title: row.job_title,
            bio: row.bio,
            links: json_column("links", &row.links)?,
            tags: Tags::from_column(&row.tags)?,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

impl Speaker {
    pub fn as_input(&self) -> SpeakerInput {
        SpeakerInput {
            name: self.name.clone(),
            email: self.email.clone(),
            admission_year: self.admission_year,
            cohort: self.cohort.clone(),
            affiliation: self.affiliation.clone(),
            job_title: self.job_title.clone(),
            bio: self.bio.clone(),
            links: self.links.clone(),
            tags: self.tags.clone(),
        }
    }
}

/// Filters of the speaker list.
pub struct SpeakerFilter {
    /// Case-insensitive part of the name.
    pub name: Option<String>,
    pub tag: Option<String>,
}

pub async fn list_speakers(
    db: &DatabaseConnection,
    filter: &SpeakerFilter,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Speaker>, DbErr> {
    let mut query = speaker::Entity::find()
        .order_by_asc(speaker::Column::Id)
        .limit(limit + 1);
    if let Some(after) = after {
        query = query.filter(speaker::Column::Id.gt(after));
    }
    if let Some(name) = filter
        .name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
    {
        let pattern = contains_pattern(db.get_database_backend(), name);
        query = query.filter(
            Expr::expr(Func::lower(Expr::col(speaker::Column::Name)))
                .like(sea_orm::sea_query::LikeExpr::new(pattern).escape('\\')),
        );
    }
    if let Some(tag) = filter.tag.as_deref().filter(|tag| !tag.trim().is_empty()) {
        query = query.filter(
            Expr::col(speaker::Column::Tags)
                .like(sea_orm::sea_query::LikeExpr::new(Tags::like_pattern(tag)).escape('\\')),
        );
    }
    query
        .all(db)
        .await?
        .into_iter()
        .map(Speaker::try_from)
        .collect()
}

pub async fn load_speaker(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Speaker>, DbErr> {
    speaker::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Speaker::try_from)
        .transpose()
}

/// Loads the given speakers, in no particular order.
pub async fn load_speakers(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<Vec<Speaker>, DbErr> {
    speaker::Entity::find()
        .filter(speaker::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(Speaker::try_from)
        .collect()
}

fn columns(active: &mut speaker::ActiveModel, new: NewSpeaker) {
    active.name = Set(new.name);
    active.email = Set(new.email);
    active.admission_year = Set(new.admission_year);
    active.cohort = Set(new.cohort);
    active.affiliation = Set(new.affiliation);
    active.job_title = Set(new.job_title);
    active.bio = Set(new.bio);
    active.links = Set(serde_json::to_string(&new.links).expect("links serialize"));
    active.tags = Set(new.tags.to_column());
    active.updated_at = Set(Utc::now());
}

pub async fn create_speaker(db: &DatabaseConnection, new: NewSpeaker) -> Result<Speaker, DbErr> {
    let mut active = speaker::ActiveModel {
        id: Set(Uuid::now_v7()),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    columns(&mut active, new);
    let txn = begin_write(db).await?;
    let row = speaker::Entity::insert(active)
        .exec_with_returning(&txn)
        .await?;
    let speaker = Speaker::try_from(row)?;
    audit::record(
        &txn,
        Change::created(AuditTarget::Speaker, speaker.id, &speaker),
    )
    .await?;
    txn.commit().await?;
    Ok(speaker)
}

/// Changes a speaker to what `change` makes of them. `change` is given the row as it is inside
/// the write transaction, after locking it: given a copy read earlier, a change (such as a
/// merge patch) would write back stale values of the fields it does not name, undoing a
/// concurrent change; and a speaker deleted meanwhile is a 404, not a failed update.
pub async fn update_speaker(
    db: &DatabaseConnection,
    id: Uuid,
    change: impl FnOnce(SpeakerInput) -> Result<NewSpeaker, Invalid>,
) -> Result<Speaker, SpeakerError> {
    let txn = begin_write(db).await?;
    let row = speaker::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(SpeakerError::NotFound)?;
    let before = Speaker::try_from(row.clone())?;
    let new = change(before.as_input())?;
    let mut active: speaker::ActiveModel = row.into();
    columns(&mut active, new);
    let row = speaker::Entity::update(active).exec(&txn).await?;
    let speaker = Speaker::try_from(row)?;
    let change = Change::changed(
        AuditAction::Update,
        AuditTarget::Speaker,
        id,
        &before,
        &speaker,
    );
    audit::record(&txn, change).await?;
    txn.commit().await?;
    Ok(speaker)
}

pub async fn delete_speaker(db: &DatabaseConnection, id: Uuid) -> Result<(), SpeakerError> {
    let txn = begin_write(db).await?;
    let row = speaker::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(SpeakerError::NotFound)?;
    let used = talk_speaker::Entity::find()
        .filter(talk_speaker::Column::SpeakerId.eq(id))
        .one(&txn)
        .await?;
    if let Some(used) = used {
        let talk = talk::Entity::find_by_id(used.talk_id).one(&txn).await?;
        let (talk_id, talk) = talk.map_or((used.talk_id, String::new()), |t| (t.id, t.title));
        return Err(SpeakerError::GivesTalk { talk_id, talk });
    }
    speaker::Entity::delete_by_id(id).exec(&txn).await?;
    let before = Speaker::try_from(row)?;
    audit::record(&txn, Change::deleted(AuditTarget::Speaker, id, &before)).await?;
    txn.commit().await?;
    Ok(())
}
