//! The registration API: seats and waitlist, duplicates, windows, approval, idempotency,
//! check-in, stats, custom questions and the CSV export.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_fields, expect_problem, expect_status, id, spawn_app};

fn person(n: usize) -> Value {
    json!({"name": format!("참가자 {n}"), "email": format!("person{n}@example.com"), "role": "student"})
}

async fn register_ok(app: &TestApp, event_id: &str, body: &Value) -> Value {
    expect_status(app.register(event_id, body).await, StatusCode::CREATED).await
}

async fn registrations(app: &TestApp, event_id: &str, query: &str) -> Vec<Value> {
    let page = expect_status(
        app.get(&format!(
            "/api/v1/events/{event_id}/registrations?limit=100{query}"
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    page["items"].as_array().unwrap().clone()
}

async fn stats(app: &TestApp, event_id: &str) -> Value {
    expect_status(
        app.get(&format!("/api/v1/events/{event_id}/stats")).await,
        StatusCode::OK,
    )
    .await
}

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
async fn registration_is_only_possible_while_published_and_open() {
    let app = spawn_app().await;
    let venue = app.create_venue().await;
    let draft = expect_status(
        app.post(
            "/api/v1/events",
            &json!({"title": "초안", "starts_at": "2030-05-18T13:00:00+09:00", "ends_at": "2030-05-18T19:00:00+09:00",
                    "venue_id": venue["id"], "capacity": 10}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let problem = expect_problem(
        app.register(&id(&draft), &person(1)).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["conflict"]["kind"], "registration_closed");

    let later = app
        .open_event(
            10,
            json!({"registration_opens_at": "2030-01-01T00:00:00+09:00"}),
        )
        .await;
    let problem = expect_problem(
        app.register(&id(&later), &person(1)).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["conflict"]["kind"], "registration_not_open");

    let over = app
        .open_event(10, json!({"registration_opens_at": "2020-01-01T00:00:00Z", "registration_closes_at": "2021-01-01T00:00:00Z"}))
        .await;
    let problem = expect_problem(
        app.register(&id(&over), &person(1)).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["conflict"]["kind"], "registration_closed");

    let open = app.open_event(10, json!({})).await;
    let path = format!("/api/v1/events/{}", id(&open));
    expect_status(
        app.patch(&path, &json!({"status": "closed"})).await,
        StatusCode::OK,
    )
    .await;
    expect_problem(
        app.register(&id(&open), &person(1)).await,
        StatusCode::CONFLICT,
    )
    .await;

    let unknown = app
        .register("0193a0b0-0000-7000-8000-000000000000", &person(1))
        .await;
    expect_problem(unknown, StatusCode::NOT_FOUND).await;
    for event in [&draft, &later, &over, &open] {
        assert!(
            registrations(&app, &id(event), "").await.is_empty(),
            "nothing was created"
        );
    }
}

#[tokio::test]
async fn invalid_registrations_name_each_field() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let response = app
        .register(&id(&event), &json!({
            "name": "", "email": "not-an-email", "role": "student", "admission_year": 1800,
            "interests": ["cooking"], "wanted_speaker_ids": ["0193a0b0-0000-7000-8000-000000000000"]
        }))
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        error_fields(&problem),
        [
            "name",
            "email",
            "admission_year",
            "interests[0]",
            "wanted_speaker_ids[0]"
        ]
    );
    let response = app
        .register(
            &id(&event),
            &json!({"name": "x", "email": "x@example.com", "role": "teacher"}),
        )
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["role"]);
    assert!(registrations(&app, &id(&event), "").await.is_empty());
}

#[tokio::test]
async fn an_idempotency_key_replays_the_first_answer() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let url = app.url(&format!("/api/v1/events/{}/registrations", id(&event)));
    let send = |key: &str| {
        app.client
            .post(&url)
            .header("Idempotency-Key", key)
            .json(&person(7))
            .send()
    };
    let first = send("attempt-1").await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let retry = send("attempt-1").await.unwrap();
    assert_eq!(retry.status(), StatusCode::CREATED);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    let retry: Value = retry.json().await.unwrap();
    assert_eq!(retry["id"], first["id"]);
    assert_eq!(retry["status"], first["status"]);
    assert!(
        retry.get("manage_url").is_none(),
        "the link is stored only as a hash"
    );
    assert_eq!(
        registrations(&app, &id(&event), "").await.len(),
        1,
        "the retry created nothing"
    );

    let other_key = send("attempt-2").await.unwrap();
    assert_eq!(
        other_key.status(),
        StatusCode::CONFLICT,
        "a new key is a new attempt: already registered"
    );
    let bad_key = app
        .client
        .post(&url)
        .header("Idempotency-Key", "")
        .json(&person(8))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_key.status(), StatusCode::BAD_REQUEST);
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

#[tokio::test]
async fn check_in_marks_arrival_once() {
    let app = spawn_app().await;
    let event = app.open_event(2, json!({})).await;
    let seated = register_ok(&app, &id(&event), &person(1)).await;
    let leaving = register_ok(&app, &id(&event), &person(3)).await;
    let waiting = register_ok(&app, &id(&event), &person(2)).await;
    assert_eq!(waiting["status"], "waitlisted");
    let path = format!("/api/v1/events/{}/check-ins", id(&event));
    let code = seated["checkin_code"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .replace('-', " ");
    let first = expect_status(
        app.post(&path, &json!({"code": code})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(first["result"], "checked_in");
    assert_eq!(first["name"], "참가자 1");
    let second = expect_status(
        app.post(&path, &json!({"code": seated["checkin_code"]}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(second["result"], "already_checked_in");
    assert_eq!(second["checked_in_at"], first["checked_in_at"]);

    let problem = expect_problem(
        app.post(&path, &json!({"code": "ZZZ-ZZZ"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["code"]);

    // A cancelled registration's code no longer lets anyone in.
    let cancel = format!(
        "/api/v1/events/{}/registrations/{}/cancel",
        id(&event),
        id(&leaving)
    );
    expect_status(app.post(&cancel, &json!({})).await, StatusCode::OK).await;
    let problem = expect_problem(
        app.post(&path, &json!({"code": leaving["checkin_code"]}))
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["conflict"]["kind"], "not_confirmed");
    assert!(
        problem["detail"].as_str().unwrap().contains("cancelled"),
        "{problem}"
    );
    let promoted = expect_status(
        app.get(&format!(
            "/api/v1/events/{}/registrations/{}",
            id(&event),
            id(&waiting)
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(promoted["status"], "confirmed");
    assert!(
        promoted["checkin_code"].is_string(),
        "a promoted person gets their door code"
    );
    let figures = stats(&app, &id(&event)).await;
    assert_eq!(figures["checked_in"], 1);
}

#[tokio::test]
async fn stats_count_statuses_and_returning_attendees() {
    let app = spawn_app().await;
    let earlier = app
        .open_event(5, json!({"starts_at": "2029-05-18T13:00:00+09:00", "ends_at": "2029-05-18T19:00:00+09:00"}))
        .await;
    register_ok(&app, &id(&earlier), &person(1)).await;
    register_ok(&app, &id(&earlier), &person(2)).await;
    let event = app.open_event(2, json!({})).await;
    register_ok(
        &app,
        &id(&event),
        &json!({"name": "다시 온 사람", "email": "PERSON1@example.com", "role": "alumni"}),
    )
    .await;
    register_ok(&app, &id(&event), &person(3)).await;
    let waiting = register_ok(&app, &id(&event), &person(4)).await;
    let leaving = register_ok(&app, &id(&event), &person(5)).await;
    app.post(
        &format!(
            "/api/v1/events/{}/registrations/{}/cancel",
            id(&event),
            id(&leaving)
        ),
        &json!({}),
    )
    .await;
    assert_eq!(waiting["status"], "waitlisted");
    let figures = stats(&app, &id(&event)).await;
    assert_eq!(figures["registered"], 3);
    assert_eq!(figures["confirmed"], 2);
    assert_eq!(figures["waitlisted"], 1);
    assert_eq!(figures["cancelled"], 1);
    assert_eq!(figures["seats_left"], 0);
    assert_eq!(
        figures["returning_attendees"], 1,
        "person1 came to the earlier event"
    );
}

#[tokio::test]
async fn organizers_list_search_and_update_registrations() {
    let app = spawn_app().await;
    let event = app.open_event(2, json!({})).await;
    for n in 0..3 {
        register_ok(&app, &id(&event), &person(n)).await;
    }
    register_ok(
        &app,
        &id(&event),
        &json!({"name": "Alice Kim", "email": "alice@corp.example", "role": "alumni"}),
    )
    .await;
    assert_eq!(
        registrations(&app, &id(&event), "&status=confirmed")
            .await
            .len(),
        2
    );
    let found = registrations(&app, &id(&event), "&q=ALICE").await;
    assert_eq!(found.len(), 1);
    assert_eq!(
        registrations(&app, &id(&event), "&q=corp.example")
            .await
            .len(),
        1,
        "by email too"
    );
    assert_eq!(
        registrations(&app, &id(&event), "&q=%25").await.len(),
        0,
        "wildcards are literal"
    );

    let page = expect_status(
        app.get(&format!(
            "/api/v1/events/{}/registrations?limit=3",
            id(&event)
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    let rest = expect_status(
        app.get(page["next"].as_str().unwrap()).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);

    let path = format!(
        "/api/v1/events/{}/registrations/{}",
        id(&event),
        id(&found[0])
    );
    let updated = expect_status(
        app.patch(&path, &json!({"affiliation": "Kakao", "goals": ["hiring"]}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(updated["affiliation"], "Kakao");
    assert_eq!(updated["goals"], json!(["hiring"]));
    assert_eq!(updated["name"], "Alice Kim", "other fields are kept");
    let problem = expect_problem(
        app.patch(&path, &json!({"email": "other@example.com"}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["email"]);
    let problem = expect_problem(
        app.patch(&path, &json!({"interests": ["cooking"]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["interests[0]"]);
}

async fn add_question(app: &TestApp, event_id: &str, body: Value) -> Value {
    expect_status(
        app.post(&format!("/api/v1/events/{event_id}/questions"), &body)
            .await,
        StatusCode::CREATED,
    )
    .await
}

#[tokio::test]
async fn custom_questions_are_asked_checked_and_exported() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let party = add_question(
        &app,
        &id(&event),
        json!({
            "label": "뒤풀이에 참석하시나요?", "label_en": "Joining the after-party?",
            "kind": "single_choice", "options": ["네", "아니요"], "required": true
        }),
    )
    .await;
    let food = add_question(&app, &id(&event), json!({"label": "음식 제한", "kind": "multiple_choice", "options": ["채식", "할랄", "없음"]})).await;
    let note = add_question(
        &app,
        &id(&event),
        json!({"label": "하고 싶은 말", "kind": "text"}),
    )
    .await;
    let listed = expect_status(
        app.get(&format!("/api/v1/events/{}/questions", id(&event)))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed.as_array().unwrap().len(), 3);

    for bad in [
        json!({"label": "", "kind": "text"}),
        json!({"label": "하나뿐", "kind": "single_choice", "options": ["A"]}),
        json!({"label": "중복", "kind": "multiple_choice", "options": ["A", "A"]}),
        json!({"label": "텍스트", "kind": "text", "options": ["A", "B"]}),
    ] {
        let response = app
            .post(&format!("/api/v1/events/{}/questions", id(&event)), &bad)
            .await;
        expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    }

    let missing = app.register(&id(&event), &person(1)).await;
    let problem = expect_problem(missing, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), [format!("answers.{}", id(&party))]);
    let wrong = app
        .register(
            &id(&event),
            &json!({"name": "a", "email": "a@example.com", "role": "guest",
            "answers": {id(&party): "maybe", id(&food): ["고기"]}}),
        )
        .await;
    let problem = expect_problem(wrong, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem).len(), 2);

    let answered = register_ok(&app, &id(&event), &json!({"name": "김철수", "email": "cs@example.com", "role": "alumni",
        "answers": {id(&party): "네", id(&food): ["없음", "채식"], id(&note): "반가워요, \"친구들\""}})).await;
    assert_eq!(
        answered["answers"][id(&food)],
        json!(["채식", "없음"]),
        "kept in option order"
    );

    let response = app
        .get(&format!(
            "/api/v1/events/{}/exports/registrations.csv",
            id(&event)
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let bytes = response.bytes().await.unwrap();
    assert_eq!(
        &bytes[..3],
        b"\xEF\xBB\xBF",
        "a UTF-8 byte order mark for spreadsheet programs"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.lines();
    let heading = lines.next().unwrap();
    assert!(heading.starts_with("name,email,status"));
    assert!(
        heading.ends_with("뒤풀이에 참석하시나요?,음식 제한,하고 싶은 말"),
        "{heading}"
    );
    let row = lines.next().unwrap();
    assert!(row.starts_with("김철수,cs@example.com,confirmed"), "{row}");
    assert!(
        row.ends_with("네,\"채식, 없음\",\"반가워요, \"\"친구들\"\"\""),
        "CSV quoting: {row}"
    );

    let question_path = format!("/api/v1/events/{}/questions/{}", id(&event), id(&note));
    let changed = expect_status(
        app.patch(&question_path, &json!({"required": true})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["required"], true);
    assert_eq!(changed["label"], "하고 싶은 말");
    assert_eq!(
        app.delete(&question_path).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete(&question_path).await.status(),
        StatusCode::NOT_FOUND
    );
}
