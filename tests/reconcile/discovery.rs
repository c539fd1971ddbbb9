//! Discovery of a pool's clients, bulk adoption, and `managementPolicy: Observe`, against the
//! emulator through the real SDK.

use reqwest::Method;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common::Reply;
use crate::harness::{Harness, POOL_ID, condition};
use ccplane::reconcile::{Outcome, Worker};
use ccplane_emulator::DEFAULT_ACCOUNT;

/// The calls that change a client.
const MUTATIONS: [&str; 3] = ["CreateResource", "UpdateResource", "DeleteResource"];

impl Harness {
    /// Makes a client behind ccplane's back, as a console or another tool would.
    fn create_out_of_band(&self, properties: Value) -> String {
        let mut desired = json!({"UserPoolId": POOL_ID});
        desired
            .as_object_mut()
            .unwrap()
            .extend(properties.as_object().unwrap().clone());
        self.emulator
            .control()
            .create_client(DEFAULT_ACCOUNT, POOL_ID, &desired)
            .unwrap()
    }

    fn mutations(&self) -> u64 {
        MUTATIONS.iter().map(|op| self.calls(op)).sum()
    }

    /// Starts a discovery of the example pool in `ns`; returns its path.
    async fn start_discovery(&self, ns: &str) -> String {
        let path = format!("/v1/namespaces/{ns}/discoveries");
        let body = json!({"userPoolId": POOL_ID, "region": "us-east-1"});
        let reply = self
            .app
            .send(self.app.request(Method::POST, &path).json(&body))
            .await;
        assert_eq!(reply.status, 202, "{}", reply.body);
        assert_eq!(reply.body["phase"], "Listing");
        let location = reply.header("location").expect("a Location").to_owned();
        assert_eq!(
            location,
            format!("{path}/{}", reply.body["id"].as_str().unwrap())
        );
        location
    }

    /// Runs discovery steps until none is due.
    async fn discover(&self, worker: &Worker) -> usize {
        for steps in 0..1_000 {
            match worker.discover_once().await {
                Ok(Outcome::Idle) => return steps,
                Ok(_) => {}
                Err(err) => panic!("discovery step failed: {err}"),
            }
        }
        panic!("the discovery never went idle");
    }

    async fn adopt(&self, discovery: &str, body: Value) -> Reply {
        let path = format!("{discovery}/adopt");
        self.app
            .send(self.app.request(Method::POST, &path).json(&body))
            .await
    }

    async fn resources(&self) -> i64 {
        sqlx::query_scalar("select count(*) from resources")
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}

fn client<'a>(discovery: &'a Value, client_id: &str) -> &'a Value {
    discovery["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clientId"] == client_id)
        .unwrap_or_else(|| panic!("{client_id} listed in {discovery}"))
}

#[sqlx::test]
async fn discovery_lists_every_page_and_reads_each_client_ccplane_does_not_manage(pool: PgPool) {
    let h = Harness::start(pool).await;
    let managed = h.ready_client(&crate::common::doc("managed")).await;
    let mut made = Vec::new();
    for i in 0..39 {
        made.push(h.create_out_of_band(json!({"ClientName": format!("App {i}")})));
    }
    made.push(h.create_out_of_band(json!({"ClientName": "AWSElasticsearch-logs-us-east-1-abc"})));
    made.push(h.create_out_of_band(json!({"ClientName": "AmazonOpenSearchService-x-us-east-1"})));
    let (lists, gets) = (h.calls("ListResources"), h.calls("GetResource"));
    let discovery = h.start_discovery("team-a").await;
    h.discover(&h.worker()).await;

    // 42 clients, 20 to a page as the handler pages them: three pages, every one followed.
    assert_eq!(h.calls("ListResources") - lists, 3);
    assert_eq!(
        h.calls("GetResource") - gets,
        41,
        "each unmanaged client read once"
    );
    let reply = h.app.get(&discovery).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let d = &reply.body;
    assert_eq!(d["phase"], "Complete", "{d}");
    assert_eq!(
        d["progress"],
        json!({"listed": 42, "read": 41, "alreadyManaged": 1, "ownedByAnotherService": 2,
               "failed": 0, "adopted": 0})
    );
    assert_eq!(d["pages"], 3);
    let mine = client(d, &managed);
    assert_eq!(mine["state"], "Managed");
    assert_eq!(mine["managedBy"], "team-a/web");
    assert!(mine.get("document").is_none());
    let es = client(d, &made[39]);
    assert_eq!(es["ownedByService"], "Amazon OpenSearch Service");
    assert_eq!(es["state"], "Read");
    let mut names = std::collections::HashSet::new();
    for id in &made[..39] {
        let c = client(d, id);
        assert_eq!(c["state"], "Read");
        let identifier = format!("{POOL_ID}|{id}");
        assert_eq!(c["identifier"], identifier);
        assert_eq!(c["document"]["adopt"]["identifier"], identifier);
        assert_eq!(c["document"]["managementPolicy"], "Observe");
        let name = c["name"].as_str().unwrap();
        assert!(name.starts_with("app-"), "{name}");
        assert!(names.insert(name.to_owned()), "{name} proposed twice");
    }
    // Progress is on the namespace's timeline and its live stream.
    let events = h.app.get("/v1/namespaces/team-a/events?limit=500").await;
    let kinds: Vec<&str> = events.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["name"].as_str().unwrap().starts_with("discoveries/"))
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"DiscoveryStarted"));
    assert_eq!(kinds.last(), Some(&"DiscoveryFinished"));
    assert!(kinds.contains(&"DiscoveryProgressed"));
}

#[sqlx::test]
async fn the_proposed_document_leaves_out_read_only_fields_the_secret_and_cognitos_defaults(
    pool: PgPool,
) {
    let h = Harness::start(pool).await;
    let id = h.create_out_of_band(json!({
        "ClientName": "Billing portal",
        "GenerateSecret": true,
        "CallbackURLs": ["https://billing.example.com/cb"],
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid"],
        "AllowedOAuthFlowsUserPoolClient": true,
        "SupportedIdentityProviders": ["COGNITO"],
        "AuthSessionValidity": 10,
    }));
    let discovery = h.start_discovery("team-a").await;
    h.discover(&h.worker()).await;
    let d = h.app.get(&discovery).await.body;
    let c = client(&d, &id);
    assert_eq!(c["name"], "billing-portal");
    assert_eq!(
        c["document"]["properties"],
        json!({
            "UserPoolId": POOL_ID,
            "ClientName": "Billing portal",
            "GenerateSecret": true,
            "CallbackURLs": ["https://billing.example.com/cb"],
            "AllowedOAuthFlows": ["code"],
            "AllowedOAuthScopes": ["openid"],
            "AllowedOAuthFlowsUserPoolClient": true,
            "SupportedIdentityProviders": ["COGNITO"],
            "AuthSessionValidity": 10,
        })
    );
    let secret = h.aws_client(&id).unwrap()["ClientSecret"].clone();
    assert!(!d.to_string().contains(secret.as_str().unwrap()));
}

#[sqlx::test]
async fn adopted_clients_become_ready_with_plan_none_without_a_mutating_call(pool: PgPool) {
    let h = Harness::start(pool).await;
    for i in 0..6 {
        h.create_out_of_band(
            json!({"ClientName": format!("svc {i}"), "GenerateSecret": i % 2 == 0,
            "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]}),
        );
    }
    let service = h.create_out_of_band(json!({"ClientName": "AmazonOpenSearchService-dash"}));
    let discovery = h.start_discovery("team-a").await;
    h.discover(&h.worker()).await;
    let before = h.mutations();
    let reply = h
        .adopt(&discovery, json!({"all": true, "labels": {"team": "a"}}))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.body["adopted"].as_array().unwrap().len(), 6);
    let skipped = reply.body["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["clientId"], service);
    h.converge(&h.worker()).await;
    assert_eq!(h.mutations(), before, "no mutating Cloud Control call");
    for adopted in reply.body["adopted"].as_array().unwrap() {
        let name = adopted["name"].as_str().unwrap();
        let r = h.app.get_resource("team-a", name).await.body;
        assert_eq!(r["status"]["phase"], "Ready", "{name}: {r}");
        assert_eq!(r["status"]["identifier"], adopted["identifier"]);
        assert_eq!(r["managementPolicy"], "Observe");
        assert_eq!(r["labels"]["team"], "a");
        assert_eq!(condition(&r["status"], "Synced")["status"], "True", "{r}");
        assert_eq!(condition(&r["status"], "Drifted")["status"], "False", "{r}");
        let kinds = h.app.event_kinds("team-a", name).await;
        assert!(kinds.contains(&json!("Adopted")), "{kinds:?}");
    }
    assert_eq!(h.plans_agree_with_the_reconciler().await, 6);
    let d = h.app.get(&discovery).await.body;
    assert_eq!(d["progress"]["adopted"], 6);
    // Managed instead of observed, they stay as they are: the documents are the clients' own.
    for adopted in reply.body["adopted"].as_array().unwrap() {
        let name = adopted["name"].as_str().unwrap();
        let patched = h
            .app
            .patch("team-a", name, &json!({"managementPolicy": "Manage"}))
            .await;
        assert_eq!(patched.status, 200, "{}", patched.body);
    }
    h.converge(&h.worker()).await;
    assert_eq!(h.mutations(), before);
    assert_eq!(h.plans_agree_with_the_reconciler().await, 6);
}

#[sqlx::test]
async fn a_service_owned_client_is_adopted_only_when_asked_for_by_id(pool: PgPool) {
    let h = Harness::start(pool).await;
    let service = h.create_out_of_band(json!({"ClientName": "AWSElasticsearch-main-abc"}));
    let discovery = h.start_discovery("team-a").await;
    h.discover(&h.worker()).await;
    let all = h.adopt(&discovery, json!({"all": true})).await;
    assert_eq!(all.status, 201, "{}", all.body);
    assert_eq!(all.body["adopted"], json!([]));
    let by_id = h.adopt(&discovery, json!({"clientIds": [service]})).await;
    assert_eq!(by_id.status, 201, "{}", by_id.body);
    assert_eq!(
        by_id.body["adopted"][0]["name"],
        "awselasticsearch-main-abc"
    );
}

#[sqlx::test]
async fn adoption_is_all_or_none_and_lists_every_refusal(pool: PgPool) {
    let h = Harness::start(pool).await;
    let clash = h.create_out_of_band(json!({"ClientName": "web"}));
    let taken_meanwhile = h.create_out_of_band(json!({"ClientName": "payments"}));
    let fine = h.create_out_of_band(json!({"ClientName": "reports"}));
    let discovery = h.start_discovery("team-a").await;
    h.discover(&h.worker()).await;
    // Meanwhile a resource takes the name `web`, and another adopts `payments`' client.
    h.put_web(&crate::common::doc("other")).await;
    let adopting = json!({"adopt": {"identifier": format!("{POOL_ID}|{taken_meanwhile}")},
        "properties": {"UserPoolId": POOL_ID, "ClientName": "payments"}});
    assert!(
        h.app
            .put("team-b", "pay", &adopting)
            .await
            .status
            .is_success()
    );
    let resources = h.resources().await;
    let reply = h
        .adopt(
            &discovery,
            json!({"clientIds": [clash, taken_meanwhile, fine, "nosuchclient"]}),
        )
        .await;
    let problem = reply.problem(422);
    assert_eq!(problem["type"], "https://ccplane.dev/problems/validation");
    assert_eq!(
        reply.pointers(),
        ["/clientIds/3", "/clientIds/0", "/clientIds/1"],
        "{}",
        reply.body
    );
    let messages = reply.body["errors"].to_string();
    assert!(messages.contains("taken"), "{messages}");
    assert!(
        messages.contains("already managed by a resource in another namespace"),
        "{messages}"
    );
    assert_eq!(h.resources().await, resources, "nothing was created");
    let d = h.app.get(&discovery).await.body;
    assert_eq!(d["progress"]["adopted"], 0);
    // With another name, and without the managed one, the rest goes through.
    let reply = h
        .adopt(
            &discovery,
            json!({"clientIds": [clash, fine], "names": {clash.clone(): "web-legacy"}}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.body["adopted"][0]["name"], "web-legacy");
    let again = h.adopt(&discovery, json!({"clientIds": [fine]})).await;
    assert_eq!(again.pointers(), ["/clientIds/0"]);
}

#[sqlx::test]
async fn under_observe_drift_is_reported_and_nothing_is_sent(pool: PgPool) {
    let h = Harness::start(pool).await;
    let id = h.create_out_of_band(
        json!({"ClientName": "legacy", "LogoutURLs": ["https://a.example.com/"]}),
    );
    let discovery = h.start_discovery("team-a").await;
    h.discover(&h.worker()).await;
    let reply = h
        .adopt(
            &discovery,
            json!({"clientIds": [id], "names": {id.clone(): "legacy"}}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    h.converge(&h.worker()).await;
    let before = h.mutations();
    // The document now differs from the client, and asks for remediation: still nothing is sent.
    let patch = json!({"driftPolicy": "Remediate",
        "properties": {"ClientName": "renamed", "LogoutURLs": null}});
    assert_eq!(h.app.patch("team-a", "legacy", &patch).await.status, 200);
    h.converge(&h.worker()).await;
    h.change_out_of_band(&id, json!({"AuthSessionValidity": 7}));
    h.app.action("team-a", "legacy", "refresh", None).await;
    h.converge(&h.worker()).await;
    assert_eq!(h.mutations(), before, "no mutating call under Observe");
    let status = h.status("team-a", "legacy").await;
    assert_eq!(status["phase"], "Ready", "{status}");
    assert_eq!(status["observedGeneration"], 2);
    assert_eq!(
        condition(&status, "Synced")["reason"],
        "Observing",
        "{status}"
    );
    assert_eq!(condition(&status, "Drifted")["status"], "True");
    let drifted: Vec<&str> = status["drift"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["pointer"].as_str().unwrap())
        .collect();
    assert!(drifted.contains(&"/ClientName"), "{drifted:?}");
    assert_eq!(h.aws_client(&id).unwrap()["ClientName"], "legacy");
    let kinds = h.app.event_kinds("team-a", "legacy").await;
    assert!(kinds.contains(&json!("DriftDetected")), "{kinds:?}");
    assert_eq!(h.plans_agree_with_the_reconciler().await, 1);

    // Switching to Manage: the normal rules apply, and the document is applied.
    let manage = json!({"managementPolicy": "Manage"});
    assert_eq!(h.app.patch("team-a", "legacy", &manage).await.status, 200);
    h.converge_to_rest(&h.worker()).await;
    assert!(h.calls("UpdateResource") > 0);
    let live = h.aws_client(&id).unwrap();
    assert_eq!(live["ClientName"], "renamed");
    assert!(live.get("LogoutURLs").is_none_or(Value::is_null), "{live}");
    let status = h.status("team-a", "legacy").await;
    assert_eq!(condition(&status, "Synced")["status"], "True", "{status}");
}

#[sqlx::test]
async fn deleting_an_observed_resource_forgets_it_and_the_client_stays(pool: PgPool) {
    let h = Harness::start(pool).await;
    let id = h.create_out_of_band(json!({"ClientName": "kept"}));
    let doc = json!({"managementPolicy": "Observe", "deletionPolicy": "Delete",
        "adopt": {"identifier": format!("{POOL_ID}|{id}")},
        "properties": {"UserPoolId": POOL_ID, "ClientName": "kept"}});
    assert_eq!(h.app.put("team-a", "kept", &doc).await.status, 201);
    h.converge(&h.worker()).await;
    assert_eq!(h.status("team-a", "kept").await["phase"], "Ready");
    let before = h.mutations();
    assert_eq!(h.app.delete("team-a", "kept").await.status, 202);
    h.converge(&h.worker()).await;
    assert_eq!(h.app.get_resource("team-a", "kept").await.status, 404);
    assert_eq!(h.mutations(), before);
    assert!(h.aws_client(&id).is_some(), "the client stays in AWS");
}

#[sqlx::test]
async fn an_observed_document_without_a_client_creates_nothing(pool: PgPool) {
    let h = Harness::start(pool).await;
    let mut doc = crate::common::doc("nothing");
    doc["managementPolicy"] = json!("Observe");
    h.put_web(&doc).await;
    h.converge(&h.worker()).await;
    let status = h.status("team-a", "web").await;
    assert_eq!(status["phase"], "Failed", "{status}");
    assert_eq!(status["lastError"]["code"], "NothingToObserve");
    assert_eq!(h.calls("CreateResource"), 0);
    assert_eq!(h.aws_clients(), 0);
    // Managed, it is created.
    let manage = json!({"managementPolicy": "Manage"});
    assert_eq!(h.app.patch("team-a", "web", &manage).await.status, 200);
    h.converge_to_rest(&h.worker()).await;
    assert_eq!(h.status("team-a", "web").await["phase"], "Ready");
    assert_eq!(h.aws_clients(), 1);
}

#[sqlx::test]
async fn a_pool_that_does_not_exist_fails_the_discovery(pool: PgPool) {
    let h = Harness::start(pool).await;
    let body = json!({"userPoolId": "us-east-1_nosuchpool"});
    let reply = h
        .app
        .send(
            h.app
                .request(Method::POST, "/v1/namespaces/team-a/discoveries")
                .json(&body),
        )
        .await;
    assert_eq!(reply.status, 202, "{}", reply.body);
    let location = reply.header("location").unwrap().to_owned();
    h.discover(&h.worker()).await;
    let d = h.app.get(&location).await.body;
    assert_eq!(d["phase"], "Failed", "{d}");
    assert_eq!(d["lastError"]["code"], "ResourceNotFoundException", "{d}");
    let all = h.adopt(&location, json!({"all": true})).await;
    assert_eq!(all.status, 201, "{}", all.body);
    assert_eq!(all.body["adopted"], json!([]));
}

#[sqlx::test]
async fn bad_input_is_a_problem_naming_the_field_and_writes_nothing(pool: PgPool) {
    let h = Harness::start(pool).await;
    let path = "/v1/namespaces/team-a/discoveries";
    let bad = json!({"userPoolId": "not a pool", "region": "moon", "extra": 1});
    let reply = h
        .app
        .send(h.app.request(Method::POST, path).json(&bad))
        .await;
    reply.problem(422);
    assert_eq!(reply.pointers(), ["/extra", "/userPoolId", "/region"]);
    let missing = h
        .app
        .send(h.app.request(Method::POST, path).json(&json!({})))
        .await;
    assert_eq!(missing.pointers(), ["/userPoolId"]);
    let count: i64 = sqlx::query_scalar("select count(*) from discoveries")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
    assert_eq!(
        h.app.get(&format!("{path}/nope")).await.problem(404)["status"],
        404
    );

    let discovery = h.start_discovery("team-a").await;
    let early = h.adopt(&discovery, json!({"all": true})).await;
    early.problem(409);
    let reply = h
        .adopt(
            &discovery,
            json!({"all": "yes", "labels": {"bad key!": "x"}, "managementPolicy": "Watch",
                   "names": {"c": "Not_A_Label"}}),
        )
        .await;
    reply.problem(422);
    assert_eq!(
        reply.pointers(),
        [
            "/all",
            "/clientIds",
            "/labels/bad key!",
            "/names/c",
            "/managementPolicy"
        ]
    );
    assert_eq!(h.resources().await, 0);
}

#[sqlx::test]
async fn the_plan_of_an_observed_document_sends_nothing_and_lists_the_differences(pool: PgPool) {
    let h = Harness::start(pool).await;
    let id = h.create_out_of_band(json!({"ClientName": "seen"}));
    let doc = json!({"managementPolicy": "Observe",
        "adopt": {"identifier": format!("{POOL_ID}|{id}")},
        "properties": {"UserPoolId": POOL_ID, "ClientName": "seen"}});
    h.put_web(&doc).await;
    h.converge(&h.worker()).await;
    assert_eq!(h.plans_agree_with_the_reconciler().await, 1);
    let mut renamed = doc.clone();
    renamed["properties"]["ClientName"] = json!("other");
    let plan = h.app.action("team-a", "web", "plan", Some(&renamed)).await;
    assert_eq!(plan.status, 200, "{}", plan.body);
    assert_eq!(plan.body["action"], "none");
    assert_eq!(plan.body["calls"], json!([]));
    assert_eq!(plan.body["changes"][0]["pointer"], "/ClientName");
    assert_eq!(plan.body["warnings"][0]["pointer"], "/managementPolicy");
    renamed["managementPolicy"] = json!("Manage");
    let managed = h.app.action("team-a", "web", "plan", Some(&renamed)).await;
    assert_eq!(managed.body["action"], "update");
}

#[sqlx::test]
async fn a_discovery_held_by_a_worker_that_stopped_beating_is_taken_over(pool: PgPool) {
    let h = Harness::start(pool.clone()).await;
    h.create_out_of_band(json!({"ClientName": "legacy"}));
    let discovery = h.start_discovery("team-a").await;
    // A worker claimed it for a long lease and died: its last heartbeat is old.
    sqlx::query(
        "insert into workers (id, heartbeat_at) values ('dead', now() - interval '1 minute')",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "update discoveries set lease_owner = 'dead', lease_expires_at = now() + interval '1 hour',
                next_attempt_at = now() + interval '1 hour'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let alive = h.worker();
    let mut conn = pool.acquire().await.unwrap();
    ccplane::store::work::heartbeat(&mut conn, alive.id(), 5.0)
        .await
        .unwrap();
    h.discover(&alive).await;
    let done = h.app.get(&discovery).await;
    assert_eq!(done.body["phase"], "Complete", "{}", done.body);
}
