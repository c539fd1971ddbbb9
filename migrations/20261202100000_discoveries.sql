-- Issue 21: bringing an existing estate under management.

-- A document may only observe its client: read it and report drift, never create, update, replace
-- or delete it.
alter table resources add column management_policy text not null default 'Manage';
alter table resources add constraint resources_management_policy_check
    check (management_policy in ('Manage', 'Observe'));

-- A discovery lists a user pool through Cloud Control and reads every client ccplane does not
-- manage, as background work; it is its own work queue (claimed with `for update skip locked` and a
-- lease, like resources).
create table discoveries (
    id uuid not null,
    namespace text not null,
    user_pool_id text not null,
    region text not null,
    phase text not null default 'Listing',
    -- where the listing resumes (ListResources' NextToken); null before the first page and after
    -- the last
    next_token text,
    pages integer not null default 0,
    attempt integer not null default 0,
    last_error jsonb,
    actor text,
    next_attempt_at timestamptz default now(),
    lease_owner text,
    lease_expires_at timestamptz,
    finished_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint discoveries_pkey primary key (id),
    constraint discoveries_phase_check check (phase in ('Listing', 'Reading', 'Complete', 'Failed'))
);
create index discoveries_namespace_idx on discoveries (namespace, id);
create index discoveries_due_idx on discoveries (next_attempt_at) where next_attempt_at is not null;

-- One row per client a discovery listed, in listing order.
create table discovered_clients (
    discovery_id uuid not null,
    client_id text not null,
    position integer not null,
    client_name text,
    state text not null default 'Pending',
    -- the AWS service that made the client, recognised by its documented name prefix
    service_owner text,
    -- the resource that manages it, when it is in the discovery's own namespace
    managed_by text,
    -- the live properties without the secret, and the document a person would write
    observed_properties jsonb,
    proposed_properties jsonb,
    proposed_name text,
    error jsonb,
    adopted_as text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint discovered_clients_pkey primary key (discovery_id, client_id),
    constraint discovered_clients_discovery_id_fkey foreign key (discovery_id)
        references discoveries (id) on delete cascade,
    constraint discovered_clients_state_check
        check (state in ('Pending', 'Read', 'Managed', 'Failed', 'Adopted'))
);
create index discovered_clients_position_idx on discovered_clients (discovery_id, position);
