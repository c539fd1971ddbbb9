//! Authentication and authorization: tokens, roles in namespaces, isolation, actors, admin API, CLI.

use std::time::Duration;

use ccplane::access::{Binding, Role};
use ccplane::config::{ApiArgs, TokenAction};
use ccplane::store::tokens;
use chrono::Utc;
use futures::StreamExt;
use reqwest::Method;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common::{Reply, TestApp, doc, issue_token};

/// The app with token authentication, and a way to mint tokens straight in the store.
struct AuthApp {
    app: TestApp,
    pool: PgPool,
    admin: String,
}

fn bindings(spec: &[&str]) -> Vec<Binding> {
    spec.iter().map(|b| Binding::parse(b).unwrap()).collect()
}

impl AuthApp {
    async fn spawn(pool: PgPool) -> AuthApp {
        // Off: these tests send more refused requests from one address than the default allows.
        let unlimited = ApiArgs {
            rate_limit_per_token: 0,
            ..ApiArgs::default()
        };
        Self::spawn_with(pool, unlimited).await
    }

    async fn spawn_with(pool: PgPool, settings: ApiArgs) -> AuthApp {
        let app = TestApp::spawn_with(pool.clone(), settings).await;
        let (admin, _) = issue_token(&pool, &["admin:*"]).await;
        AuthApp { app, pool, admin }
    }

    /// A token with `spec` bindings (`role:namespace`), and its id.
    async fn token(&self, spec: &[&str]) -> (String, String) {
        issue_token(&self.pool, spec).await
    }

    async fn call(
        &self,
        token: Option<&str>,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Reply {
        let mut request = self.app.request(method.clone(), path);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            let content_type = if method == Method::PATCH {
                "application/merge-patch+json"
            } else {
                "application/json"
            };
            request = request
                .header("content-type", content_type)
                .body(body.to_string());
        }
        self.app.send(request).await
    }

    async fn as_admin(&self, method: Method, path: &str, body: Option<&Value>) -> Reply {
        self.call(Some(&self.admin.clone()), method, path, body)
            .await
    }
}

/// What a route needs.
#[derive(Debug, Clone, Copy)]
enum Needs {
    In(Role),
    /// Both roles in the namespace.
    InBoth(Role, Role),
    GlobalAdmin,
    Authenticated,
}

struct Route {
    method: Method,
    path: String,
    body: Option<Value>,
    needs: Needs,
}

fn route(method: Method, path: &str, body: Option<Value>, needs: Needs) -> Route {
    Route {
        method,
        path: path.to_owned(),
        body,
        needs,
    }
}

/// Every route of the API, with what it needs; `i` makes names unique per caller.
fn every_route(i: usize, victim_token: &str, discovery: &str) -> Vec<Route> {
    let web = "/v1/namespaces/team-a/user-pool-clients/web";
    let mut new_client = doc("new");
    new_client["name"] = json!(format!("new-{i}"));
    vec![
        route(Method::GET, web, None, Needs::In(Role::Viewer)),
        route(Method::PUT, web, Some(doc("web")), Needs::In(Role::Editor)),
        route(
            Method::PATCH,
            web,
            Some(json!({"labels": {"n": i.to_string()}})),
            Needs::In(Role::Editor),
        ),
        route(
            Method::DELETE,
            &format!("/v1/namespaces/team-a/user-pool-clients/del-{i}"),
            None,
            Needs::In(Role::Editor),
        ),
        route(
            Method::POST,
            "/v1/namespaces/team-a/user-pool-clients",
            Some(new_client),
            Needs::In(Role::Editor),
        ),
        route(
            Method::GET,
            "/v1/namespaces/team-a/user-pool-clients",
            None,
            Needs::In(Role::Viewer),
        ),
        route(
            Method::GET,
            "/v1/user-pool-clients",
            None,
            Needs::Authenticated,
        ),
        route(
            Method::POST,
            &format!("{web}/plan"),
            Some(doc("web")),
            Needs::In(Role::Editor),
        ),
        route(
            Method::POST,
            &format!("{web}/refresh"),
            None,
            Needs::In(Role::Editor),
        ),
        route(
            Method::POST,
            &format!("{web}/cancel"),
            None,
            Needs::In(Role::Editor),
        ),
        route(
            Method::GET,
            &format!("{web}/secret"),
            None,
            Needs::In(Role::SecretReader),
        ),
        route(
            Method::GET,
            &format!("{web}/secrets"),
            None,
            Needs::In(Role::Viewer),
        ),
        route(
            Method::POST,
            &format!("{web}/secrets"),
            None,
            Needs::InBoth(Role::Editor, Role::SecretReader),
        ),
        route(
            Method::DELETE,
            &format!("{web}/secrets/web--1"),
            None,
            Needs::In(Role::Editor),
        ),
        route(
            Method::GET,
            &format!("{web}/events"),
            None,
            Needs::In(Role::Viewer),
        ),
        route(
            Method::GET,
            "/v1/namespaces/team-a/events",
            None,
            Needs::In(Role::Viewer),
        ),
        route(
            Method::POST,
            "/v1/tokens",
            Some(json!({"bindings": [{"role": "viewer", "namespace": "x"}]})),
            Needs::GlobalAdmin,
        ),
        route(Method::GET, "/v1/tokens", None, Needs::GlobalAdmin),
        route(
            Method::DELETE,
            &format!("/v1/tokens/{victim_token}"),
            None,
            Needs::GlobalAdmin,
        ),
        route(
            Method::PUT,
            "/v1/namespaces/team-a",
            Some(json!({"allowedRegions": []})),
            Needs::GlobalAdmin,
        ),
        route(
            Method::GET,
            "/v1/namespaces/team-a",
            None,
            Needs::In(Role::Viewer),
        ),
        route(Method::GET, "/v1/namespaces", None, Needs::Authenticated),
        route(
            Method::POST,
            "/v1/namespaces/team-a/discoveries",
            Some(json!({"userPoolId": "us-east-1_examplePoolId"})),
            Needs::In(Role::Editor),
        ),
        route(
            Method::GET,
            "/v1/namespaces/team-a/discoveries",
            None,
            Needs::In(Role::Viewer),
        ),
        route(Method::GET, discovery, None, Needs::In(Role::Viewer)),
        route(
            Method::POST,
            &format!("{discovery}/adopt"),
            Some(json!({"clientIds": ["1example23456789abcdefghij"]})),
            Needs::In(Role::Editor),
        ),
    ]
}

/// The status class a binding should get on a route: allowed (`None`), 403 or 404.
fn expected(binding: &str, needs: Needs) -> Option<u16> {
    let b = Binding::parse(binding).unwrap();
    match needs {
        Needs::Authenticated => None,
        Needs::GlobalAdmin => (!(b.role == Role::Admin && b.namespace == "*")).then_some(403),
        Needs::In(role) if b.namespace == "*" || b.namespace == "team-a" => {
            (!b.role.implies(role)).then_some(403)
        }
        Needs::InBoth(one, other) if b.namespace == "*" || b.namespace == "team-a" => {
            (!(b.role.implies(one) && b.role.implies(other))).then_some(403)
        }
        Needs::In(_) | Needs::InBoth(..) => Some(404),
    }
}

#[sqlx::test]
async fn every_route_admits_exactly_the_roles_it_needs(pool: PgPool) {
    let t = AuthApp::spawn(pool).await;
    let callers = [
        "viewer:team-a",
        "editor:team-a",
        "secret-reader:team-a",
        "admin:team-a",
        "viewer:*",
        "editor:*",
        "secret-reader:*",
        "admin:*",
        "admin:team-b",
    ];
    let path = TestApp::resource_path("team-a", "web");
    assert_eq!(
        t.as_admin(Method::PUT, &path, Some(&doc("web")))
            .await
            .status,
        201
    );
    let settings = json!({"allowedRegions": []});
    assert_eq!(
        t.as_admin(Method::PUT, "/v1/namespaces/team-a", Some(&settings))
            .await
            .status,
        201
    );
    let (_, victim) = t.token(&["viewer:team-a"]).await;
    let started = json!({"userPoolId": "us-east-1_examplePoolId"});
    let discovery = t
        .as_admin(
            Method::POST,
            "/v1/namespaces/team-a/discoveries",
            Some(&started),
        )
        .await;
    assert_eq!(discovery.status, 202, "{}", discovery.body);
    let discovery = discovery.header("location").unwrap().to_owned();
    let mut checked = 0;
    for (i, binding) in callers.iter().enumerate() {
        let del = TestApp::resource_path("team-a", &format!("del-{i}"));
        assert_eq!(
            t.as_admin(Method::PUT, &del, Some(&doc("del")))
                .await
                .status,
            201
        );
        let (token, _) = t.token(&[binding]).await;
        for r in every_route(i, &victim, &discovery) {
            let reply = t
                .call(Some(&token), r.method.clone(), &r.path, r.body.as_ref())
                .await;
            let what = format!("{binding} {} {}: {}", r.method, r.path, reply.body);
            match expected(binding, r.needs) {
                Some(status) => {
                    assert_eq!(reply.status.as_u16(), status, "{what}");
                    assert_eq!(
                        reply.header("content-type"),
                        Some("application/problem+json"),
                        "{what}"
                    );
                }
                None => assert!(![401, 403, 404].contains(&reply.status.as_u16()), "{what}"),
            }
            checked += 1;
        }
        // Without a token, every route asks for one.
        for r in every_route(i, &victim, &discovery) {
            let reply = t
                .call(None, r.method.clone(), &r.path, r.body.as_ref())
                .await;
            reply.problem(401);
            assert_eq!(
                reply.header("www-authenticate"),
                Some(r#"Bearer realm="ccplane""#)
            );
        }
    }
    assert_eq!(checked, callers.len() * 26);
}

#[sqlx::test]
async fn bad_tokens_answer_401_with_a_bearer_challenge(pool: PgPool) {
    let t = AuthApp::spawn(pool.clone()).await;
    let invalid = r#"Bearer realm="ccplane", error="invalid_token""#;
    let (token, id) = t.token(&["viewer:*"]).await;
    let forged = format!("ccp_{id}_{}", "A".repeat(43));
    let expired = ccplane::access::token::mint_token();
    let past = Utc::now() - chrono::Duration::minutes(1);
    tokens::insert(
        &pool,
        &expired.id,
        "old",
        &expired.secret_hash,
        &bindings(&["viewer:*"]),
        Some(past),
    )
    .await
    .unwrap();
    let one = TestApp::resource_path("team-a", "web");
    let created = t.as_admin(Method::PUT, &one, Some(&doc("web"))).await;
    assert_eq!(created.status, 201, "{}", created.body);

    // A list, and a read of one resource (which reads the token in the same statement as the
    // resource): the same answers.
    for path in ["/v1/user-pool-clients", one.as_str()] {
        let reply = t.call(None, Method::GET, path, None).await;
        assert_eq!(
            reply.problem(401)["type"],
            "https://ccplane.dev/problems/unauthorized"
        );
        assert_eq!(
            reply.header("www-authenticate"),
            Some(r#"Bearer realm="ccplane""#)
        );

        let basic = t
            .app
            .request(Method::GET, path)
            .header("authorization", "Basic dXNlcjpwYXNz");
        t.app.send(basic).await.problem(401);

        for bad in ["abc", "ccp_tok_short", "ccp_tok_aaaaaaaaaaaa_secret"] {
            let reply = t.call(Some(bad), Method::GET, path, None).await;
            reply.problem(401);
            assert_eq!(reply.header("www-authenticate"), Some(invalid), "{bad}");
        }

        // The right id with a wrong secret: nothing of the resource leaks.
        let reply = t.call(Some(&forged), Method::GET, path, None).await;
        assert_eq!(
            reply.problem(401)["detail"],
            "the token is not valid",
            "{path}"
        );
        assert_eq!(
            t.call(Some(&token), Method::GET, path, None).await.status,
            200
        );

        let reply = t.call(Some(&expired.token), Method::GET, path, None).await;
        assert_eq!(reply.problem(401)["detail"], "the token expired", "{path}");
        assert_eq!(reply.header("www-authenticate"), Some(invalid));
    }
}

#[sqlx::test]
async fn authentication_comes_before_checking_the_path(pool: PgPool) {
    let t = AuthApp::spawn(pool).await;
    let (token, _) = t.token(&["viewer:*"]).await;
    for path in [
        "/v1/namespaces/Not_A_Label/user-pool-clients/web",
        "/v1/namespaces/team-a/user-pool-clients/Not_A_Label",
        "/v1/namespaces/Not_A_Label/user-pool-clients",
    ] {
        t.call(None, Method::GET, path, None).await.problem(401);
        t.call(Some(&token), Method::GET, path, None)
            .await
            .problem(400);
    }
}

#[sqlx::test]
async fn revocation_takes_effect_on_the_next_request(pool: PgPool) {
    let t = AuthApp::spawn(pool).await;
    let one = TestApp::resource_path("team-a", "web");
    let created = t.as_admin(Method::PUT, &one, Some(&doc("web"))).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let (token, id) = t.token(&["viewer:*"]).await;
    for path in ["/v1/user-pool-clients", one.as_str()] {
        let reply = t.call(Some(&token), Method::GET, path, None).await;
        assert_eq!(reply.status, 200, "{path}");
    }
    let revoked = t
        .as_admin(Method::DELETE, &format!("/v1/tokens/{id}"), None)
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.body);
    assert!(revoked.body["revokedAt"].is_string());
    for path in ["/v1/user-pool-clients", one.as_str()] {
        let reply = t.call(Some(&token), Method::GET, path, None).await;
        assert_eq!(
            reply.problem(401)["detail"],
            "the token was revoked",
            "{path}"
        );
    }
    t.as_admin(Method::DELETE, "/v1/tokens/tok_000000000000", None)
        .await
        .problem(404);
}

#[sqlx::test]
async fn a_namespace_the_caller_cannot_see_looks_exactly_like_a_missing_resource(pool: PgPool) {
    let t = AuthApp::spawn(pool).await;
    for ns in ["team-a", "team-b"] {
        let reply = t
            .as_admin(
                Method::PUT,
                &TestApp::resource_path(ns, "web"),
                Some(&doc("web")),
            )
            .await;
        assert_eq!(reply.status, 201);
    }
    let (token, _) = t.token(&["viewer:team-a", "secret-reader:team-a"]).await;
    let tok = Some(token.as_str());
    let hidden = t
        .call(
            tok,
            Method::GET,
            &TestApp::resource_path("team-b", "web"),
            None,
        )
        .await;
    let missing = t
        .as_admin(Method::GET, &TestApp::resource_path("team-b", "nope"), None)
        .await;
    hidden.problem(404);
    missing.problem(404);
    let mut expected = missing.body.clone();
    expected["detail"] = json!("user pool client team-b/web does not exist");
    assert_eq!(hidden.body, expected);

    // Per-namespace list, events, the stream and the secret: all 404 in team-b.
    for path in [
        "/v1/namespaces/team-b/user-pool-clients",
        "/v1/namespaces/team-b/events",
        "/v1/namespaces/team-b/events?watch=true",
        "/v1/namespaces/team-b/user-pool-clients/web/events",
        "/v1/namespaces/team-b/user-pool-clients/web/secret",
        "/v1/namespaces/team-b",
    ] {
        t.call(tok, Method::GET, path, None).await.problem(404);
    }

    // The global list shows only team-a; team-a's events only team-a's.
    let all = t
        .call(tok, Method::GET, "/v1/user-pool-clients", None)
        .await;
    let namespaces: Vec<&str> = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["namespace"].as_str().unwrap())
        .collect();
    assert_eq!(namespaces, ["team-a"]);
    let everything = t.as_admin(Method::GET, "/v1/user-pool-clients", None).await;
    assert_eq!(everything.body["items"].as_array().unwrap().len(), 2);
    let events = t
        .call(tok, Method::GET, "/v1/namespaces/team-a/events", None)
        .await;
    assert!(
        events.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["namespace"] == "team-a")
    );
}

#[sqlx::test]
async fn the_live_stream_needs_viewer_and_shows_only_its_namespace(pool: PgPool) {
    let t = AuthApp::spawn(pool).await;
    let (viewer, _) = t.token(&["viewer:team-a"]).await;
    let (reader, _) = t.token(&["secret-reader:team-a"]).await;
    let url = "/v1/namespaces/team-a/events?watch=true";
    t.call(Some(&reader), Method::GET, url, None)
        .await
        .problem(403);
    let response = t
        .app
        .request(Method::GET, url)
        .bearer_auth(&viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut stream = response.bytes_stream();
    t.as_admin(
        Method::PUT,
        &TestApp::resource_path("team-b", "other"),
        Some(&doc("b")),
    )
    .await;
    t.as_admin(
        Method::PUT,
        &TestApp::resource_path("team-a", "mine"),
        Some(&doc("a")),
    )
    .await;
    let mut text = String::new();
    while !text.contains("\"name\":\"mine\"") {
        let chunk = tokio::time::timeout(Duration::from_secs(20), stream.next())
            .await
            .expect("an event arrives")
            .expect("the stream is open")
            .unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(!text.contains("team-b"), "{text}");
}

#[sqlx::test]
async fn events_record_the_token_that_caused_them(pool: PgPool) {
    let t = AuthApp::spawn(pool).await;
    let (editor, id) = t.token(&["editor:team-a", "secret-reader:team-a"]).await;
    let path = TestApp::resource_path("team-a", "web");
    let tok = Some(editor.as_str());
    assert_eq!(
        t.call(tok, Method::PUT, &path, Some(&doc("web")))
            .await
            .status,
        201
    );
    assert_eq!(
        t.call(tok, Method::PUT, &path, Some(&doc("renamed")))
            .await
            .status,
        200
    );
    assert_eq!(
        t.call(tok, Method::POST, &format!("{path}/refresh"), None)
            .await
            .status,
        202
    );
    assert_eq!(t.call(tok, Method::DELETE, &path, None).await.status, 202);
    let events = t
        .call(tok, Method::GET, &format!("{path}/events"), None)
        .await;
    let kinds: Vec<(&str, &str)> = events.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap(),
                e["actor"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    let actor = format!("token:{id}");
    assert_eq!(
        kinds,
        [
            ("SpecCreated", actor.as_str()),
            ("SpecChanged", actor.as_str()),
            ("RefreshRequested", actor.as_str()),
            ("DeletionRequested", actor.as_str()),
        ]
    );
}

#[sqlx::test]
async fn idempotency_keys_are_scoped_to_the_token(pool: PgPool) {
    let t = AuthApp::spawn(pool).await;
    let (first, _) = t.token(&["editor:team-a"]).await;
    let (second, _) = t.token(&["editor:team-a"]).await;
    let mut body = doc("web");
    body["name"] = json!("web");
    let post = |token: String| {
        let request = t
            .app
            .request(Method::POST, "/v1/namespaces/team-a/user-pool-clients")
            .bearer_auth(token)
            .header("idempotency-key", "k-1")
            .json(&body);
        t.app.send(request)
    };
    assert_eq!(post(first.clone()).await.status, 201);
    let replay = post(first).await;
    assert_eq!(replay.status, 201);
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    // Another token's same key is a new request: the name exists.
    post(second).await.problem(409);
}

#[sqlx::test]
async fn a_region_the_namespace_may_not_use_is_rejected_at_region(pool: PgPool) {
    let t = AuthApp::spawn(pool).await;
    let settings = json!({"allowedRegions": ["eu-west-1"], "roleArn": "arn:aws:iam::123456789012:role/team-a"});
    let reply = t
        .as_admin(Method::PUT, "/v1/namespaces/team-a", Some(&settings))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(
        reply.body["roleArn"],
        "arn:aws:iam::123456789012:role/team-a"
    );
    assert_eq!(
        t.as_admin(Method::PUT, "/v1/namespaces/team-a", Some(&settings))
            .await
            .status,
        200
    );

    let path = TestApp::resource_path("team-a", "web");
    let reply = t.as_admin(Method::PUT, &path, Some(&doc("web"))).await;
    reply.problem(422);
    assert_eq!(reply.pointers(), ["/region"]);
    let reply = t
        .as_admin(Method::POST, &format!("{path}/plan"), Some(&doc("web")))
        .await;
    assert_eq!(reply.pointers(), ["/region"]);

    let mut eu = doc("web");
    eu["region"] = json!("eu-west-1");
    eu["properties"]["UserPoolId"] = json!("eu-west-1_examplePoolId");
    assert_eq!(t.as_admin(Method::PUT, &path, Some(&eu)).await.status, 201);
    let patch = json!({"region": "us-east-1"});
    let reply = t.as_admin(Method::PATCH, &path, Some(&patch)).await;
    assert_eq!(reply.pointers(), ["/region"]);
    // Other namespaces are unrestricted.
    let other = TestApp::resource_path("team-b", "web");
    assert_eq!(
        t.as_admin(Method::PUT, &other, Some(&doc("web")))
            .await
            .status,
        201
    );

    let bad = json!({"allowedRegions": ["moon-1"], "roleArn": "nope"});
    let reply = t
        .as_admin(Method::PUT, "/v1/namespaces/team-a", Some(&bad))
        .await;
    reply.problem(422);
    assert_eq!(reply.pointers(), ["/allowedRegions/0", "/roleArn"]);
}

/// Without tokens no statement reads the namespace's settings along with the caller: the region
/// check reads them itself.
#[sqlx::test]
async fn the_region_check_holds_without_authentication_too(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let settings = json!({"allowedRegions": ["eu-west-1"]});
    let request = app
        .request(Method::PUT, "/v1/namespaces/team-a")
        .header("content-type", "application/json")
        .body(settings.to_string());
    assert_eq!(app.send(request).await.status, 201);
    let reply = app.put("team-a", "web", &doc("web")).await;
    reply.problem(422);
    assert_eq!(reply.pointers(), ["/region"]);
    assert_eq!(app.put("team-b", "web", &doc("web")).await.status, 201);
}

#[sqlx::test]
async fn namespace_settings_are_listed_only_where_the_caller_may_view(pool: PgPool) {
    let t = AuthApp::spawn(pool).await;
    for ns in ["team-a", "team-b"] {
        let reply = t
            .as_admin(
                Method::PUT,
                &format!("/v1/namespaces/{ns}"),
                Some(&json!({})),
            )
            .await;
        assert_eq!(reply.status, 201);
    }
    let (viewer, _) = t.token(&["viewer:team-b"]).await;
    let list = t
        .call(Some(&viewer), Method::GET, "/v1/namespaces", None)
        .await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(list.body["items"][0]["name"], "team-b");
    let all = t.as_admin(Method::GET, "/v1/namespaces", None).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 2);
}

#[sqlx::test]
async fn tokens_are_created_listed_and_revoked_through_the_admin_api(pool: PgPool) {
    let t = AuthApp::spawn(pool).await;
    let body =
        json!({"description": "portal", "bindings": [{"role": "editor", "namespace": "team-a"}]});
    let created = t.as_admin(Method::POST, "/v1/tokens", Some(&body)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let token = created.body["token"].as_str().unwrap().to_owned();
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert!(token.starts_with(&format!("ccp_{id}_")));
    let put = t
        .call(
            Some(&token),
            Method::PUT,
            &TestApp::resource_path("team-a", "web"),
            Some(&doc("web")),
        )
        .await;
    assert_eq!(put.status, 201);

    let list = t.as_admin(Method::GET, "/v1/tokens", None).await;
    let text = list.body.to_string();
    let (_, secret) = ccplane::access::token::parse_token(&token).expect("a well-formed token");
    assert!(!text.contains(secret) && !text.contains("secretHash") && !text.contains("\"token\""));
    let listed = list.body["items"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .any(|t| t["id"] == id.as_str() && t["description"] == "portal")
    );

    let bad = json!({"bindings": [{"role": "viewer", "namespace": "Not_A_Label"}], "expiresAt": "2000-01-01T00:00:00Z"});
    let reply = t.as_admin(Method::POST, "/v1/tokens", Some(&bad)).await;
    reply.problem(422);
    assert_eq!(reply.pointers(), ["/bindings/0/namespace", "/expiresAt"]);
    let unknown_role = json!({"bindings": [{"role": "owner", "namespace": "x"}]});
    t.as_admin(Method::POST, "/v1/tokens", Some(&unknown_role))
        .await
        .problem(400);

    assert_eq!(
        t.as_admin(Method::DELETE, &format!("/v1/tokens/{id}"), None)
            .await
            .status,
        200
    );
    let reply = t
        .call(
            Some(&token),
            Method::GET,
            "/v1/namespaces/team-a/user-pool-clients",
            None,
        )
        .await;
    reply.problem(401);
}

#[sqlx::test]
async fn the_token_cli_creates_lists_and_revokes_without_any_token(pool: PgPool) {
    let create = TokenAction::Create {
        description: "bootstrap".into(),
        bindings: bindings(&["admin:*"]),
        expires_in_days: Some(30),
    };
    let mut out = Vec::new();
    ccplane::cli::token::run_token_command(&pool, &create, &mut out)
        .await
        .unwrap();
    let token = String::from_utf8(out).unwrap().trim().to_owned();
    let (id, secret) = ccplane::access::token::parse_token(&token).expect("a well-formed token");

    let t = AuthApp::spawn(pool.clone()).await;
    assert_eq!(
        t.call(Some(&token), Method::GET, "/v1/tokens", None)
            .await
            .status,
        200
    );

    let mut out = Vec::new();
    ccplane::cli::token::run_token_command(&pool, &TokenAction::List, &mut out)
        .await
        .unwrap();
    let listing = String::from_utf8(out).unwrap();
    assert!(listing.contains(id) && listing.contains("admin:*") && listing.contains("bootstrap"));
    assert!(!listing.contains(secret));

    let revoke = TokenAction::Revoke { id: id.to_owned() };
    let mut out = Vec::new();
    ccplane::cli::token::run_token_command(&pool, &revoke, &mut out)
        .await
        .unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap().trim(),
        format!("revoked {id}")
    );
    t.call(Some(&token), Method::GET, "/v1/tokens", None)
        .await
        .problem(401);
    let missing = TokenAction::Revoke {
        id: "tok_000000000000".into(),
    };
    assert!(
        ccplane::cli::token::run_token_command(&pool, &missing, &mut Vec::new())
            .await
            .is_err()
    );
}

#[sqlx::test]
async fn health_stays_open_and_metrics_and_docs_can_require_a_token(pool: PgPool) {
    let open = AuthApp::spawn(pool.clone()).await;
    for path in ["/healthz", "/readyz", "/metrics", "/openapi.json", "/docs/"] {
        assert_eq!(
            open.call(None, Method::GET, path, None).await.status,
            200,
            "{path}"
        );
    }
    drop(open);
    let settings = ApiArgs {
        metrics_auth: true,
        docs_auth: true,
        ..ApiArgs::default()
    };
    let closed = AuthApp::spawn_with(pool, settings).await;
    for path in ["/healthz", "/readyz"] {
        assert_eq!(
            closed.call(None, Method::GET, path, None).await.status,
            200,
            "{path}"
        );
    }
    let (any, _) = closed.token(&["viewer:team-z"]).await;
    for path in ["/metrics", "/openapi.json", "/docs/"] {
        closed
            .call(None, Method::GET, path, None)
            .await
            .problem(401);
        assert_eq!(
            closed
                .call(Some(&any), Method::GET, path, None)
                .await
                .status,
            200,
            "{path}"
        );
    }
}

#[sqlx::test]
async fn the_spec_declares_the_bearer_scheme_on_every_protected_operation(pool: PgPool) {
    let t = AuthApp::spawn(pool).await;
    let spec = t.call(None, Method::GET, "/openapi.json", None).await.body;
    assert_eq!(
        spec["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let security = &op["security"];
            if path.starts_with("/v1/") {
                assert_eq!(security, &json!([{"bearer": []}]), "{method} {path}");
                assert!(op["responses"]["401"].is_object() && op["responses"]["403"].is_object());
            } else if path != "/metrics" {
                // Open, and said so: an empty list overrides any document-wide requirement.
                assert_eq!(security, &json!([]), "{method} {path}");
            }
        }
    }
}

/// Every route that names namespace team-b (and its client `web`): method, path, body, and
/// whether the admin's call would create what it names (so its answer is no "missing" one).
fn team_b_routes() -> Vec<(Method, String, Option<Value>, bool)> {
    let web = TestApp::resource_path("team-b", "web");
    let mut named = doc("web");
    named["name"] = json!("web");
    vec![
        (Method::GET, web.clone(), None, false),
        (Method::PUT, web.clone(), Some(doc("web")), true),
        (
            Method::PATCH,
            web.clone(),
            Some(json!({"labels": {"a": "b"}})),
            false,
        ),
        (Method::DELETE, web.clone(), None, false),
        (
            Method::POST,
            "/v1/namespaces/team-b/user-pool-clients".into(),
            Some(named),
            true,
        ),
        (
            Method::GET,
            "/v1/namespaces/team-b/user-pool-clients".into(),
            None,
            false,
        ),
        (Method::POST, format!("{web}/plan"), Some(doc("web")), false),
        (Method::POST, format!("{web}/refresh"), None, false),
        (Method::POST, format!("{web}/cancel"), None, false),
        (Method::GET, format!("{web}/secret"), None, false),
        (Method::GET, format!("{web}/events"), None, false),
        (
            Method::GET,
            "/v1/namespaces/team-b/events".into(),
            None,
            false,
        ),
        // The admin's answer is an endless stream: never its "missing" answer.
        (
            Method::GET,
            "/v1/namespaces/team-b/events?watch=true".into(),
            None,
            true,
        ),
        (Method::GET, "/v1/namespaces/team-b".into(), None, false),
        (
            Method::PUT,
            "/v1/namespaces/team-b".into(),
            Some(json!({})),
            true,
        ),
    ]
}

#[sqlx::test]
async fn on_every_route_the_outsider_gets_the_missing_answer_whether_or_not_it_exists(
    pool: PgPool,
) {
    let t = AuthApp::spawn(pool).await;
    let (outsider, _) = t.token(&["admin:team-a"]).await;
    let routes = team_b_routes();
    let mut before = Vec::new();
    for (method, path, body, creates) in &routes {
        let theirs = t
            .call(Some(&outsider), method.clone(), path, body.as_ref())
            .await;
        if !creates {
            let missing = t.as_admin(method.clone(), path, body.as_ref()).await;
            if missing.status == 404 {
                assert_eq!(theirs.body, missing.body, "{method} {path}");
            }
        }
        before.push((theirs.status, theirs.body));
    }
    // team-b now has a client, its events and settings.
    let web = TestApp::resource_path("team-b", "web");
    assert_eq!(
        t.as_admin(Method::PUT, &web, Some(&doc("web")))
            .await
            .status,
        201
    );
    let settings = json!({"allowedRegions": []});
    assert_eq!(
        t.as_admin(Method::PUT, "/v1/namespaces/team-b", Some(&settings))
            .await
            .status,
        201
    );
    for ((method, path, body, _), (status, seen)) in routes.iter().zip(before) {
        let reply = t
            .call(Some(&outsider), method.clone(), path, body.as_ref())
            .await;
        assert_eq!(
            (reply.status, &reply.body),
            (status, &seen),
            "{method} {path}"
        );
        // An outsider with a strong role elsewhere: every route here is hidden (or, for the
        // administration of namespaces, forbidden to all but admin on every namespace).
        assert!(
            [403, 404].contains(&reply.status.as_u16()),
            "{method} {path}"
        );
        assert_eq!(
            reply.header("content-type"),
            Some("application/problem+json")
        );
    }
}
