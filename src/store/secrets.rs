//! The timeline entries of a client's secrets: who added or retired which one, never a value.

use serde_json::json;
use sqlx::PgExecutor;

use super::events::{self, NewEvent};
use super::resources::ResourceRow;

/// What happened to a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretChange {
    /// A new secret was added (its value answered to the caller once).
    Added,
    /// A secret was retired (deleted in Cognito).
    Retired,
}

/// Records `change` of secret `secret_id` of `row` by `actor`.
pub async fn record(
    exec: impl PgExecutor<'_>,
    row: &ResourceRow,
    change: SecretChange,
    secret_id: &str,
    actor: Option<&str>,
) -> Result<(), sqlx::Error> {
    let (kind, message) = match change {
        SecretChange::Added => ("SecretAdded", format!("secret {secret_id} added")),
        SecretChange::Retired => ("SecretRetired", format!("secret {secret_id} retired")),
    };
    let event = NewEvent {
        resource_id: row.id,
        namespace: &row.namespace,
        name: &row.name,
        kind,
        generation: Some(row.generation),
        message,
        data: json!({"secretId": secret_id}),
        actor,
    };
    events::append(exec, &event).await?;
    Ok(())
}
