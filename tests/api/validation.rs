//! Bad input gets a clear problem and changes nothing: syntax, media type, size, and every rule.

use reqwest::Method;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common::TestApp;

fn with(properties: Value) -> Value {
    let mut base = json!({"UserPoolId": "us-east-1_examplePoolId", "ClientName": "app"});
    for (k, v) in properties.as_object().unwrap() {
        base[k] = v.clone();
    }
    json!({ "properties": base })
}

/// Each Cognito rule the schema does not carry: a document that breaks it (and the pointer the
/// error must name) and one that keeps it.
fn cognito_rules() -> Vec<(&'static str, Value, &'static str, Value)> {
    vec![
        (
            "user pool id pattern",
            json!({"UserPoolId": "no-underscore"}),
            "/properties/UserPoolId",
            json!({"UserPoolId": "eu-west-1_Ab12"}),
        ),
        (
            "client name pattern",
            json!({"ClientName": "bad<name>"}),
            "/properties/ClientName",
            json!({"ClientName": "good name+=,.@-"}),
        ),
        (
            "explicit auth flow enum",
            json!({"ExplicitAuthFlows": ["ALLOW_TELEPATHY"]}),
            "/properties/ExplicitAuthFlows/0",
            json!({"ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
        ),
        (
            "legacy auth flows not mixed with ALLOW_",
            json!({"ExplicitAuthFlows": ["USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]}),
            "/properties/ExplicitAuthFlows",
            json!({"ExplicitAuthFlows": ["USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"]}),
        ),
        (
            "oauth flow enum",
            json!({"AllowedOAuthFlows": ["password"]}),
            "/properties/AllowedOAuthFlows/0",
            json!({"AllowedOAuthFlows": ["code", "implicit"]}),
        ),
        (
            "client_credentials alone",
            json!({"GenerateSecret": true, "AllowedOAuthFlows": ["client_credentials", "code"]}),
            "/properties/AllowedOAuthFlows",
            json!({"GenerateSecret": true, "AllowedOAuthFlows": ["client_credentials"]}),
        ),
        (
            "client_credentials needs a secret",
            json!({"AllowedOAuthFlows": ["client_credentials"]}),
            "/properties/AllowedOAuthFlows/0",
            json!({"GenerateSecret": true, "AllowedOAuthFlows": ["client_credentials"]}),
        ),
        (
            "token validity units",
            json!({"TokenValidityUnits": {"AccessToken": "weeks"}}),
            "/properties/TokenValidityUnits/AccessToken",
            json!({"TokenValidityUnits": {"AccessToken": "seconds"}}),
        ),
        (
            "access token validity in default hours",
            json!({"AccessTokenValidity": 60}),
            "/properties/AccessTokenValidity",
            json!({"AccessTokenValidity": 24}),
        ),
        (
            "id token validity in minutes",
            json!({"IdTokenValidity": 4, "TokenValidityUnits": {"IdToken": "minutes"}}),
            "/properties/IdTokenValidity",
            json!({"IdTokenValidity": 5, "TokenValidityUnits": {"IdToken": "minutes"}}),
        ),
        (
            "refresh token validity in days",
            json!({"RefreshTokenValidity": 3651}),
            "/properties/RefreshTokenValidity",
            json!({"RefreshTokenValidity": 3650}),
        ),
        (
            "refresh token validity in minutes",
            json!({"RefreshTokenValidity": 59, "TokenValidityUnits": {"RefreshToken": "minutes"}}),
            "/properties/RefreshTokenValidity",
            json!({"RefreshTokenValidity": 60, "TokenValidityUnits": {"RefreshToken": "minutes"}}),
        ),
        (
            "prevent user existence errors enum",
            json!({"PreventUserExistenceErrors": "MAYBE"}),
            "/properties/PreventUserExistenceErrors",
            json!({"PreventUserExistenceErrors": "LEGACY"}),
        ),
        (
            "at most 100 callback urls",
            json!({"CallbackURLs": (0..101).map(|i| format!("https://e.com/{i}")).collect::<Vec<_>>()}),
            "/properties/CallbackURLs",
            json!({"CallbackURLs": (0..100).map(|i| format!("https://e.com/{i}")).collect::<Vec<_>>()}),
        ),
        (
            "callback url length",
            json!({"CallbackURLs": [format!("https://e.com/{}", "a".repeat(1020))]}),
            "/properties/CallbackURLs/0",
            json!({"CallbackURLs": [format!("https://e.com/{}", "a".repeat(1000))]}),
        ),
        (
            "callback url https",
            json!({"CallbackURLs": ["http://example.com/cb"]}),
            "/properties/CallbackURLs/0",
            json!({"CallbackURLs": ["http://localhost:3000/cb", "myapp://callback"]}),
        ),
        (
            "callback url absolute",
            json!({"CallbackURLs": ["/relative/cb"]}),
            "/properties/CallbackURLs/0",
            json!({"CallbackURLs": ["https://example.com/cb"]}),
        ),
        (
            "callback url without fragment",
            json!({"CallbackURLs": ["https://example.com/cb#frag"]}),
            "/properties/CallbackURLs/0",
            json!({"CallbackURLs": ["https://example.com/cb?x=1"]}),
        ),
        (
            "logout url https",
            json!({"LogoutURLs": ["http://example.com/bye"]}),
            "/properties/LogoutURLs/0",
            json!({"LogoutURLs": ["https://example.com/bye"]}),
        ),
        (
            "default redirect is a callback url",
            json!({"CallbackURLs": ["https://a.com/cb"], "DefaultRedirectURI": "https://b.com/cb"}),
            "/properties/DefaultRedirectURI",
            json!({"CallbackURLs": ["https://a.com/cb"], "DefaultRedirectURI": "https://a.com/cb"}),
        ),
        (
            "at most 50 scopes",
            json!({"AllowedOAuthScopes": (0..51).map(|i| format!("s{i}")).collect::<Vec<_>>()}),
            "/properties/AllowedOAuthScopes",
            json!({"AllowedOAuthScopes": (0..50).map(|i| format!("s{i}")).collect::<Vec<_>>()}),
        ),
    ]
}

#[sqlx::test]
async fn each_cognito_rule_rejects_a_breach_and_accepts_a_keeper(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    for (i, (rule, bad, pointer, good)) in cognito_rules().into_iter().enumerate() {
        let name = format!("rule-{i}");
        let reply = app.put("team-a", &name, &with(bad)).await;
        reply.problem(422);
        assert!(
            reply.pointers().contains(&pointer.to_owned()),
            "{rule}: {}",
            reply.body
        );
        app.get_resource("team-a", &name).await.problem(404);
        let reply = app.put("team-a", &name, &with(good)).await;
        assert_eq!(reply.status, 201, "{rule}: {}", reply.body);
    }
}

#[sqlx::test]
async fn schema_violations_are_all_reported_at_once(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let body = json!({"properties": {
        "ClientName": "",
        "AuthSessionValidity": 16,
        "GenerateSecret": "yes",
        "CallbackUrls": ["https://example.com"],
        "TokenValidityUnits": {"AccessTokn": "hours"}
    }});
    let reply = app.put("team-a", "web", &body).await;
    let problem = reply.problem(422);
    assert_eq!(problem["type"], "https://ccplane.dev/problems/validation");
    let pointers = reply.pointers();
    for expected in [
        "/properties/UserPoolId",
        "/properties/ClientName",
        "/properties/AuthSessionValidity",
        "/properties/GenerateSecret",
        "/properties/CallbackUrls",
        "/properties/TokenValidityUnits/AccessTokn",
    ] {
        assert!(
            pointers.contains(&expected.to_owned()),
            "{expected} missing: {}",
            reply.body
        );
    }
    let unknown = &problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["pointer"] == "/properties/CallbackUrls")
        .unwrap()["message"];
    assert!(
        unknown.as_str().unwrap().contains("CallbackURLs"),
        "{unknown}"
    );
}

#[sqlx::test]
async fn read_only_properties_are_rejected(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let reply = app
        .put(
            "team-a",
            "web",
            &with(json!({"ClientSecret": "s", "ClientId": "c", "Name": "n"})),
        )
        .await;
    reply.problem(422);
    let pointers = reply.pointers();
    for p in [
        "/properties/ClientSecret",
        "/properties/ClientId",
        "/properties/Name",
    ] {
        assert!(pointers.contains(&p.to_owned()), "{p}: {}", reply.body);
    }
    // The rejected secret is not echoed back.
    assert!(!reply.body.to_string().contains("\"s\""));
}

#[sqlx::test]
async fn oauth_settings_without_the_switch_are_warnings(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let reply = app
        .put(
            "team-a",
            "web",
            &with(json!({"AllowedOAuthFlows": ["code"]})),
        )
        .await;
    assert_eq!(reply.status, 201);
    let warnings = reply.body["warnings"].as_array().expect("warnings");
    assert!(
        warnings
            .iter()
            .any(|w| w["pointer"] == "/properties/AllowedOAuthFlows")
    );
    let switched =
        with(json!({"AllowedOAuthFlows": ["code"], "AllowedOAuthFlowsUserPoolClient": true}));
    let reply = app.put("team-a", "web", &switched).await;
    assert!(reply.body.get("warnings").is_none(), "{}", reply.body);
}

#[sqlx::test]
async fn malformed_json_is_400(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let request = app
        .request(Method::PUT, &TestApp::resource_path("team-a", "web"))
        .header("content-type", "application/json")
        .body("{\"properties\": ");
    let reply = app.send(request).await;
    assert!(
        reply.problem(400)["detail"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );
}

#[sqlx::test]
async fn wrong_content_type_is_415(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let request = app
        .request(Method::PUT, &TestApp::resource_path("team-a", "web"))
        .header("content-type", "text/plain")
        .body(with(json!({})).to_string());
    app.send(request).await.problem(415);
    let request = app
        .request(Method::PUT, &TestApp::resource_path("team-a", "web"))
        .body("{}");
    app.send(request).await.problem(415);
}

#[sqlx::test]
async fn body_over_256_kib_is_413(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let big = with(json!({"ClientName": "a".repeat(300 * 1024)}));
    app.put("team-a", "web", &big).await.problem(413);
    app.get_resource("team-a", "web").await.problem(404);
}

#[sqlx::test]
async fn path_segments_must_be_dns_labels(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.put("Team_A", "web", &with(json!({})))
        .await
        .problem(400);
    app.put("team-a", &"x".repeat(64), &with(json!({})))
        .await
        .problem(400);
    app.get("/v1/namespaces/UPPER/user-pool-clients")
        .await
        .problem(400);
}

#[sqlx::test]
async fn document_fields_are_checked(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let mut body = with(json!({}));
    body["region"] = json!("mars-1");
    body["replacementPolicy"] = json!("Sometimes");
    body["labels"] = json!({"bad key!": "x"});
    body["adopt"] = json!({"identifier": "nope"});
    body["surprise"] = json!(true);
    body["driftCheckIntervalSeconds"] = json!(5);
    let reply = app.put("team-a", "web", &body).await;
    reply.problem(422);
    let pointers = reply.pointers();
    for p in [
        "/region",
        "/replacementPolicy",
        "/labels/bad key!",
        "/adopt/identifier",
        "/surprise",
    ] {
        assert!(pointers.contains(&p.to_owned()), "{p}: {}", reply.body);
    }
}

#[sqlx::test]
async fn unknown_routes_and_methods_are_problems(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.get("/v1/nothing-here").await.problem(404);
    let request = app.request(Method::POST, &TestApp::resource_path("team-a", "web"));
    app.send(request).await.problem(405);
}
