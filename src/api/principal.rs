//! Who is calling: a request's bearer credential as presented ([`Caller`]), authenticated into a
//! [`Principal`] (an API token or an OIDC JWT) whose authorization checks every handler makes.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use super::error::ApiError;
use super::extract::ResourcePath;
use super::state::AppState;
use crate::access::token::{actor_of, parse_token, secret_matches};
use crate::access::{ALL_NAMESPACES, Access, Grants, Role, Scope, oidc};
use crate::config::AuthMode;
use crate::store::namespaces::{self, NamespaceRow};
use crate::store::tokens::{self, Credentials, WithCredentials};

/// The caller of a request: a token (or an OIDC JWT) and what its bindings grant (or, under
/// `--auth none`, an anonymous admin).
#[derive(Debug, Clone)]
pub struct Principal {
    token_id: Option<String>,
    actor: Option<String>,
    grants: Grants,
    /// The settings of the namespace the request's path names (`None` inside: it has none), when
    /// they were read with the token.
    namespace_settings: Option<(String, Option<NamespaceRow>)>,
}

impl Principal {
    /// The anonymous admin of `--auth none`.
    pub fn anonymous() -> Self {
        Principal {
            token_id: None,
            actor: None,
            grants: Grants::superuser(),
            namespace_settings: None,
        }
    }

    /// The settings of `namespace` (`None`: it has none), read with the token when the request's
    /// path names it.
    pub async fn namespace_settings(
        &self,
        state: &AppState,
        namespace: &str,
    ) -> Result<Option<NamespaceRow>, sqlx::Error> {
        match &self.namespace_settings {
            Some((name, settings)) if name == namespace => Ok(settings.clone()),
            _ => namespaces::get(&state.pool, namespace).await,
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
            ApiError::client_not_found(&path.namespace, &path.name)
        })
    }

    /// Requires `role` in `namespace`, answering an invisible namespace with `missing`: the
    /// route's own answer for what it looks for not being there, so the two are one answer.
    pub fn require_or_missing(
        &self,
        role: Role,
        namespace: &str,
        missing: impl FnOnce() -> ApiError,
    ) -> Result<(), ApiError> {
        self.decide(role, namespace, missing)
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
        Caller::read(state, &parts.headers, parts.uri.path(), &parts.extensions)
            .authenticate(state)
            .await
    }
}

/// A request's credential as presented, read from its headers but not yet checked: a handler
/// that reads one row can read the token's row in the same statement
/// ([`Caller::token_id`], [`Caller::authenticate_with`]).
pub struct Caller {
    presented: Presented,
    /// The namespace the request's path names, whose settings are read with the token.
    namespace: Option<String>,
    /// The client's address: the rate-limit key of a request no credential authenticates.
    address: Option<IpAddr>,
}

enum Presented {
    /// `--auth none`: everyone is an anonymous admin.
    Anonymous,
    /// An API token `ccp_<id>_<secret>`.
    Token { id: String, secret: String },
    /// An OIDC JWT.
    Jwt(String),
    /// Nothing usable: the 401 to answer.
    Rejected(ApiError),
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Caller::read(
            state,
            &parts.headers,
            parts.uri.path(),
            &parts.extensions,
        ))
    }
}

impl Caller {
    /// Reads the credential of a request from its `Authorization: Bearer …` header.
    pub fn read(
        state: &AppState,
        headers: &HeaderMap,
        path: &str,
        extensions: &Extensions,
    ) -> Self {
        Caller {
            presented: present(state, headers),
            namespace: path_namespace(path).map(str::to_owned),
            address: client_address(
                headers,
                extensions
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|ConnectInfo(peer)| peer.ip()),
                state.settings.trusted_proxy_hops,
            ),
        }
    }

    /// The id of the API token presented, if one was: read its row with
    /// [`tokens::CREDENTIAL_COLUMNS`] and hand the result to [`Caller::authenticate_with`].
    /// 429 instead when the client's address has spent its budget of unauthenticated requests,
    /// so that a flood of bad tokens costs no database work.
    pub fn token_to_look_up(&self, state: &AppState) -> Result<Option<&str>, ApiError> {
        match &self.presented {
            Presented::Token { id, .. } => {
                super::limits::admit_address_lookup(&state.limits, self.address)?;
                Ok(Some(id))
            }
            _ => Ok(None),
        }
    }

    /// Authenticates the request, reading its token (with the settings of the namespace its path
    /// names) from Postgres every time, so that revocation and expiry take effect on the next
    /// request.
    pub async fn authenticate(self, state: &AppState) -> Result<Principal, ApiError> {
        let Some(id) = self.token_to_look_up(state)? else {
            let (principal, _) = self.authenticate_with::<NamespaceRow>(state, None).await?;
            return Ok(principal);
        };
        let found = tokens::credentials(&state.pool, id, self.namespace.as_deref()).await;
        let found = self.unless_failed(state, found)?;
        let namespace = self.namespace.clone();
        let (mut principal, settings) = self.authenticate_with(state, found).await?;
        // The token's row was there, so the same statement read the namespace's settings.
        principal.namespace_settings = namespace.map(|name| (name, settings));
        Ok(principal)
    }

    /// The result of looking the token up; a lookup that failed (no connection came free, say)
    /// counts against the client's address like a bad token, so a flood cannot retry it freely.
    pub fn unless_failed<T>(
        &self,
        state: &AppState,
        looked_up: Result<T, sqlx::Error>,
    ) -> Result<T, ApiError> {
        looked_up.map_err(|err| {
            let _ = super::limits::admit_address(&state.limits, self.address);
            err.into()
        })
    }

    /// Authenticates the request with its token's row as already read, together with what the
    /// same statement found (`None`: no such token), and counts the request against the caller's
    /// rate limit. Returns what was found beside the token.
    pub async fn authenticate_with<T>(
        self,
        state: &AppState,
        found: Option<WithCredentials<T>>,
    ) -> Result<(Principal, Option<T>), ApiError> {
        let (credentials, data) = match found {
            Some(found) => (Some(found.credentials), found.found),
            None => (None, None),
        };
        let limits = &state.limits;
        let outcome = match self.presented {
            Presented::Anonymous => Ok(Principal::anonymous()),
            Presented::Token { secret, .. } => check_token(state, &secret, credentials).await,
            Presented::Jwt(jwt) => {
                // Verifying costs a signature check and maybe a key fetch: not for a flooder.
                super::limits::admit_address_lookup(limits, self.address)?;
                authenticate_jwt(state, &jwt).await
            }
            Presented::Rejected(err) => Err(err),
        };
        match outcome.as_ref().ok().and_then(Principal::actor) {
            Some(actor) => super::limits::admit(limits, &actor)?,
            None => super::limits::admit_address(limits, self.address)?,
        }
        Ok((outcome?, data))
    }
}

/// The client's address: the peer's, or with `hops` trusted proxies in front the entry of
/// `X-Forwarded-For` that many from its end (the address the outermost trusted proxy saw). A
/// header with fewer entries, or one that does not parse, did not come through them: the peer.
fn client_address(headers: &HeaderMap, peer: Option<IpAddr>, hops: u32) -> Option<IpAddr> {
    if hops == 0 {
        return peer;
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    entries
        .len()
        .checked_sub(hops as usize)
        .and_then(|i| entries[i].parse().ok())
        .or(peer)
}

/// The namespace a `/v1/namespaces/{namespace}…` path names.
fn path_namespace(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/v1/namespaces/")?;
    let namespace = rest.split('/').next()?;
    crate::model::document::is_dns_label(namespace).then_some(namespace)
}

fn unauthorized(detail: &str, token_given: bool) -> ApiError {
    ApiError::Unauthorized {
        detail: detail.to_owned(),
        token_given,
    }
}

/// What the `Authorization` header presents.
fn present(state: &AppState, headers: &HeaderMap) -> Presented {
    if state.settings.auth == AuthMode::None {
        return Presented::Anonymous;
    }
    let Some(value) = headers.get(axum::http::header::AUTHORIZATION) else {
        return Presented::Rejected(unauthorized(
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
        return Presented::Rejected(unauthorized(
            "the Authorization header must be `Bearer <token>`",
            false,
        ));
    };
    if oidc::looks_like_jwt(presented) {
        return Presented::Jwt(presented.to_owned());
    }
    match parse_token(presented) {
        Some((id, secret)) => Presented::Token {
            id: id.to_owned(),
            secret: secret.to_owned(),
        },
        None => Presented::Rejected(unauthorized("the token is not valid", true)),
    }
}

/// Checks a presented token secret against its stored credentials.
async fn check_token(
    state: &AppState,
    secret: &str,
    credentials: Option<Credentials>,
) -> Result<Principal, ApiError> {
    let invalid = || unauthorized("the token is not valid", true);
    let token = credentials.ok_or_else(invalid)?;
    if !secret_matches(secret, &token.secret_hash) {
        return Err(invalid());
    }
    if token.revoked_at.is_some() {
        return Err(unauthorized("the token was revoked", true));
    }
    if token.expires_at.is_some_and(|at| at <= Utc::now()) {
        return Err(unauthorized("the token expired", true));
    }
    // Recording a use is a write: only when the last one recorded is a minute old.
    let stale = token
        .last_used_at
        .is_none_or(|at| Utc::now() - at > chrono::Duration::minutes(1));
    if stale && let Err(err) = tokens::touch(&state.pool, &token.id).await {
        tracing::warn!(error = %err, token = %token.id, "could not record the token's use");
    }
    Ok(Principal {
        actor: Some(actor_of(&token.id)),
        token_id: Some(token.id),
        grants: Grants::new(token.bindings.0),
        namespace_settings: None,
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
        namespace_settings: None,
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
    if guarded {
        let caller = Caller::read(
            &state,
            request.headers(),
            request.uri().path(),
            request.extensions(),
        );
        if let Err(err) = caller.authenticate(&state).await {
            return err.into_response();
        }
    }
    next.run(request).await
}
