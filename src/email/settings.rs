//! The `[email]` configuration section.

use std::path::PathBuf;

use anyhow::bail;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailSettings {
    pub transport: TransportKind,
    /// The sender, e.g. `"1&N 홈커밍 <homecoming@example.com>"`.
    pub from: String,
    /// Where replies go; empty for none.
    pub reply_to: String,
    /// Folder of the `file` transport.
    pub file_dir: PathBuf,
    pub worker_enabled: bool,
    pub poll_interval_ms: u64,
    pub batch_size: u64,
    pub lease_secs: u64,
    pub max_attempts: i32,
    pub retry_base_ms: u64,
    pub retry_max_ms: u64,
    /// How often the scheduler looks for reminders and surveys that are due.
    pub scheduler_interval_ms: u64,
    /// Hours after an event ends at which checked-in attendees are asked for feedback.
    pub feedback_after_hours: u32,
    pub smtp: SmtpSettings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TransportKind {
    File,
    Smtp,
    Log,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// From `HOMECOMING__EMAIL__SMTP__USERNAME`; no authentication when absent.
    #[serde(default)]
    pub username: Option<String>,
    /// From `HOMECOMING__EMAIL__SMTP__PASSWORD`.
    #[serde(default)]
    pub password: Option<String>,
    pub max_connections: u32,
    pub timeout_secs: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    Starttls,
    Tls,
    None,
}

impl EmailSettings {
    /// Checks what serde cannot; each message names the key.
    pub fn check(&self) -> anyhow::Result<()> {
        if self.from.parse::<lettre::message::Mailbox>().is_err() {
            bail!(
                "invalid configuration at key `email.from`: expected an address such as \"1&N <homecoming@example.com>\", got {:?}",
                self.from
            );
        }
        if !self.reply_to.is_empty() && self.reply_to.parse::<lettre::message::Mailbox>().is_err() {
            bail!(
                "invalid configuration at key `email.reply_to`: expected an address or \"\", got {:?}",
                self.reply_to
            );
        }
        for (key, value) in [
            ("poll_interval_ms", self.poll_interval_ms),
            ("batch_size", self.batch_size),
            ("lease_secs", self.lease_secs),
            ("retry_base_ms", self.retry_base_ms),
            ("scheduler_interval_ms", self.scheduler_interval_ms),
            ("smtp.timeout_secs", self.smtp.timeout_secs),
            ("smtp.max_connections", u64::from(self.smtp.max_connections)),
        ] {
            if value == 0 {
                bail!("invalid configuration at key `email.{key}`: must be at least 1");
            }
        }
        if self.feedback_after_hours > 24 * 30 {
            bail!(
                "invalid configuration at key `email.feedback_after_hours`: at most 720 (30 days)"
            );
        }
        if self.max_attempts < 1 {
            bail!("invalid configuration at key `email.max_attempts`: must be at least 1");
        }
        if self.retry_max_ms < self.retry_base_ms {
            bail!(
                "invalid configuration at key `email.retry_max_ms`: must be at least email.retry_base_ms"
            );
        }
        if self.transport == TransportKind::Smtp && self.smtp.host.trim().is_empty() {
            bail!("invalid configuration at key `email.smtp.host`: needed for the smtp transport");
        }
        Ok(())
    }
}
