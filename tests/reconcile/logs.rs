//! No secret or token in any log line: a whole lifecycle with every log level captured.

use std::io::Write;
use std::sync::{Arc, Mutex};

use ccplane::AppState;
use ccplane::config::ApiArgs;
use reqwest::Method;
use serde_json::json;
use sqlx::PgPool;
use tracing_subscriber::EnvFilter;

use crate::common::{TestApp, basic, issue_token};
use crate::harness::Harness;
use crate::rotation;

/// Log lines, as a subscriber writes them.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn secret_part(token: &str) -> &str {
    ccplane::access::token::parse_token(token)
        .expect("a well-formed token")
        .1
}

/// Where `needle` first shows up in `logs`, with the line around it.
fn leak(logs: &str, needle: &str) -> Option<String> {
    logs.lines()
        .find(|line| line.contains(needle))
        .map(|line| line.chars().take(400).collect())
}

// `#[sqlx::test]` runs the test on a current-thread runtime, so the thread-local subscriber set
// here also sees the spawned tasks: the API server, the emulator and the SDK's connections.
#[sqlx::test]
async fn no_secret_or_token_reaches_a_log_line(pool: PgPool) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new("trace"))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // With one dispatcher alive, tracing caches a callsite's interest from whichever thread first
    // reaches it, and another test's thread (no subscriber) would switch it off for good. With a
    // second one, every dispatcher is asked, and each event is decided on its own thread.
    let _second = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
    // sqlx and rustls log through `log`; forward it to whichever subscriber is current.
    let _ = tracing_log::LogTracer::init();

    let h = Harness::start(pool.clone()).await;
    let state = AppState::new(pool.clone(), ApiArgs::default()).with_cloud(h.cloud.clone());
    let app = TestApp::spawn_state(state).await;
    let (admin, _) = issue_token(&pool, &["admin:*"]).await;
    let call =
        |token: &str, method: Method, path: &str| app.request(method, path).bearer_auth(token);

    // A second token, minted through the API, so its text also crosses the HTTP layers.
    let created = app
        .send(call(&admin, Method::POST, "/v1/tokens").json(&json!({
            "description": "reader",
            "bindings": [{"role": "secret-reader", "namespace": "team-a"}]
        })))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let reader = created.body["token"].as_str().unwrap().to_owned();

    let path = TestApp::resource_path("team-a", "web");
    // With a scheduled rotation, whose new value crosses ccplane on its way to Secrets Manager.
    let arn = rotation::target(&h, "web-client").await;
    let doc = rotation::rotating(basic(), &arn, 0);
    let put = call(&admin, Method::PUT, &path).json(&doc);
    assert_eq!(app.send(put).await.status, 201);
    h.converge(&h.worker()).await;
    let delivered = rotation::current(&h, &arn).await["clientSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let secret_reply = app
        .send(call(&reader, Method::GET, &format!("{path}/secret")))
        .await;
    assert_eq!(secret_reply.status, 200, "{}", secret_reply.body);
    let secret = secret_reply.body["clientSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let drift = call(&admin, Method::POST, &format!("{path}/refresh"));
    assert!(app.send(drift).await.status.is_success());
    h.converge(&h.worker()).await;
    let delete = call(&admin, Method::DELETE, &path);
    assert_eq!(app.send(delete).await.status, 202);
    h.converge(&h.worker()).await;
    assert_eq!(h.aws_clients(), 0);

    let logs = captured.text();
    // The capture saw every layer, or finding nothing would prove nothing.
    for seen in [
        "started processing request", // tower-http, in the server task
        "aws_smithy_runtime",         // the SDK
        "sqlx::query",                // the database
        "GetResource",                // the emulator
    ] {
        assert!(
            logs.contains(seen),
            "no `{seen}` in {} bytes of logs",
            logs.len()
        );
    }
    assert!(secret.len() >= 32, "a real secret: {secret}");
    for (what, needle) in [
        ("client secret", secret.as_str()),
        ("delivered secret", delivered.as_str()),
        ("admin token", admin.as_str()),
        ("reader token", reader.as_str()),
        ("admin token's secret part", secret_part(&admin)),
        ("reader token's secret part", secret_part(&reader)),
    ] {
        if let Some(line) = leak(&logs, needle) {
            panic!("the {what} reached a log line: {line}");
        }
    }
}

// An operator sees at `info` every operation submitted and settled, with the resource, the
// identifier and the request token, and at `debug` every Cloud Control call; /metrics counts them.
#[sqlx::test]
async fn operations_are_logged_with_their_resource_and_tokens_and_counted(pool: PgPool) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new("ccplane=debug"))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let _second = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());

    let h = Harness::start(pool).await;
    h.emulator
        .control()
        .script(ccplane_emulator::ScriptedFault {
            operation: Some(ccplane_emulator::OpKind::Create),
            effect: ccplane_emulator::Effect::Fail {
                error_code: "ServiceInternalError".into(),
                message: None,
                after_work: false,
            },
            times: 1,
        });
    let client_id = h.ready_client(&basic()).await;
    let logs = captured.text();
    let line = |needle: &str| {
        logs.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no log line with `{needle}`"))
            .to_owned()
    };
    let submitted = line("Create submitted");
    assert!(
        submitted.contains("INFO") && submitted.contains("name=web"),
        "{submitted}"
    );
    assert!(submitted.contains("requestToken"), "{submitted}");
    let retried = line("ServiceInternalError");
    assert!(retried.contains("namespace=team-a"), "{retried}");
    assert!(line("Create settled SUCCESS").contains(&client_id));
    let polled = logs.lines().any(|l| {
        l.contains("DEBUG")
            && l.contains("cloud control call")
            && l.contains("operation=\"GetResourceRequestStatus\"")
    });
    assert!(polled, "every Cloud Control call is logged at debug");

    let response = h.app.request(Method::GET, "/metrics").send().await.unwrap();
    let metrics = response.text().await.unwrap();
    for series in [
        "ccplane_cloud_calls_total{operation=\"CreateResource\"",
        "ccplane_operations_settled_total{kind=\"Create\",status=\"SUCCESS\"}",
        "ccplane_operation_seconds",
        "ccplane_operation_polls",
        "ccplane_retries_total{code=\"ServiceInternalError\"}",
    ] {
        assert!(metrics.contains(series), "no {series} in /metrics");
    }
}
