//! An event's own questions: asked on registration, answers checked against the question,
//! and exported with the registrations as CSV.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::registration::{person, register_ok};
use crate::helpers::{TestApp, error_fields, expect_problem, expect_status, id, spawn_app};

async fn add_question(app: &TestApp, event_id: &str, body: Value) -> Value {
    expect_status(
        app.post(&format!("/api/v1/events/{event_id}/questions"), &body)
            .await,
        StatusCode::CREATED,
    )
    .await
}

/// The event's three questions: a required single choice, a multiple choice and free text.
struct Questions {
    party: Value,
    food: Value,
    note: Value,
}

async fn ask_three_questions(app: &TestApp, event: &Value) -> Questions {
    let party = add_question(
        app,
        &id(event),
        json!({
            "label": "뒤풀이에 참석하시나요?", "label_en": "Joining the after-party?",
            "kind": "single_choice", "options": ["네", "아니요"], "required": true
        }),
    )
    .await;
    let food = add_question(app, &id(event), json!({"label": "음식 제한", "kind": "multiple_choice", "options": ["채식", "할랄", "없음"]})).await;
    let note = add_question(
        app,
        &id(event),
        json!({"label": "하고 싶은 말", "kind": "text"}),
    )
    .await;
    let listed = expect_status(
        app.get(&format!("/api/v1/events/{}/questions", id(event)))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed.as_array().unwrap().len(), 3);
    Questions { party, food, note }
}

/// No label, one option, the same option twice, options on a text question: refused.
async fn ill_formed_questions_are_refused(app: &TestApp, event: &Value) {
    for bad in [
        json!({"label": "", "kind": "text"}),
        json!({"label": "하나뿐", "kind": "single_choice", "options": ["A"]}),
        json!({"label": "중복", "kind": "multiple_choice", "options": ["A", "A"]}),
        json!({"label": "텍스트", "kind": "text", "options": ["A", "B"]}),
    ] {
        let response = app
            .post(&format!("/api/v1/events/{}/questions", id(event)), &bad)
            .await;
        expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
}

/// A required answer missing, or answers that are not among the options: each named.
async fn answers_are_checked_against_their_question(
    app: &TestApp,
    event: &Value,
    questions: &Questions,
) {
    let Questions { party, food, .. } = questions;
    let missing = app.register(&id(event), &person(1)).await;
    let problem = expect_problem(missing, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), [format!("answers.{}", id(party))]);
    let wrong = app
        .register(
            &id(event),
            &json!({"name": "a", "email": "a@example.com", "role": "guest",
            "answers": {id(party): "maybe", id(food): ["고기"]}}),
        )
        .await;
    let problem = expect_problem(wrong, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem).len(), 2);
}

/// Good answers are stored, the choices of a multiple choice in the options' order.
async fn good_answers_are_kept_in_option_order(
    app: &TestApp,
    event: &Value,
    questions: &Questions,
) {
    let Questions { party, food, note } = questions;
    let answered = register_ok(app, &id(event), &json!({"name": "김철수", "email": "cs@example.com", "role": "alumni",
        "answers": {id(party): "네", id(food): ["없음", "채식"], id(note): "반가워요, \"친구들\""}})).await;
    assert_eq!(
        answered["answers"][id(food)],
        json!(["채식", "없음"]),
        "kept in option order"
    );
}

/// The registrations CSV: a byte order mark, a column per question, quoted as CSV quotes.
async fn the_export_has_a_column_per_question(app: &TestApp, event: &Value) {
    let response = app
        .get(&format!(
            "/api/v1/events/{}/exports/registrations.csv",
            id(event)
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
}

/// A question can be made required, keeping its label, and deleted once.
async fn a_question_is_changed_then_deleted_once(app: &TestApp, event: &Value, question: &Value) {
    let question_path = format!("/api/v1/events/{}/questions/{}", id(event), id(question));
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

#[tokio::test]
async fn custom_questions_are_asked_checked_and_exported() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({})).await;
    let questions = ask_three_questions(&app, &event).await;
    ill_formed_questions_are_refused(&app, &event).await;
    answers_are_checked_against_their_question(&app, &event, &questions).await;
    good_answers_are_kept_in_option_order(&app, &event, &questions).await;
    the_export_has_a_column_per_question(&app, &event).await;
    a_question_is_changed_then_deleted_once(&app, &event, &questions.note).await;
}
