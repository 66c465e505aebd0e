//! A per-client rate limit on the pages' form submissions, against bots that post in a loop.
//!
//! The client is the TCP peer address (IPv6 by its /64, which one host usually owns whole).
//! Forwarded-for headers are not trusted: anyone can send one. Behind a reverse proxy every
//! client shares the proxy's address, so the limit is generous enough for a classroom behind
//! one NAT: a burst of 20 forms, then one more every 3 seconds.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// Forms one client may send at once before the limit applies.
pub const BURST: u32 = 20;
/// The limit keeps this many client entries before it forgets idle ones.
const MAX_TRACKED: usize = 10_000;

pub struct PostLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl Default for PostLimiter {
    fn default() -> Self {
        let burst = NonZeroU32::new(BURST).expect("BURST is not zero");
        Self {
            limiter: DefaultKeyedRateLimiter::keyed(Quota::per_minute(burst)),
            clock: DefaultClock::default(),
        }
    }
}

impl PostLimiter {
    /// Counts a submission from `ip`; `Err` says how long the client must wait.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        if self.limiter.len() > MAX_TRACKED {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&client_key(ip))
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
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

    #[test]
    fn a_burst_passes_then_the_client_waits() {
        let limiter = PostLimiter::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..BURST {
            assert!(limiter.check(ip).is_ok());
        }
        let wait = limiter.check(ip).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(3));
        assert!(
            limiter.check("192.0.2.2".parse().unwrap()).is_ok(),
            "other clients are not affected"
        );
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }
}
