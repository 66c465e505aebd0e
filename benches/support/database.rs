//! The database a benchmark runs on: a new PostgreSQL database next to `BENCH_DATABASE_URL`'s
//! (dropped at the end unless `BENCH_KEEP_DATABASE=1`), or a SQLite file in a temporary folder
//! when that is unset.

use sea_orm::{ConnectionTrait, Database};
use uuid::Uuid;

pub struct BenchDatabase {
    pub url: String,
    /// `SQLite` or `PostgreSQL`, for the report.
    pub backend: &'static str,
    /// PostgreSQL: the new database's name.
    pub name: Option<String>,
    /// The admin URL, when the database is to be dropped at the end.
    drop_with: Option<String>,
    /// Holds the SQLite file (and anything else the benchmark writes) until the end.
    pub dir: tempfile::TempDir,
}

impl BenchDatabase {
    /// Creates the database; `setup(name)` gives statements the admin connection runs on a
    /// new PostgreSQL database right after creating it.
    pub async fn create(setup: impl Fn(&str) -> Vec<String>) -> BenchDatabase {
        let dir = tempfile::tempdir().expect("a temporary folder");
        match super::env::optional("BENCH_DATABASE_URL") {
            Some(admin_url) => {
                let name = format!("hc_bench_{}", Uuid::new_v4().simple());
                let admin = Database::connect(admin_options(&admin_url))
                    .await
                    .expect("BENCH_DATABASE_URL is reachable");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("can create a benchmark database");
                for statement in setup(&name) {
                    admin
                        .execute_unprepared(&statement)
                        .await
                        .expect("can configure the benchmark database");
                }
                admin.close().await.ok();
                let mut url = url::Url::parse(&admin_url).expect("BENCH_DATABASE_URL is a URL");
                url.set_path(&name);
                let keep = super::env::string("BENCH_KEEP_DATABASE", "0") == "1";
                BenchDatabase {
                    url: url.to_string(),
                    backend: "PostgreSQL",
                    name: Some(name),
                    drop_with: (!keep).then_some(admin_url),
                    dir,
                }
            }
            None => BenchDatabase {
                url: format!("sqlite://{}/bench.db?mode=rwc", dir.path().display()),
                backend: "SQLite",
                name: None,
                drop_with: None,
                dir,
            },
        }
    }

    /// Drops a PostgreSQL database (unless it is to be kept). Close the benchmark's own
    /// connections first.
    pub async fn drop(&self) {
        if let (Some(admin_url), Some(name)) = (&self.drop_with, &self.name) {
            let admin = Database::connect(admin_options(admin_url))
                .await
                .expect("BENCH_DATABASE_URL is reachable");
            // WITH (FORCE) closes the server's idle pool connections (PostgreSQL 13+).
            if let Err(error) = admin
                .execute_unprepared(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
                .await
            {
                eprintln!("could not drop the benchmark database {name}: {error}");
            }
            admin.close().await.ok();
        }
    }
}

/// A connection to BENCH_DATABASE_URL for creating and dropping the benchmark database,
/// without sqlx's statement log (DROP DATABASE is slow enough to be logged as slow).
fn admin_options(url: &str) -> sea_orm::ConnectOptions {
    let mut options = sea_orm::ConnectOptions::new(url.to_string());
    options.max_connections(1).sqlx_logging(false);
    options
}
