//! Create, read, update, list and delete through the real SDK.

use aws_sdk_cloudcontrol::{
    operation::{get_resource::GetResourceError, list_resources::ListResourcesError},
    types::{Operation, OperationStatus},
};
use ccplane_emulator::{DEFAULT_ACCOUNT, EmulatorArgs, Latency};
use serde_json::{Value, json};

use crate::helpers::{
    CLIENT, POOL, REGION, TestEmulator, USER_POOL, args, assert_service_error, basic, code,
    create_done, get_err, message,
};

#[tokio::test]
async fn create_answers_in_progress_then_settles_to_success() {
    let emu = TestEmulator::spawn().await;
    let first = emu.create(basic()).await;
    assert_eq!(first.operation, Some(Operation::Create));
    assert_eq!(first.operation_status, Some(OperationStatus::InProgress));
    assert_eq!(first.type_name.as_deref(), Some(CLIENT));
    assert!(first.retry_after.is_some());
    let token = first.request_token.unwrap();
    let done = emu.status(&token).await;
    assert_eq!(done.operation_status, Some(OperationStatus::Success));
    let identifier = done.identifier.clone().unwrap();
    let (pool, client_id) = identifier.split_once('|').unwrap();
    assert_eq!(pool, POOL);
    assert_eq!(client_id.len(), 26);
    assert!(
        client_id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    );
    assert!(done.retry_after.is_none());
    // LocalStack's AWS-validated snapshots show no ResourceModel in progress events.
    assert_eq!((first.resource_model, done.resource_model), (None, None));
}

#[tokio::test]
async fn get_shows_the_client_with_cognitos_defaults() {
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(basic()).await;
    let props = emu.get(&id).await;
    let client_id = id.split_once('|').unwrap().1;
    assert_eq!(props["ClientId"], json!(client_id));
    assert_eq!(props["Name"], json!(client_id));
    assert_eq!(props["ClientName"], json!("app"));
    assert_eq!(props["UserPoolId"], json!(POOL));
    assert_eq!(props["RefreshTokenValidity"], json!(30));
    assert_eq!(props["AuthSessionValidity"], json!(3));
    assert_eq!(props["EnableTokenRevocation"], json!(true));
    assert_eq!(
        props["EnablePropagateAdditionalUserContextData"],
        json!(false)
    );
    assert_eq!(props["AllowedOAuthFlowsUserPoolClient"], json!(false));
    assert_eq!(props["TokenValidityUnits"], json!({}));
    for absent in [
        "ReadAttributes",
        "WriteAttributes",
        "ExplicitAuthFlows",
        "ClientSecret",
    ] {
        assert!(
            props.get(absent).is_none(),
            "{absent} should be absent: {props}"
        );
    }
}

#[tokio::test]
async fn generate_secret_gives_the_client_a_secret_that_get_resource_shows() {
    let emu = TestEmulator::spawn().await;
    let mut desired = basic();
    desired["GenerateSecret"] = json!(true);
    let done = emu.create_done(desired).await;
    let props = emu.get(done.identifier.as_deref().unwrap()).await;
    let secret = props["ClientSecret"].as_str().unwrap();
    assert!(secret.len() >= 40, "{secret}");
}

#[tokio::test]
async fn a_client_without_a_name_gets_one() {
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(json!({ "UserPoolId": POOL })).await;
    let props = emu.get(&id).await;
    assert!(props["ClientName"].as_str().is_some_and(|n| !n.is_empty()));
}

#[tokio::test]
async fn create_stays_in_progress_until_the_clock_reaches_the_latency() {
    let emu = TestEmulator::with_latency("60s").await;
    let first = emu.create(basic()).await;
    let token = first.request_token.unwrap();
    let polled = emu.status(&token).await;
    assert_eq!(polled.operation_status, Some(OperationStatus::InProgress));
    let hint = polled.retry_after.unwrap().as_secs_f64() - first.event_time.unwrap().as_secs_f64();
    assert!(
        (59.0..=61.0).contains(&hint),
        "RetryAfter {hint}s after the event"
    );
    emu.advance(59);
    let still = emu.status(&token).await;
    assert_eq!(still.operation_status, Some(OperationStatus::InProgress));
    emu.advance(2);
    let done = emu.status(&token).await;
    assert_eq!(done.operation_status, Some(OperationStatus::Success));
}

#[tokio::test]
async fn per_operation_latency_overrides_the_default() {
    let emu = TestEmulator::with(EmulatorArgs {
        latency: "1h".parse().unwrap(),
        create_latency: Some(Latency::default()),
        ..args()
    })
    .await;
    let id = emu.create_settled(basic()).await;
    let patch = json!([{ "op": "replace", "path": "/ClientName", "value": "b" }]);
    let token = emu.update(&id, patch).await.request_token.unwrap();
    emu.advance(3599);
    let event = emu.status(&token).await;
    assert_eq!(event.operation_status, Some(OperationStatus::InProgress));
}

#[tokio::test]
async fn get_accepts_the_json_form_of_the_identifier() {
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(basic()).await;
    let (pool, client) = id.split_once('|').unwrap();
    let json_id = json!({ "UserPoolId": pool, "ClientId": client }).to_string();
    let out = emu.get_resource(CLIENT, &json_id).await;
    assert_eq!(out.type_name.as_deref(), Some(CLIENT));
    assert_eq!(
        out.resource_description.unwrap().identifier.as_deref(),
        Some(id.as_str())
    );
}

#[tokio::test]
async fn update_applies_all_six_patch_operations_in_order() {
    let emu = TestEmulator::spawn().await;
    let mut desired = basic();
    desired["CallbackURLs"] = json!(["https://a.example.com/cb"]);
    desired["LogoutURLs"] = json!(["https://a.example.com/out"]);
    desired["IdTokenValidity"] = json!(1);
    let id = emu.create_settled(desired).await;
    let patch = json!([
        { "op": "test", "path": "/ClientName", "value": "app" },
        { "op": "replace", "path": "/ClientName", "value": "renamed" },
        { "op": "add", "path": "/CallbackURLs/-", "value": "https://b.example.com/cb" },
        { "op": "copy", "from": "/CallbackURLs/0", "path": "/DefaultRedirectURI" },
        { "op": "move", "from": "/IdTokenValidity", "path": "/AccessTokenValidity" },
        { "op": "remove", "path": "/LogoutURLs" },
    ]);
    let first = emu.update(&id, patch).await;
    assert_eq!(first.operation, Some(Operation::Update));
    assert_eq!(first.identifier.as_deref(), Some(id.as_str()));
    let done = emu.status(first.request_token.as_deref().unwrap()).await;
    assert_eq!(
        done.operation_status,
        Some(OperationStatus::Success),
        "{done:?}"
    );
    let props = emu.get(&id).await;
    assert_eq!(props["ClientName"], json!("renamed"));
    assert_eq!(
        props["CallbackURLs"],
        json!(["https://a.example.com/cb", "https://b.example.com/cb"])
    );
    assert_eq!(
        props["DefaultRedirectURI"],
        json!("https://a.example.com/cb")
    );
    assert_eq!(props["AccessTokenValidity"], json!(1));
    assert!(props.get("IdTokenValidity").is_none());
    assert!(props.get("LogoutURLs").is_none());
}

#[tokio::test]
async fn a_failing_patch_operation_changes_nothing() {
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(basic()).await;
    let before = emu.get(&id).await;
    let patch = json!([
        { "op": "replace", "path": "/ClientName", "value": "changed" },
        { "op": "test", "path": "/ClientName", "value": "not-this" },
    ]);
    let err = emu.update_err(&id, patch).await;
    assert_eq!(code(&err), "ValidationException", "{}", message(&err));
    assert_eq!(emu.get(&id).await, before);
}

#[tokio::test]
async fn delete_removes_the_client() {
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(basic()).await;
    let first = emu.delete(CLIENT, &id).await;
    assert_eq!(first.operation, Some(Operation::Delete));
    let done = emu.status(first.request_token.as_deref().unwrap()).await;
    assert_eq!(done.operation_status, Some(OperationStatus::Success));
    let err = emu.get_err(CLIENT, &id).await;
    assert_service_error(&err, GetResourceError::is_resource_not_found_exception);
}

#[tokio::test]
async fn list_resources_pages_through_a_pools_clients() {
    // Six listings in a second: more than Cognito's 5/s on one pool, which is not under test.
    let mut quiet = args();
    quiet.quotas.no_quotas = true;
    let emu = TestEmulator::with(quiet).await;
    let mut created = Vec::new();
    for i in 0..45 {
        let desired = json!({ "UserPoolId": POOL, "ClientName": format!("c{i}") });
        let client = emu
            .control()
            .create_client(DEFAULT_ACCOUNT, POOL, &desired)
            .unwrap();
        created.push(format!("{POOL}|{client}"));
    }
    created.sort();
    let model = json!({ "UserPoolId": POOL }).to_string();
    let mut seen = Vec::new();
    let mut next: Option<String> = None;
    let mut pages = Vec::new();
    loop {
        // MaxResults is reserved and not supported: the handler's page size holds.
        let out = emu
            .cc
            .list_resources()
            .type_name(CLIENT)
            .resource_model(&model)
            .max_results(2)
            .set_next_token(next.clone())
            .send()
            .await
            .unwrap();
        pages.push(out.resource_descriptions().len());
        for d in out.resource_descriptions() {
            let props: Value = serde_json::from_str(d.properties().unwrap()).unwrap();
            assert_eq!(props["UserPoolId"], json!(POOL));
            assert!(props["ClientName"].is_string());
            seen.push(d.identifier().unwrap().to_owned());
        }
        next = out.next_token;
        if next.is_none() {
            break;
        }
    }
    assert_eq!(pages, [20, 20, 5]);
    assert_eq!(seen, created);
    let all: Vec<_> = emu
        .cc
        .list_resources()
        .type_name(CLIENT)
        .resource_model(&model)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(all.len(), 45);
}

#[tokio::test]
async fn list_resources_of_clients_requires_a_user_pool_id() {
    let emu = TestEmulator::spawn().await;
    let err = emu
        .cc
        .list_resources()
        .type_name(CLIENT)
        .send()
        .await
        .unwrap_err();
    assert_service_error(&err, ListResourcesError::is_invalid_request_exception);
    assert!(message(&err).contains("UserPoolId"));
}

#[tokio::test]
async fn user_pools_can_be_created_read_listed_and_deleted() {
    let emu = TestEmulator::spawn().await;
    let done = create_done(&emu.cc, USER_POOL, &json!({ "UserPoolName": "mine" })).await;
    assert_eq!(done.operation_status, Some(OperationStatus::Success));
    let pool_id = done.identifier.unwrap();
    assert!(pool_id.starts_with(&format!("{REGION}_")));
    let got = emu.get_resource(USER_POOL, &pool_id).await;
    let props: Value =
        serde_json::from_str(got.resource_description.unwrap().properties().unwrap()).unwrap();
    assert_eq!(props["UserPoolName"], json!("mine"));
    assert!(props["Arn"].as_str().unwrap().ends_with(&pool_id));
    // The new pool takes clients.
    emu.create_settled(json!({ "UserPoolId": pool_id })).await;
    let listed = emu
        .cc
        .list_resources()
        .type_name(USER_POOL)
        .send()
        .await
        .unwrap();
    let ids: Vec<_> = listed
        .resource_descriptions()
        .iter()
        .filter_map(|d| d.identifier())
        .collect();
    assert!(ids.contains(&pool_id.as_str()) && ids.contains(&POOL));
    let token = emu.delete(USER_POOL, &pool_id).await.request_token.unwrap();
    assert_eq!(
        emu.status(&token).await.operation_status,
        Some(OperationStatus::Success)
    );
    let err = emu.get_err(USER_POOL, &pool_id).await;
    assert_eq!(code(&err), "ResourceNotFoundException");
}

#[tokio::test]
async fn accounts_and_regions_are_separate() {
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(basic()).await;
    for cc in [
        emu.client_for("111122223333", REGION),
        emu.client_for(ccplane_emulator::DEFAULT_ACCOUNT, "eu-west-1"),
    ] {
        let err = get_err(&cc, CLIENT, &id).await;
        assert_eq!(code(&err), "ResourceNotFoundException");
        // The other account has no such pool either, so a create there fails with NotFound.
        let event = create_done(&cc, CLIENT, &basic()).await;
        assert_eq!(event.operation_status, Some(OperationStatus::Failed));
    }
}
