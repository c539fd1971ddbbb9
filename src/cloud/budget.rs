//! Which of AWS's budgets each Cloud Control call spends, and the handle that spends them.
//!
//! AWS's budget is structured (`shared/AWS-CONTRACT.md`, "Quotas and accounts"): Cloud Control's
//! own rate (not published; ~30/s measured, 25/s adopted by aws-nuke, issue #508 / PR #510), and
//! inside its handler Cognito's rate categories per account and region, `UserPoolClientRead`
//! (DescribeUserPoolClient, ListUserPoolClients) and `UserPoolClientUpdate` (Create, Update,
//! DeleteUserPoolClient), 15/s each, plus at most 5/s of any one operation on one user pool (Amazon
//! Cognito developer guide, "Quotas"). Which Cognito calls the handler makes is not documented; we
//! read it as: create → Create; update → Describe, then Update (Cloud Control merges the patch into
//! the read-back model); delete → Delete; read → Describe; list → List; polls and cancels touch
//! Cloud Control only. Background reads (drift checks) also spend a bucket of their own, a share
//! of the read rate, so they never take more than that share.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::PgPool;

use super::account::Account;
use super::error::{CloudError, ErrorClass};
use crate::store::budgets::{self, Bucket, Take};

/// AWS's documented rates, the ceilings below which every bucket adapts (`Default`: AWS's numbers,
/// in `config::defaults`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ceilings {
    /// Cloud Control calls per second per account and region.
    pub cloud_control: f64,
    /// Cognito `UserPoolClientRead` calls per second per account and region.
    pub cognito_read: f64,
    /// Cognito `UserPoolClientUpdate` calls per second per account and region.
    pub cognito_write: f64,
    /// Calls per second of one Cognito operation on one user pool.
    pub pool_operation: f64,
    /// The share of the read rate background work (drift checks) may spend.
    pub background_read_share: f64,
}

/// A Cloud Control call, as far as the budget is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `CreateResource`.
    Create,
    /// `UpdateResource`.
    Update,
    /// `DeleteResource`.
    Delete,
    /// `GetResource`.
    Get,
    /// `ListResources` (one page).
    List,
    /// `GetResourceRequestStatus`.
    Status,
    /// `CancelResourceRequest`.
    Cancel,
    /// cognito-idp `AddUserPoolClientSecret`, called directly.
    AddClientSecret,
    /// cognito-idp `ListUserPoolClientSecrets`, called directly.
    ListClientSecrets,
    /// cognito-idp `DeleteUserPoolClientSecret`, called directly.
    DeleteClientSecret,
    /// Secrets Manager `DescribeSecret`.
    DescribeSecret,
    /// Secrets Manager `GetSecretValue`.
    GetSecretValue,
    /// Secrets Manager `PutSecretValue`.
    PutSecretValue,
    /// Secrets Manager `UpdateSecretVersionStage`.
    UpdateSecretVersionStage,
}

/// A Cognito operation the handler makes, and whether it is in the read category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cognito {
    Describe,
    List,
    Create,
    Update,
    Delete,
    AddSecret,
    ListSecrets,
    DeleteSecret,
}

impl Cognito {
    fn name(self) -> &'static str {
        match self {
            Self::Describe => "DescribeUserPoolClient",
            Self::List => "ListUserPoolClients",
            Self::Create => "CreateUserPoolClient",
            Self::Update => "UpdateUserPoolClient",
            Self::Delete => "DeleteUserPoolClient",
            Self::AddSecret => "AddUserPoolClientSecret",
            Self::ListSecrets => "ListUserPoolClientSecrets",
            Self::DeleteSecret => "DeleteUserPoolClientSecret",
        }
    }

    /// The category: AWS's quota page does not list the secret operations (yet); we read them as
    /// their neighbours are, the list a read and the add and delete updates, as the emulator does.
    fn is_read(self) -> bool {
        matches!(self, Self::Describe | Self::List | Self::ListSecrets)
    }
}

impl Call {
    /// The Cloud Control operation's name.
    pub fn operation(self) -> &'static str {
        match self {
            Call::Create => "CreateResource",
            Call::Update => "UpdateResource",
            Call::Delete => "DeleteResource",
            Call::Get => "GetResource",
            Call::List => "ListResources",
            Call::Status => "GetResourceRequestStatus",
            Call::Cancel => "CancelResourceRequest",
            Call::AddClientSecret => "AddUserPoolClientSecret",
            Call::ListClientSecrets => "ListUserPoolClientSecrets",
            Call::DeleteClientSecret => "DeleteUserPoolClientSecret",
            Call::DescribeSecret => "DescribeSecret",
            Call::GetSecretValue => "GetSecretValue",
            Call::PutSecretValue => "PutSecretValue",
            Call::UpdateSecretVersionStage => "UpdateSecretVersionStage",
        }
    }

    /// Whether the call goes through Cloud Control (and spends its rate), not to Cognito or
    /// Secrets Manager directly.
    fn through_cloud_control(self) -> bool {
        matches!(
            self,
            Call::Create
                | Call::Update
                | Call::Delete
                | Call::Get
                | Call::List
                | Call::Status
                | Call::Cancel
        )
    }

    /// The Cognito calls the handler makes for this call (our reading; see the module's comment).
    fn cognito(self) -> &'static [Cognito] {
        match self {
            Call::Create => &[Cognito::Create],
            Call::Update => &[Cognito::Describe, Cognito::Update],
            Call::Delete => &[Cognito::Delete],
            Call::Get => &[Cognito::Describe],
            Call::List => &[Cognito::List],
            // Secrets Manager's own quotas (thousands of reads and 50 writes a second per account,
            // "Secrets Manager quotas") are far above what a rotation every few days spends.
            Call::Status
            | Call::Cancel
            | Call::DescribeSecret
            | Call::GetSecretValue
            | Call::PutSecretValue
            | Call::UpdateSecretVersionStage => &[],
            Call::AddClientSecret => &[Cognito::AddSecret],
            Call::ListClientSecrets => &[Cognito::ListSecrets],
            Call::DeleteClientSecret => &[Cognito::DeleteSecret],
        }
    }
}

/// Where a call goes: account, region, and the user pool it touches.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The account.
    pub account: &'a Account,
    /// The region.
    pub region: &'a str,
    /// The user pool, when the call names one.
    pub pool: Option<&'a str>,
    /// Whether the call is background work (a drift check).
    pub background: bool,
    /// The namespace the call is made for: its bookings are served in turn with others'.
    pub namespace: &'a str,
}

/// The buckets one call spends.
#[derive(Debug, Clone, PartialEq)]
pub struct Spend {
    buckets: Vec<Bucket>,
    namespace: String,
    cloud_control: String,
    call: Call,
}

impl Spend {
    /// What `call` to `target` spends under `ceilings`.
    pub fn of(call: Call, target: Target<'_>, ceilings: &Ceilings) -> Spend {
        let scope = format!("{}/{}", target.account.label(), target.region);
        let cloud_control = format!("{scope}/cloudcontrol");
        let mut buckets = Vec::new();
        if call.through_cloud_control() {
            buckets.push(Bucket {
                key: cloud_control.clone(),
                ceiling: ceilings.cloud_control,
            });
        }
        let mut category = |key: String, ceiling: f64| {
            if !buckets.iter().any(|b| b.key == key) {
                buckets.push(Bucket { key, ceiling });
            }
        };
        for op in call.cognito() {
            if op.is_read() {
                category(format!("{scope}/cognito-read"), ceilings.cognito_read);
                if target.background {
                    let share = ceilings.cognito_read * ceilings.background_read_share;
                    category(format!("{scope}/cognito-read/background"), share.max(0.01));
                }
            } else {
                category(format!("{scope}/cognito-write"), ceilings.cognito_write);
            }
            if let Some(pool) = target.pool {
                let key = format!("{scope}/pool/{pool}/{}", op.name());
                category(key, ceilings.pool_operation);
            }
        }
        Spend {
            buckets,
            namespace: target.namespace.to_owned(),
            cloud_control,
            call,
        }
    }

    fn keys(&self) -> Vec<String> {
        self.buckets.iter().map(|b| b.key.clone()).collect()
    }

    /// The buckets a throttle may be about: Cognito's when the handler was throttled (a request
    /// settling `FAILED` with `Throttling`, or a read answered with the handler's throttle), else
    /// Cloud Control's own rate.
    fn suspects(&self, in_handler: bool) -> Vec<String> {
        if in_handler || !self.call.through_cloud_control() {
            self.cognito_keys()
        } else {
            vec![self.cloud_control.clone()]
        }
    }

    fn cognito_keys(&self) -> Vec<String> {
        self.keys()
            .into_iter()
            .filter(|k| *k != self.cloud_control)
            .collect()
    }
}

/// AWS's budget, shared through Postgres by every worker of every replica.
#[derive(Debug, Clone)]
pub struct Budgets {
    pool: PgPool,
    ceilings: Ceilings,
    known: Arc<Mutex<HashSet<String>>>,
}

/// Budget waits shorter than this are slept inside the call; longer ones give up (the reconciler
/// snoozes the resource instead of holding a worker).
pub const LONGEST_WAIT: Duration = Duration::from_secs(5);

impl Budgets {
    /// Budgets with `ceilings`, in `pool`'s `budgets` table.
    pub fn new(pool: PgPool, ceilings: Ceilings) -> Budgets {
        Budgets {
            pool,
            ceilings,
            known: Arc::default(),
        }
    }

    /// What `call` to `target` spends.
    pub fn spend(&self, call: Call, target: Target<'_>) -> Spend {
        Spend::of(call, target, &self.ceilings)
    }

    async fn ensure(&self, spend: &Spend) -> Result<(), sqlx::Error> {
        let missing: Vec<Bucket> = {
            let known = self.known.lock().expect("budget key lock");
            spend
                .buckets
                .iter()
                .filter(|b| !known.contains(&b.key))
                .cloned()
                .collect()
        };
        if missing.is_empty() {
            return Ok(());
        }
        budgets::ensure(&self.pool, &missing).await?;
        let mut known = self.known.lock().expect("budget key lock");
        known.extend(missing.into_iter().map(|b| b.key));
        Ok(())
    }

    /// Takes a token from every bucket of `spend`, waiting up to [`LONGEST_WAIT`] in all; the
    /// remaining wait when the budget is not there by then.
    pub async fn take(&self, spend: &Spend) -> Result<(), BudgetError> {
        self.ensure(spend).await?;
        let keys = spend.keys();
        let started = Instant::now();
        loop {
            let wait = match budgets::take(&self.pool, &keys, &spend.namespace).await? {
                Take::Granted(after) => {
                    tokio::time::sleep(Duration::from_secs_f64(after)).await;
                    return Ok(());
                }
                Take::Refused(wait) => Duration::from_secs_f64(wait),
            };
            if started.elapsed() + wait > LONGEST_WAIT {
                return Err(BudgetError::Exhausted(wait));
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// Books a token of every bucket of `spend` and waits for it (at most the booking horizon);
    /// when the buckets are booked beyond it, takes nothing and answers how long until they are not.
    pub async fn try_take(&self, spend: &Spend) -> Result<Option<Duration>, sqlx::Error> {
        self.ensure(spend).await?;
        match budgets::take(&self.pool, &spend.keys(), &spend.namespace).await? {
            Take::Granted(after) => {
                tokio::time::sleep(Duration::from_secs_f64(after)).await;
                Ok(None)
            }
            Take::Refused(wait) => Ok(Some(Duration::from_secs_f64(wait))),
        }
    }

    /// How long until `spend` could be taken, without taking it.
    pub async fn wait_for(&self, spend: &Spend) -> Result<Duration, sqlx::Error> {
        let wait = budgets::wait_for(&self.pool, &spend.keys()).await?;
        Ok(Duration::from_secs_f64(wait.max(0.0)))
    }

    /// AWS throttled a call of `spend`, Cloud Control itself or (`in_handler`) Cognito inside its
    /// handler: cut the bucket it is most likely about.
    pub async fn throttled(&self, spend: &Spend, in_handler: bool) {
        let suspects = spend.suspects(in_handler);
        if suspects.is_empty() {
            return;
        }
        match budgets::throttled(&self.pool, &suspects).await {
            Ok(Some(cut)) => {
                metrics::counter!("ccplane_throttles_total", "bucket" => bucket_kind(&cut.key))
                    .increment(1);
                metrics::gauge!("ccplane_budget_rate", "bucket" => cut.key.clone()).set(cut.to);
                tracing::info!(bucket = %cut.key, from = cut.from, to = cut.to,
                    "AWS throttled: slowing this bucket down to the rate it accepted");
            }
            Ok(None) => {}
            Err(err) => tracing::warn!(error = %err, "could not record a throttle"),
        }
    }
}

/// The kind of a bucket (its key without account, region and pool), a bounded metric label.
fn bucket_kind(key: &str) -> String {
    let mut parts = key.split('/').skip(2);
    match parts.next() {
        Some("pool") => format!("pool/{}", parts.nth(1).unwrap_or_default()),
        Some(kind) => [kind]
            .into_iter()
            .chain(parts)
            .collect::<Vec<_>>()
            .join("/"),
        None => key.to_owned(),
    }
}

/// Why a call could not spend the budget.
#[derive(Debug, thiserror::Error)]
pub enum BudgetError {
    /// The budget will not be there for this long.
    #[error("AWS's budget for this account is spent for another {0:?}")]
    Exhausted(Duration),
    /// The budget table could not be read.
    #[error("the budget could not be read: {0}")]
    Database(#[from] sqlx::Error),
}

/// A budget that is not there is a throttle of ccplane's own making (nothing was sent); one that
/// cannot be read is a transient fault.
impl From<BudgetError> for CloudError {
    fn from(e: BudgetError) -> CloudError {
        let (class, code) = match e {
            BudgetError::Exhausted(_) => (ErrorClass::Throttled, "BudgetExhausted"),
            BudgetError::Database(_) => (ErrorClass::Transient, "BudgetUnavailable"),
        };
        CloudError::new(class, code, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target<'a>(account: &'a Account, pool: Option<&'a str>, background: bool) -> Target<'a> {
        Target {
            account,
            region: "us-east-1",
            pool,
            background,
            namespace: "tests",
        }
    }

    fn keys(call: Call, t: Target<'_>) -> Vec<String> {
        Spend::of(call, t, &Ceilings::default()).keys()
    }

    #[test]
    fn an_update_spends_both_cognito_categories_and_two_pool_operations() {
        let own = Account::default();
        let keys = keys(Call::Update, target(&own, Some("us-east-1_a"), false));
        assert_eq!(
            keys,
            [
                "default/us-east-1/cloudcontrol",
                "default/us-east-1/cognito-read",
                "default/us-east-1/pool/us-east-1_a/DescribeUserPoolClient",
                "default/us-east-1/cognito-write",
                "default/us-east-1/pool/us-east-1_a/UpdateUserPoolClient",
            ]
        );
    }

    #[test]
    fn polls_spend_only_cloud_controls_rate_and_budgets_belong_to_the_roles_account() {
        let other = Account {
            assume_role_arn: Some("arn:aws:iam::111122223333:role/ccplane".into()),
            external_id: None,
        };
        assert_eq!(
            keys(Call::Status, target(&other, None, false)),
            ["111122223333/us-east-1/cloudcontrol"]
        );
    }

    #[test]
    fn background_reads_also_spend_their_share_and_throttles_are_blamed_by_kind() {
        let own = Account::default();
        let spend = Spend::of(
            Call::Get,
            target(&own, Some("p"), true),
            &Ceilings::default(),
        );
        let background = &spend.buckets[2];
        assert_eq!(background.key, "default/us-east-1/cognito-read/background");
        assert_eq!(background.ceiling, 7.5);
        assert_eq!(spend.suspects(true).len(), 3);
        let create = Spend::of(
            Call::Create,
            target(&own, Some("p"), false),
            &Ceilings::default(),
        );
        assert_eq!(create.suspects(false), ["default/us-east-1/cloudcontrol"]);
        assert_eq!(
            create.suspects(true),
            [
                "default/us-east-1/cognito-write",
                "default/us-east-1/pool/p/CreateUserPoolClient"
            ]
        );
        assert_eq!(
            bucket_kind("default/us-east-1/pool/p/CreateUserPoolClient"),
            "pool/CreateUserPoolClient"
        );
        assert_eq!(
            bucket_kind("default/us-east-1/cognito-read/background"),
            "cognito-read/background"
        );
    }
}
