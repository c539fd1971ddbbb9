//! Command-line and environment configuration: one clap struct per command; every flag is also an env var.

use std::net::SocketAddr;

use clap::{Parser, Subcommand, ValueEnum};

use crate::emulator::EmulatorArgs;

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
    Serve(ServeArgs),
    /// Run the Cloud Control emulator alone.
    Emulator(EmulatorCommand),
    /// Create the database if missing and apply migrations, then exit.
    Migrate(DatabaseArgs),
    /// Print the OpenAPI document and exit.
    Openapi,
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
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/ccplane"
    )]
    pub database_url: String,
    /// Largest number of pooled database connections.
    #[arg(long, env = "CCPLANE_DB_MAX_CONNECTIONS", default_value_t = 32)]
    pub db_max_connections: u32,
}

/// Settings of `ccplane serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address the HTTP API listens on.
    #[arg(long, env = "CCPLANE_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub api: ApiArgs,
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
    /// Hours an `Idempotency-Key` is remembered.
    #[arg(long, env = "CCPLANE_IDEMPOTENCY_TTL_HOURS", default_value_t = 24)]
    pub idempotency_ttl_hours: u32,
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
            idempotency_ttl_hours: 24,
        }
    }
}
