//! The difference between desired and live client properties: field changes, replacements and the
//! RFC 6902 patch Cloud Control's `UpdateResource` takes.

use json_patch::jsonptr::PointerBuf;
use json_patch::{AddOperation, Patch, PatchOperation, RemoveOperation, ReplaceOperation};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::schema::{CREATE_ONLY, PROPERTY_NAMES, READ_ONLY, SET_VALUED};

/// What it takes to turn the live client into the desired one.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diff {
    /// RFC 6902 patch that turns live into desired for the managed, updatable properties.
    pub patch: Patch,
    /// Create-only properties whose desired value differs from live: these need a replacement.
    pub replacement: Vec<String>,
    /// Every managed property that differs, create-only ones included, in schema order.
    pub changes: Vec<FieldChange>,
}

/// One property whose desired and live values differ; `None` means absent from that side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    /// JSON Pointer (RFC 6901) to the property, e.g. `/CallbackURLs`.
    pub pointer: String,
    /// The desired value: Cognito's default when the user stopped managing a property Cognito
    /// defaults (it is written back, see [`cognito_default`]); absent when the property is removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired: Option<Value>,
    /// The live value; absent when the client does not have the property.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live: Option<Value>,
}

impl Diff {
    /// Whether no managed property differs at all.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Whether nothing needs to be sent: no patch operation and no replacement.
    pub fn in_sync(&self) -> bool {
        self.patch.0.is_empty() && self.replacement.is_empty()
    }

    /// The diff without the properties at `pointers` (e.g. values Cognito is known to normalise).
    pub fn ignoring(mut self, pointers: &[&str]) -> Diff {
        self.patch
            .0
            .retain(|op| !pointers.contains(&op.path().as_str()));
        self.changes
            .retain(|c| !pointers.contains(&c.pointer.as_str()));
        self.replacement
            .retain(|name| !pointers.contains(&format!("/{name}").as_str()));
        self
    }
}

/// A property value as Cognito means it: settings Cognito documents as having no effect are
/// dropped, so that its normalisation on read is not mistaken for drift.
fn canonical<'a>(key: &str, value: &'a Value) -> std::borrow::Cow<'a, Value> {
    // With rotation DISABLED, Cognito keeps RetryGracePeriodSeconds at 0 whatever was sent.
    if key == "RefreshTokenRotation" && value["Feature"] == "DISABLED" {
        let mut value = value.clone();
        if let Some(fields) = value.as_object_mut() {
            fields.remove("RetryGracePeriodSeconds");
        }
        return std::borrow::Cow::Owned(value);
    }
    std::borrow::Cow::Borrowed(value)
}

/// The properties Cognito fills in with a default when they are unset, as a read shows them.
/// A `remove` in an UpdateResource patch leaves their live value (probed live on AWS for the first
/// three: go-to-k/cdk-real-drift #1613 and #1689; shared/AWS-CONTRACT.md, "Quotas and accounts"),
/// so a property the user stops managing is written back as [`cognito_default`] instead.
pub const COGNITO_DEFAULTED: &[&str] = &[
    "RefreshTokenValidity",
    "AuthSessionValidity",
    "EnableTokenRevocation",
    "EnablePropagateAdditionalUserContextData",
    "AllowedOAuthFlowsUserPoolClient",
    "TokenValidityUnits",
    "RefreshTokenRotation",
];

/// Cognito's default for `key` (one of [`COGNITO_DEFAULTED`]), as the contract notes give it:
/// `RefreshTokenValidity` is 30 days, written in the refresh-token unit the client will have;
/// `RefreshTokenRotation` reads `{Feature: DISABLED}` when never set (terraform-provider-aws #47196).
pub fn cognito_default(key: &str, refresh_unit: &str) -> Option<Value> {
    let value = match key {
        "RefreshTokenValidity" => match refresh_unit {
            "seconds" => json!(30 * 24 * 3600),
            "minutes" => json!(30 * 24 * 60),
            "hours" => json!(30 * 24),
            _ => json!(30),
        },
        "AuthSessionValidity" => json!(3),
        "EnableTokenRevocation" => json!(true),
        "EnablePropagateAdditionalUserContextData" | "AllowedOAuthFlowsUserPoolClient" => {
            json!(false)
        }
        "TokenValidityUnits" => {
            json!({"AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days"})
        }
        "RefreshTokenRotation" => json!({"Feature": "DISABLED"}),
        _ => return None,
    };
    Some(value)
}

/// The refresh-token unit the client will have after the patch: the document's, Cognito's default
/// (days) when the document stops managing the units, else the live one.
fn refresh_unit<'a>(
    desired: &'a Map<String, Value>,
    live: &'a Map<String, Value>,
    applied: Option<&Map<String, Value>>,
) -> &'a str {
    let key = "TokenValidityUnits";
    let units = match desired.get(key).filter(|v| !v.is_null()) {
        Some(units) => Some(units),
        None if applied.is_some_and(|a| a.contains_key(key)) => None,
        None => live.get(key),
    };
    units
        .and_then(|u| u.get("RefreshToken"))
        .and_then(Value::as_str)
        .unwrap_or("days")
}

/// Compares the desired properties with the live ones read from Cloud Control (`GetResource`),
/// given the properties last applied successfully (`None` before the first apply). A property the
/// desired state no longer sets goes back to Cognito's default: written explicitly when Cognito
/// has one ([`COGNITO_DEFAULTED`]), removed otherwise.
pub fn diff(
    desired: &Map<String, Value>,
    live: &Map<String, Value>,
    applied: Option<&Map<String, Value>>,
) -> Diff {
    let mut out = Diff::default();
    let unit = refresh_unit(desired, live, applied);
    for key in managed(desired, applied) {
        let path = PointerBuf::from_tokens([key]);
        let have = live.get(key);
        let default = match desired.get(key).filter(|v| !v.is_null()) {
            Some(_) => None,
            None => cognito_default(key, unit),
        };
        let want = desired
            .get(key)
            .filter(|v| !v.is_null())
            .or(default.as_ref());
        let before = applied.and_then(|a| a.get(key));

        if CREATE_ONLY.contains(&key) {
            if !create_only_equal(key, want, live) {
                out.replacement.push(key.to_owned());
                out.changes.push(change(&path, want, have));
            }
            continue;
        }

        let op = match want {
            // Removed since the last apply, or explicitly null, and without a Cognito default:
            // unset it if the client has it.
            None => (!is_unset(have))
                .then(|| PatchOperation::Remove(RemoveOperation { path: path.clone() })),
            Some(want) => match have.filter(|v| !v.is_null()) {
                None if is_unset(Some(want)) => None,
                None => Some(PatchOperation::Add(AddOperation {
                    path: path.clone(),
                    value: want.clone(),
                })),
                Some(have)
                    if same(
                        &canonical(key, want),
                        &canonical(key, have),
                        before,
                        SET_VALUED.contains(&key),
                    ) =>
                {
                    None
                }
                Some(_) => Some(PatchOperation::Replace(ReplaceOperation {
                    path: path.clone(),
                    value: want.clone(),
                })),
            },
        };
        if let Some(op) = op {
            out.patch.0.push(op);
            out.changes.push(change(&path, want, have));
        }
    }
    out
}

/// Live properties without secrets, as the API shows them (`observedProperties`).
pub fn observed(live: &Map<String, Value>) -> Map<String, Value> {
    live.iter()
        .filter(|(k, _)| k.as_str() != "ClientSecret")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The managed properties in a stable order: the schema's first, then unknown ones by name.
fn managed<'a>(
    desired: &'a Map<String, Value>,
    applied: Option<&'a Map<String, Value>>,
) -> Vec<&'a str> {
    let mut keys: Vec<&str> = desired
        .keys()
        .chain(applied.into_iter().flat_map(Map::keys))
        .map(String::as_str)
        .filter(|k| !READ_ONLY.contains(k))
        .collect();
    let rank = |k: &str| PROPERTY_NAMES.iter().position(|p| *p == k);
    // `None` sorts before `Some`, so map unknown names past the end explicitly.
    keys.sort_by_key(|k| (rank(k).unwrap_or(usize::MAX), *k));
    keys.dedup();
    keys
}

fn change(path: &PointerBuf, desired: Option<&Value>, live: Option<&Value>) -> FieldChange {
    FieldChange {
        pointer: path.as_str().to_owned(),
        desired: desired.cloned(),
        live: live.cloned(),
    }
}

/// Create-only properties compare against Cognito's effective value, since absent is not "unset".
fn create_only_equal(key: &str, desired: Option<&Value>, live: &Map<String, Value>) -> bool {
    if key == "GenerateSecret" {
        // Cognito's default is no secret; a read that omits the flag still shows the secret itself.
        let want = desired.and_then(Value::as_bool).unwrap_or(false);
        let have = match live.get(key).and_then(Value::as_bool) {
            Some(flag) => flag,
            None => live.get("ClientSecret").is_some_and(|s| !s.is_null()),
        };
        return want == have;
    }
    match (desired, live.get(key)) {
        (Some(want), Some(have)) => same(want, have, None, false),
        (want, have) => is_unset(want) && is_unset(have),
    }
}

/// Absent, null, or an empty list or object: Cognito does not keep empty settings.
fn is_unset(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::Array(items)) => items.is_empty(),
        Some(Value::Object(fields)) => fields.is_empty(),
        Some(_) => false,
    }
}

/// Whether `live` already satisfies `desired`. Objects compare by the desired keys only (plus the
/// keys removed since `applied`), so fields Cognito fills in on its own are not drift.
fn same(desired: &Value, live: &Value, applied: Option<&Value>, as_set: bool) -> bool {
    match (desired, live) {
        (Value::Array(want), Value::Array(have)) if as_set => {
            let within = |a: &[Value], b: &[Value]| {
                a.iter().all(|x| b.iter().any(|y| same(x, y, None, false)))
            };
            within(want, have) && within(have, want)
        }
        (Value::Array(want), Value::Array(have)) => {
            want.len() == have.len() && want.iter().zip(have).all(|(x, y)| same(x, y, None, false))
        }
        (Value::Object(want), Value::Object(have)) => {
            let kept = want.iter().all(|(k, w)| match have.get(k) {
                Some(h) if !h.is_null() && !w.is_null() => {
                    same(w, h, applied.and_then(|a| a.get(k)), false)
                }
                h => is_unset(Some(w)) && is_unset(h),
            });
            let removed = applied
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(Map::keys)
                .filter(|k| !want.contains_key(*k))
                .all(|k| is_unset(have.get(k)));
            kept && removed
        }
        (Value::Number(want), Value::Number(have)) => same_number(want, have),
        _ => desired == live,
    }
}

/// Numbers compare by value, so `60` and `60.0` are the same.
fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    if let (Some(a), Some(b)) = (a.as_i64(), b.as_i64()) {
        return a == b;
    }
    if let (Some(a), Some(b)) = (a.as_u64(), b.as_u64()) {
        return a == b;
    }
    match (a.as_f64(), b.as_f64()) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: [&str; 4] = [
        include_str!("../../tests/fixtures/seed-basic.json"),
        include_str!("../../tests/fixtures/seed-advanced.json"),
        include_str!("../../tests/fixtures/seed-analytics.json"),
        include_str!("../../tests/fixtures/seed-custom-auth.json"),
    ];

    fn map(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(m) => m,
            other => panic!("not an object: {other}"),
        }
    }

    fn fixtures() -> Vec<Map<String, Value>> {
        FIXTURES
            .iter()
            .map(|f| map(serde_json::from_str(f).expect("fixtures are JSON")))
            .collect()
    }

    /// The desired state as Cognito would report it: ids, secret and server-side defaults added.
    fn live_of(desired: &Map<String, Value>) -> Map<String, Value> {
        let mut live = desired.clone();
        let defaults = map(json!({
            "ClientId": "abc",
            "Name": "abc",
            "RefreshTokenValidity": 30,
            "AuthSessionValidity": 3,
            "EnableTokenRevocation": true,
            "AllowedOAuthFlowsUserPoolClient": false,
            "EnablePropagateAdditionalUserContextData": false,
            "TokenValidityUnits": {"AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days"},
        }));
        for (k, v) in defaults {
            live.entry(k).or_insert(v);
        }
        // Server-side defaults also fill the nested units the user left out.
        if let Some(Value::Object(units)) = live.get_mut("TokenValidityUnits") {
            for (k, v) in [
                ("AccessToken", "hours"),
                ("IdToken", "hours"),
                ("RefreshToken", "days"),
            ] {
                units.entry(k).or_insert(json!(v));
            }
        }
        if desired.get("GenerateSecret") == Some(&json!(true)) {
            live.insert("ClientSecret".into(), json!("s3cr3t"));
        }
        live
    }

    /// Applies the patch to live and checks that nothing but replacements is left to do.
    fn assert_patch_converges(
        desired: &Map<String, Value>,
        live: &Map<String, Value>,
        applied: Option<&Map<String, Value>>,
    ) {
        let first = diff(desired, live, applied);
        let mut patched = Value::Object(live.clone());
        json_patch::patch(&mut patched, &first.patch).expect("the patch applies to live");
        let again = diff(desired, &map(patched), Some(desired));
        assert!(again.patch.is_empty(), "left over: {:?}", again.patch);
        assert_eq!(again.replacement, first.replacement);
        let pointers: Vec<String> = first.replacement.iter().map(|k| format!("/{k}")).collect();
        let left: Vec<&str> = again.changes.iter().map(|c| c.pointer.as_str()).collect();
        assert_eq!(left, pointers);
    }

    fn ops(d: &Diff) -> Value {
        serde_json::to_value(&d.patch).unwrap()
    }

    #[test]
    fn fixtures_against_live_with_cognito_defaults_have_no_diff() {
        for desired in fixtures() {
            let live = live_of(&desired);
            for applied in [None, Some(&desired)] {
                let d = diff(&desired, &live, applied);
                assert!(d.is_empty() && d.in_sync(), "{desired:?}: {d:?}");
            }
        }
    }

    #[test]
    fn reordered_set_valued_lists_are_in_sync() {
        for desired in fixtures() {
            let mut live = live_of(&desired);
            for key in SET_VALUED {
                if let Some(Value::Array(items)) = live.get_mut(*key) {
                    items.reverse();
                    // Duplicates do not matter in a set either.
                    if let Some(first) = items.first().cloned() {
                        items.push(first);
                    }
                }
            }
            assert!(diff(&desired, &live, Some(&desired)).is_empty());
        }
    }

    #[test]
    fn reordered_ordinary_list_is_a_difference() {
        let desired = map(json!({"UserPoolId": "p", "Custom": ["a", "b"]}));
        let live = map(json!({"UserPoolId": "p", "Custom": ["b", "a"]}));
        assert_eq!(
            ops(&diff(&desired, &live, None)),
            json!([{"op": "replace", "path": "/Custom", "value": ["a", "b"]}])
        );
    }

    #[test]
    fn a_changed_client_name_is_one_replace() {
        let desired = fixtures().remove(0);
        let live = live_of(&desired);
        let mut renamed = desired.clone();
        renamed.insert("ClientName".into(), json!("renamed"));
        let d = diff(&renamed, &live, Some(&desired));
        assert_eq!(
            ops(&d),
            json!([{"op": "replace", "path": "/ClientName", "value": "renamed"}])
        );
        assert!(d.replacement.is_empty());
        assert_eq!(
            d.changes,
            vec![FieldChange {
                pointer: "/ClientName".into(),
                desired: Some(json!("renamed")),
                live: Some(json!("exampleAppClient")),
            }]
        );
        assert!(!d.in_sync());
        assert_patch_converges(&renamed, &live, Some(&desired));
    }

    #[test]
    fn callback_urls_removed_since_the_last_apply_are_removed() {
        let applied = fixtures().remove(0);
        let live = live_of(&applied);
        let mut desired = applied.clone();
        desired.remove("CallbackURLs");
        let d = diff(&desired, &live, Some(&applied));
        assert_eq!(ops(&d), json!([{"op": "remove", "path": "/CallbackURLs"}]));
        assert_eq!(d.changes[0].desired, None);
        assert_eq!(
            d.changes[0].live,
            Some(json!(["https://example.com/callback"]))
        );
        assert_patch_converges(&desired, &live, Some(&applied));
    }

    #[test]
    fn a_defaulted_field_dropped_from_the_document_is_written_back_as_cognitos_default() {
        let mut applied = fixtures().remove(0);
        applied.insert("RefreshTokenValidity".into(), json!(10));
        applied.insert("AuthSessionValidity".into(), json!(5));
        applied.insert("EnableTokenRevocation".into(), json!(false));
        let live = live_of(&applied);
        let mut desired = applied.clone();
        for key in [
            "RefreshTokenValidity",
            "AuthSessionValidity",
            "EnableTokenRevocation",
            "LogoutURLs",
        ] {
            desired.remove(key);
        }
        let d = diff(&desired, &live, Some(&applied));
        assert_eq!(
            ops(&d),
            json!([
                {"op": "replace", "path": "/AuthSessionValidity", "value": 3},
                {"op": "replace", "path": "/RefreshTokenValidity", "value": 30},
                {"op": "remove", "path": "/LogoutURLs"},
                {"op": "replace", "path": "/EnableTokenRevocation", "value": true},
            ])
        );
        let refresh = d
            .changes
            .iter()
            .find(|c| c.pointer == "/RefreshTokenValidity")
            .unwrap();
        assert_eq!(refresh.desired, Some(json!(30)));
        assert_eq!(refresh.live, Some(json!(10)));
        assert_patch_converges(&desired, &live, Some(&applied));
    }

    #[test]
    fn a_dropped_field_already_at_cognitos_default_needs_nothing() {
        let mut applied = fixtures().remove(0);
        applied.insert("RefreshTokenValidity".into(), json!(30));
        applied.insert("EnableTokenRevocation".into(), json!(true));
        let live = live_of(&applied);
        let desired = fixtures().remove(0);
        assert!(diff(&desired, &live, Some(&applied)).is_empty());
    }

    #[test]
    fn a_dropped_refresh_token_validity_is_thirty_days_in_the_unit_in_effect() {
        let units = json!({"RefreshToken": "hours"});
        let applied = map(json!({"RefreshTokenValidity": 48, "TokenValidityUnits": units}));
        let desired = map(json!({"TokenValidityUnits": units}));
        let d = diff(&desired, &applied, Some(&applied));
        assert_eq!(
            ops(&d),
            json!([{"op": "replace", "path": "/RefreshTokenValidity", "value": 720}])
        );
        // Units dropped as well: both go back to the defaults, the validity in days.
        let d = diff(&Map::new(), &applied, Some(&applied));
        assert_eq!(
            ops(&d),
            json!([
                {"op": "replace", "path": "/RefreshTokenValidity", "value": 30},
                {"op": "replace", "path": "/TokenValidityUnits",
                 "value": {"AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days"}},
            ])
        );
    }

    #[test]
    fn a_dropped_rotation_goes_back_to_disabled() {
        let rotation = json!({"Feature": "ENABLED", "RetryGracePeriodSeconds": 10});
        let applied = map(json!({"ClientName": "c", "RefreshTokenRotation": rotation}));
        let desired = map(json!({"ClientName": "c"}));
        let d = diff(&desired, &applied, Some(&applied));
        assert_eq!(
            ops(&d),
            json!([{"op": "replace", "path": "/RefreshTokenRotation", "value": {"Feature": "DISABLED"}}])
        );
        let disabled = map(json!({"ClientName": "c",
            "RefreshTokenRotation": {"Feature": "DISABLED", "RetryGracePeriodSeconds": 0}}));
        assert!(diff(&desired, &disabled, Some(&applied)).is_empty());
    }

    #[test]
    fn every_defaulted_field_has_a_default_and_is_in_the_schema() {
        for key in COGNITO_DEFAULTED {
            assert!(cognito_default(key, "days").is_some(), "{key}");
            assert!(PROPERTY_NAMES.contains(key), "{key}");
        }
        assert_eq!(cognito_default("LogoutURLs", "days"), None);
    }

    #[test]
    fn a_property_never_applied_is_not_removed() {
        let desired = fixtures().remove(0);
        let mut live = live_of(&desired);
        live.insert("SupportedIdentityProviders".into(), json!(["COGNITO"]));
        assert!(diff(&desired, &live, Some(&desired)).is_empty());
        assert!(diff(&desired, &live, None).is_empty());
    }

    #[test]
    fn a_new_key_is_added() {
        let applied = fixtures().remove(0);
        let live = live_of(&applied);
        let mut desired = applied.clone();
        desired.insert("SupportedIdentityProviders".into(), json!(["COGNITO"]));
        let d = diff(&desired, &live, Some(&applied));
        assert_eq!(
            ops(&d),
            json!([{"op": "add", "path": "/SupportedIdentityProviders", "value": ["COGNITO"]}])
        );
        assert_eq!(d.changes[0].live, None);
        assert_patch_converges(&desired, &live, Some(&applied));
    }

    #[test]
    fn a_changed_user_pool_id_needs_replacement_and_is_not_patched() {
        let applied = fixtures().remove(0);
        let live = live_of(&applied);
        let mut desired = applied.clone();
        desired.insert("UserPoolId".into(), json!("us-east-1_other"));
        desired.insert("ClientName".into(), json!("renamed"));
        let d = diff(&desired, &live, Some(&applied));
        assert_eq!(d.replacement, vec!["UserPoolId"]);
        assert_eq!(
            ops(&d),
            json!([{"op": "replace", "path": "/ClientName", "value": "renamed"}])
        );
        let pointers: Vec<&str> = d.changes.iter().map(|c| c.pointer.as_str()).collect();
        assert_eq!(pointers, ["/ClientName", "/UserPoolId"]);
        assert!(!d.in_sync());
        assert_patch_converges(&desired, &live, Some(&applied));
    }

    #[test]
    fn generate_secret_absent_and_false_are_the_same() {
        let desired = map(json!({"UserPoolId": "p", "ClientName": "c"}));
        let mut live = live_of(&desired);
        assert!(diff(&desired, &live, None).is_empty());
        live.insert("GenerateSecret".into(), json!(false));
        assert!(diff(&desired, &live, None).is_empty());
        let explicit = map(json!({"UserPoolId": "p", "ClientName": "c", "GenerateSecret": false}));
        assert!(diff(&explicit, &live, Some(&explicit)).is_empty());
        live.remove("GenerateSecret");
        assert!(diff(&explicit, &live, Some(&explicit)).is_empty());
    }

    #[test]
    fn generate_secret_is_inferred_from_a_live_secret() {
        let desired = map(json!({"UserPoolId": "p", "GenerateSecret": true}));
        let live = map(json!({"UserPoolId": "p", "ClientSecret": "s3cr3t"}));
        assert!(diff(&desired, &live, None).is_empty());
        let without = map(json!({"UserPoolId": "p"}));
        assert_eq!(
            diff(&desired, &without, None).replacement,
            vec!["GenerateSecret"]
        );
    }

    #[test]
    fn generate_secret_removed_from_a_client_with_a_secret_needs_replacement() {
        let applied = fixtures().remove(0);
        let live = live_of(&applied);
        let mut desired = applied.clone();
        desired.remove("GenerateSecret");
        let d = diff(&desired, &live, Some(&applied));
        assert_eq!(d.replacement, vec!["GenerateSecret"]);
        assert!(d.patch.is_empty());
        assert_eq!(
            d.changes,
            vec![FieldChange {
                pointer: "/GenerateSecret".into(),
                desired: None,
                live: Some(json!(true)),
            }]
        );
    }

    #[test]
    fn cognito_defaults_the_user_never_set_are_not_fought() {
        let desired = map(json!({"UserPoolId": "p", "ClientName": "c"}));
        let mut live = live_of(&desired);
        live.insert("RefreshTokenValidity".into(), json!(3650));
        live.insert("EnableTokenRevocation".into(), json!(false));
        assert!(diff(&desired, &live, Some(&desired)).is_empty());
    }

    #[test]
    fn nested_objects_compare_by_the_desired_keys_only() {
        let desired = map(json!({"TokenValidityUnits": {"AccessToken": "minutes"}}));
        let live = map(json!({"TokenValidityUnits": {
            "AccessToken": "minutes", "IdToken": "hours", "RefreshToken": "days"
        }}));
        assert!(diff(&desired, &live, None).is_empty());

        let changed = map(json!({"TokenValidityUnits": {"AccessToken": "hours"}}));
        let d = diff(&changed, &live, Some(&desired));
        assert_eq!(
            ops(&d),
            json!([{"op": "replace", "path": "/TokenValidityUnits", "value": {"AccessToken": "hours"}}])
        );
        assert_patch_converges(&changed, &live, Some(&desired));
    }

    #[test]
    fn a_nested_key_removed_since_the_last_apply_replaces_the_object() {
        let applied =
            map(json!({"AnalyticsConfiguration": {"ApplicationId": "1", "ExternalId": "x"}}));
        let desired = map(json!({"AnalyticsConfiguration": {"ApplicationId": "1"}}));
        let live = applied.clone();
        let d = diff(&desired, &live, Some(&applied));
        assert_eq!(
            ops(&d),
            json!([{"op": "replace", "path": "/AnalyticsConfiguration", "value": {"ApplicationId": "1"}}])
        );
        assert_patch_converges(&desired, &live, Some(&applied));
    }

    #[test]
    fn numbers_compare_by_value() {
        let desired = map(json!({"AccessTokenValidity": 60, "IdTokenValidity": 1.5}));
        let live = map(json!({"AccessTokenValidity": 60.0, "IdTokenValidity": 1.5}));
        assert!(diff(&desired, &live, None).is_empty());
        let other = map(json!({"AccessTokenValidity": 61, "IdTokenValidity": 1.5}));
        assert_eq!(diff(&desired, &other, None).changes.len(), 1);
    }

    #[test]
    fn an_empty_list_matches_an_absent_one() {
        let desired = map(json!({"LogoutURLs": [], "TokenValidityUnits": {}}));
        assert!(diff(&desired, &Map::new(), None).is_empty());
        let live = map(json!({"LogoutURLs": ["https://example.com/out"]}));
        let d = diff(&desired, &live, None);
        assert_eq!(
            ops(&d),
            json!([{"op": "replace", "path": "/LogoutURLs", "value": []}])
        );
        assert_patch_converges(&desired, &live, None);
    }

    #[test]
    fn read_only_properties_are_never_managed() {
        let desired = map(json!({"ClientId": "mine", "Name": "mine", "ClientSecret": "x"}));
        let live = map(json!({"ClientId": "abc", "Name": "abc", "ClientSecret": "s3cr3t"}));
        assert!(diff(&desired, &live, Some(&desired)).is_empty());
        assert!(diff(&Map::new(), &live, Some(&desired)).is_empty());
    }

    #[test]
    fn patch_operations_follow_the_schema_order() {
        let desired = map(json!({
            "EnableTokenRevocation": false,
            "LogoutURLs": ["https://b"],
            "ClientName": "c",
            "AllowedOAuthFlows": ["code"],
        }));
        let d = diff(&desired, &Map::new(), None);
        let paths: Vec<&str> = d.patch.iter().map(|op| op.path().as_str()).collect();
        assert_eq!(
            paths,
            [
                "/ClientName",
                "/AllowedOAuthFlows",
                "/LogoutURLs",
                "/EnableTokenRevocation"
            ]
        );
        assert_patch_converges(&desired, &Map::new(), None);
    }

    #[test]
    fn pointers_escape_slash_and_tilde() {
        let desired = map(json!({"a/b~c": 1}));
        let d = diff(&desired, &Map::new(), None);
        assert_eq!(d.changes[0].pointer, "/a~1b~0c");
        assert_patch_converges(&desired, &Map::new(), None);
    }

    #[test]
    fn applying_the_patch_converges_on_every_fixture() {
        let fixtures = fixtures();
        for (i, desired) in fixtures.iter().enumerate() {
            // Start from another fixture's client in the same pool: most fields differ.
            let previous = &fixtures[(i + 1) % fixtures.len()];
            let mut live = live_of(previous);
            live.insert(
                "GenerateSecret".into(),
                json!(desired.get("GenerateSecret") == Some(&json!(true))),
            );
            assert!(!diff(desired, &live, Some(previous)).patch.is_empty());
            assert_patch_converges(desired, &live, Some(previous));
            assert_patch_converges(desired, &live, None);
            assert_patch_converges(desired, &Map::new(), Some(previous));
        }
    }

    #[test]
    fn observed_drops_the_client_secret() {
        let live = map(json!({"ClientId": "abc", "ClientSecret": "s3cr3t", "ClientName": "c"}));
        let seen = observed(&live);
        assert_eq!(
            Value::Object(seen),
            json!({"ClientId": "abc", "ClientName": "c"})
        );
    }

    #[test]
    fn field_changes_serialize_in_camel_case_without_absent_sides() {
        let c = FieldChange {
            pointer: "/CallbackURLs".into(),
            desired: None,
            live: Some(json!(["https://a"])),
        };
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            json!({"pointer": "/CallbackURLs", "live": ["https://a"]})
        );
    }

    #[test]
    fn a_grace_period_cognito_zeroes_while_rotation_is_disabled_is_not_a_difference() {
        let rotation = |grace| json!({"Feature": "DISABLED", "RetryGracePeriodSeconds": grace});
        let desired = map(json!({"ClientName": "c", "RefreshTokenRotation": rotation(30)}));
        let live = map(json!({"ClientName": "c", "RefreshTokenRotation": rotation(0)}));
        assert!(diff(&desired, &live, None).is_empty());
    }

    #[test]
    fn a_grace_period_still_counts_while_rotation_is_enabled() {
        let rotation = |grace| json!({"Feature": "ENABLED", "RetryGracePeriodSeconds": grace});
        let desired = map(json!({"ClientName": "c", "RefreshTokenRotation": rotation(30)}));
        let live = map(json!({"ClientName": "c", "RefreshTokenRotation": rotation(0)}));
        let d = diff(&desired, &live, None);
        assert_eq!(d.changes[0].pointer, "/RefreshTokenRotation");
    }

    #[test]
    fn ignoring_drops_the_change_and_its_patch_operation() {
        let desired = map(json!({"ClientName": "c", "CallbackURLs": ["https://a"]}));
        let live = map(json!({"ClientName": "d", "CallbackURLs": ["https://b"]}));
        let d = diff(&desired, &live, None).ignoring(&["/CallbackURLs"]);
        assert_eq!(d.changes.len(), 1);
        assert_eq!(d.patch.0.len(), 1);
        assert_eq!(d.changes[0].pointer, "/ClientName");
    }
}
