//! Discoveries of user pools: the rows the API starts and reads, the claim and fenced writes of the
//! worker that lists and reads the pool, and the one transaction of a bulk adoption.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::events::{self, NewEvent};
use super::resources;
use super::work::{LeaseLost, WriteError};
use crate::model::discovery::{
    AdoptionData, ClientState, DiscoveryData, DiscoveryPhase, DiscoveryProgress,
};
use crate::model::document::Spec;
use crate::model::event::{ClientRef, EventData};

/// What last went wrong for a discovery, or for one of its clients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiscoveryError {
    /// Cloud Control's error code.
    pub code: String,
    /// Its words.
    pub message: String,
    /// Whether it is retried.
    pub retryable: bool,
    /// When it happened.
    pub at: DateTime<Utc>,
}

/// A discovery as the API reads it, with its counts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DiscoveryRow {
    /// Its id.
    pub id: Uuid,
    /// The namespace it was started in.
    pub namespace: String,
    /// The user pool.
    pub user_pool_id: String,
    /// The pool's region.
    pub region: String,
    /// Where it is.
    #[sqlx(try_from = "String")]
    pub phase: DiscoveryPhase,
    /// Pages listed so far.
    pub pages: i32,
    /// Failed attempts in a row.
    pub attempt: i32,
    /// The last error.
    pub last_error: Option<Json<DiscoveryError>>,
    /// Who started it.
    pub actor: Option<String>,
    /// When it ended.
    pub finished_at: Option<DateTime<Utc>>,
    /// When it was started.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// Its counts.
    #[sqlx(flatten)]
    pub progress: ProgressColumns,
}

/// The counts of a discovery's clients.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct ProgressColumns {
    listed: i64,
    read: i64,
    already_managed: i64,
    owned_by_another_service: i64,
    failed: i64,
    adopted: i64,
}

impl ProgressColumns {
    /// The counts as the model knows them.
    pub fn progress(self) -> DiscoveryProgress {
        DiscoveryProgress {
            listed: self.listed,
            read: self.read,
            already_managed: self.already_managed,
            owned_by_another_service: self.owned_by_another_service,
            failed: self.failed,
            adopted: self.adopted,
        }
    }
}

/// One listed client of a discovery.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DiscoveredClientRow {
    /// Its ClientId.
    pub client_id: String,
    /// Its place in the listing.
    pub position: i32,
    /// Its ClientName, once known.
    pub client_name: Option<String>,
    /// What became of it.
    #[sqlx(try_from = "String")]
    pub state: ClientState,
    /// The AWS service that made it, if its name says so.
    pub service_owner: Option<String>,
    /// `namespace/name` of the resource that manages it, when in the discovery's namespace.
    pub managed_by: Option<String>,
    /// Its live properties without the secret.
    pub observed_properties: Option<Json<Map<String, Value>>>,
    /// The properties a person would write.
    pub proposed_properties: Option<Json<Map<String, Value>>>,
    /// The proposed resource name, unique in the namespace when it was read.
    pub proposed_name: Option<String>,
    /// Why it could not be read.
    pub error: Option<Json<DiscoveryError>>,
    /// The resource it was adopted as.
    pub adopted_as: Option<String>,
}

/// The select list of [`DiscoveryRow`] from `discoveries d`.
const COLUMNS: &str = "d.id, d.namespace, d.user_pool_id, d.region, d.phase, d.pages, d.attempt,
        d.last_error, d.actor, d.finished_at, d.created_at, d.updated_at,
        c.listed, c.read, c.already_managed, c.owned_by_another_service, c.failed, c.adopted";

/// Every read's source: a discovery and the counts of its clients.
const COUNTED: &str = "discoveries d
     cross join lateral (
         select count(*) as listed,
                count(*) filter (where state in ('Read', 'Adopted')) as read,
                count(*) filter (where state = 'Managed') as already_managed,
                count(*) filter (where service_owner is not null) as owned_by_another_service,
                count(*) filter (where state = 'Failed') as failed,
                count(*) filter (where state = 'Adopted') as adopted
         from discovered_clients dc
         where dc.discovery_id = d.id
     ) c";

/// The timeline name of a discovery's events (never a resource's: names are DNS labels).
pub fn timeline_name(id: Uuid) -> String {
    format!("discoveries/{id}")
}

/// Starts a discovery of `user_pool_id` in `region` for `namespace`, with its `DiscoveryStarted`
/// event; due at once.
pub async fn create(
    conn: &mut PgConnection,
    namespace: &str,
    user_pool_id: &str,
    region: &str,
    actor: Option<&str>,
) -> Result<DiscoveryRow, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query(
        "insert into discoveries (id, namespace, user_pool_id, region, actor)
         values ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(namespace)
    .bind(user_pool_id)
    .bind(region)
    .bind(actor)
    .execute(&mut *conn)
    .await?;
    let row = get(&mut *conn, namespace, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let data = EventData::DiscoveryStarted(data_of(&row, None));
    let message = format!("discovery of user pool {user_pool_id} in {region} started");
    append(&mut *conn, &row, data, message, actor).await?;
    Ok(row)
}

fn data_of(row: &DiscoveryRow, error_code: Option<String>) -> DiscoveryData {
    DiscoveryData {
        discovery: row.id,
        user_pool_id: row.user_pool_id.clone(),
        phase: row.phase,
        progress: row.progress.progress(),
        error_code,
    }
}

async fn append(
    exec: impl PgExecutor<'_>,
    row: &DiscoveryRow,
    data: EventData,
    message: String,
    actor: Option<&str>,
) -> Result<(), sqlx::Error> {
    let name = timeline_name(row.id);
    let event = NewEvent {
        resource_id: row.id,
        namespace: &row.namespace,
        name: &name,
        kind: data.kind().as_str(),
        generation: None,
        message,
        data: data.to_value(),
        actor,
    };
    events::append(exec, &event).await?;
    Ok(())
}

/// Reads discovery `id` of `namespace`.
pub async fn get(
    exec: impl PgExecutor<'_>,
    namespace: &str,
    id: Uuid,
) -> Result<Option<DiscoveryRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from {COUNTED}
         where d.namespace = $1
           and d.id = $2"
    )))
    .bind(namespace)
    .bind(id)
    .fetch_optional(exec)
    .await
}

/// Locks discovery `id` of `namespace` until the transaction ends (adoptions of one discovery
/// take turns), and reads it.
pub async fn lock(
    conn: &mut PgConnection,
    namespace: &str,
    id: Uuid,
) -> Result<Option<DiscoveryRow>, sqlx::Error> {
    let found: Option<Uuid> = sqlx::query_scalar(
        "select id
         from discoveries
         where namespace = $1
           and id = $2
         for update",
    )
    .bind(namespace)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    match found {
        Some(id) => get(&mut *conn, namespace, id).await,
        None => Ok(None),
    }
}

/// One page of `namespace`'s discoveries, newest first, before `before` (exclusive).
pub async fn list(
    exec: impl PgExecutor<'_>,
    namespace: &str,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Vec<DiscoveryRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from {COUNTED}
         where d.namespace = $1
           and ($2::uuid is null or d.id < $2)
         order by d.id desc
         limit $3"
    )))
    .bind(namespace)
    .bind(before)
    .bind(limit)
    .fetch_all(exec)
    .await
}

/// Every client discovery `id` listed, in listing order.
pub async fn clients(
    exec: impl PgExecutor<'_>,
    id: Uuid,
) -> Result<Vec<DiscoveredClientRow>, sqlx::Error> {
    sqlx::query_as(
        "select client_id, position, client_name, state, service_owner, managed_by,
                observed_properties, proposed_properties, proposed_name, error, adopted_as
         from discovered_clients
         where discovery_id = $1
         order by position",
    )
    .bind(id)
    .fetch_all(exec)
    .await
}

/// A discovery claimed by a worker, with what its calls need of its namespace.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    /// Its id.
    pub id: Uuid,
    /// Its namespace.
    pub namespace: String,
    /// The user pool.
    pub user_pool_id: String,
    /// The pool's region.
    pub region: String,
    /// Where it is.
    #[sqlx(try_from = "String")]
    pub phase: DiscoveryPhase,
    /// Where the listing resumes.
    pub next_token: Option<String>,
    /// Failed attempts in a row.
    pub attempt: i32,
    /// The namespace's IAM role for Cloud Control.
    pub role_arn: Option<String>,
    /// The role that reaches the namespace's account.
    pub assume_role_arn: Option<String>,
    /// That role's external ID.
    pub external_id: Option<String>,
}

/// Claims the most overdue discovery that is listing or reading, leasing it to `owner` for
/// `lease_secs` (the lease doubles as the retry time, as for resources).
pub async fn claim(
    exec: impl PgExecutor<'_>,
    owner: &str,
    lease_secs: f64,
) -> Result<Option<Claimed>, sqlx::Error> {
    sqlx::query_as(
        "with candidate as (
             select id
             from discoveries
             where next_attempt_at <= now()
               and phase in ('Listing', 'Reading')
             order by next_attempt_at
             limit 1
             for update skip locked
         ), claimed as (
             update discoveries
             set lease_owner = $1,
                 lease_expires_at = now() + make_interval(secs => $2),
                 next_attempt_at = now() + make_interval(secs => $2)
             where id = (select id from candidate)
             returning id, namespace, user_pool_id, region, phase, next_token, attempt
         )
         select claimed.*, n.role_arn, n.assume_role_arn, n.external_id
         from claimed
         left join namespaces n on n.name = claimed.namespace",
    )
    .bind(owner)
    .bind(lease_secs)
    .fetch_optional(exec)
    .await
}

/// Up to `limit` clients of discovery `id` still to read, in listing order.
pub async fn pending(
    exec: impl PgExecutor<'_>,
    id: Uuid,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "select client_id
         from discovered_clients
         where discovery_id = $1
           and state = 'Pending'
         order by position
         limit $2",
    )
    .bind(id)
    .bind(limit)
    .fetch_all(exec)
    .await
}

/// The names a new resource of discovery `id` may not take: `namespace`'s resources', and the
/// names already proposed for the discovery's other clients.
pub async fn taken_names(
    exec: impl PgExecutor<'_>,
    namespace: &str,
    id: Uuid,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "select name from resources where namespace = $1
         union
         select proposed_name from discovered_clients
         where discovery_id = $2
           and proposed_name is not null",
    )
    .bind(namespace)
    .bind(id)
    .fetch_all(exec)
    .await
}

/// The names of `namespace`'s resources.
pub async fn existing_names(
    exec: impl PgExecutor<'_>,
    namespace: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "select name
         from resources
         where namespace = $1",
    )
    .bind(namespace)
    .fetch_all(exec)
    .await
}

/// The resources that manage any of `identifiers` (as their client, a replacement's old one, or
/// the client their document adopts): `(identifier, namespace, name)`.
pub async fn managing(
    exec: impl PgExecutor<'_>,
    identifiers: &[String],
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "select distinct t.identifier, r.namespace, r.name
         from resources r
         cross join lateral (values (r.identifier), (r.previous_identifier), (r.adopt_identifier))
           as t(identifier)
         where t.identifier = any($1)",
    )
    .bind(identifiers)
    .fetch_all(exec)
    .await
}

/// A client a listing found.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// Its ClientId.
    pub client_id: String,
    /// Its ClientName, when the listing shows it.
    pub client_name: Option<String>,
    /// `Pending` (to read) or `Managed`.
    pub state: ClientState,
    /// `namespace/name` of the resource managing it, when in the discovery's namespace.
    pub managed_by: Option<String>,
}

/// What a read of one client found.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadOutcome {
    /// Read: what it is, and what a person would write for it.
    Read {
        /// Its ClientName.
        client_name: Option<String>,
        /// The AWS service that made it.
        service_owner: Option<String>,
        /// Live properties without the secret.
        observed: Map<String, Value>,
        /// The proposed properties.
        proposed: Map<String, Value>,
        /// The proposed resource name.
        name: String,
    },
    /// It could not be read, and will not be tried again.
    Failed(DiscoveryError),
}

/// How a step's save reports itself on the discovery's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// Nothing worth an event (a retry of a step already reported).
    Quiet,
    /// A page listed or clients read.
    Progressed,
    /// The last client read.
    Finished,
    /// The pool could not be listed.
    Failed,
}

/// What one discovery step decided; [`save`] writes it in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscoveryStep {
    /// The phase after the step.
    pub phase: DiscoveryPhase,
    /// Where the listing resumes.
    pub next_token: Option<String>,
    /// Whether a page was listed.
    pub listed_page: bool,
    /// The clients the page listed.
    pub listed: Vec<Listed>,
    /// The clients read, by ClientId.
    pub read: Vec<(String, ReadOutcome)>,
    /// Failed attempts in a row after the step.
    pub attempt: i32,
    /// The error the step met, if any.
    pub error: Option<DiscoveryError>,
    /// When to step again: seconds from now; none when the discovery is over.
    pub due_in_secs: Option<f64>,
    /// Its event.
    pub report: Report,
    /// The event's sentence.
    pub message: String,
}

/// Writes `step` for discovery `claimed` if `owner` still holds its lease, with its event, and
/// ends the lease. Returns the discovery as saved.
pub async fn save(
    conn: &mut PgConnection,
    claimed: &Claimed,
    owner: &str,
    step: &DiscoveryStep,
) -> Result<DiscoveryRow, WriteError> {
    let done = sqlx::query(
        "update discoveries
         set phase = $3, next_token = $4, pages = pages + $5, attempt = $6, last_error = $7,
             next_attempt_at = now() + make_interval(secs => $8),
             finished_at = case when $3 in ('Complete', 'Failed') then now() end,
             lease_owner = null, lease_expires_at = null, updated_at = now()
         where id = $1
           and lease_owner = $2",
    )
    .bind(claimed.id)
    .bind(owner)
    .bind(step.phase.as_str())
    .bind(&step.next_token)
    .bind(i32::from(step.listed_page))
    .bind(step.attempt)
    .bind(step.error.as_ref().map(Json))
    .bind(step.due_in_secs)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(LeaseLost.into());
    }
    for listed in &step.listed {
        sqlx::query(
            "insert into discovered_clients
                 (discovery_id, client_id, position, client_name, state, managed_by)
             values ($1, $2,
                     (select count(*) from discovered_clients where discovery_id = $1),
                     $3, $4, $5)
             on conflict on constraint discovered_clients_pkey do nothing",
        )
        .bind(claimed.id)
        .bind(&listed.client_id)
        .bind(&listed.client_name)
        .bind(listed.state.as_str())
        .bind(&listed.managed_by)
        .execute(&mut *conn)
        .await?;
    }
    for (client_id, outcome) in &step.read {
        let query = match outcome {
            ReadOutcome::Read {
                client_name,
                service_owner,
                observed,
                proposed,
                name,
            } => sqlx::query(
                "update discovered_clients
                 set state = 'Read', client_name = $3, service_owner = $4,
                     observed_properties = $5, proposed_properties = $6, proposed_name = $7,
                     error = null, updated_at = now()
                 where discovery_id = $1
                   and client_id = $2",
            )
            .bind(claimed.id)
            .bind(client_id)
            .bind(client_name)
            .bind(service_owner)
            .bind(Json(observed))
            .bind(Json(proposed))
            .bind(name),
            ReadOutcome::Failed(error) => sqlx::query(
                "update discovered_clients
                 set state = 'Failed', error = $3, updated_at = now()
                 where discovery_id = $1
                   and client_id = $2",
            )
            .bind(claimed.id)
            .bind(client_id)
            .bind(Json(error)),
        };
        query.execute(&mut *conn).await?;
    }
    let row = get(&mut *conn, &claimed.namespace, claimed.id)
        .await?
        .ok_or(LeaseLost)?;
    let code = step.error.as_ref().map(|e| e.code.clone());
    let data = match step.report {
        Report::Quiet => None,
        Report::Progressed => Some(EventData::DiscoveryProgressed(data_of(&row, code))),
        Report::Finished => Some(EventData::DiscoveryFinished(data_of(&row, code))),
        Report::Failed => Some(EventData::DiscoveryFailed(data_of(&row, code))),
    };
    if let Some(data) = data {
        append(&mut *conn, &row, data, step.message.clone(), None).await?;
    }
    Ok(row)
}

/// Ends `owner`'s lease on discovery `id`, due again `after_secs` from now (a step that failed on
/// the database).
pub async fn release(
    exec: impl PgExecutor<'_>,
    id: Uuid,
    owner: &str,
    after_secs: f64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update discoveries
         set lease_owner = null, lease_expires_at = null,
             next_attempt_at = now() + make_interval(secs => $3)
         where id = $1
           and lease_owner = $2",
    )
    .bind(id)
    .bind(owner)
    .bind(after_secs)
    .execute(exec)
    .await?;
    Ok(())
}

/// The moment the next discovery comes due, if any.
pub async fn next_due(exec: impl PgExecutor<'_>) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar(
        "select min(next_attempt_at)
         from discoveries
         where phase in ('Listing', 'Reading')",
    )
    .fetch_one(exec)
    .await
}

/// One client to adopt: the resource it becomes.
#[derive(Debug, Clone)]
pub struct Adoption {
    /// Its ClientId.
    pub client_id: String,
    /// The resource's name.
    pub name: String,
    /// The resource's desired state (`adopt.identifier` set).
    pub spec: Spec,
    /// Its Cloud Control identifier.
    pub identifier: String,
    /// Its live properties as the discovery read them, without the secret.
    pub observed: Map<String, Value>,
}

/// Creates a resource for each of `adoptions` from discovery `row`, in the caller's transaction:
/// each with its `SpecCreated` and `Adopted` events, its client already known (the discovery read
/// it), so that its first step reads and compares it and sends nothing when it is in sync; then
/// marks the clients adopted and records `ClientsAdopted`. Returns the names that were taken
/// meanwhile (then the caller rolls back: all or none).
pub async fn adopt(
    conn: &mut PgConnection,
    row: &DiscoveryRow,
    adoptions: &[Adoption],
    actor: Option<&str>,
) -> Result<Vec<String>, sqlx::Error> {
    let mut taken = Vec::new();
    for adoption in adoptions {
        let created = resources::create(
            &mut *conn,
            &row.namespace,
            &adoption.name,
            &adoption.spec,
            actor,
        )
        .await?;
        let Some(created) = created else {
            taken.push(adoption.name.clone());
            continue;
        };
        sqlx::query(
            "update resources
             set identifier = $2, observed_properties = $3
             where id = $1",
        )
        .bind(created.id)
        .bind(&adoption.identifier)
        .bind(Json(&adoption.observed))
        .execute(&mut *conn)
        .await?;
        let data = EventData::Adopted(ClientRef::of(&adoption.identifier));
        let event = NewEvent {
            resource_id: created.id,
            namespace: &row.namespace,
            name: &adoption.name,
            kind: data.kind().as_str(),
            generation: Some(created.generation),
            message: format!(
                "took over the existing client {} (discovery {})",
                adoption.identifier, row.id
            ),
            data: data.to_value(),
            actor,
        };
        events::append(&mut *conn, &event).await?;
        sqlx::query(
            "update discovered_clients
             set state = 'Adopted', adopted_as = $3, updated_at = now()
             where discovery_id = $1
               and client_id = $2",
        )
        .bind(row.id)
        .bind(&adoption.client_id)
        .bind(&adoption.name)
        .execute(&mut *conn)
        .await?;
    }
    if !taken.is_empty() {
        return Ok(taken);
    }
    let policy = adoptions
        .first()
        .map(|a| a.spec.management_policy)
        .unwrap_or_default();
    let data = EventData::ClientsAdopted(AdoptionData {
        discovery: row.id,
        adopted: adoptions.len(),
        management_policy: policy,
    });
    let message = format!(
        "{} client(s) of user pool {} adopted",
        adoptions.len(),
        row.user_pool_id
    );
    append(&mut *conn, row, data, message, actor).await?;
    Ok(taken)
}
