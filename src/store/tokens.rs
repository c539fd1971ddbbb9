//! API tokens: their hashed secrets, bindings, expiry and revocation.

use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use sqlx::{FromRow, PgExecutor, Row};

use super::namespaces::{COLUMNS as NAMESPACE_COLUMNS, NamespaceRow};
use crate::access::Binding;

/// A token as stored; the secret itself is never stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRow {
    /// What authentication reads of it.
    #[sqlx(flatten)]
    pub credentials: Credentials,
    /// What it is for.
    pub description: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// The select list of [`TokenRow`] from `api_tokens t`.
const COLUMNS: &str = "t.description, t.created_at, t.updated_at";

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
        "insert into api_tokens as t (id, description, secret_hash, bindings, expires_at)
         values ($1, $2, $3, $4, $5)
         returning {CREDENTIAL_COLUMNS}, {COLUMNS}"
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
    let minted = crate::access::token::mint_token();
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

/// What authenticating a request needs of a token, read in the same statement as other data
/// (the namespace's settings, or the resource the request reads) to save a round trip.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credentials {
    /// `tok_` and 12 letters or digits.
    #[sqlx(rename = "token_id")]
    pub id: String,
    /// SHA-256 of the secret, lowercase hex.
    #[sqlx(rename = "token_secret_hash")]
    pub secret_hash: String,
    /// The roles it grants.
    #[sqlx(rename = "token_bindings")]
    pub bindings: Json<Vec<Binding>>,
    /// When it stops working, if ever.
    #[sqlx(rename = "token_expires_at")]
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    #[sqlx(rename = "token_revoked_at")]
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it last authenticated a request (to the minute).
    #[sqlx(rename = "token_last_used_at")]
    pub last_used_at: Option<DateTime<Utc>>,
}

/// The select list of [`Credentials`] from `api_tokens t`.
pub const CREDENTIAL_COLUMNS: &str = "t.id as token_id, t.secret_hash as token_secret_hash,
    t.bindings as token_bindings, t.expires_at as token_expires_at,
    t.revoked_at as token_revoked_at, t.last_used_at as token_last_used_at";

/// A token's credentials and, in the same statement, the settings of `namespace` (the one the
/// request names, if any); `None` when there is no such token.
pub async fn credentials(
    exec: impl PgExecutor<'_>,
    id: &str,
    namespace: Option<&str>,
) -> Result<Option<WithCredentials<NamespaceRow>>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {CREDENTIAL_COLUMNS}, n.name is not null as found, {NAMESPACE_COLUMNS}
         from api_tokens t
         left join namespaces n on n.name = $2
         where t.id = $1"
    )))
    .bind(id)
    .bind(namespace)
    .fetch_optional(exec)
    .await
}

/// A token's credentials and what the same statement read beside them, if it found anything:
/// its columns, left-joined to the token, are null otherwise, and the boolean column `found`
/// tells which.
#[derive(Debug)]
pub struct WithCredentials<T> {
    /// The token's credentials.
    pub credentials: Credentials,
    /// The data read with them.
    pub found: Option<T>,
}

impl<'r, T: FromRow<'r, PgRow>> FromRow<'r, PgRow> for WithCredentials<T> {
    fn from_row(row: &'r PgRow) -> Result<Self, sqlx::Error> {
        let found: bool = row.try_get("found")?;
        Ok(WithCredentials {
            credentials: Credentials::from_row(row)?,
            found: found.then(|| T::from_row(row)).transpose()?,
        })
    }
}

/// Every token, newest first.
pub async fn list(exec: impl PgExecutor<'_>) -> Result<Vec<TokenRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {CREDENTIAL_COLUMNS}, {COLUMNS}
         from api_tokens t
         order by t.created_at desc, t.id"
    )))
    .fetch_all(exec)
    .await
}

/// Revokes a token (idempotent: the first revocation time is kept); `None` when there is no such token.
pub async fn revoke(exec: impl PgExecutor<'_>, id: &str) -> Result<Option<TokenRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update api_tokens t
         set revoked_at = coalesce(revoked_at, now()), updated_at = now()
         where id = $1
         returning {CREDENTIAL_COLUMNS}, {COLUMNS}"
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
