//! API tokens for scripts: listed with who made them, made (the secret shown once, on the
//! answer to the POST itself, since it is stored nowhere) and revoked, through the same
//! `auth` functions as the command line.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sea_orm::DatabaseConnection;

use super::records::utc_minute;
use super::sign_in::unavailable;
use super::{ConsoleForm, ConsolePage, Section, Signed, render};
use crate::auth::{TokenError, TokenName, create_token, list_tokens, revoke_token};
use crate::registration::Language;
use crate::web::Link;
use crate::web::flash::{self, Flash};
use crate::web::with_cookie;

const PATH: &str = "/admin/tokens";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/tokens")
            .route(web::get().to(show))
            .route(web::post().to(create)),
    )
    .service(web::resource("/tokens/revoke").route(web::post().to(revoke)));
}

#[derive(Template)]
#[template(path = "console/tokens.html")]
struct TokensPage {
    page: ConsolePage,
    t: &'static TokenWords,
    tokens: Vec<TokenRow>,
    name: String,
    error: Option<&'static str>,
    revoked: bool,
}

struct TokenRow {
    name: String,
    created: String,
    by: Option<String>,
}

async fn tokens_page(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    name: String,
    error: Option<&'static str>,
    revoked: bool,
) -> Result<TokensPage, sea_orm::DbErr> {
    let t = token_words(signed.lang);
    let tokens = list_tokens(db)
        .await?
        .into_iter()
        .map(|token| TokenRow {
            created: utc_minute(token.created_at),
            by: token.organizer.map(|by| by.name),
            name: token.name,
        })
        .collect();
    Ok(TokensPage {
        page: ConsolePage::new(req, signed, t.title, Section::Tokens),
        t,
        tokens,
        name,
        error,
        revoked,
    })
}

async fn show(req: HttpRequest, signed: Signed, db: web::Data<DatabaseConnection>) -> HttpResponse {
    let (done, cleared) = flash::take(&req, PATH);
    let revoked = done == Some(Flash::Saved);
    match tokens_page(&req, &signed, &db, String::new(), None, revoked).await {
        Ok(page) => with_cookie(render(StatusCode::OK, &page), cleared),
        Err(error) => unavailable(&req, signed.lang, error),
    }
}

async fn create(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
) -> HttpResponse {
    let signed = &form.signed;
    let t = token_words(signed.lang);
    let raw = form.data.text("name").trim().to_string();
    let Ok(name) = TokenName::parse(&raw) else {
        return refused(&req, signed, &db, raw, t.name_invalid).await;
    };
    match create_token(&db, &name, Some(signed.organizer.id)).await {
        Ok(secret) => {
            tracing::info!(token = name.as_str(), organizer = %signed.organizer.id, "API token created in the console");
            let page = ShownOnce {
                page: ConsolePage::new(&req, signed, t.created_title, Section::Tokens),
                text: t.created_text.to_string(),
                value: secret,
                open: None,
                back: Link {
                    href: PATH.into(),
                    text: t.back.into(),
                },
            };
            // The secret is on this page alone: `render` answers `no-store`.
            render(StatusCode::OK, &page)
        }
        Err(TokenError::NameTaken(_)) => refused(&req, signed, &db, raw, t.name_taken).await,
        Err(TokenError::Database(error)) => unavailable(&req, signed.lang, error),
    }
}

/// The list with the form as typed and what is wrong with it; nothing was made.
async fn refused(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    name: String,
    error: &'static str,
) -> HttpResponse {
    match tokens_page(req, signed, db, name, Some(error), false).await {
        Ok(page) => render(StatusCode::UNPROCESSABLE_ENTITY, &page),
        Err(error) => unavailable(req, signed.lang, error),
    }
}

async fn revoke(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
) -> HttpResponse {
    let signed = &form.signed;
    // A name that is not a token's (revoked already, in another tab) leaves nothing to do.
    if let Ok(name) = TokenName::parse(form.data.text("name")) {
        match revoke_token(&db, &name).await {
            Ok(revoked) => {
                tracing::info!(token = name.as_str(), revoked, organizer = %signed.organizer.id, "API token revoked in the console");
            }
            Err(error) => return unavailable(&req, signed.lang, error),
        }
    }
    flash::see_other_with(PATH, "", Flash::Saved)
}

/// A page showing a secret once (a new token, a new table-plan link), with a way back.
#[derive(Template)]
#[template(path = "console/shown_once.html")]
pub(super) struct ShownOnce {
    pub page: ConsolePage,
    pub text: String,
    pub value: String,
    /// A link that opens the value, when it is an address.
    pub open: Option<Link>,
    pub back: Link,
}

pub(super) struct TokenWords {
    title: &'static str,
    intro: &'static str,
    name: &'static str,
    name_hint: &'static str,
    created_at: &'static str,
    created_by: &'static str,
    nobody: &'static str,
    none_yet: &'static str,
    create: &'static str,
    revoke: &'static str,
    revoked: &'static str,
    name_invalid: &'static str,
    name_taken: &'static str,
    created_title: &'static str,
    created_text: &'static str,
    back: &'static str,
}

fn token_words(lang: Language) -> &'static TokenWords {
    match lang {
        Language::Ko => &KO,
        Language::En => &EN,
    }
}

const KO: TokenWords = TokenWords {
    title: "API 토큰",
    intro: "스크립트가 JSON API를 쓸 때 보내는 토큰입니다. 폐기한 토큰은 바로 쓸 수 없게 됩니다.",
    name: "토큰 이름",
    name_hint: "영문, 숫자, '.', '_', '-'로 64자까지. 예: deploy-2027",
    created_at: "만든 때",
    created_by: "만든 사람",
    nobody: "명령줄에서 만듦",
    none_yet: "아직 토큰이 없습니다.",
    create: "토큰 만들기",
    revoke: "폐기",
    revoked: "토큰을 폐기했습니다. 이 토큰을 쓰는 요청은 이제 거절됩니다.",
    name_invalid: "이름은 영문, 숫자, '.', '_', '-'로 1~64자여야 합니다.",
    name_taken: "이 이름의 토큰이 이미 있습니다. 다른 이름을 쓰거나 먼저 폐기하세요.",
    created_title: "토큰을 만들었습니다",
    created_text: "이 토큰은 지금 한 번만 보입니다. 바로 복사해 안전한 곳에 두세요. 저장된 것은 해시뿐이라 다시 볼 수 없습니다.",
    back: "API 토큰 목록으로",
};

const EN: TokenWords = TokenWords {
    title: "API tokens",
    intro: "Scripts send a token to use the JSON API. A revoked token stops working at once.",
    name: "Token name",
    name_hint: "Up to 64 letters, digits, '.', '_' or '-', e.g. deploy-2027",
    created_at: "Created",
    created_by: "Created by",
    nobody: "Command line",
    none_yet: "No tokens yet.",
    create: "Create a token",
    revoke: "Revoke",
    revoked: "The token is revoked. Requests with it are refused from now on.",
    name_invalid: "Use 1 to 64 letters, digits, '.', '_' or '-'.",
    name_taken: "A token with this name exists. Pick another name or revoke it first.",
    created_title: "Token created",
    created_text: "This token is shown now and never again: copy it somewhere safe. Only its hash is stored.",
    back: "Back to API tokens",
};
