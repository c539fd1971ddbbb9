//! Cognito's own rules for a `UserPoolClient`, which the resource schema does not carry.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::json::{integer, is_absent_or_empty, is_true, list, strings};
use super::schema;
use super::suggest::did_you_mean;
use super::urls;
use super::violation::Violation;

type Properties = Map<String, Value>;

// Cognito's patterns are Java regexes, where `\w` and `\s` are ASCII-only.
static USER_POOL_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?-u:[\w-])+_[0-9a-zA-Z]+$").expect("valid regex"));
static CLIENT_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?-u:[\w\s+=,.@-])+$").expect("valid regex"));
static SCOPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\x21\x23-\x5B\x5D-\x7E]+$").expect("valid regex"));
static PROVIDER_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{L}\p{M}\p{S}\p{N}\p{P}\p{Z}]+$").expect("valid regex"));
static HEX: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[0-9a-fA-F]+$").expect("valid regex"));
static ARN: LazyLock<Regex> = LazyLock::new(|| {
    let part = r"(?-u:[\w+=/,.@-])";
    Regex::new(&format!(
        r"^arn:{part}+:{part}+:{part}*:[0-9]+:{part}+(:{part}+)?(:{part}+)?$"
    ))
    .expect("valid regex")
});

pub(crate) const AUTH_FLOWS: &[&str] = &[
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
const LEGACY_AUTH_FLOWS: &[&str] = &[
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
];
pub(crate) const OAUTH_FLOWS: &[&str] = &["code", "implicit", "client_credentials"];
/// The token validity units Cognito accepts.
pub(crate) const TOKEN_UNITS: [&str; 4] = Unit::NAMES;
pub(crate) const PREVENT_USER_EXISTENCE_ERRORS: &[&str] = &["LEGACY", "ENABLED"];
const MAX_USER_POOL_ID: usize = 55;
const MAX_SCOPES: usize = 50;
const MAX_SCOPE: usize = 256;
const MAX_OAUTH_FLOWS: usize = 3;
const MAX_PROVIDER_NAME: usize = 32;
/// The scopes Cognito itself defines; the client credentials grant carries custom scopes only.
const STANDARD_SCOPES: &[&str] = &[
    "phone",
    "email",
    "openid",
    "profile",
    "aws.cognito.signin.user.admin",
];

/// Every violation of Cognito's rules; values of the wrong type are left to the schema check.
pub(crate) fn violations(properties: &Value) -> Vec<Violation> {
    let Some(properties) = properties.as_object() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    user_pool_id(properties, &mut found);
    client_name(properties, &mut found);
    explicit_auth_flows(properties, &mut found);
    oauth_flows(properties, &mut found);
    token_validity_units(properties, &mut found);
    for rule in &TOKEN_VALIDITY {
        token_validity(properties, rule, &mut found);
    }
    prevent_user_existence_errors(properties, &mut found);
    urls::violations(properties, &mut found);
    oauth_scopes(properties, &mut found);
    oauth_switch(properties, &mut found);
    identity_providers(properties, &mut found);
    refresh_token_rotation(properties, &mut found);
    analytics(properties, &mut found);
    found
}

fn user_pool_id(properties: &Properties, found: &mut Vec<Violation>) {
    let Some(id) = properties.get("UserPoolId").and_then(Value::as_str) else {
        return;
    };
    let length = id.chars().count();
    if length > MAX_USER_POOL_ID {
        let message =
            format!("must be at most {MAX_USER_POOL_ID} characters: this one has {length}");
        found.push(Violation::new("/UserPoolId", message));
    }
    if !USER_POOL_ID.is_match(id) {
        let message =
            "must look like \"us-east-1_AbC123\": a region, an underscore and the pool's id";
        found.push(Violation::new("/UserPoolId", message));
    }
}

fn client_name(properties: &Properties, found: &mut Vec<Violation>) {
    let Some(name) = properties.get("ClientName").and_then(Value::as_str) else {
        return;
    };
    // An empty name breaks the schema's minLength, which says it better.
    if !name.is_empty() && !CLIENT_NAME.is_match(name) {
        let message = "may contain only ASCII letters, digits, whitespace and _ + = , . @ -";
        found.push(Violation::new("/ClientName", message));
    }
}

fn explicit_auth_flows(properties: &Properties, found: &mut Vec<Violation>) {
    let Some(flows) = list(properties, "ExplicitAuthFlows").map(strings) else {
        return;
    };
    for (index, flow) in &flows {
        let pointer = format!("/ExplicitAuthFlows/{index}");
        if !AUTH_FLOWS.contains(flow) {
            let hint = did_you_mean(flow, AUTH_FLOWS.iter().copied());
            found.push(Violation::new(
                pointer,
                format!("unknown auth flow \"{flow}\"{hint}"),
            ));
        } else if flows.iter().any(|(other, f)| other < index && f == flow) {
            found.push(Violation::new(
                pointer,
                format!("\"{flow}\" is listed more than once"),
            ));
        }
    }
    let legacy = flows.iter().find(|(_, f)| LEGACY_AUTH_FLOWS.contains(f));
    let allow = flows
        .iter()
        .find(|(_, f)| f.starts_with("ALLOW_") && AUTH_FLOWS.contains(f));
    if let (Some((_, legacy)), Some((_, allow))) = (legacy, allow) {
        let message = format!(
            "legacy flow \"{legacy}\" cannot be combined with ALLOW_* flows such as \"{allow}\""
        );
        found.push(Violation::new("/ExplicitAuthFlows", message));
    }
}

fn oauth_flows(properties: &Properties, found: &mut Vec<Violation>) {
    let Some(items) = list(properties, "AllowedOAuthFlows") else {
        return;
    };
    let count = items.len();
    if count > MAX_OAUTH_FLOWS {
        let message = format!("at most {MAX_OAUTH_FLOWS} OAuth flows are allowed: {count} given");
        found.push(Violation::new("/AllowedOAuthFlows", message));
    }
    let flows = strings(items);
    for (index, flow) in &flows {
        if !OAUTH_FLOWS.contains(flow) {
            let message = format!("must be one of {}: got \"{flow}\"", OAUTH_FLOWS.join(", "));
            found.push(Violation::new(
                format!("/AllowedOAuthFlows/{index}"),
                message,
            ));
        }
    }
    // With OAuth on, browser flows send the user back to a callback URL, so Cognito wants one
    // ("CallbackUrls can not be empty when code flow or implicit flow is selected"). With it off
    // the flows are inert (a warning).
    let browser = flows.iter().find(|(_, f)| *f == "code" || *f == "implicit");
    let no_callbacks = is_absent_or_empty(properties, "CallbackURLs");
    let oauth_on = is_true(properties, "AllowedOAuthFlowsUserPoolClient");
    if let Some((index, flow)) = browser
        && no_callbacks
        && oauth_on
    {
        let message = format!("the {flow} flow needs at least one CallbackURLs entry");
        found.push(Violation::new(
            format!("/AllowedOAuthFlows/{index}"),
            message,
        ));
    }
    let Some((index, _)) = flows.iter().find(|(_, f)| *f == "client_credentials") else {
        return;
    };
    if browser.is_some() {
        let message = "client_credentials cannot be combined with code or implicit";
        found.push(Violation::new("/AllowedOAuthFlows", message));
    }
    // A GenerateSecret of the wrong type is the schema's to report.
    if matches!(
        properties.get("GenerateSecret"),
        None | Some(Value::Bool(false))
    ) {
        let message = "client_credentials needs a client secret: set GenerateSecret to true";
        found.push(Violation::new(
            format!("/AllowedOAuthFlows/{index}"),
            message,
        ));
    }
    // "openid is not supported with client_credentials flow": machine-to-machine tokens carry
    // custom scopes only.
    let scopes = list(properties, "AllowedOAuthScopes").map(strings);
    for (index, scope) in scopes.into_iter().flatten() {
        if STANDARD_SCOPES.contains(&scope) {
            let message = format!(
                "\"{scope}\" is not supported with client_credentials, which grants custom scopes only"
            );
            found.push(Violation::new(
                format!("/AllowedOAuthScopes/{index}"),
                message,
            ));
        }
    }
}

/// `AllowedOAuthFlowsUserPoolClient: true` turns the OAuth endpoints on; they need flows and scopes
/// to grant.
fn oauth_switch(properties: &Properties, found: &mut Vec<Violation>) {
    if !is_true(properties, "AllowedOAuthFlowsUserPoolClient") {
        return;
    }
    for name in ["AllowedOAuthFlows", "AllowedOAuthScopes"] {
        if is_absent_or_empty(properties, name) {
            let message =
                format!("{name} must not be empty when AllowedOAuthFlowsUserPoolClient is true");
            found.push(Violation::new("/AllowedOAuthFlowsUserPoolClient", message));
        }
    }
}

fn identity_providers(properties: &Properties, found: &mut Vec<Violation>) {
    let Some(items) = list(properties, "SupportedIdentityProviders") else {
        return;
    };
    for (index, name) in strings(items) {
        let pointer = format!("/SupportedIdentityProviders/{index}");
        let length = name.chars().count();
        if length > MAX_PROVIDER_NAME {
            let message =
                format!("must be at most {MAX_PROVIDER_NAME} characters: this one has {length}");
            found.push(Violation::new(pointer, message));
        } else if !PROVIDER_NAME.is_match(name) {
            found.push(Violation::new(
                pointer,
                "must be a provider name without control characters",
            ));
        }
    }
}

/// Cognito requires `Feature` in `RefreshTokenRotation`, which the resource schema leaves optional.
fn refresh_token_rotation(properties: &Properties, found: &mut Vec<Violation>) {
    let Some(rotation) = properties
        .get("RefreshTokenRotation")
        .and_then(Value::as_object)
    else {
        return;
    };
    if rotation.get("Feature").is_none_or(Value::is_null) {
        found.push(Violation::new(
            "/RefreshTokenRotation",
            "must have a Feature: ENABLED or DISABLED",
        ));
    }
}

/// Cognito's shapes for the analytics settings: a hex Pinpoint project id and ARNs.
fn analytics(properties: &Properties, found: &mut Vec<Violation>) {
    let Some(config) = properties
        .get("AnalyticsConfiguration")
        .and_then(Value::as_object)
    else {
        return;
    };
    if let Some(id) = config.get("ApplicationId").and_then(Value::as_str)
        && !HEX.is_match(id)
    {
        found.push(Violation::new(
            "/AnalyticsConfiguration/ApplicationId",
            "must be a Pinpoint project id: hexadecimal digits",
        ));
    }
    for key in ["ApplicationArn", "RoleArn"] {
        let Some(arn) = config.get(key).and_then(Value::as_str) else {
            continue;
        };
        let length = arn.chars().count();
        if !(20..=2048).contains(&length) || !ARN.is_match(arn) {
            found.push(Violation::new(
                format!("/AnalyticsConfiguration/{key}"),
                "must be an ARN such as arn:aws:iam::123456789012:role/name",
            ));
        }
    }
}

/// A unit of `TokenValidityUnits`.
#[derive(Clone, Copy)]
enum Unit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

impl Unit {
    const NAMES: [&str; 4] = ["seconds", "minutes", "hours", "days"];

    fn parse(name: &str) -> Option<Self> {
        [Self::Seconds, Self::Minutes, Self::Hours, Self::Days]
            .into_iter()
            .find(|unit| unit.name() == name)
    }

    fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    fn seconds(self) -> i64 {
        [1, 60, 3600, 86_400][self as usize]
    }

    /// "1 hour", "60 hours".
    fn quantity(self, amount: i64) -> String {
        match amount {
            1 => format!("1 {}", self.name().trim_end_matches('s')),
            _ => format!("{amount} {}", self.name()),
        }
    }
}

fn token_validity_units(properties: &Properties, found: &mut Vec<Violation>) {
    let Some(units) = properties
        .get("TokenValidityUnits")
        .and_then(Value::as_object)
    else {
        return;
    };
    for key in ["AccessToken", "IdToken", "RefreshToken"] {
        let Some(unit) = units.get(key).and_then(Value::as_str) else {
            continue;
        };
        if Unit::parse(unit).is_none() {
            let hint = did_you_mean(unit, Unit::NAMES);
            let message = format!(
                "must be one of {}: got \"{unit}\"{hint}",
                Unit::NAMES.join(", ")
            );
            found.push(Violation::new(
                format!("/TokenValidityUnits/{key}"),
                message,
            ));
        }
    }
}

/// Cognito's range for one token's validity, whatever unit it is given in.
struct TokenValidity {
    property: &'static str,
    unit_key: &'static str,
    default_unit: Unit,
    min_seconds: i64,
    max_seconds: i64,
    range: &'static str,
}

const TOKEN_VALIDITY: [TokenValidity; 3] = [
    TokenValidity {
        property: "AccessTokenValidity",
        unit_key: "AccessToken",
        default_unit: Unit::Hours,
        min_seconds: 5 * 60,
        max_seconds: 86_400,
        range: "5 minutes and 1 day",
    },
    TokenValidity {
        property: "IdTokenValidity",
        unit_key: "IdToken",
        default_unit: Unit::Hours,
        min_seconds: 5 * 60,
        max_seconds: 86_400,
        range: "5 minutes and 1 day",
    },
    TokenValidity {
        property: "RefreshTokenValidity",
        unit_key: "RefreshToken",
        default_unit: Unit::Days,
        min_seconds: 60 * 60,
        max_seconds: 3650 * 86_400,
        range: "60 minutes and 10 years",
    },
];

fn token_validity(properties: &Properties, rule: &TokenValidity, found: &mut Vec<Violation>) {
    let Some(amount) = properties.get(rule.property).and_then(integer) else {
        return;
    };
    let Some(unit) = token_unit(properties, rule) else {
        return;
    };
    if !within_schema_bounds(rule.property, amount) {
        return;
    }
    let seconds = amount.saturating_mul(unit.seconds());
    let verdict = if seconds < rule.min_seconds {
        "too short"
    } else if seconds > rule.max_seconds {
        "too long"
    } else {
        return;
    };
    let low = (rule.min_seconds + unit.seconds() - 1) / unit.seconds();
    let high = rule.max_seconds / unit.seconds();
    let in_unit = if low == high {
        format!("exactly {}", unit.quantity(low))
    } else {
        format!("{low} to {high} {}", unit.name())
    };
    let message = format!(
        "must be between {} ({in_unit}): {} is {verdict}",
        rule.range,
        unit.quantity(amount)
    );
    found.push(Violation::new(format!("/{}", rule.property), message));
}

/// The unit a token's validity is counted in; `None` when the unit itself is invalid.
fn token_unit(properties: &Properties, rule: &TokenValidity) -> Option<Unit> {
    match properties.get("TokenValidityUnits") {
        None => Some(rule.default_unit),
        Some(Value::Object(units)) => match units.get(rule.unit_key) {
            None => Some(rule.default_unit),
            Some(unit) => unit.as_str().and_then(Unit::parse),
        },
        Some(_) => None,
    }
}

// Values outside the schema's own bounds are reported by the schema check already.
fn within_schema_bounds(property: &str, amount: i64) -> bool {
    let node = &schema::document()["properties"][property];
    let min = node["minimum"].as_i64().unwrap_or(i64::MIN);
    let max = node["maximum"].as_i64().unwrap_or(i64::MAX);
    (min..=max).contains(&amount)
}

fn prevent_user_existence_errors(properties: &Properties, found: &mut Vec<Violation>) {
    let Some(value) = properties
        .get("PreventUserExistenceErrors")
        .and_then(Value::as_str)
    else {
        return;
    };
    if !PREVENT_USER_EXISTENCE_ERRORS.contains(&value) {
        let hint = did_you_mean(value, PREVENT_USER_EXISTENCE_ERRORS.iter().copied());
        let message = format!("must be LEGACY or ENABLED: got \"{value}\"{hint}");
        found.push(Violation::new("/PreventUserExistenceErrors", message));
    }
}

fn oauth_scopes(properties: &Properties, found: &mut Vec<Violation>) {
    let Some(items) = list(properties, "AllowedOAuthScopes") else {
        return;
    };
    let count = items.len();
    if count > MAX_SCOPES {
        let message = format!("at most {MAX_SCOPES} scopes are allowed: {count} given");
        found.push(Violation::new("/AllowedOAuthScopes", message));
    }
    for (index, scope) in strings(items) {
        let pointer = format!("/AllowedOAuthScopes/{index}");
        let length = scope.chars().count();
        if length > MAX_SCOPE {
            let message = format!("must be at most {MAX_SCOPE} characters: this one has {length}");
            found.push(Violation::new(pointer.clone(), message));
        }
        if scope.is_empty() {
            found.push(Violation::new(pointer, "must not be empty"));
        } else if !SCOPE.is_match(scope) {
            let message = "may contain only printable ASCII characters other than space, \" and \\";
            found.push(Violation::new(pointer, message));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The violations of a document made of a valid `UserPoolId` plus `extra`.
    fn check(extra: Value) -> Vec<Violation> {
        let mut document = json!({"UserPoolId": "us-east-1_examplePoolId"});
        document
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        violations(&document)
    }

    fn pointers(violations: &[Violation]) -> Vec<&str> {
        violations.iter().map(|v| v.pointer.as_str()).collect()
    }

    #[test]
    fn user_pool_id_without_an_underscore_is_rejected() {
        let found = violations(&json!({"UserPoolId": "us-east-1examplePoolId"}));
        assert_eq!(pointers(&found), ["/UserPoolId"]);
    }

    #[test]
    fn user_pool_id_longer_than_55_characters_is_rejected() {
        let found = violations(&json!({"UserPoolId": format!("us-east-1_{}", "a".repeat(50))}));
        assert_eq!(pointers(&found), ["/UserPoolId"]);
        assert!(
            found[0].message.contains("at most 55"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn regional_user_pool_id_is_accepted() {
        assert_eq!(
            violations(&json!({"UserPoolId": "eu-west-2_AbC123"})),
            vec![]
        );
    }

    #[test]
    fn client_name_with_a_slash_is_rejected() {
        assert_eq!(
            pointers(&check(json!({"ClientName": "web/app"}))),
            ["/ClientName"]
        );
    }

    #[test]
    fn client_name_with_spaces_and_punctuation_is_accepted() {
        assert_eq!(check(json!({"ClientName": "Web app, v2.1 +@=_-"})), vec![]);
    }

    #[test]
    fn unknown_explicit_auth_flow_is_rejected_with_a_suggestion() {
        let found =
            check(json!({"ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD"]}));
        assert_eq!(pointers(&found), ["/ExplicitAuthFlows/1"]);
        assert!(
            found[0]
                .message
                .contains("did you mean ALLOW_USER_PASSWORD_AUTH?")
        );
    }

    #[test]
    fn legacy_and_allow_auth_flows_cannot_be_mixed() {
        let found =
            check(json!({"ExplicitAuthFlows": ["USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]}));
        assert_eq!(pointers(&found), ["/ExplicitAuthFlows"]);
    }

    #[test]
    fn duplicate_auth_flow_is_rejected_at_the_second_copy() {
        let found =
            check(json!({"ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_SRP_AUTH"]}));
        assert_eq!(pointers(&found), ["/ExplicitAuthFlows/1"]);
    }

    #[test]
    fn legacy_auth_flows_alone_are_accepted() {
        let flows = json!({"ExplicitAuthFlows": ["ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY"]});
        assert_eq!(check(flows), vec![]);
    }

    #[test]
    fn unknown_oauth_flow_is_rejected() {
        let found = check(json!({
            "AllowedOAuthFlows": ["code", "password"],
            "CallbackURLs": ["https://example.com/cb"]
        }));
        assert_eq!(pointers(&found), ["/AllowedOAuthFlows/1"]);
    }

    #[test]
    fn client_credentials_mixed_with_code_is_rejected() {
        let found = check(json!({
            "GenerateSecret": true,
            "AllowedOAuthFlows": ["code", "client_credentials"],
            "CallbackURLs": ["https://example.com/cb"]
        }));
        assert_eq!(pointers(&found), ["/AllowedOAuthFlows"]);
    }

    #[test]
    fn client_credentials_without_a_secret_is_rejected() {
        let found = check(json!({"AllowedOAuthFlows": ["client_credentials"]}));
        assert_eq!(pointers(&found), ["/AllowedOAuthFlows/0"]);
    }

    #[test]
    fn client_credentials_with_a_secret_is_accepted() {
        let flows = json!({"GenerateSecret": true, "AllowedOAuthFlows": ["client_credentials"]});
        assert_eq!(check(flows), vec![]);
    }

    #[test]
    fn client_credentials_with_a_standard_scope_is_rejected() {
        let found = check(json!({
            "GenerateSecret": true,
            "AllowedOAuthFlows": ["client_credentials"],
            "AllowedOAuthScopes": ["orders/read", "openid"]
        }));
        assert_eq!(pointers(&found), ["/AllowedOAuthScopes/1"]);
    }

    #[test]
    fn browser_flows_without_callback_urls_are_rejected() {
        let mut document = json!({
            "AllowedOAuthFlowsUserPoolClient": true,
            "AllowedOAuthFlows": ["implicit"],
            "AllowedOAuthScopes": ["openid"],
            "CallbackURLs": []
        });
        assert_eq!(pointers(&check(document.clone())), ["/AllowedOAuthFlows/0"]);
        // With OAuth off the flow is inert, and only a warning.
        document["AllowedOAuthFlowsUserPoolClient"] = json!(false);
        assert_eq!(check(document), vec![]);
    }

    #[test]
    fn more_than_three_oauth_flows_are_rejected() {
        let found = check(json!({
            "AllowedOAuthFlows": ["code", "implicit", "code", "implicit"],
            "CallbackURLs": ["https://example.com/cb"]
        }));
        assert_eq!(pointers(&found), ["/AllowedOAuthFlows"]);
    }

    #[test]
    fn the_oauth_switch_needs_flows_and_scopes() {
        let found = check(json!({"AllowedOAuthFlowsUserPoolClient": true}));
        assert_eq!(
            pointers(&found),
            [
                "/AllowedOAuthFlowsUserPoolClient",
                "/AllowedOAuthFlowsUserPoolClient"
            ]
        );
    }

    #[test]
    fn refresh_token_rotation_needs_a_feature() {
        let found = check(json!({"RefreshTokenRotation": {"RetryGracePeriodSeconds": 5}}));
        assert_eq!(pointers(&found), ["/RefreshTokenRotation"]);
    }

    #[test]
    fn identity_provider_names_are_at_most_32_characters() {
        let found = check(json!({"SupportedIdentityProviders": ["COGNITO", "a".repeat(33)]}));
        assert_eq!(pointers(&found), ["/SupportedIdentityProviders/1"]);
    }

    #[test]
    fn analytics_needs_a_hex_project_id_and_arns() {
        let found = check(json!({"AnalyticsConfiguration": {
            "ApplicationId": "xyz",
            "RoleArn": "not-an-arn-at-all-really",
            "ApplicationArn": "arn:aws:mobiletargeting:us-east-1:123456789012:apps/abc"
        }}));
        assert_eq!(
            pointers(&found),
            [
                "/AnalyticsConfiguration/ApplicationId",
                "/AnalyticsConfiguration/RoleArn"
            ]
        );
    }

    #[test]
    fn unknown_token_validity_unit_is_rejected() {
        let found = check(json!({"TokenValidityUnits": {"IdToken": "minute"}}));
        assert_eq!(pointers(&found), ["/TokenValidityUnits/IdToken"]);
        assert!(
            found[0].message.ends_with("did you mean minutes?"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn access_token_validity_in_the_default_unit_hours_can_be_too_long() {
        let found = check(json!({"AccessTokenValidity": 60}));
        assert_eq!(
            found,
            vec![Violation::new(
                "/AccessTokenValidity",
                "must be between 5 minutes and 1 day (1 to 24 hours): 60 hours is too long"
            )]
        );
    }

    #[test]
    fn access_token_validity_in_minutes_is_accepted() {
        let document =
            json!({"AccessTokenValidity": 60, "TokenValidityUnits": {"AccessToken": "minutes"}});
        assert_eq!(check(document), vec![]);
    }

    #[test]
    fn id_token_validity_under_five_minutes_is_too_short() {
        let found =
            check(json!({"IdTokenValidity": 299, "TokenValidityUnits": {"IdToken": "seconds"}}));
        assert_eq!(pointers(&found), ["/IdTokenValidity"]);
        assert!(
            found[0].message.ends_with("299 seconds is too short"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn refresh_token_validity_in_days_is_accepted() {
        assert_eq!(check(json!({"RefreshTokenValidity": 30})), vec![]);
    }

    #[test]
    fn refresh_token_validity_over_ten_years_is_too_long() {
        let found = check(json!({"RefreshTokenValidity": 3651}));
        assert_eq!(
            found,
            vec![Violation::new(
                "/RefreshTokenValidity",
                "must be between 60 minutes and 10 years (1 to 3650 days): 3651 days is too long"
            )]
        );
    }

    #[test]
    fn token_validity_outside_the_schema_bounds_is_left_to_the_schema() {
        assert_eq!(check(json!({"AccessTokenValidity": 0})), vec![]);
    }

    #[test]
    fn token_validity_with_an_invalid_unit_is_not_range_checked() {
        let found = check(
            json!({"AccessTokenValidity": 60, "TokenValidityUnits": {"AccessToken": "weeks"}}),
        );
        assert_eq!(pointers(&found), ["/TokenValidityUnits/AccessToken"]);
    }

    #[test]
    fn prevent_user_existence_errors_must_be_legacy_or_enabled() {
        let found = check(json!({"PreventUserExistenceErrors": "DISABLED"}));
        assert_eq!(pointers(&found), ["/PreventUserExistenceErrors"]);
        assert_eq!(
            check(json!({"PreventUserExistenceErrors": "LEGACY"})),
            vec![]
        );
    }

    #[test]
    fn oauth_scope_with_a_space_is_rejected() {
        let found = check(json!({"AllowedOAuthScopes": ["openid", "my api/read"]}));
        assert_eq!(pointers(&found), ["/AllowedOAuthScopes/1"]);
    }

    #[test]
    fn custom_oauth_scopes_are_accepted() {
        let scopes = json!({"AllowedOAuthScopes": ["openid", "aws.cognito.signin.user.admin", "https://api/x.read"]});
        assert_eq!(check(scopes), vec![]);
    }

    #[test]
    fn more_than_fifty_scopes_are_rejected() {
        let scopes: Vec<String> = (0..51).map(|i| format!("api/s{i}")).collect();
        let found = check(json!({"AllowedOAuthScopes": scopes}));
        assert_eq!(pointers(&found), ["/AllowedOAuthScopes"]);
    }

    #[test]
    fn too_long_oauth_scope_is_rejected() {
        let found = check(json!({"AllowedOAuthScopes": ["s".repeat(257)]}));
        assert_eq!(pointers(&found), ["/AllowedOAuthScopes/0"]);
    }

    #[test]
    fn values_of_the_wrong_type_are_left_to_the_schema() {
        let document = json!({
            "UserPoolId": 5,
            "ClientName": ["x"],
            "ExplicitAuthFlows": "ALLOW_USER_SRP_AUTH",
            "AllowedOAuthFlows": [1, "code"],
            "GenerateSecret": "yes",
            "TokenValidityUnits": "hours",
            "AccessTokenValidity": "60",
            "RefreshTokenValidity": 9999.5,
            "PreventUserExistenceErrors": true,
            "CallbackURLs": {"a": 1},
            "DefaultRedirectURI": 3,
            "AllowedOAuthScopes": [null]
        });
        assert_eq!(violations(&document), vec![]);
        assert_eq!(violations(&json!("not an object")), vec![]);
    }
}
