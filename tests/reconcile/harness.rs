//! Reconciler harness: the API, Postgres and a worker whose real SDK client talks to the emulator.

use std::time::Duration;

use ccplane::cloud::{Account, Budgets, Ceilings, Cloud, Place, Target};
use ccplane::reconcile::{Outcome, StepError, Worker, WorkerSettings};
use ccplane::store::notifier::Notifier;
use ccplane_emulator::{DEFAULT_ACCOUNT, Emulator, EmulatorArgs};
use serde_json::Value;
use sqlx::PgPool;

use crate::common::TestApp;

pub const POOL_ID: &str = "us-east-1_examplePoolId";

/// The API, the emulator and what a worker needs, on one database.
pub struct Harness {
    pub app: TestApp,
    pub emulator: Emulator,
    pub cloud: Cloud,
    pub pool: PgPool,
}

/// Where a test's own Cloud Control calls go: us-east-1 in the emulator's default account.
pub fn own_place() -> Place<'static> {
    Place {
        region: "us-east-1",
        account: Account::default(),
        namespace: "tests",
        background: false,
        prepaid: false,
    }
}

/// The condition of `kind` (Ready, Synced, Drifted) in a status.
pub fn condition(status: &Value, kind: &str) -> Value {
    let conditions = status["conditions"].as_array().expect("conditions");
    conditions
        .iter()
        .find(|c| c["type"] == kind)
        .cloned()
        .unwrap_or(Value::Null)
}

/// Worker settings for tests: no waiting between polls or retries, no jitter.
pub fn fast() -> WorkerSettings {
    WorkerSettings {
        first_poll: Duration::ZERO,
        retry_base: Duration::ZERO,
        jitter: false,
        lease: Duration::from_secs(30),
        absence_confirm: Duration::ZERO,
        ..WorkerSettings::default()
    }
}

impl Harness {
    pub async fn start(pool: PgPool) -> Harness {
        Self::start_with(pool, EmulatorArgs::default()).await
    }

    pub async fn start_with(pool: PgPool, mut args: EmulatorArgs) -> Harness {
        // `TEST_LOG=ccplane=debug cargo test …` shows what the reconciler does.
        if let Ok(filter) = std::env::var("TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
        args.user_pools.push(POOL_ID.to_owned());
        args.seed.get_or_insert(7);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let emulator = Emulator::start(listener, args).await.unwrap();
        let cloud = Cloud::new(
            Target::Endpoint(emulator.endpoint_url()),
            Budgets::new(pool.clone(), Ceilings::default()),
        )
        .await
        // A role whose trust is fixed mid-test is asked about again soon.
        .with_assume_role_backoff(Duration::from_millis(200));
        let app = TestApp::spawn_with_cloud(pool.clone(), cloud.clone()).await;
        Harness {
            app,
            emulator,
            cloud,
            pool,
        }
    }

    pub fn worker(&self) -> Worker {
        self.worker_with(fast())
    }

    pub fn worker_with(&self, settings: WorkerSettings) -> Worker {
        let notifier = Notifier::spawn(self.pool.clone());
        Worker::new(self.pool.clone(), self.cloud.clone(), settings, notifier)
    }

    /// Steps `worker` until nothing is due, and returns how many steps ran. A step put back
    /// because AWS's budget is spent is waited for: it is due work, not rest.
    pub async fn converge(&self, worker: &Worker) -> usize {
        for steps in 0..5_000 {
            match worker.run_once().await {
                Ok(Outcome::Idle) => return steps,
                Ok(Outcome::Stepped) => {}
                Ok(Outcome::Snoozed(wait)) => {
                    tokio::time::sleep(wait.min(Duration::from_secs(1))).await
                }
                Err(err) => panic!("step failed: {err}"),
            }
        }
        panic!("the worker never went idle");
    }

    /// Steps `worker` until no operation is in flight, waiting out the polls that a `RetryAfter`
    /// put a little in the future (`converge` stops at the first moment nothing is due).
    pub async fn converge_to_rest(&self, worker: &Worker) {
        for _ in 0..500 {
            self.converge(worker).await;
            let in_flight: i64 = sqlx::query_scalar(
                "select count(*) from resources where current_operation_id is not null",
            )
            .fetch_one(&self.pool)
            .await
            .unwrap();
            if in_flight == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("an operation stayed in flight for 10 s");
    }

    /// Steps until idle, tolerating crashes on purpose (returns the crash count).
    pub async fn run_until_crash_or_idle(&self, worker: &Worker) -> Option<StepError> {
        for _ in 0..5_000 {
            match worker.run_once().await {
                Ok(Outcome::Idle) => return None,
                Ok(Outcome::Stepped) => {}
                Ok(Outcome::Snoozed(wait)) => {
                    tokio::time::sleep(wait.min(Duration::from_secs(1))).await
                }
                Err(err) => return Some(err),
            }
        }
        panic!("the worker never went idle");
    }

    /// Expires every lease, as if the workers holding them had died long ago.
    pub async fn expire_leases(&self) {
        sqlx::query("update resources set next_attempt_at = now(), lease_expires_at = now() where lease_owner is not null")
            .execute(&self.pool)
            .await
            .unwrap();
    }

    /// Makes every resource due now (drift checks included).
    pub async fn make_due(&self) {
        sqlx::query("update resources set next_attempt_at = now(), last_drift_check_at = null")
            .execute(&self.pool)
            .await
            .unwrap();
    }

    pub async fn status(&self, ns: &str, name: &str) -> Value {
        let reply = self.app.get_resource(ns, name).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.body["status"].clone()
    }

    /// Plans every resource's stored document and checks that the plan says what the reconciler,
    /// at rest, decided: `none` for a client it keeps in sync, `reject` for a replacement it
    /// refused, `create` for a client it has yet to make (both read `model::decision`). Returns
    /// how many resources it checked.
    pub async fn plans_agree_with_the_reconciler(&self) -> usize {
        let names: Vec<(String, String)> =
            sqlx::query_as("select namespace, name from resources order by namespace, name")
                .fetch_all(&self.pool)
                .await
                .unwrap();
        let mut checked = 0;
        for (ns, name) in names {
            let reply = self.app.get_resource(&ns, &name).await;
            let Some(expected) = reconciler_decision(&reply.body) else {
                continue;
            };
            let mut document = reply.body.clone();
            for field in ["namespace", "name", "metadata", "status", "warnings"] {
                document.as_object_mut().unwrap().remove(field);
            }
            let plan = self.app.action(&ns, &name, "plan", Some(&document)).await;
            assert_eq!(plan.status, 200, "{ns}/{name}: {}", plan.body);
            assert_eq!(
                plan.body["action"], expected,
                "{ns}/{name}: the plan disagrees with the reconciler: {} against {}",
                plan.body, reply.body["status"]
            );
            checked += 1;
        }
        checked
    }

    /// PUTs `doc` as team-a/web.
    pub async fn put_web(&self, doc: &Value) {
        let reply = self.app.put("team-a", "web", doc).await;
        assert!(reply.status.is_success(), "{}", reply.body);
    }

    /// PUTs `doc` as team-a/web, converges it, and returns its ClientId once it is Ready.
    pub async fn ready_client(&self, doc: &Value) -> String {
        self.put_web(doc).await;
        self.converge(&self.worker()).await;
        let status = self.status("team-a", "web").await;
        assert_eq!(status["phase"], "Ready", "{status}");
        status["clientId"].as_str().expect("a client id").to_owned()
    }

    /// Deletes a client behind ccplane's back, as the Cognito console would.
    pub fn delete_out_of_band(&self, client_id: &str) {
        let control = self.emulator.control();
        control
            .delete_client(DEFAULT_ACCOUNT, POOL_ID, client_id)
            .unwrap();
    }

    /// Changes a client behind ccplane's back (a JSON Merge Patch).
    pub fn change_out_of_band(&self, client_id: &str, change: Value) {
        let control = self.emulator.control();
        control
            .change_client(DEFAULT_ACCOUNT, POOL_ID, client_id, &change)
            .unwrap();
    }

    /// The client as the emulator holds it (secret included).
    pub fn aws_client(&self, client_id: &str) -> Option<Value> {
        self.emulator
            .control()
            .client(DEFAULT_ACCOUNT, POOL_ID, client_id)
    }

    /// How many clients the emulator holds in the example pool.
    pub fn aws_clients(&self) -> usize {
        self.emulator
            .control()
            .stats()
            .pools
            .iter()
            .filter(|p| p.user_pool_id == POOL_ID)
            .map(|p| p.clients)
            .sum()
    }

    /// How many clients the emulator holds in `pool` of `account`.
    pub fn aws_clients_in(&self, account: &str, pool: &str) -> usize {
        let stats = self.emulator.control().stats();
        stats
            .pools
            .iter()
            .filter(|p| p.account == account && p.user_pool_id == pool)
            .map(|p| p.clients)
            .sum()
    }

    /// How many calls of `operation` the emulator answered, whatever the outcome.
    pub fn calls(&self, operation: &str) -> u64 {
        let stats = self.emulator.control().stats().calls;
        stats
            .calls
            .iter()
            .filter(|c| c.operation == operation)
            .map(|c| c.count)
            .sum()
    }

    pub fn concurrent_operation_exceptions(&self) -> u64 {
        self.emulator
            .control()
            .stats()
            .calls
            .concurrent_operation_exceptions
    }
}

/// What the reconciler decided for a resource at rest, in the plan's words; `None` when it is not
/// at rest on a decision the plan can name (an operation in flight, a deletion, another failure).
fn reconciler_decision(resource: &Value) -> Option<&'static str> {
    let status = &resource["status"];
    let generation = &resource["metadata"]["generation"];
    if resource["metadata"].get("deletionRequestedAt").is_some()
        || status.get("currentOperation").is_some_and(|o| !o.is_null())
    {
        return None;
    }
    let synced = condition(status, "Synced");
    if synced["reason"] == "Cancelled" || status.get("previousIdentifier").is_some() {
        return None;
    }
    let current = &status["observedGeneration"] == generation;
    match status["phase"].as_str() {
        Some("Ready") if current && synced["status"] == "True" => Some("none"),
        // Under Observe a difference is reported, never sent.
        Some("Ready") if current && synced["reason"] == "Observing" => Some("none"),
        Some("Failed") if status["lastError"]["code"] == "ReplacementRejected" => Some("reject"),
        Some("Pending") if status.get("identifier").is_none_or(Value::is_null) => Some("create"),
        _ => None,
    }
}
