use std::future::{Ready, ready};

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, http::header, web};
use chrono::{DateTime, Utc};
use entity::api_token;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::error::ApiError;
use crate::secrets::{hash, random_token};

/// Prefix that makes a leaked token easy to recognise (e.g. by secret scanners).
const TOKEN_PREFIX: &str = "hc_";

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
}

/// Creates a token and returns its secret, which exists nowhere else afterwards.
pub async fn create_token(db: &DatabaseConnection, name: &TokenName) -> anyhow::Result<String> {
    let secret = random_token(TOKEN_PREFIX);
    let row = api_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name.as_str().to_string()),
        token_hash: Set(hash(&secret)),
        created_at: Set(Utc::now()),
    };
    api_token::Entity::insert(row)
        .exec(db)
        .await
        .map_err(|error| match error.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                anyhow::anyhow!(
                    "a token named {:?} already exists; revoke it first or pick another name",
                    name.as_str()
                )
            }
            _ => error.into(),
        })?;
    Ok(secret)
}

pub async fn list_tokens(db: &DatabaseConnection) -> anyhow::Result<Vec<TokenInfo>> {
    let rows = api_token::Entity::find()
        .order_by_asc(api_token::Column::Name)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| TokenInfo {
            name: row.name,
            created_at: row.created_at,
        })
        .collect())
}

/// Deletes the named token; returns whether there was one.
pub async fn revoke_token(db: &DatabaseConnection, name: &TokenName) -> anyhow::Result<bool> {
    let result = api_token::Entity::delete_many()
        .filter(api_token::Column::Name.eq(name.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// The organizer a request was authenticated as, put in the request by `require_organizer`.
#[derive(Debug, Clone)]
pub struct Organizer {
    pub token_name: String,
}

/// Middleware of the organizer scope: answers 401 to every request without a valid
/// `Authorization: Bearer <token>`. It runs before any extractor, so an unauthenticated
/// request learns nothing about its body's validity or the records that exist.
pub async fn require_organizer(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    match authenticate(&req).await {
        Ok(organizer) => {
            req.extensions_mut().insert(organizer);
            Ok(next.call(req).await?.map_into_left_body())
        }
        // Answered here rather than returned as an error, so outer middleware (request id,
        // logging) sees an ordinary response.
        Err(error) => Ok(req.error_response(error).map_into_right_body()),
    }
}

async fn authenticate(req: &ServiceRequest) -> Result<Organizer, ApiError> {
    let secret = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, token) = value.split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| token.trim().to_string())
        })
        .filter(|secret| secret.starts_with(TOKEN_PREFIX))
        .ok_or(ApiError::Unauthorized)?;
    let db = req
        .app_data::<web::Data<DatabaseConnection>>()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no database in app data")))?;
    let token = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(hash(&secret)))
        .one(db.get_ref())
        .await?
        .ok_or(ApiError::Unauthorized)?;
    Ok(Organizer {
        token_name: token.name,
    })
}

/// Taking `Organizer` as a handler argument documents that the route is organizer-only, and
/// fails closed (401) should the route ever be mounted outside the authenticated scope.
impl FromRequest for Organizer {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<Organizer>()
                .cloned()
                .ok_or(ApiError::Unauthorized),
        )
    }
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
