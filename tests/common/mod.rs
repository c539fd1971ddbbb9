//! What the integration suites share: the real app on port 0 over a fresh database, typed
//! request helpers and the fixtures.

use std::net::SocketAddr;

use ccplane::AppState;
use ccplane::access::Binding;
use ccplane::config::ApiArgs;
use ccplane::store::tokens;
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

/// A running ccplane on a random port.
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: Client,
    shutdown: CancellationToken,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// A response read whole: status, headers and JSON body (Null when empty or not JSON).
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn etag(&self) -> String {
        self.header("etag").expect("an ETag").to_owned()
    }

    /// Asserts a problem+json error of `status` and returns its body.
    pub fn problem(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "body: {}",
            self.body
        );
        assert_eq!(self.body["status"], status);
        &self.body
    }

    /// The pointers of a problem's field errors.
    pub fn pointers(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|e| {
                e.iter()
                    .map(|v| v["pointer"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// API settings with authentication off, as the tests before authentication expect.
pub fn no_auth() -> ApiArgs {
    ApiArgs {
        auth: ccplane::config::AuthMode::None,
        ..ApiArgs::default()
    }
}

/// Issues an API token with `bindings` (`role:namespace` each); returns the token and its id.
pub async fn issue_token(pool: &PgPool, bindings: &[&str]) -> (String, String) {
    let bindings: Vec<Binding> = bindings
        .iter()
        .map(|b| Binding::parse(b).unwrap())
        .collect();
    let (token, row) = tokens::issue(pool, "test", &bindings, None).await.unwrap();
    (token, row.credentials.id)
}

/// One of the four fixtures every build must accept, as a properties object.
pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture exists")).expect("JSON")
}

/// The `seed-basic` fixture as a document.
pub fn basic() -> Value {
    json!({"properties": fixture("seed-basic")})
}

/// Asks `probe` every 5 ms until it answers `Some`; panics naming `what` after 10 s.
pub async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    for _ in 0..2_000 {
        if let Some(found) = probe().await {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    panic!("{what} never happened");
}

/// A desired-state document around the minimal valid properties, named `client_name`.
pub fn doc(client_name: &str) -> Value {
    json!({
        "properties": {"UserPoolId": "us-east-1_examplePoolId", "ClientName": client_name}
    })
}

impl TestApp {
    /// The app without authentication (`--auth none`): every request is an anonymous admin.
    pub async fn spawn(pool: PgPool) -> TestApp {
        Self::spawn_with(pool, no_auth()).await
    }

    pub async fn spawn_with(pool: PgPool, settings: ApiArgs) -> TestApp {
        Self::spawn_state(AppState::new(pool, settings)).await
    }

    pub async fn spawn_with_cloud(pool: PgPool, cloud: ccplane::cloud::Cloud) -> TestApp {
        Self::spawn_state(AppState::new(pool, no_auth()).with_cloud(cloud)).await
    }

    pub async fn spawn_state(state: AppState) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shutdown = CancellationToken::new();
        tokio::spawn(ccplane::serve(listener, state, shutdown.clone()));
        TestApp {
            addr,
            client: Client::new(),
            shutdown,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    pub fn resource_path(ns: &str, name: &str) -> String {
        format!("/v1/namespaces/{ns}/user-pool-clients/{name}")
    }

    pub async fn send(&self, request: RequestBuilder) -> Reply {
        read(request.send().await.expect("the server answers")).await
    }

    pub async fn put(&self, ns: &str, name: &str, body: &Value) -> Reply {
        self.send(
            self.request(Method::PUT, &Self::resource_path(ns, name))
                .json(body),
        )
        .await
    }

    pub async fn post(&self, ns: &str, body: &Value) -> Reply {
        let path = format!("/v1/namespaces/{ns}/user-pool-clients");
        self.send(self.request(Method::POST, &path).json(body))
            .await
    }

    pub async fn patch(&self, ns: &str, name: &str, body: &Value) -> Reply {
        let request = self
            .request(Method::PATCH, &Self::resource_path(ns, name))
            .header("content-type", "application/merge-patch+json")
            .body(body.to_string());
        self.send(request).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.request(Method::GET, path)).await
    }

    pub async fn get_resource(&self, ns: &str, name: &str) -> Reply {
        self.get(&Self::resource_path(ns, name)).await
    }

    pub async fn delete(&self, ns: &str, name: &str) -> Reply {
        self.send(self.request(Method::DELETE, &Self::resource_path(ns, name)))
            .await
    }

    /// POSTs to one of a resource's actions (`plan`, `refresh`, `cancel`), with `body` as JSON.
    pub async fn action(&self, ns: &str, name: &str, action: &str, body: Option<&Value>) -> Reply {
        let path = format!("{}/{action}", Self::resource_path(ns, name));
        let mut request = self.request(Method::POST, &path);
        if let Some(body) = body {
            request = request.json(body);
        }
        self.send(request).await
    }

    /// The kinds of a resource's events, oldest first.
    pub async fn event_kinds(&self, ns: &str, name: &str) -> Vec<Value> {
        let events = self.events(ns, name).await;
        events.iter().map(|e| e["kind"].clone()).collect()
    }

    pub async fn events(&self, ns: &str, name: &str) -> Vec<Value> {
        let reply = self
            .get(&format!("{}/events", Self::resource_path(ns, name)))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.body["items"].as_array().cloned().unwrap_or_default()
    }
}

pub async fn read(response: Response) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("a body");
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        body,
    }
}
