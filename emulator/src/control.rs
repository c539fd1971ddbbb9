//! The in-process handle on the emulator: out-of-band changes, roles, the clock, faults and stats.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    accounts::{Accounts, AssumeRoleCount, Role},
    client_secrets::ShownSecret,
    clock::{Clock, epoch_seconds},
    cognito::{self, UserPoolTier},
    faults::{
        ApiCallPlan, CallPlan, FaultSettings, Faults, ScriptedCall, ScriptedFault, SettlePlan,
        TokenReuse,
    },
    json11::ApiOperation,
    quotas::{
        CognitoCall, QuotaCategory, QuotaChange, QuotaSettings, QuotaUsage, ReadThrottleAnswer,
    },
    request::OpKind,
    secretsmanager::vault::{SecretValue, Vault},
    stats::{CallStats, Outcome, Stats},
    wire::{Caller, DEFAULT_ACCOUNT},
    world::{Pool, Scope, World},
};

/// Everything the server and the control handle share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub clock: Clock,
    world: Mutex<World>,
    faults: Mutex<Faults>,
    stats: Mutex<Stats>,
    accounts: Mutex<Accounts>,
    vault: Mutex<Vault>,
    seed: u64,
    seeded_pools: Vec<(String, String)>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves plain data behind; carry on with it.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    pub fn new(
        seed: u64,
        (faults, quotas): (FaultSettings, QuotaSettings),
        seeded_pools: Vec<(String, String)>,
    ) -> Self {
        let shared = Self {
            clock: Clock::default(),
            world: Mutex::new(World::new(seed)),
            faults: Mutex::new(Faults::new(faults, quotas, seed)),
            stats: Mutex::new(Stats::default()),
            accounts: Mutex::new(Accounts::new(seed)),
            vault: Mutex::new(Vault::new(seed)),
            seed,
            seeded_pools,
        };
        shared.seed_pools();
        shared
    }

    fn seed_pools(&self) {
        let now = self.clock.now();
        let mut world = self.world();
        for (account, pool_id) in &self.seeded_pools {
            let caller = caller_of(account, pool_id);
            world.scope(&caller, now).add_pool(pool_id);
        }
    }

    pub fn world(&self) -> MutexGuard<'_, World> {
        lock(&self.world)
    }

    /// Roles, issued credentials and AssumeRole counters. Never held with the world's lock.
    pub fn accounts(&self) -> MutexGuard<'_, Accounts> {
        lock(&self.accounts)
    }

    /// Secrets Manager's secrets. Never held with the world's lock.
    pub fn vault(&self) -> MutexGuard<'_, Vault> {
        lock(&self.vault)
    }

    /// Decides the delay and faults of one cognito-idp or Secrets Manager call.
    pub fn plan_api_call(&self, op: ApiOperation) -> ApiCallPlan {
        lock(&self.faults).plan_api_call(op)
    }

    /// Spends one cognito-idp call of `caller`; false when Cognito throttles it.
    pub fn take_cognito_call(&self, caller: &Caller, call: CognitoCall<'_>) -> bool {
        lock(&self.faults).take_cognito_call(caller, call, self.clock.now())
    }

    /// Which active secret a client's model shows as `ClientSecret`.
    pub fn shown_secret(&self) -> ShownSecret {
        lock(&self.faults).settings().shown_client_secret
    }

    /// Whether AddUserPoolClientSecret gives a client without a secret one.
    pub fn allows_secret_on_public_client(&self) -> bool {
        lock(&self.faults).settings().allow_secret_on_public_client
    }

    /// Whether `access_key_id` is temporary credentials the emulator issued, now expired.
    pub fn is_expired(&self, access_key_id: &str) -> bool {
        // Static test keys never take the lock: only issued keys start with `ASIA`.
        access_key_id.starts_with("ASIA")
            && self.accounts().is_expired(access_key_id, self.clock.now())
    }

    pub fn plan_call(&self, caller: &Caller) -> CallPlan {
        lock(&self.faults).plan_call(caller, self.clock.now())
    }

    /// Decides an accepted mutation's fate, its handler's Cognito calls spent first. Called with
    /// the world locked: the lock order is always world, then faults.
    pub fn plan_settle(
        &self,
        op: OpKind,
        caller: &Caller,
        cognito: &[CognitoCall<'_>],
    ) -> SettlePlan {
        lock(&self.faults).plan_mutation(op, caller, cognito, self.clock.now())
    }

    /// Spends a read handler's Cognito calls; how to answer when Cognito throttles one.
    pub fn cognito_read(
        &self,
        caller: &Caller,
        cognito: &[CognitoCall<'_>],
    ) -> Result<(), ReadThrottleAnswer> {
        lock(&self.faults).take_cognito_read(caller, cognito, self.clock.now())
    }

    /// How long a cancel takes to stop its handler, and whether the handler finished its work
    /// first.
    pub fn plan_cancel(&self) -> (Duration, bool) {
        let mut faults = lock(&self.faults);
        let after_work = faults.settings().cancel_after_work;
        (faults.plan_cancel(), after_work)
    }

    /// How a reused ClientToken is answered.
    pub fn token_reuse(&self) -> TokenReuse {
        lock(&self.faults).settings().client_token_reuse
    }

    /// Counts one GetResourceRequestStatus of `token`.
    pub fn record_poll(&self, token: &str) {
        lock(&self.stats).record_poll(token);
    }

    pub fn record(&self, op: &'static str, outcome: Outcome) {
        lock(&self.stats).record(op, outcome);
    }

    pub fn record_role_arn(&self, op: &'static str, role_arn: String) {
        lock(&self.stats).record_role_arn(op, role_arn);
    }
}

/// The caller that owns `pool_id` in `account`: its region is the pool id's prefix.
fn caller_of(account: &str, pool_id: &str) -> Caller {
    Caller {
        account: account.to_owned(),
        region: cognito::pool_region(pool_id)
            .unwrap_or("us-east-1")
            .to_owned(),
    }
}

/// Parses `--user-pool` values: `POOL` or `ACCOUNT:POOL`.
pub(crate) fn parse_seeded_pool(value: &str) -> (String, String) {
    match value.split_once(':') {
        Some((account, pool)) => (account.to_owned(), pool.to_owned()),
        None => (DEFAULT_ACCOUNT.to_owned(), value.to_owned()),
    }
}

/// Why a control request failed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ControlError {
    /// The pool or client does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// The request makes no sense.
    #[error("{0}")]
    Invalid(String),
    /// One field of the request is wrong.
    #[error("{field}: {message}")]
    InvalidField {
        /// The field's JSON name.
        field: String,
        /// What is wrong with it.
        message: String,
    },
}

/// The handle on a running emulator, for tests and for the `/_emulator/` routes (which call the
/// same methods).
#[derive(Debug, Clone)]
pub struct Control {
    shared: Arc<Shared>,
}

impl Control {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }

    pub(crate) fn shared(&self) -> &Shared {
        &self.shared
    }

    /// The emulator's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.shared.clock.now()
    }

    /// Moves the emulator's clock forward; due requests settle and expired tokens go.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// How far the clock has been advanced beyond real time.
    pub fn clock_offset(&self) -> Duration {
        self.shared.clock.offset()
    }

    /// The seed every random choice derives from.
    pub fn seed(&self) -> u64 {
        self.shared.seed
    }

    /// Forgets every resource, request, secret, registered role and issued credential, restarts the
    /// random sources from the seed, refills every quota's bucket and recreates the pools given at
    /// start; the clock, fault settings and quotas stay.
    pub fn reset(&self) {
        *self.shared.world() = World::new(self.shared.seed);
        *self.shared.accounts() = Accounts::new(self.shared.seed);
        *self.shared.vault() = Vault::new(self.shared.seed);
        let mut faults = lock(&self.shared.faults);
        *faults = faults.restarted(self.shared.seed);
        drop(faults);
        *lock(&self.shared.stats) = Stats::default();
        self.shared.seed_pools();
    }

    /// Creates an empty user pool with a given id (its region is the id's prefix).
    pub fn create_pool(&self, account: &str, pool_id: &str) -> Result<(), ControlError> {
        if cognito::pool_region(pool_id).is_none() {
            return Err(ControlError::Invalid(format!(
                "`{pool_id}` is not a pool id like us-east-1_example"
            )));
        }
        let caller = caller_of(account, pool_id);
        let now = self.now();
        self.shared.world().scope(&caller, now).add_pool(pool_id);
        Ok(())
    }

    /// Deletes a user pool and its clients, as if through the Cognito console.
    pub fn delete_pool(&self, account: &str, pool_id: &str) -> Result<(), ControlError> {
        let caller = caller_of(account, pool_id);
        let now = self.now();
        let mut world = self.shared.world();
        let mut scope = world.scope(&caller, now);
        match scope.partition_mut().pools.remove(pool_id) {
            Some(_) => Ok(()),
            None => Err(ControlError::NotFound(format!("user pool {pool_id}"))),
        }
    }

    /// The model of a client as GetResource shows it, secret included.
    pub fn client(&self, account: &str, pool_id: &str, client_id: &str) -> Option<Value> {
        let caller = caller_of(account, pool_id);
        let shown = self.shared.shown_secret();
        let now = self.now();
        let mut world = self.shared.world();
        let scope = world.scope(&caller, now);
        scope
            .partition()
            .pools
            .get(pool_id)?
            .shown_client(client_id, shown)
    }

    /// A client's active secrets, oldest first, values included (what ListUserPoolClientSecrets
    /// never shows), so a test can check a rotation without the SDK.
    pub fn client_secrets(
        &self,
        account: &str,
        pool_id: &str,
        client_id: &str,
    ) -> Result<Vec<ClientSecretView>, ControlError> {
        let caller = caller_of(account, pool_id);
        let now = self.now();
        let mut world = self.shared.world();
        let scope = world.scope(&caller, now);
        let pool = scope.partition().pools.get(pool_id);
        if pool.is_none_or(|p| !p.clients.contains_key(client_id)) {
            return Err(ControlError::NotFound(format!(
                "client {pool_id}|{client_id}"
            )));
        }
        let secrets = pool.and_then(|p| p.secrets.get(client_id));
        Ok(secrets
            .map(|s| s.active().iter().map(ClientSecretView::of).collect())
            .unwrap_or_default())
    }

    /// A Secrets Manager secret of `account` in `region`, by name or ARN: every version kept, its
    /// labels and its value.
    pub fn secret(
        &self,
        account: &str,
        region: &str,
        secret_id: &str,
    ) -> Result<SecretView, ControlError> {
        let caller = Caller {
            account: account.to_owned(),
            region: region.to_owned(),
        };
        let vault = self.shared.vault();
        let secret = vault
            .find(&caller, secret_id)
            .ok_or_else(|| ControlError::NotFound(format!("secret {secret_id}")))?;
        Ok(SecretView {
            arn: secret.arn.clone(),
            name: secret.name.clone(),
            versions: secret.versions.iter().map(VersionView::of).collect(),
        })
    }

    /// Changes a client out of band (drift): `change` is a JSON Patch (an array) or a JSON Merge
    /// Patch (an object). Cognito's defaults are filled in again afterwards. Returns the new model.
    pub fn change_client(
        &self,
        account: &str,
        pool_id: &str,
        client_id: &str,
        change: &Value,
    ) -> Result<Value, ControlError> {
        let caller = caller_of(account, pool_id);
        let now = self.now();
        let mut world = self.shared.world();
        let mut scope = world.scope(&caller, now);
        let model = scope
            .partition_mut()
            .pools
            .get_mut(pool_id)
            .and_then(|p| p.clients.get_mut(client_id))
            .ok_or_else(|| ControlError::NotFound(format!("client {pool_id}|{client_id}")))?;
        let mut next = model.clone();
        match change {
            Value::Array(_) => {
                let patch: json_patch::Patch = serde_json::from_value(change.clone())
                    .map_err(|e| ControlError::Invalid(format!("not a JSON Patch: {e}")))?;
                json_patch::patch(&mut next, &patch)
                    .map_err(|e| ControlError::Invalid(e.to_string()))?;
            }
            Value::Object(_) => json_patch::merge(&mut next, change),
            _ => {
                return Err(ControlError::Invalid(
                    "a change is a JSON Patch array or a JSON Merge Patch object".into(),
                ));
            }
        }
        *model = cognito::normalize_client(next);
        Ok(model.clone())
    }

    /// Deletes a client out of band, as if through the Cognito console.
    pub fn delete_client(
        &self,
        account: &str,
        pool_id: &str,
        client_id: &str,
    ) -> Result<(), ControlError> {
        let caller = caller_of(account, pool_id);
        let now = self.now();
        let mut world = self.shared.world();
        let mut scope = world.scope(&caller, now);
        scope
            .partition_mut()
            .pools
            .get_mut(pool_id)
            .and_then(|p| p.remove_client(client_id))
            .map(|_| ())
            .ok_or_else(|| ControlError::NotFound(format!("client {pool_id}|{client_id}")))
    }

    /// Creates a client out of band (as through the Cognito console), with Cognito's ids, secret and
    /// defaults but none of its checks; returns the ClientId.
    pub fn create_client(
        &self,
        account: &str,
        pool_id: &str,
        desired: &Value,
    ) -> Result<String, ControlError> {
        self.in_pool(account, pool_id, |scope| scope.add_client(pool_id, desired))?
            .ok_or_else(|| ControlError::NotFound(format!("user pool {pool_id}")))
    }

    /// Makes GetResource answer ResourceNotFoundException for the next `reads` reads of a client
    /// that exists, as an eventually consistent read would.
    pub fn hide_client(
        &self,
        account: &str,
        pool_id: &str,
        client_id: &str,
        reads: u32,
    ) -> Result<(), ControlError> {
        self.in_pool(account, pool_id, |scope| {
            if scope.client(pool_id, client_id).is_none() {
                return Err(ControlError::NotFound(format!(
                    "client {pool_id}|{client_id}"
                )));
            }
            scope.hide_client(pool_id, client_id, reads);
            Ok(())
        })?
    }

    /// Gives a pool a resource server with `scopes` (or more scopes, if it has one), so clients may
    /// allow the custom scopes `{identifier}/{scope}`.
    pub fn add_resource_server(
        &self,
        account: &str,
        pool_id: &str,
        identifier: &str,
        scopes: &[&str],
    ) -> Result<(), ControlError> {
        if identifier.is_empty() {
            return Err(ControlError::Invalid(
                "a resource server needs an identifier".into(),
            ));
        }
        self.with_pool(account, pool_id, |pool| {
            let server = pool
                .resource_servers
                .entry(identifier.to_owned())
                .or_default();
            server.extend(scopes.iter().map(|s| (*s).to_owned()));
        })
    }

    /// Gives a pool an identity provider (e.g. `Google`, or a SAML or OIDC provider's name).
    pub fn add_identity_provider(
        &self,
        account: &str,
        pool_id: &str,
        name: &str,
    ) -> Result<(), ControlError> {
        if name.is_empty() {
            return Err(ControlError::Invalid(
                "an identity provider needs a name".into(),
            ));
        }
        self.with_pool(account, pool_id, |pool| {
            pool.identity_providers.insert(name.to_owned());
        })
    }

    /// Moves a pool to another feature plan (new pools are on Essentials).
    pub fn set_pool_tier(
        &self,
        account: &str,
        pool_id: &str,
        tier: UserPoolTier,
    ) -> Result<(), ControlError> {
        self.with_pool(account, pool_id, |pool| pool.tier = tier)
    }

    fn in_pool<T>(
        &self,
        account: &str,
        pool_id: &str,
        f: impl FnOnce(&mut Scope<'_>) -> T,
    ) -> Result<T, ControlError> {
        let caller = caller_of(account, pool_id);
        let now = self.now();
        let mut world = self.shared.world();
        let mut scope = world.scope(&caller, now);
        if !scope.partition().pools.contains_key(pool_id) {
            return Err(ControlError::NotFound(format!("user pool {pool_id}")));
        }
        Ok(f(&mut scope))
    }

    fn with_pool(
        &self,
        account: &str,
        pool_id: &str,
        f: impl FnOnce(&mut Pool),
    ) -> Result<(), ControlError> {
        self.in_pool(account, pool_id, |scope| {
            if let Some(pool) = scope.partition_mut().pools.get_mut(pool_id) {
                f(pool);
            }
        })
    }

    /// Registers a role (or replaces one with the same ARN); AssumeRole then follows its trust.
    /// Roles never registered may be assumed by anyone.
    pub fn register_role(&self, role: Role) -> Result<Role, ControlError> {
        role.check().map_err(ControlError::Invalid)?;
        self.shared.accounts().register(role.clone());
        Ok(role)
    }

    /// The registered roles, by ARN.
    pub fn roles(&self) -> Vec<Role> {
        self.shared.accounts().roles()
    }

    /// Forgets a registered role, which anyone may then assume again; credentials already issued
    /// for it keep working until they expire.
    pub fn delete_role(&self, role_arn: &str) -> Result<(), ControlError> {
        if self.shared.accounts().deregister(role_arn) {
            Ok(())
        } else {
            Err(ControlError::NotFound(format!("role {role_arn}")))
        }
    }

    /// Queues a one-shot fault, consumed in order by the next accepted mutation it matches.
    pub fn script(&self, fault: ScriptedFault) {
        lock(&self.shared.faults).script(fault);
    }

    /// The scripted faults not yet consumed.
    pub fn scripted(&self) -> Vec<ScriptedFault> {
        lock(&self.shared.faults).scripted()
    }

    /// Drops the scripted faults not yet consumed, of mutations and of calls.
    pub fn clear_script(&self) {
        lock(&self.shared.faults).clear_script();
    }

    /// Queues a one-shot fault for the next calls of one cognito-idp or Secrets Manager operation;
    /// a failure must be an error the operation declares.
    pub fn script_call(&self, fault: ScriptedCall) -> Result<(), ControlError> {
        if let crate::faults::Effect::Fail { error_code, .. } = &fault.effect
            && fault.operation.declared_error(error_code).is_none()
        {
            return Err(ControlError::InvalidField {
                field: "effect".to_owned(),
                message: format!(
                    "`{error_code}` is not an error {} declares ({})",
                    fault.operation.name(),
                    fault.operation.declared_errors().join(", ")
                ),
            });
        }
        lock(&self.shared.faults).script_call(fault);
        Ok(())
    }

    /// The scripted call faults not yet consumed.
    pub fn scripted_calls(&self) -> Vec<ScriptedCall> {
        lock(&self.shared.faults).scripted_calls()
    }

    /// GetResourceRequestStatus calls per RequestToken.
    pub fn status_polls(&self) -> BTreeMap<String, u64> {
        lock(&self.shared.stats).polls()
    }

    /// The current fault settings (`rate_limit`: Cloud Control's rate for all accounts).
    pub fn faults(&self) -> FaultSettings {
        lock(&self.shared.faults).current()
    }

    /// Replaces the fault settings.
    pub fn set_faults(&self, settings: FaultSettings) {
        lock(&self.shared.faults).set(settings);
    }

    /// The quotas of accounts without overrides of their own.
    pub fn quotas(&self) -> QuotaSettings {
        lock(&self.shared.faults).quotas().all()
    }

    /// Changes the quotas `change` names for every account (overrides stay); buckets refill.
    pub fn set_quotas(&self, change: &QuotaChange) -> Result<QuotaSettings, ControlError> {
        check_quotas(change)?;
        let mut faults = lock(&self.shared.faults);
        faults.quotas_mut().set_all(change);
        Ok(faults.quotas().all())
    }

    /// The quotas in force for `account`.
    pub fn account_quotas(&self, account: &str) -> Result<QuotaSettings, ControlError> {
        check_account(account)?;
        Ok(lock(&self.shared.faults).quotas().of(account))
    }

    /// Overrides the quotas `change` names for `account` alone; its buckets refill.
    pub fn set_account_quotas(
        &self,
        account: &str,
        change: &QuotaChange,
    ) -> Result<QuotaSettings, ControlError> {
        check_account(account)?;
        check_quotas(change)?;
        let mut faults = lock(&self.shared.faults);
        faults.quotas_mut().set_account(account, change);
        Ok(faults.quotas().of(account))
    }

    /// Drops `account`'s overrides: it follows the quotas of all accounts again.
    pub fn clear_account_quotas(&self, account: &str) -> Result<QuotaSettings, ControlError> {
        check_account(account)?;
        let mut faults = lock(&self.shared.faults);
        faults.quotas_mut().clear_account(account);
        Ok(faults.quotas().of(account))
    }

    /// Calls and throttles per account, region and quota category (and per pool and operation).
    pub fn quota_usage(&self) -> Vec<QuotaUsage> {
        lock(&self.shared.faults).quotas().usage()
    }

    /// Calls by operation and outcome, exceptions of note, rate, quota usage, resources and
    /// requests.
    pub fn stats(&self) -> StatsReport {
        let calls = lock(&self.shared.stats).snapshot();
        let quota_usage = self.quota_usage();
        let now = self.now();
        let mut world = self.shared.world();
        let mut pools = Vec::new();
        let mut requests: BTreeMap<(&'static str, &'static str), u64> = BTreeMap::new();
        for caller in world.callers() {
            let scope = world.scope(&caller, now);
            for (pool_id, pool) in &scope.partition().pools {
                pools.push(PoolStats {
                    account: caller.account.clone(),
                    region: caller.region.clone(),
                    user_pool_id: pool_id.clone(),
                    clients: pool.clients.len(),
                });
            }
            for r in scope.requests_newest_first() {
                let status = r.status_at(now).name();
                *requests.entry((r.op.name(), status)).or_default() += 1;
            }
        }
        let requests = requests
            .into_iter()
            .map(|((operation, status), count)| RequestCount {
                operation: operation.to_owned(),
                status: status.to_owned(),
                count,
            })
            .collect();
        drop(world);
        StatsReport {
            calls,
            quota_usage,
            pools,
            requests,
            assume_role_calls: self.shared.accounts().assume_role_calls(),
        }
    }
}

fn check_quotas(change: &QuotaChange) -> Result<(), ControlError> {
    match change.invalid() {
        Some((field, message)) => Err(ControlError::InvalidField {
            field: field.to_owned(),
            message,
        }),
        None => Ok(()),
    }
}

fn check_account(account: &str) -> Result<(), ControlError> {
    if account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ControlError::InvalidField {
            field: "account".to_owned(),
            message: format!("`{account}` is not a twelve-digit account id"),
        })
    }
}

/// What `/_emulator/stats` reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatsReport {
    /// Call counters and rate.
    #[serde(flatten)]
    pub calls: CallStats,
    /// Calls and throttles per account, region and quota category, then per pool and Cognito
    /// operation (Cognito's `CallCount` and `ThrottleCount`).
    #[serde(default)]
    pub quota_usage: Vec<QuotaUsage>,
    /// Clients per pool.
    pub pools: Vec<PoolStats>,
    /// Kept requests by operation and status.
    pub requests: Vec<RequestCount>,
    /// STS AssumeRole calls by role and outcome.
    #[serde(default)]
    pub assume_role_calls: Vec<AssumeRoleCount>,
}

impl StatsReport {
    /// The total of one category for one account and region.
    pub fn usage(
        &self,
        account: &str,
        region: &str,
        category: QuotaCategory,
    ) -> Option<&QuotaUsage> {
        self.quota_usage.iter().find(|u| {
            u.account == account
                && u.region == region
                && u.category == category
                && u.user_pool_id.is_none()
        })
    }

    /// The count of one Cognito operation (e.g. `CreateUserPoolClient`) on one pool.
    pub fn pool_usage(&self, account: &str, pool_id: &str, operation: &str) -> Option<&QuotaUsage> {
        self.quota_usage.iter().find(|u| {
            u.account == account
                && u.user_pool_id.as_deref() == Some(pool_id)
                && u.operation.as_deref() == Some(operation)
        })
    }
}

/// One active client secret, as the control API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientSecretView {
    /// `ClientSecretId`.
    pub client_secret_id: String,
    /// `ClientSecretCreateDate`, epoch seconds.
    pub created_at: f64,
    /// The value.
    pub value: String,
}

impl ClientSecretView {
    fn of(secret: &crate::client_secrets::ClientSecret) -> Self {
        Self {
            client_secret_id: secret.id.clone(),
            created_at: epoch_seconds(secret.created_at),
            value: secret.value.clone(),
        }
    }
}

/// A Secrets Manager secret, as the control API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretView {
    /// Its ARN.
    pub arn: String,
    /// Its name.
    pub name: String,
    /// Every version kept, oldest first, deprecated ones (no label) included.
    pub versions: Vec<VersionView>,
}

impl SecretView {
    /// The version holding `stage`, if any.
    pub fn staged(&self, stage: &str) -> Option<&VersionView> {
        self.versions
            .iter()
            .find(|v| v.stages.iter().any(|s| s == stage))
    }
}

/// One version of a secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionView {
    /// `VersionId`.
    pub version_id: String,
    /// Its staging labels.
    pub stages: Vec<String>,
    /// When it was created, epoch seconds.
    pub created_at: f64,
    /// `SecretString`, when the value is text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_string: Option<String>,
    /// `SecretBinary` in base64, when the value is binary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_binary: Option<String>,
}

impl VersionView {
    fn of(version: &crate::secretsmanager::vault::Version) -> Self {
        use base64::{Engine, engine::general_purpose::STANDARD};
        let (text, binary) = match &version.value {
            SecretValue::Text(t) => (Some(t.clone()), None),
            SecretValue::Binary(b) => (None, Some(STANDARD.encode(b))),
        };
        Self {
            version_id: version.id.clone(),
            stages: version.stages.clone(),
            created_at: epoch_seconds(version.created_at),
            secret_string: text,
            secret_binary: binary,
        }
    }
}

/// Resources in one pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolStats {
    /// Account id.
    pub account: String,
    /// Region.
    pub region: String,
    /// The pool.
    pub user_pool_id: String,
    /// How many clients it has.
    pub clients: usize,
}

/// Kept requests of one operation in one status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestCount {
    /// CREATE, UPDATE or DELETE.
    pub operation: String,
    /// The OperationStatus.
    pub status: String,
    /// How many.
    pub count: u64,
}
