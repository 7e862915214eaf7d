-- RFC 7009 revocation: a revoked token's jti is kept until the token would have expired, then
-- purged. Replicas poll this table (by revoked_at, with an overlap) to refuse it within a second.
create table revoked_token (
    id         bigserial    primary key,
    jti        varchar(64)  not null unique,
    client_id  varchar(64)  not null,
    expires_at timestamptz  not null,
    revoked_at timestamptz  not null default now()
);
create index revoked_token_revoked_at on revoked_token (revoked_at);
create index revoked_token_expires_at on revoked_token (expires_at);

-- Secret rotation with a grace period: the previous secret keeps working until it expires.
alter table subscription
    add column previous_secret_hash       varchar(100) check (previous_secret_hash ~ '^sha256\$[A-Za-z0-9_-]{43}$'),
    add column previous_secret_expires_at timestamptz,
    add constraint subscription_previous_secret_complete
        check ((previous_secret_hash is null) = (previous_secret_expires_at is null)),
    -- private_key_jwt (RFC 7523): the client's public keys, inline or by URL
    add column jwks     text,
    add column jwks_uri varchar(2048) check (jwks_uri ~ '^https?://');

-- RFC 7523 section 3: an assertion's jti is accepted once; kept until the assertion expires.
create table used_assertion (
    client_id  varchar(64)  not null,
    jti        varchar(256) not null,
    expires_at timestamptz  not null,
    primary key (client_id, jti)
);
create index used_assertion_expires_at on used_assertion (expires_at);
