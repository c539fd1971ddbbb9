//! Failing on purpose: rate limits, injected errors, dropped connections, latency, determinism.

use std::time::{Duration, Instant};

use aws_sdk_cloudcontrol::types::{HandlerErrorCode, OperationStatus};
use ccplane_emulator::{
    DEFAULT_ACCOUNT, Effect, EmulatorArgs, FaultModeArgs, FaultSettings, OpKind, RetryAfterMode,
    ScriptedFault, wire::Operation,
};
use serde_json::json;

use crate::helpers::{REGION, TestEmulator, args, assert_failed, basic, code, http_status, sdk};

async fn list_requests_code(cc: &aws_sdk_cloudcontrol::Client) -> String {
    match cc.list_resource_requests().send().await {
        Ok(_) => "Success".into(),
        Err(e) => code(&e),
    }
}

#[tokio::test]
async fn the_rate_limit_throttles_each_account_and_region_separately() {
    // Half a request per second: a burst of one, then a wait of two seconds for the next.
    let emu = TestEmulator::with(EmulatorArgs {
        rate_limit: Some(0.5),
        ..args()
    })
    .await;
    assert_eq!(list_requests_code(&emu.cc).await, "Success");
    assert_eq!(list_requests_code(&emu.cc).await, "ThrottlingException");
    let elsewhere = emu.client_for(DEFAULT_ACCOUNT, "eu-west-1");
    assert_eq!(list_requests_code(&elsewhere).await, "Success");
    let other_account = emu.client_for("111122223333", REGION);
    assert_eq!(list_requests_code(&other_account).await, "Success");
    // The bucket refills with time.
    emu.advance(2);
    assert_eq!(list_requests_code(&emu.cc).await, "Success");
}

#[tokio::test]
async fn throttle_probability_one_throttles_every_call() {
    let emu = TestEmulator::with(EmulatorArgs {
        throttle_probability: 1.0,
        ..args()
    })
    .await;
    let err = emu.cc.list_resource_requests().send().await.unwrap_err();
    assert_eq!(code(&err), "ThrottlingException");
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 400);
}

#[tokio::test]
async fn the_sdk_retries_through_injected_throttling() {
    let emu = TestEmulator::with(EmulatorArgs {
        throttle_probability: 0.5,
        seed: Some(3),
        ..args()
    })
    .await;
    // The default client retries throttling three times, so most calls get through.
    let cc = ccplane_emulator::client::sdk_client(&emu.url(), REGION).await;
    let mut ok = 0;
    for _ in 0..10 {
        ok += usize::from(cc.list_resource_requests().send().await.is_ok());
    }
    assert!(ok >= 6, "only {ok} of 10 calls succeeded");
}

#[tokio::test]
async fn http_500_probability_one_answers_internal_failure() {
    let emu = TestEmulator::with(EmulatorArgs {
        http_500_probability: 1.0,
        ..args()
    })
    .await;
    let err = emu.cc.list_resource_requests().send().await.unwrap_err();
    assert_eq!(code(&err), "InternalFailure");
    assert_eq!(http_status(&err), 500);
}

#[tokio::test]
async fn drop_probability_one_closes_connections_without_an_answer() {
    let emu = TestEmulator::with(EmulatorArgs {
        drop_probability: 1.0,
        ..args()
    })
    .await;
    let err = emu.cc.list_resource_requests().send().await.unwrap_err();
    assert!(err.raw_response().is_none(), "{err:?}");
    assert!(
        matches!(
            err,
            aws_sdk_cloudcontrol::error::SdkError::DispatchFailure(_)
        ),
        "{err:?}"
    );
    let stats = emu.control().stats();
    assert_eq!(
        stats.calls.count(
            ccplane_emulator::wire::Operation::ListResourceRequests,
            "ConnectionDropped"
        ),
        1
    );
}

#[tokio::test]
async fn async_throttling_fails_settled_requests_with_throttling() {
    let emu = TestEmulator::with(EmulatorArgs {
        async_throttling_probability: 1.0,
        ..args()
    })
    .await;
    let done = emu.create_done(basic()).await;
    assert_failed(&done, HandlerErrorCode::Throttling);
    assert_eq!(emu.control().stats().pools[0].clients, 0);
}

#[tokio::test]
async fn async_internal_errors_fail_settled_requests_with_service_internal_error() {
    let emu = TestEmulator::with(EmulatorArgs {
        async_internal_error_probability: 1.0,
        ..args()
    })
    .await;
    let done = emu.create_done(basic()).await;
    assert_failed(&done, HandlerErrorCode::ServiceInternalError);
}

#[tokio::test]
async fn the_same_seed_gives_the_same_outcomes_and_ids() {
    async fn run() -> (Vec<String>, Vec<String>) {
        let emu = TestEmulator::with(EmulatorArgs {
            seed: Some(99),
            throttle_probability: 0.4,
            async_internal_error_probability: 0.3,
            // AWS's quotas depend on how fast the test runs; the seed decides everything else.
            quotas: ccplane_emulator::QuotaArgs {
                no_quotas: true,
                ..Default::default()
            },
            ..args()
        })
        .await;
        let (mut outcomes, mut ids) = (Vec::new(), Vec::new());
        for _ in 0..12 {
            match emu
                .cc
                .create_resource()
                .type_name(crate::helpers::CLIENT)
                .desired_state(basic().to_string())
                .send()
                .await
            {
                Ok(out) => {
                    let token = out.progress_event.unwrap().request_token.unwrap();
                    let event = emu.status_or_throttle(&token).await;
                    outcomes.push(format!("{event:?}"));
                    ids.push(token);
                }
                Err(e) => outcomes.push(code(&e)),
            }
        }
        (outcomes, ids)
    }
    let (a, b) = (run().await, run().await);
    assert_eq!(a, b);
    assert!(a.0.iter().any(|o| o == "ThrottlingException"), "{:?}", a.0);
}

impl TestEmulator {
    /// The status of `token` (or the error code), polling until it is not throttled.
    async fn status_or_throttle(&self, token: &str) -> String {
        loop {
            match self
                .cc
                .get_resource_request_status()
                .request_token(token)
                .send()
                .await
            {
                Ok(out) => {
                    let event = out.progress_event.unwrap();
                    return format!("{:?}/{:?}", event.operation_status, event.identifier);
                }
                Err(e) if code(&e) == "ThrottlingException" => continue,
                Err(e) => return code(&e),
            }
        }
    }
}

#[tokio::test]
async fn response_latency_delays_every_answer() {
    let emu = TestEmulator::with(EmulatorArgs {
        response_latency: "100ms..150ms".parse().unwrap(),
        ..args()
    })
    .await;
    let started = Instant::now();
    emu.cc.list_resource_requests().send().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(100));
}

#[tokio::test]
async fn faults_can_be_changed_at_runtime() {
    let emu = TestEmulator::spawn().await;
    emu.cc.list_resource_requests().send().await.unwrap();
    emu.control().set_faults(FaultSettings {
        throttle_probability: 1.0,
        ..Default::default()
    });
    let err = emu.cc.list_resource_requests().send().await.unwrap_err();
    assert_eq!(code(&err), "ThrottlingException");
    emu.control().set_faults(FaultSettings::default());
    let other = sdk(&emu.url(), DEFAULT_ACCOUNT, REGION);
    other.list_resource_requests().send().await.unwrap();
}

/// An emulator with `faults` in force from the start.
async fn with_faults(faults: FaultSettings) -> TestEmulator {
    let emu = TestEmulator::spawn().await;
    emu.control().set_faults(faults);
    emu
}

#[tokio::test]
async fn async_failures_settle_failed_with_the_chosen_code_and_message() {
    let emu = with_faults(FaultSettings {
        async_failure_probability: 1.0,
        async_failure_code: Some("NotStabilized".into()),
        async_failure_message: Some("the client did not stabilize".into()),
        ..Default::default()
    })
    .await;
    let done = emu.create_done(basic()).await;
    assert_failed(&done, HandlerErrorCode::NotStabilized);
    assert_eq!(
        done.status_message.as_deref(),
        Some("the client did not stabilize")
    );
    assert_eq!(done.identifier, None);
    assert_eq!(emu.control().stats().pools[0].clients, 0);
}

#[tokio::test]
async fn async_failures_default_to_general_service_exception_in_cognitos_words() {
    let emu = with_faults(FaultSettings {
        async_failure_probability: 1.0,
        ..Default::default()
    })
    .await;
    let done = emu.create_done(basic()).await;
    assert_failed(&done, HandlerErrorCode::GeneralServiceException);
    assert!(
        done.status_message
            .unwrap()
            .contains("(Service: CognitoIdentityProvider, Status Code: 400")
    );
}

#[tokio::test]
async fn a_failure_after_the_work_leaves_the_client_and_names_it() {
    let emu = with_faults(FaultSettings {
        fail_after_work_probability: 1.0,
        ..Default::default()
    })
    .await;
    let done = emu.create_done(basic()).await;
    assert_failed(&done, HandlerErrorCode::Throttling);
    let id = done.identifier.expect("the event names the client it made");
    assert_eq!(emu.get(&id).await["ClientName"], json!("app"));
    // An update that fails after its work has changed the client all the same.
    let patch = json!([{ "op": "replace", "path": "/ClientName", "value": "changed" }]);
    let token = emu.update(&id, patch).await.request_token.unwrap();
    assert_failed(&emu.status(&token).await, HandlerErrorCode::Throttling);
    assert_eq!(emu.get(&id).await["ClientName"], json!("changed"));
}

#[tokio::test]
async fn a_lost_answer_still_starts_the_request_and_its_client_token_finds_it() {
    let emu = with_faults(FaultSettings {
        lost_answer_probability: 1.0,
        ..Default::default()
    })
    .await;
    let err = emu.create_idempotent("lost-1", basic()).await.unwrap_err();
    assert!(err.raw_response().is_none(), "{err:?}");
    assert_eq!(
        emu.control()
            .stats()
            .calls
            .count(Operation::CreateResource, "AnswerLost"),
        1
    );
    emu.control().set_faults(FaultSettings::default());
    let listed = emu.cc.list_resource_requests().send().await.unwrap();
    let requests = listed.resource_request_status_summaries();
    assert_eq!(requests.len(), 1);
    // The retry with the same ClientToken answers the request that was lost on the way back.
    let again = emu.create_idempotent("lost-1", basic()).await.unwrap();
    let again = again.progress_event.unwrap();
    assert_eq!(again.request_token, requests[0].request_token);
    assert_eq!(again.operation_status, Some(OperationStatus::Success));
    assert_eq!(emu.control().stats().pools[0].clients, 1);
}

#[tokio::test]
async fn retry_after_can_be_in_the_past_or_absent() {
    let emu = TestEmulator::with(EmulatorArgs {
        latency: "1m".parse().unwrap(),
        fault_modes: Box::new(FaultModeArgs {
            retry_after: RetryAfterMode::Past,
            ..Default::default()
        }),
        ..args()
    })
    .await;
    let first = emu.create(basic()).await;
    assert_eq!(first.retry_after, first.event_time);
    emu.control().set_faults(FaultSettings {
        latency: "1m".parse().unwrap(),
        retry_after: RetryAfterMode::Absent,
        ..Default::default()
    });
    let second = emu.create(basic()).await;
    assert_eq!(second.operation_status, Some(OperationStatus::InProgress));
    assert_eq!(second.retry_after, None);
}

#[tokio::test]
async fn scripted_faults_are_used_up_in_order_by_the_mutations_they_match() {
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(basic()).await;
    let control = emu.control();
    control.script(ScriptedFault {
        operation: Some(OpKind::Create),
        effect: Effect::Fail {
            error_code: "ServiceLimitExceeded".into(),
            message: None,
            after_work: false,
        },
        times: 2,
    });
    control.script(ScriptedFault {
        operation: None,
        effect: Effect::LoseAnswer,
        times: 1,
    });
    // A refused mutation is not accepted, so it uses nothing up.
    let refused = emu
        .update_err(
            &id,
            json!([{ "op": "replace", "path": "/GenerateSecret", "value": true }]),
        )
        .await;
    assert_eq!(code(&refused), "NotUpdatableException");
    assert_eq!(control.scripted().len(), 2);
    // The update matches only the second fault.
    let patch = json!([{ "op": "replace", "path": "/ClientName", "value": "b" }]);
    let lost = emu.try_update(&id, patch).await.unwrap_err();
    assert!(lost.raw_response().is_none(), "{lost:?}");
    // Two creates fail as scripted; the third is left alone.
    for _ in 0..2 {
        let done = emu.create_done(basic()).await;
        assert_failed(&done, HandlerErrorCode::ServiceLimitExceeded);
    }
    assert!(control.scripted().is_empty());
    emu.create_settled(basic()).await;
    assert_eq!(emu.get(&id).await["ClientName"], json!("b"));
}

#[tokio::test]
async fn a_scripted_failure_after_the_work_names_the_client_it_made() {
    let emu = TestEmulator::spawn().await;
    emu.control().script(ScriptedFault {
        operation: Some(OpKind::Create),
        effect: Effect::Fail {
            error_code: "GeneralServiceException".into(),
            message: Some("downstream said no, after saying yes".into()),
            after_work: true,
        },
        times: 1,
    });
    let done = emu.create_done(basic()).await;
    assert_failed(&done, HandlerErrorCode::GeneralServiceException);
    let id = done.identifier.unwrap();
    assert_eq!(
        emu.get(&id).await["UserPoolId"],
        json!(crate::helpers::POOL)
    );
}

#[tokio::test]
async fn a_hidden_client_reads_as_not_found_for_the_given_reads() {
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(basic()).await;
    let (pool, client) = id.split_once('|').unwrap();
    emu.control()
        .hide_client(DEFAULT_ACCOUNT, pool, client, 2)
        .unwrap();
    for _ in 0..2 {
        let err = emu.get_err(crate::helpers::CLIENT, &id).await;
        assert_eq!(code(&err), "ResourceNotFoundException");
        assert_eq!(http_status(&err), 400);
    }
    assert_eq!(emu.get(&id).await["ClientName"], json!("app"));
}

#[tokio::test]
async fn a_cancel_after_the_work_completes_with_the_client_made() {
    let emu = TestEmulator::with(EmulatorArgs {
        latency: "1h".parse().unwrap(),
        fault_modes: Box::new(FaultModeArgs {
            cancel_after_work: true,
            ..Default::default()
        }),
        ..args()
    })
    .await;
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
        Some(OperationStatus::CancelInProgress)
    );
    let done = emu.status(&token).await;
    assert_eq!(done.operation_status, Some(OperationStatus::CancelComplete));
    let id = done.identifier.expect("the event names the client made");
    assert_eq!(emu.get(&id).await["ClientName"], json!("app"));
}

#[tokio::test]
async fn polls_are_counted_per_request_token() {
    let emu = TestEmulator::with_latency("1m").await;
    let hot = emu.create_token(basic()).await;
    let cold = emu.create_token(basic()).await;
    for _ in 0..5 {
        emu.status(&hot).await;
    }
    emu.status(&cold).await;
    let polls = emu.control().status_polls();
    assert_eq!((polls[&hot], polls[&cold]), (5, 1));
    assert_eq!(emu.control().stats().calls.max_status_polls_per_request, 5);
}
