//! Headers every answer carries, whoever made it (a page, the API, Swagger UI, actix's own
//! errors): `nosniff` everywhere, and a Content-Security-Policy on every HTML answer that does
//! not bring a stricter one of its own (the pages and the table plan do).

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

/// Where Swagger UI is served from the service's own files.
const DOCS_PREFIX: &str = "/api/docs";

/// Swagger UI runs its own scripts and styles (React sets style attributes) and calls the API
/// on this origin; nothing may come from elsewhere and nobody may frame it.
const DOCS_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; \
     frame-ancestors 'none'";

/// Any other HTML (an error page actix wrote, say): nothing runs, nothing loads, no framing.
const FALLBACK_POLICY: &str = "default-src 'none'; base-uri 'none'; frame-ancestors 'none'";

pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let docs = req.path().starts_with(DOCS_PREFIX);
    // Inner middleware answers refusals as responses, not errors, so they pass here too (only
    // a caught panic comes as an error: a problem document with nothing to sniff).
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let html = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
    if html && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        let policy = if docs { DOCS_POLICY } else { FALLBACK_POLICY };
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(policy),
        );
    }
    Ok(response)
}
