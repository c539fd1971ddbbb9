//! Create, replace, patch, read and delete, with preconditions and idempotency.

use reqwest::Method;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common::{TestApp, basic, doc, fixture};

#[sqlx::test]
async fn every_fixture_is_accepted_verbatim(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    for name in [
        "seed-basic",
        "seed-advanced",
        "seed-custom-auth",
        "seed-analytics",
    ] {
        let properties = fixture(name);
        let reply = app
            .put("team-a", name, &json!({"properties": properties}))
            .await;
        assert_eq!(reply.status, 201, "{name}: {}", reply.body);
        assert_eq!(reply.body["properties"], properties);
        assert_eq!(reply.body["status"]["phase"], "Pending");
    }
}

#[sqlx::test]
async fn put_creates_then_replaces(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let created = app.put("team-a", "web", &doc("one")).await;
    assert_eq!(created.status, 201);
    assert_eq!(
        created.header("location"),
        Some("/v1/namespaces/team-a/user-pool-clients/web")
    );
    assert_eq!(created.body["metadata"]["generation"], 1);
    assert_eq!(created.body["region"], "us-east-1");
    assert_eq!(created.body["deletionPolicy"], "Delete");
    assert_eq!(created.body["replacementPolicy"], "Reject");
    assert_eq!(created.body["driftPolicy"], "Report");
    assert_eq!(created.body["paused"], false);

    let replaced = app.put("team-a", "web", &doc("two")).await;
    assert_eq!(replaced.status, 200);
    assert_eq!(replaced.body["metadata"]["generation"], 2);
    assert_eq!(replaced.body["properties"]["ClientName"], "two");
    assert_ne!(replaced.etag(), created.etag());

    let read = app.get_resource("team-a", "web").await;
    assert_eq!(read.status, 200);
    assert_eq!(read.etag(), replaced.etag());
    assert_eq!(
        read.body["metadata"]["uid"],
        created.body["metadata"]["uid"]
    );
}

#[sqlx::test]
async fn put_of_the_same_document_changes_nothing(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let first = app.put("team-a", "web", &doc("one")).await;
    let again = app.put("team-a", "web", &doc("one")).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body["metadata"]["generation"], 1);
    assert_eq!(again.etag(), first.etag());
    assert_eq!(app.events("team-a", "web").await.len(), 1);
}

#[sqlx::test]
async fn a_drift_check_interval_is_kept_per_resource(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let mut body = doc("one");
    body["driftCheckIntervalSeconds"] = json!(3600);
    let reply = app.put("team-a", "web", &body).await;
    assert_eq!(reply.body["driftCheckIntervalSeconds"], 3600);
    let read = app.get_resource("team-a", "web").await;
    assert_eq!(read.body["driftCheckIntervalSeconds"], 3600);
}

#[sqlx::test]
async fn label_changes_keep_the_generation(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.put("team-a", "web", &doc("one")).await;
    let mut labelled = doc("one");
    labelled["labels"] = json!({"team": "payments"});
    let reply = app.put("team-a", "web", &labelled).await;
    assert_eq!(reply.body["metadata"]["generation"], 1);
    assert_eq!(reply.body["metadata"]["revision"], 2);
    assert_eq!(reply.body["labels"]["team"], "payments");
}

#[sqlx::test]
async fn replace_records_the_changed_fields(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.put("team-a", "web", &doc("one")).await;
    let mut changed = doc("two");
    changed["paused"] = json!(true);
    app.put("team-a", "web", &changed).await;
    let events = app.events("team-a", "web").await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["kind"], "SpecCreated");
    assert_eq!(events[1]["kind"], "SpecChanged");
    assert_eq!(
        events[1]["data"]["changedFields"],
        json!(["/properties/ClientName", "/paused"])
    );
}

#[sqlx::test]
async fn post_creates_and_refuses_an_existing_name(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let mut body = doc("one");
    body["name"] = json!("web");
    let created = app.post("team-a", &body).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["name"], "web");
    let again = app.post("team-a", &body).await;
    again.problem(409);
}

#[sqlx::test]
async fn post_without_a_valid_name_is_rejected(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let reply = app.post("team-a", &doc("one")).await;
    reply.problem(422);
    assert_eq!(reply.pointers(), vec!["/name"]);
    let mut bad = doc("one");
    bad["name"] = json!("Not_A_Label");
    app.post("team-a", &bad).await.problem(422);
}

async fn post_with_key(app: &TestApp, key: &str, body: &Value) -> crate::common::Reply {
    let request = app
        .request(Method::POST, "/v1/namespaces/team-a/user-pool-clients")
        .header("idempotency-key", key)
        .json(body);
    app.send(request).await
}

#[sqlx::test]
async fn idempotency_key_replays_the_first_response(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let mut body = doc("one");
    body["name"] = json!("web");
    let first = post_with_key(&app, "key-1", &body).await;
    assert_eq!(first.status, 201);
    let replay = post_with_key(&app, "key-1", &body).await;
    assert_eq!(replay.status, 201);
    assert_eq!(replay.body, first.body);
    assert_eq!(replay.etag(), first.etag());
    assert_eq!(
        replay.header("location"),
        Some("/v1/namespaces/team-a/user-pool-clients/web")
    );
    assert_eq!(replay.header("location"), first.header("location"));
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    assert_eq!(app.events("team-a", "web").await.len(), 1);
}

#[sqlx::test]
async fn idempotency_key_with_a_different_body_is_422(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let mut body = doc("one");
    body["name"] = json!("web");
    post_with_key(&app, "key-1", &body).await;
    body["name"] = json!("other");
    let reply = post_with_key(&app, "key-1", &body).await;
    assert_eq!(
        reply.problem(422)["type"],
        "https://ccplane.dev/problems/idempotency-key-reused"
    );
    app.get_resource("team-a", "other").await.problem(404);
}

async fn post_text_with_key(app: &TestApp, key: &str, text: &str) -> crate::common::Reply {
    let request = app
        .request(Method::POST, "/v1/namespaces/team-a/user-pool-clients")
        .header("idempotency-key", key)
        .header("content-type", "application/json")
        .body(text.to_owned());
    app.send(request).await
}

#[sqlx::test]
async fn a_retry_with_its_members_in_another_order_is_a_replay(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let first = post_text_with_key(
        &app,
        "key-1",
        r#"{"name": "web", "labels": {"a": "1", "b": "2"},
            "properties": {"UserPoolId": "us-east-1_examplePoolId", "ClientName": "one"}}"#,
    )
    .await;
    assert_eq!(first.status, 201, "{}", first.body);
    let reordered = post_text_with_key(
        &app,
        "key-1",
        r#"{"properties":{"ClientName":"one","UserPoolId":"us-east-1_examplePoolId"},
            "labels":{"b":"2","a":"1"},"name":"web"}"#,
    )
    .await;
    assert_eq!(reordered.status, 201, "{}", reordered.body);
    assert_eq!(reordered.header("idempotent-replayed"), Some("true"));
    assert_eq!(reordered.body, first.body);
    // The same members with another value are still another request.
    let changed = post_text_with_key(
        &app,
        "key-1",
        r#"{"properties":{"ClientName":"two","UserPoolId":"us-east-1_examplePoolId"},
            "labels":{"b":"2","a":"1"},"name":"web"}"#,
    )
    .await;
    assert_eq!(
        changed.problem(422)["type"],
        "https://ccplane.dev/problems/idempotency-key-reused"
    );
    assert_eq!(app.events("team-a", "web").await.len(), 1);
}

/// A key stored before fingerprints were canonical holds the hash of the body as it was sent:
/// the same bytes again still replay after the upgrade.
#[sqlx::test]
async fn a_key_stored_by_the_previous_version_still_replays_the_same_body(pool: PgPool) {
    use sha2::Digest;
    let app = TestApp::spawn(pool.clone()).await;
    let mut body = doc("one");
    body["name"] = json!("web");
    let first = post_with_key(&app, "key-1", &body).await;
    assert_eq!(first.status, 201);
    let as_sent = hex::encode(sha2::Sha256::digest(body.to_string()));
    sqlx::query("update idempotency_keys set request_hash = $1")
        .bind(&as_sent)
        .execute(&pool)
        .await
        .unwrap();
    let replay = post_with_key(&app, "key-1", &body).await;
    assert_eq!(replay.status, 201, "{}", replay.body);
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    body["properties"]["ClientName"] = json!("two");
    post_with_key(&app, "key-1", &body).await.problem(422);
}

#[sqlx::test]
async fn concurrent_posts_with_one_key_create_one_resource(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let mut body = doc("one");
    body["name"] = json!("web");
    let replies =
        futures::future::join_all((0..10).map(|_| post_with_key(&app, "key-1", &body))).await;
    for reply in &replies {
        assert_eq!(reply.status, 201, "{}", reply.body);
        assert_eq!(
            reply.body["metadata"]["uid"],
            replies[0].body["metadata"]["uid"]
        );
    }
}

#[sqlx::test]
async fn expired_idempotency_keys_are_forgotten(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let mut body = doc("one");
    body["name"] = json!("web");
    post_with_key(&app, "key-1", &body).await;
    sqlx::query("update idempotency_keys set expires_at = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    // The key is free again, so the request runs and meets the existing name.
    post_with_key(&app, "key-1", &body).await.problem(409);
}

#[sqlx::test]
async fn merge_patch_changes_and_removes_fields(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let mut body = basic();
    body["labels"] = json!({"team": "a"});
    app.put("team-a", "web", &body).await;
    let patch =
        json!({"paused": true, "labels": {"team": null}, "properties": {"LogoutURLs": null}});
    let reply = app.patch("team-a", "web", &patch).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["paused"], true);
    assert_eq!(reply.body["labels"], json!({}));
    assert!(reply.body["properties"].get("LogoutURLs").is_none());
    assert_eq!(
        reply.body["properties"]["CallbackURLs"],
        json!(["https://example.com/callback"])
    );
    assert_eq!(reply.body["metadata"]["generation"], 2);
}

#[sqlx::test]
async fn merge_patch_needs_its_media_type_or_json(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.put("team-a", "web", &doc("one")).await;
    let request = app
        .request(Method::PATCH, &TestApp::resource_path("team-a", "web"))
        .header("content-type", "application/json-patch+json")
        .body("[]");
    app.send(request).await.problem(415);
}

#[sqlx::test]
async fn patch_that_makes_the_document_invalid_changes_nothing(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let before = app.put("team-a", "web", &doc("one")).await;
    let reply = app
        .patch(
            "team-a",
            "web",
            &json!({"properties": {"UserPoolId": null}}),
        )
        .await;
    reply.problem(422);
    assert_eq!(reply.pointers(), vec!["/properties/UserPoolId"]);
    let after = app.get_resource("team-a", "web").await;
    assert_eq!(after.etag(), before.etag());
}

#[sqlx::test]
async fn patch_of_a_missing_resource_is_404(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.patch("team-a", "web", &json!({"paused": true}))
        .await
        .problem(404);
}

#[sqlx::test]
async fn get_of_a_missing_resource_is_404(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let reply = app.get_resource("team-a", "nothing").await;
    assert_eq!(
        reply.problem(404)["type"],
        "https://ccplane.dev/problems/not-found"
    );
}

#[sqlx::test]
async fn delete_marks_the_resource_deleting(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.put("team-a", "web", &doc("one")).await;
    let reply = app.delete("team-a", "web").await;
    assert_eq!(reply.status, 202);
    assert_eq!(reply.body["status"]["phase"], "Deleting");
    let read = app.get_resource("team-a", "web").await;
    assert_eq!(read.body["status"]["phase"], "Deleting");
    assert!(read.body["metadata"]["deletionRequestedAt"].is_string());
    // Deleting twice is harmless and records nothing new.
    assert_eq!(app.delete("team-a", "web").await.status, 202);
    let kinds = app.event_kinds("team-a", "web").await;
    assert_eq!(
        kinds,
        vec![json!("SpecCreated"), json!("DeletionRequested")]
    );
}

#[sqlx::test]
async fn writes_to_a_deleting_resource_are_409(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.put("team-a", "web", &doc("one")).await;
    app.delete("team-a", "web").await;
    app.put("team-a", "web", &doc("two")).await.problem(409);
    app.patch("team-a", "web", &json!({"paused": true}))
        .await
        .problem(409);
}

#[sqlx::test]
async fn delete_of_a_missing_resource_is_404(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.delete("team-a", "web").await.problem(404);
}

#[sqlx::test]
async fn stale_if_match_is_412_on_put_patch_and_delete(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let first = app.put("team-a", "web", &doc("one")).await;
    let stale = first.etag();
    app.put("team-a", "web", &doc("two")).await;
    let path = TestApp::resource_path("team-a", "web");
    let put = app
        .request(Method::PUT, &path)
        .header("if-match", &stale)
        .json(&doc("three"));
    app.send(put).await.problem(412);
    let patch = app
        .request(Method::PATCH, &path)
        .header("if-match", &stale)
        .header("content-type", "application/merge-patch+json")
        .body(r#"{"paused": true}"#);
    app.send(patch).await.problem(412);
    let delete = app
        .request(Method::DELETE, &path)
        .header("if-match", &stale);
    app.send(delete).await.problem(412);
    assert_eq!(
        app.get_resource("team-a", "web").await.body["properties"]["ClientName"],
        "two"
    );
}

#[sqlx::test]
async fn current_if_match_is_honoured(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let first = app.put("team-a", "web", &doc("one")).await;
    let path = TestApp::resource_path("team-a", "web");
    let put = app
        .request(Method::PUT, &path)
        .header("if-match", first.etag())
        .json(&doc("two"));
    assert_eq!(app.send(put).await.status, 200);
}

#[sqlx::test]
async fn if_match_on_a_missing_resource_is_412(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let path = TestApp::resource_path("team-a", "web");
    let put = app
        .request(Method::PUT, &path)
        .header("if-match", "\"x-1\"")
        .json(&doc("one"));
    app.send(put).await.problem(412);
}

#[sqlx::test]
async fn if_none_match_star_only_creates(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let path = TestApp::resource_path("team-a", "web");
    let put = || {
        app.request(Method::PUT, &path)
            .header("if-none-match", "*")
            .json(&doc("one"))
    };
    assert_eq!(app.send(put()).await.status, 201);
    app.send(put()).await.problem(412);
}

#[sqlx::test]
async fn fifty_concurrent_puts_with_one_if_match_have_one_winner(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let etag = app.put("team-a", "web", &doc("start")).await.etag();
    let path = TestApp::resource_path("team-a", "web");
    let puts = (0..50).map(|i| {
        let request = app
            .request(Method::PUT, &path)
            .header("if-match", &etag)
            .json(&doc(&format!("v{i}")));
        app.send(request)
    });
    let replies = futures::future::join_all(puts).await;
    let won = replies.iter().filter(|r| r.status == 200).count();
    let lost = replies.iter().filter(|r| r.status == 412).count();
    assert_eq!((won, lost), (1, 49));
    assert_eq!(
        app.get_resource("team-a", "web").await.body["metadata"]["generation"],
        2
    );
}

#[sqlx::test]
async fn concurrent_puts_creating_one_name_all_succeed(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let body = doc("same");
    let puts = (0..10).map(|_| app.put("team-a", "web", &body));
    let replies = futures::future::join_all(puts).await;
    assert_eq!(replies.iter().filter(|r| r.status == 201).count(), 1);
    assert_eq!(replies.iter().filter(|r| r.status == 200).count(), 9);
}

#[sqlx::test]
async fn namespaces_are_separate(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    assert_eq!(app.put("team-a", "web", &doc("a")).await.status, 201);
    assert_eq!(app.put("team-b", "web", &doc("b")).await.status, 201);
    let a = app.get_resource("team-a", "web").await;
    assert_eq!(a.body["properties"]["ClientName"], "a");
}
