use homecoming::auth::{TokenName, create_token};
use homecoming::clock::Clock;
use homecoming::configuration::Settings;
use homecoming::startup::Application;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use uuid::Uuid;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub token: String,
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
    configure(&mut settings);
    let db = homecoming::db::connect(&settings.database)
        .await
        .expect("database connects");
    homecoming::db::migrate(&db)
        .await
        .expect("migrations apply");
    let token_name = format!("tests-{}", Uuid::new_v4().simple());
    let token = create_token(&db, &TokenName::parse(&token_name).unwrap())
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

    /// Creates a venue with two rooms, "Hall" and "Seminar".
    pub async fn create_venue(&self) -> Value {
        let response = self
            .post(
                "/api/v1/venues",
                &json!({
                    "name": "서울대학교 302동", "address": "서울특별시 관악구 관악로 1",
                    "map_url": "https://naver.me/example", "capacity": 150, "notes": "private parking note",
                    "rooms": [{"name": "Hall", "capacity": 120}, {"name": "Seminar", "capacity": 30}]
                }),
            )
            .await;
        expect_status(response, StatusCode::CREATED).await
    }

    pub async fn create_speaker(&self, name: &str) -> Value {
        let response = self
            .post(
                "/api/v1/speakers",
                &json!({
                    "name": name, "email": format!("{}@example.com", Uuid::new_v4().simple()),
                    "admission_year": 2012, "affiliation": "Toss", "job_title": "Engineer",
                    "bio": "결제 시스템을 만듭니다.", "tags": ["backend"]
                }),
            )
            .await;
        expect_status(response, StatusCode::CREATED).await
    }

    /// Creates a draft event on 2026-05-16, 13:00 to 18:00 in Seoul, at `venue_id`.
    pub async fn create_event(&self, venue_id: Option<&str>) -> Value {
        let response = self
            .post(
                "/api/v1/events",
                &json!({
                    "title": "1&N 홈커밍 2026",
                    "starts_at": "2026-05-16T13:00:00+09:00", "ends_at": "2026-05-16T18:00:00+09:00",
                    "venue_id": venue_id, "capacity": 100, "tags": ["career"]
                }),
            )
            .await;
        expect_status(response, StatusCode::CREATED).await
    }

    /// A second instance of the service on the same database, as behind a load balancer.
    pub async fn second_instance(&self) -> TestApp {
        let dir = tempfile::tempdir().expect("a temporary folder");
        spawn_app_on(dir, self.database_url.clone()).await
    }

    /// A published event in the future, open for registration, with `capacity` seats.
    pub async fn open_event(&self, capacity: u32, extra: Value) -> Value {
        let venue = self.create_venue().await;
        let mut body = json!({
            "title": format!("1&N 홈커밍 {}", Uuid::new_v4().simple()),
            "starts_at": "2030-05-18T13:00:00+09:00", "ends_at": "2030-05-18T19:00:00+09:00",
            "venue_id": venue["id"], "capacity": capacity, "tags": ["career", "ai", "backend"]
        });
        for (key, value) in extra.as_object().cloned().unwrap_or_default() {
            body[key] = value;
        }
        let event = expect_status(
            self.post("/api/v1/events", &body).await,
            StatusCode::CREATED,
        )
        .await;
        let path = format!("/api/v1/events/{}", event["id"].as_str().unwrap());
        expect_status(
            self.patch(&path, &json!({"status": "published"})).await,
            StatusCode::OK,
        )
        .await
    }

    /// Registers without a token, as the public does.
    pub async fn register(&self, event_id: &str, body: &Value) -> Response {
        self.client
            .post(self.url(&format!("/api/v1/events/{event_id}/registrations")))
            .json(body)
            .send()
            .await
            .expect("request is sent")
    }

    pub async fn create_talk(&self, event_id: &str, body: &Value) -> Response {
        self.post(&format!("/api/v1/events/{event_id}/talks"), body)
            .await
    }
}

/// Asserts the status and returns the JSON body, printing the body when the status is wrong.
pub async fn expect_status(response: Response, status: StatusCode) -> Value {
    let actual = response.status();
    let text = response.text().await.expect("a body");
    assert_eq!(actual, status, "unexpected status; body: {text}");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).expect("a JSON body")
    }
}

/// Asserts a problem+json answer with this status and returns the problem.
pub async fn expect_problem(response: Response, status: StatusCode) -> Value {
    let content_type = response
        .headers()
        .get("content-type")
        .map(|value| value.to_str().unwrap().to_string())
        .unwrap_or_default();
    let problem = expect_status(response, status).await;
    assert_eq!(
        content_type, "application/problem+json",
        "problem: {problem}"
    );
    assert_eq!(problem["status"], status.as_u16(), "{problem}");
    assert!(
        problem["type"].is_string() && problem["title"].is_string(),
        "{problem}"
    );
    problem
}

/// The fields named by a validation problem.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["field"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

pub fn id(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_string()
}
