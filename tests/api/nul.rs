//! NUL (U+0000), which no Postgres text holds: refused wherever a client can send it, as a
//! problem naming the field or parameter, before any query; never a 500.

use base64::Engine;
use reqwest::Method;
use serde_json::{Value, json};
use sqlx::PgPool;

use ccplane::config::ApiArgs;

use crate::common::{Reply, TestApp, doc, fixture, no_auth};

const NUL: &str = "\u{0}";

/// Every string in `value` (member names too), as the pointer to it and whether it is a name.
fn strings(value: &Value, pointer: &str, found: &mut Vec<(String, bool)>) {
    match value {
        Value::String(_) => found.push((pointer.to_owned(), false)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                strings(item, &format!("{pointer}/{i}"), found);
            }
        }
        Value::Object(members) => {
            for (name, member) in members {
                let at = format!("{pointer}/{}", name.replace('~', "~0").replace('/', "~1"));
                found.push((at.clone(), true));
                strings(member, &at, found);
            }
        }
        _ => {}
    }
}

/// `document` with a NUL put into the string at `pointer` (into the member's name when `name`);
/// returns the pointer at which the answer must name it.
fn with_nul(document: &Value, pointer: &str, name: bool) -> (Value, String) {
    let mut document = document.clone();
    if !name {
        let text = document.pointer_mut(pointer).unwrap();
        *text = json!(format!("{}{NUL}x", text.as_str().unwrap()));
        return (document, pointer.to_owned());
    }
    let (parent, last) = pointer.rsplit_once('/').unwrap();
    let key = last.replace("~1", "/").replace("~0", "~");
    let members = document
        .pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap();
    let member = members.remove(&key).unwrap();
    let renamed = format!("{key}{NUL}");
    members.insert(renamed.clone(), member);
    (document, format!("{parent}/{renamed}"))
}

fn assert_names(reply: &Reply, pointer: &str, what: &str) {
    let problem = reply.problem(422);
    assert_eq!(
        problem["type"], "https://ccplane.dev/problems/validation",
        "{what}"
    );
    assert!(
        reply.pointers().iter().any(|p| p == pointer),
        "{what}: {pointer:?} not in {:?}",
        reply.pointers()
    );
}

#[sqlx::test]
async fn a_nul_in_any_string_of_any_valid_fixture_is_422_at_its_pointer_on_put_and_plan(
    pool: PgPool,
) {
    // Hundreds of requests from one address: no rate limit.
    let settings = ApiArgs {
        rate_limit_per_token: 0,
        ..no_auth()
    };
    let app = TestApp::spawn_with(pool, settings).await;
    let mut cases = 0;
    for name in [
        "seed-basic",
        "seed-advanced",
        "seed-analytics",
        "seed-custom-auth",
    ] {
        let document = json!({"labels": {"team": "a"}, "properties": fixture(name)});
        let mut found = Vec::new();
        strings(&document, "", &mut found);
        for (pointer, is_name) in found {
            let (bad, at) = with_nul(&document, &pointer, is_name);
            let what = format!("{name} {pointer} (name: {is_name})");
            assert_names(&app.put("team-a", "web", &bad).await, &at, &what);
            assert_names(
                &app.action("team-a", "web", "plan", Some(&bad)).await,
                &at,
                &what,
            );
            cases += 1;
        }
    }
    assert!(cases > 40, "{cases}");
    app.get_resource("team-a", "web").await.problem(404);
}

#[sqlx::test]
async fn a_nul_in_attributes_or_the_external_id_is_422_on_put_post_and_patch(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let mut document = json!({"properties": fixture("seed-analytics")});
    document["properties"]["ReadAttributes"] = json!(["email", format!("name{NUL}")]);
    document["properties"]["WriteAttributes"] = json!([format!("{NUL}")]);
    document["properties"]["AnalyticsConfiguration"]["ExternalId"] = json!(format!("e{NUL}"));
    // In the order of the body: the attributes were added after the fixture's members.
    let pointers = [
        "/properties/AnalyticsConfiguration/ExternalId",
        "/properties/ReadAttributes/1",
        "/properties/WriteAttributes/0",
    ];
    let reply = app.put("team-a", "web", &document).await;
    reply.problem(422);
    assert_eq!(reply.pointers(), pointers);
    let mut named = document.clone();
    named["name"] = json!("web");
    let reply = app.post("team-a", &named).await;
    reply.problem(422);
    assert_eq!(reply.pointers(), pointers);
    app.get_resource("team-a", "web").await.problem(404);

    assert_eq!(app.put("team-a", "web", &doc("web")).await.status, 201);
    let patch = json!({"properties": {"ReadAttributes": [format!("a{NUL}")]}});
    let reply = app.patch("team-a", "web", &patch).await;
    reply.problem(422);
    assert_eq!(reply.pointers(), ["/properties/ReadAttributes/0"]);
    assert_eq!(app.events("team-a", "web").await.len(), 1);
}

#[sqlx::test]
async fn a_nul_in_a_token_description_is_422_at_description(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let body = json!({"description": format!("ci{NUL}"), "bindings": [{"role": "viewer", "namespace": "x"}]});
    let request = app.request(Method::POST, "/v1/tokens").json(&body);
    let reply = app.send(request).await;
    reply.problem(422);
    assert_eq!(reply.pointers(), ["/description"]);
}

#[sqlx::test]
async fn a_nul_in_a_query_parameter_a_cursor_or_a_token_id_is_400_naming_it(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    assert_eq!(app.put("team-a", "web", &doc("web")).await.status, 201);
    for list in [
        "/v1/user-pool-clients",
        "/v1/namespaces/team-a/user-pool-clients",
    ] {
        let reply = app.get(&format!("{list}?userPoolId=us-east-1_a%00b")).await;
        let problem = reply.problem(400);
        assert_eq!(
            problem["type"],
            "https://ccplane.dev/problems/invalid-parameter"
        );
        assert!(
            problem["detail"].as_str().unwrap().contains("`userPoolId`"),
            "{problem}"
        );

        // A cursor of the right shape whose position holds a NUL.
        let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(json!([format!("team-a{NUL}"), "web"]).to_string());
        let reply = app.get(&format!("{list}?cursor={forged}")).await;
        let problem = reply.problem(400);
        assert!(
            problem["detail"].as_str().unwrap().contains("`cursor`"),
            "{problem}"
        );
    }
    let reply = app.get("/v1/namespaces/team-a/events?cursor=%00").await;
    assert!(
        reply.problem(400)["detail"]
            .as_str()
            .unwrap()
            .contains("`cursor`")
    );
    let reply = app
        .send(app.request(Method::DELETE, "/v1/tokens/tok_%00"))
        .await;
    assert!(
        reply.problem(400)["detail"]
            .as_str()
            .unwrap()
            .contains("`id`")
    );
    let reply = app.get("/v1/user-pool-clients?labels=a%3Db%00").await;
    assert!(
        reply.problem(400)["detail"]
            .as_str()
            .unwrap()
            .contains("`labels`")
    );
}
