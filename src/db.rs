//! Database connection, migrations and write transactions for SQLite and PostgreSQL.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use anyhow::Context;
use entity::event;
use migration::{Migrator, MigratorTrait};
use sea_orm::prelude::async_trait::async_trait;
use sea_orm::sqlx::sqlite::{SqliteError, SqliteJournalMode};
use sea_orm::{
    ConnAcquireErr, ConnectOptions, ConnectionTrait, Database, DatabaseConnection,
    DatabaseTransaction, DbBackend, DbErr, EntityTrait, ExecResult, QueryResult, QuerySelect,
    RuntimeErr, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};
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
    let db = Database::connect(options).await.with_context(|| {
        format!(
            "cannot connect to the database at {}",
            redact(&settings.url)
        )
    })?;
    if db.get_database_backend() == DbBackend::Sqlite {
        write_gate(&db, Some(busy_timeout));
    }
    Ok(db)
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

/// A write transaction. On SQLite it also holds this process's write gate for the database
/// file: writers of one instance queue for it in memory, in order, instead of polling SQLite's
/// lock in its busy handler (which sleeps up to 100 ms between tries); only a writer of
/// another process can make one wait on `database.busy_timeout_ms`.
pub struct WriteTxn {
    txn: DatabaseTransaction,
    _gate: Option<OwnedMutexGuard<()>>,
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }
}

impl std::ops::Deref for WriteTxn {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

#[async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }
}

/// One SQLite file's write gate, and how long a writer waits for it (the file's busy timeout)
/// before it is told the database is busy.
#[derive(Clone)]
struct WriteGate {
    lock: Arc<AsyncMutex<()>>,
    patience: Duration,
}

/// The write gate of each SQLite file this process writes to.
static WRITE_GATES: LazyLock<Mutex<HashMap<PathBuf, WriteGate>>> = LazyLock::new(Default::default);

/// The gate of a SQLite database, made on first use with `patience` (the default busy timeout
/// when `None`); `patience` replaces an earlier one.
fn write_gate(db: &DatabaseConnection, patience: Option<Duration>) -> WriteGate {
    let file = db
        .get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_path_buf();
    let mut gates = WRITE_GATES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let gate = gates.entry(file).or_insert_with(|| WriteGate {
        lock: Arc::default(),
        patience: DEFAULT_GATE_PATIENCE,
    });
    if let Some(patience) = patience {
        gate.patience = patience;
    }
    gate.clone()
}

/// How long a writer waits for the gate of a file `connect` did not open (the default busy
/// timeout).
const DEFAULT_GATE_PATIENCE: Duration = Duration::from_secs(5);

/// Begins a transaction that will write. On SQLite it first takes the process's write gate
/// for the file, then `BEGIN IMMEDIATE`, which takes the write lock up front: a deferred
/// transaction that reads and then writes fails with SQLITE_BUSY when another writer got in
/// between, and the busy timeout cannot help it. A gate not free within the busy timeout is
/// a busy database (`is_busy`), like SQLite's own lock.
pub async fn begin_write(db: &DatabaseConnection) -> Result<WriteTxn, DbErr> {
    let gate = match db.get_database_backend() {
        DbBackend::Sqlite => {
            let gate = write_gate(db, None);
            let guard = tokio::time::timeout(gate.patience, gate.lock.lock_owned())
                .await
                .map_err(|_| DbErr::ConnectionAcquire(ConnAcquireErr::Timeout))?;
            Some(guard)
        }
        _ => None,
    };
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    Ok(WriteTxn { txn, _gate: gate })
}

/// Whether the database gave up waiting for a lock: SQLite's busy timeout ran out
/// (SQLITE_BUSY and its extended codes), PostgreSQL's lock timeout did (55P03), or no
/// connection or write gate came free in time. Nothing was written; the same request may
/// simply be sent again later.
pub fn is_busy(error: &DbErr) -> bool {
    // No connection or write gate in time: the same, one step earlier.
    if matches!(error, DbErr::ConnectionAcquire(ConnAcquireErr::Timeout)) {
        return true;
    }
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
