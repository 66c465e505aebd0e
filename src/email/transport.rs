//! Where messages go: an SMTP server (pooled, with a bounded number of concurrent sends),
//! `.eml` files, or the log.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::settings::{EmailSettings, SmtpSecurity, TransportKind};

pub enum Transport {
    Smtp {
        mailer: AsyncSmtpTransport<Tokio1Executor>,
        /// lettre's pool bounds idle connections only; this bounds concurrent sends.
        permits: Arc<Semaphore>,
    },
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
                let builder = match smtp.security {
                    SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)?,
                    SmtpSecurity::Starttls => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)?
                    }
                    SmtpSecurity::None => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
                    }
                };
                let mut builder = builder
                    .port(smtp.port)
                    .timeout(Some(Duration::from_secs(smtp.timeout_secs)))
                    .pool_config(
                        PoolConfig::new()
                            .max_size(smtp.max_connections)
                            .idle_timeout(Duration::from_secs(30)),
                    );
                match (&smtp.username, &smtp.password) {
                    (Some(user), Some(password)) if !user.is_empty() => {
                        builder =
                            builder.credentials(Credentials::new(user.clone(), password.clone()));
                    }
                    (Some(user), None) if !user.is_empty() => anyhow::bail!(
                        "invalid configuration at key `email.smtp.password`: a username is set \
                         (HOMECOMING__EMAIL__SMTP__USERNAME) but no password"
                    ),
                    _ => {}
                }
                Transport::Smtp {
                    mailer: builder.build(),
                    permits: Arc::new(Semaphore::new(smtp.max_connections as usize)),
                }
            }
        })
    }

    pub async fn send(&self, id: Uuid, message: &Message) -> Result<(), SendError> {
        match self {
            Transport::Smtp { mailer, permits } => {
                let _permit = permits
                    .acquire()
                    .await
                    .map_err(|error| SendError::Transient(error.to_string()))?;
                match mailer.send(message.clone()).await {
                    Ok(_) => Ok(()),
                    Err(error) if error.is_permanent() => {
                        Err(SendError::Permanent(error.to_string()))
                    }
                    Err(error) => Err(SendError::Transient(error.to_string())),
                }
            }
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
