//! `/admin/audit`: the audit log in the console, with the API's filters (an event, an
//! organizer) and the same pages, newest first, times in Korea time.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sea_orm::{DatabaseConnection, DbErr};
use serde_json::Value;
use uuid::Uuid;

use super::{ConsolePage, Section, Signed, render};
use crate::audit::routes::DEFAULT_LIMIT;
use crate::audit::{self, AuditAction, AuditFilter, AuditTarget, Entry};
use crate::domain::in_zone;
use crate::events::{EventFilter, list_events};
use crate::organizers::store as organizers;
use crate::registration::Language;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/audit").route(web::get().to(show)));
}

/// The zone the console shows times in: the club's.
const ZONE: &str = "Asia/Seoul";

/// The events the filter offers (the newest this many).
const EVENTS_OFFERED: u64 = 200;

#[derive(Template)]
#[template(path = "console/audit.html")]
struct AuditPage {
    page: ConsolePage,
    w: &'static AuditWords,
    events: Vec<Choice>,
    organizers: Vec<Choice>,
    /// A filter that could not be read, shown beside the form.
    error: Option<&'static str>,
    rows: Vec<Row>,
    older: Option<String>,
}

/// An option of a filter's select.
struct Choice {
    id: Uuid,
    name: String,
    selected: bool,
}

/// An entry as the table shows it.
struct Row {
    when: String,
    who: String,
    via: String,
    what: String,
    event: Option<String>,
    target_id: String,
    changes: Vec<FieldChange>,
}

struct FieldChange {
    field: String,
    before: Option<String>,
    after: Option<String>,
}

/// What the query asks for; `None` for a value that is not an id.
struct Query {
    event_id: Option<Uuid>,
    organizer_id: Option<Uuid>,
    before: Option<Uuid>,
    unreadable: bool,
}

impl Query {
    fn read(req: &HttpRequest) -> Self {
        let mut query = Query {
            event_id: None,
            organizer_id: None,
            before: None,
            unreadable: false,
        };
        for (key, value) in url::form_urlencoded::parse(req.query_string().as_bytes()) {
            let slot = match key.as_ref() {
                "event_id" => &mut query.event_id,
                "organizer_id" => &mut query.organizer_id,
                "before" => &mut query.before,
                _ => continue,
            };
            if value.is_empty() {
                continue;
            }
            match value.parse() {
                Ok(id) => *slot = Some(id),
                Err(_) => query.unreadable = true,
            }
        }
        query
    }

    /// The link to the page after `last`, with the same filters.
    fn older(&self, last: Uuid) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in [
            ("event_id", self.event_id),
            ("organizer_id", self.organizer_id),
        ] {
            if let Some(value) = value {
                query.append_pair(key, &value.to_string());
            }
        }
        query.append_pair("before", &last.to_string());
        format!("/admin/audit?{}", query.finish())
    }
}

async fn show(req: HttpRequest, signed: Signed, db: web::Data<DatabaseConnection>) -> HttpResponse {
    match page(&req, &signed, &db).await {
        Ok((status, page)) => render(status, &page),
        Err(error) => super::sign_in::unavailable(&req, signed.lang, error),
    }
}

async fn page(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
) -> Result<(StatusCode, AuditPage), DbErr> {
    let w = audit_words(signed.lang);
    let query = Query::read(req);
    let filter = AuditFilter {
        event_id: query.event_id,
        organizer_id: query.organizer_id,
    };
    // A filter that is not an id shows nothing rather than everything.
    let mut entries = if query.unreadable {
        Vec::new()
    } else {
        audit::list(db, &filter, query.before, DEFAULT_LIMIT).await?
    };
    let more = entries.len() as u64 > DEFAULT_LIMIT;
    entries.truncate(DEFAULT_LIMIT as usize);
    let older = entries
        .last()
        .filter(|_| more)
        .map(|last| query.older(last.id));
    let all_events = EventFilter {
        status: None,
        year: None,
    };
    let mut events = list_events(db, &all_events, None, EVENTS_OFFERED).await?;
    events.reverse();
    let titles: HashMap<Uuid, String> = events.iter().map(|e| (e.id, e.title.clone())).collect();
    let events = events
        .into_iter()
        .map(|event| Choice {
            selected: query.event_id == Some(event.id),
            id: event.id,
            name: event.title,
        })
        .collect();
    let organizers = organizers::list(db)
        .await?
        .into_iter()
        .map(|organizer| Choice {
            selected: query.organizer_id == Some(organizer.id),
            id: organizer.id,
            name: organizer.name,
        })
        .collect();
    let rows = entries
        .into_iter()
        .map(|entry| row(entry, signed.lang, w, &titles))
        .collect();
    let status = if query.unreadable {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = AuditPage {
        page: ConsolePage::new(req, signed, w.title, Section::Audit),
        w,
        events,
        organizers,
        error: query.unreadable.then_some(w.bad_filter),
        rows,
        older,
    };
    Ok((status, page))
}

fn row(entry: Entry, lang: Language, w: &AuditWords, titles: &HashMap<Uuid, String>) -> Row {
    let (who, via) = match (&entry.organizer_name, &entry.token_name) {
        (Some(name), Some(token)) => (name.clone(), format!("{} {token}", w.api_token)),
        (Some(name), None) => (name.clone(), w.console.to_string()),
        (None, Some(token)) => (format!("{} {token}", w.command_line_token), String::new()),
        (None, None) => (w.unknown.to_string(), String::new()),
    };
    let changes = match &entry.changes {
        Value::Object(fields) => fields
            .iter()
            .map(|(field, change)| FieldChange {
                field: field.clone(),
                before: change.get("before").map(shown),
                after: change.get("after").map(shown),
            })
            .collect(),
        _ => Vec::new(),
    };
    Row {
        when: in_zone(entry.at, ZONE).format("%Y-%m-%d %H:%M").to_string(),
        who,
        via,
        what: format!(
            "{} · {}",
            target_word(entry.target_type, lang),
            action_word(entry.action, lang)
        ),
        event: entry
            .event_id
            .map(|id| titles.get(&id).cloned().unwrap_or_else(|| id.to_string())),
        target_id: entry.target_id.map(|id| id.to_string()).unwrap_or_default(),
        changes,
    }
}

/// A value as the table shows it: text as it is, anything else as JSON.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// What was done, in words (Korean, English).
fn action_word(action: AuditAction, lang: Language) -> &'static str {
    let words = match action {
        AuditAction::Create => ("만듦", "created"),
        AuditAction::Update => ("바꿈", "changed"),
        AuditAction::Delete => ("지움", "deleted"),
        AuditAction::Publish => ("공개", "published"),
        AuditAction::Close => ("마감", "closed"),
        AuditAction::Complete => ("종료", "completed"),
        AuditAction::Cancel => ("취소", "cancelled"),
        AuditAction::Approve => ("승인", "approved"),
        AuditAction::Promote => ("대기에서 확정", "promoted off the waitlist"),
        AuditAction::Reject => ("거절", "rejected"),
        AuditAction::CheckIn => ("체크인", "checked in"),
        AuditAction::UndoCheckIn => ("체크인 되돌림", "check-in undone"),
        AuditAction::Erase => ("개인정보 삭제", "erased"),
        AuditAction::Retry => ("다시 보냄", "retried"),
        AuditAction::Move => ("자리 옮김", "moved"),
        AuditAction::Seat => ("늦게 온 사람 배정", "late arrival seated"),
        AuditAction::RenewLink => ("링크 새로 만듦", "link renewed"),
        AuditAction::Revoke => ("폐기", "revoked"),
        AuditAction::Invite => ("초대", "invited"),
    };
    in_lang(lang, words)
}

/// What it was done to, in words (Korean, English).
fn target_word(target: AuditTarget, lang: Language) -> &'static str {
    let words = match target {
        AuditTarget::Event => ("행사", "Event"),
        AuditTarget::Venue => ("장소", "Venue"),
        AuditTarget::Speaker => ("연사", "Speaker"),
        AuditTarget::Talk => ("발표", "Talk"),
        AuditTarget::Question => ("신청서 질문", "Question"),
        AuditTarget::Registration => ("신청", "Registration"),
        AuditTarget::Person => ("사람", "Person"),
        AuditTarget::NetworkingSession => ("네트워킹", "Networking session"),
        AuditTarget::OutboxMessage => ("메일", "Email"),
        AuditTarget::Organizer => ("운영진", "Organizer"),
        AuditTarget::ApiToken => ("API 토큰", "API token"),
    };
    in_lang(lang, words)
}

/// The Korean or the English of a pair.
fn in_lang(lang: Language, (ko, en): (&'static str, &'static str)) -> &'static str {
    match lang {
        Language::Ko => ko,
        Language::En => en,
    }
}

pub struct AuditWords {
    pub title: &'static str,
    pub intro: &'static str,
    pub event: &'static str,
    pub all_events: &'static str,
    pub organizer: &'static str,
    pub all_organizers: &'static str,
    pub show: &'static str,
    pub when: &'static str,
    pub who: &'static str,
    pub what: &'static str,
    pub changes: &'static str,
    pub field: &'static str,
    pub before: &'static str,
    pub after: &'static str,
    pub console: &'static str,
    pub api_token: &'static str,
    pub command_line_token: &'static str,
    pub unknown: &'static str,
    pub no_changes: &'static str,
    pub empty: &'static str,
    pub older: &'static str,
    pub newest: &'static str,
    pub bad_filter: &'static str,
}

fn audit_words(lang: Language) -> &'static AuditWords {
    match lang {
        Language::Ko => &KO,
        Language::En => &EN,
    }
}

const KO: AuditWords = AuditWords {
    title: "변경 기록",
    intro: "운영진이 콘솔이나 API로 바꾼 모든 것을 최근 것부터 보여 줍니다. 시각은 한국 시간입니다.",
    event: "행사",
    all_events: "모든 행사",
    organizer: "운영진",
    all_organizers: "모든 운영진",
    show: "보기",
    when: "언제 (한국 시간)",
    who: "누가",
    what: "무엇을",
    changes: "바뀐 내용",
    field: "항목",
    before: "이전",
    after: "이후",
    console: "콘솔",
    api_token: "API 토큰",
    command_line_token: "명령줄 토큰",
    unknown: "알 수 없음",
    no_changes: "바뀐 항목 없음",
    empty: "기록이 없습니다.",
    older: "이전 기록 더 보기",
    newest: "최근 기록으로",
    bad_filter: "필터를 읽을 수 없습니다. 목록에서 다시 고르세요.",
};

const EN: AuditWords = AuditWords {
    title: "Audit log",
    intro: "Everything organizers changed, in the console or through the API, newest first. Times are Korea time.",
    event: "Event",
    all_events: "All events",
    organizer: "Organizer",
    all_organizers: "All organizers",
    show: "Show",
    when: "When (Korea time)",
    who: "Who",
    what: "What",
    changes: "Changes",
    field: "Field",
    before: "Before",
    after: "After",
    console: "console",
    api_token: "API token",
    command_line_token: "command-line token",
    unknown: "unknown",
    no_changes: "no fields changed",
    empty: "Nothing recorded.",
    older: "Older entries",
    newest: "Newest entries",
    bad_filter: "The filter could not be read. Pick again from the lists.",
};
