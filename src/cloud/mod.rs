//! The narrow Cloud Control boundary: the only module that imports `aws_sdk_cloudcontrol`. Every call
//! spends AWS's budget (`budget.rs`), in the namespace's account (`account.rs`), and every error is
//! classified here, once.

/// A client of the SDK crate `$sdk` for `$region`, configured as every AWS client of ccplane is:
/// no SDK retries (the caller's budget is spent once per attempt, and a throttle slows it), our
/// timeouts, and, for an account reached through a role, the `Assumed` credentials (whose cache
/// decides when to assume it again, not the SDK's). A macro because each SDK has its own types.
macro_rules! sdk_client {
    ($sdk:ident, $base:expr, $region:expr, $assumed:expr) => {{
        let mut config = $sdk::config::Builder::from($base)
            .region($sdk::config::Region::new($region.to_owned()))
            .retry_config(aws_smithy_types::retry::RetryConfig::disabled())
            .timeout_config($crate::cloud::sdk_timeouts());
        if let Some(assumed) = $assumed {
            config = config
                .credentials_provider($crate::cloud::account::AssumedProvider(assumed.clone()))
                .identity_cache($sdk::config::IdentityCache::no_cache());
        }
        $sdk::Client::from_conf(config.build())
    }};
}

mod account;
pub mod budget;
mod cognito;
mod error;
mod secrets_manager;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_cloudcontrol::Client;
use aws_sdk_cloudcontrol::config::Region;
use aws_sdk_cloudcontrol::config::http::HttpResponse;
use aws_sdk_cloudcontrol::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudcontrol::types::{OperationStatus, ProgressEvent};
use aws_smithy_types::timeout::TimeoutConfig;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::model::operation::OperationStatus as StoredStatus;
use crate::model::schema::TYPE_NAME;
use crate::model::status::client_id_of;
use account::Assumed;
pub use account::{ASSUME_ROLE_FAILED, Account};
use budget::{BudgetError, Spend, Target as BudgetTarget};
pub use budget::{Budgets, Call, Ceilings};
pub use cognito::{NewSecret, SecretInfo};
pub use error::{CloudError, ErrorClass, classify_handler_code};
pub use secrets_manager::{CURRENT, PENDING, Versions};

/// Where Cloud Control is: real AWS (credentials and region from the default chain) or an endpoint
/// such as the emulator, with static test credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// AWS itself.
    Aws,
    /// An endpoint URL, e.g. `http://127.0.0.1:4566`.
    Endpoint(String),
}

/// The status of a Cloud Control request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStatus {
    /// Accepted, not started.
    Pending,
    /// Running.
    InProgress,
    /// Done.
    Success,
    /// Done, failed.
    Failed,
    /// Being cancelled.
    CancelInProgress,
    /// Cancelled.
    CancelComplete,
}

impl RequestStatus {
    /// Whether the request will not change any more.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Success | Self::Failed | Self::CancelComplete)
    }

    /// The status Cloud Control calls `name`.
    pub fn parse(name: &str) -> Option<RequestStatus> {
        [
            Self::Pending,
            Self::InProgress,
            Self::Success,
            Self::Failed,
            Self::CancelInProgress,
            Self::CancelComplete,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }

    /// Cloud Control's name of the status.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::InProgress => "IN_PROGRESS",
            Self::Success => "SUCCESS",
            Self::Failed => "FAILED",
            Self::CancelInProgress => "CANCEL_IN_PROGRESS",
            Self::CancelComplete => "CANCEL_COMPLETE",
        }
    }
}

impl From<RequestStatus> for StoredStatus {
    fn from(status: RequestStatus) -> Self {
        match status {
            RequestStatus::Pending => Self::Pending,
            RequestStatus::InProgress => Self::InProgress,
            RequestStatus::Success => Self::Success,
            RequestStatus::Failed => Self::Failed,
            RequestStatus::CancelInProgress => Self::CancelInProgress,
            RequestStatus::CancelComplete => Self::CancelComplete,
        }
    }
}

impl RequestStatus {
    /// What Cloud Control last said, as an operation stored it (nothing while `Prepared`).
    pub fn of_stored(status: StoredStatus) -> Option<RequestStatus> {
        match status {
            StoredStatus::Prepared => None,
            StoredStatus::Pending => Some(Self::Pending),
            StoredStatus::InProgress => Some(Self::InProgress),
            StoredStatus::Success => Some(Self::Success),
            StoredStatus::Failed => Some(Self::Failed),
            StoredStatus::CancelInProgress => Some(Self::CancelInProgress),
            StoredStatus::CancelComplete => Some(Self::CancelComplete),
        }
    }
}

/// What Cloud Control said about a request (its ProgressEvent), without the resource model.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// The request's token, for polling.
    pub request_token: String,
    /// Where it is.
    pub status: RequestStatus,
    /// The resource's identifier, once known.
    pub identifier: Option<String>,
    /// The HandlerErrorCode of a failed request.
    pub error_code: Option<String>,
    /// Cloud Control's words.
    pub message: Option<String>,
    /// When to ask again.
    pub retry_after: Option<DateTime<Utc>>,
}

fn from_sdk<E: ProvideErrorMetadata + std::fmt::Debug>(
    err: SdkError<E, HttpResponse>,
) -> CloudError {
    match &err {
        // Sent or not, the outcome is unknown: the reconciler re-sends with the same ClientToken.
        SdkError::TimeoutError(_) => {
            CloudError::new(ErrorClass::Transient, "Timeout", "the request timed out")
        }
        SdkError::DispatchFailure(e) => {
            CloudError::new(ErrorClass::Transient, "NetworkFailure", format!("{e:?}"))
        }
        SdkError::ResponseError(e) => {
            CloudError::new(ErrorClass::Transient, "NetworkFailure", format!("{e:?}"))
        }
        SdkError::ServiceError(service) => {
            let code = service.err().code().unwrap_or("Unknown").to_owned();
            let message = service.err().message().unwrap_or_default().to_owned();
            let status = service.raw().status().as_u16();
            CloudError::answered(code, message, status)
        }
        _ => CloudError::new(ErrorClass::Terminal, "ClientError", format!("{err:?}")),
    }
}

/// The timeouts of every AWS client ccplane builds: a slow answer is a transient failure the
/// caller retries (with the same ClientToken), not a hung worker.
fn sdk_timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .operation_attempt_timeout(Duration::from_secs(20))
        .connect_timeout(Duration::from_secs(5))
        .build()
}

/// Where a call goes: the region, the account (and the namespace it is reached for), and whether
/// it is background work.
#[derive(Debug, Clone)]
pub struct Place<'a> {
    /// The AWS region.
    pub region: &'a str,
    /// The account the namespace's clients live in.
    pub account: Account,
    /// The namespace the call is made for, which names the assumed role's session.
    pub namespace: &'a str,
    /// Whether the call is background work (a drift check), which spends its own share.
    pub background: bool,
    /// Whether the call's budget was already taken (by the reconciler's gate, before the step).
    pub prepaid: bool,
}

type ClientKey = (String, Account, String);

/// The clients of one region and account and, for an assumed role, the credential cache they
/// draw on.
#[derive(Clone)]
struct AccountClient {
    cloud_control: Client,
    cognito: cognito::Client,
    secrets_manager: secrets_manager::Client,
    assumed: Option<Arc<Assumed>>,
}

/// Cloud Control clients per region and account, spending AWS's budget shared through Postgres.
#[derive(Clone)]
pub struct Cloud {
    base: aws_config::SdkConfig,
    clients: Arc<Mutex<HashMap<ClientKey, AccountClient>>>,
    budgets: Budgets,
    assume_role_backoff: Duration,
}

impl Cloud {
    /// Connects to `target`, spending `budgets`. Only real AWS consults the default credential and
    /// region chain (which may ask the instance metadata service); an endpoint gets static test
    /// credentials, and STS (for namespaces in other accounts) is asked at the same endpoint.
    pub async fn new(target: Target, budgets: Budgets) -> Cloud {
        let loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        let base =
            match &target {
                Target::Aws => loader.load().await,
                Target::Endpoint(url) => {
                    loader
                        .credentials_provider(SharedCredentialsProvider::new(
                            Credentials::from_keys("AKIDCCPLANEEMULATOR", "emulator", None),
                        ))
                        .region(Region::new("us-east-1"))
                        .endpoint_url(url)
                        .load()
                        .await
                }
            };
        Cloud {
            base,
            clients: Arc::default(),
            budgets,
            assume_role_backoff: account::FIRST_BACKOFF,
        }
    }

    /// The same, waiting `first` (doubling per failure) before asking STS again for a role that
    /// could not be assumed.
    pub fn with_assume_role_backoff(mut self, first: Duration) -> Cloud {
        self.assume_role_backoff = first;
        self
    }

    /// The Cloud Control client for `at`; for an assumed role, only once its credentials are in
    /// hand, so a role that cannot be assumed is a classified error before anything is sent.
    async fn client(&self, at: &Place<'_>) -> Result<Client, CloudError> {
        Ok(self.clients_for(at).await?.cloud_control)
    }

    /// The cognito-idp client for `at`, on the same terms.
    async fn cognito(&self, at: &Place<'_>) -> Result<cognito::Client, CloudError> {
        Ok(self.clients_for(at).await?.cognito)
    }

    /// The Secrets Manager client for `at`, on the same terms.
    async fn secrets_manager(&self, at: &Place<'_>) -> Result<secrets_manager::Client, CloudError> {
        Ok(self.clients_for(at).await?.secrets_manager)
    }

    async fn clients_for(&self, at: &Place<'_>) -> Result<AccountClient, CloudError> {
        let key = client_key(at);
        let found = self.cached(&key);
        let clients = match found {
            Some(found) => found,
            None => {
                let built = self.build_client(at).await;
                let mut clients = self.clients.lock().expect("client map lock");
                clients.entry(key).or_insert(built).clone()
            }
        };
        if let Some(assumed) = &clients.assumed {
            assumed.credentials().await?;
        }
        Ok(clients)
    }

    fn cached(&self, key: &ClientKey) -> Option<AccountClient> {
        let clients = self.clients.lock().expect("client map lock");
        clients.get(key).cloned()
    }

    async fn build_client(&self, at: &Place<'_>) -> AccountClient {
        let session = format!("ccplane-{}", at.namespace);
        let backoff = self.assume_role_backoff;
        let assumed = Assumed::new(&self.base, &at.account, at.region, &session, backoff).await;
        AccountClient {
            cloud_control: sdk_client!(
                aws_sdk_cloudcontrol,
                &self.base,
                at.region,
                assumed.as_ref()
            ),
            cognito: cognito::client(&self.base, at.region, assumed.as_ref()),
            secrets_manager: secrets_manager::client(&self.base, at.region, assumed.as_ref()),
            assumed,
        }
    }

    /// Takes the budget of `call` to `at` (touching `pool`) if it is there now, for a call made
    /// next with `prepaid`; otherwise how long until it will be. An assumed role that is failing
    /// answers its error.
    pub async fn take_budget(
        &self,
        call: Call,
        at: &Place<'_>,
        pool: Option<&str>,
    ) -> Result<Option<Duration>, CloudError> {
        self.client(at).await?;
        let spend = self.spend(call, at, pool);
        let taken = self.budgets.try_take(&spend).await;
        taken.map_err(|e| BudgetError::Database(e).into())
    }

    /// How long until a failing assumed role of `at` is tried again (zero when it is not failing).
    pub async fn retry_assuming_in(&self, at: &Place<'_>) -> Duration {
        let key = client_key(at);
        let found = self.cached(&key);
        match found {
            Some(AccountClient {
                assumed: Some(assumed),
                ..
            }) => assumed.retry_in().await,
            _ => Duration::ZERO,
        }
    }

    /// A request of `call` to `at` settled `FAILED` with `Throttling`: Cognito throttled the
    /// handler, so the Cognito bucket it is most likely about slows down.
    pub async fn throttled_in_handler(&self, call: Call, at: &Place<'_>, pool: Option<&str>) {
        let spend = self.spend(call, at, pool);
        self.budgets.throttled(&spend, true).await;
    }

    fn spend(&self, call: Call, at: &Place<'_>, pool: Option<&str>) -> Spend {
        let target = BudgetTarget {
            account: &at.account,
            region: at.region,
            pool,
            background: at.background,
            namespace: at.namespace,
        };
        self.budgets.spend(call, target)
    }

    /// Spends the budget of one request, sends it, classifies its error, feeds a throttle back to
    /// the budget, and counts and logs the call.
    async fn call<T, E>(
        &self,
        call: Call,
        at: &Place<'_>,
        pool: Option<&str>,
        request: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    ) -> Result<T, CloudError>
    where
        E: ProvideErrorMetadata + std::fmt::Debug,
    {
        let operation = call.operation();
        let region = at.region;
        let spend = self.spend(call, at, pool);
        let taken = if at.prepaid {
            Ok(())
        } else {
            self.budgets.take(&spend).await
        };
        if let Err(e) = taken {
            metrics::counter!("ccplane_budget_exhausted_total", "operation" => operation)
                .increment(1);
            return Err(e.into());
        }
        let started = std::time::Instant::now();
        let result = request.await.map_err(from_sdk);
        let seconds = started.elapsed().as_secs_f64();
        if let Err(e) = &result
            && e.class == ErrorClass::Throttled
        {
            self.budgets.throttled(&spend, e.in_handler()).await;
        }
        let outcome = match &result {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.code.clone(),
        };
        let account = at.account.label();
        tracing::debug!(
            operation,
            region,
            account,
            outcome,
            seconds,
            "cloud control call"
        );
        metrics::counter!("ccplane_cloud_calls_total", "operation" => operation, "outcome" => outcome)
            .increment(1);
        metrics::histogram!("ccplane_cloud_call_seconds", "operation" => operation).record(seconds);
        result
    }

    /// `CreateResource` with `desired` properties and an idempotency `client_token`; `role_arn` is
    /// the IAM role Cloud Control runs the handler with (the namespace's), if any.
    pub async fn create(
        &self,
        at: &Place<'_>,
        role_arn: Option<&str>,
        client_token: &str,
        desired: &Map<String, Value>,
    ) -> Result<Progress, CloudError> {
        let pool = desired.get("UserPoolId").and_then(Value::as_str);
        let request = self
            .client(at)
            .await?
            .create_resource()
            .type_name(TYPE_NAME)
            .client_token(client_token)
            .desired_state(Value::Object(desired.clone()).to_string())
            .set_role_arn(role_arn.map(str::to_owned))
            .send();
        let out = self.call(Call::Create, at, pool, request).await?;
        progress(out.progress_event())
    }

    /// `UpdateResource` of `identifier` with an RFC 6902 `patch`.
    pub async fn update(
        &self,
        at: &Place<'_>,
        role_arn: Option<&str>,
        client_token: &str,
        identifier: &str,
        patch: &Value,
    ) -> Result<Progress, CloudError> {
        let request = self
            .client(at)
            .await?
            .update_resource()
            .type_name(TYPE_NAME)
            .client_token(client_token)
            .identifier(identifier)
            .patch_document(patch.to_string())
            .set_role_arn(role_arn.map(str::to_owned))
            .send();
        let pool = pool_of(identifier);
        let out = self.call(Call::Update, at, pool, request).await?;
        progress(out.progress_event())
    }

    /// `DeleteResource` of `identifier`.
    pub async fn delete(
        &self,
        at: &Place<'_>,
        role_arn: Option<&str>,
        client_token: &str,
        identifier: &str,
    ) -> Result<Progress, CloudError> {
        let request = self
            .client(at)
            .await?
            .delete_resource()
            .type_name(TYPE_NAME)
            .client_token(client_token)
            .identifier(identifier)
            .set_role_arn(role_arn.map(str::to_owned))
            .send();
        let pool = pool_of(identifier);
        let out = self.call(Call::Delete, at, pool, request).await?;
        progress(out.progress_event())
    }

    /// `GetResourceRequestStatus` of a request.
    pub async fn status(
        &self,
        at: &Place<'_>,
        request_token: &str,
    ) -> Result<Progress, CloudError> {
        let request = self
            .client(at)
            .await?
            .get_resource_request_status()
            .request_token(request_token)
            .send();
        let out = self.call(Call::Status, at, None, request).await?;
        progress(out.progress_event())
    }

    /// `CancelResourceRequest` of a request.
    pub async fn cancel(
        &self,
        at: &Place<'_>,
        request_token: &str,
    ) -> Result<Progress, CloudError> {
        let request = self
            .client(at)
            .await?
            .cancel_resource_request()
            .request_token(request_token)
            .send();
        let out = self.call(Call::Cancel, at, None, request).await?;
        progress(out.progress_event())
    }

    /// `GetResource`: the live properties of `identifier`, `ClientSecret` included (callers strip it).
    pub async fn get(
        &self,
        at: &Place<'_>,
        role_arn: Option<&str>,
        identifier: &str,
    ) -> Result<Map<String, Value>, CloudError> {
        let request = self
            .client(at)
            .await?
            .get_resource()
            .type_name(TYPE_NAME)
            .identifier(identifier)
            .set_role_arn(role_arn.map(str::to_owned))
            .send();
        let out = self
            .call(Call::Get, at, pool_of(identifier), request)
            .await?;
        let model = out
            .resource_description()
            .and_then(|d| d.properties())
            .unwrap_or("{}");
        serde_json::from_str(model).map_err(|e| {
            CloudError::new(
                ErrorClass::Transient,
                "MalformedResponse",
                format!("GetResource returned properties that are not a JSON object: {e}"),
            )
        })
    }

    /// `ListResources` of a user pool, every page: the clients Cloud Control reports in it.
    pub async fn list_clients(
        &self,
        at: &Place<'_>,
        role_arn: Option<&str>,
        pool_id: &str,
    ) -> Result<Vec<ListedClient>, CloudError> {
        let mut clients = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let page = self
                .list_clients_page(at, role_arn, pool_id, next.as_deref())
                .await?;
            clients.extend(page.clients);
            match page.next_token {
                Some(token) => next = Some(token),
                None => return Ok(clients),
            }
        }
    }

    /// One page of `ListResources` of a user pool, from `next_token` (the first page without).
    /// The page size is the handler's: `MaxResults` is not sent, since the UserPoolClient
    /// handler ignores it (aws/aws-sdk #764); follow `next_token` to the end.
    pub async fn list_clients_page(
        &self,
        at: &Place<'_>,
        role_arn: Option<&str>,
        pool_id: &str,
        next_token: Option<&str>,
    ) -> Result<ListedPage, CloudError> {
        let model = serde_json::json!({ "UserPoolId": pool_id }).to_string();
        let request = self
            .client(at)
            .await?
            .list_resources()
            .type_name(TYPE_NAME)
            .resource_model(&model)
            .set_next_token(next_token.map(str::to_owned))
            .set_role_arn(role_arn.map(str::to_owned))
            .send();
        let out = self.call(Call::List, at, Some(pool_id), request).await?;
        let mut clients = Vec::new();
        for description in out.resource_descriptions() {
            let Some(client_id) = description.identifier().and_then(client_id_of) else {
                continue;
            };
            let properties = description
                .properties()
                .and_then(|p| serde_json::from_str::<Value>(p).ok());
            let client_name = properties
                .as_ref()
                .and_then(|p| p.get("ClientName"))
                .and_then(Value::as_str)
                .map(str::to_owned);
            clients.push(ListedClient {
                client_id: client_id.to_owned(),
                client_name,
            });
        }
        let next_token = out
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        Ok(ListedPage {
            clients,
            next_token,
        })
    }
}

/// One page of a pool's listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedPage {
    /// The clients on the page.
    pub clients: Vec<ListedClient>,
    /// Where the next page starts; none after the last.
    pub next_token: Option<String>,
}

/// One client as `ListResources` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedClient {
    /// The ClientId.
    pub client_id: String,
    /// The ClientName, when the listing carries it (ListUserPoolClients has it; Cloud Control
    /// promises only the identifier).
    pub client_name: Option<String>,
}

/// One client per region, account and namespace (the assumed role's session names the namespace).
fn client_key(at: &Place<'_>) -> ClientKey {
    (
        at.region.to_owned(),
        at.account.clone(),
        at.namespace.to_owned(),
    )
}

/// The user pool of an identifier `UserPoolId|ClientId`.
pub fn pool_of(identifier: &str) -> Option<&str> {
    identifier.split_once('|').map(|(pool, _)| pool)
}

fn progress(event: Option<&ProgressEvent>) -> Result<Progress, CloudError> {
    let malformed = || {
        CloudError::new(
            ErrorClass::Transient,
            "MalformedResponse",
            "Cloud Control answered without a ProgressEvent",
        )
    };
    let event = event.ok_or_else(malformed)?;
    let status = match event.operation_status().ok_or_else(malformed)? {
        OperationStatus::Pending => RequestStatus::Pending,
        OperationStatus::InProgress => RequestStatus::InProgress,
        OperationStatus::Success => RequestStatus::Success,
        OperationStatus::Failed => RequestStatus::Failed,
        OperationStatus::CancelInProgress => RequestStatus::CancelInProgress,
        OperationStatus::CancelComplete => RequestStatus::CancelComplete,
        _ => return Err(malformed()),
    };
    Ok(Progress {
        request_token: event.request_token().ok_or_else(malformed)?.to_owned(),
        status,
        identifier: event.identifier().map(str::to_owned),
        error_code: event.error_code().map(|c| c.as_str().to_owned()),
        message: event.status_message().map(str::to_owned),
        retry_after: event
            .retry_after()
            .and_then(|t| DateTime::from_timestamp(t.secs(), t.subsec_nanos())),
    })
}
