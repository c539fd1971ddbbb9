//! A client-side rate limiter per region that finds the account's real Cloud Control rate by itself.
//!
//! Calls are handed slots `1 / rate` apart. When Cloud Control throttles, the rate drops to what was
//! actually accepted over the last second (a measurement, not a guess, so a ceiling far above the
//! real limit costs one round of throttles, not minutes of halving). With too few calls in that
//! second to measure, it drops by at most three quarters, and never under a hundredth of the
//! ceiling, so a throttle that is not about the rate cannot collapse it. While calls succeed the
//! rate grows by 30% per second to probe for more. One cut per second at most: the throttles of
//! calls already in flight describe the old rate, not the new one. Hand-written because
//! `governor`'s quota is fixed once built.

use std::collections::{HashMap, VecDeque};
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
    /// When recent calls were accepted, oldest first, at most [`WINDOW`] ago.
    accepted: VecDeque<Instant>,
    last_cut: Option<Instant>,
    last_growth: Instant,
}

/// How far back accepted calls are counted to measure the real rate.
const WINDOW: Duration = Duration::from_secs(1);
/// The fraction of the measured rate kept after a throttle, leaving room for other callers.
const MEASURED_SHARE: f64 = 0.9;
/// The smallest fraction of the rate one cut keeps when too few calls went through to measure.
const DEEPEST_CUT: f64 = 0.25;
/// Calls accepted in the last window that make a measurement of the real rate.
const MEASURABLE: usize = 10;
/// Growth of the rate per second while calls succeed.
const GROWTH_PER_SEC: f64 = 0.3;
/// The slowest the limiter goes: this fraction of the ceiling, and never under [`MIN_RATE`].
const FLOOR: f64 = 0.01;
/// The slowest the limiter goes, in calls per second, whatever the ceiling.
const MIN_RATE: f64 = 0.5;
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
        let bucket = buckets
            .entry(region.to_owned())
            .or_insert_with(|| Bucket::new(max, now));
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
        self.observe_at(region, throttled, Instant::now());
    }

    fn observe_at(&self, region: &str, throttled: bool, now: Instant) {
        let max = self.max_rate();
        let mut buckets = self.buckets.lock().expect("bucket lock");
        let Some(bucket) = buckets.get_mut(region) else {
            return;
        };
        let old_rate = bucket.rate;
        if throttled {
            if !bucket.cut(now, (max * FLOOR).max(MIN_RATE)) {
                return;
            }
            metrics::counter!("ccplane_throttles_total", "region" => region.to_owned())
                .increment(1);
            tracing::info!(
                region,
                from = old_rate,
                to = bucket.rate,
                "Cloud Control throttled: slowing down to the rate it accepted"
            );
        } else {
            bucket.accept(now, max);
        }
        // Slots already booked ahead were spaced at the old rate: respace the backlog at the new
        // one, so a changed rate takes effect at once instead of after the bookings run out.
        if bucket.next_slot > now {
            let backlog = bucket.next_slot - now;
            bucket.next_slot = now + backlog.mul_f64(old_rate / bucket.rate);
        }
        metrics::gauge!("ccplane_cloud_rate", "region" => region.to_owned()).set(bucket.rate);
    }
}

impl Bucket {
    fn new(rate: f64, now: Instant) -> Bucket {
        Bucket {
            rate,
            // Long idle: the burst allowance applies from the first call.
            next_slot: now.checked_sub(Duration::from_secs(3600)).unwrap_or(now),
            accepted: VecDeque::new(),
            last_cut: None,
            last_growth: now,
        }
    }

    fn forget_before(&mut self, now: Instant) {
        while self
            .accepted
            .front()
            .is_some_and(|t| now.duration_since(*t) > WINDOW)
        {
            self.accepted.pop_front();
        }
    }

    /// A call went through: remember it, and grow the rate with the time since the last growth.
    fn accept(&mut self, now: Instant, max: f64) {
        self.forget_before(now);
        self.accepted.push_back(now);
        let elapsed = now.duration_since(self.last_growth).min(WINDOW);
        self.last_growth = now;
        self.rate = (self.rate * (1.0 + GROWTH_PER_SEC * elapsed.as_secs_f64())).min(max);
    }

    /// A call was throttled: drop to the measured rate when enough calls went through in the last
    /// window to measure it, else by at most three quarters; never under `floor`. False when a cut
    /// was made within the last window, whose throttles this one may still belong to.
    fn cut(&mut self, now: Instant, floor: f64) -> bool {
        if self
            .last_cut
            .is_some_and(|at| now.duration_since(at) < WINDOW)
        {
            return false;
        }
        self.forget_before(now);
        let accepted = self.accepted.len();
        let measured = accepted as f64 / WINDOW.as_secs_f64() * MEASURED_SHARE;
        let target = measured.min(self.rate * MEASURED_SHARE);
        let deepest = if accepted >= MEASURABLE {
            0.0
        } else {
            self.rate * DEEPEST_CUT
        };
        self.rate = target.max(deepest).max(floor.min(self.rate));
        self.last_cut = Some(now);
        self.last_growth = now;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGION: &str = "us-east-1";

    fn slots(limiter: &RateLimiter, n: usize, now: Instant) -> Vec<Duration> {
        (0..n).map(|_| limiter.reserve(REGION, now)).collect()
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
    fn throttles_bring_the_rate_down_to_what_the_account_accepts() {
        let limiter = RateLimiter::new(1000.0);
        let t0 = Instant::now();
        limiter.reserve(REGION, t0);
        // The account really allows 50 calls a second: one is accepted every 20 ms, and calls
        // beyond that are throttled. Nothing was accepted yet: at most three quarters off.
        limiter.observe_at(REGION, true, t0);
        assert_eq!(
            limiter.rate(REGION),
            250.0,
            "at most three quarters off without a measure"
        );
        for ms in (20..=3000).step_by(20) {
            limiter.observe_at(REGION, false, t0 + Duration::from_millis(ms));
            limiter.observe_at(REGION, true, t0 + Duration::from_millis(ms + 1));
        }
        let rate = limiter.rate(REGION);
        assert!((40.0..=60.0).contains(&rate), "{rate}");
    }

    #[test]
    fn a_throttle_after_enough_calls_drops_straight_to_the_measured_rate() {
        let limiter = RateLimiter::new(1000.0);
        let t0 = Instant::now();
        limiter.reserve(REGION, t0);
        for i in 0..50 {
            limiter.observe_at(REGION, false, t0 + Duration::from_millis(i));
        }
        limiter.observe_at(REGION, true, t0 + Duration::from_millis(60));
        assert_eq!(limiter.rate(REGION), 45.0);
    }

    #[test]
    fn throttles_within_a_second_of_a_cut_count_once() {
        let limiter = RateLimiter::new(100.0);
        let t0 = Instant::now();
        limiter.reserve(REGION, t0);
        limiter.observe_at(REGION, true, t0);
        let after_first = limiter.rate(REGION);
        for i in 1..20 {
            limiter.observe_at(REGION, true, t0 + Duration::from_millis(i * 10));
        }
        assert_eq!(limiter.rate(REGION), after_first);
    }

    #[test]
    fn success_grows_the_rate_back_to_the_ceiling_and_no_further() {
        let limiter = RateLimiter::new(10.0);
        let t0 = Instant::now();
        limiter.reserve(REGION, t0);
        limiter.observe_at(REGION, true, t0);
        assert_eq!(limiter.rate(REGION), 2.5);
        for i in 1..=300 {
            limiter.observe_at(REGION, false, t0 + Duration::from_millis(i * 100));
        }
        assert_eq!(limiter.rate(REGION), 10.0);
    }

    #[test]
    fn the_rate_never_drops_below_the_floor() {
        let limiter = RateLimiter::new(10.0);
        let t0 = Instant::now();
        limiter.reserve(REGION, t0);
        for i in 0..50 {
            limiter.observe_at(REGION, true, t0 + Duration::from_secs(i * 2));
        }
        assert_eq!(limiter.rate(REGION), MIN_RATE);
    }

    #[test]
    fn a_cut_respaces_the_booked_backlog_at_once() {
        let limiter = RateLimiter::new(10.0);
        let now = Instant::now();
        // Twelve bookings at ten calls a second reach about a second ahead.
        let before = slots(&limiter, 12, now).last().unwrap().as_secs_f64();
        limiter.observe_at(REGION, true, now);
        // Cut to a quarter: what was booked a second ahead is now about four seconds ahead.
        let after = slots(&limiter, 1, now)[0].as_secs_f64();
        assert!(after > before * 3.5, "before {before}, after {after}");
    }

    #[test]
    fn replicas_share_the_ceiling() {
        let limiter = RateLimiter::new(10.0);
        limiter.set_share(0.5);
        assert_eq!(limiter.rate(REGION), 5.0);
    }
}
