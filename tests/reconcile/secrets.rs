//! A client's secrets through the API, Cognito's side through the real
//! aws-sdk-cognitoidentityprovider against the emulator: list, add a second, retire one; the
//! limits; a client without a secret; and no value in any event.

use ccplane_emulator::DEFAULT_ACCOUNT;
use reqwest::Method;
use serde_json::Value;
use sqlx::PgPool;

use crate::common::basic;
use crate::harness::{Harness, POOL_ID};

const SECRETS: &str = "/v1/namespaces/team-a/user-pool-clients/web/secrets";

async fn secrets(h: &Harness) -> Vec<Value> {
    let reply = h.app.get(SECRETS).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body["items"].as_array().unwrap().clone()
}

async fn add(h: &Harness) -> crate::common::Reply {
    h.app.send(h.app.request(Method::POST, SECRETS)).await
}

async fn retire(h: &Harness, id: &str) -> crate::common::Reply {
    let path = format!("{SECRETS}/{id}");
    h.app.send(h.app.request(Method::DELETE, &path)).await
}

/// The values Cognito (the emulator) holds for the client, oldest first.
fn held(h: &Harness, client_id: &str) -> Vec<String> {
    let secrets = h
        .emulator
        .control()
        .client_secrets(DEFAULT_ACCOUNT, POOL_ID, client_id);
    secrets.unwrap().into_iter().map(|s| s.value).collect()
}

#[sqlx::test]
async fn a_manual_rotation_adds_a_second_secret_then_retires_the_first(pool: PgPool) {
    let h = Harness::start(pool.clone()).await;
    let client_id = h.ready_client(&basic()).await;
    let first = secrets(&h).await;
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0]["current"], true);
    let old_id = first[0]["id"].as_str().unwrap().to_owned();

    let added = add(&h).await;
    assert_eq!(added.status, 201, "{}", added.body);
    assert_eq!(added.header("cache-control"), Some("no-store"));
    let value = added.body["clientSecret"].as_str().unwrap().to_owned();
    let new_id = added.body["id"].as_str().unwrap().to_owned();
    assert_eq!(added.body["clientId"], client_id.as_str());
    assert_eq!(
        held(&h, &client_id)[1],
        value,
        "Cognito holds the value answered"
    );

    let both = secrets(&h).await;
    assert_eq!(both.len(), 2);
    assert_eq!(both[1]["id"], new_id.as_str());
    assert_eq!(both[1]["current"], true);
    assert_eq!(both[0]["current"], false);
    assert!(
        both.iter().all(|s| s.get("clientSecret").is_none()),
        "{both:?}"
    );

    // A third is refused, naming the one to retire.
    let full = add(&h).await;
    assert_eq!(full.status, 409, "{}", full.body);
    assert!(
        full.body["detail"].as_str().unwrap().contains(&old_id),
        "{}",
        full.body
    );

    assert_eq!(retire(&h, &old_id).await.status, 204);
    assert_eq!(held(&h, &client_id), std::slice::from_ref(&value));
    let last = retire(&h, &new_id).await;
    assert_eq!(last.status, 409, "{}", last.body);
    assert_eq!(retire(&h, &old_id).await.status, 404);

    // Each change is an event with its actor's view and the secret's id; no value anywhere.
    let kinds = h.app.event_kinds("team-a", "web").await;
    assert!(kinds.contains(&Value::from("SecretAdded")), "{kinds:?}");
    assert!(kinds.contains(&Value::from("SecretRetired")), "{kinds:?}");
    let events = h.app.events("team-a", "web").await;
    let retired = events
        .iter()
        .find(|e| e["kind"] == "SecretRetired")
        .unwrap();
    assert_eq!(retired["data"]["secretId"], old_id.as_str());
    let everything: String = sqlx::query_scalar(
        "select coalesce(string_agg(t::text, ' '), '') from (
             select e::text as t from events e
             union all select r::text from resources r
             union all select o::text from operations o) all_rows",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(!everything.contains(&value), "a secret value reached a row");
}

#[sqlx::test]
async fn a_client_without_a_secret_has_none_to_rotate(pool: PgPool) {
    let h = Harness::start(pool).await;
    // Without the property at all, as most documents are.
    let mut doc = basic();
    doc["properties"]
        .as_object_mut()
        .unwrap()
        .remove("GenerateSecret");
    h.ready_client(&doc).await;
    for reply in [h.app.get(SECRETS).await, add(&h).await] {
        assert_eq!(reply.status, 409, "{}", reply.body);
        assert!(
            reply.body["detail"]
                .as_str()
                .unwrap()
                .contains("GenerateSecret")
        );
    }
}

#[sqlx::test]
async fn secrets_of_a_client_not_made_yet_are_a_conflict_and_bad_ids_are_refused(pool: PgPool) {
    let h = Harness::start(pool).await;
    h.put_web(&basic()).await;
    assert_eq!(h.app.get(SECRETS).await.status, 409);
    let path = format!("{SECRETS}/not%20an%20id");
    let reply = h.app.send(h.app.request(Method::DELETE, &path)).await;
    assert_eq!(reply.status, 400, "{}", reply.body);
}

#[sqlx::test]
async fn a_throttled_read_of_the_secrets_is_a_503_with_retry_after_never_a_500(pool: PgPool) {
    let h = Harness::start(pool).await;
    h.ready_client(&basic()).await;
    let starved = ccplane_emulator::QuotaChange {
        cognito_read_rps: Some(0.001),
        ..Default::default()
    };
    h.emulator.control().set_quotas(&starved).unwrap();
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let reply = h.app.get(SECRETS).await;
        statuses.push(reply.status.as_u16());
        if reply.status == 503 {
            assert_eq!(reply.header("retry-after"), Some("1"));
            let kind = reply.body["type"].as_str().unwrap();
            assert!(kind.ends_with("/aws-unavailable"), "{}", reply.body);
            return;
        }
    }
    panic!("Cognito's throttle never showed: {statuses:?}");
}

#[sqlx::test]
async fn the_secrets_of_a_client_gone_from_aws_are_a_conflict_not_a_gateway_error(pool: PgPool) {
    let h = Harness::start(pool).await;
    let client_id = h.ready_client(&basic()).await;
    h.delete_out_of_band(&client_id);
    let reply = h.app.get(SECRETS).await;
    assert_eq!(reply.status, 409, "{}", reply.body);
}
