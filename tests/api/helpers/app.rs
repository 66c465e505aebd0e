//! The app under test: the real server on a random port against a fresh database, and a
//! client that sends the organizer token.

use homecoming::auth::{TokenName, create_token};
use homecoming::clock::Clock;
use homecoming::configuration::Settings;
use homecoming::startup::Application;
use reqwest::{Method, RequestBuilder, Response};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::Value;
use uuid::Uuid;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub token: String,
    /// The organizer the token belongs to, whom `console()` signs in.
    pub organizer: homecoming::organizers::Organizer,
    pub db: DatabaseConnection,
    pub database_url: String,
    /// What the scheduler takes for now: it stands still until a test moves it.
    pub clock: Clock,
    _dir: tempfile::TempDir,
}

/// A fresh, migrated database: a SQLite file in a temporary folder, or a new PostgreSQL
/// database next to TEST_DATABASE_URL's.
pub async fn fresh_database(dir: &tempfile::TempDir) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!("hc_test_{}", Uuid::new_v4().simple());
            let admin = Database::connect(&admin_url)
                .await
                .expect("TEST_DATABASE_URL is reachable");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("can create a test database");
            admin.close().await.ok();
            let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
            url.set_path(&name);
            url.to_string()
        }
        _ => format!("sqlite://{}/test.db?mode=rwc", dir.path().display()),
    }
}

pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let database_url = fresh_database(&dir).await;
    spawn_app_on(dir, database_url).await
}

/// Starts the app on an existing database (e.g. one the command line has written to).
pub async fn spawn_app_on(dir: tempfile::TempDir, database_url: String) -> TestApp {
    spawn_app_configured(dir, database_url, |_| {}).await
}

/// Starts the app with settings changed by `configure` (after the test defaults: emails go to
/// `.eml` files in the test's own folder).
pub async fn spawn_app_configured(
    dir: tempfile::TempDir,
    database_url: String,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let mut settings = Settings::defaults().expect("built-in defaults are valid");
    settings.server.port = 0;
    settings.server.max_body_bytes = 64 * 1024;
    settings.database.url = database_url.clone();
    settings.email.file_dir = dir.path().join("outbox");
    // Every test client is 127.0.0.1: the per-address limits are off unless a test of them
    // turns them on.
    settings.limits.registrations_per_minute = 0;
    settings.limits.failed_token_attempts_per_minute = 0;
    configure(&mut settings);
    let db = homecoming::db::connect(&settings.database)
        .await
        .expect("database connects");
    homecoming::db::migrate(&db)
        .await
        .expect("migrations apply");
    // The organizer the tests act as: the API token is theirs, and `console()` signs them in.
    let organizer = homecoming::organizers::store::add(
        &db,
        homecoming::domain::EmailAddress::parse(&format!(
            "organizer-{}@example.com",
            Uuid::new_v4().simple()
        ))
        .unwrap(),
        &homecoming::domain::Text::parse("테스트 운영자").unwrap(),
        None,
        chrono::Utc::now(),
    )
    .await
    .expect("an organizer");
    let token_name = format!("tests-{}", Uuid::new_v4().simple());
    let token = create_token(
        &db,
        &TokenName::parse(&token_name).unwrap(),
        Some(organizer.id),
    )
    .await
    .expect("token");
    // As in production: instances on one database share the form-signing key.
    let clock = Clock::manual(chrono::Utc::now());
    let app = Application::build_with_clock(&settings, db.clone(), clock.clone())
        .await
        .expect("server builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::new(),
        token,
        organizer,
        db,
        database_url,
        clock,
        _dir: dir,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// A request with the organizer token.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, self.url(path))
            .bearer_auth(&self.token)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path)
            .send()
            .await
            .expect("request is sent")
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.request(Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("request is sent")
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Response {
        self.request(Method::PATCH, path)
            .json(body)
            .send()
            .await
            .expect("request is sent")
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.request(Method::DELETE, path)
            .send()
            .await
            .expect("request is sent")
    }

    /// A second instance of the service on the same database, as behind a load balancer.
    pub async fn second_instance(&self) -> TestApp {
        let dir = tempfile::tempdir().expect("a temporary folder");
        spawn_app_on(dir, self.database_url.clone()).await
    }
}
