//! Seats and the waitlist: people get a seat while there is one and wait in order after that;
//! a freed or added seat goes to the head of the waitlist; one registration per email; approval
//! holds people until an organizer decides.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::registration::{person, register_ok, registrations, stats};
use crate::helpers::{expect_problem, expect_status, id, spawn_app};

#[tokio::test]
async fn registering_confirms_a_seat_and_gives_a_manage_link_once() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let response = app.register(&id(&event), &json!({
        "name": " 이민지 ", "email": " MinJi@Example.COM ", "role": "student", "admission_year": 2022,
        "affiliation": "서울대학교", "interests": ["AI"], "goals": ["find_mentor", "job_seeking"],
        "consent_share": true, "language": "en"
    }))
    .await;
    assert!(response.headers().contains_key("location"));
    let registered = expect_status(response, StatusCode::CREATED).await;
    assert_eq!(registered["status"], "confirmed");
    assert_eq!(registered["name"], "이민지");
    assert_eq!(
        registered["email"], "minji@example.com",
        "emails are normalized"
    );
    assert_eq!(registered["interests"], json!(["ai"]));
    assert!(registered["waitlist_position"].is_null());
    let manage_url = registered["manage_url"].as_str().unwrap();
    let token = manage_url.rsplit('/').next().unwrap();
    assert!(token.len() >= 43, "at least 256 bits: {manage_url}");
    let code = registered["checkin_code"].as_str().unwrap();
    assert_eq!(code.len(), 7);

    let seen = expect_status(
        app.get(&format!(
            "/api/v1/events/{}/registrations/{}",
            id(&event),
            id(&registered)
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        seen.get("manage_url").is_none(),
        "the link is never shown again"
    );
    assert_eq!(seen["status"], "confirmed");
}

#[tokio::test]
async fn seats_fill_in_order_then_people_wait_in_order() {
    let app = spawn_app().await;
    let event = app.open_event(2, json!({})).await;
    let mut statuses = Vec::new();
    for n in 0..5 {
        let registered = register_ok(&app, &id(&event), &person(n)).await;
        statuses.push((
            registered["status"].clone(),
            registered["waitlist_position"].clone(),
        ));
    }
    assert_eq!(
        statuses,
        [
            (json!("confirmed"), Value::Null),
            (json!("confirmed"), Value::Null),
            (json!("waitlisted"), json!(1)),
            (json!("waitlisted"), json!(2)),
            (json!("waitlisted"), json!(3)),
        ]
    );
    let waiting = registrations(&app, &id(&event), "&status=waitlisted").await;
    assert!(
        waiting.iter().all(|r| r["checkin_code"].is_null()),
        "no door code while waiting"
    );
}

#[tokio::test]
async fn a_cancelled_seat_goes_to_the_head_of_the_waitlist() {
    let app = spawn_app().await;
    let event = app.open_event(2, json!({})).await;
    let mut people = Vec::new();
    for n in 0..4 {
        people.push(register_ok(&app, &id(&event), &person(n)).await);
    }
    let cancel = |registration: &Value| {
        format!(
            "/api/v1/events/{}/registrations/{}/cancel",
            id(&event),
            id(registration)
        )
    };
    let cancelled = expect_status(
        app.post(&cancel(&people[0]), &json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");
    let by_name =
        |rows: &[Value], name: &str| rows.iter().find(|r| r["name"] == name).cloned().unwrap();
    let rows = registrations(&app, &id(&event), "").await;
    assert_eq!(
        by_name(&rows, "참가자 2")["status"],
        "confirmed",
        "the first in line is promoted"
    );
    assert_eq!(
        by_name(&rows, "참가자 3")["waitlist_position"],
        1,
        "the next moves up"
    );

    // Cancelling twice is refused; leaving the waitlist promotes nobody.
    expect_problem(
        app.post(&cancel(&people[0]), &json!({})).await,
        StatusCode::CONFLICT,
    )
    .await;
    expect_status(
        app.post(&cancel(&people[3]), &json!({})).await,
        StatusCode::OK,
    )
    .await;
    let figures = stats(&app, &id(&event)).await;
    assert_eq!(
        (figures["confirmed"].clone(), figures["waitlisted"].clone()),
        (json!(2), json!(0))
    );

    // The same email may register again after cancelling.
    let again = register_ok(&app, &id(&event), &person(0)).await;
    assert_eq!(again["status"], "waitlisted");
}

#[tokio::test]
async fn one_active_registration_per_email_per_event() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    register_ok(
        &app,
        &id(&event),
        &json!({"name": "김", "email": "kim@example.com", "role": "alumni"}),
    )
    .await;
    for email in ["kim@example.com", " KIM@example.com", "Kim@Example.Com "] {
        let response = app
            .register(
                &id(&event),
                &json!({"name": "다른 이름", "email": email, "role": "guest"}),
            )
            .await;
        let problem = expect_problem(response, StatusCode::CONFLICT).await;
        assert_eq!(problem["conflict"]["kind"], "already_registered");
        assert!(
            !problem.to_string().contains("/registrations/"),
            "the manage link is not shown"
        );
    }
    let rows = registrations(&app, &id(&event), "").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["name"], "김", "nothing was changed");
}

#[tokio::test]
async fn capacity_changes_promote_or_are_refused() {
    let app = spawn_app().await;
    let event = app.open_event(2, json!({})).await;
    for n in 0..5 {
        register_ok(&app, &id(&event), &person(n)).await;
    }
    let path = format!("/api/v1/events/{}", id(&event));
    expect_status(
        app.patch(&path, &json!({"capacity": 4})).await,
        StatusCode::OK,
    )
    .await;
    let figures = stats(&app, &id(&event)).await;
    assert_eq!(
        (figures["confirmed"].clone(), figures["waitlisted"].clone()),
        (json!(4), json!(1))
    );
    let rows = registrations(&app, &id(&event), "&status=confirmed").await;
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["참가자 0", "참가자 1", "참가자 2", "참가자 3"],
        "promoted in order"
    );

    let problem = expect_problem(
        app.patch(&path, &json!({"capacity": 3})).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["conflict"]["kind"], "capacity_below_confirmed");
    let unchanged = expect_status(app.get(&path).await, StatusCode::OK).await;
    assert_eq!(unchanged["capacity"], 4);
    expect_status(
        app.patch(&path, &json!({"capacity": 4, "title": "제목 변경"}))
            .await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn approval_mode_holds_then_respects_capacity() {
    let app = spawn_app().await;
    let event = app.open_event(1, json!({"requires_approval": true})).await;
    let a = register_ok(&app, &id(&event), &person(1)).await;
    let b = register_ok(&app, &id(&event), &person(2)).await;
    let c = register_ok(&app, &id(&event), &person(3)).await;
    assert_eq!(a["status"], "pending");
    assert!(a["checkin_code"].is_null());
    let decide = |r: &Value, what: &str| {
        format!(
            "/api/v1/events/{}/registrations/{}/{what}",
            id(&event),
            id(r)
        )
    };
    let approved = expect_status(
        app.post(&decide(&a, "approve"), &json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(approved["status"], "confirmed");
    let second = expect_status(
        app.post(&decide(&b, "approve"), &json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(second["status"], "waitlisted", "approval respects capacity");
    assert_eq!(second["waitlist_position"], 1);
    let rejected = expect_status(
        app.post(&decide(&c, "reject"), &json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rejected["status"], "rejected");
    let problem = expect_problem(
        app.post(&decide(&a, "approve"), &json!({})).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["conflict"]["kind"], "not_pending");
    // Cancelling the confirmed one promotes the approved waiting one.
    expect_status(
        app.post(&decide(&a, "cancel"), &json!({})).await,
        StatusCode::OK,
    )
    .await;
    let rows = registrations(&app, &id(&event), "&status=confirmed").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], b["id"]);
}
