//! Platform scale: the order in which work is claimed (fair between namespaces, intent before
//! background) and AWS's budget shared by every worker through Postgres.

use std::time::Duration;

use ccplane::cloud::budget::Target as BudgetTarget;
use ccplane::cloud::{Account, Budgets, Call, Ceilings};
use ccplane::store::{budgets, namespaces, work};
use reqwest::Method;
use serde_json::json;
use sqlx::PgPool;

use crate::common::doc;
use crate::harness::{Harness, POOL_ID};

/// Claims `n` resources one after another (without stepping them) and names their namespaces.
async fn claim_order(pool: &PgPool, n: usize) -> Vec<String> {
    let mut order = Vec::new();
    for _ in 0..n {
        let Some(id) = work::claim(pool, "order-probe", 30.0).await.unwrap() else {
            break;
        };
        let ns: String = sqlx::query_scalar("select namespace from resources where id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
            .unwrap();
        order.push(ns);
    }
    order
}

async fn put_many(h: &Harness, ns: &str, n: usize) {
    for i in 0..n {
        let reply = h
            .app
            .put(ns, &format!("c{i}"), &doc(&format!("{ns}-{i}")))
            .await;
        assert_eq!(reply.status, 201, "{}", reply.body);
    }
}

async fn set_weight(pool: &PgPool, ns: &str, weight: f64) {
    let settings = namespaces::Settings {
        allowed_regions: &[],
        role_arn: None,
        assume_role_arn: None,
        external_id: None,
        scheduling_weight: weight,
    };
    namespaces::upsert(pool, ns, settings).await.unwrap();
}

#[sqlx::test]
async fn a_small_namespaces_first_step_waits_for_one_step_of_a_busy_one_not_its_backlog(
    pool: PgPool,
) {
    let h = Harness::start(pool.clone()).await;
    put_many(&h, "bulk", 40).await;
    put_many(&h, "small", 1).await;
    let order = claim_order(&pool, 41).await;
    let first_small = order.iter().position(|ns| ns == "small").unwrap();
    assert!(
        first_small <= 1,
        "small waited for {first_small} steps: {order:?}"
    );
}

#[sqlx::test]
async fn busy_namespaces_take_turns_in_proportion_to_their_weights(pool: PgPool) {
    let h = Harness::start(pool.clone()).await;
    set_weight(&pool, "heavy", 2.0).await;
    put_many(&h, "heavy", 30).await;
    put_many(&h, "light", 30).await;
    let order = claim_order(&pool, 30).await;
    let heavy = order.iter().filter(|ns| *ns == "heavy").count();
    assert!(
        (19..=21).contains(&heavy),
        "heavy got {heavy} of 30: {order:?}"
    );
}

#[sqlx::test]
async fn a_namespace_back_from_a_quiet_spell_has_banked_no_turns(pool: PgPool) {
    let h = Harness::start(pool.clone()).await;
    put_many(&h, "steady", 1).await;
    h.converge(&h.worker()).await;
    // `steady` was served once long ago; `import` has been busy since and is far ahead.
    put_many(&h, "import", 30).await;
    claim_order(&pool, 20).await;
    let reply = h.app.put("steady", "c1", &doc("steady-1")).await;
    assert_eq!(reply.status, 201);
    // Its first step goes next, and from then on it alternates with `import`.
    let order = claim_order(&pool, 3).await;
    assert_eq!(order[0], "steady", "{order:?}");
    assert_eq!(order[1], "import", "{order:?}");
}

#[sqlx::test]
async fn user_intent_is_claimed_before_overdue_drift_checks(pool: PgPool) {
    let h = Harness::start(pool.clone()).await;
    put_many(&h, "fleet", 10).await;
    h.converge(&h.worker()).await;
    // Every client of the fleet is due for a drift check, and has been for longer.
    h.make_due().await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    put_many(&h, "user", 1).await;
    let order = claim_order(&pool, 2).await;
    assert_eq!(order[0], "user", "{order:?}");
}

fn target<'a>(account: &'a Account, pool: &'a str) -> BudgetTarget<'a> {
    BudgetTarget {
        account,
        region: "us-east-1",
        pool: Some(pool),
        background: false,
        namespace: "tests",
    }
}

#[sqlx::test]
async fn every_worker_spends_the_same_budget(pool: PgPool) {
    let ceilings = Ceilings {
        pool_operation: 2.0,
        ..Ceilings::default()
    };
    // Two workers (two processes' handles) on one database.
    let (a, b) = (
        Budgets::new(pool.clone(), ceilings),
        Budgets::new(pool.clone(), ceilings),
    );
    let own = Account::default();
    let spend = a.spend(Call::Create, target(&own, POOL_ID));
    // A full bucket holds half a second of the pool's 2/s: one call, then the next waits.
    a.take(&spend).await.unwrap();
    assert!(b.wait_for(&spend).await.unwrap() > Duration::from_millis(100));
    let other_pool = b.spend(Call::Create, target(&own, "us-east-1_other"));
    assert_eq!(b.wait_for(&other_pool).await.unwrap(), Duration::ZERO);
}

#[sqlx::test]
async fn a_throttle_slows_only_the_account_and_pool_it_came_from(pool: PgPool) {
    let budgets = Budgets::new(pool.clone(), Ceilings::default());
    let own = Account::default();
    let other = Account {
        assume_role_arn: Some("arn:aws:iam::111122223333:role/ccplane".into()),
        external_id: None,
    };
    let here = budgets.spend(Call::Create, target(&own, POOL_ID));
    let there = budgets.spend(Call::Create, target(&other, POOL_ID));
    budgets.take(&here).await.unwrap();
    budgets.take(&there).await.unwrap();
    // Cognito throttled this pool's creates (the request settled FAILED with Throttling).
    budgets.throttled(&here, true).await;
    let rates: Vec<(String, f64, f64)> = budgets::list(&pool, "")
        .await
        .unwrap()
        .into_iter()
        .map(|b| (b.key, b.rate, b.ceiling))
        .collect();
    let cut: Vec<_> = rates
        .iter()
        .filter(|(_, rate, ceiling)| rate < ceiling)
        .collect();
    assert_eq!(cut.len(), 1, "{rates:?}");
    assert_eq!(
        cut[0].0,
        format!("default/us-east-1/pool/{POOL_ID}/CreateUserPoolClient")
    );
}

#[sqlx::test]
async fn a_namespaces_settings_show_its_drift_coverage(pool: PgPool) {
    let h = Harness::start(pool.clone()).await;
    set_weight(&pool, "fleet", 1.0).await;
    put_many(&h, "fleet", 3).await;
    h.converge(&h.worker()).await;
    let reply = h.app.get("/v1/namespaces/fleet").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let coverage = &reply.body["driftCoverage"];
    assert_eq!(coverage["readyClients"], 3, "{coverage}");
    assert_eq!(coverage["checkedWithinInterval"], 3, "{coverage}");
    assert!(coverage["effectiveIntervalSeconds"].as_f64().is_some());
}

#[sqlx::test]
async fn namespace_settings_refuse_an_external_id_without_a_role_and_a_weight_out_of_range(
    pool: PgPool,
) {
    let h = Harness::start(pool).await;
    let body = json!({"externalId": "tenant-7", "schedulingWeight": 0});
    let reply = h
        .app
        .send(
            h.app
                .request(Method::PUT, "/v1/namespaces/team-a")
                .json(&body),
        )
        .await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert_eq!(reply.pointers(), ["/externalId", "/schedulingWeight"]);
    assert_eq!(
        h.app.get("/v1/namespaces/team-a").await.status,
        404,
        "nothing was stored"
    );
}

#[sqlx::test]
async fn clients_in_one_pool_beyond_its_rate_wait_for_the_budget_instead_of_being_throttled(
    pool: PgPool,
) {
    let h = Harness::start(pool.clone()).await;
    put_many(&h, "bulk", 8).await;
    h.converge(&h.worker()).await;
    for i in 0..8 {
        let status = h.status("bulk", &format!("c{i}")).await;
        assert_eq!(status["phase"], "Ready", "{status}");
    }
    // Eight creates in one pool at AWS's 5/s: ccplane paced them, so none was sent twice.
    assert_eq!(h.calls("CreateResource"), 8);
    assert_eq!(h.aws_clients(), 8);
}

/// Both readings of a read Cognito throttles (`ThrottlingException`, or `GeneralServiceException`
/// carrying Cognito's `TooManyRequestsException`) are a throttle to wait out, never a failure.
#[sqlx::test]
async fn reads_cognito_throttles_are_waited_out_under_either_reading(pool: PgPool) {
    for answer in [
        ccplane_emulator::ReadThrottleAnswer::Throttling,
        ccplane_emulator::ReadThrottleAnswer::GeneralService,
    ] {
        let db = pool.clone();
        sqlx::query("truncate resources, events, operations, budgets, namespace_turns")
            .execute(&db)
            .await
            .unwrap();
        let mut args = ccplane_emulator::EmulatorArgs::default();
        // Slower than ccplane believes: its reads are throttled until its budget learns the rate.
        args.quotas.cognito_pool_operation_rps = 1.0;
        args.fault_modes.read_throttle_answer = answer;
        let h = Harness::start_with(db, args).await;
        put_many(&h, "bulk", 4).await;
        // Throttled creates are retried after a backoff: step until all four are Ready.
        let mut phases = Vec::new();
        for _ in 0..100 {
            h.converge_to_rest(&h.worker()).await;
            phases.clear();
            for i in 0..4 {
                phases.push(h.status("bulk", &format!("c{i}")).await["phase"].clone());
            }
            if phases.iter().all(|p| p == "Ready") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(
            phases.iter().all(|p| p == "Ready"),
            "{answer:?}: {phases:?}"
        );
        assert_eq!(h.aws_clients(), 4, "{answer:?}");
    }
}
