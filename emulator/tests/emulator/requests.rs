//! Request tracking: listing, cancelling, ClientToken idempotency and token expiry.

use aws_sdk_cloudcontrol::{
    operation::{
        create_resource::CreateResourceError,
        get_resource_request_status::GetResourceRequestStatusError,
    },
    types::{Operation, OperationStatus, ProgressEvent, ResourceRequestStatusFilter},
};
use ccplane_emulator::EmulatorArgs;
use serde_json::json;

use crate::helpers::{CLIENT, TestEmulator, args, assert_service_error, basic, code, http_status};

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

#[tokio::test]
async fn cancel_turns_an_in_progress_request_into_cancel_complete() {
    let emu = TestEmulator::with_latency("1h").await;
    let token = emu.create_token(basic()).await;
    let cancelled = emu
        .cc
        .cancel_resource_request()
        .request_token(&token)
        .send()
        .await
        .unwrap()
        .progress_event
        .unwrap();
    assert_eq!(
        cancelled.operation_status,
        Some(OperationStatus::CancelComplete)
    );
    emu.advance(7200);
    let event = emu.status(&token).await;
    assert_eq!(
        event.operation_status,
        Some(OperationStatus::CancelComplete)
    );
    let stats = emu.control().stats();
    assert_eq!(
        stats.pools[0].clients, 0,
        "a cancelled create creates nothing"
    );
}

#[tokio::test]
async fn cancel_of_a_finished_request_is_a_validation_exception() {
    let emu = TestEmulator::spawn().await;
    let token = emu.create_token(basic()).await;
    emu.status(&token).await;
    let err = emu
        .cc
        .cancel_resource_request()
        .request_token(&token)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ValidationException");
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
async fn the_same_client_token_with_other_parameters_is_a_conflict() {
    let emu = TestEmulator::spawn().await;
    let create = |name: &'static str| {
        let mut desired = basic();
        desired["ClientName"] = json!(name);
        emu.create_idempotent("token-2", desired)
    };
    create("one").await.unwrap();
    let err = create("two").await.unwrap_err();
    assert_service_error(
        &err,
        CreateResourceError::is_client_token_conflict_exception,
    );
    assert_eq!(http_status(&err), 409);
    assert_eq!(
        emu.control().stats().calls.client_token_conflict_exceptions,
        1
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
