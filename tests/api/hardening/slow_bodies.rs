//! A client that announces a body and sends only part of it gets 408 after
//! `server.body_read_timeout_secs` and its connection is closed: before, it held the
//! connection forever.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{TestApp, fresh_database, spawn_app_configured};

async fn app_with_one_second_for_bodies() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database(&dir).await;
    spawn_app_configured(dir, database_url, |settings| {
        settings.server.body_read_timeout_secs = 1;
    })
    .await
}

/// Sends the head of a request announcing 500 bytes, then 10 of them, and reads the answer
/// (the outer timeout only keeps a broken server from hanging the suite).
async fn send_part_of_a_body(app: &TestApp, head: &str) -> String {
    let address = app.address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).await.unwrap();
    let request = format!("{head}Host: {address}\r\nContent-Length: 500\r\n\r\n{{\"name\": \"");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(60), stream.read_to_end(&mut answer))
        .await
        .expect("the server answers and closes the connection")
        .unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_stalled_json_body_gets_408_and_the_connection_closes() {
    let app = app_with_one_second_for_bodies().await;
    let answer = send_part_of_a_body(
        &app,
        &format!(
            "POST /api/v1/venues HTTP/1.1\r\nContent-Type: application/json\r\nAuthorization: Bearer {}\r\n",
            app.token
        ),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    let answer = send_part_of_a_body(
        &app,
        &format!(
            "POST /api/v1/events/{}/registrations HTTP/1.1\r\nContent-Type: application/json\r\n",
            uuid::Uuid::new_v4()
        ),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[tokio::test]
async fn a_stalled_form_post_gets_408() {
    let app = app_with_one_second_for_bodies().await;
    let answer = send_part_of_a_body(
        &app,
        "POST /events/anything/register HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}
