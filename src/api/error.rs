//! The HTTP edge of every error: RFC 9457 `application/problem+json`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::model::Violation;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; stable for machines.
    #[serde(rename = "type")]
    #[schema(example = "https://ccplane.dev/problems/validation")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong with this request.
    pub detail: String,
    /// Field-level errors, each located by a JSON Pointer into the request body.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Violation>,
}

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body or a parameter is malformed (400).
    #[error("{0}")]
    BadRequest(String),
    /// A query parameter has a bad value (400), named by `parameter`.
    #[error("invalid value for query parameter `{parameter}`: {message}")]
    BadParameter {
        /// The parameter's name.
        parameter: String,
        /// What is wrong with it.
        message: String,
    },
    /// The document was understood but is not acceptable (422).
    #[error("the document has {} invalid field(s)", .0.len())]
    Invalid(Vec<Violation>),
    /// No credentials, or ones that are malformed, unknown, expired or revoked (401).
    #[error("{detail}")]
    Unauthorized {
        /// What is wrong with the credentials.
        detail: String,
        /// Whether a token was presented (then `error="invalid_token"` is added to the challenge).
        token_given: bool,
    },
    /// The caller sees the namespace but lacks the role the request needs (403).
    #[error("{0}")]
    Forbidden(String),
    /// No such resource, or none the caller may see (404).
    #[error("{0}")]
    NotFound(String),
    /// The resource exists, or is in a state that forbids the request (409).
    #[error("{0}")]
    Conflict(String),
    /// `If-Match` or `If-None-Match` did not hold (412).
    #[error("{0}")]
    PreconditionFailed(String),
    /// The body is not JSON of the expected media type (415).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The body is larger than allowed (413).
    #[error("{0}")]
    PayloadTooLarge(String),
    /// An `Idempotency-Key` was reused for a different request (422).
    #[error("{0}")]
    IdempotencyKeyReused(String),
    /// A create-only property changed under `replacementPolicy: Reject` (422).
    #[error("{detail}")]
    ReplacementRejected {
        /// What to do about it.
        detail: String,
        /// The create-only properties that changed.
        errors: Vec<Violation>,
    },
    /// The caller sent more requests than its rate limit allows (429).
    #[error("too many requests: retry in {retry_after_secs} s")]
    TooManyRequests {
        /// Whole seconds until a request would be admitted (`Retry-After`).
        retry_after_secs: u64,
    },
    /// No database connection came free in time (503 with `Retry-After`): the request changed
    /// nothing and may be sent again.
    #[error(
        "the server is busy: no database connection came free in time; retry in {retry_after_secs} s"
    )]
    Unavailable {
        /// Whole seconds after which a retry is likely to be served (`Retry-After`).
        retry_after_secs: u64,
    },
    /// AWS (Cloud Control or Cognito) could not answer a read the request needs: `503` with
    /// `Retry-After` when it throttled or failed for a moment (or AWS's budget is spent), else
    /// `502`. Nothing was changed.
    #[error("{detail}")]
    Aws {
        /// What AWS answered.
        detail: String,
        /// Seconds after which a retry is likely to succeed; none when retrying will not help.
        retry_after_secs: Option<u64>,
    },
    /// Anything the caller cannot fix (500); the cause is logged, never sent.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<&crate::cloud::CloudError> for ApiError {
    /// A read AWS answered with `e`: a client AWS no longer has is a `409` (the resource's state,
    /// as for one not made yet); retriable classes are a `503`, the rest a `502`.
    fn from(e: &crate::cloud::CloudError) -> Self {
        if e.class == crate::cloud::ErrorClass::NotFound {
            return ApiError::Conflict(format!(
                "the client does not exist in AWS (any more): {}",
                e.message
            ));
        }
        let retry_after_secs = e.class.is_retriable().then_some(1);
        ApiError::Aws {
            detail: format!("AWS answered {}: {}", e.code, e.message),
            retry_after_secs,
        }
    }
}

impl ApiError {
    /// The 404 of a UserPoolClient that does not exist; a namespace the caller may not see
    /// answers with it too, so names do not leak.
    pub fn client_not_found(namespace: &str, name: &str) -> Self {
        ApiError::NotFound(format!(
            "user pool client {namespace}/{name} does not exist"
        ))
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::BadParameter { .. } => StatusCode::BAD_REQUEST,
            ApiError::Invalid(_)
            | ApiError::IdempotencyKeyReused(_)
            | ApiError::ReplacementRejected { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Aws {
                retry_after_secs: Some(_),
                ..
            } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Aws { .. } => StatusCode::BAD_GATEWAY,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn slug(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad-request",
            ApiError::BadParameter { .. } => "invalid-parameter",
            ApiError::Invalid(_) => "validation",
            ApiError::Unauthorized { .. } => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not-found",
            ApiError::Conflict(_) => "conflict",
            ApiError::PreconditionFailed(_) => "precondition-failed",
            ApiError::UnsupportedMediaType(_) => "unsupported-media-type",
            ApiError::PayloadTooLarge(_) => "payload-too-large",
            ApiError::IdempotencyKeyReused(_) => "idempotency-key-reused",
            ApiError::ReplacementRejected { .. } => "replacement-rejected",
            ApiError::TooManyRequests { .. } => "too-many-requests",
            ApiError::Unavailable { .. } => "unavailable",
            ApiError::Aws {
                retry_after_secs: Some(_),
                ..
            } => "aws-unavailable",
            ApiError::Aws { .. } => "aws-error",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The problem document sent for this error.
    pub fn problem(&self) -> Problem {
        let status = self.status();
        let detail = match self {
            ApiError::Internal(_) => "the server could not complete the request".to_owned(),
            other => other.to_string(),
        };
        let errors = match self {
            ApiError::Invalid(errors) | ApiError::ReplacementRejected { errors, .. } => {
                errors.clone()
            }
            ApiError::BadParameter { parameter, message } => vec![Violation {
                pointer: String::new(),
                message: format!("query parameter `{parameter}`: {message}"),
            }],
            _ => Vec::new(),
        };
        problem(status, self.slug(), detail, errors)
    }
}

/// Builds a problem document for `status` of the kind named by `slug`.
pub fn problem(status: StatusCode, slug: &str, detail: String, errors: Vec<Violation>) -> Problem {
    Problem {
        kind: format!("https://ccplane.dev/problems/{slug}"),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail,
        errors,
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(self)).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        response
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            tracing::error!(error = ?cause, "request failed");
        }
        let mut response = self.problem().into_response();
        if let ApiError::Unauthorized { token_given, .. } = &self {
            let challenge = if *token_given {
                r#"Bearer realm="ccplane", error="invalid_token""#
            } else {
                r#"Bearer realm="ccplane""#
            };
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        if let ApiError::TooManyRequests { retry_after_secs }
        | ApiError::Unavailable { retry_after_secs }
        | ApiError::Aws {
            retry_after_secs: Some(retry_after_secs),
            ..
        } = &self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
        }
        response
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::PoolTimedOut => {
                tracing::warn!("no database connection came free in time; answering 503");
                ApiError::Unavailable {
                    retry_after_secs: 1,
                }
            }
            err => ApiError::Internal(err.into()),
        }
    }
}
