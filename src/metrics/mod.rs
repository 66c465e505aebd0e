//! Operational metrics in the Prometheus text format, served at `GET /metrics`.
//!
//! Every app has a registry of its own ([`Metrics`], shared with the handlers and the request
//! middleware through `web::Data`), never a process-global one, so the tests run many apps in
//! one process. Counters and histograms move as things happen (requests, registrations,
//! matcher runs); the outbox (in the database), the connection pool and the scheduler's last
//! pass are read when the metrics are scraped.

mod http;
pub mod routes;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use actix_web::http::{Method, StatusCode};
use anyhow::bail;
use chrono::{DateTime, Utc};
use prometheus_client::encoding::{EncodeLabelSet, prometheus_text};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};
use sea_orm::DatabaseConnection;
use serde::Deserialize;

pub use http::track;

use crate::registration::Outcome;
use crate::secrets::hash;

/// The `[metrics]` configuration section.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSettings {
    /// The bearer token a scraper sends; from `HOMECOMING__METRICS__TOKEN` only. Without it
    /// (or when empty) `/metrics` answers 404.
    #[serde(default)]
    pub token: Option<String>,
}

/// The shortest token accepted: a guessable one would publish the service's traffic.
const MIN_TOKEN_LEN: usize = 16;

impl MetricsSettings {
    /// The token, unless it is unset or empty.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref().filter(|token| !token.is_empty())
    }

    pub fn check(&self) -> anyhow::Result<()> {
        if let Some(token) = self.token()
            && (token.len() < MIN_TOKEN_LEN || !token.bytes().all(|b| b.is_ascii_graphic()))
        {
            bail!(
                "invalid configuration at key `metrics.token`: at least {MIN_TOKEN_LEN} visible ASCII characters (e.g. `openssl rand -hex 32`)"
            );
        }
        Ok(())
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    /// The matched route pattern (`/api/v1/events/{event_id}`), never the raw path, so the
    /// label has as many values as the service has routes.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StopLabels {
    stopped_by: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: &'static str,
}

/// The route label of a request that matched no route.
const UNMATCHED: &str = "unmatched";

/// Request latencies from 5 ms to 10 s (Prometheus' default buckets).
fn request_histogram() -> Histogram {
    Histogram::new([
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
    ])
}

type SecondsGauge = Gauge<f64, AtomicU64>;

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    request_seconds: Family<RequestLabels, Histogram, fn() -> Histogram>,
    registrations: Family<OutcomeLabels, Counter>,
    matcher_runs: Family<StopLabels, Counter>,
    matcher_seconds: Histogram,
    scheduler: Option<(Heartbeat, Duration)>,
    /// The stored form of the scrapers' token; `None`: `/metrics` is off.
    token_hash: Option<String>,
}

impl Metrics {
    pub fn new(settings: &MetricsSettings) -> Self {
        let mut registry = Registry::with_prefix("homecoming");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route pattern and status",
            requests.clone(),
        );
        let request_seconds = Family::new_with_constructor(request_histogram as fn() -> _);
        registry.register_with_unit(
            "http_request_duration",
            "Time to answer an HTTP request (until the response head), by method, route pattern and status",
            Unit::Seconds,
            request_seconds.clone(),
        );
        let registrations = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "registrations",
            "Registration attempts (API and form), by outcome",
            registrations.clone(),
        );
        let matcher_runs = Family::<StopLabels, Counter>::default();
        registry.register(
            "matcher_runs",
            "Networking sessions computed by the matcher, by how its search ended",
            matcher_runs.clone(),
        );
        // 50 ms to about 100 s: the search runs up to its time limit.
        let matcher_seconds = Histogram::new(exponential_buckets(0.05, 2.0, 12));
        registry.register_with_unit(
            "matcher_duration",
            "Time to compute a networking session (loading the attendees, the search, storing the tables)",
            Unit::Seconds,
            matcher_seconds.clone(),
        );
        Metrics {
            registry,
            requests,
            request_seconds,
            registrations,
            matcher_runs,
            matcher_seconds,
            scheduler: None,
            token_hash: settings.token().map(hash),
        }
    }

    /// Follows a scheduler that runs a pass every `interval`: it beats the returned
    /// heartbeat after each completed pass.
    pub fn watch_scheduler(&mut self, interval: Duration) -> Heartbeat {
        let heartbeat = Heartbeat::new();
        self.scheduler = Some((heartbeat.clone(), interval));
        heartbeat
    }

    /// Whether `presented` is the scrapers' token; `None` when metrics are off (no token).
    pub fn admits(&self, presented: Option<&str>) -> Option<bool> {
        let expected = self.token_hash.as_deref()?;
        Some(presented.is_some_and(|token| hash(token) == expected))
    }

    pub fn request(
        &self,
        method: &Method,
        route: Option<String>,
        status: StatusCode,
        took: Duration,
    ) {
        let labels = RequestLabels {
            method: method_label(method),
            route: route.unwrap_or_else(|| UNMATCHED.into()),
            status: status.as_u16(),
        };
        self.requests.get_or_create(&labels).inc();
        self.request_seconds
            .get_or_create(&labels)
            .observe(took.as_secs_f64());
    }

    pub fn registration(&self, outcome: Outcome) {
        let labels = OutcomeLabels {
            outcome: outcome.as_str(),
        };
        self.registrations.get_or_create(&labels).inc();
    }

    pub fn matcher_run(&self, stopped_by: &'static str, took: Duration) {
        self.matcher_runs
            .get_or_create(&StopLabels { stopped_by })
            .inc();
        self.matcher_seconds.observe(took.as_secs_f64());
    }

    /// The text a scraper reads: what was counted, then what is read now (the outbox, the
    /// connection pool, the scheduler's last pass).
    pub async fn render(&self, db: &DatabaseConnection) -> anyhow::Result<String> {
        let now = Utc::now();
        let mut current = Registry::with_prefix("homecoming");
        let depth = crate::email::outbox::depth(db).await?;
        let by_status = Family::<StatusLabels, Gauge>::default();
        for (status, count) in depth.by_status {
            let labels = StatusLabels {
                status: status.as_str(),
            };
            by_status.get_or_create(&labels).set(count);
        }
        current.register("outbox_messages", "Outbox messages by status", by_status);
        let oldest = SecondsGauge::default();
        oldest.set(
            depth
                .oldest_waiting
                .map_or(0.0, |at| seconds_between(at, now)),
        );
        current.register_with_unit(
            "outbox_oldest_waiting_age",
            "Age of the oldest message not yet delivered (queued, retrying or sending); 0 when there is none",
            Unit::Seconds,
            oldest,
        );
        let pool = crate::db::pool_use(db);
        let connections = Family::<StateLabels, Gauge>::default();
        connections
            .get_or_create(&StateLabels { state: "idle" })
            .set(pool.idle.into());
        connections
            .get_or_create(&StateLabels { state: "in_use" })
            .set(pool.open.saturating_sub(pool.idle).into());
        current.register(
            "db_pool_connections",
            "Open database connections of the pool, idle or in use",
            connections,
        );
        let max = Gauge::<i64>::default();
        max.set(pool.max.into());
        current.register(
            "db_pool_max_connections",
            "The most connections the pool opens (database.max_connections)",
            max,
        );
        if let Some((heartbeat, interval)) = &self.scheduler {
            let age = SecondsGauge::default();
            age.set(seconds_between(heartbeat.last(), now));
            current.register_with_unit(
                "scheduler_last_pass_age",
                "Time since the scheduler last completed a pass (or started); far above its interval, it is stuck or failing",
                Unit::Seconds,
                age,
            );
            let every = SecondsGauge::default();
            every.set(interval.as_secs_f64());
            current.register_with_unit(
                "scheduler_interval",
                "How often the scheduler runs a pass (email.scheduler_interval_ms)",
                Unit::Seconds,
                every,
            );
        }
        let mut text = String::new();
        prometheus_text::encode(&mut text, &self.registry)?;
        prometheus_text::encode(&mut text, &current)?;
        Ok(text)
    }
}

/// A closed set, so that no client can add label values by inventing methods.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

fn seconds_between(earlier: DateTime<Utc>, later: DateTime<Utc>) -> f64 {
    (later - earlier).num_milliseconds().max(0) as f64 / 1000.0
}

/// When the scheduler last completed a pass (at first: when it started), shared between the
/// scheduler and the metrics.
#[derive(Clone, Debug)]
pub struct Heartbeat(Arc<AtomicI64>);

impl Heartbeat {
    fn new() -> Self {
        Heartbeat(Arc::new(AtomicI64::new(Utc::now().timestamp_millis())))
    }

    /// A pass completed now.
    pub fn beat(&self) {
        self.0
            .store(Utc::now().timestamp_millis(), Ordering::Relaxed);
    }

    fn last(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.0.load(Ordering::Relaxed)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(token: Option<&str>) -> MetricsSettings {
        MetricsSettings {
            token: token.map(str::to_string),
        }
    }

    #[test]
    fn only_the_configured_token_is_admitted() {
        let metrics = Metrics::new(&settings(Some("a-long-enough-secret")));
        assert_eq!(metrics.admits(Some("a-long-enough-secret")), Some(true));
        assert_eq!(metrics.admits(Some("a-long-enough-secreT")), Some(false));
        assert_eq!(metrics.admits(None), Some(false));
    }

    #[test]
    fn without_a_token_metrics_are_off() {
        for token in [None, Some("")] {
            let metrics = Metrics::new(&settings(token));
            assert_eq!(metrics.admits(Some("")), None);
            assert!(settings(token).check().is_ok());
        }
    }

    #[test]
    fn a_short_or_spaced_token_is_refused() {
        for token in ["short", "sixteen chars ok"] {
            let error = settings(Some(token)).check().unwrap_err().to_string();
            assert!(error.contains("metrics.token"), "{error}");
        }
        assert!(settings(Some("0123456789abcdef")).check().is_ok());
    }

    #[test]
    fn invented_methods_share_one_label() {
        let invented = Method::from_bytes(b"BREW").unwrap();
        assert_eq!(method_label(&invented), "other");
        assert_eq!(method_label(&Method::PATCH), "PATCH");
    }
}
