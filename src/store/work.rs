//! The reconciler's side of the resources table: claiming due rows under a lease, reading what a
//! step needs, and writing each step's outcome with its events, fenced by the lease.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::events::{self, NewEvent};
use crate::model::event::{EventData, ForgottenClient, PhaseTransition};
use crate::model::status::Phase;
use crate::model::work::{Consumed, Observed, StepEvent, WorkItem};

/// Claims the next resource to step, leasing it to `owner` for `lease_secs`; the lease doubles as
/// the retry time (if the worker dies, the row comes due again when the lease runs out).
///
/// The order is a promise (DESIGN.md, "Scheduling"): among due rows that are not paused or leased,
/// user intent before background work (the generated `background` column: a drift check of a
/// client at rest), then the namespace with the fewest turns (`namespace_turns.served`, weighted),
/// then the most overdue. Each claim advances its namespace's turn from at least the virtual time,
/// so a namespace rejoining after a quiet spell waits at most one turn of each busy one and cannot
/// bank turns while away.
pub async fn claim(
    pool: &sqlx::PgPool,
    owner: &str,
    lease_secs: f64,
) -> Result<Option<Uuid>, sqlx::Error> {
    let claimed: Option<(Uuid, String)> = sqlx::query_as(
        "with candidate as (
             select r.id
             from resources r
             left join namespace_turns t on t.namespace = r.namespace
             where r.next_attempt_at <= now()
               and not r.paused
             order by r.background, t.served nulls first, r.next_attempt_at
             limit 1
             for update of r skip locked
         )
         update resources
         set lease_owner = $1,
             lease_expires_at = now() + make_interval(secs => $2),
             next_attempt_at = now() + make_interval(secs => $2),
             wake_pending = false
         where id = (select id from candidate)
         returning id, namespace",
    )
    .bind(owner)
    .bind(lease_secs)
    .fetch_optional(pool)
    .await?;
    let Some((id, namespace)) = claimed else {
        return Ok(None);
    };
    take_turn(pool, &namespace).await?;
    Ok(Some(id))
}

/// Advances `namespace`'s turn by `1 / weight` from at least the virtual time, and the virtual
/// time to the turn it was claimed at (start-time fair queueing).
async fn take_turn(exec: impl PgExecutor<'_>, namespace: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "with step as (
             select 1.0 / coalesce((select scheduling_weight from namespaces where name = $1), 1)
                        as size
         ),
         clock as (
             update scheduler_clock
             set virtual_time = greatest(virtual_time,
                     coalesce((select served from namespace_turns where namespace = $1), 0)),
                 updated_at = now()
             where id = 1
             returning virtual_time
         )
         insert into namespace_turns as t (namespace, served)
         select $1, clock.virtual_time + step.size
         from clock, step
         on conflict (namespace) do update
         set served = greatest(t.served + (select size from step), excluded.served),
             updated_at = now()",
    )
    .bind(namespace)
    .execute(exec)
    .await?;
    Ok(())
}

/// Extends `owner`'s lease on `id`; false when the lease was lost.
pub async fn renew_lease(
    exec: impl PgExecutor<'_>,
    id: Uuid,
    owner: &str,
    lease_secs: f64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update resources
         set lease_expires_at = now() + make_interval(secs => $3),
             next_attempt_at = now() + make_interval(secs => $3)
         where id = $1
           and lease_owner = $2",
    )
    .bind(id)
    .bind(owner)
    .bind(lease_secs)
    .execute(exec)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends `owner`'s lease on `id` and schedules the next step `after_secs` from now, or for no time
/// at all (`None`: only a user's write makes it due), sooner when a user wrote meanwhile. False when
/// the lease was lost.
pub async fn release(
    exec: impl PgExecutor<'_>,
    id: Uuid,
    owner: &str,
    after_secs: Option<f64>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update resources
         set lease_owner = null,
             lease_expires_at = null,
             next_attempt_at = case when wake_pending then now()
                                    when $3 is null then null
                                    else now() + make_interval(secs => $3) end,
             wake_pending = false
         where id = $1
           and lease_owner = $2",
    )
    .bind(id)
    .bind(owner)
    .bind(after_secs)
    .execute(exec)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Reads what a step needs; `drift_every_secs` is the default drift-check interval.
pub async fn load(
    exec: impl PgExecutor<'_>,
    id: Uuid,
    drift_every_secs: f64,
) -> Result<Option<WorkItem>, sqlx::Error> {
    sqlx::query_as(
        "select resources.id, namespace, resources.name, generation, revision, region,
                n.role_arn, n.assume_role_arn, n.external_id,
                properties, deletion_policy,
                replacement_policy, drift_policy, management_policy, adopt_identifier,
                deletion_requested_at is not null as deletion_requested,
                cancel_requested_at, refresh_requested_at,
                case when last_drift_check_at is null then 0
                     else extract(epoch from last_drift_check_at
                              + make_interval(secs => coalesce(drift_check_interval_seconds, $2))
                              - now())
                end::float8 as drift_due_in_secs,
                coalesce(drift_check_interval_seconds, $2)::float8 as drift_interval_secs,
                secret_rotation,
                phase, observed_generation, conditions, identifier, previous_identifier,
                observed_properties, applied_properties, current_operation_id, last_error, drift,
                attempt, absence_check, normalizations, rotation, last_rotated_at
         from resources
         left join namespaces n on n.name = resources.namespace
         where id = $1",
    )
    .bind(id)
    .bind(drift_every_secs)
    .fetch_optional(exec)
    .await
    .map(|item| item.map(WorkItem::with_rotation_due))
}

/// The lease was lost: another worker owns the resource now, so this step's writes are void.
#[derive(Debug, thiserror::Error)]
#[error("the lease on the resource was lost")]
pub struct LeaseLost;

/// Errors of a fenced write.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Another worker took over.
    #[error(transparent)]
    LeaseLost(#[from] LeaseLost),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Saves `new` over `old` (what the step last saved or read) for the resource `item` if `owner` still
/// holds its lease, clears the user requests the step `consumed`, and writes an event for the phase
/// change, each condition change, and each of `extra` events, in one transaction. Returns the
/// phase stored.
///
/// Only observed columns are written: a user's write that committed while the step ran is kept.
/// The phase stays `Deleting` once deletion is requested (unless the step failed), and the attempt
/// count restarts when a user wrote since the step read the resource.
pub async fn save(
    conn: &mut PgConnection,
    item: &WorkItem,
    owner: &str,
    (old, new): (&Observed, &Observed),
    consumed: Consumed,
    extra: &[StepEvent],
) -> Result<Phase, WriteError> {
    let stored: Option<Phase> = sqlx::query_scalar(
        "update resources
         set phase = case when deletion_requested_at is not null and $3 <> 'Failed'
                          then 'Deleting'::resource_phase else $3 end,
             observed_generation = $4, conditions = $5, identifier = $6,
             previous_identifier = $7, observed_properties = $8, applied_properties = $9,
             current_operation_id = $10, last_error = $11, drift = $12,
             attempt = case when revision = $14 then $13 else 0 end,
             absence_check = $15, normalizations = $16,
             cancel_requested_at = case when $17 and cancel_requested_at is not distinct from $18
                                        then null else cancel_requested_at end,
             refresh_requested_at = case when $19 and refresh_requested_at is not distinct from $20
                                         then null else refresh_requested_at end,
             last_drift_check_at = case when $21 then now() else last_drift_check_at end,
             rotation = $22, last_rotated_at = $23,
             updated_at = now()
         where id = $1
           and lease_owner = $2
         returning phase",
    )
    .bind(item.id)
    .bind(owner)
    .bind(new.phase)
    .bind(new.observed_generation)
    .bind(&new.conditions)
    .bind(&new.identifier)
    .bind(&new.previous_identifier)
    .bind(&new.observed_properties)
    .bind(&new.applied_properties)
    .bind(new.current_operation_id)
    .bind(&new.last_error)
    .bind(&new.drift)
    .bind(new.attempt)
    .bind(item.revision)
    .bind(&new.absence_check)
    .bind(&new.normalizations)
    .bind(consumed.cancel)
    .bind(item.cancel_requested_at)
    .bind(consumed.refresh)
    .bind(item.refresh_requested_at)
    .bind(consumed.drift_check)
    .bind(&new.rotation)
    .bind(new.last_rotated_at)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(phase) = stored else {
        return Err(LeaseLost.into());
    };
    let mut changes: Vec<StepEvent> = Vec::new();
    if old.phase != phase {
        let message = format!("phase {} → {}", old.phase.as_str(), phase.as_str());
        let to = phase;
        let transition = PhaseTransition {
            from: old.phase,
            to,
        };
        changes.push((EventData::PhaseChanged(transition), message));
    }
    for condition in new.conditions.iter() {
        let before = old.conditions.iter().find(|c| c.kind == condition.kind);
        if before.is_none_or(|b| (b.status, &b.reason) != (condition.status, &condition.reason)) {
            let message = format!(
                "{:?}={:?}: {}",
                condition.kind, condition.status, condition.message
            );
            changes.push((EventData::ConditionChanged(condition.clone()), message));
        }
    }
    changes.extend(extra.iter().cloned());
    for (data, message) in changes {
        let event = NewEvent {
            resource_id: item.id,
            namespace: &item.namespace,
            name: &item.name,
            kind: data.kind().as_str(),
            generation: Some(item.generation),
            message,
            data: data.to_value(),
            actor: None,
        };
        events::append(&mut *conn, &event).await?;
    }
    Ok(phase)
}

/// Forgets a deleted (or retained) resource: the row goes, its events stay. Fenced by the lease.
pub async fn forget(
    conn: &mut PgConnection,
    item: &WorkItem,
    owner: &str,
    message: String,
) -> Result<(), WriteError> {
    let done = sqlx::query(
        "delete from resources
         where id = $1
           and lease_owner = $2",
    )
    .bind(item.id)
    .bind(owner)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(LeaseLost.into());
    }
    let data = EventData::Deleted(ForgottenClient {
        identifier: item.observed.identifier.clone(),
    });
    let event = NewEvent {
        resource_id: item.id,
        namespace: &item.namespace,
        name: &item.name,
        kind: data.kind().as_str(),
        generation: Some(item.generation),
        message,
        data: data.to_value(),
        actor: None,
    };
    events::append(&mut *conn, &event).await?;
    Ok(())
}

/// What a heartbeat learned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Beat {
    /// Workers alive, this one included (they share the AWS budget).
    pub live: i64,
    /// Claims taken back from workers that stopped beating.
    pub reclaimed: u64,
}

/// Records `owner` as alive; takes back the claims (resources and discoveries) of every worker
/// silent for `dead_after_secs` (they come due at once) and forgets those workers; counts the live
/// ones. One transaction, so two workers reclaiming at once cannot both count a dead one.
pub async fn heartbeat(
    conn: &mut PgConnection,
    owner: &str,
    dead_after_secs: f64,
) -> Result<Beat, sqlx::Error> {
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    sqlx::query(
        "insert into workers (id)
         values ($1)
         on conflict (id) do update set heartbeat_at = now(), updated_at = now()",
    )
    .bind(owner)
    .execute(&mut *tx)
    .await?;
    let reclaimed = sqlx::query(
        "with dead as (
             delete from workers
             where heartbeat_at < now() - make_interval(secs => $2)
               and id <> $1
             returning id
         ), discoveries_freed as (
             update discoveries
             set lease_owner = null, lease_expires_at = null, next_attempt_at = now()
             where lease_owner in (select id from dead)
         )
         update resources
         set lease_owner = null, lease_expires_at = null, next_attempt_at = now()
         where lease_owner in (select id from dead)",
    )
    .bind(owner)
    .bind(dead_after_secs)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let live = sqlx::query_scalar("select count(*) from workers")
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Beat { live, reclaimed })
}

/// Hands back every claim `owner` still holds, resources and discoveries (they come due at once),
/// and removes it from the live set, so other workers take its work and its budget share without
/// waiting. Returns the resources handed back.
pub async fn retire(conn: &mut PgConnection, owner: &str) -> Result<u64, sqlx::Error> {
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    let released = sqlx::query(
        "with discoveries_freed as (
             update discoveries
             set lease_owner = null, lease_expires_at = null, next_attempt_at = now()
             where lease_owner = $1
         )
         update resources
         set lease_owner = null, lease_expires_at = null, next_attempt_at = now()
         where lease_owner = $1",
    )
    .bind(owner)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query("delete from workers where id = $1")
        .bind(owner)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(released)
}

/// The moment the next resource comes due, if any.
pub async fn next_due(exec: impl PgExecutor<'_>) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar(
        "select min(next_attempt_at)
         from resources
         where not paused",
    )
    .fetch_one(exec)
    .await
}
