//! `ccplane serve`: what a process runs, where its database and Cloud Control are.

use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;

use clap::ValueEnum;

use ccplane_emulator::EmulatorArgs;

use super::api::ApiArgs;
use super::defaults;
use super::seconds::Seconds;
use super::worker::WorkerArgs;

/// Settings of `ccplane serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address the HTTP API listens on.
    #[arg(long, env = "CCPLANE_ADDR", default_value = defaults::ADDR)]
    pub addr: SocketAddr,
    /// What this process runs: the API, the reconciler, or both.
    #[arg(long, env = "CCPLANE_ROLE", value_enum, default_value_t = ProcessRole::All)]
    pub role: ProcessRole,
    /// Where Cloud Control is: `embedded` (the built-in emulator, on loopback), `aws` (real AWS,
    /// credentials and region from the default AWS chain) or an endpoint URL.
    #[arg(long, env = "CCPLANE_CLOUD", default_value_t = CloudChoice::Embedded)]
    pub cloud: CloudChoice,
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

impl ServeArgs {
    /// The pool size of this process: the flag, or what its role needs.
    pub fn db_max_connections(&self) -> u32 {
        let worker = self.worker.worker_concurrency as u32 + defaults::WORKER_DB_CONNECTIONS_SPARE;
        self.database.db_max_connections.unwrap_or(match self.role {
            ProcessRole::Api => defaults::API_DB_CONNECTIONS,
            ProcessRole::Worker => worker,
            ProcessRole::All => defaults::API_DB_CONNECTIONS + worker,
        })
    }
}

/// The parts of ccplane a process runs (`--role`); what a caller may do is `access::Role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProcessRole {
    /// The API and the reconciler.
    All,
    /// Only the HTTP API.
    Api,
    /// Only the reconciler.
    Worker,
}

/// Where Cloud Control is (`--cloud`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloudChoice {
    /// The emulator built into this binary, started on loopback.
    Embedded,
    /// Real AWS, with credentials and region from the default AWS chain.
    Aws,
    /// A Cloud Control endpoint at this URL (an emulator elsewhere, a proxy).
    Endpoint(url::Url),
}

impl FromStr for CloudChoice {
    type Err = String;

    fn from_str(text: &str) -> Result<CloudChoice, String> {
        match text {
            "embedded" => Ok(CloudChoice::Embedded),
            "aws" => Ok(CloudChoice::Aws),
            _ => {
                let url = url::Url::parse(text).map_err(|err| {
                    format!("not `embedded`, `aws` or an endpoint URL: {text} ({err})")
                })?;
                if !matches!(url.scheme(), "http" | "https") || !url.has_host() {
                    return Err(format!(
                        "an endpoint URL must be http(s)://host[:port]: {text}"
                    ));
                }
                Ok(CloudChoice::Endpoint(url))
            }
        }
    }
}

impl fmt::Display for CloudChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CloudChoice::Embedded => f.write_str("embedded"),
            CloudChoice::Aws => f.write_str("aws"),
            CloudChoice::Endpoint(url) => f.write_str(url.as_str()),
        }
    }
}

/// Where the database is.
#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseArgs {
    /// Postgres connection URL; the database is created when missing.
    // Global, so `ccplane token create --database-url …` works as well as `token --database-url … create`.
    #[arg(long, env = "DATABASE_URL", default_value = defaults::DATABASE_URL, global = true)]
    pub database_url: String,
    /// Largest number of pooled database connections of this process. Default: 32 for the API,
    /// worker concurrency + 4 for a worker, their sum for both. Every process's pool must fit in
    /// the server's `max_connections` together (see "Scaling out" in the README).
    #[arg(long, env = "CCPLANE_DB_MAX_CONNECTIONS")]
    pub db_max_connections: Option<u32>,
    /// Seconds a request waits for a pooled connection before it is answered 503 with
    /// `Retry-After` (a refused connection is retried until then).
    #[arg(long = "db-acquire-timeout-secs", env = "CCPLANE_DB_ACQUIRE_TIMEOUT_SECS",
          default_value_t = defaults::DB_ACQUIRE_TIMEOUT)]
    pub db_acquire_timeout: Seconds,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloud_is_embedded_aws_or_an_http_endpoint() {
        assert_eq!("embedded".parse(), Ok(CloudChoice::Embedded));
        assert_eq!("aws".parse(), Ok(CloudChoice::Aws));
        let endpoint: CloudChoice = "http://127.0.0.1:4566".parse().unwrap();
        assert_eq!(endpoint.to_string(), "http://127.0.0.1:4566/");
        assert!("amazon".parse::<CloudChoice>().is_err());
        assert!("ftp://host".parse::<CloudChoice>().is_err());
    }
}
