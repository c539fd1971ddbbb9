//! Timelines and the live stream: pagination, resumption with Last-Event-ID, kept after deletion.

use std::time::Duration;

use futures::StreamExt;
use serde_json::Value;
use sqlx::PgPool;

use crate::common::{TestApp, doc};

/// A Server-Sent Events reader over a streaming response.
struct SseReader {
    stream: futures::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buffer: String,
}

impl SseReader {
    async fn open(app: &TestApp, ns: &str, last_event_id: Option<&str>) -> SseReader {
        let mut request = app.request(
            reqwest::Method::GET,
            &format!("/v1/namespaces/{ns}/events?watch=true"),
        );
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        SseReader {
            stream: response.bytes_stream().boxed(),
            buffer: String::new(),
        }
    }

    /// The next event as (id, data); keep-alive comments are skipped. Guarded against hanging.
    async fn next(&mut self) -> (String, Value) {
        tokio::time::timeout(Duration::from_secs(20), self.next_event())
            .await
            .expect("an event arrives")
    }

    async fn next_event(&mut self) -> (String, Value) {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let frame: String = self.buffer.drain(..end + 2).collect();
                let field = |name: &str| {
                    frame
                        .lines()
                        .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_owned()))
                };
                if let (Some(id), Some(data)) = (field("id:"), field("data:")) {
                    return (id, serde_json::from_str(&data).unwrap());
                }
                continue;
            }
            let chunk = self.stream.next().await.expect("stream open").unwrap();
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

#[sqlx::test]
async fn resource_events_paginate_with_a_cursor(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    for i in 0..5 {
        app.put("team-a", "web", &doc(&format!("v{i}"))).await;
    }
    let path = TestApp::resource_path("team-a", "web");
    let first = app.get(&format!("{path}/events?limit=3")).await;
    assert_eq!(first.body["items"].as_array().unwrap().len(), 3);
    let cursor = first.body["nextCursor"].as_str().unwrap();
    let second = app
        .get(&format!("{path}/events?limit=3&cursor={cursor}"))
        .await;
    let items = second.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[1]["data"]["changedFields"][0],
        "/properties/ClientName"
    );
    assert_eq!(items[1]["generation"], 5);
    assert!(second.body["nextCursor"].is_null());
}

#[sqlx::test]
async fn events_of_an_unknown_resource_are_404(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.get(&format!(
        "{}/events",
        TestApp::resource_path("team-a", "ghost")
    ))
    .await
    .problem(404);
}

#[sqlx::test]
async fn events_outlive_their_resource(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    app.put("team-a", "web", &doc("x")).await;
    // What the reconciler does once AWS has deleted the client.
    sqlx::query("delete from resources")
        .execute(&pool)
        .await
        .unwrap();
    app.get_resource("team-a", "web").await.problem(404);
    assert_eq!(app.events("team-a", "web").await.len(), 1);
}

#[sqlx::test]
async fn namespace_events_list_only_that_namespace(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.put("team-a", "one", &doc("x")).await;
    app.put("team-b", "two", &doc("x")).await;
    let reply = app.get("/v1/namespaces/team-b/events").await;
    let items = reply.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["name"], "two");
}

#[sqlx::test]
async fn live_stream_delivers_new_events_of_its_namespace(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let mut stream = SseReader::open(&app, "team-a", None).await;
    app.put("team-b", "elsewhere", &doc("x")).await;
    app.put("team-a", "web", &doc("x")).await;
    let (_, event) = stream.next().await;
    assert_eq!(event["name"], "web");
    assert_eq!(event["kind"], "SpecCreated");
}

#[sqlx::test]
async fn live_stream_resumes_after_a_disconnect_without_loss_or_repeat(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let mut stream = SseReader::open(&app, "team-a", None).await;
    app.put("team-a", "web", &doc("v1")).await;
    app.put("team-a", "web", &doc("v2")).await;
    let (_, first) = stream.next().await;
    let (last_seen, second) = stream.next().await;
    assert_eq!(
        (first["generation"].clone(), second["generation"].clone()),
        (1.into(), 2.into())
    );
    drop(stream);

    for i in 3..=5 {
        app.put("team-a", "web", &doc(&format!("v{i}"))).await;
    }
    let mut resumed = SseReader::open(&app, "team-a", Some(&last_seen)).await;
    for expected in 3..=5 {
        let (_, event) = resumed.next().await;
        assert_eq!(event["generation"], expected);
    }
    app.delete("team-a", "web").await;
    let (_, event) = resumed.next().await;
    assert_eq!(event["kind"], "DeletionRequested");
}

#[sqlx::test]
async fn bad_last_event_id_is_400(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let request = app
        .request(
            reqwest::Method::GET,
            "/v1/namespaces/team-a/events?watch=true",
        )
        .header("last-event-id", "yesterday");
    app.send(request).await.problem(400);
}

#[sqlx::test]
async fn an_event_that_commits_late_comes_first_and_nothing_is_lost(pool: PgPool) {
    use ccplane::store::events::{NewEvent, append};
    let app = TestApp::spawn(pool.clone()).await;
    let created = app.put("team-a", "web", &doc("v1")).await;
    let uid: uuid::Uuid = created.body["metadata"]["uid"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let mut stream = SseReader::open(&app, "team-a", None).await;
    // A transaction writes an event and stays open while a later change commits and announces
    // itself; the late one then commits without any announcement of its own.
    let mut late = pool.begin().await.unwrap();
    let event = NewEvent {
        resource_id: uid,
        namespace: "team-a",
        name: "web",
        kind: "LateEvent",
        generation: None,
        message: "written first, committed last".into(),
        data: serde_json::json!({}),
        actor: None,
    };
    append(&mut *late, &event).await.unwrap();
    assert_eq!(app.put("team-a", "web", &doc("v2")).await.status, 200);
    late.commit().await.unwrap();
    // A stream that starts now may begin with what committed just before it (here SpecCreated).
    let mut first = stream.next().await.1;
    if first["kind"] == "SpecCreated" {
        first = stream.next().await.1;
    }
    let (_, second) = stream.next().await;
    assert_eq!(first["kind"], "LateEvent");
    assert_eq!(
        (second["kind"].clone(), second["generation"].clone()),
        ("SpecChanged".into(), 2.into())
    );
}

#[sqlx::test]
async fn many_streams_of_one_process_each_get_every_event_of_their_namespace(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let mut streams = Vec::new();
    for i in 0..30 {
        let ns = if i % 2 == 0 { "team-a" } else { "team-b" };
        streams.push((ns, SseReader::open(&app, ns, None).await));
    }
    for ns in ["team-a", "team-b"] {
        for i in 1..=3 {
            app.put(ns, "web", &doc(&format!("v{i}"))).await;
        }
    }
    for (ns, stream) in &mut streams {
        for generation in 1..=3 {
            let (_, event) = stream.next().await;
            assert_eq!(
                (event["namespace"].as_str(), event["generation"].clone()),
                (Some(*ns), generation.into())
            );
        }
    }
}

#[sqlx::test]
async fn a_discovery_reports_on_the_namespaces_live_stream(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let mut stream = SseReader::open(&app, "team-a", None).await;
    let body = serde_json::json!({"userPoolId": "us-east-1_examplePoolId"});
    let started = app
        .send(
            app.request(reqwest::Method::POST, "/v1/namespaces/team-a/discoveries")
                .json(&body),
        )
        .await;
    assert_eq!(started.status, 202, "{}", started.body);
    let id = started.body["id"].as_str().unwrap();
    let (_, event) = stream.next().await;
    assert_eq!(event["kind"], "DiscoveryStarted");
    assert_eq!(event["name"], format!("discoveries/{id}"));
    assert_eq!(event["data"]["discovery"], id);
    assert_eq!(event["data"]["userPoolId"], "us-east-1_examplePoolId");
    assert_eq!(event["data"]["phase"], "Listing");
}
