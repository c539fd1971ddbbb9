//! One reconcile step for one claimed resource: classify it, let its situation's handler decide
//! (at most one mutating Cloud Control call, announced by a committed operation row), and write
//! what it decided. The handlers live in `submit`, `settle`, `converge`, `absence` and `recover`;
//! each returns an [`Outcome`], and [`Step::write`] is the one place a step writes.

use chrono::Utc;

use super::gate::Gate;
use super::outcome::{Next, OperationChange, Outcome, Resource};
use super::requeue::Requeue;
use super::situation::{Situation, classify};
use super::{CrashPoint, Worker};
use crate::cloud::{Account, CloudError, Place, Progress};
use crate::model::operation::{OperationKind, OperationRequest};
use crate::model::work::{Consumed, Observed, WorkItem};
use crate::store::operations::{self, NewOperation, OperationRow};
use crate::store::work::{self, WriteError};

/// Why a step stopped early.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// Another worker owns the resource now.
    #[error("lease lost")]
    LeaseLost,
    /// A test asked the worker to die here.
    #[error("crashed on purpose at {0:?}")]
    Crashed(CrashPoint),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<WriteError> for StepError {
    fn from(err: WriteError) -> Self {
        match err {
            WriteError::LeaseLost(_) => StepError::LeaseLost,
            WriteError::Database(e) => StepError::Database(e),
        }
    }
}

/// One step's context: the worker, the resource as read at the start of the step and as this step
/// last wrote it, and which user requests its writes use up.
pub(super) struct Step<'a> {
    pub worker: &'a Worker,
    pub item: &'a WorkItem,
    /// The observed state as this step last wrote it (as read, before the first write).
    observed: Observed,
    /// The user requests any write of this step uses up.
    consumed: Consumed,
    /// Whether the step is background work (a drift check nobody asked for): its reads spend
    /// the background share of the budget.
    background: bool,
    /// Whether the gate took the budget of the step's next call, which then spends no more.
    prepaid: bool,
}

impl Worker {
    /// Runs one step for `item`: the gate, the situation's handler, and the handlers the outcome
    /// hands on to within the step (a prepared request's send, a lost request's recovery), each
    /// outcome written before the next runs.
    pub(crate) async fn step(&self, item: &WorkItem) -> Result<Requeue, StepError> {
        let op = match item.observed.current_operation_id {
            Some(id) => operations::get(&self.pool, id).await?,
            None => None,
        };
        let situation = classify(item, op.as_ref());
        tracing::debug!(situation = situation.name(), "reconcile step");
        let mut step = Step::new(self, item, &situation);
        let mut outcome = match step.gate(&situation).await {
            Gate::Closed(stop) => stop,
            Gate::Open(reopened) => {
                if let Some(reopened) = reopened {
                    step.write(&reopened).await?;
                }
                step.run(situation).await?
            }
        };
        loop {
            let prepared = step.write(&outcome).await?;
            if let Some(at) = outcome.crash_point {
                step.crash(at)?;
            }
            outcome = match (outcome.next, prepared) {
                (Next::Requeue(requeue), _) => return Ok(requeue),
                (Next::Send, Some(op)) => step.send(&op).await?,
                (Next::Send, None) => unreachable!("a send follows a prepared operation"),
                (Next::Recover(op, e), _) => step.unknown_request(&op, &e).await?,
            };
        }
    }
}

impl<'a> Step<'a> {
    fn new(worker: &'a Worker, item: &'a WorkItem, situation: &Situation) -> Step<'a> {
        let in_operation = matches!(
            situation,
            Situation::Submitting(_) | Situation::Polling(_) | Situation::Cancelling(_)
        );
        Step {
            worker,
            item,
            observed: item.observed.clone(),
            // A request in flight is settled before anything else is acted on; once none is, a
            // cancel has nothing left to stop, and a refresh is what this step does.
            consumed: Consumed {
                cancel: !in_operation,
                refresh: !in_operation,
                drift_check: false,
            },
            background: matches!(situation, Situation::CheckingDrift(_))
                && item.refresh_requested_at.is_none(),
            prepaid: false,
        }
    }

    /// The situation's handler.
    async fn run(&mut self, situation: Situation) -> Result<Outcome, StepError> {
        let delete = |step: &Self, identifier: &str| {
            let request = OperationRequest::default();
            let kind = OperationKind::Delete;
            step.prepare(step.observed(), Vec::new(), kind, Some(identifier), request)
        };
        Ok(match situation {
            Situation::Submitting(op) => self.send(&op).await?,
            Situation::Polling(op) => self.poll(&op).await,
            Situation::Cancelling(op) => self.cancel(&op).await,
            Situation::Deleting(identifier) => delete(self, &identifier),
            Situation::Forgetting { retained } => self.forget(retained),
            Situation::ConfirmingAbsence(check) => self.confirm_absence(&check).await,
            Situation::RetiringPrevious(previous) => delete(self, &previous),
            Situation::Holding => Outcome::kept(Requeue::OnChange),
            Situation::Adopting(target) => self.adopt(&target).await,
            Situation::Creating => self.create(),
            Situation::Converging(identifier) => self.converge(&identifier).await,
            Situation::CheckingDrift(identifier) => self.check_drift(&identifier).await,
            Situation::Waiting(until) => Outcome::kept(Requeue::After(until)),
        })
    }

    /// The budget of the next call is taken (by the gate).
    pub(super) fn prepay(&mut self) {
        self.prepaid = true;
    }

    /// Where this resource's calls go: its region, in its namespace's account.
    pub(super) fn place(&mut self) -> Place<'a> {
        self.place_in(super::account_of(self.item))
    }

    /// Where an operation's polls and cancels go: the account it was sent to, pinned in its row.
    pub(super) fn place_of(&mut self, op: &OperationRow) -> Place<'a> {
        self.place_in(super::pinned_account(&op.request))
    }

    fn place_in(&mut self, account: Account) -> Place<'a> {
        let item: &'a WorkItem = self.item;
        Place {
            region: &item.region,
            account,
            namespace: &item.namespace,
            background: self.background,
            // The first place asked for after the gate is the first call's.
            prepaid: std::mem::take(&mut self.prepaid),
        }
    }

    /// `GetResource` of `identifier` in the resource's region and role.
    pub(super) async fn read(
        &mut self,
        identifier: &str,
    ) -> Result<serde_json::Map<String, serde_json::Value>, CloudError> {
        let at = self.place();
        let role_arn = self.item.role_arn.as_deref();
        self.worker.cloud.get(&at, role_arn, identifier).await
    }

    pub(super) fn settings(&self) -> &super::WorkerSettings {
        &self.worker.settings
    }

    pub(super) fn crash(&self, at: CrashPoint) -> Result<(), StepError> {
        if self.worker.crash_at == Some(at) {
            return Err(StepError::Crashed(at));
        }
        Ok(())
    }

    /// The observed state as this step last wrote it (or read it), to change and save.
    pub(super) fn observed(&self) -> Observed {
        self.observed.clone()
    }

    /// Writes `outcome` in one transaction fenced by the lease: the operation change, then the
    /// resource with its events; logs the events once committed. Returns the operation prepared.
    async fn write(&mut self, outcome: &Outcome) -> Result<Option<OperationRow>, StepError> {
        if matches!(outcome.resource, Resource::Kept) && outcome.operation.is_none() {
            return Ok(None);
        }
        let mut tx = self.worker.pool.begin().await?;
        let prepared = match &outcome.operation {
            Some(change) => self.change_operation(&mut tx, change).await?,
            None => None,
        };
        let consumed = Consumed {
            cancel: self.consumed.cancel || outcome.cancel_consumed,
            drift_check: outcome.drift_checked,
            ..self.consumed
        };
        let owner = &self.worker.id;
        match &outcome.resource {
            // Only the operation changed: nobody watches for that, so nobody is woken.
            Resource::Kept => tx.commit().await?,
            Resource::Saved(new) => {
                let mut new = new.clone();
                if let Some(op) = &prepared {
                    new.current_operation_id = Some(op.id);
                }
                let old = (&self.observed, &new);
                let events = &outcome.events;
                new.phase = work::save(&mut tx, self.item, owner, old, consumed, events).await?;
                self.commit(tx).await?;
                self.observed = new;
            }
            Resource::Forgotten(how) => {
                work::forget(&mut tx, self.item, owner, how.clone()).await?;
                self.commit(tx).await?;
            }
        }
        if let Some(OperationChange::Record(op, p)) = &outcome.operation {
            announce_if_settled(op, p);
        }
        for (data, message) in &outcome.events {
            let (kind, data) = (data.kind().as_str(), data.to_value());
            tracing::info!(event = kind, %data, "{message}");
        }
        Ok(prepared)
    }

    /// Writes one change to the resource's operation inside `tx`.
    async fn change_operation(
        &self,
        tx: &mut sqlx::PgConnection,
        change: &OperationChange,
    ) -> Result<Option<OperationRow>, StepError> {
        match change {
            OperationChange::Prepare {
                kind,
                identifier,
                request,
            } => {
                let item = self.item;
                let new_op = NewOperation {
                    resource_id: item.id,
                    kind: *kind,
                    generation: item.generation,
                    identifier: identifier.as_deref(),
                    request,
                    role_arn: item.role_arn.as_deref(),
                };
                return Ok(Some(operations::insert(&mut *tx, &new_op).await?));
            }
            OperationChange::Record(op, p) => record(&mut *tx, op, p).await?,
            OperationChange::Abandon { id, code, message } => {
                operations::abandon(&mut *tx, *id, code, message).await?;
            }
            OperationChange::Resume { id, request_token } => {
                operations::resume(&mut *tx, *id, request_token).await?;
            }
            OperationChange::FailedPoll(id) => operations::count_failed_poll(&mut *tx, *id).await?,
        }
        Ok(None)
    }

    /// Commits a step's writes and wakes live streams watching the namespace.
    async fn commit(&self, tx: sqlx::Transaction<'_, sqlx::Postgres>) -> Result<(), StepError> {
        let notifier = &self.worker.notifier;
        Ok(notifier.commit(tx, &self.item.namespace).await?)
    }
}

/// Stores what Cloud Control said about a request. A settled request's answer is final:
/// replaying it (after an interrupted settling) stores nothing again.
async fn record(
    exec: impl sqlx::PgExecutor<'_>,
    op: &OperationRow,
    p: &Progress,
) -> Result<(), sqlx::Error> {
    if op.status.is_terminal() {
        return Ok(());
    }
    let answer = operations::Answer {
        request_token: &p.request_token,
        status: p.status.into(),
        identifier: p.identifier.as_deref(),
        error_code: p.error_code.as_deref(),
        message: p.message.as_deref(),
        retry_after: p.retry_after,
    };
    operations::record_progress(exec, op.id, &answer).await
}

/// Counts and logs a request whose settling was just recorded (not again when it is replayed).
fn announce_if_settled(op: &OperationRow, p: &Progress) {
    if op.status.is_terminal() || !p.status.is_terminal() {
        return;
    }
    let seconds = op
        .submitted_at
        .map(|t| (Utc::now() - t).num_milliseconds() as f64 / 1000.0);
    let kind = op.kind.as_str();
    let status = p.status.as_str();
    metrics::counter!("ccplane_operations_settled_total", "kind" => kind, "status" => status)
        .increment(1);
    metrics::histogram!("ccplane_operation_polls", "kind" => kind).record(f64::from(op.polls));
    if let Some(seconds) = seconds {
        metrics::histogram!("ccplane_operation_seconds", "kind" => kind, "status" => status)
            .record(seconds);
    }
    tracing::info!(
        kind,
        status,
        request_token = p.request_token,
        identifier = p.identifier,
        error_code = p.error_code,
        polls = op.polls,
        seconds,
        "{kind} settled {status}"
    );
}
