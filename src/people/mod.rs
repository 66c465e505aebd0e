//! People across years: everyone who registered, with their history, and erasure.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, delete, get, web};
use chrono::{DateTime, Utc};
use entity::{event, person, registration};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::Organizer;
use crate::db::begin_write;
use crate::domain::{Tags, contains_pattern};
use crate::error::ApiError;
use crate::extract::{Page, PageQuery};
use crate::registration::{RegistrationStatus, Role};
use crate::secrets::{hash, random_token};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_people)
        .service(get_person)
        .service(erase_person);
}

/// Someone known across events. Profile fields come from their latest registration.
#[derive(Debug, Serialize, ToSchema)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub role: Option<Role>,
    pub admission_year: Option<i32>,
    pub graduation_year: Option<i32>,
    pub affiliation: Option<String>,
    pub job_title: Option<String>,
    pub interests: Vec<String>,
    /// Number of events they registered for (any outcome).
    pub events_registered: usize,
    /// Number of events they checked in at.
    pub events_attended: usize,
    /// Their registrations, oldest event first.
    pub history: Vec<HistoryEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub event_id: Uuid,
    pub event_title: String,
    pub event_starts_at: DateTime<Utc>,
    /// Year of the event where it takes place.
    pub year: i32,
    pub status: RegistrationStatus,
    pub checked_in: bool,
}

async fn with_history(
    db: &impl ConnectionTrait,
    people: Vec<person::Model>,
) -> Result<Vec<Person>, ApiError> {
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
    Ok(people
        .into_iter()
        .map(|row| {
            let mut history = by_person.remove(&row.id).unwrap_or_default();
            history.sort_by_key(|entry| entry.event_starts_at);
            Person {
                id: row.id,
                name: row.name,
                email: row.email,
                role: row.role,
                admission_year: row.admission_year,
                graduation_year: row.graduation_year,
                affiliation: row.affiliation,
                job_title: row.job_title,
                interests: Tags::from_column(&row.interests),
                events_registered: history.len(),
                events_attended: history.iter().filter(|entry| entry.checked_in).count(),
                history,
            }
        })
        .collect())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct PeopleQuery {
    /// Part of the name or email (case-insensitive).
    q: Option<String>,
}

/// Everyone who registered for an event, with their history across years.
#[utoipa::path(
    tag = "people",
    params(PageQuery, PeopleQuery),
    responses((status = 200, description = "One page of people", body = Page<Person>)),
)]
#[get("/people")]
async fn list_people(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    req: HttpRequest,
    page: web::Query<PageQuery>,
    query: web::Query<PeopleQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = page.limit()?;
    let mut select = person::Entity::find()
        .filter(person::Column::ErasedAt.is_null())
        .order_by_asc(person::Column::Id)
        .limit(limit + 1);
    if let Some(after) = page.cursor {
        select = select.filter(person::Column::Id.gt(after));
    }
    if let Some(search) = query.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
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
    let people = with_history(db.get_ref(), select.all(db.get_ref()).await?).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(&req, people, limit, |person| person.id)))
}

/// One person with their history.
#[utoipa::path(
    tag = "people",
    params(("person_id" = Uuid, Path, description = "Person id")),
    responses((status = 200, description = "The person", body = Person)),
)]
#[get("/people/{person_id}")]
async fn get_person(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    person_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let row = person::Entity::find_by_id(*person_id)
        .filter(person::Column::ErasedAt.is_null())
        .one(db.get_ref())
        .await?
        .ok_or(ApiError::NotFound("person"))?;
    let mut people = with_history(db.get_ref(), vec![row]).await?;
    Ok(HttpResponse::Ok().json(people.remove(0)))
}

/// The name that replaces an erased person's.
pub const ERASED_NAME: &str = "(erased)";

/// Erase a person: their personal data is removed from every table (their person record and
/// every registration: name, email, profile, answers; manage links stop working). What stays
/// is anonymous: registration statuses and check-ins, so past events' counts do not change.
#[utoipa::path(
    tag = "people",
    params(("person_id" = Uuid, Path, description = "Person id")),
    responses((status = 204, description = "The person was erased")),
)]
#[delete("/people/{person_id}")]
async fn erase_person(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    person_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let txn = begin_write(&db).await?;
    let row = person::Entity::find_by_id(*person_id)
        .filter(person::Column::ErasedAt.is_null())
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("person"))?;
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
        .filter(registration::Column::PersonId.eq(*person_id))
        .all(&txn)
        .await?;
    // Their emails, sent or not, hold their address and name (and unsent ones must not go out).
    crate::email::outbox::forget(&txn, registrations.iter().map(|row| row.id)).await?;
    crate::feedback::store::forget_comments(&txn, registrations.iter().map(|row| row.id)).await?;
    for registration in registrations {
        let mut active: registration::ActiveModel = registration.into();
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
        // A fresh random hash nobody holds the token of: the old link stops working.
        active.manage_token_hash = Set(hash(&random_token("erased-")));
        active.updated_at = Set(now);
        registration::Entity::update(active).exec(&txn).await?;
    }
    txn.commit().await?;
    tracing::info!(person_id = %person_id, "person erased");
    Ok(HttpResponse::NoContent().finish())
}
