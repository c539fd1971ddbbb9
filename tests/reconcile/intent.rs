//! No lost intent: every write a user commits while a step is in flight is acted on when the step
//! ends, whatever the interleaving, and whatever crashes.

use std::time::Duration;

use ccplane::reconcile::{CrashPoint, Outcome, StepError, Worker};
use ccplane_emulator::{EmulatorArgs, QuotaArgs};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common::{basic, eventually, fixture};
use crate::harness::{Harness, fast};

/// Waits until the worker has committed an `Update` operation row: the step is sending it.
async fn wait_for_update_row(pool: &PgPool) {
    eventually("the worker starting the update", || async {
        let n: i64 = sqlx::query_scalar("select count(*) from operations where kind = 'Update'")
            .fetch_one(pool)
            .await
            .unwrap();
        (n > 0).then_some(())
    })
    .await
}

// The lost DELETE of the issue: a DELETE committed while the worker was starting an update left
// the resource Ready with deletionRequestedAt set, forever.
#[sqlx::test]
async fn a_delete_committed_while_an_update_is_being_sent_is_carried_out(pool: PgPool) {
    let args = EmulatorArgs {
        response_latency: "300ms".parse().unwrap(),
        ..EmulatorArgs::default()
    };
    let h = Harness::start_with(pool.clone(), args).await;
    h.ready_client(&basic()).await;
    let reply = h
        .app
        .patch(
            "team-a",
            "web",
            &json!({"properties": {"ClientName": "renamed"}}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let worker = h.worker();
    let stepping = tokio::spawn({
        let worker = worker.clone();
        async move { worker.run_once().await }
    });
    wait_for_update_row(&pool).await;
    assert_eq!(h.app.delete("team-a", "web").await.status, 202);
    stepping.await.unwrap().unwrap();
    h.converge(&worker).await;
    h.app.get_resource("team-a", "web").await.problem(404);
    assert_eq!(h.aws_clients(), 0, "the client was deleted");
}

#[sqlx::test]
async fn a_refresh_committed_during_a_step_is_not_undone_by_it(pool: PgPool) {
    let h = Harness::start(pool.clone()).await;
    let client_id = h.ready_client(&basic()).await;
    h.change_out_of_band(
        &client_id,
        json!({"LogoutURLs": ["https://evil.example.com"]}),
    );
    // A refresh that arrives while the worker holds the lease (as if mid-step).
    let worker = h.worker();
    sqlx::query(
        "update resources set lease_owner = $1, next_attempt_at = now() + interval '1 hour'",
    )
    .bind(worker.id())
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(
        h.app.action("team-a", "web", "refresh", None).await.status,
        202
    );
    ccplane::store::work::release(&pool, uuid_of(&pool).await, worker.id(), Some(3600.0))
        .await
        .unwrap();
    h.converge(&worker).await;
    let status = h.status("team-a", "web").await;
    assert_eq!(status["drift"][0]["pointer"], "/LogoutURLs", "{status}");
}

async fn uuid_of(pool: &PgPool) -> uuid::Uuid {
    sqlx::query_scalar("select id from resources")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// One random user write.
async fn random_write(h: &Harness, rng: &mut StdRng, names: &[&str]) {
    let name = names[rng.random_range(0..names.len())];
    let label = rng.random_range(0..1000);
    match rng.random_range(0..10) {
        0..=3 => {
            let mut props = fixture("seed-basic");
            props["ClientName"] = json!(format!("{name}-{label}"));
            let _ = h
                .app
                .put("team-a", name, &json!({"properties": props}))
                .await;
        }
        4..=5 => {
            let body = json!({"properties": {"ClientName": format!("{name}-p{label}")}});
            let _ = h.app.patch("team-a", name, &body).await;
        }
        6 => {
            let _ = h.app.delete("team-a", name).await;
        }
        7 => {
            let paused = rng.random_bool(0.5);
            let _ = h
                .app
                .patch("team-a", name, &json!({"paused": paused}))
                .await;
        }
        8 => {
            let _ = h.app.action("team-a", name, "refresh", None).await;
        }
        _ => {
            let _ = h.app.action("team-a", name, "cancel", None).await;
        }
    }
}

fn crash_point(rng: &mut StdRng) -> Option<CrashPoint> {
    match rng.random_range(0..6) {
        0 => Some(CrashPoint::AfterPrepare),
        1 => Some(CrashPoint::AfterSend),
        2 => Some(CrashPoint::AfterPoll),
        _ => None,
    }
}

/// A worker that keeps stepping until `stop`, dying at a random crash point now and then and being
/// replaced by a fresh one (whose predecessor's leases are handed back, as a lease timeout would).
async fn chaotic_worker(h: &Harness, seed: u64, stop: tokio::sync::watch::Receiver<bool>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let new_worker = |rng: &mut StdRng| -> Worker {
        let worker = h.worker_with(fast());
        match crash_point(rng) {
            Some(at) => worker.crashing_at(at),
            None => worker,
        }
    };
    let mut worker = new_worker(&mut rng);
    while !*stop.borrow() {
        match worker.run_once().await {
            Ok(Outcome::Stepped) => {}
            Ok(Outcome::Idle | Outcome::Snoozed(_)) => {
                tokio::time::sleep(Duration::from_millis(2)).await
            }
            Err(StepError::Crashed(_)) => {
                sqlx::query(
                    "update resources set lease_owner = null, lease_expires_at = null,
                            next_attempt_at = now()
                     where lease_owner = $1",
                )
                .bind(worker.id())
                .execute(&h.pool)
                .await
                .unwrap();
                worker = new_worker(&mut rng);
            }
            Err(err) => panic!("step failed: {err}"),
        }
    }
}

/// Brings every resource to rest: unpaused, refreshed (a cancel or failure holds), converged.
async fn settle_everything(h: &Harness) {
    let worker = h.worker();
    for _ in 0..3 {
        let list = h
            .app
            .get("/v1/namespaces/team-a/user-pool-clients?limit=500")
            .await;
        for item in list.body["items"].as_array().cloned().unwrap_or_default() {
            let name = item["name"].as_str().unwrap().to_owned();
            let _ = h
                .app
                .patch("team-a", &name, &json!({"paused": false}))
                .await;
            let _ = h.app.action("team-a", &name, "refresh", None).await;
        }
        h.converge_to_rest(&worker).await;
    }
}

async fn assert_one_client_per_live_resource(h: &Harness, seed: u64) {
    let list = h
        .app
        .get("/v1/namespaces/team-a/user-pool-clients?limit=500")
        .await;
    let items: Vec<Value> = list.body["items"].as_array().cloned().unwrap_or_default();
    for item in &items {
        let name = item["name"].as_str().unwrap();
        let status = h.status("team-a", name).await;
        assert_eq!(status["phase"], "Ready", "seed {seed}, {name}: {status}");
        let client_id = status["clientId"].as_str().expect("a client id");
        let live = h.aws_client(client_id).unwrap_or_else(|| {
            panic!("seed {seed}, {name}: client {client_id} is missing from AWS")
        });
        let wanted = &item["properties"]["ClientName"];
        assert_eq!(&live["ClientName"], wanted, "seed {seed}, {name}");
    }
    assert_eq!(
        h.aws_clients(),
        items.len(),
        "seed {seed}: exactly one client per live resource, none for deleted ones"
    );
    assert_eq!(h.concurrent_operation_exceptions(), 0, "seed {seed}");
}

/// Many seeds of random user writes racing two workers that crash at random points, against an
/// emulator with random latencies. At rest, AWS holds exactly one client per live resource,
/// matching its last desired state, and none for deleted ones. `INTERLEAVING_SEEDS` runs more.
#[sqlx::test]
async fn random_writes_racing_crashing_workers_lose_no_intent(pool: PgPool) {
    let seeds: u64 = std::env::var("INTERLEAVING_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    for seed in 0..seeds {
        sqlx::query("truncate resources, operations, events")
            .execute(&pool)
            .await
            .unwrap();
        let args = EmulatorArgs {
            latency: "0ms..40ms".parse().unwrap(),
            response_latency: "0ms..3ms".parse().unwrap(),
            seed: Some(seed),
            // This test is about interleavings, not AWS's budget. Under Cognito's 5/s per
            // operation on one pool its zero-backoff retries (`fast()`) livelock: the read
            // before each update spends the DescribeUserPoolClient token the update's handler
            // needs, so every update settles FAILED/Throttling and is retried at once.
            quotas: QuotaArgs {
                cognito_read_rps: 1_000.0,
                cognito_write_rps: 1_000.0,
                cognito_pool_operation_rps: 1_000.0,
                ..QuotaArgs::default()
            },
            ..EmulatorArgs::default()
        };
        let h = Harness::start_with(pool.clone(), args).await;
        let names = ["a", "b", "c"];
        let (stop_tx, stop) = tokio::sync::watch::channel(false);
        let workers = async {
            tokio::join!(
                chaotic_worker(&h, seed * 2, stop.clone()),
                chaotic_worker(&h, seed * 2 + 1, stop.clone())
            )
        };
        let driver = async {
            let mut rng = StdRng::seed_from_u64(seed);
            for _ in 0..30 {
                random_write(&h, &mut rng, &names).await;
                let pause = rng.random_range(0..15);
                tokio::time::sleep(Duration::from_millis(pause)).await;
            }
            stop_tx.send(true).unwrap();
        };
        tokio::join!(workers, driver);
        // Crashed workers' leases were handed back; a live worker's lease ends with its step.
        h.expire_leases().await;
        settle_everything(&h).await;
        assert_one_client_per_live_resource(&h, seed).await;
        h.emulator.shutdown().await;
    }
}

// Found by the interleaving test: a paused resource that was deleted stayed `Deleting` forever,
// because the reconciler leaves paused resources alone and a PATCH cannot unpause a deletion.
#[sqlx::test]
async fn deleting_a_paused_resource_resumes_it_and_deletes_the_client(pool: PgPool) {
    let h = Harness::start(pool).await;
    h.ready_client(&basic()).await;
    let paused = h.app.patch("team-a", "web", &json!({"paused": true})).await;
    assert_eq!(paused.status, 200, "{}", paused.body);
    let reply = h.app.delete("team-a", "web").await;
    assert_eq!(reply.status, 202);
    assert_eq!(reply.body["paused"], false);
    h.converge(&h.worker()).await;
    h.app.get_resource("team-a", "web").await.problem(404);
    assert_eq!(h.aws_clients(), 0);
}
