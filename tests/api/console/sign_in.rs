//! Signing in without a password: the mailed one-time link, sessions and their expiry,
//! signing out, and the refusals of forged or foreign posts.

use chrono::TimeDelta;
use entity::outbox_message;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, ORIGIN, SET_COOKIE};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::helpers::console::{Console, form_body, html_unescape, location, sign_in_with_link};
use crate::helpers::forms::{assert_console_private, between, browser, header, open_form};
use crate::helpers::{TestApp, spawn_app};

/// Asks for a sign-in link for `email` on the sign-in page, as a browser does; the answer.
async fn ask_for_link(app: &TestApp, email: &str, next: Option<&str>) -> reqwest::Response {
    let form = open_form(app, "/admin/sign-in").await;
    let mut fields = vec![("csrf", form.csrf.as_str()), ("email", email)];
    if let Some(next) = next {
        fields.push(("next", next));
    }
    browser()
        .post(app.url("/admin/sign-in"))
        .header(COOKIE, &form.cookie)
        .header(ORIGIN, &app.address)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(form_body(&fields))
        .send()
        .await
        .unwrap()
}

/// The sign-in mails queued for `email`, oldest first.
async fn sign_in_mails(app: &TestApp, email: &str) -> Vec<outbox_message::Model> {
    outbox_message::Entity::find()
        .filter(outbox_message::Column::ToAddress.eq(email))
        .filter(outbox_message::Column::Kind.eq(entity::values::MailKind::SignIn))
        .order_by_asc(outbox_message::Column::CreatedAt)
        .all(&app.db)
        .await
        .unwrap()
}

/// The path (with query) of the link in a sign-in mail.
fn link_path(app: &TestApp, mail: &outbox_message::Model) -> String {
    let start = mail.text_body.find("/admin/sign-in/").expect("a link");
    let link = mail.text_body[start..].split_whitespace().next().unwrap();
    assert!(
        mail.text_body.contains(&format!("{}{link}", app.address)) || mail.text_body.contains(link),
        "the link is absolute"
    );
    link.to_string()
}

#[tokio::test]
async fn an_organizer_signs_in_with_the_mailed_link_once() {
    let app = spawn_app().await;
    let email = app.organizer.email.clone();
    // Any case: one address is one organizer.
    let response = ask_for_link(&app, &email.to_uppercase(), None).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).starts_with("/admin/sign-in/sent"));
    let mails = sign_in_mails(&app, &email).await;
    assert_eq!(mails.len(), 1, "one link mailed");
    assert!(mails[0].html_body.contains("15"));
    let path = link_path(&app, &mails[0]);

    // Opening the link changes nothing (a mail scanner may fetch it); the button signs in.
    let opened = browser().get(app.url(&path)).send().await.unwrap();
    assert_eq!(opened.status(), StatusCode::OK);
    assert_console_private(&opened);
    let again = browser().get(app.url(&path)).send().await.unwrap();
    assert_eq!(
        again.status(),
        StatusCode::OK,
        "a GET does not use the link up"
    );

    let console = sign_in_with_link(&app, &path).await;
    let home = console.page("/admin").await;
    assert!(home.contains(&app.organizer.name), "{home}");

    // Used once: the link is spent.
    let reused = browser().get(app.url(&path)).send().await.unwrap();
    assert_eq!(reused.status(), StatusCode::GONE);
    assert!(reused.text().await.unwrap().contains("이미 사용"));
}

#[tokio::test]
async fn the_session_cookie_is_http_only_strict_and_for_the_console_only() {
    let app = spawn_app().await;
    let secret =
        homecoming::organizers::store::new_sign_in_link(&app.db, app.organizer.id, app.clock.now())
            .await
            .unwrap();
    let path = format!("/admin/sign-in/{secret}");
    let page = open_form(&app, &path).await;
    let response = browser()
        .post(app.url(&path))
        .header(COOKIE, &page.cookie)
        .header(ORIGIN, &app.address)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(form_body(&[("csrf", page.csrf.as_str())]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/admin");
    let cookie = header(&response, SET_COOKIE);
    assert!(cookie.starts_with("hc_session=hcx_"), "{cookie}");
    for attribute in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/admin",
        "Max-Age=2592000",
    ] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "http in tests; Secure on https");
    // 256 bits, stored only as a hash.
    let value = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("hc_session=hcx_");
    assert_eq!(value.len(), 43);
    let stored = entity::organizer_session::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].token_hash, value);
    assert!(!stored[0].token_hash.contains(value));
}

#[tokio::test]
async fn an_unknown_address_gets_the_same_answer_and_no_mail() {
    let app = spawn_app().await;
    let known = ask_for_link(&app, &app.organizer.email, None).await;
    let unknown = ask_for_link(&app, "stranger@example.com", None).await;
    assert_eq!(known.status(), unknown.status());
    assert_eq!(location(&known), location(&unknown));
    assert!(sign_in_mails(&app, "stranger@example.com").await.is_empty());

    let invalid = ask_for_link(&app, "not-an-address", None).await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = invalid.text().await.unwrap();
    assert!(html.contains("id=\"email-error\""), "inline error: {html}");
    assert!(
        html.contains("value=\"not-an-address\""),
        "the input is kept"
    );
}

#[tokio::test]
async fn repeated_requests_for_one_address_mail_at_most_three_links_per_window() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let response = ask_for_link(&app, &app.organizer.email, None).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "the same answer");
    }
    assert_eq!(sign_in_mails(&app, &app.organizer.email).await.len(), 3);
    app.clock.advance(TimeDelta::minutes(16));
    ask_for_link(&app, &app.organizer.email, None).await;
    assert_eq!(sign_in_mails(&app, &app.organizer.email).await.len(), 4);
}

#[tokio::test]
async fn a_link_expires_after_fifteen_minutes() {
    let app = spawn_app().await;
    ask_for_link(&app, &app.organizer.email, None).await;
    let path = link_path(&app, &sign_in_mails(&app, &app.organizer.email).await[0]);
    app.clock.advance(TimeDelta::minutes(15));
    let response = browser().get(app.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::GONE);
    assert!(response.text().await.unwrap().contains("만료"));
}

async fn is_signed_in(console: &Console) -> bool {
    let response = console.get("/admin").await;
    match response.status() {
        StatusCode::OK => true,
        StatusCode::SEE_OTHER => {
            assert!(location(&response).starts_with("/admin/sign-in?next="));
            false
        }
        other => panic!("unexpected {other}"),
    }
}

#[tokio::test]
async fn a_session_ends_after_twelve_idle_hours() {
    let app = spawn_app().await;
    let console = app.console().await;
    app.clock.advance(TimeDelta::hours(11));
    assert!(is_signed_in(&console).await, "used within 12 hours");
    app.clock.advance(TimeDelta::hours(11));
    assert!(is_signed_in(&console).await, "the last use counts");
    app.clock.advance(TimeDelta::hours(12));
    assert!(!is_signed_in(&console).await, "12 hours idle");
}

#[tokio::test]
async fn a_session_ends_thirty_days_after_sign_in_however_active() {
    let app = spawn_app().await;
    let console = app.console().await;
    for _ in 0..65 {
        app.clock.advance(TimeDelta::hours(11));
        assert!(is_signed_in(&console).await);
    }
    // 29 days 19 hours so far; the next 11 hours pass 30 days.
    app.clock.advance(TimeDelta::hours(11));
    assert!(!is_signed_in(&console).await);
}

#[tokio::test]
async fn signing_out_ends_the_session_and_other_sessions_can_be_ended() {
    let app = spawn_app().await;
    let laptop = app.console().await;
    let phone = app.console().await;
    let account = laptop.page("/admin/account").await;
    assert_eq!(account.matches("/end\"").count(), 2, "both sessions listed");

    // The laptop ends the phone's session.
    let phone_session = entity::organizer_session::Entity::find()
        .filter(
            entity::organizer_session::Column::TokenHash.eq(homecoming::secrets::hash(
                phone.cookie.trim_start_matches("hc_session="),
            )),
        )
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let ended = laptop
        .post::<&str, &str>(
            &format!("/admin/account/sessions/{}/end", phone_session.id),
            &[],
        )
        .await;
    assert_eq!(ended.status(), StatusCode::SEE_OTHER);
    assert!(!is_signed_in(&phone).await);
    assert!(is_signed_in(&laptop).await);

    let signed_out = laptop.post::<&str, &str>("/admin/sign-out", &[]).await;
    assert_eq!(signed_out.status(), StatusCode::SEE_OTHER);
    assert!(header(&signed_out, SET_COOKIE).contains("Max-Age=0"));
    assert!(!is_signed_in(&laptop).await);
}

#[tokio::test]
async fn forged_or_foreign_posts_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let console = app.console().await;
    let post = |csrf: &str, origin: Option<&str>| {
        let mut request = browser()
            .post(console.url("/admin/sign-out"))
            .header(COOKIE, &console.cookie)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(form_body(&[("csrf", csrf)]));
        if let Some(origin) = origin {
            request = request.header(ORIGIN, origin);
        }
        request.send()
    };
    let wrong_token = post("forged", Some(&app.address)).await.unwrap();
    assert_eq!(wrong_token.status(), StatusCode::FORBIDDEN);
    let foreign = post(&console.csrf, Some("https://evil.example"))
        .await
        .unwrap();
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    let no_origin = post(&console.csrf, None).await.unwrap();
    assert_eq!(no_origin.status(), StatusCode::FORBIDDEN);
    assert!(is_signed_in(&console).await, "nothing was done");

    // Another session's token does not hold for this one.
    let other = app.console().await;
    let crossed = post(&other.csrf, Some(&app.address)).await.unwrap();
    assert_eq!(crossed.status(), StatusCode::FORBIDDEN);
    assert!(is_signed_in(&console).await);
}

#[tokio::test]
async fn a_signed_out_visit_signs_in_and_comes_back_where_it_was_going() {
    let app = spawn_app().await;
    let target = "/admin/account?tab=sessions";
    let response = browser().get(app.url(target)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_console_private(&response);
    let sign_in = location(&response);
    assert_eq!(
        sign_in,
        "/admin/sign-in?next=%2Fadmin%2Faccount%3Ftab%3Dsessions"
    );

    // The sign-in page carries the destination into the request and the mailed link.
    let page = browser()
        .get(app.url(&sign_in))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let next = html_unescape(between(&page, "name=\"next\" value=\"", "\"").unwrap());
    assert_eq!(next, target);
    ask_for_link(&app, &app.organizer.email, Some(&next)).await;
    let path = link_path(&app, &sign_in_mails(&app, &app.organizer.email).await[0]);
    assert!(path.contains("?next=%2Fadmin%2Faccount"), "{path}");

    let link_page = browser().get(app.url(&path)).send().await.unwrap();
    let form_cookie = header(&link_page, SET_COOKIE)
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let html = link_page.text().await.unwrap();
    let csrf = between(&html, "name=\"csrf\" value=\"", "\"").unwrap();
    let next = html_unescape(between(&html, "name=\"next\" value=\"", "\"").unwrap());
    let signed_in = browser()
        .post(app.url(path.split('?').next().unwrap()))
        .header(COOKIE, form_cookie)
        .header(ORIGIN, &app.address)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(form_body(&[("csrf", csrf), ("next", next.as_str())]))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&signed_in), target);

    // Only console paths: another site is never a destination.
    let evil = browser()
        .get(app.url("/admin/sign-in?next=%2F%2Fevil.example"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!evil.contains("name=\"next\""));
}

#[tokio::test]
async fn a_post_without_a_session_is_told_to_sign_in_and_changes_nothing() {
    let app = spawn_app().await;
    let response = browser()
        .post(app.url("/admin/sign-out"))
        .header(ORIGIN, &app.address)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_console_private(&response);
}

#[tokio::test]
async fn the_command_line_adds_an_organizer_and_prints_a_working_link() {
    let app = spawn_app().await;
    let output = crate::helpers::cli::Cli::for_database(&app.database_url).run(&[
        "organizer",
        "add",
        "--email",
        "Lead@Example.com",
        "--name",
        "김운영",
    ]);
    assert!(
        output.status.success(),
        "{}",
        crate::helpers::cli::stderr(&output)
    );
    let url = crate::helpers::cli::stdout(&output).trim().to_string();
    let path = &url[url.find("/admin/sign-in/").expect("a sign-in link")..];
    let mails = sign_in_mails(&app, "lead@example.com").await;
    assert_eq!(mails.len(), 1, "the link is mailed too");
    assert!(mails[0].text_body.contains(path));
    let console = sign_in_with_link(&app, path).await;
    assert!(console.page("/admin").await.contains("김운영"));

    let again = crate::helpers::cli::Cli::for_database(&app.database_url).run(&[
        "organizer",
        "add",
        "--email",
        "lead@example.com",
        "--name",
        "x",
    ]);
    assert!(!again.status.success());
    assert!(crate::helpers::cli::stderr(&again).contains("exists already"));
}

#[tokio::test]
async fn a_console_address_that_does_not_parse_answers_a_console_page() {
    let app = spawn_app().await;
    let console = app.console().await;
    for (path, status) in [
        (
            "/admin/events/not-an-id/registrations",
            StatusCode::NOT_FOUND,
        ),
        ("/admin?event=not-an-id", StatusCode::BAD_REQUEST),
    ] {
        let response = console.get(path).await;
        assert_eq!(response.status(), status, "{path}");
        assert!(
            header(&response, reqwest::header::CONTENT_TYPE).starts_with("text/html"),
            "{path}"
        );
        assert_console_private(&response);
        let html = response.text().await.unwrap();
        assert!(html.contains("주소가 올바르지 않습니다"), "{html}");
    }
}

/// The time of the answer does not tell a known address from an unknown one either: both
/// wait for the same floor, longer than mailing a link takes here.
#[tokio::test]
async fn known_and_unknown_addresses_take_the_same_time_to_answer() {
    let app = spawn_app().await;
    for email in [
        app.organizer.email.clone(),
        "stranger@example.com".to_string(),
    ] {
        let started = std::time::Instant::now();
        let response = ask_for_link(&app, &email, None).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert!(
            started.elapsed() >= std::time::Duration::from_millis(500),
            "{email} answered before the floor"
        );
    }
}
