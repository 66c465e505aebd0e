//! The outbox: every message with its status, failed and retrying ones first in mind, and a
//! retry for a failed one (the same `outbox::retry` as the API).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::people_words::{PeopleWords, people_words};
use super::records::utc_minute;
use super::records::{Failure, next_page};
use super::registrations::Notice;
use super::{ConsoleForm, ConsolePage, Section, Signed, console_words, render, see_other};
use crate::email::outbox::{self, OutboxError, OutboxMessage, OutboxStatus};
use crate::registration::Language;

/// Messages per page.
const PAGE: u64 = 50;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/mail").route(web::get().to(list)))
        .service(web::resource("/mail/{message_id}/retry").route(web::post().to(retry)));
}

fn status_word(lang: Language, status: OutboxStatus) -> &'static str {
    let w = people_words(lang);
    match status {
        OutboxStatus::Queued => w.queued,
        OutboxStatus::Sending => w.sending,
        OutboxStatus::Sent => w.sent,
        OutboxStatus::Retrying => w.retrying,
        OutboxStatus::Failed => w.failed,
    }
}

#[derive(Template)]
#[template(path = "console/mail.html")]
struct MailPage {
    page: ConsolePage,
    pw: &'static PeopleWords,
    filters: Vec<Filter>,
    rows: Vec<Row>,
    next: Option<String>,
    notice: Option<Notice>,
}

/// A status to filter by, with how many messages have it.
struct Filter {
    href: String,
    text: &'static str,
    count: i64,
    current: bool,
}

struct Row {
    id: Uuid,
    to: String,
    subject: String,
    kind: &'static str,
    status: &'static str,
    failed: bool,
    attempts: i32,
    last_error: String,
    next_attempt: String,
    created: String,
}

fn row(lang: Language, message: OutboxMessage) -> Row {
    Row {
        id: message.id,
        to: match message.to_name {
            Some(name) => format!("{name} <{}>", message.to_address),
            None => message.to_address,
        },
        subject: message.subject,
        kind: message.kind.as_str(),
        status: status_word(lang, message.status),
        failed: message.status == OutboxStatus::Failed,
        attempts: message.attempts,
        last_error: message.last_error.unwrap_or_default(),
        next_attempt: match message.status {
            OutboxStatus::Queued | OutboxStatus::Retrying => utc_minute(message.next_attempt_at),
            _ => String::new(),
        },
        created: utc_minute(message.created_at),
    }
}

#[derive(serde::Deserialize)]
struct ListQuery {
    status: Option<String>,
    after: Option<Uuid>,
    retried: Option<String>,
}

async fn list(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    query: web::Query<ListQuery>,
) -> HttpResponse {
    let notice = query.retried.as_ref().map(|_| Notice {
        text: people_words(signed.lang).retried.into(),
        ok: true,
    });
    match mail_page(&req, &signed, &db, &query, notice).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(failure) => failure.page(&req, &signed, Section::Mail),
    }
}

async fn mail_page(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    query: &ListQuery,
    notice: Option<Notice>,
) -> Result<MailPage, Failure> {
    let status = query.status.as_deref().and_then(OutboxStatus::parse);
    let mut messages = outbox::list(db, status, None, query.after, PAGE).await?;
    let depth = outbox::depth(db).await?;
    let w = people_words(signed.lang);
    let mut filters = vec![Filter {
        href: "/admin/mail".into(),
        text: w.all_mail,
        count: depth.by_status.iter().map(|(_, count)| count).sum(),
        current: status.is_none(),
    }];
    filters.extend(depth.by_status.iter().map(|(choice, count)| Filter {
        href: format!("/admin/mail?status={choice}"),
        text: status_word(signed.lang, *choice),
        count: *count,
        current: status == Some(*choice),
    }));
    let next = next_page(
        &mut messages,
        PAGE,
        |message| message.id,
        |last| {
            let status = status.map(OutboxStatus::as_str).unwrap_or_default();
            format!("/admin/mail?status={status}&after={last}")
        },
    );
    Ok(MailPage {
        page: ConsolePage::new(req, signed, console_words(signed.lang).mail, Section::Mail),
        pw: w,
        filters,
        rows: messages
            .into_iter()
            .map(|message| row(signed.lang, message))
            .collect(),
        next,
        notice,
    })
}

async fn retry(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    message_id: web::Path<Uuid>,
) -> HttpResponse {
    let signed = &form.signed;
    let refused = match outbox::retry(&db, *message_id).await {
        Ok(_) => return see_other("/admin/mail?status=failed&retried=1"),
        Err(OutboxError::NotFound) => return Failure::NotFound.page(&req, signed, Section::Mail),
        Err(OutboxError::Database(error)) => {
            return Failure::Database(error).page(&req, signed, Section::Mail);
        }
        Err(OutboxError::NotFailed { .. }) => Notice {
            text: people_words(signed.lang).not_failed.into(),
            ok: false,
        },
    };
    let query = ListQuery {
        status: None,
        after: None,
        retried: None,
    };
    match mail_page(&req, signed, &db, &query, Some(refused)).await {
        Ok(page) => render(StatusCode::CONFLICT, &page),
        Err(failure) => failure.page(&req, signed, Section::Mail),
    }
}
