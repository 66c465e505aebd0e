//! Per-client limits: the pages' form posts, the public registration API, and failed
//! organizer-token attempts.
//!
//! The client is the TCP peer's address, or the address a configured trusted proxy says it
//! forwarded for (`limits.trusted_proxies`): anyone can send `X-Forwarded-For`, so it is read
//! only from a proxy we run. IPv6 clients count by their /64, which one host usually owns.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::HttpRequest;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use serde::Deserialize;

/// `[limits]` in the configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitSettings {
    /// Public API registrations per client address and minute; 0 turns the limit off.
    pub registrations_per_minute: u32,
    /// Requests with a wrong organizer token per client address and minute before that
    /// address is refused (429) for the rest of the minute.
    pub failed_token_attempts_per_minute: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<IpAddr>,
    /// How long a registration may wait for its turn to be written before it is answered
    /// 503 with `Retry-After` (nothing written), in milliseconds.
    pub registration_wait_ms: u64,
    /// Registering an email that is already registered mails its link at most once per this
    /// many seconds per registration.
    pub manage_link_mail_interval_secs: u64,
}

/// The limiters of one server, shared by its workers.
pub struct Throttles {
    trusted_proxies: Vec<IpAddr>,
    /// `None` when the limit is off.
    pub registrations: Option<ClientLimiter>,
    pub token_failures: FailureLimiter,
    pub forms: ClientLimiter,
}

/// Forms one client may send in a minute (at once, then spread out), against bots that post
/// in a loop; generous enough for a classroom behind one NAT.
pub const FORMS_PER_MINUTE: u32 = 20;

impl Throttles {
    pub fn new(settings: &LimitSettings) -> Self {
        Self {
            trusted_proxies: settings.trusted_proxies.clone(),
            registrations: ClientLimiter::per_minute(settings.registrations_per_minute),
            token_failures: FailureLimiter::new(settings.failed_token_attempts_per_minute),
            forms: ClientLimiter::per_minute(FORMS_PER_MINUTE)
                .expect("FORMS_PER_MINUTE is not zero"),
        }
    }

    /// The client's address: the peer's, or the one a trusted proxy forwarded for.
    pub fn client(&self, req: &HttpRequest) -> Option<IpAddr> {
        let peer = req.peer_addr()?.ip();
        let forwarded = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|value| value.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        Some(client_address(peer, &forwarded, &self.trusted_proxies))
    }
}

/// The client behind `peer`: walking `X-Forwarded-For` from the right (the nearest hop)
/// past our own proxies, the first address they did not add themselves. An entry that is not
/// an address ends the walk at the proxy that wrote it.
fn client_address(peer: IpAddr, forwarded_for: &str, trusted: &[IpAddr]) -> IpAddr {
    let mut client = peer;
    let mut hops = forwarded_for.rsplit(',').map(str::trim);
    while trusted.contains(&client) {
        match hops.next().and_then(|hop| hop.parse().ok()) {
            Some(hop) => client = hop,
            None => break,
        }
    }
    client
}

/// The limit keeps this many client entries before it forgets idle ones.
const MAX_TRACKED: usize = 10_000;

/// So many events per client and minute: all at once, then one every 60/n seconds.
pub struct ClientLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl ClientLimiter {
    /// `None` for 0: no limit.
    pub fn per_minute(events: u32) -> Option<Self> {
        let events = NonZeroU32::new(events)?;
        Some(Self {
            limiter: DefaultKeyedRateLimiter::keyed(Quota::per_minute(events)),
            clock: DefaultClock::default(),
        })
    }

    /// Counts an event from `ip`; `Err` says how long the client must wait.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        if self.limiter.len() > MAX_TRACKED {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&client_key(ip))
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }
}

/// Failed attempts per client: past the limit, the client is refused until its budget has
/// room again, without its guesses being checked at all.
pub struct FailureLimiter {
    failures: Option<ClientLimiter>,
    blocked_until: Mutex<HashMap<IpAddr, Instant>>,
}

impl FailureLimiter {
    fn new(per_minute: u32) -> Self {
        Self {
            failures: ClientLimiter::per_minute(per_minute),
            blocked_until: Mutex::new(HashMap::new()),
        }
    }

    /// `Err` with the wait while the client is refused.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        let blocked = self.blocked().get(&client_key(ip)).copied();
        match blocked.map(|until| until.saturating_duration_since(Instant::now())) {
            Some(wait) if !wait.is_zero() => Err(wait),
            _ => Ok(()),
        }
    }

    /// Counts a failed attempt; `Err` with the wait when it was one too many.
    pub fn failed(&self, ip: IpAddr) -> Result<(), Duration> {
        let Some(failures) = &self.failures else {
            return Ok(());
        };
        let Err(wait) = failures.check(ip) else {
            return Ok(());
        };
        let mut blocked = self.blocked();
        let now = Instant::now();
        if blocked.len() > MAX_TRACKED {
            blocked.retain(|_, until| *until > now);
        }
        blocked.insert(client_key(ip), now + wait);
        Err(wait)
    }

    fn blocked(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, Instant>> {
        // A panic while holding the lock leaves the map usable: it only holds deadlines.
        self.blocked_until
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// IPv4 addresses as they are; IPv6 addresses by their /64 network.
fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(segments.into())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn a_burst_passes_then_the_client_waits() {
        let limiter = ClientLimiter::per_minute(FORMS_PER_MINUTE).unwrap();
        for _ in 0..FORMS_PER_MINUTE {
            assert!(limiter.check(ip("192.0.2.1")).is_ok());
        }
        let wait = limiter.check(ip("192.0.2.1")).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(3));
        assert!(
            limiter.check(ip("192.0.2.2")).is_ok(),
            "other clients are not affected"
        );
        assert!(ClientLimiter::per_minute(0).is_none(), "0 is no limit");
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_network() {
        assert_eq!(
            client_key(ip("2001:db8:1:2:aaaa::1")),
            client_key(ip("2001:db8:1:2:bbbb::2"))
        );
        assert_eq!(client_key(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
    }

    #[test]
    fn too_many_failures_block_the_client_before_it_is_checked() {
        let limiter = FailureLimiter::new(3);
        let client = ip("198.51.100.9");
        for _ in 0..3 {
            assert!(limiter.check(client).is_ok());
            assert!(limiter.failed(client).is_ok());
        }
        assert!(
            limiter.failed(client).is_err(),
            "the fourth failure is too many"
        );
        let wait = limiter.check(client).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(20));
        assert!(limiter.check(ip("198.51.100.10")).is_ok());
        let off = FailureLimiter::new(0);
        for _ in 0..100 {
            assert!(off.failed(client).is_ok());
        }
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let proxy = ip("10.0.0.2");
        let trusted = [proxy];
        assert_eq!(
            client_address(ip("203.0.113.5"), "198.51.100.1", &trusted),
            ip("203.0.113.5"),
            "a direct client cannot pick its address"
        );
        assert_eq!(
            client_address(proxy, "198.51.100.1", &trusted),
            ip("198.51.100.1")
        );
        assert_eq!(
            client_address(proxy, "6.6.6.6, 198.51.100.1", &trusted),
            ip("198.51.100.1"),
            "what the client wrote itself is not believed"
        );
        assert_eq!(
            client_address(proxy, "198.51.100.1, 10.0.0.2", &trusted),
            ip("198.51.100.1"),
            "hops through our own proxies are skipped"
        );
        assert_eq!(client_address(proxy, "", &trusted), proxy);
        assert_eq!(client_address(proxy, "unknown", &trusted), proxy);
    }
}
