//! Seating a networking session: every consenting attendee once a round, no pair twice, no
//! pair from earlier years, and a clear error when there are too few to seat.

use std::collections::{BTreeSet, HashSet};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::networking::{
    create_session, register_attendee, register_attendees, seating, tables_of,
};
use crate::helpers::{expect_problem, expect_status, id, spawn_app};

/// Every pair of people who shared a table, each pair in order.
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
    let seated = register_attendees(&app, &event, 16, true).await;
    let private = register_attendee(&app, &event, "비공개", false).await;
    let session = create_session(
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

#[tokio::test]
async fn next_year_seats_people_with_someone_new() {
    let app = spawn_app().await;
    let last_year = app
        .open_event(50, json!({"starts_at": "2029-05-19T13:00:00+09:00", "ends_at": "2029-05-19T19:00:00+09:00"}))
        .await;
    register_attendees(&app, &last_year, 16, true).await;
    let before = create_session(
        &app,
        &last_year,
        json!({"rounds": 2, "table_size": 4, "seed": 1}),
    )
    .await;
    let this_year = app.open_event(50, json!({})).await;
    let returning = register_attendees(&app, &this_year, 16, true).await;
    let session = create_session(
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
async fn too_few_attendees_is_a_clear_error() {
    let app = spawn_app().await;
    let event = app.open_event(50, json!({})).await;
    register_attendees(&app, &event, 1, true).await;
    let path = format!("/api/v1/events/{}/networking-sessions", id(&event));
    expect_problem(
        app.post(&path, &json!({"rounds": 2, "table_size": 4}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    register_attendee(&app, &event, "둘째", true).await;
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

#[tokio::test]
async fn hosts_keep_their_table_and_kept_apart_pairs_never_meet() {
    let app = spawn_app().await;
    let event = app.open_event(50, json!({})).await;
    let seated = register_attendees(&app, &event, 16, true).await;
    let hosts = [id(&seated[0]), id(&seated[1])];
    let apart = [id(&seated[2]), id(&seated[3])];
    let session = create_session(
        &app,
        &event,
        json!({"rounds": 4, "table_size": 4, "seed": 3, "hosts": hosts, "kept_apart": [apart]}),
    )
    .await;
    let rounds = seating(&session);
    let first = tables_of(&rounds, &hosts[0]);
    let second = tables_of(&rounds, &hosts[1]);
    assert!(
        first.iter().all(|&t| t == first[0]),
        "a host keeps one table"
    );
    assert!(second.iter().all(|&t| t == second[0]));
    assert_ne!(first[0], second[0], "hosts do not share a table");
    assert!(
        !pairs(&rounds).contains(&if apart[0] < apart[1] {
            (apart[0].clone(), apart[1].clone())
        } else {
            (apart[1].clone(), apart[0].clone())
        }),
        "a kept-apart pair never shares a table"
    );
}

#[tokio::test]
async fn hosts_and_pairs_must_be_attendees_of_the_session() {
    let app = spawn_app().await;
    let event = app.open_event(50, json!({})).await;
    let seated = register_attendees(&app, &event, 8, true).await;
    let private = register_attendee(&app, &event, "비공개", false).await;
    let path = format!("/api/v1/events/{}/networking-sessions", id(&event));
    for (body, field) in [
        (json!({"rounds": 2, "hosts": [id(&private)]}), "hosts"),
        (
            json!({"rounds": 2, "kept_apart": [[id(&seated[0]), uuid::Uuid::now_v7()]]}),
            "kept_apart",
        ),
    ] {
        let problem = expect_problem(
            app.post(&path, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let sessions = expect_status(app.get(&path).await, StatusCode::OK).await;
    assert_eq!(
        sessions.as_array().map_or(0, Vec::len),
        0,
        "nothing made: {sessions}"
    );
}
