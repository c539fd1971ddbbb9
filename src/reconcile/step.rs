//! One reconcile step for one claimed resource: at most one mutating Cloud Control call, announced
//! by a committed operation row before it is made.

use chrono::Utc;
use serde_json::{Map, Value, json};
use sqlx::types::Json;

use super::backoff::{poll_after_secs, retry_after_secs};
use super::{CrashPoint, Worker};
use crate::cloud::{CloudError, ErrorClass, Progress, RequestStatus};
use crate::model::diff::{self, Diff};
use crate::model::status::{Condition, ConditionStatus, ConditionType, LastError, Phase};
use crate::store::operations::{self, NewOperation, OperationRow};
use crate::store::work::{self, Observed, WorkItem, WriteError};

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

/// Seconds until the resource should be looked at again.
pub type Next = f64;

/// Far enough to mean "not until something changes": a user write or refresh wakes it sooner.
const UNTIL_CHANGED: Next = 10.0 * 365.0 * 24.0 * 3600.0;

type Events = Vec<(&'static str, String, Value)>;

/// What to do when Cloud Control's operation status or a synchronous error says `kind`.
enum Kind {
    Create,
    Update,
    Delete,
}

impl Kind {
    fn parse(s: &str) -> Kind {
        match s {
            "Create" => Kind::Create,
            "Update" => Kind::Update,
            _ => Kind::Delete,
        }
    }
}

impl Worker {
    /// Runs one step for `item`.
    pub(crate) async fn step(&self, item: &WorkItem) -> Result<Next, StepError> {
        if let Some(op_id) = item.observed.current_operation_id
            && let Some(op) = operations::get(&self.pool, op_id).await?
        {
            return self.in_flight(item, op).await;
        }
        if item.deletion_requested {
            return self.delete(item).await;
        }
        if let Some(previous) = &item.observed.previous_identifier
            && item.observed.identifier.is_some()
        {
            return self.start(item, "Delete", Some(previous), json!({})).await;
        }
        match item.observed.identifier.clone() {
            None => self.create_or_adopt(item).await,
            Some(identifier) => self.converge(item, &identifier).await,
        }
    }

    /// When the next drift check of `item` is due, spread by jitter so checks do not bunch up.
    fn next_drift_check(&self, item: &WorkItem) -> Next {
        super::backoff::jitter(&self.settings, item.drift_interval_secs)
    }

    /// Commits a step's writes about `item` and wakes live streams watching its namespace.
    async fn commit(
        &self,
        tx: sqlx::Transaction<'_, sqlx::Postgres>,
        item: &WorkItem,
    ) -> Result<(), sqlx::Error> {
        tx.commit().await?;
        self.notifier.changed(&item.namespace);
        Ok(())
    }

    fn crash(&self, at: CrashPoint) -> Result<(), StepError> {
        if self.crash_at == Some(at) {
            return Err(StepError::Crashed(at));
        }
        Ok(())
    }

    async fn save(&self, item: &WorkItem, new: &Observed, events: Events) -> Result<(), StepError> {
        let mut tx = self.pool.begin().await?;
        work::save(&mut tx, item, &self.id, new, &events).await?;
        self.commit(tx, item).await?;
        Ok(())
    }

    async fn delete(&self, item: &WorkItem) -> Result<Next, StepError> {
        let retain = item.deletion_policy == "Retain";
        match (&item.observed.identifier, retain) {
            (Some(identifier), false) => {
                self.start(item, "Delete", Some(identifier), json!({}))
                    .await
            }
            _ => {
                let how = if retain {
                    "forgotten; the client stays in AWS (deletionPolicy Retain)"
                } else {
                    "forgotten; no client existed in AWS"
                };
                let mut tx = self.pool.begin().await?;
                work::forget(&mut tx, item, &self.id, how.to_owned()).await?;
                self.commit(tx, item).await?;
                Ok(UNTIL_CHANGED)
            }
        }
    }

    async fn create_or_adopt(&self, item: &WorkItem) -> Result<Next, StepError> {
        let Some(target) = &item.adopt_identifier else {
            let desired = json!({"desiredState": item.properties.0});
            return self.start(item, "Create", None, desired).await;
        };
        match self
            .cloud
            .get(&item.region, item.role_arn.as_deref(), target)
            .await
        {
            Ok(live) => {
                let mut new = item.observed.clone();
                new.identifier = Some(target.clone());
                new.observed_properties = Some(Json(diff::observed(&live)));
                new.applied_properties = None;
                let event = (
                    "Adopted",
                    format!("took over the existing client {target}"),
                    json!({"identifier": target}),
                );
                self.save(item, &new, vec![event]).await?;
                Ok(0.0)
            }
            Err(e) if e.class == ErrorClass::NotFound => {
                let message = format!(
                    "adopt.identifier {target} does not exist in {}",
                    item.region
                );
                self.fail(
                    item,
                    item.observed.clone(),
                    "NotFound",
                    &message,
                    Vec::new(),
                )
                .await
            }
            Err(e) => self.retry_later(item, item.observed.clone(), &e).await,
        }
    }

    /// Brings an existing client to the desired generation, or checks it for drift when due.
    async fn converge(&self, item: &WorkItem, identifier: &str) -> Result<Next, StepError> {
        let obs = &item.observed;
        let spec_ahead = obs.observed_generation.is_none_or(|g| g < item.generation);
        let failed_before = obs.phase == Phase::Failed && obs.attempt > 0;
        if !spec_ahead && !item.drift_due && !failed_before {
            return Ok(self.next_drift_check(item));
        }
        let live = match self
            .cloud
            .get(&item.region, item.role_arn.as_deref(), identifier)
            .await
        {
            Ok(live) => live,
            Err(e) if e.class == ErrorClass::NotFound => return self.vanished(item).await,
            Err(e) => return self.retry_later(item, obs.clone(), &e).await,
        };
        let applied = obs.applied_properties.as_ref().map(|a| &a.0);
        let diff = diff::diff(&item.properties.0, &live, applied);
        if spec_ahead || failed_before {
            return self.apply(item, identifier, &live, diff).await;
        }
        work::drift_checked(&self.pool, item.id).await?;
        self.drift(item, identifier, &live, diff).await
    }

    async fn apply(
        &self,
        item: &WorkItem,
        identifier: &str,
        live: &Map<String, Value>,
        diff: Diff,
    ) -> Result<Next, StepError> {
        if !diff.replacement.is_empty() {
            return self.replace(item, identifier, &diff).await;
        }
        if diff.in_sync() {
            let mut new = item.observed.clone();
            self.synced(item, &mut new, live, item.generation);
            let message = "the live client already matches; nothing to send".to_owned();
            self.save(item, &new, vec![("InSync", message, json!({}))])
                .await?;
            return Ok(self.next_drift_check(item));
        }
        let request = json!({"patchDocument": diff.patch, "desiredState": item.properties.0});
        self.start(item, "Update", Some(identifier), request).await
    }

    async fn replace(
        &self,
        item: &WorkItem,
        identifier: &str,
        diff: &Diff,
    ) -> Result<Next, StepError> {
        let fields = diff.replacement.join(", ");
        let data = json!({"fields": diff.replacement, "policy": item.replacement_policy, "identifier": identifier});
        match item.replacement_policy.as_str() {
            "CreateBeforeDelete" => {
                let mut new = item.observed.clone();
                new.previous_identifier = Some(identifier.to_owned());
                new.identifier = None;
                new.applied_properties = None;
                let message =
                    format!("{fields} changed: creating a new client before deleting {identifier}");
                self.save(item, &new, vec![("ReplacementStarted", message, data)])
                    .await?;
                Ok(0.0)
            }
            "DeleteBeforeCreate" => self.start(item, "Delete", Some(identifier), data).await,
            _ => {
                let message = format!(
                    "{fields} can only change by replacing the client; replacementPolicy is Reject"
                );
                self.fail(
                    item,
                    item.observed.clone(),
                    "ReplacementRejected",
                    &message,
                    Vec::new(),
                )
                .await
            }
        }
    }

    async fn drift(
        &self,
        item: &WorkItem,
        identifier: &str,
        live: &Map<String, Value>,
        diff: Diff,
    ) -> Result<Next, StepError> {
        let mut new = item.observed.clone();
        new.observed_properties = Some(Json(diff::observed(live)));
        let generation = item.generation;
        if diff.is_empty() {
            new.drift = None;
            set_condition(
                &mut new,
                ConditionType::Drifted,
                ConditionStatus::False,
                "NoDrift",
                "the live client matches",
                generation,
            );
            self.save(item, &new, Vec::new()).await?;
            return Ok(self.next_drift_check(item));
        }
        let changes = json!(diff.changes);
        new.drift = Some(changes.clone());
        let fields: Vec<&str> = diff.changes.iter().map(|c| c.pointer.as_str()).collect();
        let message = format!("the live client differs in {}", fields.join(", "));
        set_condition(
            &mut new,
            ConditionType::Drifted,
            ConditionStatus::True,
            "DriftDetected",
            &message,
            generation,
        );
        let remediate = item.drift_policy == "Remediate" && diff.replacement.is_empty();
        self.save(
            item,
            &new,
            vec![("DriftDetected", message, json!({"changes": changes}))],
        )
        .await?;
        if !remediate {
            return Ok(self.next_drift_check(item));
        }
        let item = WorkItem {
            observed: new,
            ..item.clone()
        };
        let request = json!({"patchDocument": diff.patch, "desiredState": item.properties.0, "remediation": true});
        self.start(&item, "Update", Some(identifier), request).await
    }

    /// The client is gone from AWS although ccplane did not delete it: forget the identifier so the
    /// next step creates it again, as the desired state says.
    async fn vanished(&self, item: &WorkItem) -> Result<Next, StepError> {
        let mut new = item.observed.clone();
        let gone = new.identifier.take();
        new.observed_properties = None;
        new.applied_properties = None;
        new.observed_generation = None;
        new.phase = Phase::Pending;
        set_condition(
            &mut new,
            ConditionType::Ready,
            ConditionStatus::False,
            "Vanished",
            "the client was deleted outside ccplane",
            item.generation,
        );
        let message = format!(
            "client {} was deleted outside ccplane; creating it again",
            gone.unwrap_or_default()
        );
        self.save(item, &new, vec![("Vanished", message, json!({}))])
            .await?;
        Ok(0.0)
    }

    /// Commits the operation row (with its ClientToken), then sends the request.
    async fn start(
        &self,
        item: &WorkItem,
        kind: &str,
        identifier: Option<&str>,
        request: Value,
    ) -> Result<Next, StepError> {
        // The role is pinned in the operation, so a re-send with its ClientToken is the same request
        // even if the namespace's role changed meanwhile.
        let mut request = request;
        if let (Some(arn), Some(fields)) = (&item.role_arn, request.as_object_mut()) {
            fields.insert("roleArn".into(), json!(arn));
        }
        let mut tx = self.pool.begin().await?;
        let new_op = NewOperation {
            resource_id: item.id,
            kind,
            generation: item.generation,
            identifier,
            request: &request,
        };
        let op = operations::insert(&mut *tx, &new_op).await?;
        let mut new = item.observed.clone();
        new.current_operation_id = Some(op.id);
        new.phase = if item.deletion_requested {
            Phase::Deleting
        } else {
            Phase::Provisioning
        };
        if kind != "Delete" {
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
        work::save(&mut tx, item, &self.id, &new, &[]).await?;
        self.commit(tx, item).await?;
        self.crash(CrashPoint::AfterPrepare)?;
        let item = WorkItem {
            observed: new,
            ..item.clone()
        };
        self.send(&item, &op).await
    }

    /// Sends (or re-sends, with the same ClientToken) the request of a prepared operation.
    async fn send(&self, item: &WorkItem, op: &OperationRow) -> Result<Next, StepError> {
        let region = &item.region;
        let token = &op.client_token;
        let role_arn = op.request["roleArn"].as_str();
        let identifier = op.identifier.as_deref().unwrap_or_default();
        let result = match Kind::parse(&op.kind) {
            Kind::Create => {
                let desired = op.request["desiredState"]
                    .as_object()
                    .cloned()
                    .unwrap_or_default();
                self.cloud.create(region, role_arn, token, &desired).await
            }
            Kind::Update => {
                self.cloud
                    .update(
                        region,
                        role_arn,
                        token,
                        identifier,
                        &op.request["patchDocument"],
                    )
                    .await
            }
            Kind::Delete => self.cloud.delete(region, role_arn, token, identifier).await,
        };
        self.crash(CrashPoint::AfterSend)?;
        metrics::counter!("ccplane_operations_submitted_total", "kind" => op.kind.clone(),
            "outcome" => if result.is_ok() { "accepted" } else { "refused" })
        .increment(1);
        match result {
            Ok(progress) => self.submitted(item, op, progress).await,
            Err(e) => self.refused(item, op, &e).await,
        }
    }

    async fn submitted(
        &self,
        item: &WorkItem,
        op: &OperationRow,
        p: Progress,
    ) -> Result<Next, StepError> {
        let mut tx = self.pool.begin().await?;
        record(&mut *tx, op, &p).await?;
        if op.request_token.is_none() {
            let message = format!("{} submitted (request {})", op.kind, p.request_token);
            let data = json!({"operation": op.id, "kind": op.kind, "requestToken": p.request_token, "clientToken": op.client_token});
            work::save(
                &mut tx,
                item,
                &self.id,
                &item.observed,
                &[("OperationSubmitted", message, data)],
            )
            .await?;
        }
        self.commit(tx, item).await?;
        if p.status.is_terminal() {
            return Ok(0.0);
        }
        Ok(poll_after_secs(&self.settings, 0, p.retry_after))
    }

    /// Cloud Control refused the request synchronously.
    async fn refused(
        &self,
        item: &WorkItem,
        op: &OperationRow,
        e: &CloudError,
    ) -> Result<Next, StepError> {
        match (Kind::parse(&op.kind), &e.class) {
            (Kind::Delete, ErrorClass::NotFound) => {
                operations::abandon(&self.pool, op.id, &e.code, &e.message).await?;
                self.deleted(item, op).await
            }
            (Kind::Update, ErrorClass::NotFound) => {
                operations::abandon(&self.pool, op.id, &e.code, &e.message).await?;
                let item = without_operation(item);
                self.vanished(&item).await
            }
            (_, ErrorClass::Terminal) => {
                operations::abandon(&self.pool, op.id, &e.code, &e.message).await?;
                let mut new = item.observed.clone();
                new.current_operation_id = None;
                self.fail(item, new, &e.code, &e.message, Vec::new()).await
            }
            // Keep the operation prepared: the retry re-sends it with the same ClientToken.
            _ => self.retry_later(item, item.observed.clone(), e).await,
        }
    }

    async fn in_flight(&self, item: &WorkItem, op: OperationRow) -> Result<Next, StepError> {
        let Some(request_token) = op.request_token.clone() else {
            return self.send(item, &op).await;
        };
        if item.cancel_requested {
            return self.cancel(item, &op, &request_token).await;
        }
        metrics::counter!("ccplane_polls_total").increment(1);
        let progress = match self.cloud.status(&item.region, &request_token).await {
            Ok(p) => p,
            Err(e) if e.class == ErrorClass::RequestTokenNotFound => {
                return self.lost(item, &op, &e).await;
            }
            // Polling spends no attempt: wait and ask again.
            Err(e) => {
                tracing::debug!(error = %e, "status poll failed; polling again later");
                return Ok(poll_after_secs(&self.settings, op.polls, None));
            }
        };
        if !progress.status.is_terminal() {
            record(&self.pool, &op, &progress).await?;
            self.crash(CrashPoint::AfterPoll)?;
            return Ok(poll_after_secs(
                &self.settings,
                op.polls,
                progress.retry_after,
            ));
        }
        self.settle(item, &op, progress).await
    }

    async fn cancel(
        &self,
        item: &WorkItem,
        op: &OperationRow,
        request_token: &str,
    ) -> Result<Next, StepError> {
        match self.cloud.cancel(&item.region, request_token).await {
            Ok(p) => {
                record(&self.pool, op, &p).await?;
                work::cancel_handled(&self.pool, item.id).await?;
                Ok(if p.status.is_terminal() {
                    0.0
                } else {
                    poll_after_secs(&self.settings, 0, p.retry_after)
                })
            }
            // Already finished: there is nothing to cancel; settle it normally.
            Err(e) if e.class == ErrorClass::Terminal => {
                work::cancel_handled(&self.pool, item.id).await?;
                Ok(0.0)
            }
            Err(e) => self.retry_later(item, item.observed.clone(), &e).await,
        }
    }

    /// The request token expired (Cloud Control keeps them 7 days): resolve by reading the resource.
    async fn lost(
        &self,
        item: &WorkItem,
        op: &OperationRow,
        e: &CloudError,
    ) -> Result<Next, StepError> {
        operations::abandon(&self.pool, op.id, &e.code, &e.message).await?;
        let mut new = item.observed.clone();
        new.current_operation_id = None;
        let message = format!(
            "request {} expired before it was seen to finish; reading the client instead",
            op.request_token.clone().unwrap_or_default()
        );
        // Forcing a fresh look: the next step reads the live client and diffs it.
        new.observed_generation = None;
        self.save(
            item,
            &new,
            vec![("OperationLost", message, json!({"operation": op.id}))],
        )
        .await?;
        Ok(0.0)
    }

    async fn settle(
        &self,
        item: &WorkItem,
        op: &OperationRow,
        p: Progress,
    ) -> Result<Next, StepError> {
        let seconds = op
            .submitted_at
            .map(|t| (Utc::now() - t).num_milliseconds() as f64 / 1000.0);
        metrics::counter!("ccplane_operations_settled_total", "kind" => op.kind.clone(), "status" => p.status.as_str()).increment(1);
        if let Some(seconds) = seconds {
            metrics::histogram!("ccplane_operation_seconds", "kind" => op.kind.clone())
                .record(seconds);
        }
        match (p.status, Kind::parse(&op.kind)) {
            (RequestStatus::Success, Kind::Delete) => {
                record(&self.pool, op, &p).await?;
                self.deleted(item, op).await
            }
            (RequestStatus::Success, _) => self.succeeded(item, op, p).await,
            (RequestStatus::CancelComplete, _) => self.cancelled(item, op, p).await,
            (_, kind) => self.failed(item, op, p, kind).await,
        }
    }

    async fn succeeded(
        &self,
        item: &WorkItem,
        op: &OperationRow,
        p: Progress,
    ) -> Result<Next, StepError> {
        let Some(identifier) = p.identifier.clone().or_else(|| op.identifier.clone()) else {
            let e = CloudError {
                class: ErrorClass::Retryable,
                code: "NoIdentifier".into(),
                message: "the operation succeeded without an identifier".into(),
            };
            return self.retry_later(item, item.observed.clone(), &e).await;
        };
        // Read before settling: a failed read leaves the operation in flight and the poll repeats.
        let live = match self
            .cloud
            .get(&item.region, item.role_arn.as_deref(), &identifier)
            .await
        {
            Ok(live) => live,
            Err(e) => {
                tracing::debug!(error = %e, "read after success failed; polling again later");
                return Ok(poll_after_secs(&self.settings, op.polls, None));
            }
        };
        let mut new = item.observed.clone();
        new.identifier = Some(identifier.clone());
        new.current_operation_id = None;
        new.last_error = None;
        new.attempt = 0;
        new.applied_properties = op.request["desiredState"].as_object().cloned().map(Json);
        self.synced(item, &mut new, &live, op.generation);
        if op.request.get("remediation").is_some() {
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
        let message = format!("{} succeeded ({identifier})", op.kind);
        let data = json!({"operation": op.id, "kind": op.kind, "requestToken": p.request_token, "identifier": identifier});
        let mut tx = self.pool.begin().await?;
        record(&mut *tx, op, &p).await?;
        work::save(
            &mut tx,
            item,
            &self.id,
            &new,
            &[("OperationSucceeded", message, data)],
        )
        .await?;
        self.commit(tx, item).await?;
        Ok(
            if new.previous_identifier.is_some() || op.generation < item.generation {
                0.0
            } else {
                self.next_drift_check(item)
            },
        )
    }

    /// Marks `new` as matching generation `generation`, with `live` as its observed properties.
    fn synced(
        &self,
        item: &WorkItem,
        new: &mut Observed,
        live: &Map<String, Value>,
        generation: i64,
    ) {
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

    async fn deleted(&self, item: &WorkItem, op: &OperationRow) -> Result<Next, StepError> {
        let target = op.identifier.clone().unwrap_or_default();
        let obs = &item.observed;
        if item.deletion_requested && obs.identifier.as_deref() == Some(target.as_str()) {
            let mut tx = self.pool.begin().await?;
            work::forget(&mut tx, item, &self.id, format!("client {target} deleted")).await?;
            self.commit(tx, item).await?;
            return Ok(UNTIL_CHANGED);
        }
        let mut new = obs.clone();
        new.current_operation_id = None;
        if obs.previous_identifier.as_deref() == Some(target.as_str()) {
            new.previous_identifier = None;
            if new.observed_generation == Some(item.generation) {
                new.phase = Phase::Ready;
            }
            let message = format!("replacement done: old client {target} deleted");
            self.save(
                item,
                &new,
                vec![("ReplacementFinished", message, json!({"deleted": target}))],
            )
            .await?;
        } else {
            new.identifier = None;
            new.applied_properties = None;
            new.observed_properties = None;
            new.observed_generation = None;
            let message = format!("old client {target} deleted; creating its replacement");
            self.save(
                item,
                &new,
                vec![("ReplacementStarted", message, json!({"deleted": target}))],
            )
            .await?;
        }
        Ok(0.0)
    }

    async fn cancelled(
        &self,
        item: &WorkItem,
        op: &OperationRow,
        p: Progress,
    ) -> Result<Next, StepError> {
        let mut new = item.observed.clone();
        new.current_operation_id = None;
        new.phase = if new.identifier.is_some() {
            Phase::Ready
        } else {
            Phase::Pending
        };
        set_condition(
            &mut new,
            ConditionType::Synced,
            ConditionStatus::False,
            "Cancelled",
            "the operation was cancelled by a user",
            item.generation,
        );
        let mut tx = self.pool.begin().await?;
        record(&mut *tx, op, &p).await?;
        let message = format!("{} cancelled", op.kind);
        work::save(
            &mut tx,
            item,
            &self.id,
            &new,
            &[("OperationCancelled", message, json!({"operation": op.id}))],
        )
        .await?;
        self.commit(tx, item).await?;
        Ok(UNTIL_CHANGED)
    }

    async fn failed(
        &self,
        item: &WorkItem,
        op: &OperationRow,
        p: Progress,
        kind: Kind,
    ) -> Result<Next, StepError> {
        let code = p.error_code.clone().unwrap_or_else(|| "Unknown".into());
        let message = p.message.clone().unwrap_or_default();
        record(&self.pool, op, &p).await?;
        let e = CloudError {
            class: crate::cloud::classify(&code),
            code,
            message,
        };
        match (kind, &e.class) {
            (Kind::Delete, ErrorClass::NotFound) => self.deleted(item, op).await,
            (Kind::Update, ErrorClass::NotFound) => self.vanished(&without_operation(item)).await,
            (_, ErrorClass::Terminal) | (Kind::Create, ErrorClass::NotFound) => {
                let new = without_operation(item).observed;
                let events = vec![(
                    "OperationFailed",
                    format!("{} failed: {e}", op.kind),
                    json!({"operation": op.id, "errorCode": e.code}),
                )];
                self.fail(item, new, &e.code, &e.message, events).await
            }
            // The request is over; a fresh one (with a new ClientToken) follows after a backoff.
            _ => {
                self.retry_later(item, without_operation(item).observed, &e)
                    .await
            }
        }
    }

    /// Records a terminal error: phase Failed, no retry until the desired state changes.
    async fn fail(
        &self,
        item: &WorkItem,
        mut new: Observed,
        code: &str,
        message: &str,
        mut events: Events,
    ) -> Result<Next, StepError> {
        new.phase = Phase::Failed;
        new.last_error = Some(Json(LastError {
            code: code.to_owned(),
            message: message.to_owned(),
            retryable: false,
            at: Utc::now(),
        }));
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
        if events.is_empty() {
            events.push((
                "Failed",
                format!("{code}: {message}"),
                json!({"errorCode": code}),
            ));
        }
        self.save(item, &new, events).await?;
        Ok(UNTIL_CHANGED)
    }

    /// Records a retryable error and schedules the retry after a backoff (a long one for access errors).
    async fn retry_later(
        &self,
        item: &WorkItem,
        mut new: Observed,
        e: &CloudError,
    ) -> Result<Next, StepError> {
        new.attempt = item.observed.attempt + 1;
        new.last_error = Some(Json(LastError {
            code: e.code.clone(),
            message: e.message.clone(),
            retryable: true,
            at: Utc::now(),
        }));
        let after = match e.class {
            ErrorClass::Access => self
                .settings
                .access_backoff_secs
                .max(retry_after_secs(&self.settings, new.attempt)),
            // The rate limiter already slows down on throttling; the step itself need not wait long.
            ErrorClass::Throttled => retry_after_secs(&self.settings, new.attempt.min(2)),
            _ => retry_after_secs(&self.settings, new.attempt),
        };
        let changed_error = item
            .observed
            .last_error
            .as_ref()
            .is_none_or(|old| old.code != e.code);
        let events = if changed_error {
            vec![(
                "RetryScheduled",
                format!("{e}; retrying in {after:.0} s"),
                json!({"errorCode": e.code, "attempt": new.attempt}),
            )]
        } else {
            Vec::new()
        };
        self.save(item, &new, events).await?;
        Ok(after)
    }
}

fn without_operation(item: &WorkItem) -> WorkItem {
    let mut item = item.clone();
    item.observed.current_operation_id = None;
    item
}

async fn record(
    exec: impl sqlx::PgExecutor<'_>,
    op: &OperationRow,
    p: &Progress,
) -> Result<(), sqlx::Error> {
    operations::record_progress(
        exec,
        op.id,
        &p.request_token,
        p.status.as_str(),
        p.error_code.as_deref(),
        p.message.as_deref(),
        p.retry_after,
    )
    .await
}

/// Sets a condition, keeping its transition time when its status does not change.
fn set_condition(
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
