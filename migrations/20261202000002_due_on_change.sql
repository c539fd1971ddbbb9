-- A resource that waits for a user's write has no due time, rather than a date ten years ahead.
alter table resources alter column next_attempt_at drop not null;
update resources set next_attempt_at = null where next_attempt_at > now() + interval '5 years';
