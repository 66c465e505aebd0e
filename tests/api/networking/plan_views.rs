//! The room plan's views: Korean by default and English when asked, every round on its own
//! section (one printed page each), the name index of each round, the table cards, and a page
//! that says so for a round or view the plan does not have.

use base64::Engine;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::networking::{create_session, register_attendee, register_attendees};
use crate::helpers::{TestApp, spawn_app};

/// `people` numbered attendees and the named ones, seated at tables of four.
async fn plan(app: &TestApp, people: usize, named: &[&str], rounds: usize) -> (String, Value) {
    let event = app.open_event(50, json!({})).await;
    register_attendees(app, &event, people, true).await;
    for name in named {
        register_attendee(app, &event, name, true).await;
    }
    let session = create_session(
        app,
        &event,
        json!({"title": "네트워킹 1부", "rounds": rounds, "table_size": 4, "time_limit_ms": 300}),
    )
    .await;
    let url = session["plan_url"].as_str().unwrap();
    (url[url.find("/plans/").unwrap()..].to_string(), session)
}

async fn page(app: &TestApp, path: &str, accept_language: &str) -> (StatusCode, String, String) {
    let response = app
        .client
        .get(app.url(path))
        .header("accept-language", accept_language)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let policy = response
        .headers()
        .get("content-security-policy")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{path} is a page"
    );
    (status, response.text().await.unwrap(), policy)
}

/// The text between `start` and the next `end` after each `start`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    text.split(start)
        .skip(1)
        .map(|rest| &rest[..rest.find(end).unwrap()])
        .collect()
}

/// The name a seat is shown by (the first word of it).
fn called(seat: &Value) -> String {
    seat["name"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

/// Each round's `(name, table)` pairs as the session's API answer seats them, sorted.
fn seated(session: &Value) -> Vec<Vec<(String, String)>> {
    session["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|round| {
            let mut pairs: Vec<(String, String)> = round["tables"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|table| {
                    let number = table["number"].to_string();
                    table["seats"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(move |seat| (called(seat), number.clone()))
                })
                .collect();
            pairs.sort();
            pairs
        })
        .collect()
}

#[tokio::test]
async fn the_plan_is_korean_by_default_and_english_when_asked() {
    let app = spawn_app().await;
    let (path, _) = plan(&app, 8, &[], 2).await;

    let (status, korean, policy) = page(&app, &path, "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(korean.contains(r#"<html lang="ko">"#));
    assert!(korean.contains("<h1>네트워킹 1부 · 라운드 1 / 2</h1>"));
    assert!(korean.contains("<h3>테이블 2</h3>"));
    assert!(korean.contains(r#"aria-label="라운드 1 / 2 · 테이블 2""#));
    assert!(korean.contains("이름으로 찾기"));
    // Every round is on the page under its own heading (one printed page each); the asked
    // one is the one on screen.
    assert!(korean.contains("<h2>네트워킹 1부 · 라운드 2 / 2</h2>"));
    assert_eq!(
        korean.matches(r#"<section class="round current""#).count(),
        1
    );
    // The sheet carries this plan's grid, and the policy allows exactly that sheet.
    let sheet = between(&korean, "<style>", "</style>")[0];
    assert!(sheet.contains("--cols:"), "{sheet}");
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(sheet));
    assert!(
        policy.contains(&format!("style-src 'sha256-{hash}'")),
        "{policy}"
    );

    let (_, english, _) = page(&app, &format!("{path}?lang=en&round=2"), "").await;
    assert!(english.contains(r#"<html lang="en">"#));
    assert!(english.contains("<h1>네트워킹 1부 · Round 2 of 2</h1>"));
    assert!(english.contains("<h3>Table 2</h3>"));
    assert!(english.contains(r#"aria-label="Round 2 of 2 · Table 2""#));
    assert!(english.contains("Find your name"));
    assert!(
        english.contains("?round=1&#38;lang=en"),
        "links keep the language"
    );

    let (_, preferred, _) = page(&app, &path, "en-US,en;q=0.9").await;
    assert!(
        preferred.contains("Round 1 of 2"),
        "the browser's preference"
    );
    let (_, asked, _) = page(&app, &format!("{path}?lang=ko"), "en-US").await;
    assert!(asked.contains("라운드 1 / 2"), "?lang= wins");
}

#[tokio::test]
async fn the_name_index_lists_everyone_once_per_round_with_their_table_in_reading_order() {
    let app = spawn_app().await;
    let (path, session) = plan(&app, 10, &["Alice Kim", "bob"], 2).await;
    let expected = seated(&session);

    for (lang, latin_first) in [("ko", false), ("en", true)] {
        let (status, html, _) =
            page(&app, &format!("{path}?view=index&round=2&lang={lang}"), "").await;
        assert_eq!(status, StatusCode::OK);
        let rounds = between(&html, r#"<section class="round"#, "</section>");
        assert_eq!(rounds.len(), 2, "every round's index, for the printer");
        assert!(rounds[1].starts_with(" current"), "round 2 on screen");
        for (round, section) in rounds.iter().enumerate() {
            let lines: Vec<(String, String)> = between(section, "<li>", "</li>")
                .into_iter()
                .map(|line| {
                    let name = between(line, r#"<span class="name">"#, "</span>")[0];
                    let table = between(line, r#"aria-hidden="true">"#, "</span>")[0];
                    (name.to_string(), table.to_string())
                })
                .collect();
            let mut sorted = lines.clone();
            sorted.sort();
            assert_eq!(sorted, expected[round], "{lang} round {}", round + 1);
            let names: Vec<&str> = lines.iter().map(|(name, _)| name.as_str()).collect();
            let latin: Vec<usize> = names
                .iter()
                .enumerate()
                .filter(|(_, name)| name.is_ascii())
                .map(|(i, _)| i)
                .collect();
            let ends = if latin_first {
                [0, 1]
            } else {
                [names.len() - 2, names.len() - 1]
            };
            assert_eq!(latin, ends, "{lang}: {names:?}");
            let hangul: Vec<&&str> = names.iter().filter(|name| !name.is_ascii()).collect();
            assert!(hangul.is_sorted(), "가나다: {hangul:?}");
            assert_eq!(names.iter().find(|n| n.is_ascii()), Some(&"Alice"));
        }
        let label = if lang == "ko" { "테이블 " } else { "Table " };
        assert!(
            html.contains(&format!(r#"<span class="hidden">{label}"#)),
            "screen readers hear the word"
        );
    }
}

#[tokio::test]
async fn the_cards_layout_has_a_card_per_table_with_who_sits_there_each_round() {
    let app = spawn_app().await;
    let (path, session) = plan(&app, 8, &[], 2).await;
    let (status, html, _) = page(&app, &format!("{path}?view=cards"), "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>네트워킹 1부 · 테이블 카드</h1>"));
    let cards = between(&html, r#"<section class="card""#, "</section>");
    let tables = session["rounds"][0]["tables"].as_array().unwrap().len();
    assert_eq!(cards.len(), tables);
    for (index, card) in cards.iter().enumerate() {
        assert!(card.contains(&format!(r#"class="number">테이블 {}<"#, index + 1)));
        for (round, seating) in session["rounds"].as_array().unwrap().iter().enumerate() {
            let names: Vec<String> = seating["tables"][index]["seats"]
                .as_array()
                .unwrap()
                .iter()
                .map(called)
                .collect();
            let line = format!(
                "<dt>라운드 {} / 2</dt><dd>{}</dd>",
                round + 1,
                names.join(" · ")
            );
            // Once on the front and once, upside down, on the back of the tent.
            assert_eq!(card.matches(&line).count(), 2, "{line} in {card}");
        }
        assert!(card.contains(r#"<div class="face back" aria-hidden="true">"#));
    }
    assert!(!html.contains("@example.com"), "no emails on the tables");
}

#[tokio::test]
async fn rounds_and_views_the_plan_lacks_answer_a_page_that_says_so() {
    let app = spawn_app().await;
    let (path, _) = plan(&app, 6, &[], 2).await;
    for query in [
        "?round=0",
        "?round=3",
        "?round=two",
        "?view=wall",
        "?view=index&round=9",
    ] {
        let (status, html, _) = page(&app, &format!("{path}{query}"), "").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{query}");
        assert!(
            html.contains("그런 라운드나 보기가 없습니다"),
            "{query}: {html}"
        );
    }
    let (status, html, _) = page(&app, &format!("{path}?round=5&lang=en"), "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("no such round or view"));
    let (status, html, _) = page(&app, "/plans/not-a-key?lang=en", "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("There is no table plan at this address"));
}
