//! Resources: desired state, observed status and the scheduling columns of the work queue.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::postgres::PgArguments;
use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor, QueryBuilder};
use uuid::Uuid;

use super::events::{self, NewEvent};
use super::tokens::{CREDENTIAL_COLUMNS, WithCredentials};
use crate::model::decision::Normalization;
use crate::model::document::{
    Adopt, DeletionPolicy, DriftPolicy, ManagementPolicy, ReplacementPolicy, Spec,
};
use crate::model::event::{DeletionRequest, EventData, NoDetails, PhaseTransition, SpecChange};
use crate::model::rotation::{
    Rotation, RotationPhase, RotationStatus, SecretRotation, next_step_at,
};
use crate::model::status::{Condition, CurrentOperation, LastError, Phase, Status, client_id_of};

/// A resource row as the API reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResourceRow {
    /// The resource's uid.
    pub id: Uuid,
    /// Its namespace.
    pub namespace: String,
    /// Its name within the namespace.
    pub name: String,
    /// The desired state.
    #[sqlx(flatten)]
    pub spec: SpecColumns,
    /// Bumped on every change of the desired state.
    pub generation: i64,
    /// Bumped on every write by a user; the ETag.
    pub revision: i64,
    /// When deletion was requested.
    pub deletion_requested_at: Option<DateTime<Utc>>,
    /// The observed state.
    #[sqlx(flatten)]
    pub status: StatusColumns,
    /// When the row was created.
    pub created_at: DateTime<Utc>,
    /// When the row last changed.
    pub updated_at: DateTime<Utc>,
}

/// The desired-state columns.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SpecColumns {
    region: String,
    labels: Json<std::collections::BTreeMap<String, String>>,
    properties: Json<serde_json::Map<String, Value>>,
    #[sqlx(try_from = "String")]
    deletion_policy: DeletionPolicy,
    #[sqlx(try_from = "String")]
    replacement_policy: ReplacementPolicy,
    #[sqlx(try_from = "String")]
    drift_policy: DriftPolicy,
    #[sqlx(try_from = "String")]
    management_policy: ManagementPolicy,
    paused: bool,
    adopt_identifier: Option<String>,
    drift_check_interval_seconds: Option<i32>,
    secret_rotation: Option<Json<SecretRotation>>,
}

/// The observed-state columns.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StatusColumns {
    phase: Phase,
    observed_generation: Option<i64>,
    conditions: Json<Vec<Condition>>,
    identifier: Option<String>,
    previous_identifier: Option<String>,
    observed_properties: Option<Value>,
    applied_properties: Option<Json<serde_json::Map<String, Value>>>,
    normalizations: Json<Vec<Normalization>>,
    last_error: Option<Json<LastError>>,
    drift: Option<Value>,
    rotation: Option<Json<Rotation>>,
    last_rotated_at: Option<DateTime<Utc>>,
    #[sqlx(flatten)]
    operation: OperationColumns,
}

/// The in-flight operation, joined in.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OperationColumns {
    op_id: Option<Uuid>,
    op_kind: Option<String>,
    op_request_token: Option<String>,
    op_status: Option<String>,
    op_submitted_at: Option<DateTime<Utc>>,
}

impl ResourceRow {
    /// The desired state as the model knows it.
    pub fn spec(&self) -> Spec {
        self.spec.clone().into_spec()
    }

    /// The observed state as the API reports it.
    pub fn status(&self) -> Status {
        self.status.clone().into_status(self.spec.secret_rotation())
    }

    /// The rotation of the client's secret in progress, if one is.
    pub fn rotation(&self) -> Option<&Rotation> {
        self.status.rotation.as_ref().map(|r| &r.0)
    }

    /// The Cloud Control identifier of the client, once it exists.
    pub fn identifier(&self) -> Option<&str> {
        self.status.identifier.as_deref()
    }

    /// The desired properties last applied to AWS.
    pub fn applied_properties(&self) -> Option<&serde_json::Map<String, Value>> {
        self.status.applied_properties.as_ref().map(|a| &a.0)
    }

    /// What Cognito was seen to normalise, remembered per generation.
    pub fn normalizations(&self) -> &[Normalization] {
        &self.status.normalizations.0
    }

    /// Whether an operation is in flight.
    pub fn has_operation(&self) -> bool {
        self.status.operation.op_id.is_some()
    }

    /// Whether a Cloud Control client exists or may be being created for this resource.
    pub fn touched_aws(&self) -> bool {
        self.status.identifier.is_some() || self.status.operation.op_id.is_some()
    }
}

impl SpecColumns {
    /// The rotation of the client's secret the document asks for.
    pub fn secret_rotation(&self) -> Option<&SecretRotation> {
        self.secret_rotation.as_ref().map(|r| &r.0)
    }

    /// The desired state as the model knows it.
    pub fn into_spec(self) -> Spec {
        Spec {
            region: self.region,
            labels: self.labels.0,
            properties: self.properties.0,
            deletion_policy: self.deletion_policy,
            replacement_policy: self.replacement_policy,
            drift_policy: self.drift_policy,
            management_policy: self.management_policy,
            paused: self.paused,
            adopt: self.adopt_identifier.map(|identifier| Adopt { identifier }),
            drift_check_interval_seconds: self
                .drift_check_interval_seconds
                .map(|n| n.unsigned_abs()),
            secret_rotation: self.secret_rotation.map(|r| r.0),
        }
    }
}

impl StatusColumns {
    /// The observed state as the API reports it; `rotation` is what the document asks.
    pub fn into_status(self, rotation: Option<&SecretRotation>) -> Status {
        let secret_rotation = self.rotation_status(rotation);
        let op = self.operation;
        Status {
            phase: self.phase,
            observed_generation: self.observed_generation,
            conditions: self.conditions.0,
            client_id: self
                .identifier
                .as_deref()
                .and_then(client_id_of)
                .map(str::to_owned),
            identifier: self.identifier,
            previous_identifier: self.previous_identifier,
            observed_properties: self.observed_properties,
            current_operation: op.op_id.map(|id| CurrentOperation {
                id,
                kind: op.op_kind.unwrap_or_default(),
                request_token: op.op_request_token,
                status: op.op_status.unwrap_or_default(),
                submitted_at: op.op_submitted_at,
            }),
            last_error: self.last_error.map(|e| e.0),
            drift: self.drift,
            secret_rotation,
        }
    }

    /// Where the rotation of the client's secret stands: none when it is off and none runs.
    fn rotation_status(&self, asked: Option<&SecretRotation>) -> Option<RotationStatus> {
        let running = self.rotation.as_ref().map(|r| &r.0);
        if asked.is_none() && running.is_none() {
            return None;
        }
        let next_rotation_at = match running {
            None => next_step_at(asked, None, self.last_rotated_at, Utc::now()),
            Some(_) => None,
        };
        Some(RotationStatus {
            next_rotation_at,
            last_rotated_at: self.last_rotated_at,
            phase: running.map(|r| r.phase),
            retire_after: running.and_then(|r| r.retire_after),
            current_secret_id: running
                .filter(|r| r.phase == RotationPhase::Promoted)
                .and_then(|r| r.new_secret_id.clone()),
        })
    }
}

fn policy_name<T: serde::Serialize>(policy: &T) -> String {
    match serde_json::to_value(policy) {
        Ok(Value::String(name)) => name,
        _ => unreachable!("policies serialize as strings"),
    }
}

/// The select list shared by every read; `r` is a resources row, `o` its in-flight operation.
const COLUMNS: &str = "r.id, r.namespace, r.name, r.region, r.labels, r.properties,
        r.deletion_policy, r.replacement_policy, r.drift_policy, r.paused, r.adopt_identifier,
        r.drift_check_interval_seconds, r.management_policy, r.secret_rotation, r.rotation,
        r.last_rotated_at,
        r.generation, r.revision, r.deletion_requested_at, r.phase, r.observed_generation,
        r.conditions, r.identifier, r.previous_identifier, r.observed_properties,
        r.applied_properties, r.normalizations, r.last_error,
        r.drift, r.created_at, r.updated_at,
        o.id as op_id, o.kind as op_kind, o.request_token as op_request_token,
        o.status::text as op_status, o.submitted_at as op_submitted_at";

/// Every read's source: the resource and, joined in, its operation in flight.
const JOINED: &str = "resources r left join operations o on o.id = r.current_operation_id";

/// Reads one resource by namespace and name.
pub async fn get(
    exec: impl PgExecutor<'_>,
    namespace: &str,
    name: &str,
) -> Result<Option<ResourceRow>, sqlx::Error> {
    select_by_name(exec, namespace, name, "").await
}

/// Reads one resource and, in the same statement, the credentials of token `token_id` (one round
/// trip where there would be two); `None` when there is no such token.
pub async fn get_with_credentials(
    exec: impl PgExecutor<'_>,
    token_id: &str,
    namespace: &str,
    name: &str,
) -> Result<Option<WithCredentials<ResourceRow>>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {CREDENTIAL_COLUMNS}, r.id is not null as found, {COLUMNS}
         from api_tokens t
         left join ({JOINED}) on r.namespace = $2 and r.name = $3
         where t.id = $1"
    )))
    .bind(token_id)
    .bind(namespace)
    .bind(name)
    .fetch_optional(exec)
    .await
}

/// Reads one resource and locks its row until the transaction ends.
pub async fn get_for_update(
    conn: &mut PgConnection,
    namespace: &str,
    name: &str,
) -> Result<Option<ResourceRow>, sqlx::Error> {
    select_by_name(conn, namespace, name, "for update of r").await
}

async fn select_by_name(
    exec: impl PgExecutor<'_>,
    namespace: &str,
    name: &str,
    locking: &str,
) -> Result<Option<ResourceRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from {JOINED}
         where r.namespace = $1
           and r.name = $2
         {locking}"
    )))
    .bind(namespace)
    .bind(name)
    .fetch_optional(exec)
    .await
}

/// Inserts a new resource with its `SpecCreated` event.
pub async fn create(
    exec: impl PgExecutor<'_>,
    namespace: &str,
    name: &str,
    spec: &Spec,
    actor: Option<&str>,
) -> Result<Option<ResourceRow>, sqlx::Error> {
    // One statement (so one round trip, atomic even outside a transaction): the row, its event,
    // and the row read back; nothing at all when the name is taken.
    let query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "with r as (
             insert into resources (id, namespace, name, region, labels, properties,
                 deletion_policy, replacement_policy, drift_policy, paused, adopt_identifier,
                 drift_check_interval_seconds, management_policy, secret_rotation)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
             on conflict on constraint resources_namespace_name_key do nothing
             returning *
         ), e as (
             insert into events (resource_id, namespace, name, kind, generation, message, data, actor)
             select id, namespace, name, $16, 1, 'desired state created', $17, $15
             from r
         )
         select {COLUMNS}
         from r
         left join operations o on o.id = r.current_operation_id"
    )))
    .bind(Uuid::now_v7())
    .bind(namespace)
    .bind(name);
    let created = EventData::SpecCreated(SpecChange {
        changed_fields: Vec::new(),
    });
    bind_spec(query, spec)
        .bind(actor)
        .bind(created.kind().as_str())
        .bind(created.to_value())
        .fetch_optional(exec)
        .await
}

/// Replaces the desired state of `row`, records `SpecChanged` with the changed fields and wakes
/// the workers. Label-only changes keep the generation: they ask nothing of AWS.
pub async fn replace_spec(
    conn: &mut PgConnection,
    row: &ResourceRow,
    spec: &Spec,
    actor: Option<&str>,
) -> Result<ResourceRow, sqlx::Error> {
    let old = row.spec();
    let changed = old.changed_fields(spec);
    let bump = changed.iter().any(|f| f != "/labels") as i64;
    let query = sqlx::query_as(sqlx::AssertSqlSafe(update_wake_and_read(
        "region = $2, labels = $3, properties = $4, deletion_policy = $5,
         replacement_policy = $6, drift_policy = $7, paused = $8, adopt_identifier = $9,
         drift_check_interval_seconds = $10, management_policy = $11, secret_rotation = $12,
         generation = generation + $13,
         revision = revision + 1, attempt = 0",
    )))
    .bind(row.id);
    let updated = bind_spec(query, spec)
        .bind(bump)
        .fetch_one(&mut *conn)
        .await?;
    let generation = row.generation + bump;
    let data = EventData::SpecChanged(SpecChange {
        changed_fields: changed,
    });
    let event = NewEvent {
        resource_id: row.id,
        namespace: &row.namespace,
        name: &row.name,
        kind: data.kind().as_str(),
        generation: Some(generation),
        message: "desired state changed".to_owned(),
        data: data.to_value(),
        actor,
    };
    events::append(&mut *conn, &event).await?;
    Ok(updated)
}

/// Marks `row` for deletion (phase `Deleting`) and records it. A paused resource is resumed: a
/// deletion is the user's latest word, and nothing could unpause it afterwards.
pub async fn request_deletion(
    conn: &mut PgConnection,
    row: &ResourceRow,
    actor: Option<&str>,
) -> Result<ResourceRow, sqlx::Error> {
    let updated: ResourceRow = sqlx::query_as(sqlx::AssertSqlSafe(update_wake_and_read(
        "deletion_requested_at = now(), phase = 'Deleting', revision = revision + 1,
         attempt = 0, paused = false",
    )))
    .bind(row.id)
    .fetch_one(&mut *conn)
    .await?;
    let data = EventData::DeletionRequested(DeletionRequest {
        phase: PhaseTransition {
            from: row.status.phase,
            to: Phase::Deleting,
        },
    });
    let event = NewEvent {
        resource_id: row.id,
        namespace: &row.namespace,
        name: &row.name,
        kind: data.kind().as_str(),
        generation: Some(row.generation),
        message: format!(
            "deletion requested (policy {}){}",
            policy_name(&row.spec.deletion_policy),
            if row.spec.paused {
                "; resumed, so that it happens"
            } else {
                ""
            }
        ),
        data: data.to_value(),
        actor,
    };
    events::append(&mut *conn, &event).await?;
    Ok(updated)
}

/// A query reading resource rows.
type RowQuery<'q> = sqlx::query::QueryAs<'q, sqlx::Postgres, ResourceRow, PgArguments>;

/// Binds the desired-state columns of `spec` in table order.
fn bind_spec<'q>(query: RowQuery<'q>, spec: &Spec) -> RowQuery<'q> {
    query
        .bind(spec.region.clone())
        .bind(Json(spec.labels.clone()))
        .bind(Json(spec.properties.clone()))
        .bind(policy_name(&spec.deletion_policy))
        .bind(policy_name(&spec.replacement_policy))
        .bind(policy_name(&spec.drift_policy))
        .bind(spec.paused)
        .bind(spec.adopt.as_ref().map(|a| a.identifier.clone()))
        .bind(spec.drift_check_interval_seconds.map(|n| n as i32))
        .bind(policy_name(&spec.management_policy))
        .bind(spec.secret_rotation.clone().map(Json))
}

/// The statement that sets `assignments` on resource `$1` and wakes the workers for it: due now
/// when no worker holds it; else its holder looks again when it lets go (`wake_pending`), so a
/// change made mid-step is never slept through.
fn update_and_wake(assignments: &str) -> String {
    format!(
        "update resources
         set {assignments},
             next_attempt_at = case when lease_owner is null then now() else next_attempt_at end,
             wake_pending = lease_owner is not null, updated_at = now()
         where id = $1"
    )
}

/// [`update_and_wake`], reading the row back as the API shows it.
fn update_wake_and_read(assignments: &str) -> String {
    format!(
        "with r as ({} returning *)
         select {COLUMNS}
         from r
         left join operations o on o.id = r.current_operation_id",
        update_and_wake(assignments)
    )
}

/// Filters and position of a list request.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Only this namespace; all when `None`.
    pub namespace: Option<String>,
    /// Only these namespaces (the ones the caller may view); all when `None`.
    pub visible: Option<Vec<String>>,
    /// Only this phase.
    pub phase: Option<Phase>,
    /// Only clients of this user pool.
    pub user_pool_id: Option<String>,
    /// Only resources carrying all of these labels.
    pub labels: std::collections::BTreeMap<String, String>,
    /// Keyset cursor: the (namespace, name) of the last row already seen.
    pub after: Option<(String, String)>,
    /// Page size.
    pub limit: i64,
}

/// One page of resources in (namespace, name) order.
///
/// The statement names only the filters given: one shape for every filter (`$1 is null or …`)
/// gets no generic plan that uses the namespace index, so Postgres would plan it afresh on every
/// execution. Each combination is a prepared statement of its own instead.
pub async fn list(
    exec: impl PgExecutor<'_>,
    q: &ListQuery,
) -> Result<Vec<ResourceRow>, sqlx::Error> {
    let mut sql = QueryBuilder::new(format!("select {COLUMNS} from {JOINED} where true"));
    if !q.labels.is_empty() {
        sql.push(" and r.labels @> ").push_bind(Json(&q.labels));
    }
    if let Some(namespace) = &q.namespace {
        sql.push(" and r.namespace = ").push_bind(namespace);
    }
    if let Some(visible) = &q.visible {
        sql.push(" and r.namespace = any(")
            .push_bind(visible)
            .push(")");
    }
    if let Some(phase) = q.phase {
        sql.push(" and r.phase = ").push_bind(phase);
    }
    if let Some(pool) = &q.user_pool_id {
        sql.push(" and r.properties ->> 'UserPoolId' = ")
            .push_bind(pool);
    }
    if let Some((namespace, name)) = &q.after {
        sql.push(" and (r.namespace, r.name) > (")
            .push_bind(namespace)
            .push(", ")
            .push_bind(name)
            .push(")");
    }
    sql.push(" order by r.namespace, r.name limit ")
        .push_bind(q.limit);
    sql.build_query_as().fetch_all(exec).await
}

/// Which of `identifiers` a resource other than `except` manages: as its client, the client a
/// replacement left behind, or the client its document asks to adopt.
pub async fn managed_elsewhere(
    exec: impl PgExecutor<'_>,
    identifiers: &[String],
    except: Uuid,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "select distinct t.identifier
         from resources r
         cross join lateral (values (r.identifier), (r.previous_identifier), (r.adopt_identifier))
           as t(identifier)
         where r.id <> $2
           and t.identifier = any($1)",
    )
    .bind(identifiers)
    .bind(except)
    .fetch_all(exec)
    .await
}

/// How many resources are due for a reconcile step now and not leased: the queue depth.
pub async fn count_due(exec: impl PgExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select count(*)
         from resources
         where next_attempt_at <= now()
           and not paused",
    )
    .fetch_one(exec)
    .await
}

/// How many resources are in each phase, for metrics.
pub async fn count_by_phase(exec: impl PgExecutor<'_>) -> Result<Vec<(Phase, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select phase, count(*)
         from resources
         group by phase",
    )
    .fetch_all(exec)
    .await
}

/// What a user can ask the reconciler to do about a resource, besides changing its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// Look now: a drift check, or a retry of a failed apply.
    Refresh,
    /// Cancel the operation in flight.
    Cancel,
}

/// Records `request` on `row` with its event, and wakes the workers (or, if one holds the lease,
/// makes it look again when it lets go).
pub async fn request(
    conn: &mut PgConnection,
    row: &ResourceRow,
    request: Request,
    actor: Option<&str>,
) -> Result<(), sqlx::Error> {
    let (assignment, data, message) = match request {
        Request::Refresh => (
            "refresh_requested_at = now()",
            EventData::RefreshRequested(NoDetails {}),
            "a check against AWS was requested",
        ),
        Request::Cancel => (
            "cancel_requested_at = now()",
            EventData::CancelRequested(NoDetails {}),
            "cancelling the operation in flight",
        ),
    };
    sqlx::query(sqlx::AssertSqlSafe(update_and_wake(assignment)))
        .bind(row.id)
        .execute(&mut *conn)
        .await?;
    events::append(&mut *conn, &action_event(row, data, message, actor)).await?;
    Ok(())
}

/// Records that a user read the client secret (never the value).
pub async fn record_secret_read(
    exec: impl PgExecutor<'_>,
    row: &ResourceRow,
    actor: Option<&str>,
) -> Result<(), sqlx::Error> {
    let read = EventData::SecretRead(NoDetails {});
    record_action(exec, row, read, "the client secret was read", actor).await
}

/// Records on `row`'s timeline something `actor` did that changes no row (a secret read, added or
/// retired in AWS).
pub async fn record_action(
    exec: impl PgExecutor<'_>,
    row: &ResourceRow,
    data: EventData,
    message: &str,
    actor: Option<&str>,
) -> Result<(), sqlx::Error> {
    events::append(exec, &action_event(row, data, message, actor)).await?;
    Ok(())
}

fn action_event<'a>(
    row: &'a ResourceRow,
    data: EventData,
    message: &str,
    actor: Option<&'a str>,
) -> NewEvent<'a> {
    NewEvent {
        resource_id: row.id,
        namespace: &row.namespace,
        name: &row.name,
        kind: data.kind().as_str(),
        generation: Some(row.generation),
        message: message.to_owned(),
        data: data.to_value(),
        actor,
    }
}
