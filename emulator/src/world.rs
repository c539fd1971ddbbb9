//! Emulated AWS state, partitioned by account and region: pools, clients, requests, tokens.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap, VecDeque},
    time::Duration,
};

use chrono::{DateTime, TimeDelta, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::Value;

use super::{
    cognito::{self, ResourceType},
    request::{OpKind, OpStatus, ProgressEvent, Request, Work},
    wire::{ApiError, Caller, ErrorKind},
};
use crate::rules;

/// How long a ClientToken identifies its request.
pub const CLIENT_TOKEN_TTL: TimeDelta = TimeDelta::hours(36);

/// How long a request (and its RequestToken) is kept.
pub const REQUEST_TTL: TimeDelta = TimeDelta::days(7);

/// One user pool and its clients.
#[derive(Debug, Clone)]
pub struct Pool {
    /// The pool's model (`AWS::Cognito::UserPool` properties).
    pub model: Value,
    /// Client models by ClientId, secrets included.
    pub clients: BTreeMap<String, Value>,
}

#[derive(Debug, Clone)]
struct TokenUse {
    fingerprint: String,
    request_token: String,
    used_at: DateTime<Utc>,
}

/// The state of one account in one region.
#[derive(Debug, Default)]
pub struct Partition {
    /// Pools by id.
    pub pools: BTreeMap<String, Pool>,
    requests: HashMap<String, Request>,
    order: BTreeMap<u64, String>,
    pending: BTreeSet<(DateTime<Utc>, u64)>,
    in_flight: HashMap<(ResourceType, String), String>,
    client_tokens: HashMap<String, TokenUse>,
    client_token_order: VecDeque<(DateTime<Utc>, String)>,
}

/// All partitions, and the random source of every id.
#[derive(Debug)]
pub struct World {
    partitions: HashMap<Caller, Partition>,
    rng: StdRng,
    next_seq: u64,
}

impl World {
    /// An empty world whose ids derive from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            partitions: HashMap::new(),
            rng: StdRng::seed_from_u64(seed),
            next_seq: 0,
        }
    }

    /// The partition of `caller`, caught up to `now`: due requests settled, expired ones dropped.
    pub fn scope<'a>(&'a mut self, caller: &'a Caller, now: DateTime<Utc>) -> Scope<'a> {
        let partition = self.partitions.entry(caller.clone()).or_default();
        let mut scope = Scope {
            p: partition,
            rng: &mut self.rng,
            next_seq: &mut self.next_seq,
            caller,
            now,
        };
        scope.catch_up();
        scope
    }

    /// Callers that have state, for control operations that must catch every partition up.
    pub fn callers(&self) -> Vec<Caller> {
        self.partitions.keys().cloned().collect()
    }
}

/// One partition borrowed for one call, with what that call needs beside it.
pub struct Scope<'a> {
    p: &'a mut Partition,
    rng: &'a mut StdRng,
    next_seq: &'a mut u64,
    caller: &'a Caller,
    now: DateTime<Utc>,
}

/// The result of a handler: the identifier and model of success, or a HandlerErrorCode and message.
type Outcome = Result<(Option<String>, Option<Value>), (&'static str, String)>;

impl Scope<'_> {
    /// The partition itself.
    pub fn partition(&self) -> &Partition {
        self.p
    }

    /// The partition itself, to change out of band.
    pub fn partition_mut(&mut self) -> &mut Partition {
        self.p
    }

    /// A fresh RequestToken (a UUID drawn from the seeded source).
    fn new_token(&mut self) -> String {
        uuid::Builder::from_random_bytes(self.rng.random())
            .into_uuid()
            .to_string()
    }

    /// A new user pool with a given id, as seeding does.
    pub fn add_pool(&mut self, pool_id: &str) {
        let model = cognito::new_pool_model(
            &Value::Object(Default::default()),
            pool_id,
            &self.caller.account,
            &self.caller.region,
        );
        self.p.pools.entry(pool_id.to_owned()).or_insert(Pool {
            model,
            clients: BTreeMap::new(),
        });
    }

    /// The client model, secret included.
    pub fn client(&self, pool_id: &str, client_id: &str) -> Option<&Value> {
        self.p.pools.get(pool_id)?.clients.get(client_id)
    }

    /// The request with `token`, if it is still kept.
    pub fn request(&self, token: &str) -> Option<&Request> {
        self.p.requests.get(token)
    }

    /// Requests, newest first.
    pub fn requests_newest_first(&self) -> impl Iterator<Item = &Request> {
        self.p
            .order
            .values()
            .rev()
            .filter_map(|t| self.p.requests.get(t))
    }

    /// The RequestToken of the operation in progress on a resource, if any.
    pub fn in_flight(&self, resource_type: ResourceType, identifier: &str) -> Option<&str> {
        self.p
            .in_flight
            .get(&(resource_type, identifier.to_owned()))
            .map(String::as_str)
    }

    /// The event of the request a live ClientToken names when the parameters match; a conflict
    /// when they differ; nothing when the token is new or expired.
    pub fn replay(
        &self,
        client_token: &str,
        fingerprint: &str,
    ) -> Result<Option<ProgressEvent>, ApiError> {
        let Some(used) = self.p.client_tokens.get(client_token) else {
            return Ok(None);
        };
        if used.fingerprint != fingerprint {
            return Err(ApiError::new(
                ErrorKind::ClientTokenConflict,
                format!(
                    "ClientToken {client_token} has already been used in another resource request with different parameters"
                ),
            ));
        }
        Ok(self.p.requests.get(&used.request_token).map(Request::event))
    }

    /// Records an accepted request; it settles after `settle_after`.
    pub fn submit(&mut self, new: NewRequest) -> ProgressEvent {
        let token = self.new_token();
        let seq = *self.next_seq;
        *self.next_seq += 1;
        let after = TimeDelta::from_std(new.settle_after).unwrap_or(TimeDelta::MAX);
        let settle_at = self
            .now
            .checked_add_signed(after)
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        if let Some(id) = &new.identifier {
            self.p
                .in_flight
                .insert((new.resource_type, id.clone()), token.clone());
        }
        if let Some(ct) = new.client_token {
            self.remember_client_token(ct, new.fingerprint, token.clone());
        }
        let request = Request {
            token: token.clone(),
            seq,
            resource_type: new.resource_type,
            op: new.op,
            identifier: new.identifier,
            status: OpStatus::InProgress,
            created_at: self.now,
            event_time: self.now,
            settle_at,
            model: new.model,
            status_message: None,
            error_code: None,
            work: new.work,
            injected_failure: new.injected_failure,
        };
        self.p.order.insert(seq, token.clone());
        self.p.pending.insert((settle_at, seq));
        // The answer is always the open request; even a zero latency settles on the next read.
        let event = request.event();
        self.p.requests.insert(token, request);
        event
    }

    fn remember_client_token(&mut self, client_token: String, fingerprint: String, token: String) {
        self.p
            .client_token_order
            .push_back((self.now, client_token.clone()));
        self.p.client_tokens.insert(
            client_token,
            TokenUse {
                fingerprint,
                request_token: token,
                used_at: self.now,
            },
        );
    }

    /// Cancels an open request; a settled one cannot be cancelled.
    pub fn cancel(&mut self, token: &str) -> Result<ProgressEvent, ApiError> {
        let Some(req) = self.p.requests.get_mut(token) else {
            return Err(token_not_found(token));
        };
        if !req.status.is_open() {
            return Err(ApiError::new(
                ErrorKind::Validation,
                format!(
                    "Request with token {token} cannot be cancelled: its status is {}",
                    req.status.name()
                ),
            ));
        }
        req.status = OpStatus::CancelComplete;
        req.event_time = self.now;
        req.status_message = Some("Request cancelled".into());
        let (settle_at, seq) = (req.settle_at, req.seq);
        let key = req.identifier.clone().map(|id| (req.resource_type, id));
        let event = req.event();
        self.p.pending.remove(&(settle_at, seq));
        if let Some(key) = key {
            self.p.in_flight.remove(&key);
        }
        Ok(event)
    }

    fn catch_up(&mut self) {
        self.settle_due();
        self.expire();
    }

    fn settle_due(&mut self) {
        while let Some(&(at, seq)) = self.p.pending.first() {
            if at > self.now {
                break;
            }
            self.p.pending.pop_first();
            if let Some(token) = self.p.order.get(&seq).cloned() {
                self.settle(&token, at);
            }
        }
    }

    fn settle(&mut self, token: &str, at: DateTime<Utc>) {
        let Some(req) = self.p.requests.get(token).cloned() else {
            return;
        };
        let outcome = match req.injected_failure {
            Some(code) => Err((code, injected_message(code))),
            None => self.perform(&req),
        };
        let outcome = outcome.map_err(|(code, msg)| (code, self.cognito_message(&msg, code)));
        let Some(req) = self.p.requests.get_mut(token) else {
            return;
        };
        match outcome {
            Ok((identifier, model)) => {
                req.status = OpStatus::Success;
                req.identifier = identifier.or(req.identifier.take());
                req.model = model;
            }
            Err((code, message)) => {
                req.status = OpStatus::Failed;
                req.error_code = Some(code);
                req.status_message = Some(message);
            }
        }
        req.event_time = at;
        if let Some(id) = req.identifier.clone() {
            let key = (req.resource_type, id);
            if self.p.in_flight.get(&key).is_some_and(|t| t == token) {
                self.p.in_flight.remove(&key);
            }
        }
    }

    /// Cognito's wording of a service error, as Cloud Control relays it in StatusMessage.
    fn cognito_message(&mut self, message: &str, code: &str) -> String {
        let status = if code == "ServiceInternalError" {
            500
        } else {
            400
        };
        let id = self.new_token();
        format!(
            "{message} (Service: CognitoIdentityProvider, Status Code: {status}, Request ID: {id})"
        )
    }

    fn perform(&mut self, req: &Request) -> Outcome {
        match (req.resource_type, &req.work) {
            (ResourceType::UserPoolClient, Work::Create { desired }) => self.create_client(desired),
            (ResourceType::UserPool, Work::Create { desired }) => self.create_pool(desired),
            (t, Work::Update { patch }) => self.update(t, req.identifier.as_deref(), patch),
            (t, Work::Delete) => self.delete(t, req.identifier.as_deref()),
        }
    }

    fn create_client(&mut self, desired: &Value) -> Outcome {
        let pool_id = desired["UserPoolId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if !self.p.pools.contains_key(&pool_id) {
            return Err(("NotFound", format!("User pool {pool_id} does not exist.")));
        }
        invalid_request(rules::violations(desired))?;
        let client_id = cognito::new_client_id(self.rng);
        let secret = (desired["GenerateSecret"] == Value::Bool(true))
            .then(|| cognito::new_client_secret(self.rng));
        let mut desired = desired.clone();
        if desired.get("ClientName").is_none() {
            desired["ClientName"] = Value::String(cognito::new_client_name(self.rng));
        }
        let model = cognito::new_client_model(&desired, &client_id, secret);
        let event_model = cognito::event_model(&model);
        let pool = self.p.pools.get_mut(&pool_id).expect("checked above");
        pool.clients.insert(client_id.clone(), model);
        let identifier = cognito::client_identifier(&pool_id, &client_id);
        Ok((Some(identifier), Some(event_model)))
    }

    fn create_pool(&mut self, desired: &Value) -> Outcome {
        let pool_id = cognito::new_pool_id(&self.caller.region, self.rng);
        let model =
            cognito::new_pool_model(desired, &pool_id, &self.caller.account, &self.caller.region);
        self.p.pools.insert(
            pool_id.clone(),
            Pool {
                model: model.clone(),
                clients: BTreeMap::new(),
            },
        );
        Ok((Some(pool_id), Some(model)))
    }

    fn update(
        &mut self,
        resource_type: ResourceType,
        identifier: Option<&str>,
        patch: &[json_patch::PatchOperation],
    ) -> Outcome {
        let identifier = identifier.unwrap_or_default();
        let slot = self.resource_mut(resource_type, identifier)?;
        let next = apply_patch(resource_type, slot, patch)
            .map_err(|e| ("InvalidRequest", e.to_string()))?;
        if resource_type == ResourceType::UserPoolClient {
            invalid_request(rules::violations(&next))?;
        }
        let next = match resource_type {
            ResourceType::UserPoolClient => cognito::normalize_client(next),
            ResourceType::UserPool => next,
        };
        let event_model = cognito::event_model(&next);
        *self.resource_mut(resource_type, identifier)? = next;
        Ok((None, Some(event_model)))
    }

    fn delete(&mut self, resource_type: ResourceType, identifier: Option<&str>) -> Outcome {
        let identifier = identifier.unwrap_or_default();
        match resource_type {
            ResourceType::UserPoolClient => {
                let (pool, client) =
                    cognito::parse_client_identifier(identifier).unwrap_or_default();
                let gone = self
                    .p
                    .pools
                    .get_mut(&pool)
                    .and_then(|p| p.clients.remove(&client));
                gone.map(|_| (None, None))
                    .ok_or_else(|| not_found(resource_type, identifier))
            }
            ResourceType::UserPool => self
                .p
                .pools
                .remove(identifier)
                .map(|_| (None, None))
                .ok_or_else(|| not_found(resource_type, identifier)),
        }
    }

    /// The stored model of a resource, for handlers.
    fn resource_mut(
        &mut self,
        resource_type: ResourceType,
        identifier: &str,
    ) -> Result<&mut Value, (&'static str, String)> {
        let found = match resource_type {
            ResourceType::UserPoolClient => {
                let (pool, client) =
                    cognito::parse_client_identifier(identifier).unwrap_or_default();
                self.p
                    .pools
                    .get_mut(&pool)
                    .and_then(|p| p.clients.get_mut(&client))
            }
            ResourceType::UserPool => self.p.pools.get_mut(identifier).map(|p| &mut p.model),
        };
        found.ok_or_else(|| not_found(resource_type, identifier))
    }

    /// Drops requests older than seven days and ClientTokens older than 36 hours.
    fn expire(&mut self) {
        while let Some((_, token)) = self.p.order.first_key_value() {
            let token = token.clone();
            let keep = self
                .p
                .requests
                .get(&token)
                .is_some_and(|r| r.created_at + REQUEST_TTL > self.now || r.status.is_open());
            if keep {
                break;
            }
            self.p.order.pop_first();
            self.p.requests.remove(&token);
        }
        while let Some((used_at, ct)) = self.p.client_token_order.front() {
            if *used_at + CLIENT_TOKEN_TTL > self.now {
                break;
            }
            if self
                .p
                .client_tokens
                .get(ct)
                .is_some_and(|u| u.used_at == *used_at)
            {
                self.p.client_tokens.remove(ct);
            }
            self.p.client_token_order.pop_front();
        }
    }
}

/// What a mutation hands to [`Scope::submit`].
#[derive(Debug)]
pub struct NewRequest {
    /// The resource type.
    pub resource_type: ResourceType,
    /// CREATE, UPDATE or DELETE.
    pub op: OpKind,
    /// The canonical identifier (absent for creates).
    pub identifier: Option<String>,
    /// The model to report while in progress.
    pub model: Option<Value>,
    /// What to do when it settles.
    pub work: Work,
    /// How long until it settles.
    pub settle_after: Duration,
    /// A failure chosen by fault injection.
    pub injected_failure: Option<&'static str>,
    /// The ClientToken, remembered for 36 hours.
    pub client_token: Option<String>,
    /// The parameters the ClientToken stands for.
    pub fingerprint: String,
}

/// Applies a patch to a copy of `current`, keeping read-only properties as they were.
pub fn apply_patch(
    resource_type: ResourceType,
    current: &Value,
    patch: &[json_patch::PatchOperation],
) -> Result<Value, json_patch::PatchError> {
    let mut next = current.clone();
    json_patch::patch(&mut next, patch)?;
    for key in resource_type.read_only() {
        match current.get(*key) {
            Some(v) => next[*key] = v.clone(),
            None => {
                if let Some(obj) = next.as_object_mut() {
                    obj.remove(*key);
                }
            }
        }
    }
    Ok(next)
}

/// The error answered for an unknown RequestToken.
pub fn token_not_found(token: &str) -> ApiError {
    ApiError::new(
        ErrorKind::RequestTokenNotFound,
        format!("Request with token {token} was not found"),
    )
}

fn not_found(resource_type: ResourceType, identifier: &str) -> (&'static str, String) {
    let message = match resource_type {
        ResourceType::UserPoolClient => {
            let client = identifier.rsplit('|').next().unwrap_or(identifier);
            format!("User pool client {client} does not exist.")
        }
        ResourceType::UserPool => format!("User pool {identifier} does not exist."),
    };
    ("NotFound", message)
}

fn invalid_request(violations: Vec<String>) -> Result<(), (&'static str, String)> {
    if violations.is_empty() {
        return Ok(());
    }
    Err(("InvalidRequest", violations.join("; ")))
}

fn injected_message(code: &str) -> String {
    match code {
        "Throttling" => "Rate exceeded".to_owned(),
        _ => "Internal error reading or writing the resource".to_owned(),
    }
}
