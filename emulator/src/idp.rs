//! cognito-idp's client-secret operations, on the same app clients Cloud Control manages:
//! AddUserPoolClientSecret, ListUserPoolClientSecrets and DeleteUserPoolClientSecret, written from
//! their API reference pages and botocore's `cognito-idp` model (inputs, constraints, declared
//! errors). Input constraints are refused as Cognito refuses them, `InvalidParameterException` in
//! Coral's words; every call spends Cognito's quotas (see `quotas.rs` for the categories).

use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    client_secrets::{ClientSecret, SecretRefusal},
    clock::epoch_seconds,
    json11::{ApiCall, ApiOperation, Constraints, Service, ServiceError, Text, parse},
    quotas::{CognitoCall, CognitoOp},
    world::{Pool, Scope},
};

const IDP: Service = Service::CognitoIdp;

/// `UserPoolIdType`: 1 to 55 characters of `[\w-]+_[0-9a-zA-Z]+`.
const USER_POOL_ID: Text = Text {
    pattern: Some((r"[\w-]+_[0-9a-zA-Z]+", is_pool_id)),
    ..Text::len(1, 55)
};
/// `ClientIdType`: 1 to 128 characters of `[\w+]+`, sensitive.
const CLIENT_ID: Text = Text {
    pattern: Some((r"[\w+]+", is_word_plus)),
    sensitive: true,
    ..Text::len(1, 128)
};
/// `ClientSecretType`: 24 to 64 characters of `[\w+]+`, sensitive.
const CLIENT_SECRET: Text = Text {
    pattern: Some((r"[\w+]+", is_word_plus)),
    sensitive: true,
    ..Text::len(24, 64)
};
/// `ClientSecretIdType`: 1 to 128 characters.
const CLIENT_SECRET_ID: Text = Text::len(1, 128);
/// `PaginationKey` of ListUserPoolClientSecrets: 1 to 131,072 characters of `[\S]+`.
const NEXT_TOKEN: Text = Text {
    pattern: Some((r"[\S]+", |s| !s.chars().any(char::is_whitespace))),
    ..Text::len(1, 131_072)
};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AddInput {
    user_pool_id: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListInput {
    user_pool_id: Option<String>,
    client_id: Option<String>,
    next_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteInput {
    user_pool_id: Option<String>,
    client_id: Option<String>,
    client_secret_id: Option<String>,
}

/// Runs one client-secret operation on a JSON body.
pub(crate) fn dispatch(
    call: &ApiCall<'_>,
    op: ApiOperation,
    body: &[u8],
) -> Result<Value, ServiceError> {
    match op {
        ApiOperation::AddUserPoolClientSecret => add(call, parse(IDP, body)?),
        ApiOperation::ListUserPoolClientSecrets => list(call, parse(IDP, body)?),
        ApiOperation::DeleteUserPoolClientSecret => delete(call, parse(IDP, body)?),
        _ => Err(ServiceError::new(
            IDP,
            IDP.internal_error(),
            "not a cognito-idp operation",
        )),
    }
}

/// `AddUserPoolClientSecret`: "Creates a new client secret for an existing confidential user pool
/// app client"; the value is the caller's or one Cognito generates, and "The ClientSecretValue is
/// only returned when Amazon Cognito generates the secret".
fn add(call: &ApiCall<'_>, input: AddInput) -> Result<Value, ServiceError> {
    let mut checks = client_checks(input.user_pool_id.as_deref(), input.client_id.as_deref());
    checks.text(
        input.client_secret.as_deref(),
        "clientSecret",
        CLIENT_SECRET,
    );
    checks.done(IDP, "InvalidParameterException")?;
    let (pool_id, client_id) = ids(input.user_pool_id, input.client_id);
    throttle(call, CognitoOp::AddSecret, &pool_id)?;
    let allow_public = call.shared.allows_secret_on_public_client();
    let generated = input.client_secret.is_none();
    let now = call.shared.clock.now();
    let mut world = call.shared.world();
    let mut scope = world.scope(call.caller, now);
    let value = match input.client_secret {
        Some(value) => value,
        None => scope.new_client_secret(),
    };
    let pool = client_pool(&mut scope, &pool_id, &client_id)?;
    if !pool.secrets.contains_key(&client_id) && !allow_public {
        // The reference's "existing confidential user pool app client": a client created without a
        // secret is public. Refused as an invalid parameter, in our words (no recording);
        // `--allow-secret-on-public-client` tries the other reading.
        return Err(ServiceError::new(
            IDP,
            "InvalidParameterException",
            format!(
                "App client {client_id} has no client secret: client secrets can be added to confidential app clients only."
            ),
        ));
    }
    let secrets = pool.secrets.entry(client_id.clone()).or_default();
    let secret = secrets
        .add(&client_id, value, now)
        .map_err(|r| refused(r, &client_id, None))?
        .clone();
    pool.sync_client_secret(&client_id);
    Ok(json!({ "ClientSecretDescriptor": descriptor(&secret, generated) }))
}

/// `ListUserPoolClientSecrets`: "there are only 2 secrets at any given time and we return both
/// with every ListUserPoolClientSecrets call", never their values; no `NextToken`.
fn list(call: &ApiCall<'_>, input: ListInput) -> Result<Value, ServiceError> {
    let mut checks = client_checks(input.user_pool_id.as_deref(), input.client_id.as_deref());
    checks.text(input.next_token.as_deref(), "nextToken", NEXT_TOKEN);
    checks.done(IDP, "InvalidParameterException")?;
    let (pool_id, client_id) = ids(input.user_pool_id, input.client_id);
    throttle(call, CognitoOp::ListSecrets, &pool_id)?;
    let now = call.shared.clock.now();
    let mut world = call.shared.world();
    let mut scope = world.scope(call.caller, now);
    let pool = client_pool(&mut scope, &pool_id, &client_id)?;
    let listed: Vec<Value> = pool
        .secrets
        .get(&client_id)
        .map(|s| s.active().iter().map(|s| descriptor(s, false)).collect())
        .unwrap_or_default();
    Ok(json!({ "ClientSecrets": listed }))
}

/// `DeleteUserPoolClientSecret`: "You cannot delete the last remaining secret for an app client."
fn delete(call: &ApiCall<'_>, input: DeleteInput) -> Result<Value, ServiceError> {
    let mut checks = client_checks(input.user_pool_id.as_deref(), input.client_id.as_deref());
    checks.required(input.client_secret_id.as_ref(), "clientSecretId");
    checks.text(
        input.client_secret_id.as_deref(),
        "clientSecretId",
        CLIENT_SECRET_ID,
    );
    checks.done(IDP, "InvalidParameterException")?;
    let (pool_id, client_id) = ids(input.user_pool_id, input.client_id);
    let secret_id = input.client_secret_id.unwrap_or_default();
    throttle(call, CognitoOp::DeleteSecret, &pool_id)?;
    let now = call.shared.clock.now();
    let mut world = call.shared.world();
    let mut scope = world.scope(call.caller, now);
    let pool = client_pool(&mut scope, &pool_id, &client_id)?;
    let secrets = pool
        .secrets
        .get_mut(&client_id)
        .ok_or_else(|| refused(SecretRefusal::Unknown, &client_id, Some(&secret_id)))?;
    secrets
        .delete(&secret_id)
        .map_err(|r| refused(r, &client_id, Some(&secret_id)))?;
    pool.sync_client_secret(&client_id);
    Ok(json!({}))
}

/// The constraints of the `UserPoolId` and `ClientId` every operation takes.
fn client_checks(user_pool_id: Option<&str>, client_id: Option<&str>) -> Constraints {
    let mut checks = Constraints::default();
    checks.required(user_pool_id, "userPoolId");
    checks.text(user_pool_id, "userPoolId", USER_POOL_ID);
    checks.required(client_id, "clientId");
    checks.text(client_id, "clientId", CLIENT_ID);
    checks
}

fn ids(user_pool_id: Option<String>, client_id: Option<String>) -> (String, String) {
    (
        user_pool_id.unwrap_or_default(),
        client_id.unwrap_or_default(),
    )
}

/// Spends the call's Cognito rate; `TooManyRequestsException` when Cognito throttles it.
fn throttle(call: &ApiCall<'_>, op: CognitoOp, pool_id: &str) -> Result<(), ServiceError> {
    let call_of = CognitoCall {
        op,
        pool: Some(pool_id),
    };
    if call.shared.take_cognito_call(call.caller, call_of) {
        Ok(())
    } else {
        Err(ServiceError::new(
            IDP,
            "TooManyRequestsException",
            "Rate exceeded",
        ))
    }
}

/// The pool of an existing client, or Cognito's `ResourceNotFoundException` (worded as Cognito
/// words the pool's and the client's absence elsewhere in the emulator).
fn client_pool<'s>(
    scope: &'s mut Scope<'_>,
    pool_id: &str,
    client_id: &str,
) -> Result<&'s mut Pool, ServiceError> {
    let pool = scope
        .partition_mut()
        .pools
        .get_mut(pool_id)
        .ok_or_else(|| not_found(format!("User pool {pool_id} does not exist.")))?;
    if !pool.clients.contains_key(client_id) {
        return Err(not_found(format!(
            "User pool client {client_id} does not exist."
        )));
    }
    Ok(pool)
}

fn not_found(message: String) -> ServiceError {
    ServiceError::new(IDP, "ResourceNotFoundException", message)
}

/// A refused change of a client's secrets as the declared errors it is likeliest to be: the limit
/// of two is `LimitExceededException`, an unknown secret `ResourceNotFoundException`, the last
/// one `InvalidParameterException` (the reference names the rules, not the errors; the wording of
/// the first two is ours).
fn refused(refusal: SecretRefusal, client_id: &str, secret_id: Option<&str>) -> ServiceError {
    match refusal {
        SecretRefusal::Full => ServiceError::new(
            IDP,
            "LimitExceededException",
            format!(
                "App client {client_id} already has {} active client secrets.",
                crate::client_secrets::MAX_SECRETS
            ),
        ),
        SecretRefusal::Unknown => not_found(format!(
            "Client secret {} does not exist.",
            secret_id.unwrap_or_default()
        )),
        SecretRefusal::Last => ServiceError::new(
            IDP,
            "InvalidParameterException",
            "You cannot delete the last remaining secret for an app client.",
        ),
    }
}

/// A `ClientSecretDescriptorType`; the value only when Cognito generated it on this call.
fn descriptor(secret: &ClientSecret, with_value: bool) -> Value {
    let mut out = json!({
        "ClientSecretId": secret.id,
        "ClientSecretCreateDate": epoch_seconds(secret.created_at),
    });
    if with_value {
        out["ClientSecretValue"] = json!(secret.value);
    }
    out
}

/// `[\w+]+` (Java's `\w` is ASCII).
fn is_word_plus(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'+')
}

/// `[\w-]+_[0-9a-zA-Z]+`: the suffix after the last `_` is the alphanumeric part.
fn is_pool_id(s: &str) -> bool {
    let Some((prefix, suffix)) = s.rsplit_once('_') else {
        return false;
    };
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    !prefix.is_empty()
        && prefix.bytes().all(word)
        && !suffix.is_empty()
        && suffix.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_follow_the_model() {
        assert!(is_pool_id("us-east-1_examplePoolId"));
        assert!(!is_pool_id("us-east-1_"));
        assert!(!is_pool_id("nopool"));
        assert!(is_word_plus("abc_DEF+123"));
        assert!(!is_word_plus("abc-def"));
        assert!(!is_word_plus("$$$"));
    }
}
