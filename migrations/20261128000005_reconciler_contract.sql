-- The reconciler keeps AWS's contract: user intent and worker observations live in separate columns,
-- so neither side's write can undo the other's.

-- Set by POST …/refresh (a user's intent); cleared by the worker step that acted on it, and only if
-- no newer refresh arrived meanwhile.
alter table resources add column refresh_requested_at timestamptz;

-- A read said the client is gone, or a failed create may have left one behind: the worker confirms
-- (a second read after a pause, then ListResources) before it acts on the absence.
alter table resources add column absence_check jsonb;

-- Fields Cognito stores differently from what was sent (it normalises them): remembered per
-- generation so remediation does not send the same patch forever.
alter table resources add column normalizations jsonb not null default '[]';
alter table resources add constraint resources_normalizations_array_check
    check (jsonb_typeof(normalizations) = 'array');
