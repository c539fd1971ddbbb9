//! Authentication (bearer API tokens, OIDC JWTs) and the authorization checks every handler makes.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use super::error::ApiError;
use super::extract::ResourcePath;
use super::user_pool_clients::not_found;
use crate::AppState;
use crate::auth::{self, ALL_NAMESPACES, Access, Grants, Role, Scope};
use crate::config::AuthMode;
use crate::store::tokens;

/// The caller of a request: a token (or an OIDC JWT) and what its bindings grant (or, under
/// `--auth none`, an anonymous admin).
#[derive(Debug, Clone)]
pub struct Principal {
    token_id: Option<String>,
    actor: Option<String>,
    grants: Grants,
}

impl Principal {
    /// The anonymous admin of `--auth none`.
    pub fn anonymous() -> Self {
        Principal {
            token_id: None,
            actor: None,
            grants: Grants::superuser(),
        }
    }

    /// Who to record as the actor of the events this request causes: `token:<id>`, or
    /// `oidc:<sub>` for a JWT.
    pub fn actor(&self) -> Option<String> {
        self.actor.clone()
    }

    /// The token's id, if a token authenticated the request.
    pub fn token_id(&self) -> Option<&str> {
        self.token_id.as_deref()
    }

    /// Requires `role` in `namespace`: 404 when the caller has no binding there, 403 when its role
    /// is too weak.
    pub fn require(&self, role: Role, namespace: &str) -> Result<(), ApiError> {
        self.decide(role, namespace, || {
            ApiError::NotFound(format!("namespace {namespace} does not exist"))
        })
    }

    /// Requires `role` in the resource's namespace; an invisible namespace answers exactly as a
    /// missing resource does.
    pub fn require_on(&self, role: Role, path: &ResourcePath) -> Result<(), ApiError> {
        self.decide(role, &path.namespace, || {
            not_found(&path.namespace, &path.name)
        })
    }

    /// Requires `admin` on `*`: token and namespace administration.
    pub fn require_global_admin(&self) -> Result<(), ApiError> {
        self.decide(Role::Admin, ALL_NAMESPACES, || {
            ApiError::Forbidden("this needs the admin role on every namespace (`admin:*`)".into())
        })
    }

    /// The namespaces in which the caller holds `role`.
    pub fn scope(&self, role: Role) -> Scope {
        self.grants.scope(role)
    }

    fn decide(
        &self,
        role: Role,
        namespace: &str,
        invisible: impl FnOnce() -> ApiError,
    ) -> Result<(), ApiError> {
        match self.grants.check(role, namespace) {
            Access::Allowed => Ok(()),
            Access::Invisible => Err(invisible()),
            Access::Forbidden => Err(ApiError::Forbidden(if namespace == ALL_NAMESPACES {
                format!("this needs the {role} role on every namespace (`{role}:*`)")
            } else {
                format!("this needs the {role} role in namespace {namespace}")
            })),
        }
    }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let principal = authenticate(state, &parts.headers).await;
        super::limits::admit(&state.limits, parts, principal.as_ref().ok())?;
        principal
    }
}

fn unauthorized(detail: &str, token_given: bool) -> ApiError {
    ApiError::Unauthorized {
        detail: detail.to_owned(),
        token_given,
    }
}

/// Authenticates a request from its `Authorization: Bearer …` header, reading the token from
/// Postgres every time so that revocation and expiry take effect on the next request.
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Principal, ApiError> {
    if state.settings.auth == AuthMode::None {
        return Ok(Principal::anonymous());
    }
    let Some(value) = headers.get(axum::http::header::AUTHORIZATION) else {
        return Err(unauthorized(
            "this request needs an API token: `Authorization: Bearer ccp_…`",
            false,
        ));
    };
    let bearer = value
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    let Some(presented) = bearer else {
        return Err(unauthorized(
            "the Authorization header must be `Bearer <token>`",
            false,
        ));
    };
    if crate::oidc::looks_like_jwt(presented) {
        return authenticate_jwt(state, presented).await;
    }
    let invalid = || unauthorized("the token is not valid", true);
    let (id, secret) = auth::parse_token(presented).ok_or_else(invalid)?;
    let row = tokens::get(&state.pool, id).await?.ok_or_else(invalid)?;
    if !auth::secret_matches(secret, &row.secret_hash) {
        return Err(invalid());
    }
    if row.revoked_at.is_some() {
        return Err(unauthorized("the token was revoked", true));
    }
    if !row.is_active(Utc::now()) {
        return Err(unauthorized("the token expired", true));
    }
    // Recording a use is a write: only when the last one recorded is a minute old.
    let stale = row
        .last_used_at
        .is_none_or(|at| Utc::now() - at > chrono::Duration::minutes(1));
    if stale && let Err(err) = tokens::touch(&state.pool, &row.id).await {
        tracing::warn!(error = %err, token = %row.id, "could not record the token's use");
    }
    Ok(Principal {
        actor: Some(auth::actor_of(&row.id)),
        token_id: Some(row.id),
        grants: Grants::new(row.bindings.0),
    })
}

/// Authenticates a JWT against the OIDC issuer; its groups' bindings are its grants (none: it
/// sees nothing).
async fn authenticate_jwt(state: &AppState, jwt: &str) -> Result<Principal, ApiError> {
    let Some(verifier) = &state.oidc else {
        return Err(unauthorized(
            "the token is not valid (OIDC is not configured)",
            true,
        ));
    };
    let identity = verifier
        .verify(jwt)
        .await
        .map_err(|err| unauthorized(&err.to_string(), true))?;
    Ok(Principal {
        token_id: None,
        actor: Some(identity.actor()),
        grants: Grants::new(identity.bindings),
    })
}

/// Requires a valid token (any role) for `/metrics` with `--metrics-auth` and for `/docs` and
/// `/openapi.json` with `--docs-auth`; `/healthz` and `/readyz` stay open.
pub async fn guard_open_routes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let guarded = (state.settings.metrics_auth && path == "/metrics")
        || (state.settings.docs_auth && (path == "/openapi.json" || path.starts_with("/docs")));
    if guarded && let Err(err) = authenticate(&state, request.headers()).await {
        return err.into_response();
    }
    next.run(request).await
}
