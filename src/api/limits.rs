//! Per-caller request rate limits: one token bucket per principal (or per client address for
//! requests no token authenticated), answered with 429 and `Retry-After`.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota};

use super::error::ApiError;

/// Callers remembered before idle buckets are swept (a full bucket is the same as none).
const SWEEP_ABOVE: usize = 10_000;

/// The request rate limiter shared by every request of a process.
pub struct RateLimits {
    limiter: Option<DefaultKeyedRateLimiter<String>>,
    checks: AtomicU64,
}

impl RateLimits {
    /// `per_second` requests per second per caller with bursts of `burst` (0: as many as
    /// `per_second`); a `per_second` of 0 turns limiting off.
    pub fn new(per_second: u32, burst: u32) -> Self {
        let limiter = NonZeroU32::new(per_second).map(|rate| {
            let burst = NonZeroU32::new(burst).unwrap_or(rate);
            DefaultKeyedRateLimiter::dashmap(Quota::per_second(rate).allow_burst(burst))
        });
        RateLimits {
            limiter,
            checks: AtomicU64::new(0),
        }
    }

    /// Counts one request against `key`; when its bucket is empty, the whole seconds to wait.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        // Client addresses are unbounded, so forget callers whose buckets have refilled now and then.
        if self
            .checks
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(1024)
            && limiter.len() > SWEEP_ABOVE
        {
            limiter.retain_recent();
        }
        limiter.check_key(&key.to_owned()).map_err(|not_until| {
            let wait = not_until.wait_time_from(limiter.clock().now());
            wait.as_secs_f64().ceil().max(1.0) as u64
        })
    }
}

/// Counts a request against `key`: its principal when a credential authenticated it, else the
/// client's address (`--auth none`, and failed authentication).
pub fn admit(limits: &RateLimits, key: &str) -> Result<(), ApiError> {
    limits
        .check(key)
        .map_err(|retry_after_secs| ApiError::TooManyRequests { retry_after_secs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caller_past_its_burst_waits_while_others_do_not() {
        let limits = RateLimits::new(1, 2);
        assert!(limits.check("token:a").is_ok());
        assert!(limits.check("token:a").is_ok());
        assert_eq!(limits.check("token:a"), Err(1));
        assert!(limits.check("token:b").is_ok());
    }

    #[test]
    fn a_rate_of_zero_turns_limiting_off() {
        let limits = RateLimits::new(0, 1);
        assert!((0..1000).all(|_| limits.check("token:a").is_ok()));
    }
}
