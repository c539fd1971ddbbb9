//! Request tracking: listing, cancelling, ClientToken idempotency and token expiry.

use aws_sdk_cloudcontrol::{
    config::http::HttpResponse,
    error::SdkError,
    operation::{
        cancel_resource_request::CancelResourceRequestError, create_resource::CreateResourceError,
        get_resource_request_status::GetResourceRequestStatusError,
    },
    types::{Operation, OperationStatus, ProgressEvent, ResourceRequestStatusFilter},
};
use ccplane_emulator::{EmulatorArgs, FaultModeArgs, FaultSettings, TokenReuse};
use serde_json::json;

use crate::helpers::{
    CLIENT, TestEmulator, args, assert_service_error, basic, code, http_status, message,
};

async fn list_all(emu: &TestEmulator, filter: ResourceRequestStatusFilter) -> Vec<ProgressEvent> {
    emu.cc
        .list_resource_requests()
        .resource_request_status_filter(filter)
        .max_results(2)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap()
}

#[tokio::test]
async fn list_resource_requests_filters_by_operation_and_status_and_pages() {
    let emu = TestEmulator::with(EmulatorArgs {
        delete_latency: Some("1h".parse().unwrap()),
        ..args()
    })
    .await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(emu.create_settled(basic()).await);
    }
    let patch = json!([{ "op": "replace", "path": "/ClientName", "value": "x" }]);
    let update = emu.update(&ids[0], patch).await.request_token.unwrap();
    emu.status(&update).await;
    emu.delete(CLIENT, &ids[1]).await;

    let creates = list_all(
        &emu,
        ResourceRequestStatusFilter::builder()
            .operations(Operation::Create)
            .build(),
    )
    .await;
    assert_eq!(creates.len(), 3);
    let open = list_all(
        &emu,
        ResourceRequestStatusFilter::builder()
            .operation_statuses(OperationStatus::InProgress)
            .operation_statuses(OperationStatus::Pending)
            .build(),
    )
    .await;
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].operation, Some(Operation::Delete));
    let everything = list_all(&emu, ResourceRequestStatusFilter::builder().build()).await;
    assert_eq!(everything.len(), 5);
    // Newest first.
    assert_eq!(everything[0].operation, Some(Operation::Delete));
    assert_eq!(
        everything[1].request_token.as_deref(),
        Some(update.as_str())
    );
}

impl TestEmulator {
    /// CancelResourceRequest; the event.
    async fn cancel(&self, token: &str) -> ProgressEvent {
        self.cc
            .cancel_resource_request()
            .request_token(token)
            .send()
            .await
            .unwrap()
            .progress_event
            .unwrap()
    }

    /// CancelResourceRequest that must fail; the error.
    async fn cancel_err(&self, token: &str) -> SdkError<CancelResourceRequestError, HttpResponse> {
        self.cc
            .cancel_resource_request()
            .request_token(token)
            .send()
            .await
            .unwrap_err()
    }
}

#[tokio::test]
async fn cancel_of_an_in_progress_request_is_cancel_in_progress_then_cancel_complete() {
    // LocalStack's AWS-validated `test_cancel_request`: the cancel answers CANCEL_IN_PROGRESS (or
    // CANCEL_COMPLETE), and the request then reads CANCEL_COMPLETE.
    let emu = TestEmulator::with_latency("1h").await;
    let token = emu.create_token(basic()).await;
    let cancelled = emu.cancel(&token).await;
    assert_eq!(
        cancelled.operation_status,
        Some(OperationStatus::CancelInProgress)
    );
    let event = emu.status(&token).await;
    assert_eq!(
        event.operation_status,
        Some(OperationStatus::CancelComplete)
    );
    assert_eq!(event.event_time, cancelled.event_time);
    emu.advance(7200);
    assert_eq!(
        emu.status(&token).await.operation_status,
        Some(OperationStatus::CancelComplete)
    );
    let stats = emu.control().stats();
    assert_eq!(
        stats.pools[0].clients, 0,
        "a create cancelled before its handler did the work creates nothing"
    );
}

#[tokio::test]
async fn cancel_in_progress_lasts_the_cancel_latency() {
    let emu = TestEmulator::with(EmulatorArgs {
        latency: "1h".parse().unwrap(),
        fault_modes: Box::new(FaultModeArgs {
            cancel_latency: "30s".parse().unwrap(),
            ..Default::default()
        }),
        ..args()
    })
    .await;
    let token = emu.create_token(basic()).await;
    emu.cancel(&token).await;
    let polled = emu.status(&token).await;
    assert_eq!(
        polled.operation_status,
        Some(OperationStatus::CancelInProgress)
    );
    assert!(polled.retry_after.is_some());
    emu.advance(31);
    let done = emu.status(&token).await;
    assert_eq!(done.operation_status, Some(OperationStatus::CancelComplete));
    assert!(done.retry_after.is_none());
}

#[tokio::test]
async fn a_second_cancel_answers_the_same_cancel_complete_event() {
    // LocalStack's AWS-validated `test_cancel_request` ("cancel_again_response"): 200, same event.
    let emu = TestEmulator::with_latency("1h").await;
    let token = emu.create_token(basic()).await;
    emu.cancel(&token).await;
    let settled = emu.status(&token).await;
    let again = emu.cancel(&token).await;
    assert_eq!(
        again.operation_status,
        Some(OperationStatus::CancelComplete)
    );
    assert_eq!(again, settled);
}

#[tokio::test]
async fn cancel_of_a_finished_request_names_its_status() {
    // LocalStack's AWS-validated `test_cancel_edge_cases`: "Request R is already in status SUCCESS".
    let emu = TestEmulator::spawn().await;
    let token = emu.create_token(basic()).await;
    emu.status(&token).await;
    let err = emu.cancel_err(&token).await;
    assert_eq!(code(&err), "ValidationException");
    assert_eq!(http_status(&err), 400);
    assert_eq!(
        message(&err),
        format!("Request {token} is already in status SUCCESS")
    );
    let failed = emu
        .create_token(json!({ "UserPoolId": "us-east-1_missing" }))
        .await;
    emu.status(&failed).await;
    let err = emu.cancel_err(&failed).await;
    assert_eq!(
        message(&err),
        format!("Request {failed} is already in status FAILED")
    );
}

#[tokio::test]
async fn a_request_is_pending_until_its_handler_starts() {
    let emu = TestEmulator::with(EmulatorArgs {
        fault_modes: Box::new(FaultModeArgs {
            pending_latency: "10s".parse().unwrap(),
            ..Default::default()
        }),
        latency: "20s".parse().unwrap(),
        ..args()
    })
    .await;
    let first = emu.create(basic()).await;
    assert_eq!(first.operation_status, Some(OperationStatus::Pending));
    let token = first.request_token.unwrap();
    let pending = list_all(
        &emu,
        ResourceRequestStatusFilter::builder()
            .operation_statuses(OperationStatus::Pending)
            .build(),
    )
    .await;
    assert_eq!(pending.len(), 1);
    emu.advance(11);
    assert_eq!(
        emu.status(&token).await.operation_status,
        Some(OperationStatus::InProgress)
    );
    emu.advance(20);
    assert_eq!(
        emu.status(&token).await.operation_status,
        Some(OperationStatus::Success)
    );
}

#[tokio::test]
async fn cancel_of_a_pending_request_completes_at_once_and_frees_the_resource() {
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(basic()).await;
    emu.control().set_faults(FaultSettings {
        pending_latency: "1h".parse().unwrap(),
        ..Default::default()
    });
    let patch = json!([{ "op": "replace", "path": "/ClientName", "value": "b" }]);
    let token = emu.update(&id, patch.clone()).await.request_token.unwrap();
    let cancelled = emu.cancel(&token).await;
    assert_eq!(
        cancelled.operation_status,
        Some(OperationStatus::CancelComplete)
    );
    // Nothing holds the client any more.
    emu.control().set_faults(FaultSettings::default());
    let next = emu.update(&id, patch).await.request_token.unwrap();
    assert_eq!(
        emu.status(&next).await.operation_status,
        Some(OperationStatus::Success)
    );
}

#[tokio::test]
async fn the_same_client_token_and_parameters_return_the_same_request() {
    let emu = TestEmulator::with_latency("10s").await;
    let send = || emu.create_idempotent("token-1", basic());
    let first = send().await.unwrap().progress_event.unwrap();
    let again = send().await.unwrap().progress_event.unwrap();
    assert_eq!(first.request_token, again.request_token);
    emu.advance(11);
    let settled = send().await.unwrap().progress_event.unwrap();
    assert_eq!(settled.request_token, first.request_token);
    assert_eq!(settled.operation_status, Some(OperationStatus::Success));
    assert_eq!(emu.control().stats().pools[0].clients, 1);
}

#[tokio::test]
async fn the_same_client_token_with_other_parameters_is_a_conflict_naming_the_request() {
    // LocalStack's AWS-validated `test_double_create_with_client_token`: HTTP 400, and the message
    // names the RequestToken that holds the ClientToken.
    let emu = TestEmulator::spawn().await;
    let create = |name: &'static str| {
        let mut desired = basic();
        desired["ClientName"] = json!(name);
        emu.create_idempotent("token-2", desired)
    };
    let first = create("one").await.unwrap().progress_event.unwrap();
    let err = create("two").await.unwrap_err();
    assert_service_error(
        &err,
        CreateResourceError::is_client_token_conflict_exception,
    );
    assert_eq!(http_status(&err), 400);
    assert_eq!(
        message(&err),
        format!(
            "ClientToken token-2 is already associated with an existing operation with RequestToken {}",
            first.request_token.unwrap()
        )
    );
    assert_eq!(
        emu.control().stats().calls.client_token_conflict_exceptions,
        1
    );
}

#[tokio::test]
async fn client_token_reuse_conflict_refuses_even_the_same_parameters() {
    let emu = TestEmulator::with(EmulatorArgs {
        fault_modes: Box::new(FaultModeArgs {
            client_token_reuse: TokenReuse::Conflict,
            ..Default::default()
        }),
        ..args()
    })
    .await;
    let first = emu.create_idempotent("token-4", basic()).await.unwrap();
    let token = first.progress_event.unwrap().request_token.unwrap();
    let err = emu.create_idempotent("token-4", basic()).await.unwrap_err();
    assert_service_error(
        &err,
        CreateResourceError::is_client_token_conflict_exception,
    );
    assert!(message(&err).ends_with(&format!("with RequestToken {token}")));
    emu.status(&token).await;
    assert_eq!(
        emu.control().stats().pools[0].clients,
        1,
        "one client, not two"
    );
}

#[tokio::test]
async fn a_client_token_is_forgotten_after_36_hours() {
    let emu = TestEmulator::spawn().await;
    let send = || emu.create_idempotent("token-3", basic());
    let first = send().await.unwrap().progress_event.unwrap();
    emu.advance(35 * 3600);
    let replay = send().await.unwrap().progress_event.unwrap();
    assert_eq!(replay.request_token, first.request_token);
    emu.advance(3600 + 1);
    let fresh = send().await.unwrap().progress_event.unwrap();
    assert_ne!(fresh.request_token, first.request_token);
}

#[tokio::test]
async fn request_tokens_expire_after_seven_days() {
    let emu = TestEmulator::spawn().await;
    let token = emu.create_token(basic()).await;
    emu.advance(7 * 24 * 3600 - 60);
    emu.status(&token).await;
    emu.advance(120);
    let err = emu
        .cc
        .get_resource_request_status()
        .request_token(&token)
        .send()
        .await
        .unwrap_err();
    assert_service_error(
        &err,
        GetResourceRequestStatusError::is_request_token_not_found_exception,
    );
    let listed = emu.cc.list_resource_requests().send().await.unwrap();
    assert!(listed.resource_request_status_summaries().is_empty());
}
