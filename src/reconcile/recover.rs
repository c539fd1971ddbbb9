//! A request Cloud Control can no longer follow (its RequestToken forgotten, or a ClientToken
//! conflict naming no request). An update or delete is resolved by reading the client again. A
//! create's handler may have made a client nobody knows the id of: it is looked for by name.
//! Before giving up, the pool is listed to the end and the clients with the create's `ClientName`
//! that no other resource manages are read; exactly one is adopted, otherwise the resource fails as
//! before, with the candidates in the message.
//!
//! Ours would be the one made after the operation started, but that cannot be checked: Cognito
//! records a `CreationDate`, `AWS::Cognito::UserPoolClient` has no such property, so Cloud Control
//! (`GetResource`, `ListResources`) never shows it. An older unmanaged client with the same name
//! cannot be told from ours, so a name never decides between two: two candidates, whatever their
//! age, fail with both listed for a person to choose (`adopt.identifier`).

use serde_json::{Map, Value};
use sqlx::types::Json;

use super::context::{Step, StepError};
use super::outcome::{Failure, Outcome, note};
use super::reaction::{Reaction, Stage, on_error};
use super::requeue::Requeue;
use crate::cloud::{CloudError, ErrorClass, ListedClient};
use crate::model::diff;
use crate::model::event::{ClientRef, EventData, OperationData};
use crate::model::operation::OperationKind;
use crate::store::operations::OperationRow;
use crate::store::resources;

/// The most unmanaged clients without a name in the listing that one search reads: past it, the
/// search gives up rather than spend a pool's worth of reads in one step (1,000 clients at Cognito's
/// 15 reads a second would take over a minute).
const MAX_READS: usize = 100;

/// What the search found.
#[derive(Debug, Clone, PartialEq)]
enum Search {
    /// Exactly one candidate, read as its live properties.
    One(String, Map<String, Value>),
    /// None, or more than one: why nothing is adopted, for the message.
    Undecided(String),
    /// A call failed in a way that may pass: look again later.
    Later(CloudError),
}

impl Step<'_> {
    /// Cloud Control holds a request of ours that cannot be followed (`e` says why). An update or
    /// delete is resolved by reading the client again; a create is looked for by name.
    pub(super) async fn unknown_request(
        &mut self,
        op: &OperationRow,
        e: &CloudError,
    ) -> Result<Outcome, StepError> {
        if op.kind == OperationKind::Create {
            return self.lost_create(op, e).await;
        }
        let mut new = self.observed();
        new.current_operation_id = None;
        // Forcing a fresh look: the next step reads the live client and diffs it. Abandoned in the
        // same write: a stored FAILED left alone would be replayed as the request's own failure.
        new.observed_generation = None;
        let message = format!(
            "{} request cannot be followed ({e}); reading the client instead",
            op.kind
        );
        let events = vec![note(EventData::OperationLost(lost(op, e)), message)];
        Ok(Outcome::saved(new, events, Requeue::Now).abandoning(op, e))
    }

    /// The create `op` cannot be followed (`e` says why): adopt the one client it can have made,
    /// or fail saying how to adopt it.
    async fn lost_create(
        &mut self,
        op: &OperationRow,
        e: &CloudError,
    ) -> Result<Outcome, StepError> {
        let desired = op.request.desired_state.as_ref();
        let field = |key: &str| desired.and_then(|d| d.get(key)).and_then(Value::as_str);
        let (pool, name) = (
            field("UserPoolId").unwrap_or("the pool"),
            field("ClientName"),
        );
        let search = match name {
            Some(name) => self.search(pool, name).await?,
            None => Search::Undecided("the create named no ClientName to look for".into()),
        };
        Ok(match search {
            Search::One(identifier, live) => self.adopt_lost(op, e, &identifier, &live),
            Search::Undecided(why) => self.create_outcome_unknown(op, e, pool, &why),
            // The operation stays current: the next step asks Cloud Control again, then searches.
            Search::Later(err) => {
                let failure = Failure::of(&err, Some(op.kind), op.request_token.as_deref());
                self.retry_later(self.observed(), failure, err.class)
            }
        })
    }

    /// Lists `pool`, and reads the clients that may be the one named `name`.
    async fn search(&mut self, pool: &str, name: &str) -> Result<Search, StepError> {
        let item = self.item;
        let at = self.place();
        let listed = match self
            .worker
            .cloud
            .list_clients(&at, item.role_arn.as_deref(), pool)
            .await
        {
            Ok(listed) => listed,
            Err(e) if e.class == ErrorClass::NotFound => {
                return Ok(Search::Undecided(format!("the pool {pool} does not exist")));
            }
            Err(e) => return Ok(gave_up(e, "listing the pool")),
        };
        let named = same_name(&listed, name, pool);
        let managed = resources::managed_elsewhere(&self.worker.pool, &named, item.id).await?;
        let to_read: Vec<&String> = named.iter().filter(|id| !managed.contains(id)).collect();
        if to_read.len() > MAX_READS {
            return Ok(Search::Undecided(format!(
                "{} clients in {pool} that no resource manages may be named {name}: too many to read",
                to_read.len()
            )));
        }
        let mut found = Vec::new();
        for identifier in to_read {
            match self.read(identifier).await {
                Ok(live) if live.get("ClientName").and_then(Value::as_str) == Some(name) => {
                    found.push((identifier.clone(), live));
                }
                Ok(_) => {}
                Err(e) if e.class == ErrorClass::NotFound => {}
                Err(e) => return Ok(gave_up(e, "reading a candidate")),
            }
        }
        Ok(decide(found, pool, name))
    }

    /// Takes over the client the lost create made, in one write with the operation's end.
    fn adopt_lost(
        &self,
        op: &OperationRow,
        e: &CloudError,
        identifier: &str,
        live: &Map<String, Value>,
    ) -> Outcome {
        let mut new = self.observed();
        new.current_operation_id = None;
        new.identifier = Some(identifier.to_owned());
        new.observed_properties = Some(Json(diff::observed(live)));
        new.applied_properties = None;
        new.observed_generation = None;
        // A user who asked to cancel the create keeps the client, and nothing more is changed. The
        // create is over either way, so the cancel is used up (only one seen when the step began).
        if self.item.cancel_requested_at.is_some() {
            self.mark_cancelled(&mut new);
        }
        let message = format!(
            "the create request with ClientToken {} cannot be followed ({}); client {identifier} \
             has its ClientName and no other resource manages it: adopting",
            op.client_token, e.code
        );
        let data = OperationData {
            kind: None,
            identifier: Some(Some(identifier.to_owned())),
            ..lost(op, e)
        };
        let events = vec![
            note(EventData::OperationLost(data), message.clone()),
            note(
                EventData::Adopted(ClientRef::of(identifier)),
                format!("took over {identifier}, the client the lost create made"),
            ),
        ];
        Outcome::saved(new, events, Requeue::Now)
            .abandoning(op, e)
            .cancel_consumed()
    }

    /// Fails the resource: a client may exist in `pool`, and `found` says what the search saw.
    fn create_outcome_unknown(
        &self,
        op: &OperationRow,
        e: &CloudError,
        pool: &str,
        found: &str,
    ) -> Outcome {
        let mut new = self.observed();
        new.current_operation_id = None;
        let message = format!(
            "the create request with ClientToken {} cannot be followed ({}: {}); a client may exist in {pool} ({found}): \
             if one does, set adopt.identifier to \"{pool}|<ClientId>\" to take it over, or ask for a refresh to create another",
            op.client_token, e.code, e.message
        );
        let failure = Failure {
            code: "CreateOutcomeUnknown",
            message: &message,
            request_token: op.request_token.as_deref(),
            operation: Some(op.kind),
        };
        let data = lost(op, e);
        let events = vec![note(EventData::OperationLost(data), message.clone())];
        self.fail(new, failure, events).abandoning(op, e)
    }
}

/// What an `OperationLost` event says about `op`, which Cloud Control answered `e` about.
fn lost(op: &OperationRow, e: &CloudError) -> OperationData {
    OperationData {
        client_token: Some(op.client_token.clone()),
        request_token: Some(op.request_token.clone()),
        error_code: Some(e.code.clone()),
        ..OperationData::of(op.id, op.kind)
    }
}

/// The identifiers of the listed clients that may be named `name`: those the listing shows with
/// that name, and those it shows without one (Cloud Control promises only identifiers).
fn same_name(listed: &[ListedClient], name: &str, pool: &str) -> Vec<String> {
    listed
        .iter()
        .filter(|c| c.client_name.as_deref().is_none_or(|n| n == name))
        .map(|c| format!("{pool}|{}", c.client_id))
        .collect()
}

/// Adopt one; name the others.
fn decide(mut found: Vec<(String, Map<String, Value>)>, pool: &str, name: &str) -> Search {
    match found.len() {
        1 => {
            let (identifier, live) = found.remove(0);
            Search::One(identifier, live)
        }
        0 => Search::Undecided(format!(
            "no client named {name} that no other resource manages was found"
        )),
        _ => {
            let ids: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
            Search::Undecided(format!(
                "{} clients in {pool} named {name} that no other resource manages, so none is adopted: {}",
                ids.len(),
                ids.join(", ")
            ))
        }
    }
}

/// A search call failed: later when that may pass, else give up with the error in the message.
fn gave_up(e: CloudError, doing: &str) -> Search {
    match on_error(None, Stage::Read, e.class) {
        Reaction::RetryLater => Search::Later(e),
        _ => Search::Undecided(format!("{doing} failed: {}: {}", e.code, e.message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(id: &str, name: Option<&str>) -> ListedClient {
        ListedClient {
            client_id: id.into(),
            client_name: name.map(str::to_owned),
        }
    }

    #[test]
    fn clients_named_otherwise_are_not_read_and_unnamed_ones_are() {
        let all = [
            listed("a", Some("web")),
            listed("b", Some("other")),
            listed("c", None),
        ];
        assert_eq!(same_name(&all, "web", "p"), ["p|a", "p|c"]);
    }

    #[test]
    fn one_candidate_is_adopted_and_two_are_named() {
        let one = vec![("p|a".to_owned(), Map::new())];
        assert_eq!(
            decide(one, "p", "web"),
            Search::One("p|a".into(), Map::new())
        );
        let two = vec![
            ("p|a".to_owned(), Map::new()),
            ("p|b".to_owned(), Map::new()),
        ];
        match decide(two, "p", "web") {
            Search::Undecided(why) => assert!(why.ends_with("p|a, p|b"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            decide(Vec::new(), "p", "web"),
            Search::Undecided(_)
        ));
    }
}
