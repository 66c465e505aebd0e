//! Where messages go: an SMTP server (pooled, with a bounded number of connections),
//! `.eml` files, or the log.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use lettre::Message;
use lettre::transport::smtp::authentication::Credentials;
use uuid::Uuid;

use super::settings::{EmailSettings, TransportKind};
use super::smtp_pool::SmtpPool;

pub enum Transport {
    Smtp(SmtpPool),
    File(PathBuf),
    Log,
}

/// Why a send failed, and whether trying again later may help.
#[derive(Debug)]
pub enum SendError {
    /// 4xx replies, refused or dropped connections, timeouts, "incomplete response" from a
    /// pooled connection the server closed while idle.
    Transient(String),
    /// 5xx replies and messages that cannot be built: retrying would fail the same way.
    Permanent(String),
}

impl Transport {
    pub fn from_settings(settings: &EmailSettings) -> anyhow::Result<Self> {
        Ok(match settings.transport {
            TransportKind::Log => Transport::Log,
            TransportKind::File => {
                std::fs::create_dir_all(&settings.file_dir).with_context(|| {
                    format!(
                        "cannot create the email folder {} (email.file_dir)",
                        settings.file_dir.display()
                    )
                })?;
                Transport::File(settings.file_dir.clone())
            }
            TransportKind::Smtp => {
                let smtp = &settings.smtp;
                let credentials = match (&smtp.username, &smtp.password) {
                    (Some(user), Some(password)) if !user.is_empty() => {
                        Some(Credentials::new(user.clone(), password.clone()))
                    }
                    (Some(user), None) if !user.is_empty() => anyhow::bail!(
                        "invalid configuration at key `email.smtp.password`: a username is set \
                         (HOMECOMING__EMAIL__SMTP__USERNAME) but no password"
                    ),
                    _ => None,
                };
                Transport::Smtp(SmtpPool::new(
                    &smtp.host,
                    smtp.port,
                    smtp.security,
                    credentials,
                    smtp.max_connections,
                    Duration::from_secs(smtp.timeout_secs),
                ))
            }
        })
    }

    /// How many messages can be on their way at once: the SMTP pool's connections (`None`:
    /// no limit; a file or a log line written twice is the same file or line).
    pub fn connections(&self) -> Option<usize> {
        match self {
            Transport::Smtp(pool) => Some(pool.max_connections()),
            Transport::File(_) | Transport::Log => None,
        }
    }

    pub async fn send(&self, id: Uuid, message: &Message) -> Result<(), SendError> {
        match self {
            Transport::Smtp(pool) => pool.send(message).await,
            Transport::File(dir) => {
                // Named by the outbox id: sending the same message again rewrites one file.
                let path = dir.join(format!("{id}.eml"));
                let partial = dir.join(format!(".{id}.eml.partial"));
                let write = async {
                    tokio::fs::write(&partial, message.formatted()).await?;
                    tokio::fs::rename(&partial, &path).await
                };
                write
                    .await
                    .map_err(|error| SendError::Transient(format!("{}: {error}", path.display())))
            }
            Transport::Log => {
                tracing::info!(
                    outbox_id = %id,
                    to = ?message.envelope().to(),
                    bytes = message.formatted().len(),
                    "email (log transport, not sent)"
                );
                Ok(())
            }
        }
    }
}
