//! `GET` of one UserPoolClient: the hot read, with the token's row in the same round trip.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::{UserPoolClient, respond};
use crate::access::Role;
use crate::api::error::ApiError;
use crate::api::extract::ResourcePath;
use crate::api::principal::Caller;
use crate::api::state::AppState;
use crate::store::resources;

/// Read a UserPoolClient
///
/// The desired state, metadata (uid, generation, revision, timestamps) and the reconciler's
/// status. The `ETag` header versions it, for `If-Match` on a later write.
#[utoipa::path(
    get,
    path = "/v1/namespaces/{namespace}/user-pool-clients/{name}",
    tag = "user-pool-clients",
    params(
        ("namespace" = String, Path, description = "Namespace (DNS label)"),
        ("name" = String, Path, description = "Name (DNS label)"),
    ),
    responses(
        (status = 200, description = "The resource", body = UserPoolClient, headers(("ETag" = String))),
        (status = 400, description = "A malformed path"),
    )
)]
pub async fn get_user_pool_client(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<ResourcePath, ApiError>,
) -> Result<Response, ApiError> {
    // As on every other route, a caller that is not authenticated learns nothing, not even that
    // the path is malformed.
    let path = match path {
        Ok(path) => path,
        Err(malformed) => {
            caller.authenticate(&state).await?;
            return Err(malformed);
        }
    };
    let (namespace, name) = (&path.namespace, &path.name);
    // The hot read: the token's row comes with the resource, in one round trip.
    let (principal, row) = match caller.token_to_look_up(&state)? {
        Some(token_id) => {
            let found =
                resources::get_with_credentials(&state.pool, token_id, namespace, name).await;
            let found = caller.unless_failed(&state, found)?;
            caller.authenticate_with(&state, found).await?
        }
        None => (
            caller.authenticate(&state).await?,
            resources::get(&state.pool, namespace, name).await?,
        ),
    };
    principal.require_on(Role::Viewer, &path)?;
    let row = row.ok_or_else(|| ApiError::client_not_found(namespace, name))?;
    Ok(respond(StatusCode::OK, row, Vec::new()))
}
