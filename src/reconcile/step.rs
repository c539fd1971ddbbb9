//! One reconcile step for one claimed resource: classify it, let its situation's handler decide
//! (at most one mutating Cloud Control call, announced by a committed operation row), and write
//! what it decided. The handlers live in `submit`, `settle`, `converge`, `absence`, `recover` and
//! `observe`;
//! each returns an [`Outcome`], and [`Step::write`] is the one place a step writes.

use chrono::Utc;

use super::Worker;
use super::context::{Step, StepError};
use super::gate::Gate;
use super::outcome::{Next, OperationChange, Outcome, Resource};
use super::requeue::Requeue;
use super::situation::{Situation, classify};
use crate::cloud::Progress;
use crate::model::operation::{OperationKind, OperationRequest};
use crate::model::work::{Consumed, WorkItem};
use crate::store::operations::{self, NewOperation, OperationRow};
use crate::store::work;

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

impl Step<'_> {
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
            Situation::Rotating(identifier) => self.rotate(&identifier).await?,
            Situation::CheckingDrift(identifier) => self.check_drift(&identifier).await,
            Situation::Observing(identifier) => self.observe(&identifier).await,
            Situation::NothingToObserve => self.nothing_to_observe(),
            Situation::Waiting(until) => Outcome::kept(Requeue::After(until)),
        })
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

#[cfg(test)]
mod tests {
    /// The situations' handlers, by file.
    const HANDLERS: [(&str, &str); 7] = [
        ("submit", include_str!("submit.rs")),
        ("settle", include_str!("settle.rs")),
        ("converge", include_str!("converge.rs")),
        ("absence", include_str!("absence.rs")),
        ("recover", include_str!("recover.rs")),
        ("gate", include_str!("gate.rs")),
        ("observe", include_str!("observe.rs")),
    ];

    #[test]
    fn no_handler_writes_and_none_names_another() {
        let writes = [
            "work::save",
            "work::forget",
            ".begin()",
            ".commit(",
            "operations::insert",
            "operations::abandon",
            "operations::resume",
            "operations::record_progress",
            "operations::count_failed_poll",
        ];
        for (name, source) in HANDLERS {
            for write in writes {
                assert!(
                    !source.contains(write),
                    "{name}.rs writes ({write}): return it in the Outcome instead"
                );
            }
            for (other, _) in HANDLERS.iter().filter(|(other, _)| *other != name) {
                assert!(
                    !source.contains(&format!("super::{other}::")),
                    "{name}.rs uses the handler module {other}"
                );
            }
        }
    }
}
