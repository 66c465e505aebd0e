//! `homecoming serve`: it migrates, serves, logs JSON with request ids and stops gracefully on
//! SIGTERM.

use std::io::{BufRead, Read, Write};

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::cli::{Cli, Served, stdout};

#[tokio::test]
async fn serve_applies_migrations_and_stops_gracefully_on_sigterm() {
    let cli = Cli::new().await;
    let token = stdout(&cli.run(&["token", "create", "--name", "ops"]))
        .trim()
        .to_string();
    let mut served = Served::start(&cli, &[]);
    let response = reqwest::get(format!("{}/ready", served.base))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    // A request in flight when SIGTERM arrives: headers and half the body are sent first.
    let body = r#"{"name": "302동", "address": "관악로 1"}"#.as_bytes();
    let address = served.base.trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    write!(
        stream,
        "POST /api/v1/venues HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(&body[..10]).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    served.sigterm();
    std::thread::sleep(std::time::Duration::from_millis(300));
    stream.write_all(&body[10..]).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(
        response.starts_with("HTTP/1.1 201"),
        "the in-flight request finished: {response}"
    );

    let status = served.wait();
    assert!(
        status.success(),
        "a SIGTERM stop is a clean exit: {status:?}"
    );
    let refused = std::net::TcpStream::connect(&address);
    assert!(refused.is_err(), "no new connections after shutdown");
}

#[tokio::test]
async fn json_logs_carry_the_request_id() {
    let cli = Cli::new().await;
    let mut served = Served::start(&cli, &[("HOMECOMING__LOG__FORMAT", "json")]);
    let response = reqwest::get(format!("{}/api/v1/events", served.base))
        .await
        .unwrap();
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    let secret = "NotARealManageTokenButSecret42";
    let manage = reqwest::get(format!("{}/registrations/{secret}", served.base))
        .await
        .unwrap();
    assert_eq!(manage.status(), StatusCode::NOT_FOUND);
    served.sigterm();
    served.wait();
    let lines: Vec<Value> = served
        .stderr
        .take()
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(&line.unwrap()).expect("every log line is JSON"))
        .collect();
    let about_request: Vec<&Value> = lines
        .iter()
        .filter(|line| line.to_string().contains(&request_id))
        .collect();
    assert!(
        !about_request.is_empty(),
        "the request's log lines name its id: {lines:?}"
    );
    assert!(
        about_request
            .iter()
            .all(|line| line["span"]["request_id"] == request_id.as_str())
    );
    assert!(
        lines.iter().all(|line| !line.to_string().contains(secret)),
        "manage tokens never reach the logs"
    );
}
