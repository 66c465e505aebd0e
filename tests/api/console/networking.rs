//! Networking sessions in the console: made from the attendees, read back through the API,
//! a person moved, a late arrival seated, published (the tables mails queued), a table-plan
//! link made; bad input refused beside its field, and a forged form changing nothing.

use reqwest::StatusCode;
use reqwest::header::CACHE_CONTROL;
use serde_json::{Value, json};

use crate::helpers::console::{Console, location};
use crate::helpers::forms::between;
use crate::helpers::mail::outbox;
use crate::helpers::networking::{
    read_session, register_attendee, register_attendees, seating, session_path, tables_of,
};
use crate::helpers::{TestApp, expect_status, id, spawn_app};

fn console_path(event: &Value) -> String {
    format!("/admin/events/{}/networking", id(event))
}

/// The API's sessions of the event.
async fn api_sessions(app: &TestApp, event: &Value) -> Vec<Value> {
    let path = format!("/api/v1/events/{}/networking-sessions", id(event));
    expect_status(app.get(&path).await, StatusCode::OK)
        .await
        .as_array()
        .unwrap()
        .clone()
}

/// Makes a session in the console with these fields; the API's view of it.
async fn create_in_console(
    app: &TestApp,
    console: &Console,
    event: &Value,
    fields: &[(&str, &str)],
) -> Value {
    let response = console.post(&console_path(event), fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = console.follow(&response).await;
    assert!(html.contains("저장했습니다"), "{html}");
    let session_id = location(&response).rsplit('/').next().unwrap().to_string();
    read_session(
        app,
        &format!(
            "/api/v1/events/{}/networking-sessions/{session_id}",
            id(event)
        ),
    )
    .await
}

fn console_session_path(event: &Value, session: &Value) -> String {
    format!("{}/{}", console_path(event), id(session))
}

/// Posts the move form: `who` to table `to_table` in `round`.
async fn move_to(
    console: &Console,
    page: &str,
    round: &str,
    who: &str,
    to_table: &str,
) -> reqwest::Response {
    let fields = [
        ("round", round),
        ("registration_id", who),
        ("to_table", to_table),
    ];
    console.post(&format!("{page}/moves"), &fields).await
}

/// An open event, `people` attendees who share their details, the console, and a session
/// made in it with `fields`.
struct Made {
    app: TestApp,
    event: Value,
    console: Console,
    /// The session as the API shows it.
    session: Value,
    /// Its console page.
    page: String,
}

async fn made_in_console(people: usize, fields: &[(&str, &str)]) -> Made {
    let app = spawn_app().await;
    let event = app.open_event(50, json!({})).await;
    register_attendees(&app, &event, people, true).await;
    let console = app.console().await;
    let session = create_in_console(&app, &console, &event, fields).await;
    let page = console_session_path(&event, &session);
    Made {
        app,
        event,
        console,
        session,
        page,
    }
}

#[tokio::test]
async fn a_session_made_in_the_console_is_the_apis_session() {
    let app = spawn_app().await;
    let event = app.open_event(50, json!({})).await;
    let venue = expect_status(
        app.get(&format!(
            "/api/v1/venues/{}",
            event["venue_id"].as_str().unwrap()
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    let room = venue["rooms"][1]["id"].as_str().unwrap().to_string();
    register_attendees(&app, &event, 16, true).await;
    let console = app.console().await;
    let list = console.page(&console_path(&event)).await;
    assert!(
        list.contains("<strong>16</strong>"),
        "the people to seat are counted"
    );

    let session = create_in_console(
        &app,
        &console,
        &event,
        &[
            ("title", "1부 네트워킹"),
            ("rounds", "3"),
            ("table_size", "4"),
            ("starts_at", "2030-05-18T14:30"),
            ("room_id", room.as_str()),
        ],
    )
    .await;
    assert_eq!(session["title"], "1부 네트워킹");
    assert_eq!(session["table_size"], 4);
    assert_eq!(
        session["starts_at"], "2030-05-18T05:30:00Z",
        "the event's wall clock"
    );
    assert_eq!(session["room_id"], room.as_str());
    let rounds = seating(&session);
    assert_eq!(rounds.len(), 3);
    assert!(rounds.iter().all(|round| round.len() == 4));
    assert_eq!(session["repeats"]["within_event"], json!([]));
    assert_eq!(api_sessions(&app, &event).await.len(), 1);

    let page = console.page(&console_session_path(&event, &session)).await;
    assert!(page.contains("Seminar"), "the room is named");
    assert!(page.contains("2030-05-18 14:30"));
    let first = &session["rounds"][0]["tables"][0]["seats"][0]["name"];
    assert!(
        page.contains(first.as_str().unwrap()),
        "the tables are shown"
    );
    assert!(
        page.contains("1인당 새로 만나는 사람"),
        "the report is shown"
    );
    assert!(page.contains("두 번 만나는 쌍도"), "no repeats, said so");
    let list = console.page(&console_path(&event)).await;
    assert!(list.contains("1부 네트워킹"), "listed");
}

/// Posts the new-session form, which must be refused (422); the page that says why.
async fn refused(console: &Console, event: &Value, fields: &[(&str, &str)]) -> String {
    let response = console.post(&console_path(event), fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    response.text().await.unwrap()
}

#[tokio::test]
async fn a_new_session_is_refused_beside_its_field_and_nothing_is_made() {
    let app = spawn_app().await;
    let event = app.open_event(50, json!({})).await;
    let console = app.console().await;
    register_attendee(&app, &event, "혼자", true).await;

    let html = refused(&console, &event, &[("rounds", "3"), ("table_size", "4")]).await;
    assert!(html.contains("두 명 이상 필요합니다"), "{html}");

    register_attendees(&app, &event, 8, true).await;
    let html = refused(
        &console,
        &event,
        &[
            ("rounds", "셋"),
            ("table_size", "4"),
            ("starts_at", "2030-05-18T14:00"),
        ],
    )
    .await;
    assert!(html.contains("id=\"rounds-error\""), "{html}");
    assert!(
        html.contains("value=\"셋\""),
        "the form keeps what was typed"
    );
    assert!(html.contains("value=\"2030-05-18T14:00\""));

    let html = refused(
        &console,
        &event,
        &[("rounds", "3"), ("starts_at", "2030-05-18T20:00")],
    )
    .await;
    assert!(html.contains("id=\"starts_at-error\""), "{html}");
    assert!(html.contains("행사 시간 안"), "{html}");

    let html = refused(&console, &event, &[("rounds", "3"), ("table_size", "1")]).await;
    assert!(
        html.contains("table_size must be at least 2"),
        "the matcher's reason: {html}"
    );

    assert!(
        api_sessions(&app, &event).await.is_empty(),
        "nothing was made"
    );
}

#[tokio::test]
async fn a_person_moved_in_the_console_sits_there_for_the_api_and_the_repeat_shows() {
    let Made {
        app,
        event,
        console,
        session,
        page,
    } = made_in_console(16, &[("rounds", "2"), ("table_size", "4")]).await;
    // In round 2, move someone to the table of a person they sat with in round 1: the API
    // allows it and counts the pair as meeting again.
    let rounds = seating(&session);
    let (mover, mate) = (rounds[0][0][0].clone(), rounds[0][0][1].clone());
    let to_table = rounds[1]
        .iter()
        .position(|table| table.contains(&mate))
        .unwrap();
    assert!(
        !rounds[1][to_table].contains(&mover),
        "a design without repeats"
    );

    let moved = move_to(&console, &page, "2", &mover, &(to_table + 1).to_string()).await;
    let html = console.follow(&moved).await;
    let after = read_session(&app, &session_path(&event, &session)).await;
    assert!(seating(&after)[1][to_table].contains(&mover));
    let repeats = after["repeats"]["within_event"].as_array().unwrap();
    assert_eq!(repeats.len(), 1, "{repeats:?}");
    let name = |who: &str| {
        after["rounds"][0]["tables"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|table| table["seats"].as_array().unwrap())
            .find(|seat| seat["registration_id"] == who)
            .unwrap()["name"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (a, b) = (name(&mover), name(&mate));
    let listed = between(&html, "<ul class=\"repeats\">", "</ul>").expect("repeats listed");
    assert!(listed.contains(&a) && listed.contains(&b), "{listed}");
    assert!(listed.contains("2번 같은 테이블"), "{listed}");

    let nowhere = move_to(&console, &page, "2", &mover, "9").await;
    assert_eq!(nowhere.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nowhere.text().await.unwrap().contains("no such table"));
    let unchanged = read_session(&app, &session_path(&event, &session)).await;
    assert_eq!(seating(&unchanged), seating(&after), "nothing changed");
}

#[tokio::test]
async fn a_late_arrival_is_seated_in_the_rounds_not_played() {
    let Made {
        app,
        event,
        console,
        session,
        page,
    } = made_in_console(8, &[("rounds", "3"), ("table_size", "4")]).await;
    let late = register_attendee(&app, &event, "늦은사람", true).await;
    register_attendee(&app, &event, "비공개", false).await;

    let html = console.page(&page).await;
    let offered = between(&html, "id=\"arrival-person\"", "</select>").unwrap();
    assert!(offered.contains("늦은사람"));
    assert!(
        !offered.contains("비공개"),
        "only who may be seated is offered"
    );

    let played = console
        .post(&format!("{page}/settings"), &[("rounds_played", "1")])
        .await;
    assert_eq!(played.status(), StatusCode::SEE_OTHER);
    let seated = console
        .post(
            &format!("{page}/arrivals"),
            &[("registration_id", id(&late))],
        )
        .await;
    assert_eq!(seated.status(), StatusCode::SEE_OTHER);
    let after = read_session(&app, &session_path(&event, &session)).await;
    assert_eq!(after["rounds_played"], 1);
    let rounds = seating(&after);
    let sits = |round: &Vec<Vec<String>>| round.iter().flatten().any(|r| *r == id(&late));
    assert!(!sits(&rounds[0]), "the played round stays as it was");
    assert!(sits(&rounds[1]) && sits(&rounds[2]));

    let again = console
        .post(
            &format!("{page}/arrivals"),
            &[("registration_id", id(&late))],
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().await.unwrap().contains("already seated"));

    let too_many = console
        .post(&format!("{page}/settings"), &[("rounds_played", "7")])
        .await;
    assert_eq!(too_many.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        too_many
            .text()
            .await
            .unwrap()
            .contains("id=\"rounds_played-error\"")
    );
}

#[tokio::test]
async fn publishing_in_the_console_queues_the_tables_mails_and_a_plan_link_opens_the_plan() {
    let Made {
        app,
        event,
        console,
        session,
        page,
    } = made_in_console(6, &[("rounds", "2"), ("table_size", "3")]).await;
    let before = outbox(&app, "").await.len();

    let published = console.post(&format!("{page}/publish"), &[("x", "")]).await;
    let html = console.follow(&published).await;
    assert!(html.contains("게시됨"), "{html}");
    let after = read_session(&app, &session_path(&event, &session)).await;
    assert!(after["published_at"].is_string());
    let tables: Vec<Value> = outbox(&app, "")
        .await
        .into_iter()
        .filter(|mail| mail["kind"] == "tables")
        .collect();
    assert_eq!(tables.len(), 6, "everyone seated is mailed their tables");
    assert_eq!(outbox(&app, "").await.len(), before + 6);

    let link = console
        .post(&format!("{page}/plan-link"), &[("x", "")])
        .await;
    assert_eq!(link.status(), StatusCode::OK);
    assert_eq!(link.headers()[CACHE_CONTROL], "no-store");
    let html = link.text().await.unwrap();
    let url = between(&html, "<output class=\"secret\">", "</output>").unwrap();
    let path = &url[url.find("/plans/").expect("a plan link")..];
    let plan = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(plan.status(), StatusCode::OK, "the link opens the plan");
}

#[tokio::test]
async fn a_forged_networking_form_changes_nothing() {
    let Made {
        app,
        event,
        mut console,
        session,
        page,
    } = made_in_console(8, &[("rounds", "2"), ("table_size", "4")]).await;
    let mover = seating(&session)[0][0][0].clone();
    console.csrf = "forged".into();
    let moved = move_to(&console, &page, "1", &mover, "2").await;
    assert_eq!(moved.status(), StatusCode::FORBIDDEN);
    let published = console.post(&format!("{page}/publish"), &[("x", "")]).await;
    assert_eq!(published.status(), StatusCode::FORBIDDEN);
    let made = console
        .post(&console_path(&event), &[("rounds", "2")])
        .await;
    assert_eq!(made.status(), StatusCode::FORBIDDEN);

    let after = read_session(&app, &session_path(&event, &session)).await;
    assert_eq!(seating(&after), seating(&session));
    assert!(after["published_at"].is_null());
    assert_eq!(api_sessions(&app, &event).await.len(), 1);
    assert!(
        outbox(&app, "")
            .await
            .iter()
            .all(|mail| mail["kind"] != "tables")
    );
}

#[tokio::test]
async fn an_unknown_event_or_session_is_not_found() {
    let app = spawn_app().await;
    let console = app.console().await;
    let nobody = uuid::Uuid::new_v4();
    let response = console
        .get(&format!("/admin/events/{nobody}/networking"))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let event = app.open_event(50, json!({})).await;
    let response = console
        .get(&format!("{}/{nobody}", console_path(&event)))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn hosts_and_kept_apart_pairs_are_chosen_from_the_attendees() {
    let app = spawn_app().await;
    let event = app.open_event(50, json!({})).await;
    let people = register_attendees(&app, &event, 12, true).await;
    let console = app.console().await;
    let page = console.page(&console_path(&event)).await;
    let host = id(&people[0]);
    assert!(
        page.contains(&format!("name=\"hosts\" value=\"{host}\"")),
        "hosts offered"
    );

    // Half a pair is refused beside the field; nothing is made.
    let (a, b) = (id(&people[1]), id(&people[2]));
    let half = console
        .post(
            &console_path(&event),
            &[
                ("rounds", "3"),
                ("table_size", "4"),
                ("apart_a_1", a.as_str()),
            ],
        )
        .await;
    assert_eq!(half.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        half.text()
            .await
            .unwrap()
            .contains("두 사람을 모두 고르세요")
    );
    assert!(api_sessions(&app, &event).await.is_empty());

    let session = create_in_console(
        &app,
        &console,
        &event,
        &[
            ("rounds", "3"),
            ("table_size", "4"),
            ("hosts", host.as_str()),
            ("apart_a_1", a.as_str()),
            ("apart_b_1", b.as_str()),
        ],
    )
    .await;
    let rounds = seating(&session);
    let hosted = tables_of(&rounds, &host);
    assert!(
        hosted.iter().all(|&t| t == hosted[0]),
        "the host keeps a table"
    );
    let (at_a, at_b) = (tables_of(&rounds, &a), tables_of(&rounds, &b));
    assert!(
        at_a.iter().zip(&at_b).all(|(x, y)| x != y),
        "never together"
    );
}
