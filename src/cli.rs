//! The `homecoming` command line: serve, migrate, manage organizer tokens, load the demo.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::auth::{TokenName, create_token, list_tokens, revoke_token};
use crate::configuration::Settings;
use crate::startup::Application;
use crate::{db, demo, telemetry};

#[derive(Debug, Parser)]
#[command(name = "homecoming", version, about = "Runs the 1&N alumni homecoming")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP server (the default), applying pending migrations first.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage organizer API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Load a sample 1&N homecoming (venue, speakers, schedule, a published event).
    Demo,
    /// Plan networking tables offline: read a JSON problem from FILE (or stdin), print the
    /// schedule as JSON. Needs no configuration and no database.
    Match { file: Option<std::path::PathBuf> },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create a token and print it once on stdout; only its hash is stored.
    Create {
        #[arg(long)]
        name: String,
    },
    /// List token names and when they were created.
    List,
    /// Revoke (delete) the token with this name.
    Revoke { name: String },
}

pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Match { file }) = &cli.command {
        return crate::matching::run_cli(file.as_deref());
    }
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("error: {error:#}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings.log);
    match execute(cli.command.unwrap_or(Command::Serve), settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn execute(command: Command, settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::Serve => {
            let app = Application::build(settings.clone()).await?;
            tracing::info!(
                address = %format!("http://{}:{}", settings.server.host, app.port()),
                database = %db::redact(&settings.database.url),
                "homecoming is serving"
            );
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            let connection = db::connect(&settings.database).await?;
            db::migrate(&connection).await?;
            eprintln!(
                "migrations applied to {}",
                db::redact(&settings.database.url)
            );
        }
        Command::Token { command } => {
            let connection = db::connect(&settings.database).await?;
            db::migrate(&connection).await?;
            match command {
                TokenCommand::Create { name } => {
                    let name = TokenName::parse(&name).map_err(anyhow::Error::msg)?;
                    let secret = create_token(&connection, &name).await?;
                    eprintln!("created token {:?}; it is shown only once:", name.as_str());
                    println!("{secret}");
                }
                TokenCommand::List => {
                    for token in list_tokens(&connection).await? {
                        println!("{}\t{}", token.name, token.created_at.to_rfc3339());
                    }
                }
                TokenCommand::Revoke { name } => {
                    let name = TokenName::parse(&name).map_err(anyhow::Error::msg)?;
                    if !revoke_token(&connection, &name).await? {
                        anyhow::bail!("no token named {:?}", name.as_str());
                    }
                    eprintln!("revoked token {:?}", name.as_str());
                }
            }
        }
        Command::Match { .. } => unreachable!("handled before the settings load"),
        Command::Demo => {
            let connection = db::connect(&settings.database).await?;
            db::migrate(&connection).await?;
            let links = crate::registration::links::ManageLinks::load(
                &connection,
                &settings.server.public_base_url,
            )
            .await?;
            let slug = demo::load(&connection, &links).await?;
            println!(
                "demo event loaded: http://{}:{}/api/v1/public/events/{slug}",
                settings.server.host, settings.server.port
            );
        }
    }
    Ok(())
}
