//! The desired-state document a user sends: properties plus region, labels and management options.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::rotation::SecretRotation;
use super::validate;
use super::violation::Violation;

/// What happens in AWS when the resource is deleted from ccplane.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum DeletionPolicy {
    /// Delete the client in AWS.
    #[default]
    Delete,
    /// Forget the client but leave it in AWS.
    Retain,
}

/// What happens when a create-only property (`UserPoolId`, `GenerateSecret`) changes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum ReplacementPolicy {
    /// Refuse the change.
    #[default]
    Reject,
    /// Create the new client, switch to it, then delete the old one.
    CreateBeforeDelete,
    /// Delete the old client, then create the new one.
    DeleteBeforeCreate,
}

/// What happens when the live client differs from the desired state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum DriftPolicy {
    /// Report the difference in the status and the events.
    #[default]
    Report,
    /// Report it and patch the client back.
    Remediate,
}

/// Whether ccplane may change the client in AWS, or only read it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum ManagementPolicy {
    /// Create, update, replace and delete the client as the document says.
    #[default]
    Manage,
    /// Only read the client and report how it differs from the document: never create, update,
    /// replace or delete it (deleting the resource forgets it).
    Observe,
}

/// Policies are stored as their names; a name the enum does not know is a decoding error, never a
/// silent default.
fn policy_from_name<T: serde::de::DeserializeOwned>(name: String) -> Result<T, String> {
    serde_json::from_value(Value::String(name.clone()))
        .map_err(|_| format!("unknown policy name {name:?}"))
}

impl TryFrom<String> for DeletionPolicy {
    type Error = String;
    fn try_from(name: String) -> Result<Self, String> {
        policy_from_name(name)
    }
}

impl TryFrom<String> for ReplacementPolicy {
    type Error = String;
    fn try_from(name: String) -> Result<Self, String> {
        policy_from_name(name)
    }
}

impl TryFrom<String> for ManagementPolicy {
    type Error = String;
    fn try_from(name: String) -> Result<Self, String> {
        policy_from_name(name)
    }
}

impl TryFrom<String> for DriftPolicy {
    type Error = String;
    fn try_from(name: String) -> Result<Self, String> {
        policy_from_name(name)
    }
}

/// An existing client ccplane should take over instead of creating one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Adopt {
    /// The Cloud Control identifier of the client: `UserPoolId|ClientId`.
    #[schema(example = "us-east-1_examplePoolId|1example23456789abcdefghij")]
    pub identifier: String,
}

/// The desired state of one UserPoolClient, as stored and as sent back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Spec {
    /// AWS region of the client; defaults to the server's configured region.
    #[schema(example = "us-east-1")]
    pub region: String,
    /// Free-form labels for selection (`labels=team=payments`).
    pub labels: BTreeMap<String, String>,
    /// The client's properties, with CloudFormation's `AWS::Cognito::UserPoolClient` names.
    #[schema(schema_with = properties_ref)]
    pub properties: Map<String, Value>,
    /// What deleting the resource does in AWS.
    pub deletion_policy: DeletionPolicy,
    /// What a change to a create-only property does.
    pub replacement_policy: ReplacementPolicy,
    /// What drift does.
    pub drift_policy: DriftPolicy,
    /// Whether ccplane changes the client or only observes it.
    pub management_policy: ManagementPolicy,
    /// When true the reconciler leaves the resource alone.
    pub paused: bool,
    /// An existing client to take over.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adopt: Option<Adopt>,
    /// Seconds between drift checks of this client; the server's default when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 60, maximum = 604800)]
    pub drift_check_interval_seconds: Option<u32>,
    /// Scheduled rotation of the client's secret, delivered through Secrets Manager.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_rotation: Option<SecretRotation>,
}

/// The name of the OpenAPI schema of `properties`, built from the official resource schema.
pub const PROPERTIES_SCHEMA: &str = "UserPoolClientProperties";

/// A reference to the schema of `properties` ([`PROPERTIES_SCHEMA`]), for the types that carry them.
pub fn properties_ref() -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
    utoipa::openapi::Ref::from_schema_name(PROPERTIES_SCHEMA).into()
}

/// The document fields a user may send; anything else is an error.
const FIELDS: &[&str] = &[
    "region",
    "labels",
    "properties",
    "deletionPolicy",
    "replacementPolicy",
    "driftPolicy",
    "managementPolicy",
    "paused",
    "adopt",
    "driftCheckIntervalSeconds",
    "secretRotation",
];

/// Most labels one resource may carry.
pub const MAX_LABELS: usize = 64;

/// A DNS label (RFC 1123: lowercase alphanumerics and `-`, 1–63 characters), unanchored.
macro_rules! dns_label {
    () => {
        "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"
    };
}

/// The pattern of namespaces and names, as checked here and stated in the OpenAPI document.
pub const DNS_LABEL_PATTERN: &str = concat!("^", dns_label!(), "$");
/// The pattern of a binding's namespace: a DNS label, or `*` for every namespace.
pub const DNS_LABEL_OR_ANY_PATTERN: &str = concat!(r"^(\*|", dns_label!(), ")$");

static DNS_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(DNS_LABEL_PATTERN).expect("valid regex"));
/// The pattern of a label key: an optional DNS prefix and `/`, then a name of 1–63 characters
/// (checked here and in selectors, and stated in the OpenAPI document).
pub const LABEL_KEY_PATTERN: &str =
    r"^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";
/// The pattern of a label value: at most 63 characters, possibly empty.
pub const LABEL_VALUE_PATTERN: &str = r"^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$";

static LABEL_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(LABEL_KEY_PATTERN).expect("valid regex"));
static LABEL_VALUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(LABEL_VALUE_PATTERN).expect("valid regex"));

/// Whether `key` can be a label's key (at most 316 characters, as the OpenAPI document says).
pub fn is_label_key(key: &str) -> bool {
    key.len() <= 316 && LABEL_KEY.is_match(key)
}

/// Whether `value` can be a label's value.
pub fn is_label_value(value: &str) -> bool {
    LABEL_VALUE.is_match(value)
}
static REGION: LazyLock<Regex> = LazyLock::new(|| Regex::new(REGION_PATTERN).expect("valid regex"));
static IDENTIFIER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\w-]+_[0-9a-zA-Z]+\|[a-z0-9]{1,128}$").expect("valid regex"));

/// The pattern of an AWS region name such as `us-east-1`, as documents and namespace settings
/// name regions (and as the OpenAPI document states it).
pub const REGION_PATTERN: &str = r"^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$";

/// Whether `s` is an AWS region name such as `us-east-1`.
pub fn is_region(s: &str) -> bool {
    REGION.is_match(s)
}

/// Whether `s` is a DNS label (RFC 1123: lowercase alphanumerics and `-`, 1–63 characters).
pub fn is_dns_label(s: &str) -> bool {
    DNS_LABEL.is_match(s)
}

/// A document that passed validation, with the warnings it earned.
#[derive(Debug, Clone, PartialEq)]
pub struct Validated {
    /// The desired state, defaults filled in.
    pub spec: Spec,
    /// Settings accepted but without effect, pointers relative to the document.
    pub warnings: Vec<Violation>,
}

/// Parses and validates a desired-state document, reporting every violation with a pointer into `body`.
///
/// `allowed_extra` names top-level fields the caller handles itself (e.g. `name` on POST).
pub fn parse_spec(
    body: &Value,
    default_region: &str,
    allowed_extra: &[&str],
) -> Result<Validated, Vec<Violation>> {
    let Some(doc) = body.as_object() else {
        return Err(vec![Violation::new(
            "",
            "the document must be a JSON object",
        )]);
    };
    let mut errors = Vec::new();
    for key in doc.keys() {
        if !FIELDS.contains(&key.as_str()) && !allowed_extra.contains(&key.as_str()) {
            errors.push(Violation::new(
                pointer(&[key]),
                format!(
                    "unknown field \"{key}\"; expected one of {}",
                    FIELDS.join(", ")
                ),
            ));
        }
    }
    let region = parse_region(doc.get("region"), default_region, &mut errors);
    let labels = parse_labels(doc.get("labels"), &mut errors);
    let deletion_policy = parse_enum(doc, "deletionPolicy", &mut errors);
    let replacement_policy = parse_enum(doc, "replacementPolicy", &mut errors);
    let drift_policy = parse_enum(doc, "driftPolicy", &mut errors);
    let management_policy = parse_enum(doc, "managementPolicy", &mut errors);
    let paused = parse_paused(doc.get("paused"), &mut errors);
    let adopt = parse_adopt(doc.get("adopt"), &mut errors);
    let drift_check_interval_seconds =
        parse_interval(doc.get("driftCheckIntervalSeconds"), &mut errors);
    let generates_secret = doc
        .get("properties")
        .and_then(|p| p.get("GenerateSecret"))
        .and_then(Value::as_bool)
        == Some(true);
    let secret_rotation =
        super::rotation::parse(doc.get("secretRotation"), generates_secret, &mut errors);
    let (properties, warnings) = parse_properties(doc.get("properties"), &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Validated {
        spec: Spec {
            region,
            labels,
            properties,
            deletion_policy,
            replacement_policy,
            drift_policy,
            management_policy,
            paused,
            adopt,
            drift_check_interval_seconds,
            secret_rotation,
        },
        warnings,
    })
}

fn parse_region(value: Option<&Value>, default: &str, errors: &mut Vec<Violation>) -> String {
    match value {
        None | Some(Value::Null) => default.to_owned(),
        Some(Value::String(r)) if is_region(r) => r.clone(),
        Some(_) => {
            errors.push(Violation::new(
                "/region",
                "must be an AWS region name such as us-east-1",
            ));
            String::new()
        }
    }
}

fn parse_labels(value: Option<&Value>, errors: &mut Vec<Violation>) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    let map = match value {
        None | Some(Value::Null) => return labels,
        Some(Value::Object(map)) => map,
        Some(_) => {
            errors.push(Violation::new(
                "/labels",
                "must be an object of string values",
            ));
            return labels;
        }
    };
    if map.len() > MAX_LABELS {
        errors.push(Violation::new(
            "/labels",
            format!("at most {MAX_LABELS} labels"),
        ));
    }
    for (key, value) in map {
        let at = pointer(&["labels", key]);
        if !is_label_key(key) {
            errors.push(Violation::new(
                &at,
                "label keys are an optional DNS prefix and `/`, then 1–63 alphanumerics, `-`, `_` or `.`",
            ));
        }
        match value {
            Value::String(v) if is_label_value(v) => {
                labels.insert(key.clone(), v.clone());
            }
            _ => errors.push(Violation::new(
                &at,
                "label values are strings of at most 63 alphanumerics, `-`, `_` or `.`",
            )),
        }
    }
    labels
}

fn parse_enum<T>(doc: &Map<String, Value>, field: &str, errors: &mut Vec<Violation>) -> T
where
    T: Default + serde::de::DeserializeOwned + ToSchema,
{
    match doc.get(field) {
        None | Some(Value::Null) => T::default(),
        Some(value) => serde_json::from_value(value.clone()).unwrap_or_else(|_| {
            errors.push(Violation::new(
                pointer(&[field]),
                format!("must be one of {}", enum_names::<T>().join(", ")),
            ));
            T::default()
        }),
    }
}

/// The variant names of a unit enum, read from its OpenAPI schema so they cannot drift from the type.
fn enum_names<T: ToSchema>() -> Vec<String> {
    let schema = serde_json::to_value(T::schema()).unwrap_or_default();
    schema["enum"]
        .as_array()
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn parse_paused(value: Option<&Value>, errors: &mut Vec<Violation>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            errors.push(Violation::new("/paused", "must be true or false"));
            false
        }
    }
}

/// Drift checks at most once a minute and at least once a week.
const DRIFT_INTERVAL_SECONDS: std::ops::RangeInclusive<u64> = 60..=604_800;

fn parse_interval(value: Option<&Value>, errors: &mut Vec<Violation>) -> Option<u32> {
    match value {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_u64().filter(|n| DRIFT_INTERVAL_SECONDS.contains(n)) {
            Some(n) => u32::try_from(n).ok(),
            None => {
                errors.push(Violation::new(
                    "/driftCheckIntervalSeconds",
                    "must be a whole number of seconds from 60 to 604800 (one week)",
                ));
                None
            }
        },
    }
}

fn parse_adopt(value: Option<&Value>, errors: &mut Vec<Violation>) -> Option<Adopt> {
    let adopt = match value {
        None | Some(Value::Null) => return None,
        Some(Value::Object(adopt)) => adopt,
        Some(_) => {
            errors.push(Violation::new(
                "/adopt",
                "must be an object with an `identifier`",
            ));
            return None;
        }
    };
    for key in adopt.keys().filter(|k| *k != "identifier") {
        errors.push(Violation::new(
            pointer(&["adopt", key]),
            "unknown field; expected identifier",
        ));
    }
    match adopt.get("identifier") {
        Some(Value::String(id)) if IDENTIFIER.is_match(id) => Some(Adopt {
            identifier: id.clone(),
        }),
        _ => {
            errors.push(Violation::new(
                "/adopt/identifier",
                "must be a Cloud Control identifier `UserPoolId|ClientId`",
            ));
            None
        }
    }
}

fn parse_properties(
    value: Option<&Value>,
    errors: &mut Vec<Violation>,
) -> (Map<String, Value>, Vec<Violation>) {
    let Some(value) = value else {
        errors.push(Violation::new("/properties", "is required"));
        return (Map::new(), Vec::new());
    };
    let report = validate::validate_desired(value);
    errors.extend(report.errors.into_iter().map(under_properties));
    let warnings = report.warnings.into_iter().map(under_properties).collect();
    (value.as_object().cloned().unwrap_or_default(), warnings)
}

fn under_properties(v: Violation) -> Violation {
    Violation::new(format!("/properties{}", v.pointer), v.message)
}

/// A JSON Pointer (RFC 6901) from unescaped reference tokens.
pub fn pointer(tokens: &[&str]) -> String {
    tokens
        .iter()
        .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
        .collect()
}

impl Spec {
    /// The document as JSON, the form merge patches apply to.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("a spec always serializes")
    }

    /// The names of create-only properties whose values differ between `self` and `other`.
    pub fn create_only_changes(&self, other: &Spec) -> Vec<String> {
        super::schema::CREATE_ONLY
            .iter()
            .filter(|p| self.properties.get(**p) != other.properties.get(**p))
            .map(|p| (*p).to_owned())
            .collect()
    }

    /// The document fields whose values differ between `self` and `other`, as pointers.
    pub fn changed_fields(&self, other: &Spec) -> Vec<String> {
        let (old, new) = (self.to_json(), other.to_json());
        let mut fields = Vec::new();
        for key in FIELDS {
            if key == &"properties" {
                let keys = self.properties.keys().chain(other.properties.keys());
                let changed: std::collections::BTreeSet<String> = keys
                    .filter(|k| self.properties.get(*k) != other.properties.get(*k))
                    .map(|k| pointer(&["properties", k]))
                    .collect();
                fields.extend(changed);
            } else if old.get(key) != new.get(key) {
                fields.push(pointer(&[key]));
            }
        }
        fields
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(body: Value) -> Result<Validated, Vec<Violation>> {
        parse_spec(&body, "us-east-1", &[])
    }

    #[test]
    fn defaults_are_filled_in() {
        let v = parse(json!({"properties": {"UserPoolId": "us-east-1_abc"}})).unwrap();
        assert_eq!(v.spec.region, "us-east-1");
        assert_eq!(v.spec.deletion_policy, DeletionPolicy::Delete);
        assert_eq!(v.spec.replacement_policy, ReplacementPolicy::Reject);
        assert_eq!(v.spec.drift_policy, DriftPolicy::Report);
        assert_eq!(v.spec.management_policy, ManagementPolicy::Manage);
        assert!(!v.spec.paused);
    }

    #[test]
    fn a_document_may_only_observe_its_client() {
        let v = parse(json!({"managementPolicy": "Observe", "properties": {"UserPoolId": "a_b"}}));
        assert_eq!(v.unwrap().spec.management_policy, ManagementPolicy::Observe);
        let errors =
            parse(json!({"managementPolicy": "Watch", "properties": {"UserPoolId": "a_b"}}))
                .unwrap_err();
        assert_eq!(errors[0].pointer, "/managementPolicy");
        assert_eq!(errors[0].message, "must be one of Manage, Observe");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let errors = parse(json!({
            "region": "moon",
            "labels": {"team": "pay ments"},
            "deletionPolicy": "Keep",
            "paused": "yes",
            "adopt": {"identifier": "nope"},
            "extra": 1,
            "properties": {"UserPoolId": "us-east-1_abc"}
        }))
        .unwrap_err();
        let pointers: Vec<_> = errors.iter().map(|e| e.pointer.as_str()).collect();
        for expected in [
            "/region",
            "/labels/team",
            "/deletionPolicy",
            "/paused",
            "/adopt/identifier",
            "/extra",
        ] {
            assert!(
                pointers.contains(&expected),
                "{expected} missing in {pointers:?}"
            );
        }
    }

    #[test]
    fn enum_errors_name_the_allowed_values() {
        let errors = parse(json!({"driftPolicy": "x", "properties": {"UserPoolId": "a_b"}}));
        assert_eq!(
            errors.unwrap_err()[0].message,
            "must be one of Report, Remediate"
        );
    }

    #[test]
    fn missing_properties_is_reported() {
        let errors = parse(json!({})).unwrap_err();
        assert_eq!(errors[0].pointer, "/properties");
    }

    #[test]
    fn dns_labels_are_checked() {
        assert!(is_dns_label("payments-1"));
        assert!(!is_dns_label("Payments"));
        assert!(!is_dns_label("-a"));
        assert!(!is_dns_label(&"a".repeat(64)));
    }

    #[test]
    fn region_names_end_in_one_or_two_digits() {
        for region in ["us-east-1", "eu-west-2", "us-gov-west-1", "ap-southeast-11"] {
            assert!(is_region(region), "{region}");
        }
        for not_a_region in ["moon-1", "us-east", "us-east-123", "US-EAST-1"] {
            assert!(!is_region(not_a_region), "{not_a_region}");
        }
    }

    #[test]
    fn changed_fields_lists_properties_and_options() {
        let a = parse(json!({"properties": {"UserPoolId": "a_b", "ClientName": "x"}})).unwrap();
        let b = parse(json!({"paused": true, "properties": {"UserPoolId": "a_b"}})).unwrap();
        assert_eq!(
            a.spec.changed_fields(&b.spec),
            vec!["/properties/ClientName", "/paused"]
        );
    }
}
