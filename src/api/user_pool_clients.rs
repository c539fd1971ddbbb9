//! Routes for UserPoolClient desired state: create, replace, patch, read, list, delete.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::admission::{
    NewUserPoolClient, UserPoolClientDocument, UserPoolClientPatch, check_region, validate,
};
use super::error::ApiError;
use super::extract::{JsonBody, NamespacePath, ResourcePath, StrictQuery, check_label};
use super::labels::parse_selector;
use super::pagination::{Cursor, Page, page_limit};
use super::principal::{Caller, Principal};
use super::state::AppState;
use crate::access::{Role, Scope};
use crate::model::document::{ReplacementPolicy, Spec, Validated};
use crate::model::{Phase, Status, Violation};
use crate::store::idempotency::{self, CANONICAL_PREFIX, Claim, Fingerprint};
use crate::store::resources::{self, ListQuery, ResourceRow};

/// A UserPoolClient as the API shows it: desired state, metadata and observed status.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserPoolClient {
    /// The namespace (a team or application).
    pub namespace: String,
    /// The name, unique in its namespace.
    pub name: String,
    /// The desired state.
    #[serde(flatten)]
    pub spec: Spec,
    /// Identity and versions.
    pub metadata: Metadata,
    /// What the reconciler observed.
    pub status: Status,
    /// Settings accepted but without effect (write responses only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Violation>,
}

/// Identity and versions of a resource.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    /// Unique id of this resource; a new one if the name is deleted and used again.
    pub uid: Uuid,
    /// Bumped on every change of the desired state that AWS must see.
    pub generation: i64,
    /// Bumped on every write; the `ETag`.
    pub revision: i64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// When deletion was requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_requested_at: Option<DateTime<Utc>>,
}

impl UserPoolClient {
    fn from_row(row: ResourceRow, warnings: Vec<Violation>) -> Self {
        UserPoolClient {
            namespace: row.namespace,
            name: row.name,
            spec: row.spec.into_spec(),
            metadata: Metadata {
                uid: row.id,
                generation: row.generation,
                revision: row.revision,
                created_at: row.created_at,
                updated_at: row.updated_at,
                deletion_requested_at: row.deletion_requested_at,
            },
            status: row.status.into_status(),
            warnings,
        }
    }
}

/// The strong ETag of revision `revision` of the resource `uid`.
fn etag(uid: Uuid, revision: i64) -> String {
    format!("\"{}-{}\"", uid.simple(), revision)
}

/// A single-resource response: the body, its `ETag` and, on create, its `Location`.
fn respond(status: StatusCode, row: ResourceRow, warnings: Vec<Violation>) -> Response {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&etag(row.id, row.revision)) {
        headers.insert(header::ETAG, value);
    }
    if status == StatusCode::CREATED
        && let Some(value) = location(&row.namespace, &row.name)
    {
        headers.insert(header::LOCATION, value);
    }
    (
        status,
        headers,
        Json(UserPoolClient::from_row(row, warnings)),
    )
        .into_response()
}

/// The `Location` of a created resource.
fn location(namespace: &str, name: &str) -> Option<HeaderValue> {
    let path = format!("/v1/namespaces/{namespace}/user-pool-clients/{name}");
    HeaderValue::from_str(&path).ok()
}

/// `If-Match` / `If-None-Match` preconditions of a write.
struct Preconditions {
    if_match: Option<Vec<String>>,
    if_none_match_any: bool,
}

impl Preconditions {
    /// Reads the headers; one that is present but holds no entity tag (empty, or not text) is
    /// malformed (400), not a condition that fails.
    fn from_headers(headers: &HeaderMap) -> Result<Self, ApiError> {
        let list = |name: header::HeaderName| -> Result<Option<Vec<String>>, ApiError> {
            let Some(value) = headers.get(&name) else {
                return Ok(None);
            };
            let tags: Vec<String> = value
                .to_str()
                .unwrap_or("")
                .split(',')
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect();
            // An entity tag is quoted, optionally weak: `"…"` or `W/"…"` (RFC 9110).
            let quoted = |t: &str| {
                let t = t.strip_prefix("W/").unwrap_or(t);
                t.len() >= 2 && t.starts_with('"') && t.ends_with('"')
            };
            if tags.is_empty() || !tags.iter().all(|t| t == "*" || quoted(t)) {
                return Err(ApiError::BadRequest(format!(
                    "{name} must be `*` or a list of quoted ETags"
                )));
            }
            Ok(Some(tags))
        };
        let if_none_match = list(header::IF_NONE_MATCH)?;
        Ok(Preconditions {
            if_match: list(header::IF_MATCH)?,
            if_none_match_any: if_none_match.is_some_and(|v| v.iter().any(|t| t == "*")),
        })
    }

    fn check(&self, current: Option<&ResourceRow>) -> Result<(), ApiError> {
        match (current, &self.if_match) {
            (None, Some(_)) => {
                return Err(ApiError::PreconditionFailed(
                    "If-Match was given but the resource does not exist".into(),
                ));
            }
            (Some(row), Some(tags)) => {
                let tag = etag(row.id, row.revision);
                if !tags.iter().any(|t| t == "*" || *t == tag) {
                    return Err(ApiError::PreconditionFailed(format!(
                        "If-Match does not match the current ETag {tag}"
                    )));
                }
            }
            _ => {}
        }
        if current.is_some() && self.if_none_match_any {
            return Err(ApiError::PreconditionFailed(
                "If-None-Match: * was given but the resource exists".into(),
            ));
        }
        Ok(())
    }
}

/// Applies a new desired state to an existing, locked resource: no-op, refusal or replacement.
async fn update_existing(
    tx: &mut sqlx::PgConnection,
    row: &ResourceRow,
    validated: Validated,
    actor: Option<&str>,
) -> Result<Response, ApiError> {
    if row.deletion_requested_at.is_some() {
        return Err(ApiError::Conflict(format!(
            "user pool client {}/{} is being deleted; wait until it is gone to use the name again",
            row.namespace, row.name
        )));
    }
    let current = row.spec();
    if current == validated.spec {
        return Ok(respond(StatusCode::OK, row.clone(), validated.warnings));
    }
    check_replacement(row, &current, &validated.spec)?;
    let updated = resources::replace_spec(tx, row, &validated.spec, actor).await?;
    Ok(respond(StatusCode::OK, updated, validated.warnings))
}

/// Refuses a change of create-only properties under `replacementPolicy: Reject` once AWS has
/// (or may have) a client for this resource.
fn check_replacement(row: &ResourceRow, current: &Spec, desired: &Spec) -> Result<(), ApiError> {
    let changed = current.create_only_changes(desired);
    if changed.is_empty()
        || !row.touched_aws()
        || desired.replacement_policy != ReplacementPolicy::Reject
    {
        return Ok(());
    }
    let errors = changed
        .iter()
        .map(|p| Violation {
            pointer: format!("/properties/{p}"),
            message: "create-only: changing it replaces the client".into(),
        })
        .collect();
    Err(ApiError::ReplacementRejected {
        detail: format!(
            "{} can only change by replacing the client; set replacementPolicy to \
             CreateBeforeDelete or DeleteBeforeCreate to allow it",
            changed.join(" and ")
        ),
        errors,
    })
}

/// Create or replace a UserPoolClient
///
/// Stores the desired state and answers at once; the reconciler then makes AWS match it (watch
/// `status.phase` become `Ready`). 201 on create, 200 on replace; the same document again changes
/// nothing. `If-None-Match: *` only creates, `If-Match` only replaces that version. To see what a
/// document would do without storing it, use `POST …/plan`.
#[utoipa::path(
    put,
    path = "/v1/namespaces/{namespace}/user-pool-clients/{name}",
    tag = "user-pool-clients",
    params(
        ("namespace" = String, Path, description = "Namespace (DNS label)"),
        ("name" = String, Path, description = "Name (DNS label)"),
        ("If-Match" = Option<String>, Header, description = "Replace only if the current ETag is one of these (or `*`: if it exists)"),
        ("If-None-Match" = Option<String>, Header, description = "`*`: create only, never replace"),
    ),
    request_body(content = UserPoolClientDocument, content_type = "application/json"),
    responses(
        (status = 200, description = "Replaced, or unchanged when the document is the same", body = UserPoolClient,
            headers(("ETag" = String))),
        (status = 201, description = "Created", body = UserPoolClient,
            headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "A malformed path, body or precondition header"),
        (status = 409, description = "The resource is being deleted; the name is free again once it is gone"),
        (status = 412, description = "If-Match or If-None-Match did not hold"),
        (status = 422, description = "The document is invalid (every violation is listed), its region is not allowed in the namespace, or it changes a create-only property under replacementPolicy Reject"),
    )
)]
pub async fn put_user_pool_client(
    State(state): State<AppState>,
    principal: Principal,
    path: ResourcePath,
    headers: HeaderMap,
    StrictQuery(params): StrictQuery<PutParams>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    principal.require_on(Role::Editor, &path)?;
    let actor = principal.actor();
    let validated = validate(&body, &state, &[])?;
    check_region(&state, &principal, &path.namespace, &validated.spec).await?;
    if params.dry_run.unwrap_or(false) {
        let plan = super::actions::plan_at(&state, &principal, &path, validated).await?;
        let mut response = Json(plan).into_response();
        let successor = format!(
            "</v1/namespaces/{}/user-pool-clients/{}/plan>; rel=\"successor-version\"",
            path.namespace, path.name
        );
        if let Ok(link) = HeaderValue::from_str(&successor) {
            response.headers_mut().insert(header::LINK, link);
        }
        response
            .headers_mut()
            .insert("deprecation", HeaderValue::from_static("true"));
        return Ok(response);
    }
    let preconditions = Preconditions::from_headers(&headers)?;
    let (namespace, name, spec) = (&path.namespace, &path.name, &validated.spec);
    // The common case, a new name, is one statement; the name being taken falls through to the
    // locked read-modify-write below. `If-Match` always means an existing resource.
    if preconditions.if_match.is_none()
        && let Some(row) =
            resources::create(&state.pool, namespace, name, spec, actor.as_deref()).await?
    {
        state.notifier.changed(namespace);
        return Ok(respond(StatusCode::CREATED, row, validated.warnings));
    }
    let mut tx = state.pool.begin().await?;
    let current = resources::get_for_update(&mut tx, namespace, name).await?;
    preconditions.check(current.as_ref())?;
    let response = match current {
        Some(row) => update_existing(&mut tx, &row, validated, actor.as_deref()).await?,
        // Deleted since the insert found it: create it after all.
        None => match resources::create(&mut *tx, namespace, name, spec, actor.as_deref()).await? {
            Some(row) => respond(StatusCode::CREATED, row, validated.warnings),
            None => {
                return Err(ApiError::Conflict(
                    "the resource is being written concurrently; retry".into(),
                ));
            }
        },
    };
    state.notifier.commit(tx, namespace).await?;
    Ok(response)
}

/// Options of a PUT.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PutParams {
    /// Deprecated and left out of the OpenAPI document: `true` answers with the plan, which a
    /// PUT's declared answer cannot be. `POST …/plan` does the same.
    dry_run: Option<bool>,
}

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

/// Change part of a UserPoolClient
///
/// A JSON Merge Patch (RFC 7396) of the desired state, sent as `application/merge-patch+json`:
/// fields present replace, `null` removes, objects merge. The result is validated as a whole.
#[utoipa::path(
    patch,
    path = "/v1/namespaces/{namespace}/user-pool-clients/{name}",
    tag = "user-pool-clients",
    params(
        ("namespace" = String, Path, description = "Namespace (DNS label)"),
        ("name" = String, Path, description = "Name (DNS label)"),
        ("If-Match" = Option<String>, Header, description = "Patch only if the current ETag is one of these"),
    ),
    request_body(content = UserPoolClientPatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Patched (or unchanged)", body = UserPoolClient,
            headers(("ETag" = String))),
        (status = 400, description = "A malformed path, body or precondition header, or a patch that is not an object"),
        (status = 409, description = "The resource is being deleted"),
        (status = 412, description = "If-Match did not hold"),
        (status = 415, description = "The body is not application/merge-patch+json"),
        (status = 422, description = "The patched document is invalid (every violation is listed), or changes a create-only property under replacementPolicy Reject"),
    )
)]
pub async fn patch_user_pool_client(
    State(state): State<AppState>,
    principal: Principal,
    path: ResourcePath,
    headers: HeaderMap,
    JsonBody(patch): JsonBody,
) -> Result<Response, ApiError> {
    principal.require_on(Role::Editor, &path)?;
    let actor = principal.actor();
    let preconditions = Preconditions::from_headers(&headers)?;
    // Any other merge patch replaces the whole document with a non-document.
    if !patch.is_object() {
        return Err(ApiError::BadRequest(
            "a merge patch of a UserPoolClient must be a JSON object".into(),
        ));
    }
    let mut tx = state.pool.begin().await?;
    let row = path.lock(&mut tx).await?;
    let mut document = row.spec().to_json();
    json_patch::merge(&mut document, &patch);
    let validated = validate(&document, &state, &[])?;
    check_region(&state, &principal, &path.namespace, &validated.spec).await?;
    // As on PUT, a request that is wrong in itself says so (422) before any precondition is
    // weighed (RFC 9110, 13.2.1).
    preconditions.check(Some(&row))?;
    let response = update_existing(&mut tx, &row, validated, actor.as_deref()).await?;
    state.notifier.commit(tx, &path.namespace).await?;
    Ok(response)
}

/// Read a UserPoolClient
///
/// The desired state, metadata (uid, generation, revision, timestamps) and the reconciler's
/// status. The `ETag` header versions it, for `If-Match` on a later write.
#[utoipa::path(
    get,
    path = "/v1/namespaces/{namespace}/user-pool-clients/{name}",
    tag = "user-pool-clients",
    params(
        ("namespace" = String, Path, description = "Namespace (DNS label)"),
        ("name" = String, Path, description = "Name (DNS label)"),
    ),
    responses(
        (status = 200, description = "The resource", body = UserPoolClient, headers(("ETag" = String))),
        (status = 400, description = "A malformed path"),
    )
)]
pub async fn get_user_pool_client(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<ResourcePath, ApiError>,
) -> Result<Response, ApiError> {
    // As on every other route, a caller that is not authenticated learns nothing, not even that
    // the path is malformed.
    let path = match path {
        Ok(path) => path,
        Err(malformed) => {
            caller.authenticate(&state).await?;
            return Err(malformed);
        }
    };
    let (namespace, name) = (&path.namespace, &path.name);
    // The hot read: the token's row comes with the resource, in one round trip.
    let (principal, row) = match caller.token_to_look_up(&state)? {
        Some(token_id) => {
            let found =
                resources::get_with_credentials(&state.pool, token_id, namespace, name).await;
            let found = caller.unless_failed(&state, found)?;
            caller.authenticate_with(&state, found).await?
        }
        None => (
            caller.authenticate(&state).await?,
            resources::get(&state.pool, namespace, name).await?,
        ),
    };
    principal.require_on(Role::Viewer, &path)?;
    let row = row.ok_or_else(|| ApiError::client_not_found(namespace, name))?;
    Ok(respond(StatusCode::OK, row, Vec::new()))
}

/// Delete a UserPoolClient
///
/// Requests deletion and answers at once. The resource stays readable in phase `Deleting` until
/// the reconciler has deleted the client in AWS (or, under `deletionPolicy: Retain`, let go of
/// it); then reads answer 404. Its events stay readable.
#[utoipa::path(
    delete,
    path = "/v1/namespaces/{namespace}/user-pool-clients/{name}",
    tag = "user-pool-clients",
    params(
        ("namespace" = String, Path, description = "Namespace (DNS label)"),
        ("name" = String, Path, description = "Name (DNS label)"),
        ("If-Match" = Option<String>, Header, description = "Delete only if the current ETag is one of these"),
    ),
    responses(
        (status = 202, description = "Deletion requested (or already under way)", body = UserPoolClient,
            headers(("ETag" = String))),
        (status = 400, description = "A malformed path or precondition header"),
        (status = 412, description = "If-Match did not hold"),
    )
)]
pub async fn delete_user_pool_client(
    State(state): State<AppState>,
    principal: Principal,
    path: ResourcePath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    principal.require_on(Role::Editor, &path)?;
    let actor = principal.actor();
    let preconditions = Preconditions::from_headers(&headers)?;
    let mut tx = state.pool.begin().await?;
    let row = path.lock(&mut tx).await?;
    preconditions.check(Some(&row))?;
    if row.deletion_requested_at.is_some() {
        return Ok(respond(StatusCode::ACCEPTED, row, Vec::new()));
    }
    let row = resources::request_deletion(&mut tx, &row, actor.as_deref()).await?;
    state.notifier.commit(tx, &path.namespace).await?;
    Ok(respond(StatusCode::ACCEPTED, row, Vec::new()))
}

/// Filters and paging of a list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page size, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    /// The `nextCursor` of the previous page; absent or empty: the first page.
    #[param(pattern = r"^[A-Za-z0-9_-]*$")]
    cursor: Option<String>,
    /// Only resources in this phase.
    #[param(value_type = Option<Phase>)]
    phase: Option<String>,
    /// Only clients of this user pool.
    user_pool_id: Option<String>,
    /// Label selector: `key=value` pairs separated by commas, all of which must match.
    #[param(example = "team=payments,tier=gold")]
    labels: Option<String>,
}

impl ListParams {
    fn into_query(
        self,
        namespace: Option<String>,
        visible: Option<Vec<String>>,
    ) -> Result<ListQuery, ApiError> {
        let phase = self
            .phase
            .map(|p| {
                Phase::parse(&p).ok_or_else(|| ApiError::BadParameter {
                    parameter: "phase".into(),
                    message: format!(
                        "`{p}` is not a phase; expected one of {}",
                        Phase::ALL.map(Phase::as_str).join(", ")
                    ),
                })
            })
            .transpose()?;
        // An empty cursor is the first page, as if none were given.
        let after = self
            .cursor
            .filter(|c| !c.is_empty())
            .map(|c| Cursor::<(String, String)>::decode(&c, "cursor"))
            .transpose()?;
        Ok(ListQuery {
            namespace,
            visible,
            phase,
            user_pool_id: self.user_pool_id,
            labels: parse_selector(self.labels.as_deref().unwrap_or(""))?,
            after,
            limit: page_limit(self.limit)?,
        })
    }
}

async fn list(state: &AppState, query: ListQuery) -> Result<Json<Page<UserPoolClient>>, ApiError> {
    let rows = resources::list(&state.pool, &query).await?;
    let next = (rows.len() as i64 == query.limit)
        .then(|| {
            rows.last()
                .map(|r| Cursor::encode(&(r.namespace.clone(), r.name.clone())))
        })
        .flatten();
    let items = rows
        .into_iter()
        .map(|r| UserPoolClient::from_row(r, Vec::new()))
        .collect();
    Ok(Json(Page {
        items,
        next_cursor: next,
    }))
}

/// List the UserPoolClients of a namespace
///
/// Ordered by name, in pages of `limit`; pass a page's `nextCursor` as `cursor` for the next.
/// Filters: `phase`, `userPoolId`, `labels`.
#[utoipa::path(
    get,
    path = "/v1/namespaces/{namespace}/user-pool-clients",
    tag = "user-pool-clients",
    params(("namespace" = String, Path, description = "Namespace (DNS label)"), ListParams),
    responses(
        (status = 200, description = "One page", body = Page<UserPoolClient>),
        (status = 400, description = "A malformed path or parameter, or a cursor this API did not issue"),
    )
)]
pub async fn list_user_pool_clients(
    State(state): State<AppState>,
    principal: Principal,
    NamespacePath(namespace): NamespacePath,
    StrictQuery(params): StrictQuery<ListParams>,
) -> Result<Json<Page<UserPoolClient>>, ApiError> {
    principal.require(Role::Viewer, &namespace)?;
    list(&state, params.into_query(Some(namespace), None)?).await
}

/// List UserPoolClients in every namespace
///
/// Every namespace the token may view, ordered by namespace then name, in pages; the same
/// filters as a namespace's list.
#[utoipa::path(
    get,
    path = "/v1/user-pool-clients",
    tag = "user-pool-clients",
    params(ListParams),
    responses(
        (status = 200, description = "One page", body = Page<UserPoolClient>),
        (status = 400, description = "A malformed parameter, or a cursor this API did not issue"),
    )
)]
pub async fn list_all_user_pool_clients(
    State(state): State<AppState>,
    principal: Principal,
    StrictQuery(params): StrictQuery<ListParams>,
) -> Result<Json<Page<UserPoolClient>>, ApiError> {
    let visible = match principal.scope(Role::Viewer) {
        Scope::All => None,
        Scope::Only(names) => Some(names),
    };
    list(&state, params.into_query(None, visible)?).await
}
