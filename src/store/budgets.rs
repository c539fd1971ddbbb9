//! AWS's budget as token buckets in Postgres, one row per bucket, so every worker of every replica
//! spends the same budget. A call takes one token from each bucket it spends, all or none, in one
//! statement; a throttle cuts the rate of the bucket that was nearest to empty.

use sqlx::PgExecutor;

/// One bucket a caller wants to spend: its key and its ceiling (requests per second).
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    /// E.g. `123456789012/us-east-1/cloudcontrol`.
    pub key: String,
    /// The documented rate, which the adapted rate never exceeds.
    pub ceiling: f64,
}

/// A bucket's state, for operators and tests.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct BucketState {
    /// The bucket's key.
    pub key: String,
    /// The documented ceiling.
    pub ceiling: f64,
    /// The rate in force.
    pub rate: f64,
    /// Tokens taken.
    pub calls: i64,
    /// Throttles that cut it.
    pub throttles: i64,
    /// Times a caller found it empty.
    pub waits: i64,
}

/// A throttle's effect on the bucket it was blamed on.
#[derive(Debug, Clone, PartialEq)]
pub struct Cut {
    /// The bucket.
    pub key: String,
    /// Its rate before.
    pub from: f64,
    /// Its rate now.
    pub to: f64,
}

/// Seconds of rate a full bucket holds. Half of AWS's one second, so a burst from a full bucket
/// cannot drain AWS's own bucket (the two clocks and the network are not in step).
pub const BURST_SECS: f64 = 0.5;
/// Growth of a bucket's rate per second while it is not throttled, towards its ceiling.
pub const GROWTH_PER_SEC: f64 = 0.2;
/// The fraction of the measured accepted rate a throttle keeps, leaving room for other callers.
pub const CUT_TO: f64 = 0.9;
/// Calls accepted in a second that make a measurement of the real rate.
pub const MEASURABLE: i32 = 10;
/// The smallest fraction of the rate one cut keeps when too few calls went through to measure.
pub const DEEPEST_CUT: f64 = 0.25;
/// The lowest rate a cut reaches, as a fraction of the ceiling.
pub const FLOOR: f64 = 0.02;

/// Creates the buckets that do not exist yet, full; a changed ceiling replaces the old one.
pub async fn ensure(exec: impl PgExecutor<'_>, buckets: &[Bucket]) -> Result<(), sqlx::Error> {
    let keys: Vec<&str> = buckets.iter().map(|b| b.key.as_str()).collect();
    let ceilings: Vec<f64> = buckets.iter().map(|b| b.ceiling).collect();
    sqlx::query(
        "insert into budgets as b (key, ceiling, rate, tokens)
         select key, ceiling, ceiling, greatest(1.0, ceiling * $3)
         from unnest($1::text[], $2::float8[]) as t (key, ceiling)
         on conflict (key) do update
         set ceiling = excluded.ceiling,
             rate = least(b.rate, excluded.ceiling),
             updated_at = now()
         where b.ceiling <> excluded.ceiling",
    )
    .bind(&keys)
    .bind(&ceilings)
    .bind(BURST_SECS)
    .execute(exec)
    .await?;
    Ok(())
}

/// What [`take`] did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Take {
    /// A token of every bucket is the caller's, usable after this many seconds (at most
    /// [`HORIZON_SECS`]): callers are served in the order they asked, not whoever asks first
    /// after a refill.
    Granted(f64),
    /// Nothing taken: the buckets are booked beyond the horizon; ask again after this many seconds.
    Refused(f64),
}

/// How far ahead a bucket may be booked, in seconds. Bookings are served in order, so a caller
/// waits at most this long behind the bookings of others, whatever their backlog.
pub const HORIZON_SECS: f64 = 0.3;

/// The refill is measured up to the moment `dt` was read and the bucket is marked refilled to that
/// same moment, never to a later clock reading: under contention a take waits for the row lock
/// between the two, and 32 workers on one bucket lost 7% of its rate that way (18.7 of 20 calls/s).
///
/// Books one token of every bucket in `keys` for `namespace`, or none: a bucket may go into debt up
/// to [`HORIZON_SECS`] of its rate (twice that for a namespace with no booking of it in flight),
/// and a booking is usable once its bucket is out of debt. A missing bucket refuses for a moment
/// (the caller ensures it and asks again).
pub async fn take(
    exec: impl PgExecutor<'_>,
    keys: &[String],
    namespace: &str,
) -> Result<Take, sqlx::Error> {
    let rows: Vec<(bool, f64)> = sqlx::query_as(
        "with b as (
             select key, ceiling, rate, tokens, cut_at, refilled_at, clock_timestamp() as now
             from budgets
             where key = any($1)
             order by key
             for update
         ),
         grown as (
             select key, tokens, refilled_at, now, d.dt,
                    case when cut_at is null or cut_at < now - interval '1 second'
                         then least(ceiling, rate * (1 + $2 * least(d.dt, 1.0)))
                         else rate end as rate
             from b, lateral (select greatest(0, extract(epoch from now - refilled_at))::float8 as dt) d
         ),
         filled as (
             select key, rate, least(greatest(1.0, rate * $3), tokens + rate * dt) as tokens,
                    greatest(refilled_at, now) as refilled_to
             from grown
         ),
         light as (
             select not exists (
                 select 1 from budget_bookings
                 where key = any($1) and namespace = $5 and booked_until > clock_timestamp()
             ) as light
         ),
         verdict as (
             select count(*) = cardinality($1)
                    and bool_and(tokens - 1 >= -rate * $4 * case when light.light then 2 else 1 end)
                        as ok,
                    coalesce(max(greatest(0, (1 - tokens) / rate)), 0) as wait
             from filled, light
             group by light.light
         ),
         booked as (
             insert into budget_bookings as bb (key, namespace, booked_until)
             select f.key, $5, clock_timestamp() + make_interval(secs => v.wait)
             from filled f, verdict v
             where v.ok
             on conflict (key, namespace) do update
             set booked_until = excluded.booked_until, updated_at = now()
         )
         update budgets u
         set rate = f.rate,
             tokens = f.tokens - case when v.ok then 1 else 0 end,
             refilled_at = f.refilled_to,
             calls = u.calls + case when v.ok then 1 else 0 end,
             window_calls = case when clock_timestamp() - u.window_started_at >= interval '1 second'
                                 then 0 else u.window_calls end
                            + case when v.ok then 1 else 0 end,
             last_window_calls = case
                 when clock_timestamp() - u.window_started_at >= interval '2 seconds' then 0
                 when clock_timestamp() - u.window_started_at >= interval '1 second' then u.window_calls
                 else u.last_window_calls end,
             window_started_at = case
                 when clock_timestamp() - u.window_started_at >= interval '1 second' then clock_timestamp()
                 else u.window_started_at end,
             waits = u.waits + case when v.ok then 0 else 1 end,
             updated_at = now()
         from filled f, verdict v
         where u.key = f.key
         returning v.ok, greatest(0, (1 - f.tokens) / f.rate)::float8",
    )
    .bind(keys)
    .bind(GROWTH_PER_SEC)
    .bind(BURST_SECS)
    .bind(HORIZON_SECS)
    .bind(namespace)
    .fetch_all(exec)
    .await?;
    if rows.len() < keys.len() {
        return Ok(Take::Refused(0.0));
    }
    let wait = rows.iter().map(|(_, wait)| *wait).fold(0.0, f64::max);
    if rows.iter().all(|(ok, _)| *ok) {
        return Ok(Take::Granted(wait));
    }
    Ok(Take::Refused((wait - HORIZON_SECS).max(0.001)))
}

/// Seconds until every bucket in `keys` holds a token, without taking any (zero: now). Buckets that
/// do not exist yet are full.
pub async fn wait_for(exec: impl PgExecutor<'_>, keys: &[String]) -> Result<f64, sqlx::Error> {
    sqlx::query_scalar(
        "select coalesce(max(greatest(0,
                    (1 - least(greatest(1.0, rate * $2),
                               tokens + rate * greatest(0, extract(epoch from clock_timestamp() - refilled_at))))
                    / rate)), 0)::float8
         from budgets
         where key = any($1)",
    )
    .bind(keys)
    .bind(BURST_SECS)
    .fetch_one(exec)
    .await
}

/// Blames a throttle on the bucket among `keys` nearest to empty: the throttled call no longer
/// counts as accepted there, and its rate is cut, at most once a second per bucket (throttles of calls already in flight describe the old rate). The cut is to
/// what AWS accepted over the last second (a measurement, so a ceiling far above the real limit
/// costs one round of throttles, not minutes of halving); with fewer than [`MEASURABLE`] calls to
/// measure, by at most three quarters. `None` when the bucket was cut less than a second ago.
pub async fn throttled(
    exec: impl PgExecutor<'_>,
    keys: &[String],
) -> Result<Option<Cut>, sqlx::Error> {
    let cut: Option<(String, f64, f64, bool)> = sqlx::query_as(
        "with blamed as (
             select key, rate, window_calls, last_window_calls,
                    (cut_at is null or cut_at < clock_timestamp() - interval '1 second') as due
             from budgets
             where key = any($1)
             order by tokens / greatest(1.0, rate * $4), key
             limit 1
             for update
         ),
         measured as (
             select key, greatest(0, window_calls - 1, last_window_calls) as accepted
             from blamed
         )
         update budgets u
         set rate = case when b.due
                         then greatest(u.ceiling * $3, least(u.rate, greatest(
                             $2 * least(u.rate, m.accepted),
                             case when m.accepted >= $5 then 0 else u.rate * $6 end)))
                         else u.rate end,
             tokens = case when b.due then least(u.tokens, 0) else u.tokens end,
             cut_at = case when b.due then clock_timestamp() else u.cut_at end,
             window_calls = greatest(0, u.window_calls - 1),
             throttles = u.throttles + 1,
             updated_at = now()
         from blamed b, measured m
         where u.key = b.key
           and m.key = b.key
         returning u.key, b.rate as from, u.rate as to, b.due",
    )
    .bind(keys)
    .bind(CUT_TO)
    .bind(FLOOR)
    .bind(BURST_SECS)
    .bind(MEASURABLE)
    .bind(DEEPEST_CUT)
    .fetch_optional(exec)
    .await?;
    Ok(cut
        .filter(|(.., due)| *due)
        .map(|(key, from, to, _)| Cut { key, from, to }))
}

/// The buckets whose keys start with `prefix` (all with an empty one), by key.
pub async fn list(
    exec: impl PgExecutor<'_>,
    prefix: &str,
) -> Result<Vec<BucketState>, sqlx::Error> {
    sqlx::query_as(
        "select key, ceiling, rate, calls, throttles, waits
         from budgets
         where starts_with(key, $1)
         order by key",
    )
    .bind(prefix)
    .fetch_all(exec)
    .await
}
