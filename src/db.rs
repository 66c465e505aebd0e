//! Database connection, migrations and write transactions for SQLite and PostgreSQL.

use std::time::Duration;

use anyhow::Context;
use entity::event;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteError, SqliteJournalMode};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    EntityTrait, QuerySelect, RuntimeErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use uuid::Uuid;

use crate::configuration::DatabaseSettings;

/// Connects to the configured database. For SQLite the file and its folder are created, WAL
/// lets readers proceed beside the single writer, foreign keys are enforced and writers wait
/// for the lock instead of failing at once.
pub async fn connect(settings: &DatabaseSettings) -> anyhow::Result<DatabaseConnection> {
    if settings.url.starts_with("sqlite:") {
        create_sqlite_folder(&settings.url)?;
    }
    let busy_timeout = Duration::from_millis(settings.busy_timeout_ms);
    let mut options = ConnectOptions::new(settings.url.clone());
    options
        .max_connections(settings.max_connections)
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |sqlite| {
            sqlite
                .journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(busy_timeout)
                .create_if_missing(true)
        });
    Database::connect(options).await.with_context(|| {
        format!(
            "cannot connect to the database at {}",
            redact(&settings.url)
        )
    })
}

/// How the connection pool is used: connections open, idle among them, and the most it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUse {
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

pub fn pool_use(db: &DatabaseConnection) -> PoolUse {
    fn of<DB: sea_orm::sqlx::Database>(pool: &sea_orm::sqlx::Pool<DB>) -> PoolUse {
        PoolUse {
            open: pool.size(),
            idle: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
            max: pool.options().get_max_connections(),
        }
    }
    match db.get_database_backend() {
        DbBackend::Postgres => of(db.get_postgres_connection_pool()),
        _ => of(db.get_sqlite_connection_pool()),
    }
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("cannot apply database migrations")
}

/// Begins a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`, which takes the
/// write lock up front: a deferred transaction that reads and then writes fails with
/// SQLITE_BUSY when another writer got in between, and the busy timeout cannot help it.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Whether the database gave up waiting for a lock: SQLite's busy timeout ran out
/// (SQLITE_BUSY and its extended codes) or PostgreSQL's lock timeout did (55P03). Nothing was
/// written; the same request may simply be sent again later.
pub fn is_busy(error: &DbErr) -> bool {
    let Some(database_error) = (match error {
        DbErr::Conn(RuntimeErr::SqlxError(error))
        | DbErr::Exec(RuntimeErr::SqlxError(error))
        | DbErr::Query(RuntimeErr::SqlxError(error)) => error.as_database_error(),
        _ => None,
    }) else {
        return false;
    };
    let code = database_error.code().unwrap_or_default();
    if database_error.try_downcast_ref::<SqliteError>().is_some() {
        // Extended result codes keep the primary code in their low byte.
        code.parse::<i32>()
            .is_ok_and(|code| code & 0xff == SQLITE_BUSY)
    } else {
        code == "55P03"
    }
}

const SQLITE_BUSY: i32 = 5;

/// Rows bound in one multi-row INSERT, or ids in one `IN` list: SQLite allows 32,766 bound
/// parameters per statement and the widest rows (outbox messages) have about twenty columns.
pub const ROWS_PER_STATEMENT: usize = 200;

/// Locks an event's row for the rest of a write transaction (`FOR UPDATE` on PostgreSQL; on
/// SQLite the write transaction already holds the database's lock). Every change to what an
/// event offers (seats, schedule, mailings, tables) takes this lock first, so such changes
/// happen one after another across instances. `None` when there is no such event.
pub async fn lock_event(
    txn: &DatabaseTransaction,
    id: Uuid,
) -> Result<Option<event::Model>, DbErr> {
    event::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await
}

/// Reads a JSON text column into its type. A value that does not fit is an error, never a
/// silent default: the row was written by something that did not follow the schema.
pub fn json_column<T: serde::de::DeserializeOwned>(
    column: &'static str,
    raw: &str,
) -> Result<T, DbErr> {
    serde_json::from_str(raw).map_err(|error| {
        DbErr::Type(format!(
            "column {column} does not hold its JSON type: {error}"
        ))
    })
}

fn create_sqlite_folder(url: &str) -> anyhow::Result<()> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path.starts_with(":memory:") {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the database folder {}", parent.display()))?;
    }
    Ok(())
}

/// Hides a password in a database URL before it reaches a log or an error message.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_writer_that_waits_too_long_is_busy_not_broken() {
        let dir = tempfile::tempdir().unwrap();
        let settings = DatabaseSettings {
            url: format!("sqlite://{}/busy.db?mode=rwc", dir.path().display()),
            max_connections: 2,
            busy_timeout_ms: 50,
        };
        let db = connect(&settings).await.unwrap();
        let holder = begin_write(&db).await.unwrap();
        let Err(error) = begin_write(&db).await else {
            panic!("a second writer got the lock the first one holds");
        };
        assert!(is_busy(&error), "{error:?}");
        assert!(matches!(
            crate::error::ApiError::from(error),
            crate::error::ApiError::Busy
        ));
        holder.rollback().await.unwrap();
        assert!(begin_write(&db).await.is_ok(), "free again");
        assert!(!is_busy(&DbErr::Custom("other".into())));
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(
            redact("sqlite://data/x.db?mode=rwc"),
            "sqlite://data/x.db?mode=rwc"
        );
    }
}
