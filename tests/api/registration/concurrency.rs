//! Seats are never oversold, duplicated or lost under concurrency, also with two service
//! instances on one database.

use std::collections::BTreeSet;

use futures_util::future::join_all;
use futures_util::{StreamExt, stream};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, expect_status, id, spawn_app};

fn person(n: usize) -> Value {
    json!({"name": format!("동시 {n}"), "email": format!("c{n}@example.com"), "role": "student"})
}

async fn all_registrations(app: &TestApp, event_id: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut next = Some(format!("/api/v1/events/{event_id}/registrations?limit=100"));
    while let Some(path) = next {
        let page = expect_status(app.get(&path).await, StatusCode::OK).await;
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        next = page["next"].as_str().map(str::to_string);
    }
    items
}

/// Registers people 0..n at once, alternating between the given instances. Like a real
/// client, one that is told the database is busy (503, nothing saved) waits as `Retry-After`
/// says and sends the same registration again.
async fn register_all(instances: &[&TestApp], event_id: &str, n: usize) -> Vec<StatusCode> {
    let requests = (0..n).map(|i| {
        let app = instances[i % instances.len()];
        async move {
            for _ in 0..10 {
                let response = app.register(event_id, &person(i)).await;
                if response.status() != StatusCode::SERVICE_UNAVAILABLE {
                    return response.status();
                }
                let wait: u64 = response.headers()["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
            }
            StatusCode::SERVICE_UNAVAILABLE
        }
    });
    join_all(requests).await
}

async fn seats_are_never_oversold(instances: &[&TestApp]) {
    let app = instances[0];
    let event = app.open_event(50, json!({})).await;
    let statuses = register_all(instances, &id(&event), 200).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::CREATED),
        "{statuses:?}"
    );
    let rows = all_registrations(app, &id(&event)).await;
    let confirmed = rows.iter().filter(|r| r["status"] == "confirmed").count();
    let positions: BTreeSet<u64> = rows
        .iter()
        .filter(|r| r["status"] == "waitlisted")
        .map(|r| r["waitlist_position"].as_u64().unwrap())
        .collect();
    assert_eq!(confirmed, 50);
    assert_eq!(
        positions,
        (1..=150).collect(),
        "150 distinct positions 1..150"
    );
}

#[tokio::test]
async fn two_hundred_concurrent_registrations_for_fifty_seats() {
    let app = spawn_app().await;
    seats_are_never_oversold(&[&app]).await;
}

#[tokio::test]
async fn two_instances_on_one_database_never_oversell() {
    let app = spawn_app().await;
    let other = app.second_instance().await;
    seats_are_never_oversold(&[&app, &other]).await;
}

/// A rush far larger than the seats: admitted in batches, and still every answer is a
/// registration, the seats go to exactly 20 and the waitlist is numbered without a gap, the
/// same in the answers as in the stored registrations.
#[tokio::test]
async fn two_thousand_registrations_for_twenty_seats_queue_in_order() {
    let app = spawn_app().await;
    let event = app.open_event(20, json!({})).await;
    let event_id = id(&event);
    let answers: Vec<(StatusCode, Value)> = stream::iter(0..2000)
        .map(|i| {
            let (app, event_id) = (&app, &event_id);
            async move {
                let response = app.register(event_id, &person(i)).await;
                (response.status(), response.json().await.unwrap())
            }
        })
        .buffer_unordered(64)
        .collect()
        .await;
    let refused: Vec<&(StatusCode, Value)> = answers
        .iter()
        .filter(|(status, _)| *status != StatusCode::CREATED)
        .collect();
    assert!(refused.is_empty(), "{refused:?}");
    let answered: BTreeSet<(String, u64)> = answers
        .iter()
        .filter(|(_, body)| body["status"] == "waitlisted")
        .map(|(_, body)| (id(body), body["waitlist_position"].as_u64().unwrap()))
        .collect();
    let positions: BTreeSet<u64> = answered.iter().map(|(_, position)| *position).collect();
    assert_eq!(
        positions,
        (1..=1980).collect(),
        "answered positions 1..1980"
    );

    let rows = all_registrations(&app, &event_id).await;
    assert_eq!(rows.len(), 2000);
    assert_eq!(
        rows.iter().filter(|r| r["status"] == "confirmed").count(),
        20
    );
    let stored: BTreeSet<(String, u64)> = rows
        .iter()
        .filter(|r| r["status"] == "waitlisted")
        .map(|r| (id(r), r["waitlist_position"].as_u64().unwrap()))
        .collect();
    assert_eq!(stored, answered, "each stored position is the one answered");
}

#[tokio::test]
async fn concurrent_duplicates_create_one_registration() {
    let app = spawn_app().await;
    let other = app.second_instance().await;
    let event = app.open_event(10, json!({})).await;
    let event_id = id(&event);
    let attempts = (0..20).map(|i| {
        let instance = if i % 2 == 0 { &app } else { &other };
        let body = json!({"name": "같은 사람", "email": if i % 3 == 0 { " Same@Example.com" } else { "same@example.com" }, "role": "guest"});
        let event_id = event_id.clone();
        async move { instance.register(&event_id, &body).await.status() }
    });
    let statuses = join_all(attempts).await;
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    assert_eq!(all_registrations(&app, &event_id).await.len(), 1);
}

#[tokio::test]
async fn concurrent_retries_with_one_idempotency_key_create_one_registration() {
    let app = spawn_app().await;
    let other = app.second_instance().await;
    let event = app.open_event(10, json!({})).await;
    let event_id = id(&event);
    let attempts = (0..10).map(|i| {
        let instance = if i % 2 == 0 { &app } else { &other };
        let url = instance.url(&format!("/api/v1/events/{event_id}/registrations"));
        async move {
            let response = instance
                .client
                .post(url)
                .header("Idempotency-Key", "same-key")
                .json(&person(1))
                .send()
                .await
                .unwrap();
            let status = response.status();
            (status, response.json::<Value>().await.unwrap())
        }
    });
    let answers = join_all(attempts).await;
    let ids: BTreeSet<String> = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::CREATED)
        .map(|(_, body)| body["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids.len(),
        1,
        "every success names the same registration: {answers:?}"
    );
    assert!(
        answers
            .iter()
            .all(|(status, body)| *status == StatusCode::CREATED
                || (*status == StatusCode::CONFLICT
                    && body["conflict"]["kind"] == "request_in_progress")),
        "{answers:?}"
    );
    assert_eq!(all_registrations(&app, &event_id).await.len(), 1);
}

#[tokio::test]
async fn cancellations_racing_registrations_never_leave_a_seat_owed() {
    let app = spawn_app().await;
    let other = app.second_instance().await;
    let event = app.open_event(10, json!({})).await;
    let event_id = id(&event);
    let mut seated = Vec::new();
    for i in 0..15 {
        let registered = expect_status(
            app.register(&event_id, &person(i)).await,
            StatusCode::CREATED,
        )
        .await;
        seated.push(registered);
    }
    let cancels = seated.iter().take(6).enumerate().map(|(i, registration)| {
        let instance = if i % 2 == 0 { &app } else { &other };
        let path = format!(
            "/api/v1/events/{event_id}/registrations/{}/cancel",
            id(registration)
        );
        async move { instance.post(&path, &json!({})).await.status() }
    });
    let registrations = (100..112).map(|i| {
        let instance = if i % 2 == 0 { &other } else { &app };
        let event_id = event_id.clone();
        async move { instance.register(&event_id, &person(i)).await.status() }
    });
    let (cancelled, registered) = tokio::join!(join_all(cancels), join_all(registrations));
    assert!(
        cancelled.iter().all(|s| *s == StatusCode::OK),
        "{cancelled:?}"
    );
    assert!(
        registered.iter().all(|s| *s == StatusCode::CREATED),
        "{registered:?}"
    );

    let rows = all_registrations(&app, &event_id).await;
    let count = |status: &str| rows.iter().filter(|r| r["status"] == status).count();
    assert_eq!(count("cancelled"), 6);
    assert_eq!(count("confirmed"), 10, "every freed seat was taken");
    assert_eq!(count("waitlisted"), 15 + 12 - 6 - 10);
    let positions: BTreeSet<u64> = rows
        .iter()
        .filter_map(|r| r["waitlist_position"].as_u64())
        .collect();
    assert_eq!(positions, (1..=count("waitlisted") as u64).collect());
}
