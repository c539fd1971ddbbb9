//! The timeline: a resource's events, a namespace's events, and their live Server-Sent Events stream.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::error::ApiError;
use super::extract::{NamespacePath, ResourcePath, StrictQuery};
use super::pagination::{Cursor, Page, page_limit};
use super::principal::Principal;
use super::state::AppState;
use crate::access::Role;
use crate::store::events::{self, EventRow};

/// One entry of a resource's timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// Position in the timeline; also the SSE `id`.
    pub id: i64,
    /// The uid of the resource it concerns.
    pub resource_uid: Uuid,
    /// The resource's namespace.
    pub namespace: String,
    /// The resource's name.
    pub name: String,
    /// What happened: one of `model::event::EventKind` (the document lists them, each with its
    /// data's schema).
    pub kind: String,
    /// The generation it concerns.
    pub generation: Option<i64>,
    /// A sentence for people.
    pub message: String,
    /// Details for machines, typed by `kind` (`model::event::EventData`).
    #[schema(value_type = Object)]
    pub data: Value,
    /// Who caused it, when a user did.
    pub actor: Option<String>,
    /// When it happened.
    pub created_at: DateTime<Utc>,
}

impl From<EventRow> for Event {
    fn from(row: EventRow) -> Self {
        Event {
            id: row.id,
            resource_uid: row.resource_id,
            namespace: row.namespace,
            name: row.name,
            kind: row.kind,
            generation: row.generation,
            message: row.message,
            data: row.data,
            actor: row.actor,
            created_at: row.created_at,
        }
    }
}

/// Paging of a timeline.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventParams {
    /// Page size, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    /// The `nextCursor` of the previous page; absent or empty: the first page.
    #[param(pattern = r"^[A-Za-z0-9_-]*$")]
    cursor: Option<String>,
}

/// Paging or streaming of a namespace's timeline.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NamespaceEventParams {
    /// Page size, 1 to 500 (default 100); ignored when watching.
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    /// The `nextCursor` of the previous page (absent or empty: the first page); ignored when
    /// watching.
    #[param(pattern = r"^[A-Za-z0-9_-]*$")]
    cursor: Option<String>,
    /// `true`: answer with a Server-Sent Events stream of new events.
    watch: Option<bool>,
    /// Resume a stream after this event id (for clients that cannot send `Last-Event-ID`).
    #[param(minimum = 0)]
    last_event_id: Option<i64>,
}

fn page(rows: Vec<EventRow>, limit: i64) -> Page<Event> {
    let next_cursor = (rows.len() as i64 == limit)
        .then(|| rows.last().map(|r| Cursor::encode(&r.id)))
        .flatten();
    Page {
        items: rows.into_iter().map(Event::from).collect(),
        next_cursor,
    }
}

/// List a UserPoolClient's events
///
/// The timeline of one resource name, oldest first, in pages: spec changes, operations, phase and
/// condition changes, drift. Kept after the resource is deleted.
#[utoipa::path(
    get,
    path = "/v1/namespaces/{namespace}/user-pool-clients/{name}/events",
    tag = "events",
    params(
        ("namespace" = String, Path, description = "Namespace (DNS label)"),
        ("name" = String, Path, description = "Name (DNS label)"),
        EventParams,
    ),
    responses(
        (status = 200, description = "One page", body = Page<Event>),
        (status = 400, description = "A malformed path or parameter, or a cursor this API did not issue"),
        (status = 404, description = "No such resource, now or before, or a namespace the token may not see"),
    )
)]
pub async fn list_user_pool_client_events(
    State(state): State<AppState>,
    principal: Principal,
    path: ResourcePath,
    StrictQuery(params): StrictQuery<EventParams>,
) -> Result<Json<Page<Event>>, ApiError> {
    principal.require_on(Role::Viewer, &path)?;
    let limit = page_limit(params.limit)?;
    let after = cursor_position(params.cursor.as_deref())?;
    let rows =
        events::list_for_name(&state.pool, &path.namespace, &path.name, after, limit).await?;
    // The one 404 of every route of a resource, which an invisible namespace answers too.
    if rows.is_empty() && after == 0 {
        return Err(ApiError::client_not_found(&path.namespace, &path.name));
    }
    Ok(Json(page(rows, limit)))
}

fn cursor_position(cursor: Option<&str>) -> Result<i64, ApiError> {
    // An empty cursor is the first page, as if none were given.
    cursor
        .filter(|c| !c.is_empty())
        .map(|c| Cursor::<i64>::decode(c, "cursor"))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// List or watch a namespace's events
///
/// The timeline of every resource in the namespace, oldest first, in pages. With `watch=true`
/// the answer is instead a live Server-Sent Events stream (`text/event-stream`) whose `data` is
/// an Event, whose `event` is its kind and whose `id` is its id; reconnect with `Last-Event-ID`
/// (or `lastEventId`) to resume without losing an event.
#[utoipa::path(
    get,
    path = "/v1/namespaces/{namespace}/events",
    tag = "events",
    params(
        ("namespace" = String, Path, description = "Namespace (DNS label)"),
        ("Last-Event-ID" = Option<String>, Header, description = "Resume a stream after this event id"),
        NamespaceEventParams,
    ),
    responses(
        (status = 200, description = "One page, or with watch=true a stream of Server-Sent Events whose `data` is an Event",
            content(
                (Page<Event> = "application/json"),
                (String = "text/event-stream"),
            )),
        (status = 400, description = "A malformed path, parameter or Last-Event-ID, or a cursor this API did not issue"),
    )
)]
pub async fn list_namespace_events(
    State(state): State<AppState>,
    principal: Principal,
    NamespacePath(namespace): NamespacePath,
    headers: HeaderMap,
    StrictQuery(params): StrictQuery<NamespaceEventParams>,
) -> Result<Response, ApiError> {
    principal.require(Role::Viewer, &namespace)?;
    if params.watch.unwrap_or(false) {
        let resume = last_event_id(&headers)?.or(params.last_event_id);
        let from = match resume {
            Some(id) => events::position_of(&state.pool, id).await?,
            None => events::stream_head(&state.pool).await?,
        };
        return Ok(Sse::new(super::live::stream(state, namespace, from))
            .keep_alive(KeepAlive::default())
            .into_response());
    }
    let limit = page_limit(params.limit)?;
    let after = cursor_position(params.cursor.as_deref())?;
    let rows = events::list_for_namespace(&state.pool, &namespace, after, limit).await?;
    Ok(Json(page(rows, limit)).into_response())
}

fn last_event_id(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    headers
        .get("last-event-id")
        .map(|v| {
            v.to_str()
                .ok()
                .and_then(|s| s.trim().parse().ok())
                .ok_or_else(|| {
                    ApiError::BadRequest(
                        "Last-Event-ID must be an event id returned by this API".into(),
                    )
                })
        })
        .transpose()
}
