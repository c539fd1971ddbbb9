//! The AWS JSON 1.0 wire format: operation names, errors as AWS writes them, caller identity.

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::json;

/// The media type of every request and response body.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.0";

/// The prefix of `X-Amz-Target` (botocore's `targetPrefix`).
pub const TARGET_PREFIX: &str = "CloudApiService.";

/// The account of credentials whose access key id does not end in twelve digits.
pub const DEFAULT_ACCOUNT: &str = "123456789012";

/// The eight Cloud Control operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Operation {
    /// `CreateResource`.
    CreateResource,
    /// `UpdateResource`.
    UpdateResource,
    /// `DeleteResource`.
    DeleteResource,
    /// `GetResource`.
    GetResource,
    /// `ListResources`.
    ListResources,
    /// `GetResourceRequestStatus`.
    GetResourceRequestStatus,
    /// `ListResourceRequests`.
    ListResourceRequests,
    /// `CancelResourceRequest`.
    CancelResourceRequest,
}

impl Operation {
    /// Every operation, in the order above.
    pub const ALL: [Operation; 8] = [
        Self::CreateResource,
        Self::UpdateResource,
        Self::DeleteResource,
        Self::GetResource,
        Self::ListResources,
        Self::GetResourceRequestStatus,
        Self::ListResourceRequests,
        Self::CancelResourceRequest,
    ];

    /// The operation's name as it appears after `CloudApiService.`.
    pub fn name(self) -> &'static str {
        match self {
            Self::CreateResource => "CreateResource",
            Self::UpdateResource => "UpdateResource",
            Self::DeleteResource => "DeleteResource",
            Self::GetResource => "GetResource",
            Self::ListResources => "ListResources",
            Self::GetResourceRequestStatus => "GetResourceRequestStatus",
            Self::ListResourceRequests => "ListResourceRequests",
            Self::CancelResourceRequest => "CancelResourceRequest",
        }
    }

    /// The operation named by an `X-Amz-Target` header value.
    pub fn from_target(target: &str) -> Option<Self> {
        let name = target.strip_prefix(TARGET_PREFIX)?;
        Self::ALL.into_iter().find(|op| op.name() == name)
    }
}

/// Every error the emulator answers with; each maps to AWS's `__type` and HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// `AlreadyExistsException`.
    AlreadyExists,
    /// `ClientTokenConflictException`: a ClientToken reused with other parameters.
    ClientTokenConflict,
    /// `ConcurrentModificationException`.
    ConcurrentModification,
    /// `ConcurrentOperationException`: another operation is in progress on the resource.
    ConcurrentOperation,
    /// `GeneralServiceException`.
    GeneralService,
    /// `HandlerInternalFailureException`.
    HandlerInternalFailure,
    /// `InvalidRequestException`.
    InvalidRequest,
    /// `NotUpdatableException`: a patch touches a create-only property.
    NotUpdatable,
    /// `RequestTokenNotFoundException`.
    RequestTokenNotFound,
    /// `ResourceNotFoundException`.
    ResourceNotFound,
    /// `TypeNotFoundException`.
    TypeNotFound,
    /// `UnsupportedActionException`.
    UnsupportedAction,
    /// Coral's `ThrottlingException` (Cloud Control's own request rate).
    Throttling,
    /// Cloud Control's `ThrottlingException`: a handler reported `Throttling` (a service it calls,
    /// e.g. Cognito, throttled it).
    HandlerThrottling,
    /// Coral's `ValidationException` (input constraints, schema violations).
    Validation,
    /// Coral's `InternalFailure` (HTTP 500).
    InternalFailure,
    /// Coral's `SerializationException` (a body that is not the expected JSON).
    Serialization,
    /// Coral's `UnknownOperationException`.
    UnknownOperation,
    /// Coral's `MissingAuthenticationTokenException`.
    MissingAuthenticationToken,
    /// Coral's `IncompleteSignatureException`.
    IncompleteSignature,
    /// Coral's `ExpiredTokenException`: signed with temporary credentials past their expiration.
    ExpiredToken,
}

impl ErrorKind {
    /// The namespaced `__type`, exactly as AWS writes it.
    pub fn type_name(self) -> &'static str {
        match self {
            Self::AlreadyExists => "com.amazon.cloudapiservice#AlreadyExistsException",
            Self::ClientTokenConflict => "com.amazon.cloudapiservice#ClientTokenConflictException",
            Self::ConcurrentModification => {
                "com.amazon.cloudapiservice#ConcurrentModificationException"
            }
            Self::ConcurrentOperation => "com.amazon.cloudapiservice#ConcurrentOperationException",
            Self::GeneralService => "com.amazon.cloudapiservice#GeneralServiceException",
            Self::HandlerInternalFailure => {
                "com.amazon.cloudapiservice#HandlerInternalFailureException"
            }
            Self::InvalidRequest => "com.amazon.cloudapiservice#InvalidRequestException",
            Self::NotUpdatable => "com.amazon.cloudapiservice#NotUpdatableException",
            Self::RequestTokenNotFound => {
                "com.amazon.cloudapiservice#RequestTokenNotFoundException"
            }
            Self::ResourceNotFound => "com.amazon.cloudapiservice#ResourceNotFoundException",
            Self::TypeNotFound => "com.amazon.cloudapiservice#TypeNotFoundException",
            Self::UnsupportedAction => "com.amazon.cloudapiservice#UnsupportedActionException",
            Self::Throttling => "com.amazon.coral.availability#ThrottlingException",
            Self::HandlerThrottling => "com.amazon.cloudapiservice#ThrottlingException",
            Self::Validation => "com.amazon.coral.validate#ValidationException",
            Self::InternalFailure => "com.amazon.coral.service#InternalFailure",
            Self::Serialization => "com.amazon.coral.service#SerializationException",
            Self::UnknownOperation => "com.amazon.coral.service#UnknownOperationException",
            Self::MissingAuthenticationToken => {
                "com.amazon.coral.service#MissingAuthenticationTokenException"
            }
            Self::IncompleteSignature => "com.amazon.coral.service#IncompleteSignatureException",
            Self::ExpiredToken => "com.amazon.coral.service#ExpiredTokenException",
        }
    }

    /// The name after the `#`, as SDKs report it.
    pub fn code(self) -> &'static str {
        let t = self.type_name();
        &t[t.find('#').map_or(0, |i| i + 1)..]
    }

    /// The HTTP status. AWS answers every client error of this JSON 1.0 service with 400, whatever
    /// the Smithy model's `httpError` says (409 for ClientTokenConflict, 404 for ResourceNotFound):
    /// LocalStack's AWS-validated snapshots (`tests/aws/services/cloudcontrol/`) record 400 for
    /// ResourceNotFound, RequestTokenNotFound, TypeNotFound, ClientTokenConflict, NotUpdatable and
    /// ValidationException. 5xx are for service faults only.
    pub fn status(self) -> StatusCode {
        match self {
            Self::HandlerInternalFailure => StatusCode::BAD_GATEWAY,
            Self::ConcurrentModification | Self::InternalFailure => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            Self::MissingAuthenticationToken => StatusCode::FORBIDDEN,
            Self::AlreadyExists
            | Self::ClientTokenConflict
            | Self::ConcurrentOperation
            | Self::GeneralService
            | Self::InvalidRequest
            | Self::NotUpdatable
            | Self::RequestTokenNotFound
            | Self::ResourceNotFound
            | Self::TypeNotFound
            | Self::UnsupportedAction
            | Self::Throttling
            | Self::HandlerThrottling
            | Self::Validation
            | Self::Serialization
            | Self::UnknownOperation
            | Self::IncompleteSignature
            | Self::ExpiredToken => StatusCode::BAD_REQUEST,
        }
    }
}

/// An error answer: what kind, and the message a caller reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// Which error.
    pub kind: ErrorKind,
    /// The `Message` member.
    pub message: String,
}

impl ApiError {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// A Coral `ValidationException` listing constraint failures the way Coral words them.
    pub fn validation(failures: &[String]) -> Self {
        Self::new(ErrorKind::Validation, crate::coral::summary(failures))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({ "__type": self.kind.type_name(), "Message": self.message });
        json_response(self.kind.status(), body.to_string())
    }
}

/// A response with the headers AWS puts on every awsJson1_0 answer.
pub fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    if let Ok(id) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        headers.insert("x-amzn-requestid", id);
    }
    response
}

/// The account and region a request is made in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Caller {
    /// Twelve-digit account id.
    pub account: String,
    /// Region from the SigV4 credential scope.
    pub region: String,
}

impl Caller {
    /// The caller named by the SigV4 `Authorization` header (signatures are not checked).
    pub fn from_headers(headers: &HeaderMap) -> Result<Self, ApiError> {
        Self::signed(headers).map(|(caller, _)| caller)
    }

    /// The caller and the access key id it signed with.
    pub fn signed(headers: &HeaderMap) -> Result<(Self, &str), ApiError> {
        let Some(auth) = headers.get(header::AUTHORIZATION) else {
            return Err(ApiError::new(
                ErrorKind::MissingAuthenticationToken,
                "Request is missing Authentication Token",
            ));
        };
        let auth = auth.to_str().unwrap_or_default();
        let incomplete = || {
            ApiError::new(
                ErrorKind::IncompleteSignature,
                format!(
                    "Authorization header requires 'Credential' parameter. Authorization={auth}"
                ),
            )
        };
        let (akid, region) = credential_scope(auth).ok_or_else(incomplete)?;
        let caller = Self {
            account: account_of(akid),
            region: region.to_owned(),
        };
        Ok((caller, akid))
    }
}

/// The access key id a request is signed with, from its SigV4 `Authorization` header.
pub fn access_key_id(headers: &HeaderMap) -> Option<&str> {
    let auth = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    credential_scope(auth).map(|(akid, _)| akid)
}

/// The access key id and region of `Credential=AKID/20240101/us-east-1/service/aws4_request`.
fn credential_scope(auth: &str) -> Option<(&str, &str)> {
    let scope = auth
        .split([' ', ','])
        .find_map(|part| part.trim().strip_prefix("Credential="))?;
    let mut parts = scope.split('/');
    let (Some(akid), Some(_date), Some(region)) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    (!region.is_empty()).then_some((akid, region))
}

/// The account an access key id stands for: its last twelve characters when they are digits.
pub fn account_of(access_key_id: &str) -> String {
    let tail = access_key_id
        .len()
        .checked_sub(12)
        .map(|i| &access_key_id[i..]);
    match tail {
        Some(t) if t.bytes().all(|b| b.is_ascii_digit()) => t.to_owned(),
        _ => DEFAULT_ACCOUNT.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caller_comes_from_the_credential_scope() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static(
                "AWS4-HMAC-SHA256 Credential=AKIA111122223333/20240101/eu-west-1/cloudcontrolapi/aws4_request, SignedHeaders=host, Signature=abc",
            ),
        );
        let caller = Caller::from_headers(&headers).unwrap();
        assert_eq!(caller.account, "111122223333");
        assert_eq!(caller.region, "eu-west-1");
        assert_eq!(account_of("AKIDEXAMPLE"), DEFAULT_ACCOUNT);
    }

    #[test]
    fn codes_drop_the_namespace() {
        assert_eq!(ErrorKind::Throttling.code(), "ThrottlingException");
        assert_eq!(
            Operation::from_target("CloudApiService.GetResource"),
            Some(Operation::GetResource)
        );
    }
}
