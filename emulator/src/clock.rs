//! The emulator's clock: real time plus an offset that tests and the control API move forward.

use std::{
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
    time::{Duration, Instant},
};

use chrono::{DateTime, TimeDelta, Utc};

/// A clock that runs at real speed and can be advanced at will, so expiries need no waiting.
#[derive(Debug, Clone)]
pub struct Clock {
    started: Instant,
    started_at: DateTime<Utc>,
    offset_ms: Arc<AtomicI64>,
}

impl Default for Clock {
    fn default() -> Self {
        Self {
            started: Instant::now(),
            started_at: Utc::now(),
            offset_ms: Arc::new(AtomicI64::new(0)),
        }
    }
}

impl Clock {
    /// The emulator's current time.
    pub fn now(&self) -> DateTime<Utc> {
        let offset = TimeDelta::milliseconds(self.offset_ms.load(Ordering::Relaxed));
        // Derived from a monotonic instant so that wall-clock jumps cannot reorder events.
        let elapsed = TimeDelta::from_std(self.started.elapsed()).unwrap_or(TimeDelta::MAX);
        self.started_at + elapsed + offset
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }

    /// How far the clock has been moved ahead of real time.
    pub fn offset(&self) -> Duration {
        Duration::from_millis(self.offset_ms.load(Ordering::Relaxed).max(0) as u64)
    }
}

/// Seconds since the epoch with millisecond precision, the wire format of Cloud Control timestamps.
pub fn epoch_seconds(t: DateTime<Utc>) -> f64 {
    t.timestamp_millis() as f64 / 1000.0
}
