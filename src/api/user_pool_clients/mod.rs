//! Routes for UserPoolClient desired state, one file per operation; here what they share: the
//! representation they answer with, its `ETag` and `Location`, and the preconditions of a write.

pub mod create;
pub mod delete;
pub mod get;
pub mod list;
pub mod patch;
pub mod put;

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::error::ApiError;
use crate::model::document::Spec;
use crate::model::{Status, Violation};
use crate::store::resources::ResourceRow;

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
        let status = row.status.into_status(row.spec.secret_rotation());
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
            status,
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
