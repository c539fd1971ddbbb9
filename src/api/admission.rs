//! Admission of a desired-state document at the edge: the bodies the OpenAPI document declares
//! for it, and the checks a body passes before anything is stored (the model's validation, then
//! the namespace's allowed regions).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::error::ApiError;
use super::openapi::{PROPERTIES_PATCH_SCHEMA, schema};
use super::principal::Principal;
use super::state::AppState;
use crate::model::Violation;
use crate::model::document::{
    Adopt, DeletionPolicy, DriftPolicy, LABEL_KEY_PATTERN, LABEL_VALUE_PATTERN, MAX_LABELS,
    ManagementPolicy, ReplacementPolicy, Spec, Validated, parse_spec, properties_ref,
};
use crate::model::rotation::{DeliverTo, SecretRotation};
use crate::store::namespaces::region_allowed;

/// A UserPoolClient's desired state as PUT and plan take it; only `properties` is required.
///
/// The server fills in every other field's default when it is absent or `null`, and the response
/// shows the result. This type documents the body: the handlers validate the raw JSON, so that a
/// bad document reports every violation at once.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserPoolClientDocument {
    /// AWS region of the client. Default: the server's `--default-region` (`us-east-1` unless
    /// configured). A namespace with `allowedRegions` refuses any other region (422 at `/region`).
    #[schema(example = "us-east-1")]
    pub region: Option<String>,
    /// Labels for selection.
    #[schema(schema_with = labels_schema)]
    pub labels: Option<BTreeMap<String, String>>,
    /// The client's properties, with CloudFormation's `AWS::Cognito::UserPoolClient` names.
    #[schema(schema_with = properties_ref)]
    pub properties: Map<String, Value>,
    /// What deleting the resource does in AWS. Default: `Delete`.
    pub deletion_policy: Option<DeletionPolicy>,
    /// What a change to a create-only property (`UserPoolId`, `GenerateSecret`) does.
    /// Default: `Reject`.
    pub replacement_policy: Option<ReplacementPolicy>,
    /// What a difference between AWS and the desired state does. Default: `Report`.
    pub drift_policy: Option<DriftPolicy>,
    /// `Observe`: only read the client and report drift, never create, update, replace or delete
    /// it (deleting the resource forgets it). Default: `Manage`.
    pub management_policy: Option<ManagementPolicy>,
    /// When true the reconciler leaves the resource alone. Default: false.
    pub paused: Option<bool>,
    /// An existing client to take over instead of creating one. Default: none (create one).
    pub adopt: Option<Adopt>,
    /// Seconds between drift checks of this client. Default: the server's
    /// `--drift-interval-secs` (600).
    #[schema(minimum = 60, maximum = 604800)]
    pub drift_check_interval_seconds: Option<u32>,
    /// Rotate the client's secret on a schedule and deliver each new value to Secrets Manager.
    /// Needs `properties.GenerateSecret: true`. Default: none (no rotation).
    pub secret_rotation: Option<SecretRotation>,
}

/// The body of a POST: a name and the desired state; only `name` and `properties` are required.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewUserPoolClient {
    // Its pattern is set in `openapi.rs`, from the one DNS label pattern.
    /// The name (DNS label), unique in the namespace.
    #[schema(example = "reports")]
    pub name: String,
    /// The desired state.
    #[serde(flatten)]
    pub document: UserPoolClientDocument,
}

/// A JSON Merge Patch (RFC 7396) of a UserPoolClient's desired state: every field is optional.
///
/// A field that is absent stays as it is; `null` removes it, which brings back its default (for
/// a label or a property: removes it). Objects merge recursively, arrays are replaced whole.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserPoolClientPatch {
    /// AWS region of the client; `null`: the server's default region.
    #[schema(example = "us-east-1")]
    pub region: Option<String>,
    /// Labels to set; a label set to `null` is removed.
    #[schema(schema_with = labels_patch_schema)]
    pub labels: Option<BTreeMap<String, Option<String>>>,
    /// Properties to set; a property set to `null` is removed (`UserPoolId` cannot be).
    #[schema(nullable = false, schema_with = properties_patch_ref)]
    pub properties: Option<Map<String, Value>>,
    /// What deleting the resource does in AWS; `null`: `Delete`.
    pub deletion_policy: Option<DeletionPolicy>,
    /// What a change to a create-only property does; `null`: `Reject`.
    pub replacement_policy: Option<ReplacementPolicy>,
    /// What drift does; `null`: `Report`.
    pub drift_policy: Option<DriftPolicy>,
    /// Whether ccplane changes the client or only observes it; `null`: `Manage`.
    pub management_policy: Option<ManagementPolicy>,
    /// When true the reconciler leaves the resource alone; `null`: false.
    pub paused: Option<bool>,
    /// An existing client to take over; `null`: none.
    pub adopt: Option<Adopt>,
    /// Seconds between drift checks; `null`: the server's default.
    #[schema(minimum = 60, maximum = 604800)]
    pub drift_check_interval_seconds: Option<u32>,
    /// The secret's rotation, merged field by field; `null`: no rotation (one in progress
    /// finishes).
    pub secret_rotation: Option<SecretRotationPatch>,
}

/// A JSON Merge Patch of `secretRotation`: a field absent stays as it is.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretRotationPatch {
    /// Days between rotations (1 to 365).
    #[schema(minimum = 1, maximum = 365)]
    pub every_days: Option<u32>,
    /// Hours the old secret keeps working after the new one is current (0 to 720); `null`: 24.
    #[schema(minimum = 0, maximum = 720)]
    pub overlap_hours: Option<u32>,
    /// Where each new secret is delivered.
    pub deliver_to: Option<DeliverTo>,
}

fn labels_schema() -> utoipa::openapi::Schema {
    schema(serde_json::json!({
        "type": ["object", "null"],
        "description": "Labels for selection (`?labels=team=payments`). Default: none.",
        "maxProperties": MAX_LABELS,
        "propertyNames": {"type": "string", "pattern": LABEL_KEY_PATTERN, "maxLength": 316},
        "additionalProperties": {"type": "string", "pattern": LABEL_VALUE_PATTERN, "maxLength": 63},
        "example": {"team": "payments", "tier": "gold"},
    }))
}

fn labels_patch_schema() -> utoipa::openapi::Schema {
    schema(serde_json::json!({
        "type": ["object", "null"],
        "description": "Labels to set; a label set to `null` is removed, and `null` removes them all.",
        "maxProperties": MAX_LABELS,
        "propertyNames": {"type": "string", "pattern": LABEL_KEY_PATTERN, "maxLength": 316},
        "additionalProperties": {
            "type": ["string", "null"], "pattern": LABEL_VALUE_PATTERN, "maxLength": 63
        },
        "example": {"tier": "gold", "team": null},
    }))
}

fn properties_patch_ref() -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
    utoipa::openapi::Ref::from_schema_name(PROPERTIES_PATCH_SCHEMA).into()
}

/// Validates a document (with `extra` top-level fields allowed beside it).
pub(crate) fn validate(
    body: &Value,
    state: &AppState,
    extra: &[&str],
) -> Result<Validated, ApiError> {
    parse_spec(body, &state.settings.default_region, extra).map_err(ApiError::Invalid)
}

/// Rejects a document whose region the namespace may not use (422 at `/region`).
pub(crate) async fn check_region(
    state: &AppState,
    principal: &Principal,
    namespace: &str,
    spec: &Spec,
) -> Result<(), ApiError> {
    let Some(settings) = principal.namespace_settings(state, namespace).await? else {
        return Ok(());
    };
    if region_allowed(&settings.allowed_regions, &spec.region) {
        return Ok(());
    }
    Err(ApiError::Invalid(vec![Violation {
        pointer: "/region".into(),
        message: format!(
            "namespace {namespace} may not use region {}; allowed: {}",
            spec.region,
            settings.allowed_regions.join(", ")
        ),
    }]))
}
