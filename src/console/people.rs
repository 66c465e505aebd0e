//! People across years: search, a person's page with their history, and erasure behind a
//! confirmation step (the same erase function as the API).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::people_words::{PeopleWords, people_words};
use super::records::{Failure, next_page};
use super::registrations::{HistoryRow, Notice, history_rows};
use super::{ConsoleForm, ConsolePage, Section, Signed, console_words, render, see_other};
use crate::people::Person;
use crate::people::store::{self, PeopleError};

/// People per page.
const PAGE: u64 = 50;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/people").route(web::get().to(list)))
        .service(web::resource("/people/{person_id}").route(web::get().to(show)))
        .service(
            web::resource("/people/{person_id}/erase")
                .route(web::get().to(confirm))
                .route(web::post().to(erase)),
        );
}

impl From<PeopleError> for Failure {
    fn from(error: PeopleError) -> Self {
        match error {
            PeopleError::PersonNotFound => Failure::NotFound,
            PeopleError::Database(error) => Failure::Database(error),
        }
    }
}

struct PersonRow {
    href: String,
    name: String,
    email: String,
    affiliation: String,
    events_registered: usize,
    events_attended: usize,
}

impl From<&Person> for PersonRow {
    fn from(person: &Person) -> Self {
        PersonRow {
            href: format!("/admin/people/{}", person.id),
            name: person.name.clone(),
            email: person.email.clone().unwrap_or_default(),
            affiliation: person.affiliation.clone().unwrap_or_default(),
            events_registered: person.events_registered,
            events_attended: person.events_attended,
        }
    }
}

#[derive(Template)]
#[template(path = "console/people.html")]
struct ListPage {
    page: ConsolePage,
    pw: &'static PeopleWords,
    q: String,
    rows: Vec<PersonRow>,
    next: Option<String>,
    notice: Option<Notice>,
}

#[derive(serde::Deserialize)]
struct ListQuery {
    q: Option<String>,
    after: Option<Uuid>,
    erased: Option<String>,
}

async fn list(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    query: web::Query<ListQuery>,
) -> HttpResponse {
    let q = query.q.clone().unwrap_or_default();
    let mut people = match store::list(&db, Some(&q), query.after, PAGE).await {
        Ok(people) => people,
        Err(error) => return Failure::from(error).page(&req, &signed, Section::People),
    };
    let next = next_page(
        &mut people,
        PAGE,
        |person| person.id,
        |last| {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("q", &q)
                .append_pair("after", &last.to_string())
                .finish();
            format!("/admin/people?{query}")
        },
    );
    let w = people_words(signed.lang);
    let page = ListPage {
        page: ConsolePage::new(
            &req,
            &signed,
            console_words(signed.lang).people,
            Section::People,
        ),
        pw: w,
        q,
        rows: people.iter().map(PersonRow::from).collect(),
        next,
        notice: query.erased.as_ref().map(|_| Notice {
            text: w.erased.into(),
            ok: true,
        }),
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "console/person.html")]
struct PersonPage {
    page: ConsolePage,
    pw: &'static PeopleWords,
    row: PersonRow,
    job_title: String,
    years: String,
    history: Vec<HistoryRow>,
}

async fn show(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    person_id: web::Path<Uuid>,
) -> HttpResponse {
    let person = match store::find(db.get_ref(), *person_id).await {
        Ok(person) => person,
        Err(error) => return Failure::from(error).page(&req, &signed, Section::People),
    };
    let year = |year: Option<i32>| year.map(|y| y.to_string()).unwrap_or_default();
    let page = PersonPage {
        page: ConsolePage::new(&req, &signed, person.name.clone(), Section::People),
        pw: people_words(signed.lang),
        row: PersonRow::from(&person),
        job_title: person.job_title.clone().unwrap_or_default(),
        years: format!(
            "{} – {}",
            year(person.admission_year),
            year(person.graduation_year)
        ),
        history: history_rows(&signed, &person.history),
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "console/erase.html")]
struct ErasePage {
    page: ConsolePage,
    pw: &'static PeopleWords,
    row: PersonRow,
    /// The box was not ticked.
    unconfirmed: bool,
}

async fn erase_page(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    person_id: Uuid,
    unconfirmed: bool,
) -> HttpResponse {
    let person = match store::find(db, person_id).await {
        Ok(person) => person,
        Err(error) => return Failure::from(error).page(req, signed, Section::People),
    };
    let w = people_words(signed.lang);
    let page = ErasePage {
        page: ConsolePage::new(req, signed, w.erase_title, Section::People),
        pw: w,
        row: PersonRow::from(&person),
        unconfirmed,
    };
    let status = if unconfirmed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(status, &page)
}

async fn confirm(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    person_id: web::Path<Uuid>,
) -> HttpResponse {
    erase_page(&req, &signed, &db, *person_id, false).await
}

/// Erases only when the form says the organizer confirmed; otherwise the page again, with
/// nothing erased.
async fn erase(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    person_id: web::Path<Uuid>,
) -> HttpResponse {
    let signed = &form.signed;
    if form.data.first("confirm") != Some("yes") {
        return erase_page(&req, signed, &db, *person_id, true).await;
    }
    match store::erase(&db, *person_id).await {
        Ok(()) => see_other("/admin/people?erased=1"),
        Err(error) => Failure::from(error).page(&req, signed, Section::People),
    }
}
