//! Crash safety, concurrency and faults: no duplicate client, no concurrent operation, ever.

use ccplane::reconcile::{CrashPoint, StepError};
use ccplane_emulator::EmulatorArgs;
use serde_json::json;
use sqlx::PgPool;

use crate::common::fixture;
use crate::harness::{Harness, fast};

async fn put_many(h: &Harness, n: usize) {
    for i in 0..n {
        let mut props = fixture("seed-basic");
        props["ClientName"] = json!(format!("client-{i}"));
        let reply = h
            .app
            .put("team-a", &format!("c{i}"), &json!({"properties": props}))
            .await;
        assert_eq!(reply.status, 201);
    }
}

async fn assert_converged_once_each(h: &Harness, n: usize) {
    for i in 0..n {
        let status = h.status("team-a", &format!("c{i}")).await;
        assert_eq!(status["phase"], "Ready", "c{i}: {status}");
        let live = h
            .aws_client(status["clientId"].as_str().unwrap())
            .expect("exists");
        assert_eq!(live["ClientName"], format!("client-{i}"));
    }
    assert_eq!(h.aws_clients(), n, "exactly one client per resource");
    assert_eq!(h.concurrent_operation_exceptions(), 0);
}

/// Crashes a worker at `at` on every resource once, then lets a fresh worker take over.
async fn crash_then_recover(pool: PgPool, at: CrashPoint) {
    let h = Harness::start(pool).await;
    put_many(&h, 3).await;
    let crashing = h.worker().crashing_at(at);
    let mut crashes = 0;
    while let Some(err) = h.run_until_crash_or_idle(&crashing).await {
        assert!(matches!(err, StepError::Crashed(p) if p == at), "{err}");
        crashes += 1;
        // The dead worker's lease runs out; the next claim takes the resource over.
        h.expire_leases().await;
        if crashes >= 3 {
            break;
        }
    }
    assert!(crashes > 0, "the crash point was reached");
    h.expire_leases().await;
    h.converge(&h.worker()).await;
    assert_converged_once_each(&h, 3).await;
}

#[sqlx::test]
async fn a_crash_between_committing_the_operation_and_sending_it_is_safe(pool: PgPool) {
    crash_then_recover(pool, CrashPoint::AfterPrepare).await;
}

#[sqlx::test]
async fn a_crash_between_sending_and_storing_the_request_token_is_safe(pool: PgPool) {
    crash_then_recover(pool, CrashPoint::AfterSend).await;
}

#[sqlx::test]
async fn a_crash_mid_poll_is_safe(pool: PgPool) {
    let args = EmulatorArgs {
        latency: "10s".parse().unwrap(),
        ..EmulatorArgs::default()
    };
    let h = Harness::start_with(pool, args).await;
    put_many(&h, 3).await;
    // Submit the creates; their polls come due in ten seconds, so bring them forward.
    h.converge(&h.worker()).await;
    h.make_due().await;
    let crashing = h.worker().crashing_at(CrashPoint::AfterPoll);
    let crashed = h.run_until_crash_or_idle(&crashing).await;
    assert!(
        matches!(crashed, Some(StepError::Crashed(CrashPoint::AfterPoll))),
        "{crashed:?}"
    );
    h.emulator
        .control()
        .advance_clock(std::time::Duration::from_secs(11));
    h.expire_leases().await;
    h.make_due().await;
    h.converge(&h.worker()).await;
    assert_converged_once_each(&h, 3).await;
}

#[sqlx::test]
async fn two_workers_on_one_database_never_collide(pool: PgPool) {
    let h = Harness::start(pool).await;
    put_many(&h, 20).await;
    let (a, b) = (h.worker(), h.worker());
    tokio::join!(h.converge(&a), h.converge(&b));
    h.converge(&a).await;
    assert_converged_once_each(&h, 20).await;
}

#[sqlx::test]
async fn every_resource_converges_once_despite_faults(pool: PgPool) {
    let args = EmulatorArgs {
        throttle_probability: 0.3,
        async_throttling_probability: 0.03,
        async_internal_error_probability: 0.02,
        drop_probability: 0.05,
        http_500_probability: 0.02,
        ..EmulatorArgs::default()
    };
    let h = Harness::start_with(pool, args).await;
    put_many(&h, 25).await;
    let worker = h.worker_with(fast());
    let (a, b) = (worker.clone(), h.worker());
    tokio::join!(h.converge(&a), h.converge(&b));
    // `converge` stops at the first moment nothing is due, which a poll or a retry scheduled a
    // little ahead can make come early: wait for every operation to settle.
    h.converge_to_rest(&a).await;
    let stats = h.emulator.control().stats().calls;
    let faults: u64 = stats
        .calls
        .iter()
        .filter(|c| c.outcome != "Success")
        .map(|c| c.count)
        .sum();
    assert!(faults > 0, "faults were injected: {stats:?}");
    assert_converged_once_each(&h, 25).await;
}
