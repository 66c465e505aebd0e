//! Organizer tokens from the command line: created with the secret shown once, listed,
//! revoked, and refused with a bad name.

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::cli::{Cli, stderr, stdout};
use crate::helpers::{expect_problem, spawn_app_on};

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
async fn a_token_made_with_organizer_is_tied_to_that_organizer() {
    let cli = Cli::new().await;
    let added = cli.run(&[
        "organizer",
        "add",
        "--email",
        "Lead@Example.com",
        "--name",
        "김운영",
    ]);
    assert!(added.status.success(), "{}", stderr(&added));
    let made = cli.run(&[
        "token",
        "create",
        "--name",
        "deploy",
        "--organizer",
        "lead@example.com",
    ]);
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(
        cli.run(&["token", "create", "--name", "cron"])
            .status
            .success()
    );

    let list = stdout(&cli.run(&["token", "list"]));
    let owners: Vec<(&str, &str)> = list
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            (fields[0], fields[2])
        })
        .collect();
    assert_eq!(owners, [("cron", "-"), ("deploy", "lead@example.com")]);

    let unknown = cli.run(&[
        "token",
        "create",
        "--name",
        "stray",
        "--organizer",
        "nobody@example.com",
    ]);
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains("no organizer"),
        "{}",
        stderr(&unknown)
    );
    let list = stdout(&cli.run(&["token", "list"]));
    assert!(
        !list.contains("stray"),
        "nothing made for an unknown organizer: {list}"
    );
}
