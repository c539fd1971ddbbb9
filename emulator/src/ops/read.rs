//! GetResource and ListResources: answered synchronously from the current models.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    Call, Checks, Common, HANDLER_PAGE_SIZE, IDENTIFIER, PROPERTIES, StringSpec,
    mutate::{find, resource_not_found},
    next_token, resource_type, resume_after, spec, to_json,
};
use crate::{
    cognito::{self, ResourceType},
    quotas::{CognitoCall, CognitoOp},
    wire::{ApiError, ErrorKind},
    world::Scope,
};

/// ListResources' NextToken is a handler token (`HandlerNextToken`: up to 4,096 characters of any
/// kind), longer and looser than ListResourceRequests' (2,048, base64 characters).
const HANDLER_NEXT_TOKEN: StringSpec = spec(1, 4096);

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct GetInput {
    #[serde(flatten)]
    common: Common,
    identifier: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListInput {
    #[serde(flatten)]
    common: Common,
    next_token: Option<String>,
    max_results: Option<i64>,
    resource_model: Option<String>,
}

/// `GetResource`.
pub(super) fn get(call: &Call<'_>, input: GetInput) -> Result<String, ApiError> {
    let mut checks = Checks::default();
    checks.common(&input.common);
    checks.required(input.identifier.as_ref(), "identifier");
    checks.string(input.identifier.as_deref(), "identifier", IDENTIFIER);
    checks.done()?;
    let rt = resource_type(input.common.type_name.as_deref())?;
    let raw_id = input.identifier.as_deref().unwrap_or_default();
    if rt == ResourceType::UserPoolClient {
        // The handler calls DescribeUserPoolClient, whatever the answer will be.
        let pool = cognito::parse_client_identifier(raw_id).map(|(pool, _)| pool);
        spend(call, rt, CognitoOp::Describe, pool.as_deref())?;
    }
    let shown = call.shared.shown_secret();
    let now = call.shared.clock.now();
    let mut world = call.shared.world();
    let mut scope = world.scope(call.caller, now);
    let (id, mut model) = find(&scope, rt, raw_id).ok_or_else(|| resource_not_found(rt, raw_id))?;
    if rt == ResourceType::UserPoolClient
        && let Some((pool, client)) = cognito::parse_client_identifier(&id)
    {
        // A client can exist and still not be visible yet (eventual consistency, by fault
        // injection).
        if scope.take_hidden_read(&pool, &client) {
            return Err(resource_not_found(rt, raw_id));
        }
        // With two active secrets, DescribeUserPoolClient shows one of them.
        if let Some(described) = scope
            .partition()
            .pools
            .get(&pool)
            .and_then(|p| p.shown_client(&client, shown))
        {
            model = described;
        }
    }
    drop(world);
    to_json(&json!({
        "TypeName": rt.name(),
        "ResourceDescription": { "Identifier": id, "Properties": model.to_string() },
    }))
}

/// `ListResources`.
pub(super) fn list(call: &Call<'_>, input: ListInput) -> Result<String, ApiError> {
    let mut checks = Checks::default();
    checks.common(&input.common);
    checks.string(input.next_token.as_deref(), "nextToken", HANDLER_NEXT_TOKEN);
    checks.range(input.max_results, "maxResults", 1, 100);
    checks.string(input.resource_model.as_deref(), "resourceModel", PROPERTIES);
    checks.done()?;
    let rt = resource_type(input.common.type_name.as_deref())?;
    let after = resume_after(input.next_token.as_deref())?;
    let pool_filter = match rt {
        ResourceType::UserPoolClient => Some(required_pool(input.resource_model.as_deref())?),
        ResourceType::UserPool => None,
    };
    if let Some(pool) = &pool_filter {
        // The handler calls ListUserPoolClients once for the page.
        spend(call, rt, CognitoOp::List, Some(pool))?;
    }
    let now = call.shared.clock.now();
    let mut world = call.shared.world();
    let scope = world.scope(call.caller, now);
    let items = match &pool_filter {
        Some(pool) => clients_of(&scope, pool)?,
        None => pools(&scope),
    };
    drop(world);
    // `MaxResults` is checked (Coral's 1..100) but the handler decides the page size: the field is
    // "Reserved" in the ListResources reference, and AWS answered that it is not supported
    // (aws/aws-sdk #764; aws/aws-cli #9314: more items than MaxResults came back). Callers must
    // follow NextToken to the end (aws/aws-cdk-cli #587). The size, 20, is a reading of ours.
    let size = HANDLER_PAGE_SIZE;
    let mut page: Vec<Listed> = items
        .into_iter()
        .filter(|(key, _)| after.as_ref().is_none_or(|a| key > a))
        .take(size + 1)
        .collect();
    let more = page.len() > size;
    page.truncate(size);
    let token = more.then(|| next_token(&page[size - 1].0));
    let descriptions: Vec<Value> = page
        .into_iter()
        .map(|(_, (id, props))| json!({ "Identifier": id, "Properties": props.to_string() }))
        .collect();
    let mut out = json!({ "TypeName": rt.name(), "ResourceDescriptions": descriptions });
    if let Some(t) = token {
        out["NextToken"] = json!(t);
    }
    to_json(&out)
}

/// Spends the Cognito call a read handler makes. The reading of ours: a read that Cognito throttles
/// fails synchronously (no recording shows how; `ReadThrottleAnswer` holds both readings).
fn spend(
    call: &Call<'_>,
    rt: ResourceType,
    op: CognitoOp,
    pool: Option<&str>,
) -> Result<(), ApiError> {
    call.shared
        .cognito_read(call.caller, &[CognitoCall { op, pool }])
        .map_err(|answer| answer.error(rt.name()))
}

/// The `UserPoolId` of a list request's ResourceModel, which the client list handler requires.
fn required_pool(resource_model: Option<&str>) -> Result<String, ApiError> {
    let pool = resource_model
        .and_then(|m| serde_json::from_str::<Value>(m).ok())
        .and_then(|m| m.get("UserPoolId")?.as_str().map(str::to_owned));
    pool.ok_or_else(|| {
        ApiError::new(
            ErrorKind::InvalidRequest,
            format!(
                "Missing or invalid ResourceModel property in {} list handler request input. Required property: [UserPoolId]",
                ResourceType::UserPoolClient.name()
            ),
        )
    })
}

/// One listed resource: its sort key, and its identifier and properties.
type Listed = (String, (String, Value));

/// A pool's clients, sorted by ClientId.
fn clients_of(scope: &Scope<'_>, pool_id: &str) -> Result<Vec<Listed>, ApiError> {
    let pool = scope
        .partition()
        .pools
        .get(pool_id)
        .ok_or_else(|| resource_not_found(ResourceType::UserPool, pool_id))?;
    Ok(pool
        .clients
        .iter()
        .map(|(client_id, model)| {
            let id = cognito::client_identifier(pool_id, client_id);
            (client_id.clone(), (id, cognito::list_model(model)))
        })
        .collect())
}

fn pools(scope: &Scope<'_>) -> Vec<Listed> {
    scope
        .partition()
        .pools
        .iter()
        .map(|(id, pool)| (id.clone(), (id.clone(), pool.model.clone())))
        .collect()
}
