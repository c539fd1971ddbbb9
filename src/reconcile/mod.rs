//! The reconciler: workers claim due resources from Postgres under a lease and run one short,
//! durable step each, so any number of replicas share the work without another coordinator.

mod backoff;
mod step;

use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;
use uuid::Uuid;

use crate::cloud::Cloud;
use crate::store::notifier::Notifier;
use crate::store::work;
pub use step::StepError;

/// How the workers pace themselves. Every field is a flag of `ccplane serve` (see `config.rs`).
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Steps run at once in this process.
    pub concurrency: usize,
    /// Seconds a claim lasts without renewal.
    pub lease_secs: f64,
    /// Longest idle wait before looking for due work without a wake-up.
    pub idle_poll: Duration,
    /// Seconds from submitting an operation to its first status poll.
    pub first_poll_secs: f64,
    /// Longest gap between status polls.
    pub max_poll_secs: f64,
    /// Base of the retry backoff (`base · attempt⁴`).
    pub retry_base_secs: f64,
    /// Longest retry backoff.
    pub retry_max_secs: f64,
    /// Backoff after access or credential errors.
    pub access_backoff_secs: f64,
    /// Default seconds between drift checks of a Ready resource.
    pub drift_every_secs: f64,
    /// Whether delays are spread by jitter.
    pub jitter: bool,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            concurrency: 16,
            lease_secs: 30.0,
            idle_poll: Duration::from_secs(1),
            first_poll_secs: 1.0,
            max_poll_secs: 20.0,
            retry_base_secs: 1.0,
            retry_max_secs: 300.0,
            access_backoff_secs: 900.0,
            drift_every_secs: 600.0,
            jitter: true,
        }
    }
}

/// Where a test may make a worker stop dead, as if its process were killed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrashPoint {
    /// After committing the operation row, before sending the request.
    AfterPrepare,
    /// After sending the request, before storing the answer.
    AfterSend,
    /// After a status poll that found the request still running.
    AfterPoll,
}

/// What one call of [`Worker::run_once`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing was due.
    Idle,
    /// One step ran.
    Stepped,
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
}

impl Worker {
    /// A worker with a unique id over `pool`, calling Cloud Control through `cloud`.
    pub fn new(pool: PgPool, cloud: Cloud, settings: WorkerSettings) -> Worker {
        Worker {
            notifier: Notifier::spawn(pool.clone()),
            pool,
            cloud,
            settings: Arc::new(settings),
            id: format!("worker-{}", Uuid::new_v4().simple()),
            crash_at: None,
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
        let lease = self.settings.lease_secs;
        let Some(id) = work::claim(&self.pool, &self.id, lease).await? else {
            return Ok(Outcome::Idle);
        };
        let span = tracing::info_span!("reconcile", resource = %id, worker = %self.id);
        let renewal = self.keep_lease(id);
        let result = self.step_claimed(id).instrument(span).await;
        renewal.cancel();
        match result {
            Ok(after) => {
                work::release(&self.pool, id, &self.id, after).await?;
            }
            Err(StepError::Crashed(at)) => return Err(StepError::Crashed(at)),
            Err(StepError::LeaseLost) => tracing::warn!(resource = %id, "lease lost mid-step"),
            Err(StepError::Database(err)) => {
                tracing::warn!(resource = %id, error = %err, "step failed on the database");
                let _ =
                    work::release(&self.pool, id, &self.id, self.settings.retry_base_secs).await;
            }
        }
        Ok(Outcome::Stepped)
    }

    async fn step_claimed(&self, id: Uuid) -> Result<step::Next, StepError> {
        match work::load(&self.pool, id, self.settings.drift_every_secs).await? {
            Some(item) => self.step(&item).await,
            None => Ok(0.0),
        }
    }

    /// Renews the lease on `id` every third of its length until the returned token is cancelled.
    fn keep_lease(&self, id: Uuid) -> CancellationToken {
        let done = CancellationToken::new();
        let (pool, owner, lease) = (self.pool.clone(), self.id.clone(), self.settings.lease_secs);
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
    pub async fn run(self, shutdown: CancellationToken, changes: broadcast::Sender<String>) {
        let mut loops = tokio::task::JoinSet::new();
        loops.spawn(self.clone().heartbeat(shutdown.clone()));
        for _ in 0..self.settings.concurrency.max(1) {
            loops.spawn(
                self.clone()
                    .step_loop(shutdown.clone(), changes.subscribe()),
            );
        }
        while loops.join_next().await.is_some() {}
        let _ = work::retire(&self.pool, &self.id).await;
    }

    async fn step_loop(
        self,
        shutdown: CancellationToken,
        mut changes: broadcast::Receiver<String>,
    ) {
        while !shutdown.is_cancelled() {
            match self.run_once().await {
                Ok(Outcome::Stepped) => continue,
                Ok(Outcome::Idle) => {}
                Err(err) => tracing::warn!(error = %err, "reconcile step failed"),
            }
            let wait = self.until_due().await;
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

    /// Keeps this worker in the live set and its share of the AWS budget current.
    async fn heartbeat(self, shutdown: CancellationToken) {
        let every = Duration::from_secs(5);
        loop {
            if let Ok(mut conn) = self.pool.acquire().await
                && let Ok(live) = work::heartbeat(&mut conn, &self.id, 15.0).await
            {
                self.cloud.limiter().set_share(1.0 / live.max(1) as f64);
            }
            if shutdown
                .run_until_cancelled(tokio::time::sleep(every))
                .await
                .is_none()
            {
                return;
            }
        }
    }
}
