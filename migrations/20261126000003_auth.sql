-- Security and tenancy: API tokens with role bindings, and namespaces with their AWS targets.

-- A bearer token `ccp_<id>_<secret>`; only the SHA-256 of the secret is kept.
create table api_tokens (
    id text not null,
    description text not null default '',
    secret_hash text not null,
    -- [{"role": "editor", "namespace": "team-a"}, …]; namespace `*` means every namespace
    bindings jsonb not null default '[]',
    expires_at timestamptz,
    revoked_at timestamptz,
    last_used_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint api_tokens_pkey primary key (id),
    constraint api_tokens_id_check check (id ~ '^tok_[A-Za-z0-9]{12}$'),
    constraint api_tokens_secret_hash_check check (secret_hash ~ '^[0-9a-f]{64}$'),
    constraint api_tokens_bindings_check check (jsonb_typeof(bindings) = 'array')
);

-- A namespace needs no row to be used; a row restricts the regions its documents may name and
-- sets the IAM role Cloud Control assumes for its operations.
create table namespaces (
    name text not null,
    -- empty: any region
    allowed_regions text[] not null default '{}',
    role_arn text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint namespaces_pkey primary key (name),
    constraint namespaces_role_arn_check check (role_arn is null or role_arn ~ '^arn:[^:]+:iam::[0-9]{12}:role/.+$')
);
