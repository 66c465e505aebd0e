//! The service under test: the release `homecoming` binary in a child process on a fresh
//! database, and an organizer client for its API (fixtures, exports, the outbox).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use chrono::{Duration as Days, Utc};
use reqwest::{Client, Method};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::database::BenchDatabase;
use crate::support::{env, machine};

/// How the service is started; `BENCH_*` knobs.
pub struct ServiceConfig {
    /// `database.max_connections`; the service's default when unset.
    pub max_connections: Option<u32>,
    /// `log.level`.
    pub log: String,
    /// `email.worker_enabled`.
    pub email_worker: bool,
    /// Experiment: `synchronous_commit = off` on the fresh PostgreSQL database.
    pub pg_synchronous_commit_off: bool,
}

impl ServiceConfig {
    pub fn from_env() -> Self {
        ServiceConfig {
            max_connections: env::optional("BENCH_MAX_CONNECTIONS")
                .map(|n| n.parse().expect("BENCH_MAX_CONNECTIONS is a number")),
            log: env::string("BENCH_LOG", "warn"),
            email_worker: env::string("BENCH_EMAIL_WORKER", "1") != "0",
            pg_synchronous_commit_off: env::string("BENCH_PG_SYNCHRONOUS_COMMIT", "on")
                .eq_ignore_ascii_case("off"),
        }
    }
}

pub struct Service {
    /// `http://127.0.0.1:<port>`
    pub base_url: String,
    pub backend: &'static str,
    /// Settings that differ from the service's own, for the report.
    pub settings: Vec<String>,
    pub client: Client,
    token: String,
    email_worker: bool,
    child: Child,
    database: BenchDatabase,
}

/// A published event with an open registration window.
pub struct Event {
    pub id: String,
    pub slug: String,
    pub capacity: usize,
}

/// A venue with two rooms and three speakers, shared by every event.
pub struct Fixture {
    venue_id: String,
    hall_id: String,
    lounge_id: String,
    speakers: Vec<String>,
    /// Events are a day apart, so the speakers are never booked twice at once.
    next_day: AtomicI64,
}

/// One registration as the organizer's export shows it.
pub struct Exported {
    pub email: String,
    pub status: String,
    pub waitlist_position: Option<u64>,
}

impl Service {
    /// Creates the database, an organizer token (`homecoming token create`) and starts
    /// `homecoming serve` on a free port, returning once it is ready.
    pub async fn start(config: &ServiceConfig) -> Service {
        let synchronous_commit_off = config.pg_synchronous_commit_off;
        let database = BenchDatabase::create(|name| {
            if synchronous_commit_off {
                vec![format!(
                    "ALTER DATABASE \"{name}\" SET synchronous_commit = off"
                )]
            } else {
                Vec::new()
            }
        })
        .await;
        let port = free_port();
        let base_url = format!("http://127.0.0.1:{port}");
        let dir = database.dir.path();
        let mut variables = vec![
            ("DATABASE__URL", database.url.clone()),
            ("SERVER__PORT", port.to_string()),
            ("SERVER__PUBLIC_BASE_URL", base_url.clone()),
            ("LOG__LEVEL", config.log.clone()),
            ("EMAIL__TRANSPORT", "file".into()),
            ("EMAIL__FILE_DIR", dir.join("outbox").display().to_string()),
            ("EMAIL__WORKER_ENABLED", config.email_worker.to_string()),
            // One load generator is one client address: its per-address limit is off.
            ("LIMITS__REGISTRATIONS_PER_MINUTE", "0".into()),
        ];
        if let Some(max) = config.max_connections {
            variables.push(("DATABASE__MAX_CONNECTIONS", max.to_string()));
        }
        let mut settings = vec![
            "registrations_per_minute = 0".to_string(),
            format!("log {}", config.log),
        ];
        if !config.email_worker {
            settings.push("email worker off".into());
        }
        if let Some(max) = config.max_connections {
            settings.push(format!("pool {max} connections"));
        }
        if synchronous_commit_off && database.name.is_some() {
            settings.push("PostgreSQL synchronous_commit = off".into());
        }
        let command = || {
            let mut command = Command::new(env!("CARGO_BIN_EXE_homecoming"));
            // No config/local.toml and no HOMECOMING__* of the caller's shell: only these.
            command.current_dir(dir);
            for (name, _) in std::env::vars() {
                if name.starts_with("HOMECOMING") {
                    command.env_remove(name);
                }
            }
            for (name, value) in &variables {
                command.env(format!("HOMECOMING__{name}"), value);
            }
            command
        };

        let created = command()
            .args(["token", "create", "--name", "bench"])
            .output()
            .expect("homecoming token create runs");
        assert!(
            created.status.success(),
            "homecoming token create failed: {}",
            String::from_utf8_lossy(&created.stderr)
        );
        let token = String::from_utf8(created.stdout)
            .expect("the token is text")
            .trim()
            .to_string();

        let log = std::fs::File::create(dir.join("server.log")).expect("a server log file");
        let child = command()
            .arg("serve")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("the log file"))
            .stderr(log)
            .spawn()
            .expect("homecoming serve starts");
        let client = Client::builder()
            .tcp_nodelay(true)
            .build()
            .expect("a client");
        let mut service = Service {
            base_url,
            backend: database.backend,
            settings,
            client,
            token,
            email_worker: config.email_worker,
            child,
            database,
        };
        service.wait_until_ready().await;
        service
    }

    async fn wait_until_ready(&mut self) {
        let started = Instant::now();
        loop {
            let ready = self.client.get(self.url("/ready")).send().await;
            if ready.is_ok_and(|answer| answer.status().is_success()) {
                return;
            }
            let exited = self.child.try_wait().expect("the server's status");
            if exited.is_some() || started.elapsed() > Duration::from_secs(60) {
                panic!(
                    "homecoming serve did not become ready ({exited:?}); its log:\n{}",
                    self.log()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.database.dir.path().join("server.log")).unwrap_or_default()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// CPU seconds so far of the server process and of the PostgreSQL backends serving the
    /// benchmark database (their process titles name it); Linux only, zeros elsewhere.
    pub fn cpu_seconds(&self) -> (f64, f64) {
        let server = machine::process_cpu_seconds(&self.child.id().to_string());
        let mut postgres = 0.0;
        if let (Some(name), Ok(entries)) = (&self.database.name, std::fs::read_dir("/proc")) {
            for entry in entries.flatten() {
                let is_backend = std::fs::read(entry.path().join("cmdline"))
                    .is_ok_and(|cmdline| String::from_utf8_lossy(&cmdline).contains(name.as_str()));
                if is_backend {
                    postgres += machine::process_cpu_seconds(&entry.file_name().to_string_lossy());
                }
            }
        }
        (server, postgres)
    }

    async fn organizer(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let text = self.organizer_text(method, path, body).await;
        serde_json::from_str(&text).expect("a JSON body")
    }

    async fn organizer_text(&self, method: Method, path: &str, body: Option<Value>) -> String {
        let mut request = self
            .client
            .request(method.clone(), self.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer = request.send().await.expect("an organizer request is sent");
        let status = answer.status();
        let text = answer.text().await.expect("a body");
        assert!(
            status.is_success(),
            "{method} {path} answered {status}: {text}"
        );
        text
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.organizer(Method::POST, path, Some(body)).await
    }

    /// A venue with two rooms and three speakers.
    pub async fn fixture(&self) -> Fixture {
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
            hall_id: room_id(&venue, 0),
            lounge_id: room_id(&venue, 1),
            speakers,
            next_day: AtomicI64::new(0),
        }
    }

    /// A published event with an open registration window, a schedule of four items and
    /// `capacity` seats.
    pub async fn published_event(&self, fixture: &Fixture, label: &str, capacity: usize) -> Event {
        let day = (Utc::now() + Days::days(180 + fixture.next_day.fetch_add(1, Ordering::Relaxed)))
            .date_naive();
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
                Method::PATCH,
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

    /// Every registration of the event, from the organizer's CSV export.
    pub async fn export(&self, event: &Event) -> Vec<Exported> {
        let text = self
            .organizer_text(
                Method::GET,
                &format!("/api/v1/events/{}/exports/registrations.csv", event.id),
                None,
            )
            .await;
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let headers = reader.headers().expect("a heading row").clone();
        let column = |name: &str| {
            headers
                .iter()
                .position(|heading| heading == name)
                .unwrap_or_else(|| panic!("the export has no {name} column"))
        };
        let (email, status, position) = (
            column("email"),
            column("status"),
            column("waitlist_position"),
        );
        reader
            .records()
            .map(|record| {
                let record = record.expect("a CSV row");
                Exported {
                    email: record[email].to_string(),
                    status: record[status].to_string(),
                    waitlist_position: record[position].parse().ok(),
                }
            })
            .collect()
    }

    /// Waits until the email worker has sent what is queued, so that one phase's
    /// confirmations are not sent during the next; says how long that took.
    pub async fn drain_outbox(&self) {
        if !self.email_worker {
            return;
        }
        let started = Instant::now();
        loop {
            let mut pending = false;
            for status in ["queued", "sending"] {
                let page = self
                    .organizer(
                        Method::GET,
                        &format!("/api/v1/outbox?status={status}&limit=1"),
                        None,
                    )
                    .await;
                pending |= page["items"]
                    .as_array()
                    .is_some_and(|items| !items.is_empty());
            }
            if !pending || started.elapsed() > Duration::from_secs(300) {
                println!(
                    "  emails: the outbox {} {:.1} s after the phase",
                    if pending {
                        "still had messages"
                    } else {
                        "was empty"
                    },
                    started.elapsed().as_secs_f64()
                );
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Stops the server (SIGTERM, as an operator would) and drops the PostgreSQL database.
    pub async fn stop(&mut self) {
        // SAFETY: kill(2) on our own child's id, which is not yet reaped.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
        let started = Instant::now();
        while self
            .child
            .try_wait()
            .expect("the server's status")
            .is_none()
        {
            if started.elapsed() > Duration::from_secs(40) {
                self.child.kill().ok();
                self.child.wait().ok();
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.database.drop().await;
    }

    pub fn dir(&self) -> &Path {
        self.database.dir.path()
    }
}

impl Drop for Service {
    /// A benchmark that panics does not leave its server running.
    fn drop(&mut self) {
        if self.child.try_wait().is_ok_and(|status| status.is_none()) {
            self.child.kill().ok();
            self.child.wait().ok();
        }
    }
}

/// A port nobody listens on now (the kernel's pick); the server binds it right after.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

fn id(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_string()
}

fn room_id(venue: &Value, index: usize) -> String {
    venue["rooms"][index]["id"]
        .as_str()
        .expect("a room id")
        .to_string()
}
