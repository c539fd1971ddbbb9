//! Following a request to its end: polls (bounded by a backoff floor whatever `RetryAfter` says),
//! cancels, and settling what Cloud Control reports: success, failure, cancellation.

use std::time::Duration;

use chrono::Utc;
use sqlx::types::Json;

use super::CrashPoint;
use super::reaction::{Reaction, Stage, on_error};
use super::requeue::{Requeue, poll_backoff, throttle_backoff};
use super::step::{Failure, Step, StepError, note, set_condition};
use crate::cloud::{CloudError, ErrorClass, Progress, RequestStatus, classify_handler_code};
use crate::model::diff;
use crate::model::event::{EventData, OperationData, Replacement};
use crate::model::operation::OperationKind;
use crate::model::status::{ConditionStatus, ConditionType, Phase};
use crate::model::work::{AbsenceReason, Observed, StepEvent};
use crate::store::operations::{self, OperationRow};

impl Step<'_> {
    /// Asks Cloud Control where the request is; settles it when it is over.
    pub(super) async fn poll(&self, op: &OperationRow) -> Result<Requeue, StepError> {
        // A request already seen settled is not asked about again: only its settling is repeated.
        if let Some(settled) = stored_outcome(op) {
            return self.settle(op, settled).await;
        }
        let request_token = op.request_token.as_deref().unwrap_or_default();
        let result = self
            .worker
            .cloud
            .status(&self.place_of(op), request_token)
            .await;
        let progress = match result {
            Ok(p) => p,
            Err(e) => return self.poll_failed(op, e).await,
        };
        if progress.status.is_terminal() {
            if progress.error_code.as_deref() == Some("Throttling") {
                // Cognito throttled the handler: slow the Cognito bucket down, not Cloud Control's.
                let pool = super::gate::pool_of_operation(op);
                let call = super::gate::mutation(op.kind);
                let at = self.place_of(op);
                self.worker
                    .cloud
                    .throttled_in_handler(call, &at, pool.as_deref())
                    .await;
            }
            return self.settle(op, progress).await;
        }
        record(&self.worker.pool, op, &progress).await?;
        self.crash(CrashPoint::AfterPoll)?;
        Ok(poll_backoff(
            self.settings(),
            op.polls,
            progress.retry_after,
            Utc::now(),
        ))
    }

    async fn poll_failed(&self, op: &OperationRow, e: CloudError) -> Result<Requeue, StepError> {
        if on_error(Some(op.kind), Stage::Poll, e.class) == Reaction::Lost {
            return self.unknown_request(op, &e).await;
        }
        // Polling spends no attempt, but the next poll still backs off further.
        tracing::info!(
            code = e.code,
            request_token = op.request_token,
            "status poll failed; polling again later: {}",
            e.message
        );
        operations::count_failed_poll(&self.worker.pool, op.id).await?;
        Ok(poll_backoff(self.settings(), op.polls, None, Utc::now()))
    }

    /// Asks Cloud Control to cancel the request, as a user asked.
    pub(super) async fn cancel(&self, op: &OperationRow) -> Result<Requeue, StepError> {
        let request_token = op.request_token.as_deref().unwrap_or_default();
        let result = self
            .worker
            .cloud
            .cancel(&self.place_of(op), request_token)
            .await;
        let consumed = self.with_cancel_consumed();
        match result {
            Ok(p) => {
                let mut tx = self.worker.pool.begin().await?;
                record(&mut *tx, op, &p).await?;
                consumed.save_in(&mut tx, &self.observed(), &[]).await?;
                consumed.commit(tx).await?;
                tracing::info!(
                    request_token,
                    status = p.status.as_str(),
                    "cancel requested"
                );
                if p.status.is_terminal() {
                    return Ok(Requeue::Now);
                }
                Ok(poll_backoff(
                    self.settings(),
                    op.polls,
                    p.retry_after,
                    Utc::now(),
                ))
            }
            Err(e) => match on_error(Some(op.kind), Stage::Cancel, e.class) {
                Reaction::Lost => self.unknown_request(op, &e).await,
                // Already over: nothing to cancel; the next poll settles it.
                Reaction::Settled => {
                    tracing::info!(request_token, "nothing to cancel: {}", e.message);
                    consumed.save(&self.observed(), Vec::new()).await?;
                    Ok(Requeue::Now)
                }
                _ => {
                    tracing::info!(
                        code = e.code,
                        request_token,
                        "cancel failed; trying again later: {}",
                        e.message
                    );
                    Ok(poll_backoff(self.settings(), op.polls, None, Utc::now()))
                }
            },
        }
    }

    /// Records what a finished request did.
    async fn settle(&self, op: &OperationRow, p: Progress) -> Result<Requeue, StepError> {
        match (p.status, op.kind) {
            (RequestStatus::Success, OperationKind::Delete) => {
                record(&self.worker.pool, op, &p).await?;
                self.deleted(op).await
            }
            (RequestStatus::Success, _) => self.succeeded(op, p).await,
            (_, OperationKind::Create) if p.identifier.is_some() => {
                self.unfinished_create(op, p).await
            }
            (RequestStatus::CancelComplete, _) => self.cancelled(op, p).await,
            _ => self.failed(op, p).await,
        }
    }

    async fn succeeded(&self, op: &OperationRow, p: Progress) -> Result<Requeue, StepError> {
        let item = self.item;
        let Some(identifier) = p.identifier.clone().or_else(|| op.identifier.clone()) else {
            tracing::warn!(
                request_token = p.request_token,
                "success without an identifier; asking again later"
            );
            return Ok(poll_backoff(self.settings(), op.polls, None, Utc::now()));
        };
        // Read before settling: a failed read leaves the operation in flight with its success
        // stored, and the next step reads again without polling.
        let live = match self.read_after_success(&identifier).await {
            Ok(live) => live,
            Err(e) if e.class == ErrorClass::NotFound => {
                return self.missing_after_success(op, p, &identifier).await;
            }
            Err(e) => {
                tracing::info!(
                    code = e.code,
                    identifier,
                    "read after success failed; reading again later"
                );
                record(&self.worker.pool, op, &p).await?;
                return Ok(match e.class {
                    ErrorClass::Throttled => throttle_backoff(self.settings(), 1),
                    _ => poll_backoff(self.settings(), op.polls, None, Utc::now()),
                });
            }
        };
        // The live client was just read and compared: that is this generation's drift check.
        self.checked_drift();
        let mut new = self.observed();
        new.identifier = Some(identifier.clone());
        new.current_operation_id = None;
        new.applied_properties = op.request.desired_state.clone().map(Json);
        self.synced(&mut new, &live, op.generation);
        let mut events = Vec::new();
        if op.request.remediation {
            new.drift = None;
            set_condition(
                &mut new,
                ConditionType::Drifted,
                ConditionStatus::False,
                "Remediated",
                "drift was patched back",
                item.generation,
            );
        }
        if op.generation == item.generation {
            let seen = super::converge::normalized(&item.properties.0, &live, op, item.generation);
            events.extend(self.record_normalizations(&mut new, seen));
        }
        events.insert(0, succeeded(op, &p, &identifier));
        let mut tx = self.worker.pool.begin().await?;
        record(&mut *tx, op, &p).await?;
        self.save_in(&mut tx, &new, &events).await?;
        self.commit(tx).await?;
        Ok(Requeue::Now)
    }

    /// `GetResource` right after a request settled `SUCCESS`. A NotFound then is most likely a
    /// read that lags the write (pulumi/pulumi-aws-native #1714, PR #1809: "eventual consistency
    /// delays for those services are usually in the millis"), so it is read again after each of
    /// [`READ_LAG_RETRIES`]: at most five reads within 1.5 s, inside the step.
    async fn read_after_success(
        &self,
        identifier: &str,
    ) -> Result<serde_json::Map<String, serde_json::Value>, CloudError> {
        let mut result = self.read(identifier).await;
        for pause in READ_LAG_RETRIES {
            match &result {
                Err(e) if e.class == ErrorClass::NotFound => {
                    tracing::debug!(identifier, "read after success missed; reading again");
                    tokio::time::sleep(pause).await;
                    result = self.read(identifier).await;
                }
                _ => break,
            }
        }
        result
    }

    /// The request succeeded, yet its client is still not found after the retries: record the
    /// success and the client, then doubt its existence as any NotFound is doubted (a second read
    /// after a pause and the pool's list), rather than ask again forever or trust the miss.
    async fn missing_after_success(
        &self,
        op: &OperationRow,
        p: Progress,
        identifier: &str,
    ) -> Result<Requeue, StepError> {
        record(&self.worker.pool, op, &p).await?;
        let mut new = self.observed();
        new.identifier = Some(identifier.to_owned());
        new.applied_properties = op.request.desired_state.clone().map(Json);
        // A fresh look once the doubt is settled: read, diff, and mark synced or update.
        new.observed_generation = None;
        let events = vec![succeeded(op, &p, identifier)];
        let doubt = (identifier, AbsenceReason::NotFound, 1);
        self.suspect_absence_after(new, events, doubt).await
    }

    /// Marks `new` as matching generation `generation`, with `live` as its observed properties.
    pub(super) fn synced(
        &self,
        new: &mut Observed,
        live: &serde_json::Map<String, serde_json::Value>,
        generation: i64,
    ) {
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

    /// A delete finished (or found nothing to delete).
    pub(super) async fn deleted(&self, op: &OperationRow) -> Result<Requeue, StepError> {
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
            let events = vec![note(
                EventData::ReplacementFinished(Replacement::deleted(&target)),
                message,
            )];
            self.save(&new, events).await?;
            return Ok(Requeue::Now);
        }
        if self.item.deletion_requested {
            return self.forget(false).await;
        }
        // Delete-before-create: the old client is gone, the replacement comes next.
        new.identifier = None;
        new.applied_properties = None;
        new.observed_properties = None;
        new.observed_generation = None;
        let message = format!("old client {target} deleted; creating its replacement");
        let events = vec![note(
            EventData::ReplacementStarted(Replacement::deleted(&target)),
            message,
        )];
        self.save(&new, events).await?;
        Ok(Requeue::Now)
    }

    /// A create settled `FAILED` or `CANCEL_COMPLETE` naming an identifier: the client may exist.
    /// Read it before anything else, and adopt it if it does.
    async fn unfinished_create(
        &self,
        op: &OperationRow,
        p: Progress,
    ) -> Result<Requeue, StepError> {
        let identifier = p.identifier.clone().unwrap_or_default();
        let reason = AbsenceReason::UnfinishedCreate {
            operation: op.id,
            request_token: p.request_token.clone(),
            error_code: p.error_code.clone(),
            message: p.message.clone(),
        };
        record(&self.worker.pool, op, &p).await?;
        self.suspect_absence(&identifier, reason, 0).await
    }

    async fn cancelled(&self, op: &OperationRow, p: Progress) -> Result<Requeue, StepError> {
        let mut new = self.observed();
        new.current_operation_id = None;
        self.mark_cancelled(&mut new);
        let message = format!("{} cancelled", op.kind);
        let data = OperationData {
            operation: Some(op.id),
            request_token: Some(Some(p.request_token.clone())),
            ..OperationData::default()
        };
        let mut tx = self.worker.pool.begin().await?;
        record(&mut *tx, op, &p).await?;
        self.save_in(
            &mut tx,
            &new,
            &[note(EventData::OperationCancelled(data), message)],
        )
        .await?;
        self.commit(tx).await?;
        Ok(Requeue::Now)
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

    async fn failed(&self, op: &OperationRow, p: Progress) -> Result<Requeue, StepError> {
        let code = p.error_code.clone().unwrap_or_else(|| "Unknown".into());
        let message = p.message.clone().unwrap_or_default();
        record(&self.worker.pool, op, &p).await?;
        let e = CloudError::new(classify_handler_code(&code), code, message);
        let failure = Failure::of(&e, Some(op.kind), Some(&p.request_token));
        let mut new = self.observed();
        new.current_operation_id = None;
        let data = OperationData {
            request_token: Some(Some(p.request_token.clone())),
            identifier: Some(op.identifier.clone()),
            error_code: Some(e.code.clone()),
            ..OperationData::of(op.id, op.kind)
        };
        match on_error(Some(op.kind), Stage::Settle, e.class) {
            Reaction::Done => self.deleted(op).await,
            Reaction::ConfirmAbsence => {
                let identifier = op.identifier.clone().unwrap_or_default();
                self.suspect_absence(&identifier, AbsenceReason::NotFound, 1)
                    .await
            }
            Reaction::RetryLater => {
                // The request is over and made nothing (a create naming no client): a new request,
                // with a new ClientToken, after a backoff.
                self.retry_later(new, failure, e.class).await
            }
            _ => {
                let message = format!("{} failed: {e}", op.kind);
                let events = vec![note(EventData::OperationFailed(data), message)];
                self.fail(new, failure, events).await
            }
        }
    }
}

/// The event of `op`'s success, which made or acted on `identifier`.
fn succeeded(op: &OperationRow, p: &Progress, identifier: &str) -> StepEvent {
    let data = OperationData {
        request_token: Some(Some(p.request_token.clone())),
        identifier: Some(Some(identifier.to_owned())),
        ..OperationData::of(op.id, op.kind)
    };
    let message = format!("{} succeeded ({identifier})", op.kind);
    note(EventData::OperationSucceeded(data), message)
}

/// The pauses before reading a client again that a read right after its request's `SUCCESS` did
/// not find: four retries, 1.5 s in all.
const READ_LAG_RETRIES: [Duration; 4] = [
    Duration::from_millis(100),
    Duration::from_millis(200),
    Duration::from_millis(400),
    Duration::from_millis(800),
];

/// Stores what Cloud Control said about a request, and counts and logs it when it has just settled.
/// A settled request's answer is final: replaying it (after an interrupted settling) stores and
/// counts nothing again.
pub(super) async fn record(
    exec: impl sqlx::PgExecutor<'_>,
    op: &OperationRow,
    p: &Progress,
) -> Result<(), sqlx::Error> {
    if is_settled(op) {
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
    operations::record_progress(exec, op.id, &answer).await?;
    if p.status.is_terminal() {
        announce_settled(op, p);
    }
    Ok(())
}

/// Counts and logs a request that has just settled.
fn announce_settled(op: &OperationRow, p: &Progress) {
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

/// Whether the stored answer of `op` is final.
fn is_settled(op: &OperationRow) -> bool {
    op.status.is_terminal()
}

/// What was stored of a request that settled earlier (its settling was interrupted, e.g. by a
/// failed read), so it is settled again without asking Cloud Control.
fn stored_outcome(op: &OperationRow) -> Option<Progress> {
    Some(Progress {
        request_token: op.request_token.clone()?,
        status: RequestStatus::of_stored(op.status).filter(|s| s.is_terminal())?,
        identifier: op.identifier.clone(),
        error_code: op.error_code.clone(),
        message: op.status_message.clone(),
        retry_after: None,
    })
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::model::operation::{OperationRequest, OperationStatus};

    fn op(status: OperationStatus) -> OperationRow {
        OperationRow {
            id: Uuid::nil(),
            resource_id: Uuid::nil(),
            kind: OperationKind::Create,
            client_token: "ccplane-1".into(),
            request_token: Some("rt".into()),
            generation: 1,
            identifier: Some("pool|client".into()),
            request: Json(OperationRequest::default()),
            role_arn: None,
            status,
            error_code: None,
            status_message: None,
            polls: 3,
            submitted_at: None,
        }
    }

    #[test]
    fn a_request_seen_settled_is_settled_again_from_what_was_stored() {
        let settled = stored_outcome(&op(OperationStatus::Success)).expect("settled");
        assert_eq!(settled.status, RequestStatus::Success);
        assert_eq!(settled.identifier.as_deref(), Some("pool|client"));
        assert_eq!(settled.request_token, "rt");
    }

    #[test]
    fn a_request_still_running_is_polled() {
        assert_eq!(stored_outcome(&op(OperationStatus::InProgress)), None);
        assert_eq!(stored_outcome(&op(OperationStatus::Prepared)), None);
    }
}
