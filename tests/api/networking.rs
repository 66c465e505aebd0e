//! Networking sessions through the API: who is seated, no pair twice, history across years,
//! moves, late arrivals, the room's table plan and the CSV export.

use std::collections::{BTreeSet, HashSet};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_fields, expect_problem, expect_status, id, spawn_app};

async fn fill(app: &TestApp, event: &Value, people: usize, consent: bool) -> Vec<Value> {
    let mut registered = Vec::new();
    for n in 0..people {
        let body = json!({
            "name": format!("사람{n}"), "email": format!("p{n}@example.com"),
            "role": if n % 2 == 0 { "student" } else { "alumni" }, "admission_year": 2010 + (n % 8) as i32,
            "affiliation": format!("회사{}", n % 5), "consent_share": consent
        });
        registered
            .push(expect_status(app.register(&id(event), &body).await, StatusCode::CREATED).await);
    }
    registered
}

async fn create(app: &TestApp, event: &Value, body: Value) -> Value {
    let path = format!("/api/v1/events/{}/networking-sessions", id(event));
    expect_status(app.post(&path, &body).await, StatusCode::CREATED).await
}

/// The registration ids at each table of each round.
fn seating(session: &Value) -> Vec<Vec<Vec<String>>> {
    session["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|round| {
            round["tables"]
                .as_array()
                .unwrap()
                .iter()
                .map(|table| {
                    table["seats"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|s| s["registration_id"].as_str().unwrap().to_string())
                        .collect()
                })
                .collect()
        })
        .collect()
}

fn pairs(seating: &[Vec<Vec<String>>]) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for table in seating.iter().flatten() {
        for (i, a) in table.iter().enumerate() {
            for b in &table[i + 1..] {
                pairs.push(if a < b {
                    (a.clone(), b.clone())
                } else {
                    (b.clone(), a.clone())
                });
            }
        }
    }
    pairs
}

#[tokio::test]
async fn a_session_seats_consenting_attendees_without_repeats() {
    let app = spawn_app().await;
    let event = app.open_event(50, json!({})).await;
    let seated = fill(&app, &event, 16, true).await;
    let private = fill_one(&app, &event, "비공개", false).await;
    let session = create(
        &app,
        &event,
        json!({"title": "네트워킹 1부", "rounds": 5, "table_size": 4, "seed": 7}),
    )
    .await;
    let rounds = seating(&session);
    assert_eq!(rounds.len(), 5);
    let everyone: BTreeSet<String> = seated.iter().map(id).collect();
    for round in &rounds {
        assert_eq!(round.len(), 4);
        let here: BTreeSet<String> = round.iter().flatten().cloned().collect();
        assert_eq!(
            here, everyone,
            "each round seats every consenting attendee once"
        );
        assert!(round.iter().all(|table| table.len() == 4));
    }
    assert!(
        !rounds
            .iter()
            .flatten()
            .flatten()
            .any(|r| *r == id(&private)),
        "no consent, not seated"
    );
    let all_pairs = pairs(&rounds);
    let distinct: HashSet<_> = all_pairs.iter().collect();
    assert_eq!(
        all_pairs.len(),
        distinct.len(),
        "no pair shares a table twice"
    );
    assert_eq!(session["repeats"]["within_event"], json!([]));
    assert_eq!(session["report"]["repeats_within_event"], 0);
    assert_eq!(session["report"]["repeat_free_round_bound"], 5);
    assert!(session["plan_url"].as_str().unwrap().contains("/plans/"));

    let again = expect_status(
        app.get(&format!(
            "/api/v1/events/{}/networking-sessions/{}",
            id(&event),
            id(&session)
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seating(&again), rounds, "stored as computed");
}

async fn fill_one(app: &TestApp, event: &Value, name: &str, consent: bool) -> Value {
    let body = json!({"name": name, "email": format!("{}@example.com", uuid::Uuid::new_v4().simple()), "role": "guest", "consent_share": consent});
    expect_status(app.register(&id(event), &body).await, StatusCode::CREATED).await
}

#[tokio::test]
async fn next_year_seats_people_with_someone_new() {
    let app = spawn_app().await;
    let last_year = app
        .open_event(50, json!({"starts_at": "2029-05-19T13:00:00+09:00", "ends_at": "2029-05-19T19:00:00+09:00"}))
        .await;
    fill(&app, &last_year, 16, true).await;
    let before = create(
        &app,
        &last_year,
        json!({"rounds": 2, "table_size": 4, "seed": 1}),
    )
    .await;
    let this_year = app.open_event(50, json!({})).await;
    let returning = fill(&app, &this_year, 16, true).await;
    let session = create(
        &app,
        &this_year,
        json!({"rounds": 2, "table_size": 4, "seed": 1}),
    )
    .await;

    // Map last year's registrations to this year's by name (the same people came back).
    let name_of = |session: &Value| -> std::collections::HashMap<String, String> {
        session["rounds"][0]["tables"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["seats"].as_array().unwrap().clone())
            .map(|s| {
                (
                    s["registration_id"].as_str().unwrap().to_string(),
                    s["name"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let (then, now) = (name_of(&before), name_of(&session));
    let named = |pairs: Vec<(String, String)>,
                 names: &std::collections::HashMap<String, String>|
     -> HashSet<(String, String)> {
        pairs
            .into_iter()
            .map(|(a, b)| {
                let (a, b) = (names[&a].clone(), names[&b].clone());
                if a < b { (a, b) } else { (b, a) }
            })
            .collect()
    };
    let met_before = named(pairs(&seating(&before)), &then);
    let met_now = named(pairs(&seating(&session)), &now);
    assert_eq!(returning.len(), 16);
    assert!(
        met_before.is_disjoint(&met_now),
        "nobody sits again with last year's table-mates"
    );
    assert_eq!(session["report"]["repeats_of_earlier_years"], 0);
    assert_eq!(session["repeats"]["earlier_years"], json!([]));
}

#[tokio::test]
async fn moves_report_new_repeats_and_late_arrivals_keep_played_rounds() {
    let app = spawn_app().await;
    let event = app.open_event(50, json!({})).await;
    fill(&app, &event, 8, true).await;
    let session = create(
        &app,
        &event,
        json!({"rounds": 3, "table_size": 4, "seed": 3}),
    )
    .await;
    let base = format!(
        "/api/v1/events/{}/networking-sessions/{}",
        id(&event),
        id(&session)
    );
    let rounds = seating(&session);

    // Move someone in round 2 to the table of a person they already met in round 1.
    let mover = rounds[0][0][0].clone();
    let mate = rounds[0][0][1].clone();
    let target = rounds[1]
        .iter()
        .position(|t| t.contains(&mate) && !t.contains(&mover))
        .map(|t| t + 1);
    let to_table = target.unwrap_or(1);
    let moved = expect_status(
        app.post(
            &format!("{base}/moves"),
            &json!({"round": 2, "registration_id": mover, "to_table": to_table}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    if target.is_some() {
        let repeats = moved["repeats"]["within_event"].as_array().unwrap();
        assert!(
            repeats
                .iter()
                .any(|p| (p["a"] == mover.as_str() && p["b"] == mate.as_str())
                    || (p["a"] == mate.as_str() && p["b"] == mover.as_str())),
            "the move's repeat is reported: {repeats:?}"
        );
    }
    assert!(seating(&moved)[1][to_table - 1].contains(&mover));
    for bad in [
        json!({"round": 9, "registration_id": mover, "to_table": 1}),
        json!({"round": 1, "registration_id": mover, "to_table": 9}),
    ] {
        expect_problem(
            app.post(&format!("{base}/moves"), &bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }

    expect_status(
        app.patch(&base, &json!({"rounds_played": 1})).await,
        StatusCode::OK,
    )
    .await;
    let late = fill_one(&app, &event, "늦은 사람", true).await;
    let after = expect_status(
        app.post(
            &format!("{base}/arrivals"),
            &json!({"registration_id": id(&late)}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let seated = seating(&after);
    assert_eq!(
        seated[0],
        seating(&moved)[0],
        "the played round is untouched"
    );
    for round in &seated[1..] {
        assert_eq!(
            round.iter().flatten().filter(|r| **r == id(&late)).count(),
            1
        );
    }
    let problem = expect_problem(
        app.post(
            &format!("{base}/arrivals"),
            &json!({"registration_id": id(&late)}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["registration_id"]);
    let published = expect_status(
        app.post(&format!("{base}/publish"), &json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert!(published["published_at"].is_string());
}

#[tokio::test]
async fn the_room_plan_and_csv_show_the_tables() {
    let app = spawn_app().await;
    let event = app.open_event(50, json!({})).await;
    fill(&app, &event, 6, true).await;
    let session = create(&app, &event, json!({"rounds": 2, "table_size": 3})).await;
    let plan_url = session["plan_url"].as_str().unwrap();
    let path = &plan_url[plan_url.find("/plans/").unwrap()..];
    let page = app
        .client
        .get(app.url(&format!("{path}?round=2")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    let round_two = &session["rounds"][1]["tables"][0]["seats"][0];
    assert!(
        html.contains(round_two["name"].as_str().unwrap()),
        "names are on the plan"
    );
    assert!(
        html.contains(round_two["affiliation"].as_str().unwrap()),
        "affiliations too"
    );
    assert!(!html.contains("@example.com"), "no emails on the wall");
    let unknown = app
        .client
        .get(app.url("/plans/not-a-key"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    let csv = app
        .get(&format!(
            "/api/v1/events/{}/networking-sessions/{}/tables.csv",
            id(&event),
            id(&session)
        ))
        .await;
    let bytes = csv.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert_eq!(
        text.lines().count(),
        1 + 6 * 2,
        "a heading and one line per seat per round"
    );
}

#[tokio::test]
async fn too_few_attendees_is_a_clear_error() {
    let app = spawn_app().await;
    let event = app.open_event(50, json!({})).await;
    fill(&app, &event, 1, true).await;
    let path = format!("/api/v1/events/{}/networking-sessions", id(&event));
    expect_problem(
        app.post(&path, &json!({"rounds": 2, "table_size": 4}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    fill_one(&app, &event, "둘째", true).await;
    let problem = expect_problem(
        app.post(&path, &json!({"rounds": 2, "table_size": 1}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("table"),
        "{problem}"
    );
}
