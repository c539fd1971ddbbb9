//! Operability: health, readiness, metrics, request ids, the docs page and the committed spec.

use sqlx::PgPool;

use crate::common::{TestApp, doc};

#[sqlx::test]
async fn health_and_readiness_answer(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    assert_eq!(app.get("/healthz").await.status, 200);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, 200);
    assert_eq!(ready.body["status"], "ok");
}

#[sqlx::test]
async fn readiness_fails_when_the_database_is_gone(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    pool.close().await;
    app.get("/readyz").await.problem(503);
}

#[sqlx::test]
async fn metrics_count_requests_and_resources_by_phase(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.put("team-a", "web", &doc("x")).await;
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(text.contains("http_requests_total{method=\"PUT\",route=\"/v1/namespaces/{namespace}/user-pool-clients/{name}\",status=\"201\"}"), "{text}");
    assert!(
        text.contains("http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(
        text.contains("ccplane_resources{phase=\"Pending\"}"),
        "{text}"
    );
}

#[sqlx::test]
async fn request_ids_are_generated_or_propagated(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let generated = app.get("/healthz").await;
    assert!(
        generated
            .header("x-request-id")
            .is_some_and(|id| id.len() >= 32)
    );
    let request = app
        .request(reqwest::Method::GET, "/healthz")
        .header("x-request-id", "abc-123");
    assert_eq!(
        app.send(request).await.header("x-request-id"),
        Some("abc-123")
    );
}

#[sqlx::test]
async fn swagger_ui_is_served_without_internet(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let page = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("swagger"));
    let bundle = app
        .client
        .get(app.url("/docs/swagger-ui-bundle.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(bundle.status(), 200);
}

#[sqlx::test]
async fn served_spec_matches_the_committed_one(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let served = app.get("/openapi.json").await.body;
    let path = format!("{}/openapi/openapi.json", env!("CARGO_MANIFEST_DIR"));
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default())
            .unwrap_or_default();
    assert!(
        served == committed,
        "openapi/openapi.json is stale; regenerate it with:\n    cargo run -- openapi > openapi/openapi.json"
    );
    assert!(served["openapi"].as_str().unwrap().starts_with("3.1"));
}

#[sqlx::test]
async fn shutdown_ends_live_streams_and_the_server(pool: PgPool) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let shutdown = tokio_util::sync::CancellationToken::new();
    let state = ccplane::AppState::new(pool, crate::common::no_auth());
    let server = tokio::spawn(ccplane::serve(listener, state, shutdown.clone()));
    let url = format!("http://{addr}/v1/namespaces/team-a/events?watch=true");
    let stream = reqwest::get(url).await.unwrap();
    assert_eq!(stream.status(), 200);
    shutdown.cancel();
    let stopped = tokio::time::timeout(std::time::Duration::from_secs(20), server).await;
    assert!(
        stopped
            .expect("the server stops with a stream open")
            .unwrap()
            .is_ok()
    );
    drop(stream);
}
