//! The table plan on the room's screens: 100 people at 17 tables of 6 for 3 rounds, on a
//! 1920×1080 and a 1280×720 screen. Each round's tables and its name index are wholly on the
//! screen with nothing spilling out of a box and nothing to scroll; the index names everyone
//! once per round with their table; `?lang=en` gives English headings. Printed (A4 landscape),
//! the tables and the index take one page per round, and the cards one page per table.

use fantoccini::Client;
use fantoccini::wd::{PrintConfiguration, PrintOrientation, WebDriverCompatibleCommand};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{in_browser, text};
use crate::helpers::networking::{create_session, register_attendees};
use crate::helpers::{TestApp, expect_status, id, spawn_app};

const SURNAMES: [&str; 10] = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"];
const GIVEN: [&str; 10] = [
    "민준", "서연", "지호", "하은", "도윤", "서윤", "예준", "지우", "시우", "수아",
];
/// Long ones too: they must end in an ellipsis, not wrap into what looks like another name.
const AFFILIATIONS: [&str; 5] = [
    "Toss",
    "한국과학기술원 전산학부 소프트웨어공학 연구실",
    "Very Long Company Name International Holdings",
    "카카오",
    "",
];

/// Moves the window until the page itself (without any browser chrome) is `width` × `height`.
/// A resize may land after the next read of the page's size, so it is measured again until
/// it holds (a few rounds at most).
async fn viewport(client: &Client, width: u32, height: u32) {
    client.set_window_size(width, height).await.unwrap();
    for _ in 0..20 {
        let inner = inner_size(client).await;
        if inner == (width, height) {
            return;
        }
        let (outer_width, outer_height) = client.get_window_size().await.unwrap();
        let fit = |outer: u64, want: u32, got: u32| {
            u32::try_from(outer as i64 + i64::from(want) - i64::from(got)).unwrap()
        };
        client
            .set_window_size(
                fit(outer_width, width, inner.0),
                fit(outer_height, height, inner.1),
            )
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(inner_size(client).await, (width, height));
}

async fn inner_size(client: &Client) -> (u32, u32) {
    let size = client
        .execute("return [innerWidth, innerHeight]", vec![])
        .await
        .unwrap();
    (
        size[0].as_u64().unwrap() as u32,
        size[1].as_u64().unwrap() as u32,
    )
}

/// What is off the screen or out of its box, among `boxes` (a CSS selector) of the round on
/// screen, and the page's scroll size.
const MEASURE: &str = r#"
const [selector] = arguments;
const screen = {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
const inside = (r, b) => r.left >= b.left - 0.5 && r.top >= b.top - 0.5
    && r.right <= b.right + 0.5 && r.bottom <= b.bottom + 0.5;
const shown = r => r.width > 0 || r.height > 0;
const describe = el => `${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 40)}"`;
const offScreen = [...document.body.querySelectorAll('*')]
    .filter(el => shown(el.getBoundingClientRect()) && !inside(el.getBoundingClientRect(), screen))
    .map(describe);
const boxes = [...document.querySelectorAll(selector)];
const spilled = boxes.flatMap(box => [...box.querySelectorAll('*')]
    .filter(el => shown(el.getBoundingClientRect())
        && !inside(el.getBoundingClientRect(), box.getBoundingClientRect()))
    .map(describe));
return {
    boxes: boxes.length, offScreen, spilled,
    scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
    font: parseFloat(getComputedStyle(document.querySelector('.round.current .name')).fontSize),
};
"#;

/// The `(name, table)` lines of the index on screen, sorted.
const INDEX_LINES: &str = r#"
return [...document.querySelectorAll('.round.current .index li')].map(li =>
    [li.querySelector('.name').textContent, li.querySelector('.number').textContent]);
"#;

#[tokio::test]
async fn a_hundred_people_at_seventeen_tables_fit_1080p_and_720p_screens() {
    let app = spawn_app().await;
    let event = app.open_event(120, json!({})).await;
    for n in 0..100 {
        let affiliation = AFFILIATIONS[n % AFFILIATIONS.len()];
        let body = json!({
            "name": format!("{}{}", SURNAMES[n % 10], GIVEN[n / 10]),
            "email": format!("p{n}@example.com"), "role": "alumni", "consent_share": true,
            "affiliation": (!affiliation.is_empty()).then_some(affiliation),
        });
        expect_status(app.register(&id(&event), &body).await, StatusCode::CREATED).await;
    }
    let session = create_session(
        &app,
        &event,
        json!({"title": "네트워킹 1부", "rounds": 3, "table_size": 6, "time_limit_ms": 500}),
    )
    .await;
    let rounds = session["rounds"].as_array().unwrap().clone();
    assert!(
        rounds
            .iter()
            .all(|r| r["tables"].as_array().unwrap().len() == 17)
    );
    let plan = plan_address(&app, &session);

    in_browser(|client| async move {
        for (width, height) in [(1920, 1080), (1280, 720)] {
            viewport(&client, width, height).await;
            for (round, seating) in rounds.iter().enumerate().map(|(i, r)| (i + 1, r)) {
                for (view, boxes, count) in [
                    ("tables", ".round.current .table", 17),
                    ("index", ".round.current .index li", 100),
                ] {
                    let url = format!("{plan}?view={view}&round={round}");
                    client.goto(&url).await.unwrap();
                    text(&client, "h1").await;
                    let seen = client.execute(MEASURE, vec![json!(boxes)]).await.unwrap();
                    let at = format!("{view} of round {round} at {width}×{height}: {seen}");
                    assert_eq!(seen["boxes"], count, "{at}");
                    assert_eq!(seen["offScreen"], json!([]), "{at}");
                    assert_eq!(seen["spilled"], json!([]), "{at}");
                    assert_eq!(seen["scroll"], json!([width, height]), "nothing to scroll: {at}");
                    let font = seen["font"].as_f64().unwrap();
                    assert!(font >= 14.0, "names readable from the back: {at}");
                }
                let mut lines: Vec<(String, String)> =
                    serde_json::from_value(client.execute(INDEX_LINES, vec![]).await.unwrap())
                        .unwrap();
                lines.sort();
                assert_eq!(lines, seated(seating), "the index of round {round}");
            }
        }

        client
            .goto(&format!("{plan}?lang=en&round=2"))
            .await
            .unwrap();
        assert_eq!(text(&client, "h1").await, "네트워킹 1부 · Round 2 of 3");
        assert_eq!(text(&client, ".round.current .table h3").await, "Table 1");
        let label = client
            .execute(
                "return document.querySelectorAll('.round.current .table')[4].getAttribute('aria-label')",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(label, json!("Round 2 of 3 · Table 5"));
        client
            .goto(&format!("{plan}?lang=en&view=index&round=3"))
            .await
            .unwrap();
        assert_eq!(
            text(&client, "h1").await,
            "네트워킹 1부 · Round 3 of 3 · Find your name (A–Z)"
        );
    })
    .await;
}

/// The session's plan on the test server.
fn plan_address(app: &TestApp, session: &Value) -> String {
    let url = session["plan_url"].as_str().unwrap();
    app.url(&url[url.find("/plans/").unwrap()..])
}

/// A round's `(name, table)` pairs as the API seats them, sorted.
fn seated(round: &Value) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = round["tables"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|table| {
            table["seats"].as_array().unwrap().iter().map(|seat| {
                (
                    seat["name"].as_str().unwrap().to_string(),
                    table["number"].to_string(),
                )
            })
        })
        .collect();
    pairs.sort();
    pairs
}

/// A Chromium DevTools command through chromedriver (here: lay the page out as printed).
#[derive(Debug)]
struct DevTools(Value);

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (reqwest::Method, Option<String>) {
        (reqwest::Method::POST, Some(self.0.to_string()))
    }
}

/// Each round as laid out for print: its height in mm, its page break, its heading if shown,
/// and what spills out of it or of its boxes.
const PRINTED_ROUNDS: &str = r#"
const mm = 96 / 25.4;
const inside = (r, b) => r.left >= b.left - 0.5 && r.top >= b.top - 0.5
    && r.right <= b.right + 0.5 && r.bottom <= b.bottom + 0.5;
return [...document.querySelectorAll('.round')].map(round => {
    const box = round.getBoundingClientRect();
    const h2 = round.querySelector('h2');
    // Each element inside its nearest box: a table, an index line or the round.
    const spilled = [...round.querySelectorAll('*')].filter(el => {
        const r = el.getBoundingClientRect();
        const container = el.parentElement.closest('.table, li, .round');
        return (r.width > 0 || r.height > 0) && !inside(r, container.getBoundingClientRect());
    }).length;
    return {
        height: box.height / mm, breakBefore: getComputedStyle(round).breakBefore,
        heading: h2.getBoundingClientRect().height > 0 ? h2.textContent : null,
        headingAtTop: Math.abs(h2.getBoundingClientRect().top - box.top) < 1,
        bar: document.querySelector('.bar').getBoundingClientRect().height, spilled,
    };
});
"#;

/// The pages of a PDF as Chromium writes them (one uncompressed page object each).
fn pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

#[tokio::test]
async fn printing_gives_a_page_per_round_and_a_card_per_table() {
    let app = spawn_app().await;
    let event = app.open_event(50, json!({})).await;
    register_attendees(&app, &event, 12, true).await;
    let session = create_session(
        &app,
        &event,
        json!({"rounds": 3, "table_size": 4, "time_limit_ms": 300}),
    )
    .await;
    let tables = session["rounds"][0]["tables"].as_array().unwrap().len();
    let plan = plan_address(&app, &session);
    in_browser(|client| async move {
        for (query, expected) in [
            ("?round=2", 3),
            ("?view=index&round=3", 3),
            ("?view=cards", tables),
        ] {
            client.goto(&format!("{plan}{query}")).await.unwrap();
            text(&client, "h1").await;
            let landscape = PrintConfiguration::builder()
                .orientation(PrintOrientation::Landscape)
                .shrink_to_fit(false)
                .build()
                .unwrap();
            let pdf = client.print(landscape).await.unwrap();
            assert_eq!(pages(&pdf), expected, "{query}");
        }

        // Page count alone would not show where the pages break: lay the views out for print
        // and look at each round.
        let print = json!({"cmd": "Emulation.setEmulatedMedia", "params": {"media": "print"}});
        client.issue_cmd(DevTools(print)).await.unwrap();
        for (query, words) in [
            ("?round=2", ""),
            ("?view=index&round=3", " · 이름으로 찾기 (가나다순)"),
        ] {
            client.goto(&format!("{plan}{query}")).await.unwrap();
            let rounds = client.execute(PRINTED_ROUNDS, vec![]).await.unwrap();
            let rounds = rounds.as_array().unwrap();
            assert_eq!(rounds.len(), 3, "{query}");
            for (index, round) in rounds.iter().enumerate() {
                let at = format!("{query}, round {}: {round}", index + 1);
                let heading = format!("Networking · 라운드 {} / 3{words}", index + 1);
                assert_eq!(round["heading"], json!(heading), "{at}");
                assert_eq!(round["headingAtTop"], json!(true), "{at}");
                let brk = if index == 0 { "auto" } else { "page" };
                assert_eq!(round["breakBefore"], json!(brk), "{at}");
                // A4 landscape less 10 mm margins is 190 mm high.
                assert!(round["height"].as_f64().unwrap() <= 190.0, "{at}");
                assert_eq!(round["spilled"], json!(0), "{at}");
                assert_eq!(
                    round["bar"],
                    json!(0),
                    "no screen navigation on paper: {at}"
                );
            }
        }
    })
    .await;
}
