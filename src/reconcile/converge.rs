//! Bringing AWS to the desired state: create or adopt a client, read and diff it, update or replace
//! it, check it for drift and remediate.

use serde_json::{Map, Value, json};
use sqlx::types::Json;

use super::context::Step;
use super::outcome::{Failure, Outcome, note, set_condition};
use super::requeue::{Requeue, jitter};
use crate::cloud::ErrorClass;
use crate::model::decision::{self, Decision, Normalization, Verdict};
use crate::model::diff::{self, Diff};
use crate::model::document::{DriftPolicy, ManagementPolicy, ReplacementPolicy};
use crate::model::event::{ClientRef, DriftData, EventData, Replacement};
use crate::model::operation::{OperationKind, OperationRequest};
use crate::model::status::{ConditionStatus, ConditionType};

impl Step<'_> {
    /// `CreateResource` with the desired properties.
    pub(super) fn create(&self) -> Outcome {
        let request = OperationRequest {
            desired_state: Some(self.item.properties.0.clone()),
            ..OperationRequest::default()
        };
        self.prepare(
            self.observed(),
            Vec::new(),
            OperationKind::Create,
            None,
            request,
        )
    }

    /// Takes over the client the document names.
    pub(super) async fn adopt(&mut self, target: &str) -> Outcome {
        match self.read(target).await {
            Ok(live) => self.adopted(target, &live, "took over the existing client", false),
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
                self.fail(self.observed(), failure, Vec::new())
            }
            Err(e) => self.read_failed(target, &e),
        }
    }

    /// Brings an existing client to the desired generation. The live client is read and compared
    /// whatever follows: that is this generation's drift check.
    pub(super) async fn converge(&mut self, identifier: &str) -> Outcome {
        let live = match self.read(identifier).await {
            Ok(live) => live,
            Err(e) => return self.read_failed(identifier, &e),
        };
        let Verdict { decision, diff } = self.decide(&live);
        let outcome = match decision {
            Decision::Replace(_) | Decision::Rejected => self.replace(identifier, decision, &diff),
            Decision::InSync => {
                let mut new = self.observed();
                self.synced(&mut new, &live, self.item.generation);
                new.normalizations
                    .0
                    .retain(|n| n.generation == self.item.generation);
                let message = "the live client already matches; nothing to send";
                let event = note(EventData::InSync(ClientRef::of(identifier)), message);
                Outcome::saved(new, vec![event], Requeue::Now)
            }
            Decision::Update => {
                let request = OperationRequest {
                    desired_state: Some(self.item.properties.0.clone()),
                    patch_document: Some(diff.patch),
                    ..OperationRequest::default()
                };
                let update = OperationKind::Update;
                self.prepare(
                    self.observed(),
                    Vec::new(),
                    update,
                    Some(identifier),
                    request,
                )
            }
        };
        outcome.drift_checked()
    }

    fn replace(&self, identifier: &str, decision: Decision, diff: &Diff) -> Outcome {
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
                Outcome::saved(new, vec![note(data, message)], Requeue::Now)
            }
            Decision::Replace(_) => {
                let message = format!(
                    "{fields} changed: deleting {identifier} before creating its replacement"
                );
                tracing::info!(data = %data.to_value(), "{message}");
                let (delete, request) = (OperationKind::Delete, OperationRequest::default());
                self.prepare(
                    self.observed(),
                    Vec::new(),
                    delete,
                    Some(identifier),
                    request,
                )
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
                self.fail(self.observed(), failure, Vec::new())
            }
        }
    }

    /// Compares the live client with the desired state; reports drift and, under `Remediate`,
    /// patches it back (the report and the prepared patch in one write).
    pub(super) async fn check_drift(&mut self, identifier: &str) -> Outcome {
        let item = self.item;
        let live = match self.read(identifier).await {
            Ok(live) => live,
            Err(e) => return self.read_failed(identifier, &e),
        };
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
            return Outcome::saved(new, Vec::new(), next_check).drift_checked();
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
        let events = vec![note(EventData::DriftDetected(data), message)];
        // Under `managementPolicy: Observe` drift is only reported.
        let remediate = item.drift_policy == DriftPolicy::Remediate
            && item.management_policy == ManagementPolicy::Manage
            && diff.replacement.is_empty();
        if !remediate {
            return Outcome::saved(new, events, next_check).drift_checked();
        }
        let request = OperationRequest {
            desired_state: Some(item.properties.0.clone()),
            patch_document: Some(diff.patch),
            remediation: true,
            ..OperationRequest::default()
        };
        let update = OperationKind::Update;
        self.prepare(new, events, update, Some(identifier), request)
            .drift_checked()
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
        let parts: Vec<String> = seen
            .iter()
            .map(|n| super::normalized::describe(n))
            .collect();
        Some(parts.join("; "))
    }
}
