//! What every request handler shares: the database, settings, the notifier, rate limits and the
//! optional Cloud Control connection.

use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;
use sqlx::PgPool;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use crate::access::oidc;
use crate::config::ApiArgs;
use crate::{cloud, store, telemetry};

/// Everything a request handler needs; cloned into each request (several times, by axum's
/// extractors and middleware), so it is one shared allocation.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The contents of [`AppState`].
#[derive(Clone)]
pub struct Shared {
    /// The database.
    pub pool: PgPool,
    /// API settings.
    pub settings: Arc<ApiArgs>,
    /// Renders `/metrics`.
    pub metrics: PrometheusHandle,
    /// Committed changes, by namespace, as announced by Postgres.
    pub changes: broadcast::Sender<String>,
    /// What feeds every live stream of the process.
    pub live: Arc<super::live::Feed>,
    /// Cancelled when the server shuts down, so endless responses (live streams) end.
    pub shutdown: CancellationToken,
    /// Cloud Control, for the few reads a request makes live (secret, plan).
    pub cloud: Option<cloud::Cloud>,
    /// Request rate limits per caller.
    pub limits: Arc<super::limits::RateLimits>,
    /// Verifies OIDC JWTs and holds the issuer's keys, when OIDC is configured.
    pub oidc: Option<Arc<oidc::Verifier>>,
    /// Commits changes and wakes workers and live streams; shared with this process's worker.
    pub notifier: store::notifier::Notifier,
    /// The workers' default drift interval, against which a namespace's drift coverage is shown.
    pub drift_interval: std::time::Duration,
}

impl AppState {
    /// State over `pool` with `settings`.
    pub fn new(pool: PgPool, settings: ApiArgs) -> Self {
        AppState(Arc::new(Shared {
            notifier: store::notifier::Notifier::spawn(pool.clone()),
            pool,
            metrics: telemetry::metrics_handle(),
            changes: broadcast::channel(1024).0,
            live: Arc::default(),
            shutdown: CancellationToken::new(),
            cloud: None,
            oidc: settings
                .oidc
                .settings()
                .map(|oidc| Arc::new(oidc::Verifier::new(oidc))),
            limits: Arc::new(super::limits::RateLimits::new(
                settings.rate_limit_per_token,
                settings.rate_limit_burst,
            )),
            settings: Arc::new(settings),
            drift_interval: crate::config::defaults::DRIFT_INTERVAL.get(),
        }))
    }

    /// The same state, showing drift coverage against the workers' `interval`.
    pub fn with_drift_interval(self, interval: std::time::Duration) -> Self {
        self.with(|shared| shared.drift_interval = interval)
    }

    /// The same state with `change` made to a copy of its contents.
    pub(super) fn with(self, change: impl FnOnce(&mut Shared)) -> Self {
        let mut shared = Arc::unwrap_or_clone(self.0);
        change(&mut shared);
        AppState(Arc::new(shared))
    }

    /// The same state, reading live from `cloud` where a request must.
    pub fn with_cloud(self, cloud: cloud::Cloud) -> Self {
        self.with(|shared| shared.cloud = Some(cloud))
    }
}
