//! The real `homecoming` binary, run in an empty folder of its own against a fresh database.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

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

    /// The binary against an existing database (one a test app serves).
    pub fn for_database(database_url: &str) -> Self {
        Cli {
            dir: tempfile::tempdir().unwrap(),
            database_url: database_url.to_string(),
        }
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

/// A `homecoming serve` process; killed when dropped, so a failing test leaves none behind.
pub struct Served {
    child: std::process::Child,
    pub base: String,
    pub stderr: Option<BufReader<std::process::ChildStderr>>,
}

impl Served {
    /// Starts `homecoming serve` on a free port and waits until it announces its address.
    pub fn start(cli: &Cli, extra_env: &[(&str, &str)]) -> Self {
        let mut command = cli.command(&["serve"]);
        command
            .env("HOMECOMING__SERVER__PORT", "0")
            .env("HOMECOMING__LOG__LEVEL", "info")
            .stderr(Stdio::piped())
            .stdout(Stdio::null());
        for (key, value) in extra_env {
            command.env(key, value);
        }
        let mut child = command.spawn().unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut served = Served {
            child,
            base: String::new(),
            stderr: None,
        };
        let mut line = String::new();
        loop {
            line.clear();
            assert!(
                stderr.read_line(&mut line).unwrap() > 0,
                "the server exited before serving"
            );
            if let Some(start) = line.find("http://127.0.0.1:") {
                let rest = &line[start..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || ":/.".contains(c)))
                    .unwrap_or(rest.len());
                served.base = rest[..end].to_string();
                served.stderr = Some(stderr);
                return served;
            }
        }
    }

    pub fn sigterm(&self) {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
    }

    /// `kill -9`: the process ends at once, whatever it was doing.
    pub fn kill_9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    pub fn wait(&mut self) -> std::process::ExitStatus {
        self.child.wait().unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
