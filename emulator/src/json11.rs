//! The AWS JSON 1.1 services beside Cloud Control on the same port, cognito-idp's client-secret
//! operations and Secrets Manager: their operations, their error answers, and the pipeline every
//! call goes through (caller, faults, the operation, the answer, the stats).
//!
//! Both are `"protocol": "json"`, `"jsonVersion": "1.1"` in botocore (`cognito-idp` 2016-04-18,
//! `targetPrefix` `AWSCognitoIdentityProviderService`; `secretsmanager` 2017-10-17, `targetPrefix`
//! `secretsmanager`). Errors are `{"__type": "<Name>", "<message>": ...}`: cognito-idp's error
//! shapes name the member `message`, Secrets Manager's `Message` (the models' error structures).

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{
    control::Shared,
    faults::{ApiCallPlan, Effect, SyncFault},
    idp, secretsmanager,
    server::Conn,
    stats::Outcome,
    wire::{Caller, ErrorKind},
};

/// The media type of both services' bodies.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// The two services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// Amazon Cognito user pools (`cognito-idp`).
    CognitoIdp,
    /// AWS Secrets Manager.
    SecretsManager,
}

impl Service {
    /// The service an `X-Amz-Target` belongs to, whether the emulator serves its operation or not.
    pub fn of_target(target: &str) -> Option<Self> {
        [Self::CognitoIdp, Self::SecretsManager]
            .into_iter()
            .find(|s| target.starts_with(s.target_prefix()))
    }

    fn target_prefix(self) -> &'static str {
        match self {
            Self::CognitoIdp => "AWSCognitoIdentityProviderService.",
            Self::SecretsManager => "secretsmanager.",
        }
    }

    /// The member an error's text is in.
    fn message_member(self) -> &'static str {
        match self {
            Self::CognitoIdp => "message",
            Self::SecretsManager => "Message",
        }
    }

    /// The service's own fault: cognito-idp's `InternalServerException` (the error the client-secret
    /// operations declare; HTTP 500 in their API reference pages), Secrets Manager's
    /// `InternalServiceError` ("An error occurred on the server side").
    pub fn internal_error(self) -> &'static str {
        match self {
            Self::CognitoIdp => "InternalServerException",
            Self::SecretsManager => "InternalServiceError",
        }
    }
}

/// The operations of both services the emulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApiOperation {
    /// cognito-idp `AddUserPoolClientSecret`.
    AddUserPoolClientSecret,
    /// cognito-idp `ListUserPoolClientSecrets`.
    ListUserPoolClientSecrets,
    /// cognito-idp `DeleteUserPoolClientSecret`.
    DeleteUserPoolClientSecret,
    /// Secrets Manager `CreateSecret`.
    CreateSecret,
    /// Secrets Manager `PutSecretValue`.
    PutSecretValue,
    /// Secrets Manager `GetSecretValue`.
    GetSecretValue,
    /// Secrets Manager `DescribeSecret`.
    DescribeSecret,
    /// Secrets Manager `UpdateSecretVersionStage`.
    UpdateSecretVersionStage,
}

impl ApiOperation {
    /// Every operation.
    pub const ALL: [ApiOperation; 8] = [
        Self::AddUserPoolClientSecret,
        Self::ListUserPoolClientSecrets,
        Self::DeleteUserPoolClientSecret,
        Self::CreateSecret,
        Self::PutSecretValue,
        Self::GetSecretValue,
        Self::DescribeSecret,
        Self::UpdateSecretVersionStage,
    ];

    /// The operation's name, as after the target prefix and in the stats.
    pub fn name(self) -> &'static str {
        match self {
            Self::AddUserPoolClientSecret => "AddUserPoolClientSecret",
            Self::ListUserPoolClientSecrets => "ListUserPoolClientSecrets",
            Self::DeleteUserPoolClientSecret => "DeleteUserPoolClientSecret",
            Self::CreateSecret => "CreateSecret",
            Self::PutSecretValue => "PutSecretValue",
            Self::GetSecretValue => "GetSecretValue",
            Self::DescribeSecret => "DescribeSecret",
            Self::UpdateSecretVersionStage => "UpdateSecretVersionStage",
        }
    }

    /// The operation called `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.name() == name)
    }

    /// The service it belongs to.
    pub fn service(self) -> Service {
        match self {
            Self::AddUserPoolClientSecret
            | Self::ListUserPoolClientSecrets
            | Self::DeleteUserPoolClientSecret => Service::CognitoIdp,
            _ => Service::SecretsManager,
        }
    }

    /// The operation an `X-Amz-Target` names, if it is one of these.
    pub fn from_target(target: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| {
            target
                .strip_prefix(op.service().target_prefix())
                .is_some_and(|name| name == op.name())
        })
    }

    /// Whether the operation changes anything (a lost answer then loses a done change).
    pub fn mutates(self) -> bool {
        !matches!(
            self,
            Self::ListUserPoolClientSecrets | Self::GetSecretValue | Self::DescribeSecret
        )
    }

    /// The errors the operation declares in its service model (botocore), which a scripted failure
    /// may answer with.
    pub fn declared_errors(self) -> &'static [&'static str] {
        match self {
            Self::AddUserPoolClientSecret => &[
                "InvalidParameterException",
                "InternalServerException",
                "TooManyRequestsException",
                "LimitExceededException",
                "AccessDeniedException",
                "ResourceNotFoundException",
            ],
            Self::ListUserPoolClientSecrets | Self::DeleteUserPoolClientSecret => &[
                "InvalidParameterException",
                "InternalServerException",
                "TooManyRequestsException",
                "LimitExceededException",
                "ResourceNotFoundException",
            ],
            Self::CreateSecret => &[
                "InvalidParameterException",
                "InvalidRequestException",
                "LimitExceededException",
                "EncryptionFailure",
                "ResourceExistsException",
                "ResourceNotFoundException",
                "MalformedPolicyDocumentException",
                "InternalServiceError",
                "PreconditionNotMetException",
                "DecryptionFailure",
            ],
            Self::PutSecretValue => &[
                "InvalidParameterException",
                "InvalidRequestException",
                "LimitExceededException",
                "EncryptionFailure",
                "ResourceExistsException",
                "ResourceNotFoundException",
                "InternalServiceError",
                "DecryptionFailure",
            ],
            Self::GetSecretValue => &[
                "ResourceNotFoundException",
                "InvalidParameterException",
                "InvalidRequestException",
                "DecryptionFailure",
                "InternalServiceError",
            ],
            Self::DescribeSecret => &[
                "ResourceNotFoundException",
                "InternalServiceError",
                "InvalidParameterException",
            ],
            Self::UpdateSecretVersionStage => &[
                "ResourceNotFoundException",
                "InvalidParameterException",
                "InvalidRequestException",
                "LimitExceededException",
                "InternalServiceError",
            ],
        }
    }

    /// The declared error called `code`, as the static name the stats count it under.
    pub fn declared_error(self, code: &str) -> Option<&'static str> {
        self.declared_errors().iter().copied().find(|c| *c == code)
    }
}

/// An error answer of one of the two services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    service: Service,
    /// The `__type`.
    pub code: &'static str,
    /// The text.
    pub message: String,
    /// cognito-idp's `InvalidParameterException.reasonCode`, when there is one.
    reason_code: Option<&'static str>,
}

impl ServiceError {
    /// An error `code` of `service` with `message`.
    pub fn new(service: Service, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            service,
            code,
            message: message.into(),
            reason_code: None,
        }
    }

    /// A Coral error (authentication, a body that is not JSON), written as Coral writes it for every
    /// JSON service.
    pub fn coral(service: Service, kind: ErrorKind, message: impl Into<String>) -> Self {
        Self::new(service, kind.type_name(), message)
    }

    /// The same error with a `reasonCode`.
    pub fn with_reason(mut self, reason_code: &'static str) -> Self {
        self.reason_code = Some(reason_code);
        self
    }

    /// The code after any Coral namespace, as SDKs report it and the stats count it.
    pub fn short_code(&self) -> &'static str {
        let t = self.code;
        &t[t.find('#').map_or(0, |i| i + 1)..]
    }

    /// 500 for the services' own faults, 403 for a missing signature, 400 for every other error
    /// (the API reference pages give 400 for each client error of these operations).
    pub fn status(&self) -> StatusCode {
        match self.short_code() {
            "InternalServerException" | "InternalServiceError" | "InternalFailure" => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            "MissingAuthenticationTokenException" => StatusCode::FORBIDDEN,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

impl IntoResponse for ServiceError {
    fn into_response(self) -> Response {
        let mut body = json!({ "__type": self.code });
        body[self.service.message_member()] = json!(self.message);
        if let Some(reason) = self.reason_code {
            body["reasonCode"] = json!(reason);
        }
        json11_response(self.status(), body.to_string())
    }
}

/// A response with the headers both services put on every answer.
pub fn json11_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    if let Ok(id) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        headers.insert("x-amzn-requestid", id);
    }
    response
}

/// One call of one of these operations: the emulator and who is calling.
pub(crate) struct ApiCall<'a> {
    pub shared: &'a Shared,
    pub caller: &'a Caller,
}

/// A body parsed as the operation's input, or Coral's `SerializationException`.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(
    service: Service,
    body: &[u8],
) -> Result<T, ServiceError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| {
        ServiceError::coral(
            service,
            ErrorKind::Serialization,
            format!("Could not parse the request body: {e}"),
        )
    })
}

/// Answers a target of one of the services whose operation the emulator does not serve, as Coral
/// answers an unknown operation.
pub(crate) fn unknown(shared: &Shared, service: Service, target: &str) -> Response {
    shared.record("Unknown", Outcome::Refused("UnknownOperationException"));
    let message = format!("Unknown operation {target}");
    ServiceError::coral(service, ErrorKind::UnknownOperation, message).into_response()
}

/// Answers one call of `op`: the caller first, then the fault plan, then the operation.
pub(crate) async fn answer(
    shared: &Shared,
    conn: &Conn,
    headers: &HeaderMap,
    body: &[u8],
    op: ApiOperation,
) -> Response {
    let service = op.service();
    let caller = match identify(shared, headers, service) {
        Ok(caller) => caller,
        Err(err) => return refuse(shared, op, err),
    };
    let plan = shared.plan_api_call(op);
    if !plan.delay.is_zero() {
        tokio::time::sleep(plan.delay).await;
    }
    match plan.network {
        Some(SyncFault::Drop) => {
            conn.kill();
            shared.record(op.name(), Outcome::Dropped);
            return internal(service, "dropped").into_response();
        }
        Some(_) => return refuse(shared, op, internal(service, "Internal Server Error")),
        None => {}
    }
    if let Some(err) = plan.failure_before() {
        return refuse(shared, op, err);
    }
    let call = ApiCall {
        shared,
        caller: &caller,
    };
    let result = dispatch(&call, op, body);
    finish(shared, conn, op, &plan, result)
}

/// Replaces, drops or sends the operation's answer as the plan says.
fn finish(
    shared: &Shared,
    conn: &Conn,
    op: ApiOperation,
    plan: &ApiCallPlan,
    result: Result<Value, ServiceError>,
) -> Response {
    if plan.loses_answer() {
        // The operation ran (its change, if any, is done); the caller never learns how it went.
        conn.kill();
        shared.record(op.name(), Outcome::AnswerLost);
        tracing::debug!(op = op.name(), "losing the answer on purpose");
        return internal(op.service(), "answer lost").into_response();
    }
    if let Some(err) = plan.failure_after(op) {
        return refuse(shared, op, err);
    }
    match result {
        Ok(value) => {
            shared.record(op.name(), Outcome::Success);
            json11_response(StatusCode::OK, value.to_string())
        }
        Err(err) => refuse(shared, op, err),
    }
}

fn dispatch(call: &ApiCall<'_>, op: ApiOperation, body: &[u8]) -> Result<Value, ServiceError> {
    match op.service() {
        Service::CognitoIdp => idp::dispatch(call, op, body),
        Service::SecretsManager => secretsmanager::dispatch(call, op, body),
    }
}

fn refuse(shared: &Shared, op: ApiOperation, err: ServiceError) -> Response {
    tracing::debug!(op = op.name(), error = err.code, message = %err.message, "answering an error");
    shared.record(op.name(), Outcome::Refused(err.short_code()));
    err.into_response()
}

fn internal(service: Service, message: &str) -> ServiceError {
    ServiceError::new(service, service.internal_error(), message)
}

/// The caller named by the signature; expired issued credentials are refused as Coral refuses them.
fn identify(
    shared: &Shared,
    headers: &HeaderMap,
    service: Service,
) -> Result<Caller, ServiceError> {
    match Caller::signed(headers) {
        Ok((caller, access_key_id)) if !shared.is_expired(access_key_id) => Ok(caller),
        Ok(_) => Err(ServiceError::coral(
            service,
            ErrorKind::ExpiredToken,
            "The security token included in the request is expired",
        )),
        Err(err) => Err(ServiceError::coral(service, err.kind, err.message)),
    }
}

impl ApiCallPlan {
    /// The scripted failure that answers before the operation runs: nothing is done.
    fn failure_before(&self) -> Option<ServiceError> {
        match &self.scripted {
            Some(Effect::Fail {
                error_code,
                message,
                after_work: false,
            }) => Some(scripted_error(self.op, error_code, message.as_deref())),
            _ => None,
        }
    }

    /// The scripted failure that replaces the answer of an operation that ran.
    fn failure_after(&self, op: ApiOperation) -> Option<ServiceError> {
        match &self.scripted {
            Some(Effect::Fail {
                error_code,
                message,
                after_work: true,
            }) => Some(scripted_error(op, error_code, message.as_deref())),
            _ => None,
        }
    }

    fn loses_answer(&self) -> bool {
        self.lose_answer || matches!(self.scripted, Some(Effect::LoseAnswer))
    }
}

/// A scripted failure's error (its code was checked against the operation's when scripted).
fn scripted_error(op: ApiOperation, code: &str, message: Option<&str>) -> ServiceError {
    let service = op.service();
    let code = op.declared_error(code).unwrap_or(service.internal_error());
    let message = message.unwrap_or(match code {
        "TooManyRequestsException" => "Rate exceeded",
        _ if code == service.internal_error() => "Internal server error",
        _ => "Scripted failure",
    });
    ServiceError::new(service, code, message)
}

/// Input-constraint failures of one request, collected and worded as Coral words them.
#[derive(Debug, Default)]
pub(crate) struct Constraints(Vec<String>);

/// A pattern as the service model writes it, and the check that implements it.
pub(crate) type Pattern = (&'static str, fn(&str) -> bool);

/// A string member's constraints from the service model: length bounds, a pattern (as the model
/// writes it, and the check that implements it), and whether it is sensitive (never echoed).
#[derive(Clone, Copy)]
pub(crate) struct Text {
    pub min: usize,
    pub max: usize,
    pub pattern: Option<Pattern>,
    pub sensitive: bool,
}

impl Text {
    /// A plain string of `min..=max` characters.
    pub const fn len(min: usize, max: usize) -> Self {
        Self {
            min,
            max,
            pattern: None,
            sensitive: false,
        }
    }
}

impl Constraints {
    /// A required member that is missing.
    pub fn required<T: ?Sized>(&mut self, value: Option<&T>, member: &str) {
        if value.is_none() {
            self.0.push(crate::coral::failure(
                crate::coral::Shown::Null,
                member,
                "Member must not be null",
            ));
        }
    }

    /// Length and pattern of a string member, when present.
    pub fn text(&mut self, value: Option<&str>, member: &str, spec: Text) {
        let Some(v) = value else { return };
        let shown = if spec.sensitive {
            crate::coral::Shown::Hidden
        } else {
            crate::coral::Shown::Value(v)
        };
        let len = v.chars().count();
        let mut failed = Vec::new();
        if len > spec.max {
            failed.push(format!(
                "Member must have length less than or equal to {}",
                spec.max
            ));
        }
        if len < spec.min {
            failed.push(format!(
                "Member must have length greater than or equal to {}",
                spec.min
            ));
        }
        if let Some((source, matches)) = spec.pattern
            && !matches(v)
        {
            failed.push(format!(
                "Member must satisfy regular expression pattern: {source}"
            ));
        }
        for constraint in failed {
            self.0
                .push(crate::coral::failure(shown, member, &constraint));
        }
    }

    /// The size of a list or blob member (its items or bytes), when present.
    pub fn count(&mut self, n: Option<usize>, member: &str, min: usize, max: usize) {
        let Some(n) = n else { return };
        let constraint = if n > max {
            format!("Member must have length less than or equal to {max}")
        } else if n < min {
            format!("Member must have length greater than or equal to {min}")
        } else {
            return;
        };
        self.0.push(crate::coral::failure(
            crate::coral::Shown::Hidden,
            member,
            &constraint,
        ));
    }

    /// The failures as one error `code` of `service`, if any.
    pub fn done(self, service: Service, code: &'static str) -> Result<(), ServiceError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ServiceError::new(
                service,
                code,
                crate::coral::summary(&self.0),
            ))
        }
    }
}
