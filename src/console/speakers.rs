//! Speakers in the console: the list, a new speaker, a speaker's changes, through the
//! speaker store and the API's `SpeakerInput` parse.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::events::{failed, not_found};
use super::form::{Problems, Reader, filled};
use super::program_words::{ProgramWords, program_words};
use super::{ConsoleForm, ConsolePage, Section, Signed, render, see_other};
use crate::domain::{Invalid, Link};
use crate::error::FieldError;
use crate::speakers::{
    NewSpeaker, Speaker, SpeakerError, SpeakerFilter, SpeakerInput, create_speaker, list_speakers,
    load_speaker, update_speaker,
};
use crate::web::form::FormData;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/speakers").route(web::get().to(list)))
        .service(
            web::resource("/speakers/new")
                .route(web::get().to(new_form))
                .route(web::post().to(create)),
        )
        .service(
            web::resource("/speakers/{speaker_id}")
                .route(web::get().to(edit_form))
                .route(web::post().to(edit)),
        );
}

/// The most speakers the list shows at once.
const LISTED: u64 = 1000;

#[derive(Template)]
#[template(path = "console/speakers.html")]
struct ListPage {
    page: ConsolePage,
    p: &'static ProgramWords,
    speakers: Vec<Speaker>,
}

async fn list(req: HttpRequest, signed: Signed, db: web::Data<DatabaseConnection>) -> HttpResponse {
    let p = program_words(signed.lang);
    let page = ConsolePage::new(&req, &signed, p.speakers, Section::Speakers);
    let all = SpeakerFilter {
        name: None,
        tag: None,
    };
    match list_speakers(&db, &all, None, LISTED).await {
        Ok(speakers) => render(StatusCode::OK, &ListPage { page, p, speakers }),
        Err(error) => failed(page, error),
    }
}

#[derive(Template)]
#[template(path = "console/speaker_form.html")]
struct FormPage {
    page: ConsolePage,
    p: &'static ProgramWords,
    /// None for a new speaker.
    speaker: Option<Uuid>,
    form: FormData,
    problems: Problems,
}

const FIELDS: &[&str] = &[
    "name",
    "email",
    "admission_year",
    "cohort",
    "affiliation",
    "job_title",
    "bio",
    "links",
    "tags",
];

impl FormPage {
    fn others(&self) -> Vec<&FieldError> {
        self.problems.others(FIELDS)
    }
}

fn form_page(
    req: &HttpRequest,
    signed: &Signed,
    speaker: Option<Uuid>,
    form: FormData,
    problems: Problems,
) -> HttpResponse {
    let p = program_words(signed.lang);
    let title = match speaker {
        Some(_) => form.text("name").to_string(),
        None => p.new_speaker.to_string(),
    };
    let page = ConsolePage::new(req, signed, title, Section::Speakers);
    render(
        problems.status(),
        &FormPage {
            page,
            p,
            speaker,
            form,
            problems,
        },
    )
}

async fn new_form(req: HttpRequest, signed: Signed) -> HttpResponse {
    form_page(&req, &signed, None, FormData::default(), Problems::none())
}

/// A speaker's links as the form shows them: `label URL`, one a line.
fn link_lines(links: &[Link]) -> String {
    links
        .iter()
        .map(|link| format!("{} {}", link.label, link.url))
        .collect::<Vec<_>>()
        .join("\n")
}

fn speaker_form(speaker: &Speaker) -> FormData {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    filled(&[
        ("name", speaker.name.clone()),
        ("email", speaker.email.clone()),
        (
            "admission_year",
            speaker
                .admission_year
                .map(|y| y.to_string())
                .unwrap_or_default(),
        ),
        ("cohort", text(&speaker.cohort)),
        ("affiliation", text(&speaker.affiliation)),
        ("job_title", text(&speaker.job_title)),
        ("bio", text(&speaker.bio)),
        ("links", link_lines(&speaker.links)),
        ("tags", speaker.tags.join(", ")),
    ])
}

/// The speaker a submitted form describes, through the API's parse. A link line is its
/// label, then its address (the last word).
fn read_speaker(data: &FormData, p: &'static ProgramWords) -> Result<NewSpeaker, Invalid> {
    let mut r = Reader::new(data, p);
    let links = r
        .lines("links")
        .into_iter()
        .map(|line| match line.rsplit_once(char::is_whitespace) {
            Some((label, url)) => Link {
                label: label.trim().to_string(),
                url: url.to_string(),
            },
            None => Link {
                label: String::new(),
                url: line,
            },
        })
        .collect();
    let input = SpeakerInput {
        name: r.text("name"),
        email: r.text("email"),
        admission_year: r.number("admission_year"),
        cohort: r.optional("cohort"),
        affiliation: r.optional("affiliation"),
        job_title: r.optional("job_title"),
        bio: r.optional("bio"),
        links,
        tags: r.list("tags"),
    };
    r.finish(input.parse())
}

async fn create(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
) -> HttpResponse {
    let result = match read_speaker(&form.data, program_words(form.lang())) {
        Ok(new) => create_speaker(&db, new).await.map_err(SpeakerError::from),
        Err(invalid) => Err(invalid.into()),
    };
    match result {
        Ok(_) => see_other("/admin/speakers"),
        Err(error) => form_page(
            &req,
            &form.signed,
            None,
            form.data.clone(),
            Problems::of(error),
        ),
    }
}

async fn edit_form(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    path: web::Path<Uuid>,
) -> HttpResponse {
    let p = program_words(signed.lang);
    match load_speaker(db.get_ref(), *path).await {
        Ok(Some(speaker)) => form_page(
            &req,
            &signed,
            Some(speaker.id),
            speaker_form(&speaker),
            Problems::none(),
        ),
        Ok(None) => not_found(
            ConsolePage::new(&req, &signed, p.speakers, Section::Speakers),
            p,
        ),
        Err(error) => failed(
            ConsolePage::new(&req, &signed, p.speakers, Section::Speakers),
            error,
        ),
    }
}

async fn edit(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    path: web::Path<Uuid>,
) -> HttpResponse {
    let id = path.into_inner();
    let p = program_words(form.lang());
    let result = update_speaker(&db, id, |_| read_speaker(&form.data, p)).await;
    match result {
        Ok(_) => see_other("/admin/speakers"),
        Err(error) => form_page(
            &req,
            &form.signed,
            Some(id),
            form.data.clone(),
            Problems::of(error),
        ),
    }
}
