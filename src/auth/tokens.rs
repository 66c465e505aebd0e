use std::future::{Ready, ready};

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use sea_orm::DatabaseConnection;

use super::store::{TOKEN_PREFIX, token_actor};
use crate::audit::{self, Actor};
use crate::error::ApiError;
use crate::throttle::Throttles;

/// The organizer a request was authenticated as, put in the request by `require_organizer`.
#[derive(Debug, Clone)]
pub struct Organizer {
    /// The token and the organizer behind it: whom the request's changes are recorded as.
    pub actor: Actor,
}

/// Middleware of the organizer scope: answers 401 to every request without a valid
/// `Authorization: Bearer <token>`. It runs before any extractor, so an unauthenticated
/// request learns nothing about its body's validity or the records that exist. An address
/// that sent too many wrong tokens gets 429 without its token being looked at. No organizer
/// answer is kept by a cache (`Cache-Control: no-store`): they hold personal data. The rest
/// of the request runs as the token's [`Actor`] ([`audit::ACTING`]), so its changes are
/// recorded as theirs.
pub async fn require_organizer(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let throttles = req.app_data::<web::Data<Throttles>>().cloned();
    let client = throttles
        .as_ref()
        .and_then(|throttles| Some((throttles, throttles.client(req.request())?)));
    let refused = match client {
        Some((throttles, ip)) => throttles.token_failures.check(ip).err(),
        None => None,
    };
    let outcome = match refused {
        Some(wait) => Err(too_many_failures(wait)),
        None => authenticate(&req).await,
    };
    let mut response = match outcome {
        Ok(organizer) => {
            let actor = organizer.actor.clone();
            req.extensions_mut().insert(organizer);
            audit::acting(actor, async move { next.call(req).await })
                .await?
                .map_into_left_body()
        }
        // Answered here rather than returned as an error, so outer middleware (request id,
        // logging) sees an ordinary response.
        Err(error) => {
            let error = match (&error, client) {
                (ApiError::Unauthorized, Some((throttles, ip))) => {
                    match throttles.token_failures.failed(ip) {
                        Ok(()) => error,
                        Err(wait) => {
                            tracing::warn!(%ip, "too many wrong organizer tokens");
                            too_many_failures(wait)
                        }
                    }
                }
                _ => error,
            };
            req.error_response(error).map_into_right_body()
        }
    };
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

fn too_many_failures(wait: std::time::Duration) -> ApiError {
    ApiError::TooManyRequests {
        detail: "too many requests with a wrong organizer token from this address".into(),
        retry_after_secs: wait.as_secs() + 1,
    }
}

/// The token of an `Authorization: Bearer <token>` header.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

async fn authenticate(req: &ServiceRequest) -> Result<Organizer, ApiError> {
    let secret = bearer_token(req.headers())
        .filter(|secret| secret.starts_with(TOKEN_PREFIX))
        .map(str::to_string)
        .ok_or(ApiError::Unauthorized)?;
    let db = req
        .app_data::<web::Data<DatabaseConnection>>()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no database in app data")))?;
    let actor = token_actor(db.get_ref(), &secret)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    Ok(Organizer { actor })
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
