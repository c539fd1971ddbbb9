//! Request timeouts: a request stuck on a slow Cloud Control read is answered with 408.

use std::time::{Duration, Instant};

use ccplane::AppState;
use ccplane::config::{ApiArgs, Seconds};
use ccplane_emulator::Latency;
use sqlx::PgPool;

use crate::common::{TestApp, basic, no_auth};
use crate::harness::Harness;

#[sqlx::test]
async fn a_request_slower_than_the_timeout_is_408(pool: PgPool) {
    let h = Harness::start(pool.clone()).await;
    let body = basic();
    assert_eq!(h.app.put("team-a", "web", &body).await.status, 201);
    h.converge(&h.worker()).await;
    // The secret is read live from Cloud Control, which now takes longer than the timeout allows.
    let mut faults = h.emulator.control().faults();
    faults.response_latency = Latency::fixed(Duration::from_secs(4));
    h.emulator.control().set_faults(faults);
    let settings = ApiArgs {
        request_timeout: Seconds::new(1),
        ..no_auth()
    };
    let app = TestApp::spawn_state(AppState::new(pool, settings).with_cloud(h.cloud.clone())).await;
    let started = Instant::now();
    let path = format!("{}/secret", TestApp::resource_path("team-a", "web"));
    let reply = app.get(&path).await;
    assert_eq!(
        reply.problem(408)["type"],
        "https://ccplane.dev/problems/request-timeout"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}
