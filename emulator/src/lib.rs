//! A Cloud Control API emulator: an AWS JSON 1.0 server with Cloud Control's resource semantics for
//! `AWS::Cognito::UserPoolClient`, and on the same port cognito-idp's client-secret operations,
//! Secrets Manager (both AWS JSON 1.1) and STS. Every behaviour is written from AWS's
//! documentation or AWS-recorded behaviour, never from what ccplane does: it is the witness ccplane
//! is tested against.

mod accounts;
mod args;
pub mod client;
pub mod client_secrets;
mod clock;
pub mod cognito;
mod control;
mod control_http;
mod coral;
mod fate;
mod faults;
mod idp;
pub mod json11;
mod latency;
mod ops;
mod quotas;
pub mod request;
pub mod rules;
pub mod schema;
pub mod secretsmanager;
mod server;
mod stats;
mod sts;
pub mod wire;
mod world;

use std::{net::SocketAddr, sync::Arc, time::Duration};

use anyhow::Context as _;
use tokio::{net::TcpListener, task::JoinHandle};
use tokio_util::sync::CancellationToken;

pub use accounts::{AssumeRoleCount, Role};
pub use args::{EmulatorArgs, FaultModeArgs, QuotaArgs};
pub use client_secrets::ShownSecret;
pub use clock::epoch_seconds;
pub use cognito::UserPoolTier;
pub use control::{
    ClientSecretView, Control, ControlError, PoolStats, RequestCount, SecretView, StatsReport,
    VersionView,
};
pub use fate::{Readings, RetryAfterMode};
pub use faults::{Effect, FaultSettings, ScriptedCall, ScriptedFault, TokenReuse};
pub use json11::ApiOperation;
pub use latency::Latency;
pub use quotas::{
    CLOUD_CONTROL_RPS, COGNITO_POOL_OPERATION_RPS, COGNITO_READ_RPS, COGNITO_WRITE_RPS,
    QuotaCategory, QuotaChange, QuotaSettings, QuotaUsage, ReadThrottleAnswer,
};
pub use request::OpKind;
pub use stats::{CallCount, CallStats, RoleArnCount};
pub use wire::DEFAULT_ACCOUNT;
pub use world::{CLIENT_TOKEN_TTL, REQUEST_TTL};

use control::{Shared, parse_seeded_pool};

/// A running emulator; dropping it stops the server.
#[derive(Debug)]
pub struct Emulator {
    addr: SocketAddr,
    control: Control,
    shutdown: CancellationToken,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl Emulator {
    /// Starts serving on `listener` (port 0 is fine) in a spawned task.
    pub async fn start(listener: TcpListener, args: EmulatorArgs) -> anyhow::Result<Emulator> {
        let addr = listener.local_addr().context("emulator listener address")?;
        let seed = args.seed.unwrap_or_else(rand::random);
        let pools: Vec<(String, String)> = args
            .user_pools
            .iter()
            .map(|p| parse_seeded_pool(p))
            .collect();
        if let Some((_, bad)) = pools
            .iter()
            .find(|(_, p)| cognito::pool_region(p).is_none())
        {
            anyhow::bail!("--user-pool `{bad}` is not a pool id like us-east-1_example");
        }
        let settings = ((&args).into(), (&args.quotas).into());
        let shared = Arc::new(Shared::new(seed, settings, pools));
        let control = Control::new(shared);
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(server::serve(listener, control.clone(), shutdown.clone()));
        tracing::info!(%addr, seed, user_pools = ?args.user_pools, "cloud control emulator listening");
        Ok(Emulator {
            addr,
            control,
            shutdown,
            task: Some(task),
        })
    }

    /// The URL to give an SDK as its endpoint, e.g. `http://127.0.0.1:4566`.
    pub fn endpoint_url(&self) -> String {
        let mut addr = self.addr;
        if addr.ip().is_unspecified() {
            addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
        }
        format!("http://{addr}")
    }

    /// The address the emulator listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The handle for seeding, out-of-band changes, the clock, faults and stats.
    pub fn control(&self) -> &Control {
        &self.control
    }

    /// Stops accepting, lets open connections finish (for at most five seconds), and returns.
    pub async fn shutdown(mut self) {
        self.shutdown.cancel();
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// Runs the emulator on `addr` until `shutdown` is cancelled (`ccplane emulator`).
pub async fn run(
    addr: SocketAddr,
    args: EmulatorArgs,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding the emulator to {addr}"))?;
    let emulator = Emulator::start(listener, args).await?;
    shutdown.cancelled().await;
    tracing::info!("cloud control emulator shutting down");
    emulator.shutdown().await;
    Ok(())
}
