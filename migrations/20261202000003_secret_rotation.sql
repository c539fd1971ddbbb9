-- Scheduled rotation of a client's secret (issue 20): the document's `secretRotation`, a rotation
-- in progress (ids and times, never a value), and its schedule.
alter table resources
    add column secret_rotation jsonb,
    add column rotation jsonb,
    add column last_rotated_at timestamptz;
