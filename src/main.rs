//! The `ccplane` binary: parse configuration, set up logging, connect, migrate and run.

use clap::Parser;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use ccplane::cloud::{Budgets, Cloud, Target};
use ccplane::config::{AuthMode, Cli, CloudChoice, Command, ProcessRole, ServeArgs};
use ccplane::reconcile::Worker;
use ccplane::{AppState, api, store, telemetry};
use ccplane_emulator::Emulator;

// jemalloc: many small short-lived allocations per request (JSON values, rows, headers), on which
// glibc's allocator measured 8–24% slower under the API benchmark.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The pool every embedded emulator starts with, so the fixtures converge out of the box.
const EXAMPLE_POOL: &str = "us-east-1_examplePoolId";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let answers_on_stdout = matches!(cli.command, Some(Command::Token(_) | Command::Openapi));
    telemetry::init_tracing(cli.log_format, answers_on_stdout);
    let shutdown = CancellationToken::new();
    tokio::spawn(cancel_on_signal(shutdown.clone()));
    match cli.into_command() {
        Command::Serve(args) => serve(*args, shutdown).await,
        Command::Emulator(args) => ccplane_emulator::run(args.addr, args.emulator, shutdown).await,
        Command::Migrate(db) => {
            store::connect_and_migrate(&db.database_url, 1, db.db_acquire_timeout.get()).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Token(command) => {
            let db = &command.database;
            let timeout = db.db_acquire_timeout.get();
            let pool = store::connect_and_migrate(&db.database_url, 1, timeout).await?;
            let mut out = std::io::stdout().lock();
            ccplane::cli::token::run_token_command(&pool, &command.action, &mut out).await
        }
        Command::Openapi => {
            let spec = api::openapi().to_pretty_json()?;
            std::io::Write::write_all(&mut std::io::stdout(), format!("{spec}\n").as_bytes())?;
            Ok(())
        }
    }
}

async fn serve(args: ServeArgs, shutdown: CancellationToken) -> anyhow::Result<()> {
    let db = &args.database;
    let pool = store::connect_and_migrate(
        &db.database_url,
        args.db_max_connections(),
        db.db_acquire_timeout.get(),
    )
    .await?;
    let (target, _emulator) = cloud_target(&args).await?;
    let budgets = Budgets::new(pool.clone(), args.worker.ceilings());
    let cloud = Cloud::new(target, budgets).await;
    if args.api.auth == AuthMode::None {
        tracing::warn!(
            "authentication is off (--auth none): every request is an anonymous admin; \
             use this only for local development"
        );
    }
    let state = AppState::new(pool.clone(), args.api.clone())
        .with_cloud(cloud.clone())
        .with_drift_interval(args.worker.drift_interval.get());
    if let Some(oidc) = &state.oidc {
        // Read the keys now, so a wrong JWKS location shows at start rather than on first use.
        match oidc.refresh().await {
            Ok(keys) => tracing::info!(?oidc, keys, "OIDC JWTs accepted"),
            Err(err) => tracing::warn!(?oidc, error = %err, "could not read the OIDC JWKS yet"),
        }
    }
    let worker = (args.role != ProcessRole::Api).then(|| {
        let worker = Worker::new(pool, cloud, args.worker.settings(), state.notifier.clone());
        tokio::spawn(worker.run(shutdown.clone(), state.changes.clone()))
    });
    if args.role == ProcessRole::Worker {
        ccplane::relay_changes(state.pool.clone(), state.changes.clone(), shutdown.clone()).await;
    } else {
        let listener = TcpListener::bind(args.addr).await?;
        tracing::info!(addr = %listener.local_addr()?, role = ?args.role, "ccplane listening");
        ccplane::serve(listener, state, shutdown).await?;
    }
    if let Some(worker) = worker {
        worker.await?;
    }
    Ok(())
}

/// Where Cloud Control is; starts the embedded emulator when asked to (kept alive by the caller).
async fn cloud_target(args: &ServeArgs) -> anyhow::Result<(Target, Option<Emulator>)> {
    match &args.cloud {
        CloudChoice::Aws => Ok((Target::Aws, None)),
        CloudChoice::Embedded => {
            let mut settings = args.emulator.clone();
            if settings.user_pools.is_empty() {
                settings.user_pools.push(EXAMPLE_POOL.to_owned());
            }
            let listener = TcpListener::bind("127.0.0.1:0").await?;
            let emulator = Emulator::start(listener, settings).await?;
            tracing::info!(endpoint = %emulator.endpoint_url(), "using the embedded Cloud Control emulator");
            Ok((Target::Endpoint(emulator.endpoint_url()), Some(emulator)))
        }
        // `Url` writes a bare host with a trailing slash; the SDK appends its own path.
        CloudChoice::Endpoint(url) => {
            let endpoint = url.as_str().trim_end_matches('/').to_owned();
            Ok((Target::Endpoint(endpoint), None))
        }
    }
}

/// Cancels `shutdown` on SIGTERM or ctrl-c.
async fn cancel_on_signal(shutdown: CancellationToken) {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
    shutdown.cancel();
}
