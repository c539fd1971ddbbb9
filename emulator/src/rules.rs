//! Cognito's own rules for an app client, written from the `CreateUserPoolClient` and
//! `UpdateUserPoolClient` API reference (botocore's `cognito-idp` 2016-04-18 model carries the same
//! text and the input constraints) and the resource schema. Where the reference gives no wording,
//! messages come from Cognito answers recorded in public issues, cited beside each; the rest say
//! what the reference says. Cognito checks all of this when the UserPoolClient handler calls it, so
//! Cloud Control reports a violation asynchronously: `FAILED`, with the handler's error code and
//! Cognito's message.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::LazyLock,
};

use regex::Regex;
use serde_json::Value;

use crate::{
    cognito::UserPoolTier,
    coral::{self, Shown},
    fate::Readings,
};

/// Scopes every pool has without a resource server ("Scope values include phone, email, openid, and
/// profile. The aws.cognito.signin.user.admin scope authorizes user self-service operations").
pub const STANDARD_SCOPES: [&str; 5] = [
    "phone",
    "email",
    "openid",
    "profile",
    "aws.cognito.signin.user.admin",
];

/// The identity provider every pool has: its own user directory.
pub const COGNITO_PROVIDER: &str = "COGNITO";

/// App clients per user pool (Cognito's quota).
pub const MAX_CLIENTS_PER_POOL: usize = 1000;

/// The Cognito exceptions these rules raise (all declared by CreateUserPoolClient and
/// UpdateUserPoolClient).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exception {
    /// `InvalidParameterException`.
    InvalidParameter,
    /// `InvalidOAuthFlowException`.
    InvalidOAuthFlow,
    /// `ScopeDoesNotExistException`.
    ScopeDoesNotExist,
    /// `LimitExceededException`.
    LimitExceeded,
    /// `FeatureUnavailableInTierException`.
    FeatureUnavailableInTier,
    /// `ResourceNotFoundException`.
    ResourceNotFound,
}

impl Exception {
    /// The exception's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::InvalidParameter => "InvalidParameterException",
            Self::InvalidOAuthFlow => "InvalidOAuthFlowException",
            Self::ScopeDoesNotExist => "ScopeDoesNotExistException",
            Self::LimitExceeded => "LimitExceededException",
            Self::FeatureUnavailableInTier => "FeatureUnavailableInTierException",
            Self::ResourceNotFound => "ResourceNotFoundException",
        }
    }

    /// The HandlerErrorCode Cloud Control reports it with. The handler's source is not public. A
    /// refusal of input is InvalidRequest, as recorded for this handler ("Resource handler returned
    /// message: \"CallbackUrls can not be empty when code flow or implicit flow is selected (Service:
    /// CognitoIdentityProvider, Status Code: 400 …)\" (RequestToken: …, HandlerErrorCode:
    /// InvalidRequest)", a CloudFormation stack event quoted in a public IaC repository) and as the
    /// handler contract defines it ("invalid input from the user"). A quota is the contract's
    /// ServiceLimitExceeded ("a non-transient resource limit was reached on the service side"; no
    /// recording). `--async-failure-code GeneralServiceException` tries the reading of a handler
    /// that maps nothing.
    pub fn handler_error_code(self) -> &'static str {
        match self {
            Self::InvalidParameter
            | Self::InvalidOAuthFlow
            | Self::ScopeDoesNotExist
            | Self::FeatureUnavailableInTier => "InvalidRequest",
            Self::LimitExceeded => "ServiceLimitExceeded",
            Self::ResourceNotFound => "NotFound",
        }
    }
}

/// A Cognito refusal: the exception and Cognito's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitoError {
    /// Which exception.
    pub exception: Exception,
    /// Cognito's message.
    pub message: String,
}

impl CognitoError {
    fn new(exception: Exception, message: impl Into<String>) -> Self {
        Self {
            exception,
            message: message.into(),
        }
    }
}

type Checked = Result<(), CognitoError>;

/// What Cognito knows of the pool a client is written to.
#[derive(Debug, Clone, Copy)]
pub struct PoolFacts<'a> {
    /// The pool's id.
    pub pool_id: &'a str,
    /// Scope names by resource server identifier.
    pub resource_servers: &'a BTreeMap<String, BTreeSet<String>>,
    /// Identity provider names besides `COGNITO`.
    pub identity_providers: &'a BTreeSet<String>,
    /// The pool's feature plan.
    pub tier: UserPoolTier,
}

/// Every check that needs only the client: Coral's input constraints, then Cognito's rules.
pub fn check(client: &Value, readings: Readings) -> Checked {
    constraints(client)?;
    semantics(client, readings)
}

/// Cognito's input constraints (the model's lengths, patterns, enums and list sizes), all reported
/// at once as Coral reports them: `InvalidParameterException: 1 validation error detected: …`
/// (recorded, e.g. awsdocs/aws-cloudformation-user-guide#563 for an unknown OAuth flow).
pub fn constraints(client: &Value) -> Checked {
    let mut f = Vec::new();
    text(&mut f, client, "UserPoolId", &USER_POOL_ID);
    text(&mut f, client, "ClientName", &CLIENT_NAME);
    list(
        &mut f,
        client,
        "ReadAttributes",
        None,
        Item::Text(&PERMISSION),
    );
    list(
        &mut f,
        client,
        "WriteAttributes",
        None,
        Item::Text(&PERMISSION),
    );
    list(
        &mut f,
        client,
        "ExplicitAuthFlows",
        None,
        Item::OneOf(EXPLICIT_AUTH_FLOWS),
    );
    list(
        &mut f,
        client,
        "SupportedIdentityProviders",
        None,
        Item::Text(&PROVIDER_NAME),
    );
    list(&mut f, client, "CallbackURLs", Some(100), Item::Text(&URL));
    list(&mut f, client, "LogoutURLs", Some(100), Item::Text(&URL));
    text(&mut f, client, "DefaultRedirectURI", &URL);
    list(
        &mut f,
        client,
        "AllowedOAuthFlows",
        Some(3),
        Item::OneOf(OAUTH_FLOWS),
    );
    list(
        &mut f,
        client,
        "AllowedOAuthScopes",
        Some(50),
        Item::Text(&SCOPE),
    );
    one_of(
        &mut f,
        client,
        "PreventUserExistenceErrors",
        &["LEGACY", "ENABLED"],
    );
    let units = &client["TokenValidityUnits"];
    for key in ["AccessToken", "IdToken", "RefreshToken"] {
        if let Some(v) = units.get(key).and_then(Value::as_str)
            && !TIME_UNITS.contains(&v)
        {
            let member = format!("tokenValidityUnits.{}", camel(key));
            f.push(coral::failure(
                Shown::Value(v),
                &member,
                &enum_constraint(TIME_UNITS),
            ));
        }
    }
    let analytics = &client["AnalyticsConfiguration"];
    if analytics.is_object() {
        for (key, spec) in [
            ("ApplicationId", &HEX),
            ("ApplicationArn", &ARN),
            ("RoleArn", &ARN),
            ("ExternalId", &EXTERNAL_ID),
        ] {
            let member = format!("analyticsConfiguration.{}", camel(key));
            text_at(&mut f, analytics.get(key), &member, spec);
        }
    }
    let rotation = &client["RefreshTokenRotation"];
    if rotation.is_object() && rotation.get("Feature").is_none_or(Value::is_null) {
        f.push(coral::failure(
            Shown::Null,
            "refreshTokenRotation.feature",
            "Member must not be null",
        ));
    }
    if f.is_empty() {
        Ok(())
    } else {
        Err(CognitoError::new(
            Exception::InvalidParameter,
            coral::summary(&f),
        ))
    }
}

/// Cognito's rules beyond single values; like Cognito, the first broken rule is the one reported.
pub fn semantics(client: &Value, readings: Readings) -> Checked {
    token_validity(client)?;
    explicit_auth_flows(client)?;
    oauth(client, readings)?;
    redirect_urls(client)?;
    if readings.refuse_context_data_without_secret {
        context_data(client)?;
    }
    Ok(())
}

/// What only the pool can tell: identity providers, custom scopes, the feature plan.
pub fn check_in_pool(client: &Value, pool: &PoolFacts<'_>) -> Checked {
    // "The provider Salesforce does not exist for User Pool YYYYYYY." (InvalidParameterException,
    // recorded in lgallard/terraform-aws-cognito-user-pool#71).
    for provider in strings(client, "SupportedIdentityProviders") {
        if provider != COGNITO_PROVIDER && !pool.identity_providers.contains(provider) {
            return Err(CognitoError::new(
                Exception::InvalidParameter,
                format!(
                    "The provider {provider} does not exist for User Pool {}.",
                    pool.pool_id
                ),
            ));
        }
    }
    // "Invalid scope requested: Cognito" (ScopeDoesNotExistException, recorded in
    // awsdocs/aws-cloudformation-user-guide#564). A custom scope is `{resource server}/{scope}`;
    // identifiers may themselves hold slashes (URLs), so the scope name is after the last one.
    for scope in strings(client, "AllowedOAuthScopes") {
        let exists = STANDARD_SCOPES.contains(&scope)
            || scope.rsplit_once('/').is_some_and(|(server, name)| {
                pool.resource_servers
                    .get(server)
                    .is_some_and(|s| s.contains(name))
            });
        if !exists {
            return Err(CognitoError::new(
                Exception::ScopeDoesNotExist,
                format!("Invalid scope requested: {scope}"),
            ));
        }
    }
    // "ALLOW_USER_AUTH: … To activate this setting, your user pool must be in the Essentials tier
    // or higher." (ExplicitAuthFlows; wording of the refusal not recorded.)
    if pool.tier == UserPoolTier::Lite
        && strings(client, "ExplicitAuthFlows").contains(&"ALLOW_USER_AUTH")
    {
        return Err(CognitoError::new(
            Exception::FeatureUnavailableInTier,
            "ALLOW_USER_AUTH requires the Essentials feature plan or higher; this user pool is on the Lite plan.",
        ));
    }
    Ok(())
}

/// The quota on app clients, checked when one more is created (wording not recorded).
pub fn check_room(pool_id: &str, clients: usize) -> Checked {
    if clients < MAX_CLIENTS_PER_POOL {
        return Ok(());
    }
    Err(CognitoError::new(
        Exception::LimitExceeded,
        format!(
            "User pool {pool_id} already has the maximum number of app clients ({MAX_CLIENTS_PER_POOL})."
        ),
    ))
}

/// TokenValidityUnitsType: access and ID tokens last five minutes to one day, refresh tokens 60
/// minutes to 10 years; the units default to hours, hours and days. "You can't set
/// RefreshTokenValidity to 0. If you do, Amazon Cognito overrides the value with the default".
/// "InvalidParameterException: Invalid range for token validity." recorded in
/// hashicorp/terraform-provider-aws#32504, aws-samples/cloudfront-authorization-at-edge#144 and
/// awsdocs/aws-cloudformation-user-guide#828.
fn token_validity(client: &Value) -> Checked {
    let units = &client["TokenValidityUnits"];
    let limits = [
        (
            "AccessTokenValidity",
            "AccessToken",
            "hours",
            5 * 60,
            86_400,
        ),
        ("IdTokenValidity", "IdToken", "hours", 5 * 60, 86_400),
        (
            "RefreshTokenValidity",
            "RefreshToken",
            "days",
            60 * 60,
            3650 * 86_400,
        ),
    ];
    for (key, unit_key, default_unit, min, max) in limits {
        let Some(n) = client.get(key).and_then(Value::as_i64) else {
            continue;
        };
        if key == "RefreshTokenValidity" && n == 0 {
            continue;
        }
        let unit = units
            .get(unit_key)
            .and_then(Value::as_str)
            .unwrap_or(default_unit);
        let seconds = n.saturating_mul(unit_seconds(unit));
        if !(min..=max).contains(&seconds) {
            return Err(CognitoError::new(
                Exception::InvalidParameter,
                "Invalid range for token validity.",
            ));
        }
    }
    Ok(())
}

fn unit_seconds(unit: &str) -> i64 {
    match unit {
        "seconds" => 1,
        "minutes" => 60,
        "days" => 86_400,
        _ => 3600,
    }
}

/// "You can't assign these legacy ExplicitAuthFlows values to user pool clients at the same time as
/// values that begin with ALLOW_" (wording of the refusal not recorded).
fn explicit_auth_flows(client: &Value) -> Checked {
    let flows = strings(client, "ExplicitAuthFlows");
    let legacy = flows.iter().find(|f| {
        [
            "ADMIN_NO_SRP_AUTH",
            "CUSTOM_AUTH_FLOW_ONLY",
            "USER_PASSWORD_AUTH",
        ]
        .contains(f)
    });
    let allow = flows.iter().find(|f| f.starts_with("ALLOW_"));
    if let (Some(legacy), Some(allow)) = (legacy, allow) {
        return Err(CognitoError::new(
            Exception::InvalidParameter,
            format!(
                "ExplicitAuthFlows can not mix the legacy value {legacy} with ALLOW_ values such as {allow}."
            ),
        ));
    }
    Ok(())
}

/// The OAuth flows and what each needs.
fn oauth(client: &Value, readings: Readings) -> Checked {
    let flows = strings(client, "AllowedOAuthFlows");
    let scopes = strings(client, "AllowedOAuthScopes");
    // Recorded in hashicorp/terraform-provider-aws, internal/service/cognitoidp/
    // managed_user_pool_client_test.go: "InvalidParameterException: AllowedOAuthFlows and
    // AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows."
    let oauth_on = client["AllowedOAuthFlowsUserPoolClient"] == Value::Bool(true);
    if oauth_on && (flows.is_empty() || scopes.is_empty()) {
        return Err(CognitoError::new(
            Exception::InvalidParameter,
            "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.",
        ));
    }
    if flows.contains(&"client_credentials") {
        // "To create an app client that generates client credentials grants, you must add
        // client_credentials as the only allowed OAuth flow."
        if flows.iter().any(|f| *f == "code" || *f == "implicit") {
            return Err(CognitoError::new(
                Exception::InvalidOAuthFlow,
                "client_credentials flow can not be selected along with code flow or implicit flow.",
            ));
        }
        // "authorized by a combination of the client ID and client secret."
        if !has_secret(client) {
            return Err(CognitoError::new(
                Exception::InvalidOAuthFlow,
                "client_credentials flow can not be selected if client does not have a client secret.",
            ));
        }
        // Machine-to-machine grants carry custom scopes only: "openid is not supported with
        // client_credentials flow" (recorded in hashicorp/terraform-provider-aws#4984).
        if let Some(standard) = scopes.iter().find(|s| STANDARD_SCOPES.contains(s)) {
            return Err(CognitoError::new(
                Exception::InvalidOAuthFlow,
                format!("{standard} is not supported with client_credentials flow"),
            ));
        }
    }
    // Browser flows return to a callback URL: "InvalidOAuthFlowException: CallbackUrls can not be
    // empty when code flow or implicit flow is selected" (recorded in cisagov/crossfeed#440 and in
    // terraform-provider-aws's managed_user_pool_client_test.go, both with OAuth on). Whether
    // Cognito also checks while OAuth is off is not recorded: by default it does not (the flows are
    // inert), `--check-callbacks-with-oauth-off` tries the other reading.
    if (oauth_on || readings.check_callbacks_with_oauth_off)
        && flows.iter().any(|f| *f == "code" || *f == "implicit")
        && strings(client, "CallbackURLs").is_empty()
    {
        return Err(CognitoError::new(
            Exception::InvalidOAuthFlow,
            "CallbackUrls can not be empty when code flow or implicit flow is selected",
        ));
    }
    Ok(())
}

/// A redirect URI must "be an absolute URI" and "not include a fragment component"; "Amazon Cognito
/// requires HTTPS over HTTP except for callback URLs to http://localhost, http://127.0.0.1 and
/// http://[::1]"; app schemes such as `myapp://example` are fine. Logout URLs are held to the same
/// rules by analogy: the quoted rules name callback URLs, and no refusal of a logout URL is
/// recorded (a stricter emulator here costs nothing: ccplane checks them the same way up front).
/// "DefaultRedirectURI … Must be in the CallbackURLs list." (Wording not recorded.)
fn redirect_urls(client: &Value) -> Checked {
    let callbacks = strings(client, "CallbackURLs");
    for (key, url) in callbacks.iter().map(|u| ("CallbackURLs", *u)).chain(
        strings(client, "LogoutURLs")
            .into_iter()
            .map(|u| ("LogoutURLs", u)),
    ) {
        redirect_url(key, url)?;
    }
    if let Some(default) = client.get("DefaultRedirectURI").and_then(Value::as_str) {
        redirect_url("DefaultRedirectURI", default)?;
        if !callbacks.contains(&default) {
            return Err(CognitoError::new(
                Exception::InvalidParameter,
                format!("DefaultRedirectURI {default} must be one of the CallbackURLs."),
            ));
        }
    }
    Ok(())
}

fn redirect_url(key: &str, raw: &str) -> Checked {
    let invalid = |why: &str| {
        Err(CognitoError::new(
            Exception::InvalidParameter,
            format!("{key}: {raw} is not a valid redirect URI: {why}"),
        ))
    };
    let Ok(url) = url::Url::parse(raw) else {
        return invalid("it must be an absolute URI.");
    };
    if raw.contains('#') {
        return invalid("it must not include a fragment component.");
    }
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    if url.scheme() == "http" && !loopback {
        return invalid(
            "Amazon Cognito requires HTTPS over HTTP except for http://localhost, http://127.0.0.1 and http://[::1].",
        );
    }
    Ok(())
}

/// "You can only activate EnablePropagateAdditionalUserContextData in an app client that has a
/// client secret." No refusal is recorded, and the project's fixture `seed-custom-auth` (which must
/// converge) sets it without a secret, so this is one of two readings: applied only when asked
/// (`--refuse-context-data-without-secret`). Wording of the refusal not recorded.
fn context_data(client: &Value) -> Checked {
    if client["EnablePropagateAdditionalUserContextData"] == Value::Bool(true)
        && !has_secret(client)
    {
        return Err(CognitoError::new(
            Exception::InvalidParameter,
            "EnablePropagateAdditionalUserContextData can only be activated in an app client that has a client secret.",
        ));
    }
    Ok(())
}

/// Whether the client has (or, being created, will have) a secret.
fn has_secret(client: &Value) -> bool {
    client["GenerateSecret"] == Value::Bool(true)
        || client
            .get("ClientSecret")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
}

fn strings<'a>(client: &'a Value, key: &str) -> Vec<&'a str> {
    client
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// A member as Coral names it: the first letter lower-cased (`CallbackURLs` → `callbackURLs`).
fn camel(key: &str) -> String {
    let mut chars = key.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// A string shape of the Cognito model: its length bounds and pattern.
struct Text {
    min: usize,
    max: usize,
    pattern: Option<&'static Pattern>,
}

impl Text {
    fn failures(&self, v: &str) -> Vec<String> {
        let len = v.chars().count();
        let mut found = Vec::new();
        if len > self.max {
            found.push(format!(
                "Member must have length less than or equal to {}",
                self.max
            ));
        }
        if len < self.min {
            found.push(format!(
                "Member must have length greater than or equal to {}",
                self.min
            ));
        }
        if let Some(p) = self.pattern
            && !p.regex.is_match(v)
        {
            found.push(format!(
                "Member must satisfy regular expression pattern: {}",
                p.source
            ));
        }
        found
    }

    /// Every constraint, in the order Coral lists them for list members.
    fn all(&self) -> String {
        let mut all = vec![
            format!("Member must have length less than or equal to {}", self.max),
            format!(
                "Member must have length greater than or equal to {}",
                self.min
            ),
        ];
        if let Some(p) = self.pattern {
            all.push(format!(
                "Member must satisfy regular expression pattern: {}",
                p.source
            ));
        }
        all.join(", ")
    }
}

/// A pattern as the model writes it (Java syntax) and its compiled form.
struct Pattern {
    source: &'static str,
    regex: LazyLock<Regex>,
}

/// Compiles a Java pattern whole; `\w` and `\s` are ASCII in Java, so they are spelled out.
fn java_regex(source: &str) -> Regex {
    let rust = source
        .replace(r"\w", "0-9A-Za-z_")
        .replace(r"\s", r" \t\n\x0B\x0C\r");
    Regex::new(&format!("^(?:{rust})$")).expect("the model's patterns compile")
}

macro_rules! pattern {
    ($source:literal) => {
        Pattern {
            source: $source,
            regex: LazyLock::new(|| java_regex($source)),
        }
    };
}

static USER_POOL_ID_PATTERN: Pattern = pattern!(r"[\w-]+_[0-9a-zA-Z]+");
static CLIENT_NAME_PATTERN: Pattern = pattern!(r"[\w\s+=,.@-]+");
static URL_PATTERN: Pattern = pattern!(r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+");
static PROVIDER_NAME_PATTERN: Pattern = pattern!(r"[\p{L}\p{M}\p{S}\p{N}\p{P}\p{Z}]+");
static SCOPE_PATTERN: Pattern = pattern!(r"[\x21\x23-\x5B\x5D-\x7E]+");
static HEX_PATTERN: Pattern = pattern!(r"^[0-9a-fA-F]+$");
static ARN_PATTERN: Pattern = pattern!(
    r"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?"
);

const fn shape(min: usize, max: usize, pattern: Option<&'static Pattern>) -> Text {
    Text { min, max, pattern }
}

static USER_POOL_ID: Text = shape(1, 55, Some(&USER_POOL_ID_PATTERN));
static CLIENT_NAME: Text = shape(1, 128, Some(&CLIENT_NAME_PATTERN));
static PERMISSION: Text = shape(1, 2048, None);
static PROVIDER_NAME: Text = shape(1, 32, Some(&PROVIDER_NAME_PATTERN));
static URL: Text = shape(1, 1024, Some(&URL_PATTERN));
static SCOPE: Text = shape(1, 256, Some(&SCOPE_PATTERN));
static HEX: Text = shape(0, usize::MAX, Some(&HEX_PATTERN));
static ARN: Text = shape(20, 2048, Some(&ARN_PATTERN));
static EXTERNAL_ID: Text = shape(0, 131_072, None);

const EXPLICIT_AUTH_FLOWS: &[&str] = &[
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
];
/// In the order Cognito listed them when it refused `token` (awsdocs/aws-cloudformation-user-guide#563).
const OAUTH_FLOWS: &[&str] = &["implicit", "client_credentials", "code"];
const TIME_UNITS: &[&str] = &["seconds", "minutes", "hours", "days"];

/// What a list's items must be.
#[derive(Clone, Copy)]
enum Item {
    Text(&'static Text),
    OneOf(&'static [&'static str]),
}

fn enum_constraint(values: &[&str]) -> String {
    format!(
        "Member must satisfy enum value set: {}",
        coral::java_list(values.iter().copied())
    )
}

fn text(f: &mut Vec<String>, client: &Value, key: &str, spec: &Text) {
    text_at(f, client.get(key), &camel(key), spec);
}

fn text_at(f: &mut Vec<String>, value: Option<&Value>, member: &str, spec: &Text) {
    let Some(v) = value.and_then(Value::as_str) else {
        return;
    };
    for constraint in spec.failures(v) {
        f.push(coral::failure(Shown::Value(v), member, &constraint));
    }
}

fn one_of(f: &mut Vec<String>, client: &Value, key: &str, values: &[&str]) {
    if let Some(v) = client.get(key).and_then(Value::as_str)
        && !values.contains(&v)
    {
        f.push(coral::failure(
            Shown::Value(v),
            &camel(key),
            &enum_constraint(values),
        ));
    }
}

/// A list member: its size, then its items, which Coral reports together as the whole list
/// ("Value '[code, token]' at 'allowedOAuthFlows' failed to satisfy constraint: Member must satisfy
/// constraint: [Member must satisfy enum value set: […]]").
fn list(f: &mut Vec<String>, client: &Value, key: &str, max: Option<usize>, item: Item) {
    let Some(items) = client.get(key).and_then(Value::as_array) else {
        return;
    };
    let texts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
    let shown = coral::java_list(texts.iter().copied());
    let member = camel(key);
    if let Some(max) = max
        && items.len() > max
    {
        f.push(coral::failure(
            Shown::Value(&shown),
            &member,
            &format!("Member must have length less than or equal to {max}"),
        ));
    }
    let (bad, constraint) = match item {
        Item::Text(spec) => (
            texts.iter().any(|t| !spec.failures(t).is_empty()),
            spec.all(),
        ),
        Item::OneOf(values) => (
            texts.iter().any(|t| !values.contains(t)),
            enum_constraint(values),
        ),
    };
    if bad {
        f.push(coral::failure(
            Shown::Value(&shown),
            &member,
            &format!("Member must satisfy constraint: [{constraint}]"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The checks with the strictest reading of every ambiguity.
    fn check(client: &Value) -> Checked {
        let strict = Readings {
            refuse_context_data_without_secret: true,
            check_callbacks_with_oauth_off: true,
            remove_resets_defaults: false,
        };
        super::check(client, strict)
    }

    #[test]
    fn context_data_without_a_secret_is_refused_only_in_the_strict_reading() {
        let client = json!({"EnablePropagateAdditionalUserContextData": true});
        assert_eq!(super::check(&client, Readings::default()), Ok(()));
        assert!(check(&client).is_err());
        let with_secret =
            json!({"EnablePropagateAdditionalUserContextData": true, "GenerateSecret": true});
        assert_eq!(check(&with_secret), Ok(()));
    }

    fn refused(client: Value) -> CognitoError {
        check(&client).unwrap_err()
    }

    #[test]
    fn an_unknown_oauth_flow_is_refused_as_coral_words_it() {
        let err =
            refused(json!({"UserPoolId": "us-east-1_a", "AllowedOAuthFlows": ["code", "token"]}));
        assert_eq!(err.exception, Exception::InvalidParameter);
        assert_eq!(
            err.message,
            "1 validation error detected: Value '[code, token]' at 'allowedOAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [implicit, client_credentials, code]]"
        );
    }

    #[test]
    fn list_items_report_every_item_constraint() {
        let err = refused(json!({"UserPoolId": "us-east-1_a", "LogoutURLs": ["https://a b"]}));
        assert!(
            err.message.ends_with(
                r"at 'logoutURLs' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+]"
            ),
            "{}",
            err.message
        );
    }

    #[test]
    fn java_character_classes_are_ascii() {
        assert!(USER_POOL_ID_PATTERN.regex.is_match("us-east-1_abc"));
        assert!(!USER_POOL_ID_PATTERN.regex.is_match("us-east-1_ab-c"));
        assert!(CLIENT_NAME_PATTERN.regex.is_match("my app+1@x.y"));
        assert!(!CLIENT_NAME_PATTERN.regex.is_match("é"));
        assert!(!SCOPE_PATTERN.regex.is_match("a b"));
        assert!(
            ARN_PATTERN
                .regex
                .is_match("arn:aws:iam::123456789012:role/CognitoAnalyticsRole")
        );
    }

    #[test]
    fn token_validity_is_judged_in_its_unit() {
        let ok =
            json!({"AccessTokenValidity": 5, "TokenValidityUnits": {"AccessToken": "minutes"}});
        assert_eq!(check(&ok), Ok(()));
        let short =
            json!({"AccessTokenValidity": 4, "TokenValidityUnits": {"AccessToken": "minutes"}});
        assert_eq!(refused(short).message, "Invalid range for token validity.");
        // A day of hours is the most; a refresh token of 3,650 days the most.
        assert!(check(&json!({"IdTokenValidity": 25})).is_err());
        assert_eq!(check(&json!({"RefreshTokenValidity": 3650})), Ok(()));
        assert!(check(&json!({"RefreshTokenValidity": 3651})).is_err());
        let hour =
            json!({"RefreshTokenValidity": 59, "TokenValidityUnits": {"RefreshToken": "minutes"}});
        assert!(check(&hour).is_err());
    }

    #[test]
    fn redirect_urls_follow_the_reference() {
        for ok in [
            "https://example.com/cb",
            "http://localhost:3000/cb",
            "http://127.0.0.1/cb",
            "http://[::1]:8080/cb",
            "myapp://example",
        ] {
            assert_eq!(check(&json!({"CallbackURLs": [ok]})), Ok(()), "{ok}");
        }
        for bad in [
            "http://example.com/cb",
            "https://example.com/cb#x",
            "/relative",
        ] {
            assert!(check(&json!({"CallbackURLs": [bad]})).is_err(), "{bad}");
        }
    }
}
