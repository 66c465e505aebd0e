//! Door check-in in the console: typed codes, the QR code's one-tap page, refusals with their
//! reasons, undo (console and API), two phones at once, forged posts, and the live count.

use chrono::{DateTime, FixedOffset};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, ORIGIN};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::console::{Console, form_body, html_unescape, location, sign_in_with_link};
use crate::helpers::forms::{between, browser};
use crate::helpers::registration::{person, register_ok, stats};
use crate::helpers::{TestApp, expect_problem, expect_status, id, spawn_app};

fn door(event: &Value) -> String {
    format!("/admin/events/{}/check-in", id(event))
}

fn code(registration: &Value) -> String {
    registration["checkin_code"]
        .as_str()
        .expect("a confirmed registration's code")
        .to_string()
}

/// The door code of any registration, confirmed or not (the API shows it only while
/// confirmed).
async fn stored_code(app: &TestApp, registration: &Value) -> String {
    let row_id = uuid::Uuid::parse_str(&id(registration)).unwrap();
    entity::registration::Entity::find_by_id(row_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .checkin_code
}

async fn checked_in(app: &TestApp, event: &Value) -> u64 {
    stats(app, &id(event)).await["checked_in"].as_u64().unwrap()
}

async fn registration(app: &TestApp, event: &Value, registration: &Value) -> Value {
    expect_status(
        app.get(&format!(
            "/api/v1/events/{}/registrations/{}",
            id(event),
            id(registration)
        ))
        .await,
        StatusCode::OK,
    )
    .await
}

/// "13:42": when the person came in, in the event's zone (Seoul).
async fn came_in_at(app: &TestApp, event: &Value, person: &Value) -> String {
    let raw = registration(app, event, person).await["checked_in_at"]
        .as_str()
        .expect("checked in")
        .to_string();
    let seoul = FixedOffset::east_opt(9 * 3600).unwrap();
    DateTime::parse_from_rfc3339(&raw)
        .unwrap()
        .with_timezone(&seoul)
        .format("%H:%M")
        .to_string()
}

/// Posts a code at the door and follows the redirect: where it led and the page there.
async fn post_code(console: &Console, event: &Value, code: &str) -> (String, String) {
    let response = console.post(&door(event), &[("code", code)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "POST code {code}");
    let to = location(&response);
    let page = console.page(&to).await;
    (to, page)
}

/// The result's colour class: `go`, `again`, `ready` or `stop`.
fn tone(page: &str) -> &str {
    between(page, "class=\"door-result door-", "\"").expect("a result on the page")
}

#[tokio::test]
async fn a_typed_code_checks_in_once_in_any_case_and_with_or_without_its_dash() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let seoyeon = register_ok(
        &app,
        &id(&event),
        &json!({"name": "김서연", "email": "seoyeon@example.com", "role": "alumni", "affiliation": "Toss"}),
    )
    .await;
    let console = app.console().await;
    let typed = code(&seoyeon).to_lowercase().replace('-', " ");

    let (to, page) = post_code(&console, &event, &typed).await;
    assert!(
        to.ends_with(&format!(
            "?code={}&done=checked-in#door-result",
            code(&seoyeon)
        )),
        "{to}"
    );
    assert_eq!(tone(&page), "go");
    assert!(page.contains("체크인 완료"), "{page}");
    assert!(page.contains("김서연, Toss"), "{page}");
    assert!(page.contains("id=\"door-checked\">1<"), "the count: {page}");
    assert_eq!(checked_in(&app, &event).await, 1);

    // Again (another scan of the same ticket): amber, with the time of the first.
    let (to, page) = post_code(&console, &event, &code(&seoyeon)).await;
    assert!(!to.contains("done="), "{to}");
    assert_eq!(tone(&page), "again");
    let at = came_in_at(&app, &event, &seoyeon).await;
    assert!(
        page.contains(&format!("이미 {at}에 체크인했습니다")),
        "{page}"
    );
    assert_eq!(checked_in(&app, &event).await, 1);

    // Reloading the green page says nothing new; the database decides what it shows.
    let (_, again) = post_code(&console, &event, &code(&seoyeon)).await;
    assert_eq!(tone(&again), "again");
}

#[tokio::test]
async fn the_search_finds_confirmed_people_by_name_with_a_check_in_button() {
    let app = spawn_app().await;
    let event = app.open_event(1, json!({})).await;
    let seoyeon = register_ok(
        &app,
        &id(&event),
        &json!({"name": "김서연", "email": "seoyeon@example.com", "role": "alumni"}),
    )
    .await;
    let waiting = register_ok(
        &app,
        &id(&event),
        &json!({"name": "김서준", "email": "seojun@example.com", "role": "alumni"}),
    )
    .await;
    assert_eq!(waiting["status"], "waitlisted");
    let console = app.console().await;

    let page = console
        .page(&format!("{}?q={}", door(&event), "김서"))
        .await;
    let found = between(&page, "<ul class=\"door-found\"", "</ul>").expect("a list");
    assert!(found.contains("김서연"), "{found}");
    assert!(
        !found.contains("김서준"),
        "the waitlisted are not found: {found}"
    );
    assert!(found.contains(&format!("name=\"code\" value=\"{}\"", code(&seoyeon))));

    let (_, page) = post_code(&console, &event, &code(&seoyeon)).await;
    assert_eq!(tone(&page), "go");
    let page = console
        .page(&format!("{}?q={}", door(&event), "seoyeon"))
        .await;
    let at = came_in_at(&app, &event, &seoyeon).await;
    assert!(page.contains(&format!("{at} 체크인")), "{page}");

    let none = console.page(&format!("{}?q=nobody", door(&event))).await;
    assert!(none.contains("id=\"door-found-none\""), "{none}");
}

#[tokio::test]
async fn refused_registrations_are_red_with_their_reason_and_nobody_comes_in() {
    let app = spawn_app().await;
    let event = app.open_event(2, json!({})).await;
    let seated = register_ok(&app, &id(&event), &person(1)).await;
    let leaving = register_ok(&app, &id(&event), &person(2)).await;
    let waiting = register_ok(&app, &id(&event), &person(3)).await;
    assert_eq!(waiting["status"], "waitlisted");
    let leaving_code = code(&leaving);
    let cancelled = app
        .post(
            &format!(
                "/api/v1/events/{}/registrations/{}/cancel",
                id(&event),
                id(&leaving)
            ),
            &json!({}),
        )
        .await;
    expect_status(cancelled, StatusCode::OK).await;
    // The cancellation promoted the head of the waitlist; another one waits now.
    let waiting = register_ok(&app, &id(&event), &person(4)).await;
    assert_eq!(waiting["status"], "waitlisted");
    let approval = app.open_event(5, json!({"requires_approval": true})).await;
    let pending = register_ok(&app, &id(&approval), &person(5)).await;
    assert_eq!(pending["status"], "pending");
    let console = app.console().await;

    let cases = [
        (&event, leaving_code, "취소된 등록"),
        (&event, stored_code(&app, &waiting).await, "대기자"),
        (&approval, stored_code(&app, &pending).await, "승인 대기"),
        (&event, "ZZZ-ZZZ".to_string(), "등록되지 않음"),
    ];
    for (at_event, door_code, reason) in cases {
        let (to, page) = post_code(&console, at_event, &door_code.to_lowercase()).await;
        assert!(!to.contains("done="), "{to}");
        assert_eq!(tone(&page), "stop", "{door_code}");
        assert!(page.contains(reason), "{reason}: {page}");
        assert!(!page.contains("id=\"door-check-in\""), "no check-in button");
        assert!(!page.contains("id=\"door-undo\""), "no undo button");
    }
    let unknown = console
        .page(&format!("{}?code=zzz-zzz", door(&event)))
        .await;
    assert!(
        unknown.contains("ZZZ-ZZZ 코드로 등록한 사람이 없습니다"),
        "{unknown}"
    );
    assert_eq!(checked_in(&app, &event).await, 0);
    assert_eq!(checked_in(&app, &approval).await, 0);
    assert_eq!(seated["status"], "confirmed");
}

#[tokio::test]
async fn a_missing_code_is_asked_for_again_and_changes_nothing() {
    let app = spawn_app().await;
    let event = app.open_event(2, json!({})).await;
    register_ok(&app, &id(&event), &person(1)).await;
    let console = app.console().await;
    for typed in ["", " - ", &"A".repeat(40)] {
        let response = console.post(&door(&event), &[("code", typed)]).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{typed:?}"
        );
        let page = response.text().await.unwrap();
        assert!(page.contains("id=\"door-code-error\""), "{page}");
        assert!(page.contains("aria-invalid=\"true\""), "{page}");
    }
    assert_eq!(checked_in(&app, &event).await, 0);
}

#[tokio::test]
async fn undo_in_the_console_makes_the_person_ready_again() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let seoyeon = register_ok(&app, &id(&event), &person(1)).await;
    let console = app.console().await;
    let (_, page) = post_code(&console, &event, &code(&seoyeon)).await;
    let undo_id = between(&page, "name=\"registration\" value=\"", "\"").expect("an undo form");
    assert_eq!(undo_id, id(&seoyeon));

    let undone = console
        .post(
            &format!("{}/undo", door(&event)),
            &[("registration", id(&seoyeon))],
        )
        .await;
    assert_eq!(undone.status(), StatusCode::SEE_OTHER);
    let to = location(&undone);
    assert!(to.ends_with("&done=undone#door-result"), "{to}");
    let page = console.page(&to).await;
    assert_eq!(tone(&page), "ready");
    assert!(page.contains("체크인을 취소했습니다"), "{page}");
    assert!(page.contains("id=\"door-check-in\""), "{page}");
    assert!(page.contains("id=\"door-checked\">0<"), "{page}");
    assert_eq!(checked_in(&app, &event).await, 0);
    assert!(registration(&app, &event, &seoyeon).await["checked_in_at"].is_null());

    // A second undo (another phone was quicker) changes nothing and says so.
    let again = console
        .post(
            &format!("{}/undo", door(&event)),
            &[("registration", id(&seoyeon))],
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let garbled = console
        .post(&format!("{}/undo", door(&event)), &[("registration", "x")])
        .await;
    assert_eq!(garbled.status(), StatusCode::CONFLICT);

    // And the person can be checked in anew.
    let (_, page) = post_code(&console, &event, &code(&seoyeon)).await;
    assert_eq!(tone(&page), "go");
}

#[tokio::test]
async fn the_api_undoes_a_check_in_and_answers_every_other_case_with_its_status() {
    let app = spawn_app().await;
    let event = app.open_event(1, json!({})).await;
    let other_event = app.open_event(1, json!({})).await;
    let seoyeon = register_ok(&app, &id(&event), &person(1)).await;
    let waiting = register_ok(&app, &id(&event), &person(2)).await;
    let elsewhere = register_ok(&app, &id(&other_event), &person(3)).await;
    let undo = |event: &Value, registration: &str| {
        format!("/api/v1/events/{}/check-ins/{registration}", id(event))
    };
    let checked = app
        .post(
            &format!("/api/v1/events/{}/check-ins", id(&event)),
            &json!({"code": code(&seoyeon)}),
        )
        .await;
    expect_status(checked, StatusCode::OK).await;

    let undone = expect_status(
        app.delete(&undo(&event, &id(&seoyeon))).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(undone["id"], seoyeon["id"]);
    assert!(undone["checked_in_at"].is_null(), "{undone}");
    assert_eq!(checked_in(&app, &event).await, 0);

    let twice = expect_problem(
        app.delete(&undo(&event, &id(&seoyeon))).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(twice["conflict"]["kind"], "invalid_state", "{twice}");
    expect_problem(
        app.delete(&undo(&event, &id(&waiting))).await,
        StatusCode::CONFLICT,
    )
    .await;
    expect_problem(
        app.delete(&undo(&event, &id(&elsewhere))).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    expect_problem(
        app.delete(&undo(&event, &uuid::Uuid::now_v7().to_string()))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let no_event = format!(
        "/api/v1/events/{}/check-ins/{}",
        uuid::Uuid::now_v7(),
        id(&seoyeon)
    );
    expect_problem(app.delete(&no_event).await, StatusCode::NOT_FOUND).await;
    let anonymous = reqwest::Client::new()
        .delete(app.url(&undo(&event, &id(&seoyeon))))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_tickets_qr_url_asks_to_sign_in_then_checks_in_after_one_tap() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let seoyeon = register_ok(
        &app,
        &id(&event),
        &json!({"name": "김서연", "email": "seoyeon@example.com", "role": "alumni"}),
    )
    .await;
    let qr_path = format!("{}?code={}", door(&event), code(&seoyeon));

    // Signed out: to the sign-in page, which will come back here.
    let signed_out = browser().get(app.url(&qr_path)).send().await.unwrap();
    assert_eq!(signed_out.status(), StatusCode::SEE_OTHER);
    let sign_in = location(&signed_out);
    let next = url::Url::parse(&app.url(&sign_in))
        .unwrap()
        .query_pairs()
        .find(|(key, _)| key == "next")
        .map(|(_, value)| value.into_owned())
        .expect("a next parameter");
    assert_eq!(next, qr_path);
    let page = browser().get(app.url(&sign_in)).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert_eq!(
        html_unescape(between(&html, "name=\"next\" value=\"", "\"").unwrap()),
        qr_path
    );

    // The mailed link carries `next`; signing in lands on the QR code's page.
    let secret =
        homecoming::organizers::store::new_sign_in_link(&app.db, app.organizer.id, app.clock.now())
            .await
            .unwrap();
    let link = format!(
        "/admin/sign-in/{secret}?{}",
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("next", &next)
            .finish()
    );
    let console = sign_in_with_link(&app, &link).await;
    assert_eq!(console.landed, qr_path);

    // The page shows the person and changes nothing until the tap.
    let page = console.page(&console.landed).await;
    assert_eq!(tone(&page), "ready");
    assert!(page.contains("김서연"), "{page}");
    assert!(page.contains("id=\"door-check-in\""), "{page}");
    assert_eq!(checked_in(&app, &event).await, 0);
    let tap_code = between(&page, "name=\"code\" value=\"", "\"").unwrap();
    let (_, page) = post_code(&console, &event, tap_code).await;
    assert_eq!(tone(&page), "go");
    assert_eq!(checked_in(&app, &event).await, 1);
}

#[tokio::test]
async fn two_phones_scanning_the_same_codes_at_once_check_each_person_in_once() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let mut people = Vec::new();
    for n in 1..=5 {
        people.push(register_ok(&app, &id(&event), &person(n)).await);
    }
    let (first, second) = tokio::join!(app.console(), app.console());
    assert_ne!(first.cookie, second.cookie, "two sessions");
    let path = door(&event);
    for someone in &people {
        let door_code = code(someone);
        let fields = [("code", door_code.as_str())];
        let (a, b) = tokio::join!(first.post(&path, &fields), second.post(&path, &fields));
        let mut firsts = 0;
        for response in [a, b] {
            assert_eq!(response.status(), StatusCode::SEE_OTHER);
            let to = location(&response);
            let page = first.page(&to).await;
            if to.contains("done=checked-in") {
                firsts += 1;
                assert_eq!(tone(&page), "go");
            } else {
                assert_eq!(tone(&page), "again");
            }
        }
        assert_eq!(
            firsts, 1,
            "one phone checks {door_code} in, the other is told"
        );
    }
    assert_eq!(checked_in(&app, &event).await, 5);
}

/// A console POST with the session's cookie but the fields and `Origin` given.
async fn raw_post(
    console: &Console,
    path: &str,
    fields: &[(&str, String)],
    origin: &str,
) -> reqwest::Response {
    browser()
        .post(console.url(path))
        .header(COOKIE, &console.cookie)
        .header(ORIGIN, origin)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form_body(fields))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_forged_or_cross_site_post_changes_nothing() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let seoyeon = register_ok(&app, &id(&event), &person(1)).await;
    let console = app.console().await;
    let with_token = |token: &str| vec![("code", code(&seoyeon)), ("csrf", token.to_string())];
    let refused = [
        (vec![("code", code(&seoyeon))], app.address.as_str()),
        (with_token("forged"), app.address.as_str()),
        (with_token(&console.csrf), "https://evil.example"),
    ];
    for (fields, origin) in refused {
        let response = raw_post(&console, &door(&event), &fields, origin).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(checked_in(&app, &event).await, 0);

    post_code(&console, &event, &code(&seoyeon)).await;
    let forged_undo = raw_post(
        &console,
        &format!("{}/undo", door(&event)),
        &[
            ("registration", id(&seoyeon)),
            ("csrf", console.csrf.clone()),
        ],
        "https://evil.example",
    )
    .await;
    assert_eq!(forged_undo.status(), StatusCode::FORBIDDEN);
    assert_eq!(checked_in(&app, &event).await, 1);
}

#[tokio::test]
async fn the_count_follows_check_ins_from_every_phone() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let seoyeon = register_ok(&app, &id(&event), &person(1)).await;
    register_ok(&app, &id(&event), &person(2)).await;
    let console = app.console().await;
    let count_path = format!("{}/count", door(&event));
    let count = async |console: &Console| {
        serde_json::from_str::<Value>(&console.page(&count_path).await).unwrap()
    };
    assert_eq!(
        count(&console).await,
        json!({"checked_in": 0, "confirmed": 2})
    );
    // Another phone checks in (here: the API); this one's count follows.
    app.post(
        &format!("/api/v1/events/{}/check-ins", id(&event)),
        &json!({"code": code(&seoyeon)}),
    )
    .await;
    assert_eq!(
        count(&console).await,
        json!({"checked_in": 1, "confirmed": 2})
    );

    let missing = console
        .get(&format!(
            "/admin/events/{}/check-in/count",
            uuid::Uuid::now_v7()
        ))
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let signed_out = browser().get(app.url(&count_path)).send().await.unwrap();
    assert_eq!(signed_out.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn only_the_door_page_runs_script_and_only_its_own() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let console = app.console().await;
    let page = console.get(&door(&event)).await;
    let policy = page
        .headers()
        .get(CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(policy.contains("connect-src 'self'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let html = page.text().await.unwrap();
    assert!(html.contains("<script src=\"/admin/assets/scanner.js\" defer></script>"));
    let inline_handler = html.split(" on").skip(1).any(|after| {
        let name: String = after.chars().take_while(char::is_ascii_lowercase).collect();
        !name.is_empty() && after[name.len()..].starts_with('=')
    });
    assert!(!inline_handler, "no inline handlers");
    assert_eq!(
        html.matches("<script").count(),
        1,
        "one script, from a file"
    );

    let home = console.get("/admin").await;
    let home_policy = home.headers().get(CONTENT_SECURITY_POLICY).unwrap();
    assert!(!home_policy.to_str().unwrap().contains("script-src"));

    for (path, needle) in [
        ("/admin/assets/scanner.js", "BarcodeDetector"),
        ("/admin/assets/jsQR-1.4.0.js", "jsQR"),
    ] {
        let script = browser().get(app.url(path)).send().await.unwrap();
        assert_eq!(script.status(), StatusCode::OK, "{path}");
        assert!(
            script.headers()[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/javascript")
        );
        assert!(script.text().await.unwrap().contains(needle));
    }
    let chooser = console.page("/admin/check-in").await;
    assert!(chooser.contains(&door(&event)), "{chooser}");
}
