//! Setting the service up: configuration errors stop start-up naming the key, an environment
//! file overrides the defaults, migrations create the schema (by default in `data/`), and the
//! demo loads once.

use std::process::Command;

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;

use crate::helpers::cli::{Cli, stderr, stdout};
use crate::helpers::{expect_status, spawn_app_on};

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
