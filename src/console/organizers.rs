//! The organizers: who may use the console, and inviting another (an account and a one-time
//! sign-in link by mail, through `organizers::sign_in::invite` as on the command line).

use std::collections::HashMap;

use super::records::utc_minute;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sea_orm::DatabaseConnection;

use super::sign_in::unavailable;
use super::{ConsoleForm, ConsolePage, Section, Signed, render};
use crate::clock::Clock;
use crate::domain::EmailAddress;
use crate::organizers::sign_in::{SignInLinks, invite};
use crate::organizers::store::{self, OrganizerName};
use crate::organizers::{Organizer, OrganizerError};
use crate::registration::Language;
use crate::web::flash::{self, Flash};
use crate::web::i18n::language_from_code;
use crate::web::with_cookie;

const PATH: &str = "/admin/organizers";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/organizers")
            .route(web::get().to(show))
            .route(web::post().to(create)),
    );
}

#[derive(Template)]
#[template(path = "console/organizers.html")]
struct OrganizersPage {
    page: ConsolePage,
    t: &'static OrganizerWords,
    organizers: Vec<OrganizerRow>,
    form: InviteForm,
    invited: bool,
}

struct OrganizerRow {
    name: String,
    email: String,
    invited_by: Option<String>,
    since: String,
}

/// The invitation form as typed, with what is wrong with it.
#[derive(Default)]
struct InviteForm {
    name: String,
    email: String,
    /// The invitee's mail language.
    language: Language,
    name_error: Option<&'static str>,
    email_error: Option<&'static str>,
}

async fn organizers_page(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    form: InviteForm,
    invited: bool,
) -> Result<OrganizersPage, sea_orm::DbErr> {
    let t = organizer_words(signed.lang);
    let everyone = store::list(db).await?;
    let names: HashMap<_, _> = everyone
        .iter()
        .map(|organizer| (organizer.id, organizer.name.clone()))
        .collect();
    let organizers = everyone
        .iter()
        .map(|organizer: &Organizer| OrganizerRow {
            name: organizer.name.clone(),
            email: organizer.email.clone(),
            invited_by: organizer.invited_by.and_then(|by| names.get(&by).cloned()),
            since: utc_minute(organizer.created_at),
        })
        .collect();
    Ok(OrganizersPage {
        page: ConsolePage::new(req, signed, t.title, Section::Organizers),
        t,
        organizers,
        form,
        invited,
    })
}

async fn show(req: HttpRequest, signed: Signed, db: web::Data<DatabaseConnection>) -> HttpResponse {
    let (done, cleared) = flash::take(&req, PATH);
    let form = InviteForm {
        language: signed.lang,
        ..InviteForm::default()
    };
    match organizers_page(&req, &signed, &db, form, done == Some(Flash::Saved)).await {
        Ok(page) => with_cookie(render(StatusCode::OK, &page), cleared),
        Err(error) => unavailable(&req, signed.lang, error),
    }
}

async fn create(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    links: web::Data<SignInLinks>,
    clock: web::Data<Clock>,
) -> HttpResponse {
    let signed = &form.signed;
    let t = organizer_words(signed.lang);
    let mut typed = InviteForm {
        name: form.data.text("name").trim().to_string(),
        email: form.data.text("email").trim().to_string(),
        language: form
            .data
            .first("language")
            .and_then(language_from_code)
            .unwrap_or(signed.lang),
        ..InviteForm::default()
    };
    let name = OrganizerName::parse(&typed.name).ok();
    let email = EmailAddress::parse(&typed.email).ok();
    typed.name_error = name.is_none().then_some(t.name_invalid);
    typed.email_error = email.is_none().then_some(t.email_invalid);
    let (Some(name), Some(email)) = (name, email) else {
        return refused(&req, signed, &db, typed).await;
    };
    let outcome = invite(
        &db,
        &links,
        email,
        &name,
        Some(&signed.organizer),
        typed.language,
        clock.now(),
    )
    .await;
    match outcome {
        Ok((organizer, _link)) => {
            tracing::info!(organizer = %organizer.id, by = %signed.organizer.id, "organizer invited");
            flash::see_other_with(PATH, "", Flash::Saved)
        }
        Err(OrganizerError::EmailTaken(_)) => {
            typed.email_error = Some(t.email_taken);
            refused(&req, signed, &db, typed).await
        }
        Err(OrganizerError::Database(error)) => unavailable(&req, signed.lang, error),
    }
}

/// The list with the form as typed and its errors; nobody was invited.
async fn refused(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    form: InviteForm,
) -> HttpResponse {
    match organizers_page(req, signed, db, form, false).await {
        Ok(page) => render(StatusCode::UNPROCESSABLE_ENTITY, &page),
        Err(error) => unavailable(req, signed.lang, error),
    }
}

struct OrganizerWords {
    title: &'static str,
    intro: &'static str,
    name: &'static str,
    email: &'static str,
    invited_by: &'static str,
    since: &'static str,
    invite: &'static str,
    invite_intro: &'static str,
    language: &'static str,
    korean: &'static str,
    english: &'static str,
    send: &'static str,
    invited: &'static str,
    name_invalid: &'static str,
    email_invalid: &'static str,
    email_taken: &'static str,
}

fn organizer_words(lang: Language) -> &'static OrganizerWords {
    match lang {
        Language::Ko => &KO,
        Language::En => &EN,
    }
}

const KO: OrganizerWords = OrganizerWords {
    title: "운영진",
    intro: "운영 콘솔에 로그인할 수 있는 사람들입니다.",
    name: "이름",
    email: "이메일",
    invited_by: "초대한 사람",
    since: "등록",
    invite: "운영진 초대",
    invite_intro: "초대받은 사람에게 한 번만 쓸 수 있는 로그인 링크(15분 유효)를 메일로 보냅니다. 링크가 만료되면 로그인 페이지에서 새 링크를 받을 수 있습니다.",
    language: "메일 언어",
    korean: "한국어",
    english: "English",
    send: "초대 메일 보내기",
    invited: "초대 메일을 보냈습니다. 메일의 링크로 15분 안에 로그인할 수 있습니다.",
    name_invalid: "이름을 한 줄로 100자 이내로 입력하세요.",
    email_invalid: "이메일 주소를 확인해 주세요. 예: name@example.com",
    email_taken: "이 주소는 이미 운영진입니다. 로그인 페이지에서 링크를 받으면 됩니다.",
};

const EN: OrganizerWords = OrganizerWords {
    title: "Organizers",
    intro: "The people who can sign in to the console.",
    name: "Name",
    email: "Email",
    invited_by: "Invited by",
    since: "Added",
    invite: "Invite an organizer",
    invite_intro: "They get a sign-in link by mail that works once, within 15 minutes. Once it expires they can ask for a new one on the sign-in page.",
    language: "Mail language",
    korean: "한국어",
    english: "English",
    send: "Send the invitation",
    invited: "Invitation sent. The link in it signs them in once, within 15 minutes.",
    name_invalid: "Enter a name of up to 100 characters on one line.",
    email_invalid: "Check the email address, e.g. name@example.com",
    email_taken: "This address is an organizer already: they can get a link on the sign-in page.",
};
