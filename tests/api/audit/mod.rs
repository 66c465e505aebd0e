//! The audit log: every organizer change through the API is recorded with its author and only
//! the fields it changed, failed changes leave nothing, the log is read page by page and by
//! filter, a console change is recorded as the console's, and erasing a person scrubs them
//! from the log.

mod attribution;
mod erasure;
mod every_change;
mod page;
mod reading;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, expect_status};

/// The log's entries for `query` (e.g. `limit=5&event_id=…`), newest first.
async fn entries(app: &TestApp, query: &str) -> Vec<Value> {
    page(app, query).await["items"].as_array().unwrap().clone()
}

/// One page of the log as the API answers it.
async fn page(app: &TestApp, query: &str) -> Value {
    expect_status(
        app.get(&format!("/api/v1/audit-log?{query}")).await,
        StatusCode::OK,
    )
    .await
}

/// Every entry, newest first (the tests write fewer than a page's maximum).
async fn all_entries(app: &TestApp) -> Vec<Value> {
    entries(app, "limit=200").await
}

/// The newest entry.
async fn newest(app: &TestApp) -> Value {
    entries(app, "limit=1").await.remove(0)
}

/// The name of the API token the tests send.
async fn token_name(app: &TestApp) -> String {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    entity::api_token::Entity::find()
        .filter(entity::api_token::Column::OrganizerId.eq(app.organizer.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the test token is the organizer's")
        .name
}
