//! Namespaces' AWS targets: the regions their documents may use, the account they live in (an
//! assumed role), the IAM role for Cloud Control, and their share of the budget.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// A namespace's settings; a namespace without a row allows any region and uses no role.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NamespaceRow {
    /// The namespace (DNS label).
    pub name: String,
    /// Regions its documents may name; empty means any.
    pub allowed_regions: Vec<String>,
    /// The IAM role Cloud Control assumes for its operations.
    pub role_arn: Option<String>,
    /// The role ccplane assumes to reach the namespace's AWS account, if not its own.
    pub assume_role_arn: Option<String>,
    /// The external ID that role's trust policy asks for.
    pub external_id: Option<String>,
    /// Its share of every budget relative to other busy namespaces.
    pub scheduling_weight: f64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// Whether a namespace allowing `allowed` regions (empty: any) admits `region`.
pub fn region_allowed(allowed: &[String], region: &str) -> bool {
    allowed.is_empty() || allowed.iter().any(|r| r == region)
}

/// The select list of [`NamespaceRow`] from `namespaces n`.
pub const COLUMNS: &str = "n.name, n.allowed_regions, n.role_arn, n.assume_role_arn, n.external_id,
     n.scheduling_weight, n.created_at, n.updated_at";

/// What an admin sets on a namespace.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    /// Regions its documents may name; empty means any.
    pub allowed_regions: &'a [String],
    /// The IAM role Cloud Control runs the handler with.
    pub role_arn: Option<&'a str>,
    /// The role ccplane assumes to reach the namespace's account.
    pub assume_role_arn: Option<&'a str>,
    /// The external ID of that role's trust.
    pub external_id: Option<&'a str>,
    /// Its share of every budget relative to other busy namespaces.
    pub scheduling_weight: f64,
}

/// Creates or replaces a namespace's settings; returns them and whether the row is new.
pub async fn upsert(
    exec: impl PgExecutor<'_>,
    name: &str,
    settings: Settings<'_>,
) -> Result<(NamespaceRow, bool), sqlx::Error> {
    let found: NamespaceWithFlag = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into namespaces as n
             (name, allowed_regions, role_arn, assume_role_arn, external_id, scheduling_weight)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (name) do update
         set allowed_regions = excluded.allowed_regions, role_arn = excluded.role_arn,
             assume_role_arn = excluded.assume_role_arn, external_id = excluded.external_id,
             scheduling_weight = excluded.scheduling_weight,
             updated_at = now()
         returning {COLUMNS}, (xmax = 0) as created"
    )))
    .bind(name)
    .bind(settings.allowed_regions)
    .bind(settings.role_arn)
    .bind(settings.assume_role_arn)
    .bind(settings.external_id)
    .bind(settings.scheduling_weight)
    .fetch_one(exec)
    .await?;
    Ok((found.row, found.created))
}

#[derive(sqlx::FromRow)]
struct NamespaceWithFlag {
    #[sqlx(flatten)]
    row: NamespaceRow,
    created: bool,
}

/// Reads one namespace's settings.
pub async fn get(
    exec: impl PgExecutor<'_>,
    name: &str,
) -> Result<Option<NamespaceRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS}
         from namespaces n
         where n.name = $1"
    )))
    .bind(name)
    .fetch_optional(exec)
    .await
}

/// The configured namespaces among `only` (all when `None`), by name.
pub async fn list(
    exec: impl PgExecutor<'_>,
    only: Option<&[String]>,
) -> Result<Vec<NamespaceRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS}
         from namespaces n
         where ($1::text[] is null or n.name = any($1))
         order by n.name"
    )))
    .bind(only)
    .fetch_all(exec)
    .await
}

/// How drift checks keep up in a namespace: Ready clients, those checked within their interval
/// (`default_interval_secs` unless set per resource), the oldest check's age, and the mean age.
#[derive(Debug, Clone, Copy, PartialEq, sqlx::FromRow)]
pub struct DriftAges {
    /// Ready clients.
    pub ready: i64,
    /// Checked within their interval.
    pub checked_within_interval: i64,
    /// Seconds since the least recently checked one was checked (or last changed).
    pub oldest_age_secs: f64,
    /// Mean seconds since each was checked (or last changed).
    pub mean_age_secs: f64,
}

impl DriftAges {
    /// The interval the checks are achieving: twice the mean age of the last checks (a steady
    /// stream of checks leaves ages spread evenly over one interval).
    pub fn effective_interval_secs(&self) -> f64 {
        2.0 * self.mean_age_secs
    }
}

/// The drift ages of `namespace`'s Ready clients (all namespaces with `None`). A client never
/// checked counts from its last change.
pub async fn drift_ages(
    exec: impl PgExecutor<'_>,
    namespace: Option<&str>,
    default_interval_secs: f64,
) -> Result<DriftAges, sqlx::Error> {
    sqlx::query_as(
        "with ready as (
             select extract(epoch from now() - coalesce(last_drift_check_at, updated_at))::float8
                        as age,
                    coalesce(drift_check_interval_seconds, $2)::float8 as every
             from resources
             where phase = 'Ready'
               and ($1::text is null or namespace = $1)
         )
         select count(*) as ready,
                count(*) filter (where age <= every) as checked_within_interval,
                coalesce(max(age), 0)::float8 as oldest_age_secs,
                coalesce(avg(age), 0)::float8 as mean_age_secs
         from ready",
    )
    .bind(namespace)
    .bind(default_interval_secs)
    .fetch_one(exec)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_region_list_allows_any_region() {
        assert!(region_allowed(&[], "eu-west-1"));
        assert!(region_allowed(&["eu-west-1".into()], "eu-west-1"));
        assert!(!region_allowed(&["eu-west-1".into()], "us-east-1"));
    }
}
