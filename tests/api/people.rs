//! People across years: history, profile from the latest registration, erasure.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, expect_problem, expect_status, id, spawn_app};

async fn people(app: &TestApp, query: &str) -> Vec<Value> {
    let page = expect_status(
        app.get(&format!("/api/v1/people?limit=100{query}")).await,
        StatusCode::OK,
    )
    .await;
    page["items"].as_array().unwrap().clone()
}

async fn two_years(app: &TestApp) -> (Value, Value) {
    let last_year = app
        .open_event(10, json!({"starts_at": "2029-05-19T13:00:00+09:00", "ends_at": "2029-05-19T19:00:00+09:00"}))
        .await;
    let this_year = app.open_event(10, json!({})).await;
    (last_year, this_year)
}

#[tokio::test]
async fn a_person_keeps_their_history_and_latest_profile() {
    let app = spawn_app().await;
    let (last_year, this_year) = two_years(&app).await;
    let first = expect_status(
        app.register(
            &id(&last_year),
            &json!({"name": "박학생", "email": "park@example.com", "role": "student",
            "admission_year": 2020, "affiliation": "서울대학교", "interests": ["ai"]}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let code = first["checkin_code"].as_str().unwrap();
    expect_status(
        app.post(
            &format!("/api/v1/events/{}/check-ins", id(&last_year)),
            &json!({"code": code}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    expect_status(
        app.register(&id(&this_year), &json!({"name": "박졸업", "email": " PARK@example.com", "role": "alumni",
            "admission_year": 2020, "affiliation": "Naver", "job_title": "Engineer", "interests": ["backend"]}))
        .await,
        StatusCode::CREATED,
    )
    .await;
    expect_status(
        app.register(
            &id(&this_year),
            &json!({"name": "다른 사람", "email": "other@example.com", "role": "guest"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;

    let everyone = people(&app, "").await;
    assert_eq!(everyone.len(), 2, "the same email is one person");
    let park = people(&app, "&q=PARK@").await.remove(0);
    assert_eq!(
        park["affiliation"], "Naver",
        "profile from the latest registration"
    );
    assert_eq!(park["role"], "alumni");
    assert_eq!(park["interests"], json!(["backend"]));
    assert_eq!(park["events_registered"], 2);
    assert_eq!(park["events_attended"], 1);
    let history: Vec<(Value, Value)> = park["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["event_id"].clone(), h["checked_in"].clone()))
        .collect();
    assert_eq!(
        history,
        [
            (last_year["id"].clone(), json!(true)),
            (this_year["id"].clone(), json!(false))
        ]
    );
    let one = expect_status(
        app.get(&format!("/api/v1/people/{}", id(&park))).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(one["history"].as_array().unwrap().len(), 2);
    assert_eq!(
        people(&app, "&q=%EB%8B%A4%EB%A5%B8").await.len(),
        1,
        "search by Korean name"
    );
}

#[tokio::test]
async fn erasing_a_person_removes_their_data_and_keeps_counts() {
    let app = spawn_app().await;
    let (last_year, this_year) = two_years(&app).await;
    let mut registered = Vec::new();
    for event in [&last_year, &this_year] {
        registered.push(
            expect_status(
                app.register(
                    &id(event),
                    &json!({"name": "지울 사람", "email": "erase.me@example.com", "role": "alumni",
                    "affiliation": "Secret Corp", "job_title": "CTO", "interests_other": "비밀"}),
                )
                .await,
                StatusCode::CREATED,
            )
            .await,
        );
    }
    let person_id = registered[0]["person_id"].as_str().unwrap().to_string();
    let stats_before = expect_status(
        app.get(&format!("/api/v1/events/{}/stats", id(&this_year)))
            .await,
        StatusCode::OK,
    )
    .await;

    assert_eq!(
        app.delete(&format!("/api/v1/people/{person_id}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );

    expect_problem(
        app.get(&format!("/api/v1/people/{person_id}")).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert!(people(&app, "").await.is_empty());
    for (event, registration) in [&last_year, &this_year].iter().zip(&registered) {
        let row = expect_status(
            app.get(&format!(
                "/api/v1/events/{}/registrations/{}",
                id(event),
                id(registration)
            ))
            .await,
            StatusCode::OK,
        )
        .await;
        let text = row.to_string();
        for secret in ["erase.me", "지울 사람", "Secret Corp", "CTO", "비밀"] {
            assert!(!text.contains(secret), "{secret} is gone: {text}");
        }
        assert_eq!(row["status"], "confirmed", "the anonymous status stays");
    }
    let csv = app
        .get(&format!(
            "/api/v1/events/{}/exports/registrations.csv",
            id(&this_year)
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(!csv.contains("erase.me") && !csv.contains("Secret Corp"));
    let stats_after = expect_status(
        app.get(&format!("/api/v1/events/{}/stats", id(&this_year)))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        stats_before["confirmed"], stats_after["confirmed"],
        "counts stay"
    );

    // The same email can register again, as a new person.
    let again = expect_status(
        app.register(
            &id(&this_year),
            &json!({"name": "새 사람", "email": "erase.me@example.com", "role": "guest"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_ne!(again["person_id"].as_str().unwrap(), person_id);
    assert_eq!(
        app.delete(&format!("/api/v1/people/{person_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}
