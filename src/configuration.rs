//! Layered configuration: the built-in `config/default.toml`, then an optional
//! `config/<HOMECOMING_ENV>.toml`, then `HOMECOMING__SECTION__KEY` environment variables.

use std::path::PathBuf;

use anyhow::{Context, bail};
use config::{Config, Environment, File, FileFormat};
use serde::Deserialize;

/// The defaults are compiled in, so the binary runs from any directory.
const DEFAULTS: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub log: LogSettings,
    pub email: crate::email::EmailSettings,
    pub matching: MatchingSettings,
    pub limits: crate::throttle::LimitSettings,
    #[serde(default)]
    pub metrics: crate::metrics::MetricsSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchingSettings {
    pub max_time_limit_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    pub shutdown_timeout_secs: u64,
    pub max_body_bytes: usize,
    pub body_read_timeout_secs: u64,
    pub public_base_url: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub max_connections: u32,
    pub busy_timeout_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub level: String,
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

impl Settings {
    /// Loads the layered configuration from the process environment and `./config`.
    pub fn load() -> anyhow::Result<Self> {
        let environment = std::env::var("HOMECOMING_ENV").unwrap_or_else(|_| "local".into());
        let env_file = PathBuf::from("config").join(format!("{environment}.toml"));
        let files = || {
            Config::builder()
                .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
                .add_source(File::from(env_file.clone()).required(false))
        };
        let context = || format!("cannot read configuration ({})", env_file.display());
        no_secrets_in_files(&files().build().with_context(context)?)?;
        let config = files()
            .add_source(env_variables())
            .build()
            .with_context(context)?;
        Self::from_config(config)
    }

    /// The built-in defaults alone, ignoring files and the environment (for tests).
    pub fn defaults() -> anyhow::Result<Self> {
        Self::from_config(
            Config::builder()
                .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
                .build()?,
        )
    }

    fn from_config(config: Config) -> anyhow::Result<Self> {
        let settings: Settings = serde_path_to_error::deserialize(config).map_err(|error| {
            let key = error.path().to_string();
            let inner = error.into_inner();
            anyhow::anyhow!("invalid configuration at key `{key}`: {inner}")
        })?;
        settings.check()?;
        Ok(settings)
    }

    /// Checks the values serde cannot: each message names the offending key.
    fn check(&self) -> anyhow::Result<()> {
        let url = &self.database.url;
        if !(url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            bail!(
                "invalid configuration at key `database.url`: expected sqlite:... or postgres://..., got {url:?}"
            );
        }
        if self.database.max_connections == 0 {
            bail!("invalid configuration at key `database.max_connections`: must be at least 1");
        }
        match url::Url::parse(&self.server.public_base_url) {
            Ok(base) if matches!(base.scheme(), "http" | "https") => {}
            _ => bail!(
                "invalid configuration at key `server.public_base_url`: expected an http(s) URL, got {:?}",
                self.server.public_base_url
            ),
        }
        if self.server.max_body_bytes < 1024 {
            bail!("invalid configuration at key `server.max_body_bytes`: must be at least 1024");
        }
        if !(1..=600).contains(&self.server.body_read_timeout_secs) {
            bail!("invalid configuration at key `server.body_read_timeout_secs`: must be 1 to 600");
        }
        if !(100..=600_000).contains(&self.matching.max_time_limit_ms) {
            bail!(
                "invalid configuration at key `matching.max_time_limit_ms`: must be 100 to 600000"
            );
        }
        if let Err(error) = tracing_subscriber::EnvFilter::try_new(&self.log.level) {
            bail!("invalid configuration at key `log.level`: {error}");
        }
        self.email.check()?;
        self.metrics.check()
    }
}

/// Keys that hold a secret: they come from the environment only, never from a file that
/// might be committed or copied.
const ENVIRONMENT_ONLY: &[&str] = &["metrics.token"];

fn no_secrets_in_files(files: &Config) -> anyhow::Result<()> {
    for key in ENVIRONMENT_ONLY {
        if files.get::<config::Value>(key).is_ok() {
            let variable = format!("HOMECOMING__{}", key.replace('.', "__").to_uppercase());
            bail!(
                "invalid configuration at key `{key}`: a secret; set it in the environment ({variable}), not in a file"
            );
        }
    }
    Ok(())
}

/// `HOMECOMING__SECTION__KEY` variables (`HOMECOMING__EMAIL__SMTP__HOST` for nested sections).
fn env_variables() -> Environment {
    Environment::with_prefix("HOMECOMING")
        .prefix_separator("__")
        .separator("__")
        .try_parsing(true)
        // A list from one variable: HOMECOMING__LIMITS__TRUSTED_PROXIES=10.0.0.2,10.0.0.3
        .list_separator(",")
        .with_list_parse_key("limits.trusted_proxies")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_with(extra: &str) -> anyhow::Result<Settings> {
        let config = Config::builder()
            .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
            .add_source(File::from_str(extra, FileFormat::Toml))
            .build()?;
        Settings::from_config(config)
    }

    #[test]
    fn defaults_are_valid() {
        let settings = load_with("").unwrap();
        assert_eq!(settings.server.port, 8080);
        assert_eq!(settings.server.host, "127.0.0.1");
        assert!(
            settings
                .database
                .url
                .starts_with("sqlite://data/homecoming.db")
        );
    }

    #[test]
    fn email_settings_come_from_the_environment() {
        let variables = [
            ("HOMECOMING__EMAIL__TRANSPORT", "smtp"),
            ("HOMECOMING__EMAIL__SMTP__HOST", "smtp.example.com"),
            ("HOMECOMING__EMAIL__SMTP__PORT", "465"),
            ("HOMECOMING__EMAIL__SMTP__SECURITY", "tls"),
            ("HOMECOMING__EMAIL__SMTP__USERNAME", "mailer"),
            ("HOMECOMING__EMAIL__SMTP__PASSWORD", "12345"),
        ];
        let config = Config::builder()
            .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
            .add_source(
                env_variables().source(Some(
                    variables
                        .iter()
                        .map(|(key, value)| (key.to_string(), value.to_string()))
                        .collect(),
                )),
            )
            .build()
            .unwrap();
        let email = Settings::from_config(config).unwrap().email;
        assert_eq!(email.transport, crate::email::settings::TransportKind::Smtp);
        assert_eq!(email.smtp.host, "smtp.example.com");
        assert_eq!(email.smtp.port, 465);
        assert_eq!(
            email.smtp.security,
            crate::email::settings::SmtpSecurity::Tls
        );
        assert_eq!(email.smtp.username.as_deref(), Some("mailer"));
        assert_eq!(email.smtp.password.as_deref(), Some("12345"));
        let defaults = load_with("").unwrap().email;
        assert_eq!(
            defaults.transport,
            crate::email::settings::TransportKind::File
        );
        assert_eq!(defaults.smtp.username, None, "no credentials needed");
    }

    #[test]
    fn the_metrics_token_comes_from_the_environment_only() {
        let in_file = Config::builder()
            .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
            .add_source(File::from_str(
                "[metrics]\ntoken = \"0123456789abcdef\"",
                FileFormat::Toml,
            ))
            .build()
            .unwrap();
        let error = no_secrets_in_files(&in_file).unwrap_err().to_string();
        assert!(error.contains("HOMECOMING__METRICS__TOKEN"), "{error}");
        let defaults = Config::builder()
            .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
            .build()
            .unwrap();
        assert!(no_secrets_in_files(&defaults).is_ok());
        assert_eq!(
            load_with("").unwrap().metrics.token(),
            None,
            "off by default"
        );
        let error = load_with("[metrics]\ntoken = \"short\"")
            .unwrap_err()
            .to_string();
        assert!(error.contains("metrics.token"), "{error}");
    }

    #[test]
    fn trusted_proxies_come_from_one_variable() {
        let config = Config::builder()
            .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
            .add_source(
                env_variables().source(Some(
                    [(
                        "HOMECOMING__LIMITS__TRUSTED_PROXIES".to_string(),
                        "127.0.0.1,::1".to_string(),
                    )]
                    .into(),
                )),
            )
            .build()
            .unwrap();
        let limits = Settings::from_config(config).unwrap().limits;
        assert_eq!(
            limits.trusted_proxies,
            [
                "127.0.0.1".parse::<std::net::IpAddr>().unwrap(),
                "::1".parse().unwrap()
            ]
        );
        assert!(load_with("").unwrap().limits.trusted_proxies.is_empty());
        let error = load_with("[limits]\ntrusted_proxies = [\"nginx\"]")
            .unwrap_err()
            .to_string();
        assert!(error.contains("trusted_proxies"), "{error}");
    }

    #[test]
    fn unknown_key_is_named() {
        let error = load_with("[server]\nprot = 1").unwrap_err().to_string();
        assert!(error.contains("prot"), "{error}");
    }

    #[test]
    fn invalid_value_is_named() {
        let error = load_with("[server]\nport = \"eighty\"")
            .unwrap_err()
            .to_string();
        assert!(error.contains("server.port"), "{error}");
        let error = load_with("[database]\nurl = \"mysql://x\"")
            .unwrap_err()
            .to_string();
        assert!(error.contains("database.url"), "{error}");
        let error = load_with("[log]\nformat = \"xml\"")
            .unwrap_err()
            .to_string();
        assert!(error.contains("log.format"), "{error}");
        let error = load_with("[email]\ntransport = \"pigeon\"")
            .unwrap_err()
            .to_string();
        assert!(error.contains("email.transport"), "{error}");
        let error = load_with("[email.smtp]\nsecurity = \"ssl\"")
            .unwrap_err()
            .to_string();
        assert!(error.contains("email.smtp.security"), "{error}");
    }
}
