//! ccplane: a control plane that keeps AWS Cognito UserPoolClients in their desired state through the
//! AWS Cloud Control API.

pub mod access;
pub mod api;
pub mod cli;
pub mod cloud;
pub mod config;
pub mod model;
pub mod reconcile;
pub mod store;
pub mod telemetry;

use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::net::TcpListener;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use access::oidc;
use config::ApiArgs;

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
    /// Cancelled when the server shuts down, so endless responses (live streams) end.
    pub shutdown: CancellationToken,
    /// Cloud Control, for the few reads a request makes live (secret, plan).
    pub cloud: Option<cloud::Cloud>,
    /// Request rate limits per caller.
    pub limits: Arc<api::limits::RateLimits>,
    /// Verifies OIDC JWTs and holds the issuer's keys, when OIDC is configured.
    pub oidc: Option<Arc<oidc::Verifier>>,
    /// Commits changes and wakes workers and live streams; shared with this process's worker.
    pub notifier: store::notifier::Notifier,
}

impl AppState {
    /// State over `pool` with `settings`.
    pub fn new(pool: PgPool, settings: ApiArgs) -> Self {
        AppState(Arc::new(Shared {
            notifier: store::notifier::Notifier::spawn(pool.clone()),
            pool,
            metrics: telemetry::metrics_handle(),
            changes: broadcast::channel(1024).0,
            shutdown: CancellationToken::new(),
            cloud: None,
            oidc: settings
                .oidc
                .settings()
                .map(|oidc| Arc::new(oidc::Verifier::new(oidc))),
            limits: Arc::new(api::limits::RateLimits::new(
                settings.rate_limit_per_token,
                settings.rate_limit_burst,
            )),
            settings: Arc::new(settings),
        }))
    }

    /// The same state with `change` made to a copy of its contents.
    fn with(self, change: impl FnOnce(&mut Shared)) -> Self {
        let mut shared = Arc::unwrap_or_clone(self.0);
        change(&mut shared);
        AppState(Arc::new(shared))
    }

    /// The same state, reading live from `cloud` where a request must.
    pub fn with_cloud(self, cloud: cloud::Cloud) -> Self {
        self.with(|shared| shared.cloud = Some(cloud))
    }
}

/// Serves the API on `listener` until `shutdown` is cancelled, then drains in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let state = state.with(|shared| shared.shutdown = shutdown.clone());
    let housekeeping = tokio::spawn(housekeeping(state.pool.clone(), shutdown.clone()));
    let relay = tokio::spawn(relay_changes(
        state.pool.clone(),
        state.changes.clone(),
        shutdown.clone(),
    ));
    let edge = api::edge::Edge::new(&state.settings);
    let app = api::app(state);
    edge.run(listener, app, shutdown.clone()).await;
    shutdown.cancel();
    relay.abort();
    housekeeping.abort();
    Ok(())
}

/// Periodic clean-up: forgets idempotency keys past their time.
async fn housekeeping(pool: PgPool, shutdown: CancellationToken) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
    while shutdown.run_until_cancelled(tick.tick()).await.is_some() {
        match store::idempotency::purge_expired(&pool).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(purged = n, "expired idempotency keys forgotten"),
            Err(err) => tracing::warn!(error = %err, "idempotency key purge failed"),
        }
    }
}

/// Relays Postgres notifications of committed changes to in-process subscribers (live streams,
/// workers) until `shutdown`.
pub async fn relay_changes(
    pool: PgPool,
    changes: broadcast::Sender<String>,
    shutdown: CancellationToken,
) {
    while !shutdown.is_cancelled() {
        if let Err(err) = listen(&pool, &changes, &shutdown).await {
            tracing::warn!(error = %err, "change listener failed; reconnecting");
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
    }
}

async fn listen(
    pool: &PgPool,
    changes: &broadcast::Sender<String>,
    shutdown: &CancellationToken,
) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(store::CHANGES_CHANNEL).await?;
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return Ok(()),
            notification = listener.recv() => {
                let _ = changes.send(notification?.payload().to_owned());
            }
        }
    }
}
