//! The eight Cloud Control operations: input checks as Coral words them, then the semantics.

mod mutate;
mod read;
mod requests;

use base64::{Engine, engine::general_purpose::STANDARD};
use serde::{Deserialize, de::DeserializeOwned};
use serde_json::Value;

use super::{
    cognito::ResourceType,
    control::Shared,
    coral::{Shown, failure},
    wire::{ApiError, Caller, ErrorKind, Operation},
};

/// Results per page when a caller names no MaxResults.
const DEFAULT_PAGE_SIZE: usize = 20;
/// Results per page of ListResources, whatever MaxResults says (see `read::list`).
const HANDLER_PAGE_SIZE: usize = DEFAULT_PAGE_SIZE;

/// One call: the emulator and who is calling.
pub(crate) struct Call<'a> {
    pub shared: &'a Shared,
    pub caller: &'a Caller,
}

/// The answer to a call: its JSON body, and whether the connection is to be closed instead.
pub(crate) struct Reply {
    pub body: String,
    pub lose_answer: bool,
}

impl From<String> for Reply {
    fn from(body: String) -> Self {
        Self {
            body,
            lose_answer: false,
        }
    }
}

/// Runs `op` on a JSON body and returns the JSON answer.
pub(crate) fn dispatch(call: &Call<'_>, op: Operation, body: &[u8]) -> Result<Reply, ApiError> {
    match op {
        Operation::CreateResource => mutate::create(call, parse(body)?),
        Operation::UpdateResource => mutate::update(call, parse(body)?),
        Operation::DeleteResource => mutate::delete(call, parse(body)?),
        Operation::GetResource => read::get(call, parse(body)?).map(Reply::from),
        Operation::ListResources => read::list(call, parse(body)?).map(Reply::from),
        Operation::GetResourceRequestStatus => {
            requests::status(call, parse(body)?).map(Reply::from)
        }
        Operation::ListResourceRequests => requests::list(call, parse(body)?).map(Reply::from),
        Operation::CancelResourceRequest => requests::cancel(call, parse(body)?).map(Reply::from),
    }
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            ErrorKind::Serialization,
            format!("Could not parse the request body: {e}"),
        )
    })
}

fn to_json(value: &impl serde::Serialize) -> Result<String, ApiError> {
    serde_json::to_string(value)
        .map_err(|e| ApiError::new(ErrorKind::InternalFailure, format!("serialization: {e}")))
}

/// Members every resource operation may carry.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Common {
    type_name: Option<String>,
    type_version_id: Option<String>,
    role_arn: Option<String>,
}

/// Constraint failures collected the way Coral reports them, all at once.
#[derive(Debug, Default)]
struct Checks(Vec<String>);

impl Checks {
    fn required<T>(&mut self, value: Option<&T>, member: &str) {
        if value.is_none() {
            self.0
                .push(failure(Shown::Null, member, "Member must not be null"));
        }
    }

    /// Length and pattern of a string member; sensitive values are not echoed.
    fn string(&mut self, value: Option<&str>, member: &str, spec: StringSpec) {
        let Some(v) = value else { return };
        let shown = if spec.sensitive {
            Shown::Hidden
        } else {
            Shown::Value(v)
        };
        let len = v.chars().count();
        let constraint = if len < spec.min {
            format!(
                "Member must have length greater than or equal to {}",
                spec.min
            )
        } else if len > spec.max {
            format!("Member must have length less than or equal to {}", spec.max)
        } else if let Some((pattern, matches)) = spec.pattern
            && !matches(v)
        {
            format!("Member must satisfy regular expression pattern: {pattern}")
        } else {
            return;
        };
        self.0.push(failure(shown, member, &constraint));
    }

    fn range(&mut self, value: Option<i64>, member: &str, min: i64, max: i64) {
        let Some(v) = value else { return };
        let bound = if v < min {
            format!("greater than or equal to {min}")
        } else if v > max {
            format!("less than or equal to {max}")
        } else {
            return;
        };
        let shown = v.to_string();
        self.0.push(failure(
            Shown::Value(&shown),
            member,
            &format!("Member must have value {bound}"),
        ));
    }

    fn common(&mut self, c: &Common) {
        self.required(c.type_name.as_ref(), "typeName");
        self.string(c.type_name.as_deref(), "typeName", TYPE_NAME);
        self.string(
            c.type_version_id.as_deref(),
            "typeVersionId",
            TYPE_VERSION_ID,
        );
        self.string(c.role_arn.as_deref(), "roleArn", ROLE_ARN);
    }

    fn done(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(&self.0))
        }
    }
}

/// A pattern as the service model writes it, and the check that implements it.
type Pattern = (&'static str, fn(&str) -> bool);

/// Constraints of a string member, from the service model.
#[derive(Clone, Copy)]
struct StringSpec {
    min: usize,
    max: usize,
    pattern: Option<Pattern>,
    sensitive: bool,
}

const fn spec(min: usize, max: usize) -> StringSpec {
    StringSpec {
        min,
        max,
        pattern: None,
        sensitive: false,
    }
}

const TYPE_NAME: StringSpec = StringSpec {
    pattern: Some((
        "[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}",
        is_type_name,
    )),
    ..spec(10, 196)
};
const TYPE_VERSION_ID: StringSpec = StringSpec {
    pattern: Some(("[A-Za-z0-9-]+", |s| {
        s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })),
    ..spec(1, 128)
};
const ROLE_ARN: StringSpec = StringSpec {
    pattern: Some(("arn:.+:iam::[0-9]{12}:role/.+", is_role_arn)),
    ..spec(20, 2048)
};
const TOKEN: StringSpec = StringSpec {
    pattern: Some(("[-A-Za-z0-9+/=]+", is_token)),
    ..spec(1, 128)
};
const NEXT_TOKEN: StringSpec = StringSpec {
    pattern: Some(("[-A-Za-z0-9+/=]+", is_token)),
    ..spec(1, 2048)
};
const IDENTIFIER: StringSpec = spec(1, 1024);
/// `DesiredState`, `PatchDocument`, `ResourceModel` (the model's `Properties` shape: 262,144).
const PROPERTIES: StringSpec = StringSpec {
    sensitive: true,
    ..spec(1, 262_144)
};

fn is_type_name(s: &str) -> bool {
    let parts: Vec<&str> = s.split("::").collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| (2..=64).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn is_role_arn(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("arn:") else {
        return false;
    };
    let Some((partition, rest)) = rest.split_once(":iam::") else {
        return false;
    };
    let Some((account, role)) = rest.split_once(":role/") else {
        return false;
    };
    !partition.is_empty()
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && !role.is_empty()
}

fn is_token(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'/' | b'='))
}

/// The resource type a request names, or `TypeNotFoundException`.
fn resource_type(type_name: Option<&str>) -> Result<ResourceType, ApiError> {
    let name = type_name.unwrap_or_default();
    ResourceType::from_name(name).ok_or_else(|| {
        ApiError::new(
            ErrorKind::TypeNotFound,
            format!("The type '{name}' cannot be found."),
        )
    })
}

/// The page size a caller asked for.
fn page_size(max_results: Option<i64>) -> usize {
    max_results.map_or(DEFAULT_PAGE_SIZE, |n| n.clamp(1, 100) as usize)
}

/// An opaque NextToken that resumes after `key`.
fn next_token(key: &str) -> String {
    STANDARD.encode(key)
}

/// The key a NextToken resumes after.
fn resume_after(token: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(token) = token else { return Ok(None) };
    STANDARD
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .map(Some)
        .ok_or_else(|| ApiError::new(ErrorKind::Validation, format!("Invalid NextToken: {token}")))
}

/// A document sent as a JSON string member, which must hold a JSON object.
fn json_object(text: &str, member: &str) -> Result<Value, ApiError> {
    match serde_json::from_str::<Value>(text) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(ApiError::new(
            ErrorKind::Validation,
            format!("{member} must be a JSON object"),
        )),
    }
}
