//! Extractors that turn every malformed request into a problem, never into a 500.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::ApiError;
use crate::model::Violation;
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
        let body: Value = serde_json::from_slice(&bytes)
            .map_err(|err| ApiError::BadRequest(format!("the body is not valid JSON: {err}")))?;
        check_body_text(&body)?;
        Ok(JsonBody(body))
    }
}

/// What every refusal of a NUL says: Postgres `text` and `jsonb` cannot hold U+0000, so no string
/// the API stores or looks up may contain it.
const NUL_MESSAGE: &str = "must not contain the NUL character (U+0000)";

/// Refuses a body with a NUL in any string, value or member name, at any depth (422, one field
/// error per string, each a JSON Pointer into the body), before any handler reads it.
pub fn check_body_text(body: &Value) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    find_nul(body, &mut String::new(), &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid(errors))
    }
}

fn find_nul(value: &Value, pointer: &mut String, errors: &mut Vec<Violation>) {
    let at = |pointer: &str| Violation {
        pointer: pointer.to_owned(),
        message: NUL_MESSAGE.into(),
    };
    match value {
        Value::String(s) if s.contains('\0') => errors.push(at(pointer)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                find_nul(item, pointer, errors);
                pointer.truncate(len);
            }
        }
        Value::Object(members) => {
            for (name, member) in members {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&name.replace('~', "~0").replace('/', "~1"));
                if name.contains('\0') {
                    errors.push(at(pointer));
                }
                find_nul(member, pointer, errors);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// Refuses a query parameter with a NUL in its name or value (400 naming it).
pub fn check_parameter_text(parameter: &str, value: &str) -> Result<(), ApiError> {
    if parameter.contains('\0') || value.contains('\0') {
        return Err(ApiError::BadParameter {
            parameter: parameter.escape_default().to_string(),
            message: NUL_MESSAGE.into(),
        });
    }
    Ok(())
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
        let query = parts.uri.query().unwrap_or("");
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            check_parameter_text(&name, &value)?;
        }
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

/// A path segment other than a DNS label (a token's id), checked to hold no NUL.
#[derive(Debug)]
pub struct IdPath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(id) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|r| ApiError::BadRequest(r.body_text()))?;
        if id.contains('\0') {
            return Err(ApiError::BadRequest(format!(
                "the path parameter `id` {NUL_MESSAGE}"
            )));
        }
        Ok(IdPath(id))
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

/// A resource's path and one of its client secrets' ids (Cognito's `<client-id>--<epoch>`).
#[derive(Debug)]
pub struct SecretPath {
    /// The resource.
    pub resource: ResourcePath,
    /// The secret's id.
    pub secret_id: String,
}

impl<S: Send + Sync> FromRequestParts<S> for SecretPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path((namespace, name, secret_id)) =
            axum::extract::Path::<(String, String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|r| ApiError::BadRequest(r.body_text()))?;
        check_label("namespace", &namespace)?;
        check_label("name", &name)?;
        let plausible = (1..=128).contains(&secret_id.len())
            && secret_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !plausible {
            return Err(ApiError::BadRequest(format!(
                "the secret id `{secret_id}` is not a Cognito secret id (letters, digits, `-` and `_`)"
            )));
        }
        Ok(SecretPath {
            resource: ResourcePath { namespace, name },
            secret_id,
        })
    }
}
