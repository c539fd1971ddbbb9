//! What Cognito does to user pools and their clients: ids, secrets, defaults, identifiers.

use rand::{Rng, distr::Alphanumeric};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::schema;

/// The resource types the emulator knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceType {
    /// `AWS::Cognito::UserPoolClient`, in full.
    UserPoolClient,
    /// `AWS::Cognito::UserPool`, enough to create, read, list and delete.
    UserPool,
}

impl ResourceType {
    /// The CloudFormation type name.
    pub fn name(self) -> &'static str {
        match self {
            Self::UserPoolClient => schema::TYPE_NAME,
            Self::UserPool => "AWS::Cognito::UserPool",
        }
    }

    /// The type called `name`, if the emulator knows it.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::UserPoolClient, Self::UserPool]
            .into_iter()
            .find(|t| t.name() == name)
    }

    /// Properties AWS assigns, which a desired state must not set.
    pub fn read_only(self) -> &'static [&'static str] {
        match self {
            Self::UserPoolClient => schema::read_only(),
            Self::UserPool => &["Arn", "ProviderName", "ProviderURL", "UserPoolId"],
        }
    }

    /// Properties that cannot change after creation.
    pub fn create_only(self) -> &'static [&'static str] {
        match self {
            Self::UserPoolClient => schema::create_only(),
            Self::UserPool => &["AliasAttributes", "UsernameAttributes"],
        }
    }
}

/// A user pool's feature plan (`UserPoolTier`), which gates some client settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserPoolTier {
    /// `LITE`.
    Lite,
    /// `ESSENTIALS`: what a new pool gets unless it asks for another plan.
    #[default]
    Essentials,
    /// `PLUS`.
    Plus,
}

impl UserPoolTier {
    /// The tier called `name` (`LITE`, `ESSENTIALS`, `PLUS`).
    pub fn from_name(name: &str) -> Option<Self> {
        serde_json::from_value(Value::String(name.to_owned())).ok()
    }
}

/// Cognito's settings for a client created without them, as `DescribeUserPoolClient` shows them.
/// `ReadAttributes`, `WriteAttributes`, `ExplicitAuthFlows` and the OAuth lists stay absent.
pub fn client_defaults() -> Map<String, Value> {
    let defaults = json!({
        "RefreshTokenValidity": 30,
        "TokenValidityUnits": {},
        "AllowedOAuthFlowsUserPoolClient": false,
        "EnableTokenRevocation": true,
        "EnablePropagateAdditionalUserContextData": false,
        "AuthSessionValidity": 3,
    });
    match defaults {
        Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}

/// The defaulted fields whose `remove` was probed live on AWS: an UpdateResource patch
/// `[{"op": "remove", "path": "/EnableTokenRevocation"}]` (likewise `/AuthSessionValidity`,
/// `/RefreshTokenValidity`) reports SUCCESS and the live value stays (go-to-k/cdk-real-drift #1689
/// and #1613, July 2026). The other fields of [`client_defaults`] are kept the same way by analogy,
/// a reading of ours: `TokenValidityUnits`, `AllowedOAuthFlowsUserPoolClient`,
/// `EnablePropagateAdditionalUserContextData`.
pub const REMOVE_PROBED: &[&str] = &[
    "EnableTokenRevocation",
    "AuthSessionValidity",
    "RefreshTokenValidity",
];

/// What UpdateResource leaves of a client after `patch` turned `current` into `next`: a top-level
/// `remove` of a field Cognito fills in with a default does not reset it, the live value stays
/// (see [`REMOVE_PROBED`]); only an explicit value changes it. A later operation of the same patch
/// that sets the field again wins.
pub fn keep_defaults_on_remove(
    current: &Value,
    patch: &[json_patch::PatchOperation],
    mut next: Value,
) -> Value {
    let defaults = client_defaults();
    for op in patch {
        let json_patch::PatchOperation::Remove(remove) = op else {
            continue;
        };
        let Some(key) = remove.path.as_str().strip_prefix('/') else {
            continue;
        };
        let kept = current.get(key).filter(|v| !v.is_null());
        if let (true, Some(kept), Some(fields)) =
            (defaults.contains_key(key), kept, next.as_object_mut())
            && fields.get(key).is_none_or(Value::is_null)
        {
            fields.insert(key.to_owned(), kept.clone());
        }
    }
    next
}

/// Fills in the role Cognito uses for an `AnalyticsConfiguration` that names an `ApplicationArn`
/// and no `RoleArn`: its service-linked role in the caller's `account`
/// (terraform-provider-aws `user_pool_client_test.go`, `analyticsWithARN`, reads it back).
pub fn with_analytics_role(mut model: Value, account: &str) -> Value {
    let Some(analytics) = model
        .get_mut("AnalyticsConfiguration")
        .and_then(Value::as_object_mut)
    else {
        return model;
    };
    let has = |v: Option<&Value>| v.is_some_and(|v| !v.is_null());
    if has(analytics.get("ApplicationArn")) && !has(analytics.get("RoleArn")) {
        let role = format!(
            "arn:aws:iam::{account}:role/aws-service-role/cognito-idp.amazonaws.com/AWSServiceRoleForAmazonCognitoIdp"
        );
        analytics.insert("RoleArn".into(), json!(role));
    }
    model
}

/// Properties a client model shows first; the rest follow in the schema's order.
const IDENTITY_FIRST: &[&str] = &[
    "UserPoolId",
    "ClientId",
    "ClientName",
    "Name",
    "ClientSecret",
];

/// A client id: 26 lowercase letters and digits.
pub fn new_client_id(rng: &mut impl Rng) -> String {
    lower_alphanumeric(rng, 26)
}

/// A client secret: 51 lowercase letters and digits.
pub fn new_client_secret(rng: &mut impl Rng) -> String {
    lower_alphanumeric(rng, 51)
}

/// A user pool id: the region, `_`, and nine letters and digits.
pub fn new_pool_id(region: &str, rng: &mut impl Rng) -> String {
    let suffix: String = (0..9).map(|_| rng.sample(Alphanumeric) as char).collect();
    format!("{region}_{suffix}")
}

/// A generated client name for desired states without `ClientName` (Cognito requires one).
pub fn new_client_name(rng: &mut impl Rng) -> String {
    format!(
        "UserPoolClient-{}",
        lower_alphanumeric(rng, 12).to_uppercase()
    )
}

fn lower_alphanumeric(rng: &mut impl Rng, len: usize) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..len)
        .map(|_| CHARS[rng.random_range(0..CHARS.len())] as char)
        .collect()
}

/// The region a pool id belongs to (`us-east-1_abc` → `us-east-1`).
pub fn pool_region(pool_id: &str) -> Option<&str> {
    pool_id
        .split_once('_')
        .map(|(region, _)| region)
        .filter(|r| !r.is_empty())
}

/// The primary identifier of a client, as AWS writes it.
pub fn client_identifier(pool_id: &str, client_id: &str) -> String {
    format!("{pool_id}|{client_id}")
}

/// Pool and client ids from `Pool|Client` or `{"UserPoolId": .., "ClientId": ..}`.
pub fn parse_client_identifier(identifier: &str) -> Option<(String, String)> {
    if identifier.trim_start().starts_with('{') {
        let v: Value = serde_json::from_str(identifier).ok()?;
        let pool = v.get("UserPoolId")?.as_str()?;
        let client = v.get("ClientId")?.as_str()?;
        return Some((pool.to_owned(), client.to_owned()));
    }
    let (pool, client) = identifier.split_once('|')?;
    (!pool.is_empty() && !client.is_empty() && !client.contains('|'))
        .then(|| (pool.to_owned(), client.to_owned()))
}

/// A pool id from `Pool` or `{"UserPoolId": ..}`.
pub fn parse_pool_identifier(identifier: &str) -> Option<String> {
    if identifier.trim_start().starts_with('{') {
        let v: Value = serde_json::from_str(identifier).ok()?;
        return Some(v.get("UserPoolId")?.as_str()?.to_owned());
    }
    (!identifier.is_empty()).then(|| identifier.to_owned())
}

/// The model Cognito stores for a new client: the desired state, the assigned ids, the defaults.
pub fn new_client_model(desired: &Value, client_id: &str, secret: Option<String>) -> Value {
    let mut model = desired.clone();
    if let Some(obj) = model.as_object_mut() {
        obj.insert("ClientId".into(), json!(client_id));
        obj.insert("Name".into(), json!(client_id));
        if let Some(secret) = secret {
            obj.insert("ClientSecret".into(), json!(secret));
        }
    }
    normalize_client(model)
}

/// What DescribeUserPoolClient returns for a stored client: Cognito's defaults filled in, its
/// documented normalisations applied, the properties in the schema's order.
pub fn normalize_client(model: Value) -> Value {
    let Value::Object(mut obj) = model else {
        return model;
    };
    for (key, default) in client_defaults() {
        if obj.get(&key).is_none_or(Value::is_null) {
            obj.insert(key, default);
        }
    }
    // "Amazon Cognito only populates ReadAttributes in the API response if you have specified your
    // own custom set of read attributes" (likewise WriteAttributes): an empty set reads as none.
    for key in ["ReadAttributes", "WriteAttributes"] {
        if obj
            .get(key)
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
        {
            obj.remove(key);
        }
    }
    // With rotation off there is no grace period: Cognito reads back RetryGracePeriodSeconds 0
    // whatever was sent. Observed behaviour, as the reconciler issue and shared/AWS-CONTRACT.md
    // ("Normalisation") report it; the API reference (RefreshTokenRotationType) only ties the grace
    // period to rotation ("When RetryGracePeriodSeconds is 0, the grace period is disabled"). No
    // public recording found.
    if let Some(rotation) = obj
        .get_mut("RefreshTokenRotation")
        .and_then(Value::as_object_mut)
        && rotation.get("Feature").and_then(Value::as_str) == Some("DISABLED")
    {
        rotation.insert("RetryGracePeriodSeconds".into(), json!(0));
    }
    let mut ordered = Map::new();
    for key in IDENTITY_FIRST.iter().chain(schema::property_names()) {
        if let Some(v) = obj.remove(*key) {
            ordered.insert((*key).to_owned(), v);
        }
    }
    // Anything unknown stays, after the known properties, so nothing is silently lost.
    ordered.extend(obj);
    Value::Object(ordered)
}

/// What the client list handler returns per client (`ListUserPoolClients` fields).
pub fn list_model(model: &Value) -> Value {
    let mut out = Map::new();
    for key in ["UserPoolId", "ClientId", "ClientName"] {
        if let Some(v) = model.get(key) {
            out.insert(key.to_owned(), v.clone());
        }
    }
    Value::Object(out)
}

/// The model of a new user pool: the desired state plus the read-only attributes.
pub fn new_pool_model(desired: &Value, pool_id: &str, account: &str, region: &str) -> Value {
    let mut model = Map::new();
    model.insert("UserPoolId".into(), json!(pool_id));
    if let Some(obj) = desired.as_object() {
        model.extend(obj.clone());
    }
    model.insert(
        "Arn".into(),
        json!(format!(
            "arn:aws:cognito-idp:{region}:{account}:userpool/{pool_id}"
        )),
    );
    model.insert(
        "ProviderName".into(),
        json!(format!("cognito-idp.{region}.amazonaws.com/{pool_id}")),
    );
    model.insert(
        "ProviderURL".into(),
        json!(format!(
            "https://cognito-idp.{region}.amazonaws.com/{pool_id}"
        )),
    );
    Value::Object(model)
}

/// Top-level properties of `names` present in `desired`.
pub fn present<'a>(desired: &Value, names: &[&'a str]) -> Vec<&'a str> {
    names
        .iter()
        .copied()
        .filter(|n| desired.get(*n).is_some())
        .collect()
}

/// Top-level properties of `names` that a patch operation changes (a `test` changes nothing).
pub fn patched<'a>(patch: &[json_patch::PatchOperation], names: &[&'a str]) -> Vec<&'a str> {
    use json_patch::PatchOperation as Op;
    let mut touched = Vec::new();
    for op in patch {
        let mut paths = vec![op.path().as_str()];
        match op {
            Op::Test(_) => continue,
            Op::Move(m) => paths.push(m.from.as_str()),
            _ => {}
        }
        for name in names {
            let hit = paths
                .iter()
                .any(|p| top_level(p) == Some(*name) || p.is_empty());
            if hit && !touched.contains(name) {
                touched.push(*name);
            }
        }
    }
    touched
}

fn top_level(pointer: &str) -> Option<&str> {
    pointer.strip_prefix('/')?.split('/').next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{SeedableRng, rngs::StdRng};

    #[test]
    fn ids_have_cognito_shapes() {
        let mut rng = StdRng::seed_from_u64(7);
        let id = new_client_id(&mut rng);
        assert_eq!(id.len(), 26);
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        );
        assert!(new_pool_id("eu-west-1", &mut rng).starts_with("eu-west-1_"));
    }

    #[test]
    fn identifiers_parse_in_both_forms() {
        let want = Some(("us-east-1_a".to_owned(), "abc".to_owned()));
        assert_eq!(parse_client_identifier("us-east-1_a|abc"), want);
        assert_eq!(
            parse_client_identifier(r#"{"UserPoolId":"us-east-1_a","ClientId":"abc"}"#),
            want
        );
        assert_eq!(parse_client_identifier("abc"), None);
    }

    #[test]
    fn a_remove_keeps_a_defaulted_field_unless_the_patch_sets_it_again() {
        let current =
            json!({"ClientName": "c", "RefreshTokenValidity": 10, "LogoutURLs": ["https://a"]});
        let patch: Vec<json_patch::PatchOperation> = serde_json::from_value(json!([
            {"op": "remove", "path": "/RefreshTokenValidity"},
            {"op": "remove", "path": "/LogoutURLs"},
        ]))
        .unwrap();
        let mut next = current.clone();
        json_patch::patch(&mut next, &patch).unwrap();
        let kept = keep_defaults_on_remove(&current, &patch, next);
        assert_eq!(kept, json!({"ClientName": "c", "RefreshTokenValidity": 10}));

        let again: Vec<json_patch::PatchOperation> = serde_json::from_value(json!([
            {"op": "remove", "path": "/RefreshTokenValidity"},
            {"op": "add", "path": "/RefreshTokenValidity", "value": 30},
        ]))
        .unwrap();
        let mut next = current.clone();
        json_patch::patch(&mut next, &again).unwrap();
        assert_eq!(
            keep_defaults_on_remove(&current, &again, next)["RefreshTokenValidity"],
            json!(30)
        );
    }

    #[test]
    fn every_probed_field_is_one_cognito_defaults() {
        let defaults = client_defaults();
        assert!(REMOVE_PROBED.iter().all(|k| defaults.contains_key(*k)));
    }

    #[test]
    fn an_application_arn_without_a_role_gets_the_service_linked_role() {
        let arn = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/abc";
        let model = json!({"AnalyticsConfiguration": {"ApplicationArn": arn}});
        let filled = with_analytics_role(model, "210987654321");
        assert_eq!(
            filled["AnalyticsConfiguration"]["RoleArn"],
            "arn:aws:iam::210987654321:role/aws-service-role/cognito-idp.amazonaws.com/AWSServiceRoleForAmazonCognitoIdp"
        );
        let own = json!({"AnalyticsConfiguration": {"ApplicationArn": arn, "RoleArn": "arn:aws:iam::1:role/r"}});
        assert_eq!(with_analytics_role(own.clone(), "2"), own);
        let by_id = json!({"AnalyticsConfiguration": {"ApplicationId": "abc"}});
        assert_eq!(with_analytics_role(by_id.clone(), "2"), by_id);
    }

    #[test]
    fn patched_sees_moves_but_not_tests() {
        let patch: Vec<json_patch::PatchOperation> = serde_json::from_value(json!([
            {"op": "test", "path": "/UserPoolId", "value": "x"},
            {"op": "move", "from": "/GenerateSecret", "path": "/ClientName"},
        ]))
        .unwrap();
        assert_eq!(
            patched(&patch, schema::create_only()),
            vec!["GenerateSecret"]
        );
    }
}
