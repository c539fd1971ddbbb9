//! Bringing AWS to the desired state: create or adopt a client, read and diff it, update or replace
//! it, check it for drift and remediate; and remember what Cognito normalises so that remediation
//! cannot loop.

use serde_json::{Map, Value, json};
use sqlx::types::Json;

use super::requeue::{Requeue, jitter};
use super::step::{Failure, Step, StepError, note, set_condition};
use crate::cloud::{CloudError, ErrorClass};
use crate::model::decision::{self, Decision, Normalization, Verdict};
use crate::model::diff::{self, Diff};
use crate::model::document::{DriftPolicy, ManagementPolicy, ReplacementPolicy};
use crate::model::event::{ClientRef, DriftData, EventData, Replacement};
use crate::model::operation::{OperationKind, OperationRequest};
use crate::model::schema::READ_ONLY;
use crate::model::status::{ConditionStatus, ConditionType};
use crate::model::work::{Observed, StepEvent};
use crate::store::operations::OperationRow;

impl Step<'_> {
    /// `CreateResource` with the desired properties.
    pub(super) async fn create(&self) -> Result<Requeue, StepError> {
        let request = OperationRequest {
            desired_state: Some(self.item.properties.0.clone()),
            ..OperationRequest::default()
        };
        self.start(OperationKind::Create, None, request).await
    }

    /// Takes over the client the document names.
    pub(super) async fn adopt(&self, target: &str) -> Result<Requeue, StepError> {
        match self.read(target).await {
            Ok(live) => {
                self.adopted(target, &live, "took over the existing client", false)
                    .await
            }
            // The document names a client that is not there: nothing was created, so failing is
            // safe; a refresh tries again.
            Err(e) if e.class == ErrorClass::NotFound => {
                let message = format!(
                    "adopt.identifier {target} does not exist in {}",
                    self.item.region
                );
                let failure = Failure {
                    code: "NotFound",
                    message: &message,
                    request_token: None,
                    operation: None,
                };
                self.fail(self.observed(), failure, Vec::new()).await
            }
            Err(e) => self.read_failed(target, e).await,
        }
    }

    /// Records `target` as this resource's client, read as `live`; the next step diffs it (unless
    /// the adoption follows a user's cancel, which stands).
    pub(super) async fn adopted(
        &self,
        target: &str,
        live: &Map<String, Value>,
        why: &str,
        cancelled: bool,
    ) -> Result<Requeue, StepError> {
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
        self.save(
            &new,
            vec![note(EventData::Adopted(ClientRef::of(target)), message)],
        )
        .await?;
        Ok(Requeue::Now)
    }

    /// Brings an existing client to the desired generation.
    pub(super) async fn converge(&self, identifier: &str) -> Result<Requeue, StepError> {
        let live = match self.read(identifier).await {
            Ok(live) => live,
            Err(e) => return self.read_failed(identifier, e).await,
        };
        self.checked_drift();
        let Verdict { decision, diff } = self.decide(&live);
        if let Decision::Replace(_) | Decision::Rejected = decision {
            return self.replace(identifier, decision, &diff).await;
        }
        if decision == Decision::InSync {
            let mut new = self.observed();
            self.synced(&mut new, &live, self.item.generation);
            new.normalizations
                .0
                .retain(|n| n.generation == self.item.generation);
            let message = "the live client already matches; nothing to send";
            self.save(
                &new,
                vec![note(EventData::InSync(ClientRef::of(identifier)), message)],
            )
            .await?;
            return Ok(Requeue::Now);
        }
        let request = OperationRequest {
            desired_state: Some(self.item.properties.0.clone()),
            patch_document: Some(diff.patch),
            ..OperationRequest::default()
        };
        self.start(OperationKind::Update, Some(identifier), request)
            .await
    }

    async fn replace(
        &self,
        identifier: &str,
        decision: Decision,
        diff: &Diff,
    ) -> Result<Requeue, StepError> {
        let item = self.item;
        let fields = diff.replacement.join(", ");
        let data = EventData::ReplacementStarted(Replacement {
            fields: Some(diff.replacement.clone()),
            policy: Some(item.replacement_policy),
            identifier: Some(identifier.to_owned()),
            deleted: None,
        });
        match decision {
            Decision::Replace(ReplacementPolicy::CreateBeforeDelete) => {
                let mut new = self.observed();
                new.previous_identifier = Some(identifier.to_owned());
                new.identifier = None;
                new.applied_properties = None;
                let message =
                    format!("{fields} changed: creating a new client before deleting {identifier}");
                self.save(&new, vec![note(data, message)]).await?;
                Ok(Requeue::Now)
            }
            Decision::Replace(_) => {
                let message = format!(
                    "{fields} changed: deleting {identifier} before creating its replacement"
                );
                tracing::info!(data = %data.to_value(), "{message}");
                self.start(
                    OperationKind::Delete,
                    Some(identifier),
                    OperationRequest::default(),
                )
                .await
            }
            Decision::Update | Decision::InSync | Decision::Rejected => {
                let message = format!(
                    "{fields} can only change by replacing the client; replacementPolicy is Reject"
                );
                let failure = Failure {
                    code: "ReplacementRejected",
                    message: &message,
                    request_token: None,
                    operation: None,
                };
                self.fail(self.observed(), failure, Vec::new()).await
            }
        }
    }

    /// Compares the live client with the desired state; reports drift and, under `Remediate`,
    /// patches it back.
    pub(super) async fn check_drift(&self, identifier: &str) -> Result<Requeue, StepError> {
        let item = self.item;
        let live = match self.read(identifier).await {
            Ok(live) => live,
            Err(e) => return self.read_failed(identifier, e).await,
        };
        self.checked_drift();
        let diff = self.compare(&live);
        let mut new = self.observed();
        new.observed_properties = Some(Json(diff::observed(&live)));
        let next_check = Requeue::after_secs(jitter(self.settings(), item.drift_interval_secs));
        if diff.is_empty() {
            new.drift = None;
            let (reason, message) = match self.normalization_summary(&live) {
                Some(summary) => ("Normalized", summary),
                None => ("NoDrift", "the live client matches".to_owned()),
            };
            set_condition(
                &mut new,
                ConditionType::Drifted,
                ConditionStatus::False,
                reason,
                &message,
                item.generation,
            );
            self.save(&new, Vec::new()).await?;
            return Ok(next_check);
        }
        new.drift = Some(json!(diff.changes));
        let fields: Vec<&str> = diff.changes.iter().map(|c| c.pointer.as_str()).collect();
        let message = format!("the live client differs in {}", fields.join(", "));
        set_condition(
            &mut new,
            ConditionType::Drifted,
            ConditionStatus::True,
            "DriftDetected",
            &message,
            item.generation,
        );
        let data = DriftData {
            changes: diff.changes.clone(),
            identifier: identifier.to_owned(),
        };
        self.save(&new, vec![note(EventData::DriftDetected(data), message)])
            .await?;
        // Under `managementPolicy: Observe` drift is only reported.
        let remediate = item.drift_policy == DriftPolicy::Remediate
            && item.management_policy == ManagementPolicy::Manage
            && diff.replacement.is_empty();
        if !remediate {
            return Ok(next_check);
        }
        let request = OperationRequest {
            desired_state: Some(item.properties.0.clone()),
            patch_document: Some(diff.patch),
            remediation: true,
            ..OperationRequest::default()
        };
        self.start(OperationKind::Update, Some(identifier), request)
            .await
    }

    /// `GetResource` of `identifier` in the resource's region and role.
    pub(super) async fn read(&self, identifier: &str) -> Result<Map<String, Value>, CloudError> {
        let item = self.item;
        self.worker
            .cloud
            .get(&self.place(), item.role_arn.as_deref(), identifier)
            .await
    }

    /// What the desired state does to the client read as `live` (`model::decision`, which the
    /// plan also uses).
    fn decide(&self, live: &Map<String, Value>) -> Verdict {
        let item = self.item;
        let applied = item.observed.applied_properties.as_ref().map(|a| &a.0);
        let remembered = &item.observed.normalizations.0;
        let policy = item.replacement_policy;
        decision::decide(
            &item.properties.0,
            live,
            applied,
            remembered,
            item.generation,
            policy,
        )
    }

    /// The desired state against `live`, without what Cognito is known to normalise (a drift
    /// check reports and remediates the difference; it decides no replacement).
    fn compare(&self, live: &Map<String, Value>) -> Diff {
        let item = self.item;
        let applied = item.observed.applied_properties.as_ref().map(|a| &a.0);
        let remembered = &item.observed.normalizations.0;
        decision::compare(
            &item.properties.0,
            live,
            applied,
            remembered,
            item.generation,
        )
    }

    /// The remembered normalisations of this generation that `live` still shows.
    fn normalized_now(&self, live: &Map<String, Value>) -> Vec<&Normalization> {
        let item = self.item;
        decision::still_normalized(&item.observed.normalizations.0, item.generation, live)
    }

    fn normalization_summary(&self, live: &Map<String, Value>) -> Option<String> {
        let seen = self.normalized_now(live);
        if seen.is_empty() {
            return None;
        }
        let parts: Vec<String> = seen.iter().map(|n| describe(n)).collect();
        Some(parts.join("; "))
    }

    /// Remembers normalisations just seen, and returns the events that report them.
    pub(super) fn record_normalizations(
        &self,
        new: &mut Observed,
        seen: Vec<Normalization>,
    ) -> Vec<StepEvent> {
        let generation = self.item.generation;
        new.normalizations.0.retain(|n| n.generation == generation);
        let mut events = Vec::new();
        for n in seen {
            let message = describe(&n);
            set_condition(
                new,
                ConditionType::Drifted,
                ConditionStatus::False,
                "Normalized",
                &message,
                generation,
            );
            events.push(note(EventData::Normalized(n.clone()), message));
            new.normalizations.0.retain(|old| old.pointer != n.pointer);
            new.normalizations.0.push(n);
        }
        events
    }
}

fn describe(n: &Normalization) -> String {
    let show = |v: &Option<Value>| v.as_ref().map_or("nothing".to_owned(), Value::to_string);
    format!(
        "Cognito stores {} as {}, not {} as sent; accepted, and not sent again until the desired state changes",
        n.pointer,
        show(&n.observed),
        show(&n.sent)
    )
}

/// The properties a just-finished create or update sent but AWS reads back differently: Cognito
/// normalised them. `desired` is the generation the operation applied.
pub(super) fn normalized(
    desired: &Map<String, Value>,
    live: &Map<String, Value>,
    op: &OperationRow,
    generation: i64,
) -> Vec<Normalization> {
    let sent: Vec<String> = match op.kind {
        OperationKind::Update => op.request.patched_properties(),
        OperationKind::Create => desired
            .keys()
            .filter(|k| !READ_ONLY.contains(&k.as_str()))
            .map(|k| format!("/{k}"))
            .collect(),
        OperationKind::Delete => Vec::new(),
    };
    let applied = Some(desired);
    diff::diff(desired, live, applied)
        .changes
        .into_iter()
        .filter(|c| sent.contains(&c.pointer))
        .map(|c| Normalization {
            pointer: c.pointer,
            sent: c.desired,
            observed: c.live,
            generation,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    fn update(patch: Value) -> OperationRow {
        OperationRow {
            id: Uuid::nil(),
            resource_id: Uuid::nil(),
            kind: OperationKind::Update,
            client_token: "ccplane-1".into(),
            request_token: Some("rt".into()),
            generation: 3,
            identifier: Some("pool|client".into()),
            request: Json(OperationRequest {
                patch_document: Some(serde_json::from_value(patch).unwrap()),
                ..OperationRequest::default()
            }),
            role_arn: None,
            status: crate::model::operation::OperationStatus::Success,
            error_code: None,
            status_message: None,
            polls: 1,
            submitted_at: None,
        }
    }

    #[test]
    fn a_patched_field_read_back_differently_is_a_normalization() {
        let desired = map(json!({"ClientName": "c", "LogoutURLs": ["https://a/"]}));
        let live = map(json!({"ClientName": "c", "LogoutURLs": ["https://a"]}));
        let op = update(json!([{"op": "replace", "path": "/LogoutURLs", "value": ["https://a/"]}]));
        let seen = normalized(&desired, &live, &op, 3);
        assert_eq!(
            seen,
            vec![Normalization {
                pointer: "/LogoutURLs".into(),
                sent: Some(json!(["https://a/"])),
                observed: Some(json!(["https://a"])),
                generation: 3,
            }]
        );
    }

    #[test]
    fn a_field_the_operation_did_not_send_is_not_a_normalization() {
        let desired = map(json!({"ClientName": "c", "LogoutURLs": ["https://a/"]}));
        let live = map(json!({"ClientName": "x", "LogoutURLs": ["https://a/"]}));
        let op = update(json!([{"op": "replace", "path": "/LogoutURLs", "value": ["https://a/"]}]));
        assert!(normalized(&desired, &live, &op, 3).is_empty());
    }
}
