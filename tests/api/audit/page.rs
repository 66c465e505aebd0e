//! `/admin/audit`: the log in the console, with who (the organizer and the token or the
//! console), when in Korea time, what, and the changed fields; filtered by event and
//! organizer like the API.

use homecoming::audit::{self, Actor, AuditAction, AuditTarget, Change};
use reqwest::StatusCode;
use serde_json::json;

use super::{all_entries, token_name};
use crate::helpers::forms::between;
use crate::helpers::{id, spawn_app};

#[tokio::test]
async fn the_console_page_shows_who_when_what_and_the_changed_fields() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let event = app.create_event(Some(&id(&venue))).await;
    app.patch(
        &format!("/api/v1/events/{}", id(&event)),
        &json!({"title": "바뀐 제목"}),
    )
    .await;
    let console_change = Change::new(
        AuditAction::Update,
        AuditTarget::Speaker,
        uuid::Uuid::now_v7(),
    )
    .before(&json!({"bio": "예전"}))
    .after(&json!({"bio": "지금"}));
    let actor = Actor::console(app.organizer.id, &app.organizer.name);
    audit::acting(actor, audit::record(&app.db, console_change))
        .await
        .unwrap();
    let console = app.console().await;

    let html = console.page("/admin/audit").await;
    let token = token_name(&app).await;
    assert!(
        html.contains(&format!("API 토큰 {token}")),
        "who and which token"
    );
    assert!(
        html.contains("테스트 운영자") && html.contains("콘솔"),
        "a console change"
    );
    assert!(html.contains("행사 · 바꿈"), "what");
    assert!(
        html.contains("<del>1&#38;N 홈커밍 2026</del>") && html.contains("<ins>바뀐 제목</ins>")
    );
    let newest = &all_entries(&app).await[0];
    let at: chrono::DateTime<chrono::Utc> = newest["at"].as_str().unwrap().parse().unwrap();
    let korea = at.with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).unwrap());
    assert!(
        html.contains(&korea.format("%Y-%m-%d %H:%M").to_string()),
        "Korea time"
    );
    assert!(
        between(&html, "<select id=\"event_id\"", "</select>")
            .unwrap()
            .contains("바뀐 제목")
    );

    let of_event = console
        .page(&format!(
            "/admin/audit?event_id={}&organizer_id=",
            id(&event)
        ))
        .await;
    assert!(of_event.contains("바뀐 제목") && !of_event.contains("<del>예전</del>"));
    assert!(of_event.contains(&format!("<option value=\"{}\" selected>", id(&event))));
    let english = console.page("/admin/audit?lang=en").await;
    assert!(english.contains("Event · changed") && english.contains(&format!("API token {token}")));

    let refused = console.get("/admin/audit?event_id=nope").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(html.contains("role=\"alert\"") && !html.contains("<table class=\"data audit\">"));
}
