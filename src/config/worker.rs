//! The reconciler's flags, turned into [`WorkerSettings`].

use crate::cloud::Ceilings;
use crate::reconcile::WorkerSettings;

use super::defaults;
use super::seconds::Seconds;

/// Settings of the reconciler.
#[derive(Debug, Clone, clap::Args)]
pub struct WorkerArgs {
    /// Reconcile steps run at once in this process.
    #[arg(long, env = "CCPLANE_WORKER_CONCURRENCY", default_value_t = defaults::WORKER_CONCURRENCY)]
    pub worker_concurrency: usize,
    /// Cloud Control requests per second per account and region, shared by all workers of all
    /// replicas: a ceiling. Below it the budget finds the real rate itself (on throttling it drops
    /// to the rate AWS accepted over the last second, then probes upward), so it may be set
    /// generously. Cloud Control publishes no rate; about 30/s was measured.
    #[arg(long, env = "CCPLANE_CLOUD_RATE_LIMIT", default_value_t = defaults::CLOUD_RATE_LIMIT)]
    pub cloud_rate_limit: f64,
    /// Ceiling of Cognito's `UserPoolClientRead` category (DescribeUserPoolClient,
    /// ListUserPoolClients), calls per second per account and region (AWS: 15).
    #[arg(long, env = "CCPLANE_COGNITO_READ_LIMIT", default_value_t = defaults::COGNITO_READ_RPS)]
    pub cognito_read_limit: f64,
    /// Ceiling of Cognito's `UserPoolClientUpdate` category (Create/Update/DeleteUserPoolClient),
    /// calls per second per account and region (AWS: 15).
    #[arg(long, env = "CCPLANE_COGNITO_WRITE_LIMIT", default_value_t = defaults::COGNITO_WRITE_RPS)]
    pub cognito_write_limit: f64,
    /// Ceiling of any one Cognito operation on one user pool, calls per second (AWS: 5).
    #[arg(long, env = "CCPLANE_COGNITO_POOL_OPERATION_LIMIT", default_value_t = defaults::COGNITO_POOL_OPERATION_RPS)]
    pub cognito_pool_operation_limit: f64,
    /// The share of the Cognito read budget drift checks may spend (0 to 1); beyond it they
    /// stretch, and how far shows in metrics and each namespace's settings.
    #[arg(long, env = "CCPLANE_DRIFT_READ_SHARE", default_value_t = defaults::DRIFT_READ_SHARE, value_parser = share)]
    pub drift_read_share: f64,
    /// Seconds a worker's claim on a resource lasts without renewal.
    #[arg(long = "lease-secs", env = "CCPLANE_LEASE_SECS", default_value_t = defaults::LEASE)]
    pub lease: Seconds,
    /// Seconds from submitting an operation to its first status poll.
    #[arg(long = "first-poll-secs", env = "CCPLANE_FIRST_POLL_SECS", default_value_t = defaults::FIRST_POLL)]
    pub first_poll: Seconds,
    /// Longest gap between status polls, in seconds.
    #[arg(long = "max-poll-secs", env = "CCPLANE_MAX_POLL_SECS", default_value_t = defaults::MAX_POLL)]
    pub max_poll: Seconds,
    /// Base of the retry backoff in seconds (`base × attempt⁴`).
    #[arg(long = "retry-base-secs", env = "CCPLANE_RETRY_BASE_SECS", default_value_t = defaults::RETRY_BASE)]
    pub retry_base: Seconds,
    /// Longest retry backoff in seconds.
    #[arg(long = "retry-max-secs", env = "CCPLANE_RETRY_MAX_SECS", default_value_t = defaults::RETRY_MAX)]
    pub retry_max: Seconds,
    /// Default seconds between drift checks of a resource.
    #[arg(long = "drift-interval-secs", env = "CCPLANE_DRIFT_INTERVAL_SECS", default_value_t = defaults::DRIFT_INTERVAL)]
    pub drift_interval: Seconds,
    /// Seconds between a worker's heartbeats; each also recomputes its share of the Cloud Control
    /// budget and takes over the claims of workers that stopped beating.
    #[arg(long = "heartbeat-secs", env = "CCPLANE_HEARTBEAT_SECS", default_value_t = defaults::HEARTBEAT)]
    pub heartbeat: Seconds,
    /// Seconds without a heartbeat after which a worker counts as dead: its claims are taken over
    /// and its budget share returns to the others. Shorter takes over sooner; a worker stalled this
    /// long (not dead) loses its claims, and its late writes are refused by the lease fence.
    #[arg(long = "worker-dead-after-secs", env = "CCPLANE_WORKER_DEAD_AFTER_SECS", default_value_t = defaults::WORKER_DEAD_AFTER)]
    pub worker_dead_after: Seconds,
    /// Seconds a worker stopping (SIGTERM) gives its steps in flight to finish before it abandons
    /// them; either way it hands its claims back at once.
    #[arg(long = "shutdown-grace-secs", env = "CCPLANE_SHUTDOWN_GRACE_SECS", default_value_t = defaults::SHUTDOWN_GRACE)]
    pub shutdown_grace: Seconds,
    /// Seconds between the two reads that must both miss a client before ccplane believes it is
    /// gone (then the pool's list must miss it too).
    #[arg(long = "absence-confirm-secs", env = "CCPLANE_ABSENCE_CONFIRM_SECS", default_value_t = defaults::ABSENCE_CONFIRM)]
    pub absence_confirm: Seconds,
}

fn share(text: &str) -> Result<f64, String> {
    let share: f64 = text.parse().map_err(|e| format!("{e}"))?;
    if share > 0.0 && share <= 1.0 {
        Ok(share)
    } else {
        Err(format!("{share} is not above 0 and at most 1"))
    }
}

impl WorkerArgs {
    /// The budget's ceilings these flags describe.
    pub fn ceilings(&self) -> Ceilings {
        Ceilings {
            cloud_control: self.cloud_rate_limit,
            cognito_read: self.cognito_read_limit,
            cognito_write: self.cognito_write_limit,
            pool_operation: self.cognito_pool_operation_limit,
            background_read_share: self.drift_read_share,
        }
    }

    /// The worker settings these flags describe.
    pub fn settings(&self) -> WorkerSettings {
        WorkerSettings {
            concurrency: self.worker_concurrency,
            lease: self.lease.get(),
            first_poll: self.first_poll.get(),
            max_poll: self.max_poll.get(),
            retry_base: self.retry_base.get(),
            retry_max: self.retry_max.get(),
            drift_every: self.drift_interval.get(),
            absence_confirm: self.absence_confirm.get(),
            heartbeat: self.heartbeat.get(),
            dead_after: self.worker_dead_after.get(),
            shutdown_grace: self.shutdown_grace.get(),
            ..WorkerSettings::default()
        }
    }
}

/// AWS's documented budget.
impl Default for Ceilings {
    fn default() -> Self {
        Ceilings {
            cloud_control: defaults::CLOUD_RATE_LIMIT,
            cognito_read: defaults::COGNITO_READ_RPS,
            cognito_write: defaults::COGNITO_WRITE_RPS,
            pool_operation: defaults::COGNITO_POOL_OPERATION_RPS,
            background_read_share: defaults::DRIFT_READ_SHARE,
        }
    }
}

/// The settings of a worker started without flags.
impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            concurrency: defaults::WORKER_CONCURRENCY,
            lease: defaults::LEASE.get(),
            idle_poll: defaults::IDLE_POLL.get(),
            first_poll: defaults::FIRST_POLL.get(),
            max_poll: defaults::MAX_POLL.get(),
            retry_base: defaults::RETRY_BASE.get(),
            retry_max: defaults::RETRY_MAX.get(),
            drift_every: defaults::DRIFT_INTERVAL.get(),
            absence_confirm: defaults::ABSENCE_CONFIRM.get(),
            heartbeat: defaults::HEARTBEAT.get(),
            dead_after: defaults::WORKER_DEAD_AFTER.get(),
            shutdown_grace: defaults::SHUTDOWN_GRACE.get(),
            jitter: true,
        }
    }
}
