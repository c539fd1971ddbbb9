//! The observed side of a resource: phase, conditions and what Cloud Control reported.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::rotation::RotationStatus;

/// Where a resource is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, sqlx::Type)]
#[sqlx(type_name = "resource_phase")]
pub enum Phase {
    /// Accepted; the reconciler has not acted yet.
    Pending,
    /// A Cloud Control operation is running.
    Provisioning,
    /// AWS matches the desired state.
    Ready,
    /// The last operation failed in a way retries will not fix.
    Failed,
    /// Deletion was requested and is under way.
    Deleting,
}

impl Phase {
    /// Every phase, in lifecycle order.
    pub const ALL: [Phase; 5] = [
        Phase::Pending,
        Phase::Provisioning,
        Phase::Ready,
        Phase::Failed,
        Phase::Deleting,
    ];

    /// The phase's name as the API and the database spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Pending => "Pending",
            Phase::Provisioning => "Provisioning",
            Phase::Ready => "Ready",
            Phase::Failed => "Failed",
            Phase::Deleting => "Deleting",
        }
    }

    /// Parses a phase name, exactly as spelled by [`Phase::as_str`].
    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// The kinds of condition a resource reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum ConditionType {
    /// The client exists in AWS and matches the last applied generation.
    Ready,
    /// The latest generation has been applied.
    Synced,
    /// The live client differs from the desired state.
    Drifted,
    /// The client's secret was rotated and delivered on schedule (present when rotation is asked).
    SecretRotated,
}

/// The truth value of a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum ConditionStatus {
    /// The condition holds.
    True,
    /// The condition does not hold.
    False,
    /// Not known yet.
    Unknown,
}

/// One observation about the resource, Kubernetes style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    /// Which condition.
    #[serde(rename = "type")]
    pub kind: ConditionType,
    /// Whether it holds.
    pub status: ConditionStatus,
    /// A CamelCase reason, stable for machines.
    pub reason: String,
    /// A sentence for people.
    pub message: String,
    /// When `status` last changed.
    pub last_transition_time: DateTime<Utc>,
    /// The generation this condition was computed for.
    pub observed_generation: i64,
}

/// The Cloud Control operation currently in flight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CurrentOperation {
    /// ccplane's id of the operation.
    pub id: uuid::Uuid,
    /// Create, Update or Delete.
    pub kind: String,
    /// Cloud Control's RequestToken, once the request was accepted.
    pub request_token: Option<String>,
    /// Cloud Control's status of the request.
    pub status: String,
    /// When it was submitted.
    pub submitted_at: Option<DateTime<Utc>>,
}

/// The last error the reconciler met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LastError {
    /// Cloud Control's HandlerErrorCode or exception name.
    pub code: String,
    /// What went wrong.
    pub message: String,
    /// Whether the reconciler will retry on its own; when false, it waits for a change of the
    /// desired state or a `refresh`.
    pub retryable: bool,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The Cloud Control request that failed, when there was one.
    #[serde(default)]
    pub request_token: Option<String>,
    /// The operation that failed: `Create`, `Update` or `Delete` (absent for reads).
    #[serde(default)]
    pub operation: Option<String>,
    /// The generation of the desired state the reconciler was applying.
    #[serde(default)]
    pub generation: Option<i64>,
}

/// Everything the reconciler observed about a resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// Where the resource is in its life.
    pub phase: Phase,
    /// The generation last applied to AWS.
    pub observed_generation: Option<i64>,
    /// Ready, Synced and Drifted.
    pub conditions: Vec<Condition>,
    /// Cloud Control identifier: `UserPoolId|ClientId`.
    pub identifier: Option<String>,
    /// The identifier being replaced, while a replacement runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_identifier: Option<String>,
    /// Cognito's ClientId.
    pub client_id: Option<String>,
    /// The live properties as last read, without `ClientSecret`.
    #[schema(value_type = Option<Object>)]
    pub observed_properties: Option<Value>,
    /// The operation in flight.
    pub current_operation: Option<CurrentOperation>,
    /// The last error, cleared on success.
    pub last_error: Option<LastError>,
    /// Field-level differences found by the last drift check.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub drift: Option<Value>,
    /// The scheduled rotation of the client's secret, when the document asks for one or one runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_rotation: Option<RotationStatus>,
}

/// The ClientId part of a Cloud Control identifier `UserPoolId|ClientId`.
pub fn client_id_of(identifier: &str) -> Option<&str> {
    identifier.split_once('|').map(|(_, client)| client)
}
