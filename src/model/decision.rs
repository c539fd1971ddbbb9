//! What a document does to a client that exists: the one decision the reconciler acts on and
//! `POST …/plan` reports, so the two cannot disagree. Pure: the caller reads the live client.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::diff::{self, Diff};
use super::document::ReplacementPolicy;

/// A property Cognito stores differently from what ccplane sent: after a create or an update of
/// `pointer` to `sent`, AWS reads back `observed`. Remembered for one generation, so that the
/// difference is accepted rather than sent again (which would loop).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Normalization {
    /// JSON Pointer of the property.
    pub pointer: String,
    /// What ccplane sent.
    pub sent: Option<Value>,
    /// What AWS reads back.
    pub observed: Option<Value>,
    /// The generation it was seen at.
    pub generation: i64,
}

/// What bringing the client to the desired state takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Nothing: the live client matches (up to what Cognito is known to normalise).
    InSync,
    /// One `UpdateResource` with the verdict's patch.
    Update,
    /// A new client, the old one deleted before or after it as the policy says.
    Replace(ReplacementPolicy),
    /// A replacement the policy refuses.
    Rejected,
}

/// A decision and the difference it was made from.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub decision: Decision,
    pub diff: Diff,
}

/// The Cloud Control calls a create takes.
pub const CREATE_CALLS: &[&str] = &["CreateResource", POLL, "GetResource"];

const POLL: &str = "GetResourceRequestStatus";

impl Decision {
    /// The plan's name for it.
    pub fn action(self) -> &'static str {
        match self {
            Decision::InSync => "none",
            Decision::Update => "update",
            Decision::Replace(_) => "replace",
            Decision::Rejected => "reject",
        }
    }

    /// The Cloud Control calls it takes, the read that decided it first.
    pub fn calls(self) -> &'static [&'static str] {
        match self {
            Decision::InSync => &["GetResource"],
            Decision::Update => &["GetResource", "UpdateResource", POLL, "GetResource"],
            Decision::Replace(ReplacementPolicy::DeleteBeforeCreate) => &[
                "GetResource",
                "DeleteResource",
                POLL,
                "CreateResource",
                POLL,
                "GetResource",
            ],
            Decision::Replace(_) => &[
                "GetResource",
                "CreateResource",
                POLL,
                "GetResource",
                "DeleteResource",
                POLL,
            ],
            Decision::Rejected => &[],
        }
    }
}

/// Decides what `desired` does to the client read as `live`, given what was last applied and the
/// normalisations remembered for `generation` (those `live` still shows are accepted as in sync).
pub fn decide(
    desired: &Map<String, Value>,
    live: &Map<String, Value>,
    applied: Option<&Map<String, Value>>,
    remembered: &[Normalization],
    generation: i64,
    policy: ReplacementPolicy,
) -> Verdict {
    let diff = compare(desired, live, applied, remembered, generation);
    let decision = if !diff.replacement.is_empty() {
        match policy {
            ReplacementPolicy::Reject => Decision::Rejected,
            other => Decision::Replace(other),
        }
    } else if diff.in_sync() {
        Decision::InSync
    } else {
        Decision::Update
    };
    Verdict { decision, diff }
}

/// Desired against `live`, without the properties Cognito is known to normalise to what `live`
/// shows for `generation`.
pub fn compare(
    desired: &Map<String, Value>,
    live: &Map<String, Value>,
    applied: Option<&Map<String, Value>>,
    remembered: &[Normalization],
    generation: i64,
) -> Diff {
    let ignored = still_normalized(remembered, generation, live);
    let pointers: Vec<&str> = ignored.iter().map(|n| n.pointer.as_str()).collect();
    diff::diff(desired, live, applied).ignoring(&pointers)
}

/// The normalisations remembered for `generation` that `live` still shows.
pub fn still_normalized<'a>(
    remembered: &'a [Normalization],
    generation: i64,
    live: &Map<String, Value>,
) -> Vec<&'a Normalization> {
    remembered
        .iter()
        .filter(|n| n.generation == generation)
        .filter(|n| live.get(top_level(&n.pointer)) == n.observed.as_ref())
        .collect()
}

/// The top-level property a pointer names (`/RefreshTokenRotation/Feature` → `RefreshTokenRotation`).
pub fn top_level(pointer: &str) -> &str {
    pointer
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    fn normalized_logout(generation: i64) -> Normalization {
        Normalization {
            pointer: "/LogoutURLs".into(),
            sent: Some(json!(["https://a/"])),
            observed: Some(json!(["https://a"])),
            generation,
        }
    }

    #[test]
    fn a_remembered_normalisation_of_this_generation_is_in_sync() {
        let desired = map(json!({"ClientName": "c", "LogoutURLs": ["https://a/"]}));
        let live = map(json!({"ClientName": "c", "LogoutURLs": ["https://a"]}));
        let remembered = [normalized_logout(2)];
        let policy = ReplacementPolicy::CreateBeforeDelete;
        let now = decide(&desired, &live, Some(&desired), &remembered, 2, policy);
        assert_eq!(now.decision, Decision::InSync);
        // A newer generation sends the field again: the normalisation was seen for the old one.
        let next = decide(&desired, &live, Some(&desired), &remembered, 3, policy);
        assert_eq!(next.decision, Decision::Update);
    }

    #[test]
    fn a_normalisation_the_live_client_no_longer_shows_is_not_ignored() {
        let desired = map(json!({"ClientName": "c", "LogoutURLs": ["https://a/"]}));
        let live = map(json!({"ClientName": "c", "LogoutURLs": ["https://b"]}));
        let verdict = decide(
            &desired,
            &live,
            Some(&desired),
            &[normalized_logout(2)],
            2,
            ReplacementPolicy::CreateBeforeDelete,
        );
        assert_eq!(verdict.decision, Decision::Update);
    }

    #[test]
    fn a_create_only_change_is_a_replacement_or_a_refusal_by_policy() {
        let desired = map(json!({"ClientName": "c", "GenerateSecret": true}));
        let live = map(json!({"ClientName": "c", "GenerateSecret": false}));
        let decide_with = |policy| decide(&desired, &live, Some(&desired), &[], 1, policy).decision;
        assert_eq!(
            decide_with(ReplacementPolicy::DeleteBeforeCreate),
            Decision::Replace(ReplacementPolicy::DeleteBeforeCreate)
        );
        assert_eq!(decide_with(ReplacementPolicy::Reject), Decision::Rejected);
        assert_eq!(Decision::Rejected.calls(), &[] as &[&str]);
        assert_eq!(
            Decision::Replace(ReplacementPolicy::DeleteBeforeCreate).calls()[1],
            "DeleteResource"
        );
    }

    #[test]
    fn pointers_name_their_top_level_property() {
        assert_eq!(
            top_level("/RefreshTokenRotation/Feature"),
            "RefreshTokenRotation"
        );
        assert_eq!(top_level("/ClientName"), "ClientName");
    }
}
