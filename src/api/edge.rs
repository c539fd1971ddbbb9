//! The HTTP edge: accepts connections, caps how many are open at once, and closes those that are
//! slow to send their request headers, so slow or idle clients cannot hold every socket.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tower::{Service, ServiceExt};

use crate::config::ApiArgs;

/// How the server treats connections.
pub struct Edge {
    header_read_timeout: Duration,
    max_connections: u32,
}

impl Edge {
    /// The edge `settings` describe.
    pub fn new(settings: &ApiArgs) -> Self {
        Edge {
            header_read_timeout: settings.header_read_timeout.get(),
            max_connections: settings.max_connections.max(1),
        }
    }

    /// Serves `app` on `listener` until `shutdown`, then lets every open connection finish the
    /// request it is serving and returns once all are closed.
    pub async fn run(&self, listener: TcpListener, app: Router, shutdown: CancellationToken) {
        // The peer address keys the rate limit of requests that no token authenticated.
        let mut make_service = app.into_make_service_with_connect_info::<SocketAddr>();
        let slots = Arc::new(Semaphore::new(self.max_connections as usize));
        loop {
            // At the cap, stop accepting: new connections wait in the kernel's backlog until a
            // slot frees up, instead of being accepted and starved.
            let slot = tokio::select! {
                _ = shutdown.cancelled() => break,
                slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            };
            let (stream, peer) = tokio::select! {
                _ = shutdown.cancelled() => break,
                accepted = listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(err) => {
                        // Out of file descriptors and the like: wait rather than spin.
                        tracing::warn!(error = %err, "accepting a connection failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                },
            };
            let service = match make_service.call(peer).await {
                Ok(service) => service,
                Err(never) => match never {},
            };
            let service = service.map_request(|request: Request<_>| request.map(Body::new));
            let header_read_timeout = self.header_read_timeout;
            let shutdown = shutdown.clone();
            tokio::spawn(async move {
                let _slot = slot;
                let mut builder = auto::Builder::new(TokioExecutor::new()).http1_only();
                // hyper starts this timer whenever it waits for a request head: on a new
                // connection, on an idle keep-alive one, and while a head arrives piecemeal.
                builder
                    .http1()
                    .timer(TokioTimer::new())
                    .header_read_timeout(header_read_timeout);
                let connection = builder
                    .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
                tokio::pin!(connection);
                tokio::select! {
                    result = connection.as_mut() => log_end(result),
                    _ = shutdown.cancelled() => {
                        connection.as_mut().graceful_shutdown();
                        log_end(connection.await);
                    }
                }
            });
        }
        // Every connection holds a slot until it closes: all slots back means all are closed.
        let _ = slots.acquire_many(self.max_connections).await;
    }
}

fn log_end(result: Result<(), Box<dyn std::error::Error + Send + Sync>>) {
    if let Err(err) = result {
        tracing::debug!(error = %err, "connection ended");
    }
}
