//! Registrations of an exact number of people (the warm-up, the waitlist fill, 200 for 50
//! seats) from a concurrent reqwest client in this process: wrk runs for a time, not a count,
//! and leaves its last requests unanswered.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::Answers;
use crate::service::{Event, Service};

/// A registration whose name and email carry `key` (unique per request); the wrk script
/// sends the same body with `{key}` replaced.
pub fn registration_body(key: &str) -> Value {
    json!({
        "name": format!("참가자 {key}"),
        "email": format!("{key}@bench.example.com"),
        "role": "alumni",
        "admission_year": 2016,
        "affiliation": "1&N",
        "job_title": "Engineer",
        "interests": ["career"],
        "goals": ["meet_people"],
        "consent_share": true,
        "language": "ko",
    })
}

pub struct Registered {
    pub answers: Answers,
    /// Answers by status; 0 for a request that got no answer.
    pub statuses: BTreeMap<u16, u64>,
    pub elapsed: Duration,
}

/// Registers `total` people (`<prefix>-<n>`) for `event` from `concurrency` tasks, each
/// sending its next request as soon as its previous one is answered.
pub async fn register_many(
    service: &Service,
    event: &Event,
    prefix: &str,
    total: usize,
    concurrency: usize,
) -> Registered {
    let url = Arc::new(service.url(&format!("/api/v1/events/{}/registrations", event.id)));
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, url, next, prefix) = (
                service.client.clone(),
                url.clone(),
                next.clone(),
                prefix.to_string(),
            );
            tokio::spawn(async move {
                let mut answers = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        return answers;
                    }
                    let body = registration_body(&format!("{prefix}-{n}"));
                    let answer = match client.post(url.as_str()).json(&body).send().await {
                        Ok(answer) => {
                            let status = answer.status().as_u16();
                            (status, answer.json::<Value>().await.ok())
                        }
                        Err(_) => (0, None),
                    };
                    answers.push(answer);
                }
            })
        })
        .collect();
    let mut registered = Registered {
        answers: Answers::default(),
        statuses: BTreeMap::new(),
        elapsed: Duration::ZERO,
    };
    for task in tasks {
        for (status, body) in task.await.expect("a registering task did not panic") {
            *registered.statuses.entry(status).or_default() += 1;
            if let Some(body) = body.filter(|_| (200..300).contains(&status)) {
                registered.answers.add(&body);
            }
        }
    }
    registered.elapsed = started.elapsed();
    registered
}
