//! An event's feedback in the console: this year's figures beside last year's, the chart,
//! the comments.

use chrono::Utc;
use entity::feedback;
use entity::values::ComeAgain;
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::feedback::figures;
use crate::helpers::registration::{person, register_ok};
use crate::helpers::{TestApp, id, spawn_app};

/// Registers person `n` and stores their survey answers.
async fn answered(app: &TestApp, event: &Value, n: usize, rating: i32, best: Option<&str>) {
    let registration = register_ok(app, &id(event), &person(n)).await;
    feedback::Entity::insert(feedback::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(Uuid::parse_str(&id(event)).unwrap()),
        registration_id: Set(Uuid::parse_str(&id(&registration)).unwrap()),
        token_hash: Set(Uuid::new_v4().to_string()),
        rating: Set(Some(rating)),
        best_part: Set(best.map(str::to_string)),
        change_next: Set(None),
        come_again: Set(Some(ComeAgain::Yes)),
        invited_at: Set(Utc::now()),
        submitted_at: Set(Some(Utc::now())),
    })
    .exec(&app.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn the_feedback_page_shows_this_year_beside_last_year() {
    let app = spawn_app().await;
    let last_year = app
        .open_event(10, json!({"title": "홈커밍 2029", "starts_at": "2029-05-19T13:00:00+09:00", "ends_at": "2029-05-19T19:00:00+09:00"}))
        .await;
    let this_year = app.open_event(10, json!({"title": "홈커밍 2030"})).await;
    answered(&app, &last_year, 1, 3, None).await;
    answered(&app, &this_year, 2, 5, Some("선배들과의 대화")).await;
    answered(&app, &this_year, 3, 4, None).await;
    let report = figures(&app, &this_year).await;
    assert_eq!(report["event"]["average_rating"], 4.5);

    let html = app
        .console()
        .await
        .page(&format!(
            "/admin/events/{}/feedback?lang=en",
            id(&this_year)
        ))
        .await;

    assert!(html.contains(r#"class="average">4.50<"#), "{html}");
    assert!(
        html.contains(r#"class="average">3.00<"#),
        "last year beside it: {html}"
    );
    assert!(html.contains("홈커밍 2029"), "{html}");
    assert!(html.contains("선배들과의 대화"), "{html}");
    let svg = &html[html.find("<svg").expect("a chart")..html.find("</svg>").unwrap()];
    assert!(!svg.contains("style="));
    assert!(svg.contains("2029") && svg.contains("2030"), "{svg}");
}
