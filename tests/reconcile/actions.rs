//! Replacement policies, plan, dry run, refresh, cancel and the secret, end to end.

use ccplane_emulator::{DEFAULT_ACCOUNT, EmulatorArgs};
use reqwest::Method;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common::{TestApp, basic, fixture};
use crate::harness::{Harness, condition};

const OTHER_POOL: &str = "us-east-1_otherPool";

fn path(name: &str) -> String {
    TestApp::resource_path("team-a", name)
}

/// Makes team-a/web Ready with `doc` and returns its Cloud Control identifier.
async fn ready(h: &Harness, doc: &Value) -> String {
    h.ready_client(doc).await;
    let status = h.status("team-a", "web").await;
    status["identifier"].as_str().unwrap().to_owned()
}

#[sqlx::test]
async fn changing_a_create_only_property_under_reject_is_422(pool: PgPool) {
    let h = Harness::start(pool).await;
    h.ready_client(&basic()).await;
    let mut props = fixture("seed-basic");
    props["GenerateSecret"] = json!(false);
    let reply = h
        .app
        .put("team-a", "web", &json!({"properties": props}))
        .await;
    assert_eq!(
        reply.problem(422)["type"],
        "https://ccplane.dev/problems/replacement-rejected"
    );
    assert_eq!(reply.pointers(), vec!["/properties/GenerateSecret"]);
}

#[sqlx::test]
async fn create_before_delete_swaps_to_a_new_client(pool: PgPool) {
    let h = Harness::start(pool).await;
    h.emulator
        .control()
        .create_pool(DEFAULT_ACCOUNT, OTHER_POOL)
        .unwrap();
    let old = ready(
        &h,
        &json!({"replacementPolicy": "CreateBeforeDelete", "properties": fixture("seed-basic")}),
    )
    .await;
    let mut props = fixture("seed-basic");
    props["UserPoolId"] = json!(OTHER_POOL);
    let reply = h
        .app
        .put(
            "team-a",
            "web",
            &json!({"replacementPolicy": "CreateBeforeDelete", "properties": props}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    h.converge(&h.worker()).await;
    let status = h.status("team-a", "web").await;
    assert_eq!(status["phase"], "Ready", "{status}");
    assert!(
        status["identifier"]
            .as_str()
            .unwrap()
            .starts_with(OTHER_POOL)
    );
    assert!(status.get("previousIdentifier").is_none());
    let old_client = old.split('|').nth(1).unwrap();
    assert!(
        h.aws_client(old_client).is_none(),
        "the old client is deleted"
    );
    let kinds = h.app.event_kinds("team-a", "web").await;
    assert!(
        kinds.contains(&json!("ReplacementStarted"))
            && kinds.contains(&json!("ReplacementFinished")),
        "{kinds:?}"
    );
}

#[sqlx::test]
async fn delete_before_create_replaces_the_client(pool: PgPool) {
    let h = Harness::start(pool).await;
    let doc = |secret: bool| {
        let mut props = fixture("seed-basic");
        props["GenerateSecret"] = json!(secret);
        json!({"replacementPolicy": "DeleteBeforeCreate", "properties": props})
    };
    let old = ready(&h, &doc(true)).await;
    h.app.put("team-a", "web", &doc(false)).await;
    h.converge(&h.worker()).await;
    let status = h.status("team-a", "web").await;
    assert_eq!(status["phase"], "Ready", "{status}");
    assert_ne!(status["identifier"].as_str().unwrap(), old);
    assert_eq!(h.aws_clients(), 1);
    assert!(
        h.aws_client(status["clientId"].as_str().unwrap())
            .unwrap()
            .get("ClientSecret")
            .is_none_or(Value::is_null)
    );
}

#[sqlx::test]
async fn plan_and_dry_run_show_the_patch_without_changing_anything(pool: PgPool) {
    let h = Harness::start(pool).await;
    let plan = h.app.action("team-a", "web", "plan", Some(&basic())).await;
    assert_eq!(plan.status, 200, "{}", plan.body);
    assert_eq!(plan.body["action"], "create");
    h.ready_client(&basic()).await;

    let mut props = fixture("seed-basic");
    props["ClientName"] = json!("renamed");
    let dry = h
        .app
        .send(
            h.app
                .request(Method::PUT, &format!("{}?dryRun=true", path("web")))
                .json(&json!({"properties": props})),
        )
        .await;
    assert_eq!(dry.status, 200, "{}", dry.body);
    assert_eq!(dry.body["action"], "update");
    assert_eq!(
        dry.body["patch"],
        json!([{"op": "replace", "path": "/ClientName", "value": "renamed"}])
    );
    assert!(
        dry.body["calls"]
            .as_array()
            .unwrap()
            .contains(&json!("UpdateResource"))
    );

    props["UserPoolId"] = json!("us-east-1_elsewhere");
    let replace = h
        .app
        .action(
            "team-a",
            "web",
            "plan",
            Some(&json!({"replacementPolicy": "DeleteBeforeCreate", "properties": props})),
        )
        .await;
    assert_eq!(replace.body["action"], "replace");
    assert_eq!(replace.body["replacementFields"], json!(["UserPoolId"]));

    let unchanged = h.app.action("team-a", "web", "plan", Some(&basic())).await;
    assert_eq!(unchanged.body["action"], "none");
    assert_eq!(h.status("team-a", "web").await["observedGeneration"], 1);
    assert_eq!(
        h.app.get_resource("team-a", "web").await.body["metadata"]["generation"],
        1
    );
}

#[sqlx::test]
async fn the_secret_is_read_live_and_never_stored(pool: PgPool) {
    let h = Harness::start(pool.clone()).await;
    h.ready_client(&basic()).await;
    let reply = h.app.get(&format!("{}/secret", path("web"))).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let secret = reply.body["clientSecret"].as_str().unwrap().to_owned();
    let client = h
        .aws_client(reply.body["clientId"].as_str().unwrap())
        .unwrap();
    assert_eq!(client["ClientSecret"], secret);
    let dump: String = sqlx::query_scalar(
        "select coalesce(string_agg(t::text, ''), '') from (
            select r::text as t from resources r
            union all select o::text from operations o
            union all select e::text from events e) rows",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(!dump.contains(&secret), "the secret reached Postgres");
    let kinds = h.app.event_kinds("team-a", "web").await;
    assert!(kinds.contains(&json!("SecretRead")));
}

#[sqlx::test]
async fn the_secret_of_a_client_not_yet_created_is_409(pool: PgPool) {
    let h = Harness::start(pool).await;
    h.put_web(&basic()).await;
    h.app
        .get(&format!("{}/secret", path("web")))
        .await
        .problem(409);
}

#[sqlx::test]
async fn refresh_checks_for_drift_now(pool: PgPool) {
    let h = Harness::start(pool).await;
    let client_id = h.ready_client(&basic()).await;
    h.change_out_of_band(
        &client_id,
        json!({"LogoutURLs": ["https://evil.example.com"]}),
    );
    let reply = h.app.action("team-a", "web", "refresh", None).await;
    assert_eq!(reply.status, 202);
    h.converge(&h.worker()).await;
    let status = h.status("team-a", "web").await;
    assert_eq!(status["drift"][0]["pointer"], "/LogoutURLs", "{status}");
}

#[sqlx::test]
async fn cancel_stops_the_operation_in_flight(pool: PgPool) {
    let args = EmulatorArgs {
        latency: "60s".parse().unwrap(),
        ..EmulatorArgs::default()
    };
    let h = Harness::start_with(pool, args).await;
    h.put_web(&basic()).await;
    h.converge(&h.worker()).await;
    assert_eq!(h.status("team-a", "web").await["phase"], "Provisioning");
    let reply = h.app.action("team-a", "web", "cancel", None).await;
    assert_eq!(reply.status, 202);
    h.converge(&h.worker()).await;
    let status = h.status("team-a", "web").await;
    assert!(status["currentOperation"].is_null(), "{status}");
    let synced = condition(&status, "Synced");
    assert_eq!(synced["reason"], "Cancelled");
    assert_eq!(h.aws_clients(), 0);
    h.app
        .action("team-a", "web", "cancel", None)
        .await
        .problem(409);
}
