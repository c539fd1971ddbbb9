//! Confirming that a client is really gone before acting on it. One `NotFound` proves nothing
//! (reads can lag behind writes), and acting on a false one makes a second client. The check: a
//! second read after a pause, then `ListResources` of the pool; only when both miss the client is
//! it gone. A create that settled `FAILED` or `CANCEL_COMPLETE` naming an identifier goes through
//! the same check, and a client found is adopted instead of creating another.

use sqlx::types::Json;

use super::context::Step;
use super::outcome::{Failure, Outcome, note, set_condition};
use super::reaction::{Reaction, Stage, on_error};
use super::requeue::Requeue;
use crate::cloud::{ErrorClass, classify_handler_code};
use crate::model::document::ManagementPolicy;
use crate::model::event::{ClientRef, EventData, OperationData};
use crate::model::operation::OperationKind;
use crate::model::status::{ConditionStatus, ConditionType, Phase};
use crate::model::work::{AbsenceCheck, AbsenceReason};

impl Step<'_> {
    /// Reads the client again; after a second miss, lists the pool; then decides.
    pub(super) async fn confirm_absence(&mut self, check: &AbsenceCheck) -> Outcome {
        let identifier = &check.identifier;
        match self.read(identifier).await {
            Ok(live) => return self.found(check, Some(&live)),
            Err(e) if e.class == ErrorClass::NotFound => {}
            Err(e) => return self.read_failed(identifier, &e),
        }
        if check.not_found_reads == 0 {
            let mut new = self.observed();
            let mut next = check.clone();
            next.not_found_reads = 1;
            new.absence_check = Some(Json(next));
            return Outcome::saved(new, Vec::new(), self.pause_before_reading(1));
        }
        let (pool, client) = identifier.split_once('|').unwrap_or((identifier, ""));
        let at = self.place();
        let role_arn = self.item.role_arn.as_deref();
        match self.worker.cloud.list_clients(&at, role_arn, pool).await {
            Ok(clients) if clients.iter().any(|c| c.client_id == client) => self.found(check, None),
            Ok(_) => self.confirmed_absent(check),
            // The pool itself is gone: so is every client in it.
            Err(e) if e.class == ErrorClass::NotFound => self.confirmed_absent(check),
            Err(e) => self.read_failed(identifier, &e),
        }
    }

    /// The client exists after all (read as `live`, or only listed).
    fn found(
        &self,
        check: &AbsenceCheck,
        live: Option<&serde_json::Map<String, serde_json::Value>>,
    ) -> Outcome {
        let identifier = &check.identifier;
        if let AbsenceReason::UnfinishedCreate { error_code, .. } = &check.reason {
            let why = match error_code {
                Some(code) => format!("the create failed ({code}) after making client"),
                None => "the cancelled create had already made client".to_owned(),
            };
            let empty = serde_json::Map::new();
            // After a cancel, the user's wish still stands: keep the client, change nothing more.
            let cancelled = error_code.is_none();
            let why = format!("{why}; adopting");
            return self.adopted(identifier, live.unwrap_or(&empty), &why, cancelled);
        }
        let mut new = self.observed();
        new.absence_check = None;
        let message =
            format!("client {identifier} exists after all; the NotFound was not the truth");
        let event = note(
            EventData::AbsenceRefuted(ClientRef::of(identifier)),
            message,
        );
        Outcome::saved(new, vec![event], Requeue::Now)
    }

    /// Two reads and the pool's list agree: the client does not exist.
    fn confirmed_absent(&self, check: &AbsenceCheck) -> Outcome {
        let identifier = &check.identifier;
        let mut new = self.observed();
        new.absence_check = None;
        match &check.reason {
            AbsenceReason::NotFound => {
                new.identifier = None;
                new.observed_properties = None;
                new.applied_properties = None;
                new.observed_generation = None;
                new.phase = Phase::Pending;
                let generation = self.item.generation;
                set_condition(
                    &mut new,
                    ConditionType::Ready,
                    ConditionStatus::False,
                    "Vanished",
                    "the client was deleted outside ccplane",
                    generation,
                );
                let next = match self.item.management_policy {
                    ManagementPolicy::Manage => "creating it again",
                    ManagementPolicy::Observe => "under Observe, nothing is created",
                };
                let message = format!(
                    "client {identifier} was deleted outside ccplane (two reads and the pool's list agree); {next}"
                );
                let event = note(EventData::Vanished(ClientRef::of(identifier)), message);
                Outcome::saved(new, vec![event], Requeue::Now)
            }
            AbsenceReason::UnfinishedCreate {
                error_code: None, ..
            } => {
                self.mark_cancelled(&mut new);
                Outcome::saved(new, Vec::new(), Requeue::Now)
            }
            AbsenceReason::UnfinishedCreate {
                error_code: Some(code),
                message,
                request_token,
                ..
            } => {
                let class = classify_handler_code(code);
                let message = message.clone().unwrap_or_default();
                let failure = Failure {
                    code,
                    message: &message,
                    request_token: Some(request_token),
                    operation: Some(OperationKind::Create),
                };
                let create = Some(OperationKind::Create);
                if on_error(create, Stage::Settle, class) == Reaction::RetryLater {
                    return self.retry_later(new, failure, class);
                }
                let text = format!("Create failed: {code}: {message}");
                let data = OperationData {
                    error_code: Some(code.clone()),
                    request_token: Some(Some(request_token.clone())),
                    ..OperationData::default()
                };
                let events = vec![note(EventData::OperationFailed(data), text)];
                self.fail(new, failure, events)
            }
        }
    }
}
