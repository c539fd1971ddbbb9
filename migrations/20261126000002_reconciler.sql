-- The reconciler's extra state: user requests it acts on, and the live workers sharing the AWS budget.
alter table resources add column cancel_requested_at timestamptz;
alter table resources add column drift_check_interval_seconds integer;
-- Set when a user writes while a worker holds the lease: the worker looks again on release instead
-- of another worker claiming the row mid-step.
alter table resources add column wake_pending boolean not null default false;
alter table resources add constraint resources_drift_interval_check
    check (drift_check_interval_seconds is null or drift_check_interval_seconds >= 60);

alter table operations add column polls integer not null default 0;

create table workers (
    id text not null,
    heartbeat_at timestamptz not null default now(),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint workers_pkey primary key (id)
);
