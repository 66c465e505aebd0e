//! API tokens in the console: made with the secret shown once on the answer itself, listed
//! with who made them, and revoked, after which the API refuses the token at once.

use reqwest::StatusCode;
use reqwest::header::CACHE_CONTROL;

use crate::helpers::forms::between;
use crate::helpers::{TestApp, spawn_app};

async fn events_with(app: &TestApp, token: &str) -> StatusCode {
    app.client
        .get(app.url("/api/v1/events"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_token_made_in_the_console_works_until_it_is_revoked() {
    let app = spawn_app().await;
    let console = app.console().await;

    let made = console
        .post("/admin/tokens", &[("name", "deploy-2027")])
        .await;
    assert_eq!(made.status(), StatusCode::OK, "the secret is on the answer");
    assert_eq!(made.headers()[CACHE_CONTROL], "no-store");
    let html = made.text().await.unwrap();
    let secret = between(&html, "<output class=\"secret\">", "</output>")
        .expect("the secret is shown")
        .to_string();
    assert!(secret.starts_with("hc_"), "{secret}");
    assert_eq!(events_with(&app, &secret).await, StatusCode::OK);

    let list = console.page("/admin/tokens").await;
    assert!(list.contains("deploy-2027"));
    assert!(list.contains("테스트 운영자"), "listed with who made it");
    assert!(!list.contains(&secret), "the list never shows a secret");
    let tokens = homecoming::auth::list_tokens(&app.db).await.unwrap();
    let made = tokens.iter().find(|t| t.name == "deploy-2027").unwrap();
    assert_eq!(
        made.organizer.as_ref().map(|o| o.id),
        Some(app.organizer.id)
    );

    let revoked = console
        .post("/admin/tokens/revoke", &[("name", "deploy-2027")])
        .await;
    let after = console.follow(&revoked).await;
    assert!(after.contains("토큰을 폐기했습니다"), "{after}");
    assert!(!after.contains("<code>deploy-2027</code>"));
    assert_eq!(events_with(&app, &secret).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        events_with(&app, &app.token).await,
        StatusCode::OK,
        "other tokens still work"
    );
}

#[tokio::test]
async fn a_bad_or_taken_token_name_is_refused_inline() {
    let app = spawn_app().await;
    let console = app.console().await;
    let count = || async { homecoming::auth::list_tokens(&app.db).await.unwrap().len() };
    let before = count().await;

    let bad = console
        .post("/admin/tokens", &[("name", "has space")])
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert!(html.contains("1~64자"), "{html}");
    assert!(html.contains("value=\"has space\""));

    assert_eq!(
        console
            .post("/admin/tokens", &[("name", "ci")])
            .await
            .status(),
        StatusCode::OK
    );
    let taken = console.post("/admin/tokens", &[("name", "ci")]).await;
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.text().await.unwrap().contains("이미 있습니다"));
    assert_eq!(count().await, before + 1);
}

#[tokio::test]
async fn token_forms_without_the_session_token_change_nothing() {
    let app = spawn_app().await;
    let mut console = app.console().await;
    console.csrf = "forged".into();
    let made = console.post("/admin/tokens", &[("name", "sneaky")]).await;
    assert_eq!(made.status(), StatusCode::FORBIDDEN);
    let tokens = homecoming::auth::list_tokens(&app.db).await.unwrap();
    assert!(!tokens.iter().any(|t| t.name == "sneaky"));

    let name = tokens[0].name.clone();
    let revoked = console
        .post("/admin/tokens/revoke", &[("name", name.as_str())])
        .await;
    assert_eq!(revoked.status(), StatusCode::FORBIDDEN);
    assert_eq!(events_with(&app, &app.token).await, StatusCode::OK);
}
