//! Confirming that a client is really gone before acting on it. One `NotFound` proves nothing
//! (reads can lag behind writes), and acting on a false one makes a second client. The check: a
//! second read after a pause, then `ListResources` of the pool; only when both miss the client is
//! it gone. A create that settled `FAILED` or `CANCEL_COMPLETE` naming an identifier goes through
//! the same check, and a client found is adopted instead of creating another.

use chrono::Utc;
use sqlx::types::Json;

use super::reaction::{Reaction, Stage, on_error};
use super::requeue::Requeue;
use super::step::{Failure, Step, StepError, note, set_condition};
use crate::cloud::{ErrorClass, classify_handler_code};
use crate::model::event::{AbsenceData, ClientRef, EventData, OperationData};
use crate::model::operation::OperationKind;
use crate::model::status::{ConditionStatus, ConditionType, Phase};
use crate::model::work::{AbsenceCheck, AbsenceReason, Observed, StepEvent};

impl Step<'_> {
    /// Starts doubting that `identifier` exists; `not_found_reads` reads have missed it so far.
    pub(super) async fn suspect_absence(
        &self,
        identifier: &str,
        reason: AbsenceReason,
        not_found_reads: u32,
    ) -> Result<Requeue, StepError> {
        let doubt = (identifier, reason, not_found_reads);
        self.suspect_absence_after(self.observed(), Vec::new(), doubt)
            .await
    }

    /// [`Self::suspect_absence`] saved with `new` and `events`, the rest of what the step found.
    pub(super) async fn suspect_absence_after(
        &self,
        mut new: Observed,
        mut events: Vec<StepEvent>,
        (identifier, reason, not_found_reads): (&str, AbsenceReason, u32),
    ) -> Result<Requeue, StepError> {
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
        self.save(&new, events).await?;
        Ok(self.pause_before_reading(not_found_reads))
    }

    fn pause_before_reading(&self, not_found_reads: u32) -> Requeue {
        if not_found_reads == 0 {
            Requeue::Now
        } else {
            Requeue::after_secs(self.settings().absence_confirm.as_secs_f64())
        }
    }

    /// Reads the client again; after a second miss, lists the pool; then decides.
    pub(super) async fn confirm_absence(&self, check: &AbsenceCheck) -> Result<Requeue, StepError> {
        let identifier = &check.identifier;
        match self.read(identifier).await {
            Ok(live) => return self.found(check, Some(&live)).await,
            Err(e) if e.class == ErrorClass::NotFound => {}
            Err(e) => return self.read_failed(identifier, e).await,
        }
        if check.not_found_reads == 0 {
            let mut new = self.observed();
            let mut next = check.clone();
            next.not_found_reads = 1;
            new.absence_check = Some(Json(next));
            self.save(&new, Vec::new()).await?;
            return Ok(self.pause_before_reading(1));
        }
        let (pool, client) = identifier.split_once('|').unwrap_or((identifier, ""));
        let item = self.item;
        let listed = self
            .worker
            .cloud
            .list_clients(&self.place(), item.role_arn.as_deref(), pool)
            .await;
        match listed {
            Ok(clients) if clients.iter().any(|c| c.client_id == client) => {
                self.found(check, None).await
            }
            Ok(_) => self.confirmed_absent(check).await,
            // The pool itself is gone: so is every client in it.
            Err(e) if e.class == ErrorClass::NotFound => self.confirmed_absent(check).await,
            Err(e) => self.read_failed(identifier, e).await,
        }
    }

    /// The client exists after all (read as `live`, or only listed).
    async fn found(
        &self,
        check: &AbsenceCheck,
        live: Option<&serde_json::Map<String, serde_json::Value>>,
    ) -> Result<Requeue, StepError> {
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
            return self
                .adopted(identifier, live.unwrap_or(&empty), &why, cancelled)
                .await;
        }
        let mut new = self.observed();
        new.absence_check = None;
        let message =
            format!("client {identifier} exists after all; the NotFound was not the truth");
        self.save(
            &new,
            vec![note(
                EventData::AbsenceRefuted(ClientRef::of(identifier)),
                message,
            )],
        )
        .await?;
        Ok(Requeue::Now)
    }

    /// Two reads and the pool's list agree: the client does not exist.
    async fn confirmed_absent(&self, check: &AbsenceCheck) -> Result<Requeue, StepError> {
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
                let message = format!(
                    "client {identifier} was deleted outside ccplane (two reads and the pool's list agree); creating it again"
                );
                self.save(
                    &new,
                    vec![note(
                        EventData::Vanished(ClientRef::of(identifier)),
                        message,
                    )],
                )
                .await?;
                Ok(Requeue::Now)
            }
            AbsenceReason::UnfinishedCreate {
                error_code: None, ..
            } => {
                self.mark_cancelled(&mut new);
                self.save(&new, Vec::new()).await?;
                Ok(Requeue::Now)
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
                    return self.retry_later(new, failure, class).await;
                }
                let text = format!("Create failed: {code}: {message}");
                let data = OperationData {
                    error_code: Some(code.clone()),
                    request_token: Some(Some(request_token.clone())),
                    ..OperationData::default()
                };
                let events = vec![note(EventData::OperationFailed(data), text)];
                self.fail(new, failure, events).await
            }
        }
    }
}
