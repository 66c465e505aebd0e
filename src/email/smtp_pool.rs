//! A small pool of SMTP connections built on lettre's `AsyncSmtpConnection`, because lettre's
//! own transport cannot set `TCP_NODELAY`: it writes a message and its final `.` separately,
//! so Nagle's algorithm holds the `.` until the server acknowledges the body, and servers
//! delay that acknowledgement by up to 40 ms: 40 ms per message per connection (see
//! "Benchmarks: email" in the README). Here the TCP connection is ours, with `TCP_NODELAY`,
//! and lettre speaks SMTP over it (STARTTLS, implicit TLS, AUTH, the message).

#![allow(deprecated)] // `AsyncNetworkStream` is lettre's only way to put TLS on our own socket.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures_util::{AsyncRead as FuturesRead, AsyncWrite as FuturesWrite};
use lettre::Message;
use lettre::transport::smtp::Error;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{
    AsyncNetworkStream, AsyncSmtpConnection, AsyncTokioStream, TlsParameters,
};
use lettre::transport::smtp::extension::ClientId;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

use super::settings::SmtpSecurity;
use super::transport::SendError;

/// A pooled connection unused for longer is closed rather than reused.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// A connection idle for longer is checked with NOOP before it carries a message (the server
/// may have closed it); a busier one is used at once.
const CHECK_AFTER: Duration = Duration::from_secs(5);

pub struct SmtpPool {
    host: String,
    port: u16,
    security: SmtpSecurity,
    credentials: Option<Credentials>,
    timeout: Duration,
    hello: ClientId,
    /// Bounds the connections, and so the concurrent sends.
    permits: Semaphore,
    max_connections: usize,
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
}

impl SmtpPool {
    pub fn new(
        host: &str,
        port: u16,
        security: SmtpSecurity,
        credentials: Option<Credentials>,
        max_connections: u32,
        timeout: Duration,
    ) -> Self {
        SmtpPool {
            host: host.to_string(),
            port,
            security,
            credentials,
            timeout,
            hello: ClientId::default(),
            permits: Semaphore::new(max_connections as usize),
            max_connections: max_connections as usize,
            idle: Mutex::new(Vec::new()),
        }
    }

    pub fn max_connections(&self) -> usize {
        self.max_connections
    }

    /// Sends one message on a pooled (or new) connection. A connection that failed in any way
    /// is closed, never reused.
    pub async fn send(&self, message: &Message) -> Result<(), SendError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|error| SendError::Transient(error.to_string()))?;
        let mut connection = match self.take_idle().await {
            Some(connection) => connection,
            None => self.connect().await?,
        };
        let envelope = message.envelope();
        let bytes = message.formatted();
        // MAIL, RCPT, DATA and the message: four exchanges.
        let sent = tokio::time::timeout(self.timeout * 4, connection.send(envelope, &bytes)).await;
        match sent {
            Ok(Ok(_)) => {
                self.give_back(connection);
                Ok(())
            }
            Ok(Err(error)) => {
                connection.abort().await;
                Err(classify(error))
            }
            Err(_) => Err(timed_out()),
        }
    }

    /// The most recently used idle connection that still works.
    async fn take_idle(&self) -> Option<AsyncSmtpConnection> {
        loop {
            let (mut connection, since) = {
                let mut idle = self
                    .idle
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                idle.retain(|(_, since)| since.elapsed() < IDLE_TIMEOUT);
                idle.pop()?
            };
            if connection.has_broken() {
                continue;
            }
            if since.elapsed() < CHECK_AFTER
                || tokio::time::timeout(self.timeout, connection.test_connected())
                    .await
                    .unwrap_or(false)
            {
                return Some(connection);
            }
            connection.abort().await;
        }
    }

    fn give_back(&self, connection: AsyncSmtpConnection) {
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push((connection, Instant::now()));
    }

    /// Connects, greets, secures and authenticates: a refused or dropped connection is
    /// transient, and so is a 4xx; a 5xx (such as refused credentials) is permanent.
    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let tcp = tokio::time::timeout(
            self.timeout,
            TcpStream::connect((self.host.as_str(), self.port)),
        )
        .await
        .map_err(|_| timed_out())?
        .map_err(|error| {
            SendError::Transient(format!(
                "cannot connect to {}:{}: {error}",
                self.host, self.port
            ))
        })?;
        // The point of this pool: the final "." leaves at once.
        tcp.set_nodelay(true)
            .map_err(|error| SendError::Transient(error.to_string()))?;
        tokio::time::timeout(self.timeout * 3, self.open(tcp))
            .await
            .map_err(|_| timed_out())?
            .map_err(classify)
    }

    async fn open(&self, tcp: TcpStream) -> Result<AsyncSmtpConnection, Error> {
        let mut connection = match self.security {
            SmtpSecurity::None | SmtpSecurity::Starttls => {
                AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello).await?
            }
            SmtpSecurity::Tls => {
                let mut stream = AsyncNetworkStream::use_existing_tokio1(Box::new(tcp));
                stream.upgrade_tls(self.tls()?).await?;
                AsyncSmtpConnection::connect_with_transport(Box::new(TokioIo(stream)), &self.hello)
                    .await?
            }
        };
        if self.security == SmtpSecurity::Starttls {
            connection.starttls(self.tls()?, &self.hello).await?;
        }
        if let Some(credentials) = &self.credentials {
            connection.auth(DEFAULT_MECHANISMS, credentials).await?;
        }
        Ok(connection)
    }

    fn tls(&self) -> Result<TlsParameters, Error> {
        TlsParameters::new(self.host.clone())
    }
}

fn timed_out() -> SendError {
    SendError::Transient("the SMTP server did not answer in time".into())
}

/// 5xx replies are permanent; 4xx replies, network and TLS failures may pass.
fn classify(error: Error) -> SendError {
    if error.is_permanent() {
        SendError::Permanent(error.to_string())
    } else {
        SendError::Transient(error.to_string())
    }
}

/// lettre's TLS stream (futures-io) as the tokio stream its connection is built on.
#[derive(Debug)]
struct TokioIo(AsyncNetworkStream);

impl AsyncRead for TokioIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let unfilled = buf.initialize_unfilled();
        match Pin::new(&mut self.0).poll_read(cx, unfilled) {
            Poll::Ready(Ok(read)) => {
                buf.advance(read);
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncWrite for TokioIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_close(cx)
    }
}

impl AsyncTokioStream for TokioIo {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.0.peer_addr()
    }
}
