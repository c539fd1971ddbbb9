//! The published `AWS::Cognito::UserPoolClient` resource schema: the facts Cloud Control reads from it
//! (read-only and create-only properties, property order) and its validation, worded as
//! CloudFormation words it ("Model validation failed (#: extraneous key [X] is not permitted)").

use std::sync::LazyLock;

use jsonschema::{ValidationError, Validator, error::ValidationErrorKind};
use serde_json::Value;

/// The resource type name.
pub const TYPE_NAME: &str = "AWS::Cognito::UserPoolClient";

/// The schema file as published in the CloudFormation registry (a byte copy lives in `schemas/`).
const SCHEMA_JSON: &str = include_str!("../../schemas/AWS_Cognito_UserPoolClient.json");

struct Schema {
    document: Value,
    validator: Validator,
    read_only: Vec<&'static str>,
    create_only: Vec<&'static str>,
    property_names: Vec<&'static str>,
}

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let document: Value = serde_json::from_str(SCHEMA_JSON).expect("the schema is JSON");
    // Resource schemas are draft-07 (the file declares no `$schema`).
    let validator = jsonschema::draft7::options()
        .build(&document)
        .expect("the schema compiles");
    let names = |key: &str| -> Vec<&'static str> {
        document[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str()?.strip_prefix("/properties/"))
            .map(|name| &*Box::leak(name.to_owned().into_boxed_str()))
            .collect()
    };
    let read_only = names("readOnlyProperties");
    let create_only = names("createOnlyProperties");
    let property_names = document["properties"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.keys())
        .map(|name| &*Box::leak(name.clone().into_boxed_str()))
        .collect();
    Schema {
        document,
        validator,
        read_only,
        create_only,
        property_names,
    }
});

/// Properties AWS assigns (`readOnlyProperties`).
pub fn read_only() -> &'static [&'static str] {
    &SCHEMA.read_only
}

/// Properties fixed at creation (`createOnlyProperties`).
pub fn create_only() -> &'static [&'static str] {
    &SCHEMA.create_only
}

/// Every property, in the schema's order (the order `GetResource` shows them in).
pub fn property_names() -> &'static [&'static str] {
    &SCHEMA.property_names
}

/// The parsed schema document.
pub fn document() -> &'static Value {
    &SCHEMA.document
}

/// Every schema violation of a model, as everit-json-schema (which CloudFormation uses) words them:
/// `#: extraneous key [X] is not permitted`, `#/AuthSessionValidity: 99 is not less or equal to 15`.
pub fn violations(model: &Value) -> Vec<String> {
    if !model.is_object() {
        return vec![format!(
            "#: expected type: JSONObject, found: {}",
            type_name(model)
        )];
    }
    SCHEMA
        .validator
        .iter_errors(model)
        .map(|e| everit_message(&e))
        .collect()
}

fn everit_message(error: &ValidationError<'_>) -> String {
    let at = format!("#{}", error.instance_path().as_str());
    let instance = error.instance();
    let shown = match instance.as_ref() {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let what = match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            return unexpected
                .iter()
                .map(|k| format!("{at}: extraneous key [{k}] is not permitted"))
                .collect::<Vec<_>>()
                .join("\n");
        }
        ValidationErrorKind::Required { property } => {
            format!(
                "required key [{}] not found",
                property.as_str().unwrap_or_default()
            )
        }
        ValidationErrorKind::Type { .. } => {
            format!(
                "expected type: {}, found: {}",
                expected_type(error),
                type_name(instance.as_ref())
            )
        }
        ValidationErrorKind::Minimum { limit } => {
            format!("{shown} is not greater or equal to {limit}")
        }
        ValidationErrorKind::Maximum { limit } => {
            format!("{shown} is not less or equal to {limit}")
        }
        ValidationErrorKind::MinLength { limit } => {
            format!(
                "expected minLength: {limit}, actual: {}",
                shown.chars().count()
            )
        }
        ValidationErrorKind::MaxLength { limit } => {
            format!(
                "expected maxLength: {limit}, actual: {}",
                shown.chars().count()
            )
        }
        ValidationErrorKind::Pattern { pattern } => {
            format!("string [{shown}] does not match pattern {pattern}")
        }
        ValidationErrorKind::Enum { .. } => format!("{shown} is not a valid enum value"),
        ValidationErrorKind::UniqueItems => "array items are not unique".to_owned(),
        ValidationErrorKind::MaxItems { limit } => {
            format!(
                "expected maximum item count: {limit}, found: {}",
                count(instance.as_ref())
            )
        }
        ValidationErrorKind::MinItems { limit } => {
            format!(
                "expected minimum item count: {limit}, found: {}",
                count(instance.as_ref())
            )
        }
        _ => error.masked().to_string(),
    };
    format!("{at}: {what}")
}

fn expected_type(error: &ValidationError<'_>) -> String {
    match error.kind() {
        ValidationErrorKind::Type { kind } => {
            let name = format!("{kind:?}");
            // everit names JSON types in Java's words.
            let name = name.trim_start_matches("Single(").trim_end_matches(')');
            match name {
                "String" => "String",
                "Integer" => "Integer",
                "Number" => "Number",
                "Boolean" => "Boolean",
                "Array" => "JSONArray",
                "Object" => "JSONObject",
                other => return other.to_owned(),
            }
            .to_owned()
        }
        _ => String::new(),
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "Null",
        Value::Bool(_) => "Boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "Integer",
        Value::Number(_) => "BigDecimal",
        Value::String(_) => "String",
        Value::Array(_) => "JSONArray",
        Value::Object(_) => "JSONObject",
    }
}

fn count(value: &Value) -> usize {
    value.as_array().map_or(0, Vec::len)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn facts_come_from_the_schema_file() {
        assert_eq!(read_only(), ["ClientSecret", "Name", "ClientId"]);
        assert_eq!(create_only(), ["GenerateSecret", "UserPoolId"]);
        assert_eq!(property_names()[0], "ClientName");
    }

    #[test]
    fn violations_read_like_cloudformation() {
        let found = violations(&json!({"UserPoolId": "us-east-1_a", "Bogus": 1}));
        assert_eq!(found, ["#: extraneous key [Bogus] is not permitted"]);
        let found = violations(&json!({"UserPoolId": "us-east-1_a", "AuthSessionValidity": 99}));
        assert_eq!(
            found,
            ["#/AuthSessionValidity: 99 is not less or equal to 15"]
        );
        let found = violations(&json!({"ClientName": "x"}));
        assert_eq!(found, ["#: required key [UserPoolId] not found"]);
    }
}
