//! `/unsubscribe/{token}`: stop reminders and surveys. The link comes from the
//! `List-Unsubscribe` header or the footer of those emails. Opening it changes nothing (mail
//! scanners open links); the POST of its button, or a mail client's RFC 8058 one-click POST,
//! does. The signed token is the only credential, so the POST needs no CSRF token: a forger
//! would need the token itself, and one-click clients send no cookies.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sea_orm::DatabaseConnection;

use super::post::{FormPost, SignedLink};
use super::{Page, Privacy, failure, link, not_found, render, requested_lang};
use crate::people::store::{find_by_unsubscribe_token, opt_out};
use crate::registration::Language;

struct Texts {
    heading: &'static str,
    explain: &'static str,
    button: &'static str,
    done: &'static str,
    still_sent: &'static str,
    unknown: &'static str,
}

const KO: Texts = Texts {
    heading: "알림과 설문 메일 그만 받기",
    explain: "행사 전 알림 메일과 행사 후 설문 메일을 더 이상 받지 않으려면 아래 버튼을 눌러 주세요.",
    button: "그만 받기",
    done: "앞으로 알림과 설문 메일을 보내지 않습니다.",
    still_sent: "참가 확정, 대기, 취소처럼 신청에 관한 메일은 계속 받습니다.",
    unknown: "이 링크는 올바르지 않습니다. 메일에 있던 링크 전체를 열었는지 확인해 주세요.",
};

const EN: Texts = Texts {
    heading: "Stop reminders and surveys",
    explain: "Press the button to stop receiving reminders before events and surveys after them.",
    button: "Stop them",
    done: "You will no longer receive reminders or surveys.",
    still_sent: "Emails about your registrations (confirmed, waitlisted, cancelled) still arrive.",
    unknown: "This link is not valid. Check that you opened the whole link from the email.",
};

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    page: Page,
    text: &'static Texts,
    action: String,
    done: bool,
}

fn texts(lang: Language) -> &'static Texts {
    match lang {
        Language::Ko => &KO,
        Language::En => &EN,
    }
}

fn page(lang: Language, token: &str, done: bool) -> HttpResponse {
    let path = format!("/unsubscribe/{token}");
    let text = texts(lang);
    let page = UnsubscribePage {
        page: Page::new(lang, text.heading, &path),
        text,
        action: link(&path, lang),
        done,
    };
    render(StatusCode::OK, Privacy::Private, &page)
}

pub async fn show(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    token: web::Path<String>,
) -> HttpResponse {
    respond(&req, &db, &token, None).await
}

pub async fn submit(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    token: web::Path<String>,
    post: FormPost<SignedLink>,
) -> HttpResponse {
    respond(&req, &db, &token, Some(post)).await
}

/// The page, after opting out when its button was pressed (`post`). Until the person is
/// known, the page speaks `?lang=` or Korean.
async fn respond(
    req: &HttpRequest,
    db: &DatabaseConnection,
    token: &str,
    post: Option<FormPost<SignedLink>>,
) -> HttpResponse {
    let requested = requested_lang(req);
    let fallback = requested.unwrap_or_default();
    let (person_id, language) = match find_by_unsubscribe_token(db, token).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(req, fallback, texts(fallback).unknown),
        Err(error) => return failure(req, fallback, error),
    };
    let lang = requested.unwrap_or(language);
    let post = post.is_some();
    if post && let Err(error) = opt_out(db, person_id).await {
        return failure(req, lang, error);
    }
    page(lang, token, post)
}
