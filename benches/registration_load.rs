//! Registration load benchmark. Not a timed test: it reports figures and
//! checks there is no oversell, and fails only when a check fails.
//!
//! It starts the real server in-process on a fresh database (a SQLite file in a temporary
//! folder, or a new `hc_bench_<uuid>` PostgreSQL database next to `BENCH_DATABASE_URL`'s),
//! creates a venue, speakers and published events through the organizer API, and then drives
//! `POST /api/v1/events/{id}/registrations` with unique emails from a tokio + reqwest client
//! (one client, connections reused) at each concurrency, recording every request's latency.
//! After each phase the event's stats must show `confirmed <= capacity` and
//! `confirmed + waitlisted == 201 answers`. An oversubscribed phase (200 people for 50 seats
//! at concurrency 64 by default) must end with exactly 50 confirmed and 150 waitlisted at
//! distinct positions 1..150. Last, it measures the public event JSON (and the public HTML
//! page when the server has one). Each phase also reports the CPU time per request of this
//! process (client and server together) and of the PostgreSQL backends serving the benchmark
//! database (from /proc), and the load average is printed first: the machine may be shared.
//!
//! ```sh
//! cargo bench --bench registration_load
//! BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench registration_load
//! ```
//!
//! Environment (all optional):
//! - `BENCH_DATABASE_URL`: a PostgreSQL URL whose server gets a fresh database (dropped at the
//!   end unless `BENCH_KEEP_DATABASE=1`); SQLite in a temporary folder when unset.
//! - `BENCH_REGISTRATIONS` (3000): registrations per throughput phase.
//! - `BENCH_SEATS` (5000): capacity of each throughput phase's event.
//! - `BENCH_CONCURRENCY` (`16,64`): the throughput phases' concurrencies.
//! - `BENCH_WARMUP` (200): unmeasured registrations on a separate event first.
//! - `BENCH_OVERSUBSCRIBED` (`200/50/64`): requests/seats/concurrency of the oversubscribed
//!   phase; `0` skips it.
//! - `BENCH_PUBLIC_REQUESTS` (20000) and `BENCH_PUBLIC_CONCURRENCY` (64): public page phase.
//! - `BENCH_MAX_CONNECTIONS`: the server's pool size (`database.max_connections`, default 8).
//! - `BENCH_LOG` (`warn`): the server's log filter (`info` is the service's default).
//! - `BENCH_EMAIL_WORKER` (`1`): run the email delivery worker beside the server, as the
//!   service does (its `file` transport writes into the temporary folder); `0` turns it off.
//!   Every registration queues a confirmation email; after each registration phase the
//!   benchmark waits until the worker has sent them all (and says how long that took), so a
//!   phase's emails do not weigh on the next phase.
//!
//! Experiments, off by default (the default run measures the service as configured):
//! - `BENCH_SQLITE_SYNCHRONOUS=normal`: connect to SQLite with `PRAGMA synchronous = NORMAL`
//!   (no fsync per commit in WAL mode) instead of sqlx's default `FULL`.
//! - `BENCH_PG_SYNCHRONOUS_COMMIT=off`: `ALTER DATABASE ... SET synchronous_commit = off` on
//!   the fresh PostgreSQL database (commits do not wait for the WAL flush).

mod support;

use support::database::BenchDatabase;
use support::{env, machine};

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use chrono::{Duration as Days, Utc};
use homecoming::auth::{TokenName, create_token};
use homecoming::configuration::Settings;
use homecoming::startup::Application;
use reqwest::{Client, StatusCode};
use sea_orm::Database;
use serde_json::{Value, json};
use uuid::Uuid;

struct Config {
    registrations: usize,
    seats: usize,
    concurrencies: Vec<usize>,
    warmup: usize,
    /// (requests, seats, concurrency)
    oversubscribed: Option<(usize, usize, usize)>,
    public_requests: usize,
    public_concurrency: usize,
    max_connections: Option<u32>,
    log: String,
    email_worker: bool,
    sqlite_synchronous_normal: bool,
    pg_synchronous_commit_off: bool,
}

impl Config {
    fn from_env() -> Self {
        let oversubscribed = match env::string("BENCH_OVERSUBSCRIBED", "200/50/64").as_str() {
            "0" | "" => None,
            spec => {
                let parts: Vec<usize> = spec
                    .split('/')
                    .map(|part| part.trim().parse().expect("BENCH_OVERSUBSCRIBED is n/m/c"))
                    .collect();
                let [requests, seats, concurrency] = parts[..] else {
                    panic!("BENCH_OVERSUBSCRIBED is requests/seats/concurrency, e.g. 200/50/64");
                };
                Some((requests, seats, concurrency))
            }
        };
        Config {
            registrations: env::number("BENCH_REGISTRATIONS", 3000),
            seats: env::number("BENCH_SEATS", 5000),
            concurrencies: env::string("BENCH_CONCURRENCY", "16,64")
                .split(',')
                .map(|c| {
                    c.trim()
                        .parse()
                        .expect("BENCH_CONCURRENCY is a list of numbers")
                })
                .collect(),
            warmup: env::number("BENCH_WARMUP", 200),
            oversubscribed,
            public_requests: env::number("BENCH_PUBLIC_REQUESTS", 20_000),
            public_concurrency: env::number("BENCH_PUBLIC_CONCURRENCY", 64),
            max_connections: env::optional("BENCH_MAX_CONNECTIONS")
                .map(|n| n.parse().expect("BENCH_MAX_CONNECTIONS is a number")),
            log: env::string("BENCH_LOG", "warn"),
            email_worker: env::string("BENCH_EMAIL_WORKER", "1") != "0",
            sqlite_synchronous_normal: env::string("BENCH_SQLITE_SYNCHRONOUS", "full")
                .eq_ignore_ascii_case("normal"),
            pg_synchronous_commit_off: env::string("BENCH_PG_SYNCHRONOUS_COMMIT", "on")
                .eq_ignore_ascii_case("off"),
        }
    }
}

/// The server under test and an organizer client for it.
struct Server {
    address: String,
    token: String,
    client: Client,
    backend: &'static str,
    pool_size: u32,
    /// Settings that differ from the service's, for the report.
    experiments: Vec<&'static str>,
    /// The server's database, to watch the email outbox.
    db: sea_orm::DatabaseConnection,
    email_worker: Option<homecoming::email::worker::WorkerHandle>,
    database: BenchDatabase,
}

impl Server {
    async fn start(config: &Config) -> Self {
        let pg_synchronous_commit_off = config.pg_synchronous_commit_off;
        let database = BenchDatabase::create(|name| {
            if pg_synchronous_commit_off {
                vec![format!(
                    "ALTER DATABASE \"{name}\" SET synchronous_commit = off"
                )]
            } else {
                Vec::new()
            }
        })
        .await;
        if let Some(name) = &database.name {
            PG_DATABASE.set(name.clone()).ok();
        }
        let backend = database.backend;
        let mut settings = Settings::defaults().expect("built-in defaults are valid");
        settings.server.port = 0;
        settings.database.url = database.url.clone();
        if let Some(max) = config.max_connections {
            settings.database.max_connections = max;
        }
        // Every registration queues a confirmation; the file transport writes it here.
        settings.email.file_dir = database.dir.path().join("outbox");
        // One load generator is one client address: the per-address limit is turned off.
        settings.limits.registrations_per_minute = 0;
        // The worker is started here rather than by the application, as the service does
        // (same settings, same process), so that it can be stopped before the database is
        // dropped.
        settings.email.worker_enabled = false;
        env::init_log(&config.log);
        let mut experiments = Vec::new();
        if !config.email_worker {
            experiments.push("email worker off");
        }
        let db = if config.sqlite_synchronous_normal && backend == "SQLite" {
            experiments.push("SQLite synchronous = NORMAL");
            connect_sqlite_synchronous_normal(&settings.database).await
        } else {
            if config.pg_synchronous_commit_off && backend == "PostgreSQL" {
                experiments.push("PostgreSQL synchronous_commit = off");
            }
            homecoming::db::connect(&settings.database)
                .await
                .expect("database connects")
        };
        homecoming::db::migrate(&db)
            .await
            .expect("migrations apply");
        let token = create_token(&db, &TokenName::parse("bench").unwrap())
            .await
            .expect("token");
        let app = Application::build_with_db(&settings, db.clone()).expect("server builds");
        let email_worker = config.email_worker.then(|| {
            homecoming::email::worker::Worker::new(
                db.clone(),
                &settings.email,
                &settings.server.public_base_url,
            )
            .expect("the email worker starts")
            .spawn()
        });
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        let client = Client::builder()
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(90))
            .build()
            .expect("a client");
        Server {
            address,
            token,
            client,
            backend,
            pool_size: settings.database.max_connections,
            experiments,
            db,
            email_worker,
            database,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    async fn organizer(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self
            .client
            .request(method.clone(), self.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("organizer request is sent");
        let status = response.status();
        let text = response.text().await.expect("a body");
        assert!(
            status.is_success(),
            "{method} {path} answered {status}: {text}"
        );
        serde_json::from_str(&text).expect("a JSON body")
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.organizer(reqwest::Method::POST, path, Some(body))
            .await
    }

    /// A venue with two rooms and three speakers, shared by every event.
    async fn setup(&self) -> Fixture {
        let venue = self
            .post(
                "/api/v1/venues",
                json!({
                    "name": "서울대학교 관악캠퍼스 302동", "address": "서울특별시 관악구 관악로 1",
                    "map_url": "https://map.naver.com/p/search/서울대학교", "capacity": 5000,
                    "rooms": [{"name": "대강당", "capacity": 5000}, {"name": "라운지", "capacity": 300}]
                }),
            )
            .await;
        let mut speakers = Vec::new();
        for (name, affiliation, tags) in [
            ("김서연", "Toss", json!(["backend", "career"])),
            ("박지훈", "Kakao", json!(["leadership", "hiring"])),
            ("이하은", "KAIST", json!(["ai", "career"])),
        ] {
            let speaker = self
                .post(
                    "/api/v1/speakers",
                    json!({
                        "name": name, "email": format!("{}@example.com", Uuid::new_v4().simple()),
                        "admission_year": 2014, "affiliation": affiliation,
                        "job_title": "Engineer", "bio": "1&N 졸업생. 후배들과 이야기하러 옵니다.",
                        "tags": tags
                    }),
                )
                .await;
            speakers.push(id(&speaker));
        }
        Fixture {
            venue_id: id(&venue),
            hall_id: venue["rooms"][0]["id"].as_str().unwrap().to_string(),
            lounge_id: venue["rooms"][1]["id"].as_str().unwrap().to_string(),
            speakers,
        }
    }

    /// A published event with an open registration window, a schedule of four items and
    /// `capacity` seats. Returns its id and slug.
    async fn published_event(&self, fixture: &Fixture, label: &str, capacity: usize) -> Event {
        // A date well in the future: one day per event keeps speakers free of overlaps.
        let day = (Utc::now() + Days::days(180 + fixture.next_day())).date_naive();
        let at = |time: &str| format!("{day}T{time}:00+09:00");
        let slug = format!(
            "bench-{label}-{}",
            &Uuid::new_v4().simple().to_string()[..8]
        );
        let event = self
            .post(
                "/api/v1/events",
                json!({
                    "title": format!("1&N 홈커밍 벤치마크 {label}"), "slug": slug,
                    "description": "졸업생과 재학생이 다시 만나는 날",
                    "starts_at": at("13:00"), "ends_at": at("19:00"),
                    "venue_id": fixture.venue_id, "capacity": capacity,
                    "registration_opens_at": (Utc::now() - Days::minutes(5)).to_rfc3339(),
                    "tags": ["career", "backend", "ai"]
                }),
            )
            .await;
        let event_id = id(&event);
        let [s1, s2, s3] = [0, 1, 2].map(|i| fixture.speakers[i].clone());
        for talk in [
            json!({"title": "신입 개발자로 살아남기", "kind": "talk", "speaker_ids": [s1],
                   "room_id": fixture.hall_id, "starts_at": at("13:00"), "ends_at": at("13:30"),
                   "tags": ["career"]}),
            json!({"title": "주니어 채용 시장, 솔직하게", "kind": "panel", "speaker_ids": [s2, s3],
                   "room_id": fixture.hall_id, "starts_at": at("13:30"), "ends_at": at("14:30"),
                   "tags": ["hiring"]}),
            json!({"title": "온디바이스 AI 한 입", "kind": "lightning", "speaker_ids": [s3],
                   "room_id": fixture.hall_id, "starts_at": at("14:30"), "ends_at": at("14:40")}),
            json!({"title": "네트워킹", "kind": "networking", "room_id": fixture.lounge_id,
                   "starts_at": at("15:00"), "ends_at": at("17:00")}),
        ] {
            self.post(&format!("/api/v1/events/{event_id}/talks"), talk)
                .await;
        }
        let published = self
            .organizer(
                reqwest::Method::PATCH,
                &format!("/api/v1/events/{event_id}"),
                Some(json!({"status": "published"})),
            )
            .await;
        assert_eq!(published["status"], "published", "{published}");
        Event {
            id: event_id,
            slug,
            capacity,
        }
    }

    async fn stats(&self, event: &Event) -> Value {
        self.organizer(
            reqwest::Method::GET,
            &format!("/api/v1/events/{}/stats", event.id),
            None,
        )
        .await
    }

    /// Waits until the delivery worker has sent every queued email, so that one phase's
    /// emails are not sent during the next phase; reports how long that took.
    async fn drain_outbox(&self) {
        use entity::outbox_message::{Column, Entity};
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        if self.email_worker.is_none() {
            return;
        }
        let started = Instant::now();
        let count = |statuses: &'static [&'static str]| {
            Entity::find()
                .filter(Column::Status.is_in(statuses.iter().copied()))
                .count(&self.db)
        };
        loop {
            let pending = count(&["queued", "sending"]).await.expect("outbox count");
            if pending == 0 || started.elapsed() > Duration::from_secs(300) {
                let sent = count(&["sent"]).await.expect("outbox count");
                let other = count(&["retrying", "failed"]).await.expect("outbox count");
                println!(
                    "  emails: {sent} sent in all, {pending} still queued, {other} retrying or failed; \
                     the outbox drained {:.1} s after the phase",
                    started.elapsed().as_secs_f64()
                );
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn drop_database(&mut self) {
        if let Some(worker) = self.email_worker.take() {
            worker.stop(Duration::from_secs(10)).await;
        }
        self.database.drop().await;
    }
}

/// `homecoming::db::connect`'s SQLite options, plus `PRAGMA synchronous = NORMAL`.
async fn connect_sqlite_synchronous_normal(
    settings: &homecoming::configuration::DatabaseSettings,
) -> sea_orm::DatabaseConnection {
    use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
    let busy_timeout = Duration::from_millis(settings.busy_timeout_ms);
    let mut options = sea_orm::ConnectOptions::new(settings.url.clone());
    options
        .max_connections(settings.max_connections)
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |sqlite| {
            sqlite
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(busy_timeout)
                .create_if_missing(true)
        });
    Database::connect(options).await.expect("database connects")
}

struct Fixture {
    venue_id: String,
    hall_id: String,
    lounge_id: String,
    speakers: Vec<String>,
}

impl Fixture {
    fn next_day(&self) -> i64 {
        static DAY: AtomicUsize = AtomicUsize::new(0);
        DAY.fetch_add(1, Ordering::Relaxed) as i64
    }
}

struct Event {
    id: String,
    slug: String,
    capacity: usize,
}

fn id(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_string()
}

/// What one request produced.
enum Outcome {
    /// The status and, when the caller asked for it, the JSON body.
    Answered(StatusCode, Option<Value>),
    Failed(String),
}

struct Sample {
    latency: Duration,
    outcome: Outcome,
}

struct PhaseResult {
    elapsed: Duration,
    samples: Vec<Sample>,
    /// CPU seconds used during the phase by this process (client and server) and by the
    /// PostgreSQL backends serving the benchmark database.
    cpu: (f64, f64),
}

/// The benchmark's PostgreSQL database, to find its backends' CPU time.
static PG_DATABASE: OnceLock<String> = OnceLock::new();

/// CPU seconds so far of this process and of the PostgreSQL backends of the benchmark
/// database (their process titles name it). Linux only; zeros elsewhere.
fn cpu_seconds() -> (f64, f64) {
    let mut postgres = 0.0;
    if let (Some(name), Ok(entries)) = (PG_DATABASE.get(), std::fs::read_dir("/proc")) {
        for entry in entries.flatten() {
            let path = entry.path();
            let is_backend = std::fs::read(path.join("cmdline"))
                .is_ok_and(|cmdline| String::from_utf8_lossy(&cmdline).contains(name.as_str()));
            if is_backend {
                postgres += std::fs::read_to_string(path.join("stat"))
                    .ok()
                    .and_then(|stat| machine::cpu_seconds_of(&stat))
                    .unwrap_or(0.0);
            }
        }
    }
    (machine::own_cpu_seconds(), postgres)
}

/// Sends `total` requests from `concurrency` tasks, each taking the next index as soon as its
/// previous request is answered, and records each request's latency.
async fn drive<F, Fut>(total: usize, concurrency: usize, request: F) -> PhaseResult
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Outcome> + Send,
{
    let request = Arc::new(request);
    let next = Arc::new(AtomicUsize::new(0));
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (request, next) = (request.clone(), next.clone());
            tokio::spawn(async move {
                let mut samples = Vec::with_capacity(total / concurrency.max(1) + 1);
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= total {
                        return samples;
                    }
                    let sent = Instant::now();
                    let outcome = request(index).await;
                    samples.push(Sample {
                        latency: sent.elapsed(),
                        outcome,
                    });
                }
            })
        })
        .collect();
    let mut samples = Vec::with_capacity(total);
    for worker in workers {
        samples.extend(worker.await.expect("a load task did not panic"));
    }
    let elapsed = started.elapsed();
    let cpu_after = cpu_seconds();
    PhaseResult {
        elapsed,
        samples,
        cpu: (cpu_after.0 - cpu_before.0, cpu_after.1 - cpu_before.1),
    }
}

/// One line of the report.
struct Row {
    phase: String,
    concurrency: usize,
    requests: usize,
    per_second: f64,
    p50: Duration,
    p99: Duration,
    max: Duration,
    errors: usize,
    /// CPU milliseconds per request: this process (client and server), PostgreSQL backends.
    cpu_ms: (f64, f64),
}

impl PhaseResult {
    fn statuses(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for sample in &self.samples {
            let key = match &sample.outcome {
                Outcome::Answered(status, _) => status.as_u16().to_string(),
                Outcome::Failed(error) => format!("transport error ({error})"),
            };
            *counts.entry(key).or_insert(0) += 1;
        }
        counts
    }

    fn count(&self, expected: StatusCode) -> usize {
        self.samples
            .iter()
            .filter(|s| matches!(s.outcome, Outcome::Answered(status, _) if status == expected))
            .count()
    }

    fn bodies(&self, expected: StatusCode) -> impl Iterator<Item = &Value> {
        self.samples.iter().filter_map(move |s| match &s.outcome {
            Outcome::Answered(status, Some(body)) if *status == expected => Some(body),
            _ => None,
        })
    }

    /// Prints and returns the phase's figures; anything but `expected` counts as an error.
    fn report(&self, phase: &str, concurrency: usize, expected: StatusCode) -> Row {
        let mut latencies: Vec<Duration> = self.samples.iter().map(|s| s.latency).collect();
        latencies.sort();
        let quantile = |q: f64| {
            if latencies.is_empty() {
                return Duration::ZERO;
            }
            let rank = ((q * latencies.len() as f64).ceil() as usize).clamp(1, latencies.len());
            latencies[rank - 1]
        };
        let row = Row {
            phase: phase.to_string(),
            concurrency,
            requests: self.samples.len(),
            per_second: self.samples.len() as f64 / self.elapsed.as_secs_f64(),
            p50: quantile(0.50),
            p99: quantile(0.99),
            max: latencies.last().copied().unwrap_or_default(),
            errors: self.samples.len() - self.count(expected),
            cpu_ms: (
                self.cpu.0 * 1000.0 / self.samples.len().max(1) as f64,
                self.cpu.1 * 1000.0 / self.samples.len().max(1) as f64,
            ),
        };
        println!(
            "{:<28} c={:<3} n={:<6} {:>8.0}/s  p50 {:>7}  p99 {:>7}  max {:>7}  errors {}  [{:.2} s; cpu/request {:.2} ms + postgres {:.2} ms; statuses {:?}]",
            row.phase,
            row.concurrency,
            row.requests,
            row.per_second,
            ms(row.p50),
            ms(row.p99),
            ms(row.max),
            row.errors,
            self.elapsed.as_secs_f64(),
            row.cpu_ms.0,
            row.cpu_ms.1,
            self.statuses(),
        );
        row
    }
}

fn ms(duration: Duration) -> String {
    format!("{:.1}ms", duration.as_secs_f64() * 1000.0)
}

/// Registers `total` people with unique emails for `event` at `concurrency`.
async fn register_many(
    server: &Server,
    event: &Event,
    label: &str,
    total: usize,
    concurrency: usize,
) -> PhaseResult {
    let client = server.client.clone();
    let url = server.url(&format!("/api/v1/events/{}/registrations", event.id));
    let label = label.to_string();
    drive(total, concurrency, move |i| {
        let body = json!({
            "name": format!("참가자 {i}"),
            "email": format!("{label}-{i}@bench.example.com"),
            "role": if i % 3 == 0 { "student" } else { "alumni" },
            "admission_year": 2010 + (i % 15) as i32,
            "affiliation": "1&N",
            "job_title": "Engineer",
            "interests": ["career"],
            "goals": ["meet_people"],
            "consent_share": true,
            "language": "ko",
        });
        outcome(client.post(&url).json(&body).send(), true)
    })
    .await
}

/// GETs `path` `total` times at `concurrency`; bodies are read, not parsed.
async fn get_many(server: &Server, path: &str, total: usize, concurrency: usize) -> PhaseResult {
    let client = server.client.clone();
    let url = server.url(path);
    drive(total, concurrency, move |_| {
        outcome(client.get(&url).send(), false)
    })
    .await
}

/// Awaits the answer and reads its whole body, kept as JSON when `json` says so.
async fn outcome(
    request: impl Future<Output = reqwest::Result<reqwest::Response>>,
    json: bool,
) -> Outcome {
    match request.await {
        Ok(response) => {
            let status = response.status();
            match response.bytes().await {
                Ok(bytes) => Outcome::Answered(
                    status,
                    json.then(|| serde_json::from_slice(&bytes).ok()).flatten(),
                ),
                Err(error) => Outcome::Failed(error.to_string()),
            }
        }
        Err(error) => Outcome::Failed(error.to_string()),
    }
}

/// The public page phase: `BENCH_PUBLIC_REQUESTS` GETs of `path`, reported as `phase`.
async fn public_phase(server: &Server, config: &Config, path: &str, phase: &str) -> Row {
    get_many(
        server,
        path,
        config.public_requests,
        config.public_concurrency,
    )
    .await
    .report(phase, config.public_concurrency, StatusCode::OK)
}

/// Checks the event's stats against the 201 answers; returns the problems found.
async fn verify_no_oversell(server: &Server, event: &Event, result: &PhaseResult) -> Vec<String> {
    let stats = server.stats(event).await;
    let number = |key: &str| {
        stats[key]
            .as_u64()
            .unwrap_or_else(|| panic!("{key}: {stats}"))
    };
    let (confirmed, waitlisted, pending) =
        (number("confirmed"), number("waitlisted"), number("pending"));
    let successes = result.count(StatusCode::CREATED) as u64;
    let mut problems = Vec::new();
    if confirmed > event.capacity as u64 {
        problems.push(format!(
            "oversold: {confirmed} confirmed for {} seats",
            event.capacity
        ));
    }
    if confirmed + waitlisted != successes || pending != 0 {
        problems.push(format!(
            "{successes} registrations answered 201 but the stats say {confirmed} confirmed, \
             {waitlisted} waitlisted, {pending} pending"
        ));
    }
    if confirmed != successes.min(event.capacity as u64) {
        problems.push(format!(
            "{confirmed} confirmed, expected every seat filled in order: {}",
            successes.min(event.capacity as u64)
        ));
    }
    println!(
        "  stats: confirmed {confirmed} <= capacity {}, confirmed + waitlisted = {} = {successes} successes: {}",
        event.capacity,
        confirmed + waitlisted,
        if problems.is_empty() { "OK" } else { "FAILED" }
    );
    problems
}

#[tokio::main]
async fn main() {
    let config = Config::from_env();
    let mut server = Server::start(&config).await;
    println!(
        "registration_load: {} (pool {} connections{}), {}, client and server in one process, server log level {:?}",
        server.backend,
        server.pool_size,
        server
            .experiments
            .iter()
            .map(|e| format!(", {e}"))
            .collect::<String>(),
        machine::summary(),
        config.log
    );
    let fixture = server.setup().await;
    let mut rows = Vec::new();
    let mut problems = Vec::new();

    if config.warmup > 0 {
        let event = server
            .published_event(&fixture, "warmup", config.warmup)
            .await;
        let result = register_many(&server, &event, "warmup", config.warmup, 16).await;
        result.report("warm-up (not counted)", 16, StatusCode::CREATED);
        server.drain_outbox().await;
    }

    let mut public_slug = None;
    for &concurrency in &config.concurrencies {
        let label = format!("c{concurrency}");
        let event = server.published_event(&fixture, &label, config.seats).await;
        let result =
            register_many(&server, &event, &label, config.registrations, concurrency).await;
        rows.push(result.report("register", concurrency, StatusCode::CREATED));
        problems.extend(verify_no_oversell(&server, &event, &result).await);
        server.drain_outbox().await;
        public_slug.get_or_insert(event.slug);
    }

    if let Some((requests, seats, concurrency)) = config.oversubscribed {
        let event = server.published_event(&fixture, "full", seats).await;
        let result = register_many(&server, &event, "full", requests, concurrency).await;
        rows.push(result.report(
            &format!("register, {requests} for {seats} seats"),
            concurrency,
            StatusCode::CREATED,
        ));
        problems.extend(verify_no_oversell(&server, &event, &result).await);
        let mut positions: Vec<u64> = result
            .bodies(StatusCode::CREATED)
            .filter(|body| body["status"] == "waitlisted")
            .filter_map(|body| body["waitlist_position"].as_u64())
            .collect();
        positions.sort_unstable();
        let confirmed = result
            .bodies(StatusCode::CREATED)
            .filter(|body| body["status"] == "confirmed")
            .count();
        let expected_waitlist = requests.saturating_sub(seats);
        let distinct = positions == (1..=expected_waitlist as u64).collect::<Vec<_>>();
        println!(
            "  answers: {confirmed} confirmed, {} waitlisted, positions 1..{expected_waitlist} distinct: {}",
            positions.len(),
            if distinct { "OK" } else { "FAILED" }
        );
        server.drain_outbox().await;
        if confirmed != seats.min(requests) || !distinct {
            problems.push(format!(
                "oversubscribed: {confirmed} confirmed answers for {seats} seats; waitlist positions {positions:?}"
            ));
        }
    }

    if config.public_requests > 0 {
        let slug = match public_slug {
            Some(slug) => slug,
            None => server.published_event(&fixture, "public", 100).await.slug,
        };
        let json_path = format!("/api/v1/public/events/{slug}");
        rows.push(public_phase(&server, &config, &json_path, "public event JSON").await);
        let html_path = format!("/events/{slug}");
        let probe = server
            .client
            .get(server.url(&html_path))
            .send()
            .await
            .expect("the probe is sent");
        let is_html = probe
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/html"));
        if probe.status() == StatusCode::OK && is_html {
            rows.push(public_phase(&server, &config, &html_path, "public event page (HTML)").await);
        } else {
            println!(
                "public event page (HTML): skipped, GET {html_path} answered {}",
                probe.status()
            );
        }
    }

    println!();
    println!(
        "| {} | phase | concurrency | requests | per second | p50 | p99 | max | errors | CPU ms/request (process + PostgreSQL) |",
        server.backend
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for row in &rows {
        println!(
            "| | {} | {} | {} | {:.0} | {} | {} | {} | {} | {:.2} + {:.2} |",
            row.phase,
            row.concurrency,
            row.requests,
            row.per_second,
            ms(row.p50),
            ms(row.p99),
            ms(row.max),
            row.errors,
            row.cpu_ms.0,
            row.cpu_ms.1
        );
    }

    server.drop_database().await;
    // Removes the temporary folder (SQLite file, outbox) before a failing exit skips it.
    drop(server);
    support::exit_on_problems(&problems, "no oversell: every check passed");
}
