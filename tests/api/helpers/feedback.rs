//! The feedback survey's figures as the organizer reads them.

use reqwest::StatusCode;
use serde_json::Value;

use super::{TestApp, expect_status, id};

/// The organizer's feedback report for `event`: its figures and earlier years'.
pub async fn figures(app: &TestApp, event: &Value) -> Value {
    expect_status(
        app.get(&format!("/api/v1/events/{}/feedback", id(event)))
            .await,
        StatusCode::OK,
    )
    .await
}
