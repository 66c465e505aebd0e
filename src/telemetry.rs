//! Structured logging. Every request runs inside a `tracing-actix-web` span that carries its
//! `request_id`, so every line logged while serving it names the request.

use std::io::IsTerminal;

use tracing_subscriber::{EnvFilter, fmt};

use crate::configuration::{LogFormat, LogSettings};

/// Installs the global subscriber, writing to stderr (stdout is kept for command output such
/// as a new token). Calling it twice is harmless: the second call is ignored.
pub fn init(settings: &LogSettings) {
    let filter = EnvFilter::try_new(&settings.level).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let _ = match settings.format {
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}

/// The request span of every request, as `tracing-actix-web` builds it, except that secrets
/// in the path (manage-link tokens, table-plan keys) never reach the logs.
pub struct RedactedRootSpan;

impl tracing_actix_web::RootSpanBuilder for RedactedRootSpan {
    fn on_request_start(request: &actix_web::dev::ServiceRequest) -> tracing::Span {
        use actix_web::HttpMessage;
        let request_id = request
            .extensions()
            .get::<tracing_actix_web::RequestId>()
            .map(|id| id.to_string())
            .unwrap_or_default();
        let route = request.match_pattern().unwrap_or_else(|| "default".into());
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.target = %redact_path(request.path()),
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            request_id = %request_id,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: actix_web::body::MessageBody>(
        span: tracing::Span,
        outcome: &Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>,
    ) {
        tracing_actix_web::DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// Paths whose next segment is a secret.
const SECRET_PREFIXES: [&str; 5] = [
    "/registrations/",
    "/plans/",
    "/feedback/",
    "/unsubscribe/",
    crate::organizers::sign_in::LINK_PATH,
];

/// `/registrations/<token>/cancel` becomes `/registrations/***/cancel`; the query string is
/// left out altogether.
pub fn redact_path(path: &str) -> String {
    for prefix in SECRET_PREFIXES {
        if let Some(rest) = path.strip_prefix(prefix) {
            let tail = rest.find('/').map_or("", |index| &rest[index..]);
            return format!("{prefix}***{tail}");
        }
    }
    path.to_string()
}

#[cfg(test)]
mod tests {
    use super::redact_path;

    #[test]
    fn secrets_in_paths_are_redacted() {
        assert_eq!(
            redact_path("/registrations/abcDEF123"),
            "/registrations/***"
        );
        assert_eq!(
            redact_path("/registrations/abc/cancel"),
            "/registrations/***/cancel"
        );
        assert_eq!(redact_path("/plans/key"), "/plans/***");
        assert_eq!(
            redact_path("/admin/sign-in/hcs_secret"),
            "/admin/sign-in/***",
            "a console sign-in link"
        );
        assert_eq!(redact_path("/unsubscribe/abc.def"), "/unsubscribe/***");
        assert_eq!(redact_path("/feedback/token"), "/feedback/***");
        assert_eq!(
            redact_path("/events/slug/register"),
            "/events/slug/register"
        );
        assert_eq!(
            redact_path("/api/v1/events/1/registrations"),
            "/api/v1/events/1/registrations"
        );
    }
}
