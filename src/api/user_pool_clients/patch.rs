//! `PATCH` of a UserPoolClient: a JSON Merge Patch of its desired state.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::put::update_existing;
use super::{Preconditions, UserPoolClient};
use crate::access::Role;
use crate::api::admission::{UserPoolClientPatch, check_region, validate};
use crate::api::error::ApiError;
use crate::api::extract::{JsonBody, ResourcePath};
use crate::api::principal::Principal;
use crate::api::state::AppState;

/// Change part of a UserPoolClient
///
/// A JSON Merge Patch (RFC 7396) of the desired state, sent as `application/merge-patch+json`:
/// fields present replace, `null` removes, objects merge. The result is validated as a whole.
#[utoipa::path(
    patch,
    path = "/v1/namespaces/{namespace}/user-pool-clients/{name}",
    tag = "user-pool-clients",
    params(
        ("namespace" = String, Path, description = "Namespace (DNS label)"),
        ("name" = String, Path, description = "Name (DNS label)"),
        ("If-Match" = Option<String>, Header, description = "Patch only if the current ETag is one of these"),
    ),
    request_body(content = UserPoolClientPatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Patched (or unchanged)", body = UserPoolClient,
            headers(("ETag" = String))),
        (status = 400, description = "A malformed path, body or precondition header, or a patch that is not an object"),
        (status = 409, description = "The resource is being deleted"),
        (status = 412, description = "If-Match did not hold"),
        (status = 415, description = "The body is not application/merge-patch+json"),
        (status = 422, description = "The patched document is invalid (every violation is listed), or changes a create-only property under replacementPolicy Reject"),
    )
)]
pub async fn patch_user_pool_client(
    State(state): State<AppState>,
    principal: Principal,
    path: ResourcePath,
    headers: HeaderMap,
    JsonBody(patch): JsonBody,
) -> Result<Response, ApiError> {
    principal.require_on(Role::Editor, &path)?;
    let actor = principal.actor();
    let preconditions = Preconditions::from_headers(&headers)?;
    // Any other merge patch replaces the whole document with a non-document.
    if !patch.is_object() {
        return Err(ApiError::BadRequest(
            "a merge patch of a UserPoolClient must be a JSON object".into(),
        ));
    }
    let mut tx = state.pool.begin().await?;
    let row = path.lock(&mut tx).await?;
    let mut document = row.spec().to_json();
    json_patch::merge(&mut document, &patch);
    let validated = validate(&document, &state, &[])?;
    check_region(&state, &principal, &path.namespace, &validated.spec).await?;
    // As on PUT, a request that is wrong in itself says so (422) before any precondition is
    // weighed (RFC 9110, 13.2.1).
    preconditions.check(Some(&row))?;
    let response = update_existing(&mut tx, &row, validated, actor.as_deref()).await?;
    state.notifier.commit(tx, &path.namespace).await?;
    Ok(response)
}
