//! Observing a client under `managementPolicy: Observe`: read it, compare it with the document and
//! report how it differs, sending nothing that would change it.

use serde_json::json;
use sqlx::types::Json;

use super::context::Step;
use super::outcome::{Failure, Outcome, note, set_condition};
use super::requeue::{Requeue, jitter};
use crate::model::decision;
use crate::model::diff;
use crate::model::event::{ClientRef, DriftData, EventData};
use crate::model::status::{ConditionStatus, ConditionType, Phase};

impl Step<'_> {
    /// Reads `identifier` and records the generation as observed: in sync, or drifted with the
    /// differences reported. Nothing is sent to AWS but the read.
    pub(super) async fn observe(&mut self, identifier: &str) -> Outcome {
        let item = self.item;
        let live = match self.read(identifier).await {
            Ok(live) => live,
            Err(e) => return self.read_failed(identifier, &e),
        };
        let applied = item.observed.applied_properties.as_ref().map(|a| &a.0);
        let remembered = &item.observed.normalizations.0;
        let found = decision::compare(
            &item.properties.0,
            &live,
            applied,
            remembered,
            item.generation,
        );
        let generation = item.generation;
        let mut new = self.observed();
        let events = if found.is_empty() {
            self.synced(&mut new, &live, generation);
            new.drift = None;
            set_condition(
                &mut new,
                ConditionType::Drifted,
                ConditionStatus::False,
                "NoDrift",
                "the live client matches",
                generation,
            );
            let message = "observed: the live client matches the document";
            vec![note(EventData::InSync(ClientRef::of(identifier)), message)]
        } else {
            let fields: Vec<&str> = found.changes.iter().map(|c| c.pointer.as_str()).collect();
            let message = format!("the live client differs in {}", fields.join(", "));
            new.observed_properties = Some(Json(diff::observed(&live)));
            new.observed_generation = Some(generation);
            new.phase = Phase::Ready;
            new.drift = Some(json!(found.changes));
            new.last_error = None;
            new.attempt = 0;
            set_condition(
                &mut new,
                ConditionType::Ready,
                ConditionStatus::True,
                "Available",
                "the client exists in AWS",
                generation,
            );
            set_condition(
                &mut new,
                ConditionType::Synced,
                ConditionStatus::False,
                "Observing",
                &format!("managementPolicy is Observe: {message}; nothing is sent"),
                generation,
            );
            set_condition(
                &mut new,
                ConditionType::Drifted,
                ConditionStatus::True,
                "DriftDetected",
                &message,
                generation,
            );
            let data = DriftData {
                changes: found.changes.clone(),
                identifier: identifier.to_owned(),
            };
            vec![note(EventData::DriftDetected(data), message)]
        };
        let next_check = jitter(self.settings(), item.drift_interval_secs);
        Outcome::saved(new, events, Requeue::after_secs(next_check)).drift_checked()
    }

    /// Under `Observe` with no client and none to adopt: a terminal failure (nothing may be
    /// created), held until the document changes.
    pub(super) fn nothing_to_observe(&self) -> Outcome {
        let failure = Failure {
            code: "NothingToObserve",
            message: "managementPolicy is Observe and there is no client to observe: set \
                      adopt.identifier, or managementPolicy Manage to create one",
            request_token: None,
            operation: None,
        };
        self.fail(self.observed(), failure, Vec::new())
    }
}
