//! Submitting a mutation: commit the operation row with its ClientToken, then send; re-send the
//! same request (same token) until Cloud Control acknowledges it or refuses it for good.

use super::CrashPoint;
use super::reaction::{Reaction, Stage, on_error};
use super::requeue::{Requeue, backoff_for, poll_backoff};
use super::step::{Failure, Step, StepError, note, set_condition};
use crate::cloud::{CloudError, ErrorClass, Progress};
use crate::model::event::{EventData, OperationData};
use crate::model::operation::{OperationKind, OperationRequest};
use crate::model::status::{ConditionStatus, ConditionType, Phase};
use crate::model::work::AbsenceReason;
use crate::store::operations::{self, NewOperation, OperationRow};
use sqlx::types::Json;

impl Step<'_> {
    /// Commits the operation row (with a fresh ClientToken) and the resource's move to it, then
    /// sends the request.
    pub(super) async fn start(
        &self,
        kind: OperationKind,
        identifier: Option<&str>,
        request: OperationRequest,
    ) -> Result<Requeue, StepError> {
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
        let mut tx = self.worker.pool.begin().await?;
        let new_op = NewOperation {
            resource_id: item.id,
            kind,
            generation: item.generation,
            identifier,
            request: &request,
            role_arn: item.role_arn.as_deref(),
        };
        let op = operations::insert(&mut *tx, &new_op).await?;
        let mut new = self.observed();
        new.current_operation_id = Some(op.id);
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
        self.save_in(&mut tx, &new, &[]).await?;
        self.commit(tx).await?;
        self.crash(CrashPoint::AfterPrepare)?;
        self.send(&op).await
    }

    /// Sends (or re-sends, with the same ClientToken) the request of a prepared operation.
    pub(super) async fn send(&self, op: &OperationRow) -> Result<Requeue, StepError> {
        let cloud = &self.worker.cloud;
        let at = &self.place_of(op);
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
        match result {
            Ok(progress) => self.accepted(op, progress).await,
            Err(e) => self.refused(op, e).await,
        }
    }

    async fn accepted(&self, op: &OperationRow, p: Progress) -> Result<Requeue, StepError> {
        let mut tx = self.worker.pool.begin().await?;
        super::settle::record(&mut *tx, op, &p).await?;
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
        let events = [note(EventData::OperationSubmitted(data), message)];
        self.save_in(&mut tx, &new, &events).await?;
        self.commit(tx).await?;
        if p.status.is_terminal() {
            return Ok(Requeue::Now);
        }
        Ok(poll_backoff(
            self.settings(),
            0,
            p.retry_after,
            chrono::Utc::now(),
        ))
    }

    /// Cloud Control refused the request synchronously, or its answer never arrived.
    async fn refused(&self, op: &OperationRow, e: CloudError) -> Result<Requeue, StepError> {
        let failure = Failure::of(&e, Some(op.kind), None);
        let reaction = on_error(Some(op.kind), Stage::Submit, e.class);
        if !matches!(reaction, Reaction::Resend | Reaction::Resume) {
            // The request is over: it never started, or there is nothing left for it to do.
            operations::abandon(&self.worker.pool, op.id, &e.code, &e.message).await?;
        }
        match reaction {
            // Keep the operation prepared: the re-send carries the same ClientToken, so Cloud Control
            // answers with the first request if it did arrive.
            Reaction::Resend => self.resend_later(op, failure, e.class).await,
            Reaction::Resume => self.resume(op, &e).await,
            Reaction::Done => self.deleted(op).await,
            Reaction::ConfirmAbsence => {
                let identifier = op.identifier.clone().unwrap_or_default();
                self.suspect_absence(&identifier, AbsenceReason::NotFound, 1)
                    .await
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
                self.fail(new, failure, events).await
            }
        }
    }

    /// Waits before re-sending: no attempt of a new request, only the same one again.
    async fn resend_later(
        &self,
        op: &OperationRow,
        failure: Failure<'_>,
        class: ErrorClass,
    ) -> Result<Requeue, StepError> {
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
        self.save(&new, Vec::new()).await?;
        Ok(backoff)
    }

    /// A re-send of our ClientToken met `ClientTokenConflictException`: the token is Cloud Control's
    /// already, for the request the message names. Follow that request instead of making another.
    async fn resume(&self, op: &OperationRow, e: &CloudError) -> Result<Requeue, StepError> {
        if let Some(request_token) = e.conflicting_request_token() {
            let mut tx = self.worker.pool.begin().await?;
            operations::resume(&mut *tx, op.id, request_token).await?;
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
            let events = [note(EventData::OperationResumed(data), message)];
            self.save_in(&mut tx, &self.observed(), &events).await?;
            self.commit(tx).await?;
            return Ok(Requeue::Now);
        }
        self.unknown_request(op, e).await
    }

    /// Cloud Control holds a request of ours that cannot be followed (it did not name it, or no
    /// longer knows it). An update or delete is resolved by reading the client again; a create may
    /// have made a client nobody knows the id of, which is looked for by name (`recover.rs`).
    pub(super) async fn unknown_request(
        &self,
        op: &OperationRow,
        e: &CloudError,
    ) -> Result<Requeue, StepError> {
        if op.kind == OperationKind::Create {
            return self.lost_create(op, e).await;
        }
        let mut new = self.observed();
        new.current_operation_id = None;
        let data = lost(op, e);
        // Forcing a fresh look: the next step reads the live client and diffs it. Abandoned in the
        // same transaction: a stored FAILED left alone would be replayed as the request's own
        // failure.
        new.observed_generation = None;
        let message = format!(
            "{} request cannot be followed ({e}); reading the client instead",
            op.kind
        );
        let mut tx = self.worker.pool.begin().await?;
        operations::abandon(&mut *tx, op.id, &e.code, &e.message).await?;
        let events = [note(EventData::OperationLost(data), message)];
        self.save_in(&mut tx, &new, &events).await?;
        self.commit(tx).await?;
        Ok(Requeue::Now)
    }
}

/// What an `OperationLost` event says about `op`, which Cloud Control answered `e` about.
pub(super) fn lost(op: &OperationRow, e: &CloudError) -> OperationData {
    OperationData {
        client_token: Some(op.client_token.clone()),
        request_token: Some(op.request_token.clone()),
        error_code: Some(e.code.clone()),
        ..OperationData::of(op.id, op.kind)
    }
}
