//! `/unsubscribe/{token}`: stop reminders and surveys. The link comes from the
//! `List-Unsubscribe` header or the footer of those emails. Opening it changes nothing (mail
//! scanners open links) and shows the current state; the POST of its button, or a mail
//! client's RFC 8058 one-click POST, opts out, and `/unsubscribe/{token}/undo` takes that
//! back. Both answer 303 to the page. The signed token is the only credential, so the POSTs
//! need no CSRF token: a forger would need the token itself, and one-click clients send no
//! cookies.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sea_orm::DatabaseConnection;

use super::flash::{self, Flash};
use super::post::{FormPost, SignedLink};
use super::{Page, Privacy, failure, link, not_found, render, requested_lang, with_cookie};
use crate::people::store::{find_by_unsubscribe_token, opt_in, opt_out};
use crate::registration::Language;

struct Texts {
    heading: &'static str,
    explain: &'static str,
    button: &'static str,
    done: &'static str,
    undo: &'static str,
    resubscribed: &'static str,
    still_sent: &'static str,
    unknown: &'static str,
}

const KO: Texts = Texts {
    heading: "알림과 설문 메일 그만 받기",
    explain: "행사 전 알림 메일과 행사 후 설문 메일을 더 이상 받지 않으려면 아래 버튼을 눌러 주세요.",
    button: "그만 받기",
    done: "앞으로 알림과 설문 메일을 보내지 않습니다.",
    undo: "다시 받기",
    resubscribed: "알림과 설문 메일을 다시 보내 드립니다.",
    still_sent: "참가 확정, 대기, 취소처럼 신청에 관한 메일은 계속 받습니다.",
    unknown: "이 링크는 올바르지 않습니다. 메일에 있던 링크 전체를 열었는지 확인해 주세요.",
};

const EN: Texts = Texts {
    heading: "Stop reminders and surveys",
    explain: "Press the button to stop receiving reminders before events and surveys after them.",
    button: "Stop them",
    done: "You will no longer receive reminders or surveys.",
    undo: "Receive them again",
    resubscribed: "You will receive reminders and surveys again.",
    still_sent: "Emails about your registrations (confirmed, waitlisted, cancelled) still arrive.",
    unknown: "This link is not valid. Check that you opened the whole link from the email.",
};

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    page: Page,
    text: &'static Texts,
    action: String,
    undo_action: String,
    /// The person is opted out now.
    opted_out: bool,
    /// What was just done: "opted in again".
    resubscribed: bool,
}

fn texts(lang: Language) -> &'static Texts {
    match lang {
        Language::Ko => &KO,
        Language::En => &EN,
    }
}

fn unsubscribe_path(token: &str) -> String {
    format!("/unsubscribe/{token}")
}

pub async fn show(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    token: web::Path<String>,
) -> HttpResponse {
    let requested = requested_lang(&req);
    let fallback = requested.unwrap_or_default();
    let subscriber = match find_by_unsubscribe_token(&db, &token).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(&req, fallback, texts(fallback).unknown),
        Err(error) => return failure(&req, fallback, error),
    };
    let lang = requested.unwrap_or(subscriber.language);
    let path = unsubscribe_path(&token);
    let (done, cleared) = flash::take(&req, &path);
    let text = texts(lang);
    let page = UnsubscribePage {
        page: Page::new(lang, text.heading, &path),
        text,
        action: link(&path, lang),
        undo_action: link(&format!("{path}/undo"), lang),
        opted_out: subscriber.opted_out,
        resubscribed: done == Some(Flash::Resubscribed) && !subscriber.opted_out,
    };
    with_cookie(render(StatusCode::OK, Privacy::Private, &page), cleared)
}

/// Opts out (the page's button, or a mail client's one-click POST).
pub async fn submit(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    token: web::Path<String>,
    post: FormPost<SignedLink>,
) -> HttpResponse {
    change(&req, &db, &token, post, Flash::Unsubscribed).await
}

/// Takes the opt-out back.
pub async fn undo(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    token: web::Path<String>,
    post: FormPost<SignedLink>,
) -> HttpResponse {
    change(&req, &db, &token, post, Flash::Resubscribed).await
}

/// Applies `flash` (opting out or in again), then shows the page.
async fn change(
    req: &HttpRequest,
    db: &DatabaseConnection,
    token: &str,
    post: FormPost<SignedLink>,
    flash: Flash,
) -> HttpResponse {
    let lang = requested_lang(req).unwrap_or(post.lang);
    let subscriber = match find_by_unsubscribe_token(db, token).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(req, lang, texts(lang).unknown),
        Err(error) => return failure(req, lang, error),
    };
    let changed = match flash {
        Flash::Resubscribed => opt_in(db, subscriber.person_id).await,
        _ => opt_out(db, subscriber.person_id).await,
    };
    if let Err(error) = changed {
        return failure(req, lang, error);
    }
    let query = requested_lang(req).map_or_else(String::new, |lang| link("", lang));
    flash::see_other_with(&unsubscribe_path(token), &query, flash)
}
