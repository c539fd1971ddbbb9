//! The `ccplane` binary: parse configuration, set up logging, connect, migrate and run.

use clap::Parser;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use ccplane::config::{Cli, Command, ServeArgs};
use ccplane::{AppState, api, store, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    telemetry::init_tracing(cli.log_format);
    match cli
        .command
        .unwrap_or_else(|| Command::Serve(default_serve_args()))
    {
        Command::Serve(args) => serve(args).await,
        Command::Migrate(db) => {
            store::connect_and_migrate(&db.database_url, 1).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Openapi => {
            let spec = api::openapi().to_pretty_json()?;
            std::io::Write::write_all(&mut std::io::stdout(), format!("{spec}\n").as_bytes())?;
            Ok(())
        }
        Command::Emulator(_args) => anyhow::bail!("the emulator is not wired yet"),
    }
}

fn default_serve_args() -> ServeArgs {
    match Cli::parse_from(["ccplane", "serve"]).command {
        Some(Command::Serve(args)) => args,
        _ => unreachable!("`serve` parses as the serve command"),
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let pool = store::connect_and_migrate(
        &args.database.database_url,
        args.database.db_max_connections,
    )
    .await?;
    let listener = TcpListener::bind(args.addr).await?;
    tracing::info!(addr = %listener.local_addr()?, "ccplane listening");
    let shutdown = CancellationToken::new();
    tokio::spawn(cancel_on_signal(shutdown.clone()));
    ccplane::serve(listener, AppState::new(pool, args.api), shutdown).await
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
