//! Submitting a mutation whose operation row is committed (`Outcome::prepare`): send it, and
//! re-send the same request (same ClientToken) until Cloud Control acknowledges it or refuses it
//! for good.

use super::CrashPoint;
use super::context::{Step, StepError};
use super::outcome::{Failure, OperationChange, Outcome, note};
use super::reaction::{Reaction, Stage, on_error};
use super::requeue::{Requeue, backoff_for, poll_backoff};
use crate::cloud::{CloudError, ErrorClass, Progress};
use crate::model::event::{EventData, OperationData};
use crate::model::operation::OperationKind;
use crate::model::work::AbsenceReason;
use crate::store::operations::OperationRow;
use sqlx::types::Json;

impl Step<'_> {
    /// Sends (or re-sends, with the same ClientToken) the request of a prepared operation.
    pub(super) async fn send(&mut self, op: &OperationRow) -> Result<Outcome, StepError> {
        let at = &self.place_of(op);
        let cloud = &self.worker.cloud;
        let token = &op.client_token;
        let role_arn = op.role_arn.as_deref();
        let identifier = op.identifier.as_deref().unwrap_or_default();
        let result = match op.kind {
            OperationKind::Create => {
                let desired = op.request.desired_state.clone().unwrap_or_default();
                cloud.create(at, role_arn, token, &desired).await
            }
            OperationKind::Update => {
                let patch = serde_json::to_value(&op.request.patch_document).unwrap_or_default();
                cloud.update(at, role_arn, token, identifier, &patch).await
            }
            OperationKind::Delete => cloud.delete(at, role_arn, token, identifier).await,
        };
        self.crash(CrashPoint::AfterSend)?;
        let outcome = if result.is_ok() {
            "accepted"
        } else {
            "refused"
        };
        metrics::counter!("ccplane_operations_submitted_total", "kind" => op.kind.as_str(), "outcome" => outcome)
            .increment(1);
        Ok(match result {
            Ok(progress) => self.accepted(op, progress),
            Err(e) => self.refused(op, e),
        })
    }

    fn accepted(&self, op: &OperationRow, p: Progress) -> Outcome {
        let message = format!("{} submitted (request {})", op.kind, p.request_token);
        let data = OperationData {
            request_token: Some(Some(p.request_token.clone())),
            client_token: Some(op.client_token.clone()),
            identifier: Some(op.identifier.clone()),
            ..OperationData::of(op.id, op.kind)
        };
        let mut new = self.observed();
        // A re-send that was refused before leaves its error behind; the request is accepted now.
        new.last_error = None;
        let events = vec![note(EventData::OperationSubmitted(data), message)];
        let requeue = if p.status.is_terminal() {
            Requeue::Now
        } else {
            poll_backoff(self.settings(), 0, p.retry_after, chrono::Utc::now())
        };
        Outcome::saved(new, events, requeue).recording(op, &p)
    }

    /// Cloud Control refused the request synchronously, or its answer never arrived.
    fn refused(&self, op: &OperationRow, e: CloudError) -> Outcome {
        let failure = Failure::of(&e, Some(op.kind), None);
        // Unless it is re-sent or followed, the request is over: it never started, or there is
        // nothing left for it to do.
        let over = match on_error(Some(op.kind), Stage::Submit, e.class) {
            // Keep the operation prepared: the re-send carries the same ClientToken, so Cloud Control
            // answers with the first request if it did arrive.
            Reaction::Resend => return self.resend_later(op, failure, e.class),
            Reaction::Resume => return self.resume(op, &e),
            Reaction::Done => self.deleted(op),
            Reaction::ConfirmAbsence => {
                let identifier = op.identifier.clone().unwrap_or_default();
                let doubt = (identifier.as_str(), AbsenceReason::NotFound, 1);
                self.suspect_absence(self.observed(), Vec::new(), doubt)
            }
            _ => {
                let mut new = self.observed();
                new.current_operation_id = None;
                let data = OperationData {
                    operation: Some(op.id),
                    error_code: Some(e.code.clone()),
                    ..OperationData::default()
                };
                let message = format!("{} refused: {e}", op.kind);
                let events = vec![note(EventData::OperationFailed(data), message)];
                self.fail(new, failure, events)
            }
        };
        over.abandoning(op, &e)
    }

    /// Waits before re-sending: no attempt of a new request, only the same one again.
    fn resend_later(&self, op: &OperationRow, failure: Failure<'_>, class: ErrorClass) -> Outcome {
        let mut new = self.observed();
        new.attempt += 1;
        let backoff = backoff_for(self.settings(), class, new.attempt);
        let (code, secs) = (failure.code, backoff.due_in_secs().unwrap_or_default());
        tracing::info!(
            kind = op.kind.as_str(),
            code,
            client_token = op.client_token,
            secs,
            "{} not acknowledged ({}); sending it again with the same ClientToken later",
            op.kind,
            failure.message
        );
        metrics::counter!("ccplane_retries_total", "code" => code.to_owned()).increment(1);
        new.last_error = Some(Json(failure.last_error(self.item.generation, true)));
        Outcome::saved(new, Vec::new(), backoff)
    }

    /// A re-send of our ClientToken met `ClientTokenConflictException`: the token is Cloud Control's
    /// already, for the request the message names. Follow that request instead of making another.
    fn resume(&self, op: &OperationRow, e: &CloudError) -> Outcome {
        let Some(request_token) = e.conflicting_request_token() else {
            return Outcome::recover(op, e);
        };
        let message = format!(
            "{} was already accepted as request {request_token} (ClientToken {}); following it",
            op.kind, op.client_token
        );
        let data = OperationData {
            operation: Some(op.id),
            request_token: Some(Some(request_token.to_owned())),
            client_token: Some(op.client_token.clone()),
            ..OperationData::default()
        };
        let events = vec![note(EventData::OperationResumed(data), message)];
        let change = OperationChange::Resume {
            id: op.id,
            request_token: request_token.to_owned(),
        };
        Outcome::saved(self.observed(), events, Requeue::Now).with(change)
    }
}
