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
