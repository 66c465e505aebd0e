//! A small SMTP server on loopback for the email tests: it captures raw messages, can answer
//! MAIL FROM with a transient (451) or permanent (550) failure, can hold its acceptance of
//! messages (as a slow server would), and can be stopped (every connection dropped, the port
//! refused) and started again on the same port.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::watch;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Accept,
    /// `451 4.3.0` to MAIL FROM.
    Transient,
    /// `550 5.7.1` to MAIL FROM.
    Permanent,
}

#[derive(Debug, Clone)]
pub struct Captured {
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

struct State {
    mode: Mutex<Mode>,
    messages: Mutex<Vec<Captured>>,
    /// While true, a message is captured but its `250` waits (the client is still sending).
    holding: watch::Sender<bool>,
}

pub struct SmtpSink {
    pub port: u16,
    state: Arc<State>,
    running: Mutex<Option<watch::Sender<bool>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let sink = SmtpSink {
            port: 0,
            state: Arc::new(State {
                mode: Mutex::new(Mode::Accept),
                messages: Mutex::new(Vec::new()),
                holding: watch::Sender::new(false),
            }),
            running: Mutex::new(None),
        };
        sink.listen(0).await
    }

    async fn listen(mut self, port: u16) -> SmtpSink {
        self.port = self.bind(port).expect("the sink binds");
        self
    }

    fn bind(&self, port: u16) -> std::io::Result<u16> {
        let socket = TcpSocket::new_v4()?;
        socket.set_reuseaddr(true)?;
        socket.bind(SocketAddr::from(([127, 0, 0, 1], port)))?;
        let listener = socket.listen(64)?;
        let port = listener.local_addr()?.port();
        let (stop, stopped) = watch::channel(false);
        let state = self.state.clone();
        tokio::spawn(async move {
            let mut accept_stopped = stopped.clone();
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        let state = state.clone();
                        let mut conn_stopped = stopped.clone();
                        tokio::spawn(async move {
                            tokio::select! {
                                _ = session(stream, state) => {}
                                _ = conn_stopped.changed() => {}
                            }
                        });
                    }
                    _ = accept_stopped.changed() => break,
                }
            }
        });
        *self.running.lock().unwrap() = Some(stop);
        Ok(port)
    }

    /// Closes the port and drops every open connection (as a crashed server would).
    pub fn stop(&self) {
        if let Some(stop) = self.running.lock().unwrap().take() {
            let _ = stop.send(true);
        }
    }

    /// Listens again on the same port (retrying while the old listener closes).
    pub async fn restart(&self) {
        for _ in 0..100 {
            if self.bind(self.port).is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("the sink cannot listen on port {} again", self.port);
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.state.mode.lock().unwrap() = mode;
    }

    /// From now on each message is captured but not accepted (no `250` to its final `.`)
    /// until [`SmtpSink::accept_held`].
    pub fn hold_acceptance(&self) {
        self.state.holding.send_replace(true);
    }

    /// Accepts the held messages and those that follow at once.
    pub fn accept_held(&self) {
        self.state.holding.send_replace(false);
    }

    pub fn messages(&self) -> Vec<Captured> {
        self.state.messages.lock().unwrap().clone()
    }

    /// Waits (polling, at most 20 s) until at least `count` messages arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<Captured> {
        for _ in 0..400 {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {count} messages, got {}", self.messages().len());
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn session(stream: TcpStream, state: Arc<State>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-sink.test\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 PIPELINING\r\n"
        } else if command.starts_with("HELO") {
            b"250 sink.test\r\n"
        } else if command.starts_with("MAIL FROM") {
            to.clear();
            match *state.mode.lock().unwrap() {
                Mode::Accept => b"250 2.1.0 OK\r\n",
                Mode::Transient => b"451 4.3.0 Try again later\r\n",
                Mode::Permanent => b"550 5.7.1 Refused\r\n",
            }
        } else if command.starts_with("RCPT TO") {
            let address = line.trim_end()[8..]
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string();
            to.push(address);
            b"250 2.1.5 OK\r\n"
        } else if command == "DATA" {
            write
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await?;
            let mut data = Vec::new();
            loop {
                let mut raw = Vec::new();
                if lines.read_until(b'\n', &mut raw).await? == 0 {
                    return Ok(());
                }
                if raw == b".\r\n" {
                    break;
                }
                // Dot-stuffing (RFC 5321 4.5.2).
                let raw = if raw.starts_with(b"..") {
                    &raw[1..]
                } else {
                    &raw[..]
                };
                data.extend_from_slice(raw);
            }
            state.messages.lock().unwrap().push(Captured {
                to: std::mem::take(&mut to),
                data,
            });
            let _ = state.holding.subscribe().wait_for(|held| !held).await;
            b"250 2.0.0 Queued\r\n"
        } else if command == "QUIT" {
            write.write_all(b"221 2.0.0 Bye\r\n").await?;
            return Ok(());
        } else if command == "RSET" || command == "NOOP" {
            b"250 2.0.0 OK\r\n"
        } else {
            b"502 5.5.2 Command not recognized\r\n"
        };
        write.write_all(reply).await?;
    }
}
