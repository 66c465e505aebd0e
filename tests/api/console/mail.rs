//! The outbox in the console: a failed message is listed and retried.

use entity::outbox_message;
use entity::values::OutboxStatus;
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::helpers::console::location;
use crate::helpers::mail::outbox;
use crate::helpers::registration::register_ok;
use crate::helpers::{fresh_database, id, spawn_app_configured};

#[tokio::test]
async fn a_failed_mail_is_listed_and_retried() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(&dir).await;
    // No worker: the message stays where the test puts it.
    let app =
        spawn_app_configured(dir, url, |settings| settings.email.worker_enabled = false).await;
    let event = app.open_event(10, json!({})).await;
    let registration = register_ok(
        &app,
        &id(&event),
        &json!({"name": "김서연", "email": "seoyeon@example.com", "role": "alumni"}),
    )
    .await;
    outbox_message::Entity::update_many()
        .col_expr(
            outbox_message::Column::Status,
            Expr::value(OutboxStatus::Failed),
        )
        .col_expr(
            outbox_message::Column::LastError,
            Expr::value("550 mailbox unavailable"),
        )
        .filter(
            outbox_message::Column::RegistrationId
                .eq(uuid::Uuid::parse_str(&id(&registration)).unwrap()),
        )
        .exec(&app.db)
        .await
        .unwrap();
    let failed = outbox(&app, "&status=failed").await;
    assert_eq!(failed.len(), 1);
    let console = app.console().await;

    let dashboard = console.page("/admin?lang=en").await;
    assert!(
        dashboard.contains("/admin/mail?status=failed"),
        "{dashboard}"
    );
    let html = console.page("/admin/mail?lang=en&status=failed").await;
    assert!(html.contains("550 mailbox unavailable"), "{html}");
    let retry = format!("/admin/mail/{}/retry", id(&failed[0]));
    assert!(html.contains(&retry), "{html}");
    let html = console.page("/admin/mail?lang=en&status=sent").await;
    assert!(html.contains("No mail in this status."), "{html}");

    let response = console.post(&retry, &[] as &[(&str, &str)]).await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/admin/mail?status=failed&retried=1");
    assert!(outbox(&app, "&status=failed").await.is_empty());
    assert_eq!(outbox(&app, "&status=queued").await.len(), 1);
    // A second retry is refused: the message is no longer failed.
    let response = console.post(&retry, &[] as &[(&str, &str)]).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("실패한 메일만 다시 보낼 수 있습니다")
    );
}
