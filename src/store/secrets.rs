//! The timeline entries of a client's secrets: who added or retired which one, never a value.

use sqlx::PgExecutor;

use super::events::{self, NewEvent};
use super::resources::ResourceRow;
use crate::model::event::{EventData, SecretRef};

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
    let secret = SecretRef {
        secret_id: secret_id.to_owned(),
    };
    let (data, message) = match change {
        SecretChange::Added => (EventData::SecretAdded(secret), "added"),
        SecretChange::Retired => (EventData::SecretRetired(secret), "retired"),
    };
    let event = NewEvent {
        resource_id: row.id,
        namespace: &row.namespace,
        name: &row.name,
        kind: data.kind().as_str(),
        generation: Some(row.generation),
        message: format!("secret {secret_id} {message}"),
        data: data.to_value(),
        actor,
    };
    events::append(exec, &event).await?;
    Ok(())
}
