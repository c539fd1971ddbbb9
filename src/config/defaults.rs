//! Every setting's default, written once: clap shows and applies these, and the `Default`
//! implementations that tests and embedders start from use the same constants.

use super::seconds::Seconds;

// Where things are.
pub const ADDR: &str = "127.0.0.1:8080";
pub const EMULATOR_ADDR: &str = "127.0.0.1:4566";
pub const DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/ccplane";

// Database pool.
/// Connections an API process pools when not told otherwise.
pub const API_DB_CONNECTIONS: u32 = 32;
/// Connections a worker pools beyond one per concurrent step (heartbeat, lease renewals, wake-ups).
pub const WORKER_DB_CONNECTIONS_SPARE: u32 = 4;
pub const DB_ACQUIRE_TIMEOUT: Seconds = Seconds::new(5);

// The HTTP API.
pub const DEFAULT_REGION: &str = "us-east-1";
/// Cloud Control's own limit on a desired state is 256 KiB.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
pub const REQUEST_TIMEOUT: Seconds = Seconds::new(30);
pub const HEADER_READ_TIMEOUT: Seconds = Seconds::new(10);
pub const MAX_CONNECTIONS: u32 = 4096;
pub const IDEMPOTENCY_TTL_HOURS: u32 = 24;
pub const RATE_LIMIT_PER_TOKEN: u32 = 50;
pub const RATE_LIMIT_BURST: u32 = 100;
pub const TRUSTED_PROXY_HOPS: u32 = 0;

// OIDC.
pub const OIDC_JWKS_REFRESH: Seconds = Seconds::new(300);
pub const OIDC_GROUPS_CLAIM: &str = "groups";

// The reconciler.
pub const WORKER_CONCURRENCY: usize = 16;
// AWS's documented budget (shared/AWS-CONTRACT.md, "Quotas and accounts"): Cloud Control's rate as
// aws-nuke adopted it (~30/s measured), Cognito's two categories and its per-pool operation cap.
pub const CLOUD_RATE_LIMIT: f64 = 25.0;
pub const COGNITO_READ_RPS: f64 = 15.0;
pub const COGNITO_WRITE_RPS: f64 = 15.0;
pub const COGNITO_POOL_OPERATION_RPS: f64 = 5.0;
pub const DRIFT_READ_SHARE: f64 = 0.5;
pub const LEASE: Seconds = Seconds::new(30);
pub const FIRST_POLL: Seconds = Seconds::new(1);
pub const MAX_POLL: Seconds = Seconds::new(20);
pub const RETRY_BASE: Seconds = Seconds::new(1);
pub const RETRY_MAX: Seconds = Seconds::new(300);
pub const DRIFT_INTERVAL: Seconds = Seconds::new(600);
pub const HEARTBEAT: Seconds = Seconds::new(1);
pub const WORKER_DEAD_AFTER: Seconds = Seconds::new(5);
pub const SHUTDOWN_GRACE: Seconds = Seconds::new(10);
pub const ABSENCE_CONFIRM: Seconds = Seconds::new(5);
/// Longest idle wait before a worker looks for due work without a wake-up (not a flag).
pub const IDLE_POLL: Seconds = Seconds::new(1);
