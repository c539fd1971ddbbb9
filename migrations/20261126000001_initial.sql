-- The resources table is both the desired/observed state and the reconciler's work queue.
create type resource_phase as enum ('Pending', 'Provisioning', 'Ready', 'Failed', 'Deleting');

create table resources (
    id uuid not null,
    namespace text not null,
    name text not null,
    resource_type text not null default 'AWS::Cognito::UserPoolClient',
    -- desired state
    region text not null,
    labels jsonb not null default '{}',
    properties jsonb not null,
    deletion_policy text not null default 'Delete',
    replacement_policy text not null default 'Reject',
    drift_policy text not null default 'Report',
    paused boolean not null default false,
    adopt_identifier text,
    generation bigint not null default 1,
    revision bigint not null default 1,
    deletion_requested_at timestamptz,
    -- observed state
    phase resource_phase not null default 'Pending',
    observed_generation bigint,
    conditions jsonb not null default '[]',
    identifier text,
    previous_identifier text,
    observed_properties jsonb,
    applied_properties jsonb,
    current_operation_id uuid,
    last_error jsonb,
    drift jsonb,
    last_drift_check_at timestamptz,
    -- scheduling: a row due now and not leased is work for the reconciler
    next_attempt_at timestamptz not null default now(),
    attempt integer not null default 0,
    lease_owner text,
    lease_expires_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint resources_pkey primary key (id),
    constraint resources_namespace_name_key unique (namespace, name),
    constraint resources_deletion_policy_check check (deletion_policy in ('Delete', 'Retain')),
    constraint resources_replacement_policy_check
        check (replacement_policy in ('Reject', 'CreateBeforeDelete', 'DeleteBeforeCreate')),
    constraint resources_drift_policy_check check (drift_policy in ('Report', 'Remediate')),
    constraint resources_labels_object_check check (jsonb_typeof(labels) = 'object'),
    constraint resources_properties_object_check check (jsonb_typeof(properties) = 'object')
);

create index resources_name_idx on resources (name, namespace);
create index resources_user_pool_idx on resources ((properties ->> 'UserPoolId'));
create index resources_labels_idx on resources using gin (labels jsonb_path_ops);
create index resources_due_idx on resources (next_attempt_at) where not paused;

-- One row per Cloud Control request, written before the request is sent.
create table operations (
    id uuid not null,
    resource_id uuid not null,
    kind text not null,
    client_token text not null,
    request_token text,
    generation bigint not null,
    identifier text,
    request jsonb not null default '{}',
    status text not null default 'Prepared',
    error_code text,
    status_message text,
    retry_after timestamptz,
    attempt integer not null default 1,
    submitted_at timestamptz,
    settled_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint operations_pkey primary key (id),
    constraint operations_client_token_key unique (client_token),
    constraint operations_kind_check check (kind in ('Create', 'Update', 'Delete')),
    constraint operations_resource_fkey foreign key (resource_id) references resources (id) on delete cascade
);

create index operations_resource_idx on operations (resource_id, created_at);

-- The per-resource timeline. Rows outlive their resource, so there is no foreign key.
-- tx_id orders the live stream: a row is streamed once every transaction that could still
-- commit an earlier one has finished.
create table events (
    id bigint generated always as identity,
    tx_id xid8 not null default pg_current_xact_id(),
    resource_id uuid not null,
    namespace text not null,
    name text not null,
    kind text not null,
    generation bigint,
    message text not null default '',
    data jsonb not null default '{}',
    actor text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint events_pkey primary key (id)
);

create index events_resource_idx on events (namespace, name, id);
create index events_namespace_idx on events (namespace, id);
create index events_namespace_stream_idx on events (namespace, tx_id, id);

-- Responses to POSTs that carried an Idempotency-Key, replayed for the same key and body.
create table idempotency_keys (
    namespace text not null,
    key text not null,
    request_hash text not null,
    response_status smallint,
    response_body jsonb,
    resource_id uuid,
    expires_at timestamptz not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint idempotency_keys_pkey primary key (namespace, key)
);
