//! The organizer tables: accounts, one-time sign-in links and sessions.

use chrono::{DateTime, Utc};
use entity::{organizer, organizer_session, organizer_sign_in_link};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
};
use uuid::Uuid;

use super::{SESSION_IDLE, SESSION_MAX, SESSION_TOUCH_INTERVAL, SIGN_IN_LINK_LIFETIME};
use crate::domain::{EmailAddress, Text};
use crate::secrets::{hash, random_token};

/// Prefixes that make a leaked secret recognisable.
const SIGN_IN_PREFIX: &str = "hcs_";
const SESSION_PREFIX: &str = "hcx_";

#[derive(Debug, thiserror::Error)]
pub enum OrganizerError {
    #[error("an organizer with the email {0} exists already")]
    EmailTaken(String),
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// An organizer's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organizer {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub invited_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl From<organizer::Model> for Organizer {
    fn from(row: organizer::Model) -> Self {
        Self {
            id: row.id,
            email: row.email,
            name: row.name,
            invited_by: row.invited_by,
            created_at: row.created_at,
        }
    }
}

/// An organizer's name: 1 to 100 characters on one line.
pub type OrganizerName = Text<100>;

/// Makes an account. The address is kept lowercased, so it is one account whatever its case.
pub async fn add(
    db: &impl ConnectionTrait,
    email: EmailAddress,
    name: &OrganizerName,
    invited_by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Organizer, OrganizerError> {
    let email = email.lowercased().into_inner();
    let row = organizer::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email.clone()),
        name: Set(name.as_str().to_string()),
        invited_by: Set(invited_by),
        created_at: Set(now),
    };
    organizer::Entity::insert(row.clone())
        .exec_without_returning(db)
        .await
        .map_err(|error| match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => OrganizerError::EmailTaken(email),
            _ => error.into(),
        })?;
    Ok(organizer::Model {
        id: row.id.unwrap(),
        email: row.email.unwrap(),
        name: row.name.unwrap(),
        invited_by,
        created_at: now,
    }
    .into())
}

pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &EmailAddress,
) -> Result<Option<Organizer>, DbErr> {
    Ok(organizer::Entity::find()
        .filter(organizer::Column::Email.eq(email.as_str().to_lowercase()))
        .one(db)
        .await?
        .map(Organizer::from))
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Organizer>, DbErr> {
    Ok(organizer::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Organizer::from))
}

/// Every organizer, by name.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<Organizer>, DbErr> {
    Ok(organizer::Entity::find()
        .order_by_asc(organizer::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(Organizer::from)
        .collect())
}

/// A new one-time sign-in link's secret for `organizer_id`, valid for
/// [`SIGN_IN_LINK_LIFETIME`]. Only its hash is stored.
pub async fn new_sign_in_link(
    db: &impl ConnectionTrait,
    organizer_id: Uuid,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    let secret = random_token(SIGN_IN_PREFIX);
    organizer_sign_in_link::Entity::insert(organizer_sign_in_link::ActiveModel {
        id: Set(Uuid::now_v7()),
        organizer_id: Set(organizer_id),
        token_hash: Set(hash(&secret)),
        created_at: Set(now),
        expires_at: Set(now + SIGN_IN_LINK_LIFETIME),
        used_at: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    Ok(secret)
}

/// How many sign-in links were made for `organizer_id` since `since`.
pub async fn sign_in_links_since(
    db: &impl ConnectionTrait,
    organizer_id: Uuid,
    since: DateTime<Utc>,
) -> Result<u64, DbErr> {
    organizer_sign_in_link::Entity::find()
        .filter(organizer_sign_in_link::Column::OrganizerId.eq(organizer_id))
        .filter(organizer_sign_in_link::Column::CreatedAt.gt(since))
        .count(db)
        .await
}

/// Why a sign-in link did not sign anybody in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkRefused {
    #[error("this sign-in link is not known")]
    Unknown,
    #[error("this sign-in link was used already")]
    Used,
    #[error("this sign-in link has expired")]
    Expired,
}

/// Whether the link `secret` could still be used, and by whom, without using it.
pub async fn peek_sign_in_link(
    db: &impl ConnectionTrait,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Result<Organizer, LinkRefused>, DbErr> {
    let Some(link) = organizer_sign_in_link::Entity::find()
        .filter(organizer_sign_in_link::Column::TokenHash.eq(hash(secret)))
        .one(db)
        .await?
    else {
        return Ok(Err(LinkRefused::Unknown));
    };
    if link.used_at.is_some() {
        return Ok(Err(LinkRefused::Used));
    }
    if link.expires_at <= now {
        return Ok(Err(LinkRefused::Expired));
    }
    Ok(find(db, link.organizer_id)
        .await?
        .ok_or(LinkRefused::Unknown))
}

/// Uses the link `secret` once: marks it used (a conditional update, so of two concurrent
/// uses exactly one wins) and answers whose it was.
pub async fn use_sign_in_link(
    db: &impl ConnectionTrait,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Result<Organizer, LinkRefused>, DbErr> {
    let peeked = peek_sign_in_link(db, secret, now).await?;
    let Ok(organizer) = peeked else {
        return Ok(peeked);
    };
    let used = organizer_sign_in_link::Entity::update_many()
        .col_expr(organizer_sign_in_link::Column::UsedAt, Expr::value(now))
        .filter(organizer_sign_in_link::Column::TokenHash.eq(hash(secret)))
        .filter(organizer_sign_in_link::Column::UsedAt.is_null())
        .filter(organizer_sign_in_link::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok(if used.rows_affected == 1 {
        Ok(organizer)
    } else {
        Err(LinkRefused::Used)
    })
}

/// A new session for `organizer_id`; returns its secret (for the cookie) and id.
pub async fn start_session(
    db: &impl ConnectionTrait,
    organizer_id: Uuid,
    user_agent: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(String, Uuid), DbErr> {
    let secret = random_token(SESSION_PREFIX);
    let id = Uuid::now_v7();
    organizer_session::Entity::insert(organizer_session::ActiveModel {
        id: Set(id),
        organizer_id: Set(organizer_id),
        token_hash: Set(hash(&secret)),
        user_agent: Set(user_agent.map(|agent| agent.chars().take(200).collect())),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + SESSION_MAX),
        ended_at: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    Ok((secret, id))
}

/// The organizer of a live session, as a request found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub session_id: Uuid,
    pub organizer: Organizer,
}

/// The live session whose secret this is: not ended, not past its absolute limit, used
/// within [`SESSION_IDLE`]. Touches it (at most once per [`SESSION_TOUCH_INTERVAL`]).
pub async fn session(
    db: &DatabaseConnection,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Option<SignedIn>, DbErr> {
    // One query on every console request: the session and its organizer together.
    let of_organizer = organizer_session::Entity::belongs_to(organizer::Entity)
        .from(organizer_session::Column::OrganizerId)
        .to(organizer::Column::Id)
        .into();
    let Some((row, Some(organizer))) = organizer_session::Entity::find()
        .select_also(organizer::Entity)
        .join(JoinType::InnerJoin, of_organizer)
        .filter(organizer_session::Column::TokenHash.eq(hash(secret)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if !is_live(&row, now) {
        return Ok(None);
    }
    if now - row.last_seen_at >= SESSION_TOUCH_INTERVAL {
        organizer_session::Entity::update_many()
            .col_expr(organizer_session::Column::LastSeenAt, Expr::value(now))
            .filter(organizer_session::Column::Id.eq(row.id))
            .exec(db)
            .await?;
    }
    Ok(Some(SignedIn {
        session_id: row.id,
        organizer: organizer.into(),
    }))
}

fn is_live(row: &organizer_session::Model, now: DateTime<Utc>) -> bool {
    row.ended_at.is_none() && row.expires_at > now && now - row.last_seen_at < SESSION_IDLE
}

/// A live session of an organizer, for the list of their sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub id: Uuid,
    pub user_agent: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

/// The organizer's live sessions, the latest used first.
pub async fn live_sessions(
    db: &DatabaseConnection,
    organizer_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<SessionInfo>, DbErr> {
    Ok(organizer_session::Entity::find()
        .filter(organizer_session::Column::OrganizerId.eq(organizer_id))
        .filter(organizer_session::Column::EndedAt.is_null())
        .order_by_desc(organizer_session::Column::LastSeenAt)
        .all(db)
        .await?
        .into_iter()
        .filter(|row| is_live(row, now))
        .map(|row| SessionInfo {
            id: row.id,
            user_agent: row.user_agent,
            created_at: row.created_at,
            last_seen_at: row.last_seen_at,
        })
        .collect())
}

/// Ends one of the organizer's sessions (signing out, or from the list of sessions). An
/// organizer can end only their own; returns whether a live one was ended.
pub async fn end_session(
    db: &DatabaseConnection,
    organizer_id: Uuid,
    session_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let ended = organizer_session::Entity::update_many()
        .col_expr(organizer_session::Column::EndedAt, Expr::value(now))
        .filter(organizer_session::Column::Id.eq(session_id))
        .filter(organizer_session::Column::OrganizerId.eq(organizer_id))
        .filter(organizer_session::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    Ok(ended.rows_affected == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(last_seen: DateTime<Utc>, expires: DateTime<Utc>) -> organizer_session::Model {
        organizer_session::Model {
            id: Uuid::nil(),
            organizer_id: Uuid::nil(),
            token_hash: String::new(),
            user_agent: None,
            created_at: last_seen,
            last_seen_at: last_seen,
            expires_at: expires,
            ended_at: None,
        }
    }

    #[test]
    fn a_session_ends_when_idle_or_past_its_limit_or_signed_out() {
        let now = Utc::now();
        let far = now + SESSION_MAX;
        assert!(is_live(
            &row(now - SESSION_IDLE + TimeDelta::seconds(1), far),
            now
        ));
        assert!(!is_live(&row(now - SESSION_IDLE, far), now));
        assert!(!is_live(&row(now, now), now));
        let mut ended = row(now, far);
        ended.ended_at = Some(now);
        assert!(!is_live(&ended, now));
    }

    use chrono::TimeDelta;
}
