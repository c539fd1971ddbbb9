//! The HTTP API's flags.

use clap::ValueEnum;

use super::defaults;
use super::oidc::OidcArgs;
use super::seconds::Seconds;

/// Settings of the HTTP API.
#[derive(Debug, Clone, clap::Args)]
pub struct ApiArgs {
    /// AWS region of documents that name none.
    #[arg(long, env = "CCPLANE_DEFAULT_REGION", default_value = defaults::DEFAULT_REGION)]
    pub default_region: String,
    /// Largest request body accepted, in bytes (Cloud Control's own limit is 256 KiB).
    #[arg(long, env = "CCPLANE_MAX_BODY_BYTES", default_value_t = defaults::MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
    /// Seconds a request may take before it is answered with 408.
    #[arg(long = "request-timeout-secs", env = "CCPLANE_REQUEST_TIMEOUT_SECS",
          default_value_t = defaults::REQUEST_TIMEOUT)]
    pub request_timeout: Seconds,
    /// Seconds a connection may take to send a request's line and headers (and an idle
    /// keep-alive connection may wait for its next request) before it is closed; at least 1.
    #[arg(long = "header-read-timeout-secs", env = "CCPLANE_HEADER_READ_TIMEOUT_SECS",
          default_value_t = defaults::HEADER_READ_TIMEOUT, value_parser = Seconds::at_least_one)]
    pub header_read_timeout: Seconds,
    /// Most connections open at once; further ones wait in the listen backlog until one closes.
    /// Keep it below the process's open-file limit (`ulimit -n`).
    #[arg(long, env = "CCPLANE_MAX_CONNECTIONS", default_value_t = defaults::MAX_CONNECTIONS,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Hours an `Idempotency-Key` is remembered.
    #[arg(long, env = "CCPLANE_IDEMPOTENCY_TTL_HOURS", default_value_t = defaults::IDEMPOTENCY_TTL_HOURS)]
    pub idempotency_ttl_hours: u32,
    /// How requests are authenticated: `tokens`, or `none` (every request is an anonymous admin;
    /// local development only).
    #[arg(long, env = "CCPLANE_AUTH", value_enum, default_value_t = AuthMode::Tokens)]
    pub auth: AuthMode,
    /// Require a valid token for `/metrics`.
    #[arg(long, env = "CCPLANE_METRICS_AUTH")]
    pub metrics_auth: bool,
    /// Require a valid token for `/docs` and `/openapi.json`.
    #[arg(long, env = "CCPLANE_DOCS_AUTH")]
    pub docs_auth: bool,
    /// Requests per second each caller may make: each token (or other principal), and each client
    /// address for requests no token authenticated; 0 turns the limit off.
    #[arg(long, env = "CCPLANE_RATE_LIMIT_PER_TOKEN", default_value_t = defaults::RATE_LIMIT_PER_TOKEN)]
    pub rate_limit_per_token: u32,
    /// Requests a caller may make at once above its rate (0: as many as the rate).
    #[arg(long, env = "CCPLANE_RATE_LIMIT_BURST", default_value_t = defaults::RATE_LIMIT_BURST)]
    pub rate_limit_burst: u32,
    /// Proxies in front of ccplane that append the client's address to `X-Forwarded-For`: the
    /// address that keys the rate limit of requests no token authenticated is the one that many
    /// entries from the header's end. 0: the header is not trusted, the peer address is used.
    #[arg(long, env = "CCPLANE_TRUSTED_PROXY_HOPS", default_value_t = defaults::TRUSTED_PROXY_HOPS)]
    pub trusted_proxy_hops: u32,
    /// A browser origin allowed to call the API (CORS), e.g. `https://portal.example.com`;
    /// repeatable (comma-separated in the environment). None: no CORS headers at all.
    #[arg(long = "cors-origin", env = "CCPLANE_CORS_ORIGINS", value_delimiter = ',', value_parser = parse_origin)]
    pub cors_origins: Vec<String>,
    #[command(
        flatten,
        next_help_heading = "OIDC (JWT bearer tokens, alongside API tokens)"
    )]
    pub oidc: OidcArgs,
}

impl Default for ApiArgs {
    fn default() -> Self {
        Self {
            default_region: defaults::DEFAULT_REGION.into(),
            max_body_bytes: defaults::MAX_BODY_BYTES,
            request_timeout: defaults::REQUEST_TIMEOUT,
            header_read_timeout: defaults::HEADER_READ_TIMEOUT,
            max_connections: defaults::MAX_CONNECTIONS,
            idempotency_ttl_hours: defaults::IDEMPOTENCY_TTL_HOURS,
            auth: AuthMode::Tokens,
            metrics_auth: false,
            docs_auth: false,
            rate_limit_per_token: defaults::RATE_LIMIT_PER_TOKEN,
            rate_limit_burst: defaults::RATE_LIMIT_BURST,
            trusted_proxy_hops: defaults::TRUSTED_PROXY_HOPS,
            cors_origins: Vec::new(),
            oidc: OidcArgs::default(),
        }
    }
}

/// How requests are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthMode {
    /// Bearer API tokens (`ccplane token create`).
    Tokens,
    /// No authentication: every request is an anonymous admin. Local development only.
    None,
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
