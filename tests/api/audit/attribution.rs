//! Whom an entry names: the console's organizer without a token, a command-line token by its
//! name alone, and nobody for changes made outside an organizer's request.

use homecoming::audit::{self, Actor, AuditAction, AuditTarget, Change};
use homecoming::auth::{TokenName, create_token, revoke_token};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use super::{all_entries, newest};
use crate::helpers::console::location;
use crate::helpers::forms::between;
use crate::helpers::{expect_status, spawn_app};

/// A change made through a console form is recorded with the signed-in organizer and no
/// token, by the same store function the API's route calls.
#[tokio::test]
async fn a_change_made_in_the_console_names_the_organizer_and_no_token() {
    let app = spawn_app().await;
    let console = app.console().await;
    let response = console
        .post(
            "/admin/venues/new",
            &[
                ("name", "302동"),
                ("address", "서울특별시 관악구 관악로 1"),
                ("capacity", "150"),
                ("rooms", "대강당"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let entry = newest(&app).await;
    assert_eq!(entry["action"], "create");
    assert_eq!(entry["target_type"], "venue");
    assert_eq!(entry["token_name"], serde_json::Value::Null);
    assert_eq!(entry["organizer_id"], app.organizer.id.to_string());
    assert_eq!(entry["organizer_name"], "테스트 운영자");
    assert_eq!(entry["changes"]["name"]["after"], "302동");
    assert!(location(&response).contains(entry["target_id"].as_str().unwrap()));
    assert_eq!(all_entries(&app).await.len(), 1);
}

/// Signing a console session out is the organizer's own business, not a change to the
/// homecoming: it is not recorded.
#[tokio::test]
async fn ending_a_console_session_is_not_recorded() {
    let app = spawn_app().await;
    let console = app.console().await;
    let account = console.page("/admin/account").await;
    let session = between(&account, "action=\"/admin/account/sessions/", "/end\"")
        .expect("the session's end form");
    let response = console
        .post(
            &format!("/admin/account/sessions/{session}/end"),
            &[] as &[(&str, &str)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).starts_with("/admin/sign-in"));
    assert!(all_entries(&app).await.is_empty());
}

#[tokio::test]
async fn a_command_line_token_is_named_without_an_organizer() {
    let app = spawn_app().await;
    let secret = create_token(&app.db, &TokenName::parse("deploy-script").unwrap(), None)
        .await
        .unwrap();
    let response = app
        .client
        .post(app.url("/api/v1/speakers"))
        .bearer_auth(secret)
        .json(&json!({"name": "이하은", "email": "haeun@example.com"}))
        .send()
        .await
        .unwrap();
    expect_status(response, StatusCode::CREATED).await;
    let entry = newest(&app).await;
    assert_eq!(entry["token_name"], "deploy-script");
    assert_eq!(entry["organizer_id"], serde_json::Value::Null);
    assert_eq!(entry["organizer_name"], serde_json::Value::Null);
}

#[tokio::test]
async fn changes_outside_an_organizer_request_are_not_recorded() {
    let app = spawn_app().await;
    let change = Change::new(AuditAction::Create, AuditTarget::Venue, Uuid::now_v7())
        .after(&json!({"name": "302동"}));
    audit::record(&app.db, change).await.unwrap();
    assert!(all_entries(&app).await.is_empty());
}

/// Tokens made and revoked by an organizer (the console's token pages call these) are
/// recorded with their name, never their secret; on the command line they are not.
#[tokio::test]
async fn an_organizers_tokens_are_recorded_without_their_secret() {
    let app = spawn_app().await;
    let name = TokenName::parse("laptop-2030").unwrap();
    let actor = Actor::console(app.organizer.id, &app.organizer.name);
    let secret = audit::acting(
        actor.clone(),
        create_token(&app.db, &name, Some(app.organizer.id)),
    )
    .await
    .unwrap();
    let revoked = audit::acting(actor, revoke_token(&app.db, &name))
        .await
        .unwrap();
    assert!(revoked);
    let entries = all_entries(&app).await;
    let actions: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["target_type"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(actions, [("revoke", "api_token"), ("create", "api_token")]);
    assert_eq!(
        entries[1]["changes"]["name"],
        json!({"after": "laptop-2030"})
    );
    assert_eq!(
        entries[0]["changes"]["name"],
        json!({"before": "laptop-2030"})
    );
    let log = serde_json::to_string(&entries).unwrap();
    assert!(!log.contains(&secret) && !log.contains("token_hash"));

    create_token(&app.db, &TokenName::parse("cli").unwrap(), None)
        .await
        .unwrap();
    assert_eq!(
        all_entries(&app).await.len(),
        2,
        "the command line is not recorded"
    );
}

/// Seats given off the waitlist are part of the organizer's change that freed them: one
/// `promote` entry each, beside the capacity change.
#[tokio::test]
async fn promotions_off_the_waitlist_are_recorded_with_the_change_that_freed_the_seats() {
    let app = spawn_app().await;
    let event = app.open_event(1, json!({})).await;
    let register = |name: &'static str, email: &'static str| {
        let body = json!({"name": name, "email": email, "role": "alumni"});
        let event_id = crate::helpers::id(&event);
        let app = &app;
        async move { crate::helpers::registration::register_ok(app, &event_id, &body).await }
    };
    register("김하나", "one@example.com").await;
    let second = register("박둘", "two@example.com").await;
    register("이셋", "three@example.com").await;
    let before = all_entries(&app).await.len();

    let path = format!("/api/v1/events/{}", crate::helpers::id(&event));
    expect_status(
        app.patch(&path, &json!({"capacity": 2})).await,
        StatusCode::OK,
    )
    .await;
    let entries = all_entries(&app).await;
    let new: Vec<_> = entries[..entries.len() - before].to_vec();
    let actions: Vec<&str> = new.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions.len(), 2, "{new:?}");
    assert!(
        actions.contains(&"update") && actions.contains(&"promote"),
        "{actions:?}"
    );
    let promoted = new.iter().find(|e| e["action"] == "promote").unwrap();
    assert_eq!(promoted["target_id"], second["id"]);
    assert_eq!(promoted["changes"]["status"]["after"], "confirmed");
    assert_eq!(promoted["organizer_name"], "테스트 운영자");
}
