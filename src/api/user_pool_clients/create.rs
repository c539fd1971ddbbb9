//! `POST` of a UserPoolClient named in the body: an `Idempotency-Key`, the body's fingerprint,
//! and the replay of a first answer.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{UserPoolClient, etag, location, respond};
use crate::access::Role;
use crate::api::admission::{NewUserPoolClient, check_region, validate};
use crate::api::error::ApiError;
use crate::api::extract::{JsonBody, NamespacePath, check_label};
use crate::api::principal::Principal;
use crate::api::state::AppState;
use crate::model::Violation;
use crate::store::idempotency::{self, CANONICAL_PREFIX, Claim, Fingerprint};
use crate::store::resources;

/// Create a UserPoolClient named in the body
///
/// Like PUT, but answers 409 when the name exists. Retries with the same `Idempotency-Key` (and
/// the same body) replay the first answer for 24 hours, with `Idempotent-Replayed: true`.
#[utoipa::path(
    post,
    path = "/v1/namespaces/{namespace}/user-pool-clients",
    tag = "user-pool-clients",
    params(
        ("namespace" = String, Path, description = "Namespace (DNS label)"),
        ("Idempotency-Key" = Option<String>, Header, description = "A key of the caller's choosing; a retry with the same key and body replays the first answer"),
    ),
    request_body(content = NewUserPoolClient, content_type = "application/json"),
    responses(
        (status = 201, description = "Created (or, with a known Idempotency-Key, the first answer replayed)", body = UserPoolClient,
            headers(
                ("ETag" = String),
                ("Location" = String),
                ("Idempotent-Replayed" = String),
            )),
        (status = 400, description = "A malformed path, body or Idempotency-Key"),
        (status = 409, description = "The name exists in the namespace"),
        (status = 422, description = "The document is invalid (every violation is listed), its region is not allowed in the namespace, or the Idempotency-Key was used for another body"),
    )
)]
pub async fn create_user_pool_client(
    State(state): State<AppState>,
    principal: Principal,
    NamespacePath(namespace): NamespacePath,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    principal.require(Role::Editor, &namespace)?;
    let actor = principal.actor();
    let name = parse_name(&body)?;
    let validated = validate(&body, &state, &["name"])?;
    check_region(&state, &principal, &namespace, &validated.spec).await?;
    // Keys are scoped per caller: two callers choosing the same key never see each other's answers.
    let key = idempotency_key(&headers)?.map(|key| match principal.actor() {
        Some(actor) => format!("{actor}/{key}"),
        None => key,
    });
    let mut tx = state.pool.begin().await?;
    if let Some(key) = &key {
        let fingerprint = fingerprint(&body);
        let ttl = state.settings.idempotency_ttl_hours;
        match idempotency::claim(&mut tx, &namespace, key, &fingerprint, ttl).await? {
            Claim::Fresh => {}
            Claim::Replay { status, body } => return Ok(replay(status, body)),
            Claim::Mismatch => {
                return Err(ApiError::IdempotencyKeyReused(
                    "this Idempotency-Key was used for a different request".into(),
                ));
            }
        }
    }
    let row = resources::create(
        &mut *tx,
        &namespace,
        &name,
        &validated.spec,
        actor.as_deref(),
    )
    .await?
    .ok_or_else(|| {
        ApiError::Conflict(format!(
            "user pool client {namespace}/{name} already exists"
        ))
    })?;
    let response = respond(StatusCode::CREATED, row.clone(), validated.warnings.clone());
    if let Some(key) = &key {
        let body = serde_json::to_value(UserPoolClient::from_row(row, validated.warnings))
            .map_err(anyhow::Error::from)?;
        idempotency::record(&mut tx, &namespace, key, 201, &body).await?;
    }
    state.notifier.commit(tx, &namespace).await?;
    Ok(response)
}

fn parse_name(body: &Value) -> Result<String, ApiError> {
    let invalid = |message: &str| {
        ApiError::Invalid(vec![Violation {
            pointer: "/name".into(),
            message: message.into(),
        }])
    };
    match body.get("name") {
        Some(Value::String(name)) => check_label("name", name)
            .map(|_| name.clone())
            .map_err(|_| invalid("must be a DNS label: 1–63 lowercase letters, digits and `-`")),
        _ => Err(invalid(
            "is required: a DNS label naming the client in its namespace",
        )),
    }
}

/// What identifies a keyed request's body: the SHA-256 of its canonical JSON (members sorted by
/// name at every depth, no whitespace), so a retry that orders its members otherwise is the same
/// request. Rows stored before this form are matched by their old fingerprint (the body as sent).
fn fingerprint(body: &Value) -> Fingerprint {
    let mut canonical = body.clone();
    sort_members(&mut canonical);
    Fingerprint {
        canonical: format!("{CANONICAL_PREFIX}{}", sha256_hex(&canonical)),
        as_sent: sha256_hex(body),
    }
}

fn sha256_hex(value: &Value) -> String {
    hex::encode(Sha256::digest(value.to_string()))
}

fn sort_members(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.sort_keys();
            members.values_mut().for_each(sort_members);
        }
        Value::Array(items) => items.iter_mut().for_each(sort_members),
        _ => {}
    }
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key) if !key.is_empty() && key.len() <= 255 => Ok(Some(key.to_owned())),
        _ => Err(ApiError::BadRequest(
            "Idempotency-Key must be 1–255 visible ASCII characters".into(),
        )),
    }
}

/// The first answer to a request with this `Idempotency-Key`, as recorded, with the `ETag` and
/// (for a create) the `Location` it was sent with.
fn replay(status: u16, body: Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::CREATED);
    let metadata = &body["metadata"];
    let uid = metadata["uid"]
        .as_str()
        .and_then(|u| Uuid::parse_str(u).ok());
    let tag = uid
        .zip(metadata["revision"].as_i64())
        .map(|(u, r)| etag(u, r));
    let created_at = match (body["namespace"].as_str(), body["name"].as_str()) {
        (Some(namespace), Some(name)) if status == StatusCode::CREATED => location(namespace, name),
        _ => None,
    };
    let mut response = (status, Json(body)).into_response();
    let headers = response.headers_mut();
    if let Some(value) = tag.and_then(|t| HeaderValue::from_str(&t).ok()) {
        headers.insert(header::ETAG, value);
    }
    if let Some(value) = created_at {
        headers.insert(header::LOCATION, value);
    }
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}
