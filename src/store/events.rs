//! The per-resource timeline: appending events and reading them back, paginated or as a stream.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

/// An event as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    /// Position in the global timeline.
    pub id: i64,
    /// The resource's uid.
    pub resource_id: Uuid,
    /// The resource's namespace.
    pub namespace: String,
    /// The resource's name.
    pub name: String,
    /// What happened, e.g. `SpecCreated`.
    pub kind: String,
    /// The generation the event concerns.
    pub generation: Option<i64>,
    /// A sentence for people.
    pub message: String,
    /// Details for machines.
    pub data: Value,
    /// Who caused it.
    pub actor: Option<String>,
    /// When it happened.
    pub created_at: DateTime<Utc>,
}

/// An event about to be written.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    /// The resource's uid.
    pub resource_id: Uuid,
    /// The resource's namespace.
    pub namespace: &'a str,
    /// The resource's name.
    pub name: &'a str,
    /// What happened: an `EventKind`'s name (`EventData::kind`).
    pub kind: &'a str,
    /// The generation the event concerns.
    pub generation: Option<i64>,
    /// A sentence for people.
    pub message: String,
    /// Details for machines: `EventData::to_value`.
    pub data: Value,
    /// Who caused it.
    pub actor: Option<&'a str>,
}

/// Appends an event; call it in the transaction that makes the change it describes.
pub async fn append(exec: impl PgExecutor<'_>, event: &NewEvent<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "insert into events (resource_id, namespace, name, kind, generation, message, data, actor)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         returning id",
    )
    .bind(event.resource_id)
    .bind(event.namespace)
    .bind(event.name)
    .bind(event.kind)
    .bind(event.generation)
    .bind(&event.message)
    .bind(&event.data)
    .bind(event.actor)
    .fetch_one(exec)
    .await
}

const COLUMNS: &str =
    "id, resource_id, namespace, name, kind, generation, message, data, actor, created_at";

/// One page of the events of the resource named `name` (the current one and any earlier one of
/// that name) after `after` (exclusive), oldest first.
pub async fn list_for_name(
    exec: impl PgExecutor<'_>,
    namespace: &str,
    name: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS}
         from events
         where namespace = $1
           and name = $2
           and id > $3
         order by id
         limit $4"
    )))
    .bind(namespace)
    .bind(name)
    .bind(after)
    .bind(limit)
    .fetch_all(exec)
    .await
}

/// A position in the live stream: the writing transaction, then the event id (compared in that
/// order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct StreamPosition {
    /// The transaction id (`xid8`) that wrote the event.
    pub tx_id: i64,
    /// The event id.
    pub id: i64,
}

/// The stream position of event `id`, or the start of the stream if it is unknown.
pub async fn position_of(
    exec: impl PgExecutor<'_>,
    id: i64,
) -> Result<StreamPosition, sqlx::Error> {
    let tx_id: Option<i64> =
        sqlx::query_scalar("select tx_id::text::bigint from events where id = $1")
            .bind(id)
            .fetch_optional(exec)
            .await?;
    Ok(StreamPosition {
        tx_id: tx_id.unwrap_or(0),
        id,
    })
}

/// Where a stream that starts now begins: every transaction older than the snapshot's xmin has
/// finished, so events from xmin on are the ones that may still appear.
pub async fn stream_head(exec: impl PgExecutor<'_>) -> Result<StreamPosition, sqlx::Error> {
    let xmin: i64 =
        sqlx::query_scalar("select pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
            .fetch_one(exec)
            .await?;
    Ok(StreamPosition { tx_id: xmin, id: 0 })
}

/// What one read of the live stream found after a position.
#[derive(Debug, Clone)]
pub struct StreamRead {
    /// The events after the position, in stream order.
    pub events: Vec<(StreamPosition, EventRow)>,
    /// Every event up to here has been read: nothing can appear at or before it any more.
    pub upto: StreamPosition,
    /// Some committed event is held back behind a transaction still running: read again soon.
    pub held_back: bool,
}

/// Events after `from` in stream order (of `namespace`, or of every namespace), at most `limit`,
/// holding back any event that a transaction still running could precede: once streamed,
/// nothing can appear before it.
///
/// When nothing new is there, as for an idle stream, this is one statement.
pub async fn read_stream(
    conn: &mut PgConnection,
    namespace: Option<&str>,
    from: StreamPosition,
    limit: i64,
) -> Result<StreamRead, sqlx::Error> {
    // Two texts rather than `$4 is null or …`, so each is planned for its own index.
    let only = if namespace.is_some() {
        "and namespace = $3"
    } else {
        "and $3::text is null"
    };
    let (xmin, more, held_back): (i64, bool, bool) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select s.xmin::text::bigint,
                exists (select 1 from events
                        where (tx_id, id) > ($1::text::xid8, $2) and tx_id < s.xmin {only}),
                exists (select 1 from events
                        where (tx_id, id) > ($1::text::xid8, $2) and tx_id >= s.xmin)
         from (select pg_snapshot_xmin(pg_current_snapshot()) as xmin) s"
    )))
    .bind(from.tx_id.to_string())
    .bind(from.id)
    .bind(namespace)
    .fetch_one(&mut *conn)
    .await?;
    if !more {
        let upto = StreamPosition { tx_id: xmin, id: 0 }.max(from);
        return Ok(StreamRead {
            events: Vec::new(),
            upto,
            held_back,
        });
    }
    let rows: Vec<StreamRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select pg_snapshot_xmin(pg_current_snapshot())::text::bigint as xmin,
                tx_id::text::bigint as tx_id, {COLUMNS}
         from events
         where (tx_id, id) > ($1::text::xid8, $2)
           and tx_id < pg_snapshot_xmin(pg_current_snapshot())
           {only}
         order by tx_id, id
         limit $4"
    )))
    .bind(from.tx_id.to_string())
    .bind(from.id)
    .bind(namespace)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let full = rows.len() as i64 == limit;
    let xmin = rows.first().map_or(xmin, |r| r.xmin);
    let events: Vec<_> = rows
        .into_iter()
        .map(|r| {
            let position = StreamPosition {
                tx_id: r.tx_id,
                id: r.event.id,
            };
            (position, r.event)
        })
        .collect();
    let last = events.last().map_or(from, |(position, _)| *position);
    // A full page may have more behind it; a short one saw everything before the snapshot's xmin.
    let upto = if full {
        last
    } else {
        StreamPosition { tx_id: xmin, id: 0 }.max(last)
    };
    Ok(StreamRead {
        events,
        upto,
        held_back,
    })
}

#[derive(sqlx::FromRow)]
struct StreamRow {
    xmin: i64,
    tx_id: i64,
    #[sqlx(flatten)]
    event: EventRow,
}

/// One page of a namespace's events after `after` (exclusive), oldest first.
pub async fn list_for_namespace(
    exec: impl PgExecutor<'_>,
    namespace: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS}
         from events
         where namespace = $1
           and id > $2
         order by id
         limit $3"
    )))
    .bind(namespace)
    .bind(after)
    .bind(limit)
    .fetch_all(exec)
    .await
}
