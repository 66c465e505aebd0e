//! The `api_token` table: tokens made, listed and revoked on the command line or in the
//! console, each tied to the organizer who made it, and the lookup that authenticates a
//! request. Only a token's hash is stored.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{api_token, organizer};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, JoinType, QueryFilter,
    QueryOrder, QuerySelect, SqlErr,
};
use serde::Serialize;
use uuid::Uuid;

use crate::audit::{self, Actor, AuditAction, AuditTarget, Change};
use crate::db::begin_write;
use crate::organizers::{self, Organizer};
use crate::secrets::{hash, random_token};

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("a token named {0:?} already exists; revoke it first or pick another name")]
    NameTaken(String),
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// Prefix that makes a leaked token easy to recognise (e.g. by secret scanners).
pub(super) const TOKEN_PREFIX: &str = "hc_";

/// A token's name: 1 to 64 ASCII letters, digits, `.`, `_` or `-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenName(String);

impl TokenName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let valid = (1..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        if valid {
            Ok(Self(raw.to_string()))
        } else {
            Err(format!(
                "invalid token name {raw:?}: use 1 to 64 letters, digits, '.', '_' or '-'"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone)]
pub struct TokenInfo {
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// Who made it; none for a token made on the command line without `--organizer`.
    pub organizer: Option<Organizer>,
}

/// Creates a token and returns its secret, which exists nowhere else afterwards.
/// `organizer_id` is who made it (none from the command line).
pub async fn create_token(
    db: &DatabaseConnection,
    name: &TokenName,
    organizer_id: Option<Uuid>,
) -> Result<String, TokenError> {
    let secret = random_token(TOKEN_PREFIX);
    let id = Uuid::now_v7();
    let row = api_token::ActiveModel {
        id: Set(id),
        name: Set(name.as_str().to_string()),
        token_hash: Set(hash(&secret)),
        created_at: Set(Utc::now()),
        organizer_id: Set(organizer_id),
    };
    let txn = begin_write(db).await?;
    api_token::Entity::insert(row)
        .exec(&txn)
        .await
        .map_err(|error| match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                TokenError::NameTaken(name.as_str().to_string())
            }
            _ => error.into(),
        })?;
    let about = TokenAudit {
        name: name.as_str(),
        organizer_id,
    };
    audit::record(&txn, Change::created(AuditTarget::ApiToken, id, &about)).await?;
    txn.commit().await?;
    Ok(secret)
}

/// What the audit log keeps of a token (never its secret or hash).
#[derive(Serialize)]
struct TokenAudit<'a> {
    name: &'a str,
    organizer_id: Option<Uuid>,
}

/// Every token by name, with the organizer who made it.
pub async fn list_tokens(db: &DatabaseConnection) -> Result<Vec<TokenInfo>, DbErr> {
    let rows = api_token::Entity::find()
        .order_by_asc(api_token::Column::Name)
        .all(db)
        .await?;
    // Organizers are few: one query for all of them rather than one per token.
    let organizers: HashMap<Uuid, Organizer> = organizers::store::list(db)
        .await?
        .into_iter()
        .map(|organizer| (organizer.id, organizer))
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| TokenInfo {
            organizer: row.organizer_id.and_then(|id| organizers.get(&id).cloned()),
            name: row.name,
            created_at: row.created_at,
        })
        .collect())
}

/// Deletes the named token; returns whether there was one.
pub async fn revoke_token(db: &DatabaseConnection, name: &TokenName) -> Result<bool, DbErr> {
    let txn = begin_write(db).await?;
    let Some(token) = api_token::Entity::find()
        .filter(api_token::Column::Name.eq(name.as_str()))
        .one(&txn)
        .await?
    else {
        return Ok(false);
    };
    api_token::Entity::delete_by_id(token.id).exec(&txn).await?;
    let about = TokenAudit {
        name: &token.name,
        organizer_id: token.organizer_id,
    };
    let change = Change::new(AuditAction::Revoke, AuditTarget::ApiToken, token.id).before(&about);
    audit::record(&txn, change).await?;
    txn.commit().await?;
    Ok(true)
}

/// Who a request with this secret acts as: the token's name and the organizer who made it
/// (none for a token made on the command line), if the secret is a token's.
pub(super) async fn token_actor(
    db: &DatabaseConnection,
    secret: &str,
) -> Result<Option<Actor>, DbErr> {
    // One query on every API request: the token and its organizer together.
    let made_by = api_token::Entity::belongs_to(organizer::Entity)
        .from(api_token::Column::OrganizerId)
        .to(organizer::Column::Id)
        .into();
    let Some((token, organizer)) = api_token::Entity::find()
        .select_also(organizer::Entity)
        .join(JoinType::LeftJoin, made_by)
        .filter(api_token::Column::TokenHash.eq(hash(secret)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let organizer = organizer.map(|organizer| (organizer.id, organizer.name));
    Ok(Some(Actor::token(&token.name, organizer)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_names() {
        assert!(TokenName::parse("laptop-2026").is_ok());
        assert!(TokenName::parse("").is_err());
        assert!(TokenName::parse("has space").is_err());
        assert!(TokenName::parse(&"x".repeat(65)).is_err());
    }
}
