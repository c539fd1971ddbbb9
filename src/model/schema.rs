//! The official `CloudFormation` resource schema, embedded, and the facts the rest of ccplane reads from it.

use std::sync::LazyLock;

use serde_json::Value;

/// The resource type ccplane manages.
pub const TYPE_NAME: &str = "AWS::Cognito::UserPoolClient";

/// The schema file, byte for byte as published (its provenance: `docs/architecture.md`).
pub const SCHEMA_JSON: &str = include_str!("../../schemas/AWS_Cognito_UserPoolClient.json");

/// Properties a desired state must not set: AWS assigns them.
pub const READ_ONLY: &[&str] = &["ClientId", "ClientSecret", "Name"];

/// Properties that cannot change without replacing the client.
pub const CREATE_ONLY: &[&str] = &["UserPoolId", "GenerateSecret"];

/// List properties whose order does not matter: compare them as sets.
pub const SET_VALUED: &[&str] = &[
    "ExplicitAuthFlows",
    "ReadAttributes",
    "WriteAttributes",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "CallbackURLs",
    "LogoutURLs",
    "SupportedIdentityProviders",
];

/// Every property the schema defines, in the schema's order.
pub const PROPERTY_NAMES: &[&str] = &[
    "ClientName",
    "ExplicitAuthFlows",
    "GenerateSecret",
    "ReadAttributes",
    "AuthSessionValidity",
    "RefreshTokenValidity",
    "AccessTokenValidity",
    "IdTokenValidity",
    "TokenValidityUnits",
    "RefreshTokenRotation",
    "UserPoolId",
    "WriteAttributes",
    "AllowedOAuthFlows",
    "AllowedOAuthFlowsUserPoolClient",
    "AllowedOAuthScopes",
    "CallbackURLs",
    "DefaultRedirectURI",
    "LogoutURLs",
    "SupportedIdentityProviders",
    "AnalyticsConfiguration",
    "PreventUserExistenceErrors",
    "EnableTokenRevocation",
    "EnablePropagateAdditionalUserContextData",
    "Name",
    "ClientSecret",
    "ClientId",
];

static DOCUMENT: LazyLock<Value> =
    LazyLock::new(|| serde_json::from_str(SCHEMA_JSON).expect("the embedded schema is valid JSON"));

/// The schema, parsed once.
pub fn document() -> &'static Value {
    &DOCUMENT
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pointers_to_names(key: &str) -> Vec<String> {
        let mut names: Vec<String> = document()[key]
            .as_array()
            .expect("a list of pointers")
            .iter()
            .map(|p| {
                p.as_str()
                    .unwrap()
                    .trim_start_matches("/properties/")
                    .to_owned()
            })
            .collect();
        names.sort();
        names
    }

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(ToString::to_string).collect();
        names.sort();
        names
    }

    #[test]
    fn type_name_matches_the_schema() {
        assert_eq!(document()["typeName"], TYPE_NAME);
    }

    #[test]
    fn read_only_matches_read_only_properties() {
        assert_eq!(sorted(READ_ONLY), pointers_to_names("readOnlyProperties"));
    }

    #[test]
    fn create_only_matches_create_only_properties() {
        assert_eq!(
            sorted(CREATE_ONLY),
            pointers_to_names("createOnlyProperties")
        );
    }

    #[test]
    fn property_names_are_the_schema_properties_in_order() {
        let keys: Vec<&str> = document()["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, PROPERTY_NAMES);
    }

    #[test]
    fn every_set_valued_property_is_an_array() {
        for name in SET_VALUED {
            assert_eq!(document()["properties"][name]["type"], "array", "{name}");
        }
    }

    #[test]
    fn embedded_schema_is_identical_to_the_shared_copy() {
        let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/schemas/AWS_Cognito_UserPoolClient.json");
        // The shared folder exists only in the development workspace.
        let Ok(bytes) = std::fs::read(&shared) else {
            return;
        };
        assert!(
            bytes == SCHEMA_JSON.as_bytes(),
            "{} differs from schemas/",
            shared.display()
        );
    }
}
