//! AWS's request-rate quotas per account and region: Cloud Control's own rate, Cognito's
//! UserPoolClient categories and its cap per operation on one pool, as token buckets on the
//! emulator's clock, each counting its calls and throttles as Cognito's CloudWatch metrics do.
//!
//! Sources: the Amazon Cognito Developer Guide, "Quotas in Amazon Cognito" (archived as
//! `awsdocs/amazon-cognito-developer-guide` `doc_source/limits.md`): the `UserPoolClientRead`
//! category (DescribeUserPoolClient, ListUserPoolClients) and the `UserPoolClientUpdate` category
//! (Create/Update/DeleteUserPoolClient) at 15 requests per second each, per account and region
//! across all user pools, not adjustable, and "any individual operation in this category" at most 5
//! requests per second on a single user pool; each category has `CallCount` and `ThrottleCount`
//! metrics. Cloud Control publishes no rate of its own: about 30 requests per second was measured
//! and 25 adopted by ekristen/aws-nuke (issue #508, PR #510).
//!
//! The client-secret operations (AddUserPoolClientSecret, ListUserPoolClientSecrets,
//! DeleteUserPoolClientSecret, 2026) appear in neither the archived category table nor any copy of
//! the current "Quotas" page we could search: their categories are a reading of ours, by what they
//! touch. Add and Delete change an app client, so they spend `UserPoolClientUpdate`; List reads
//! one, so it spends `UserPoolClientRead`; each also has the 5 per second cap on one pool.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::wire::{ApiError, Caller, ErrorKind};

/// Cloud Control's rate per account and region (aws-nuke #508/#510: ~30 measured, 25 adopted).
pub const CLOUD_CONTROL_RPS: f64 = 25.0;
/// Cognito's `UserPoolClientRead` category, per account and region (Cognito "Quotas").
pub const COGNITO_READ_RPS: f64 = 15.0;
/// Cognito's `UserPoolClientUpdate` category, per account and region (Cognito "Quotas").
pub const COGNITO_WRITE_RPS: f64 = 15.0;
/// Any one operation of those categories on one user pool (Cognito "Quotas").
pub const COGNITO_POOL_OPERATION_RPS: f64 = 5.0;

/// The four rates, in requests per second; 0 turns one off.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuotaSettings {
    /// Every Cloud Control call, polls included.
    pub cloud_control_rps: f64,
    /// DescribeUserPoolClient, ListUserPoolClients and ListUserPoolClientSecrets, across all pools.
    pub cognito_read_rps: f64,
    /// Create/Update/DeleteUserPoolClient and Add/DeleteUserPoolClientSecret, across all pools.
    pub cognito_write_rps: f64,
    /// Any one of those operations on one pool.
    pub cognito_pool_operation_rps: f64,
}

impl Default for QuotaSettings {
    /// AWS's numbers.
    fn default() -> Self {
        Self {
            cloud_control_rps: CLOUD_CONTROL_RPS,
            cognito_read_rps: COGNITO_READ_RPS,
            cognito_write_rps: COGNITO_WRITE_RPS,
            cognito_pool_operation_rps: COGNITO_POOL_OPERATION_RPS,
        }
    }
}

impl QuotaSettings {
    /// No quota at all, for the emulator's own micro-benchmarks.
    pub const OFF: QuotaSettings = QuotaSettings {
        cloud_control_rps: 0.0,
        cognito_read_rps: 0.0,
        cognito_write_rps: 0.0,
        cognito_pool_operation_rps: 0.0,
    };

    /// These settings with the rates `change` names replaced.
    pub fn with(mut self, change: &QuotaChange) -> Self {
        let QuotaChange {
            cloud_control_rps,
            cognito_read_rps,
            cognito_write_rps,
            cognito_pool_operation_rps,
        } = *change;
        self.cloud_control_rps = cloud_control_rps.unwrap_or(self.cloud_control_rps);
        self.cognito_read_rps = cognito_read_rps.unwrap_or(self.cognito_read_rps);
        self.cognito_write_rps = cognito_write_rps.unwrap_or(self.cognito_write_rps);
        self.cognito_pool_operation_rps =
            cognito_pool_operation_rps.unwrap_or(self.cognito_pool_operation_rps);
        self
    }

    fn rate(&self, category: QuotaCategory) -> f64 {
        match category {
            QuotaCategory::CloudControl => self.cloud_control_rps,
            QuotaCategory::UserPoolClientRead => self.cognito_read_rps,
            QuotaCategory::UserPoolClientUpdate => self.cognito_write_rps,
        }
    }
}

/// Some of the four rates: a change to the settings of all accounts, or one account's overrides.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QuotaChange {
    /// Every Cloud Control call, polls included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_control_rps: Option<f64>,
    /// DescribeUserPoolClient, ListUserPoolClients and ListUserPoolClientSecrets, across all pools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cognito_read_rps: Option<f64>,
    /// Create/Update/DeleteUserPoolClient and Add/DeleteUserPoolClientSecret, across all pools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cognito_write_rps: Option<f64>,
    /// Any one of those operations on one pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cognito_pool_operation_rps: Option<f64>,
}

impl QuotaChange {
    /// The first rate that is not a number of requests per second (finite, 0 or more): its JSON
    /// name and why.
    pub fn invalid(&self) -> Option<(&'static str, String)> {
        [
            ("cloudControlRps", self.cloud_control_rps),
            ("cognitoReadRps", self.cognito_read_rps),
            ("cognitoWriteRps", self.cognito_write_rps),
            ("cognitoPoolOperationRps", self.cognito_pool_operation_rps),
        ]
        .into_iter()
        .find_map(|(field, rate)| {
            let rate = rate?;
            (!rate.is_finite() || rate < 0.0).then(|| {
                (
                    field,
                    format!("{rate} is not a rate: requests per second, 0 (off) or more"),
                )
            })
        })
    }

    fn merged(self, onto: QuotaChange) -> QuotaChange {
        QuotaChange {
            cloud_control_rps: self.cloud_control_rps.or(onto.cloud_control_rps),
            cognito_read_rps: self.cognito_read_rps.or(onto.cognito_read_rps),
            cognito_write_rps: self.cognito_write_rps.or(onto.cognito_write_rps),
            cognito_pool_operation_rps: self
                .cognito_pool_operation_rps
                .or(onto.cognito_pool_operation_rps),
        }
    }
}

/// What a rate counts: Cloud Control's own calls, or one of Cognito's categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum QuotaCategory {
    /// Every Cloud Control call.
    CloudControl,
    /// Cognito's DescribeUserPoolClient, ListUserPoolClients and ListUserPoolClientSecrets.
    UserPoolClientRead,
    /// Cognito's Create/Update/DeleteUserPoolClient and Add/DeleteUserPoolClientSecret.
    UserPoolClientUpdate,
}

/// The Cognito operations Cloud Control's `AWS::Cognito::UserPoolClient` handler calls, and the
/// client-secret operations callers make on the cognito-idp API itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CognitoOp {
    /// `CreateUserPoolClient`.
    Create,
    /// `DescribeUserPoolClient`.
    Describe,
    /// `UpdateUserPoolClient`.
    Update,
    /// `DeleteUserPoolClient`.
    Delete,
    /// `ListUserPoolClients`.
    List,
    /// `AddUserPoolClientSecret`.
    AddSecret,
    /// `ListUserPoolClientSecrets`.
    ListSecrets,
    /// `DeleteUserPoolClientSecret`.
    DeleteSecret,
}

/// How many [`CognitoOp`]s there are: one meter each per pool.
const COGNITO_OPS: usize = 8;

impl CognitoOp {
    const ALL: [CognitoOp; COGNITO_OPS] = [
        Self::Create,
        Self::Describe,
        Self::Update,
        Self::Delete,
        Self::List,
        Self::AddSecret,
        Self::ListSecrets,
        Self::DeleteSecret,
    ];

    /// The Cognito API name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Create => "CreateUserPoolClient",
            Self::Describe => "DescribeUserPoolClient",
            Self::Update => "UpdateUserPoolClient",
            Self::Delete => "DeleteUserPoolClient",
            Self::List => "ListUserPoolClients",
            Self::AddSecret => "AddUserPoolClientSecret",
            Self::ListSecrets => "ListUserPoolClientSecrets",
            Self::DeleteSecret => "DeleteUserPoolClientSecret",
        }
    }

    /// The category whose rate it spends.
    pub fn category(self) -> QuotaCategory {
        match self {
            Self::Describe | Self::List | Self::ListSecrets => QuotaCategory::UserPoolClientRead,
            Self::Create | Self::Update | Self::Delete | Self::AddSecret | Self::DeleteSecret => {
                QuotaCategory::UserPoolClientUpdate
            }
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One Cognito call a handler makes: the operation, and the pool it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CognitoCall<'a> {
    /// The operation.
    pub op: CognitoOp,
    /// The user pool (absent when the request names none that parses).
    pub pool: Option<&'a str>,
}

/// How a GetResource or ListResources that Cognito throttles is answered (not recorded).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum ReadThrottleAnswer {
    /// Cloud Control's own `ThrottlingException`: the handler's error code `Throttling` mapped to
    /// the `ThrottlingException` shape that GetResource and ListResources list among their errors
    /// in the Cloud Control model.
    #[default]
    Throttling,
    /// `GeneralServiceException`, its message carrying Cognito's `TooManyRequestsException`.
    GeneralService,
}

impl ReadThrottleAnswer {
    /// The synchronous answer to a read of `type_name` that Cognito throttled (HTTP 400 either
    /// way), worded as Cloud Control relays a handler's failure.
    pub fn error(self, type_name: &str) -> ApiError {
        let cognito = format!(
            "Rate exceeded (Service: CognitoIdentityProvider, Status Code: 400, Request ID: {})",
            uuid::Uuid::new_v4()
        );
        let (kind, text, code) = match self {
            Self::Throttling => (ErrorKind::HandlerThrottling, cognito, "Throttling"),
            Self::GeneralService => (
                ErrorKind::GeneralService,
                format!("TooManyRequestsException: {cognito}"),
                "GeneralServiceException",
            ),
        };
        ApiError::new(
            kind,
            format!(
                "{type_name} Handler returned status FAILED: {text} (HandlerErrorCode: {code}, RequestToken: {})",
                uuid::Uuid::new_v4()
            ),
        )
    }
}

/// Calls and throttles of one category (or of one operation on one pool), as CloudWatch's
/// `CallCount` and `ThrottleCount` would count them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuotaUsage {
    /// Account id.
    pub account: String,
    /// Region.
    pub region: String,
    /// The category.
    pub category: QuotaCategory,
    /// The pool, for the count of one operation on one pool; absent for the category's total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    /// The Cognito operation, with `userPoolId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Calls counted against the rate, throttled ones included.
    pub call_count: u64,
    /// Calls refused.
    pub throttle_count: u64,
}

/// A token bucket with a burst of one second's worth, as AWS's token buckets allow.
#[derive(Debug, Clone, Copy, Default)]
struct Bucket {
    tokens: f64,
    /// When `tokens` was last brought up to date; never means full.
    refilled_at: Option<DateTime<Utc>>,
}

impl Bucket {
    /// Whether a token is there at `now` under `rate` (0: always).
    fn has_token(&mut self, rate: f64, now: DateTime<Utc>) -> bool {
        if rate <= 0.0 {
            return true;
        }
        let capacity = rate.max(1.0);
        self.tokens = match self.refilled_at {
            None => capacity,
            Some(at) => {
                let elapsed = (now - at).num_microseconds().unwrap_or(i64::MAX).max(0);
                (self.tokens + elapsed as f64 / 1e6 * rate).min(capacity)
            }
        };
        self.refilled_at = Some(now);
        self.tokens >= 1.0
    }

    fn spend(&mut self, rate: f64) {
        if rate > 0.0 {
            self.tokens -= 1.0;
        }
    }
}

/// A bucket and its counters.
#[derive(Debug, Clone, Copy, Default)]
struct Meter {
    bucket: Bucket,
    calls: u64,
    throttles: u64,
}

impl Meter {
    fn count(&mut self, allowed: bool) {
        self.calls += 1;
        self.throttles += u64::from(!allowed);
    }
}

/// The meters of one account in one region.
#[derive(Debug, Default)]
struct PartitionMeters {
    cloud_control: Meter,
    read: Meter,
    write: Meter,
    /// Per pool, one meter per [`CognitoOp`].
    pools: HashMap<String, [Meter; COGNITO_OPS]>,
}

impl PartitionMeters {
    fn category(&mut self, category: QuotaCategory) -> &mut Meter {
        match category {
            QuotaCategory::CloudControl => &mut self.cloud_control,
            QuotaCategory::UserPoolClientRead => &mut self.read,
            QuotaCategory::UserPoolClientUpdate => &mut self.write,
        }
    }

    fn pool(&mut self, pool: &str) -> &mut [Meter; COGNITO_OPS] {
        // Looked up by `&str` first, so a known pool costs no allocation.
        if !self.pools.contains_key(pool) {
            self.pools.insert(pool.to_owned(), Default::default());
        }
        self.pools.get_mut(pool).expect("inserted above")
    }

    fn refill(&mut self) {
        let meters = [&mut self.cloud_control, &mut self.read, &mut self.write];
        meters
            .into_iter()
            .chain(self.pools.values_mut().flatten())
            .for_each(|m| m.bucket = Bucket::default());
    }
}

/// The quotas in force (for all accounts, and each account's overrides) and their meters.
#[derive(Debug)]
pub struct Quotas {
    all: QuotaSettings,
    accounts: HashMap<String, QuotaChange>,
    meters: HashMap<Caller, PartitionMeters>,
}

impl Quotas {
    /// `all` for every account, no overrides, every bucket full.
    pub fn new(all: QuotaSettings) -> Self {
        Self {
            all,
            accounts: HashMap::new(),
            meters: HashMap::new(),
        }
    }

    /// The same quotas with every bucket full and every counter at zero.
    pub fn restarted(&self) -> Self {
        Self {
            all: self.all,
            accounts: self.accounts.clone(),
            meters: HashMap::new(),
        }
    }

    /// The quotas of accounts without overrides.
    pub fn all(&self) -> QuotaSettings {
        self.all
    }

    /// The quotas in force for `account`.
    pub fn of(&self, account: &str) -> QuotaSettings {
        // The common case, no overrides, hashes nothing.
        if self.accounts.is_empty() {
            return self.all;
        }
        match self.accounts.get(account) {
            Some(change) => self.all.with(change),
            None => self.all,
        }
    }

    /// Changes the quotas of every account (their overrides stay); buckets start full again.
    pub fn set_all(&mut self, change: &QuotaChange) {
        self.all = self.all.with(change);
        self.meters.values_mut().for_each(PartitionMeters::refill);
    }

    /// Overrides some of `account`'s quotas; its buckets start full again.
    pub fn set_account(&mut self, account: &str, change: &QuotaChange) {
        let overrides = self.accounts.entry(account.to_owned()).or_default();
        *overrides = change.merged(*overrides);
        self.refill_account(account);
    }

    /// Drops `account`'s overrides; its buckets start full again.
    pub fn clear_account(&mut self, account: &str) {
        self.accounts.remove(account);
        self.refill_account(account);
    }

    /// Every bucket full again.
    pub fn refill(&mut self) {
        self.meters.values_mut().for_each(PartitionMeters::refill);
    }

    fn refill_account(&mut self, account: &str) {
        self.meters
            .iter_mut()
            .filter(|(caller, _)| caller.account == account)
            .for_each(|(_, m)| m.refill());
    }

    fn partition(&mut self, caller: &Caller) -> &mut PartitionMeters {
        // Looked up by reference first, so a known caller costs no allocation.
        if !self.meters.contains_key(caller) {
            self.meters
                .insert(caller.clone(), PartitionMeters::default());
        }
        self.meters.get_mut(caller).expect("inserted above")
    }

    /// Spends one Cloud Control call of `caller`; false when its rate is exceeded.
    pub fn take_cloud_control(&mut self, caller: &Caller, now: DateTime<Utc>) -> bool {
        let rate = self.of(&caller.account).cloud_control_rps;
        let meter = &mut self.partition(caller).cloud_control;
        let allowed = meter.bucket.has_token(rate, now);
        if allowed {
            meter.bucket.spend(rate);
        }
        meter.count(allowed);
        allowed
    }

    /// Makes the handler's Cognito calls in order, each spending its category and its operation on
    /// its pool; the first one throttled stops the rest (the handler fails there), and what earlier
    /// calls spent stays spent. A throttled call spends nothing.
    pub fn take_cognito(
        &mut self,
        caller: &Caller,
        calls: &[CognitoCall<'_>],
        now: DateTime<Utc>,
    ) -> Result<(), CognitoOp> {
        let rates = self.of(&caller.account);
        let meters = self.partition(caller);
        for call in calls {
            let category = call.op.category();
            let (rate, pool_rate) = (rates.rate(category), rates.cognito_pool_operation_rps);
            let mut allowed = meters.category(category).bucket.has_token(rate, now);
            if let Some(pool) = call.pool {
                let per_op = &mut meters.pool(pool)[call.op.index()];
                allowed &= per_op.bucket.has_token(pool_rate, now);
                if allowed {
                    per_op.bucket.spend(pool_rate);
                }
                per_op.count(allowed);
            }
            let total = meters.category(category);
            if allowed {
                total.bucket.spend(rate);
            }
            total.count(allowed);
            if !allowed {
                return Err(call.op);
            }
        }
        Ok(())
    }

    /// The counters: per account and region, each category's total, then each operation on each
    /// pool that was called.
    pub fn usage(&self) -> Vec<QuotaUsage> {
        let mut out = Vec::new();
        for (caller, meters) in &self.meters {
            let entry =
                |category, pool: Option<&str>, op: Option<CognitoOp>, m: &Meter| QuotaUsage {
                    account: caller.account.clone(),
                    region: caller.region.clone(),
                    category,
                    user_pool_id: pool.map(str::to_owned),
                    operation: op.map(|o| o.name().to_owned()),
                    call_count: m.calls,
                    throttle_count: m.throttles,
                };
            out.push(entry(
                QuotaCategory::CloudControl,
                None,
                None,
                &meters.cloud_control,
            ));
            out.push(entry(
                QuotaCategory::UserPoolClientRead,
                None,
                None,
                &meters.read,
            ));
            out.push(entry(
                QuotaCategory::UserPoolClientUpdate,
                None,
                None,
                &meters.write,
            ));
            for (pool, ops) in &meters.pools {
                for op in CognitoOp::ALL {
                    let m = &ops[op.index()];
                    if m.calls > 0 {
                        out.push(entry(op.category(), Some(pool), Some(op), m));
                    }
                }
            }
        }
        out.sort_by(|a, b| {
            (
                &a.account,
                &a.region,
                a.category,
                &a.user_pool_id,
                &a.operation,
            )
                .cmp(&(
                    &b.account,
                    &b.region,
                    b.category,
                    &b.user_pool_id,
                    &b.operation,
                ))
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    fn caller(account: &str) -> Caller {
        Caller {
            account: account.into(),
            region: "us-east-1".into(),
        }
    }

    fn create_in(pool: &str) -> [CognitoCall<'_>; 1] {
        [CognitoCall {
            op: CognitoOp::Create,
            pool: Some(pool),
        }]
    }

    #[test]
    fn the_cloud_control_bucket_refills_at_its_rate() {
        let mut q = Quotas::new(QuotaSettings {
            cloud_control_rps: 2.0,
            ..QuotaSettings::default()
        });
        let (t0, c) = (Utc::now(), caller("123456789012"));
        assert!(q.take_cloud_control(&c, t0));
        assert!(q.take_cloud_control(&c, t0));
        assert!(!q.take_cloud_control(&c, t0));
        assert!(q.take_cloud_control(&c, t0 + TimeDelta::milliseconds(500)));
    }

    #[test]
    fn one_pools_operation_is_capped_before_the_category() {
        let mut q = Quotas::new(QuotaSettings::default());
        let (now, c) = (Utc::now(), caller("123456789012"));
        let ok = (0..7)
            .filter(|_| q.take_cognito(&c, &create_in("us-east-1_a"), now).is_ok())
            .count();
        assert_eq!(ok, 5);
        let other = (0..12)
            .filter(|_| q.take_cognito(&c, &create_in("us-east-1_b"), now).is_ok())
            .count();
        assert_eq!(other, 5);
        let third = (0..12)
            .filter(|_| q.take_cognito(&c, &create_in("us-east-1_c"), now).is_ok())
            .count();
        assert_eq!(third, 5, "15 in the category: this pool gets the last five");
        assert!(q.take_cognito(&c, &create_in("us-east-1_d"), now).is_err());
    }

    #[test]
    fn a_rate_of_zero_is_no_limit_but_still_counts() {
        let mut q = Quotas::new(QuotaSettings::OFF);
        let (now, c) = (Utc::now(), caller("123456789012"));
        assert!((0..100).all(|_| q.take_cloud_control(&c, now)));
        assert_eq!(q.usage()[0].call_count, 100);
        assert_eq!(q.usage()[0].throttle_count, 0);
    }

    #[test]
    fn overrides_apply_to_their_account_only() {
        let mut q = Quotas::new(QuotaSettings::default());
        q.set_account(
            "111122223333",
            &QuotaChange {
                cognito_write_rps: Some(1.0),
                ..Default::default()
            },
        );
        assert_eq!(q.of("111122223333").cognito_write_rps, 1.0);
        assert_eq!(q.of("111122223333").cloud_control_rps, CLOUD_CONTROL_RPS);
        assert_eq!(q.of("123456789012"), QuotaSettings::default());
        q.clear_account("111122223333");
        assert_eq!(q.of("111122223333"), QuotaSettings::default());
    }

    #[test]
    fn a_rate_that_is_not_a_number_of_requests_names_its_field() {
        let change = QuotaChange {
            cognito_read_rps: Some(-1.0),
            ..Default::default()
        };
        assert_eq!(change.invalid().map(|(f, _)| f), Some("cognitoReadRps"));
        assert_eq!(QuotaChange::default().invalid(), None);
    }
}
