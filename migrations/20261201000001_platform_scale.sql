-- Platform scale: fair turns between namespaces, user intent before background work, AWS's budget
-- shared by every worker, and a namespace's own AWS account.

-- A namespace reaches its AWS account through an assumed role (sts:AssumeRole with ccplane's own
-- credentials); `role_arn` stays the role Cloud Control runs the handler with inside that account.
alter table namespaces add column assume_role_arn text;
alter table namespaces add column external_id text;
-- Its share of every budget, relative to other busy namespaces (equal by default).
alter table namespaces add column scheduling_weight double precision not null default 1;
alter table namespaces add constraint namespaces_assume_role_arn_check
    check (assume_role_arn is null or assume_role_arn ~ '^arn:[^:]+:iam::[0-9]{12}:role/.+$');
alter table namespaces add constraint namespaces_external_id_check
    check (external_id is null or (assume_role_arn is not null and length(external_id) between 2 and 1224));
alter table namespaces add constraint namespaces_scheduling_weight_check
    check (scheduling_weight >= 0.01 and scheduling_weight <= 100);

-- Background work is a drift check of a client in sync and at rest; anything else carries a user's
-- intent (a new generation, a deletion, a cancel, a refresh, an operation in flight, a doubt about
-- existence) and is claimed first.
alter table resources add column background boolean generated always as (
    phase = 'Ready'
    and observed_generation is not distinct from generation
    and current_operation_id is null
    and deletion_requested_at is null
    and cancel_requested_at is null
    and refresh_requested_at is null
    and absence_check is null
    and previous_identifier is null
) stored;
create index resources_claim_idx on resources (background, next_attempt_at) where not paused;

-- Start-time fair queueing between namespaces: each claim advances its namespace's `served` by
-- 1 / weight from at least the virtual time (the `served` of the last namespace claimed), and the
-- namespace with the least `served` is claimed first. A namespace that was idle rejoins at the
-- virtual time, so it cannot bank turns while away, and waits at most one turn of each busy one.
create table namespace_turns (
    namespace text not null,
    served double precision not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint namespace_turns_pkey primary key (namespace)
);

create table scheduler_clock (
    id integer not null default 1,
    virtual_time double precision not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint scheduler_clock_pkey primary key (id),
    constraint scheduler_clock_single_row_check check (id = 1)
);
insert into scheduler_clock (id) values (1);

-- AWS's budget as token buckets, one row each, shared by every worker: Cloud Control's rate and
-- Cognito's rate categories per (account, region), Cognito's per-operation cap per pool, and the
-- share of reads background work may spend. `rate` adapts below `ceiling` from throttles.
create table budgets (
    key text not null,
    ceiling double precision not null,
    rate double precision not null,
    tokens double precision not null,
    refilled_at timestamptz not null default clock_timestamp(),
    cut_at timestamptz,
    -- calls sent in the current one-second window and the one before, less those throttled: what
    -- AWS accepted, which a throttle cuts the rate to
    window_started_at timestamptz not null default clock_timestamp(),
    window_calls integer not null default 0,
    last_window_calls integer not null default 0,
    calls bigint not null default 0,
    throttles bigint not null default 0,
    waits bigint not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint budgets_pkey primary key (key),
    constraint budgets_rate_check check (rate > 0 and rate <= ceiling)
);


-- When each namespace's latest booking of a bucket matures. A namespace with no booking in flight
-- may book twice as far ahead as one that has: its first step waits behind at most one horizon of
-- other tenants' bookings, not for a refill it must race their backlog for.
create table budget_bookings (
    key text not null,
    namespace text not null,
    booked_until timestamptz not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint budget_bookings_pkey primary key (key, namespace)
);
