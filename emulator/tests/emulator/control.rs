//! The control API under `/_emulator/`, and the in-process handle it shares its methods with.

use aws_sdk_cloudcontrol::types::OperationStatus;
use ccplane_emulator::{EmulatorArgs, RetryAfterMode, TokenReuse, wire::Operation};
use serde_json::{Value, json};

use crate::helpers::{CLIENT, POOL, TestEmulator, args, basic, code, create_done};

async fn post(emu: &TestEmulator, path: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", emu.url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn get(emu: &TestEmulator, path: &str) -> Value {
    reqwest::get(format!("{}{path}", emu.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_control_api_creates_and_deletes_pools() {
    let emu = TestEmulator::spawn().await;
    let (status, _) = post(
        &emu,
        "/_emulator/pools",
        json!({ "UserPoolId": "us-east-1_second" }),
    )
    .await;
    assert_eq!(status, 201);
    emu.create_settled(json!({ "UserPoolId": "us-east-1_second" }))
        .await;
    let pools = get(&emu, "/_emulator/pools").await;
    assert_eq!(pools["pools"].as_array().unwrap().len(), 2);
    let (status, _) = post(&emu, "/_emulator/pools/us-east-1_second/delete", json!({})).await;
    assert_eq!(status, 204);
    assert_eq!(
        emu.create_done(json!({ "UserPoolId": "us-east-1_second" }))
            .await
            .operation_status,
        Some(OperationStatus::Failed)
    );
    let (status, _) = post(
        &emu,
        "/_emulator/pools",
        json!({ "UserPoolId": "nounderscore" }),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_client_changed_out_of_band_shows_the_change() {
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(basic()).await;
    let client_id = id.split_once('|').unwrap().1;
    let path = format!("/_emulator/pools/{POOL}/clients/{client_id}");
    let (status, model) = post(
        &emu,
        &path,
        json!({ "ClientName": "drifted", "RefreshTokenValidity": null }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(model["ClientName"], json!("drifted"));
    let props = emu.get(&id).await;
    assert_eq!(props["ClientName"], json!("drifted"));
    assert_eq!(
        props["RefreshTokenValidity"],
        json!(30),
        "defaults come back"
    );
    let (status, _) = post(
        &emu,
        &path,
        json!([{ "op": "add", "path": "/ExplicitAuthFlows", "value": ["ALLOW_REFRESH_TOKEN_AUTH"] }]),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        emu.get(&id).await["ExplicitAuthFlows"],
        json!(["ALLOW_REFRESH_TOKEN_AUTH"])
    );
    assert_eq!(get(&emu, &path).await["ClientName"], json!("drifted"));
}

#[tokio::test]
async fn a_client_deleted_out_of_band_is_gone() {
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(basic()).await;
    let client_id = id.split_once('|').unwrap().1;
    let response = reqwest::Client::new()
        .delete(format!(
            "{}/_emulator/pools/{POOL}/clients/{client_id}",
            emu.url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let err = emu.get_err(CLIENT, &id).await;
    assert_eq!(code(&err), "ResourceNotFoundException");
    let (status, _) = post(
        &emu,
        &format!("/_emulator/pools/{POOL}/clients/{client_id}/delete"),
        json!({}),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_clock_advances_through_the_control_api() {
    let emu = TestEmulator::with_latency("5m").await;
    let token = emu.create_token(basic()).await;
    let before = get(&emu, "/_emulator/clock").await["now"].as_f64().unwrap();
    let (status, after) = post(&emu, "/_emulator/clock/advance", json!({ "seconds": 301 })).await;
    assert_eq!(status, 200);
    assert!(after["now"].as_f64().unwrap() - before >= 301.0);
    assert_eq!(
        emu.status(&token).await.operation_status,
        Some(OperationStatus::Success)
    );
}

#[tokio::test]
async fn faults_are_set_at_runtime_through_the_control_api() {
    let emu = TestEmulator::spawn().await;
    let (status, settings) = post(
        &emu,
        "/_emulator/faults",
        json!({ "http_500_probability": 1.0, "latency": "2s" }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(settings["latency"], json!("2000ms"));
    let err = emu.cc.list_resource_requests().send().await.unwrap_err();
    assert_eq!(code(&err), "InternalFailure");
    let (_, settings) = post(
        &emu,
        "/_emulator/faults",
        json!({ "http_500_probability": 0.0 }),
    )
    .await;
    assert_eq!(
        settings["latency"],
        json!("2000ms"),
        "a partial change keeps the rest"
    );
    let (status, _) = post(&emu, "/_emulator/faults", json!({ "no_such_fault": 1 })).await;
    assert_eq!(status, 400);
    emu.cc.list_resource_requests().send().await.unwrap();
}

#[tokio::test]
async fn stats_count_calls_outcomes_exceptions_and_resources() {
    let emu = TestEmulator::with(EmulatorArgs {
        update_latency: Some("1m".parse().unwrap()),
        ..args()
    })
    .await;
    let id = emu.create_settled(basic()).await;
    let patch = json!([{ "op": "replace", "path": "/ClientName", "value": "x" }]);
    emu.update(&id, patch.clone()).await;
    let concurrent = emu.try_update(&id, patch).await;
    assert!(concurrent.is_err());
    let stats: ccplane_emulator::StatsReport =
        serde_json::from_value(get(&emu, "/_emulator/stats").await).unwrap();
    assert_eq!(stats.calls.count(Operation::CreateResource, "Success"), 1);
    assert_eq!(
        stats
            .calls
            .count(Operation::GetResourceRequestStatus, "Success"),
        1
    );
    assert_eq!(stats.calls.count(Operation::UpdateResource, "Success"), 1);
    assert_eq!(
        stats
            .calls
            .count(Operation::UpdateResource, "ConcurrentOperationException"),
        1
    );
    assert_eq!(stats.calls.concurrent_operation_exceptions, 1);
    assert_eq!(stats.calls.total_calls, 4);
    assert!(stats.calls.requests_per_second > 0.0);
    assert_eq!(stats.pools.len(), 1);
    assert_eq!(stats.pools[0].user_pool_id, POOL);
    assert_eq!(stats.pools[0].clients, 1);
    assert!(
        stats
            .requests
            .iter()
            .any(|r| r.operation == "UPDATE" && r.status == "IN_PROGRESS")
    );
}

#[tokio::test]
async fn reset_forgets_everything_but_the_seeded_pools() {
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(basic()).await;
    let (status, _) = post(&emu, "/_emulator/reset", json!({})).await;
    assert_eq!(status, 200);
    let err = emu.get_err(CLIENT, &id).await;
    assert_eq!(code(&err), "ResourceNotFoundException");
    let stats = emu.control().stats();
    assert_eq!(stats.pools.len(), 1);
    assert_eq!(stats.pools[0].clients, 0);
    // The random sources restart too, so the same calls give the same ids again.
    assert_eq!(emu.create_settled(basic()).await, id);
}

#[tokio::test]
async fn the_in_process_handle_reads_and_changes_clients() {
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(basic()).await;
    let client_id = id.split_once('|').unwrap().1;
    let account = ccplane_emulator::DEFAULT_ACCOUNT;
    let control = emu.control();
    assert_eq!(
        control.client(account, POOL, client_id).unwrap()["ClientName"],
        json!("app")
    );
    control
        .change_client(
            account,
            POOL,
            client_id,
            &json!({ "ClientName": "elsewhere" }),
        )
        .unwrap();
    assert_eq!(emu.get(&id).await["ClientName"], json!("elsewhere"));
    control.delete_client(account, POOL, client_id).unwrap();
    assert!(control.client(account, POOL, client_id).is_none());
    control.create_pool(account, "eu-west-1_other").unwrap();
    let other = emu.client_for(account, "eu-west-1");
    let event = create_done(&other, CLIENT, &json!({ "UserPoolId": "eu-west-1_other" })).await;
    assert_eq!(event.operation_status, Some(OperationStatus::Success));
}

#[tokio::test]
async fn the_control_api_gives_pools_resource_servers_identity_providers_and_tiers() {
    let emu = TestEmulator::spawn().await;
    let path = |rest: &str| format!("/_emulator/pools/{POOL}/{rest}");
    let (status, _) = post(
        &emu,
        &path("resource-servers"),
        json!({ "Identifier": "orders", "Scopes": ["read"] }),
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = post(
        &emu,
        &path("identity-providers"),
        json!({ "ProviderName": "Okta" }),
    )
    .await;
    assert_eq!(status, 204);
    let desired = json!({
        "UserPoolId": POOL,
        "GenerateSecret": true,
        "AllowedOAuthFlows": ["client_credentials"],
        "AllowedOAuthScopes": ["orders/read"],
        "SupportedIdentityProviders": ["Okta"],
        "ExplicitAuthFlows": ["ALLOW_USER_AUTH"],
    });
    emu.create_settled(desired.clone()).await;
    let (status, _) = post(&emu, &path("tier"), json!({ "UserPoolTier": "LITE" })).await;
    assert_eq!(status, 204);
    let done = emu.create_done(desired).await;
    assert_eq!(done.operation_status, Some(OperationStatus::Failed));
    let (status, _) = post(
        &emu,
        "/_emulator/pools/us-east-1_nosuchpool/identity-providers",
        json!({ "ProviderName": "Okta" }),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_control_api_creates_and_hides_clients() {
    let emu = TestEmulator::spawn().await;
    let (status, created) = post(
        &emu,
        &format!("/_emulator/pools/{POOL}/clients"),
        json!({ "UserPoolId": POOL, "ClientName": "console-made" }),
    )
    .await;
    assert_eq!(status, 201);
    let client_id = created["ClientId"].as_str().unwrap().to_owned();
    let id = format!("{POOL}|{client_id}");
    assert_eq!(emu.get(&id).await["ClientName"], json!("console-made"));
    let hide = format!("/_emulator/pools/{POOL}/clients/{client_id}/hide");
    let (status, _) = post(&emu, &hide, json!({ "reads": 1 })).await;
    assert_eq!(status, 204);
    assert_eq!(
        code(&emu.get_err(CLIENT, &id).await),
        "ResourceNotFoundException"
    );
    assert_eq!(emu.get(&id).await["ClientName"], json!("console-made"));
    let (status, _) = post(
        &emu,
        &format!("/_emulator/pools/{POOL}/clients/nosuchclient/hide"),
        json!({ "reads": 1 }),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn faults_are_scripted_through_the_control_api() {
    let emu = TestEmulator::spawn().await;
    let fault = json!({
        "operation": "CREATE",
        "effect": { "fail": { "error_code": "GeneralServiceException", "after_work": false } },
        "times": 1,
    });
    let (status, queue) = post(&emu, "/_emulator/faults/script", fault).await;
    assert_eq!(status, 200);
    assert_eq!(queue.as_array().unwrap().len(), 1);
    let (status, _) = post(
        &emu,
        "/_emulator/faults/script",
        json!({ "effect": "lose_answer" }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        get(&emu, "/_emulator/faults/script").await,
        json!([
            { "operation": "CREATE", "effect": { "fail": { "error_code": "GeneralServiceException", "message": null, "after_work": false } }, "times": 1 },
            { "operation": null, "effect": "lose_answer", "times": 1 },
        ])
    );
    let done = emu.create_done(basic()).await;
    assert_eq!(done.operation_status, Some(OperationStatus::Failed));
    let response = reqwest::Client::new()
        .delete(format!("{}/_emulator/faults/script", emu.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    emu.create_settled(basic()).await;
    let (status, _) = post(
        &emu,
        "/_emulator/faults/script",
        json!({ "effect": { "fail": { "error_code": "Throttled" } } }),
    )
    .await;
    assert_eq!(status, 400, "a code outside HandlerErrorCode is a typo");
}

#[tokio::test]
async fn the_new_fault_modes_are_set_through_the_control_api() {
    let emu = TestEmulator::spawn().await;
    let (status, settings) = post(
        &emu,
        "/_emulator/faults",
        json!({ "client_token_reuse": "conflict", "retry_after": "absent", "cancel_after_work": true }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(settings["client_token_reuse"], json!("conflict"));
    let faults = emu.control().faults();
    assert_eq!(faults.client_token_reuse, TokenReuse::Conflict);
    assert_eq!(faults.retry_after, RetryAfterMode::Absent);
    assert!(faults.cancel_after_work);
    let (status, _) = post(&emu, "/_emulator/faults", json!({ "retry_after": "later" })).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn polls_per_request_token_are_reported() {
    let emu = TestEmulator::spawn().await;
    let token = emu.create_token(basic()).await;
    emu.status(&token).await;
    emu.status(&token).await;
    let polls = get(&emu, "/_emulator/stats/polls").await;
    assert_eq!(polls["status_polls"][&token], json!(2));
    let stats = get(&emu, "/_emulator/stats").await;
    assert_eq!(stats["max_status_polls_per_request"], json!(2));
}
