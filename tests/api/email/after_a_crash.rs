//! A `kill -9` of the real binary in the middle of a batch: after a restart every message
//! arrives, and the only ones sent twice are those the server had accepted but the worker had
//! not yet recorded, at most one per SMTP connection, each time with the same Message-ID.

use std::collections::HashMap;

use homecoming::db::WriteTxn;
use mailparse::MailHeaderMap;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};
use serde_json::json;

use crate::helpers::cli::{Cli, Served};
use crate::helpers::mail::{all_have_status, app_with_sink, parse, wait_outbox};
use crate::helpers::smtp_sink::SmtpSink;
use crate::helpers::{expect_status, id};

const CONNECTIONS: usize = 4;
const MESSAGES: usize = 20;

/// Blocks every write to the outbox until the transaction ends (SQLite: the database's write
/// lock; PostgreSQL: a table lock that lets reads through), as a slow commit would.
async fn hold_outbox_writes(db: &DatabaseConnection) -> WriteTxn {
    let txn = homecoming::db::begin_write(db).await.unwrap();
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared("LOCK TABLE outbox_messages IN SHARE MODE")
            .await
            .unwrap();
    }
    txn
}

/// `homecoming serve` delivering through the sink over at most [`CONNECTIONS`] connections,
/// in batches as large as the test's, with leases short enough to take a dead worker's back
/// in a second.
fn serve(cli: &Cli, sink: &SmtpSink) -> Served {
    let port = sink.port.to_string();
    let connections = CONNECTIONS.to_string();
    let batch = MESSAGES.to_string();
    Served::start(
        cli,
        &[
            ("HOMECOMING__EMAIL__TRANSPORT", "smtp"),
            ("HOMECOMING__EMAIL__SMTP__HOST", "127.0.0.1"),
            ("HOMECOMING__EMAIL__SMTP__PORT", &port),
            ("HOMECOMING__EMAIL__SMTP__SECURITY", "none"),
            ("HOMECOMING__EMAIL__SMTP__MAX_CONNECTIONS", &connections),
            ("HOMECOMING__EMAIL__BATCH_SIZE", &batch),
            ("HOMECOMING__EMAIL__LEASE_SECS", "1"),
            ("HOMECOMING__EMAIL__POLL_INTERVAL_MS", "50"),
            // The worker waits for the test's lock rather than giving up on it.
            ("HOMECOMING__DATABASE__BUSY_TIMEOUT_MS", "60000"),
        ],
    )
}

#[tokio::test]
async fn a_kill_9_mid_batch_repeats_at_most_one_message_per_smtp_connection() {
    let sink = SmtpSink::start().await;
    let cli = Cli::new().await;
    // The messages are queued by an instance that does not send, on the binary's database.
    let queuer = app_with_sink(&sink, Some(cli.database_url.clone()), false).await;
    let event = queuer.open_event(100, json!({})).await;
    for n in 0..MESSAGES {
        expect_status(
            queuer
                .register(
                    &id(&event),
                    &json!({"name": format!("사람 {n}"), "email": format!("k{n}@example.com"), "role": "student"}),
                )
                .await,
            StatusCode::CREATED,
        )
        .await;
    }

    // The binary claims the whole batch; the first messages reach the server, which holds
    // its answer until the worker can no longer record anything.
    sink.hold_acceptance();
    let mut served = serve(&cli, &sink);
    sink.wait_for(1).await;
    let lock = hold_outbox_writes(&queuer.db).await;
    sink.accept_held();
    // Accepted but not recorded: each connection must wait for its record before it sends
    // the next message, so no more than one per connection reaches the server, however long
    // the records take. A few polls' time for any further message to arrive, then the kill.
    sink.wait_for(CONNECTIONS).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let accepted = sink.messages().len();
    served.kill_9();
    lock.rollback().await.unwrap();
    assert!(
        accepted <= CONNECTIONS,
        "{accepted} messages sent before the kill, over {CONNECTIONS} connections"
    );

    // After the restart the leases end and every message is sent (again).
    let _restarted = serve(&cli, &sink);
    wait_outbox(&queuer, |rows| all_have_status(rows, MESSAGES, "sent")).await;
    let messages = sink.messages();
    let mut copies: HashMap<String, Vec<String>> = HashMap::new();
    for message in &messages {
        let message_id = parse(message)
            .headers
            .get_first_value("Message-ID")
            .unwrap();
        copies
            .entry(message.to.join(","))
            .or_default()
            .push(message_id);
    }
    assert_eq!(copies.len(), MESSAGES, "every message arrived");
    let duplicates = messages.len() - MESSAGES;
    assert!(
        duplicates <= CONNECTIONS,
        "{duplicates} duplicates; at most one per connection ({CONNECTIONS})"
    );
    for (to, ids) in &copies {
        assert!(
            ids.iter().all(|message_id| message_id == &ids[0]),
            "the copies to {to} carry one Message-ID: {ids:?}"
        );
    }
}
