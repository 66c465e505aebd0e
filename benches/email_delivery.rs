//! Email delivery benchmark. Not a timed test: it reports figures and fails
//! only when a check fails.
//!
//! On a fresh database (a SQLite file in a temporary folder, or a new `hc_bench_<uuid>`
//! PostgreSQL database next to `BENCH_DATABASE_URL`'s), it seeds one published event with
//! `BENCH_REMINDERS` confirmed registrations (rows inserted directly, in batches), and starts a
//! minimal SMTP sink on loopback (in this process) that counts every message it receives by
//! its `Message-ID`.
//!
//! 1. Throughput: for each setting (`max_connections` x `batch_size`), it renders
//!    `BENCH_EMAILS` confirmation emails (with their calendar invites, as registering does)
//!    and queues them into the outbox in one transaction, then runs the delivery worker
//!    (`Worker::run_once`, one batch after another, as the spawned worker does while batches
//!    are full) with the SMTP transport to the sink until the outbox is empty, and reports
//!    emails/s.
//! 2. Reminders: with a manual clock a minute after the 7-day reminder of the event, it times
//!    `Scheduler::run_once` (rendering and queueing one reminder per registration in one
//!    transaction), then the delivery of all of them through the worker.
//!
//! After each delivery, every queued message must be `sent` in the outbox and must have
//! arrived at the sink exactly once (by Message-ID, which is the outbox id), and nothing else
//! may have arrived; otherwise the benchmark says what went wrong and exits non-zero.
//!
//! ```sh
//! cargo bench --bench email_delivery
//! BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench email_delivery
//! ```
//!
//! Environment (all optional):
//! - `BENCH_DATABASE_URL`: a PostgreSQL URL whose server gets a fresh database (dropped at the
//!   end unless `BENCH_KEEP_DATABASE=1`); SQLite in a temporary folder when unset.
//! - `BENCH_EMAILS` (2000): messages per throughput run.
//! - `BENCH_SETTINGS` (`1x20,4x20,8x20,1x100,4x100,8x100`): the throughput runs, each
//!   `max_connections` x `batch_size`.
//! - `BENCH_REMINDERS` (10000): confirmed registrations seeded (at least `BENCH_EMAILS`), and
//!   so reminders sent; `0` skips the reminder phase.
//! - `BENCH_REMINDER_SETTING` (the service's defaults, `4x20`): the worker of the reminder
//!   phase.
//! - `BENCH_WARMUP` (200): an unmeasured run first.
//! - `BENCH_LOG` (`warn`): the log filter (the worker logs each message at `info`).
//!
//! Experiment, off by default (the default sink behaves like any SMTP server on Linux):
//! - `BENCH_SINK_QUICKACK=1`: the sink acknowledges every TCP segment at once
//!   (`TCP_QUICKACK`, Linux) instead of delaying ACKs. lettre writes a message's body and its
//!   final `.` in two writes on a socket without `TCP_NODELAY`, so the final `.` waits for the
//!   ACK of the body, which a server delays by up to 40 ms: about 40 ms per message and
//!   connection. With this switch the figures show the worker without that stall.

mod support;

use support::database::BenchDatabase;
use support::{env, machine};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{Datelike, TimeDelta, Utc};
use entity::values::{EventStatus, Language, RegistrationStatus, Role};
use entity::{event, outbox_message, person, registration, venue};
use homecoming::clock::Clock;
use homecoming::configuration::{LogFormat, LogSettings, Settings};
use homecoming::db::begin_write;
use homecoming::email::scheduler::Scheduler;
use homecoming::email::settings::{SmtpSecurity, TransportKind};
use homecoming::email::worker::Worker;
use homecoming::email::{EmailSettings, Extras, Kind, MailEvent, enqueue_many};
use homecoming::registration::links::ManageLinks;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, BufWriter};
use tokio::net::TcpListener;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use uuid::Uuid;

/// `max_connections` x `batch_size`.
#[derive(Debug, Clone, Copy)]
struct Setting {
    connections: u32,
    batch: u64,
}

impl Setting {
    fn parse(spec: &str) -> Self {
        let (connections, batch) = spec
            .trim()
            .split_once('x')
            .unwrap_or_else(|| panic!("a setting is connections x batch, e.g. 4x20: {spec:?}"));
        Setting {
            connections: connections.trim().parse().expect("connections is a number"),
            batch: batch.trim().parse().expect("batch size is a number"),
        }
    }
}

impl std::fmt::Display for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} connection{}, batch {}",
            self.connections,
            if self.connections == 1 { "" } else { "s" },
            self.batch
        )
    }
}

struct Config {
    emails: usize,
    settings: Vec<Setting>,
    reminders: usize,
    reminder_setting: Option<Setting>,
    warmup: usize,
    log: String,
    quickack: bool,
}

impl Config {
    fn from_env() -> Self {
        Config {
            emails: env::number("BENCH_EMAILS", 2000),
            settings: env::string("BENCH_SETTINGS", "1x20,4x20,8x20,1x100,4x100,8x100")
                .split(',')
                .map(Setting::parse)
                .collect(),
            reminders: env::number("BENCH_REMINDERS", 10_000),
            reminder_setting: env::optional("BENCH_REMINDER_SETTING")
                .map(|value| Setting::parse(&value)),
            warmup: env::number("BENCH_WARMUP", 200),
            log: env::string("BENCH_LOG", "warn"),
            quickack: env::string("BENCH_SINK_QUICKACK", "0") == "1",
        }
    }
}

/// A minimal SMTP server on loopback that accepts everything and counts messages by
/// Message-ID (the outbox id). Messages without one are counted apart.
struct Sink {
    port: u16,
    seen: Arc<Mutex<Seen>>,
}

#[derive(Default)]
struct Seen {
    by_id: HashMap<Uuid, u32>,
    without_id: usize,
    connections: usize,
}

impl Sink {
    async fn start(quickack: bool) -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("the sink binds");
        let port = listener.local_addr().expect("a local address").port();
        let seen = Arc::new(Mutex::new(Seen::default()));
        let state = seen.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                stream.set_nodelay(true).ok();
                state.lock().unwrap().connections += 1;
                tokio::spawn(session(stream, state.clone(), quickack));
            }
        });
        Sink { port, seen }
    }

    fn take(&self) -> Seen {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

/// Asks Linux to acknowledge the next segments at once (the flag does not stay set).
#[cfg(target_os = "linux")]
fn quick_ack(fd: std::os::fd::RawFd) {
    let on: libc::c_int = 1;
    // SAFETY: a valid socket (the session owns it) and a c_int option of its size.
    unsafe {
        libc::setsockopt(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_QUICKACK,
            (&raw const on).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn quick_ack(_fd: i32) {}

async fn session(
    stream: tokio::net::TcpStream,
    seen: Arc<Mutex<Seen>>,
    quickack: bool,
) -> std::io::Result<()> {
    #[cfg(unix)]
    let fd = std::os::fd::AsRawFd::as_raw_fd(&stream);
    #[cfg(not(unix))]
    let fd = 0;
    let (read, write) = stream.into_split();
    let mut read = BufReader::with_capacity(64 * 1024, read);
    let mut write = BufWriter::new(write);
    write.write_all(b"220 sink.bench ESMTP\r\n").await?;
    write.flush().await?;
    let mut line = Vec::with_capacity(256);
    loop {
        if !read_line(&mut read, &mut line, quickack.then_some(fd)).await? {
            return Ok(());
        }
        let verb = line
            .get(..4)
            .map(|verb| verb.to_ascii_uppercase())
            .unwrap_or_default();
        let reply: &[u8] = match &verb[..] {
            b"EHLO" => b"250-sink.bench\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            b"HELO" => b"250 sink.bench\r\n",
            b"MAIL" | b"RCPT" | b"RSET" | b"NOOP" => b"250 OK\r\n",
            b"DATA" => {
                send(&mut write, b"354 go ahead\r\n").await?;
                let mut message_id = None;
                let mut in_headers = true;
                loop {
                    if !read_line(&mut read, &mut line, quickack.then_some(fd)).await? {
                        return Ok(());
                    }
                    if line == b".\r\n" {
                        break;
                    }
                    if in_headers {
                        if line == b"\r\n" {
                            in_headers = false;
                        } else if line.len() > 11 && line[..11].eq_ignore_ascii_case(b"message-id:")
                        {
                            message_id = parse_message_id(&line[11..]);
                        }
                    }
                }
                let mut seen = seen.lock().unwrap();
                match message_id {
                    Some(id) => *seen.by_id.entry(id).or_default() += 1,
                    None => seen.without_id += 1,
                }
                b"250 queued\r\n"
            }
            b"QUIT" => {
                send(&mut write, b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 unknown\r\n",
        };
        send(&mut write, reply).await?;
    }
}

/// Reads the next line into `line`; false at the end of the stream. With `quick_ack_fd`, asks
/// for quick ACKs first whenever the buffer is empty (the next read waits for the peer).
async fn read_line(
    read: &mut BufReader<OwnedReadHalf>,
    line: &mut Vec<u8>,
    quick_ack_fd: Option<i32>,
) -> std::io::Result<bool> {
    line.clear();
    if let Some(fd) = quick_ack_fd
        && read.buffer().is_empty()
    {
        quick_ack(fd);
    }
    Ok(read.read_until(b'\n', line).await? != 0)
}

async fn send(write: &mut BufWriter<OwnedWriteHalf>, reply: &[u8]) -> std::io::Result<()> {
    write.write_all(reply).await?;
    write.flush().await
}

/// `<{uuid}@{domain}>` → the uuid.
fn parse_message_id(value: &[u8]) -> Option<Uuid> {
    let value = std::str::from_utf8(value).ok()?.trim();
    let inner = value.strip_prefix('<')?;
    let (id, _) = inner.split_once('@')?;
    Uuid::parse_str(id).ok()
}

struct Bench {
    db: DatabaseConnection,
    settings: Settings,
    backend: &'static str,
    sink: Sink,
    event: event::Model,
    database: BenchDatabase,
}

impl Bench {
    async fn start(config: &Config) -> Bench {
        let database = BenchDatabase::create(|_| Vec::new()).await;
        let backend = database.backend;
        let mut settings = Settings::defaults().expect("built-in defaults are valid");
        settings.database.url = database.url.clone();
        settings.email.file_dir = database.dir.path().join("outbox");
        homecoming::telemetry::init(&LogSettings {
            level: config.log.clone(),
            format: LogFormat::Pretty,
        });
        let db = homecoming::db::connect(&settings.database)
            .await
            .expect("database connects");
        homecoming::db::migrate(&db)
            .await
            .expect("migrations apply");
        let sink = Sink::start(config.quickack).await;
        let registrations = config.reminders.max(config.emails).max(config.warmup);
        let started = Instant::now();
        let event = seed(&db, registrations).await;
        println!(
            "seeded one published event with {registrations} confirmed registrations in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        Bench {
            db,
            settings,
            backend,
            sink,
            event,
            database,
        }
    }

    fn email_settings(&self, setting: Setting) -> EmailSettings {
        let mut email = self.settings.email.clone();
        email.transport = TransportKind::Smtp;
        email.smtp.host = "127.0.0.1".into();
        email.smtp.port = self.sink.port;
        email.smtp.security = SmtpSecurity::None;
        email.smtp.max_connections = setting.connections;
        email.batch_size = setting.batch;
        email.check().expect("valid email settings");
        email
    }

    async fn clear_outbox(&self) {
        outbox_message::Entity::delete_many()
            .exec(&self.db)
            .await
            .expect("the outbox is emptied");
        self.sink.take();
    }

    /// Renders `count` confirmations (manage link, calendar invite) and queues them in one
    /// transaction. Returns the time that took.
    async fn queue_confirmations(&self, count: usize, run: &str) -> Duration {
        let started = Instant::now();
        let rows = registration::Entity::find()
            .filter(registration::Column::EventId.eq(self.event.id))
            .order_by_asc(registration::Column::Id)
            .limit(count as u64)
            .all(&self.db)
            .await
            .expect("registrations load");
        let base = self.settings.server.public_base_url.trim_end_matches('/');
        let links = ManageLinks::new([7; 32], base);
        let mail_event = MailEvent::load(&self.db, &self.event, &links)
            .await
            .expect("the event loads");
        let messages: Vec<_> = rows
            .iter()
            .filter_map(|row| {
                let extras = Extras {
                    event_url: Some(format!("{base}/events/{}", self.event.slug)),
                    cause: Some(run.to_string()),
                    ..Extras::default()
                };
                mail_event
                    .message(Kind::Confirmed, row, extras)
                    .expect("a confirmation renders")
            })
            .collect();
        assert_eq!(messages.len(), count, "one confirmation per registration");
        let txn = begin_write(&self.db).await.expect("a write transaction");
        let queued = enqueue_many(&txn, messages).await.expect("messages queue");
        txn.commit().await.expect("the queue commits");
        assert_eq!(queued as usize, count, "every confirmation is new");
        started.elapsed()
    }

    /// Runs the worker until the outbox has nothing due, then checks every queued message
    /// was sent and arrived exactly once. Returns the time and the CPU seconds it took.
    async fn deliver(&self, setting: Setting, problems: &mut Vec<String>) -> Delivery {
        let queued: Vec<Uuid> = outbox_message::Entity::find()
            .select_only()
            .column(outbox_message::Column::Id)
            .into_tuple()
            .all(&self.db)
            .await
            .expect("outbox ids load");
        let worker = Worker::new(
            self.db.clone(),
            &self.email_settings(setting),
            &self.settings.server.public_base_url,
        )
        .expect("the worker starts");
        let cpu = machine::process_cpu_seconds("self");
        let started = Instant::now();
        let mut batches = 0;
        while worker.run_once().await.expect("the worker claims") > 0 {
            batches += 1;
        }
        let elapsed = started.elapsed();
        let cpu = machine::process_cpu_seconds("self") - cpu;
        drop(worker);
        let sent = outbox_message::Entity::find()
            .filter(outbox_message::Column::Status.eq("sent"))
            .count(&self.db)
            .await
            .expect("the outbox counts") as usize;
        let seen = self.sink.take();
        let mut missing = 0;
        let mut duplicated = 0;
        for id in &queued {
            match seen.by_id.get(id).copied().unwrap_or(0) {
                0 => missing += 1,
                1 => {}
                _ => duplicated += 1,
            }
        }
        let unexpected = seen.by_id.len() + missing - queued.len() + seen.without_id;
        if sent != queued.len() || missing > 0 || duplicated > 0 || unexpected > 0 {
            problems.push(format!(
                "{setting}: {} queued, {sent} sent in the outbox; at the sink {missing} missing, \
                 {duplicated} more than once, {unexpected} unexpected",
                queued.len()
            ));
        }
        Delivery {
            emails: queued.len(),
            elapsed,
            batches,
            connections: seen.connections,
            cpu,
            exactly_once: missing == 0 && duplicated == 0 && unexpected == 0,
        }
    }

    async fn drop_database(&self) {
        if self.database.name.is_some() {
            self.db.clone().close().await.ok();
        }
        self.database.drop().await;
    }
}

struct Delivery {
    emails: usize,
    elapsed: Duration,
    batches: usize,
    connections: usize,
    cpu: f64,
    exactly_once: bool,
}

impl Delivery {
    fn per_second(&self) -> f64 {
        self.emails as f64 / self.elapsed.as_secs_f64()
    }

    fn cpu_ms_per_email(&self) -> f64 {
        self.cpu * 1000.0 / self.emails.max(1) as f64
    }
}

/// One published event 30 days ahead with the default reminders (7 days and 1 day before),
/// at a venue, and `count` confirmed registrations (each its own person), confirmed an hour
/// ago.
async fn seed(db: &DatabaseConnection, count: usize) -> event::Model {
    let now = Utc::now();
    let venue_id = Uuid::now_v7();
    venue::Entity::insert(venue::ActiveModel {
        id: Set(venue_id),
        name: Set("서울대학교 관악캠퍼스 302동".into()),
        address: Set("서울특별시 관악구 관악로 1".into()),
        map_url: Set(Some("https://map.naver.com/p/search/서울대학교".into())),
        capacity: Set(Some(20_000)),
        notes: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_without_returning(db)
    .await
    .expect("the venue is inserted");
    let starts_at = now + TimeDelta::days(30);
    let event = event::Model {
        id: Uuid::now_v7(),
        title: "1&N 홈커밍 2026: 졸업생과 재학생이 다시 만나는 날".into(),
        slug: format!("bench-email-{}", &Uuid::new_v4().simple().to_string()[..8]),
        description: Some("졸업생과 재학생이 다시 만나는 날".into()),
        starts_at,
        ends_at: starts_at + TimeDelta::hours(6),
        time_zone: "Asia/Seoul".into(),
        local_year: starts_at.year(),
        venue_id: Some(venue_id),
        capacity: Some(i32::try_from(count).unwrap_or(i32::MAX)),
        registration_opens_at: Some(now - TimeDelta::days(10)),
        registration_closes_at: None,
        tags: r#"["career","backend","ai"]"#.into(),
        tags_en: "{}".into(),
        status: EventStatus::Published,
        published_at: Some(now - TimeDelta::days(10)),
        requires_approval: false,
        reminder_offsets: "[10080,1440]".into(),
        calendar_sequence: 0,
        // The registrations below are inserted directly: the seats they hold.
        confirmed_count: count as i64,
        waitlisted_count: 0,
        last_waitlist_seq: 0,
        created_at: now,
        updated_at: now,
    };
    event::Entity::insert(event::ActiveModel::from(event.clone()))
        .exec_without_returning(db)
        .await
        .expect("the event is inserted");
    // 33 columns a registration: 300 rows stay well under SQLite's bound parameters limit.
    const ROWS: usize = 300;
    let txn = begin_write(db).await.expect("a write transaction");
    for start in (0..count).step_by(ROWS) {
        let end = (start + ROWS).min(count);
        let mut people = Vec::with_capacity(end - start);
        let mut registrations = Vec::with_capacity(end - start);
        for i in start..end {
            let person_id = Uuid::now_v7();
            let email = format!("alum{i:05}@example.com");
            let name = format!("졸업생{i:05}");
            people.push(person::ActiveModel {
                id: Set(person_id),
                email: Set(Some(email.clone())),
                name: Set(name.clone()),
                role: Set(Some(Role::Alumni)),
                admission_year: Set(Some(2010 + (i % 12) as i32)),
                graduation_year: Set(None),
                affiliation: Set(Some("Toss".into())),
                job_title: Set(Some("Backend Engineer".into())),
                interests: Set(r#"["backend","career"]"#.into()),
                erased_at: Set(None),
                email_opt_out_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
            registrations.push(registration::ActiveModel {
                id: Set(Uuid::now_v7()),
                event_id: Set(event.id),
                person_id: Set(person_id),
                email: Set(Some(email.clone())),
                active_email: Set(Some(email)),
                name: Set(name),
                role: Set(Role::Alumni),
                admission_year: Set(Some(2010 + (i % 12) as i32)),
                graduation_year: Set(None),
                affiliation: Set(Some("Toss".into())),
                job_title: Set(Some("Backend Engineer".into())),
                interests: Set(r#"["backend","career"]"#.into()),
                interests_other: Set(None),
                goals: Set("[]".into()),
                wanted_speaker_ids: Set("[]".into()),
                consent_share: Set(true),
                // One in five in English, the rest in Korean.
                language: Set(if i % 5 == 0 {
                    Language::En
                } else {
                    Language::Ko
                }),
                answers: Set("{}".into()),
                status: Set(RegistrationStatus::Confirmed),
                waitlist_seq: Set(None),
                manage_token_hash: Set(format!("bench-{}", Uuid::new_v4().simple())),
                manage_link_generation: Set(0),
                manage_link_mailed_at: Set(None),
                checkin_code: Set(format!("B{i:06}")),
                checked_in_at: Set(None),
                confirmed_at: Set(Some(now - TimeDelta::hours(1))),
                cancelled_at: Set(None),
                created_at: Set(now - TimeDelta::hours(1)),
                updated_at: Set(now - TimeDelta::hours(1)),
            });
        }
        person::Entity::insert_many(people)
            .exec_without_returning(&txn)
            .await
            .expect("people are inserted");
        registration::Entity::insert_many(registrations)
            .exec_without_returning(&txn)
            .await
            .expect("registrations are inserted");
    }
    txn.commit().await.expect("the seed commits");
    event
}

#[tokio::main]
async fn main() {
    let config = Config::from_env();
    let bench = Bench::start(&config).await;
    println!(
        "email_delivery: {}, {}, worker and SMTP sink in one process{}",
        bench.backend,
        machine::summary(),
        if config.quickack {
            ", experiment: the sink ACKs at once (TCP_QUICKACK)"
        } else {
            ""
        }
    );
    let mut problems = Vec::new();

    if config.warmup > 0 {
        bench.clear_outbox().await;
        bench.queue_confirmations(config.warmup, "warmup").await;
        let setting = config.settings.first().copied().unwrap_or(Setting {
            connections: 4,
            batch: 20,
        });
        let delivery = bench.deliver(setting, &mut problems).await;
        println!(
            "warm-up (not counted): {} emails in {:.2} s",
            delivery.emails,
            delivery.elapsed.as_secs_f64()
        );
    }

    let mut rows = Vec::new();
    for (run, &setting) in config.settings.iter().enumerate() {
        bench.clear_outbox().await;
        let queue = bench
            .queue_confirmations(config.emails, &format!("bench{run}"))
            .await;
        let delivery = bench.deliver(setting, &mut problems).await;
        println!(
            "{setting}: queued {} in {:.2} s, delivered in {:.2} s: {:.0} emails/s ({} batches, {} SMTP connections, {:.2} CPU ms/email), exactly once: {}",
            delivery.emails,
            queue.as_secs_f64(),
            delivery.elapsed.as_secs_f64(),
            delivery.per_second(),
            delivery.batches,
            delivery.connections,
            delivery.cpu_ms_per_email(),
            if delivery.exactly_once {
                "OK"
            } else {
                "FAILED"
            }
        );
        rows.push((setting, delivery));
    }

    let mut reminder = None;
    if config.reminders > 0 {
        bench.clear_outbox().await;
        let setting = config.reminder_setting.unwrap_or(Setting {
            connections: bench.settings.email.smtp.max_connections,
            batch: bench.settings.email.batch_size,
        });
        // A minute after the 7-day reminder's time.
        let clock =
            Clock::manual(bench.event.starts_at - TimeDelta::days(7) + TimeDelta::minutes(1));
        let links = ManageLinks::load(&bench.db, &bench.settings.server.public_base_url)
            .await
            .expect("the manage-link key");
        let scheduler = Scheduler::new(
            bench.db.clone(),
            clock,
            links,
            bench.settings.email.feedback_after_hours,
            Duration::from_secs(30),
        );
        let started = Instant::now();
        let queued = scheduler.run_once().await.expect("the scheduler queues") as usize;
        let queue = started.elapsed();
        let expected = config.reminders.max(config.emails).max(config.warmup);
        if queued != expected {
            problems.push(format!(
                "reminders: the scheduler queued {queued}, expected {expected}"
            ));
        }
        let delivery = bench.deliver(setting, &mut problems).await;
        println!(
            "reminders ({setting}): queued {queued} in {:.2} s, delivered in {:.2} s ({:.0} emails/s, {:.2} CPU ms/email), total {:.2} s, exactly once: {}",
            queue.as_secs_f64(),
            delivery.elapsed.as_secs_f64(),
            delivery.per_second(),
            delivery.cpu_ms_per_email(),
            (queue + delivery.elapsed).as_secs_f64(),
            if delivery.exactly_once {
                "OK"
            } else {
                "FAILED"
            }
        );
        reminder = Some((setting, queue, delivery));
    }

    println!();
    println!(
        "| {} | max_connections | batch_size | emails | seconds | emails/s | CPU ms/email |",
        bench.backend
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (setting, delivery) in &rows {
        println!(
            "| confirmations | {} | {} | {} | {:.2} | {:.0} | {:.2} |",
            setting.connections,
            setting.batch,
            delivery.emails,
            delivery.elapsed.as_secs_f64(),
            delivery.per_second(),
            delivery.cpu_ms_per_email()
        );
    }
    if let Some((setting, queue, delivery)) = &reminder {
        println!(
            "| reminders: queue (scheduler) | | | {} | {:.2} | {:.0} | |",
            delivery.emails,
            queue.as_secs_f64(),
            delivery.emails as f64 / queue.as_secs_f64()
        );
        println!(
            "| reminders: deliver | {} | {} | {} | {:.2} | {:.0} | {:.2} |",
            setting.connections,
            setting.batch,
            delivery.emails,
            delivery.elapsed.as_secs_f64(),
            delivery.per_second(),
            delivery.cpu_ms_per_email()
        );
        println!(
            "| reminders: total | | | {} | {:.2} | {:.0} | |",
            delivery.emails,
            (*queue + delivery.elapsed).as_secs_f64(),
            delivery.emails as f64 / (*queue + delivery.elapsed).as_secs_f64()
        );
    }

    bench.drop_database().await;
    drop(bench);
    support::exit_on_problems(&problems, "every message sent and received exactly once");
}
