//! Command-line and environment configuration: one clap struct per command; every flag is also an env var.

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

use ccplane_emulator::EmulatorArgs;

/// ccplane: keeps AWS Cognito UserPoolClients in their desired state through AWS Cloud Control.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// Log format.
    #[arg(long, env = "CCPLANE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What the binary runs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the API and the reconciler (the default).
    Serve(Box<ServeArgs>),
    /// Run the Cloud Control emulator alone.
    Emulator(Box<EmulatorCommand>),
    /// Create the database if missing and apply migrations, then exit.
    Migrate(DatabaseArgs),
    /// Print the OpenAPI document and exit.
    Openapi,
    /// Create, list and revoke API tokens, directly in the database (works before any token exists).
    Token(TokenCommand),
}

/// `ccplane token …`.
#[derive(Debug, Clone, clap::Args)]
pub struct TokenCommand {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(subcommand)]
    pub action: TokenAction,
}

/// What to do with tokens.
#[derive(Debug, Clone, Subcommand)]
pub enum TokenAction {
    /// Create a token and print it once, to stdout.
    Create {
        /// What the token is for.
        #[arg(long, default_value = "")]
        description: String,
        /// A role in a namespace, `role:namespace` (`*` for every namespace); repeatable.
        /// Roles: viewer, editor, secret-reader, admin.
        #[arg(long = "binding", required = true, value_parser = parse_binding)]
        bindings: Vec<crate::access::Binding>,
        /// Days until the token expires; never when absent.
        #[arg(long)]
        expires_in_days: Option<u32>,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by id; it stops working on the next request.
    Revoke {
        /// The token's id (`tok_…`).
        id: String,
    },
}

fn parse_binding(text: &str) -> Result<crate::access::Binding, String> {
    crate::access::Binding::parse(text)
}

/// How requests are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthMode {
    /// Bearer API tokens (`ccplane token create`).
    Tokens,
    /// No authentication: every request is an anonymous admin. Local development only.
    None,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Where the database is.
#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseArgs {
    /// Postgres connection URL; the database is created when missing.
    // Global, so `ccplane token create --database-url …` works as well as `token --database-url … create`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/ccplane",
        global = true
    )]
    pub database_url: String,
    /// Largest number of pooled database connections of this process. Default: 32 for the API,
    /// worker concurrency + 4 for a worker, their sum for both. Every process's pool must fit in
    /// the server's `max_connections` together (see "Scaling out" in the README).
    #[arg(long, env = "CCPLANE_DB_MAX_CONNECTIONS")]
    pub db_max_connections: Option<u32>,
    /// Seconds a request waits for a pooled connection before it is answered 503 with
    /// `Retry-After` (a refused connection is retried until then).
    #[arg(long, env = "CCPLANE_DB_ACQUIRE_TIMEOUT_SECS", default_value_t = 5.0)]
    pub db_acquire_timeout_secs: f64,
}

/// Connections an API process pools when not told otherwise.
pub const API_DB_CONNECTIONS: u32 = 32;
/// Connections a worker pools beyond one per concurrent step (heartbeat, lease renewals, wake-ups).
pub const WORKER_DB_CONNECTIONS_SPARE: u32 = 4;

impl ServeArgs {
    /// The pool size of this process: the flag, or what its role needs.
    pub fn db_max_connections(&self) -> u32 {
        let worker = self.worker.worker_concurrency as u32 + WORKER_DB_CONNECTIONS_SPARE;
        self.database.db_max_connections.unwrap_or(match self.role {
            Role::Api => API_DB_CONNECTIONS,
            Role::Worker => worker,
            Role::All => API_DB_CONNECTIONS + worker,
        })
    }
}

/// Settings of `ccplane serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address the HTTP API listens on.
    #[arg(long, env = "CCPLANE_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// What this process runs: the API, the reconciler, or both.
    #[arg(long, env = "CCPLANE_ROLE", value_enum, default_value_t = Role::All)]
    pub role: Role,
    /// Where Cloud Control is: `embedded` (the built-in emulator, on loopback), `aws` (real AWS,
    /// credentials and region from the default AWS chain) or an endpoint URL.
    #[arg(long, env = "CCPLANE_CLOUD", default_value = "embedded")]
    pub cloud: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub api: ApiArgs,
    #[command(flatten)]
    pub worker: WorkerArgs,
    #[command(
        flatten,
        next_help_heading = "Embedded emulator (with --cloud embedded)"
    )]
    pub emulator: EmulatorArgs,
}

/// The parts of ccplane a process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Role {
    /// The API and the reconciler.
    All,
    /// Only the HTTP API.
    Api,
    /// Only the reconciler.
    Worker,
}

/// Settings of the reconciler.
#[derive(Debug, Clone, clap::Args)]
pub struct WorkerArgs {
    /// Reconcile steps run at once in this process.
    #[arg(long, env = "CCPLANE_WORKER_CONCURRENCY", default_value_t = 16)]
    pub worker_concurrency: usize,
    /// Cloud Control requests per second per region, shared by all replicas: a ceiling. Below it the
    /// limiter finds the account's real rate itself (on throttling it drops to the rate Cloud
    /// Control accepted over the last second, then probes upward), so it may be set generously.
    #[arg(long, env = "CCPLANE_CLOUD_RATE_LIMIT", default_value_t = 20.0)]
    pub cloud_rate_limit: f64,
    /// Seconds a worker's claim on a resource lasts without renewal.
    #[arg(long, env = "CCPLANE_LEASE_SECS", default_value_t = 30.0)]
    pub lease_secs: f64,
    /// Seconds from submitting an operation to its first status poll.
    #[arg(long, env = "CCPLANE_FIRST_POLL_SECS", default_value_t = 1.0)]
    pub first_poll_secs: f64,
    /// Longest gap between status polls, in seconds.
    #[arg(long, env = "CCPLANE_MAX_POLL_SECS", default_value_t = 20.0)]
    pub max_poll_secs: f64,
    /// Base of the retry backoff in seconds (`base × attempt⁴`).
    #[arg(long, env = "CCPLANE_RETRY_BASE_SECS", default_value_t = 1.0)]
    pub retry_base_secs: f64,
    /// Longest retry backoff in seconds.
    #[arg(long, env = "CCPLANE_RETRY_MAX_SECS", default_value_t = 300.0)]
    pub retry_max_secs: f64,
    /// Default seconds between drift checks of a resource.
    #[arg(long, env = "CCPLANE_DRIFT_INTERVAL_SECS", default_value_t = 600.0)]
    pub drift_interval_secs: f64,
    /// Seconds between a worker's heartbeats; each also recomputes its share of the Cloud Control
    /// budget and takes over the claims of workers that stopped beating.
    #[arg(long, env = "CCPLANE_HEARTBEAT_SECS", default_value_t = 1.0)]
    pub heartbeat_secs: f64,
    /// Seconds without a heartbeat after which a worker counts as dead: its claims are taken over
    /// and its budget share returns to the others. Shorter takes over sooner; a worker stalled this
    /// long (not dead) loses its claims, and its late writes are refused by the lease fence.
    #[arg(long, env = "CCPLANE_WORKER_DEAD_AFTER_SECS", default_value_t = 5.0)]
    pub worker_dead_after_secs: f64,
    /// Seconds a worker stopping (SIGTERM) gives its steps in flight to finish before it abandons
    /// them; either way it hands its claims back at once.
    #[arg(long, env = "CCPLANE_SHUTDOWN_GRACE_SECS", default_value_t = 10.0)]
    pub shutdown_grace_secs: f64,
    /// Seconds between the two reads that must both miss a client before ccplane believes it is
    /// gone (then the pool's list must miss it too).
    #[arg(long, env = "CCPLANE_ABSENCE_CONFIRM_SECS", default_value_t = 5.0)]
    pub absence_confirm_secs: f64,
}

impl WorkerArgs {
    /// The worker settings these flags describe.
    pub fn settings(&self) -> crate::reconcile::WorkerSettings {
        crate::reconcile::WorkerSettings {
            concurrency: self.worker_concurrency,
            lease_secs: self.lease_secs,
            first_poll_secs: self.first_poll_secs,
            max_poll_secs: self.max_poll_secs,
            retry_base_secs: self.retry_base_secs,
            retry_max_secs: self.retry_max_secs,
            drift_every_secs: self.drift_interval_secs,
            absence_confirm_secs: self.absence_confirm_secs,
            heartbeat: Duration::from_secs_f64(self.heartbeat_secs),
            dead_after_secs: self.worker_dead_after_secs,
            shutdown_grace: Duration::from_secs_f64(self.shutdown_grace_secs),
            ..Default::default()
        }
    }
}

/// Settings of the HTTP API.
#[derive(Debug, Clone, clap::Args)]
pub struct ApiArgs {
    /// AWS region of documents that name none.
    #[arg(long, env = "CCPLANE_DEFAULT_REGION", default_value = "us-east-1")]
    pub default_region: String,
    /// Largest request body accepted, in bytes (Cloud Control's own limit is 256 KiB).
    #[arg(long, env = "CCPLANE_MAX_BODY_BYTES", default_value_t = 256 * 1024)]
    pub max_body_bytes: usize,
    /// Seconds a request may take before it is answered with 408.
    #[arg(long, env = "CCPLANE_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,
    /// Seconds a connection may take to send a request's line and headers (and an idle
    /// keep-alive connection may wait for its next request) before it is closed.
    #[arg(long, env = "CCPLANE_HEADER_READ_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_read_timeout_secs: u64,
    /// Most connections open at once; further ones wait in the listen backlog until one closes.
    /// Keep it below the process's open-file limit (`ulimit -n`).
    #[arg(long, env = "CCPLANE_MAX_CONNECTIONS", default_value_t = 4096, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Hours an `Idempotency-Key` is remembered.
    #[arg(long, env = "CCPLANE_IDEMPOTENCY_TTL_HOURS", default_value_t = 24)]
    pub idempotency_ttl_hours: u32,
    /// How requests are authenticated: `tokens`, or `none` (every request is an anonymous admin;
    /// local development only).
    #[arg(long, env = "CCPLANE_AUTH", value_enum, default_value_t = AuthMode::Tokens)]
    pub auth: AuthMode,
    /// Require a valid token for `/metrics`.
    #[arg(long, env = "CCPLANE_METRICS_AUTH", default_value_t = false)]
    pub metrics_auth: bool,
    /// Require a valid token for `/docs` and `/openapi.json`.
    #[arg(long, env = "CCPLANE_DOCS_AUTH", default_value_t = false)]
    pub docs_auth: bool,
    /// Requests per second each caller may make: each token (or other principal), and each client
    /// address for requests no token authenticated; 0 turns the limit off.
    #[arg(long, env = "CCPLANE_RATE_LIMIT_PER_TOKEN", default_value_t = 50)]
    pub rate_limit_per_token: u32,
    /// Requests a caller may make at once above its rate (0: as many as the rate).
    #[arg(long, env = "CCPLANE_RATE_LIMIT_BURST", default_value_t = 100)]
    pub rate_limit_burst: u32,
    /// A browser origin allowed to call the API (CORS), e.g. `https://portal.example.com`;
    /// repeatable (comma-separated in the environment). None: no CORS headers at all.
    #[arg(long = "cors-origin", env = "CCPLANE_CORS_ORIGINS", value_delimiter = ',', value_parser = parse_origin)]
    pub cors_origins: Vec<String>,
    #[command(
        flatten,
        next_help_heading = "OIDC (JWT bearer tokens, alongside API tokens)"
    )]
    pub oidc: crate::access::oidc::OidcArgs,
}

/// Accepts a browser origin: `scheme://host[:port]`, nothing more.
fn parse_origin(text: &str) -> Result<String, String> {
    let url = url::Url::parse(text).map_err(|err| format!("not an origin: {err}"))?;
    let origin = url.origin().ascii_serialization();
    if !url.has_host() || origin == "null" || origin != text.trim_end_matches('/') {
        return Err(format!(
            "not an origin (scheme://host[:port], no path): {text}; did you mean {origin}?"
        ));
    }
    Ok(origin)
}

/// Settings of `ccplane emulator`.
#[derive(Debug, Clone, clap::Args)]
pub struct EmulatorCommand {
    /// Address the emulator listens on.
    #[arg(long, env = "CCPLANE_EMULATOR_ADDR", default_value = "127.0.0.1:4566")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub emulator: EmulatorArgs,
}

impl Default for ApiArgs {
    fn default() -> Self {
        Self {
            default_region: "us-east-1".into(),
            max_body_bytes: 256 * 1024,
            request_timeout_secs: 30,
            header_read_timeout_secs: 10,
            max_connections: 4096,
            idempotency_ttl_hours: 24,
            auth: AuthMode::Tokens,
            metrics_auth: false,
            docs_auth: false,
            rate_limit_per_token: 50,
            rate_limit_burst: 100,
            cors_origins: Vec::new(),
            oidc: crate::access::oidc::OidcArgs::default(),
        }
    }
}
