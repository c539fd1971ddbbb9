//! Lists of UserPoolClients, in a namespace or in every namespace the caller may view: filters
//! and cursor pages.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

use super::UserPoolClient;
use crate::access::{Role, Scope};
use crate::api::error::ApiError;
use crate::api::extract::{NamespacePath, StrictQuery};
use crate::api::labels::parse_selector;
use crate::api::pagination::{Cursor, Page, page_limit};
use crate::api::principal::Principal;
use crate::api::state::AppState;
use crate::model::Phase;
use crate::store::resources::{self, ListQuery};

/// Filters and paging of a list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page size, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    /// The `nextCursor` of the previous page; absent or empty: the first page.
    #[param(pattern = r"^[A-Za-z0-9_-]*$")]
    cursor: Option<String>,
    /// Only resources in this phase.
    #[param(value_type = Option<Phase>)]
    phase: Option<String>,
    /// Only clients of this user pool.
    user_pool_id: Option<String>,
    /// Label selector: `key=value` pairs separated by commas, all of which must match.
    #[param(example = "team=payments,tier=gold")]
    labels: Option<String>,
}

impl ListParams {
    fn into_query(
        self,
        namespace: Option<String>,
        visible: Option<Vec<String>>,
    ) -> Result<ListQuery, ApiError> {
        let phase = self
            .phase
            .map(|p| {
                Phase::parse(&p).ok_or_else(|| ApiError::BadParameter {
                    parameter: "phase".into(),
                    message: format!(
                        "`{p}` is not a phase; expected one of {}",
                        Phase::ALL.map(Phase::as_str).join(", ")
                    ),
                })
            })
            .transpose()?;
        // An empty cursor is the first page, as if none were given.
        let after = self
            .cursor
            .filter(|c| !c.is_empty())
            .map(|c| Cursor::<(String, String)>::decode(&c, "cursor"))
            .transpose()?;
        Ok(ListQuery {
            namespace,
            visible,
            phase,
            user_pool_id: self.user_pool_id,
            labels: parse_selector(self.labels.as_deref().unwrap_or(""))?,
            after,
            limit: page_limit(self.limit)?,
        })
    }
}

async fn list(state: &AppState, query: ListQuery) -> Result<Json<Page<UserPoolClient>>, ApiError> {
    let rows = resources::list(&state.pool, &query).await?;
    let next = (rows.len() as i64 == query.limit)
        .then(|| {
            rows.last()
                .map(|r| Cursor::encode(&(r.namespace.clone(), r.name.clone())))
        })
        .flatten();
    let items = rows
        .into_iter()
        .map(|r| UserPoolClient::from_row(r, Vec::new()))
        .collect();
    Ok(Json(Page {
        items,
        next_cursor: next,
    }))
}

/// List the UserPoolClients of a namespace
///
/// Ordered by name, in pages of `limit`; pass a page's `nextCursor` as `cursor` for the next.
/// Filters: `phase`, `userPoolId`, `labels`.
#[utoipa::path(
    get,
    path = "/v1/namespaces/{namespace}/user-pool-clients",
    tag = "user-pool-clients",
    params(("namespace" = String, Path, description = "Namespace (DNS label)"), ListParams),
    responses(
        (status = 200, description = "One page", body = Page<UserPoolClient>),
        (status = 400, description = "A malformed path or parameter, or a cursor this API did not issue"),
    )
)]
pub async fn list_user_pool_clients(
    State(state): State<AppState>,
    principal: Principal,
    NamespacePath(namespace): NamespacePath,
    StrictQuery(params): StrictQuery<ListParams>,
) -> Result<Json<Page<UserPoolClient>>, ApiError> {
    principal.require(Role::Viewer, &namespace)?;
    list(&state, params.into_query(Some(namespace), None)?).await
}

/// List UserPoolClients in every namespace
///
/// Every namespace the token may view, ordered by namespace then name, in pages; the same
/// filters as a namespace's list.
#[utoipa::path(
    get,
    path = "/v1/user-pool-clients",
    tag = "user-pool-clients",
    params(ListParams),
    responses(
        (status = 200, description = "One page", body = Page<UserPoolClient>),
        (status = 400, description = "A malformed parameter, or a cursor this API did not issue"),
    )
)]
pub async fn list_all_user_pool_clients(
    State(state): State<AppState>,
    principal: Principal,
    StrictQuery(params): StrictQuery<ListParams>,
) -> Result<Json<Page<UserPoolClient>>, ApiError> {
    let visible = match principal.scope(Role::Viewer) {
        Scope::All => None,
        Scope::Only(names) => Some(names),
    };
    list(&state, params.into_query(None, visible)?).await
}
