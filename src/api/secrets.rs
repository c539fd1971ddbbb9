//! A client's secrets as resources: list them, add a second one (its value answered once), retire
//! one. Cognito holds them (`AddUserPoolClientSecret` and its siblings, through `cloud::cognito`);
//! ccplane stores no value, only the events that say who changed which.
//!
//! Roles: listing needs `viewer`; adding needs `editor` *and* `secret-reader` (a new secret that
//! nobody may read would be one nobody holds); retiring needs `editor`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::actions::{cloud, place, target_of};
use super::error::ApiError;
use super::extract::{ResourcePath, SecretPath};
use super::principal::Principal;
use super::state::AppState;
use crate::access::Role;
use crate::cloud::{Place, SecretInfo};
use crate::model::event::{EventData, SecretRef};
use crate::model::rotation::{Rotation, RotationPhase};
use crate::model::status::client_id_of;
use crate::store::resources::{self, ResourceRow};

/// Cognito's answer to a third secret (API_AddUserPoolClientSecret: at most two per client).
const SECRET_LIMIT: &str = "LimitExceededException";

/// One of a client's secrets, without its value.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClientSecretInfo {
    /// Cognito's id of the secret.
    pub id: String,
    /// When it was made.
    pub created_at: Option<DateTime<Utc>>,
    /// Whether ccplane considers it current: the newest, which consumers should use.
    pub current: bool,
}

/// A client's secrets, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientSecrets {
    pub items: Vec<ClientSecretInfo>,
}

/// A secret just added, with its value: shown this once, never stored.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AddedClientSecret {
    /// Cognito's ClientId.
    pub client_id: String,
    /// Cognito's id of the new secret.
    pub id: String,
    /// When it was made.
    pub created_at: Option<DateTime<Utc>>,
    /// The secret's value.
    pub client_secret: String,
}

/// Where the client's secrets are: the call's place, its pool and its ClientId.
struct Client<'a> {
    at: Place<'a>,
    pool_id: &'a str,
    client_id: &'a str,
}

/// The client of `row`, refusing a client that does not exist yet or has no secret to rotate.
async fn client_of<'a>(
    state: &AppState,
    principal: &Principal,
    row: &'a ResourceRow,
    region: &'a str,
) -> Result<Client<'a>, ApiError> {
    let (Some(identifier), Some(client_id)) =
        (row.identifier(), row.identifier().and_then(client_id_of))
    else {
        return Err(ApiError::Conflict(
            "the client does not exist in AWS yet".into(),
        ));
    };
    let generates_secret = row
        .spec()
        .properties
        .get("GenerateSecret")
        .and_then(Value::as_bool);
    if generates_secret != Some(true) {
        return Err(ApiError::Conflict(
            "the client was made without a secret (GenerateSecret is not true): it has no secret to rotate".into(),
        ));
    }
    let (account, _) = target_of(state, principal, &row.namespace).await?;
    let pool_id = crate::cloud::pool_of(identifier).unwrap_or_default();
    Ok(Client {
        at: place(region, &row.namespace, account),
        pool_id,
        client_id,
    })
}

async fn listed(state: &AppState, client: &Client<'_>) -> Result<Vec<SecretInfo>, ApiError> {
    cloud(state)?
        .list_client_secrets(&client.at, client.pool_id, client.client_id)
        .await
        .map_err(|e| ApiError::from(&e))
}

/// The `409` of a client that has as many secrets as Cognito allows, naming the older one.
async fn full(state: &AppState, client: &Client<'_>) -> ApiError {
    let secrets = match listed(state, client).await {
        Ok(secrets) => secrets,
        Err(e) => return e,
    };
    let oldest = secrets.first().map_or("the older one", |s| s.id.as_str());
    ApiError::Conflict(format!(
        "the client already has {} secrets, Cognito's limit: retire one first \
         (the older is {oldest}: DELETE …/secrets/{oldest})",
        secrets.len()
    ))
}

/// Records on the timeline that `principal` made `change` to secret `secret_id` (never its
/// value), and wakes the namespace's live streams.
async fn record(
    state: &AppState,
    row: &ResourceRow,
    change: fn(SecretRef) -> EventData,
    secret_id: &str,
    principal: &Principal,
) -> Result<(), ApiError> {
    let data = change(SecretRef {
        secret_id: secret_id.to_owned(),
    });
    let done = match data {
        EventData::SecretAdded(_) => "added",
        _ => "retired",
    };
    let message = format!("secret {secret_id} {done}");
    let actor = principal.actor();
    resources::record_action(&state.pool, row, data, &message, actor.as_deref()).await?;
    state.notifier.changed(&row.namespace);
    Ok(())
}

/// The secrets as listed, the current one marked: during a scheduled rotation, the one Secrets
/// Manager delivers (the old one until the new one is promoted); otherwise the newest.
fn items(secrets: Vec<SecretInfo>, rotation: Option<&Rotation>) -> Vec<ClientSecretInfo> {
    let newest = secrets.last().map(|s| s.id.clone());
    let current = match rotation {
        Some(r) if r.phase == RotationPhase::Promoted => r.new_secret_id.clone(),
        Some(r) => Some(r.previous_secret_id.clone()),
        None => newest,
    };
    secrets
        .into_iter()
        .map(|s| ClientSecretInfo {
            current: Some(&s.id) == current.as_ref(),
            id: s.id,
            created_at: s.created_at,
        })
        .collect()
}

/// The `409` of a manual change while a scheduled rotation holds the secrets: nothing may be
/// added, and only the rotated-out secret may be retired, once its successor is delivered.
fn refuse_during_rotation(row: &ResourceRow, retiring: Option<&str>) -> Result<(), ApiError> {
    let Some(rotation) = row.rotation() else {
        return Ok(());
    };
    let early_retirement = rotation.phase == RotationPhase::Promoted
        && retiring == Some(rotation.previous_secret_id.as_str());
    if early_retirement {
        return Ok(());
    }
    Err(ApiError::Conflict(format!(
        "a scheduled rotation is in progress ({:?}); only the rotated-out secret {} may be retired, \
         once its successor is delivered",
        rotation.phase, rotation.previous_secret_id
    )))
}

/// List the client's secrets
///
/// The client's secrets as Cognito keeps them (at most two), oldest first, never their values;
/// `current` is the newest (during a scheduled rotation: the one Secrets Manager delivers).
#[utoipa::path(
    get,
    path = "/v1/namespaces/{namespace}/user-pool-clients/{name}/secrets",
    tag = "user-pool-clients",
    params(("namespace" = String, Path, description = "Namespace (DNS label)"), ("name" = String, Path, description = "Name (DNS label)")),
    responses(
        (status = 200, description = "The secrets", body = ClientSecrets),
        (status = 400, description = "A malformed path"),
        (status = 409, description = "The client does not exist in AWS yet, or has no secret"),
    )
)]
pub async fn list_user_pool_client_secrets(
    State(state): State<AppState>,
    principal: Principal,
    path: ResourcePath,
) -> Result<Json<ClientSecrets>, ApiError> {
    principal.require_on(Role::Viewer, &path)?;
    let row = path.find(&state.pool).await?;
    let region = row.spec().region;
    let client = client_of(&state, &principal, &row, &region).await?;
    let secrets = listed(&state, &client).await?;
    Ok(Json(ClientSecrets {
        items: items(secrets, row.rotation()),
    }))
}

/// Add a second secret
///
/// Asks Cognito for a new secret beside the current one and answers its value once
/// (`Cache-Control: no-store`); both work until the old one is retired. With two already, `409`
/// names the one to retire first. Needs `editor` and `secret-reader`.
#[utoipa::path(
    post,
    path = "/v1/namespaces/{namespace}/user-pool-clients/{name}/secrets",
    tag = "user-pool-clients",
    params(("namespace" = String, Path, description = "Namespace (DNS label)"), ("name" = String, Path, description = "Name (DNS label)")),
    responses(
        (status = 201, description = "The new secret, with its value", body = AddedClientSecret,
            headers(("Cache-Control" = String))),
        (status = 400, description = "A malformed path"),
        (status = 409, description = "Two secrets already, or the client does not exist yet or has no secret"),
    )
)]
pub async fn add_user_pool_client_secret(
    State(state): State<AppState>,
    principal: Principal,
    path: ResourcePath,
) -> Result<Response, ApiError> {
    principal.require_on(Role::Editor, &path)?;
    principal.require_on(Role::SecretReader, &path)?;
    let row = path.find(&state.pool).await?;
    refuse_during_rotation(&row, None)?;
    let region = row.spec().region;
    let client = client_of(&state, &principal, &row, &region).await?;
    // Cognito enforces its limit itself; the list is read only to name the secret to retire.
    let added = match cloud(&state)?
        .add_client_secret(&client.at, client.pool_id, client.client_id)
        .await
    {
        Ok(added) => added,
        Err(e) if e.code == SECRET_LIMIT => return Err(full(&state, &client).await),
        Err(e) => return Err(ApiError::from(&e)),
    };
    let change = EventData::SecretAdded;
    record(&state, &row, change, &added.info.id, &principal).await?;
    let body = AddedClientSecret {
        client_id: client.client_id.to_owned(),
        id: added.info.id,
        created_at: added.info.created_at,
        client_secret: added.value,
    };
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Retire a secret
///
/// Deletes one of the client's secrets in Cognito: whoever still uses it is refused from then on.
/// The last one cannot be retired (`409`). Needs `editor`.
#[utoipa::path(
    delete,
    path = "/v1/namespaces/{namespace}/user-pool-clients/{name}/secrets/{secretId}",
    tag = "user-pool-clients",
    params(("namespace" = String, Path, description = "Namespace (DNS label)"), ("name" = String, Path, description = "Name (DNS label)"),
        ("secretId" = String, Path, description = "Cognito's id of the secret")),
    responses(
        (status = 204, description = "Retired"),
        (status = 400, description = "A malformed path"),
        (status = 404, description = "No such resource or secret"),
        (status = 409, description = "The client's last secret, or the client does not exist yet or has no secret"),
    )
)]
pub async fn delete_user_pool_client_secret(
    State(state): State<AppState>,
    principal: Principal,
    path: SecretPath,
) -> Result<StatusCode, ApiError> {
    let resource = &path.resource;
    principal.require_on(Role::Editor, resource)?;
    let row = resource.find(&state.pool).await?;
    refuse_during_rotation(&row, Some(&path.secret_id))?;
    let region = row.spec().region;
    let client = client_of(&state, &principal, &row, &region).await?;
    let secrets = listed(&state, &client).await?;
    if !secrets.iter().any(|s| s.id == path.secret_id) {
        return Err(ApiError::NotFound(format!(
            "the client has no secret {}",
            path.secret_id
        )));
    }
    if secrets.len() == 1 {
        return Err(ApiError::Conflict(
            "this is the client's last secret: add another before retiring it".into(),
        ));
    }
    cloud(&state)?
        .delete_client_secret(
            &client.at,
            client.pool_id,
            client.client_id,
            &path.secret_id,
        )
        .await
        .map_err(|e| ApiError::from(&e))?;
    let change = EventData::SecretRetired;
    record(&state, &row, change, &path.secret_id, &principal).await?;
    Ok(StatusCode::NO_CONTENT)
}
