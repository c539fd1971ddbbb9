//! `DELETE` of a UserPoolClient: a request for deletion, answered at once.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::{Preconditions, UserPoolClient, respond};
use crate::access::Role;
use crate::api::error::ApiError;
use crate::api::extract::ResourcePath;
use crate::api::principal::Principal;
use crate::api::state::AppState;
use crate::store::resources;

/// Delete a UserPoolClient
///
/// Requests deletion and answers at once. The resource stays readable in phase `Deleting` until
/// the reconciler has deleted the client in AWS (or, under `deletionPolicy: Retain`, let go of
/// it); then reads answer 404. Its events stay readable.
#[utoipa::path(
    delete,
    path = "/v1/namespaces/{namespace}/user-pool-clients/{name}",
    tag = "user-pool-clients",
    params(
        ("namespace" = String, Path, description = "Namespace (DNS label)"),
        ("name" = String, Path, description = "Name (DNS label)"),
        ("If-Match" = Option<String>, Header, description = "Delete only if the current ETag is one of these"),
    ),
    responses(
        (status = 202, description = "Deletion requested (or already under way)", body = UserPoolClient,
            headers(("ETag" = String))),
        (status = 400, description = "A malformed path or precondition header"),
        (status = 412, description = "If-Match did not hold"),
    )
)]
pub async fn delete_user_pool_client(
    State(state): State<AppState>,
    principal: Principal,
    path: ResourcePath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    principal.require_on(Role::Editor, &path)?;
    let actor = principal.actor();
    let preconditions = Preconditions::from_headers(&headers)?;
    let mut tx = state.pool.begin().await?;
    let row = path.lock(&mut tx).await?;
    preconditions.check(Some(&row))?;
    if row.deletion_requested_at.is_some() {
        return Ok(respond(StatusCode::ACCEPTED, row, Vec::new()));
    }
    let row = resources::request_deletion(&mut tx, &row, actor.as_deref()).await?;
    state.notifier.commit(tx, &path.namespace).await?;
    Ok(respond(StatusCode::ACCEPTED, row, Vec::new()))
}
