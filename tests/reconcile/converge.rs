//! Create, update, delete, retain, adopt, vanish and drift against the emulator.

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common::{basic, fixture};
use crate::harness::{Harness, POOL_ID, condition};

const FIXTURES: [&str; 4] = [
    "seed-basic",
    "seed-advanced",
    "seed-custom-auth",
    "seed-analytics",
];

fn client_id(status: &Value) -> String {
    status["clientId"].as_str().expect("a client id").to_owned()
}

#[sqlx::test]
async fn the_four_fixtures_converge_to_one_client_each(pool: PgPool) {
    let h = Harness::start(pool).await;
    for name in FIXTURES {
        h.app
            .put("team-a", name, &json!({"properties": fixture(name)}))
            .await;
    }
    h.converge(&h.worker()).await;
    for name in FIXTURES {
        let status = h.status("team-a", name).await;
        assert_eq!(status["phase"], "Ready", "{name}: {status}");
        assert_eq!(status["observedGeneration"], 1);
        assert!(status["observedProperties"].get("ClientSecret").is_none());
        let live = h
            .aws_client(&client_id(&status))
            .expect("the client exists in AWS");
        for (key, value) in fixture(name).as_object().unwrap() {
            assert_eq!(&live[key], value, "{name}.{key}");
        }
    }
    assert_eq!(h.aws_clients(), 4);
    assert_eq!(h.concurrent_operation_exceptions(), 0);
}

#[sqlx::test]
async fn the_timeline_records_submission_and_settlement(pool: PgPool) {
    let h = Harness::start(pool).await;
    h.put_web(&basic()).await;
    h.converge(&h.worker()).await;
    let kinds: Vec<String> = h
        .app
        .events("team-a", "web")
        .await
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    for expected in [
        "SpecCreated",
        "OperationSubmitted",
        "PhaseChanged",
        "OperationSucceeded",
    ] {
        assert!(
            kinds.contains(&expected.to_owned()),
            "{expected} missing from {kinds:?}"
        );
    }
}

#[sqlx::test]
async fn update_in_place_keeps_the_client_id(pool: PgPool) {
    let h = Harness::start(pool).await;
    let before = h
        .ready_client(&json!({"properties": fixture("seed-advanced")}))
        .await;
    let worker = h.worker();
    let patch = json!({"properties": {"ClientName": "renamed", "WriteAttributes": null, "ReadAttributes": ["phone_number", "email", "address"]}});
    assert_eq!(h.app.patch("team-a", "web", &patch).await.status, 200);
    h.converge(&worker).await;
    let status = h.status("team-a", "web").await;
    assert_eq!(status["phase"], "Ready");
    assert_eq!(status["observedGeneration"], 2);
    assert_eq!(client_id(&status), before);
    let live = h.aws_client(&before).unwrap();
    assert_eq!(live["ClientName"], "renamed");
    assert!(
        live.get("WriteAttributes").is_none_or(Value::is_null),
        "{live}"
    );
    assert_eq!(h.aws_clients(), 1);
}

#[sqlx::test]
async fn an_unchanged_reordered_set_sends_no_update(pool: PgPool) {
    let h = Harness::start(pool).await;
    h.put_web(&basic()).await;
    let worker = h.worker();
    h.converge(&worker).await;
    let mut props = fixture("seed-basic");
    props["AllowedOAuthScopes"] = json!(["email", "openid"]);
    h.app
        .put("team-a", "web", &json!({"properties": props}))
        .await;
    h.converge(&worker).await;
    let updates = h
        .emulator
        .control()
        .stats()
        .calls
        .calls
        .iter()
        .filter(|c| c.operation == "UpdateResource")
        .count();
    assert_eq!(updates, 0);
    assert_eq!(h.status("team-a", "web").await["observedGeneration"], 2);
}

#[sqlx::test]
async fn delete_removes_the_client_and_then_the_resource(pool: PgPool) {
    let h = Harness::start(pool).await;
    let id = h.ready_client(&basic()).await;
    let worker = h.worker();
    assert_eq!(h.app.delete("team-a", "web").await.status, 202);
    h.converge(&worker).await;
    h.app.get_resource("team-a", "web").await.problem(404);
    assert!(h.aws_client(&id).is_none());
    let events = h.app.events("team-a", "web").await;
    assert_eq!(events.last().unwrap()["kind"], "Deleted");
}

#[sqlx::test]
async fn deleting_a_client_already_gone_from_aws_completes(pool: PgPool) {
    let h = Harness::start(pool).await;
    let id = h.ready_client(&basic()).await;
    let worker = h.worker();
    h.delete_out_of_band(&id);
    h.app.delete("team-a", "web").await;
    h.converge(&worker).await;
    h.app.get_resource("team-a", "web").await.problem(404);
}

#[sqlx::test]
async fn retain_forgets_the_resource_and_leaves_the_client(pool: PgPool) {
    let h = Harness::start(pool).await;
    let doc = json!({"deletionPolicy": "Retain", "properties": fixture("seed-basic")});
    let id = h.ready_client(&doc).await;
    let worker = h.worker();
    h.app.delete("team-a", "web").await;
    h.converge(&worker).await;
    h.app.get_resource("team-a", "web").await.problem(404);
    assert!(h.aws_client(&id).is_some());
}

#[sqlx::test]
async fn a_client_deleted_out_of_band_is_recreated(pool: PgPool) {
    let h = Harness::start(pool).await;
    let old = h.ready_client(&basic()).await;
    let worker = h.worker();
    h.delete_out_of_band(&old);
    h.make_due().await;
    h.converge(&worker).await;
    let status = h.status("team-a", "web").await;
    assert_eq!(status["phase"], "Ready");
    assert_ne!(client_id(&status), old);
    assert_eq!(h.aws_clients(), 1);
    let kinds = h.app.event_kinds("team-a", "web").await;
    assert!(kinds.contains(&json!("Vanished")));
}

#[sqlx::test]
async fn adopt_takes_over_an_existing_client_and_converges_it(pool: PgPool) {
    let h = Harness::start(pool).await;
    h.app
        .put(
            "team-a",
            "first",
            &json!({"deletionPolicy": "Retain", "properties": fixture("seed-basic")}),
        )
        .await;
    let worker = h.worker();
    h.converge(&worker).await;
    let identifier = h.status("team-a", "first").await["identifier"]
        .as_str()
        .unwrap()
        .to_owned();
    h.app.delete("team-a", "first").await;
    h.converge(&worker).await;

    let mut props = fixture("seed-basic");
    props["ClientName"] = json!("adopted");
    h.app
        .put(
            "team-a",
            "second",
            &json!({"adopt": {"identifier": identifier}, "properties": props}),
        )
        .await;
    h.converge(&worker).await;
    let status = h.status("team-a", "second").await;
    assert_eq!(status["phase"], "Ready", "{status}");
    assert_eq!(status["identifier"], identifier);
    assert_eq!(
        h.aws_client(&client_id(&status)).unwrap()["ClientName"],
        "adopted"
    );
    assert_eq!(h.aws_clients(), 1);
}

#[sqlx::test]
async fn adopting_an_unknown_client_fails_with_a_clear_error(pool: PgPool) {
    let h = Harness::start(pool).await;
    let doc = json!({"adopt": {"identifier": format!("{POOL_ID}|nosuchclient")}, "properties": fixture("seed-basic")});
    h.put_web(&doc).await;
    h.converge(&h.worker()).await;
    let status = h.status("team-a", "web").await;
    assert_eq!(status["phase"], "Failed");
    assert!(
        status["lastError"]["message"]
            .as_str()
            .unwrap()
            .contains("does not exist"),
        "{status}"
    );
    assert_eq!(status["lastError"]["retryable"], false);
}

#[sqlx::test]
async fn a_client_of_an_unknown_pool_fails_terminally(pool: PgPool) {
    let h = Harness::start(pool).await;
    h.put_web(&json!({"properties": {"UserPoolId": "us-east-1_NoSuchPool"}}))
        .await;
    let steps = h.converge(&h.worker()).await;
    let status = h.status("team-a", "web").await;
    assert_eq!(status["phase"], "Failed", "{status}");
    assert_eq!(status["lastError"]["code"], "NotFound");
    assert!(steps < 10, "no hot loop: {steps} steps");
}

#[sqlx::test]
async fn drift_is_reported_with_the_fields_that_differ(pool: PgPool) {
    let h = Harness::start(pool).await;
    let id = h.ready_client(&basic()).await;
    let worker = h.worker();
    h.change_out_of_band(&id, json!({"ClientName": "hacked"}));
    h.make_due().await;
    h.converge(&worker).await;
    let status = h.status("team-a", "web").await;
    let drifted = condition(&status, "Drifted");
    assert_eq!(drifted["status"], "True");
    assert_eq!(status["drift"][0]["pointer"], "/ClientName");
    assert_eq!(
        h.aws_client(&id).unwrap()["ClientName"],
        "hacked",
        "Report does not touch AWS"
    );
}

#[sqlx::test]
async fn drift_is_patched_back_under_remediate(pool: PgPool) {
    let h = Harness::start(pool).await;
    let doc = json!({"driftPolicy": "Remediate", "properties": fixture("seed-basic")});
    let id = h.ready_client(&doc).await;
    let worker = h.worker();
    h.change_out_of_band(&id, json!({"ClientName": "hacked"}));
    h.make_due().await;
    h.converge(&worker).await;
    assert_eq!(h.aws_client(&id).unwrap()["ClientName"], "exampleAppClient");
    let status = h.status("team-a", "web").await;
    let drifted = condition(&status, "Drifted");
    assert_eq!(drifted["status"], "False", "{status}");
}

#[sqlx::test]
async fn paused_resources_are_not_touched(pool: PgPool) {
    let h = Harness::start(pool).await;
    h.put_web(&json!({"paused": true, "properties": fixture("seed-basic")}))
        .await;
    let worker = h.worker();
    assert_eq!(h.converge(&worker).await, 0);
    assert_eq!(h.aws_clients(), 0);
    h.app
        .patch("team-a", "web", &json!({"paused": false}))
        .await;
    h.converge(&worker).await;
    assert_eq!(h.aws_clients(), 1);
}
