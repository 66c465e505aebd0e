//! Registration load benchmark: the release `homecoming` binary in its own process, driven
//! over HTTP by `wrk` in another. Not a timed test: it reports figures, checks the outcome
//! through the organizer API, and exits non-zero only when a check fails.
//!
//! It starts `homecoming serve` (the binary Cargo builds with the bench profile) on a free
//! port with a fresh database (a SQLite file in a temporary folder, or a new `hc_bench_<uuid>`
//! PostgreSQL database next to `BENCH_DATABASE_URL`'s, dropped afterwards), the per-address
//! registration limit off and email written to files in the temporary folder; creates a
//! token with `homecoming token create`, a venue, speakers and published events through the
//! API; then runs the scenarios (`BENCH_SCENARIOS`, all by default):
//!
//! - `register`: wrk posts unique registrations to `POST /api/v1/events/{id}/registrations`
//!   for `BENCH_DURATION` seconds at each concurrency, seats never running out;
//! - `oversubscribed`: 200 people for 50 seats at concurrency 64 (a concurrent client here,
//!   for the exact count): exactly 50 confirmed, the others waitlisted at positions 1..150;
//! - `waitlist`: a 100-seat event whose waitlist is first filled with 10,000 people (the same
//!   client), then the `register` runs on it;
//! - `public`: wrk GETs the event page (`/events/{slug}`), its JSON
//!   (`/api/v1/public/events/{slug}`) and the form (`/events/{slug}/register`).
//!
//! After every registration run the organizer's export must hold every email that got a 2xx
//! answer, at most as many more as there were connections (requests wrk left unanswered when
//! it stopped), no more confirmed than seats (and every seat taken while anyone waits), and
//! waitlist positions exactly 1..n; the positions in the answers must be distinct. Knobs and
//! figures: benches/README.md.

#[path = "../support/mod.rs"]
mod support;

mod client;
mod service;
mod wrk;

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use serde_json::Value;
use uuid::Uuid;

use client::register_many;
use service::{Event, Service, ServiceConfig};
use support::{env, machine};

const REGISTER: &str = "register";
const WAITLIST: &str = "register, waitlist filled first";
const HTML: &str = "event page (HTML)";
const JSON: &str = "event JSON";
const FORM: &str = "registration form (HTML)";

struct Config {
    duration: Duration,
    threads: usize,
    concurrencies: Vec<usize>,
    scenarios: Vec<String>,
    /// Seats of the `register` events (the most an event may have).
    seats: usize,
    warmup: usize,
    /// People waiting before the `waitlist` runs, and that event's seats.
    waitlist: usize,
    waitlist_seats: usize,
    /// (people, seats, concurrency)
    oversubscribed: (usize, usize, usize),
}

impl Config {
    fn from_env() -> Self {
        let list = |name: &str, default: &str| -> Vec<String> {
            env::string(name, default)
                .split(',')
                .map(|item| item.trim().to_string())
                .filter(|item| !item.is_empty())
                .collect()
        };
        let scenarios = list("BENCH_SCENARIOS", "register,oversubscribed,waitlist,public");
        for scenario in &scenarios {
            assert!(
                ["register", "oversubscribed", "waitlist", "public"].contains(&scenario.as_str()),
                "BENCH_SCENARIOS: unknown {scenario:?}; the scenarios are register, oversubscribed, waitlist, public"
            );
        }
        let numbers = |name: &str, default: &str, separator: char| -> Vec<usize> {
            env::string(name, default)
                .split(separator)
                .map(|n| {
                    n.trim()
                        .parse()
                        .unwrap_or_else(|_| panic!("{name} is a list of numbers"))
                })
                .collect()
        };
        let [people, seats, concurrency] = numbers("BENCH_OVERSUBSCRIBED", "200/50/64", '/')[..]
        else {
            panic!("BENCH_OVERSUBSCRIBED is people/seats/concurrency, e.g. 200/50/64");
        };
        Config {
            duration: Duration::from_secs(env::number("BENCH_DURATION", 10) as u64),
            threads: env::number("BENCH_THREADS", 2),
            concurrencies: numbers("BENCH_CONCURRENCY", "16,64", ','),
            scenarios,
            seats: env::number("BENCH_SEATS", 100_000),
            warmup: env::number("BENCH_WARMUP", 200),
            waitlist: env::number("BENCH_WAITLIST", 10_000),
            waitlist_seats: env::number("BENCH_WAITLIST_SEATS", 100),
            oversubscribed: (people, seats, concurrency),
        }
    }

    fn runs(&self, scenario: &str) -> bool {
        self.scenarios.iter().any(|s| s == scenario)
    }
}

/// What the 2xx answers to registrations said.
#[derive(Default)]
pub struct Answers {
    pub emails: Vec<String>,
    /// The waitlist positions of the waitlisted ones.
    pub positions: Vec<u64>,
    pub confirmed: u64,
}

impl Answers {
    fn merge(&mut self, other: Answers) {
        self.emails.extend(other.emails);
        self.positions.extend(other.positions);
        self.confirmed += other.confirmed;
    }

    fn add(&mut self, body: &Value) {
        self.emails
            .push(body["email"].as_str().unwrap_or("?").to_string());
        if let Some(position) = body["waitlist_position"].as_u64() {
            self.positions.push(position);
        }
        if body["status"] == "confirmed" {
            self.confirmed += 1;
        }
    }
}

/// The figures and the failed checks so far.
#[derive(Default)]
struct Report {
    rows: Vec<Row>,
    problems: Vec<String>,
}

/// One line of the report.
struct Row {
    scenario: &'static str,
    concurrency: usize,
    answers: u64,
    per_second: f64,
    p50: Duration,
    p99: Duration,
    max: Duration,
    non_2xx: u64,
    socket_errors: u64,
    /// CPU milliseconds per answer: the server, its PostgreSQL backends, wrk.
    cpu_ms: [f64; 3],
}

/// Runs wrk on `target` at `concurrency` and reports it.
async fn measure(
    service: &Service,
    config: &Config,
    scenario: &'static str,
    target: wrk::Target,
    concurrency: usize,
) -> (Row, wrk::Run) {
    let (base_url, dir) = (service.base_url.clone(), service.dir().to_path_buf());
    let (threads, duration) = (config.threads, config.duration);
    let (server_before, postgres_before) = service.cpu_seconds();
    let run = tokio::task::spawn_blocking(move || {
        wrk::run(&base_url, &target, concurrency, threads, duration, &dir)
    })
    .await
    .expect("wrk's thread did not panic");
    let (server_after, postgres_after) = service.cpu_seconds();
    let per_answer = |seconds: f64| seconds * 1000.0 / run.requests.max(1) as f64;
    let row = Row {
        scenario,
        concurrency,
        answers: run.requests,
        per_second: run.successes() as f64 / run.elapsed.as_secs_f64().max(1e-9),
        p50: run.p50,
        p99: run.p99,
        max: run.max,
        non_2xx: run.non_2xx(),
        socket_errors: run.socket_errors,
        cpu_ms: [
            per_answer(server_after - server_before),
            per_answer(postgres_after - postgres_before),
            per_answer(run.cpu_seconds),
        ],
    };
    println!(
        "{scenario}, concurrency {concurrency} ({}):",
        machine::summary()
    );
    for line in run.output.lines() {
        println!("  | {line}");
    }
    println!(
        "  => {:.0} 2xx/s, p50 {}, p99 {}, max {}, statuses {:?}, socket errors {}; CPU ms/answer: server {:.2}, PostgreSQL {:.2}, wrk {:.2}",
        row.per_second,
        ms(row.p50),
        ms(row.p99),
        ms(row.max),
        run.statuses,
        row.socket_errors,
        row.cpu_ms[0],
        row.cpu_ms[1],
        row.cpu_ms[2]
    );
    (row, run)
}

/// wrk registers people for `event` (keyed `<prefix>-<thread>-<counter>`) at `concurrency`;
/// then the outcome is checked and the run's emails are let out before the next run.
async fn registration_run(
    service: &Service,
    config: &Config,
    scenario: &'static str,
    event: &Event,
    prefix: &str,
    concurrency: usize,
    report: &mut Report,
) {
    let target = wrk::Target::Register {
        path: format!("/api/v1/events/{}/registrations", event.id),
        prefix: prefix.to_string(),
        body: client::registration_body("{key}").to_string(),
    };
    let (row, run) = measure(service, config, scenario, target, concurrency).await;
    report.rows.push(row);
    report
        .problems
        .extend(check(service, event, prefix, &run.answers, concurrency).await);
    service.drain_outbox().await;
}

/// Checks the event's registrations (the organizer's export) against the 2xx `answers` of
/// one run whose keys start with `prefix`; `unanswered` is how many registrations may have
/// been made without their answer being counted (wrk's requests in flight when it stopped).
async fn check(
    service: &Service,
    event: &Event,
    prefix: &str,
    answers: &Answers,
    unanswered: usize,
) -> Vec<String> {
    // Requests wrk left in flight may still be committing: read until the export stops
    // growing, so that the rows and their positions come from a settled event.
    let mut exported = service.export(event).await;
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let again = service.export(event).await;
        let settled = again.len() == exported.len();
        exported = again;
        if settled {
            break;
        }
    }
    let key = format!("{prefix}-");
    let ours: HashSet<&str> = exported
        .iter()
        .map(|row| row.email.as_str())
        .filter(|email| email.starts_with(&key))
        .collect();
    let missing = answers
        .emails
        .iter()
        .filter(|email| !ours.contains(email.as_str()))
        .count();
    let without_answer = ours.len() - (answers.emails.len() - missing).min(ours.len());
    let confirmed = exported
        .iter()
        .filter(|row| row.status == "confirmed")
        .count();
    let mut waiting: Vec<u64> = exported
        .iter()
        .filter(|row| row.status == "waitlisted")
        .map(|row| row.waitlist_position.unwrap_or(0))
        .collect();
    waiting.sort_unstable();
    let gapless = waiting.iter().copied().eq(1..=waiting.len() as u64);
    let mut answered = answers.positions.clone();
    answered.sort_unstable();
    answered.dedup();
    let distinct = answered.len() == answers.positions.len();

    let mut problems = Vec::new();
    if missing > 0 {
        problems.push(format!(
            "{prefix}: {missing} registrations answered 2xx are not in the export"
        ));
    }
    if without_answer > unanswered {
        problems.push(format!(
            "{prefix}: {without_answer} registrations in the export got no 2xx answer (at most {unanswered} were in flight)"
        ));
    }
    if confirmed > event.capacity {
        problems.push(format!(
            "{prefix}: oversold, {confirmed} confirmed for {} seats",
            event.capacity
        ));
    }
    if !waiting.is_empty() && confirmed < event.capacity {
        problems.push(format!(
            "{prefix}: {} waiting while only {confirmed} of {} seats are taken",
            waiting.len(),
            event.capacity
        ));
    }
    if !gapless {
        problems.push(format!(
            "{prefix}: waitlist positions are not 1..{}: {waiting:?}",
            waiting.len()
        ));
    }
    if !distinct {
        problems.push(format!(
            "{prefix}: two answers gave the same waitlist position"
        ));
    }
    println!(
        "  checks: {} answered 2xx, {missing} of them missing from the export; {without_answer} in the export without an answer (at most {unanswered}); {confirmed} confirmed for {} seats; {} waitlisted at positions 1..{}{}; positions in the answers distinct: {} => {}",
        answers.emails.len(),
        event.capacity,
        waiting.len(),
        waiting.len(),
        if gapless { "" } else { " NOT gapless" },
        if distinct { "yes" } else { "NO" },
        if problems.is_empty() { "OK" } else { "FAILED" }
    );
    problems
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let config = Config::from_env();
    wrk::ensure_installed();
    let mut service = Service::start(&ServiceConfig::from_env()).await;
    println!(
        "registration_load: release binary on {} ({}), wrk {} threads, {} s per run; {}",
        service.backend,
        service.settings.join(", "),
        config.threads,
        config.duration.as_secs(),
        machine::summary()
    );
    let fixture = service.fixture().await;
    let run_id = Uuid::new_v4().simple().to_string()[..8].to_string();
    let mut report = Report::default();

    // The public pages show this event: its 150 seats taken and a waitlist, by the warm-up.
    let public = service.published_event(&fixture, "public", 150).await;
    if config.warmup > 0 {
        let warmup = register_many(
            &service,
            &public,
            &format!("{run_id}-warmup"),
            config.warmup,
            16,
        )
        .await;
        println!(
            "warm-up (not counted): {} registrations, statuses {:?}",
            config.warmup, warmup.statuses
        );
        service.drain_outbox().await;
    }

    if config.runs("register") {
        for &concurrency in &config.concurrencies {
            let event = service
                .published_event(&fixture, &format!("c{concurrency}"), config.seats)
                .await;
            let prefix = format!("{run_id}-c{concurrency}");
            registration_run(
                &service,
                &config,
                REGISTER,
                &event,
                &prefix,
                concurrency,
                &mut report,
            )
            .await;
        }
    }

    if config.runs("oversubscribed") {
        let (people, seats, concurrency) = config.oversubscribed;
        let event = service.published_event(&fixture, "full", seats).await;
        let prefix = format!("{run_id}-full");
        let full = register_many(&service, &event, &prefix, people, concurrency).await;
        println!(
            "{people} people for {seats} seats, concurrency {concurrency}: {:.1} s, statuses {:?}",
            full.elapsed.as_secs_f64(),
            full.statuses
        );
        let mut positions = full.answers.positions.clone();
        positions.sort_unstable();
        let waitlisted = people.saturating_sub(seats) as u64;
        let exact = full.answers.confirmed == seats.min(people) as u64
            && positions.iter().copied().eq(1..=waitlisted);
        println!(
            "  answers: {} confirmed, {} waitlisted at positions 1..{waitlisted}: {}",
            full.answers.confirmed,
            positions.len(),
            if exact { "OK" } else { "FAILED" }
        );
        if !exact {
            report.problems.push(format!(
                "{people} for {seats} seats: {} confirmed answers, waitlist positions answered {positions:?}",
                full.answers.confirmed
            ));
        }
        report
            .problems
            .extend(check(&service, &event, &prefix, &full.answers, 0).await);
        service.drain_outbox().await;
    }

    if config.runs("waitlist") {
        let event = service
            .published_event(&fixture, "waitlist", config.waitlist_seats)
            .await;
        let prefix = format!("{run_id}-fill");
        let people = config.waitlist + config.waitlist_seats;
        // Concurrency 16: at 64 a SQLite writer can wait past its busy timeout (503); the
        // people a round did not register are tried again under new keys.
        let (mut filled, mut statuses, mut elapsed) = (Answers::default(), BTreeMap::new(), 0.0);
        for round in 0..10 {
            let missing = people.saturating_sub(filled.emails.len());
            if missing == 0 {
                break;
            }
            let fill =
                register_many(&service, &event, &format!("{prefix}-{round}"), missing, 16).await;
            filled.merge(fill.answers);
            for (status, count) in fill.statuses {
                *statuses.entry(status).or_insert(0) += count;
            }
            elapsed += fill.elapsed.as_secs_f64();
        }
        println!(
            "waitlist fill: {} people registered for {} seats in {elapsed:.1} s ({:.0}/s), statuses {statuses:?}",
            filled.emails.len(),
            config.waitlist_seats,
            filled.emails.len() as f64 / elapsed.max(1e-9),
        );
        report
            .problems
            .extend(check(&service, &event, &prefix, &filled, 0).await);
        service.drain_outbox().await;
        for &concurrency in &config.concurrencies {
            let prefix = format!("{run_id}-w{concurrency}");
            registration_run(
                &service,
                &config,
                WAITLIST,
                &event,
                &prefix,
                concurrency,
                &mut report,
            )
            .await;
        }
    }

    if config.runs("public") {
        let slug = &public.slug;
        for &concurrency in &config.concurrencies {
            for (scenario, path) in [
                (HTML, format!("/events/{slug}")),
                (JSON, format!("/api/v1/public/events/{slug}")),
                (FORM, format!("/events/{slug}/register")),
            ] {
                let (row, _) = measure(
                    &service,
                    &config,
                    scenario,
                    wrk::Target::Get { path },
                    concurrency,
                )
                .await;
                report.rows.push(row);
            }
        }
    }

    println!();
    println!("{} (at the end: {}):", service.backend, machine::summary());
    println!(
        "| scenario | concurrency | answers | 2xx per second | p50 | p99 | max | non-2xx | socket errors | CPU ms/answer: server + PostgreSQL + wrk |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for row in &report.rows {
        println!(
            "| {} | {} | {} | {:.0} | {} | {} | {} | {} | {} | {:.2} + {:.2} + {:.2} |",
            row.scenario,
            row.concurrency,
            row.answers,
            row.per_second,
            ms(row.p50),
            ms(row.p99),
            ms(row.max),
            row.non_2xx,
            row.socket_errors,
            row.cpu_ms[0],
            row.cpu_ms[1],
            row.cpu_ms[2]
        );
    }
    println!();
    report_targets(&report.rows);

    service.stop().await;
    // Removes the temporary folder (SQLite file, emails) before a failing exit skips it.
    drop(service);
    support::exit_on_problems(
        &report.problems,
        "every check passed: every 2xx registration is in the database, no seat oversold, waitlist positions 1..n",
    );
}

/// The targets against the figures: reported, not checked (the exit code is about
/// correctness only).
fn report_targets(rows: &[Row]) {
    let find = |scenario: &str, concurrency: usize| {
        rows.iter()
            .find(|row| row.scenario == scenario && row.concurrency == concurrency)
    };
    let verdict = |met: bool| if met { "met" } else { "NOT met" };
    println!("Targets (issue 10):");
    let register = find(REGISTER, 64);
    if let Some(row) = register {
        let met = row.per_second >= 1000.0
            && row.p99 < Duration::from_millis(100)
            && row.non_2xx + row.socket_errors == 0;
        println!(
            "- registrations at concurrency 64 >= 1,000/s, p99 < 100 ms, no errors: {:.0}/s, p99 {}, {} errors: {}",
            row.per_second,
            ms(row.p99),
            row.non_2xx + row.socket_errors,
            verdict(met)
        );
    }
    if let (Some(row), Some(register)) = (find(WAITLIST, 64), register) {
        let ratio = row.per_second / register.per_second.max(1e-9);
        let met = ratio >= 0.9
            && row.p99 < Duration::from_millis(100)
            && row.non_2xx + row.socket_errors == 0;
        println!(
            "- the same with the waitlist filled first (10,000 by default), within 10 %: {:.0}/s ({:.0} % of {:.0}/s), p99 {}, {} errors: {}",
            row.per_second,
            ratio * 100.0,
            register.per_second,
            ms(row.p99),
            row.non_2xx + row.socket_errors,
            verdict(met)
        );
    }
    for (scenario, aim) in [(HTML, 5000.0), (JSON, 10_000.0)] {
        if let Some(row) = find(scenario, 16) {
            let met = row.per_second >= aim && row.p99 < Duration::from_millis(20);
            println!(
                "- {scenario} at concurrency 16 >= {aim:.0}/s, p99 < 20 ms: {:.0}/s, p99 {}: {}",
                row.per_second,
                ms(row.p99),
                verdict(met)
            );
        }
    }
}
