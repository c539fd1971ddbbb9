//! Test harness: an emulator on port 0, the real SDK pointed at it, and raw-HTTP helpers.

use std::time::Duration;

use aws_sdk_cloudcontrol::{
    Client,
    config::http::HttpResponse,
    error::{ProvideErrorMetadata, SdkError},
    operation::{
        create_resource::{CreateResourceError, CreateResourceOutput},
        get_resource::{GetResourceError, GetResourceOutput},
        update_resource::{UpdateResourceError, UpdateResourceOutput},
    },
    types::{HandlerErrorCode, OperationStatus, ProgressEvent},
};
use aws_smithy_types::retry::RetryConfig;
use ccplane_emulator::{Control, DEFAULT_ACCOUNT, Emulator, EmulatorArgs, client::sdk_config};
use serde_json::{Value, json};
use tokio::net::TcpListener;

/// The pool every test emulator starts with.
pub const POOL: &str = "us-east-1_examplePoolId";
/// The client type.
pub const CLIENT: &str = "AWS::Cognito::UserPoolClient";
/// The pool type.
pub const USER_POOL: &str = "AWS::Cognito::UserPool";
/// The default region of test clients.
pub const REGION: &str = "us-east-1";

/// An emulator and an SDK client (one attempt, no retries) for the default account.
pub struct TestEmulator {
    pub emulator: Emulator,
    pub cc: Client,
}

impl TestEmulator {
    /// An emulator with [`POOL`], seed 1, no latency and no faults.
    pub async fn spawn() -> Self {
        Self::with(args()).await
    }

    /// An emulator started with `args`.
    pub async fn with(args: EmulatorArgs) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let emulator = Emulator::start(listener, args).await.unwrap();
        let cc = sdk(&emulator.endpoint_url(), DEFAULT_ACCOUNT, REGION);
        Self { emulator, cc }
    }

    /// The control handle.
    pub fn control(&self) -> &Control {
        self.emulator.control()
    }

    /// The endpoint URL.
    pub fn url(&self) -> String {
        self.emulator.endpoint_url()
    }

    /// An SDK client for another account or region.
    pub fn client_for(&self, account: &str, region: &str) -> Client {
        sdk(&self.url(), account, region)
    }

    /// Moves the emulator clock forward.
    pub fn advance(&self, seconds: u64) {
        self.control().advance_clock(Duration::from_secs(seconds));
    }

    /// An emulator whose mutations all take `latency` (e.g. `"60s"`) of emulator time.
    pub async fn with_latency(latency: &str) -> Self {
        Self::with(EmulatorArgs {
            latency: latency.parse().unwrap(),
            ..args()
        })
        .await
    }

    /// CreateResource of a client; the first ProgressEvent.
    pub async fn create(&self, desired: Value) -> ProgressEvent {
        create_event(&self.cc, CLIENT, &desired).await
    }

    /// CreateResource of a client; its request token.
    pub async fn create_token(&self, desired: Value) -> String {
        self.create(desired).await.request_token.unwrap()
    }

    /// CreateResource of a client; the event of its first status poll, settled with no latency.
    pub async fn create_done(&self, desired: Value) -> ProgressEvent {
        create_done(&self.cc, CLIENT, &desired).await
    }

    /// CreateResource of `type_name` that must be refused synchronously; the error.
    pub async fn create_err(
        &self,
        type_name: &str,
        desired: Value,
    ) -> SdkError<CreateResourceError, HttpResponse> {
        self.cc
            .create_resource()
            .type_name(type_name)
            .desired_state(desired.to_string())
            .send()
            .await
            .unwrap_err()
    }

    /// CreateResource of a client under an idempotency `token`, unwrapped by the caller.
    pub async fn create_idempotent(
        &self,
        token: &str,
        desired: Value,
    ) -> Result<CreateResourceOutput, SdkError<CreateResourceError, HttpResponse>> {
        self.cc
            .create_resource()
            .type_name(CLIENT)
            .client_token(token)
            .desired_state(desired.to_string())
            .send()
            .await
    }

    /// GetResourceRequestStatus.
    pub async fn status(&self, token: &str) -> ProgressEvent {
        status_event(&self.cc, token).await
    }

    /// Creates a client and returns its identifier once the create succeeded.
    pub async fn create_settled(&self, desired: Value) -> String {
        let event = self.create_done(desired).await;
        assert_eq!(
            event.operation_status,
            Some(OperationStatus::Success),
            "{event:?}"
        );
        event.identifier.unwrap()
    }

    /// GetResource of a client; its properties.
    pub async fn get(&self, identifier: &str) -> Value {
        let out = self.get_resource(CLIENT, identifier).await;
        let props = out.resource_description.unwrap().properties.unwrap();
        serde_json::from_str(&props).unwrap()
    }

    /// GetResource of `type_name`; the whole answer.
    pub async fn get_resource(&self, type_name: &str, identifier: &str) -> GetResourceOutput {
        self.cc
            .get_resource()
            .type_name(type_name)
            .identifier(identifier)
            .send()
            .await
            .unwrap()
    }

    /// GetResource of `type_name` that must fail; the error.
    pub async fn get_err(
        &self,
        type_name: &str,
        identifier: &str,
    ) -> SdkError<GetResourceError, HttpResponse> {
        get_err(&self.cc, type_name, identifier).await
    }

    /// DeleteResource of `type_name`; the first ProgressEvent.
    pub async fn delete(&self, type_name: &str, identifier: &str) -> ProgressEvent {
        self.cc
            .delete_resource()
            .type_name(type_name)
            .identifier(identifier)
            .send()
            .await
            .unwrap()
            .progress_event
            .unwrap()
    }

    /// UpdateResource of a client with a JSON Patch, answer or error.
    pub async fn try_update(
        &self,
        identifier: &str,
        patch: Value,
    ) -> Result<UpdateResourceOutput, SdkError<UpdateResourceError, HttpResponse>> {
        self.cc
            .update_resource()
            .type_name(CLIENT)
            .identifier(identifier)
            .patch_document(patch.to_string())
            .send()
            .await
    }

    /// UpdateResource of a client with a JSON Patch; the first ProgressEvent.
    pub async fn update(&self, identifier: &str, patch: Value) -> ProgressEvent {
        let out = self.try_update(identifier, patch).await.unwrap();
        out.progress_event.unwrap()
    }

    /// UpdateResource of a client that must be refused synchronously; the error.
    pub async fn update_err(
        &self,
        identifier: &str,
        patch: Value,
    ) -> SdkError<UpdateResourceError, HttpResponse> {
        self.try_update(identifier, patch).await.unwrap_err()
    }

    /// POSTs an awsJson1_0 ListResourceRequests with a raw `body` and no content type, to
    /// reach the checks the SDK never fails; the status and the JSON answer.
    pub async fn raw_list(&self, authorization: Option<String>, body: &str) -> (u16, Value) {
        let mut request = reqwest::Client::new()
            .post(self.url())
            .header("x-amz-target", "CloudApiService.ListResourceRequests");
        if let Some(authorization) = authorization {
            request = request.header("authorization", authorization);
        }
        let response = request.body(body.to_owned()).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    /// POSTs one awsJson1_0 call with a signed-looking Authorization header.
    pub async fn raw(&self, op: &str, body: Value) -> (u16, reqwest::header::HeaderMap, Value) {
        let response = reqwest::Client::new()
            .post(self.url())
            .header("x-amz-target", format!("CloudApiService.{op}"))
            .header("content-type", "application/x-amz-json-1.0")
            .header("authorization", authorization(DEFAULT_ACCOUNT, REGION))
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, headers, body)
    }
}

/// Default test arguments: [`POOL`], seed 1.
pub fn args() -> EmulatorArgs {
    EmulatorArgs {
        user_pools: vec![POOL.into()],
        seed: Some(1),
        ..Default::default()
    }
}

/// An SDK client that makes exactly one attempt, so errors reach the test.
pub fn sdk(url: &str, account: &str, region: &str) -> Client {
    let config = sdk_config(url, region, account)
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .build();
    Client::from_conf(config)
}

/// A SigV4-shaped Authorization header for `account` in `region`.
pub fn authorization(account: &str, region: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential=AKIAEMU{account}/20240101/{region}/cloudcontrolapi/aws4_request, SignedHeaders=host;x-amz-date, Signature=0"
    )
}

/// The minimal client desired state.
pub fn basic() -> Value {
    json!({ "UserPoolId": POOL, "ClientName": "app" })
}

/// The error code of a failed call, e.g. `ValidationException`.
pub fn code<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> String {
    err.code().unwrap_or("<none>").to_owned()
}

/// The error message of a failed call.
pub fn message<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> String {
    err.message().unwrap_or_default().to_owned()
}

/// CreateResource of `type_name` through `cc`, which may be another account's client.
pub async fn create_event(cc: &Client, type_name: &str, desired: &Value) -> ProgressEvent {
    cc.create_resource()
        .type_name(type_name)
        .desired_state(desired.to_string())
        .send()
        .await
        .unwrap()
        .progress_event
        .unwrap()
}

/// GetResourceRequestStatus through `cc`.
pub async fn status_event(cc: &Client, token: &str) -> ProgressEvent {
    cc.get_resource_request_status()
        .request_token(token)
        .send()
        .await
        .unwrap()
        .progress_event
        .unwrap()
}

/// Creates through `cc` and polls once: with no latency, the settled event.
pub async fn create_done(cc: &Client, type_name: &str, desired: &Value) -> ProgressEvent {
    let token = create_event(cc, type_name, desired)
        .await
        .request_token
        .unwrap();
    status_event(cc, &token).await
}

/// GetResource through `cc` that must fail; the error.
pub async fn get_err(
    cc: &Client,
    type_name: &str,
    identifier: &str,
) -> SdkError<GetResourceError, HttpResponse> {
    cc.get_resource()
        .type_name(type_name)
        .identifier(identifier)
        .send()
        .await
        .unwrap_err()
}

/// Asserts that a request failed asynchronously with `error_code`.
pub fn assert_failed(event: &ProgressEvent, error_code: HandlerErrorCode) {
    assert_eq!(event.operation_status, Some(OperationStatus::Failed));
    assert_eq!(event.error_code, Some(error_code));
}

/// The HTTP status a failed call was answered with.
pub fn http_status<E>(err: &SdkError<E, HttpResponse>) -> u16 {
    err.raw_response().unwrap().status().as_u16()
}

/// Asserts that a failed call is the service error `is` recognises, e.g.
/// `GetResourceError::is_resource_not_found_exception`.
pub fn assert_service_error<E: std::fmt::Debug, R: std::fmt::Debug>(
    err: &SdkError<E, R>,
    is: impl Fn(&E) -> bool,
) {
    assert!(is(err.as_service_error().unwrap()), "{err:?}");
}

/// A cognito-idp client for `account` in `region`, one attempt per call.
pub fn idp(url: &str, account: &str, region: &str) -> aws_sdk_cognitoidentityprovider::Client {
    use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Region};
    let config = aws_sdk_cognitoidentityprovider::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(url)
        .region(Region::new(region.to_owned()))
        .credentials_provider(test_credentials(account))
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .build();
    aws_sdk_cognitoidentityprovider::Client::from_conf(config)
}

/// A Secrets Manager client for `account` in `region`, one attempt per call.
pub fn secrets(url: &str, account: &str, region: &str) -> aws_sdk_secretsmanager::Client {
    use aws_sdk_secretsmanager::config::{BehaviorVersion, Region};
    let config = aws_sdk_secretsmanager::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(url)
        .region(Region::new(region.to_owned()))
        .credentials_provider(test_credentials(account))
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .build();
    aws_sdk_secretsmanager::Client::from_conf(config)
}

/// Emulator credentials for `account` (its access key id ends with the account).
fn test_credentials(account: &str) -> aws_sdk_cognitoidentityprovider::config::Credentials {
    aws_sdk_cognitoidentityprovider::config::Credentials::new(
        ccplane_emulator::client::access_key_id(account),
        ccplane_emulator::client::TEST_SECRET_ACCESS_KEY,
        None,
        None,
        "ccplane-emulator-tests",
    )
}

impl TestEmulator {
    /// A cognito-idp client for the default account and region.
    pub fn idp(&self) -> aws_sdk_cognitoidentityprovider::Client {
        idp(&self.url(), DEFAULT_ACCOUNT, REGION)
    }

    /// A Secrets Manager client for the default account and region.
    pub fn secrets(&self) -> aws_sdk_secretsmanager::Client {
        secrets(&self.url(), DEFAULT_ACCOUNT, REGION)
    }

    /// Calls of `operation` (any service) that ended with `outcome`, from the stats.
    pub fn calls(&self, operation: &str, outcome: &str) -> u64 {
        self.control()
            .stats()
            .calls
            .calls
            .iter()
            .filter(|c| c.operation == operation && c.outcome == outcome)
            .map(|c| c.count)
            .sum()
    }
}
