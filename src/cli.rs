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
    /// Manage organizer accounts (who may sign in to the console at /admin).
    Organizer {
        #[command(subcommand)]
        command: OrganizerCommand,
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
        /// The organizer (by email) the token belongs to; shown beside it in the console.
        #[arg(long, value_name = "EMAIL")]
        organizer: Option<String>,
    },
    /// List token names, when they were created and by whom.
    List,
    /// Revoke (delete) the token with this name.
    Revoke { name: String },
}

#[derive(Debug, Subcommand)]
enum OrganizerCommand {
    /// Create an organizer and print a one-time sign-in link (valid 15 minutes); the link is
    /// also queued as a mail, sent when mail is configured.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// The language of the mail: ko or en.
        #[arg(long, default_value = "ko")]
        lang: String,
    },
    /// List organizers.
    List,
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
        Command::Organizer { command } => {
            let connection = db::connect(&settings.database).await?;
            db::migrate(&connection).await?;
            match command {
                OrganizerCommand::Add { email, name, lang } => {
                    add_organizer(&connection, &settings, &email, &name, &lang).await?;
                }
                OrganizerCommand::List => {
                    for organizer in crate::organizers::store::list(&connection).await? {
                        println!("{}\t{}", organizer.email, organizer.name);
                    }
                }
            }
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
                TokenCommand::Create { name, organizer } => {
                    let name = TokenName::parse(&name).map_err(anyhow::Error::msg)?;
                    let owner = match organizer {
                        Some(email) => Some(organizer_by_email(&connection, &email).await?.id),
                        None => None,
                    };
                    let secret = create_token(&connection, &name, owner).await?;
                    eprintln!("created token {:?}; it is shown only once:", name.as_str());
                    println!("{secret}");
                }
                TokenCommand::List => {
                    for token in list_tokens(&connection).await? {
                        let by = token.organizer.map_or("-".into(), |by| by.email);
                        println!("{}\t{}\t{by}", token.name, token.created_at.to_rfc3339());
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

fn email_arg(raw: &str) -> anyhow::Result<crate::domain::EmailAddress> {
    crate::domain::EmailAddress::parse(raw)
        .map_err(|_| anyhow::anyhow!("{raw:?} is not an email address"))
}

/// The organizer with this email, or an error saying there is none.
async fn organizer_by_email(
    db: &sea_orm::DatabaseConnection,
    email: &str,
) -> anyhow::Result<crate::organizers::Organizer> {
    crate::organizers::store::find_by_email(db, &email_arg(email)?)
        .await?
        .ok_or_else(|| {
            anyhow::anyhow!(
                "no organizer with the email {email:?}; add one with 'homecoming organizer add'"
            )
        })
}

async fn add_organizer(
    db: &sea_orm::DatabaseConnection,
    settings: &Settings,
    email: &str,
    name: &str,
    lang: &str,
) -> anyhow::Result<()> {
    use crate::organizers::sign_in::{SignInLinks, invite};
    let email = email_arg(email)?;
    let name = crate::domain::Text::parse(name)
        .map_err(|_| anyhow::anyhow!("give a name of 1 to 100 characters on one line"))?;
    let language = crate::web::i18n::language_from_code(lang)
        .ok_or_else(|| anyhow::anyhow!("--lang is ko or en"))?;
    let links = SignInLinks::new(&settings.server.public_base_url);
    let (organizer, url) =
        invite(db, &links, email, &name, None, language, chrono::Utc::now()).await?;
    eprintln!(
        "added organizer {} <{}>; this sign-in link works once, within 15 minutes:",
        organizer.name, organizer.email
    );
    println!("{url}");
    Ok(())
}
