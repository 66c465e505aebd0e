//! The real `homecoming` binary, run in an empty folder of its own against a fresh database.

use std::process::{Command, Output};

use super::fresh_database;

pub struct Cli {
    pub dir: tempfile::TempDir,
    pub database_url: String,
}

impl Cli {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let database_url = fresh_database(&dir).await;
        Cli { dir, database_url }
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_homecoming"));
        command
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("HOMECOMING_ENV")
            .env("HOMECOMING__DATABASE__URL", &self.database_url)
            .env("HOMECOMING__LOG__LEVEL", "warn");
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("the binary runs")
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}
