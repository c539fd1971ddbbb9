//! Validation of a `UserPoolClient` property document: the official schema, Cognito's own rules, warnings.

use serde_json::Value;

use super::json::is_true;
use super::schema::READ_ONLY;
use super::violation::Violation;
use super::{cognito, schema_check};

/// Everything validation found: errors reject the document, warnings are reported beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Violations that make the document unacceptable.
    pub errors: Vec<Violation>,
    /// Settings that are accepted but will have no effect.
    pub warnings: Vec<Violation>,
}

/// Every violation of the official resource schema (types, bounds, `additionalProperties`, `required`).
pub fn schema_violations(properties: &Value) -> Vec<Violation> {
    schema_check::violations(properties)
}

/// Every violation of Cognito's own rules, which the schema does not carry.
pub fn cognito_violations(properties: &Value) -> Vec<Violation> {
    cognito::violations(properties)
}

/// Read-only properties present in a desired state.
pub fn read_only_violations(properties: &Value) -> Vec<Violation> {
    let Some(properties) = properties.as_object() else {
        return Vec::new();
    };
    READ_ONLY
        .iter()
        .filter(|name| properties.contains_key(**name))
        .map(|name| Violation::new(format!("/{name}"), "read-only: assigned by AWS"))
        .collect()
}

/// Properties that only matter to the OAuth 2.0 endpoints, which `AllowedOAuthFlowsUserPoolClient` turns on.
const OAUTH_ONLY: &[&str] = &[
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "CallbackURLs",
    "LogoutURLs",
    "DefaultRedirectURI",
];

/// Settings that are valid but will have no effect.
pub fn warnings(properties: &Value) -> Vec<Violation> {
    let Some(properties) = properties.as_object() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if !is_true(properties, "AllowedOAuthFlowsUserPoolClient") {
        let set = OAUTH_ONLY
            .iter()
            .filter(|name| is_set(properties.get(**name)));
        found.extend(set.map(|name| {
            let message = "has no effect unless AllowedOAuthFlowsUserPoolClient is true";
            Violation::new(format!("/{name}"), message)
        }));
    }
    let rotation = &properties.get("RefreshTokenRotation");
    let grace = rotation.and_then(|r| r.get("RetryGracePeriodSeconds"));
    let feature = rotation
        .and_then(|r| r.get("Feature"))
        .and_then(Value::as_str);
    // AWS documents that only a client with a secret can activate it; whether Cognito refuses it
    // otherwise is not recorded, so it is accepted (the fixtures rely on it) and flagged.
    let secret = is_true(properties, "GenerateSecret");
    if is_true(properties, "EnablePropagateAdditionalUserContextData") && !secret {
        let message = "AWS documents that only an app client with a secret (GenerateSecret true) can \
                       activate this; Cognito may refuse it or ignore it";
        found.push(Violation::new(
            "/EnablePropagateAdditionalUserContextData",
            message,
        ));
    }
    if grace.is_some() && feature != Some("ENABLED") {
        let message = "has no effect unless Feature is ENABLED (Cognito stores 0)";
        found.push(Violation::new(
            "/RefreshTokenRotation/RetryGracePeriodSeconds",
            message,
        ));
    }
    found
}

/// Whether a value says something: a non-empty string or list.
fn is_set(value: Option<&Value>) -> bool {
    match value {
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(items)) => !items.is_empty(),
        _ => false,
    }
}

/// The full check of a desired state: schema, read-only properties, Cognito rules and warnings.
pub fn validate_desired(properties: &Value) -> Report {
    let mut errors = schema_violations(properties);
    errors.extend(read_only_violations(properties));
    errors.extend(cognito_violations(properties));
    Report {
        errors,
        warnings: warnings(properties),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn fixture(name: &str) -> Value {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_str(&text).expect("fixture is JSON")
    }

    fn pointers(violations: &[Violation]) -> Vec<&str> {
        violations.iter().map(|v| v.pointer.as_str()).collect()
    }

    #[test]
    fn every_fixture_validates_without_errors() {
        for name in [
            "seed-basic.json",
            "seed-advanced.json",
            "seed-analytics.json",
            "seed-custom-auth.json",
        ] {
            assert_eq!(validate_desired(&fixture(name)).errors, vec![], "{name}");
        }
    }

    #[test]
    fn seed_basic_is_accepted_with_warnings_about_oauth_settings() {
        let report = validate_desired(&fixture("seed-basic.json"));
        assert_eq!(report.errors, vec![]);
        assert_eq!(
            pointers(&report.warnings),
            [
                "/AllowedOAuthFlows",
                "/AllowedOAuthScopes",
                "/CallbackURLs",
                "/LogoutURLs"
            ]
        );
    }

    #[test]
    fn other_fixtures_have_no_warnings() {
        for name in ["seed-advanced.json", "seed-analytics.json"] {
            assert_eq!(validate_desired(&fixture(name)).warnings, vec![], "{name}");
        }
    }

    #[test]
    fn context_data_without_a_secret_is_accepted_with_a_warning() {
        let report = validate_desired(&fixture("seed-custom-auth.json"));
        assert_eq!(report.errors, vec![]);
        let pointers: Vec<&str> = report.warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(pointers, ["/EnablePropagateAdditionalUserContextData"]);
    }

    #[test]
    fn oauth_settings_with_the_oauth_switch_on_raise_no_warning() {
        let mut document = fixture("seed-basic.json");
        document["AllowedOAuthFlowsUserPoolClient"] = json!(true);
        assert_eq!(validate_desired(&document), Report::default());
    }

    #[test]
    fn the_oauth_switch_without_flows_raises_no_warning() {
        let document = json!({"UserPoolId": "p_1", "AllowedOAuthFlowsUserPoolClient": true, "CallbackURLs": []});
        assert_eq!(warnings(&document), vec![]);
    }

    #[test]
    fn grace_period_without_rotation_is_a_warning() {
        let document = json!({
            "UserPoolId": "p_1",
            "RefreshTokenRotation": {"Feature": "DISABLED", "RetryGracePeriodSeconds": 10}
        });
        let report = validate_desired(&document);
        assert_eq!(report.errors, vec![]);
        assert_eq!(
            pointers(&report.warnings),
            ["/RefreshTokenRotation/RetryGracePeriodSeconds"]
        );
    }

    #[test]
    fn read_only_properties_are_rejected_one_by_one() {
        let document =
            json!({"UserPoolId": "p_1", "ClientId": "abc", "Name": "n", "ClientSecret": "s"});
        let report = validate_desired(&document);
        assert_eq!(
            pointers(&report.errors),
            ["/ClientId", "/ClientSecret", "/Name"]
        );
        assert!(
            report
                .errors
                .iter()
                .all(|v| v.message == "read-only: assigned by AWS")
        );
    }

    #[test]
    fn a_document_with_several_problems_reports_all_of_them() {
        let document = json!({
            "ClientName": "bad/name",
            "ClientId": "abc",
            "AuthSessionValidity": 2,
            "GenerateSecret": "yes",
            "Colour": "blue",
            "TokenValidityUnits": {"AccessToken": "fortnights", "Idtoken": "hours"},
            "AccessTokenValidity": 48,
            "CallbackURLs": ["http://example.com", "https://ok.example#frag"],
            "AllowedOAuthFlows": ["code", "client_credentials"]
        });
        let report = validate_desired(&document);
        let mut found = pointers(&report.errors);
        found.sort_unstable();
        assert_eq!(
            found,
            [
                "/AllowedOAuthFlows",
                "/AuthSessionValidity",
                "/CallbackURLs/0",
                "/CallbackURLs/1",
                "/ClientId",
                "/ClientName",
                "/Colour",
                "/GenerateSecret",
                "/TokenValidityUnits/AccessToken",
                "/TokenValidityUnits/Idtoken",
                "/UserPoolId",
            ]
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_reported_once() {
        let report =
            validate_desired(&json!({"UserPoolId": 42, "CallbackURLs": "https://example.com"}));
        assert_eq!(pointers(&report.errors), ["/UserPoolId", "/CallbackURLs"]);
    }

    #[test]
    fn a_non_object_document_is_one_error() {
        let report = validate_desired(&json!("hello"));
        assert_eq!(
            report.errors,
            vec![Violation::new("", "must be a JSON object, not a string")]
        );
        assert_eq!(report.warnings, vec![]);
    }
}
