//! One step's context: the worker, the resource as read at the start of the step and as the step
//! last wrote it, and where its calls go. The handlers read it; only `step.rs` changes it.

use super::situation::Situation;
use super::{CrashPoint, Worker};
use crate::cloud::{Account, CloudError, Place};
use crate::model::work::{Consumed, Observed, WorkItem};
use crate::store::operations::OperationRow;
use crate::store::work::WriteError;

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

/// One step's context: the worker, the resource as read at the start of the step and as this step
/// last wrote it, and which user requests its writes use up.
pub(super) struct Step<'a> {
    pub worker: &'a Worker,
    pub item: &'a WorkItem,
    /// The observed state as this step last wrote it (as read, before the first write).
    pub(super) observed: Observed,
    /// The user requests any write of this step uses up.
    pub(super) consumed: Consumed,
    /// Whether the step is background work (a drift check nobody asked for): its reads spend
    /// the background share of the budget.
    background: bool,
    /// Whether the gate took the budget of the step's next call, which then spends no more.
    prepaid: bool,
}

impl<'a> Step<'a> {
    /// The context of a step for `item`, which is in `situation`.
    pub(super) fn new(worker: &'a Worker, item: &'a WorkItem, situation: &Situation) -> Step<'a> {
        let in_operation = matches!(
            situation,
            Situation::Submitting(_) | Situation::Polling(_) | Situation::Cancelling(_)
        );
        Step {
            worker,
            item,
            observed: item.observed.clone(),
            // A request in flight is settled before anything else is acted on; once none is, a
            // cancel has nothing left to stop, and a refresh is what this step does.
            consumed: Consumed {
                cancel: !in_operation,
                refresh: !in_operation,
                drift_check: false,
            },
            background: matches!(situation, Situation::CheckingDrift(_))
                && item.refresh_requested_at.is_none(),
            prepaid: false,
        }
    }

    /// The budget of the next call is taken (by the gate).
    pub(super) fn prepay(&mut self) {
        self.prepaid = true;
    }

    /// Where this resource's calls go: its region, in its namespace's account.
    pub(super) fn place(&mut self) -> Place<'a> {
        self.place_in(super::account_of(self.item))
    }

    /// Where an operation's polls and cancels go: the account it was sent to, pinned in its row.
    pub(super) fn place_of(&mut self, op: &OperationRow) -> Place<'a> {
        self.place_in(super::pinned_account(&op.request))
    }

    fn place_in(&mut self, account: Account) -> Place<'a> {
        let item: &'a WorkItem = self.item;
        Place {
            region: &item.region,
            account,
            namespace: &item.namespace,
            background: self.background,
            // The first place asked for after the gate is the first call's.
            prepaid: std::mem::take(&mut self.prepaid),
        }
    }

    /// `GetResource` of `identifier` in the resource's region and role.
    pub(super) async fn read(
        &mut self,
        identifier: &str,
    ) -> Result<serde_json::Map<String, serde_json::Value>, CloudError> {
        let at = self.place();
        let role_arn = self.item.role_arn.as_deref();
        self.worker.cloud.get(&at, role_arn, identifier).await
    }

    pub(super) fn settings(&self) -> &super::WorkerSettings {
        &self.worker.settings
    }

    pub(super) fn crash(&self, at: CrashPoint) -> Result<(), StepError> {
        if self.worker.crash_at == Some(at) {
            return Err(StepError::Crashed(at));
        }
        Ok(())
    }

    /// The observed state as this step last wrote it (or read it), to change and save.
    pub(super) fn observed(&self) -> Observed {
        self.observed.clone()
    }
}
