//! Discoveries of a user pool and bulk adoption: start one, watch its progress and the document it
//! proposes for each client, and adopt many clients as resources in one transaction.

use std::collections::{BTreeMap, HashMap, HashSet};

use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::admission::UserPoolClientDocument;
use super::error::ApiError;
use super::extract::{JsonBody, NamespacePath, StrictQuery, check_label};
use super::pagination::{Cursor, Page, page_limit};
use super::principal::Principal;
use super::state::AppState;
use crate::access::Role;
use crate::model::Violation;
use crate::model::discovery::{ClientState, DiscoveryPhase, DiscoveryProgress, proposed_document};
use crate::model::document::{
    MAX_LABELS, ManagementPolicy, is_dns_label, is_label_key, is_label_value, is_region,
    parse_spec, pointer,
};
use crate::store::discoveries::{
    self, Adoption, DiscoveredClientRow, DiscoveryError, DiscoveryRow,
};
use crate::store::namespaces::region_allowed;

/// A discovery of a user pool: how far it has come and, read alone, every client it found.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Discovery {
    /// Its id.
    pub id: Uuid,
    /// The namespace it runs in, and adopts into.
    pub namespace: String,
    /// The user pool.
    #[schema(example = "us-east-1_examplePoolId")]
    pub user_pool_id: String,
    /// The pool's region.
    #[schema(example = "us-east-1")]
    pub region: String,
    /// Where it is.
    pub phase: DiscoveryPhase,
    /// Its counts.
    pub progress: DiscoveryProgress,
    /// Pages of the pool listed so far.
    pub pages: i32,
    /// The last error it met (retried when `retryable`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub last_error: Option<DiscoveryError>,
    /// Who started it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub created_by: Option<String>,
    /// When it was started.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// When it finished.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub finished_at: Option<DateTime<Utc>>,
    /// Every client listed, in listing order (only when the discovery is read alone).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub clients: Option<Vec<DiscoveredClient>>,
}

/// One client a discovery listed.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiscoveredClient {
    /// Its ClientId.
    pub client_id: String,
    /// Its Cloud Control identifier, `UserPoolId|ClientId` (the document's `adopt.identifier`).
    pub identifier: String,
    /// Its ClientName, once read.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub client_name: Option<String>,
    /// What became of it.
    pub state: ClientState,
    /// The AWS service that made it, recognised by its name: not adopted unless asked for by id.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "Amazon OpenSearch Service")]
    pub owned_by_service: Option<String>,
    /// `namespace/name` of the resource that manages it (named only in this namespace).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub managed_by: Option<String>,
    /// The resource name proposed for it (a DNS label, unique in the namespace when it was read).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub name: Option<String>,
    /// The document a person would write for it: read-only properties, the secret and Cognito's
    /// defaults left out; `managementPolicy: Observe`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, value_type = Option<UserPoolClientDocument>)]
    pub document: Option<Value>,
    /// The resource it was adopted as.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub adopted_as: Option<String>,
    /// Why it could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub error: Option<DiscoveryError>,
}

fn discovery(row: DiscoveryRow, clients: Option<Vec<DiscoveredClientRow>>) -> Discovery {
    let (pool, region) = (row.user_pool_id.clone(), row.region.clone());
    Discovery {
        clients: clients.map(|clients| {
            clients
                .into_iter()
                .map(|c| discovered(&pool, &region, c))
                .collect()
        }),
        id: row.id,
        namespace: row.namespace,
        user_pool_id: row.user_pool_id,
        region: row.region,
        phase: row.phase,
        progress: row.progress.progress(),
        pages: row.pages,
        last_error: row.last_error.map(|e| e.0),
        created_by: row.actor,
        created_at: row.created_at,
        updated_at: row.updated_at,
        finished_at: row.finished_at,
    }
}

fn discovered(pool: &str, region: &str, c: DiscoveredClientRow) -> DiscoveredClient {
    let identifier = format!("{pool}|{}", c.client_id);
    let document = c
        .proposed_properties
        .as_ref()
        .filter(|_| c.state == ClientState::Read)
        .map(|p| proposed_document(region, &identifier, &p.0, ManagementPolicy::Observe));
    DiscoveredClient {
        client_id: c.client_id,
        identifier,
        client_name: c.client_name,
        state: c.state,
        owned_by_service: c.service_owner,
        managed_by: c.managed_by,
        name: c.proposed_name.filter(|_| c.state == ClientState::Read),
        document,
        adopted_as: c.adopted_as,
        error: c.error.map(|e| e.0),
    }
}

/// A discovery named by its path; a path that names none is its 404.
#[derive(Debug)]
pub struct DiscoveryPath {
    /// The namespace.
    pub namespace: String,
    /// The discovery's id, when the segment is one.
    pub id: Option<Uuid>,
    raw: String,
}

impl<S: Send + Sync> FromRequestParts<S> for DiscoveryPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path((namespace, raw)) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|r| ApiError::BadRequest(r.body_text()))?;
        check_label("namespace", &namespace)?;
        let id = Uuid::parse_str(&raw).ok();
        Ok(DiscoveryPath { namespace, id, raw })
    }
}

impl DiscoveryPath {
    fn not_found(&self) -> ApiError {
        ApiError::NotFound(format!(
            "discovery {}/{} does not exist",
            self.namespace,
            self.raw.escape_default()
        ))
    }
}

/// The body of a new discovery.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewDiscovery {
    /// The user pool whose clients to list.
    #[schema(
        example = "us-east-1_examplePoolId",
        pattern = r"^[\w-]+_[0-9a-zA-Z]+$",
        max_length = 55
    )]
    pub user_pool_id: String,
    /// The pool's region. Default: the server's `--default-region`.
    #[schema(example = "us-east-1")]
    pub region: Option<String>,
}

/// Start a discovery of a user pool
///
/// Lists the pool through Cloud Control (every page) and reads each client ccplane does not
/// manage, as background work within the read budget: it never delays a tenant's change. Answers
/// at once; `GET` the `Location` to watch it (or the namespace's events, `Discovery…` kinds).
#[utoipa::path(
    post,
    path = "/v1/namespaces/{namespace}/discoveries",
    tag = "discoveries",
    params(("namespace" = String, Path, description = "Namespace (DNS label)")),
    request_body(content = NewDiscovery, content_type = "application/json"),
    responses(
        (status = 202, description = "Started", body = Discovery, headers(("Location" = String))),
        (status = 400, description = "A malformed path or body"),
        (status = 422, description = "The body is invalid (every violation is listed) or its region is not allowed in the namespace"),
    )
)]
pub async fn create_discovery(
    State(state): State<AppState>,
    principal: Principal,
    NamespacePath(namespace): NamespacePath,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    principal.require(Role::Editor, &namespace)?;
    let (pool, region) = parse_new(&body, &state.settings.default_region)?;
    if let Some(settings) = principal.namespace_settings(&state, &namespace).await?
        && !region_allowed(&settings.allowed_regions, &region)
    {
        return Err(ApiError::Invalid(vec![Violation::new(
            "/region",
            format!("namespace {namespace} may not use region {region}"),
        )]));
    }
    let actor = principal.actor();
    let mut tx = state.pool.begin().await?;
    let row = discoveries::create(&mut tx, &namespace, &pool, &region, actor.as_deref()).await?;
    state.notifier.commit(tx, &namespace).await?;
    let location = format!("/v1/namespaces/{namespace}/discoveries/{}", row.id);
    let mut response = (StatusCode::ACCEPTED, Json(discovery(row, None))).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

/// Cognito's pattern of a user pool id.
static POOL_ID: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"^[\w-]+_[0-9a-zA-Z]+$").expect("valid regex"));

fn parse_new(body: &Value, default_region: &str) -> Result<(String, String), ApiError> {
    let Some(doc) = body.as_object() else {
        return Err(invalid("", "the body must be a JSON object"));
    };
    let mut errors = unknown_fields(doc, &["userPoolId", "region"]);
    let pool = match doc.get("userPoolId") {
        Some(Value::String(p)) if p.len() <= 55 && POOL_ID.is_match(p) => p.clone(),
        None => {
            errors.push(Violation::new("/userPoolId", "is required"));
            String::new()
        }
        Some(_) => {
            errors.push(Violation::new(
                "/userPoolId",
                "must be a user pool id such as us-east-1_examplePoolId",
            ));
            String::new()
        }
    };
    let region = match doc.get("region") {
        None | Some(Value::Null) => default_region.to_owned(),
        Some(Value::String(r)) if is_region(r) => r.clone(),
        Some(_) => {
            errors.push(Violation::new(
                "/region",
                "must be an AWS region name such as us-east-1",
            ));
            String::new()
        }
    };
    if errors.is_empty() {
        Ok((pool, region))
    } else {
        Err(ApiError::Invalid(errors))
    }
}

fn invalid(at: &str, message: &str) -> ApiError {
    ApiError::Invalid(vec![Violation::new(at, message)])
}

fn unknown_fields(doc: &Map<String, Value>, fields: &[&str]) -> Vec<Violation> {
    doc.keys()
        .filter(|k| !fields.contains(&k.as_str()))
        .map(|k| {
            Violation::new(
                pointer(&[k]),
                format!(
                    "unknown field \"{k}\"; expected one of {}",
                    fields.join(", ")
                ),
            )
        })
        .collect()
}

/// Read a discovery
///
/// Its phase and counts, and every client it listed: its state, the AWS service that owns it if
/// any, and for each client read the proposed name and document (`adopt.identifier` set).
#[utoipa::path(
    get,
    path = "/v1/namespaces/{namespace}/discoveries/{id}",
    tag = "discoveries",
    params(
        ("namespace" = String, Path, description = "Namespace (DNS label)"),
        ("id" = String, Path, description = "The discovery's id"),
    ),
    responses(
        (status = 200, description = "The discovery and its clients", body = Discovery),
        (status = 400, description = "A malformed path"),
        (status = 404, description = "No such discovery, or a namespace the token may not see"),
    )
)]
pub async fn get_discovery(
    State(state): State<AppState>,
    principal: Principal,
    path: DiscoveryPath,
) -> Result<Json<Discovery>, ApiError> {
    principal
        .require(Role::Viewer, &path.namespace)
        .map_err(|e| not_found_unless_forbidden(e, &path))?;
    let id = path.id.ok_or_else(|| path.not_found())?;
    let row = discoveries::get(&state.pool, &path.namespace, id)
        .await?
        .ok_or_else(|| path.not_found())?;
    let clients = discoveries::clients(&state.pool, id).await?;
    Ok(Json(discovery(row, Some(clients))))
}

/// An invisible namespace answers the route's own 404.
fn not_found_unless_forbidden(e: ApiError, path: &DiscoveryPath) -> ApiError {
    match e {
        ApiError::NotFound(_) => path.not_found(),
        other => other,
    }
}

/// Paging of a namespace's discoveries.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DiscoveryParams {
    /// Page size, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    /// The `nextCursor` of the previous page; absent or empty: the first page.
    #[param(pattern = r"^[A-Za-z0-9_-]*$")]
    cursor: Option<String>,
}

/// List a namespace's discoveries
///
/// Newest first, with their phases and counts (read one for its clients).
#[utoipa::path(
    get,
    path = "/v1/namespaces/{namespace}/discoveries",
    tag = "discoveries",
    params(
        ("namespace" = String, Path, description = "Namespace (DNS label)"),
        DiscoveryParams,
    ),
    responses(
        (status = 200, description = "One page", body = Page<Discovery>),
        (status = 400, description = "A malformed path or parameter, or a cursor this API did not issue"),
    )
)]
pub async fn list_discoveries(
    State(state): State<AppState>,
    principal: Principal,
    NamespacePath(namespace): NamespacePath,
    StrictQuery(params): StrictQuery<DiscoveryParams>,
) -> Result<Json<Page<Discovery>>, ApiError> {
    principal.require(Role::Viewer, &namespace)?;
    let limit = page_limit(params.limit)?;
    let before = params
        .cursor
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(|c| Cursor::<Uuid>::decode(c, "cursor"))
        .transpose()?;
    let rows = discoveries::list(&state.pool, &namespace, before, limit).await?;
    let next_cursor = (rows.len() as i64 == limit)
        .then(|| rows.last().map(|r| Cursor::encode(&r.id)))
        .flatten();
    Ok(Json(Page {
        items: rows.into_iter().map(|r| discovery(r, None)).collect(),
        next_cursor,
    }))
}

/// What to adopt from a discovery: the clients (by id, or all), and what their documents add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdoptClients {
    /// The ClientIds to adopt (a service's client only this way). Give this or `all`.
    #[schema(min_items = 1, max_items = 1000)]
    pub client_ids: Option<Vec<String>>,
    /// `true`: every client read, but those another AWS service owns and those already managed.
    pub all: Option<bool>,
    /// Labels every adopted resource carries.
    pub labels: Option<BTreeMap<String, String>>,
    /// The adopted resources' management policy. Default: `Observe` (read and report only; a
    /// PATCH to `Manage` later makes ccplane apply the document).
    pub management_policy: Option<ManagementPolicy>,
    /// Resource names to use instead of the proposed ones, by ClientId.
    pub names: Option<BTreeMap<String, String>>,
}

/// What an adoption created, and what `all` left out.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Adopted {
    /// The resources created, one per client.
    pub adopted: Vec<AdoptedClient>,
    /// The clients `all` left out, and why.
    pub skipped: Vec<SkippedClient>,
}

/// One client adopted as a resource.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdoptedClient {
    /// Its ClientId.
    pub client_id: String,
    /// The resource's name.
    pub name: String,
    /// Its Cloud Control identifier.
    pub identifier: String,
}

/// A client an adoption of `all` left out.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SkippedClient {
    /// Its ClientId.
    pub client_id: String,
    /// Why.
    pub reason: String,
}

/// The request, checked.
struct Request {
    client_ids: Option<Vec<String>>,
    labels: BTreeMap<String, String>,
    policy: ManagementPolicy,
    names: BTreeMap<String, String>,
}

fn parse_adoption(body: &Value) -> Result<Request, ApiError> {
    let Some(doc) = body.as_object() else {
        return Err(invalid("", "the body must be a JSON object"));
    };
    let fields = ["clientIds", "all", "labels", "managementPolicy", "names"];
    let mut errors = unknown_fields(doc, &fields);
    let all = match doc.get("all") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            errors.push(Violation::new("/all", "must be true or false"));
            false
        }
    };
    let client_ids = match doc.get("clientIds") {
        None | Some(Value::Null) => None,
        Some(Value::Array(ids)) if (1..=1000).contains(&ids.len()) => {
            let mut seen = HashSet::new();
            let mut out = Vec::new();
            for (i, id) in ids.iter().enumerate() {
                match id.as_str() {
                    Some(s) if !seen.insert(s.to_owned()) => {
                        errors.push(Violation::new(format!("/clientIds/{i}"), "is listed twice"))
                    }
                    Some(s) => out.push(s.to_owned()),
                    None => errors.push(Violation::new(
                        format!("/clientIds/{i}"),
                        "must be a ClientId",
                    )),
                }
            }
            Some(out)
        }
        Some(_) => {
            errors.push(Violation::new(
                "/clientIds",
                "must be an array of 1 to 1000 ClientIds",
            ));
            None
        }
    };
    match (&client_ids, all) {
        (Some(_), true) => errors.push(Violation::new(
            "/all",
            "give either clientIds or all, not both",
        )),
        (None, false) if !errors.iter().any(|e| e.pointer == "/clientIds") => {
            errors.push(Violation::new("/clientIds", "is required (or `all: true`)"))
        }
        _ => {}
    }
    let labels = string_map(doc.get("labels"), "labels", &mut errors, |key, value| {
        if !is_label_key(key) {
            return Some(
                "label keys are an optional DNS prefix and `/`, then 1–63 alphanumerics, `-`, `_` or `.`",
            );
        }
        (!is_label_value(value))
            .then_some("label values are strings of at most 63 alphanumerics, `-`, `_` or `.`")
    });
    if labels.len() > MAX_LABELS {
        errors.push(Violation::new(
            "/labels",
            format!("at most {MAX_LABELS} labels"),
        ));
    }
    let names = string_map(doc.get("names"), "names", &mut errors, |_, name| {
        (!is_dns_label(name))
            .then_some("must be a DNS label (1–63 lowercase letters, digits and `-`)")
    });
    let policy = match doc.get("managementPolicy") {
        None | Some(Value::Null) => ManagementPolicy::Observe,
        Some(v) => serde_json::from_value(v.clone()).unwrap_or_else(|_| {
            errors.push(Violation::new(
                "/managementPolicy",
                "must be one of Manage, Observe",
            ));
            ManagementPolicy::Observe
        }),
    };
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    Ok(Request {
        client_ids,
        labels,
        policy,
        names,
    })
}

/// An object of strings at `/field`, each checked by `check` (a message when it fails).
fn string_map(
    value: Option<&Value>,
    field: &str,
    errors: &mut Vec<Violation>,
    check: impl Fn(&str, &str) -> Option<&'static str>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let map = match value {
        None | Some(Value::Null) => return out,
        Some(Value::Object(map)) => map,
        Some(_) => {
            errors.push(Violation::new(
                pointer(&[field]),
                "must be an object of strings",
            ));
            return out;
        }
    };
    for (key, value) in map {
        let at = pointer(&[field, key]);
        match value.as_str() {
            Some(s) => match check(key, s) {
                Some(message) => errors.push(Violation::new(at, message)),
                None => {
                    out.insert(key.clone(), s.to_owned());
                }
            },
            None => errors.push(Violation::new(at, "must be a string")),
        }
    }
    out
}

/// Adopt clients from a discovery
///
/// Creates one resource per client in one transaction: all or none, every refusal listed as a
/// rejected document's errors are (an unknown or unread client, one already managed, a name
/// taken, a proposed document ccplane would refuse). No Cloud Control call changes anything: each
/// resource's first step reads its client and, the document being the client's own, it becomes
/// `Ready` with plan `none`. With `all`, clients another AWS service owns and clients already
/// managed are skipped, and listed as such.
#[utoipa::path(
    post,
    path = "/v1/namespaces/{namespace}/discoveries/{id}/adopt",
    tag = "discoveries",
    params(
        ("namespace" = String, Path, description = "Namespace (DNS label)"),
        ("id" = String, Path, description = "The discovery's id"),
    ),
    request_body(content = AdoptClients, content_type = "application/json"),
    responses(
        (status = 201, description = "Every client adopted", body = Adopted),
        (status = 400, description = "A malformed path or body"),
        (status = 404, description = "No such discovery, or a namespace the token may not see"),
        (status = 409, description = "`all` while the discovery is still listing or reading"),
        (status = 422, description = "A client cannot be adopted (every refusal is listed) or the body is invalid; nothing was created"),
    )
)]
pub async fn adopt_discovered_clients(
    State(state): State<AppState>,
    principal: Principal,
    path: DiscoveryPath,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<Adopted>), ApiError> {
    principal
        .require(Role::Editor, &path.namespace)
        .map_err(|e| not_found_unless_forbidden(e, &path))?;
    let id = path.id.ok_or_else(|| path.not_found())?;
    let request = parse_adoption(&body)?;
    let namespace = &path.namespace;
    let mut tx = state.pool.begin().await?;
    // Locked: two adoptions of one discovery take turns, so neither adopts what the other did.
    let row = discoveries::lock(&mut tx, namespace, id)
        .await?
        .ok_or_else(|| path.not_found())?;
    if request.client_ids.is_none()
        && matches!(row.phase, DiscoveryPhase::Listing | DiscoveryPhase::Reading)
    {
        return Err(ApiError::Conflict(format!(
            "discovery {id} is still {}: adopt `all` once it is Complete, or name the clients read so far",
            row.phase.as_str().to_lowercase()
        )));
    }
    let clients = discoveries::clients(&mut *tx, id).await?;
    let identifiers: Vec<String> = clients
        .iter()
        .map(|c| format!("{}|{}", row.user_pool_id, c.client_id))
        .collect();
    let managing = discoveries::managing(&mut *tx, &identifiers).await?;
    let existing = discoveries::existing_names(&mut *tx, namespace).await?;
    let plan = plan_adoption(&state, &row, &clients, &request, &managing, &existing)?;
    let taken =
        discoveries::adopt(&mut tx, &row, &plan.adoptions, principal.actor().as_deref()).await?;
    if !taken.is_empty() {
        // A resource took the name meanwhile: nothing is kept.
        let errors = taken
            .iter()
            .map(|name| Violation::new("/names", format!("the name {name} was taken meanwhile")))
            .collect();
        return Err(ApiError::Invalid(errors));
    }
    state.notifier.commit(tx, namespace).await?;
    let adopted = plan
        .adoptions
        .into_iter()
        .map(|a| AdoptedClient {
            client_id: a.client_id,
            name: a.name,
            identifier: a.identifier,
        })
        .collect();
    Ok((
        StatusCode::CREATED,
        Json(Adopted {
            adopted,
            skipped: plan.skipped,
        }),
    ))
}

struct Plan {
    adoptions: Vec<Adoption>,
    skipped: Vec<SkippedClient>,
}

/// Decides which resources an adoption creates, or every reason it cannot.
fn plan_adoption(
    state: &AppState,
    row: &DiscoveryRow,
    clients: &[DiscoveredClientRow],
    request: &Request,
    managing: &[(String, String, String)],
    existing: &[String],
) -> Result<Plan, ApiError> {
    let by_id: HashMap<&str, &DiscoveredClientRow> =
        clients.iter().map(|c| (c.client_id.as_str(), c)).collect();
    let identifier = |c: &str| format!("{}|{c}", row.user_pool_id);
    let manager = |c: &str| {
        let identifier = identifier(c);
        managing.iter().find(|m| m.0 == identifier).map(|m| {
            if m.1 == row.namespace {
                format!("{}/{}", m.1, m.2)
            } else {
                "a resource in another namespace".to_owned()
            }
        })
    };
    let mut errors = Vec::new();
    let mut skipped = Vec::new();
    // Each chosen client with the pointer its refusals are reported at.
    let chosen: Vec<(String, &DiscoveredClientRow)> = match &request.client_ids {
        Some(ids) => ids
            .iter()
            .enumerate()
            .filter_map(|(i, id)| {
                let at = format!("/clientIds/{i}");
                match by_id.get(id.as_str()) {
                    Some(c) => Some((at, *c)),
                    None => {
                        errors.push(Violation::new(
                            at,
                            format!("client {id} was not listed by discovery {}", row.id),
                        ));
                        None
                    }
                }
            })
            .collect(),
        None => clients
            .iter()
            .filter(|c| {
                let reason = match (&c.service_owner, c.state, manager(&c.client_id)) {
                    (_, ClientState::Adopted, _) => Some("already adopted".to_owned()),
                    (_, _, Some(by)) => Some(format!("already managed by {by}")),
                    (_, ClientState::Managed, None) => Some(
                        "managed when listed, so not read; a new discovery reads it".to_owned(),
                    ),
                    (Some(service), _, _) => Some(format!(
                        "owned by {service}; adopt it by its ClientId if you mean to"
                    )),
                    (None, ClientState::Failed, _) => Some("could not be read".to_owned()),
                    _ => None,
                };
                if let Some(reason) = &reason {
                    skipped.push(SkippedClient {
                        client_id: c.client_id.clone(),
                        reason: reason.clone(),
                    });
                }
                reason.is_none()
            })
            .map(|c| ("/all".to_owned(), c))
            .collect(),
    };
    let mut names: HashSet<String> = existing.iter().cloned().collect();
    let mut adoptions = Vec::new();
    for (at, c) in chosen {
        let id = &c.client_id;
        if let Some(by) = manager(id) {
            errors.push(Violation::new(
                &at,
                format!("client {id} is already managed by {by}"),
            ));
            continue;
        }
        let refusal = match c.state {
            ClientState::Read => None,
            ClientState::Pending => Some("has not been read yet".to_owned()),
            ClientState::Managed => {
                Some("was managed when listed, so it was not read; a new discovery reads it".into())
            }
            ClientState::Adopted => Some(format!(
                "was already adopted as {}",
                c.adopted_as.as_deref().unwrap_or("a resource")
            )),
            ClientState::Failed => Some(format!(
                "could not be read: {}",
                c.error.as_ref().map_or("", |e| e.message.as_str())
            )),
        };
        if let Some(refusal) = refusal {
            errors.push(Violation::new(&at, format!("client {id} {refusal}")));
            continue;
        }
        let name = request
            .names
            .get(id)
            .or(c.proposed_name.as_ref())
            .cloned()
            .unwrap_or_default();
        if !names.insert(name.clone()) {
            let at = match request.names.contains_key(id) {
                true => pointer(&["names", id]),
                false => at.clone(),
            };
            errors.push(Violation::new(
                at,
                format!(
                    "the name {name} for client {id} is taken in namespace {}; choose another in `names`",
                    row.namespace
                ),
            ));
            continue;
        }
        let identifier = identifier(id);
        let properties = c
            .proposed_properties
            .as_ref()
            .map(|p| p.0.clone())
            .unwrap_or_default();
        let mut document = proposed_document(&row.region, &identifier, &properties, request.policy);
        document["labels"] = serde_json::json!(request.labels);
        match parse_spec(&document, &state.settings.default_region, &[]) {
            Ok(validated) => adoptions.push(Adoption {
                client_id: id.clone(),
                name,
                spec: validated.spec,
                identifier,
                observed: c
                    .observed_properties
                    .as_ref()
                    .map(|o| o.0.clone())
                    .unwrap_or_default(),
            }),
            Err(violations) => {
                for v in violations {
                    errors.push(Violation::new(
                        &at,
                        format!(
                            "client {id}: the proposed document is refused at {}: {}",
                            v.pointer, v.message
                        ),
                    ));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    Ok(Plan { adoptions, skipped })
}
