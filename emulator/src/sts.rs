//! AWS STS on the emulator's own port: `AssumeRole` and `GetCallerIdentity` in the AWS Query
//! protocol (a form-encoded `POST /`), answered in STS's XML (botocore `sts` 2011-06-15 model:
//! `protocol: query`, `xmlNamespace: https://sts.amazonaws.com/doc/2011-06-15/`, results wrapped
//! in `<Op>Result`; sample answers from the STS API reference pages of both operations).

use std::collections::HashMap;

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::{
    accounts::{AssumeRequest, Identity, Refusal, RoleArn, Session, external_id_is_valid},
    control::Shared,
    coral::{Shown, failure, summary},
    stats::Outcome,
    wire,
};

/// STS's XML namespace.
const XMLNS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

/// Whether a `POST /` is an AWS Query call (STS) rather than awsJson1_0 (Cloud Control): SDKs and
/// the CLI send Query bodies as `application/x-www-form-urlencoded` and no `X-Amz-Target`.
pub(crate) fn is_query_request(headers: &HeaderMap) -> bool {
    !headers.contains_key("x-amz-target")
        && headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// The STS error codes the emulator answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StsCode {
    /// The trust refuses the caller: HTTP 403.
    AccessDenied,
    /// An input constraint or the session length: HTTP 400.
    ValidationError,
    /// The request was signed with expired credentials: HTTP 400 (the model's
    /// `ExpiredTokenException` has `httpStatusCode: 400`; the wire code is `ExpiredToken`, as the
    /// CLI reports it: "An error occurred (ExpiredToken) ... The security token included in the
    /// request is expired").
    ExpiredToken,
    /// An Action the emulator does not serve: HTTP 400.
    InvalidAction,
    /// No SigV4 Authorization header: HTTP 403.
    MissingAuthenticationToken,
}

impl StsCode {
    fn name(self) -> &'static str {
        match self {
            Self::AccessDenied => "AccessDenied",
            Self::ValidationError => "ValidationError",
            Self::ExpiredToken => "ExpiredToken",
            Self::InvalidAction => "InvalidAction",
            Self::MissingAuthenticationToken => "MissingAuthenticationToken",
        }
    }

    fn status(self) -> StatusCode {
        match self {
            Self::AccessDenied | Self::MissingAuthenticationToken => StatusCode::FORBIDDEN,
            Self::ValidationError | Self::ExpiredToken | Self::InvalidAction => {
                StatusCode::BAD_REQUEST
            }
        }
    }
}

/// An STS error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StsError {
    code: StsCode,
    message: String,
}

impl StsError {
    fn new(code: StsCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    fn expired() -> Self {
        Self::new(
            StsCode::ExpiredToken,
            "The security token included in the request is expired",
        )
    }

    /// `ErrorResponse/Error {Type, Code, Message}` and `RequestId`, as STS writes errors.
    fn into_response(self) -> Response {
        let request_id = uuid::Uuid::new_v4().to_string();
        let body = format!(
            "<ErrorResponse xmlns=\"{XMLNS}\">\n  <Error>\n    <Type>Sender</Type>\n    <Code>{}</Code>\n    <Message>{}</Message>\n  </Error>\n  <RequestId>{request_id}</RequestId>\n</ErrorResponse>\n",
            self.code.name(),
            escape(&self.message),
        );
        xml_response(self.code.status(), body, &request_id)
    }
}

/// The Actions the emulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    AssumeRole,
    GetCallerIdentity,
    /// Any other Action, answered `InvalidAction`.
    Other,
}

impl Action {
    fn parse(name: &str) -> Self {
        match name {
            "AssumeRole" => Self::AssumeRole,
            "GetCallerIdentity" => Self::GetCallerIdentity,
            _ => Self::Other,
        }
    }

    /// The name calls are counted under in the stats.
    fn name(self) -> &'static str {
        match self {
            Self::AssumeRole => "AssumeRole",
            Self::GetCallerIdentity => "GetCallerIdentity",
            Self::Other => "Unknown",
        }
    }
}

/// Answers one STS call.
pub(crate) fn answer(shared: &Shared, headers: &HeaderMap, body: &[u8]) -> Response {
    let params: HashMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
    let named = params.get("Action").map(String::as_str).unwrap_or_default();
    let action = Action::parse(named);
    let result = identify(shared, headers).and_then(|caller| match action {
        Action::AssumeRole => assume_role(shared, &caller, &params),
        Action::GetCallerIdentity => Ok(caller_identity(&caller)),
        Action::Other => Err(StsError::new(
            StsCode::InvalidAction,
            format!("Could not find operation {named} for version 2011-06-15"),
        )),
    });
    if action == Action::AssumeRole {
        let role_arn = params
            .get("RoleArn")
            .map(String::as_str)
            .unwrap_or_default();
        let outcome = result
            .as_ref()
            .map_or_else(|e| e.code.name(), |_| "Success");
        shared.accounts().record_assume_role(role_arn, outcome);
    }
    let op = action.name();
    match result {
        Ok((body, request_id)) => {
            shared.record(op, Outcome::Success);
            xml_response(StatusCode::OK, body, &request_id)
        }
        Err(err) => {
            tracing::debug!(op, error = err.code.name(), message = %err.message, "answering an STS error");
            shared.record(op, Outcome::Refused(err.code.name()));
            err.into_response()
        }
    }
}

/// The identity that signed the request; expired issued credentials are refused before anything.
fn identify(shared: &Shared, headers: &HeaderMap) -> Result<Identity, StsError> {
    let Some(access_key_id) = wire::access_key_id(headers) else {
        return Err(StsError::new(
            StsCode::MissingAuthenticationToken,
            "Request is missing Authentication Token",
        ));
    };
    let now = shared.clock.now();
    shared
        .accounts()
        .identity(access_key_id, now)
        .map_err(|_| StsError::expired())
}

/// `AssumeRole`: input checks, then the trust and the session length, then credentials.
fn assume_role(
    shared: &Shared,
    caller: &Identity,
    params: &HashMap<String, String>,
) -> Result<(String, String), StsError> {
    let request = checked_request(params)?;
    let now = shared.clock.now();
    let session = shared
        .accounts()
        .assume(caller, &request, now)
        .map_err(|refusal| refused(refusal, caller, request.role_arn))?;
    Ok(assume_role_body(&session))
}

/// STS's input constraints (botocore `sts` model: `arnType` 20 to 2048 characters,
/// `roleSessionNameType` 2 to 64 of `[\w+=,.@-]*`, `roleDurationSecondsType` 900 to 43200,
/// `externalIdType` 2 to 1224 of `[\w+=,.@:/-]*`), worded as Coral words them, in the model's
/// member order. Recorded: "1 validation error detected: Value '…' at 'roleSessionName' failed
/// to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*".
fn checked_request(params: &HashMap<String, String>) -> Result<AssumeRequest<'_>, StsError> {
    let mut failures = Vec::new();
    let role_arn = params.get("RoleArn").map(String::as_str);
    let session_name = params.get("RoleSessionName").map(String::as_str);
    let external_id = params.get("ExternalId").map(String::as_str);
    let duration = params.get("DurationSeconds").map(String::as_str);
    match role_arn {
        None => failures.push(failure(Shown::Null, "roleArn", "Member must not be null")),
        Some(arn) => length(&mut failures, arn, "roleArn", 20, 2048),
    }
    match session_name {
        None => failures.push(failure(
            Shown::Null,
            "roleSessionName",
            "Member must not be null",
        )),
        Some(name) => {
            length(&mut failures, name, "roleSessionName", 2, 64);
            if !name
                .chars()
                .all(|c| c.is_alphanumeric() || "_+=,.@-".contains(c))
            {
                failures.push(failure(
                    Shown::Value(name),
                    "roleSessionName",
                    r"Member must satisfy regular expression pattern: [\w+=,.@-]*",
                ));
            }
        }
    }
    let duration_seconds = match duration {
        None => None,
        Some(text) => match text.parse::<i64>() {
            Ok(n) if n < 900 => {
                failures.push(failure(
                    Shown::Value(text),
                    "durationSeconds",
                    "Member must have value greater than or equal to 900",
                ));
                None
            }
            Ok(n) if n > 43_200 => {
                failures.push(failure(
                    Shown::Value(text),
                    "durationSeconds",
                    "Member must have value less than or equal to 43200",
                ));
                None
            }
            Ok(n) => u32::try_from(n).ok(),
            // A reading of ours: no recording shows STS's answer to a non-number.
            Err(_) => {
                failures.push(failure(
                    Shown::Value(text),
                    "durationSeconds",
                    "Member must be an integer",
                ));
                None
            }
        },
    };
    if let Some(id) = external_id
        && !external_id_is_valid(id)
    {
        length(&mut failures, id, "externalId", 2, 1224);
        if !id
            .chars()
            .all(|c| c.is_alphanumeric() || "_+=,.@:/-".contains(c))
        {
            failures.push(failure(
                Shown::Value(id),
                "externalId",
                r"Member must satisfy regular expression pattern: [\w+=,.@:/-]*",
            ));
        }
    }
    let (Some(role_arn), Some(session_name), true) = (role_arn, session_name, failures.is_empty())
    else {
        return Err(StsError::new(StsCode::ValidationError, summary(&failures)));
    };
    // Recorded for a RoleArn of the right length that is no ARN: "ReadWriteQuiltBucket is
    // invalid" (ValidationError).
    let role = RoleArn::parse(role_arn)
        .ok_or_else(|| StsError::new(StsCode::ValidationError, format!("{role_arn} is invalid")))?;
    Ok(AssumeRequest {
        role_arn,
        role,
        session_name,
        external_id,
        duration_seconds,
    })
}

fn length(failures: &mut Vec<String>, value: &str, member: &str, min: usize, max: usize) {
    let n = value.chars().count();
    if n < min {
        failures.push(failure(
            Shown::Value(value),
            member,
            &format!("Member must have length greater than or equal to {min}"),
        ));
    } else if n > max {
        failures.push(failure(
            Shown::Value(value),
            member,
            &format!("Member must have length less than or equal to {max}"),
        ));
    }
}

/// The error a refusal answers, in STS's recorded wording: "User: arn:aws:iam::846282225459:user/
/// janitor is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::834651025166:
/// role/OrganizationFormationBuildAccessRole" (HTTP 403), "The requested DurationSeconds exceeds
/// the MaxSessionDuration set for this role." and "The requested DurationSeconds exceeds the 1
/// hour session limit for roles assumed by role chaining." (both ValidationError, HTTP 400).
fn refused(refusal: Refusal, caller: &Identity, role_arn: &str) -> StsError {
    match refusal {
        Refusal::NotTrusted => StsError::new(
            StsCode::AccessDenied,
            format!(
                "User: {} is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
                caller.arn()
            ),
        ),
        Refusal::BeyondMaxSession => StsError::new(
            StsCode::ValidationError,
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        ),
        Refusal::BeyondChaining => StsError::new(
            StsCode::ValidationError,
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
        ),
    }
}

/// The AssumeRole answer (STS API reference, AssumeRole, "Sample Response"), and its request id.
fn assume_role_body(s: &Session) -> (String, String) {
    let request_id = uuid::Uuid::new_v4().to_string();
    let arn = Identity::AssumedRole(Box::new(s.clone())).arn();
    let body = format!(
        "<AssumeRoleResponse xmlns=\"{XMLNS}\">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>{role_id}:{session}</AssumedRoleId>
      <Arn>{arn}</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>{akid}</AccessKeyId>
      <SecretAccessKey>{secret}</SecretAccessKey>
      <SessionToken>{token}</SessionToken>
      <Expiration>{expiration}</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>{request_id}</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
",
        role_id = s.role_id,
        session = escape(&s.session_name),
        arn = escape(&arn),
        akid = s.access_key_id,
        secret = s.secret_access_key,
        token = s.session_token,
        expiration = s.expiration.format("%Y-%m-%dT%H:%M:%SZ"),
    );
    (body, request_id)
}

/// The GetCallerIdentity answer (STS API reference, GetCallerIdentity, "Examples").
fn caller_identity(caller: &Identity) -> (String, String) {
    let request_id = uuid::Uuid::new_v4().to_string();
    let body = format!(
        "<GetCallerIdentityResponse xmlns=\"{XMLNS}\">
  <GetCallerIdentityResult>
    <Arn>{arn}</Arn>
    <UserId>{user_id}</UserId>
    <Account>{account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>{request_id}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
",
        arn = escape(&caller.arn()),
        user_id = escape(&caller.user_id()),
        account = caller.account(),
    );
    (body, request_id)
}

fn xml_response(status: StatusCode, body: String, request_id: &str) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
    if let Ok(id) = HeaderValue::from_str(request_id) {
        headers.insert("x-amzn-requestid", id);
    }
    response
}

/// Escapes text for an XML element.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn every_failed_constraint_is_counted_in_one_message() {
        let p = params(&[
            ("RoleArn", "arn:aws"),
            ("RoleSessionName", "a/b"),
            ("DurationSeconds", "60"),
        ]);
        let err = checked_request(&p).unwrap_err();
        assert_eq!(err.code, StsCode::ValidationError);
        assert!(
            err.message.starts_with("3 validation errors detected: "),
            "{}",
            err.message
        );
        assert!(err.message.contains(
            "Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"
        ));
    }

    #[test]
    fn a_long_enough_arn_that_is_no_role_arn_is_invalid() {
        let p = params(&[
            ("RoleArn", "ReadWriteQuiltBucket"),
            ("RoleSessionName", "s1"),
        ]);
        assert_eq!(
            checked_request(&p).unwrap_err().message,
            "ReadWriteQuiltBucket is invalid"
        );
    }

    #[test]
    fn messages_are_escaped() {
        assert_eq!(escape("a<b & 'c'"), "a&lt;b &amp; &apos;c&apos;");
    }
}
