//! Failing on purpose: latencies, rate limits and injected errors, all drawn from a seeded source.

use std::{collections::HashMap, time::Duration};

use chrono::{DateTime, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde::{Deserialize, Serialize};

use super::{
    args::{EmulatorArgs, Latency},
    request::OpKind,
    wire::Caller,
};

/// The fault settings, changeable at runtime through the control API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultSettings {
    /// Settle time of every mutation.
    pub latency: Latency,
    /// Settle time of creates, overriding `latency`.
    pub create_latency: Option<Latency>,
    /// Settle time of updates, overriding `latency`.
    pub update_latency: Option<Latency>,
    /// Settle time of deletes, overriding `latency`.
    pub delete_latency: Option<Latency>,
    /// Delay before every API answer.
    pub response_latency: Latency,
    /// Requests per second per account and region; unlimited when absent.
    pub rate_limit: Option<f64>,
    /// Probability of a synchronous `ThrottlingException`.
    pub throttle_probability: f64,
    /// Probability of an HTTP 500.
    pub http_500_probability: f64,
    /// Probability of closing the connection without an answer.
    pub drop_probability: f64,
    /// Probability that a mutation settles `FAILED` with `Throttling`.
    pub async_throttling_probability: f64,
    /// Probability that a mutation settles `FAILED` with `ServiceInternalError`.
    pub async_internal_error_probability: f64,
}

impl From<&EmulatorArgs> for FaultSettings {
    fn from(a: &EmulatorArgs) -> Self {
        Self {
            latency: a.latency,
            create_latency: a.create_latency,
            update_latency: a.update_latency,
            delete_latency: a.delete_latency,
            response_latency: a.response_latency,
            rate_limit: a.rate_limit,
            throttle_probability: a.throttle_probability,
            http_500_probability: a.http_500_probability,
            drop_probability: a.drop_probability,
            async_throttling_probability: a.async_throttling_probability,
            async_internal_error_probability: a.async_internal_error_probability,
        }
    }
}

/// A fault that replaces the answer to a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncFault {
    /// Close the connection without answering.
    Drop,
    /// Answer HTTP 500.
    Http500,
    /// Answer `ThrottlingException` because the rate limit is exceeded.
    RateLimited,
    /// Answer `ThrottlingException` by chance.
    Throttled,
}

/// What happens to a call before it reaches the operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallPlan {
    /// How long to wait before answering.
    pub delay: Duration,
    /// The fault to answer with instead, if any.
    pub fault: Option<SyncFault>,
}

/// How an accepted mutation will settle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettlePlan {
    /// Time until it settles.
    pub after: Duration,
    /// The HandlerErrorCode it will fail with instead of doing its work.
    pub failure: Option<&'static str>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    refilled_at: DateTime<Utc>,
}

/// Fault settings, their random source, and the rate-limit buckets.
#[derive(Debug)]
pub struct Faults {
    settings: FaultSettings,
    rng: StdRng,
    buckets: HashMap<Caller, Bucket>,
}

impl Faults {
    /// Faults drawn from `seed`.
    pub fn new(settings: FaultSettings, seed: u64) -> Self {
        Self {
            settings,
            // A stream apart from the id source, so faults do not shift ids and vice versa.
            rng: StdRng::seed_from_u64(seed ^ 0x5eed_fa17),
            buckets: HashMap::new(),
        }
    }

    /// The current settings.
    pub fn settings(&self) -> &FaultSettings {
        &self.settings
    }

    /// Replaces the settings; rate-limit buckets start full again.
    pub fn set(&mut self, settings: FaultSettings) {
        self.settings = settings;
        self.buckets.clear();
    }

    /// Decides the delay and fault of one call.
    pub fn plan_call(&mut self, caller: &Caller, now: DateTime<Utc>) -> CallPlan {
        let delay = draw(&mut self.rng, self.settings.response_latency);
        let s = &self.settings;
        let (drop, http_500, throttle) = (
            s.drop_probability,
            s.http_500_probability,
            s.throttle_probability,
        );
        let fault = if chance(&mut self.rng, drop) {
            Some(SyncFault::Drop)
        } else if chance(&mut self.rng, http_500) {
            Some(SyncFault::Http500)
        } else if !self.take_token(caller, now) {
            Some(SyncFault::RateLimited)
        } else if chance(&mut self.rng, throttle) {
            Some(SyncFault::Throttled)
        } else {
            None
        };
        CallPlan { delay, fault }
    }

    /// Decides when and how an accepted mutation settles.
    pub fn plan_settle(&mut self, op: OpKind) -> SettlePlan {
        let s = &self.settings;
        let latency = match op {
            OpKind::Create => s.create_latency,
            OpKind::Update => s.update_latency,
            OpKind::Delete => s.delete_latency,
        }
        .unwrap_or(s.latency);
        let (throttling, internal) = (
            s.async_throttling_probability,
            s.async_internal_error_probability,
        );
        let after = draw(&mut self.rng, latency);
        let failure = if chance(&mut self.rng, throttling) {
            Some("Throttling")
        } else if chance(&mut self.rng, internal) {
            Some("ServiceInternalError")
        } else {
            None
        };
        SettlePlan { after, failure }
    }

    /// Takes one request from the caller's token bucket; false when it is empty.
    fn take_token(&mut self, caller: &Caller, now: DateTime<Utc>) -> bool {
        let Some(rate) = self.settings.rate_limit.filter(|r| *r > 0.0) else {
            return true;
        };
        // A burst of one second's worth, as AWS's token buckets allow.
        let capacity = rate.max(1.0);
        let bucket = self.buckets.entry(caller.clone()).or_insert(Bucket {
            tokens: capacity,
            refilled_at: now,
        });
        let elapsed = (now - bucket.refilled_at)
            .num_microseconds()
            .unwrap_or(i64::MAX);
        let elapsed = elapsed.max(0) as f64 / 1e6;
        bucket.tokens = (bucket.tokens + elapsed * rate).min(capacity);
        bucket.refilled_at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

fn chance(rng: &mut StdRng, p: f64) -> bool {
    // No draw when the fault is off, so enabling one fault does not reshuffle the others' past.
    p > 0.0 && rng.random_bool(p.min(1.0))
}

fn draw(rng: &mut StdRng, latency: Latency) -> Duration {
    if latency.min >= latency.max {
        return latency.min;
    }
    let (lo, hi) = (latency.min.as_nanos() as u64, latency.max.as_nanos() as u64);
    Duration::from_nanos(rng.random_range(lo..=hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller() -> Caller {
        Caller {
            account: "123456789012".into(),
            region: "us-east-1".into(),
        }
    }

    #[test]
    fn the_bucket_refills_at_the_configured_rate() {
        let settings = FaultSettings {
            rate_limit: Some(2.0),
            ..Default::default()
        };
        let mut faults = Faults::new(settings, 1);
        let t0 = Utc::now();
        let plan = |f: &mut Faults, t| f.plan_call(&caller(), t).fault;
        assert_eq!(plan(&mut faults, t0), None);
        assert_eq!(plan(&mut faults, t0), None);
        assert_eq!(plan(&mut faults, t0), Some(SyncFault::RateLimited));
        let later = t0 + chrono::TimeDelta::milliseconds(500);
        assert_eq!(plan(&mut faults, later), None);
    }

    #[test]
    fn draws_repeat_for_the_same_seed() {
        let settings = FaultSettings {
            latency: "1s..9s".parse().unwrap(),
            async_throttling_probability: 0.5,
            ..Default::default()
        };
        let run = || {
            let mut f = Faults::new(settings.clone(), 42);
            (0..20)
                .map(|_| f.plan_settle(OpKind::Create))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(), run());
    }
}
