//! Failing on purpose: latencies, rate limits and injected errors, all drawn from a seeded source.

use std::{
    collections::{HashMap, VecDeque},
    time::Duration,
};

use chrono::{DateTime, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde::{Deserialize, Serialize};

use super::{
    fate::{Failure, Readings, RetryAfterMode},
    latency::Latency,
    request::OpKind,
    wire::Caller,
};

/// How Cloud Control answers a ClientToken reused with the same parameters within 36 hours. The
/// documentation promises the original request; AWS's recordings only show the conflict (with other
/// parameters), so ccplane must survive both.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum TokenReuse {
    /// Answer the original request's current event.
    #[default]
    Replay,
    /// Answer `ClientTokenConflictException` naming the original RequestToken.
    Conflict,
}

/// A one-shot fault for deterministic tests, consumed by the next accepted mutation it matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptedFault {
    /// The operation it applies to; any mutation when absent.
    #[serde(default)]
    pub operation: Option<OpKind>,
    /// What happens to the request.
    pub effect: Effect,
    /// How many matching mutations it applies to (default 1).
    #[serde(default = "one")]
    pub times: u32,
}

fn one() -> u32 {
    1
}

/// What a scripted fault does to the mutation it is consumed by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Effect {
    /// Settle FAILED with this HandlerErrorCode and message; with after_work the work is done first
    /// (the client exists; the event carries its Identifier).
    Fail {
        /// A HandlerErrorCode, e.g. `GeneralServiceException`.
        error_code: String,
        /// The StatusMessage; a Cognito-style message for the code when absent.
        #[serde(default)]
        message: Option<String>,
        /// Whether the handler does the work before it fails.
        #[serde(default)]
        after_work: bool,
    },
    /// Process the request, then close the connection without answering.
    LoseAnswer,
}

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
    /// How a ClientToken reused with the same parameters is answered.
    pub client_token_reuse: TokenReuse,
    /// Whether Cognito refuses `EnablePropagateAdditionalUserContextData` without a client secret
    /// (documented as a requirement, no refusal recorded: both readings can be tried).
    pub refuse_context_data_without_secret: bool,
    /// Whether Cognito wants callback URLs for browser flows even with OAuth off (recorded only
    /// with OAuth on: both readings can be tried).
    pub check_callbacks_with_oauth_off: bool,
    /// Whether a patch's `remove` of a field Cognito defaults resets it (the recorded behaviour
    /// keeps the live value: see `cognito::keep_defaults_on_remove`).
    pub remove_resets_defaults: bool,
    /// What `RetryAfter` says, for requests accepted from now on.
    pub retry_after: RetryAfterMode,
    /// Probability that an accepted mutation settles `FAILED` with `async_failure_code`.
    pub async_failure_probability: f64,
    /// The HandlerErrorCode of `async_failure_probability`; `GeneralServiceException` when absent.
    pub async_failure_code: Option<String>,
    /// The StatusMessage of `async_failure_probability`; a Cognito-style message when absent.
    pub async_failure_message: Option<String>,
    /// Probability that the handler does the work (the client exists), then the request settles
    /// `FAILED` with `Throttling` and the event carries the Identifier.
    pub fail_after_work_probability: f64,
    /// Probability that a mutation is processed (accepted) and the connection then closed without an
    /// answer.
    pub lost_answer_probability: f64,
    /// Whether a cancel of an in-progress CREATE arrives after the handler created the client: the
    /// request ends `CANCEL_COMPLETE` with the Identifier, and the client exists.
    pub cancel_after_work: bool,
    /// How long an accepted request stays `PENDING` before its handler starts (`IN_PROGRESS`).
    pub pending_latency: Latency,
    /// How long a cancelled in-progress request stays `CANCEL_IN_PROGRESS`; zero means until the
    /// next call.
    pub cancel_latency: Latency,
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

/// How an accepted mutation will settle, and what becomes of its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettlePlan {
    /// Time it stays `PENDING`.
    pub start_after: Duration,
    /// Time from its start until it settles.
    pub after: Duration,
    /// The failure it settles with, if any.
    pub failure: Option<Failure>,
    /// Whether the connection is closed instead of answering.
    pub lose_answer: bool,
    /// What its events say in `RetryAfter`.
    pub retry_after: RetryAfterMode,
    /// Which reading of Cognito's documentation its handler follows.
    pub readings: Readings,
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
    script: VecDeque<ScriptedFault>,
}

impl Faults {
    /// Faults drawn from `seed`.
    pub fn new(settings: FaultSettings, seed: u64) -> Self {
        Self {
            settings,
            // A stream apart from the id source, so faults do not shift ids and vice versa.
            rng: StdRng::seed_from_u64(seed ^ 0x5eed_fa17),
            buckets: HashMap::new(),
            script: VecDeque::new(),
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

    /// Queues a one-shot fault behind the ones already queued.
    pub fn script(&mut self, fault: ScriptedFault) {
        if fault.times > 0 {
            self.script.push_back(fault);
        }
    }

    /// The scripted faults not yet consumed, in order.
    pub fn scripted(&self) -> Vec<ScriptedFault> {
        self.script.iter().cloned().collect()
    }

    /// Drops every scripted fault.
    pub fn clear_script(&mut self) {
        self.script.clear();
    }

    /// Decides when and how an accepted mutation settles: a scripted fault first, else the
    /// probabilities.
    pub fn plan_settle(&mut self, op: OpKind) -> SettlePlan {
        let s = &self.settings;
        let latency = match op {
            OpKind::Create => s.create_latency,
            OpKind::Update => s.update_latency,
            OpKind::Delete => s.delete_latency,
        }
        .unwrap_or(s.latency);
        let pending = s.pending_latency;
        let retry_after = s.retry_after;
        let after = draw(&mut self.rng, latency);
        let start_after = draw(&mut self.rng, pending);
        let mut plan = SettlePlan {
            start_after,
            after,
            failure: None,
            lose_answer: false,
            retry_after,
            readings: Readings {
                refuse_context_data_without_secret: s.refuse_context_data_without_secret,
                check_callbacks_with_oauth_off: s.check_callbacks_with_oauth_off,
                remove_resets_defaults: s.remove_resets_defaults,
            },
        };
        if let Some(effect) = self.take_scripted(op) {
            match effect {
                Effect::Fail {
                    error_code,
                    message,
                    after_work,
                } => {
                    plan.failure = Some(Failure {
                        code: error_code,
                        message,
                        after_work,
                    })
                }
                Effect::LoseAnswer => plan.lose_answer = true,
            }
            return plan;
        }
        let s = &self.settings;
        let fail = |code: &str, message: Option<String>, after_work| Failure {
            code: code.to_owned(),
            message,
            after_work,
        };
        let rng = &mut self.rng;
        plan.failure = if chance(rng, s.async_throttling_probability) {
            Some(fail("Throttling", None, false))
        } else if chance(rng, s.async_internal_error_probability) {
            Some(fail("ServiceInternalError", None, false))
        } else if chance(rng, s.async_failure_probability) {
            let code = s
                .async_failure_code
                .as_deref()
                .unwrap_or("GeneralServiceException");
            Some(fail(code, s.async_failure_message.clone(), false))
        } else if chance(rng, s.fail_after_work_probability) {
            Some(fail("Throttling", None, true))
        } else {
            None
        };
        plan.lose_answer = chance(rng, s.lost_answer_probability);
        plan
    }

    /// How long a cancelled request stays `CANCEL_IN_PROGRESS`.
    pub fn plan_cancel(&mut self) -> Duration {
        draw(&mut self.rng, self.settings.cancel_latency)
    }

    /// The effect of the first scripted fault matching `op`, which is used up.
    fn take_scripted(&mut self, op: OpKind) -> Option<Effect> {
        let i = self
            .script
            .iter()
            .position(|f| f.operation.is_none_or(|o| o == op))?;
        let fault = &mut self.script[i];
        let effect = fault.effect.clone();
        fault.times -= 1;
        if fault.times == 0 {
            self.script.remove(i);
        }
        Some(effect)
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
    fn a_scripted_fault_goes_to_the_first_mutation_it_matches_and_is_used_up() {
        let mut faults = Faults::new(FaultSettings::default(), 1);
        faults.script(ScriptedFault {
            operation: Some(OpKind::Delete),
            effect: Effect::LoseAnswer,
            times: 2,
        });
        assert!(!faults.plan_settle(OpKind::Create).lose_answer);
        assert!(faults.plan_settle(OpKind::Delete).lose_answer);
        assert_eq!(faults.scripted()[0].times, 1);
        assert!(faults.plan_settle(OpKind::Delete).lose_answer);
        assert!(faults.scripted().is_empty());
        assert!(!faults.plan_settle(OpKind::Delete).lose_answer);
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
