//! AWS Secrets Manager on the emulator's port: CreateSecret, PutSecretValue, GetSecretValue,
//! DescribeSecret and UpdateSecretVersionStage, written from botocore's `secretsmanager`
//! 2017-10-17 model (members, constraints, declared errors, documentation). A secret is found by
//! name or full ARN in the caller's account and region (partial ARNs are not served). Input
//! constraints are Coral's `ValidationException`, as Secrets Manager answers them ("1 validation
//! error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be
//! null", quoted from a real answer in a public repository's notes).

pub mod vault;

use base64::{Engine, engine::general_purpose::STANDARD};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    clock::epoch_seconds,
    json11::{ApiCall, ApiOperation, Constraints, Service, ServiceError, Text, parse},
    wire::ErrorKind,
};
use vault::{NewSecret, Refusal, Secret, SecretValue};

const SM: Service = Service::SecretsManager;

/// Coral's `ValidationException`, the code of every input-constraint failure.
const VALIDATION: &str = "com.amazon.coral.validate#ValidationException";

/// `NameType`: 1 to 512 characters.
const NAME: Text = Text::len(1, 512);
/// `SecretIdType`: 1 to 2,048 characters.
const SECRET_ID: Text = Text::len(1, 2048);
/// `ClientRequestTokenType`: 32 to 64 characters.
const TOKEN: Text = Text::len(32, 64);
/// `SecretVersionIdType`: 32 to 64 characters.
const VERSION_ID: Text = Text::len(32, 64);
/// `SecretVersionStageType`: 1 to 256 characters.
const STAGE: Text = Text::len(1, 256);
/// `DescriptionType`: at most 2,048 characters.
const DESCRIPTION: Text = Text::len(0, 2048);
/// `KmsKeyIdType`: at most 2,048 characters.
const KMS_KEY_ID: Text = Text::len(0, 2048);
/// `SecretStringType`: 1 to 65,536 characters, sensitive.
const SECRET_STRING: Text = Text {
    sensitive: true,
    ..Text::len(1, 65_536)
};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateInput {
    name: Option<String>,
    client_request_token: Option<String>,
    description: Option<String>,
    kms_key_id: Option<String>,
    secret_string: Option<String>,
    secret_binary: Option<String>,
    #[serde(default)]
    tags: Vec<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutInput {
    secret_id: Option<String>,
    client_request_token: Option<String>,
    secret_string: Option<String>,
    secret_binary: Option<String>,
    version_stages: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetInput {
    secret_id: Option<String>,
    version_id: Option<String>,
    version_stage: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeInput {
    secret_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StageInput {
    secret_id: Option<String>,
    version_stage: Option<String>,
    remove_from_version_id: Option<String>,
    move_to_version_id: Option<String>,
}

/// Runs one Secrets Manager operation on a JSON body.
pub(crate) fn dispatch(
    call: &ApiCall<'_>,
    op: ApiOperation,
    body: &[u8],
) -> Result<Value, ServiceError> {
    match op {
        ApiOperation::CreateSecret => create(call, parse(SM, body)?),
        ApiOperation::PutSecretValue => put(call, parse(SM, body)?),
        ApiOperation::GetSecretValue => get(call, parse(SM, body)?),
        ApiOperation::DescribeSecret => describe(call, parse(SM, body)?),
        ApiOperation::UpdateSecretVersionStage => update_stage(call, parse(SM, body)?),
        _ => Err(ServiceError::new(
            SM,
            SM.internal_error(),
            "not a Secrets Manager operation",
        )),
    }
}

/// `CreateSecret`: "If you include SecretString or SecretBinary then Secrets Manager creates an
/// initial secret version and automatically attaches the staging label AWSCURRENT to it."
fn create(call: &ApiCall<'_>, input: CreateInput) -> Result<Value, ServiceError> {
    let mut checks = Constraints::default();
    checks.required(input.name.as_ref(), "name");
    checks.text(input.name.as_deref(), "name", NAME);
    checks.text(
        input.client_request_token.as_deref(),
        "clientRequestToken",
        TOKEN,
    );
    checks.text(input.description.as_deref(), "description", DESCRIPTION);
    checks.text(input.kms_key_id.as_deref(), "kmsKeyId", KMS_KEY_ID);
    checks.text(
        input.secret_string.as_deref(),
        "secretString",
        SECRET_STRING,
    );
    checks.done(SM, VALIDATION)?;
    let name = input.name.unwrap_or_default();
    check_name(&name)?;
    let value = value_of(input.secret_string, input.secret_binary.as_deref(), false)?;
    let first = match value {
        Some(value) => Some((required_token(input.client_request_token)?, value)),
        None => None,
    };
    let new = NewSecret {
        name,
        description: input.description,
        kms_key_id: input.kms_key_id,
        tags: input.tags,
        first,
    };
    let now = call.shared.clock.now();
    let (secret, put) = call
        .shared
        .vault()
        .create(call.caller, new, now)
        .map_err(refused)?;
    let mut out = json!({ "ARN": secret.arn, "Name": secret.name });
    if let Some(put) = put {
        out["VersionId"] = json!(put.version_id);
    }
    Ok(out)
}

/// `PutSecretValue`: a new version, labelled `VersionStages` or AWSCURRENT; the same token and data
/// again succeed and do nothing.
fn put(call: &ApiCall<'_>, input: PutInput) -> Result<Value, ServiceError> {
    let mut checks = secret_id_checks(input.secret_id.as_deref());
    checks.text(
        input.client_request_token.as_deref(),
        "clientRequestToken",
        TOKEN,
    );
    checks.text(
        input.secret_string.as_deref(),
        "secretString",
        SECRET_STRING,
    );
    let stages = input.version_stages.as_ref().map(Vec::len);
    checks.count(stages, "versionStages", 1, 20);
    for stage in input.version_stages.iter().flatten() {
        checks.text(Some(stage), "versionStages.member", STAGE);
    }
    checks.done(SM, VALIDATION)?;
    let value = value_of(input.secret_string, input.secret_binary.as_deref(), true)?
        .expect("required above");
    let token = required_token(input.client_request_token)?;
    let secret_id = input.secret_id.unwrap_or_default();
    let now = call.shared.clock.now();
    let mut vault = call.shared.vault();
    let secret = vault
        .find_mut(call.caller, &secret_id)
        .ok_or_else(secret_not_found)?;
    let put = secret
        .put(&token, value, input.version_stages, now)
        .map_err(refused)?;
    Ok(json!({
        "ARN": secret.arn,
        "Name": secret.name,
        "VersionId": put.version_id,
        "VersionStages": put.stages,
    }))
}

/// `GetSecretValue`: "If you don't specify either a VersionStage or VersionId, then Secrets
/// Manager returns the AWSCURRENT version."
fn get(call: &ApiCall<'_>, input: GetInput) -> Result<Value, ServiceError> {
    let mut checks = secret_id_checks(input.secret_id.as_deref());
    checks.text(input.version_id.as_deref(), "versionId", VERSION_ID);
    checks.text(input.version_stage.as_deref(), "versionStage", STAGE);
    checks.done(SM, VALIDATION)?;
    let secret_id = input.secret_id.unwrap_or_default();
    let now = call.shared.clock.now();
    let mut vault = call.shared.vault();
    let secret = vault
        .find_mut(call.caller, &secret_id)
        .ok_or_else(secret_not_found)?;
    let version = secret
        .read(input.version_id.as_deref(), input.version_stage.as_deref())
        .map_err(refused)?
        .clone();
    // "The date that the secret was last accessed in the Region": a date, so the day.
    secret.last_accessed_on = Some(day_of(now));
    let mut out = json!({
        "ARN": secret.arn,
        "Name": secret.name,
        "VersionId": version.id,
        "VersionStages": version.stages,
        "CreatedDate": epoch_seconds(version.created_at),
    });
    match version.value {
        SecretValue::Text(text) => out["SecretString"] = json!(text),
        SecretValue::Binary(bytes) => out["SecretBinary"] = json!(STANDARD.encode(bytes)),
    }
    Ok(out)
}

/// `DescribeSecret`: "Secrets Manager only returns fields that have a value in the response."
fn describe(call: &ApiCall<'_>, input: DescribeInput) -> Result<Value, ServiceError> {
    let checks = secret_id_checks(input.secret_id.as_deref());
    checks.done(SM, VALIDATION)?;
    let secret_id = input.secret_id.unwrap_or_default();
    let vault = call.shared.vault();
    let secret = vault
        .find(call.caller, &secret_id)
        .ok_or_else(secret_not_found)?;
    Ok(description(secret))
}

/// The DescribeSecret answer for `secret`.
pub(crate) fn description(secret: &Secret) -> Value {
    let mut out = json!({
        "ARN": secret.arn,
        "Name": secret.name,
        "LastChangedDate": epoch_seconds(secret.last_changed_at),
        "CreatedDate": epoch_seconds(secret.created_at),
    });
    if let Some(description) = &secret.description {
        out["Description"] = json!(description);
    }
    if let Some(key) = &secret.kms_key_id {
        out["KmsKeyId"] = json!(key);
    }
    if let Some(day) = secret.last_accessed_on {
        out["LastAccessedDate"] = json!(epoch_seconds(day));
    }
    if !secret.tags.is_empty() {
        out["Tags"] = json!(secret.tags);
    }
    let staged = secret.staged_versions();
    if !staged.is_empty() {
        out["VersionIdsToStages"] = json!(staged);
    }
    out
}

/// `UpdateSecretVersionStage`.
fn update_stage(call: &ApiCall<'_>, input: StageInput) -> Result<Value, ServiceError> {
    let mut checks = secret_id_checks(input.secret_id.as_deref());
    checks.required(input.version_stage.as_ref(), "versionStage");
    checks.text(input.version_stage.as_deref(), "versionStage", STAGE);
    checks.text(
        input.remove_from_version_id.as_deref(),
        "removeFromVersionId",
        VERSION_ID,
    );
    checks.text(
        input.move_to_version_id.as_deref(),
        "moveToVersionId",
        VERSION_ID,
    );
    checks.done(SM, VALIDATION)?;
    let secret_id = input.secret_id.unwrap_or_default();
    let stage = input.version_stage.unwrap_or_default();
    let now = call.shared.clock.now();
    let mut vault = call.shared.vault();
    let secret = vault
        .find_mut(call.caller, &secret_id)
        .ok_or_else(secret_not_found)?;
    secret
        .move_stage(
            &stage,
            input.remove_from_version_id.as_deref(),
            input.move_to_version_id.as_deref(),
            now,
        )
        .map_err(refused)?;
    Ok(json!({ "ARN": secret.arn, "Name": secret.name }))
}

fn secret_id_checks(secret_id: Option<&str>) -> Constraints {
    let mut checks = Constraints::default();
    checks.required(secret_id, "secretId");
    checks.text(secret_id, "secretId", SECRET_ID);
    checks
}

/// "The secret name can contain ASCII letters, numbers, and the following characters: /_+=.@-";
/// refused in the words of AWS's answer as mock libraries record it.
fn check_name(name: &str) -> Result<(), ServiceError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c);
    if name.chars().all(allowed) {
        return Ok(());
    }
    Err(ServiceError::new(
        SM,
        "InvalidParameterException",
        "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!",
    ))
}

/// The value of a request: "Either SecretString or SecretBinary must have a value, but not
/// both" (for PutSecretValue, `required`; CreateSecret may have neither and creates no version).
fn value_of(
    text: Option<String>,
    binary: Option<&str>,
    required: bool,
) -> Result<Option<SecretValue>, ServiceError> {
    let binary = binary.map(decode_blob).transpose()?;
    match (text, binary) {
        (Some(_), Some(_)) => Err(ServiceError::new(
            SM,
            "InvalidParameterException",
            "You can't specify both a binary secret value and a string secret value in the same secret.",
        )),
        (Some(text), None) => Ok(Some(SecretValue::Text(text))),
        (None, Some(bytes)) => Ok(Some(SecretValue::Binary(bytes))),
        (None, None) if required => Err(ServiceError::new(
            SM,
            "InvalidRequestException",
            "You must provide either SecretString or SecretBinary.",
        )),
        (None, None) => Ok(None),
    }
}

/// A `SecretBinary` blob, base64 on the wire; 1 to 65,536 bytes.
fn decode_blob(blob: &str) -> Result<Vec<u8>, ServiceError> {
    let bytes = STANDARD.decode(blob).map_err(|e| {
        ServiceError::coral(
            SM,
            ErrorKind::Serialization,
            format!("SecretBinary is not base64: {e}"),
        )
    })?;
    let mut checks = Constraints::default();
    checks.count(Some(bytes.len()), "secretBinary", 1, 65_536);
    checks.done(SM, VALIDATION)?;
    Ok(bytes)
}

/// AWS refuses a version-creating call without a token, though SDKs and the CLI always send one:
/// "You must provide a ClientRequestToken value. We recommend a UUID-type value." (recorded against
/// PutSecretValue in aws/aws-sdk-js-v3 #4640; localstack/localstack PR #8308 validated the same
/// against AWS for CreateSecret).
fn required_token(token: Option<String>) -> Result<String, ServiceError> {
    token.ok_or_else(|| {
        ServiceError::new(
            SM,
            "InvalidRequestException",
            "You must provide a ClientRequestToken value. We recommend a UUID-type value.",
        )
    })
}

/// "Secrets Manager can't find the specified secret.", AWS's wording of an unknown secret.
fn secret_not_found() -> ServiceError {
    ServiceError::new(
        SM,
        "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret.",
    )
}

/// A refusal as the error the API declares for it. Recorded wordings: the name in use ("The
/// operation failed because the secret NAME already exists.", a Terraform log in a public
/// repository) and a missing RemoveFromVersionId (terraform-provider-aws 5.33.0 CHANGELOG,
/// #19943); the others follow the mock libraries that copy AWS or are ours.
fn refused(refusal: Refusal) -> ServiceError {
    let (code, message) = match refusal {
        Refusal::NameTaken(name) => (
            "ResourceExistsException",
            format!("The operation failed because the secret {name} already exists."),
        ),
        Refusal::VersionExists => (
            "ResourceExistsException",
            "You can't modify an existing version, you can only create new versions.".to_owned(),
        ),
        Refusal::NoVersionWithStage(stage) => (
            "ResourceNotFoundException",
            format!(
                "Secrets Manager can't find the specified secret value for staging label: {stage}"
            ),
        ),
        Refusal::NoVersionWithId(id) => (
            "ResourceNotFoundException",
            format!("Secrets Manager can't find the specified secret value for VersionId: {id}"),
        ),
        Refusal::StageNotOnVersion => (
            "InvalidRequestException",
            "You provided a VersionStage that is not associated to the provided VersionId."
                .to_owned(),
        ),
        Refusal::RemoveFromRequired { stage, holder } => (
            "InvalidParameterException",
            format!(
                "The parameter RemoveFromVersionId can't be empty. Staging label {stage} is currently attached to version {holder}, so you must explicitly reference that version in RemoveFromVersionId."
            ),
        ),
        Refusal::StageNotHeld { stage, version } => (
            "InvalidParameterException",
            format!("The staging label {stage} is not attached to version {version}."),
        ),
        Refusal::NothingToMove => (
            "InvalidParameterException",
            "You must specify MoveToVersionId or RemoveFromVersionId.".to_owned(),
        ),
        Refusal::CurrentWithoutMove => (
            "InvalidParameterException",
            "The staging label AWSCURRENT can only be moved to another version, not removed."
                .to_owned(),
        ),
    };
    ServiceError::new(SM, code, message)
}

fn day_of(t: DateTime<Utc>) -> DateTime<Utc> {
    t.date_naive()
        .and_hms_opt(0, 0, 0)
        .map_or(t, |d| d.and_utc())
}
