//! The cache's HTTP side: answering with a copy (304 when the client has it) and invalidating
//! after organizer writes.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{ETag, EntityTag, IfNoneMatch};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpRequest, HttpResponse, HttpResponseBuilder, web};

use super::{Cached, PageCache};

/// Whether the client already holds `etag`: its `If-None-Match` names it (weak comparison,
/// RFC 9110 section 13.1.2) or is `*`.
pub fn client_has(req: &HttpRequest, etag: &EntityTag) -> bool {
    match req.get_header::<IfNoneMatch>() {
        Some(IfNoneMatch::Any) => true,
        Some(IfNoneMatch::Items(tags)) => tags.iter().any(|tag| tag.weak_eq(etag)),
        None => false,
    }
}

/// The copy with its ETag under the headers `response` already has, or 304 with those headers
/// and no body when the client already holds it.
pub fn respond(
    req: &HttpRequest,
    copy: &Cached,
    mut response: HttpResponseBuilder,
) -> HttpResponse {
    let known = client_has(req, copy.etag());
    response.insert_header(ETag(copy.etag().clone()));
    if known {
        response.status(StatusCode::NOT_MODIFIED).finish()
    } else {
        response.body(copy.body())
    }
}

/// Around the organizer scope: after a successful write (any method but the safe ones), every
/// copy is stale, whatever the write touched (the event, its venue, talks, speakers,
/// questions, approvals); the cache is small and rebuilt on demand.
pub async fn invalidate_after_writes(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let writes = !req.method().is_safe();
    let cache = req.app_data::<web::Data<PageCache>>().cloned();
    let response = next.call(req).await?;
    if writes
        && response.status().is_success()
        && let Some(cache) = cache
    {
        cache.invalidate();
    }
    Ok(response)
}
