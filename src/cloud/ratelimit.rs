//! A client-side rate limiter per region that adapts to throttling: it halves the rate when Cloud
//! Control throttles and creeps back up on success (AIMD), so a burst of work spends the AWS budget
//! evenly instead of failing. Hand-written because `governor`'s quota is fixed once built.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Requests per second, adapted between a floor and a ceiling, per region.
pub struct RateLimiter {
    ceiling: f64,
    share: Mutex<f64>,
    buckets: Mutex<HashMap<String, Bucket>>,
}

struct Bucket {
    rate: f64,
    next_slot: Instant,
}

/// The fraction of the ceiling left after a throttle.
const DECREASE: f64 = 0.5;
/// The fraction of the ceiling regained per successful call.
const INCREASE: f64 = 0.02;
/// The slowest the limiter goes, as a fraction of the ceiling.
const FLOOR: f64 = 0.1;
/// How many calls may go at once after an idle spell, in seconds of rate.
const BURST_SECS: f64 = 0.2;

impl RateLimiter {
    /// A limiter allowing at most `ceiling` requests per second per region.
    pub fn new(ceiling: f64) -> RateLimiter {
        RateLimiter {
            ceiling,
            share: Mutex::new(1.0),
            buckets: Mutex::default(),
        }
    }

    /// Sets the fraction of the ceiling this process may use: the ceiling is shared by replicas.
    pub fn set_share(&self, share: f64) {
        *self.share.lock().expect("share lock") = share.clamp(0.01, 1.0);
    }

    fn max_rate(&self) -> f64 {
        self.ceiling * *self.share.lock().expect("share lock")
    }

    /// The current rate of `region`, requests per second.
    pub fn rate(&self, region: &str) -> f64 {
        let max = self.max_rate();
        let buckets = self.buckets.lock().expect("bucket lock");
        buckets.get(region).map_or(max, |b| b.rate.min(max))
    }

    /// Waits for a slot to call `region`. Slots are handed out in order, `1 / rate` apart.
    pub async fn acquire(&self, region: &str) {
        let wait = self.reserve(region, Instant::now());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }

    fn reserve(&self, region: &str, now: Instant) -> Duration {
        let max = self.max_rate();
        let mut buckets = self.buckets.lock().expect("bucket lock");
        let bucket = buckets.entry(region.to_owned()).or_insert(Bucket {
            rate: max,
            // Long idle: the burst allowance applies from the first call.
            next_slot: now.checked_sub(Duration::from_secs(3600)).unwrap_or(now),
        });
        bucket.rate = bucket.rate.min(max);
        let interval = Duration::from_secs_f64(1.0 / bucket.rate);
        let earliest = now
            .checked_sub(interval.mul_f64(BURST_SECS * bucket.rate))
            .unwrap_or(now);
        let slot = bucket.next_slot.max(earliest);
        bucket.next_slot = slot + interval;
        slot.saturating_duration_since(now)
    }

    /// Adapts `region`'s rate to the outcome of a call.
    pub fn observe(&self, region: &str, throttled: bool) {
        let max = self.max_rate();
        let mut buckets = self.buckets.lock().expect("bucket lock");
        let Some(bucket) = buckets.get_mut(region) else {
            return;
        };
        let old_rate = bucket.rate;
        bucket.rate = if throttled {
            (bucket.rate * DECREASE).max(max * FLOOR)
        } else {
            (bucket.rate + max * INCREASE).min(max)
        };
        // Slots already booked ahead were spaced at the old rate: respace the backlog at the new
        // one, so a recovered rate is used at once instead of after the slow bookings run out.
        let now = Instant::now();
        if bucket.next_slot > now {
            let backlog = bucket.next_slot - now;
            bucket.next_slot = now + backlog.mul_f64(old_rate / bucket.rate);
        }
        if throttled {
            metrics::counter!("ccplane_throttles_total", "region" => region.to_owned())
                .increment(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots(limiter: &RateLimiter, n: usize, now: Instant) -> Vec<Duration> {
        (0..n).map(|_| limiter.reserve("us-east-1", now)).collect()
    }

    #[test]
    fn slots_are_spaced_by_the_rate_after_a_small_burst() {
        let limiter = RateLimiter::new(10.0);
        let now = Instant::now();
        let waits = slots(&limiter, 12, now);
        assert!(waits[0].is_zero());
        // Ten calls per second: the eleventh waits about a second minus the burst allowance.
        let last = waits[11].as_secs_f64();
        assert!((0.85..=1.0).contains(&last), "{last}");
    }

    #[test]
    fn throttling_halves_the_rate_and_success_restores_it() {
        let limiter = RateLimiter::new(10.0);
        limiter.reserve("us-east-1", Instant::now());
        limiter.observe("us-east-1", true);
        assert_eq!(limiter.rate("us-east-1"), 5.0);
        for _ in 0..100 {
            limiter.observe("us-east-1", false);
        }
        assert_eq!(limiter.rate("us-east-1"), 10.0);
    }

    #[test]
    fn the_rate_never_drops_below_the_floor() {
        let limiter = RateLimiter::new(10.0);
        limiter.reserve("us-east-1", Instant::now());
        for _ in 0..50 {
            limiter.observe("us-east-1", true);
        }
        assert_eq!(limiter.rate("us-east-1"), 1.0);
    }

    #[test]
    fn a_recovered_rate_respaces_the_booked_backlog() {
        let limiter = RateLimiter::new(10.0);
        let now = Instant::now();
        limiter.observe("us-east-1", false);
        slots(&limiter, 1, now);
        for _ in 0..3 {
            limiter.observe("us-east-1", true);
        }
        // At 1.25 calls/s, ten bookings reach about eight seconds ahead.
        let slow = slots(&limiter, 10, now).last().unwrap().as_secs_f64();
        for _ in 0..100 {
            limiter.observe("us-east-1", false);
        }
        let fast = slots(&limiter, 1, now)[0].as_secs_f64();
        assert!(fast < slow / 4.0, "slow {slow}, fast {fast}");
    }

    #[test]
    fn replicas_share_the_ceiling() {
        let limiter = RateLimiter::new(10.0);
        limiter.set_share(0.5);
        assert_eq!(limiter.rate("us-east-1"), 5.0);
    }
}
