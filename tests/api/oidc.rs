//! OIDC: JWTs signed with keys the tests generate, verified against a JWKS file or a loopback URL.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
use ccplane::access::oidc::{GroupBinding, JwksSource};
use ccplane::config::{ApiArgs, OidcArgs, Seconds};
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common::{Reply, TestApp, doc, issue_token};

const ISSUER: &str = "https://login.test/realms/ops";
const AUDIENCE: &str = "ccplane";
const CHALLENGE: &str = r#"Bearer realm="ccplane", error="invalid_token""#;

/// A signing key, its algorithm and its `kid`.
struct Signer {
    key: EncodingKey,
    alg: Algorithm,
    kid: String,
}

impl Signer {
    fn rsa(kid: &str) -> Signer {
        let pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
        let pkcs8 = pair.as_der().unwrap();
        // jsonwebtoken wants the bare RFC 8017 key: skip the 26-byte PKCS#8 wrapper of a
        // 2048-bit key (it ends in the OCTET STRING header `04 82 len len`).
        assert_eq!(pkcs8.as_ref()[22..24], [0x04, 0x82]);
        Signer {
            key: EncodingKey::from_rsa_der(&pkcs8.as_ref()[26..]),
            alg: Algorithm::RS256,
            kid: kid.into(),
        }
    }

    fn ec(kid: &str) -> Signer {
        let pkcs8 =
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new())
                .unwrap();
        Signer {
            key: EncodingKey::from_ec_der(pkcs8.as_ref()),
            alg: Algorithm::ES256,
            kid: kid.into(),
        }
    }

    fn jwk(&self) -> Jwk {
        let mut jwk = Jwk::from_encoding_key(&self.key, self.alg).unwrap();
        jwk.common.key_id = Some(self.kid.clone());
        jwk
    }

    /// A JWT for `sub` in `groups`, valid for ten minutes, with `patch` merged into its claims.
    fn jwt(&self, sub: &str, groups: &[&str], patch: Value) -> String {
        let now = chrono::Utc::now().timestamp();
        let mut claims = json!({
            "iss": ISSUER, "aud": AUDIENCE, "sub": sub, "groups": groups,
            "iat": now, "exp": now + 600,
        });
        for (k, v) in patch.as_object().unwrap() {
            claims[k] = v.clone();
        }
        let mut header = Header::new(self.alg);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.key).unwrap()
    }
}

fn jwks(signers: &[&Signer]) -> Value {
    serde_json::to_value(JwkSet {
        keys: signers.iter().map(|s| s.jwk()).collect(),
    })
    .unwrap()
}

/// API settings with OIDC over `jwks`, mapping `devs` to editor in team-a and `ops` to viewer
/// everywhere.
fn settings(jwks: JwksSource, refresh_secs: u64) -> ApiArgs {
    ApiArgs {
        oidc: OidcArgs {
            oidc_issuer: Some(ISSUER.into()),
            oidc_audience: Some(AUDIENCE.into()),
            oidc_jwks: Some(jwks),
            oidc_jwks_refresh: Seconds::new(refresh_secs),
            oidc_bindings: ["devs=editor:team-a", "ops=viewer:*"]
                .iter()
                .map(|b| GroupBinding::parse(b).unwrap())
                .collect(),
            ..OidcArgs::default()
        },
        ..ApiArgs::default()
    }
}

/// A temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!("ccplane-oidc-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The app with OIDC over a JWKS file holding an RSA and an EC key.
struct OidcApp {
    app: TestApp,
    rsa: Signer,
    ec: Signer,
    _dir: TempDir,
}

impl OidcApp {
    async fn spawn(pool: PgPool) -> OidcApp {
        let (rsa, ec) = (Signer::rsa("rsa-1"), Signer::ec("ec-1"));
        let dir = TempDir::new();
        let path = dir.0.join("jwks.json");
        std::fs::write(&path, jwks(&[&rsa, &ec]).to_string()).unwrap();
        let app = TestApp::spawn_with(pool, settings(JwksSource::File(path), 300)).await;
        OidcApp {
            app,
            rsa,
            ec,
            _dir: dir,
        }
    }

    async fn call(&self, jwt: &str, method: Method, path: &str, body: Option<&Value>) -> Reply {
        let mut request = self.app.request(method, path).bearer_auth(jwt);
        if let Some(body) = body {
            request = request.json(body);
        }
        self.app.send(request).await
    }
}

#[sqlx::test]
async fn a_jwt_in_a_mapped_group_writes_in_its_namespace_and_sees_nothing_elsewhere(pool: PgPool) {
    let t = OidcApp::spawn(pool).await;
    for (signer, sub) in [(&t.rsa, "alice"), (&t.ec, "bob")] {
        let jwt = signer.jwt(sub, &["devs", "unmapped"], json!({}));
        let path = TestApp::resource_path("team-a", sub);
        let reply = t.call(&jwt, Method::PUT, &path, Some(&doc(sub))).await;
        assert_eq!(reply.status, 201, "{sub}: {}", reply.body);
        let elsewhere = TestApp::resource_path("team-b", sub);
        t.call(&jwt, Method::PUT, &elsewhere, Some(&doc(sub)))
            .await
            .problem(404);
        t.call(&jwt, Method::GET, &elsewhere, None)
            .await
            .problem(404);
        let events = t
            .call(&jwt, Method::GET, &format!("{path}/events"), None)
            .await;
        assert_eq!(events.status, 200, "{}", events.body);
        assert_eq!(events.body["items"][0]["kind"], "SpecCreated");
        assert_eq!(events.body["items"][0]["actor"], format!("oidc:{sub}"));
    }
    // A group with viewer on `*` reads everywhere but writes nowhere.
    let viewer = t.rsa.jwt("carol", &["ops"], json!({}));
    let path = TestApp::resource_path("team-a", "alice");
    assert_eq!(t.call(&viewer, Method::GET, &path, None).await.status, 200);
    t.call(&viewer, Method::DELETE, &path, None)
        .await
        .problem(403);
}

#[sqlx::test]
async fn a_jwt_whose_groups_map_to_nothing_is_authenticated_but_sees_nothing(pool: PgPool) {
    let t = OidcApp::spawn(pool.clone()).await;
    let (admin, _) = issue_token(&pool, &["admin:*"]).await;
    // API tokens keep working next to OIDC.
    let put = t
        .app
        .request(Method::PUT, &TestApp::resource_path("team-a", "web"))
        .bearer_auth(&admin)
        .json(&doc("web"));
    assert_eq!(t.app.send(put).await.status, 201);
    let nobody = t.ec.jwt("dave", &["strangers"], json!({}));
    let list = t
        .call(&nobody, Method::GET, "/v1/user-pool-clients", None)
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(list.body["items"], json!([]));
    t.call(
        &nobody,
        Method::GET,
        &TestApp::resource_path("team-a", "web"),
        None,
    )
    .await
    .problem(404);
}

#[sqlx::test]
async fn expired_wrong_audience_and_other_bad_jwts_answer_401_with_a_challenge(pool: PgPool) {
    let t = OidcApp::spawn(pool).await;
    let now = chrono::Utc::now().timestamp();
    let stranger = Signer::rsa("rsa-1");
    let unknown = Signer::ec("ec-2");
    let forged = {
        let good = t.rsa.jwt("alice", &["devs"], json!({}));
        let parts: Vec<&str> = good.split('.').collect();
        let other = t.rsa.jwt("mallory", &["ops"], json!({}));
        format!(
            "{}.{}.{}",
            parts[0],
            other.split('.').nth(1).unwrap(),
            parts[2]
        )
    };
    let cases = [
        (
            t.rsa.jwt("alice", &["devs"], json!({"exp": now - 120})),
            "expired",
        ),
        (
            t.ec.jwt("alice", &["devs"], json!({"aud": "another-api"})),
            "audience",
        ),
        (
            t.rsa
                .jwt("alice", &["devs"], json!({"iss": "https://evil.test"})),
            "issuer",
        ),
        (stranger.jwt("alice", &["devs"], json!({})), "signature"),
        (forged, "signature"),
        (unknown.jwt("alice", &["devs"], json!({})), "key"),
    ];
    let path = TestApp::resource_path("team-a", "web");
    for (jwt, says) in cases {
        let reply = t.call(&jwt, Method::GET, &path, None).await;
        let problem = reply.problem(401);
        assert_eq!(reply.header("www-authenticate"), Some(CHALLENGE), "{says}");
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains(says), "{says}: {detail}");
    }
}

#[sqlx::test]
async fn a_jwt_is_refused_when_oidc_is_not_configured(pool: PgPool) {
    let app = TestApp::spawn_with(pool, ApiArgs::default()).await;
    let jwt = Signer::ec("ec-1").jwt("alice", &["devs"], json!({}));
    let reply = app
        .send(
            app.request(Method::GET, "/v1/user-pool-clients")
                .bearer_auth(jwt),
        )
        .await;
    reply.problem(401);
    assert_eq!(reply.header("www-authenticate"), Some(CHALLENGE));
}

/// A loopback HTTP server serving a JWKS that the test can change, counting its reads.
struct JwksServer {
    url: String,
    jwks: Arc<Mutex<Value>>,
    reads: Arc<AtomicUsize>,
}

/// The status of a GET of a (missing) resource in team-a with `jwt`: 404 when it verified.
async fn status(app: &TestApp, jwt: String) -> u16 {
    let path = TestApp::resource_path("team-a", "web");
    let request = app.request(Method::GET, &path).bearer_auth(jwt);
    app.send(request).await.status.as_u16()
}

impl JwksServer {
    async fn start(jwks: Value) -> JwksServer {
        let state = (Arc::new(Mutex::new(jwks)), Arc::new(AtomicUsize::new(0)));
        let router = axum::Router::new()
            .route(
                "/jwks.json",
                axum::routing::get(
                    |axum::extract::State((jwks, reads)): axum::extract::State<(
                        Arc<Mutex<Value>>,
                        Arc<AtomicUsize>,
                    )>| async move {
                        reads.fetch_add(1, Ordering::SeqCst);
                        axum::Json(jwks.lock().unwrap().clone())
                    },
                ),
            )
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        JwksServer {
            url,
            jwks: state.0,
            reads: state.1,
        }
    }

    fn reads(&self) -> usize {
        self.reads.load(Ordering::SeqCst)
    }
}

#[sqlx::test]
async fn keys_come_from_a_jwks_url_reread_on_schedule_and_on_unknown_kids(pool: PgPool) {
    let (old, new) = (Signer::rsa("old"), Signer::ec("new"));
    let server = JwksServer::start(jwks(&[&old])).await;
    let url = JwksSource::parse(&server.url).unwrap();

    // Refreshed every 300 s: one read serves many tokens, and an unknown kid right after a read
    // does not cause another (the cooldown).
    let cached = TestApp::spawn_with(pool.clone(), settings(url.clone(), 300)).await;
    for _ in 0..3 {
        assert_eq!(
            status(&cached, old.jwt("alice", &["devs"], json!({}))).await,
            404
        );
    }
    assert_eq!(server.reads(), 1);
    *server.jwks.lock().unwrap() = jwks(&[&old, &new]);
    assert_eq!(
        status(&cached, new.jwt("alice", &["devs"], json!({}))).await,
        401
    );
    assert_eq!(server.reads(), 1);

    // Refreshed every 0 s: a rotated key is picked up by the next request.
    let eager = TestApp::spawn_with(pool, settings(url, 0)).await;
    assert_eq!(
        status(&eager, new.jwt("bob", &["devs"], json!({}))).await,
        404
    );
    *server.jwks.lock().unwrap() = jwks(&[&new]);
    assert_eq!(
        status(&eager, old.jwt("bob", &["devs"], json!({}))).await,
        401
    );
    assert_eq!(server.reads(), 3);
}
