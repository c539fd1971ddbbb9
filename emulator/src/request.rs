//! Resource operation requests: their lifecycle and the ProgressEvent they are reported as.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use super::{clock::epoch_seconds, cognito::ResourceType};

/// What a request does (the `Operation` enum of the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OpKind {
    /// `CREATE`.
    Create,
    /// `UPDATE`.
    Update,
    /// `DELETE`.
    Delete,
}

impl OpKind {
    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Create => "CREATE",
            Self::Update => "UPDATE",
            Self::Delete => "DELETE",
        }
    }

    /// The kind with wire name `s`.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Create, Self::Update, Self::Delete]
            .into_iter()
            .find(|k| k.name() == s)
    }
}

/// Where a request is in its life (the `OperationStatus` enum of the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OpStatus {
    /// `PENDING`.
    Pending,
    /// `IN_PROGRESS`.
    InProgress,
    /// `SUCCESS`.
    Success,
    /// `FAILED`.
    Failed,
    /// `CANCEL_IN_PROGRESS`.
    CancelInProgress,
    /// `CANCEL_COMPLETE`.
    CancelComplete,
}

impl OpStatus {
    /// Every status.
    pub const ALL: [OpStatus; 6] = [
        Self::Pending,
        Self::InProgress,
        Self::Success,
        Self::Failed,
        Self::CancelInProgress,
        Self::CancelComplete,
    ];

    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::InProgress => "IN_PROGRESS",
            Self::Success => "SUCCESS",
            Self::Failed => "FAILED",
            Self::CancelInProgress => "CANCEL_IN_PROGRESS",
            Self::CancelComplete => "CANCEL_COMPLETE",
        }
    }

    /// The status with wire name `s`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == s)
    }

    /// Whether the request can still change (and be cancelled).
    pub fn is_open(self) -> bool {
        matches!(self, Self::Pending | Self::InProgress)
    }
}

/// The work a request performs when it settles.
#[derive(Debug, Clone)]
pub enum Work {
    /// Create a resource from a desired state.
    Create {
        /// The desired state as submitted.
        desired: Value,
    },
    /// Apply a JSON Patch to the current model.
    Update {
        /// The patch as submitted.
        patch: Vec<json_patch::PatchOperation>,
    },
    /// Delete the resource.
    Delete,
}

/// One resource operation request, as kept for seven days.
#[derive(Debug, Clone)]
pub struct Request {
    /// The RequestToken.
    pub token: String,
    /// Creation order within its partition.
    pub seq: u64,
    /// The resource type.
    pub resource_type: ResourceType,
    /// CREATE, UPDATE or DELETE.
    pub op: OpKind,
    /// The primary identifier, once known.
    pub identifier: Option<String>,
    /// Current status.
    pub status: OpStatus,
    /// When the request was accepted.
    pub created_at: DateTime<Utc>,
    /// When the status last changed.
    pub event_time: DateTime<Utc>,
    /// When an open request settles.
    pub settle_at: DateTime<Utc>,
    /// The resource model to report (never with the client secret).
    pub model: Option<Value>,
    /// The status message.
    pub status_message: Option<String>,
    /// The HandlerErrorCode of a FAILED request.
    pub error_code: Option<&'static str>,
    /// What happens when it settles.
    pub work: Work,
    /// A HandlerErrorCode chosen by fault injection: settle FAILED with it instead of working.
    pub injected_failure: Option<&'static str>,
}

/// The `ProgressEvent` structure, serialized as the API returns it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProgressEvent {
    /// The resource type name.
    pub type_name: &'static str,
    /// The primary identifier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// The RequestToken.
    pub request_token: String,
    /// CREATE, UPDATE or DELETE.
    pub operation: &'static str,
    /// The status.
    pub operation_status: &'static str,
    /// Epoch seconds of the last status change.
    pub event_time: f64,
    /// The resource model, a JSON document in a string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_model: Option<String>,
    /// Why the request is where it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
    /// The HandlerErrorCode of a FAILED request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<&'static str>,
    /// Epoch seconds before which polling again is pointless.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<f64>,
}

impl Request {
    /// The request as a ProgressEvent.
    pub fn event(&self) -> ProgressEvent {
        ProgressEvent {
            type_name: self.resource_type.name(),
            identifier: self.identifier.clone(),
            request_token: self.token.clone(),
            operation: self.op.name(),
            operation_status: self.status.name(),
            event_time: epoch_seconds(self.event_time),
            resource_model: self.model.as_ref().map(Value::to_string),
            status_message: self.status_message.clone(),
            error_code: self.error_code,
            retry_after: self.status.is_open().then(|| epoch_seconds(self.settle_at)),
        }
    }
}
