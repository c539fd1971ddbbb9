//! The HTTP server: `POST /` for awsJson1_0 (Cloud Control), awsJson1_1 (cognito-idp's client
//! secrets, Secrets Manager) and AWS Query (STS), the control routes, and droppable connections.

use std::{
    io,
    net::SocketAddr,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    task::{Context, Poll},
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    extract::{ConnectInfo, State, connect_info::Connected},
    http::HeaderMap,
    response::{IntoResponse, Response},
    routing::post,
    serve::{IncomingStream, Listener},
};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
};
use tokio_util::sync::CancellationToken;

use super::{
    control::Control,
    control_http,
    faults::SyncFault,
    json11::{self, ApiOperation, Service},
    ops::{self, Call},
    stats::Outcome,
    sts,
    wire::{ApiError, Caller, ErrorKind, Operation},
};

/// Serves the emulator on `listener` until `shutdown` is cancelled.
pub(crate) async fn serve(
    listener: TcpListener,
    control: Control,
    shutdown: CancellationToken,
) -> io::Result<()> {
    let app = Router::new()
        .route("/", post(api))
        .merge(control_http::routes())
        .with_state(control)
        .into_make_service_with_connect_info::<Conn>();
    axum::serve(KillableListener(listener), app)
        .with_graceful_shutdown(shutdown.cancelled_owned())
        .await
}

/// `POST /`: one call, of whichever service its `X-Amz-Target` (or its form body, for STS) names.
async fn api(
    State(control): State<Control>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let shared = control.shared();
    if sts::is_query_request(&headers) {
        return sts::answer(shared, &headers, &body);
    }
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if let Some(op) = ApiOperation::from_target(target) {
        return json11::answer(shared, &conn, &headers, &body, op).await;
    }
    if let Some(service) = Service::of_target(target) {
        return json11::unknown(shared, service, target);
    }
    let Some(op) = Operation::from_target(target) else {
        let err = ApiError::new(
            ErrorKind::UnknownOperation,
            format!("Unknown operation {target}"),
        );
        shared.record("Unknown", Outcome::Error(err.kind));
        return err.into_response();
    };
    let caller = match Caller::signed(&headers) {
        Ok((caller, access_key_id)) if !shared.is_expired(access_key_id) => caller,
        Ok(_) => {
            // As AWS's JSON services answer temporary credentials past their Expiration, recorded
            // for DynamoDB and EKS: `com.amazon.coral.service#ExpiredTokenException`, "The
            // security token included in the request is expired", HTTP 400.
            let err = ApiError::new(
                ErrorKind::ExpiredToken,
                "The security token included in the request is expired",
            );
            shared.record(op.name(), Outcome::Error(err.kind));
            return err.into_response();
        }
        Err(err) => {
            shared.record(op.name(), Outcome::Error(err.kind));
            return err.into_response();
        }
    };
    let plan = shared.plan_call(&caller);
    if !plan.delay.is_zero() {
        tokio::time::sleep(plan.delay).await;
    }
    let result = match plan.fault {
        Some(SyncFault::Drop) => {
            conn.kill();
            shared.record(op.name(), Outcome::Dropped);
            tracing::debug!(op = op.name(), "dropping the connection on purpose");
            return ApiError::new(ErrorKind::InternalFailure, "dropped").into_response();
        }
        Some(SyncFault::Http500) => Err(ApiError::new(
            ErrorKind::InternalFailure,
            "Internal Server Error",
        )),
        Some(SyncFault::RateLimited | SyncFault::Throttled) => {
            Err(ApiError::new(ErrorKind::Throttling, "Rate exceeded"))
        }
        None => {
            if let Some(role_arn) = role_arn_of(&body) {
                shared.record_role_arn(op.name(), role_arn);
            }
            ops::dispatch(
                &Call {
                    shared,
                    caller: &caller,
                },
                op,
                &body,
            )
        }
    };
    match result {
        Ok(reply) if reply.lose_answer => {
            // Accepted and recorded, but the caller never learns so: it must retry or look.
            conn.kill();
            shared.record(op.name(), Outcome::AnswerLost);
            tracing::debug!(op = op.name(), "losing the answer on purpose");
            ApiError::new(ErrorKind::InternalFailure, "answer lost").into_response()
        }
        Ok(reply) => {
            shared.record(op.name(), Outcome::Success);
            super::wire::json_response(axum::http::StatusCode::OK, reply.body)
        }
        Err(err) => {
            tracing::debug!(op = op.name(), error = err.kind.code(), message = %err.message, "answering an error");
            shared.record(op.name(), Outcome::Error(err.kind));
            err.into_response()
        }
    }
}

/// The `RoleArn` member of a request body, counted so tests can see which role a caller asked for.
fn role_arn_of(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value.get("RoleArn")?.as_str().map(str::to_owned)
}

/// The kill switch of the connection a request arrived on.
#[derive(Debug, Clone)]
pub(crate) struct Conn(Arc<AtomicBool>);

impl Conn {
    /// Closes the connection instead of answering (with a reset, as a load balancer would).
    pub(crate) fn kill(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

impl Connected<IncomingStream<'_, KillableListener>> for Conn {
    fn connect_info(stream: IncomingStream<'_, KillableListener>) -> Self {
        Conn(stream.io().killed.clone())
    }
}

/// A TCP listener whose connections can be cut by the handler serving them.
struct KillableListener(TcpListener);

impl Listener for KillableListener {
    type Io = KillableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((stream, addr)) => {
                    // Small request/response pairs: Nagle's algorithm would only add delay.
                    let _ = stream.set_nodelay(true);
                    let killed = Arc::new(AtomicBool::new(false));
                    return (KillableStream { stream, killed }, addr);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// A TCP stream that fails every write once killed, so the server closes it without answering.
struct KillableStream {
    stream: TcpStream,
    killed: Arc<AtomicBool>,
}

impl KillableStream {
    fn cut(&self) -> Option<io::Error> {
        if !self.killed.load(Ordering::Relaxed) {
            return None;
        }
        // A reset rather than an orderly close, like a load balancer dropping the connection.
        let _ = self.stream.set_zero_linger();
        Some(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "dropped on purpose",
        ))
    }
}

impl AsyncRead for KillableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if let Some(e) = self.cut() {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(e) = self.cut() {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
