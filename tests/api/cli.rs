//! The `homecoming` binary: tokens, migrations, configuration errors, the demo, serving and
//! graceful shutdown. Each test runs the real binary in an empty folder against a fresh
//! database.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Output, Stdio};

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;

use crate::helpers::{expect_problem, expect_status, fresh_database, spawn_app_on};

struct Cli {
    dir: tempfile::TempDir,
    database_url: String,
}

impl Cli {
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let database_url = fresh_database(&dir).await;
        Cli { dir, database_url }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_homecoming"));
        command
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("HOMECOMING_ENV")
            .env("HOMECOMING__DATABASE__URL", &self.database_url)
            .env("HOMECOMING__LOG__LEVEL", "warn");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("the binary runs")
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[tokio::test]
async fn token_create_prints_a_secret_once_and_stores_only_its_hash() {
    let cli = Cli::new().await;
    let output = cli.run(&["token", "create", "--name", "laptop"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let printed = stdout(&output);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 1, "stdout holds the token alone: {printed:?}");
    let token = lines[0].to_string();
    assert!(
        token.starts_with("hc_") && token.len() >= 3 + 43,
        "256 random bits in base64url: {token}"
    );

    let app = spawn_app_on(cli.dir, cli.database_url).await;
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT name, token_hash FROM api_tokens WHERE name = 'laptop'",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let stored: String = rows[0].try_get("", "token_hash").unwrap();
    assert_ne!(stored, token);
    assert!(!stored.contains(&token[3..]), "the secret is not stored");

    let response = app
        .client
        .get(app.url("/api/v1/events"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "the printed token works");
}

#[tokio::test]
async fn tokens_are_listed_and_revoked() {
    let cli = Cli::new().await;
    let token = stdout(&cli.run(&["token", "create", "--name", "ci"]))
        .trim()
        .to_string();
    assert!(
        cli.run(&["token", "create", "--name", "other"])
            .status
            .success()
    );

    let duplicate = cli.run(&["token", "create", "--name", "ci"]);
    assert!(!duplicate.status.success());
    assert!(
        stderr(&duplicate).contains("already exists"),
        "{}",
        stderr(&duplicate)
    );

    let list = stdout(&cli.run(&["token", "list"]));
    let names: Vec<&str> = list
        .lines()
        .map(|line| line.split('\t').next().unwrap())
        .collect();
    assert_eq!(names, ["ci", "other"]);
    assert!(!list.contains(&token), "list never shows secrets");

    let revoke = cli.run(&["token", "revoke", "ci"]);
    assert!(revoke.status.success(), "{}", stderr(&revoke));
    let list = stdout(&cli.run(&["token", "list"]));
    assert!(!list.contains("ci\t"), "{list}");
    let again = cli.run(&["token", "revoke", "ci"]);
    assert!(!again.status.success(), "revoking an unknown token fails");

    let app = spawn_app_on(cli.dir, cli.database_url).await;
    let response = app
        .client
        .get(app.url("/api/v1/events"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    expect_problem(response, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn invalid_token_names_are_refused() {
    let cli = Cli::new().await;
    let output = cli.run(&["token", "create", "--name", "has space"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("invalid token name"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test]
async fn invalid_configuration_stops_start_up_naming_the_key() {
    let cli = Cli::new().await;
    let cases = [
        ("HOMECOMING__SERVER__PORT", "eighty", "server.port"),
        ("HOMECOMING__SERVER__PROT", "1", "prot"),
        ("HOMECOMING__LOG__FORMAT", "xml", "log.format"),
        (
            "HOMECOMING__DATABASE__URL",
            "mysql://localhost/x",
            "database.url",
        ),
    ];
    for (variable, value, key) in cases {
        let output = cli
            .command(&["migrate"])
            .env(variable, value)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{variable}={value}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(key),
            "{variable}={value} names {key}: {}",
            stderr(&output)
        );
    }
}

#[tokio::test]
async fn an_environment_file_overrides_the_defaults() {
    let cli = Cli::new().await;
    std::fs::create_dir(cli.dir.path().join("config")).unwrap();
    std::fs::write(
        cli.dir.path().join("config/staging.toml"),
        "[server]\nprot = 1\n",
    )
    .unwrap();
    let output = cli
        .command(&["migrate"])
        .env("HOMECOMING_ENV", "staging")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "the staging file was read: {}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("prot"));
}

#[tokio::test]
async fn migrate_creates_the_schema() {
    let cli = Cli::new().await;
    let output = cli.run(&["migrate"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let app = spawn_app_on(cli.dir, cli.database_url).await;
    for table in [
        "venues",
        "rooms",
        "speakers",
        "events",
        "talks",
        "talk_speakers",
        "api_tokens",
    ] {
        app.db
            .execute_unprepared(&format!("SELECT COUNT(*) FROM {table}"))
            .await
            .unwrap_or_else(|error| panic!("table {table}: {error}"));
    }
}

#[tokio::test]
async fn default_database_is_created_under_data() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_homecoming"))
        .arg("migrate")
        .current_dir(dir.path())
        .env_remove("HOMECOMING__DATABASE__URL")
        .env_remove("HOMECOMING_ENV")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(dir.path().join("data/homecoming.db").exists());
}

#[tokio::test]
async fn demo_loads_a_published_homecoming_once() {
    let cli = Cli::new().await;
    let first = cli.run(&["demo"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let second = cli.run(&["demo"]);
    assert!(
        second.status.success(),
        "running the demo twice is harmless"
    );
    assert_eq!(stdout(&first), stdout(&second));

    let app = spawn_app_on(cli.dir, cli.database_url).await;
    let response = app
        .client
        .get(app.url("/api/v1/public/events/1n-homecoming-demo"))
        .send()
        .await
        .unwrap();
    let event = expect_status(response, StatusCode::OK).await;
    assert_eq!(event["status"], "published");
    assert_eq!(event["speakers"].as_array().unwrap().len(), 6);
    assert!(event["venue"]["rooms"].as_array().unwrap().len() >= 2);
    let kinds: Vec<&str> = event["schedule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["kind"].as_str().unwrap())
        .collect();
    for kind in ["talk", "lightning", "panel", "networking", "break"] {
        assert!(
            kinds.contains(&kind),
            "the schedule has a {kind}: {kinds:?}"
        );
    }
    for speaker in event["speakers"].as_array().unwrap() {
        let name = speaker["name"].as_str().unwrap();
        assert!(
            name.chars().all(|c| ('가'..='힣').contains(&c)),
            "Korean name: {name}"
        );
        assert!(speaker["affiliation"].is_string() && speaker["admission_year"].is_number());
    }
    let venues = expect_status(app.get("/api/v1/venues").await, StatusCode::OK).await;
    assert_eq!(
        venues["items"].as_array().unwrap().len(),
        1,
        "one venue, not two"
    );
}

/// A `homecoming serve` process; killed when dropped, so a failing test leaves none behind.
struct Served {
    child: std::process::Child,
    base: String,
    stderr: Option<BufReader<std::process::ChildStderr>>,
}

impl Served {
    /// Starts `homecoming serve` on a free port and waits until it announces its address.
    fn start(cli: &Cli, extra_env: &[(&str, &str)]) -> Self {
        let mut command = cli.command(&["serve"]);
        command
            .env("HOMECOMING__SERVER__PORT", "0")
            .env("HOMECOMING__LOG__LEVEL", "info")
            .stderr(Stdio::piped())
            .stdout(Stdio::null());
        for (key, value) in extra_env {
            command.env(key, value);
        }
        let mut child = command.spawn().unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut served = Served {
            child,
            base: String::new(),
            stderr: None,
        };
        let mut line = String::new();
        loop {
            line.clear();
            assert!(
                stderr.read_line(&mut line).unwrap() > 0,
                "the server exited before serving"
            );
            if let Some(start) = line.find("http://127.0.0.1:") {
                let rest = &line[start..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || ":/.".contains(c)))
                    .unwrap_or(rest.len());
                served.base = rest[..end].to_string();
                served.stderr = Some(stderr);
                return served;
            }
        }
    }

    fn sigterm(&self) {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
    }

    fn wait(&mut self) -> std::process::ExitStatus {
        self.child.wait().unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn serve_applies_migrations_and_stops_gracefully_on_sigterm() {
    let cli = Cli::new().await;
    let token = stdout(&cli.run(&["token", "create", "--name", "ops"]))
        .trim()
        .to_string();
    let mut served = Served::start(&cli, &[]);
    let response = reqwest::get(format!("{}/ready", served.base))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    // A request in flight when SIGTERM arrives: headers and half the body are sent first.
    let body = r#"{"name": "302동", "address": "관악로 1"}"#.as_bytes();
    let address = served.base.trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    write!(
        stream,
        "POST /api/v1/venues HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(&body[..10]).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    served.sigterm();
    std::thread::sleep(std::time::Duration::from_millis(300));
    stream.write_all(&body[10..]).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(
        response.starts_with("HTTP/1.1 201"),
        "the in-flight request finished: {response}"
    );

    let status = served.wait();
    assert!(
        status.success(),
        "a SIGTERM stop is a clean exit: {status:?}"
    );
    let refused = std::net::TcpStream::connect(&address);
    assert!(refused.is_err(), "no new connections after shutdown");
}

#[tokio::test]
async fn json_logs_carry_the_request_id() {
    let cli = Cli::new().await;
    let mut served = Served::start(&cli, &[("HOMECOMING__LOG__FORMAT", "json")]);
    let response = reqwest::get(format!("{}/api/v1/events", served.base))
        .await
        .unwrap();
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    let secret = "NotARealManageTokenButSecret42";
    let manage = reqwest::get(format!("{}/registrations/{secret}", served.base))
        .await
        .unwrap();
    assert_eq!(manage.status(), StatusCode::NOT_FOUND);
    served.sigterm();
    served.wait();
    let lines: Vec<Value> = served
        .stderr
        .take()
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(&line.unwrap()).expect("every log line is JSON"))
        .collect();
    let about_request: Vec<&Value> = lines
        .iter()
        .filter(|line| line.to_string().contains(&request_id))
        .collect();
    assert!(
        !about_request.is_empty(),
        "the request's log lines name its id: {lines:?}"
    );
    assert!(
        about_request
            .iter()
            .all(|line| line["span"]["request_id"] == request_id.as_str())
    );
    assert!(
        lines.iter().all(|line| !line.to_string().contains(secret)),
        "manage tokens never reach the logs"
    );
}
