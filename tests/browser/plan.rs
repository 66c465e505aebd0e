//! The table plan on the room's screens: 100 people at 17 tables of 6 for 3 rounds, on a
//! 1920×1080 and a 1280×720 screen. Each round's tables and its name index are wholly on the
//! screen with nothing spilling out of a box and nothing to scroll; the index names everyone
//! once per round with their table; `?lang=en` gives English headings.

use fantoccini::Client;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{in_browser, text};
use crate::helpers::networking::create_session;
use crate::helpers::{expect_status, id, spawn_app};

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
async fn viewport(client: &Client, width: u32, height: u32) {
    client.set_window_size(width, height).await.unwrap();
    let inner = inner_size(client).await;
    client
        .set_window_size(2 * width - inner.0, 2 * height - inner.1)
        .await
        .unwrap();
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
    let plan_url = session["plan_url"].as_str().unwrap();
    let plan = app.url(&plan_url[plan_url.find("/plans/").unwrap()..]);

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
