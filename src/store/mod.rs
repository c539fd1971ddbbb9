//! All SQL: free functions over sqlx; the caller owns the transaction.

pub mod events;
pub mod idempotency;
pub mod namespaces;
pub mod notifier;
pub mod operations;
pub mod resources;
pub mod tokens;
pub mod work;

use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

/// The channel a committed change is announced on; the payload is the namespace.
pub const CHANGES_CHANNEL: &str = "ccplane_changes";

/// Errors the store reports to its callers.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Anything else the database said.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// The embedded migrations in `migrations/`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Connects to `url`, creating the database first when it does not exist, and applies migrations.
pub async fn connect_and_migrate(url: &str, max_connections: u32) -> anyhow::Result<PgPool> {
    use sqlx::migrate::MigrateDatabase;
    if !sqlx::Postgres::database_exists(url).await? {
        sqlx::Postgres::create_database(url).await?;
    }
    // No ping before each acquire: it doubled every request's round trips. A connection that died
    // while idle fails its next query instead, and the pool replaces it.
    let pool = PgPoolOptions::new()
        .max_connections(max_connections)
        .test_before_acquire(false)
        .connect(url)
        .await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// Whether the database answers and every embedded migration has been applied.
pub async fn is_ready(pool: &PgPool) -> bool {
    let applied: Result<i64, _> =
        sqlx::query_scalar("select count(*) from _sqlx_migrations where success")
            .fetch_one(pool)
            .await;
    matches!(applied, Ok(n) if n as usize >= MIGRATOR.iter().count())
}
