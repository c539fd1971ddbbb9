//! The reconciler: workers claim due resources from Postgres under a lease and run one short,
//! durable step each, so any number of replicas share the work without another coordinator.
//!
//! Each step classifies the resource into one situation (`situation::classify`, pure) and acts on
//! it with at most one mutating Cloud Control call, announced by a committed operation row that
//! holds its ClientToken. Errors are classified once (`cloud::error`) and answered by one table
//! (`reaction::on_error`). The state table, in precedence order:
//!
//! | situation           | when                                                  | the step                                                       | then                          |
//! |---------------------|-------------------------------------------------------|----------------------------------------------------------------|-------------------------------|
//! | `Submitting`        | an operation row has no RequestToken yet              | send it, or re-send it with the same ClientToken               | poll after the backoff floor  |
//! | `Cancelling`        | a request runs and a user asked to cancel it          | `CancelResourceRequest`                                        | poll                          |
//! | `Polling`           | a request runs                                        | `GetResourceRequestStatus`; settle it when it is over (¹)      | poll, ≥ `first·2^polls`       |
//! | `Deleting`          | deletion asked, policy `Delete`, client known         | `DeleteResource` (NotFound counts as done)                     | poll                          |
//! | `Forgetting`        | deletion asked, policy `Retain` or no client          | drop the row (its events stay)                                 | —                             |
//! | `ConfirmingAbsence` | a read said NotFound, or a failed create names a client | read again after a pause, then `ListResources`; adopt, keep, or act on the absence | now / after the pause |
//! | `RetiringPrevious`  | a replacement left the old client                     | `DeleteResource` of the old one                                | poll                          |
//! | `Holding`           | failed terminally or cancelled at this generation     | nothing                                                        | on a user's write             |
//! | `Adopting`          | no client, `adopt.identifier` set                     | `GetResource`, record it                                       | now                           |
//! | `Creating`          | no client                                             | `CreateResource`                                               | poll                          |
//! | `Converging`        | a newer generation than applied                       | `GetResource`, diff; `UpdateResource`, replace, or mark synced | poll / now                    |
//! | `Rotating`          | in sync, a rotation of the secret due or in progress  | the protocol's next step (`rotation.rs`, `model::rotation`)     | now / after the overlap       |
//! | `CheckingDrift`     | in sync, drift check due or refresh asked             | `GetResource`, diff; report, and remediate under `Remediate`   | next drift check              |
//! | `Waiting`           | in sync                                               | nothing                                                        | next drift check              |
//! | `Observing`         | `managementPolicy: Observe`, a newer generation       | `GetResource`, diff; report it, send nothing                   | next drift check              |
//! | `NothingToObserve`  | `managementPolicy: Observe`, no client, none to adopt | fail (`NothingToObserve`); nothing is created                  | on a user's write             |
//!
//! Under `Observe`, deletion forgets (the client stays), a replacement's old client is kept and
//! drift is only reported (`situation::classify`; `converge::check_drift` does not remediate).
//!
//! (¹) Settling a `SUCCESS` reads the client: a read that misses it is retried four times within
//! 1.5 s (reads lag writes), then the miss is a doubt (`ConfirmingAbsence`). A request Cloud Control
//! no longer knows (`RequestTokenNotFound`) is resolved by reading the client for an update or
//! delete; for a create, by listing the pool for the one client with its `ClientName` that no other
//! resource manages (adopted; none or several: `Failed`, naming them), in `recover.rs`.
//!
//! A step that settles anything asks to be stepped again at once, so the next situation is
//! decided on fresh state: a user's write that arrived meanwhile is never left waiting.
//!
//! Every handler returns an `outcome::Outcome` (the row's fate, the events, at most one change to
//! the operation, and what next) and writes nothing; `Step::write` writes it in one transaction
//! under the lease. A handler that prepares a request hands on to `Submitting`'s send, and one
//! that meets a request Cloud Control cannot follow to `recover.rs`, within the same step (`step.rs`
//! drives the chain); handlers never call each other.

mod absence;
mod calls;
mod context;
mod converge;
pub mod discovery;
mod gate;
mod normalized;
mod observe;
mod outcome;
mod reaction;
mod recover;
mod requeue;
mod rotation;
mod settle;
mod situation;
mod step;
mod submit;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;
use uuid::Uuid;

use crate::cloud::Cloud;
use crate::store::notifier::Notifier;
use crate::store::work;
use calls::{account_of, pinned_account};
pub use context::StepError;
pub use requeue::Requeue;

/// How the workers pace themselves. Every field but `idle_poll` and `jitter` is a flag of
/// `ccplane serve` (`config::WorkerArgs`); `Default` gives the flags' defaults (in `config/`).
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Steps run at once in this process.
    pub concurrency: usize,
    /// How long a claim lasts without renewal.
    pub lease: Duration,
    /// Longest idle wait before looking for due work without a wake-up.
    pub idle_poll: Duration,
    /// From submitting an operation to its first status poll.
    pub first_poll: Duration,
    /// Longest gap between status polls.
    pub max_poll: Duration,
    /// Base of the retry backoff (`base · attempt⁴`).
    pub retry_base: Duration,
    /// Longest retry backoff.
    pub retry_max: Duration,
    /// Default time between drift checks of a Ready resource.
    pub drift_every: Duration,
    /// Time between the two reads that must both miss a client before it counts as gone.
    pub absence_confirm: Duration,
    /// Time between heartbeats.
    pub heartbeat: Duration,
    /// Time without a heartbeat after which another worker is taken for dead.
    pub dead_after: Duration,
    /// How long a stopping worker lets its steps in flight finish.
    pub shutdown_grace: Duration,
    /// Whether delays are spread by jitter.
    pub jitter: bool,
}

/// Heartbeats between two readings of the drift coverage gauges.
const DRIFT_GAUGES_EVERY: u64 = 5;

/// Where a test may make a worker stop dead, as if its process were killed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrashPoint {
    /// After committing the operation row, before sending the request.
    AfterPrepare,
    /// After sending the request, before storing the answer.
    AfterSend,
    /// After a status poll that found the request still running.
    AfterPoll,
    /// After the call of a rotation step (to Secrets Manager or Cognito), before its outcome
    /// is written.
    AfterRotationCall,
}

/// What one call of [`Worker::run_once`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing was due.
    Idle,
    /// One step ran.
    Stepped,
    /// The claimed resource's budget was spent: it was put back, due again after this long.
    Snoozed(Duration),
}

/// A reconciler worker: claims due resources and steps them.
#[derive(Clone)]
pub struct Worker {
    pool: PgPool,
    cloud: Cloud,
    settings: Arc<WorkerSettings>,
    id: String,
    crash_at: Option<CrashPoint>,
    notifier: Notifier,
    /// Steps in a row that failed on the database (shared by the worker's step loops).
    database_failures: Arc<AtomicU32>,
}

impl Worker {
    /// A worker with a unique id over `pool`, calling Cloud Control through `cloud` and announcing
    /// its commits through the process's `notifier`.
    pub fn new(pool: PgPool, cloud: Cloud, settings: WorkerSettings, notifier: Notifier) -> Worker {
        Worker {
            notifier,
            pool,
            cloud,
            settings: Arc::new(settings),
            id: format!("worker-{}", Uuid::new_v4().simple()),
            crash_at: None,
            database_failures: Arc::new(AtomicU32::new(0)),
        }
    }

    /// Makes this worker stop dead at `at`, leaving its lease behind (for crash-safety tests).
    pub fn crashing_at(mut self, at: CrashPoint) -> Worker {
        self.crash_at = Some(at);
        self
    }

    /// This worker's id, as written in leases.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Claims one due resource and runs one step on it.
    pub async fn run_once(&self) -> Result<Outcome, StepError> {
        let lease = self.settings.lease.as_secs_f64();
        let Some(id) = work::claim(&self.pool, &self.id, lease).await? else {
            return Ok(Outcome::Idle);
        };
        let renewal = self.keep_lease(id);
        let result = self.step_claimed(id).await;
        renewal.cancel();
        if !matches!(result, Err(StepError::Database(_))) {
            self.database_failures.store(0, Ordering::Relaxed);
        }
        match result {
            Ok(Requeue::Snooze(wait)) => {
                work::release(&self.pool, id, &self.id, Some(wait.as_secs_f64())).await?;
                return Ok(Outcome::Snoozed(wait));
            }
            Ok(after) => {
                work::release(&self.pool, id, &self.id, after.due_in_secs()).await?;
            }
            Err(StepError::Crashed(at)) => return Err(StepError::Crashed(at)),
            Err(StepError::LeaseLost) => tracing::warn!(resource = %id, "lease lost mid-step"),
            Err(StepError::Database(err)) => {
                let backoff = self.database_backoff();
                tracing::warn!(resource = %id, error = %err, retry_in = ?backoff,
                    "step failed on the database; retrying after a backoff");
                let secs = Some(backoff.as_secs_f64());
                let _ = work::release(&self.pool, id, &self.id, secs).await;
            }
        }
        Ok(Outcome::Stepped)
    }

    /// The wait after a step failed on the database (a database in trouble is not hammered by
    /// every worker at full speed).
    fn database_backoff(&self) -> Duration {
        let failures = self.database_failures.fetch_add(1, Ordering::Relaxed) + 1;
        requeue::database_backoff(&self.settings, failures)
    }

    async fn step_claimed(&self, id: Uuid) -> Result<Requeue, StepError> {
        let Some(item) =
            work::load(&self.pool, id, self.settings.drift_every.as_secs_f64()).await?
        else {
            return Ok(Requeue::OnChange);
        };
        // Every line a step logs names the resource.
        let span = tracing::info_span!("reconcile", namespace = %item.namespace, name = %item.name,
            resource = %id, identifier = item.observed.identifier.as_deref(), worker = %self.id);
        self.step(&item).instrument(span).await
    }

    /// Renews the lease on `id` every third of its length until the returned token is cancelled.
    fn keep_lease(&self, id: Uuid) -> CancellationToken {
        let done = CancellationToken::new();
        let (pool, owner, lease) = (
            self.pool.clone(),
            self.id.clone(),
            self.settings.lease.as_secs_f64(),
        );
        let stop = done.clone();
        tokio::spawn(async move {
            let every = Duration::from_secs_f64(lease / 3.0);
            while stop
                .run_until_cancelled(tokio::time::sleep(every))
                .await
                .is_some()
            {
                if !matches!(work::renew_lease(&pool, id, &owner, lease).await, Ok(true)) {
                    return;
                }
            }
        });
        done
    }

    /// Runs `concurrency` step loops until `shutdown`, waking on `changes` or when work comes due.
    /// On shutdown no new step starts; steps in flight get `shutdown_grace` to finish and are then
    /// abandoned (safe: each is durable at every line), and the worker hands its claims back and
    /// leaves the live set at once, so the others take over its work and its budget share.
    pub async fn run(self, shutdown: CancellationToken, changes: broadcast::Sender<String>) {
        let beating = CancellationToken::new();
        let heartbeat = tokio::spawn(self.clone().heartbeat(beating.clone()));
        let mut loops = tokio::task::JoinSet::new();
        for _ in 0..self.settings.concurrency.max(1) {
            loops.spawn(
                self.clone()
                    .step_loop(shutdown.clone(), changes.subscribe()),
            );
        }
        // Discoveries of user pools: one loop, background work (reconcile/discovery.rs).
        loops.spawn(
            self.clone()
                .discovery_loop(shutdown.clone(), changes.subscribe()),
        );
        shutdown.cancelled().await;
        let grace = self.settings.shutdown_grace;
        let finished =
            tokio::time::timeout(grace, async { while loops.join_next().await.is_some() {} }).await;
        if finished.is_err() {
            tracing::warn!(
                steps = loops.len(),
                "steps still running after the shutdown grace; abandoning them"
            );
            loops.shutdown().await;
        }
        beating.cancel();
        let _ = heartbeat.await;
        match self.pool.acquire().await {
            Ok(mut conn) => match work::retire(&mut conn, &self.id).await {
                Ok(released) => tracing::info!(released, "worker stopped; claims handed back"),
                Err(err) => tracing::warn!(error = %err, "could not hand the claims back"),
            },
            Err(err) => tracing::warn!(error = %err, "could not hand the claims back"),
        }
    }

    async fn step_loop(
        self,
        shutdown: CancellationToken,
        mut changes: broadcast::Receiver<String>,
    ) {
        while !shutdown.is_cancelled() {
            let wait = match self.run_once().await {
                Ok(Outcome::Stepped) => continue,
                // The budget is booked ahead: claiming the next due resource now would only snooze
                // it too, so this loop rests until the bookings run out (or a change wakes it).
                Ok(Outcome::Snoozed(wait)) => wait.min(self.settings.idle_poll),
                Ok(Outcome::Idle) => self.until_due().await,
                Err(err) => {
                    tracing::warn!(error = %err, "reconcile step failed");
                    self.until_due().await
                }
            };
            let wake = tokio::time::timeout(wait, changes.recv());
            let _ = shutdown.run_until_cancelled(wake).await;
        }
    }

    async fn until_due(&self) -> Duration {
        let idle = self.settings.idle_poll;
        match work::next_due(&self.pool).await {
            Ok(Some(at)) => (at - chrono::Utc::now())
                .to_std()
                .unwrap_or_default()
                .min(idle),
            _ => idle,
        }
    }

    /// Publishes how far drift checks have stretched: they spend at most a share of the read
    /// budget, and what that costs is visible, never silent.
    async fn report_drift_coverage(&self) {
        let every = self.settings.drift_every.as_secs_f64();
        match crate::store::namespaces::drift_ages(&self.pool, None, every).await {
            Ok(ages) => {
                metrics::gauge!("ccplane_drift_ready_clients").set(ages.ready as f64);
                metrics::gauge!("ccplane_drift_checked_within_interval")
                    .set(ages.checked_within_interval as f64);
                metrics::gauge!("ccplane_drift_oldest_check_age_seconds").set(ages.oldest_age_secs);
                metrics::gauge!("ccplane_drift_effective_interval_seconds")
                    .set(ages.effective_interval_secs());
            }
            Err(err) => tracing::debug!(error = %err, "could not read the drift coverage"),
        }
    }

    /// Keeps this worker in the live set and takes over the claims of workers that stopped
    /// beating, until `stop`.
    async fn heartbeat(self, stop: CancellationToken) {
        let every = self.settings.heartbeat;
        let dead_after = self.settings.dead_after.as_secs_f64();
        let mut beats: u64 = 0;
        loop {
            if beats.is_multiple_of(DRIFT_GAUGES_EVERY) {
                self.report_drift_coverage().await;
            }
            beats += 1;
            let beat = match self.pool.acquire().await {
                Ok(mut conn) => work::heartbeat(&mut conn, &self.id, dead_after).await,
                Err(err) => Err(err),
            };
            match beat {
                Ok(beat) => {
                    if beat.reclaimed > 0 {
                        tracing::warn!(
                            reclaimed = beat.reclaimed,
                            live = beat.live,
                            "took over the claims of a worker that stopped beating"
                        );
                    }
                }
                Err(err) => tracing::warn!(error = %err, "heartbeat failed"),
            }
            if stop
                .run_until_cancelled(tokio::time::sleep(every))
                .await
                .is_none()
            {
                return;
            }
        }
    }
}
