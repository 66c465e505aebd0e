//! What guards the registration form: the CSRF token (shared by every instance on one
//! database), the honeypot and the rate limit.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};

use crate::helpers::forms::{header, open_form, post_form};
use crate::helpers::pages::{
    fixture, follow, get_page, redirect_path, register, registrations, with,
};
use crate::helpers::spawn_app;

#[tokio::test]
async fn a_post_without_the_matching_csrf_token_is_refused() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let form = open_form(&app, &fixture.form_path()).await;
    let mut with_token = fixture.fields("minji@example.com");
    with_token.push(("csrf".into(), form.csrf.clone()));

    // No cookie (another site's form, or cookies off): the form comes back to be sent again
    // (see `web::form_fixes`), and nothing is registered.
    let response = post_form(&app, &fixture.form_path(), None, &with_token).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(header(&response, CONTENT_TYPE).starts_with("text/html"));
    let html = response.text().await.unwrap();
    assert!(html.contains("한 번 더 제출해 주세요."));
    assert!(html.contains(&format!("action=\"{}?lang=ko\"", fixture.form_path())));

    // A cookie that does not match the form's token.
    let other = open_form(&app, &fixture.form_path()).await;
    let response = post_form(&app, &fixture.form_path(), Some(&other.cookie), &with_token).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    // The same token in both, but not signed by the server.
    let forged = "AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let fields = with(fixture.fields("minji@example.com"), "csrf", forged);
    let response = post_form(
        &app,
        &fixture.form_path(),
        Some(&format!("hc_csrf={forged}")),
        &fields,
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    // No token in the form at all.
    let response = post_form(
        &app,
        &fixture.form_path(),
        Some(&form.cookie),
        &fixture.fields("minji@example.com"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(registrations(&app, &fixture.event_id).await.is_empty());

    // The matching pair goes through; the page's cookie is reused, not replaced.
    let response = post_form(&app, &fixture.form_path(), Some(&form.cookie), &with_token).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(registrations(&app, &fixture.event_id).await.len(), 1);
}

#[tokio::test]
async fn a_filled_honeypot_looks_like_success_but_creates_nothing() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let mut fields = fixture.fields("bot@example.com");
    fields.push(("website_url".into(), "http://spam.example".into()));
    let response = register(&app, &fixture, fields).await;
    // The bot is told a link was mailed, as someone who registered before would be.
    assert_eq!(
        redirect_path(&response),
        format!("{}/sent", fixture.form_path())
    );
    let (status, html) = follow(&app, &response).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("메일을 확인해 주세요"));
    assert!(registrations(&app, &fixture.event_id).await.is_empty());
    // The same person without the honeypot registers normally.
    let response = register(&app, &fixture, fixture.fields("bot@example.com")).await;
    assert!(redirect_path(&response).starts_with("/registrations/"));
    assert_eq!(registrations(&app, &fixture.event_id).await.len(), 1);
}

#[tokio::test]
async fn too_many_posts_from_one_address_get_429() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let form = open_form(&app, &fixture.form_path()).await;
    let fields = vec![("csrf".to_string(), form.csrf.clone())];
    let mut statuses = Vec::new();
    for _ in 0..25 {
        let response = post_form(&app, &fixture.form_path(), Some(&form.cookie), &fields).await;
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert!(header(&response, RETRY_AFTER).parse::<u64>().unwrap() >= 1);
            assert!(header(&response, CONTENT_TYPE).starts_with("text/html"));
            let html = response.text().await.unwrap();
            assert!(html.contains("요청이 너무 많습니다"), "{html}");
        }
        statuses.push(status);
    }
    let limited = statuses
        .iter()
        .position(|s| *s == StatusCode::TOO_MANY_REQUESTS)
        .expect("the limit applies");
    // 20 at once pass (one more every 3 seconds, should the machine be that slow).
    assert!(limited >= 20, "a burst of 20 passes: {statuses:?}");
    assert!(
        statuses[..limited]
            .iter()
            .all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY)
    );
    // Reading pages is not limited.
    let (status, _) = get_page(&app, &fixture.event_path()).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_form_from_one_instance_can_be_posted_to_another() {
    let app = spawn_app().await;
    let other = app.second_instance().await;
    let fixture = fixture(&app).await;
    let form = open_form(&app, &fixture.form_path()).await;
    let mut fields = fixture.fields("minji@example.com");
    fields.push(("csrf".into(), form.csrf.clone()));
    let response = post_form(&other, &fixture.form_path(), Some(&form.cookie), &fields).await;
    assert_ne!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "the other instance accepts the token"
    );
    assert_eq!(registrations(&app, &fixture.event_id).await.len(), 1);
}
