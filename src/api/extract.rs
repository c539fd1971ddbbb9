//! Extractors that turn every malformed request into a problem, never into a 500.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::ApiError;
use crate::model::document::is_dns_label;
use crate::store::resources::{self, ResourceRow};

/// A JSON request body: `application/json` (on PATCH, `application/merge-patch+json` only, as
/// the OpenAPI document says), parsed but not yet validated.
#[derive(Debug)]
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        check_media_type(req.headers(), req.method() == axum::http::Method::PATCH)?;
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge("the request body is larger than allowed".into())
            } else {
                ApiError::BadRequest(rejection.body_text())
            }
        })?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|err| ApiError::BadRequest(format!("the body is not valid JSON: {err}")))
    }
}

fn check_media_type(headers: &HeaderMap, merge_patch: bool) -> Result<(), ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let accepted = if merge_patch {
        essence == "application/merge-patch+json"
    } else {
        essence == "application/json"
    };
    if accepted {
        return Ok(());
    }
    let expected = if merge_patch {
        "application/merge-patch+json (RFC 7396)"
    } else {
        "application/json"
    };
    let got = if essence.is_empty() {
        "none".to_owned()
    } else {
        essence
    };
    Err(ApiError::UnsupportedMediaType(format!(
        "the body must be {expected}; Content-Type was {got}"
    )))
}

/// Query parameters, deserialized strictly: an unknown parameter or a bad value is a 400.
#[derive(Debug)]
pub struct StrictQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for StrictQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|q| StrictQuery(q.0))
            .map_err(|rejection| ApiError::BadRequest(rejection.body_text()))
    }
}

/// The namespace and name of a single resource, both checked to be DNS labels.
#[derive(Debug)]
pub struct ResourcePath {
    /// The namespace.
    pub namespace: String,
    /// The name.
    pub name: String,
}

impl<S: Send + Sync> FromRequestParts<S> for ResourcePath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path((namespace, name)) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|r| ApiError::BadRequest(r.body_text()))?;
        check_label("namespace", &namespace)?;
        check_label("name", &name)?;
        Ok(ResourcePath { namespace, name })
    }
}

impl ResourcePath {
    /// The resource at this path, or the 404 every route answers for a missing one.
    pub async fn find(&self, exec: impl sqlx::PgExecutor<'_>) -> Result<ResourceRow, ApiError> {
        let row = resources::get(exec, &self.namespace, &self.name).await?;
        row.ok_or_else(|| ApiError::client_not_found(&self.namespace, &self.name))
    }

    /// The resource at this path, locked until the transaction ends; 404 when missing.
    pub async fn lock(&self, conn: &mut sqlx::PgConnection) -> Result<ResourceRow, ApiError> {
        let row = resources::get_for_update(conn, &self.namespace, &self.name).await?;
        row.ok_or_else(|| ApiError::client_not_found(&self.namespace, &self.name))
    }
}

/// A namespace from the path, checked to be a DNS label.
#[derive(Debug)]
pub struct NamespacePath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for NamespacePath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(namespace) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|r| ApiError::BadRequest(r.body_text()))?;
        check_label("namespace", &namespace)?;
        Ok(NamespacePath(namespace))
    }
}

/// Rejects a path segment that is not a DNS label.
pub fn check_label(what: &str, value: &str) -> Result<(), ApiError> {
    if is_dns_label(value) {
        Ok(())
    } else {
        Err(ApiError::BadRequest(format!(
            "the {what} `{value}` is not a DNS label: 1–63 lowercase letters, digits and `-`, \
             starting and ending with a letter or digit"
        )))
    }
}
