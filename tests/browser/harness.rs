//! Starting chromedriver and a headless Chromium, and the small steps every browser test uses.

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

use crate::helpers::{TestApp, expect_status, id};

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
pub async fn in_browser<F>(steps: impl FnOnce(Client) -> F)
where
    F: std::future::Future<Output = ()>,
{
    in_browser_with(&[], steps).await;
}

/// [`in_browser`] with Chromium started with `extra` switches as well (a fake camera, say).
pub async fn in_browser_with<F>(extra: &[String], steps: impl FnOnce(Client) -> F)
where
    F: std::future::Future<Output = ()>,
{
    let Some((chromium, chromedriver)) = browser_binaries() else {
        return;
    };
    let driver = Driver::start(&chromedriver).await;
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver, &chromium, &profile, extra).await;
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

async fn browser(
    driver: &Driver,
    chromium: &PathBuf,
    profile: &tempfile::TempDir,
    extra: &[String],
) -> Client {
    let mut args = vec![
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--no-first-run".into(),
        format!("--user-data-dir={}", profile.path().display()),
        "--lang=ko-KR".into(),
        "--window-size=412,915".into(),
    ];
    args.extend_from_slice(extra);
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": args,
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
pub async fn published_event(app: &TestApp) -> String {
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

pub async fn value(client: &Client, css: &str) -> String {
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
pub async fn text(client: &Client, css: &str) -> String {
    for _ in 0..50 {
        let element = client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|error| panic!("no {css}: {error}"));
        match element.text().await {
            Ok(text) => return text,
            Err(fantoccini::error::CmdError::Standard(error)) if went_stale(&error) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(error) => panic!("cannot read {css}: {error}"),
        }
    }
    panic!("{css} kept going stale")
}

/// Chrome reports an element of a replaced page either as stale or, when the replacement
/// lands mid-command, as an inspector error about a node outside the document.
fn went_stale(error: &fantoccini::error::WebDriver) -> bool {
    error.error == fantoccini::error::ErrorStatus::StaleElementReference
        || error.message.contains("does not belong to the document")
}

pub async fn type_into(client: &Client, css: &str, input: &str) {
    let element = client.find(Locator::Css(css)).await.unwrap();
    element.clear().await.unwrap();
    element.send_keys(input).await.unwrap();
}

pub async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|error| panic!("no {css}: {error}"))
        .click()
        .await
        .unwrap();
}

/// Clicks a control that loads a new page and returns once the old page is gone, so that the
/// next read cannot find an element of the page the click left (both pages may have a `h1`
/// or a notice).
pub async fn click_through(client: &Client, css: &str) {
    let old_page = client.find(Locator::Css("html")).await.unwrap();
    click(client, css).await;
    for _ in 0..200 {
        if old_page.tag_name().await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("clicking {css} did not load a new page");
}
