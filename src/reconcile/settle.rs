//! Following a request to its end: polls (bounded by a backoff floor whatever `RetryAfter` says),
//! cancels, and settling what Cloud Control reports: success, failure, cancellation.

use std::time::Duration;

use chrono::Utc;
use sqlx::types::Json;

use super::CrashPoint;
use super::context::Step;
use super::outcome::{Failure, OperationChange, Outcome, note, set_condition};
use super::reaction::{Reaction, Stage, on_error};
use super::requeue::{Requeue, poll_backoff, throttle_backoff};
use crate::cloud::{CloudError, ErrorClass, Progress, RequestStatus, classify_handler_code};
use crate::model::event::{EventData, OperationData};
use crate::model::operation::OperationKind;
use crate::model::status::{ConditionStatus, ConditionType};
use crate::model::work::{AbsenceReason, StepEvent};
use crate::store::operations::OperationRow;

impl Step<'_> {
    /// Asks Cloud Control where the request is; settles it when it is over.
    pub(super) async fn poll(&mut self, op: &OperationRow) -> Outcome {
        // A request already seen settled is not asked about again: only its settling is repeated.
        if let Some(settled) = stored_outcome(op) {
            return self.settle(op, settled).await;
        }
        let request_token = op.request_token.as_deref().unwrap_or_default();
        let at = self.place_of(op);
        let progress = match self.worker.cloud.status(&at, request_token).await {
            Ok(p) => p,
            Err(e) => return self.poll_failed(op, e),
        };
        if progress.status.is_terminal() {
            if progress.error_code.as_deref() == Some("Throttling") {
                // Cognito throttled the handler: slow the Cognito bucket down, not Cloud Control's.
                let pool = super::calls::pool_of_operation(op);
                let call = super::calls::mutation(op.kind);
                let cloud = &self.worker.cloud;
                cloud.throttled_in_handler(call, &at, pool.as_deref()).await;
            }
            return self.settle(op, progress).await;
        }
        let next = poll_backoff(self.settings(), op.polls, progress.retry_after, Utc::now());
        Outcome::kept(next)
            .recording(op, &progress)
            .crashing_at(CrashPoint::AfterPoll)
    }

    fn poll_failed(&self, op: &OperationRow, e: CloudError) -> Outcome {
        if on_error(Some(op.kind), Stage::Poll, e.class) == Reaction::Lost {
            return Outcome::recover(op, &e);
        }
        // Polling spends no attempt, but the next poll still backs off further.
        tracing::info!(
            code = e.code,
            request_token = op.request_token,
            "status poll failed; polling again later: {}",
            e.message
        );
        let next = poll_backoff(self.settings(), op.polls, None, Utc::now());
        Outcome::kept(next).with(OperationChange::FailedPoll(op.id))
    }

    /// Asks Cloud Control to cancel the request, as a user asked.
    pub(super) async fn cancel(&mut self, op: &OperationRow) -> Outcome {
        let request_token = op.request_token.as_deref().unwrap_or_default();
        let at = self.place_of(op);
        match self.worker.cloud.cancel(&at, request_token).await {
            Ok(p) => {
                let status = p.status.as_str();
                tracing::info!(request_token, status, "cancel requested");
                let next = if p.status.is_terminal() {
                    Requeue::Now
                } else {
                    poll_backoff(self.settings(), op.polls, p.retry_after, Utc::now())
                };
                Outcome::saved(self.observed(), Vec::new(), next)
                    .recording(op, &p)
                    .cancel_consumed()
            }
            Err(e) => match on_error(Some(op.kind), Stage::Cancel, e.class) {
                Reaction::Lost => Outcome::recover(op, &e),
                // Already over: nothing to cancel; the next poll settles it.
                Reaction::Settled => {
                    tracing::info!(request_token, "nothing to cancel: {}", e.message);
                    Outcome::saved(self.observed(), Vec::new(), Requeue::Now).cancel_consumed()
                }
                _ => {
                    tracing::info!(
                        code = e.code,
                        request_token,
                        "cancel failed; trying again later: {}",
                        e.message
                    );
                    Outcome::kept(poll_backoff(self.settings(), op.polls, None, Utc::now()))
                }
            },
        }
    }

    /// Records what a finished request did.
    async fn settle(&mut self, op: &OperationRow, p: Progress) -> Outcome {
        match (p.status, op.kind) {
            (RequestStatus::Success, OperationKind::Delete) => self.deleted(op).recording(op, &p),
            (RequestStatus::Success, _) => self.succeeded(op, p).await,
            (_, OperationKind::Create) if p.identifier.is_some() => self.unfinished_create(op, p),
            (RequestStatus::CancelComplete, _) => self.cancelled(op, p),
            _ => self.failed(op, p),
        }
    }

    async fn succeeded(&mut self, op: &OperationRow, p: Progress) -> Outcome {
        let item = self.item;
        let Some(identifier) = p.identifier.clone().or_else(|| op.identifier.clone()) else {
            tracing::warn!(
                request_token = p.request_token,
                "success without an identifier; asking again later"
            );
            return Outcome::kept(poll_backoff(self.settings(), op.polls, None, Utc::now()));
        };
        // Read before settling: a failed read leaves the operation in flight with its success
        // stored, and the next step reads again without polling.
        let live = match self.read_after_success(&identifier).await {
            Ok(live) => live,
            Err(e) if e.class == ErrorClass::NotFound => {
                return self.missing_after_success(op, p, &identifier);
            }
            Err(e) => {
                tracing::info!(
                    code = e.code,
                    identifier,
                    "read after success failed; reading again later"
                );
                let next = match e.class {
                    ErrorClass::Throttled => throttle_backoff(self.settings(), 1),
                    _ => poll_backoff(self.settings(), op.polls, None, Utc::now()),
                };
                return Outcome::kept(next).recording(op, &p);
            }
        };
        let mut new = self.observed();
        new.identifier = Some(identifier.clone());
        new.current_operation_id = None;
        new.applied_properties = op.request.desired_state.clone().map(Json);
        self.synced(&mut new, &live, op.generation);
        let mut events = vec![succeeded(op, &p, &identifier)];
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
            let seen = super::normalized::seen(&item.properties.0, &live, op, item.generation);
            events.extend(super::normalized::remember(&mut new, seen, item.generation));
        }
        // The live client was just read and compared: that is this generation's drift check.
        Outcome::saved(new, events, Requeue::Now)
            .recording(op, &p)
            .drift_checked()
    }

    /// `GetResource` right after a request settled `SUCCESS`. A NotFound then is most likely a
    /// read that lags the write (pulumi/pulumi-aws-native #1714, PR #1809: "eventual consistency
    /// delays for those services are usually in the millis"), so it is read again after each of
    /// [`READ_LAG_RETRIES`]: at most five reads within 1.5 s, inside the step.
    async fn read_after_success(
        &mut self,
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
    fn missing_after_success(&self, op: &OperationRow, p: Progress, identifier: &str) -> Outcome {
        let mut new = self.observed();
        new.identifier = Some(identifier.to_owned());
        new.applied_properties = op.request.desired_state.clone().map(Json);
        // A fresh look once the doubt is settled: read, diff, and mark synced or update.
        new.observed_generation = None;
        let events = vec![succeeded(op, &p, identifier)];
        let doubt = (identifier, AbsenceReason::NotFound, 1);
        self.suspect_absence(new, events, doubt).recording(op, &p)
    }

    /// A create settled `FAILED` or `CANCEL_COMPLETE` naming an identifier: the client may exist.
    /// Read it before anything else, and adopt it if it does.
    fn unfinished_create(&self, op: &OperationRow, p: Progress) -> Outcome {
        let identifier = p.identifier.clone().unwrap_or_default();
        let reason = AbsenceReason::UnfinishedCreate {
            operation: op.id,
            request_token: p.request_token.clone(),
            error_code: p.error_code.clone(),
            message: p.message.clone(),
        };
        let doubt = (identifier.as_str(), reason, 0);
        self.suspect_absence(self.observed(), Vec::new(), doubt)
            .recording(op, &p)
    }

    fn cancelled(&self, op: &OperationRow, p: Progress) -> Outcome {
        let mut new = self.observed();
        new.current_operation_id = None;
        self.mark_cancelled(&mut new);
        let message = format!("{} cancelled", op.kind);
        let data = OperationData {
            operation: Some(op.id),
            request_token: Some(Some(p.request_token.clone())),
            ..OperationData::default()
        };
        let events = vec![note(EventData::OperationCancelled(data), message)];
        Outcome::saved(new, events, Requeue::Now).recording(op, &p)
    }

    fn failed(&self, op: &OperationRow, p: Progress) -> Outcome {
        let code = p.error_code.clone().unwrap_or_else(|| "Unknown".into());
        let message = p.message.clone().unwrap_or_default();
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
        let outcome = match on_error(Some(op.kind), Stage::Settle, e.class) {
            Reaction::Done => self.deleted(op),
            Reaction::ConfirmAbsence => {
                let identifier = op.identifier.clone().unwrap_or_default();
                let doubt = (identifier.as_str(), AbsenceReason::NotFound, 1);
                self.suspect_absence(self.observed(), Vec::new(), doubt)
            }
            // The request is over and made nothing (a create naming no client): a new request,
            // with a new ClientToken, after a backoff.
            Reaction::RetryLater => self.retry_later(new, failure, e.class),
            _ => {
                let message = format!("{} failed: {e}", op.kind);
                let events = vec![note(EventData::OperationFailed(data), message)];
                self.fail(new, failure, events)
            }
        };
        outcome.recording(op, &p)
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
