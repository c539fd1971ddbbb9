//! Every error Cloud Control can answer, classified once: the handler error codes of a `FAILED`
//! progress event (the CloudFormation resource-type contract, "Handler error codes") and the
//! exceptions of a synchronous answer (the Cloud Control API reference), plus the SDK's own
//! failures (timeouts, lost connections).

use std::sync::LazyLock;

use regex::Regex;

/// Cognito's throttling exception, as the handler's messages name it.
const COGNITO_THROTTLE: &str = "TooManyRequests";

/// How the reconciler should react to an error; what it does with each class, per operation and
/// stage, is `reconcile::reaction::on_error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// Throttled: retry after a backoff; the rate limiter slows down.
    Throttled,
    /// A transient fault (network, timeouts, HTTP 5xx, `ServiceInternalError`, `ResourceConflict`):
    /// retry after a backoff.
    Transient,
    /// Another operation is in progress on the resource (`ConcurrentOperationException`).
    Busy,
    /// The resource does not exist (`ResourceNotFoundException`, handler code `NotFound`).
    NotFound,
    /// The ClientToken is already associated with another request (`ClientTokenConflictException`).
    TokenConflict,
    /// The RequestToken is unknown or expired (Cloud Control keeps requests 7 days).
    RequestTokenNotFound,
    /// Retrying will not help until the desired state changes (the contract's terminal codes).
    Terminal,
}

impl ErrorClass {
    /// Whether the reconciler may try the same thing again on its own.
    pub fn is_retriable(self) -> bool {
        matches!(self, Self::Throttled | Self::Transient | Self::Busy)
    }
}

/// A classified Cloud Control error.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error("{code}: {message}")]
pub struct CloudError {
    /// What to do about it.
    pub class: ErrorClass,
    /// The exception name or HandlerErrorCode, as Cloud Control wrote it.
    pub code: String,
    /// The message, as Cloud Control wrote it.
    pub message: String,
}

impl CloudError {
    /// An error of `class` with Cloud Control's `code` and `message`.
    pub fn new(class: ErrorClass, code: impl Into<String>, message: impl Into<String>) -> Self {
        CloudError {
            class,
            code: code.into(),
            message: message.into(),
        }
    }

    /// An exception answered synchronously with HTTP `status`, classified. A
    /// `GeneralServiceException` carrying Cognito's `TooManyRequestsException` is the handler's
    /// throttle, under the reading that the handler maps it to no code of its own.
    pub fn answered(code: String, message: String, status: u16) -> Self {
        let class = if code.starts_with("GeneralService") && message.contains(COGNITO_THROTTLE) {
            ErrorClass::Throttled
        } else {
            classify_exception(&code, status)
        };
        CloudError::new(class, code, message)
    }

    /// Whether a throttle came from inside the handler (Cognito), not from Cloud Control's own
    /// rate: the handler's answers read "Handler returned status FAILED: …" or name Cognito.
    pub fn in_handler(&self) -> bool {
        [
            "Handler returned",
            "CognitoIdentityProvider",
            COGNITO_THROTTLE,
        ]
        .iter()
        .any(|m| self.message.contains(m))
    }

    /// The RequestToken a `ClientTokenConflictException` names: AWS words it "ClientToken T is
    /// already associated with an existing operation with RequestToken R". Other wordings are
    /// possible, so any UUID after "RequestToken" is accepted; `None` when there is none.
    pub fn conflicting_request_token(&self) -> Option<&str> {
        static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"RequestToken\W{0,3}([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})")
                .expect("a valid pattern")
        });
        if self.class != ErrorClass::TokenConflict {
            return None;
        }
        TOKEN
            .captures(&self.message)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str())
    }
}

/// Handler error codes (`ProgressEvent.ErrorCode` of a `FAILED` request), as the resource-type
/// contract types them. Any code not listed is terminal: the contract makes every unknown failure
/// the handler's own (`GeneralServiceException` for a downstream error it does not map).
const HANDLER_CODES: &[(&str, ErrorClass)] = &[
    ("Throttling", ErrorClass::Throttled),
    ("NetworkFailure", ErrorClass::Transient),
    ("ServiceInternalError", ErrorClass::Transient),
    ("ServiceTimeout", ErrorClass::Transient),
    ("ResourceConflict", ErrorClass::Transient),
    ("NotFound", ErrorClass::NotFound),
    // Terminal, listed for the reader: GeneralServiceException, InternalFailure, NotStabilized,
    // InvalidRequest, InvalidCredentials, AccessDenied, AlreadyExists, NotUpdatable,
    // ServiceLimitExceeded, HandlerInternalFailure, UnsupportedTarget, UnauthorizedTaggingOperation.
];

/// Exceptions of a synchronous answer (their names without the `Exception` suffix). A name not
/// listed is terminal when the status is 4xx and transient when it is 5xx.
const EXCEPTIONS: &[(&str, ErrorClass)] = &[
    ("Throttling", ErrorClass::Throttled),
    ("RequestLimitExceeded", ErrorClass::Throttled),
    ("TooManyRequests", ErrorClass::Throttled),
    ("NetworkFailure", ErrorClass::Transient),
    ("ServiceInternalError", ErrorClass::Transient),
    ("ResourceConflict", ErrorClass::Transient),
    ("ConcurrentModification", ErrorClass::Transient),
    ("HandlerFailure", ErrorClass::Transient),
    ("ServiceUnavailable", ErrorClass::Transient),
    ("ConcurrentOperation", ErrorClass::Busy),
    ("ResourceNotFound", ErrorClass::NotFound),
    ("ClientTokenConflict", ErrorClass::TokenConflict),
    ("RequestTokenNotFound", ErrorClass::RequestTokenNotFound),
];

/// Classifies the `ErrorCode` of a `FAILED` progress event.
pub fn classify_handler_code(code: &str) -> ErrorClass {
    lookup(HANDLER_CODES, code).unwrap_or(ErrorClass::Terminal)
}

/// Classifies an exception answered synchronously with HTTP `status`.
fn classify_exception(code: &str, status: u16) -> ErrorClass {
    let stem = code.strip_suffix("Exception").unwrap_or(code);
    match lookup(EXCEPTIONS, stem) {
        Some(class) => class,
        // A service fault whatever its name (Coral's `InternalFailure` is HTTP 500).
        None if status >= 500 => ErrorClass::Transient,
        None => ErrorClass::Terminal,
    }
}

fn lookup(table: &[(&str, ErrorClass)], code: &str) -> Option<ErrorClass> {
    table
        .iter()
        .find(|(name, _)| *name == code)
        .map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handler_codes_follow_the_resource_type_contract() {
        for code in ["NetworkFailure", "ServiceInternalError", "ResourceConflict"] {
            assert_eq!(classify_handler_code(code), ErrorClass::Transient, "{code}");
        }
        assert_eq!(classify_handler_code("Throttling"), ErrorClass::Throttled);
        assert_eq!(classify_handler_code("NotFound"), ErrorClass::NotFound);
        for code in [
            "GeneralServiceException",
            "InternalFailure",
            "NotStabilized",
            "InvalidRequest",
            "NotUpdatable",
            "AlreadyExists",
            "AccessDenied",
            "InvalidCredentials",
            "ServiceLimitExceeded",
            "HandlerInternalFailure",
            "SomethingNew",
        ] {
            assert_eq!(classify_handler_code(code), ErrorClass::Terminal, "{code}");
        }
    }

    #[test]
    fn exceptions_are_classified_by_name_then_by_status() {
        assert_eq!(
            classify_exception("ThrottlingException", 400),
            ErrorClass::Throttled
        );
        assert_eq!(
            classify_exception("ConcurrentOperationException", 400),
            ErrorClass::Busy
        );
        assert_eq!(
            classify_exception("ResourceNotFoundException", 400),
            ErrorClass::NotFound
        );
        assert_eq!(
            classify_exception("ClientTokenConflictException", 400),
            ErrorClass::TokenConflict
        );
        assert_eq!(
            classify_exception("InternalFailure", 500),
            ErrorClass::Transient
        );
        assert_eq!(
            classify_exception("ValidationException", 400),
            ErrorClass::Terminal
        );
        assert_eq!(
            classify_exception("AccessDeniedException", 400),
            ErrorClass::Terminal
        );
        assert_eq!(
            classify_exception("NotUpdatableException", 400),
            ErrorClass::Terminal
        );
    }

    #[test]
    fn a_client_token_conflict_names_the_request_holding_the_token() {
        let token = "5d8f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
        let e = CloudError::new(
            ErrorClass::TokenConflict,
            "ClientTokenConflictException",
            format!(
                "ClientToken ccplane-x is already associated with an existing operation with RequestToken {token}"
            ),
        );
        assert_eq!(e.conflicting_request_token(), Some(token));
        let bracketed = CloudError {
            message: format!("... RequestToken [{token}]"),
            ..e.clone()
        };
        assert_eq!(bracketed.conflicting_request_token(), Some(token));
        let silent = CloudError {
            message: "ClientToken ccplane-x was used with different parameters".into(),
            ..e
        };
        assert_eq!(silent.conflicting_request_token(), None);
    }
}
