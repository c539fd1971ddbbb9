//! What Cognito normalises: a property a create or update sent that AWS reads back differently is
//! remembered for its generation, so that neither a drift check nor a plan sends it again (which
//! would loop), and reported once.

use serde_json::{Map, Value};

use super::outcome::{note, set_condition};
use crate::model::decision::Normalization;
use crate::model::diff;
use crate::model::event::EventData;
use crate::model::operation::OperationKind;
use crate::model::schema::READ_ONLY;
use crate::model::status::{ConditionStatus, ConditionType};
use crate::model::work::{Observed, StepEvent};
use crate::store::operations::OperationRow;

/// The properties a just-finished create or update sent but AWS reads back differently: Cognito
/// normalised them. `desired` is the generation the operation applied.
pub(super) fn seen(
    desired: &Map<String, Value>,
    live: &Map<String, Value>,
    op: &OperationRow,
    generation: i64,
) -> Vec<Normalization> {
    let sent: Vec<String> = match op.kind {
        OperationKind::Update => op.request.patched_properties(),
        OperationKind::Create => desired
            .keys()
            .filter(|k| !READ_ONLY.contains(&k.as_str()))
            .map(|k| format!("/{k}"))
            .collect(),
        OperationKind::Delete => Vec::new(),
    };
    let applied = Some(desired);
    diff::diff(desired, live, applied)
        .changes
        .into_iter()
        .filter(|c| sent.contains(&c.pointer))
        .map(|c| Normalization {
            pointer: c.pointer,
            sent: c.desired,
            observed: c.live,
            generation,
        })
        .collect()
}

/// Remembers normalisations just `seen` at `generation` in `new`, and returns the events that
/// report them.
pub(super) fn remember(
    new: &mut Observed,
    seen: Vec<Normalization>,
    generation: i64,
) -> Vec<StepEvent> {
    new.normalizations.0.retain(|n| n.generation == generation);
    let mut events = Vec::new();
    for n in seen {
        let message = describe(&n);
        set_condition(
            new,
            ConditionType::Drifted,
            ConditionStatus::False,
            "Normalized",
            &message,
            generation,
        );
        events.push(note(EventData::Normalized(n.clone()), message));
        new.normalizations.0.retain(|old| old.pointer != n.pointer);
        new.normalizations.0.push(n);
    }
    events
}

/// A normalisation, for people.
pub(super) fn describe(n: &Normalization) -> String {
    let show = |v: &Option<Value>| v.as_ref().map_or("nothing".to_owned(), Value::to_string);
    format!(
        "Cognito stores {} as {}, not {} as sent; accepted, and not sent again until the desired state changes",
        n.pointer,
        show(&n.observed),
        show(&n.sent)
    )
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use serde_json::json;
    use sqlx::types::Json;

    use super::*;
    use crate::model::operation::OperationRequest;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    fn update(patch: Value) -> OperationRow {
        OperationRow {
            id: Uuid::nil(),
            resource_id: Uuid::nil(),
            kind: OperationKind::Update,
            client_token: "ccplane-1".into(),
            request_token: Some("rt".into()),
            generation: 3,
            identifier: Some("pool|client".into()),
            request: Json(OperationRequest {
                patch_document: Some(serde_json::from_value(patch).unwrap()),
                ..OperationRequest::default()
            }),
            role_arn: None,
            status: crate::model::operation::OperationStatus::Success,
            error_code: None,
            status_message: None,
            polls: 1,
            submitted_at: None,
        }
    }

    #[test]
    fn a_patched_field_read_back_differently_is_a_normalization() {
        let desired = map(json!({"ClientName": "c", "LogoutURLs": ["https://a/"]}));
        let live = map(json!({"ClientName": "c", "LogoutURLs": ["https://a"]}));
        let op = update(json!([{"op": "replace", "path": "/LogoutURLs", "value": ["https://a/"]}]));
        let seen = seen(&desired, &live, &op, 3);
        assert_eq!(
            seen,
            vec![Normalization {
                pointer: "/LogoutURLs".into(),
                sent: Some(json!(["https://a/"])),
                observed: Some(json!(["https://a"])),
                generation: 3,
            }]
        );
    }

    #[test]
    fn a_field_the_operation_did_not_send_is_not_a_normalization() {
        let desired = map(json!({"ClientName": "c", "LogoutURLs": ["https://a/"]}));
        let live = map(json!({"ClientName": "x", "LogoutURLs": ["https://a/"]}));
        let op = update(json!([{"op": "replace", "path": "/LogoutURLs", "value": ["https://a/"]}]));
        assert!(seen(&desired, &live, &op, 3).is_empty());
    }
}
