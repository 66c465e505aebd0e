//! Post/Redirect/Get in a real browser: registering lands on the manage page (the ticket)
//! with a one-time banner; Back and Reload never post again, and the mailed link still works.

use fantoccini::{Client, Locator};

use crate::harness::{click, in_browser, published_event, text, type_into};
use crate::helpers::mail::{app_with_sink, outbox, parse, part};
use crate::helpers::smtp_sink::SmtpSink;
use crate::helpers::{TestApp, id};

#[tokio::test]
async fn back_and_reload_after_registering_never_post_again() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let slug = published_event(&app).await;
    in_browser(|client| async move { run(&client, &app, &sink, &slug).await }).await;
}

/// The registrations of the one event and the messages queued, as the organizers see them.
async fn counts(app: &TestApp) -> (usize, usize) {
    let events = app
        .get("/api/v1/events")
        .await
        .json::<serde_json::Value>()
        .await;
    let event_id = id(&events.unwrap()["items"][0]);
    let registrations = app
        .get(&format!("/api/v1/events/{event_id}/registrations"))
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let made = registrations["items"].as_array().unwrap().len();
    (made, outbox(app, "").await.len())
}

async fn fill_and_send(client: &Client) {
    type_into(client, "#f-name", "이민지").await;
    type_into(client, "#f-email", "minji@example.com").await;
    // A dropdown's option or a radio button, whichever the form shows.
    click(
        client,
        "#f-role option[value='alumni'], input[name='role'][value='alumni']",
    )
    .await;
    type_into(client, "#f-admission_year", "2019").await;
    type_into(client, "#f-q0", "반갑습니다").await;
    click(client, "#submit").await;
}

async fn run(client: &Client, app: &TestApp, sink: &SmtpSink, slug: &str) {
    let form = app.url(&format!("/events/{slug}/register"));
    client.goto(&form).await.unwrap();
    fill_and_send(client).await;

    let banner = text(client, "#registered").await;
    assert!(banner.contains("참가가 확정되었습니다"), "{banner}");
    let page = client.current_url().await.unwrap();
    assert!(page.path().starts_with("/registrations/"), "{page}");
    assert_eq!(counts(app).await, (1, 1));

    // Reload: the page as it is, without the banner, and nothing posted.
    client.refresh().await.unwrap();
    text(client, "#status").await;
    assert!(
        client.find(Locator::Css("#registered")).await.is_err(),
        "the banner shows once"
    );
    assert_eq!(client.current_url().await.unwrap(), page);
    assert_eq!(counts(app).await, (1, 1), "Reload posts nothing");

    // Back: the form again (fetched anew), not a resubmission.
    client.back().await.unwrap();
    text(client, "#form").await;
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/register")
    );
    assert_eq!(counts(app).await, (1, 1), "Back posts nothing");

    // The link in the confirmation mail opens the same page.
    let messages = sink.wait_for(1).await;
    let mail = parse(&messages[0]);
    let body = part(&mail, "text/plain").unwrap().get_body().unwrap();
    let line = body
        .lines()
        .find(|line| line.contains("/registrations/"))
        .expect("a manage link in the mail");
    let path = line[line.find("/registrations/").unwrap()..].trim();
    assert_eq!(path, page.path(), "the mailed link is the page's");
    client.goto(&app.url(path)).await.unwrap();
    assert_eq!(text(client, "#status").await, "참가 확정");

    // A save with an error opens at the form, not at the top of the long page.
    type_into(client, "#f-name", " ").await;
    click(client, "#form button[type=submit]").await;
    text(client, "#f-name-error").await;
    assert_eq!(client.current_url().await.unwrap().fragment(), Some("edit"));
    let scrolled = client
        .execute("return window.scrollY;", Vec::new())
        .await
        .unwrap();
    assert!(
        scrolled.as_f64().unwrap() > 300.0,
        "opened at the form: {scrolled}"
    );
    assert_eq!(counts(app).await, (1, 1), "nothing saved, nothing mailed");
}
