//! The tables mail says when the networking session starts and in which room, and lists each
//! round's table, in the text part and the HTML alike.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::mail::{app_with_sink, parse, part, subject};
use crate::helpers::networking::{create_session, publish, register_attendees, session_path};
use crate::helpers::smtp_sink::SmtpSink;
use crate::helpers::{expect_status, id};

#[tokio::test]
async fn the_tables_mail_has_the_sessions_time_and_room_and_every_rounds_table() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let event = app.open_event(10, json!({})).await;
    let venue = expect_status(
        app.get(&format!(
            "/api/v1/venues/{}",
            event["venue_id"].as_str().unwrap()
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    let hall = venue["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|room| room["name"] == "Hall")
        .unwrap()["id"]
        .clone();
    register_attendees(&app, &event, 4, true).await;
    let session = create_session(
        &app,
        &event,
        json!({"title": "저녁 네트워킹", "rounds": 2, "table_size": 2,
               "starts_at": "2030-05-18T17:00:00+09:00", "room_id": hall}),
    )
    .await;
    assert_eq!(session["room_id"], hall);
    assert_eq!(session["starts_at"], "2030-05-18T08:00:00Z");
    publish(&app, &session_path(&event, &session)).await;

    let messages = sink.wait_for(8).await;
    let tables: Vec<_> = messages
        .iter()
        .map(parse)
        .filter(|mail| subject(mail).contains("네트워킹 테이블"))
        .collect();
    assert_eq!(tables.len(), 4, "every attendee gets their tables");
    for mail in &tables {
        let text = part(mail, "text/plain").unwrap().get_body().unwrap();
        let html = part(mail, "text/html").unwrap().get_body().unwrap();
        for body in [&text, &html] {
            assert!(body.contains("저녁 네트워킹"), "{body}");
            assert!(body.contains("5월 18일 (토) 17:00 (한국 시간)"), "{body}");
            assert!(body.contains("Hall"), "{body}");
            assert!(
                body.contains("1라운드") && body.contains("2라운드"),
                "{body}"
            );
        }
        assert!(
            text.contains("1라운드: ") && text.contains("번 테이블"),
            "{text}"
        );
        assert_eq!(subject(mail).matches("1&N").count(), 1);
    }
    assert!(id(&session).len() > 1);
}
