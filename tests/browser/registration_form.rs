//! A person registers in Korean: an inline error, input kept, then their manage page.

use fantoccini::{Client, Locator};

use crate::harness::{click, in_browser, published_event, text, type_into, value};
use crate::helpers::{TestApp, spawn_app};

#[tokio::test]
async fn a_person_registers_in_korean_through_a_real_browser() {
    let app = spawn_app().await;
    let slug = published_event(&app).await;
    in_browser(|client| async move { run(&client, &app, &slug).await }).await;
}

async fn run(client: &Client, app: &TestApp, slug: &str) {
    // The event page, in Korean because the browser prefers it.
    client
        .goto(&app.url(&format!("/events/{slug}")))
        .await
        .unwrap();
    assert_eq!(text(client, "h1").await, "1&N 홈커밍 2030");
    let lang = client
        .find(Locator::Css("html"))
        .await
        .unwrap()
        .attr("lang")
        .await
        .unwrap();
    assert_eq!(lang.as_deref(), Some("ko"));
    assert!(
        text(client, "main")
            .await
            .contains("신입 개발자로 살아남기")
    );
    assert_eq!(text(client, "#register").await, "참가 신청하기");
    click(client, "#register").await;

    // The form: everything filled in, but the email is wrong.
    text(client, "#form").await;
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/register")
    );
    type_into(client, "#f-name", "이민지").await;
    type_into(client, "#f-email", "minji-at-example.com").await;
    click(client, "#f-role-1").await;
    type_into(client, "#f-admission_year", "2019").await;
    type_into(client, "#f-affiliation", "Toss").await;
    click(client, "#f-interests-0").await;
    click(client, "#f-goals-0").await;
    click(client, "#f-speakers-0").await;
    click(client, "#f-consent_share").await;
    type_into(client, "#f-q0", "커리어 이야기를 나누고 싶어요").await;
    click(client, "#submit").await;

    // The inline error beside the email field, the rest as it was typed.
    let error = text(client, "#f-email-error").await;
    assert!(
        error.contains("name@example.com 형식의 이메일 주소를 입력해 주세요."),
        "{error}"
    );
    let beside = client
        .find(Locator::XPath(
            "//input[@id='f-email']/ancestor::div[contains(@class,'field')]//p[@id='f-email-error']",
        ))
        .await;
    assert!(beside.is_ok(), "the error is in the email field's block");
    let email = client.find(Locator::Css("#f-email")).await.unwrap();
    assert_eq!(
        email.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    assert!(
        text(client, ".summary")
            .await
            .contains("입력 내용을 확인해 주세요")
    );
    assert_eq!(value(client, "#f-name").await, "이민지");
    assert_eq!(value(client, "#f-email").await, "minji-at-example.com");
    assert_eq!(value(client, "#f-admission_year").await, "2019");
    assert_eq!(value(client, "#f-affiliation").await, "Toss");
    assert_eq!(
        value(client, "#f-q0").await,
        "커리어 이야기를 나누고 싶어요"
    );
    for checked in [
        "#f-role-1",
        "#f-interests-0",
        "#f-goals-0",
        "#f-speakers-0",
        "#f-consent_share",
    ] {
        let element = client.find(Locator::Css(checked)).await.unwrap();
        assert!(
            element.is_selected().await.unwrap(),
            "{checked} stays checked"
        );
    }
    let unchecked = client.find(Locator::Css("#f-interests-1")).await.unwrap();
    assert!(!unchecked.is_selected().await.unwrap());

    // Corrected, it goes through and lands on the person's page (the ticket), still in
    // Korean, with a one-time banner.
    type_into(client, "#f-email", "minji@example.com").await;
    click(client, "#submit").await;
    // `#registered` exists only on the manage page: once it is there, so is the rest.
    let banner = text(client, "#registered").await;
    assert!(banner.contains("참가가 확정되었습니다"), "{banner}");
    assert_eq!(text(client, "#status").await, "참가 확정");
    assert!(!text(client, "#checkin-code").await.is_empty());
    let path = client.current_url().await.unwrap().path().to_string();
    assert!(path.starts_with("/registrations/"), "{path}");
    let token = path.rsplit('/').next().unwrap();
    assert!(token.len() >= 43, "a long signed token: {token}");
}
