//! Before a step calls AWS: is its account reachable, and is the budget of its first call there?
//! A step whose budget is spent is snoozed (requeued without spending an
//! attempt) instead of holding a worker, so a throttled account or pool never occupies the workers
//! other tenants need. A namespace whose role cannot be assumed is `Failed` with a `lastError`
//! naming the role and AWS's answer, and is tried again when the role's backoff has passed.

use std::time::Duration;

use chrono::Utc;
use serde_json::Value;
use sqlx::types::Json;

use super::calls::{mutation, pool_of_operation};
use super::context::Step;
use super::outcome::{Outcome, note, set_condition};
use super::requeue::{Requeue, jitter};
use super::situation::Situation;
use crate::cloud::{ASSUME_ROLE_FAILED, Call, CloudError, Place, pool_of};
use crate::model::event::{AccountData, EventData};
use crate::model::status::{ConditionStatus, ConditionType, LastError, Phase};

/// Whether a step may go ahead.
pub(super) enum Gate {
    /// Yes; the account was unreachable before and is reachable again: this outcome (the phase
    /// restored) is written before the step's own.
    Open(Option<Outcome>),
    /// Not now: this outcome (a snooze, or the account unreachable) is the step's.
    Closed(Outcome),
}

impl<'a> Step<'a> {
    /// The first Cloud Control call `situation` makes, where it goes, and the pool it touches.
    fn first_call(&mut self, situation: &Situation) -> Option<(Call, Place<'a>, Option<String>)> {
        let pool = |identifier: &str| pool_of(identifier).map(str::to_owned);
        let place = self.place();
        let own = |call: Call, pool: Option<String>| Some((call, place, pool));
        match situation {
            Situation::Submitting(op) => {
                Some((mutation(op.kind), self.place_of(op), pool_of_operation(op)))
            }
            Situation::Polling(op) => Some((Call::Status, self.place_of(op), None)),
            Situation::Cancelling(op) => Some((Call::Cancel, self.place_of(op), None)),
            Situation::Deleting(id) | Situation::RetiringPrevious(id) => {
                own(Call::Delete, pool(id))
            }
            Situation::ConfirmingAbsence(check) => own(Call::Get, pool(&check.identifier)),
            Situation::Adopting(id)
            | Situation::Converging(id)
            | Situation::CheckingDrift(id)
            | Situation::Observing(id) => own(Call::Get, pool(id)),
            Situation::Creating => {
                let pool = self
                    .item
                    .properties
                    .get("UserPoolId")
                    .and_then(Value::as_str);
                own(Call::Create, pool.map(str::to_owned))
            }
            // A rotation's calls (Cognito's secrets, Secrets Manager) each spend their own budget.
            Situation::Forgetting { .. }
            | Situation::Holding
            | Situation::Waiting(_)
            | Situation::NothingToObserve
            | Situation::Rotating(_) => None,
        }
    }

    /// Whether the step may run now: not when its budget is spent for a while (a snooze), nor
    /// when its account cannot be reached (recorded as a failure).
    pub(super) async fn gate(&mut self, situation: &Situation) -> Gate {
        let Some((call, at, pool)) = self.first_call(situation) else {
            return Gate::Open(None);
        };
        let cloud = &self.worker.cloud;
        // Taken here, not only checked: of many workers that find one token, one goes ahead and
        // the others snooze, instead of all of them waiting inside the call with a worker each.
        match cloud.take_budget(call, &at, pool.as_deref()).await {
            Ok(None) => {
                self.prepay();
                Gate::Open(self.reached())
            }
            Ok(Some(wait)) => {
                let kind = if at.background {
                    "background"
                } else {
                    "intent"
                };
                metrics::counter!("ccplane_budget_snoozes_total", "kind" => kind).increment(1);
                if at.background {
                    metrics::counter!("ccplane_drift_checks_deferred_total").increment(1);
                }
                tracing::debug!(
                    operation = call.operation(),
                    ?wait,
                    kind,
                    "budget spent; snoozing"
                );
                let secs = jitter(self.settings(), wait.as_secs_f64() * 1.2);
                Gate::Closed(Outcome::kept(Requeue::Snooze(Duration::from_secs_f64(
                    secs,
                ))))
            }
            Err(e) if e.code == ASSUME_ROLE_FAILED => {
                let retry_in = cloud.retry_assuming_in(&at).await;
                Gate::Closed(self.unreachable(&e, retry_in))
            }
            // The budget could not be read: let the call find out for itself.
            Err(_) => Gate::Open(None),
        }
    }

    /// The namespace's role cannot be assumed: phase `Failed`, a `lastError` naming the role and
    /// AWS's answer, and a retry once the role's backoff has passed.
    fn unreachable(&self, e: &CloudError, retry_in: Duration) -> Outcome {
        let item = self.item;
        let mut new = self.observed();
        let repeated = new
            .last_error
            .as_ref()
            .is_some_and(|l| l.code == ASSUME_ROLE_FAILED && l.message == e.message);
        new.phase = Phase::Failed;
        new.last_error = Some(Json(LastError {
            code: e.code.clone(),
            message: e.message.clone(),
            retryable: true,
            at: Utc::now(),
            request_token: None,
            operation: None,
            generation: Some(item.generation),
        }));
        set_condition(
            &mut new,
            ConditionType::Synced,
            ConditionStatus::False,
            ASSUME_ROLE_FAILED,
            &e.message,
            item.generation,
        );
        let events = if repeated {
            Vec::new()
        } else {
            let data = AccountData {
                error_code: Some(e.code.clone()),
                assume_role_arn: item.assume_role_arn.clone(),
            };
            vec![note(
                EventData::AccountUnreachable(data),
                format!(
                    "{}; trying again in {:.0} s",
                    e.message,
                    retry_in.as_secs_f64()
                ),
            )]
        };
        let requeue = Requeue::After(retry_in.max(Duration::from_secs(1)));
        Outcome::saved(new, events, requeue)
    }

    /// The account is reachable again after a failed AssumeRole: restore the phase the resource
    /// had reached and clear the error, then go on with the step.
    fn reached(&self) -> Option<Outcome> {
        let unreachable = &self.item.observed.last_error;
        if unreachable
            .as_ref()
            .is_none_or(|l| l.code != ASSUME_ROLE_FAILED)
        {
            return None;
        }
        let mut new = self.observed();
        let applied = new.observed_generation == Some(self.item.generation);
        new.phase = match (&new.identifier, applied) {
            (Some(_), true) => Phase::Ready,
            (Some(_), false) => Phase::Provisioning,
            (None, _) => Phase::Pending,
        };
        new.last_error = None;
        if applied {
            set_condition(
                &mut new,
                ConditionType::Synced,
                ConditionStatus::True,
                "Reachable",
                "the namespace's account is reachable again",
                self.item.generation,
            );
        }
        let data = AccountData {
            error_code: None,
            assume_role_arn: self.item.assume_role_arn.clone(),
        };
        let message = "the namespace's role was assumed again";
        let event = note(EventData::AccountReachable(data), message);
        Some(Outcome::saved(new, vec![event], Requeue::Now))
    }
}
