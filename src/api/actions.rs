//! Actions on a UserPoolClient beyond its document: plan, refresh, cancel, and reading the secret.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::admission::{UserPoolClientDocument, check_region, validate};
use super::error::ApiError;
use super::extract::{JsonBody, ResourcePath};
use super::principal::Principal;
use super::state::AppState;
use crate::access::Role;
use crate::cloud::{Account, Cloud, ErrorClass, Place};
use crate::model::Violation;
use crate::model::decision;
use crate::model::diff::FieldChange;
use crate::model::document::{ManagementPolicy, Spec, Validated};
use crate::store::resources::{self, Request, ResourceRow};

/// What a candidate document would do, computed without storing it or calling a mutating API.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// `create`, `update`, `replace`, `none`, or `reject` (a replacement the policy refuses).
    #[schema(example = "update")]
    pub action: String,
    /// The RFC 6902 patch an update would send.
    #[schema(value_type = Vec<JsonPatchOperation>)]
    pub patch: Value,
    /// Create-only properties whose change forces replacement.
    pub replacement_fields: Vec<String>,
    /// The field-level differences from the live client.
    #[schema(value_type = Vec<PropertyChange>)]
    pub changes: Vec<FieldChange>,
    /// The Cloud Control calls it would take, in order.
    pub calls: Vec<String>,
    /// Settings accepted but without effect.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Violation>,
}

/// One operation of a JSON Patch (RFC 6902), as Cloud Control's `UpdateResource` takes it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JsonPatchOperation {
    /// What to do.
    pub op: JsonPatchOp,
    /// A JSON Pointer (RFC 6901) to the property, e.g. `/CallbackURLs`.
    #[schema(example = "/ClientName")]
    pub path: String,
    /// The new value (`add`, `replace`, `test`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, value_type = Option<AnyValue>)]
    pub value: Option<Value>,
    /// Where a value comes from (`move`, `copy`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub from: Option<String>,
}

/// A JSON Patch operation's kind.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JsonPatchOp {
    /// Add a value.
    Add,
    /// Remove a value.
    Remove,
    /// Replace a value.
    Replace,
    /// Move a value.
    Move,
    /// Copy a value.
    Copy,
    /// Check a value.
    Test,
}

/// One property whose desired and live values differ.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PropertyChange {
    /// A JSON Pointer (RFC 6901) to the property, e.g. `/CallbackURLs`.
    #[schema(example = "/ClientName")]
    pub pointer: String,
    /// The desired value. When the desired state stops setting a property Cognito defaults, this
    /// is Cognito's default, which the update writes back (a JSON Patch `remove` leaves the live
    /// value on AWS); absent when the property is removed.
    #[schema(nullable = false, value_type = Option<AnyValue>)]
    pub desired: Option<Value>,
    /// The live value; absent when the client does not have the property.
    #[schema(nullable = false, value_type = Option<AnyValue>)]
    pub live: Option<Value>,
}

/// Any JSON value.
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Value)]
pub struct AnyValue(Value);

pub(super) fn cloud(state: &AppState) -> Result<&Cloud, ApiError> {
    state.cloud.as_ref().ok_or_else(|| {
        ApiError::Conflict(
            "this process has no Cloud Control connection (role api without --cloud)".into(),
        )
    })
}

/// The account `namespace`'s clients live in and the IAM role Cloud Control runs the handler with,
/// if it has one (its settings were read with the caller's token when the path names it).
pub(super) async fn target_of(
    state: &AppState,
    principal: &Principal,
    namespace: &str,
) -> Result<(Account, Option<String>), ApiError> {
    let settings = principal.namespace_settings(state, namespace).await?;
    Ok(settings.map_or_else(Default::default, |n| {
        let account = Account {
            assume_role_arn: n.assume_role_arn,
            external_id: n.external_id,
        };
        (account, n.role_arn)
    }))
}

/// Where a read for a person goes: the namespace's account; spent as intent, not background.
pub(super) fn place<'a>(region: &'a str, namespace: &'a str, account: Account) -> Place<'a> {
    Place {
        region,
        account,
        namespace,
        background: false,
        prepaid: false,
    }
}

/// Plans a validated document against the resource stored at `path` and its live client.
pub async fn plan_at(
    state: &AppState,
    principal: &Principal,
    path: &ResourcePath,
    validated: Validated,
) -> Result<Plan, ApiError> {
    let row = resources::get(&state.pool, &path.namespace, &path.name).await?;
    let observe = validated.spec.management_policy == ManagementPolicy::Observe;
    let plan = plan_for(
        state,
        principal,
        row.as_ref(),
        &validated.spec,
        validated.warnings,
    )
    .await?;
    Ok(if observe { observed(plan) } else { plan })
}

/// Plans `spec` against the resource's live client (when there is one).
async fn plan_for(
    state: &AppState,
    principal: &Principal,
    row: Option<&ResourceRow>,
    spec: &Spec,
    warnings: Vec<Violation>,
) -> Result<Plan, ApiError> {
    let create = || Plan {
        action: "create".into(),
        patch: json!([]),
        replacement_fields: Vec::new(),
        changes: Vec::new(),
        calls: owned(decision::CREATE_CALLS),
        warnings: warnings.clone(),
    };
    let Some((row, identifier)) = row.and_then(|r| r.identifier().map(|i| (r, i))) else {
        return Ok(create());
    };
    let (account, role_arn) = target_of(state, principal, &row.namespace).await?;
    let at = place(&spec.region, &row.namespace, account);
    let live = match cloud(state)?
        .get(&at, role_arn.as_deref(), identifier)
        .await
    {
        Ok(live) => live,
        Err(e) if e.class == ErrorClass::NotFound => return Ok(create()),
        Err(e) => return Err(ApiError::from(&e)),
    };
    // The reconciler remembers what Cognito normalised for the stored generation: a candidate
    // that is that generation's document is judged with them, any other as a new generation.
    let same_generation = row.spec().properties == spec.properties;
    let remembered = if same_generation {
        row.normalizations()
    } else {
        &[]
    };
    let applied = row.applied_properties();
    let (desired, policy) = (&spec.properties, spec.replacement_policy);
    let generation = row.generation;
    let verdict = decision::decide(desired, &live, applied, remembered, generation, policy);
    Ok(Plan {
        action: verdict.decision.action().into(),
        patch: serde_json::to_value(&verdict.diff.patch).unwrap_or_else(|_| json!([])),
        replacement_fields: verdict.diff.replacement.clone(),
        changes: verdict.diff.changes,
        calls: owned(verdict.decision.calls()),
        warnings,
    })
}

fn owned(calls: &[&str]) -> Vec<String> {
    calls.iter().map(|c| (*c).to_owned()).collect()
}

/// Plan a document without storing it
///
/// What a candidate document would do to the client: `create`, `update`, `replace`, `none`, or
/// `reject` (a replacement the policy refuses), with the exact JSON Patch and the Cloud Control
/// calls it would take. Under `managementPolicy: Observe` it is always `none`: the differences are
/// listed (they are reported as drift) and a warning says nothing is sent. Reads the live client
/// from AWS; stores and changes nothing.
#[utoipa::path(
    post,
    path = "/v1/namespaces/{namespace}/user-pool-clients/{name}/plan",
    tag = "user-pool-clients",
    params(("namespace" = String, Path, description = "Namespace (DNS label)"), ("name" = String, Path, description = "Name (DNS label)")),
    request_body(content = UserPoolClientDocument, content_type = "application/json"),
    responses(
        (status = 200, description = "The plan; nothing was stored or changed", body = Plan),
        (status = 400, description = "A malformed path or body"),
        (status = 409, description = "This process has no Cloud Control connection to read the live client with"),
        (status = 422, description = "The document is invalid (every violation is listed), or its region is not allowed in the namespace"),
    )
)]
pub async fn plan_user_pool_client(
    State(state): State<AppState>,
    principal: Principal,
    path: ResourcePath,
    JsonBody(body): JsonBody,
) -> Result<Json<Plan>, ApiError> {
    principal.require_on(Role::Editor, &path)?;
    let validated = validate(&body, &state, &[])?;
    check_region(&state, &principal, &path.namespace, &validated.spec).await?;
    Ok(Json(plan_at(&state, &principal, &path, validated).await?))
}

/// What a document under `managementPolicy: Observe` does: it reads the client and reports the
/// differences as drift, and sends nothing (`reconcile::situation::classify`).
fn observed(plan: Plan) -> Plan {
    let mut warnings = plan.warnings;
    let message = match plan.action.as_str() {
        "create" => {
            "managementPolicy is Observe: there is no client to observe, and none is created"
        }
        _ if plan.changes.is_empty() => "",
        _ => {
            "managementPolicy is Observe: the differences are reported as drift, and nothing is sent"
        }
    };
    if !message.is_empty() {
        warnings.push(Violation::new("/managementPolicy", message));
    }
    Plan {
        action: "none".into(),
        patch: json!([]),
        replacement_fields: Vec::new(),
        changes: plan.changes,
        calls: Vec::new(),
        warnings,
    }
}

/// Check a client against AWS now
///
/// Asks the reconciler to compare the live client with the desired state at once (a drift
/// check), or to retry an apply that failed.
#[utoipa::path(
    post,
    path = "/v1/namespaces/{namespace}/user-pool-clients/{name}/refresh",
    tag = "user-pool-clients",
    params(("namespace" = String, Path, description = "Namespace (DNS label)"), ("name" = String, Path, description = "Name (DNS label)")),
    responses(
        (status = 202, description = "The reconciler will look now"),
        (status = 400, description = "A malformed path"),
    )
)]
pub async fn refresh_user_pool_client(
    State(state): State<AppState>,
    principal: Principal,
    path: ResourcePath,
) -> Result<StatusCode, ApiError> {
    ask_reconciler(&state, &principal, &path, Request::Refresh).await
}

/// Cancel the operation in flight
///
/// Asks the reconciler to cancel the Cloud Control operation in flight
/// (`CancelResourceRequest`).
#[utoipa::path(
    post,
    path = "/v1/namespaces/{namespace}/user-pool-clients/{name}/cancel",
    tag = "user-pool-clients",
    params(("namespace" = String, Path, description = "Namespace (DNS label)"), ("name" = String, Path, description = "Name (DNS label)")),
    responses(
        (status = 202, description = "The reconciler will cancel the operation"),
        (status = 400, description = "A malformed path"),
        (status = 409, description = "No operation is in flight"),
    )
)]
pub async fn cancel_user_pool_client(
    State(state): State<AppState>,
    principal: Principal,
    path: ResourcePath,
) -> Result<StatusCode, ApiError> {
    ask_reconciler(&state, &principal, &path, Request::Cancel).await
}

/// Records a user's `request` on the resource for the reconciler (editor role); a cancel needs an
/// operation in flight.
async fn ask_reconciler(
    state: &AppState,
    principal: &Principal,
    path: &ResourcePath,
    request: Request,
) -> Result<StatusCode, ApiError> {
    principal.require_on(Role::Editor, path)?;
    let mut tx = state.pool.begin().await?;
    let row = path.lock(&mut tx).await?;
    if request == Request::Cancel && !row.has_operation() {
        return Err(ApiError::Conflict(
            "no Cloud Control operation is in flight".into(),
        ));
    }
    resources::request(&mut tx, &row, request, principal.actor().as_deref()).await?;
    state.notifier.commit(tx, &path.namespace).await?;
    Ok(StatusCode::ACCEPTED)
}

/// The client's secret, read live from AWS; never stored or logged.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClientSecret {
    /// Cognito's ClientId.
    pub client_id: String,
    /// The secret; absent when the client has none (`GenerateSecret` false).
    pub client_secret: Option<String>,
}

/// Read the client secret
///
/// Reads `ClientSecret` live from AWS (`GetResource`); it is never stored. Each read is recorded
/// as a `SecretRead` event, without the value. Needs the `secret-reader` role.
#[utoipa::path(
    get,
    path = "/v1/namespaces/{namespace}/user-pool-clients/{name}/secret",
    tag = "user-pool-clients",
    params(("namespace" = String, Path, description = "Namespace (DNS label)"), ("name" = String, Path, description = "Name (DNS label)")),
    responses(
        (status = 200, description = "The secret", body = ClientSecret,
            headers(("Cache-Control" = String))),
        (status = 400, description = "A malformed path"),
        (status = 409, description = "The client does not exist in AWS yet, or this process has no Cloud Control connection"),
    )
)]
pub async fn get_user_pool_client_secret(
    State(state): State<AppState>,
    principal: Principal,
    path: ResourcePath,
) -> Result<Response, ApiError> {
    principal.require_on(Role::SecretReader, &path)?;
    let row = path.find(&state.pool).await?;
    let Some(identifier) = row.identifier() else {
        return Err(ApiError::Conflict(
            "the client does not exist in AWS yet".into(),
        ));
    };
    let (account, role_arn) = target_of(&state, &principal, &row.namespace).await?;
    let spec = row.spec();
    let at = place(&spec.region, &row.namespace, account);
    let live = cloud(&state)?
        .get(&at, role_arn.as_deref(), identifier)
        .await
        .map_err(|e| ApiError::from(&e))?;
    resources::record_secret_read(&state.pool, &row, principal.actor().as_deref()).await?;
    state.notifier.changed(&path.namespace);
    let secret = ClientSecret {
        client_id: live
            .get("ClientId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        client_secret: live
            .get("ClientSecret")
            .and_then(Value::as_str)
            .map(str::to_owned),
    };
    let mut response = Json(secret).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
