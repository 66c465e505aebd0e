//! The organizer console in a real browser: sign in through a one-time link, approve a
//! pending registration and see its status change. Screenshots of the follow-up pages at a
//! phone's and a laptop's width go to /tmp/people-*.png for a person to look at.

use chrono::TimeDelta;
use entity::registration;
use fantoccini::{Client, Locator};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::harness::{click, in_browser, text};
use crate::helpers::registration::{person, register_ok};
use crate::helpers::{TestApp, id, spawn_app};

#[tokio::test]
async fn an_organizer_approves_a_pending_registration() {
    let app = spawn_app().await;
    let event = app.open_event(3, json!({"requires_approval": true})).await;
    let mut registrations = Vec::new();
    for n in 1..=5 {
        registrations.push(register_ok(&app, &id(&event), &person(n)).await);
    }
    spread_over_days(&app, &registrations).await;
    in_browser(
        |client| async move { run(&client, &app, &id(&event), &id(&registrations[0])).await },
    )
    .await;
}

/// Registrations made on different days, so the chart has something to show.
async fn spread_over_days(app: &TestApp, registrations: &[serde_json::Value]) {
    for (n, made) in registrations.iter().enumerate() {
        let id = uuid::Uuid::parse_str(&id(made)).unwrap();
        registration::Entity::update_many()
            .col_expr(
                registration::Column::CreatedAt,
                Expr::value(chrono::Utc::now() - TimeDelta::days([6, 5, 5, 3, 0][n])),
            )
            .filter(registration::Column::Id.eq(id))
            .exec(&app.db)
            .await
            .unwrap();
    }
}

async fn run(client: &Client, app: &TestApp, event_id: &str, registration_id: &str) {
    let secret =
        homecoming::organizers::store::new_sign_in_link(&app.db, app.organizer.id, app.clock.now())
            .await
            .unwrap();
    client
        .goto(&app.url(&format!("/admin/sign-in/{secret}?lang=en")))
        .await
        .unwrap();
    click(client, "form button[type=submit]").await;
    client
        .wait()
        .for_element(Locator::Css(".figures"))
        .await
        .unwrap();
    screenshots(client, "dashboard").await;

    let list = app.url(&format!("/admin/events/{event_id}/registrations"));
    client.goto(&list).await.unwrap();
    let row = format!("#r-{registration_id}");
    assert_eq!(text(client, &format!("{row} .status")).await, "승인 대기");
    screenshots(client, "registrations").await;

    click(client, &format!("{row} form[action$='/approve'] button")).await;

    client.wait().for_element(Locator::Css(&row)).await.unwrap();
    assert_eq!(text(client, &format!("{row} .status")).await, "참가 확정");
    assert_eq!(client.current_url().await.unwrap().as_str(), list);

    client
        .goto(&app.url(&format!(
            "/admin/events/{event_id}/registrations/{registration_id}"
        )))
        .await
        .unwrap();
    screenshots(client, "registration").await;
    client.goto(&app.url("/admin/people")).await.unwrap();
    screenshots(client, "people").await;
    client.goto(&app.url("/admin/mail")).await.unwrap();
    screenshots(client, "mail").await;
    client
        .goto(&app.url(&format!("/admin/events/{event_id}/feedback")))
        .await
        .unwrap();
    screenshots(client, "feedback").await;
}

async fn screenshots(client: &Client, name: &str) {
    for (width, height) in [(390, 900), (1280, 900)] {
        client.set_window_size(width, height).await.unwrap();
        let png = client.screenshot().await.unwrap();
        std::fs::write(format!("/tmp/people-{name}-{width}.png"), png).unwrap();
        // The chart is below the fold: it gets a picture of its own.
        if let Ok(chart) = client.find(Locator::Css(".chart")).await {
            let png = chart.screenshot().await.unwrap();
            std::fs::write(format!("/tmp/people-{name}-chart-{width}.png"), png).unwrap();
        }
    }
}
