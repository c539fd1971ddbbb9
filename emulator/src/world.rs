//! Emulated AWS state, partitioned by account and region: pools, clients, requests, tokens.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap, VecDeque},
    time::Duration,
};

use chrono::{DateTime, TimeDelta, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::Value;

use super::{
    client_secrets::{ClientSecrets, ShownSecret},
    cognito::{self, ResourceType, UserPoolTier},
    fate::{Failure, Readings},
    faults::{SettlePlan, TokenReuse},
    request::{OpKind, OpStatus, ProgressEvent, Request, Work},
    wire::{ApiError, Caller, ErrorKind},
};
use crate::rules::{self, CognitoError, Exception, PoolFacts};

/// How long a ClientToken identifies its request.
pub const CLIENT_TOKEN_TTL: TimeDelta = TimeDelta::hours(36);

/// How long a request (and its RequestToken) is kept.
pub const REQUEST_TTL: TimeDelta = TimeDelta::days(7);

/// One user pool, its clients, and what Cognito checks clients against.
#[derive(Debug, Clone)]
pub struct Pool {
    /// The pool's model (`AWS::Cognito::UserPool` properties).
    pub model: Value,
    /// Client models by ClientId, secrets included.
    pub clients: BTreeMap<String, Value>,
    /// Scope names by resource server identifier.
    pub resource_servers: BTreeMap<String, BTreeSet<String>>,
    /// Identity providers besides `COGNITO`.
    pub identity_providers: BTreeSet<String>,
    /// The feature plan.
    pub tier: UserPoolTier,
    /// Each client's active secrets, by ClientId; absent for a client that never had one.
    pub secrets: BTreeMap<String, ClientSecrets>,
}

impl Pool {
    /// An empty pool with `model`.
    pub fn new(model: Value) -> Self {
        let tier = model
            .get("UserPoolTier")
            .and_then(Value::as_str)
            .and_then(UserPoolTier::from_name)
            .unwrap_or_default();
        Self {
            model,
            clients: BTreeMap::new(),
            resource_servers: BTreeMap::new(),
            identity_providers: BTreeSet::new(),
            tier,
            secrets: BTreeMap::new(),
        }
    }

    /// Stores a new client; one created with a secret (`GenerateSecret: true`) has that one secret,
    /// created with it.
    pub fn insert_client(&mut self, client_id: String, model: Value, now: DateTime<Utc>) {
        if let Some(secret) = model.get("ClientSecret").and_then(Value::as_str) {
            let secrets = ClientSecrets::created_with(&client_id, secret.to_owned(), now);
            self.secrets.insert(client_id.clone(), secrets);
        }
        self.clients.insert(client_id, model);
    }

    /// Deletes a client and its secrets; its model, if it existed.
    pub fn remove_client(&mut self, client_id: &str) -> Option<Value> {
        self.secrets.remove(client_id);
        self.clients.remove(client_id)
    }

    /// A client's model as DescribeUserPoolClient shows it: `ClientSecret` is the active secret
    /// `shown` picks (see [`ShownSecret`]); a client that never had one is left as stored.
    pub fn shown_client(&self, client_id: &str, shown: ShownSecret) -> Option<Value> {
        let mut model = self.clients.get(client_id)?.clone();
        let (Some(secrets), Some(fields)) = (self.secrets.get(client_id), model.as_object_mut())
        else {
            return Some(model);
        };
        match secrets.shown(shown) {
            Some(secret) => {
                fields.insert("ClientSecret".into(), Value::String(secret.value.clone()));
            }
            None => {
                fields.remove("ClientSecret");
            }
        }
        Some(cognito::normalize_client(model))
    }

    /// Keeps the stored model's `ClientSecret` on the oldest active secret after its secrets
    /// changed, so that Cognito's rules that want "a client secret" see one while any is active.
    pub fn sync_client_secret(&mut self, client_id: &str) {
        let oldest = self
            .secrets
            .get(client_id)
            .and_then(|s| s.shown(ShownSecret::Oldest))
            .map(|s| s.value.clone());
        let Some(model) = self.clients.get_mut(client_id) else {
            return;
        };
        let mut next = model.take();
        if let Some(fields) = next.as_object_mut() {
            match oldest {
                Some(value) => fields.insert("ClientSecret".into(), Value::String(value)),
                None => fields.remove("ClientSecret"),
            };
        }
        *model = cognito::normalize_client(next);
    }

    fn facts<'a>(&'a self, pool_id: &'a str) -> PoolFacts<'a> {
        PoolFacts {
            pool_id,
            resource_servers: &self.resource_servers,
            identity_providers: &self.identity_providers,
            tier: self.tier,
        }
    }
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
    /// GetResource reads still to answer ResourceNotFound, by (pool, client).
    hidden_reads: HashMap<(String, String), u32>,
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

/// Why a handler failed: the HandlerErrorCode and the StatusMessage.
type HandlerFailure = (String, String);

/// The result of a handler: the identifier it reports, or why it failed.
type Outcome = Result<Option<String>, HandlerFailure>;

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

    /// A client secret as Cognito generates one (for AddUserPoolClientSecret without a value).
    pub fn new_client_secret(&mut self) -> String {
        cognito::new_client_secret(self.rng)
    }

    /// A new user pool with a given id, as seeding does.
    pub fn add_pool(&mut self, pool_id: &str) {
        let model = cognito::new_pool_model(
            &Value::Object(Default::default()),
            pool_id,
            &self.caller.account,
            &self.caller.region,
        );
        self.p
            .pools
            .entry(pool_id.to_owned())
            .or_insert_with(|| Pool::new(model));
    }

    /// A client created out of band (as through the Cognito console): ids, secret and defaults as
    /// Cognito assigns them. Returns the ClientId, or None when the pool does not exist.
    pub fn add_client(&mut self, pool_id: &str, desired: &Value) -> Option<String> {
        if !self.p.pools.contains_key(pool_id) {
            return None;
        }
        let (client_id, model) = self.new_client(desired);
        let pool = self.p.pools.get_mut(pool_id)?;
        pool.insert_client(client_id.clone(), model, self.now);
        Some(client_id)
    }

    /// The client model, secret included.
    pub fn client(&self, pool_id: &str, client_id: &str) -> Option<&Value> {
        self.p.pools.get(pool_id)?.clients.get(client_id)
    }

    /// Makes the next `reads` GetResource reads of a client answer ResourceNotFound.
    pub fn hide_client(&mut self, pool_id: &str, client_id: &str, reads: u32) {
        let key = (pool_id.to_owned(), client_id.to_owned());
        if reads == 0 {
            self.p.hidden_reads.remove(&key);
        } else {
            self.p.hidden_reads.insert(key, reads);
        }
    }

    /// Whether this read of a client is one of those hidden; uses one up.
    pub fn take_hidden_read(&mut self, pool_id: &str, client_id: &str) -> bool {
        // The common case, nothing hidden, allocates nothing.
        if self.p.hidden_reads.is_empty() {
            return false;
        }
        let key = (pool_id.to_owned(), client_id.to_owned());
        let Some(left) = self.p.hidden_reads.get_mut(&key) else {
            return false;
        };
        *left -= 1;
        if *left == 0 {
            self.p.hidden_reads.remove(&key);
        }
        true
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

    /// What a live ClientToken answers: the original request's event when the parameters match
    /// and reuse replays; `ClientTokenConflictException` naming the original RequestToken otherwise
    /// (worded as LocalStack's AWS-validated snapshot `test_double_create_with_client_token` records
    /// it). Nothing when the token is new or expired.
    pub fn replay(
        &self,
        client_token: &str,
        fingerprint: &str,
        reuse: TokenReuse,
    ) -> Result<Option<ProgressEvent>, ApiError> {
        let Some(used) = self.p.client_tokens.get(client_token) else {
            return Ok(None);
        };
        let original = self.p.requests.get(&used.request_token);
        if used.fingerprint == fingerprint
            && reuse == TokenReuse::Replay
            && let Some(request) = original
        {
            return Ok(Some(request.event(self.now)));
        }
        Err(ApiError::new(
            ErrorKind::ClientTokenConflict,
            format!(
                "ClientToken {client_token} is already associated with an existing operation with RequestToken {}",
                used.request_token
            ),
        ))
    }

    /// Records an accepted request; it starts and settles as `plan` says.
    pub fn submit(&mut self, new: NewRequest, plan: SettlePlan) -> ProgressEvent {
        let token = self.new_token();
        let seq = *self.next_seq;
        *self.next_seq += 1;
        let starts_at = later(self.now, plan.start_after);
        let settle_at = later(starts_at, plan.after);
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
            starts_at,
            settle_at,
            status_message: None,
            error_code: None,
            work: new.work,
            failure: plan.failure,
            retry_after: plan.retry_after,
            readings: plan.readings,
        };
        self.p.order.insert(seq, token.clone());
        self.p.pending.insert((settle_at, seq));
        // The answer is always the open request; even a zero latency settles on the next read.
        let event = request.event(self.now);
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

    /// Cancels a request, as CancelResourceRequest does. One that has not started ends
    /// `CANCEL_COMPLETE` at once; one in progress goes `CANCEL_IN_PROGRESS` until its handler stops
    /// (`stop_after`), and work the handler already did stays done ("There is no rollback",
    /// LocalStack's `test_cancel_request`). A second cancel answers the same event; a finished
    /// request answers "Request R is already in status SUCCESS" (LocalStack's
    /// `test_cancel_edge_cases`).
    pub fn cancel(
        &mut self,
        token: &str,
        stop_after: Duration,
        work_done_first: bool,
    ) -> Result<ProgressEvent, ApiError> {
        let now = self.now;
        let Some(req) = self.p.requests.get(token) else {
            return Err(token_not_found(token));
        };
        let started = match req.status_at(now) {
            OpStatus::CancelInProgress | OpStatus::CancelComplete => return Ok(req.event(now)),
            OpStatus::Success | OpStatus::Failed => {
                return Err(ApiError::new(
                    ErrorKind::Validation,
                    format!("Request {token} is already in status {}", req.status.name()),
                ));
            }
            OpStatus::Pending => false,
            OpStatus::InProgress => true,
        };
        let key = (req.settle_at, req.seq);
        self.p.pending.remove(&key);
        let mut identifier = None;
        if started && work_done_first && req.op == OpKind::Create {
            let req = req.clone();
            identifier = self.perform(&req).ok().flatten();
        }
        let stop_at = later(now, stop_after);
        let req = self.p.requests.get_mut(token).expect("looked up above");
        req.identifier = identifier.or(req.identifier.take());
        req.status_message = Some("Request cancelled".into());
        if started {
            req.status = OpStatus::CancelInProgress;
            req.settle_at = stop_at;
            self.p.pending.insert((stop_at, req.seq));
        } else {
            req.status = OpStatus::CancelComplete;
        }
        let event = req.event(now);
        if !started {
            self.release(token);
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
                self.settle(&token);
            }
        }
    }

    /// Moves a request to its final status when it is due.
    fn settle(&mut self, token: &str) {
        let Some(req) = self.p.requests.get(token).cloned() else {
            return;
        };
        if req.status == OpStatus::CancelInProgress {
            if let Some(r) = self.p.requests.get_mut(token) {
                r.status = OpStatus::CancelComplete;
            }
            self.release(token);
            return;
        }
        let outcome = match &req.failure {
            Some(f) if !f.after_work => Err((None, self.injected(f))),
            Some(f) => match self.perform(&req) {
                // The work is done and the request fails anyway: the event names what exists.
                Ok(id) => Err((id, self.injected(f))),
                // The work failed on its own: that failure is what the handler reports.
                Err(failure) => Err((None, failure)),
            },
            None => self.perform(&req).map_err(|f| (None, f)),
        };
        let Some(req) = self.p.requests.get_mut(token) else {
            return;
        };
        match outcome {
            Ok(identifier) => {
                req.status = OpStatus::Success;
                req.identifier = identifier.or(req.identifier.take());
            }
            Err((identifier, (code, message))) => {
                req.status = OpStatus::Failed;
                req.identifier = identifier.or(req.identifier.take());
                req.error_code = Some(code);
                req.status_message = Some(message);
            }
        }
        self.release(token);
    }

    /// Frees the resource a settled request held.
    fn release(&mut self, token: &str) {
        let Some(req) = self.p.requests.get(token) else {
            return;
        };
        if let Some(id) = req.identifier.clone() {
            let key = (req.resource_type, id);
            if self.p.in_flight.get(&key).is_some_and(|t| t == token) {
                self.p.in_flight.remove(&key);
            }
        }
    }

    /// The failure fault injection chose, with a Cognito-style message unless one was given.
    fn injected(&mut self, f: &Failure) -> HandlerFailure {
        let message = match &f.message {
            Some(m) => m.clone(),
            None => {
                let text = injected_message(&f.code);
                self.cognito_message(&text, &f.code)
            }
        };
        (f.code.clone(), message)
    }

    /// Cognito's wording of a service error, as Cloud Control relays it in StatusMessage (the AWS
    /// SDK for Java v2 format the handler's messages carry).
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

    fn cognito_failure(&mut self, err: CognitoError) -> HandlerFailure {
        let code = err.exception.handler_error_code();
        (code.to_owned(), self.cognito_message(&err.message, code))
    }

    fn perform(&mut self, req: &Request) -> Outcome {
        match (req.resource_type, &req.work) {
            (ResourceType::UserPoolClient, Work::Create { desired }) => {
                self.create_client(desired, req.readings)
            }
            (ResourceType::UserPool, Work::Create { desired }) => {
                Ok(Some(self.create_pool(desired)))
            }
            (t, Work::Update { patch }) => {
                self.update(t, req.identifier.as_deref(), patch, req.readings)
            }
            (t, Work::Delete) => self.delete(t, req.identifier.as_deref()),
        }
    }

    /// CreateUserPoolClient: Cognito's input constraints, the pool, its rules, then the new client.
    fn create_client(&mut self, desired: &Value, readings: Readings) -> Outcome {
        let pool_id = desired["UserPoolId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let checked = rules::constraints(desired).and_then(|()| {
            let pool = self
                .p
                .pools
                .get(&pool_id)
                .ok_or_else(|| pool_not_found(&pool_id))?;
            rules::semantics(desired, readings)?;
            rules::check_in_pool(desired, &pool.facts(&pool_id))?;
            rules::check_room(&pool_id, pool.clients.len())
        });
        if let Err(err) = checked {
            return Err(self.cognito_failure(err));
        }
        let (client_id, model) = self.new_client(desired);
        let pool = self.p.pools.get_mut(&pool_id).expect("checked above");
        pool.insert_client(client_id.clone(), model, self.now);
        Ok(Some(cognito::client_identifier(&pool_id, &client_id)))
    }

    /// A new client's id and stored model.
    fn new_client(&mut self, desired: &Value) -> (String, Value) {
        let client_id = cognito::new_client_id(self.rng);
        let secret = (desired["GenerateSecret"] == Value::Bool(true))
            .then(|| cognito::new_client_secret(self.rng));
        let mut desired = desired.clone();
        if desired.get("ClientName").is_none() {
            desired["ClientName"] = Value::String(cognito::new_client_name(self.rng));
        }
        let model = cognito::new_client_model(&desired, &client_id, secret);
        let model = cognito::with_analytics_role(model, &self.caller.account);
        (client_id, model)
    }

    fn create_pool(&mut self, desired: &Value) -> String {
        let pool_id = cognito::new_pool_id(&self.caller.region, self.rng);
        let model =
            cognito::new_pool_model(desired, &pool_id, &self.caller.account, &self.caller.region);
        self.p.pools.insert(pool_id.clone(), Pool::new(model));
        pool_id
    }

    fn update(
        &mut self,
        resource_type: ResourceType,
        identifier: Option<&str>,
        patch: &[json_patch::PatchOperation],
        readings: Readings,
    ) -> Outcome {
        let identifier = identifier.unwrap_or_default();
        let current = match self.resource_mut(resource_type, identifier) {
            Ok(slot) => slot.clone(),
            Err(err) => return Err(self.cognito_failure(err)),
        };
        let next = apply_patch(resource_type, &current, patch)
            .map_err(|e| ("InvalidRequest".to_owned(), e.to_string()))?;
        let next = match resource_type {
            ResourceType::UserPoolClient => {
                let next = if readings.remove_resets_defaults {
                    next
                } else {
                    cognito::keep_defaults_on_remove(&current, patch, next)
                };
                let (pool_id, _) = cognito::parse_client_identifier(identifier).unwrap_or_default();
                let facts = self.p.pools.get(&pool_id).map(|p| p.facts(&pool_id));
                let checked = rules::check(&next, readings).and_then(|()| match facts {
                    Some(facts) => rules::check_in_pool(&next, &facts),
                    None => Ok(()),
                });
                if let Err(err) = checked {
                    return Err(self.cognito_failure(err));
                }
                let next = cognito::normalize_client(next);
                cognito::with_analytics_role(next, &self.caller.account)
            }
            ResourceType::UserPool => next,
        };
        match self.resource_mut(resource_type, identifier) {
            Ok(slot) => *slot = next,
            Err(err) => return Err(self.cognito_failure(err)),
        }
        Ok(None)
    }

    fn delete(&mut self, resource_type: ResourceType, identifier: Option<&str>) -> Outcome {
        let identifier = identifier.unwrap_or_default();
        let gone = match resource_type {
            ResourceType::UserPoolClient => {
                let (pool, client) =
                    cognito::parse_client_identifier(identifier).unwrap_or_default();
                self.p
                    .pools
                    .get_mut(&pool)
                    .and_then(|p| p.remove_client(&client))
                    .is_some()
            }
            ResourceType::UserPool => self.p.pools.remove(identifier).is_some(),
        };
        if gone {
            Ok(None)
        } else {
            let err = not_found(resource_type, identifier);
            Err(self.cognito_failure(err))
        }
    }

    /// The stored model of a resource, for handlers.
    fn resource_mut(
        &mut self,
        resource_type: ResourceType,
        identifier: &str,
    ) -> Result<&mut Value, CognitoError> {
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
    /// What to do when it settles.
    pub work: Work,
    /// The ClientToken, remembered for 36 hours.
    pub client_token: Option<String>,
    /// The parameters the ClientToken stands for.
    pub fingerprint: String,
}

fn later(t: DateTime<Utc>, by: Duration) -> DateTime<Utc> {
    let by = TimeDelta::from_std(by).unwrap_or(TimeDelta::MAX);
    t.checked_add_signed(by).unwrap_or(DateTime::<Utc>::MAX_UTC)
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

/// The error answered for an unknown RequestToken (LocalStack's AWS-validated snapshot
/// `test_invalid_request_token_exc`).
pub fn token_not_found(token: &str) -> ApiError {
    ApiError::new(
        ErrorKind::RequestTokenNotFound,
        format!("Request with token {token} was not found"),
    )
}

fn pool_not_found(pool_id: &str) -> CognitoError {
    CognitoError {
        exception: Exception::ResourceNotFound,
        message: format!("User pool {pool_id} does not exist."),
    }
}

fn not_found(resource_type: ResourceType, identifier: &str) -> CognitoError {
    match resource_type {
        ResourceType::UserPoolClient => {
            let client = identifier.rsplit('|').next().unwrap_or(identifier);
            CognitoError {
                exception: Exception::ResourceNotFound,
                message: format!("User pool client {client} does not exist."),
            }
        }
        ResourceType::UserPool => pool_not_found(identifier),
    }
}

fn injected_message(code: &str) -> String {
    match code {
        "Throttling" => "Rate exceeded".to_owned(),
        _ => "Internal error reading or writing the resource".to_owned(),
    }
}
