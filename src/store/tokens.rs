//! API tokens: their hashed secrets, bindings, expiry and revocation.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use sqlx::types::Json;

use crate::auth::Binding;

/// A token as stored; the secret itself is never stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRow {
    /// `tok_` and 12 letters or digits.
    pub id: String,
    /// What it is for.
    pub description: String,
    /// SHA-256 of the secret, lowercase hex.
    pub secret_hash: String,
    /// The roles it grants.
    pub bindings: Json<Vec<Binding>>,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it last authenticated a request (to the minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl TokenRow {
    /// Whether it may authenticate a request at `now`.
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|at| at > now)
    }
}

const COLUMNS: &str = "id, description, secret_hash, bindings, expires_at, revoked_at,
    last_used_at, created_at, updated_at";

/// Stores a new token.
pub async fn insert(
    exec: impl PgExecutor<'_>,
    id: &str,
    description: &str,
    secret_hash: &str,
    bindings: &[Binding],
    expires_at: Option<DateTime<Utc>>,
) -> Result<TokenRow, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into api_tokens (id, description, secret_hash, bindings, expires_at)
         values ($1, $2, $3, $4, $5)
         returning {COLUMNS}"
    )))
    .bind(id)
    .bind(description)
    .bind(secret_hash)
    .bind(Json(bindings))
    .bind(expires_at)
    .fetch_one(exec)
    .await
}

/// Mints a token and stores it; returns the bearer token (to show once) and the stored row.
pub async fn issue(
    exec: impl PgExecutor<'_>,
    description: &str,
    bindings: &[Binding],
    expires_at: Option<DateTime<Utc>>,
) -> Result<(String, TokenRow), sqlx::Error> {
    let minted = crate::auth::mint_token();
    let row = insert(
        exec,
        &minted.id,
        description,
        &minted.secret_hash,
        bindings,
        expires_at,
    )
    .await?;
    Ok((minted.token, row))
}

/// Reads one token by id.
pub async fn get(exec: impl PgExecutor<'_>, id: &str) -> Result<Option<TokenRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS}
         from api_tokens
         where id = $1"
    )))
    .bind(id)
    .fetch_optional(exec)
    .await
}

/// Every token, newest first.
pub async fn list(exec: impl PgExecutor<'_>) -> Result<Vec<TokenRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS}
         from api_tokens
         order by created_at desc, id"
    )))
    .fetch_all(exec)
    .await
}

/// Revokes a token (idempotent: the first revocation time is kept); `None` when there is no such token.
pub async fn revoke(exec: impl PgExecutor<'_>, id: &str) -> Result<Option<TokenRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update api_tokens
         set revoked_at = coalesce(revoked_at, now()), updated_at = now()
         where id = $1
         returning {COLUMNS}"
    )))
    .bind(id)
    .fetch_optional(exec)
    .await
}

/// Records a use, at most once a minute per token, so busy tokens do not write on every request.
pub async fn touch(exec: impl PgExecutor<'_>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update api_tokens
         set last_used_at = now()
         where id = $1
           and (last_used_at is null or last_used_at < now() - interval '1 minute')",
    )
    .bind(id)
    .execute(exec)
    .await?;
    Ok(())
}
