//! Errors answered synchronously, and failures reported asynchronously, through the real SDK.

use aws_sdk_cloudcontrol::{
    operation::{
        cancel_resource_request::CancelResourceRequestError, create_resource::CreateResourceError,
        delete_resource::DeleteResourceError, get_resource::GetResourceError,
        get_resource_request_status::GetResourceRequestStatusError,
        update_resource::UpdateResourceError,
    },
    types::{HandlerErrorCode, OperationStatus},
};
use ccplane_emulator::EmulatorArgs;
use serde_json::json;

use crate::helpers::{
    CLIENT, POOL, TestEmulator, args, assert_failed, assert_service_error, basic, code,
    http_status, message,
};

#[tokio::test]
async fn read_only_properties_on_create_are_a_validation_exception() {
    let emu = TestEmulator::spawn().await;
    let mut desired = basic();
    desired["ClientId"] = json!("abc");
    let err = emu.create_err(CLIENT, desired).await;
    assert_eq!(code(&err), "ValidationException");
    assert!(message(&err).contains("ClientId"), "{}", message(&err));
}

#[tokio::test]
async fn schema_violations_are_a_validation_exception() {
    let emu = TestEmulator::spawn().await;
    for desired in [
        json!({ "UserPoolId": POOL, "Unknown": 1 }),
        json!({ "UserPoolId": POOL, "AuthSessionValidity": 99 }),
        json!({ "ClientName": "no pool" }),
    ] {
        let err = emu.create_err(CLIENT, desired.clone()).await;
        assert_eq!(code(&err), "ValidationException", "{desired}");
        assert_eq!(http_status(&err), 400);
    }
}

#[tokio::test]
async fn cognito_rule_violations_fail_asynchronously_with_invalid_request() {
    let emu = TestEmulator::spawn().await;
    let mut desired = basic();
    desired["AllowedOAuthFlows"] = json!(["client_credentials", "code"]);
    let first = emu.create(desired).await;
    assert_eq!(first.operation_status, Some(OperationStatus::InProgress));
    let done = emu.status(first.request_token.as_deref().unwrap()).await;
    assert_failed(&done, HandlerErrorCode::InvalidRequest);
    let message = done.status_message.unwrap();
    assert!(
        message.starts_with(
            "client_credentials flow can not be selected along with code flow or implicit flow. (Service: CognitoIdentityProvider, Status Code: 400, Request ID: "
        ),
        "{message}"
    );
}

#[tokio::test]
async fn a_client_of_an_unknown_pool_fails_with_not_found() {
    let emu = TestEmulator::spawn().await;
    let done = emu
        .create_done(json!({ "UserPoolId": "us-east-1_missing" }))
        .await;
    assert_failed(&done, HandlerErrorCode::NotFound);
    assert!(done.status_message.unwrap().contains("us-east-1_missing"));
}

#[tokio::test]
async fn deleting_a_client_that_is_gone_fails_with_not_found() {
    let emu = TestEmulator::spawn().await;
    let id = format!("{POOL}|{}", "a".repeat(26));
    let first = emu.delete(CLIENT, &id).await;
    let done = emu.status(first.request_token.as_deref().unwrap()).await;
    assert_failed(&done, HandlerErrorCode::NotFound);
}

#[tokio::test]
async fn patching_a_create_only_property_is_not_updatable() {
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(basic()).await;
    for patch in [
        json!([{ "op": "replace", "path": "/UserPoolId", "value": "us-east-1_other" }]),
        json!([{ "op": "add", "path": "/GenerateSecret", "value": true }]),
        json!([{ "op": "move", "from": "/GenerateSecret", "path": "/ClientName" }]),
    ] {
        let err = emu.update_err(&id, patch.clone()).await;
        assert!(
            err.as_service_error().unwrap().is_not_updatable_exception(),
            "{patch}: {err:?}"
        );
    }
}

#[tokio::test]
async fn an_update_that_breaks_the_schema_is_a_validation_exception() {
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(basic()).await;
    let patch = json!([{ "op": "add", "path": "/RefreshTokenValidity", "value": "long" }]);
    let err = emu.update_err(&id, patch).await;
    assert_eq!(code(&err), "ValidationException");
}

#[tokio::test]
async fn a_second_mutation_while_one_is_in_progress_is_a_concurrent_operation_exception() {
    let emu = TestEmulator::with(EmulatorArgs {
        update_latency: Some("30s".parse().unwrap()),
        ..args()
    })
    .await;
    let id = emu.create_settled(basic()).await;
    let patch = json!([{ "op": "replace", "path": "/ClientName", "value": "b" }]);
    let first = emu.update(&id, patch.clone()).await;
    let token = first.request_token.unwrap();
    let err = emu
        .cc
        .delete_resource()
        .type_name(CLIENT)
        .identifier(&id)
        .send()
        .await
        .unwrap_err();
    assert_service_error(&err, DeleteResourceError::is_concurrent_operation_exception);
    assert_eq!(http_status(&err), 400);
    assert!(message(&err).contains(&token), "{}", message(&err));
    emu.advance(31);
    assert_eq!(
        emu.status(&token).await.operation_status,
        Some(OperationStatus::Success)
    );
    // Settled, the resource takes mutations again.
    emu.update(&id, patch).await;
}

#[tokio::test]
async fn an_unknown_type_is_a_type_not_found_exception() {
    let emu = TestEmulator::spawn().await;
    let err = emu.create_err("AWS::Nope::Thing", json!({})).await;
    assert_service_error(&err, CreateResourceError::is_type_not_found_exception);
    let err = emu.get_err("not-a-type", "x").await;
    assert_eq!(code(&err), "ValidationException");
}

#[tokio::test]
async fn get_of_an_unknown_identifier_is_resource_not_found() {
    let emu = TestEmulator::spawn().await;
    let err = emu.get_err(CLIENT, &format!("{POOL}|nosuchclient")).await;
    assert_service_error(&err, GetResourceError::is_resource_not_found_exception);
    assert!(message(&err).contains("HandlerErrorCode: NotFound"));
}

#[tokio::test]
async fn update_of_an_unknown_identifier_is_resource_not_found() {
    let emu = TestEmulator::spawn().await;
    let err = emu
        .update_err(&format!("{POOL}|nosuchclient"), json!([]))
        .await;
    assert_service_error(&err, UpdateResourceError::is_resource_not_found_exception);
}

#[tokio::test]
async fn an_unknown_request_token_is_request_token_not_found() {
    let emu = TestEmulator::spawn().await;
    let err = emu
        .cc
        .get_resource_request_status()
        .request_token("00000000-0000-0000-0000-000000000000")
        .send()
        .await
        .unwrap_err();
    assert_service_error(
        &err,
        GetResourceRequestStatusError::is_request_token_not_found_exception,
    );
    let err = emu
        .cc
        .cancel_resource_request()
        .request_token("00000000-0000-0000-0000-000000000000")
        .send()
        .await
        .unwrap_err();
    assert_service_error(
        &err,
        CancelResourceRequestError::is_request_token_not_found_exception,
    );
}
