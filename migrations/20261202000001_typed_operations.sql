-- An operation's status is a closed set (ccplane's `Prepared`, then Cloud Control's
-- OperationStatus), typed as the resource's phase is; the handler role it was sent with is a
-- column rather than a key inside the request document.
create type operation_status as enum (
    'Prepared', 'PENDING', 'IN_PROGRESS', 'SUCCESS', 'FAILED', 'CANCEL_IN_PROGRESS', 'CANCEL_COMPLETE'
);

alter table operations alter column status drop default;
alter table operations alter column status type operation_status using status::operation_status;
alter table operations alter column status set default 'Prepared';

alter table operations add column role_arn text;
update operations set role_arn = request->>'roleArn' where request ? 'roleArn';
update operations set request = request - 'roleArn' - 'retiring';
