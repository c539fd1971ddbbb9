//! AWS's request-rate quotas, on by default with AWS's numbers. Sources: the Amazon Cognito
//! Developer Guide, "Quotas in Amazon Cognito" (archived `awsdocs/amazon-cognito-developer-guide`
//! `doc_source/limits.md`): UserPoolClientRead and UserPoolClientUpdate at 15 requests/s per
//! account and region, any one operation at 5 requests/s on one pool, `CallCount` and
//! `ThrottleCount` per category; Cloud Control's ~30 measured and 25 adopted by ekristen/aws-nuke
//! (issue #508, PR #510).
//!
//! Buckets start full and refill on the emulator's clock, which runs at real speed: a burst's first
//! calls are certain to pass, and a rate far below one per second (0.01) makes the second call
//! certain to be refused, so no assertion depends on how fast the calls are made.

use aws_sdk_cloudcontrol::{
    operation::get_resource::GetResourceError,
    types::{HandlerErrorCode, OperationStatus},
};
use ccplane_emulator::{
    DEFAULT_ACCOUNT, EmulatorArgs, FaultModeArgs, QuotaCategory, QuotaChange, QuotaSettings,
    ReadThrottleAnswer,
};
use serde_json::{Value, json};

use crate::helpers::{
    CLIENT, POOL, REGION, TestEmulator, args, assert_failed, assert_service_error, basic, code,
    create_event, http_status, message, status_event,
};

const OTHER_ACCOUNT: &str = "111122223333";

/// A rate whose bucket holds one call and takes a hundred seconds to refill.
const ONE_CALL: f64 = 0.01;

async fn send(
    method: reqwest::Method,
    emu: &TestEmulator,
    path: &str,
    body: Value,
) -> (u16, Value) {
    let response = reqwest::Client::new()
        .request(method, format!("{}{path}", emu.url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn get(emu: &TestEmulator, path: &str) -> Value {
    send(reqwest::Method::GET, emu, path, Value::Null).await.1
}

async fn post(emu: &TestEmulator, path: &str, body: Value) -> (u16, Value) {
    send(reqwest::Method::POST, emu, path, body).await
}

/// Every Cognito per-pool operation limited to one call, so the second is refused.
fn one_call_per_pool_operation(emu: &TestEmulator) {
    emu.control()
        .set_quotas(&QuotaChange {
            cognito_pool_operation_rps: Some(ONE_CALL),
            ..QuotaChange::default()
        })
        .unwrap();
}

async fn poll_outcome(emu: &TestEmulator, token: &str) -> Result<(), String> {
    match emu
        .cc
        .get_resource_request_status()
        .request_token(token)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e) => Err(format!("{}/{}", code(&e), http_status(&e))),
    }
}

#[tokio::test]
async fn the_default_quotas_are_awss_numbers() {
    let emu = TestEmulator::spawn().await;
    let expected = QuotaSettings {
        cloud_control_rps: 25.0,
        cognito_read_rps: 15.0,
        cognito_write_rps: 15.0,
        cognito_pool_operation_rps: 5.0,
    };
    assert_eq!(emu.control().quotas(), expected);
    assert_eq!(
        get(&emu, "/_emulator/quotas").await,
        json!({"cloudControlRps": 25.0, "cognitoReadRps": 15.0, "cognitoWriteRps": 15.0, "cognitoPoolOperationRps": 5.0})
    );
    // The older name of Cloud Control's rate reads the same number.
    assert_eq!(
        get(&emu, "/_emulator/faults").await["rate_limit"],
        json!(25.0)
    );
}

#[tokio::test]
async fn cloud_controls_rate_throttles_polls_synchronously_and_they_spend_no_cognito_rate() {
    // aws-nuke #508/#510: 25 Cloud Control calls/s per account and region, polls included.
    let emu = TestEmulator::spawn().await;
    let token = emu.create_token(basic()).await;
    let mut outcomes = Vec::new();
    for _ in 0..60 {
        outcomes.push(poll_outcome(&emu, &token).await);
    }
    // The create took one call of the burst of 25; the next 24 polls are certain to pass.
    assert!(outcomes[..24].iter().all(Result::is_ok), "{outcomes:?}");
    let throttled: Vec<_> = outcomes.iter().filter_map(|o| o.clone().err()).collect();
    assert!(!throttled.is_empty(), "60 polls in a burst, none throttled");
    assert!(
        throttled.iter().all(|t| t == "ThrottlingException/400"),
        "{throttled:?}"
    );
    let stats = emu.control().stats();
    let cc = stats
        .usage(DEFAULT_ACCOUNT, REGION, QuotaCategory::CloudControl)
        .unwrap();
    assert_eq!(cc.call_count, 61);
    assert_eq!(cc.throttle_count, throttled.len() as u64);
    let reads = stats
        .usage(DEFAULT_ACCOUNT, REGION, QuotaCategory::UserPoolClientRead)
        .unwrap();
    assert_eq!(reads.call_count, 0, "polls do not touch Cognito");
    // The bucket refills with the emulator's clock.
    emu.advance(1);
    assert_eq!(poll_outcome(&emu, &token).await, Ok(()));
}

#[tokio::test]
async fn cloud_controls_throttle_is_corals_throttling_exception() {
    let emu = TestEmulator::spawn().await;
    emu.control()
        .set_quotas(&QuotaChange {
            cloud_control_rps: Some(ONE_CALL),
            ..QuotaChange::default()
        })
        .unwrap();
    emu.cc.list_resource_requests().send().await.unwrap();
    let (status, _, body) = emu.raw("ListResourceRequests", json!({})).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"__type": "com.amazon.coral.availability#ThrottlingException", "Message": "Rate exceeded"})
    );
}

#[tokio::test]
async fn a_burst_of_creates_in_one_pool_beyond_five_settles_failed_with_throttling() {
    // Cognito: CreateUserPoolClient at most 5 requests/s on one pool.
    let emu = TestEmulator::spawn().await;
    let mut tokens = Vec::new();
    for i in 0..8 {
        let accepted = emu
            .create(json!({"UserPoolId": POOL, "ClientName": format!("app-{i}")}))
            .await;
        // Accepted either way: the handler's Cognito call is throttled, not Cloud Control.
        assert_eq!(accepted.operation_status, Some(OperationStatus::InProgress));
        tokens.push(accepted.request_token.unwrap());
    }
    let mut events = Vec::new();
    for token in &tokens {
        events.push(emu.status(token).await);
    }
    assert!(
        events[..5]
            .iter()
            .all(|e| e.operation_status == Some(OperationStatus::Success)),
        "{events:?}"
    );
    let throttled: Vec<_> = events[5..]
        .iter()
        .filter(|e| e.operation_status == Some(OperationStatus::Failed))
        .collect();
    assert!(!throttled.is_empty(), "{events:?}");
    for event in &throttled {
        assert_failed(event, HandlerErrorCode::Throttling);
        assert_eq!(event.identifier, None, "no work done");
        let status_message = event.status_message.as_deref().unwrap();
        assert!(
            status_message
                .starts_with("Rate exceeded (Service: CognitoIdentityProvider, Status Code: 400"),
            "{status_message}"
        );
    }
    let succeeded = events.len() - throttled.len();
    assert_eq!(emu.control().stats().pools[0].clients, succeeded);
}

#[tokio::test]
async fn creates_across_pools_share_fifteen_a_second() {
    // Cognito: UserPoolClientUpdate, 15 requests/s per account and region across all pools.
    let emu = TestEmulator::spawn().await;
    let pools = ["us-east-1_a", "us-east-1_b", "us-east-1_c", "us-east-1_d"];
    for pool in pools {
        emu.control().create_pool(DEFAULT_ACCOUNT, pool).unwrap();
    }
    let mut tokens = Vec::new();
    for pool in pools {
        for _ in 0..5 {
            tokens.push(emu.create_token(json!({"UserPoolId": pool})).await);
        }
    }
    // The polls come later, under a refilled Cloud Control rate; the creates' fates are decided.
    emu.advance(2);
    let mut statuses = Vec::new();
    for token in &tokens {
        statuses.push(emu.status(token).await.operation_status.unwrap());
    }
    assert!(
        statuses[..15]
            .iter()
            .all(|s| *s == OperationStatus::Success),
        "{statuses:?}"
    );
    assert!(
        statuses[15..].contains(&OperationStatus::Failed),
        "{statuses:?}"
    );
    let stats = emu.control().stats();
    let writes = stats
        .usage(DEFAULT_ACCOUNT, REGION, QuotaCategory::UserPoolClientUpdate)
        .unwrap();
    assert_eq!(writes.call_count, 20);
    let failed = statuses
        .iter()
        .filter(|s| **s == OperationStatus::Failed)
        .count();
    assert_eq!(writes.throttle_count, failed as u64);
}

#[tokio::test]
async fn an_update_whose_read_back_cognito_throttles_fails_and_changes_nothing() {
    // The handler reads the client (DescribeUserPoolClient) before UpdateUserPoolClient.
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(basic()).await;
    one_call_per_pool_operation(&emu);
    let patch = |name: &str| json!([{"op": "replace", "path": "/ClientName", "value": name}]);
    let first = emu.update(&id, patch("first")).await;
    let first = emu.status(first.request_token.as_deref().unwrap()).await;
    assert_eq!(first.operation_status, Some(OperationStatus::Success));
    let second = emu.update(&id, patch("second")).await;
    let second = emu.status(second.request_token.as_deref().unwrap()).await;
    assert_failed(&second, HandlerErrorCode::Throttling);
    let client_id = id.rsplit('|').next().unwrap();
    let model = emu
        .control()
        .client(DEFAULT_ACCOUNT, POOL, client_id)
        .unwrap();
    assert_eq!(model["ClientName"], "first");
    let stats = emu.control().stats();
    let describe = stats
        .pool_usage(DEFAULT_ACCOUNT, POOL, "DescribeUserPoolClient")
        .unwrap();
    assert_eq!((describe.call_count, describe.throttle_count), (2, 1));
    let update = stats
        .pool_usage(DEFAULT_ACCOUNT, POOL, "UpdateUserPoolClient")
        .unwrap();
    assert_eq!((update.call_count, update.throttle_count), (1, 0));
}

#[tokio::test]
async fn a_get_resource_cognito_throttles_is_a_synchronous_400_throttling_exception() {
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(basic()).await;
    one_call_per_pool_operation(&emu);
    emu.get(&id).await;
    let err = emu.get_err(CLIENT, &id).await;
    assert_eq!(http_status(&err), 400);
    assert_service_error(&err, GetResourceError::is_throttling_exception);
    assert!(
        message(&err).contains("(HandlerErrorCode: Throttling"),
        "{}",
        message(&err)
    );
    // Cloud Control's own shape (cloudcontrol-service-2.json lists it for GetResource), not Coral's.
    let (status, _, body) = emu
        .raw("GetResource", json!({"TypeName": CLIENT, "Identifier": id}))
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["__type"],
        "com.amazon.cloudapiservice#ThrottlingException"
    );
    assert!(body["Message"]
        .as_str()
        .unwrap()
        .starts_with("AWS::Cognito::UserPoolClient Handler returned status FAILED: Rate exceeded (Service: CognitoIdentityProvider, Status Code: 400"));
}

#[tokio::test]
async fn under_the_general_service_reading_a_throttled_read_is_a_general_service_exception() {
    let emu = TestEmulator::with(EmulatorArgs {
        fault_modes: Box::new(FaultModeArgs {
            read_throttle_answer: ReadThrottleAnswer::GeneralService,
            ..FaultModeArgs::default()
        }),
        ..args()
    })
    .await;
    let id = emu.create_settled(basic()).await;
    one_call_per_pool_operation(&emu);
    emu.get(&id).await;
    let err = emu.get_err(CLIENT, &id).await;
    assert_eq!(http_status(&err), 400);
    assert_service_error(&err, GetResourceError::is_general_service_exception);
    assert!(
        message(&err).contains("TooManyRequestsException: Rate exceeded"),
        "{}",
        message(&err)
    );
}

#[tokio::test]
async fn a_list_resources_cognito_throttles_fails_synchronously() {
    // One ListUserPoolClients per page.
    let emu = TestEmulator::spawn().await;
    one_call_per_pool_operation(&emu);
    let list = || {
        emu.cc
            .list_resources()
            .type_name(CLIENT)
            .resource_model(json!({"UserPoolId": POOL}).to_string())
            .send()
    };
    list().await.unwrap();
    let err = list().await.unwrap_err();
    assert_eq!(
        (code(&err), http_status(&err)),
        ("ThrottlingException".into(), 400)
    );
}

#[tokio::test]
async fn an_accounts_quotas_set_through_the_control_api_affect_that_account_only() {
    let emu = TestEmulator::spawn().await;
    let path = format!("/_emulator/accounts/{OTHER_ACCOUNT}/quotas");
    let (status, quotas) = post(&emu, &path, json!({"cloudControlRps": ONE_CALL})).await;
    assert_eq!(status, 200);
    assert_eq!(quotas["cloudControlRps"], json!(ONE_CALL));
    assert_eq!(
        quotas["cognitoWriteRps"],
        json!(15.0),
        "the rest stays AWS's"
    );
    assert_eq!(get(&emu, &path).await, quotas);
    assert_eq!(
        get(&emu, "/_emulator/quotas").await["cloudControlRps"],
        json!(25.0)
    );
    let other = emu.client_for(OTHER_ACCOUNT, REGION);
    other.list_resource_requests().send().await.unwrap();
    let err = other.list_resource_requests().send().await.unwrap_err();
    assert_eq!(code(&err), "ThrottlingException");
    for _ in 0..5 {
        emu.cc.list_resource_requests().send().await.unwrap();
    }
    // Dropping the override brings back the quotas of all accounts, with a full bucket.
    let (status, quotas) = send(reqwest::Method::DELETE, &emu, &path, Value::Null).await;
    assert_eq!(status, 200);
    assert_eq!(quotas["cloudControlRps"], json!(25.0));
    other.list_resource_requests().send().await.unwrap();
}

#[tokio::test]
async fn the_quotas_of_all_accounts_change_through_the_control_api_and_bad_ones_name_their_field() {
    let emu = TestEmulator::spawn().await;
    let (status, quotas) = post(&emu, "/_emulator/quotas", json!({"cognitoReadRps": 100})).await;
    assert_eq!(status, 200);
    assert_eq!(quotas["cognitoReadRps"], json!(100.0));
    assert_eq!(emu.control().quotas().cognito_read_rps, 100.0);
    for (body, field) in [
        (json!({"cognitoReadRps": -1}), "cognitoReadRps"),
        (json!({"cognitoWriteRps": "fast"}), "cognitoWriteRps"),
        (json!({"cloudControlRPS": 5}), "cloudControlRPS"),
    ] {
        let (status, error) = post(&emu, "/_emulator/quotas", body).await;
        assert_eq!(
            (status, error["field"].as_str()),
            (400, Some(field)),
            "{error}"
        );
    }
    let (status, error) = post(&emu, "/_emulator/accounts/abc/quotas", json!({})).await;
    assert_eq!((status, error["field"].as_str()), (400, Some("account")));
    let (status, _) = post(&emu, "/_emulator/faults", json!({"rate_limit": -2})).await;
    assert_eq!(status, 400);
    assert_eq!(
        emu.control().quotas().cognito_read_rps,
        100.0,
        "nothing changed"
    );
}

#[tokio::test]
async fn stats_report_calls_and_throttles_per_category_and_per_pool_operation() {
    // Cognito's CallCount and ThrottleCount, per category; and per pool and operation.
    let emu = TestEmulator::spawn().await;
    one_call_per_pool_operation(&emu);
    let first = emu.create_token(basic()).await;
    let second = emu.create_token(basic()).await;
    emu.status(&first).await;
    emu.status(&second).await;
    let stats = get(&emu, "/_emulator/stats").await;
    let usage = stats["quota_usage"].as_array().unwrap();
    let find = |category: &str, operation: Option<&str>| {
        usage
            .iter()
            .find(|u| u["category"] == category && u["operation"].as_str() == operation)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(
        find("CloudControl", None),
        json!({"account": DEFAULT_ACCOUNT, "region": REGION, "category": "CloudControl", "callCount": 4, "throttleCount": 0})
    );
    assert_eq!(find("UserPoolClientUpdate", None)["callCount"], 2);
    assert_eq!(find("UserPoolClientUpdate", None)["throttleCount"], 1);
    assert_eq!(find("UserPoolClientRead", None)["callCount"], 0);
    assert_eq!(
        find("UserPoolClientUpdate", Some("CreateUserPoolClient")),
        json!({"account": DEFAULT_ACCOUNT, "region": REGION, "category": "UserPoolClientUpdate",
               "userPoolId": POOL, "operation": "CreateUserPoolClient", "callCount": 2, "throttleCount": 1})
    );
    // The counters the stats already had stay.
    assert_eq!(stats["total_calls"], 4);
}

#[tokio::test]
async fn reset_refills_the_buckets_and_keeps_the_quotas() {
    let emu = TestEmulator::spawn().await;
    one_call_per_pool_operation(&emu);
    let first = emu.create_token(basic()).await;
    assert_eq!(
        emu.status(&first).await.operation_status,
        Some(OperationStatus::Success)
    );
    emu.control().reset();
    assert_eq!(emu.control().quotas().cognito_pool_operation_rps, ONE_CALL);
    assert!(
        emu.control().quota_usage().is_empty(),
        "counters start again"
    );
    let again = emu.create_token(basic()).await;
    assert_eq!(
        emu.status(&again).await.operation_status,
        Some(OperationStatus::Success)
    );
}

#[tokio::test]
async fn without_quotas_nothing_is_throttled() {
    // `--no-quotas`, for the emulator's own micro-benchmarks.
    let mut no_quotas = args();
    no_quotas.quotas.no_quotas = true;
    let emu = TestEmulator::with(no_quotas).await;
    assert_eq!(emu.control().quotas(), QuotaSettings::OFF);
    let other = emu.client_for(DEFAULT_ACCOUNT, REGION);
    let token = create_event(&other, CLIENT, &basic())
        .await
        .request_token
        .unwrap();
    for _ in 0..100 {
        status_event(&other, &token).await;
    }
    for _ in 0..10 {
        emu.create_settled(basic()).await;
    }
}
