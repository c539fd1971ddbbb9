//! Operability routes: liveness, readiness and Prometheus metrics.

use std::time::Instant;

use axum::Json;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{ApiError, problem};
use super::state::AppState;
use crate::model::Phase;
use crate::store;

/// The body of a health answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` when healthy.
    #[schema(example = "ok")]
    pub status: String,
}

/// Check liveness
///
/// The process answers; it does not look at the database. Never needs a token.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "Alive", body = Health)))]
pub async fn get_health() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

/// Check readiness
///
/// The database answers and every migration is applied. Never needs a token.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "Not ready: the database is unreachable or migrations are pending"),
    ))]
pub async fn get_readiness(State(state): State<AppState>) -> Response {
    if store::is_ready(&state.pool).await {
        return Json(Health {
            status: "ok".into(),
        })
        .into_response();
    }
    let detail = "the database is unreachable or migrations are pending".to_owned();
    problem(
        StatusCode::SERVICE_UNAVAILABLE,
        "not-ready",
        detail,
        Vec::new(),
    )
    .into_response()
}

/// Read Prometheus metrics
///
/// Requests by route and status with latency histograms, resources by phase, queue depth, and
/// the reconciler's operations, polls, throttles and operation durations. Needs a token only with
/// `--metrics-auth`.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain")))]
pub async fn get_metrics(State(state): State<AppState>) -> Result<Response, ApiError> {
    let counts = store::resources::count_by_phase(&state.pool).await?;
    for phase in Phase::ALL {
        let n = counts
            .iter()
            .find(|(p, _)| *p == phase)
            .map_or(0, |(_, n)| *n);
        metrics::gauge!("ccplane_resources", "phase" => phase.as_str()).set(n as f64);
    }
    let due = store::resources::count_due(&state.pool).await?;
    metrics::gauge!("ccplane_queue_due").set(due as f64);
    let body = state.metrics.render();
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response())
}

/// Records every request's count and latency by method, route template and status.
pub async fn record_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels[..2])
        .record(started.elapsed().as_secs_f64());
    response
}
