//! One reconcile step for one claimed resource: classify it, act on its situation (at most one
//! mutating Cloud Control call, announced by a committed operation row), and record the outcome
//! with its events. The situations' handlers live in `submit`, `settle`, `converge`, `absence` and
//! `recover`.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::Utc;
use sqlx::types::Json;

use super::reaction::Stage;
use super::requeue::{Requeue, backoff_for};
use super::situation::{Situation, classify};
use super::{CrashPoint, Worker};
use crate::cloud::{Account, CloudError, ErrorClass, Place};
use crate::model::event::{EventData, FailureData};
use crate::model::operation::{OperationKind, OperationRequest};
use crate::model::status::{Condition, ConditionStatus, ConditionType, LastError, Phase};
use crate::model::work::{AbsenceReason, Consumed, Observed, StepEvent, WorkItem};
use crate::store::operations;
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

/// An event a step writes: what happened, and a sentence for people.
pub(super) fn note(data: EventData, message: impl Into<String>) -> StepEvent {
    (data, message.into())
}

/// One step's context: the worker, the resource as read at the start of the step, and which user
/// requests its saves consume.
pub(super) struct Step<'a> {
    pub worker: &'a Worker,
    pub item: &'a WorkItem,
    consumed: Consumed,
    drift_checked: AtomicBool,
    /// The observed state as this step last saved it (as read, before the first save).
    current: Mutex<Observed>,
    /// Whether the step is background work (a drift check nobody asked for): its reads spend
    /// the background share of the budget.
    background: bool,
    /// Whether the gate took the budget of the step's first call, which then spends no more.
    prepaid: AtomicBool,
}

impl Worker {
    /// Runs one step for `item`.
    pub(crate) async fn step(&self, item: &WorkItem) -> Result<Requeue, StepError> {
        let op = match item.observed.current_operation_id {
            Some(id) => operations::get(&self.pool, id).await?,
            None => None,
        };
        let situation = classify(item, op.as_ref());
        tracing::debug!(situation = situation.name(), "reconcile step");
        let in_operation = matches!(
            situation,
            Situation::Submitting(_) | Situation::Polling(_) | Situation::Cancelling(_)
        );
        let step = Step {
            worker: self,
            item,
            // A request in flight is settled before anything else is acted on; once none is, a
            // cancel has nothing left to stop, and a refresh is what this step does.
            consumed: Consumed {
                cancel: !in_operation,
                refresh: !in_operation,
                drift_check: false,
            },
            drift_checked: AtomicBool::new(false),
            current: Mutex::new(item.observed.clone()),
            background: matches!(situation, Situation::CheckingDrift(_))
                && item.refresh_requested_at.is_none(),
            prepaid: AtomicBool::new(false),
        };
        if let Some(requeue) = step.gate(&situation).await? {
            return Ok(requeue);
        }
        step.run(situation).await
    }
}

impl Step<'_> {
    async fn run(&self, situation: Situation) -> Result<Requeue, StepError> {
        match situation {
            Situation::Submitting(op) => self.send(&op).await,
            Situation::Polling(op) => self.poll(&op).await,
            Situation::Cancelling(op) => self.cancel(&op).await,
            Situation::Deleting(identifier) => {
                let request = OperationRequest::default();
                self.start(OperationKind::Delete, Some(&identifier), request)
                    .await
            }
            Situation::Forgetting { retained } => self.forget(retained).await,
            Situation::ConfirmingAbsence(check) => self.confirm_absence(&check).await,
            Situation::RetiringPrevious(previous) => {
                let request = OperationRequest::default();
                self.start(OperationKind::Delete, Some(&previous), request)
                    .await
            }
            Situation::Holding => Ok(Requeue::OnChange),
            Situation::Adopting(target) => self.adopt(&target).await,
            Situation::Creating => self.create().await,
            Situation::Converging(identifier) => self.converge(&identifier).await,
            Situation::CheckingDrift(identifier) => self.check_drift(&identifier).await,
            Situation::Observing(identifier) => self.observe(&identifier).await,
            Situation::NothingToObserve => self.nothing_to_observe().await,
            Situation::Waiting(until) => Ok(Requeue::After(until)),
        }
    }

    /// The same step, whose saves also clear the user's cancel request.
    pub(super) fn with_cancel_consumed(&self) -> Step<'_> {
        Step {
            worker: self.worker,
            item: self.item,
            consumed: Consumed {
                cancel: true,
                ..self.consumed
            },
            drift_checked: AtomicBool::new(self.drift_checked.load(Ordering::Relaxed)),
            current: Mutex::new(self.observed()),
            background: self.background,
            prepaid: AtomicBool::new(self.prepaid.load(Ordering::Relaxed)),
        }
    }

    /// The budget of the next call is taken (by the gate).
    pub(super) fn prepay(&self) {
        self.prepaid.store(true, Ordering::Relaxed);
    }

    /// Where this resource's calls go: its region, in its namespace's account.
    pub(super) fn place(&self) -> Place<'_> {
        self.place_in(super::account_of(self.item))
    }

    /// Where an operation's polls and cancels go: the account it was sent to, pinned in its row.
    pub(super) fn place_of(&self, op: &operations::OperationRow) -> Place<'_> {
        self.place_in(super::pinned_account(&op.request))
    }

    fn place_in(&self, account: Account) -> Place<'_> {
        Place {
            region: &self.item.region,
            account,
            namespace: &self.item.namespace,
            background: self.background,
            // The first place asked for after the gate is the first call's.
            prepaid: self.prepaid.swap(false, Ordering::Relaxed),
        }
    }

    pub(super) fn settings(&self) -> &super::WorkerSettings {
        &self.worker.settings
    }

    /// Marks this step as a drift check (the live client was read and compared).
    pub(super) fn checked_drift(&self) {
        self.drift_checked.store(true, Ordering::Relaxed);
    }

    pub(super) fn crash(&self, at: CrashPoint) -> Result<(), StepError> {
        if self.worker.crash_at == Some(at) {
            return Err(StepError::Crashed(at));
        }
        Ok(())
    }

    /// The observed state as this step last saved it (or read it), to change and save.
    pub(super) fn observed(&self) -> Observed {
        self.current.lock().expect("step state lock").clone()
    }

    fn consumed(&self) -> Consumed {
        Consumed {
            drift_check: self.drift_checked.load(Ordering::Relaxed),
            ..self.consumed
        }
    }

    /// Saves `new` with `events` in a transaction of its own, and wakes live streams.
    pub(super) async fn save(
        &self,
        new: &Observed,
        events: Vec<StepEvent>,
    ) -> Result<(), StepError> {
        let mut tx = self.worker.pool.begin().await?;
        self.save_in(&mut tx, new, &events).await?;
        self.commit(tx).await
    }

    /// Saves `new` with `events` inside `tx` (fenced by the lease), and logs each event.
    pub(super) async fn save_in(
        &self,
        tx: &mut sqlx::PgConnection,
        new: &Observed,
        events: &[StepEvent],
    ) -> Result<(), StepError> {
        let worker = &self.worker.id;
        let old = self.observed();
        let phase = work::save(tx, self.item, worker, (&old, new), self.consumed(), events).await?;
        let mut saved = new.clone();
        saved.phase = phase;
        *self.current.lock().expect("step state lock") = saved;
        for (data, message) in events {
            let (kind, data) = (data.kind().as_str(), data.to_value());
            tracing::info!(event = kind, %data, "{message}");
        }
        Ok(())
    }

    /// Commits a step's writes and wakes live streams watching the namespace.
    pub(super) async fn commit(
        &self,
        tx: sqlx::Transaction<'_, sqlx::Postgres>,
    ) -> Result<(), StepError> {
        let notifier = &self.worker.notifier;
        Ok(notifier.commit(tx, &self.item.namespace).await?)
    }

    /// Forgets a deleted (or retained) resource: the row goes, its events stay.
    pub(super) async fn forget(&self, retained: bool) -> Result<Requeue, StepError> {
        let how = match (retained, &self.item.observed.identifier) {
            (true, _) => "forgotten; the client stays in AWS (deletionPolicy Retain)".to_owned(),
            (false, Some(identifier)) => format!("client {identifier} deleted"),
            (false, None) => "forgotten; no client existed in AWS".to_owned(),
        };
        tracing::info!(retained, "{how}");
        let mut tx = self.worker.pool.begin().await?;
        work::forget(&mut tx, self.item, &self.worker.id, how).await?;
        self.commit(tx).await?;
        Ok(Requeue::OnChange)
    }

    /// Records a terminal error: phase `Failed`, no retry until the desired state changes or a user
    /// asks for a refresh.
    pub(super) async fn fail(
        &self,
        mut new: Observed,
        failure: Failure<'_>,
        mut events: Vec<StepEvent>,
    ) -> Result<Requeue, StepError> {
        let item = self.item;
        let (code, message) = (failure.code, failure.message);
        new.phase = Phase::Failed;
        new.last_error = Some(Json(failure.last_error(item.generation, false)));
        set_condition(
            &mut new,
            ConditionType::Synced,
            ConditionStatus::False,
            code,
            message,
            item.generation,
        );
        if new.identifier.is_none() {
            set_condition(
                &mut new,
                ConditionType::Ready,
                ConditionStatus::False,
                code,
                message,
                item.generation,
            );
        }
        events.push(note(
            EventData::Failed(failure.data()),
            format!("{code}: {message}; not retried until the desired state changes or a refresh"),
        ));
        metrics::counter!("ccplane_terminal_failures_total", "code" => code.to_owned())
            .increment(1);
        tracing::warn!(
            code,
            request_token = failure.request_token,
            "failed terminally: {message}"
        );
        self.save(&new, events).await?;
        // Classify again at once: a deletion asked for meanwhile still goes ahead.
        Ok(Requeue::Now)
    }

    /// Records a retriable error and asks to be stepped again after a backoff.
    pub(super) async fn retry_later(
        &self,
        mut new: Observed,
        failure: Failure<'_>,
        class: ErrorClass,
    ) -> Result<Requeue, StepError> {
        let old = &self.item.observed;
        // A refresh starts the count again.
        let base = if self.item.refresh_requested_at.is_some() {
            0
        } else {
            old.attempt
        };
        new.attempt = base + 1;
        new.last_error = Some(Json(failure.last_error(self.item.generation, true)));
        let requeue = backoff_for(self.settings(), class, new.attempt);
        let secs = requeue.due_in_secs().unwrap_or_default();
        let code = failure.code;
        metrics::counter!("ccplane_retries_total", "code" => code.to_owned()).increment(1);
        let repeated = old.last_error.as_ref().is_some_and(|e| e.code == code);
        let events = if repeated {
            tracing::info!(
                code,
                attempt = new.attempt,
                secs,
                "retrying later: {}",
                failure.message
            );
            Vec::new()
        } else {
            let data = FailureData {
                attempt: Some(new.attempt),
                ..failure.data()
            };
            vec![note(
                EventData::RetryScheduled(data),
                format!("{code}: {}; retrying in {secs:.0} s", failure.message),
            )]
        };
        // A deletion asked for meanwhile replaces the create or update being retried.
        let superseded = self.item.deletion_requested
            && new.current_operation_id.is_none()
            && failure
                .operation
                .is_some_and(|k| k != OperationKind::Delete);
        self.save(&new, events).await?;
        Ok(if superseded { Requeue::Now } else { requeue })
    }

    /// Reacts to an error of a read (`GetResource`) of `identifier` outside any operation.
    pub(super) async fn read_failed(
        &self,
        identifier: &str,
        e: CloudError,
    ) -> Result<Requeue, StepError> {
        use super::reaction::{Reaction, on_error};
        let failure = Failure::of(&e, None, None);
        match on_error(None, Stage::Read, e.class) {
            Reaction::ConfirmAbsence => {
                self.suspect_absence(identifier, AbsenceReason::NotFound, 1)
                    .await
            }
            Reaction::Fail => self.fail(self.observed(), failure, Vec::new()).await,
            _ => self.retry_later(self.observed(), failure, e.class).await,
        }
    }
}

/// What failed, for `lastError`, the event and the log.
#[derive(Debug, Clone, Copy)]
pub(super) struct Failure<'a> {
    pub code: &'a str,
    pub message: &'a str,
    pub request_token: Option<&'a str>,
    pub operation: Option<OperationKind>,
}

impl<'a> Failure<'a> {
    /// The failure of `e`, met in `operation`'s request `request_token`.
    pub fn of(
        e: &'a CloudError,
        operation: Option<OperationKind>,
        request_token: Option<&'a str>,
    ) -> Self {
        Failure {
            code: &e.code,
            message: &e.message,
            request_token,
            operation,
        }
    }

    pub(super) fn last_error(&self, generation: i64, retryable: bool) -> LastError {
        LastError {
            code: self.code.to_owned(),
            message: self.message.to_owned(),
            retryable,
            at: Utc::now(),
            request_token: self.request_token.map(str::to_owned),
            operation: self.operation.map(|k| k.as_str().to_owned()),
            generation: Some(generation),
        }
    }

    /// The event's data: `kind` is the operation's kind, absent when no operation failed.
    fn data(&self) -> FailureData {
        FailureData {
            error_code: self.code.to_owned(),
            request_token: self.request_token.map(str::to_owned),
            kind: self.operation,
            attempt: None,
        }
    }
}

/// Sets a condition, keeping its transition time when its status does not change.
pub(super) fn set_condition(
    obs: &mut Observed,
    kind: ConditionType,
    status: ConditionStatus,
    reason: &str,
    message: &str,
    generation: i64,
) {
    let now = Utc::now();
    let conditions = &mut obs.conditions.0;
    let since = conditions
        .iter()
        .find(|c| c.kind == kind && c.status == status)
        .map_or(now, |c| c.last_transition_time);
    conditions.retain(|c| c.kind != kind);
    conditions.push(Condition {
        kind,
        status,
        reason: reason.to_owned(),
        message: message.to_owned(),
        last_transition_time: since,
        observed_generation: generation,
    });
    conditions.sort_by_key(|c| c.kind as u8);
}
