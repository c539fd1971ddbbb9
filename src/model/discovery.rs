//! Discovery's vocabulary: what a discovery of a user pool found, and the document a person would
//! write for a client found in it (read-only fields, the secret and Cognito's defaults left out; a
//! DNS-label name from its `ClientName`; the clients other AWS services own, by their names).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;

use super::diff::{COGNITO_DEFAULTED, cognito_default};
use super::document::ManagementPolicy;
use super::schema::READ_ONLY;

/// Where a discovery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum DiscoveryPhase {
    /// Listing the pool's clients, page by page.
    Listing,
    /// Reading each client ccplane does not manage.
    Reading,
    /// Every client was listed and read (or failed to be).
    Complete,
    /// The pool could not be listed (it does not exist, or access was denied).
    Failed,
}

impl DiscoveryPhase {
    /// The name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Listing => "Listing",
            Self::Reading => "Reading",
            Self::Complete => "Complete",
            Self::Failed => "Failed",
        }
    }
}

impl TryFrom<String> for DiscoveryPhase {
    type Error = String;
    fn try_from(name: String) -> Result<Self, String> {
        serde_json::from_value(Value::String(name.clone()))
            .map_err(|_| format!("unknown discovery phase {name:?}"))
    }
}

/// What became of one listed client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum ClientState {
    /// Listed, not read yet.
    Pending,
    /// Read: its proposed document is ready to adopt.
    Read,
    /// A resource already manages it (it was not read).
    Managed,
    /// It could not be read.
    Failed,
    /// Adopted from this discovery.
    Adopted,
}

impl ClientState {
    /// The name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Read => "Read",
            Self::Managed => "Managed",
            Self::Failed => "Failed",
            Self::Adopted => "Adopted",
        }
    }
}

impl TryFrom<String> for ClientState {
    type Error = String;
    fn try_from(name: String) -> Result<Self, String> {
        serde_json::from_value(Value::String(name.clone()))
            .map_err(|_| format!("unknown client state {name:?}"))
    }
}

/// How far a discovery has come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiscoveryProgress {
    /// Clients listed so far.
    pub listed: i64,
    /// Clients read (adopted ones included).
    pub read: i64,
    /// Clients a resource already manages (not read).
    pub already_managed: i64,
    /// Clients another AWS service made (read, but not adopted unless asked for by id).
    pub owned_by_another_service: i64,
    /// Clients that could not be read.
    pub failed: i64,
    /// Clients adopted from this discovery.
    pub adopted: i64,
}

/// A discovery's progress, as its events carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiscoveryData {
    /// The discovery's id.
    pub discovery: Uuid,
    /// The user pool discovered.
    pub user_pool_id: String,
    /// Its phase after the step.
    pub phase: DiscoveryPhase,
    /// Its counts after the step.
    pub progress: DiscoveryProgress,
    /// The error that failed it, or that a retry follows.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub error_code: Option<String>,
}

/// Clients adopted in bulk from a discovery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdoptionData {
    /// The discovery's id.
    pub discovery: Uuid,
    /// How many resources were created.
    pub adopted: usize,
    /// Their management policy.
    pub management_policy: ManagementPolicy,
}

/// The name prefixes of clients that other AWS services make in a user's pool, with the service:
/// OpenSearch Service's Dashboards authentication creates (and deletes) its own app client, named
/// `AWSElasticsearch-…` by the Elasticsearch-era service and `AmazonOpenSearchService-…` today
/// (go-to-k/cdk-real-drift #897; terraform-provider-aws and Pulumi document
/// `aws_cognito_managed_user_pool_client` with `name_pattern = "^AmazonOpenSearchService-…"` for
/// exactly these clients, "created by an AWS service … and removed when no longer required").
pub const SERVICE_PREFIXES: &[(&str, &str)] = &[
    ("AWSElasticsearch-", "Amazon OpenSearch Service"),
    ("AmazonOpenSearchService-", "Amazon OpenSearch Service"),
];

/// The AWS service that owns a client named `client_name`, if its name says so.
pub fn service_owner(client_name: Option<&str>) -> Option<&'static str> {
    let name = client_name?;
    SERVICE_PREFIXES
        .iter()
        .find(|(prefix, _)| name.starts_with(prefix))
        .map(|(_, service)| *service)
}

/// The properties a person would write for the client read as `live`: no read-only property (so
/// no `ClientSecret`), nothing empty, and nothing equal to what Cognito fills in by default
/// (`model::diff::COGNITO_DEFAULTED`); `GenerateSecret: true` when the client has a secret. A
/// document of these is in sync with `live` (a property it does not set is left as it is).
pub fn propose(live: &Map<String, Value>) -> Map<String, Value> {
    let refresh_unit = live
        .get("TokenValidityUnits")
        .and_then(|u| u.get("RefreshToken"))
        .and_then(Value::as_str)
        .unwrap_or("days");
    let mut proposed = Map::new();
    for (key, value) in live {
        if READ_ONLY.contains(&key.as_str()) || is_empty(value) {
            continue;
        }
        if key == "GenerateSecret" && value != &Value::Bool(true) {
            continue;
        }
        if COGNITO_DEFAULTED.contains(&key.as_str()) && is_default(key, value, refresh_unit) {
            continue;
        }
        proposed.insert(key.clone(), value.clone());
    }
    let has_secret = live
        .get("ClientSecret")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty());
    if has_secret {
        proposed.insert("GenerateSecret".into(), Value::Bool(true));
    }
    proposed
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(members) => members.is_empty(),
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

/// Whether `value` of `key` is Cognito's default. Units are each compared with their default (an
/// absent unit is the default one); with rotation `DISABLED`, the grace period Cognito reads back
/// as 0 means nothing.
fn is_default(key: &str, value: &Value, refresh_unit: &str) -> bool {
    let Some(default) = cognito_default(key, refresh_unit) else {
        return false;
    };
    match key {
        "TokenValidityUnits" => value.as_object().is_some_and(|units| {
            units
                .iter()
                .all(|(unit, v)| default.get(unit).is_some_and(|d| d == v))
        }),
        "RefreshTokenRotation" => {
            value.get("Feature") == default.get("Feature")
                && value
                    .get("RetryGracePeriodSeconds")
                    .is_none_or(|g| g.as_i64() == Some(0))
        }
        _ => value == &default,
    }
}

/// The longest DNS label.
const MAX_LABEL: usize = 63;

/// A DNS label from a `ClientName` (lowercase; every run of other characters one `-`), or
/// `client-<ClientId>` when the name leaves nothing.
pub fn name_base(client_name: Option<&str>, client_id: &str) -> String {
    let mut label = String::new();
    for c in client_name.unwrap_or_default().chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            label.push(c);
        } else if !label.is_empty() && !label.ends_with('-') {
            label.push('-');
        }
    }
    let label = trim_label(&label, MAX_LABEL);
    if label.is_empty() {
        return trim_label(
            &format!("client-{}", client_id.to_ascii_lowercase()),
            MAX_LABEL,
        );
    }
    label
}

fn trim_label(label: &str, max: usize) -> String {
    let cut: String = label.chars().take(max).collect();
    cut.trim_matches('-').to_owned()
}

/// `base`, or `base-2`, `base-3`, … (cut to stay a DNS label): the first that `taken` refuses.
pub fn unique_name(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2u32..)
        .map(|n| {
            let suffix = format!("-{n}");
            format!("{}{suffix}", trim_label(base, MAX_LABEL - suffix.len()))
        })
        .find(|candidate| !taken(candidate))
        .expect("some suffix is free")
}

/// The document proposed for client `identifier` in `region`: its properties, the identifier to
/// adopt, and `managementPolicy` (`Observe` unless the adoption says otherwise).
pub fn proposed_document(
    region: &str,
    identifier: &str,
    properties: &Map<String, Value>,
    management_policy: ManagementPolicy,
) -> Value {
    serde_json::json!({
        "region": region,
        "managementPolicy": management_policy,
        "adopt": {"identifier": identifier},
        "properties": properties,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diff::diff;
    use crate::model::document::{is_dns_label, parse_spec};
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    /// A client as Cognito reads one back after a create that set little: defaults filled in.
    fn live() -> Map<String, Value> {
        map(json!({
            "UserPoolId": "us-east-1_examplePoolId",
            "ClientId": "1example23456789abcdefghij",
            "ClientSecret": "s3cr3t",
            "Name": "Billing portal",
            "ClientName": "Billing portal",
            "CallbackURLs": ["https://billing.example.com/cb"],
            "AllowedOAuthFlows": ["code"],
            "AllowedOAuthScopes": ["openid"],
            "AllowedOAuthFlowsUserPoolClient": true,
            "SupportedIdentityProviders": ["COGNITO"],
            "RefreshTokenValidity": 30,
            "AuthSessionValidity": 3,
            "EnableTokenRevocation": true,
            "EnablePropagateAdditionalUserContextData": false,
            "TokenValidityUnits": {"AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days"},
            "RefreshTokenRotation": {"Feature": "DISABLED", "RetryGracePeriodSeconds": 0},
            "ReadAttributes": [],
        }))
    }

    #[test]
    fn the_proposal_leaves_out_read_only_fields_the_secret_empties_and_defaults() {
        let proposed = propose(&live());
        assert_eq!(
            Value::Object(proposed),
            json!({
                "UserPoolId": "us-east-1_examplePoolId",
                "ClientName": "Billing portal",
                "CallbackURLs": ["https://billing.example.com/cb"],
                "AllowedOAuthFlows": ["code"],
                "AllowedOAuthScopes": ["openid"],
                "AllowedOAuthFlowsUserPoolClient": true,
                "SupportedIdentityProviders": ["COGNITO"],
                "GenerateSecret": true,
            })
        );
    }

    #[test]
    fn a_value_other_than_the_default_is_kept_in_its_own_unit() {
        let mut live = live();
        live.remove("ClientSecret");
        live.insert(
            "TokenValidityUnits".into(),
            json!({"AccessToken": "minutes", "IdToken": "hours", "RefreshToken": "hours"}),
        );
        live.insert("RefreshTokenValidity".into(), json!(720));
        live.insert("AuthSessionValidity".into(), json!(10));
        let proposed = propose(&live);
        assert_eq!(proposed["TokenValidityUnits"]["AccessToken"], "minutes");
        // 720 hours is Cognito's 30 days in the client's own unit: the default.
        assert!(!proposed.contains_key("RefreshTokenValidity"));
        assert_eq!(proposed["AuthSessionValidity"], 10);
        assert!(!proposed.contains_key("GenerateSecret"));
    }

    #[test]
    fn the_proposed_document_is_valid_and_in_sync_with_the_client() {
        let live = live();
        let proposed = propose(&live);
        let identifier = "us-east-1_examplePoolId|1example23456789abcdefghij";
        let doc = proposed_document(
            "us-east-1",
            identifier,
            &proposed,
            ManagementPolicy::Observe,
        );
        let validated = parse_spec(&doc, "us-east-1", &[]).expect("a valid document");
        assert_eq!(validated.spec.management_policy, ManagementPolicy::Observe);
        let d = diff(&validated.spec.properties, &live, None);
        assert!(d.in_sync() && d.is_empty(), "{d:?}");
    }

    #[test]
    fn service_owned_clients_are_known_by_their_documented_prefixes() {
        let owner = service_owner(Some("AmazonOpenSearchService-logs-us-east-1-abc"));
        assert_eq!(owner, Some("Amazon OpenSearch Service"));
        let owner = service_owner(Some("AWSElasticsearch-main-ap-southeast-2-uc5i7"));
        assert_eq!(owner, Some("Amazon OpenSearch Service"));
        assert_eq!(service_owner(Some("my-AWSElasticsearch-app")), None);
        assert_eq!(service_owner(None), None);
    }

    #[test]
    fn names_are_dns_labels_unique_in_the_namespace() {
        assert_eq!(
            name_base(Some("Billing portal (prod)"), "x"),
            "billing-portal-prod"
        );
        assert_eq!(name_base(Some("--Web__App--"), "x"), "web-app");
        assert_eq!(name_base(Some("日本"), "ABC123"), "client-abc123");
        assert_eq!(name_base(None, "abc"), "client-abc");
        let long = name_base(Some(&"a".repeat(100)), "x");
        assert_eq!(long.len(), 63);
        assert!(is_dns_label(&long));
        let taken = ["web", "web-2"];
        assert_eq!(unique_name("web", |n| taken.contains(&n)), "web-3");
        assert_eq!(unique_name("api", |n| taken.contains(&n)), "api");
        let suffixed = unique_name(&long, |n| n == long);
        assert_eq!(suffixed.len(), 63);
        assert!(suffixed.ends_with("-2") && is_dns_label(&suffixed));
    }
}
