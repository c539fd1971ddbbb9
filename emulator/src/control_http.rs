//! The control API under `/_emulator/`: plain JSON over GET, POST and DELETE.

use std::time::Duration;

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    accounts::Role,
    clock::epoch_seconds,
    cognito::UserPoolTier,
    control::{Control, ControlError},
    faults::{Effect, FaultSettings, ScriptedCall, ScriptedFault},
    json11::ApiOperation,
    quotas::{QuotaChange, QuotaSettings},
    wire::DEFAULT_ACCOUNT,
};

/// The `/_emulator/` routes.
pub fn routes() -> Router<Control> {
    Router::new()
        .route(
            "/_emulator/health",
            get(|| async { Json(json!({"ok": true})) }),
        )
        .route("/_emulator/reset", post(reset))
        .route("/_emulator/stats", get(stats))
        .route("/_emulator/clock", get(clock))
        .route("/_emulator/clock/advance", post(advance))
        .route("/_emulator/faults", get(faults).post(set_faults))
        .route("/_emulator/quotas", get(quotas).post(set_quotas))
        .route(
            "/_emulator/accounts/{account}/quotas",
            get(account_quotas)
                .post(set_account_quotas)
                .delete(clear_account_quotas),
        )
        .route(
            "/_emulator/faults/script",
            get(scripted).post(script).delete(clear_script),
        )
        .route("/_emulator/stats/polls", get(polls))
        .route(
            "/_emulator/roles",
            get(roles).post(register_role).delete(delete_role),
        )
        .route("/_emulator/pools", get(pools).post(create_pool))
        .route("/_emulator/pools/{pool}/clients", post(create_client))
        .route(
            "/_emulator/pools/{pool}/resource-servers",
            post(add_resource_server),
        )
        .route(
            "/_emulator/pools/{pool}/identity-providers",
            post(add_identity_provider),
        )
        .route("/_emulator/pools/{pool}/tier", post(set_pool_tier))
        .route(
            "/_emulator/pools/{pool}/clients/{client}/hide",
            post(hide_client),
        )
        .route(
            "/_emulator/pools/{pool}",
            axum::routing::delete(delete_pool),
        )
        .route("/_emulator/pools/{pool}/delete", post(delete_pool))
        .route(
            "/_emulator/pools/{pool}/clients/{client}",
            get(client).post(change_client).delete(delete_client),
        )
        .route(
            "/_emulator/pools/{pool}/clients/{client}/delete",
            post(delete_client),
        )
        .route(
            "/_emulator/pools/{pool}/clients/{client}/secrets",
            get(client_secrets),
        )
        .route("/_emulator/secretsmanager/secret", get(secret))
}

/// `?account=` on routes that address one account; 123456789012 by default.
#[derive(Debug, Deserialize)]
struct AccountQuery {
    account: Option<String>,
}

impl AccountQuery {
    fn account(&self) -> &str {
        self.account.as_deref().unwrap_or(DEFAULT_ACCOUNT)
    }
}

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        let (status, field) = match &self {
            ControlError::NotFound(_) => (StatusCode::NOT_FOUND, None),
            ControlError::Invalid(_) => (StatusCode::BAD_REQUEST, None),
            ControlError::InvalidField { field, .. } => {
                (StatusCode::BAD_REQUEST, Some(field.clone()))
            }
        };
        let mut body = json!({ "error": self.to_string() });
        if let Some(field) = field {
            body["field"] = json!(field);
        }
        (status, Json(body)).into_response()
    }
}

async fn reset(State(c): State<Control>) -> Json<Value> {
    c.reset();
    Json(json!({"ok": true}))
}

async fn stats(State(c): State<Control>) -> impl IntoResponse {
    Json(c.stats())
}

async fn clock(State(c): State<Control>) -> Json<Value> {
    let now = c.now();
    Json(json!({
        "now": epoch_seconds(now),
        "now_rfc3339": now.to_rfc3339(),
        "offset_seconds": c.clock_offset().as_secs_f64(),
    }))
}

#[derive(Debug, Deserialize)]
struct Advance {
    seconds: f64,
}

async fn advance(State(c): State<Control>, Json(a): Json<Advance>) -> Response {
    match Duration::try_from_secs_f64(a.seconds) {
        Ok(by) => {
            c.advance_clock(by);
            clock(State(c)).await.into_response()
        }
        Err(e) => ControlError::Invalid(format!("seconds: {e}")).into_response(),
    }
}

async fn faults(State(c): State<Control>) -> Json<FaultSettings> {
    Json(c.faults())
}

/// Merges the body (any subset of the settings) into the current settings.
async fn set_faults(State(c): State<Control>, Json(change): Json<Value>) -> Response {
    if let Some(rate) = change.get("rate_limit").and_then(Value::as_f64)
        && rate < 0.0
    {
        return ControlError::InvalidField {
            field: "rate_limit".to_owned(),
            message: format!("{rate} is not a rate: requests per second, 0 (off) or more"),
        }
        .into_response();
    }
    let mut current = serde_json::to_value(c.faults()).unwrap_or_default();
    json_patch::merge(&mut current, &change);
    match serde_json::from_value::<FaultSettings>(current) {
        Ok(settings) => {
            c.set_faults(settings.clone());
            Json(settings).into_response()
        }
        Err(e) => ControlError::Invalid(e.to_string()).into_response(),
    }
}

async fn quotas(State(c): State<Control>) -> Json<QuotaSettings> {
    Json(c.quotas())
}

/// Changes the quotas the body names (any of the four), for every account; answers them all.
async fn set_quotas(State(c): State<Control>, Json(change): Json<Value>) -> Response {
    let result = quota_change(&change).and_then(|change| c.set_quotas(&change));
    answer_quotas(result)
}

async fn account_quotas(State(c): State<Control>, Path(account): Path<String>) -> Response {
    answer_quotas(c.account_quotas(&account))
}

/// Overrides the quotas the body names for one account; answers the quotas in force for it.
async fn set_account_quotas(
    State(c): State<Control>,
    Path(account): Path<String>,
    Json(change): Json<Value>,
) -> Response {
    let result = quota_change(&change).and_then(|change| c.set_account_quotas(&account, &change));
    answer_quotas(result)
}

async fn clear_account_quotas(State(c): State<Control>, Path(account): Path<String>) -> Response {
    answer_quotas(c.clear_account_quotas(&account))
}

fn answer_quotas(result: Result<QuotaSettings, ControlError>) -> Response {
    match result {
        Ok(quotas) => Json(quotas).into_response(),
        Err(e) => e.into_response(),
    }
}

/// A quota change from a JSON object, each member checked on its own so that the error names it.
fn quota_change(body: &Value) -> Result<QuotaChange, ControlError> {
    const FIELDS: [&str; 4] = [
        "cloudControlRps",
        "cognitoReadRps",
        "cognitoWriteRps",
        "cognitoPoolOperationRps",
    ];
    let Some(members) = body.as_object() else {
        return Err(ControlError::Invalid(format!(
            "a quota change is an object with any of {}",
            FIELDS.join(", ")
        )));
    };
    for (name, value) in members {
        let Some(field) = FIELDS.iter().find(|f| **f == name) else {
            return Err(ControlError::InvalidField {
                field: name.clone(),
                message: format!("not a quota (known: {})", FIELDS.join(", ")),
            });
        };
        if !value.is_number() {
            return Err(ControlError::InvalidField {
                field: (*field).to_owned(),
                message: format!("{value} is not a number of requests per second"),
            });
        }
    }
    serde_json::from_value(body.clone()).map_err(|e| ControlError::Invalid(e.to_string()))
}

/// The queue: Cloud Control's mutation faults, then the call faults of the other services.
async fn scripted(State(c): State<Control>) -> Json<Vec<Value>> {
    let mutations = c.scripted().into_iter().map(|f| json!(f));
    let calls = c.scripted_calls().into_iter().map(|f| json!(f));
    Json(mutations.chain(calls).collect())
}

/// Queues one scripted fault; answers the whole queue. An `operation` that names a cognito-idp or
/// Secrets Manager operation (`PutSecretValue`) scripts that operation's next calls; otherwise
/// (`CREATE`, `UPDATE`, `DELETE` or none) Cloud Control's next accepted mutations.
async fn script(State(c): State<Control>, Json(fault): Json<Value>) -> Response {
    let names_call = fault
        .get("operation")
        .and_then(Value::as_str)
        .is_some_and(|name| ApiOperation::from_name(name).is_some());
    let queued = if names_call {
        script_call(&c, fault)
    } else {
        script_mutation(&c, fault)
    };
    match queued {
        Ok(()) => scripted(State(c)).await.into_response(),
        Err(e) => e.into_response(),
    }
}

fn script_call(c: &Control, fault: Value) -> Result<(), ControlError> {
    let fault: ScriptedCall =
        serde_json::from_value(fault).map_err(|e| ControlError::Invalid(e.to_string()))?;
    c.script_call(fault)
}

fn script_mutation(c: &Control, fault: Value) -> Result<(), ControlError> {
    let fault: ScriptedFault =
        serde_json::from_value(fault).map_err(|e| ControlError::Invalid(e.to_string()))?;
    if let Effect::Fail { error_code, .. } = &fault.effect
        && !HANDLER_ERROR_CODES.contains(&error_code.as_str())
    {
        return Err(ControlError::Invalid(format!(
            "`{error_code}` is not a HandlerErrorCode ({})",
            HANDLER_ERROR_CODES.join(", ")
        )));
    }
    c.script(fault);
    Ok(())
}

/// The `HandlerErrorCode` enum of the service model, to catch typos in scripts.
const HANDLER_ERROR_CODES: &[&str] = &[
    "NotUpdatable",
    "InvalidRequest",
    "AccessDenied",
    "UnauthorizedTaggingOperation",
    "InvalidCredentials",
    "AlreadyExists",
    "NotFound",
    "ResourceConflict",
    "Throttling",
    "ServiceLimitExceeded",
    "NotStabilized",
    "GeneralServiceException",
    "ServiceInternalError",
    "ServiceTimeout",
    "NetworkFailure",
    "InternalFailure",
];

async fn clear_script(State(c): State<Control>) -> StatusCode {
    c.clear_script();
    StatusCode::NO_CONTENT
}

async fn polls(State(c): State<Control>) -> Json<Value> {
    Json(json!({ "status_polls": c.status_polls() }))
}

async fn roles(State(c): State<Control>) -> Json<Value> {
    Json(json!({ "roles": c.roles() }))
}

/// `{"roleArn", "trustedAccounts"?, "externalId"?, "maxSessionDurationSeconds"?}`; answers the
/// role as registered, defaults filled in.
async fn register_role(State(c): State<Control>, Json(role): Json<Value>) -> Response {
    let role: Role = match serde_json::from_value(role) {
        Ok(r) => r,
        Err(e) => return ControlError::Invalid(e.to_string()).into_response(),
    };
    match c.register_role(role) {
        Ok(role) => (StatusCode::CREATED, Json(role)).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `?roleArn=` names the role: its `/` and `:` make a poor path segment.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RoleQuery {
    role_arn: Option<String>,
}

async fn delete_role(State(c): State<Control>, Query(q): Query<RoleQuery>) -> Response {
    let Some(role_arn) = q.role_arn else {
        return ControlError::Invalid("roleArn: the query names no role".into()).into_response();
    };
    match c.delete_role(&role_arn) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

async fn create_client(
    State(c): State<Control>,
    Path(pool): Path<String>,
    Query(q): Query<AccountQuery>,
    Json(desired): Json<Value>,
) -> Response {
    match c.create_client(q.account(), &pool, &desired) {
        Ok(client_id) => (
            StatusCode::CREATED,
            Json(json!({ "UserPoolId": pool, "ClientId": client_id })),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ResourceServer {
    identifier: String,
    #[serde(default)]
    scopes: Vec<String>,
}

async fn add_resource_server(
    State(c): State<Control>,
    Path(pool): Path<String>,
    Query(q): Query<AccountQuery>,
    Json(server): Json<ResourceServer>,
) -> Response {
    let scopes: Vec<&str> = server.scopes.iter().map(String::as_str).collect();
    match c.add_resource_server(q.account(), &pool, &server.identifier, &scopes) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct IdentityProvider {
    provider_name: String,
}

async fn add_identity_provider(
    State(c): State<Control>,
    Path(pool): Path<String>,
    Query(q): Query<AccountQuery>,
    Json(provider): Json<IdentityProvider>,
) -> Response {
    match c.add_identity_provider(q.account(), &pool, &provider.provider_name) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Tier {
    user_pool_tier: UserPoolTier,
}

async fn set_pool_tier(
    State(c): State<Control>,
    Path(pool): Path<String>,
    Query(q): Query<AccountQuery>,
    Json(tier): Json<Tier>,
) -> Response {
    match c.set_pool_tier(q.account(), &pool, tier.user_pool_tier) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Debug, Deserialize)]
struct Hide {
    reads: u32,
}

async fn hide_client(
    State(c): State<Control>,
    Path((pool, client)): Path<(String, String)>,
    Query(q): Query<AccountQuery>,
    Json(hide): Json<Hide>,
) -> Response {
    match c.hide_client(q.account(), &pool, &client, hide.reads) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => err.into_response(),
    }
}

async fn pools(State(c): State<Control>) -> Json<Value> {
    Json(json!({ "pools": c.stats().pools }))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct NewPool {
    user_pool_id: String,
    account: Option<String>,
    user_pool_tier: Option<UserPoolTier>,
}

async fn create_pool(State(c): State<Control>, Json(p): Json<NewPool>) -> Response {
    let account = p.account.as_deref().unwrap_or(DEFAULT_ACCOUNT);
    let created = c
        .create_pool(account, &p.user_pool_id)
        .and_then(|()| match p.user_pool_tier {
            Some(tier) => c.set_pool_tier(account, &p.user_pool_id, tier),
            None => Ok(()),
        });
    match created {
        Ok(()) => (
            StatusCode::CREATED,
            Json(json!({"UserPoolId": p.user_pool_id})),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

async fn delete_pool(
    State(c): State<Control>,
    Path(pool): Path<String>,
    Query(q): Query<AccountQuery>,
) -> Response {
    match c.delete_pool(q.account(), &pool) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

async fn client(
    State(c): State<Control>,
    Path((pool, client)): Path<(String, String)>,
    Query(q): Query<AccountQuery>,
) -> Response {
    match c.client(q.account(), &pool, &client) {
        Some(model) => Json(model).into_response(),
        None => ControlError::NotFound(format!("client {pool}|{client}")).into_response(),
    }
}

async fn change_client(
    State(c): State<Control>,
    Path((pool, client)): Path<(String, String)>,
    Query(q): Query<AccountQuery>,
    Json(change): Json<Value>,
) -> Response {
    match c.change_client(q.account(), &pool, &client, &change) {
        Ok(model) => Json(model).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn delete_client(
    State(c): State<Control>,
    Path((pool, client)): Path<(String, String)>,
    Query(q): Query<AccountQuery>,
) -> Response {
    match c.delete_client(q.account(), &pool, &client) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

async fn client_secrets(
    State(c): State<Control>,
    Path((pool, client)): Path<(String, String)>,
    Query(q): Query<AccountQuery>,
) -> Response {
    match c.client_secrets(q.account(), &pool, &client) {
        Ok(secrets) => Json(json!({ "clientSecrets": secrets })).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `?secretId=` (a name or an ARN, whose `/` and `:` make a poor path segment), `?account=` and
/// `?region=` (us-east-1 by default).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SecretQuery {
    secret_id: Option<String>,
    account: Option<String>,
    region: Option<String>,
}

async fn secret(State(c): State<Control>, Query(q): Query<SecretQuery>) -> Response {
    let Some(secret_id) = q.secret_id else {
        return ControlError::Invalid("secretId: the query names no secret".into()).into_response();
    };
    let account = q.account.as_deref().unwrap_or(DEFAULT_ACCOUNT);
    let region = q.region.as_deref().unwrap_or("us-east-1");
    match c.secret(account, region, &secret_id) {
        Ok(secret) => Json(secret).into_response(),
        Err(e) => e.into_response(),
    }
}
