//! Administration routes: API tokens (admin on `*`) and namespace settings (their AWS targets).

use std::sync::LazyLock;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use regex::Regex;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::error::ApiError;
use super::extract::{IdPath, JsonBody, NamespacePath};
use super::pagination::Page;
use super::principal::Principal;
use super::state::AppState;
use crate::access::{Binding, Role, Scope};
use crate::model::Violation;
use crate::model::document::is_region;
use crate::store::namespaces::{self, NamespaceRow};
use crate::store::tokens::{self, TokenRow};

/// An API token as listed: never its secret.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Token {
    /// The token's id (`tok_` and 12 letters or digits); the actor its events record is `token:<id>`.
    #[schema(example = "tok_a1B2c3D4e5F6")]
    pub id: String,
    /// What it is for.
    pub description: String,
    /// The roles it grants.
    pub bindings: Vec<Binding>,
    /// When it stops working.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it last authenticated a request (to the minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl From<TokenRow> for Token {
    fn from(row: TokenRow) -> Self {
        let token = row.credentials;
        Token {
            id: token.id,
            description: row.description,
            bindings: token.bindings.0,
            expires_at: token.expires_at,
            revoked_at: token.revoked_at,
            last_used_at: token.last_used_at,
            created_at: row.created_at,
        }
    }
}

/// A token just created: the only time its secret is shown.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedToken {
    /// The bearer token, `ccp_<id>_<secret>`; shown once, stored only as a hash.
    pub token: String,
    /// The token's details.
    #[serde(flatten)]
    pub details: Token,
}

/// The body of `POST /v1/tokens`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewToken {
    /// What it is for.
    #[serde(default)]
    pub description: String,
    /// The roles it grants; at least one.
    pub bindings: Vec<Binding>,
    /// When it stops working; never when absent.
    pub expires_at: Option<DateTime<Utc>>,
}

fn parse_body<T: DeserializeOwned>(body: Value) -> Result<T, ApiError> {
    serde_json::from_value(body)
        .map_err(|err| ApiError::BadRequest(format!("the body does not fit the schema: {err}")))
}

/// Create an API token
///
/// Needs `admin` on every namespace. The answer is the only time the token's secret is shown; it
/// is stored only as a hash.
#[utoipa::path(
    post,
    path = "/v1/tokens",
    tag = "administration",
    request_body(content = NewToken, content_type = "application/json"),
    responses(
        (status = 201, description = "Created; `token` is shown only now", body = CreatedToken),
        (status = 400, description = "A malformed body, or one that does not fit the schema"),
        (status = 422, description = "A binding's namespace is not a DNS label or `*`, no binding, or an expiry not in the future"),
    )
)]
pub async fn create_token(
    State(state): State<AppState>,
    principal: Principal,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    principal.require_global_admin()?;
    let new: NewToken = parse_body(body)?;
    let mut errors: Vec<Violation> = new
        .bindings
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            b.check().err().map(|message| Violation {
                pointer: format!("/bindings/{i}/namespace"),
                message,
            })
        })
        .collect();
    if new.bindings.is_empty() {
        errors.push(Violation {
            pointer: "/bindings".into(),
            message: "must grant at least one role".into(),
        });
    }
    if new.expires_at.is_some_and(|at| at <= Utc::now()) {
        errors.push(Violation {
            pointer: "/expiresAt".into(),
            message: "must be in the future".into(),
        });
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let (token, row) =
        tokens::issue(&state.pool, &new.description, &new.bindings, new.expires_at).await?;
    tracing::info!(id = %row.credentials.id, by = ?principal.actor(), "token created");
    let body = CreatedToken {
        token,
        details: row.into(),
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// List API tokens
///
/// Every token, newest first, never with its secret. Needs `admin` on every namespace.
#[utoipa::path(
    get,
    path = "/v1/tokens",
    tag = "administration",
    responses((status = 200, description = "Every token", body = Page<Token>))
)]
pub async fn list_tokens(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Page<Token>>, ApiError> {
    principal.require_global_admin()?;
    let items = tokens::list(&state.pool)
        .await?
        .into_iter()
        .map(Token::from)
        .collect();
    Ok(Json(Page {
        items,
        next_cursor: None,
    }))
}

/// Revoke an API token
///
/// It stops working on the next request. Revoking a revoked token changes nothing. Needs `admin`
/// on every namespace.
#[utoipa::path(
    delete,
    path = "/v1/tokens/{id}",
    tag = "administration",
    params(("id" = String, Path, description = "The token's id")),
    responses(
        (status = 200, description = "Revoked (or already revoked)", body = Token),
        (status = 400, description = "An id holding a NUL, which no token has"),
        (status = 404, description = "No such token"),
    )
)]
pub async fn delete_token(
    State(state): State<AppState>,
    principal: Principal,
    IdPath(id): IdPath,
) -> Result<Json<Token>, ApiError> {
    principal.require_global_admin()?;
    let row = tokens::revoke(&state.pool, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("token {id} does not exist")))?;
    tracing::info!(id = %row.credentials.id, by = ?principal.actor(), "token revoked");
    Ok(Json(row.into()))
}

/// A namespace's AWS targets.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Namespace {
    /// The namespace.
    pub name: String,
    /// Regions its documents may name; empty means any.
    pub allowed_regions: Vec<String>,
    /// The IAM role ARN Cloud Control runs the handler with, inside the namespace's account.
    pub role_arn: Option<String>,
    /// The IAM role ccplane assumes (`sts:AssumeRole`, with its own credentials) to reach the
    /// namespace's AWS account; absent: ccplane's own account.
    pub assume_role_arn: Option<String>,
    /// The external ID sent with AssumeRole (an identifier, not a secret).
    pub external_id: Option<String>,
    /// The namespace's share of every budget relative to other busy namespaces (default 1).
    pub scheduling_weight: f64,
    /// How well drift checks keep up in this namespace (read when the settings are read alone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drift_coverage: Option<DriftCoverage>,
    /// When the settings were created.
    pub created_at: DateTime<Utc>,
    /// When they last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<NamespaceRow> for Namespace {
    fn from(row: NamespaceRow) -> Self {
        Namespace {
            name: row.name,
            allowed_regions: row.allowed_regions,
            role_arn: row.role_arn,
            assume_role_arn: row.assume_role_arn,
            external_id: row.external_id,
            scheduling_weight: row.scheduling_weight,
            drift_coverage: None,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// The body of `PUT /v1/namespaces/{namespace}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NamespaceSettings {
    /// Regions its documents may name; empty or absent means any.
    #[serde(default)]
    #[schema(example = json!(["eu-west-1"]))]
    pub allowed_regions: Vec<String>,
    /// An IAM role ARN passed to Cloud Control as `RoleArn` for this namespace's operations: the
    /// role its handler runs with inside the namespace's account.
    #[schema(example = "arn:aws:iam::123456789012:role/ccplane-team-a")]
    pub role_arn: Option<String>,
    /// An IAM role in another AWS account that ccplane assumes (`sts:AssumeRole` with its own
    /// credentials, session `ccplane-<namespace>`) to manage this namespace's clients there.
    #[schema(example = "arn:aws:iam::210987654321:role/ccplane-manager")]
    pub assume_role_arn: Option<String>,
    /// The external ID the assumed role's trust policy asks for (needs `assumeRoleArn`).
    #[schema(min_length = 2, max_length = 1224, pattern = r"^[\w+=,.@:/-]+$")]
    pub external_id: Option<String>,
    /// The namespace's share of every budget relative to other busy namespaces, 0.01 to 100.
    #[serde(default = "one")]
    #[schema(minimum = 0.01, maximum = 100, default = 1)]
    pub scheduling_weight: f64,
}

fn one() -> f64 {
    1.0
}

/// How well drift checks keep up in a namespace: they spend at most a share of the read budget
/// and stretch beyond it, visibly.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DriftCoverage {
    /// Ready clients in the namespace.
    pub ready_clients: i64,
    /// Of those, how many were checked within their drift interval.
    pub checked_within_interval: i64,
    /// Seconds since the least recently checked Ready client was checked (or made Ready).
    pub oldest_check_age_seconds: f64,
    /// The interval the checks are achieving: twice the mean age of the last checks (a steady
    /// stream of checks leaves ages spread evenly over one interval).
    pub effective_interval_seconds: f64,
}

/// IAM's own pattern for role paths and names (ASCII only), at most 2048 characters in all; checked
/// here and stated in the OpenAPI document.
pub const ROLE_ARN_PATTERN: &str = r"^arn:[a-z-]+:iam::[0-9]{12}:role/[A-Za-z0-9_+=,.@/-]+$";

fn check_settings(settings: &NamespaceSettings) -> Result<(), ApiError> {
    static ROLE_ARN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(ROLE_ARN_PATTERN).expect("valid regex"));
    let arn = &*ROLE_ARN;
    let mut errors: Vec<Violation> = settings
        .allowed_regions
        .iter()
        .enumerate()
        .filter(|(_, r)| !is_region(r))
        .map(|(i, r)| Violation {
            pointer: format!("/allowedRegions/{i}"),
            message: format!("`{r}` is not an AWS region name such as eu-west-1"),
        })
        .collect();
    if let Some(role) = &settings.role_arn
        && (!arn.is_match(role) || role.len() > 2048)
    {
        errors.push(Violation {
            pointer: "/roleArn".into(),
            message: "must be an IAM role ARN: arn:aws:iam::<account>:role/<name>".into(),
        });
    }
    if let Some(role) = &settings.assume_role_arn
        && (!arn.is_match(role) || role.len() > 2048)
    {
        errors.push(Violation {
            pointer: "/assumeRoleArn".into(),
            message: "must be an IAM role ARN: arn:aws:iam::<account>:role/<name>".into(),
        });
    }
    errors.extend(check_external_id(settings));
    if !(0.01..=100.0).contains(&settings.scheduling_weight) {
        errors.push(Violation {
            pointer: "/schedulingWeight".into(),
            message: "must be between 0.01 and 100".into(),
        });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid(errors))
    }
}

/// STS's own rule for `ExternalId`: 2 to 1,224 of `[\w+=,.@:/-]`; and only with a role to assume.
fn check_external_id(settings: &NamespaceSettings) -> Option<Violation> {
    static EXTERNAL_ID: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[\w+=,.@:/-]+$").expect("valid regex"));
    let id = settings.external_id.as_ref()?;
    let message = if settings.assume_role_arn.is_none() {
        "needs assumeRoleArn: it is sent with AssumeRole"
    } else if !(2..=1224).contains(&id.len()) || !EXTERNAL_ID.is_match(id) {
        "must be 2 to 1224 letters, digits or +=,.@:/-_"
    } else {
        return None;
    };
    Some(Violation {
        pointer: "/externalId".into(),
        message: message.into(),
    })
}

/// Set a namespace's AWS targets
///
/// The regions its documents may name (empty: any) and the IAM role Cloud Control assumes for its
/// operations. Needs `admin` on every namespace.
#[utoipa::path(
    put,
    path = "/v1/namespaces/{namespace}",
    tag = "administration",
    params(("namespace" = String, Path, description = "Namespace (DNS label)")),
    request_body(content = NamespaceSettings, content_type = "application/json"),
    responses(
        (status = 200, description = "Replaced", body = Namespace),
        (status = 201, description = "Created", body = Namespace),
        (status = 400, description = "A malformed path or body, or one that does not fit the schema"),
        (status = 422, description = "A region or role ARN that is not one"),
    )
)]
pub async fn put_namespace(
    State(state): State<AppState>,
    principal: Principal,
    NamespacePath(namespace): NamespacePath,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    // A namespace admin must not pick the IAM role its own namespace assumes.
    principal.require_global_admin()?;
    let settings: NamespaceSettings = parse_body(body)?;
    check_settings(&settings)?;
    let stored = namespaces::Settings {
        allowed_regions: &settings.allowed_regions,
        role_arn: settings.role_arn.as_deref(),
        assume_role_arn: settings.assume_role_arn.as_deref(),
        external_id: settings.external_id.as_deref(),
        scheduling_weight: settings.scheduling_weight,
    };
    let (row, created) = namespaces::upsert(&state.pool, &namespace, stored).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(Namespace::from(row))).into_response())
}

/// Read a namespace's AWS targets
///
/// Its allowed regions and IAM role. A namespace needs no settings to be used; one without them
/// answers 404.
#[utoipa::path(
    get,
    path = "/v1/namespaces/{namespace}",
    tag = "administration",
    params(("namespace" = String, Path, description = "Namespace (DNS label)")),
    responses(
        (status = 200, description = "The settings", body = Namespace),
        (status = 400, description = "A malformed path"),
        (status = 404, description = "Not configured (any region, no role), or not visible"),
    )
)]
pub async fn get_namespace(
    State(state): State<AppState>,
    principal: Principal,
    NamespacePath(namespace): NamespacePath,
) -> Result<Json<Namespace>, ApiError> {
    let missing = || ApiError::NotFound(format!("namespace {namespace} has no settings"));
    principal.require_or_missing(Role::Viewer, &namespace, missing)?;
    let row = namespaces::get(&state.pool, &namespace)
        .await?
        .ok_or_else(missing)?;
    let every = state.drift_interval.as_secs_f64();
    let ages = namespaces::drift_ages(&state.pool, Some(&namespace), every).await?;
    let mut answer = Namespace::from(row);
    answer.drift_coverage = Some(DriftCoverage {
        ready_clients: ages.ready,
        checked_within_interval: ages.checked_within_interval,
        oldest_check_age_seconds: ages.oldest_age_secs,
        effective_interval_seconds: ages.effective_interval_secs(),
    });
    Ok(Json(answer))
}

/// List configured namespaces
///
/// The namespaces with settings that the token may view.
#[utoipa::path(
    get,
    path = "/v1/namespaces",
    tag = "administration",
    responses((status = 200, description = "The configured namespaces visible to the caller", body = Page<Namespace>))
)]
pub async fn list_namespaces(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Page<Namespace>>, ApiError> {
    let only = match principal.scope(Role::Viewer) {
        Scope::All => None,
        Scope::Only(names) => Some(names),
    };
    let items = namespaces::list(&state.pool, only.as_deref())
        .await?
        .into_iter()
        .map(Namespace::from)
        .collect();
    Ok(Json(Page {
        items,
        next_cursor: None,
    }))
}
