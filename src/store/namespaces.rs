//! Namespaces' AWS targets: the regions their documents may use and the IAM role for Cloud Control.

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
pub const COLUMNS: &str = "n.name, n.allowed_regions, n.role_arn, n.created_at, n.updated_at";

/// Creates or replaces a namespace's settings; returns them and whether the row is new.
pub async fn upsert(
    exec: impl PgExecutor<'_>,
    name: &str,
    allowed_regions: &[String],
    role_arn: Option<&str>,
) -> Result<(NamespaceRow, bool), sqlx::Error> {
    let found: NamespaceWithFlag = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into namespaces as n (name, allowed_regions, role_arn)
         values ($1, $2, $3)
         on conflict (name) do update
         set allowed_regions = excluded.allowed_regions, role_arn = excluded.role_arn,
             updated_at = now()
         returning {COLUMNS}, (xmax = 0) as created"
    )))
    .bind(name)
    .bind(allowed_regions)
    .bind(role_arn)
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
