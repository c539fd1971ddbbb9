//! CreateResource, UpdateResource and DeleteResource: synchronous checks, then an async request.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    Call, Checks, Common, IDENTIFIER, PROPERTIES, Reply, TOKEN, json_object, resource_type, to_json,
};
use crate::{
    cognito::{self, ResourceType},
    faults::TokenReuse,
    quotas::{CognitoCall, CognitoOp},
    request::{OpKind, ProgressEvent, Work},
    schema,
    wire::{ApiError, ErrorKind},
    world::{self, NewRequest, Scope},
};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct CreateInput {
    #[serde(flatten)]
    common: Common,
    client_token: Option<String>,
    desired_state: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct UpdateInput {
    #[serde(flatten)]
    common: Common,
    client_token: Option<String>,
    identifier: Option<String>,
    patch_document: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DeleteInput {
    #[serde(flatten)]
    common: Common,
    client_token: Option<String>,
    identifier: Option<String>,
}

/// `CreateResource`.
pub(super) fn create(call: &Call<'_>, input: CreateInput) -> Result<Reply, ApiError> {
    let mut checks = Checks::default();
    checks.common(&input.common);
    checks.required(input.desired_state.as_ref(), "desiredState");
    checks.string(input.desired_state.as_deref(), "desiredState", PROPERTIES);
    checks.string(input.client_token.as_deref(), "clientToken", TOKEN);
    checks.done()?;
    let rt = resource_type(input.common.type_name.as_deref())?;
    let text = input.desired_state.as_deref().unwrap_or_default();
    let desired = json_object(text, "DesiredState")?;
    check_desired(rt, &desired)?;
    let fingerprint = fingerprint(OpKind::Create, &input.common, None, text);
    let token = input.client_token;
    submit(call, (rt, OpKind::Create), token, fingerprint, |_| {
        Ok((None, Work::Create { desired }))
    })
}

/// `UpdateResource`.
pub(super) fn update(call: &Call<'_>, input: UpdateInput) -> Result<Reply, ApiError> {
    let mut checks = Checks::default();
    checks.common(&input.common);
    checks.required(input.identifier.as_ref(), "identifier");
    checks.string(input.identifier.as_deref(), "identifier", IDENTIFIER);
    checks.required(input.patch_document.as_ref(), "patchDocument");
    checks.string(input.patch_document.as_deref(), "patchDocument", PROPERTIES);
    checks.string(input.client_token.as_deref(), "clientToken", TOKEN);
    checks.done()?;
    let rt = resource_type(input.common.type_name.as_deref())?;
    let text = input.patch_document.as_deref().unwrap_or_default();
    let patch: Vec<json_patch::PatchOperation> = serde_json::from_str(text).map_err(|e| {
        ApiError::new(
            ErrorKind::Validation,
            format!("PatchDocument is not a valid JSON Patch (RFC 6902) document: {e}"),
        )
    })?;
    check_patch_paths(rt, &patch)?;
    let raw_id = input.identifier.as_deref().unwrap_or_default();
    let fingerprint = fingerprint(OpKind::Update, &input.common, Some(raw_id), text);
    let token = input.client_token;
    submit(call, (rt, OpKind::Update), token, fingerprint, |scope| {
        // Cloud Control reads the resource first, so an unknown one is refused at once.
        let (id, current) =
            find(scope, rt, raw_id).ok_or_else(|| resource_not_found(rt, raw_id))?;
        refuse_concurrent(scope, rt, &id)?;
        let next = world::apply_patch(rt, &current, &patch).map_err(|e| {
            ApiError::new(
                ErrorKind::Validation,
                format!("Patch could not be applied: {e}"),
            )
        })?;
        if rt == ResourceType::UserPoolClient {
            model_validation(schema::violations(&next))?;
        }
        Ok((Some(id), Work::Update { patch }))
    })
}

/// `DeleteResource`.
pub(super) fn delete(call: &Call<'_>, input: DeleteInput) -> Result<Reply, ApiError> {
    let mut checks = Checks::default();
    checks.common(&input.common);
    checks.required(input.identifier.as_ref(), "identifier");
    checks.string(input.identifier.as_deref(), "identifier", IDENTIFIER);
    checks.string(input.client_token.as_deref(), "clientToken", TOKEN);
    checks.done()?;
    let rt = resource_type(input.common.type_name.as_deref())?;
    let raw_id = input.identifier.as_deref().unwrap_or_default();
    let fingerprint = fingerprint(OpKind::Delete, &input.common, Some(raw_id), "");
    let token = input.client_token;
    submit(call, (rt, OpKind::Delete), token, fingerprint, |scope| {
        // A resource that is gone fails later, asynchronously, with NotFound.
        let id = canonical_identifier(rt, raw_id).unwrap_or_else(|| raw_id.to_owned());
        refuse_concurrent(scope, rt, &id)?;
        Ok((Some(id), Work::Delete))
    })
}

/// Submits a mutation of `op` on a resource of `resource_type` in the caller's scope, unless its
/// ClientToken names an earlier request (which then answers, or conflicts, per the token-reuse
/// mode). `prepare` checks it against the world as it is and says which resource it touches and
/// what the work is.
fn submit(
    call: &Call<'_>,
    (resource_type, op): (ResourceType, OpKind),
    client_token: Option<String>,
    fingerprint: String,
    prepare: impl FnOnce(&Scope<'_>) -> Result<(Option<String>, Work), ApiError>,
) -> Result<Reply, ApiError> {
    let reuse = call.shared.token_reuse();
    let now = call.shared.clock.now();
    let mut world = call.shared.world();
    let mut scope = world.scope(call.caller, now);
    if let Some(event) = replay(&scope, client_token.as_deref(), &fingerprint, reuse)? {
        return respond(&event, false);
    }
    let (identifier, work) = prepare(&scope)?;
    let request = NewRequest {
        resource_type,
        op,
        identifier,
        work,
        client_token,
        fingerprint,
    };
    accept(call, &mut scope, request)
}

/// Accepts a mutation: its fate (Cognito's quotas, latency, failure, a lost answer) is decided
/// now, so that scripted faults and Cognito's rates are used up only by mutations that are
/// accepted.
fn accept(call: &Call<'_>, scope: &mut Scope<'_>, request: NewRequest) -> Result<Reply, ApiError> {
    let calls = handler_calls(&request);
    let plan = call.shared.plan_settle(request.op, call.caller, &calls);
    let lose_answer = plan.lose_answer;
    let event = scope.submit(request, plan);
    respond(&event, lose_answer)
}

/// The Cognito calls the `AWS::Cognito::UserPoolClient` handler makes for a mutation: a reading
/// of ours, as no recording shows them. Create calls CreateUserPoolClient; update calls
/// DescribeUserPoolClient, then UpdateUserPoolClient (Cloud Control merges the patch into the model
/// it reads back); delete calls DeleteUserPoolClient. Other resource types spend no Cognito rate
/// here (Cognito's user pool categories are not modelled).
fn handler_calls(request: &NewRequest) -> Vec<CognitoCall<'_>> {
    if request.resource_type != ResourceType::UserPoolClient {
        return Vec::new();
    }
    let pool = match (&request.work, &request.identifier) {
        (Work::Create { desired }, _) => desired["UserPoolId"].as_str(),
        // Canonical identifiers are `Pool|Client`.
        (_, Some(id)) => id.split_once('|').map(|(pool, _)| pool),
        (_, None) => None,
    };
    let ops: &[CognitoOp] = match request.op {
        OpKind::Create => &[CognitoOp::Create],
        OpKind::Update => &[CognitoOp::Describe, CognitoOp::Update],
        OpKind::Delete => &[CognitoOp::Delete],
    };
    ops.iter().map(|&op| CognitoCall { op, pool }).collect()
}

fn respond(event: &ProgressEvent, lose_answer: bool) -> Result<Reply, ApiError> {
    Ok(Reply {
        body: to_json(&json!({ "ProgressEvent": event }))?,
        lose_answer,
    })
}

/// The parameters a ClientToken stands for.
fn fingerprint(op: OpKind, common: &Common, identifier: Option<&str>, document: &str) -> String {
    json!([
        op.name(),
        common.type_name,
        common.type_version_id,
        common.role_arn,
        identifier,
        document
    ])
    .to_string()
}

fn replay(
    scope: &Scope<'_>,
    client_token: Option<&str>,
    fingerprint: &str,
    reuse: TokenReuse,
) -> Result<Option<ProgressEvent>, ApiError> {
    match client_token {
        Some(ct) => scope.replay(ct, fingerprint, reuse),
        None => Ok(None),
    }
}

/// Synchronous checks of a desired state: read-only properties and the schema.
fn check_desired(rt: ResourceType, desired: &Value) -> Result<(), ApiError> {
    let read_only = cognito::present(desired, rt.read_only());
    if !read_only.is_empty() {
        let list = read_only
            .iter()
            .map(|p| format!("/properties/{p}"))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(ApiError::new(
            ErrorKind::Validation,
            format!("Model validation failed: read-only properties [{list}] cannot be set"),
        ));
    }
    if rt != ResourceType::UserPoolClient {
        return Ok(());
    }
    model_validation(schema::violations(desired))
}

fn model_validation(violations: Vec<String>) -> Result<(), ApiError> {
    if violations.is_empty() {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorKind::Validation,
        format!("Model validation failed ({})", violations.join("\n")),
    ))
}

/// A patch may not change create-only or read-only properties.
fn check_patch_paths(
    rt: ResourceType,
    patch: &[json_patch::PatchOperation],
) -> Result<(), ApiError> {
    for (kind, names) in [
        ("createOnlyProperties", rt.create_only()),
        ("readOnlyProperties", rt.read_only()),
    ] {
        let touched = cognito::patched(patch, names);
        if !touched.is_empty() {
            let list = touched
                .iter()
                .map(|p| format!("/properties/{p}"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(ApiError::new(
                ErrorKind::NotUpdatable,
                format!("Invalid patch update: {kind} [{list}] cannot be updated"),
            ));
        }
    }
    Ok(())
}

fn refuse_concurrent(scope: &Scope<'_>, rt: ResourceType, id: &str) -> Result<(), ApiError> {
    match scope.in_flight(rt, id) {
        Some(token) => Err(ApiError::new(
            ErrorKind::ConcurrentOperation,
            format!(
                "Another resource operation is in progress on resource [{id}] with RequestToken [{token}]"
            ),
        )),
        None => Ok(()),
    }
}

/// The canonical identifier (`Pool|Client` or `Pool`) of any accepted spelling.
pub(super) fn canonical_identifier(rt: ResourceType, identifier: &str) -> Option<String> {
    match rt {
        ResourceType::UserPoolClient => cognito::parse_client_identifier(identifier)
            .map(|(p, c)| cognito::client_identifier(&p, &c)),
        ResourceType::UserPool => cognito::parse_pool_identifier(identifier),
    }
}

/// The canonical identifier and stored model of a resource.
pub(super) fn find(
    scope: &Scope<'_>,
    rt: ResourceType,
    identifier: &str,
) -> Option<(String, Value)> {
    let id = canonical_identifier(rt, identifier)?;
    let model = match rt {
        ResourceType::UserPoolClient => {
            let (pool, client) = cognito::parse_client_identifier(&id)?;
            scope.client(&pool, &client)?.clone()
        }
        ResourceType::UserPool => scope.partition().pools.get(&id)?.model.clone(),
    };
    Some((id, model))
}

/// `ResourceNotFoundException` worded as Cloud Control relays a handler's NotFound.
pub(super) fn resource_not_found(rt: ResourceType, identifier: &str) -> ApiError {
    let what = match rt {
        ResourceType::UserPoolClient => format!(
            "User pool client {} does not exist.",
            identifier.rsplit('|').next().unwrap_or(identifier)
        ),
        ResourceType::UserPool => format!("User pool {identifier} does not exist."),
    };
    ApiError::new(
        ErrorKind::ResourceNotFound,
        format!(
            "{} Handler returned status FAILED: {what} (HandlerErrorCode: NotFound, RequestToken: {})",
            rt.name(),
            uuid::Uuid::new_v4()
        ),
    )
}
