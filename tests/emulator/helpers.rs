//! Test harness: an emulator on port 0, the real SDK pointed at it, and raw-HTTP helpers.

use std::time::Duration;

use aws_sdk_cloudcontrol::{
    Client,
    error::{ProvideErrorMetadata, SdkError},
    types::{OperationStatus, ProgressEvent},
};
use aws_smithy_types::retry::RetryConfig;
use ccplane::emulator::{Control, DEFAULT_ACCOUNT, Emulator, EmulatorArgs, client::sdk_config};
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

    /// CreateResource of a client; the first ProgressEvent.
    pub async fn create(&self, desired: Value) -> ProgressEvent {
        self.cc
            .create_resource()
            .type_name(CLIENT)
            .desired_state(desired.to_string())
            .send()
            .await
            .unwrap()
            .progress_event
            .unwrap()
    }

    /// GetResourceRequestStatus.
    pub async fn status(&self, token: &str) -> ProgressEvent {
        self.cc
            .get_resource_request_status()
            .request_token(token)
            .send()
            .await
            .unwrap()
            .progress_event
            .unwrap()
    }

    /// Creates a client and returns its identifier once the create succeeded.
    pub async fn create_settled(&self, desired: Value) -> String {
        let token = self.create(desired).await.request_token.unwrap();
        let event = self.status(&token).await;
        assert_eq!(
            event.operation_status,
            Some(OperationStatus::Success),
            "{event:?}"
        );
        event.identifier.unwrap()
    }

    /// GetResource of a client; its properties.
    pub async fn get(&self, identifier: &str) -> Value {
        let out = self
            .cc
            .get_resource()
            .type_name(CLIENT)
            .identifier(identifier)
            .send()
            .await
            .unwrap();
        let props = out.resource_description.unwrap().properties.unwrap();
        serde_json::from_str(&props).unwrap()
    }

    /// UpdateResource of a client with a JSON Patch; the first ProgressEvent.
    pub async fn update(&self, identifier: &str, patch: Value) -> ProgressEvent {
        self.cc
            .update_resource()
            .type_name(CLIENT)
            .identifier(identifier)
            .patch_document(patch.to_string())
            .send()
            .await
            .unwrap()
            .progress_event
            .unwrap()
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

/// The ResourceModel of an event, parsed.
pub fn model(event: &ProgressEvent) -> Value {
    serde_json::from_str(event.resource_model.as_deref().unwrap()).unwrap()
}
