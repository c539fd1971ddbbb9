//! Resource operation requests: their lifecycle and the ProgressEvent they are reported as.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    clock::epoch_seconds,
    cognito::ResourceType,
    fate::{Failure, Readings, RetryAfterMode},
};

/// What a request does (the `Operation` enum of the API), written as the API writes it (`CREATE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
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

    /// Whether the request can still change.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Pending | Self::InProgress | Self::CancelInProgress
        )
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
    /// Current status; `InProgress` also stands for `PENDING` until `starts_at`.
    pub status: OpStatus,
    /// When the request was accepted: its EventTime.
    pub created_at: DateTime<Utc>,
    /// When its handler starts; `PENDING` before.
    pub starts_at: DateTime<Utc>,
    /// When an open request next changes status (settles, or completes its cancellation).
    pub settle_at: DateTime<Utc>,
    /// The status message.
    pub status_message: Option<String>,
    /// The HandlerErrorCode of a FAILED request.
    pub error_code: Option<String>,
    /// What happens when it settles.
    pub work: Work,
    /// A failure chosen by fault injection.
    pub failure: Option<Failure>,
    /// What its events say in `RetryAfter`.
    pub retry_after: RetryAfterMode,
    /// Which reading of Cognito's documentation its handler follows.
    pub readings: Readings,
}

/// The `ProgressEvent` structure, serialized as the API returns it. AWS sends no `ResourceModel`
/// in progress events (LocalStack's AWS-validated snapshots show none).
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
    /// Epoch seconds of when the request was initiated.
    pub event_time: f64,
    /// Why the request is where it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
    /// The HandlerErrorCode of a FAILED request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// Epoch seconds before which polling again is pointless.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<f64>,
}

impl Request {
    /// The status as seen at `now`.
    pub fn status_at(&self, now: DateTime<Utc>) -> OpStatus {
        if self.status == OpStatus::InProgress && now < self.starts_at {
            OpStatus::Pending
        } else {
            self.status
        }
    }

    /// The request as a ProgressEvent seen at `now`.
    pub fn event(&self, now: DateTime<Utc>) -> ProgressEvent {
        let status = self.status_at(now);
        let retry_after = match self.retry_after {
            _ if !status.is_open() => None,
            RetryAfterMode::Settle => Some(self.settle_at),
            RetryAfterMode::Past => Some(self.created_at),
            RetryAfterMode::Absent => None,
        };
        ProgressEvent {
            type_name: self.resource_type.name(),
            identifier: self.identifier.clone(),
            request_token: self.token.clone(),
            operation: self.op.name(),
            operation_status: status.name(),
            event_time: epoch_seconds(self.created_at),
            status_message: self.status_message.clone(),
            error_code: self.error_code.clone(),
            retry_after: retry_after.map(epoch_seconds),
        }
    }
}
