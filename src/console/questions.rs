//! An event's custom questions in the console: add, change, remove, with English labels
//! and options, through the questions store that the API uses.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::events::{event_path, load_event, refused_page};
use super::form::{Problems, Reader, filled, label_lines};
use super::program_words::{ProgramWords, program_words, question_kind_name};
use super::{ConsoleForm, ConsolePage, Section, Signed, render, see_other};
use crate::domain::Invalid;
use crate::events::Event;
use crate::registration::RegistrationError;
use crate::registration::questions::{
    QuestionInput, QuestionKind, event_questions, store as questions,
};
use crate::web::form::FormData;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/events/{event_id}/questions/new")
            .route(web::get().to(new_form))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/events/{event_id}/questions/{question_id}")
            .route(web::get().to(edit_form))
            .route(web::post().to(edit)),
    )
    .service(
        web::resource("/events/{event_id}/questions/{question_id}/remove")
            .route(web::post().to(remove)),
    );
}

#[derive(Template)]
#[template(path = "console/question_form.html")]
struct FormPage {
    page: ConsolePage,
    p: &'static ProgramWords,
    event: Event,
    /// None for a new question.
    question: Option<Uuid>,
    form: FormData,
    problems: Problems,
}

const FIELDS: &[&str] = &["label", "label_en", "kind", "options", "options_en"];

impl FormPage {
    fn others(&self) -> Vec<&crate::error::FieldError> {
        self.problems.others(FIELDS)
    }

    fn kinds(&self) -> Vec<(&'static str, &'static str)> {
        QuestionKind::ALL
            .iter()
            .map(|kind| (kind.as_str(), question_kind_name(self.p, *kind)))
            .collect()
    }
}

async fn form_page(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    (event_id, question): (Uuid, Option<Uuid>),
    form: FormData,
    problems: Problems,
) -> HttpResponse {
    let p = program_words(signed.lang);
    let event = match load_event(db, event_id).await {
        Ok(event) => event,
        Err(error) => return refused_page(req, signed, error),
    };
    let title = if question.is_some() {
        p.edit_question
    } else {
        p.add_question
    };
    let page = ConsolePage::new(req, signed, title, Section::Events);
    render(
        problems.status(),
        &FormPage {
            page,
            p,
            event,
            question,
            form,
            problems,
        },
    )
}

async fn new_form(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    path: web::Path<Uuid>,
) -> HttpResponse {
    let form = filled(&[("kind", QuestionKind::SingleChoice.as_str())]);
    form_page(&req, &signed, &db, (*path, None), form, Problems::none()).await
}

/// The question a submitted form describes; the store parses it as it parses the API's.
fn read_question(data: &FormData, p: &'static ProgramWords) -> Result<QuestionInput, Invalid> {
    let mut r = Reader::new(data, p);
    let input = QuestionInput {
        label: r.text("label"),
        label_en: r.optional("label_en"),
        kind: r
            .choice("kind", QuestionKind::parse)
            .unwrap_or(QuestionKind::Text),
        options: r.lines("options"),
        options_en: r.labels("options_en"),
        required: r.checked("required"),
        position: None,
    };
    r.finish(Ok(input))
}

/// Where a question change leads: back to the event, or the form again with its problems.
async fn answer(
    req: &HttpRequest,
    form: &ConsoleForm,
    db: &DatabaseConnection,
    at: (Uuid, Option<Uuid>),
    result: Result<(), RegistrationError>,
) -> HttpResponse {
    match result {
        Ok(()) => see_other(&event_path(at.0)),
        Err(error) => {
            form_page(
                req,
                &form.signed,
                db,
                at,
                form.data.clone(),
                Problems::of(error),
            )
            .await
        }
    }
}

async fn create(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    path: web::Path<Uuid>,
) -> HttpResponse {
    let event_id = path.into_inner();
    let result = match read_question(&form.data, program_words(form.lang())) {
        Ok(input) => questions::create(&db, event_id, &input).await.map(drop),
        Err(invalid) => Err(invalid.into()),
    };
    answer(&req, &form, &db, (event_id, None), result).await
}

async fn edit_form(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> HttpResponse {
    let (event_id, question_id) = path.into_inner();
    let question = match event_questions(db.get_ref(), event_id).await {
        Ok(all) => all.into_iter().find(|question| question.id == question_id),
        Err(error) => {
            return refused_page(&req, &signed, error.into());
        }
    };
    let Some(question) = question else {
        return refused_page(&req, &signed, crate::events::EventError::NotFound);
    };
    let mut pairs = vec![
        ("label", question.label.clone()),
        ("label_en", question.label_en.clone().unwrap_or_default()),
        ("kind", question.kind.as_str().to_string()),
        ("options", question.options.join("\n")),
        ("options_en", label_lines(question.options_en.as_map())),
    ];
    if question.required {
        pairs.push(("required", "yes".into()));
    }
    let at = (event_id, Some(question_id));
    form_page(&req, &signed, &db, at, filled(&pairs), Problems::none()).await
}

async fn edit(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> HttpResponse {
    let (event_id, question_id) = path.into_inner();
    let result = match read_question(&form.data, program_words(form.lang())) {
        // The form is the whole question: it replaces the one stored, keeping its place.
        Ok(input) => questions::change(&db, event_id, question_id, |_| Ok(input))
            .await
            .map(drop),
        Err(invalid) => Err(invalid.into()),
    };
    answer(&req, &form, &db, (event_id, Some(question_id)), result).await
}

async fn remove(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> HttpResponse {
    let (event_id, question_id) = path.into_inner();
    let result = questions::delete(&db, event_id, question_id).await;
    if let Err(RegistrationError::QuestionNotFound) = result {
        // Removed already (a second tap): the event page shows it is gone.
        return see_other(&event_path(event_id));
    }
    answer(&req, &form, &db, (event_id, Some(question_id)), result).await
}
