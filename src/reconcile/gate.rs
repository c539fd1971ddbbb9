//! Before a step calls AWS: is its account reachable, and is the budget of its first call there?
//! A step whose budget is spent is snoozed (requeued without spending an
//! attempt) instead of holding a worker, so a throttled account or pool never occupies the workers
//! other tenants need. A namespace whose role cannot be assumed is `Failed` with a `lastError`
//! naming the role and AWS's answer, and is tried again when the role's backoff has passed.

use std::time::Duration;

use chrono::Utc;
use serde_json::Value;
use sqlx::types::Json;

use super::requeue::{Requeue, jitter};
use super::situation::Situation;
use super::step::{Step, StepError, note, set_condition};
use crate::cloud::{ASSUME_ROLE_FAILED, Account, Call, CloudError, Place, pool_of};
use crate::model::event::{AccountData, EventData};
use crate::model::operation::{OperationKind, OperationRequest};
use crate::model::status::{ConditionStatus, ConditionType, LastError, Phase};
use crate::model::work::WorkItem;
use crate::store::operations::OperationRow;

/// The account `item`'s namespace lives in.
pub(super) fn account_of(item: &WorkItem) -> Account {
    Account {
        assume_role_arn: item.assume_role_arn.clone(),
        external_id: item.external_id.clone(),
    }
}

/// The account an operation was sent to, as its row pins it.
pub(super) fn pinned_account(request: &OperationRequest) -> Account {
    Account {
        assume_role_arn: request.assume_role_arn.clone(),
        external_id: request.external_id.clone(),
    }
}

/// The budget call of a mutation.
pub(super) fn mutation(kind: OperationKind) -> Call {
    match kind {
        OperationKind::Create => Call::Create,
        OperationKind::Update => Call::Update,
        OperationKind::Delete => Call::Delete,
    }
}

/// The user pool a mutation touches.
pub(super) fn pool_of_operation(op: &OperationRow) -> Option<String> {
    let from_identifier = op.identifier.as_deref().and_then(pool_of);
    let from_desired = op.request.user_pool_id();
    from_identifier.or(from_desired).map(str::to_owned)
}

impl Step<'_> {
    /// The first Cloud Control call `situation` makes, where it goes, and the pool it touches.
    fn first_call(&self, situation: &Situation) -> Option<(Call, Place<'_>, Option<String>)> {
        let pool = |identifier: &str| pool_of(identifier).map(str::to_owned);
        let own = |call: Call, pool: Option<String>| Some((call, self.place(), pool));
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
            Situation::Forgetting { .. }
            | Situation::Holding
            | Situation::Waiting(_)
            | Situation::NothingToObserve => None,
        }
    }

    /// `Some(requeue)` when the step must not run now: its budget is spent for a while (snooze),
    /// or its account cannot be reached (recorded as a failure).
    pub(super) async fn gate(&self, situation: &Situation) -> Result<Option<Requeue>, StepError> {
        let Some((call, at, pool)) = self.first_call(situation) else {
            return Ok(None);
        };
        let cloud = &self.worker.cloud;
        // Taken here, not only checked: of many workers that find one token, one goes ahead and
        // the others snooze, instead of all of them waiting inside the call with a worker each.
        match cloud.take_budget(call, &at, pool.as_deref()).await {
            Ok(None) => {
                self.prepay();
                self.reached().await?;
                Ok(None)
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
                Ok(Some(Requeue::Snooze(Duration::from_secs_f64(secs))))
            }
            Err(e) if e.code == ASSUME_ROLE_FAILED => {
                let retry_in = cloud.retry_assuming_in(&at).await;
                self.unreachable(&e, retry_in).await.map(Some)
            }
            // The budget could not be read: let the call find out for itself.
            Err(_) => Ok(None),
        }
    }

    /// The namespace's role cannot be assumed: phase `Failed`, a `lastError` naming the role and
    /// AWS's answer, and a retry once the role's backoff has passed.
    async fn unreachable(&self, e: &CloudError, retry_in: Duration) -> Result<Requeue, StepError> {
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
        self.save(&new, events).await?;
        Ok(Requeue::After(retry_in.max(Duration::from_secs(1))))
    }

    /// The account is reachable again after a failed AssumeRole: restore the phase the resource
    /// had reached and clear the error, then go on with the step.
    async fn reached(&self) -> Result<(), StepError> {
        let unreachable = &self.item.observed.last_error;
        if unreachable
            .as_ref()
            .is_none_or(|l| l.code != ASSUME_ROLE_FAILED)
        {
            return Ok(());
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
        self.save(&new, vec![event]).await?;
        Ok(())
    }
}
