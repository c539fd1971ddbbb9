//! Lists: keyset pagination across namespaces and the phase, user pool and label filters.

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common::{TestApp, doc};

fn names(reply: &Value) -> Vec<String> {
    reply["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{}/{}",
                i["namespace"].as_str().unwrap(),
                i["name"].as_str().unwrap()
            )
        })
        .collect()
}

#[sqlx::test]
async fn pages_walk_every_resource_once_in_order(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    for ns in ["b-team", "a-team"] {
        for i in 0..5 {
            app.put(ns, &format!("c{i}"), &doc("x")).await;
        }
    }
    let mut seen = Vec::new();
    let mut path = "/v1/user-pool-clients?limit=3".to_owned();
    loop {
        let reply = app.get(&path).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        seen.extend(names(&reply.body));
        match reply.body["nextCursor"].as_str() {
            Some(cursor) => path = format!("/v1/user-pool-clients?limit=3&cursor={cursor}"),
            None => break,
        }
    }
    let mut expected: Vec<String> = ["a-team", "b-team"]
        .iter()
        .flat_map(|ns| (0..5).map(move |i| format!("{ns}/c{i}")))
        .collect();
    expected.sort();
    assert_eq!(seen, expected);
}

#[sqlx::test]
async fn namespace_list_shows_only_that_namespace(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.put("a-team", "one", &doc("x")).await;
    app.put("b-team", "two", &doc("x")).await;
    let reply = app.get("/v1/namespaces/b-team/user-pool-clients").await;
    assert_eq!(names(&reply.body), vec!["b-team/two"]);
    assert!(reply.body["nextCursor"].is_null());
}

#[sqlx::test]
async fn filters_by_phase_user_pool_and_labels(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let mut gold = doc("x");
    gold["labels"] = json!({"team": "payments", "tier": "gold"});
    app.put("a-team", "gold", &gold).await;
    let mut silver = doc("x");
    silver["labels"] = json!({"team": "payments", "tier": "silver"});
    app.put("a-team", "silver", &silver).await;
    let other_pool = json!({"properties": {"UserPoolId": "eu-west-1_Other"}});
    app.put("a-team", "other", &other_pool).await;
    app.delete("a-team", "other").await;

    let by_labels = app
        .get("/v1/user-pool-clients?labels=team=payments,tier=gold")
        .await;
    assert_eq!(names(&by_labels.body), vec!["a-team/gold"]);
    let by_pool = app
        .get("/v1/user-pool-clients?userPoolId=eu-west-1_Other")
        .await;
    assert_eq!(names(&by_pool.body), vec!["a-team/other"]);
    let by_phase = app
        .get("/v1/namespaces/a-team/user-pool-clients?phase=Pending")
        .await;
    assert_eq!(names(&by_phase.body), vec!["a-team/gold", "a-team/silver"]);
}

#[sqlx::test]
async fn bad_list_parameters_are_400(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    for query in [
        "limit=0",
        "limit=501",
        "limit=ten",
        "phase=Sleeping",
        "cursor=not-a-cursor",
        "labels=novalue",
        "colour=blue",
    ] {
        let reply = app.get(&format!("/v1/user-pool-clients?{query}")).await;
        reply.problem(400);
    }
}
