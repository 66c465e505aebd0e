//! Passwordless sign-in: a one-time link mailed through the outbox (so it survives a crash
//! and goes out once), then a session when the link is used.

use askama::Template;
use chrono::{DateTime, Utc};
use entity::organizer;
use entity::values::{Language, MailKind};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::store::{
    self, LinkRefused, Organizer, OrganizerError, OrganizerName, SignedIn, new_sign_in_link,
    sign_in_links_since,
};
use super::{SIGN_IN_LINK_LIFETIME, SIGN_IN_LINKS_PER_WINDOW};
use crate::audit::{self, AuditAction, AuditTarget, Change};
use crate::db::begin_write;
use crate::domain::EmailAddress;
use crate::email::outbox::{NewMessage, enqueue};

/// What became of a sign-in request. The page answers all three alike, so nobody learns
/// which addresses belong to organizers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInRequest {
    Mailed,
    UnknownAddress,
    /// Enough links went to this address lately; no more are mailed for a while.
    Throttled,
}

/// Where sign-in links point: `<base>/admin/sign-in/<secret>`, with the page to go on to.
#[derive(Debug, Clone)]
pub struct SignInLinks {
    base_url: String,
}

/// The path a sign-in link opens, before its secret.
pub const LINK_PATH: &str = "/admin/sign-in/";

impl SignInLinks {
    pub fn new(public_base_url: &str) -> Self {
        Self {
            base_url: public_base_url.trim_end_matches('/').to_string(),
        }
    }

    pub fn url(&self, secret: &str, next: Option<&str>) -> String {
        let mut url = format!("{}{LINK_PATH}{secret}", self.base_url);
        if let Some(next) = next.filter(|next| is_console_path(next)) {
            url.push_str("?next=");
            url.extend(utf8_percent_encode(next, NON_ALPHANUMERIC));
        }
        url
    }
}

/// Whether `path` is a console page to go on to after signing in: a path of this site under
/// `/admin` (never another host, as `//evil.example` or `/\evil.example` would be).
pub fn is_console_path(path: &str) -> bool {
    (path == "/admin" || path.starts_with("/admin/") || path.starts_with("/admin?"))
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
}

/// Mails a sign-in link to the organizer with this address, if there is one and not too many
/// links went out lately. `next` is the console page to open after signing in.
pub async fn request(
    db: &DatabaseConnection,
    links: &SignInLinks,
    email: &EmailAddress,
    language: Language,
    next: Option<&str>,
    now: DateTime<Utc>,
) -> Result<SignInRequest, DbErr> {
    let txn = begin_write(db).await?;
    // Locked, so that instances counting this organizer's recent links take turns.
    let Some(row) = organizer::Entity::find()
        .filter(organizer::Column::Email.eq(email.as_str().to_lowercase()))
        .lock_exclusive()
        .one(&*txn)
        .await?
    else {
        return Ok(SignInRequest::UnknownAddress);
    };
    let recent = sign_in_links_since(&*txn, row.id, now - SIGN_IN_LINK_LIFETIME).await?;
    if recent >= SIGN_IN_LINKS_PER_WINDOW {
        return Ok(SignInRequest::Throttled);
    }
    let organizer = Organizer::from(row);
    let secret = new_sign_in_link(&*txn, organizer.id, now).await?;
    let url = links.url(&secret, next);
    enqueue(
        &txn,
        message(&organizer, &url, language, MailPurpose::SignIn)?,
    )
    .await?;
    txn.commit().await?;
    Ok(SignInRequest::Mailed)
}

/// Makes an organizer account and a first sign-in link, mailed to them; returns the account
/// and the link (the command line prints it too).
pub async fn invite(
    db: &DatabaseConnection,
    links: &SignInLinks,
    email: EmailAddress,
    name: &OrganizerName,
    invited_by: Option<&Organizer>,
    language: Language,
    now: DateTime<Utc>,
) -> Result<(Organizer, String), OrganizerError> {
    let txn = begin_write(db).await?;
    let organizer = store::add(&*txn, email, name, invited_by.map(|by| by.id), now).await?;
    let secret = new_sign_in_link(&*txn, organizer.id, now).await?;
    let url = links.url(&secret, None);
    let purpose = MailPurpose::Invited {
        by: invited_by.map(|by| by.name.clone()),
    };
    enqueue(&txn, message(&organizer, &url, language, purpose)?).await?;
    let change = Change::new(AuditAction::Invite, AuditTarget::Organizer, organizer.id)
        .after(&serde_json::json!({"name": organizer.name, "email": organizer.email}));
    audit::record(&*txn, change).await?;
    txn.commit().await?;
    Ok((organizer, url))
}

/// Uses a sign-in link once and starts a session; returns the session's secret (for the
/// cookie) and who signed in.
pub async fn complete(
    db: &DatabaseConnection,
    secret: &str,
    user_agent: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Result<(String, SignedIn), LinkRefused>, DbErr> {
    let txn = begin_write(db).await?;
    let organizer = match store::use_sign_in_link(&*txn, secret, now).await? {
        Ok(organizer) => organizer,
        Err(refused) => return Ok(Err(refused)),
    };
    let (session_secret, session_id) =
        store::start_session(&*txn, organizer.id, user_agent, now).await?;
    txn.commit().await?;
    Ok(Ok((
        session_secret,
        SignedIn {
            session_id,
            organizer,
        },
    )))
}

/// Why a sign-in link is mailed.
enum MailPurpose {
    SignIn,
    /// A new account; `by` is who invited them (none from the command line).
    Invited {
        by: Option<String>,
    },
}

#[derive(Template)]
#[template(path = "email/sign_in/ko/body.txt")]
struct KoText<'a> {
    m: &'a SignInMail,
}

#[derive(Template)]
#[template(path = "email/sign_in/ko/body.html")]
struct KoHtml<'a> {
    m: &'a SignInMail,
}

#[derive(Template)]
#[template(path = "email/sign_in/en/body.txt")]
struct EnText<'a> {
    m: &'a SignInMail,
}

#[derive(Template)]
#[template(path = "email/sign_in/en/body.html")]
struct EnHtml<'a> {
    m: &'a SignInMail,
}

/// What the sign-in mail shows.
struct SignInMail {
    name: String,
    url: String,
    minutes: i64,
    /// Set for an invitation: who invited them, if anybody did.
    invited: Option<Option<String>>,
}

fn message(
    organizer: &Organizer,
    url: &str,
    language: Language,
    purpose: MailPurpose,
) -> Result<NewMessage, DbErr> {
    let mail = SignInMail {
        name: organizer.name.clone(),
        url: url.to_string(),
        minutes: SIGN_IN_LINK_LIFETIME.num_minutes(),
        invited: match purpose {
            MailPurpose::SignIn => None,
            MailPurpose::Invited { by } => Some(by),
        },
    };
    let invited = mail.invited.is_some();
    let (subject, text, html) = match language {
        Language::Ko => (
            if invited {
                "1&N 운영 콘솔에 초대되었습니다"
            } else {
                "1&N 운영 콘솔 로그인 링크"
            },
            KoText { m: &mail }.render(),
            KoHtml { m: &mail }.render(),
        ),
        Language::En => (
            if invited {
                "You are invited to the 1&N organizer console"
            } else {
                "Your 1&N organizer console sign-in link"
            },
            EnText { m: &mail }.render(),
            EnHtml { m: &mail }.render(),
        ),
    };
    let render_failed = |error: askama::Error| DbErr::Custom(format!("sign-in mail: {error}"));
    Ok(NewMessage {
        registration_id: None,
        // Each link is its own cause: a new request is a new mail.
        dedupe_key: format!("sign-in:{}", Uuid::now_v7()),
        kind: MailKind::SignIn,
        language,
        to_address: organizer.email.clone(),
        to_name: Some(organizer.name.clone()),
        subject: subject.to_string(),
        text_body: text.map_err(render_failed)?,
        html_body: html.map_err(render_failed)?,
        ics_body: None,
        ics_method: None,
        list_unsubscribe: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_console_paths_are_followed_after_sign_in() {
        assert!(is_console_path("/admin"));
        assert!(is_console_path("/admin/events/1/check-in?code=K7P-M2X"));
        assert!(!is_console_path("//evil.example/admin"));
        assert!(!is_console_path("https://evil.example/admin"));
        assert!(!is_console_path("/admin/\\evil"));
        assert!(!is_console_path("/administrator"));
        assert!(!is_console_path("/events/x"));
    }

    #[test]
    fn the_sign_in_and_invitation_mails_render_in_both_languages() {
        let organizer = Organizer {
            id: Uuid::nil(),
            email: "lead@example.com".into(),
            name: "김운영".into(),
            invited_by: None,
            created_at: Utc::now(),
        };
        let url = "https://hc.example/admin/sign-in/hcs_x";
        for language in [Language::Ko, Language::En] {
            for purpose in [
                MailPurpose::SignIn,
                MailPurpose::Invited { by: None },
                MailPurpose::Invited {
                    by: Some("박초대".into()),
                },
            ] {
                let invited_by = match &purpose {
                    MailPurpose::Invited { by } => by.clone(),
                    MailPurpose::SignIn => None,
                };
                let mail = message(&organizer, url, language, purpose).unwrap();
                assert_eq!(mail.to_address, "lead@example.com");
                for body in [&mail.text_body, &mail.html_body] {
                    assert!(body.contains(url), "{body}");
                    assert!(body.contains("15"), "the lifetime is said: {body}");
                    assert!(body.contains("김운영"));
                    if let Some(by) = &invited_by {
                        assert!(body.contains(by.as_str()), "{body}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_link_carries_the_page_to_go_on_to_encoded() {
        let links = SignInLinks::new("https://hc.example/");
        assert_eq!(links.url("s", None), "https://hc.example/admin/sign-in/s");
        assert_eq!(
            links.url("s", Some("/admin/x?code=A")),
            "https://hc.example/admin/sign-in/s?next=%2Fadmin%2Fx%3Fcode%3DA"
        );
        assert_eq!(
            links.url("s", Some("//evil")),
            "https://hc.example/admin/sign-in/s"
        );
    }
}
