//! The HTTP API: routes and their OpenAPI entries (registered once), middleware and errors.

pub mod actions;
pub mod admin;
pub mod admission;
pub mod discoveries;
pub mod edge;
pub mod error;
pub mod events;
pub mod extract;
pub mod headers;
pub mod labels;
pub mod limits;
pub mod live;
pub mod openapi;
pub mod ops;
pub mod pagination;
pub mod principal;
pub mod secrets;
pub mod server;
pub mod state;
pub mod user_pool_clients;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

use error::{PROBLEM_JSON, problem};
use state::AppState;

/// Every route with its OpenAPI entry, and the OpenAPI document they make.
pub fn routes() -> (Router<AppState>, openapi::Document) {
    let (router, spec) = OpenApiRouter::with_openapi(openapi::base())
        .routes(routes!(
            user_pool_clients::put::put_user_pool_client,
            user_pool_clients::get::get_user_pool_client,
            user_pool_clients::patch::patch_user_pool_client,
            user_pool_clients::delete::delete_user_pool_client
        ))
        .routes(routes!(
            user_pool_clients::create::create_user_pool_client,
            user_pool_clients::list::list_user_pool_clients
        ))
        .routes(routes!(user_pool_clients::list::list_all_user_pool_clients))
        .routes(routes!(actions::plan_user_pool_client))
        .routes(routes!(actions::refresh_user_pool_client))
        .routes(routes!(actions::cancel_user_pool_client))
        .routes(routes!(actions::get_user_pool_client_secret))
        .routes(routes!(
            secrets::list_user_pool_client_secrets,
            secrets::add_user_pool_client_secret
        ))
        .routes(routes!(secrets::delete_user_pool_client_secret))
        .routes(routes!(
            discoveries::create_discovery,
            discoveries::list_discoveries
        ))
        .routes(routes!(discoveries::get_discovery))
        .routes(routes!(discoveries::adopt_discovered_clients))
        .routes(routes!(events::list_user_pool_client_events))
        .routes(routes!(events::list_namespace_events))
        .routes(routes!(admin::create_token, admin::list_tokens))
        .routes(routes!(admin::delete_token))
        .routes(routes!(admin::put_namespace, admin::get_namespace))
        .routes(routes!(admin::list_namespaces))
        .routes(routes!(ops::get_health))
        .routes(routes!(ops::get_readiness))
        .routes(routes!(ops::get_metrics))
        .split_for_parts();
    (router, openapi::finish(spec))
}

/// The OpenAPI document the server serves at `/openapi.json`.
pub fn openapi() -> openapi::Document {
    routes().1
}

/// The complete application: routes, docs, fallbacks and middleware.
pub fn app(state: AppState) -> Router {
    let (routes, spec) = routes();
    let x_request_id = HeaderName::from_static("x-request-id");
    let layers = ServiceBuilder::new()
        .layer(SetSensitiveRequestHeadersLayer::new([
            header::AUTHORIZATION,
        ]))
        .layer(SetRequestIdLayer::new(
            x_request_id.clone(),
            MakeRequestUuid,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(PropagateRequestIdLayer::new(x_request_id))
        .option_layer(headers::cors(&state.settings.cors_origins))
        .layer(middleware::from_fn(headers::security_headers))
        .layer(CatchPanicLayer::new())
        .layer(middleware::from_fn(problem_for_every_error))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            state.settings.request_timeout.get(),
        ))
        .layer(DefaultBodyLimit::max(state.settings.max_body_bytes));
    routes
        .merge(
            SwaggerUi::new("/docs")
                .external_url_unchecked("/openapi.json", spec.0)
                // The online validator badge would load from another host.
                .config(utoipa_swagger_ui::Config::default().validator_url("none")),
        )
        .fallback(|| async {
            problem(
                StatusCode::NOT_FOUND,
                "not-found",
                "no such route".into(),
                Vec::new(),
            )
        })
        .route_layer(middleware::from_fn(ops::record_request))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            principal::guard_open_routes,
        ))
        .layer(layers)
        .with_state(state)
}

fn request_span(request: &Request) -> tracing::Span {
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        method = %request.method(),
        uri = %request.uri().path(),
        request_id = %request_id,
    )
}

/// Turns every error response that is not already a problem (axum's rejections, 405, timeouts,
/// panics) into `application/problem+json`, keeping a 4xx's text as the detail.
async fn problem_for_every_error(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if status.as_u16() < 400 || is_problem {
        return response;
    }
    let (parts, body) = response.into_parts();
    let detail = if status.is_client_error() {
        let bytes = axum::body::to_bytes(body, 16 * 1024)
            .await
            .unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes).trim().to_owned();
        if text.is_empty() {
            status.canonical_reason().unwrap_or("error").to_lowercase()
        } else {
            text
        }
    } else {
        "the server could not complete the request".to_owned()
    };
    let slug = status
        .canonical_reason()
        .unwrap_or("error")
        .to_lowercase()
        .replace(' ', "-");
    let mut fixed = problem(status, &slug, detail, Vec::new()).into_response();
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            fixed.headers_mut().insert(name.clone(), value.clone());
        }
    }
    let _: &Body = fixed.body();
    fixed
}
