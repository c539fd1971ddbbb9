//! Scale-out: a stopping worker hands its work back at once, and a dead one's work is taken over
//! within a heartbeat or two, without a second client.

use std::time::Duration;

use ccplane::reconcile::WorkerSettings;
use ccplane::store::work;
use ccplane_emulator::EmulatorArgs;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::common::{basic, eventually};
use crate::harness::{Harness, fast};

async fn lease_owner(pool: &PgPool) -> Option<String> {
    sqlx::query_scalar("select lease_owner from resources")
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn wait_for_a_claim(pool: &PgPool) -> String {
    eventually("a worker claiming the resource", || lease_owner(pool)).await
}

#[sqlx::test]
async fn a_stopping_worker_hands_its_claims_back_at_once(pool: PgPool) {
    // Every answer takes two seconds, so the worker is mid-step when it is told to stop.
    let args = EmulatorArgs {
        response_latency: "2s".parse().unwrap(),
        ..EmulatorArgs::default()
    };
    let h = Harness::start_with(pool.clone(), args).await;
    h.put_web(&basic()).await;
    let stopping = h.worker_with(WorkerSettings {
        shutdown_grace: Duration::ZERO,
        ..fast()
    });
    let shutdown = CancellationToken::new();
    let changes = tokio::sync::broadcast::channel(16).0;
    let running = tokio::spawn(stopping.clone().run(shutdown.clone(), changes));
    assert_eq!(wait_for_a_claim(&pool).await, stopping.id());
    shutdown.cancel();
    running.await.unwrap();
    assert_eq!(lease_owner(&pool).await, None, "the claim was handed back");
    let due: bool = sqlx::query_scalar("select next_attempt_at <= now() from resources")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(due, "the resource is due at once, not after its lease");
    let workers: i64 = sqlx::query_scalar("select count(*) from workers")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(workers, 0, "the worker left the live set");
    // Another worker finishes the abandoned step: one client.
    h.converge(&h.worker()).await;
    assert_eq!(h.status("team-a", "web").await["phase"], "Ready");
    assert_eq!(h.aws_clients(), 1);
}

#[sqlx::test]
async fn the_claims_of_a_worker_that_stopped_beating_are_taken_over(pool: PgPool) {
    let h = Harness::start(pool.clone()).await;
    h.put_web(&basic()).await;
    // A worker claimed the resource for a long lease and died: its last heartbeat is old.
    sqlx::query(
        "insert into workers (id, heartbeat_at) values ('dead', now() - interval '1 minute')",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "update resources set lease_owner = 'dead', lease_expires_at = now() + interval '1 hour',
                next_attempt_at = now() + interval '1 hour'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let alive = h.worker();
    let mut conn = pool.acquire().await.unwrap();
    let beat = work::heartbeat(&mut conn, alive.id(), 5.0).await.unwrap();
    assert_eq!(beat.reclaimed, 1);
    assert_eq!(beat.live, 1, "the dead worker no longer shares the budget");
    assert_eq!(lease_owner(&pool).await, None);
    h.converge(&alive).await;
    assert_eq!(h.status("team-a", "web").await["phase"], "Ready");
    assert_eq!(h.aws_clients(), 1);
}

#[sqlx::test]
async fn a_worker_that_beats_keeps_its_claims(pool: PgPool) {
    let h = Harness::start(pool.clone()).await;
    h.put_web(&basic()).await;
    sqlx::query("insert into workers (id) values ('busy')")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "update resources set lease_owner = 'busy', lease_expires_at = now() + interval '1 hour'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let beat = work::heartbeat(&mut conn, "other", 5.0).await.unwrap();
    assert_eq!(
        beat,
        work::Beat {
            live: 2,
            reclaimed: 0
        }
    );
    assert_eq!(lease_owner(&pool).await.as_deref(), Some("busy"));
}
