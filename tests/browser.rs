//! A real browser on the registration pages: headless Chromium driven over WebDriver
//! (chromedriver) opens the event page in Korean, registers, sends an invalid email, sees the
//! inline error beside the email field with the rest of the input kept, corrects it and
//! reaches the confirmation page.
//!
//! It also opens Swagger UI and a table plan under their Content-Security-Policies, which
//! only a browser enforces.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Without them
//! each test prints "skipped: no browser" and passes, so `cargo test` works with only Rust;
//! with `HOMECOMING_REQUIRE_BROWSER=1` (which `.ci/run` sets) a missing browser fails instead.
//! Other binaries can be named with `CHROMIUM` and `CHROMEDRIVER`.

#[allow(dead_code, unused_imports)]
#[path = "api/helpers/mod.rs"]
mod helpers;

use std::net::TcpListener;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;
use hyper_util::client::legacy::connect::HttpConnector;
use reqwest::StatusCode;
use serde_json::json;

use helpers::{TestApp, expect_status, id, spawn_app};

fn binary(variable: &str, default: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(std::env::var(variable).unwrap_or_else(|_| default.to_string()));
    if path.exists() {
        Ok(path)
    } else {
        Err(format!(
            "{} not found: the browser tests need Debian's chromium and chromium-driver \
             (apt-get install -y chromium chromium-driver; .ci/run installs them), or set {variable}",
            path.display()
        ))
    }
}

/// Chromium and chromedriver; `None` when they are missing and the browser is not required.
fn browser_binaries() -> Option<(PathBuf, PathBuf)> {
    match (
        binary("CHROMIUM", "/usr/bin/chromium"),
        binary("CHROMEDRIVER", "/usr/bin/chromedriver"),
    ) {
        (Ok(chromium), Ok(chromedriver)) => Some((chromium, chromedriver)),
        (Err(missing), _) | (_, Err(missing)) => {
            let required = std::env::var("HOMECOMING_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
            assert!(!required, "{missing} (HOMECOMING_REQUIRE_BROWSER=1)");
            eprintln!("skipped: no browser ({missing})");
            None
        }
    }
}

/// Runs `steps` in a fresh headless Chromium, then closes it whatever happened; does nothing
/// when there is no browser to run (see [`browser_binaries`]).
async fn in_browser<F>(steps: impl FnOnce(Client) -> F)
where
    F: std::future::Future<Output = ()>,
{
    let Some((chromium, chromedriver)) = browser_binaries() else {
        return;
    };
    let driver = Driver::start(&chromedriver).await;
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver, &chromium, &profile).await;
    let outcome = AssertUnwindSafe(steps(client.clone())).catch_unwind().await;
    // Whatever happened, end the session so chromedriver closes Chromium.
    client.close().await.ok();
    driver.stop().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// chromedriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    async fn start(chromedriver: &PathBuf) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", chromedriver.display()));
        let driver = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        let client = reqwest::Client::new();
        loop {
            let ready = client
                .get(format!("{}/status", driver.url))
                .send()
                .await
                .is_ok_and(|response| response.status().is_success());
            if ready {
                return driver;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "chromedriver did not start within 30 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Driver {
    /// Asks chromedriver to quit (it closes what it started), then makes sure it did.
    async fn stop(mut self) {
        let _ = reqwest::get(format!("{}/shutdown", self.url)).await;
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn browser(driver: &Driver, chromium: &PathBuf, profile: &tempfile::TempDir) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
                format!("--user-data-dir={}", profile.path().display()),
                "--lang=ko-KR", "--window-size=412,915",
            ],
            // A Korean browser: the page must come up in Korean without ?lang=.
            "prefs": {"intl.accept_languages": "ko-KR,ko"},
        }),
    );
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a Chromium session through chromedriver")
}

/// A published event in 2030 with a speaker, a talk and a required question.
async fn published_event(app: &TestApp) -> String {
    let venue = app.create_venue().await;
    let hall = venue["rooms"][0]["id"].as_str().unwrap().to_string();
    let speaker = app.create_speaker("김서연").await;
    let event = app
        .post(
            "/api/v1/events",
            &json!({
                "title": "1&N 홈커밍 2030", "slug": "homecoming-2030",
                "starts_at": "2030-05-18T13:00:00+09:00", "ends_at": "2030-05-18T18:00:00+09:00",
                "venue_id": id(&venue), "capacity": 50, "tags": ["career", "backend"]
            }),
        )
        .await;
    let event_id = id(&expect_status(event, StatusCode::CREATED).await);
    let talk = app
        .create_talk(
            &event_id,
            &json!({
                "title": "신입 개발자로 살아남기", "speaker_ids": [id(&speaker)], "room_id": hall,
                "starts_at": "2030-05-18T13:20:00+09:00", "ends_at": "2030-05-18T13:40:00+09:00"
            }),
        )
        .await;
    expect_status(talk, StatusCode::CREATED).await;
    let question = app
        .post(
            &format!("/api/v1/events/{event_id}/questions"),
            &json!({"label": "하고 싶은 이야기", "kind": "text", "required": true}),
        )
        .await;
    expect_status(question, StatusCode::CREATED).await;
    let published = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            &json!({"status": "published"}),
        )
        .await;
    expect_status(published, StatusCode::OK).await;
    "homecoming-2030".into()
}

async fn value(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|error| panic!("no {css}: {error}"))
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// The text of the first element matching `css`, waiting for it to appear. A page that is
/// still being replaced after a click can hand out an element that goes stale at once: then
/// look again.
async fn text(client: &Client, css: &str) -> String {
    for _ in 0..50 {
        let element = client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|error| panic!("no {css}: {error}"));
        match element.text().await {
            Ok(text) => return text,
            Err(fantoccini::error::CmdError::Standard(error))
                if error.error == fantoccini::error::ErrorStatus::StaleElementReference =>
            {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(error) => panic!("cannot read {css}: {error}"),
        }
    }
    panic!("{css} kept going stale")
}

async fn type_into(client: &Client, css: &str, input: &str) {
    let element = client.find(Locator::Css(css)).await.unwrap();
    element.clear().await.unwrap();
    element.send_keys(input).await.unwrap();
}

async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|error| panic!("no {css}: {error}"))
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_person_registers_in_korean_through_a_real_browser() {
    let app = spawn_app().await;
    let slug = published_event(&app).await;
    in_browser(|client| async move { run(&client, &app, &slug).await }).await;
}

#[tokio::test]
async fn swagger_ui_runs_under_its_content_security_policy() {
    let app = spawn_app().await;
    in_browser(|client| async move {
        client.goto(&app.url("/api/docs/")).await.unwrap();
        // The title comes from the OpenAPI document, which Swagger UI's own scripts fetch and
        // render: nothing of it shows if the policy blocks a script or the fetch.
        let title = text(&client, ".swagger-ui .info .title").await;
        assert!(title.starts_with("homecoming"), "{title}");
        assert!(
            text(&client, ".swagger-ui")
                .await
                .contains("/api/v1/venues"),
            "the operations are listed"
        );
    })
    .await;
}

#[tokio::test]
async fn the_table_plan_is_styled_under_its_content_security_policy() {
    let app = spawn_app().await;
    let event = app.open_event(20, json!({})).await;
    for n in 0..6 {
        let body = json!({"name": format!("사람{n}"), "email": format!("p{n}@example.com"), "role": "student", "consent_share": true});
        expect_status(app.register(&id(&event), &body).await, StatusCode::CREATED).await;
    }
    let session = expect_status(
        app.post(
            &format!("/api/v1/events/{}/networking-sessions", id(&event)),
            &json!({"rounds": 2, "table_size": 3}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let plan_url = session["plan_url"].as_str().unwrap();
    let plan_path = &plan_url[plan_url.find("/plans/").unwrap()..];
    let plan_url = app.url(plan_path);
    in_browser(|client| async move {
        client.goto(&plan_url).await.unwrap();
        text(&client, "h1").await;
        // 3rem from the plan's inline style sheet: only applied if the policy allows it.
        let size = client
            .execute(
                "return getComputedStyle(document.querySelector('h1')).fontSize",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(size, json!("48px"));
    })
    .await;
}

async fn run(client: &Client, app: &TestApp, slug: &str) {
    // The event page, in Korean because the browser prefers it.
    client
        .goto(&app.url(&format!("/events/{slug}")))
        .await
        .unwrap();
    assert_eq!(text(client, "h1").await, "1&N 홈커밍 2030");
    let lang = client
        .find(Locator::Css("html"))
        .await
        .unwrap()
        .attr("lang")
        .await
        .unwrap();
    assert_eq!(lang.as_deref(), Some("ko"));
    assert!(
        text(client, "main")
            .await
            .contains("신입 개발자로 살아남기")
    );
    assert_eq!(text(client, "#register").await, "참가 신청하기");
    click(client, "#register").await;

    // The form: everything filled in, but the email is wrong.
    text(client, "#form").await;
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/register")
    );
    type_into(client, "#f-name", "이민지").await;
    type_into(client, "#f-email", "minji-at-example.com").await;
    client
        .find(Locator::Css("#f-role"))
        .await
        .unwrap()
        .select_by_value("alumni")
        .await
        .unwrap();
    type_into(client, "#f-admission_year", "2019").await;
    type_into(client, "#f-affiliation", "Toss").await;
    click(client, "#f-interests-0").await;
    click(client, "#f-goals-0").await;
    click(client, "#f-speakers-0").await;
    click(client, "#f-consent_share").await;
    type_into(client, "#f-q0", "커리어 이야기를 나누고 싶어요").await;
    click(client, "#submit").await;

    // The inline error beside the email field, the rest as it was typed.
    let error = text(client, "#f-email-error").await;
    assert!(
        error.contains("name@example.com 형식의 이메일 주소를 입력해 주세요."),
        "{error}"
    );
    let beside = client
        .find(Locator::XPath(
            "//input[@id='f-email']/ancestor::div[contains(@class,'field')]//p[@id='f-email-error']",
        ))
        .await;
    assert!(beside.is_ok(), "the error is in the email field's block");
    let email = client.find(Locator::Css("#f-email")).await.unwrap();
    assert_eq!(
        email.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    assert!(
        text(client, ".summary")
            .await
            .contains("입력 내용을 확인해 주세요")
    );
    assert_eq!(value(client, "#f-name").await, "이민지");
    assert_eq!(value(client, "#f-email").await, "minji-at-example.com");
    assert_eq!(value(client, "#f-role").await, "alumni");
    assert_eq!(value(client, "#f-admission_year").await, "2019");
    assert_eq!(value(client, "#f-affiliation").await, "Toss");
    assert_eq!(
        value(client, "#f-q0").await,
        "커리어 이야기를 나누고 싶어요"
    );
    for checked in [
        "#f-interests-0",
        "#f-goals-0",
        "#f-speakers-0",
        "#f-consent_share",
    ] {
        let element = client.find(Locator::Css(checked)).await.unwrap();
        assert!(
            element.is_selected().await.unwrap(),
            "{checked} stays checked"
        );
    }
    let unchecked = client.find(Locator::Css("#f-interests-1")).await.unwrap();
    assert!(!unchecked.is_selected().await.unwrap());

    // Corrected, it goes through.
    type_into(client, "#f-email", "minji@example.com").await;
    click(client, "#submit").await;
    // `#outcome` exists only on the confirmation page: once it is there, so is the new h1.
    let outcome = text(client, "#outcome").await;
    assert!(outcome.contains("자리가 확정되었습니다"), "{outcome}");
    let heading = text(client, "h1").await;
    assert!(heading.starts_with("참가가 확정되었습니다"), "{heading}");
    assert!(text(client, "#manage").await.contains("개인 관리 링크"));
    let link = client.find(Locator::Css("#manage-link")).await.unwrap();
    let shown = link.text().await.unwrap();
    assert!(
        shown.starts_with("http://127.0.0.1:8080/registrations/"),
        "{shown}"
    );
    let token = shown.rsplit('/').next().unwrap().to_string();
    assert!(token.len() >= 22, "a long random token: {token}");

    // The link leads to the person's page, still in Korean.
    link.click().await.unwrap();
    assert_eq!(text(client, "#status").await, "참가 확정");
    assert!(!text(client, "#checkin-code").await.is_empty());
    let path = client.current_url().await.unwrap().path().to_string();
    assert_eq!(path, format!("/registrations/{token}"));
}
