//! Operations: one row per Cloud Control request, committed before the request is sent.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use sqlx::types::Json;
use uuid::Uuid;

use crate::model::operation::{OperationKind, OperationRequest, OperationStatus};

/// An operation as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OperationRow {
    /// ccplane's id of the operation.
    pub id: Uuid,
    /// The resource it acts on.
    pub resource_id: Uuid,
    /// What it does.
    #[sqlx(try_from = "String")]
    pub kind: OperationKind,
    /// The idempotency token sent with every attempt of this request.
    pub client_token: String,
    /// Cloud Control's token, once it accepted the request.
    pub request_token: Option<String>,
    /// The generation it serves.
    pub generation: i64,
    /// The identifier it acts on (Update, Delete).
    pub identifier: Option<String>,
    /// What is sent, secret-free.
    pub request: Json<OperationRequest>,
    /// The IAM role Cloud Control runs the handler with, as the namespace named it when sent.
    pub role_arn: Option<String>,
    /// `Prepared` until accepted, then Cloud Control's status.
    pub status: OperationStatus,
    /// The HandlerErrorCode of a failed request.
    pub error_code: Option<String>,
    /// Cloud Control's message about its status.
    pub status_message: Option<String>,
    /// How many times its status was asked for.
    pub polls: i32,
    /// When Cloud Control accepted it.
    pub submitted_at: Option<DateTime<Utc>>,
}

/// An operation about to be sent.
#[derive(Debug, Clone)]
pub struct NewOperation<'a> {
    /// The resource it acts on.
    pub resource_id: Uuid,
    /// What it does.
    pub kind: OperationKind,
    /// The generation it serves.
    pub generation: i64,
    /// The identifier it acts on.
    pub identifier: Option<&'a str>,
    /// What is sent.
    pub request: &'a OperationRequest,
    /// The handler role it is sent with.
    pub role_arn: Option<&'a str>,
}

const COLUMNS: &str = "id, resource_id, kind, client_token, request_token, generation, identifier,
    request, role_arn, status, error_code, status_message, polls, submitted_at";

/// Inserts an operation with a fresh ClientToken; every retry of it reuses that token.
pub async fn insert(
    exec: impl PgExecutor<'_>,
    new: &NewOperation<'_>,
) -> Result<OperationRow, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into operations (id, resource_id, kind, client_token, generation, identifier, request,
                                 role_arn)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         returning {COLUMNS}"
    )))
    .bind(id)
    .bind(new.resource_id)
    .bind(new.kind.as_str())
    .bind(format!("ccplane-{}", Uuid::new_v4()))
    .bind(new.generation)
    .bind(new.identifier)
    .bind(Json(new.request))
    .bind(new.role_arn)
    .fetch_one(exec)
    .await
}

/// Reads one operation.
pub async fn get(exec: impl PgExecutor<'_>, id: Uuid) -> Result<Option<OperationRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS}
         from operations
         where id = $1"
    )))
    .bind(id)
    .fetch_optional(exec)
    .await
}

/// What Cloud Control said about a request, as stored.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    /// The request's token.
    pub request_token: &'a str,
    /// Its status.
    pub status: OperationStatus,
    /// The resource's identifier, once known (a create learns it here).
    pub identifier: Option<&'a str>,
    /// The HandlerErrorCode of a failed request.
    pub error_code: Option<&'a str>,
    /// Cloud Control's message.
    pub message: Option<&'a str>,
    /// When to ask again.
    pub retry_after: Option<DateTime<Utc>>,
}

/// Records what Cloud Control answered: the RequestToken (first time), the status and the
/// identifier. Each call counts as one look at the request (`polls`).
pub async fn record_progress(
    exec: impl PgExecutor<'_>,
    id: Uuid,
    answer: &Answer<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update operations
         set request_token = $2, status = $3, error_code = $4, status_message = $5,
             retry_after = $6, polls = polls + 1, identifier = coalesce(identifier, $7),
             submitted_at = coalesce(submitted_at, now()),
             settled_at = case when $8 then now() end,
             updated_at = now()
         where id = $1",
    )
    .bind(id)
    .bind(answer.request_token)
    .bind(answer.status)
    .bind(answer.error_code)
    .bind(answer.message)
    .bind(answer.retry_after)
    .bind(answer.identifier)
    .bind(answer.status.is_terminal())
    .execute(exec)
    .await?;
    Ok(())
}

/// Counts a status poll that got no answer, so the next one backs off further.
pub async fn count_failed_poll(exec: impl PgExecutor<'_>, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update operations
         set polls = polls + 1, updated_at = now()
         where id = $1",
    )
    .bind(id)
    .execute(exec)
    .await?;
    Ok(())
}

/// Records the RequestToken Cloud Control named when it refused a re-send of this operation's
/// ClientToken (`ClientTokenConflictException`): the operation resumes by polling that request.
pub async fn resume(
    exec: impl PgExecutor<'_>,
    id: Uuid,
    request_token: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update operations
         set request_token = $2, status = $3,
             submitted_at = coalesce(submitted_at, now()), updated_at = now()
         where id = $1",
    )
    .bind(id)
    .bind(request_token)
    .bind(OperationStatus::InProgress)
    .execute(exec)
    .await?;
    Ok(())
}

/// Closes an operation that will not be asked about again (a synchronous refusal, an expired token).
pub async fn abandon(
    exec: impl PgExecutor<'_>,
    id: Uuid,
    code: &str,
    message: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update operations
         set status = $4, error_code = $2, status_message = $3, settled_at = now(),
             updated_at = now()
         where id = $1",
    )
    .bind(id)
    .bind(code)
    .bind(message)
    .bind(OperationStatus::Failed)
    .execute(exec)
    .await?;
    Ok(())
}
