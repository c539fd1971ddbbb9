//! What a situation's handler decided, as one value, and the decisions the handlers share.
//!
//! A handler reads (the stored state, and AWS when it must), then returns an [`Outcome`]: what
//! becomes of the resource's row, the events, at most one change to its operation, and what the
//! step does next. `Step::write` (`step.rs`) writes it in one transaction fenced by the lease, as
//! crossplane-runtime ends each branch with one status write and kube-rs returns one `Action`.
//! No handler writes, and no handler calls another: what two of them decide alike is here.

use chrono::Utc;
use serde_json::{Map, Value};
use sqlx::types::Json;
use uuid::Uuid;

use super::CrashPoint;
use super::context::Step;
use super::reaction::{Reaction, Stage, on_error};
use super::requeue::{Requeue, backoff_for};
use crate::cloud::{CloudError, ErrorClass, Progress};
use crate::model::diff;
use crate::model::event::{AbsenceData, ClientRef, EventData, FailureData, Replacement};
use crate::model::operation::{OperationKind, OperationRequest};
use crate::model::status::{Condition, ConditionStatus, ConditionType, LastError, Phase};
use crate::model::work::{AbsenceCheck, AbsenceReason, Observed, StepEvent};
use crate::store::operations::OperationRow;

/// What becomes of the resource's row.
// One per step, moved once or twice: boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub(super) enum Resource {
    /// Left as it is (a poll that found the request still running).
    Kept,
    /// Its observed state is saved as this.
    Saved(Observed),
    /// The row goes, its events stay; the sentence says why.
    Forgotten(String),
}

/// A change to the resource's operation, written in the resource's transaction.
// One per step, moved once or twice: boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub(super) enum OperationChange {
    /// A new request, with a fresh ClientToken; the resource points at it.
    Prepare {
        kind: OperationKind,
        identifier: Option<String>,
        request: OperationRequest,
    },
    /// What Cloud Control answered about the request.
    Record(OperationRow, Progress),
    /// The request is over without an answer to follow.
    Abandon {
        id: Uuid,
        code: String,
        message: String,
    },
    /// Cloud Control holds the request under another RequestToken: follow that one.
    Resume { id: Uuid, request_token: String },
    /// A status poll failed (the next one backs off further).
    FailedPoll(Uuid),
}

/// What the step does once the outcome is written.
// One per step, moved once or twice: boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub(super) enum Next {
    /// Lets the resource go, due again as this says.
    Requeue(Requeue),
    /// Sends the operation just prepared, in this step: its row is committed first (invariant 2),
    /// and the send's own outcome is written after it.
    Send,
    /// The request cannot be followed (Cloud Control no longer knows it, or named none): resolves
    /// it in this step (`recover.rs`).
    Recover(OperationRow, CloudError),
}

/// One handler's decision, written as a whole or not at all.
#[derive(Debug)]
#[must_use]
pub(super) struct Outcome {
    pub resource: Resource,
    /// Written with the resource, after the phase and condition changes the save finds.
    pub events: Vec<StepEvent>,
    pub operation: Option<OperationChange>,
    /// The user's cancel request is used up: the request it was for is over.
    pub cancel_consumed: bool,
    /// The live client was read and compared: this was a drift check.
    pub drift_checked: bool,
    /// Where a test may kill the worker once this is written.
    pub crash_point: Option<CrashPoint>,
    pub next: Next,
}

impl Outcome {
    /// Saves `new` with `events`, then requeues.
    pub fn saved(new: Observed, events: Vec<StepEvent>, requeue: Requeue) -> Outcome {
        Outcome {
            resource: Resource::Saved(new),
            events,
            ..Outcome::kept(requeue)
        }
    }

    /// Writes nothing to the resource, then requeues.
    pub fn kept(requeue: Requeue) -> Outcome {
        Outcome {
            resource: Resource::Kept,
            events: Vec::new(),
            operation: None,
            cancel_consumed: false,
            drift_checked: false,
            crash_point: None,
            next: Next::Requeue(requeue),
        }
    }

    /// Hands a request that cannot be followed to its recovery, in this step.
    pub fn recover(op: &OperationRow, e: &CloudError) -> Outcome {
        Outcome {
            next: Next::Recover(op.clone(), e.clone()),
            ..Outcome::kept(Requeue::Now)
        }
    }

    /// The same, with `change` to the operation written in its transaction.
    pub fn with(self, change: OperationChange) -> Outcome {
        debug_assert!(self.operation.is_none(), "one operation change per outcome");
        Outcome {
            operation: Some(change),
            ..self
        }
    }

    /// The same, recording Cloud Control's answer `p` about `op`.
    pub fn recording(self, op: &OperationRow, p: &Progress) -> Outcome {
        self.with(OperationChange::Record(op.clone(), p.clone()))
    }

    /// The same, ending `op` because of `e`.
    pub fn abandoning(self, op: &OperationRow, e: &CloudError) -> Outcome {
        self.with(OperationChange::Abandon {
            id: op.id,
            code: e.code.clone(),
            message: e.message.clone(),
        })
    }

    /// The same, counted as a drift check.
    pub fn drift_checked(self) -> Outcome {
        Outcome {
            drift_checked: true,
            ..self
        }
    }

    /// The same, using up the user's cancel request.
    pub fn cancel_consumed(self) -> Outcome {
        Outcome {
            cancel_consumed: true,
            ..self
        }
    }

    /// The same, where a test may stop the worker once it is written.
    pub fn crashing_at(self, at: CrashPoint) -> Outcome {
        Outcome {
            crash_point: Some(at),
            ..self
        }
    }
}

/// An event a step writes: what happened, and a sentence for people.
pub(super) fn note(data: EventData, message: impl Into<String>) -> StepEvent {
    (data, message.into())
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

/// The shared decisions. Each reads the step's context and returns an outcome; none does I/O.
impl Step<'_> {
    /// Prepares a request: the resource, saved as `new` with `events`, points at a new operation
    /// that this step then sends.
    pub(super) fn prepare(
        &self,
        mut new: Observed,
        events: Vec<StepEvent>,
        kind: OperationKind,
        identifier: Option<&str>,
        request: OperationRequest,
    ) -> Outcome {
        let item = self.item;
        // The role and the account are pinned in the operation, so a re-send with its ClientToken
        // is the same request, and its polls go where it went, even if the namespace's settings
        // changed meanwhile.
        let account = super::account_of(item);
        let request = OperationRequest {
            assume_role_arn: account.assume_role_arn,
            external_id: account.external_id,
            ..request
        };
        new.phase = if item.deletion_requested {
            Phase::Deleting
        } else {
            Phase::Provisioning
        };
        if kind != OperationKind::Delete {
            let message = format!("{kind} in progress");
            set_condition(
                &mut new,
                ConditionType::Synced,
                ConditionStatus::False,
                "Applying",
                &message,
                item.generation,
            );
        }
        let change = OperationChange::Prepare {
            kind,
            identifier: identifier.map(str::to_owned),
            request,
        };
        Outcome {
            next: Next::Send,
            ..Outcome::saved(new, events, Requeue::Now)
        }
        .with(change)
        .crashing_at(CrashPoint::AfterPrepare)
    }

    /// Records a terminal error: phase `Failed`, no retry until the desired state changes or a user
    /// asks for a refresh.
    pub(super) fn fail(
        &self,
        mut new: Observed,
        failure: Failure<'_>,
        mut events: Vec<StepEvent>,
    ) -> Outcome {
        let item = self.item;
        let (code, message) = (failure.code, failure.message);
        new.phase = Phase::Failed;
        new.last_error = Some(Json(failure.last_error(item.generation, false)));
        let (status, generation) = (ConditionStatus::False, item.generation);
        set_condition(
            &mut new,
            ConditionType::Synced,
            status,
            code,
            message,
            generation,
        );
        if new.identifier.is_none() {
            set_condition(
                &mut new,
                ConditionType::Ready,
                status,
                code,
                message,
                generation,
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
        // Classify again at once: a deletion asked for meanwhile still goes ahead.
        Outcome::saved(new, events, Requeue::Now)
    }

    /// Records a retriable error and asks to be stepped again after a backoff.
    pub(super) fn retry_later(
        &self,
        mut new: Observed,
        failure: Failure<'_>,
        class: ErrorClass,
    ) -> Outcome {
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
            let attempt = new.attempt;
            tracing::info!(code, attempt, secs, "retrying later: {}", failure.message);
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
        let requeue = if superseded { Requeue::Now } else { requeue };
        Outcome::saved(new, events, requeue)
    }

    /// Reacts to an error of a read (`GetResource`) of `identifier` outside any operation.
    pub(super) fn read_failed(&self, identifier: &str, e: &CloudError) -> Outcome {
        let failure = Failure::of(e, None, None);
        match on_error(None, Stage::Read, e.class) {
            Reaction::ConfirmAbsence => {
                let doubt = (identifier, AbsenceReason::NotFound, 1);
                self.suspect_absence(self.observed(), Vec::new(), doubt)
            }
            Reaction::Fail => self.fail(self.observed(), failure, Vec::new()),
            _ => self.retry_later(self.observed(), failure, e.class),
        }
    }

    /// Starts doubting that `identifier` exists (`not_found_reads` reads have missed it so far),
    /// saved with `new` and `events`, the rest of what the step found.
    pub(super) fn suspect_absence(
        &self,
        mut new: Observed,
        mut events: Vec<StepEvent>,
        (identifier, reason, not_found_reads): (&str, AbsenceReason, u32),
    ) -> Outcome {
        new.current_operation_id = None;
        let message = match &reason {
            AbsenceReason::NotFound => format!(
                "Cloud Control says client {identifier} does not exist; confirming before acting on it"
            ),
            AbsenceReason::UnfinishedCreate { error_code, .. } => format!(
                "the create ended {} but names client {identifier}: checking whether it exists",
                error_code.as_deref().unwrap_or("CANCEL_COMPLETE")
            ),
        };
        let data = AbsenceData {
            identifier: identifier.to_owned(),
            reason: reason.clone(),
        };
        new.absence_check = Some(Json(AbsenceCheck {
            identifier: identifier.to_owned(),
            reason,
            not_found_reads,
            since: Utc::now(),
        }));
        events.push(note(EventData::AbsenceSuspected(data), message));
        Outcome::saved(new, events, self.pause_before_reading(not_found_reads))
    }

    /// How long a doubt waits before the next read: none before the first, the confirmation pause
    /// after a miss.
    pub(super) fn pause_before_reading(&self, not_found_reads: u32) -> Requeue {
        if not_found_reads == 0 {
            Requeue::Now
        } else {
            Requeue::after_secs(self.settings().absence_confirm.as_secs_f64())
        }
    }

    /// Records `target` as this resource's client, read as `live`; the next step diffs it (unless
    /// the adoption follows a user's cancel, which stands).
    pub(super) fn adopted(
        &self,
        target: &str,
        live: &Map<String, Value>,
        why: &str,
        cancelled: bool,
    ) -> Outcome {
        let mut new = self.observed();
        new.identifier = Some(target.to_owned());
        if cancelled {
            self.mark_cancelled(&mut new);
        }
        new.observed_properties = (!live.is_empty()).then(|| Json(diff::observed(live)));
        new.applied_properties = None;
        new.observed_generation = None;
        new.absence_check = None;
        let message = format!("{why} {target}");
        let event = note(EventData::Adopted(ClientRef::of(target)), message);
        Outcome::saved(new, vec![event], Requeue::Now)
    }

    /// A delete finished (or found nothing to delete): a replacement's old client is gone, the
    /// resource is forgotten, or (delete before create) its replacement comes next.
    pub(super) fn deleted(&self, op: &OperationRow) -> Outcome {
        let target = op.identifier.clone().unwrap_or_default();
        let obs = &self.item.observed;
        let mut new = self.observed();
        new.current_operation_id = None;
        new.last_error = None;
        if obs.previous_identifier.as_deref() == Some(target.as_str()) {
            new.previous_identifier = None;
            if new.observed_generation == Some(self.item.generation) {
                new.phase = Phase::Ready;
            }
            let message = format!("replacement done: old client {target} deleted");
            let data = EventData::ReplacementFinished(Replacement::deleted(&target));
            return Outcome::saved(new, vec![note(data, message)], Requeue::Now);
        }
        if self.item.deletion_requested {
            return self.forget(false);
        }
        new.identifier = None;
        new.applied_properties = None;
        new.observed_properties = None;
        new.observed_generation = None;
        let message = format!("old client {target} deleted; creating its replacement");
        let data = EventData::ReplacementStarted(Replacement::deleted(&target));
        Outcome::saved(new, vec![note(data, message)], Requeue::Now)
    }

    /// Forgets a deleted (or retained) resource: the row goes, its events stay.
    pub(super) fn forget(&self, retained: bool) -> Outcome {
        let how = match (retained, &self.item.observed.identifier) {
            (true, _) => "forgotten; the client stays in AWS (deletionPolicy Retain)".to_owned(),
            (false, Some(identifier)) => format!("client {identifier} deleted"),
            (false, None) => "forgotten; no client existed in AWS".to_owned(),
        };
        tracing::info!(retained, "{how}");
        Outcome {
            resource: Resource::Forgotten(how),
            ..Outcome::kept(Requeue::OnChange)
        }
    }

    /// Marks `new` as matching generation `generation`, with `live` as its observed properties.
    pub(super) fn synced(&self, new: &mut Observed, live: &Map<String, Value>, generation: i64) {
        let item = self.item;
        new.observed_properties = Some(Json(diff::observed(live)));
        new.observed_generation = Some(generation);
        if new.applied_properties.is_none() || generation == item.generation {
            new.applied_properties = Some(item.properties.clone());
        }
        let current = generation == item.generation;
        new.phase = if current {
            Phase::Ready
        } else {
            Phase::Provisioning
        };
        set_condition(
            new,
            ConditionType::Ready,
            ConditionStatus::True,
            "Available",
            "the client exists in AWS",
            item.generation,
        );
        if current {
            set_condition(
                new,
                ConditionType::Synced,
                ConditionStatus::True,
                "Applied",
                "the desired state is applied",
                item.generation,
            );
        }
        new.last_error = None;
        new.attempt = 0;
    }

    /// A user's cancel took effect: nothing more is done for this generation until a change or a
    /// refresh.
    pub(super) fn mark_cancelled(&self, new: &mut Observed) {
        new.phase = if new.identifier.is_some() {
            Phase::Ready
        } else {
            Phase::Pending
        };
        let message = "the operation was cancelled by a user";
        set_condition(
            new,
            ConditionType::Synced,
            ConditionStatus::False,
            "Cancelled",
            message,
            self.item.generation,
        );
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
