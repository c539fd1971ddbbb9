//! The classification of a claimed resource into the one situation a step acts on. Pure: it reads
//! the stored state and decides; the step modules do the I/O.

use std::time::Duration;

use crate::model::document::{DeletionPolicy, ManagementPolicy};
use crate::model::operation::OperationKind;
use crate::model::status::{ConditionType, Phase};
use crate::model::work::{AbsenceCheck, WorkItem};
use crate::store::operations::OperationRow;

/// What a step does for one resource (the rows of the state table in `reconcile/mod.rs`).
#[derive(Debug, Clone, PartialEq)]
pub enum Situation {
    /// An operation row is committed but Cloud Control has not acknowledged it: send it, or send it
    /// again with the same ClientToken.
    Submitting(OperationRow),
    /// A request is running: poll it.
    Polling(OperationRow),
    /// A user asked to cancel the running request.
    Cancelling(OperationRow),
    /// Deletion requested under `Delete`, and the client is known: delete it.
    Deleting(String),
    /// Deletion requested under `Retain`, or no client was ever made: forget the resource.
    Forgetting {
        /// Whether a client stays behind in AWS.
        retained: bool,
    },
    /// A client's existence is in doubt: confirm before acting on it.
    ConfirmingAbsence(AbsenceCheck),
    /// A replacement made a new client: delete the old one.
    RetiringPrevious(String),
    /// The last apply failed terminally (or was cancelled) at this generation: wait for a change of
    /// the desired state or a refresh.
    Holding,
    /// No client yet, and the document names one to take over.
    Adopting(String),
    /// No client yet: create one.
    Creating,
    /// The client exists and the desired generation is not applied yet.
    Converging(String),
    /// The client is in sync and its secret's rotation has a step due.
    Rotating(String),
    /// The client is in sync and a drift check is due (or a user asked for one).
    CheckingDrift(String),
    /// Under `managementPolicy: Observe`, a generation not yet compared with the client: read
    /// it and report how it differs, sending nothing.
    Observing(String),
    /// Under `managementPolicy: Observe`, no client and none to adopt: nothing to read, and
    /// nothing may be created.
    NothingToObserve,
    /// Nothing to do until the next drift check.
    Waiting(Duration),
}

impl Situation {
    /// The situation's name, for logs.
    pub fn name(&self) -> &'static str {
        match self {
            Situation::Submitting(_) => "Submitting",
            Situation::Polling(_) => "Polling",
            Situation::Cancelling(_) => "Cancelling",
            Situation::Deleting(_) => "Deleting",
            Situation::Forgetting { .. } => "Forgetting",
            Situation::ConfirmingAbsence(_) => "ConfirmingAbsence",
            Situation::RetiringPrevious(_) => "RetiringPrevious",
            Situation::Holding => "Holding",
            Situation::Adopting(_) => "Adopting",
            Situation::Creating => "Creating",
            Situation::Converging(_) => "Converging",
            Situation::Rotating(_) => "Rotating",
            Situation::CheckingDrift(_) => "CheckingDrift",
            Situation::Observing(_) => "Observing",
            Situation::NothingToObserve => "NothingToObserve",
            Situation::Waiting(_) => "Waiting",
        }
    }
}

/// Classifies `item`, whose operation in flight (if any) is `op`. The order is the precedence:
/// a request in flight first (at most one per resource), then deletion, then doubts, then the
/// desired state. Under `managementPolicy: Observe` nothing that would change the client is
/// chosen: a deletion forgets, a replacement's old client stays, a missing client is not created
/// and a new generation is only compared (an operation announced before the switch still settles).
pub fn classify(item: &WorkItem, op: Option<&OperationRow>) -> Situation {
    let obs = &item.observed;
    let observe = item.management_policy == ManagementPolicy::Observe;
    if let Some(op) = op {
        return match (&op.request_token, item.cancel_requested_at) {
            (None, _) => Situation::Submitting(op.clone()),
            (Some(_), Some(_)) => Situation::Cancelling(op.clone()),
            (Some(_), None) => Situation::Polling(op.clone()),
        };
    }
    if item.deletion_requested {
        if !observe && held_after_failed_delete(item) {
            return Situation::Holding;
        }
        return match (&obs.identifier, item.deletion_policy) {
            (Some(identifier), DeletionPolicy::Delete) if !observe => {
                Situation::Deleting(identifier.clone())
            }
            (_, policy) => Situation::Forgetting {
                retained: (observe || policy == DeletionPolicy::Retain) && obs.identifier.is_some(),
            },
        };
    }
    if let Some(check) = &obs.absence_check {
        return Situation::ConfirmingAbsence(check.0.clone());
    }
    if let (Some(previous), Some(_), false) = (&obs.previous_identifier, &obs.identifier, observe) {
        return Situation::RetiringPrevious(previous.clone());
    }
    if held_at_this_generation(item) {
        return Situation::Holding;
    }
    let Some(identifier) = obs.identifier.clone() else {
        return match &item.adopt_identifier {
            Some(target) => Situation::Adopting(target.clone()),
            None if observe => Situation::NothingToObserve,
            None => Situation::Creating,
        };
    };
    if obs.observed_generation.is_none_or(|g| g < item.generation) {
        if observe {
            return Situation::Observing(identifier);
        }
        return Situation::Converging(identifier);
    }
    // Under Observe no rotation starts (it changes the client); one already running finishes,
    // so it leaves neither a pending value nor two secrets behind.
    let rotates = !observe || obs.rotation.is_some();
    let rotation_due = item
        .rotation_due_in_secs
        .filter(|_| rotates)
        .unwrap_or(f64::INFINITY);
    if rotation_due <= 0.0 {
        return Situation::Rotating(identifier);
    }
    if item.drift_due_in_secs <= 0.0 || item.refresh_requested_at.is_some() {
        return Situation::CheckingDrift(identifier);
    }
    Situation::Waiting(Duration::from_secs_f64(
        item.drift_due_in_secs.min(rotation_due),
    ))
}

/// A terminal failure or a user's cancel at the current generation stops the reconciler until the
/// desired state changes (a new generation) or a user asks for a refresh.
fn held_at_this_generation(item: &WorkItem) -> bool {
    if item.refresh_requested_at.is_some() {
        return false;
    }
    let obs = &item.observed;
    // A retryable failure (an account that cannot be reached yet) is tried again by itself.
    let failed = obs.phase == Phase::Failed
        && obs
            .last_error
            .as_ref()
            .is_some_and(|e| e.generation == Some(item.generation) && !e.retryable);
    let cancelled = obs.conditions.iter().any(|c| {
        c.kind == ConditionType::Synced
            && c.reason == "Cancelled"
            && c.observed_generation == item.generation
    });
    failed || cancelled
}

/// A delete that failed terminally is not sent again until a user asks for a refresh.
fn held_after_failed_delete(item: &WorkItem) -> bool {
    let obs = &item.observed;
    item.refresh_requested_at.is_none()
        && obs.phase == Phase::Failed
        && obs
            .last_error
            .as_ref()
            .is_some_and(|e| e.operation.as_deref() == Some(OperationKind::Delete.as_str()))
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use serde_json::Map;
    use sqlx::types::Json;
    use uuid::Uuid;

    use super::*;
    use crate::model::document::{DriftPolicy, ReplacementPolicy};
    use crate::model::status::{Condition, ConditionStatus, LastError};
    use crate::model::work::{AbsenceReason, Observed};

    fn item() -> WorkItem {
        WorkItem {
            id: Uuid::nil(),
            namespace: "team-a".into(),
            name: "web".into(),
            generation: 2,
            revision: 2,
            region: "us-east-1".into(),
            role_arn: None,
            assume_role_arn: None,
            external_id: None,
            properties: Json(Map::new()),
            deletion_policy: DeletionPolicy::Delete,
            replacement_policy: ReplacementPolicy::Reject,
            drift_policy: DriftPolicy::Report,
            management_policy: ManagementPolicy::Manage,
            adopt_identifier: None,
            deletion_requested: false,
            cancel_requested_at: None,
            refresh_requested_at: None,
            drift_due_in_secs: 60.0,
            drift_interval_secs: 600.0,
            secret_rotation: None,
            rotation_due_in_secs: None,
            observed: Observed {
                phase: Phase::Pending,
                observed_generation: None,
                conditions: Json(Vec::new()),
                identifier: None,
                previous_identifier: None,
                observed_properties: None,
                applied_properties: None,
                current_operation_id: None,
                last_error: None,
                drift: None,
                attempt: 0,
                absence_check: None,
                normalizations: Json(Vec::new()),
                rotation: None,
                last_rotated_at: None,
            },
        }
    }

    fn present() -> WorkItem {
        let mut item = item();
        item.observed.identifier = Some("pool|client".into());
        item.observed.observed_generation = Some(2);
        item.observed.phase = Phase::Ready;
        item
    }

    fn op(request_token: Option<&str>) -> OperationRow {
        OperationRow {
            id: Uuid::nil(),
            resource_id: Uuid::nil(),
            kind: OperationKind::Update,
            client_token: "ccplane-1".into(),
            request_token: request_token.map(str::to_owned),
            generation: 2,
            identifier: Some("pool|client".into()),
            request: Json(crate::model::operation::OperationRequest::default()),
            role_arn: None,
            status: crate::model::operation::OperationStatus::Prepared,
            error_code: None,
            status_message: None,
            polls: 0,
            submitted_at: None,
        }
    }

    fn failed(item: &mut WorkItem, generation: i64, operation: Option<&str>) {
        item.observed.phase = Phase::Failed;
        item.observed.last_error = Some(Json(LastError {
            code: "InvalidRequest".into(),
            message: "no".into(),
            retryable: false,
            at: Utc::now(),
            request_token: None,
            operation: operation.map(str::to_owned),
            generation: Some(generation),
        }));
    }

    #[test]
    fn an_operation_in_flight_comes_first_whatever_else_was_asked() {
        let mut item = present();
        item.deletion_requested = true;
        let unsent = op(None);
        assert_eq!(
            classify(&item, Some(&unsent)),
            Situation::Submitting(unsent.clone())
        );
        let sent = op(Some("rt"));
        assert_eq!(
            classify(&item, Some(&sent)),
            Situation::Polling(sent.clone())
        );
        item.cancel_requested_at = Some(Utc::now());
        assert_eq!(
            classify(&item, Some(&sent)),
            Situation::Cancelling(sent.clone())
        );
    }

    #[test]
    fn deletion_deletes_a_known_client_and_forgets_otherwise() {
        let mut item = present();
        item.deletion_requested = true;
        assert_eq!(
            classify(&item, None),
            Situation::Deleting("pool|client".into())
        );
        item.deletion_policy = DeletionPolicy::Retain;
        assert_eq!(
            classify(&item, None),
            Situation::Forgetting { retained: true }
        );
        let mut absent = self::item();
        absent.deletion_requested = true;
        assert_eq!(
            classify(&absent, None),
            Situation::Forgetting { retained: false }
        );
    }

    #[test]
    fn a_deletion_requested_after_a_failed_update_is_not_held() {
        let mut item = present();
        failed(&mut item, 2, Some("Update"));
        item.deletion_requested = true;
        assert_eq!(
            classify(&item, None),
            Situation::Deleting("pool|client".into())
        );
        failed(&mut item, 2, Some("Delete"));
        assert_eq!(classify(&item, None), Situation::Holding);
        item.refresh_requested_at = Some(Utc::now());
        assert_eq!(
            classify(&item, None),
            Situation::Deleting("pool|client".into())
        );
    }

    #[test]
    fn a_terminal_failure_holds_until_the_generation_changes_or_a_refresh() {
        let mut item = self::item();
        failed(&mut item, 2, Some("Create"));
        assert_eq!(classify(&item, None), Situation::Holding);
        item.generation = 3;
        assert_eq!(classify(&item, None), Situation::Creating);
        item.generation = 2;
        item.refresh_requested_at = Some(Utc::now());
        assert_eq!(classify(&item, None), Situation::Creating);
    }

    #[test]
    fn a_cancel_at_this_generation_holds_too() {
        let mut item = self::item();
        item.observed.conditions.0.push(Condition {
            kind: ConditionType::Synced,
            status: ConditionStatus::False,
            reason: "Cancelled".into(),
            message: "cancelled".into(),
            last_transition_time: Utc::now(),
            observed_generation: 2,
        });
        assert_eq!(classify(&item, None), Situation::Holding);
        item.generation = 3;
        assert_eq!(classify(&item, None), Situation::Creating);
    }

    #[test]
    fn a_doubt_about_the_client_is_confirmed_before_anything_else() {
        let mut item = present();
        let check = AbsenceCheck {
            identifier: "pool|client".into(),
            reason: AbsenceReason::NotFound,
            not_found_reads: 1,
            since: Utc::now(),
        };
        item.observed.absence_check = Some(Json(check.clone()));
        item.observed.observed_generation = Some(1);
        assert_eq!(classify(&item, None), Situation::ConfirmingAbsence(check));
    }

    #[test]
    fn an_absent_client_is_adopted_or_created() {
        let mut item = self::item();
        assert_eq!(classify(&item, None), Situation::Creating);
        item.adopt_identifier = Some("pool|other".into());
        assert_eq!(
            classify(&item, None),
            Situation::Adopting("pool|other".into())
        );
    }

    #[test]
    fn a_rotation_step_due_comes_before_a_drift_check_and_shortens_the_wait() {
        let mut item = present();
        item.rotation_due_in_secs = Some(5.0);
        assert_eq!(
            classify(&item, None),
            Situation::Waiting(Duration::from_secs(5))
        );
        item.rotation_due_in_secs = Some(0.0);
        item.drift_due_in_secs = 0.0;
        assert_eq!(
            classify(&item, None),
            Situation::Rotating("pool|client".into())
        );
        // Not before the desired state is applied.
        item.generation += 1;
        assert_eq!(
            classify(&item, None),
            Situation::Converging("pool|client".into())
        );
    }

    #[test]
    fn a_present_client_converges_checks_drift_or_waits() {
        let mut item = present();
        assert_eq!(
            classify(&item, None),
            Situation::Waiting(Duration::from_secs(60))
        );
        item.refresh_requested_at = Some(Utc::now());
        assert_eq!(
            classify(&item, None),
            Situation::CheckingDrift("pool|client".into())
        );
        item.refresh_requested_at = None;
        item.drift_due_in_secs = 0.0;
        assert_eq!(
            classify(&item, None),
            Situation::CheckingDrift("pool|client".into())
        );
        item.observed.observed_generation = Some(1);
        assert_eq!(
            classify(&item, None),
            Situation::Converging("pool|client".into())
        );
    }

    #[test]
    fn under_observe_nothing_that_changes_the_client_is_chosen() {
        let mut item = present();
        item.management_policy = ManagementPolicy::Observe;
        item.observed.observed_generation = Some(1);
        assert_eq!(
            classify(&item, None),
            Situation::Observing("pool|client".into())
        );
        item.observed.observed_generation = Some(2);
        item.drift_due_in_secs = 0.0;
        assert_eq!(
            classify(&item, None),
            Situation::CheckingDrift("pool|client".into())
        );
        item.observed.previous_identifier = Some("pool|old".into());
        assert_eq!(
            classify(&item, None),
            Situation::CheckingDrift("pool|client".into())
        );
        item.deletion_requested = true;
        assert_eq!(
            classify(&item, None),
            Situation::Forgetting { retained: true }
        );
        let mut absent = self::item();
        absent.management_policy = ManagementPolicy::Observe;
        assert_eq!(classify(&absent, None), Situation::NothingToObserve);
        absent.adopt_identifier = Some("pool|other".into());
        assert_eq!(
            classify(&absent, None),
            Situation::Adopting("pool|other".into())
        );
        // A request announced before the switch is still followed to its end.
        let sent = op(Some("rt"));
        assert_eq!(
            classify(&absent, Some(&sent)),
            Situation::Polling(sent.clone())
        );
    }

    #[test]
    fn a_replacement_retires_the_previous_client() {
        let mut item = present();
        item.observed.previous_identifier = Some("pool|old".into());
        assert_eq!(
            classify(&item, None),
            Situation::RetiringPrevious("pool|old".into())
        );
    }
}
