//! Serving the API: the edge, the router, and the periodic clean-up, until shutdown.

use sqlx::PgPool;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::state::AppState;
use crate::store;

/// Serves the API on `listener` until `shutdown` is cancelled, then drains in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let state = state.with(|shared| shared.shutdown = shutdown.clone());
    let housekeeping = tokio::spawn(housekeeping(state.pool.clone(), shutdown.clone()));
    let relay = tokio::spawn(store::notifier::relay_changes(
        state.pool.clone(),
        state.changes.clone(),
        shutdown.clone(),
    ));
    let streams = tokio::spawn(super::live::feed_streams(state.clone(), shutdown.clone()));
    let edge = super::edge::Edge::new(&state.settings);
    let app = super::app(state);
    edge.run(listener, app, shutdown.clone()).await;
    shutdown.cancel();
    relay.abort();
    streams.abort();
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
