//! The official resource schema as a validator, and its errors turned into clear violations.

use std::sync::LazyLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use super::schema::{self, READ_ONLY};
use super::suggest::did_you_mean;
use super::violation::Violation;

// The file declares no `$schema`; CloudFormation resource schemas are draft-07.
static VALIDATOR: LazyLock<Validator> = LazyLock::new(|| {
    jsonschema::draft7::options()
        .build(schema::document())
        .expect("the embedded schema compiles")
});

/// Every violation of the official schema, in the order the validator finds them.
pub(crate) fn violations(properties: &Value) -> Vec<Violation> {
    // The schema has no top-level `type`, so it would accept any non-object as is.
    if !properties.is_object() {
        return vec![Violation::new(
            "",
            format!("must be a JSON object, not {}", describe(properties)),
        )];
    }
    let errors: Vec<ValidationError<'_>> = VALIDATOR.iter_errors(properties).collect();
    // A value of the wrong type also breaks its other keywords (`enum`); the type says it all.
    let mistyped: Vec<&str> = errors
        .iter()
        .filter(|error| matches!(error.kind(), ValidationErrorKind::Type { .. }))
        .map(|error| error.instance_path().as_str())
        .collect();
    errors
        .iter()
        .filter(|error| {
            matches!(error.kind(), ValidationErrorKind::Type { .. })
                || !mistyped.contains(&error.instance_path().as_str())
        })
        .flat_map(translate)
        .collect()
}

fn translate(error: &ValidationError<'_>) -> Vec<Violation> {
    let pointer = error.instance_path().as_str();
    let instance = error.instance();
    let message = match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            return unexpected
                .iter()
                .map(|name| unknown(pointer, name))
                .collect();
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            return vec![Violation::new(
                format!("{pointer}/{}", escape(name)),
                format!("missing required property \"{name}\""),
            )];
        }
        ValidationErrorKind::Type { .. } => {
            let expected = &expected_schema(pointer)["type"];
            let expected = expected.as_str().unwrap_or("another type");
            format!("must be {}, not {}", article(expected), describe(instance))
        }
        ValidationErrorKind::Minimum { limit } => {
            format!("must be at least {limit}: {instance} is too small")
        }
        ValidationErrorKind::Maximum { limit } => {
            format!("must be at most {limit}: {instance} is too large")
        }
        ValidationErrorKind::MinLength { limit } => {
            format!("must be at least {limit} characters long")
        }
        ValidationErrorKind::MaxLength { limit } => {
            let length = instance.as_str().map_or(0, |s| s.chars().count());
            format!("must be at most {limit} characters long: this one has {length}")
        }
        ValidationErrorKind::Enum { options } => enum_message(options, instance),
        _ => error.masked().to_string(),
    };
    vec![Violation::new(pointer, message)]
}

fn unknown(object: &str, name: &str) -> Violation {
    let known = expected_schema(object)["properties"].as_object();
    let at_top = object.is_empty();
    let candidates = known
        .into_iter()
        .flat_map(|properties| properties.keys())
        .map(String::as_str)
        // Suggesting a read-only property would only trade one error for another.
        .filter(|candidate| !(at_top && READ_ONLY.contains(candidate)));
    Violation::new(
        format!("{object}/{}", escape(name)),
        format!(
            "unknown property \"{name}\"{}",
            did_you_mean(name, candidates)
        ),
    )
}

fn enum_message(options: &Value, instance: &Value) -> String {
    let options: Vec<&str> = options
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let hint = instance
        .as_str()
        .map(|got| did_you_mean(got, options.iter().copied()))
        .unwrap_or_default();
    format!(
        "must be one of {}: got {instance}{hint}",
        options.join(", ")
    )
}

/// The schema node that describes the instance at `pointer`, following local `$ref`s.
fn expected_schema(pointer: &str) -> &'static Value {
    let mut node = resolve(schema::document());
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        node = match node.get("properties") {
            Some(properties) => &properties[segment.as_str()],
            None => &node["items"],
        };
        node = resolve(node);
    }
    node
}

fn resolve(node: &'static Value) -> &'static Value {
    match node["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/definitions/"))
    {
        Some(name) => &schema::document()["definitions"][name],
        None => node,
    }
}

fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

fn article(kind: &str) -> String {
    match kind {
        "null" => "null".to_owned(),
        "integer" | "array" | "object" => format!("an {kind}"),
        _ => format!("a {kind}"),
    }
}

fn describe(value: &Value) -> String {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    article(kind)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn at(violations: &[Violation], pointer: &str) -> Vec<String> {
        violations
            .iter()
            .filter(|v| v.pointer == pointer)
            .map(|v| v.message.clone())
            .collect()
    }

    #[test]
    fn embedded_schema_compiles_as_draft_7() {
        LazyLock::force(&VALIDATOR);
    }

    #[test]
    fn a_minimal_document_is_valid() {
        assert_eq!(violations(&json!({"UserPoolId": "us-east-1_abc"})), vec![]);
    }

    #[test]
    fn a_non_object_is_rejected_at_the_root() {
        let found = violations(&json!(["UserPoolId"]));
        assert_eq!(
            found,
            vec![Violation::new("", "must be a JSON object, not an array")]
        );
    }

    #[test]
    fn missing_user_pool_id_is_reported_at_its_pointer() {
        let found = violations(&json!({}));
        assert_eq!(
            at(&found, "/UserPoolId"),
            ["missing required property \"UserPoolId\""]
        );
    }

    #[test]
    fn wrong_type_names_the_expected_type() {
        let found = violations(&json!({"UserPoolId": 7, "CallbackURLs": ["https://a", 3]}));
        assert_eq!(
            at(&found, "/UserPoolId"),
            ["must be a string, not a number"]
        );
        assert_eq!(
            at(&found, "/CallbackURLs/1"),
            ["must be a string, not a number"]
        );
    }

    #[test]
    fn out_of_bounds_integer_names_the_bound() {
        let found = violations(&json!({"UserPoolId": "p_1", "AuthSessionValidity": 16}));
        assert_eq!(
            at(&found, "/AuthSessionValidity"),
            ["must be at most 15: 16 is too large"]
        );
    }

    #[test]
    fn too_long_client_name_is_rejected() {
        let found = violations(&json!({"UserPoolId": "p_1", "ClientName": "x".repeat(129)}));
        assert_eq!(
            at(&found, "/ClientName"),
            ["must be at most 128 characters long: this one has 129"]
        );
    }

    #[test]
    fn unknown_property_is_named_with_a_suggestion() {
        let found = violations(&json!({"UserPoolId": "p_1", "CallbackUrls": [], "Foo": 1}));
        assert_eq!(
            at(&found, "/CallbackUrls"),
            ["unknown property \"CallbackUrls\"; did you mean CallbackURLs?"]
        );
        assert_eq!(at(&found, "/Foo"), ["unknown property \"Foo\""]);
    }

    #[test]
    fn unknown_nested_property_in_token_validity_units_is_rejected() {
        let found = violations(&json!({
            "UserPoolId": "p_1",
            "TokenValidityUnits": {"AccesToken": "minutes"}
        }));
        assert_eq!(
            found,
            vec![Violation::new(
                "/TokenValidityUnits/AccesToken",
                "unknown property \"AccesToken\"; did you mean AccessToken?"
            )]
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_not_also_checked_against_its_enum() {
        let found =
            violations(&json!({"UserPoolId": "p_1", "RefreshTokenRotation": {"Feature": 3}}));
        assert_eq!(
            found,
            vec![Violation::new(
                "/RefreshTokenRotation/Feature",
                "must be a string, not a number"
            )]
        );
    }

    #[test]
    fn enum_violation_lists_the_options() {
        let found = violations(&json!({
            "UserPoolId": "p_1",
            "RefreshTokenRotation": {"Feature": "enabled"}
        }));
        assert_eq!(
            at(&found, "/RefreshTokenRotation/Feature"),
            ["must be one of ENABLED, DISABLED: got \"enabled\"; did you mean ENABLED?"]
        );
    }
}
