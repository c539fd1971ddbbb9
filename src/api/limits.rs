//! Per-caller request rate limits: one token bucket per principal, and one per client address
//! for requests no token authenticated (consulted before the credential is looked up), answered
//! with 429 and `Retry-After`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota};

use super::error::ApiError;

/// Callers remembered before idle buckets are swept (a full bucket is the same as none).
const SWEEP_ABOVE: usize = 10_000;

/// The request rate limiter shared by every request of a process.
pub struct RateLimits {
    limiter: Option<DefaultKeyedRateLimiter<String>>,
    addresses: Option<AddressBuckets>,
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
        let addresses = NonZeroU32::new(per_second).map(|rate| AddressBuckets {
            interval: Duration::from_secs(1) / rate.get(),
            burst: NonZeroU32::new(burst).unwrap_or(rate).get(),
            arrivals: Mutex::new(HashMap::new()),
        });
        RateLimits {
            limiter,
            addresses,
            checks: AtomicU64::new(0),
        }
    }

    /// Whether a request from `address` that no credential has authenticated yet may go on to
    /// have its credential looked up; counts only a refusal (which keeps the bucket empty).
    /// `None` is an address not known.
    pub fn peek_address(&self, address: Option<IpAddr>) -> Result<(), u64> {
        match &self.addresses {
            Some(buckets) => buckets.decide(address, false),
            None => Ok(()),
        }
    }

    /// Counts one request from `address` that no credential authenticated (none, a failed one,
    /// or `--auth none`).
    pub fn check_address(&self, address: Option<IpAddr>) -> Result<(), u64> {
        match &self.addresses {
            Some(buckets) => buckets.decide(address, true),
            None => Ok(()),
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

/// Token buckets per client address, as a theoretical arrival time per address (GCRA): unlike
/// governor's, a bucket can be looked at without taking from it, which is what deciding before
/// the credential's lookup needs.
struct AddressBuckets {
    /// Time between two requests at the steady rate.
    interval: Duration,
    /// Requests allowed at once.
    burst: u32,
    arrivals: Mutex<HashMap<Option<IpAddr>, Instant>>,
}

impl AddressBuckets {
    /// Admits a request from `address` (counting it when `count`), or the whole seconds to wait.
    fn decide(&self, address: Option<IpAddr>, count: bool) -> Result<(), u64> {
        let now = Instant::now();
        let mut arrivals = self.arrivals.lock().unwrap_or_else(|e| e.into_inner());
        if count && arrivals.len() > SWEEP_ABOVE {
            // A bucket whose arrival time has passed is full: the same as none.
            arrivals.retain(|_, at| *at > now);
        }
        let at = arrivals.get(&address).copied().unwrap_or(now).max(now);
        let next = at + self.interval;
        let allowed_until = now + self.interval * self.burst;
        if next > allowed_until {
            // A refused address stays refused while it keeps sending: it must pause for an
            // interval to get one attempt, so a sustained flood of bad tokens gets no lookup.
            arrivals.insert(address, allowed_until.max(at));
            let wait = next - allowed_until;
            return Err(wait.as_secs_f64().ceil().max(1.0) as u64);
        }
        if count {
            arrivals.insert(address, next);
        }
        Ok(())
    }
}

/// Counts a request of the principal `key` (an authenticated caller).
pub fn admit(limits: &RateLimits, key: &str) -> Result<(), ApiError> {
    limits.check(key).map_err(too_many)
}

/// Refuses a request from `address` before its credential is looked up when the address has
/// spent its budget of unauthenticated requests: a flood of bad tokens costs no database work.
pub fn admit_address_lookup(limits: &RateLimits, address: Option<IpAddr>) -> Result<(), ApiError> {
    limits.peek_address(address).map_err(too_many)
}

/// Counts a request from `address` that no credential authenticated.
pub fn admit_address(limits: &RateLimits, address: Option<IpAddr>) -> Result<(), ApiError> {
    limits.check_address(address).map_err(too_many)
}

fn too_many(retry_after_secs: u64) -> ApiError {
    ApiError::TooManyRequests { retry_after_secs }
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
    fn an_address_past_its_burst_is_refused_before_counting_and_others_are_not() {
        let limits = RateLimits::new(1, 2);
        let (a, b) = (Some([10, 0, 0, 1].into()), Some([10, 0, 0, 2].into()));
        assert!(limits.peek_address(a).is_ok());
        assert!(limits.check_address(a).is_ok());
        assert!(limits.check_address(a).is_ok());
        assert_eq!(limits.peek_address(a), Err(1));
        assert_eq!(limits.check_address(a), Err(1));
        assert!(limits.peek_address(b).is_ok());
        // Looking does not spend.
        for _ in 0..10 {
            assert!(limits.peek_address(b).is_ok());
        }
        assert!(limits.check_address(b).is_ok());
    }

    #[test]
    fn a_rate_of_zero_turns_limiting_off() {
        let limits = RateLimits::new(0, 1);
        assert!((0..1000).all(|_| limits.check("token:a").is_ok()));
    }
}
