//! Reading the schedule: talks in start-time order, pages, and talks asked for through an event
//! they do not belong to.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::talks::{Setup, talk};
use crate::helpers::{expect_problem, expect_status, id};

#[tokio::test]
async fn the_schedule_is_listed_in_start_time_order_and_paginates() {
    let s = Setup::new().await;
    let mut created = Vec::new();
    for (title, from, to, room) in [
        ("셋째", "15:00", "15:30", s.hall()),
        ("첫째", "13:00", "13:30", s.hall()),
        ("넷째", "16:00", "16:30", s.hall()),
        ("둘째-a", "14:00", "14:30", s.hall()),
        ("둘째-b", "14:00", "14:30", s.seminar()),
    ] {
        let mut body = talk(title, from, to, Some(&room), &[]);
        body["kind"] = json!("networking");
        created.push(s.create(&body).await);
    }
    let titles: Vec<_> = s
        .list()
        .await
        .iter()
        .map(|talk| talk["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, ["첫째", "둘째-a", "둘째-b", "셋째", "넷째"]);

    let mut seen = Vec::new();
    let mut path = format!("{}?limit=2", s.talks_path());
    let mut pages = 0;
    loop {
        let page = expect_status(s.app.get(&path).await, StatusCode::OK).await;
        pages += 1;
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2, "{page}");
        seen.extend(
            items
                .iter()
                .map(|talk| talk["title"].as_str().unwrap().to_string()),
        );
        match page["next"].as_str() {
            Some(next) => {
                assert!(next.starts_with(&s.talks_path()), "{next}");
                assert!(next.contains("limit=2"), "{next}");
                path = next.to_string();
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, titles, "paging visits every talk once, in order");
}

#[tokio::test]
async fn the_schedule_of_an_unknown_event_is_404() {
    let s = Setup::new().await;
    let response = s
        .app
        .get("/api/v1/events/0193a0b0-0000-7000-8000-000000000000/talks")
        .await;
    expect_problem(response, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn a_talk_of_another_event_is_404() {
    let s = Setup::new().await;
    let created = s
        .create(&talk("본 행사 발표", "14:00", "15:00", None, &[&s.kim]))
        .await;
    let other_event = id(&s.app.create_event(None).await);
    let wrong = format!("/api/v1/events/{other_event}/talks/{}", id(&created));
    expect_problem(s.app.get(&wrong).await, StatusCode::NOT_FOUND).await;
    expect_problem(
        s.app.patch(&wrong, &json!({"title": "hijacked"})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    expect_problem(s.app.delete(&wrong).await, StatusCode::NOT_FOUND).await;
    let intact = expect_status(s.app.get(&s.talk_path(&id(&created))).await, StatusCode::OK).await;
    assert_eq!(intact, created, "the talk is untouched");
    let other_list = expect_status(
        s.app
            .get(&format!("/api/v1/events/{other_event}/talks"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(other_list["items"], json!([]));
}
