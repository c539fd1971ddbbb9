//! The OpenAPI document as users meet it: its request examples work, and the server keeps the
//! promises it makes (media types, empty cursors, the headers it declares).

use std::time::Duration;

use ccplane::AppState;
use ccplane::cloud::{Budgets, Ceilings, Cloud, Target};
use ccplane::reconcile::{Worker, WorkerSettings};
use ccplane_emulator::{Emulator, EmulatorArgs};
use reqwest::Method;
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::common::{Reply, TestApp, doc, no_auth};

/// The API with a running reconciler, against the emulator with the example user pool: what
/// `ccplane serve` runs by default.
struct Served {
    app: TestApp,
    spec: Value,
    _emulator: Emulator,
    stop: CancellationToken,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

impl Served {
    async fn start(pool: PgPool) -> Served {
        let args = EmulatorArgs {
            user_pools: vec!["us-east-1_examplePoolId".into()],
            ..EmulatorArgs::default()
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let emulator = Emulator::start(listener, args).await.unwrap();
        let cloud = Cloud::new(
            Target::Endpoint(emulator.endpoint_url()),
            Budgets::new(pool.clone(), Ceilings::default()),
        )
        .await;
        let state = AppState::new(pool.clone(), no_auth()).with_cloud(cloud.clone());
        let settings = WorkerSettings {
            first_poll: Duration::from_millis(50),
            retry_base: Duration::from_millis(50),
            ..WorkerSettings::default()
        };
        let stop = CancellationToken::new();
        let worker = Worker::new(pool, cloud, settings, state.notifier.clone());
        tokio::spawn(worker.run(stop.clone(), state.changes.clone()));
        let app = TestApp::spawn_state(state).await;
        let spec = app.get("/openapi.json").await.body;
        Served {
            app,
            spec,
            _emulator: emulator,
            stop,
        }
    }

    /// The request examples of an operation, by name.
    fn examples(&self, path: &str, method: &str) -> Vec<(String, Value)> {
        let content = &self.spec["paths"][path][method]["requestBody"]["content"];
        let media = content.as_object().unwrap().values().next().unwrap();
        media["examples"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {path} has no request examples"))
            .iter()
            .map(|(name, example)| (name.clone(), example["value"].clone()))
            .collect()
    }

    /// Reads the resource until it is `Ready` at its latest generation (the reconciler runs on
    /// its own); a bound on the wait keeps a regression from hanging the suite.
    async fn wait_until_ready(&self, ns: &str, name: &str) -> Reply {
        for _ in 0..600 {
            let reply = self.app.get_resource(ns, name).await;
            let status = &reply.body["status"];
            if status["phase"] == "Ready"
                && status["observedGeneration"] == reply.body["metadata"]["generation"]
            {
                return reply;
            }
            assert_ne!(reply.body["status"]["phase"], "Failed", "{}", reply.body);
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("{ns}/{name} did not become Ready");
    }
}

const RESOURCE: &str = "/v1/namespaces/{namespace}/user-pool-clients/{name}";

#[sqlx::test]
async fn every_put_example_creates_a_client_that_becomes_ready(pool: PgPool) {
    let served = Served::start(pool).await;
    let examples = served.examples(RESOURCE, "put");
    assert_eq!(examples.len(), 4, "one per fixture");
    for (name, body) in examples {
        let reply = served.app.put("payments", &name, &body).await;
        assert_eq!(reply.status, 201, "{name}: {}", reply.body);
        let ready = served.wait_until_ready("payments", &name).await;
        assert_eq!(ready.body["paused"], false);
        assert_eq!(ready.body["properties"], body["properties"]);
    }
}

#[sqlx::test]
async fn the_post_patch_and_plan_examples_work_as_shown(pool: PgPool) {
    let served = Served::start(pool).await;
    let (_, body) = served
        .examples("/v1/namespaces/{namespace}/user-pool-clients", "post")
        .remove(0);
    let created = served.app.post("payments", &body).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let name = body["name"].as_str().unwrap();
    served.wait_until_ready("payments", name).await;

    let (_, plan) = served
        .examples(&format!("{RESOURCE}/plan"), "post")
        .remove(0);
    let planned = served
        .app
        .action("payments", "web", "plan", Some(&plan))
        .await;
    assert_eq!(planned.status, 200, "{}", planned.body);
    assert_eq!(planned.body["action"], "create");

    let (_, put) = served.examples(RESOURCE, "put").remove(0);
    assert_eq!(served.app.put("payments", "web", &put).await.status, 201);
    served.wait_until_ready("payments", "web").await;
    let (_, patch) = served.examples(RESOURCE, "patch").remove(0);
    let patched = served.app.patch("payments", "web", &patch).await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert_eq!(patched.body["labels"], json!({"tier": "gold"}));
    let ready = served.wait_until_ready("payments", "web").await;
    assert_eq!(
        ready.body["status"]["observedProperties"]["ClientName"],
        patch["properties"]["ClientName"]
    );
}

#[sqlx::test]
async fn the_administration_examples_work_as_shown(pool: PgPool) {
    let served = Served::start(pool).await;
    let (_, settings) = served
        .examples("/v1/namespaces/{namespace}", "put")
        .remove(0);
    let reply = served
        .app
        .send(
            served
                .app
                .request(Method::PUT, "/v1/namespaces/payments")
                .json(&settings),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let (_, document) = served.examples(RESOURCE, "put").remove(0);
    assert_eq!(
        served.app.put("payments", "web", &document).await.status,
        201,
        "the document examples fit the namespace example"
    );
    let (_, token) = served.examples("/v1/tokens", "post").remove(0);
    let reply = served
        .app
        .send(served.app.request(Method::POST, "/v1/tokens").json(&token))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
}

#[sqlx::test]
async fn a_merge_patch_sent_as_plain_json_is_415(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    assert_eq!(app.put("team-a", "web", &doc("web")).await.status, 201);
    let reply = app
        .send(
            app.request(Method::PATCH, &TestApp::resource_path("team-a", "web"))
                .json(&json!({"paused": true})),
        )
        .await;
    assert_eq!(
        reply.problem(415)["type"],
        "https://ccplane.dev/problems/unsupported-media-type"
    );
    assert_eq!(
        app.get_resource("team-a", "web").await.body["paused"],
        false
    );
}

#[sqlx::test]
async fn an_empty_cursor_reads_the_first_page(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    assert_eq!(app.put("team-a", "web", &doc("web")).await.status, 201);
    for path in [
        "/v1/user-pool-clients?cursor=",
        "/v1/namespaces/team-a/user-pool-clients?cursor=",
        "/v1/namespaces/team-a/events?cursor=",
        "/v1/namespaces/team-a/user-pool-clients/web/events?cursor=",
    ] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        assert_eq!(reply.body["items"].as_array().unwrap().len(), 1, "{path}");
    }
}

#[sqlx::test]
async fn a_dry_run_put_still_answers_a_plan_and_points_to_its_successor(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let path = format!("{}?dryRun=true", TestApp::resource_path("team-a", "web"));
    let reply = app
        .send(app.request(Method::PUT, &path).json(&doc("web")))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["action"], "create");
    assert_eq!(reply.header("deprecation"), Some("true"));
    assert!(reply.header("link").unwrap().contains("/plan>"));
    assert_eq!(app.get_resource("team-a", "web").await.status, 404);
}

#[sqlx::test]
async fn every_header_an_answer_sends_is_declared_for_it(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let spec = app.get("/openapi.json").await.body;
    let declared = |path: &str, method: &str, status: u16| -> Vec<String> {
        spec["paths"][path][method]["responses"][status.to_string()]["headers"]
            .as_object()
            .map(|h| h.keys().map(|k| k.to_ascii_lowercase()).collect())
            .unwrap_or_default()
    };
    let created = app.put("team-a", "web", &doc("web")).await;
    let replaced = app.put("team-a", "web", &doc("renamed")).await;
    let read = app.get_resource("team-a", "web").await;
    let patched = app.patch("team-a", "web", &json!({"paused": true})).await;
    let posted = app
        .post(
            "team-a",
            &json!({"name": "api", "properties": doc("api")["properties"]}),
        )
        .await;
    let deleted = app.delete("team-a", "web").await;
    for (reply, method, path) in [
        (created, "put", RESOURCE),
        (replaced, "put", RESOURCE),
        (read, "get", RESOURCE),
        (patched, "patch", RESOURCE),
        (deleted, "delete", RESOURCE),
        (
            posted,
            "post",
            "/v1/namespaces/{namespace}/user-pool-clients",
        ),
    ] {
        let headers = declared(path, method, reply.status.as_u16());
        for name in ["etag", "location"] {
            if reply.header(name).is_some() {
                assert!(
                    headers.contains(&name.to_owned()),
                    "{method} {path} {} sends {name} undeclared",
                    reply.status
                );
            }
        }
    }
}

// Found by fuzzing: a NUL in a selector reached Postgres, which cannot hold one in JSON (500).
#[sqlx::test]
async fn a_label_selector_no_label_could_match_is_400_naming_the_parameter(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    assert_eq!(app.put("team-a", "web", &doc("web")).await.status, 201);
    for selector in ["team%3Dpay%00ments", "te%20am=x", "team=a%2Fb"] {
        let reply = app
            .get(&format!("/v1/user-pool-clients?labels={selector}"))
            .await;
        let problem = reply.problem(400);
        assert_eq!(
            problem["type"],
            "https://ccplane.dev/problems/invalid-parameter"
        );
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("`labels`"),
            "{problem}"
        );
    }
    let reply = app
        .get("/v1/user-pool-clients?labels=%20team%20=%20x%20,")
        .await;
    assert_eq!(
        reply.status, 200,
        "spaces around a term are trimmed: {}",
        reply.body
    );
}
