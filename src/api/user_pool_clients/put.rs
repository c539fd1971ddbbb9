//! `PUT` of a UserPoolClient: create or replace by name, and applying a new desired state to an
//! existing resource (which PATCH shares).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{Preconditions, UserPoolClient, respond};
use crate::access::Role;
use crate::api::admission::{UserPoolClientDocument, check_region, validate};
use crate::api::error::ApiError;
use crate::api::extract::{JsonBody, ResourcePath, StrictQuery};
use crate::api::principal::Principal;
use crate::api::state::AppState;
use crate::model::Violation;
use crate::model::document::{ReplacementPolicy, Spec, Validated};
use crate::store::resources::{self, ResourceRow};

/// Create or replace a UserPoolClient
///
/// Stores the desired state and answers at once; the reconciler then makes AWS match it (watch
/// `status.phase` become `Ready`). 201 on create, 200 on replace; the same document again changes
/// nothing. `If-None-Match: *` only creates, `If-Match` only replaces that version. To see what a
/// document would do without storing it, use `POST …/plan`.
#[utoipa::path(
    put,
    path = "/v1/namespaces/{namespace}/user-pool-clients/{name}",
    tag = "user-pool-clients",
    params(
        ("namespace" = String, Path, description = "Namespace (DNS label)"),
        ("name" = String, Path, description = "Name (DNS label)"),
        ("If-Match" = Option<String>, Header, description = "Replace only if the current ETag is one of these (or `*`: if it exists)"),
        ("If-None-Match" = Option<String>, Header, description = "`*`: create only, never replace"),
    ),
    request_body(content = UserPoolClientDocument, content_type = "application/json"),
    responses(
        (status = 200, description = "Replaced, or unchanged when the document is the same", body = UserPoolClient,
            headers(("ETag" = String))),
        (status = 201, description = "Created", body = UserPoolClient,
            headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "A malformed path, body or precondition header"),
        (status = 409, description = "The resource is being deleted; the name is free again once it is gone"),
        (status = 412, description = "If-Match or If-None-Match did not hold"),
        (status = 422, description = "The document is invalid (every violation is listed), its region is not allowed in the namespace, or it changes a create-only property under replacementPolicy Reject"),
    )
)]
pub async fn put_user_pool_client(
    State(state): State<AppState>,
    principal: Principal,
    path: ResourcePath,
    headers: HeaderMap,
    StrictQuery(params): StrictQuery<PutParams>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    principal.require_on(Role::Editor, &path)?;
    let actor = principal.actor();
    let validated = validate(&body, &state, &[])?;
    check_region(&state, &principal, &path.namespace, &validated.spec).await?;
    if params.dry_run.unwrap_or(false) {
        let plan = crate::api::actions::plan_at(&state, &principal, &path, validated).await?;
        let mut response = Json(plan).into_response();
        let successor = format!(
            "</v1/namespaces/{}/user-pool-clients/{}/plan>; rel=\"successor-version\"",
            path.namespace, path.name
        );
        if let Ok(link) = HeaderValue::from_str(&successor) {
            response.headers_mut().insert(header::LINK, link);
        }
        response
            .headers_mut()
            .insert("deprecation", HeaderValue::from_static("true"));
        return Ok(response);
    }
    let preconditions = Preconditions::from_headers(&headers)?;
    let (namespace, name, spec) = (&path.namespace, &path.name, &validated.spec);
    // The common case, a new name, is one statement; the name being taken falls through to the
    // locked read-modify-write below. `If-Match` always means an existing resource.
    if preconditions.if_match.is_none()
        && let Some(row) =
            resources::create(&state.pool, namespace, name, spec, actor.as_deref()).await?
    {
        state.notifier.changed(namespace);
        return Ok(respond(StatusCode::CREATED, row, validated.warnings));
    }
    let mut tx = state.pool.begin().await?;
    let current = resources::get_for_update(&mut tx, namespace, name).await?;
    preconditions.check(current.as_ref())?;
    let response = match current {
        Some(row) => update_existing(&mut tx, &row, validated, actor.as_deref()).await?,
        // Deleted since the insert found it: create it after all.
        None => match resources::create(&mut *tx, namespace, name, spec, actor.as_deref()).await? {
            Some(row) => respond(StatusCode::CREATED, row, validated.warnings),
            None => {
                return Err(ApiError::Conflict(
                    "the resource is being written concurrently; retry".into(),
                ));
            }
        },
    };
    state.notifier.commit(tx, namespace).await?;
    Ok(response)
}

/// Options of a PUT.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PutParams {
    /// Deprecated and left out of the OpenAPI document: `true` answers with the plan, which a
    /// PUT's declared answer cannot be. `POST …/plan` does the same.
    dry_run: Option<bool>,
}

/// Applies a new desired state to an existing, locked resource: no-op, refusal or replacement.
pub(super) async fn update_existing(
    tx: &mut sqlx::PgConnection,
    row: &ResourceRow,
    validated: Validated,
    actor: Option<&str>,
) -> Result<Response, ApiError> {
    if row.deletion_requested_at.is_some() {
        return Err(ApiError::Conflict(format!(
            "user pool client {}/{} is being deleted; wait until it is gone to use the name again",
            row.namespace, row.name
        )));
    }
    let current = row.spec();
    if current == validated.spec {
        return Ok(respond(StatusCode::OK, row.clone(), validated.warnings));
    }
    check_replacement(row, &current, &validated.spec)?;
    let updated = resources::replace_spec(tx, row, &validated.spec, actor).await?;
    Ok(respond(StatusCode::OK, updated, validated.warnings))
}

/// Refuses a change of create-only properties under `replacementPolicy: Reject` once AWS has
/// (or may have) a client for this resource.
fn check_replacement(row: &ResourceRow, current: &Spec, desired: &Spec) -> Result<(), ApiError> {
    let changed = current.create_only_changes(desired);
    if changed.is_empty()
        || !row.touched_aws()
        || desired.replacement_policy != ReplacementPolicy::Reject
    {
        return Ok(());
    }
    let errors = changed
        .iter()
        .map(|p| Violation {
            pointer: format!("/properties/{p}"),
            message: "create-only: changing it replaces the client".into(),
        })
        .collect();
    Err(ApiError::ReplacementRejected {
        detail: format!(
            "{} can only change by replacing the client; set replacementPolicy to \
             CreateBeforeDelete or DeleteBeforeCreate to allow it",
            changed.join(" and ")
        ),
        errors,
    })
}
