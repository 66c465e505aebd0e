//! Table-plan keys are secrets like manage tokens: stored as hashes and shown once, with a
//! way to make a new link that retires the old one.

use entity::networking_session;
use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::json;

use crate::helpers::networking::{create_session, read_session, register_attendees, session_path};
use crate::helpers::pages::get_page;
use crate::helpers::{expect_status, spawn_app};

fn plan_path(url: &str) -> String {
    url[url.find("/plans/").unwrap()..].to_string()
}

#[tokio::test]
async fn the_plan_key_is_stored_as_a_hash_and_shown_once() {
    let app = spawn_app().await;
    let event = app.open_event(20, json!({})).await;
    register_attendees(&app, &event, 6, true).await;
    let session = create_session(&app, &event, json!({"rounds": 2, "table_size": 3})).await;
    let first = plan_path(session["plan_url"].as_str().expect("shown when created"));
    let key = first.trim_start_matches("/plans/");

    let stored = networking_session::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(stored.plan_key_hash, key, "not kept in plain text");
    assert_eq!(stored.plan_key_hash, homecoming::secrets::hash(key));
    let path = session_path(&event, &session);
    assert!(read_session(&app, &path).await.get("plan_url").is_none());
    assert_eq!(get_page(&app, &first).await.0, StatusCode::OK);

    let link = expect_status(
        app.post(&format!("{path}/plan-link"), &json!({})).await,
        StatusCode::OK,
    )
    .await;
    let second = plan_path(link["plan_url"].as_str().unwrap());
    assert_ne!(second, first);
    assert_eq!(get_page(&app, &second).await.0, StatusCode::OK);
    assert_eq!(
        get_page(&app, &first).await.0,
        StatusCode::NOT_FOUND,
        "the old link is retired"
    );
}
