//! All SQL: free functions over sqlx that report `sqlx::Error`; the caller owns the transaction,
//! and finishes it with [`notifier::Notifier::commit`] so that workers and streams wake.

pub mod budgets;
pub mod discoveries;
pub mod events;
pub mod idempotency;
pub mod namespaces;
pub mod notifier;
pub mod operations;
pub mod resources;
pub mod tokens;
pub mod work;

use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

/// The channel a committed change is announced on; the payload is the namespace.
pub const CHANGES_CHANNEL: &str = "ccplane_changes";

/// The embedded migrations in `migrations/`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Connects to `url` with at most `max_connections` pooled connections, each acquire waiting at
/// most `acquire_timeout`; creates the database first when it does not exist, and applies
/// migrations.
pub async fn connect_and_migrate(
    url: &str,
    max_connections: u32,
    acquire_timeout: Duration,
) -> anyhow::Result<PgPool> {
    use sqlx::migrate::MigrateDatabase;
    if !sqlx::Postgres::database_exists(url).await? {
        sqlx::Postgres::create_database(url).await?;
    }
    // No ping before each acquire: it doubled every request's round trips. A connection that died
    // while idle fails its next query instead, and the pool replaces it.
    let pool = PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(acquire_timeout)
        .test_before_acquire(false)
        .connect(url)
        .await?;
    MIGRATOR.run(&pool).await?;
    warn_if_the_server_is_short(&pool, max_connections).await;
    Ok(pool)
}

/// Warns when the server cannot give this process its whole pool next to the connections already
/// open. Past `max_connections`, Postgres refuses new connections and sqlx retries the refusal until
/// the acquire timeout, even while other pooled connections sit idle: a request stalls for the
/// whole timeout (measured: 30 s with sqlx's default, one PUT in a few hundred, with an API and
/// three workers of 32 connections each on a server allowing 100).
async fn warn_if_the_server_is_short(pool: &PgPool, max_connections: u32) {
    let room: Result<(i64, i64), sqlx::Error> = sqlx::query_as(
        "select current_setting('max_connections')::int8,
                (select count(*) from pg_stat_activity where backend_type = 'client backend')",
    )
    .fetch_one(pool)
    .await;
    if let Ok((server_max, open)) = room {
        // The pool has opened at least one connection, counted in `open`; a listener adds one.
        let wanted = i64::from(max_connections) + 1;
        let free = server_max - open + 1;
        if wanted > free {
            tracing::warn!(
                pool = max_connections,
                server_max_connections = server_max,
                open_now = open,
                "this process may open more connections than the server has left: requests may \
                 stall until the acquire timeout; lower --db-max-connections or raise the \
                 server's max_connections"
            );
        }
    }
}

/// Whether the database answers and every embedded migration has been applied.
pub async fn is_ready(pool: &PgPool) -> bool {
    let applied: Result<i64, _> =
        sqlx::query_scalar("select count(*) from _sqlx_migrations where success")
            .fetch_one(pool)
            .await;
    matches!(applied, Ok(n) if n as usize >= MIGRATOR.iter().count())
}
