//! Addresses the mailer cannot send to are refused at the door: before, each took a seat and
//! its confirmation then failed ("Invalid email user/domain").

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::registration::registrations;
use crate::helpers::{error_fields, expect_problem, id, spawn_app};

#[tokio::test]
async fn addresses_the_mailer_refuses_are_422_and_take_no_seat() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let too_long = format!("{}@example.com", "a".repeat(65));
    for email in [
        "(x)@b.co",
        "a..b@b.co",
        ".a@b.co",
        "a\\b@b.co",
        "a:b@b.co",
        "a@-b.co",
        "a@[127.0.0.1]",
        too_long.as_str(),
    ] {
        let response = app
            .register(
                &id(&event),
                &json!({"name": "김철수", "email": email, "role": "student"}),
            )
            .await;
        let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), ["email"], "{email}");
    }
    assert!(registrations(&app, &id(&event), "").await.is_empty());
    let response = app
        .register(
            &id(&event),
            &json!({"name": "김철수", "email": "o'brien+1n@mail.example.co.kr", "role": "student"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}
