//! Idempotency keys: the first response to a keyed POST, replayed for retries of the same request.

use serde_json::Value;
use sqlx::PgConnection;

/// What an earlier request with the same key left behind.
#[derive(Debug, Clone, PartialEq)]
pub enum Claim {
    /// The key is new (or expired): this request owns it and must record its response.
    Fresh,
    /// The key was used for this same request: here is the response to replay.
    Replay {
        /// The HTTP status sent the first time.
        status: u16,
        /// The body sent the first time.
        body: Value,
    },
    /// The key was used for a different request.
    Mismatch,
}

/// The prefix of a fingerprint of a request's canonical form; a stored fingerprint without it was
/// made (before it existed) from the body as sent.
pub const CANONICAL_PREFIX: &str = "canonical:";

/// What identifies a keyed request.
#[derive(Debug, Clone)]
pub struct Fingerprint {
    /// [`CANONICAL_PREFIX`] and the hash of the request's canonical form: what is stored.
    pub canonical: String,
    /// The hash of the body as sent: what a row stored by an earlier version holds. Such rows
    /// expire within one `--idempotency-ttl-hours` of the upgrade.
    pub as_sent: String,
}

impl Fingerprint {
    fn matches(&self, stored: &str) -> bool {
        if stored.starts_with(CANONICAL_PREFIX) {
            stored == self.canonical
        } else {
            stored == self.as_sent
        }
    }
}

/// Claims `key` in `namespace` for a request with this `fingerprint`.
///
/// A concurrent request with the same key waits here until the first one commits, then replays it.
pub async fn claim(
    conn: &mut PgConnection,
    namespace: &str,
    key: &str,
    fingerprint: &Fingerprint,
    ttl_hours: u32,
) -> Result<Claim, sqlx::Error> {
    sqlx::query(
        "delete from idempotency_keys
         where namespace = $1
           and key = $2
           and expires_at < now()",
    )
    .bind(namespace)
    .bind(key)
    .execute(&mut *conn)
    .await?;
    let inserted = sqlx::query(
        "insert into idempotency_keys (namespace, key, request_hash, expires_at)
         values ($1, $2, $3, now() + make_interval(hours => $4))
         on conflict (namespace, key) do nothing",
    )
    .bind(namespace)
    .bind(key)
    .bind(&fingerprint.canonical)
    .bind(ttl_hours as i32)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(Claim::Fresh);
    }
    let (hash, status, body): (String, Option<i16>, Option<Value>) = sqlx::query_as(
        "select request_hash, response_status, response_body
         from idempotency_keys
         where namespace = $1
           and key = $2",
    )
    .bind(namespace)
    .bind(key)
    .fetch_one(&mut *conn)
    .await?;
    Ok(match (fingerprint.matches(&hash), status, body) {
        (true, Some(status), Some(body)) => Claim::Replay {
            status: status as u16,
            body,
        },
        _ => Claim::Mismatch,
    })
}

/// Records the response of the request that claimed `key`, in that request's transaction.
pub async fn record(
    conn: &mut PgConnection,
    namespace: &str,
    key: &str,
    status: u16,
    body: &Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update idempotency_keys
         set response_status = $3, response_body = $4, updated_at = now()
         where namespace = $1
           and key = $2",
    )
    .bind(namespace)
    .bind(key)
    .bind(status as i16)
    .bind(body)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Deletes expired keys; returns how many.
pub async fn purge_expired(exec: impl sqlx::PgExecutor<'_>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "delete from idempotency_keys
         where expires_at < now()",
    )
    .execute(exec)
    .await?;
    Ok(done.rows_affected())
}
