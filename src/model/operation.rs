//! A Cloud Control operation as ccplane records it: what it does, what it sends, and where it
//! stands. Typed here, stored by `store::operations`, acted on by the reconciler.

use json_patch::Patch;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What a Cloud Control operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum OperationKind {
    /// `CreateResource`.
    Create,
    /// `UpdateResource` with a JSON Patch.
    Update,
    /// `DeleteResource`.
    Delete,
}

impl OperationKind {
    /// The name as stored and as the API shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "Create",
            Self::Update => "Update",
            Self::Delete => "Delete",
        }
    }
}

impl std::fmt::Display for OperationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for OperationKind {
    type Error = String;

    /// A kind the table's check constraint does not allow is an error, never a default.
    fn try_from(name: String) -> Result<Self, String> {
        match name.as_str() {
            "Create" => Ok(Self::Create),
            "Update" => Ok(Self::Update),
            "Delete" => Ok(Self::Delete),
            _ => Err(format!("unknown operation kind {name:?}")),
        }
    }
}

/// Where an operation stands: `Prepared` (committed, not yet accepted), then what Cloud Control
/// last said (its `OperationStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "operation_status")]
pub enum OperationStatus {
    /// Committed with its ClientToken; Cloud Control has not acknowledged it.
    Prepared,
    #[sqlx(rename = "PENDING")]
    Pending,
    #[sqlx(rename = "IN_PROGRESS")]
    InProgress,
    #[sqlx(rename = "SUCCESS")]
    Success,
    #[sqlx(rename = "FAILED")]
    Failed,
    #[sqlx(rename = "CANCEL_IN_PROGRESS")]
    CancelInProgress,
    #[sqlx(rename = "CANCEL_COMPLETE")]
    CancelComplete,
}

impl OperationStatus {
    /// Whether the request will not change any more.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Success | Self::Failed | Self::CancelComplete)
    }

    /// The name as stored and as the API shows it (Cloud Control's, once it answered).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Prepared => "Prepared",
            Self::Pending => "PENDING",
            Self::InProgress => "IN_PROGRESS",
            Self::Success => "SUCCESS",
            Self::Failed => "FAILED",
            Self::CancelInProgress => "CANCEL_IN_PROGRESS",
            Self::CancelComplete => "CANCEL_COMPLETE",
        }
    }
}

/// What an operation sends, committed with it so that a re-send with its ClientToken is the same
/// request whatever changed meanwhile. Never holds a secret.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationRequest {
    /// The desired properties the operation applies (a create sends them; an update's success
    /// records them as applied).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_state: Option<Map<String, Value>>,
    /// The JSON Patch an update sends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patch_document: Option<Patch>,
    /// Whether the update patches drift back (its success clears the drift).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub remediation: bool,
    /// The role ccplane assumed to reach the namespace's account, pinned so that the polls go
    /// where the request went.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assume_role_arn: Option<String>,
    /// The external id of that role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

impl OperationRequest {
    /// The user pool the desired state names.
    pub fn user_pool_id(&self) -> Option<&str> {
        self.desired_state.as_ref()?.get("UserPoolId")?.as_str()
    }

    /// The top-level properties the update's patch writes, as pointers (`/LogoutURLs`).
    pub fn patched_properties(&self) -> Vec<String> {
        let operations = self.patch_document.iter().flat_map(|p| p.0.iter());
        operations
            .filter_map(|op| op.path().tokens().next())
            .map(|token| format!("/{}", token.decoded()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_request_stored_before_it_was_typed_still_reads() {
        let stored = json!({
            "desiredState": {"UserPoolId": "us-east-1_a", "ClientName": "c"},
            "patchDocument": [{"op": "replace", "path": "/RefreshTokenRotation/Feature", "value": "ENABLED"}],
            "remediation": true, "roleArn": "arn:aws:iam::1:role/h", "retiring": "x",
            "assumeRoleArn": "arn:aws:iam::2:role/ccplane",
        });
        let request: OperationRequest = serde_json::from_value(stored).unwrap();
        assert_eq!(request.user_pool_id(), Some("us-east-1_a"));
        assert_eq!(request.patched_properties(), ["/RefreshTokenRotation"]);
        assert!(request.remediation);
        assert_eq!(
            request.assume_role_arn.as_deref(),
            Some("arn:aws:iam::2:role/ccplane")
        );
    }

    #[test]
    fn an_empty_request_is_an_empty_object() {
        let value = serde_json::to_value(OperationRequest::default()).unwrap();
        assert_eq!(value, json!({}));
    }
}
