//! GetResourceRequestStatus, ListResourceRequests and CancelResourceRequest.

use serde::Deserialize;
use serde_json::json;

use super::{Call, Checks, NEXT_TOKEN, TOKEN, next_token, page_size, resume_after, to_json};
use crate::{
    request::{OpKind, OpStatus, ProgressEvent},
    wire::ApiError,
    world::token_not_found,
};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct TokenInput {
    request_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListInput {
    max_results: Option<i64>,
    next_token: Option<String>,
    resource_request_status_filter: Option<Filter>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Filter {
    operations: Option<Vec<String>>,
    operation_statuses: Option<Vec<String>>,
}

/// `GetResourceRequestStatus`: the hot path of every poller, so it stays lean.
pub(super) fn status(call: &Call<'_>, input: TokenInput) -> Result<String, ApiError> {
    let token = checked_token(&input)?;
    let now = call.shared.clock.now();
    let event = {
        let mut world = call.shared.world();
        let scope = world.scope(call.caller, now);
        scope.request(token).map(|r| r.event(now))
    };
    let event = event.ok_or_else(|| token_not_found(token))?;
    call.shared.record_poll(token);
    to_json(&json!({ "ProgressEvent": event }))
}

/// `CancelResourceRequest`.
pub(super) fn cancel(call: &Call<'_>, input: TokenInput) -> Result<String, ApiError> {
    let token = checked_token(&input)?;
    let (stop_after, work_done_first) = call.shared.plan_cancel();
    let now = call.shared.clock.now();
    let event =
        call.shared
            .world()
            .scope(call.caller, now)
            .cancel(token, stop_after, work_done_first)?;
    to_json(&json!({ "ProgressEvent": event }))
}

/// `ListResourceRequests`: newest first, filtered by operation and status.
pub(super) fn list(call: &Call<'_>, input: ListInput) -> Result<String, ApiError> {
    let filter = input.resource_request_status_filter.unwrap_or_default();
    let mut checks = Checks::default();
    checks.range(input.max_results, "maxResults", 1, 100);
    checks.string(input.next_token.as_deref(), "nextToken", NEXT_TOKEN);
    let ops = enum_values(&mut checks, filter.operations, "operations", OpKind::parse);
    let statuses = enum_values(
        &mut checks,
        filter.operation_statuses,
        "operationStatuses",
        OpStatus::parse,
    );
    checks.done()?;
    // Tokens are sequence numbers of the partition, which only grow.
    let after: Option<u64> = resume_after(input.next_token.as_deref())?
        .map(|s| {
            s.parse()
                .map_err(|_| ApiError::validation(&[format!("Invalid NextToken: {s}")]))
        })
        .transpose()?;
    let size = page_size(input.max_results);
    let now = call.shared.clock.now();
    let mut page: Vec<(u64, ProgressEvent)> = {
        let mut world = call.shared.world();
        let scope = world.scope(call.caller, now);
        scope
            .requests_newest_first()
            .filter(|r| after.is_none_or(|a| r.seq < a))
            .filter(|r| ops.as_ref().is_none_or(|o| o.contains(&r.op)))
            .filter(|r| {
                statuses
                    .as_ref()
                    .is_none_or(|s| s.contains(&r.status_at(now)))
            })
            .take(size + 1)
            .map(|r| (r.seq, r.event(now)))
            .collect()
    };
    let more = page.len() > size;
    page.truncate(size);
    let events: Vec<ProgressEvent> = page.iter().map(|(_, e)| e.clone()).collect();
    let mut out = json!({ "ResourceRequestStatusSummaries": events });
    if more && let Some((seq, _)) = page.last() {
        out["NextToken"] = json!(next_token(&seq.to_string()));
    }
    to_json(&out)
}

fn checked_token(input: &TokenInput) -> Result<&str, ApiError> {
    let mut checks = Checks::default();
    checks.required(input.request_token.as_ref(), "requestToken");
    checks.string(input.request_token.as_deref(), "requestToken", TOKEN);
    checks.done()?;
    Ok(input.request_token.as_deref().unwrap_or_default())
}

/// Parses an enum list filter, recording values outside the set as Coral would.
fn enum_values<T: Copy>(
    checks: &mut Checks,
    values: Option<Vec<String>>,
    member: &str,
    parse: fn(&str) -> Option<T>,
) -> Option<Vec<T>> {
    let values = values?;
    let parsed: Option<Vec<T>> = values.iter().map(|v| parse(v)).collect();
    if parsed.is_none() {
        checks.0.push(format!(
            "Value '[{}]' at 'resourceRequestStatusFilter.{member}' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set]",
            values.join(", ")
        ));
    }
    parsed.filter(|p| !p.is_empty())
}
