//! The room's table plan (names and affiliations, never emails) behind its unguessable link,
//! and the tables as CSV.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::networking::{create_session, register_attendees};
use crate::helpers::{id, spawn_app};

#[tokio::test]
async fn the_room_plan_and_csv_show_the_tables() {
    let app = spawn_app().await;
    let event = app.open_event(50, json!({})).await;
    register_attendees(&app, &event, 6, true).await;
    let session = create_session(&app, &event, json!({"rounds": 2, "table_size": 3})).await;
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
