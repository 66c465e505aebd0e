//! The people API: each handler extracts, calls [`store`] and answers.

use actix_web::{HttpRequest, HttpResponse, delete, get, web};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::Person;
use super::store::{self, PeopleError};
use crate::auth::Organizer;
use crate::error::ApiError;
use crate::extract::{Page, PageQuery};

/// The one place people failures become HTTP answers.
impl From<PeopleError> for ApiError {
    fn from(error: PeopleError) -> Self {
        match error {
            PeopleError::PersonNotFound => ApiError::NotFound("person"),
            PeopleError::Database(error) => error.into(),
        }
    }
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_people)
        .service(get_person)
        .service(erase_person);
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
    let people = store::list(&db, query.q.as_deref(), page.cursor, limit).await?;
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
    Ok(HttpResponse::Ok().json(store::find(db.get_ref(), *person_id).await?))
}

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
    store::erase(&db, *person_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
