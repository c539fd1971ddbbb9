//! Failing on purpose: latencies, AWS's quotas and injected errors, all drawn from a seeded source.

use std::{collections::VecDeque, time::Duration};

use chrono::{DateTime, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde::{Deserialize, Serialize};

use super::{
    client_secrets::ShownSecret,
    fate::{Failure, Readings, RetryAfterMode},
    json11::ApiOperation,
    latency::Latency,
    quotas::{CognitoCall, QuotaChange, QuotaSettings, Quotas, ReadThrottleAnswer},
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

/// A one-shot fault for one cognito-idp or Secrets Manager operation, consumed by the next call of
/// it (whoever makes it), so that a test can fail each step of a protocol in turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptedCall {
    /// The operation it applies to, e.g. `PutSecretValue`.
    pub operation: ApiOperation,
    /// What happens to the call: `fail` answers the error (one the operation declares) without
    /// doing anything, or, with `after_work`, after doing it; `lose_answer` does it and closes the
    /// connection unanswered.
    pub effect: Effect,
    /// How many calls it applies to (default 1).
    #[serde(default = "one")]
    pub times: u32,
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
    /// Cloud Control's rate for all accounts, an alias of the quota `cloudControlRps` (kept for
    /// older callers): it reads the rate in force (absent when off); a value sets it (0 turns it
    /// off); absent leaves it.
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
    /// How a GetResource or ListResources that Cognito throttles is answered.
    pub read_throttle_answer: ReadThrottleAnswer,
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
    /// Which active secret a client's `ClientSecret` shows (GetResource) once it has two.
    pub shown_client_secret: ShownSecret,
    /// Whether AddUserPoolClientSecret gives a client without a secret (a public client) one; the
    /// reference speaks of "an existing confidential user pool app client" only, so by default it
    /// is refused.
    pub allow_secret_on_public_client: bool,
    /// Probability that a cognito-idp or Secrets Manager call that changes something is done and
    /// its connection then closed without an answer.
    pub api_lost_answer_probability: f64,
}

/// A fault that replaces the answer to a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncFault {
    /// Close the connection without answering.
    Drop,
    /// Answer HTTP 500.
    Http500,
    /// Answer `ThrottlingException` because Cloud Control's rate is exceeded.
    RateLimited,
    /// Answer `ThrottlingException` by chance.
    Throttled,
}

/// What happens to a cognito-idp or Secrets Manager call around its operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiCallPlan {
    /// The operation.
    pub op: ApiOperation,
    /// How long to wait before answering.
    pub delay: Duration,
    /// A dropped connection or an HTTP 500 instead of the call (only those two: throttling is the
    /// service's own, by its quotas).
    pub network: Option<SyncFault>,
    /// The scripted fault it consumed.
    pub scripted: Option<Effect>,
    /// Whether the connection is closed once the operation ran.
    pub lose_answer: bool,
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

/// Fault settings, their random source, and AWS's quotas. One lock holds them all, so a call
/// decides its fate and spends its rate at once.
#[derive(Debug)]
pub struct Faults {
    settings: FaultSettings,
    rng: StdRng,
    quotas: Quotas,
    script: VecDeque<ScriptedFault>,
    call_script: VecDeque<ScriptedCall>,
}

impl Faults {
    /// Faults drawn from `seed`, under `quotas` (which a `rate_limit` in `settings` amends).
    pub fn new(settings: FaultSettings, quotas: QuotaSettings, seed: u64) -> Self {
        let mut faults = Self {
            settings: FaultSettings::default(),
            // A stream apart from the id source, so faults do not shift ids and vice versa.
            rng: StdRng::seed_from_u64(seed ^ 0x5eed_fa17),
            quotas: Quotas::new(quotas),
            script: VecDeque::new(),
            call_script: VecDeque::new(),
        };
        faults.set(settings);
        faults
    }

    /// The same settings and quotas with the random source restarted from `seed`, every bucket
    /// full, every counter at zero and no scripted fault.
    pub fn restarted(&self, seed: u64) -> Self {
        Self {
            settings: self.settings.clone(),
            rng: StdRng::seed_from_u64(seed ^ 0x5eed_fa17),
            quotas: self.quotas.restarted(),
            script: VecDeque::new(),
            call_script: VecDeque::new(),
        }
    }

    /// The current settings (`rate_limit` as stored is always absent: see [`Faults::current`]).
    pub fn settings(&self) -> &FaultSettings {
        &self.settings
    }

    /// The current settings as reported, `rate_limit` being Cloud Control's rate for all accounts.
    pub fn current(&self) -> FaultSettings {
        let rate = self.quotas.all().cloud_control_rps;
        FaultSettings {
            rate_limit: (rate > 0.0).then_some(rate),
            ..self.settings.clone()
        }
    }

    /// Replaces the settings; a `rate_limit` sets Cloud Control's rate for all accounts. Every
    /// bucket starts full again.
    pub fn set(&mut self, mut settings: FaultSettings) {
        match settings.rate_limit.take() {
            Some(rate) => {
                let rate = if rate.is_finite() { rate.max(0.0) } else { 0.0 };
                self.quotas.set_all(&QuotaChange {
                    cloud_control_rps: Some(rate),
                    ..QuotaChange::default()
                });
            }
            None => self.quotas.refill(),
        }
        self.settings = settings;
    }

    /// The quotas and their meters.
    pub fn quotas(&self) -> &Quotas {
        &self.quotas
    }

    /// The quotas and their meters, to change.
    pub fn quotas_mut(&mut self) -> &mut Quotas {
        &mut self.quotas
    }

    /// Makes a read handler's Cognito calls; how the read is answered when Cognito throttles one.
    pub fn take_cognito_read(
        &mut self,
        caller: &Caller,
        calls: &[CognitoCall<'_>],
        now: DateTime<Utc>,
    ) -> Result<(), ReadThrottleAnswer> {
        let answer = self.settings.read_throttle_answer;
        self.quotas
            .take_cognito(caller, calls, now)
            .map_err(|_| answer)
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
        // Every draw is made whatever the quota decides: the quota depends on timing, and a
        // seed must give the same sequence of outcomes however fast the caller is.
        let (dropped, failed, throttled) = (
            chance(&mut self.rng, drop),
            chance(&mut self.rng, http_500),
            chance(&mut self.rng, throttle),
        );
        let fault = if dropped {
            Some(SyncFault::Drop)
        } else if failed {
            Some(SyncFault::Http500)
        } else if !self.quotas.take_cloud_control(caller, now) {
            Some(SyncFault::RateLimited)
        } else if throttled {
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

    /// Drops every scripted fault, of mutations and of calls.
    pub fn clear_script(&mut self) {
        self.script.clear();
        self.call_script.clear();
    }

    /// Queues a one-shot fault for calls of one operation behind the ones already queued.
    pub fn script_call(&mut self, fault: ScriptedCall) {
        if fault.times > 0 {
            self.call_script.push_back(fault);
        }
    }

    /// The scripted call faults not yet consumed, in order.
    pub fn scripted_calls(&self) -> Vec<ScriptedCall> {
        self.call_script.iter().cloned().collect()
    }

    /// Decides the delay and faults of one cognito-idp or Secrets Manager call: a dropped
    /// connection or an HTTP 500 by chance, else the first scripted fault for its operation, and a
    /// lost answer by chance for a call that changes something.
    pub fn plan_api_call(&mut self, op: ApiOperation) -> ApiCallPlan {
        let delay = draw(&mut self.rng, self.settings.response_latency);
        let (drop, http_500) = (
            self.settings.drop_probability,
            self.settings.http_500_probability,
        );
        let network = if chance(&mut self.rng, drop) {
            Some(SyncFault::Drop)
        } else if chance(&mut self.rng, http_500) {
            Some(SyncFault::Http500)
        } else {
            None
        };
        let scripted = network
            .is_none()
            .then(|| self.take_scripted_call(op))
            .flatten();
        let lost = self.settings.api_lost_answer_probability;
        let lose_answer = network.is_none() && op.mutates() && chance(&mut self.rng, lost);
        ApiCallPlan {
            op,
            delay,
            network,
            scripted,
            lose_answer,
        }
    }

    fn take_scripted_call(&mut self, op: ApiOperation) -> Option<Effect> {
        let i = self.call_script.iter().position(|f| f.operation == op)?;
        let fault = &mut self.call_script[i];
        let effect = fault.effect.clone();
        fault.times -= 1;
        if fault.times == 0 {
            self.call_script.remove(i);
        }
        Some(effect)
    }

    /// Spends one call of a cognito-idp operation on `pool` (its category and its cap on one
    /// pool); false when Cognito throttles it.
    pub fn take_cognito_call(
        &mut self,
        caller: &Caller,
        call: CognitoCall<'_>,
        now: DateTime<Utc>,
    ) -> bool {
        self.quotas.take_cognito(caller, &[call], now).is_ok()
    }

    /// Decides when and how an accepted mutation settles. Its handler's Cognito calls are made
    /// now, when the mutation is accepted (with no pending latency its handler starts at once; with
    /// some, this is a simplification of ours): one that Cognito throttles makes the request settle
    /// `FAILED` with `Throttling` as soon as its handler starts, nothing done, no scripted fault used
    /// up. Otherwise a scripted fault first, else the probabilities.
    pub fn plan_mutation(
        &mut self,
        op: OpKind,
        caller: &Caller,
        cognito: &[CognitoCall<'_>],
        now: DateTime<Utc>,
    ) -> SettlePlan {
        match self.quotas.take_cognito(caller, cognito, now) {
            Ok(()) => self.plan_settle(op),
            Err(_) => self.throttled(),
        }
    }

    /// The plan of a mutation whose handler Cognito throttled (its message is Cognito's
    /// `TooManyRequestsException`, "Rate exceeded", as the handler relays it).
    fn throttled(&mut self) -> SettlePlan {
        let s = &self.settings;
        let (pending, retry_after, readings) = (s.pending_latency, s.retry_after, readings(s));
        SettlePlan {
            start_after: draw(&mut self.rng, pending),
            after: Duration::ZERO,
            failure: Some(Failure {
                code: "Throttling".to_owned(),
                message: None,
                after_work: false,
            }),
            lose_answer: false,
            retry_after,
            readings,
        }
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
            readings: readings(s),
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
}

fn readings(s: &FaultSettings) -> Readings {
    Readings {
        refuse_context_data_without_secret: s.refuse_context_data_without_secret,
        check_callbacks_with_oauth_off: s.check_callbacks_with_oauth_off,
        remove_resets_defaults: s.remove_resets_defaults,
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
    fn the_rate_limit_alias_sets_cloud_controls_rate_and_its_bucket_refills() {
        let settings = FaultSettings {
            rate_limit: Some(2.0),
            ..Default::default()
        };
        let mut faults = Faults::new(settings, QuotaSettings::default(), 1);
        let t0 = Utc::now();
        let plan = |f: &mut Faults, t| f.plan_call(&caller(), t).fault;
        assert_eq!(plan(&mut faults, t0), None);
        assert_eq!(plan(&mut faults, t0), None);
        assert_eq!(plan(&mut faults, t0), Some(SyncFault::RateLimited));
        let later = t0 + chrono::TimeDelta::milliseconds(500);
        assert_eq!(plan(&mut faults, later), None);
        assert_eq!(faults.current().rate_limit, Some(2.0));
        assert_eq!(faults.quotas().all().cloud_control_rps, 2.0);
    }

    #[test]
    fn a_scripted_fault_goes_to_the_first_mutation_it_matches_and_is_used_up() {
        let mut faults = Faults::new(FaultSettings::default(), QuotaSettings::default(), 1);
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
            let mut f = Faults::new(settings.clone(), QuotaSettings::default(), 42);
            (0..20)
                .map(|_| f.plan_settle(OpKind::Create))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(), run());
    }
}
