//! A fixed-window counter per (purpose, IP address), in memory. Enough for one process;
//! a deployment with several web processes puts the same limit on its reverse proxy.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What a counter limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// `POST /connexion`.
    Login,
    /// Any state-changing request.
    Post,
}

/// The counters.
#[derive(Debug)]
pub struct RateLimiter {
    window: Duration,
    counts: Mutex<HashMap<(Purpose, IpAddr), (Instant, u32)>>,
}

/// Past this many tracked addresses, expired windows are swept.
const SWEEP_AT: usize = 10_000;

impl RateLimiter {
    /// Counters over windows of `window`.
    pub fn new(window: Duration) -> Self {
        Self {
            window,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request; `false` when `ip` went over `limit` in the current window.
    pub fn allow(&self, purpose: Purpose, ip: IpAddr, limit: u32) -> bool {
        let now = Instant::now();
        let Ok(mut counts) = self.counts.lock() else {
            return true;
        };
        if counts.len() > SWEEP_AT {
            let window = self.window;
            counts.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = counts.entry((purpose, ip)).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        entry.1 <= limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_address_and_purpose() {
        let rl = RateLimiter::new(Duration::from_secs(60));
        let a: IpAddr = [127, 0, 0, 1].into();
        let b: IpAddr = [127, 0, 0, 2].into();
        assert!(rl.allow(Purpose::Login, a, 2));
        assert!(rl.allow(Purpose::Login, a, 2));
        assert!(!rl.allow(Purpose::Login, a, 2));
        assert!(rl.allow(Purpose::Login, b, 2));
        assert!(rl.allow(Purpose::Post, a, 2));
    }
}
