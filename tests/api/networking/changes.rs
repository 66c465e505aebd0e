//! Changing a session after it is made: moving a person reports the repeats it makes, a late
//! arrival is seated without touching the rounds already played, and the session is published.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::networking::{
    create_session, publish, register_attendee, register_attendees, seating, session_path,
};
use crate::helpers::{TestApp, error_fields, expect_problem, expect_status, id, spawn_app};

/// Moves `mover` in round 2 to the table of the person they sat with in round 1 (when that
/// person sits elsewhere): the move's repeat is reported. Returns the session after the move.
async fn a_move_next_to_a_round_one_mate_reports_the_repeat(
    app: &TestApp,
    base: &str,
    rounds: &[Vec<Vec<String>>],
    mover: &str,
) -> Value {
    let mate = rounds[0][0][1].clone();
    let target = rounds[1]
        .iter()
        .position(|t| t.contains(&mate) && !t.iter().any(|r| r == mover))
        .map(|t| t + 1);
    let to_table = target.unwrap_or(1);
    let moved = expect_status(
        app.post(
            &format!("{base}/moves"),
            &json!({"round": 2, "registration_id": mover, "to_table": to_table}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    if target.is_some() {
        let repeats = moved["repeats"]["within_event"].as_array().unwrap();
        assert!(
            repeats
                .iter()
                .any(|p| (p["a"] == mover && p["b"] == mate.as_str())
                    || (p["a"] == mate.as_str() && p["b"] == mover)),
            "the move's repeat is reported: {repeats:?}"
        );
    }
    assert!(seating(&moved)[1][to_table - 1].iter().any(|r| r == mover));
    moved
}

/// A move to a round or a table the session does not have is refused.
async fn moves_outside_the_session_are_refused(app: &TestApp, base: &str, mover: &str) {
    for bad in [
        json!({"round": 9, "registration_id": mover, "to_table": 1}),
        json!({"round": 1, "registration_id": mover, "to_table": 9}),
    ] {
        expect_problem(
            app.post(&format!("{base}/moves"), &bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
}

async fn round_one_is_played(app: &TestApp, base: &str) {
    expect_status(
        app.patch(base, &json!({"rounds_played": 1})).await,
        StatusCode::OK,
    )
    .await;
}

/// The late arrival is seated once in every round not yet played; the played round is
/// untouched.
async fn a_late_arrival_is_seated_in_the_rounds_to_come(
    app: &TestApp,
    base: &str,
    late: &Value,
    moved: &Value,
) {
    let after = expect_status(
        app.post(
            &format!("{base}/arrivals"),
            &json!({"registration_id": id(late)}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let seated = seating(&after);
    assert_eq!(
        seated[0],
        seating(moved)[0],
        "the played round is untouched"
    );
    for round in &seated[1..] {
        assert_eq!(
            round.iter().flatten().filter(|r| **r == id(late)).count(),
            1
        );
    }
}

/// Seating the same person again is an error on their registration id.
async fn arriving_twice_is_refused(app: &TestApp, base: &str, late: &Value) {
    let problem = expect_problem(
        app.post(
            &format!("{base}/arrivals"),
            &json!({"registration_id": id(late)}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["registration_id"]);
}

#[tokio::test]
async fn moves_report_new_repeats_and_late_arrivals_keep_played_rounds() {
    let app = spawn_app().await;
    let event = app.open_event(50, json!({})).await;
    register_attendees(&app, &event, 8, true).await;
    let session = create_session(
        &app,
        &event,
        json!({"rounds": 3, "table_size": 4, "seed": 3}),
    )
    .await;
    let base = session_path(&event, &session);
    let rounds = seating(&session);
    let mover = rounds[0][0][0].clone();

    let moved =
        a_move_next_to_a_round_one_mate_reports_the_repeat(&app, &base, &rounds, &mover).await;
    moves_outside_the_session_are_refused(&app, &base, &mover).await;
    round_one_is_played(&app, &base).await;
    let late = register_attendee(&app, &event, "늦은 사람", true).await;
    a_late_arrival_is_seated_in_the_rounds_to_come(&app, &base, &late, &moved).await;
    arriving_twice_is_refused(&app, &base, &late).await;
    let published = publish(&app, &base).await;
    assert!(published["published_at"].is_string());
}
