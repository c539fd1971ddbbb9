//! The narrow Cloud Control boundary: the only module that imports `aws_sdk_cloudcontrol`. Every call
//! passes the shared rate limiter, and every error is classified here, once.

mod error;
pub mod ratelimit;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_cloudcontrol::Client;
use aws_sdk_cloudcontrol::config::http::HttpResponse;
use aws_sdk_cloudcontrol::config::{Region, timeout::TimeoutConfig};
use aws_sdk_cloudcontrol::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudcontrol::types::{OperationStatus, ProgressEvent};
use aws_smithy_types::retry::RetryConfig;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::model::schema::TYPE_NAME;
use crate::model::status::client_id_of;
use error::classify_exception;
pub use error::{CloudError, ErrorClass, classify_handler_code};
use ratelimit::RateLimiter;

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
            CloudError::new(classify_exception(&code, status), code, message)
        }
        _ => CloudError::new(ErrorClass::Terminal, "ClientError", format!("{err:?}")),
    }
}

/// A Cloud Control client per region, behind one rate limiter.
#[derive(Clone)]
pub struct Cloud {
    base: aws_config::SdkConfig,
    target: Target,
    clients: Arc<Mutex<HashMap<String, Client>>>,
    limiter: Arc<RateLimiter>,
}

impl Cloud {
    /// Connects to `target`, spending at most what `limiter` allows. Only real AWS consults the
    /// default credential and region chain (which may ask the instance metadata service); an
    /// endpoint gets static test credentials and makes no other network call.
    pub async fn new(target: Target, limiter: RateLimiter) -> Cloud {
        let base = match &target {
            Target::Aws => {
                aws_config::defaults(aws_config::BehaviorVersion::latest())
                    .load()
                    .await
            }
            Target::Endpoint(_) => aws_config::SdkConfig::builder()
                .behavior_version(aws_config::BehaviorVersion::latest())
                .credentials_provider(SharedCredentialsProvider::new(Credentials::from_keys(
                    "AKIDCCPLANEEMULATOR",
                    "emulator",
                    None,
                )))
                .build(),
        };
        Cloud {
            base,
            target,
            clients: Arc::default(),
            limiter: Arc::new(limiter),
        }
    }

    /// The limiter shared by every call.
    pub fn limiter(&self) -> &RateLimiter {
        &self.limiter
    }

    fn client(&self, region: &str) -> Client {
        let mut clients = self.clients.lock().expect("client map lock");
        clients
            .entry(region.to_owned())
            .or_insert_with(|| {
                // Retries are the reconciler's job: it classifies, backs off and reuses ClientTokens.
                let mut config = aws_sdk_cloudcontrol::config::Builder::from(&self.base)
                    .region(Region::new(region.to_owned()))
                    .retry_config(RetryConfig::disabled())
                    .timeout_config(
                        TimeoutConfig::builder()
                            .operation_attempt_timeout(Duration::from_secs(20))
                            .connect_timeout(Duration::from_secs(5))
                            .build(),
                    );
                if let Target::Endpoint(url) = &self.target {
                    config = config.endpoint_url(url);
                }
                Client::from_conf(config.build())
            })
            .clone()
    }

    /// Sends one request through the rate limiter, classifies its error, feeds the outcome back to
    /// the limiter, and counts and logs the call.
    async fn call<T, E>(
        &self,
        operation: &'static str,
        region: &str,
        request: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    ) -> Result<T, CloudError>
    where
        E: ProvideErrorMetadata + std::fmt::Debug,
    {
        self.limiter.acquire(region).await;
        let started = std::time::Instant::now();
        let result = request.await.map_err(from_sdk);
        let seconds = started.elapsed().as_secs_f64();
        let throttled = matches!(&result, Err(e) if e.class == ErrorClass::Throttled);
        self.limiter.observe(region, throttled);
        let outcome = match &result {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.code.clone(),
        };
        tracing::debug!(operation, region, outcome, seconds, "cloud control call");
        metrics::counter!("ccplane_cloud_calls_total", "operation" => operation, "outcome" => outcome)
            .increment(1);
        metrics::histogram!("ccplane_cloud_call_seconds", "operation" => operation).record(seconds);
        result
    }

    /// `CreateResource` with `desired` properties and an idempotency `client_token`; `role_arn` is
    /// the IAM role Cloud Control assumes (the namespace's), if any.
    pub async fn create(
        &self,
        region: &str,
        role_arn: Option<&str>,
        client_token: &str,
        desired: &Map<String, Value>,
    ) -> Result<Progress, CloudError> {
        let request = self
            .client(region)
            .create_resource()
            .type_name(TYPE_NAME)
            .client_token(client_token)
            .desired_state(Value::Object(desired.clone()).to_string())
            .set_role_arn(role_arn.map(str::to_owned))
            .send();
        let out = self.call("CreateResource", region, request).await?;
        progress(out.progress_event())
    }

    /// `UpdateResource` of `identifier` with an RFC 6902 `patch`.
    pub async fn update(
        &self,
        region: &str,
        role_arn: Option<&str>,
        client_token: &str,
        identifier: &str,
        patch: &Value,
    ) -> Result<Progress, CloudError> {
        let request = self
            .client(region)
            .update_resource()
            .type_name(TYPE_NAME)
            .client_token(client_token)
            .identifier(identifier)
            .patch_document(patch.to_string())
            .set_role_arn(role_arn.map(str::to_owned))
            .send();
        let out = self.call("UpdateResource", region, request).await?;
        progress(out.progress_event())
    }

    /// `DeleteResource` of `identifier`.
    pub async fn delete(
        &self,
        region: &str,
        role_arn: Option<&str>,
        client_token: &str,
        identifier: &str,
    ) -> Result<Progress, CloudError> {
        let request = self
            .client(region)
            .delete_resource()
            .type_name(TYPE_NAME)
            .client_token(client_token)
            .identifier(identifier)
            .set_role_arn(role_arn.map(str::to_owned))
            .send();
        let out = self.call("DeleteResource", region, request).await?;
        progress(out.progress_event())
    }

    /// `GetResourceRequestStatus` of a request.
    pub async fn status(&self, region: &str, request_token: &str) -> Result<Progress, CloudError> {
        let request = self
            .client(region)
            .get_resource_request_status()
            .request_token(request_token)
            .send();
        let out = self
            .call("GetResourceRequestStatus", region, request)
            .await?;
        progress(out.progress_event())
    }

    /// `CancelResourceRequest` of a request.
    pub async fn cancel(&self, region: &str, request_token: &str) -> Result<Progress, CloudError> {
        let request = self
            .client(region)
            .cancel_resource_request()
            .request_token(request_token)
            .send();
        let out = self.call("CancelResourceRequest", region, request).await?;
        progress(out.progress_event())
    }

    /// `GetResource`: the live properties of `identifier`, `ClientSecret` included (callers strip it).
    pub async fn get(
        &self,
        region: &str,
        role_arn: Option<&str>,
        identifier: &str,
    ) -> Result<Map<String, Value>, CloudError> {
        let request = self
            .client(region)
            .get_resource()
            .type_name(TYPE_NAME)
            .identifier(identifier)
            .set_role_arn(role_arn.map(str::to_owned))
            .send();
        let out = self.call("GetResource", region, request).await?;
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

impl Cloud {
    /// `ListResources` of a user pool, every page: the clients Cloud Control reports in it.
    pub async fn list_clients(
        &self,
        region: &str,
        role_arn: Option<&str>,
        pool_id: &str,
    ) -> Result<Vec<ListedClient>, CloudError> {
        let model = serde_json::json!({ "UserPoolId": pool_id }).to_string();
        let mut clients = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let request = self
                .client(region)
                .list_resources()
                .type_name(TYPE_NAME)
                .resource_model(&model)
                .set_next_token(next.take())
                .set_role_arn(role_arn.map(str::to_owned))
                .send();
            let out = self.call("ListResources", region, request).await?;
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
            match out.next_token() {
                Some(token) if !token.is_empty() => next = Some(token.to_owned()),
                _ => return Ok(clients),
            }
        }
    }
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
