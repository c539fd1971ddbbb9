//! Failing on purpose: rate limits, injected errors, dropped connections, latency, determinism.

use std::time::{Duration, Instant};

use aws_sdk_cloudcontrol::types::HandlerErrorCode;
use ccplane_emulator::{DEFAULT_ACCOUNT, EmulatorArgs, FaultSettings};

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
