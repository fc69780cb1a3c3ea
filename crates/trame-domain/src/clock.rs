//! Time is a parameter: every rule that needs "now" receives it from a [`Clock`].

use std::sync::Arc;
use std::sync::Mutex;
use time::OffsetDateTime;

/// Where the current instant comes from.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current instant, in UTC.
    fn now(&self) -> OffsetDateTime;
}

/// A shared clock.
pub type SharedClock = Arc<dyn Clock>;

/// A clock that stands still until it is moved; for tests and reproducible demos.
#[derive(Debug)]
pub struct FrozenClock {
    at: Mutex<OffsetDateTime>,
}

impl FrozenClock {
    /// A clock frozen at `at`.
    pub fn new(at: OffsetDateTime) -> Self {
        Self { at: Mutex::new(at) }
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: time::Duration) {
        if let Ok(mut at) = self.at.lock() {
            *at += by;
        }
    }

    /// Sets the clock to `to`.
    pub fn set(&self, to: OffsetDateTime) {
        if let Ok(mut at) = self.at.lock() {
            *at = to;
        }
    }
}

impl Clock for FrozenClock {
    fn now(&self) -> OffsetDateTime {
        match self.at.lock() {
            Ok(at) => *at,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }
}
