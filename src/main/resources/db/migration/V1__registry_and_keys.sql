-- The registry: what CONTRACT section 1 names, with every rule the database can hold itself.

create table auth_method (
    id            varchar(64)  primary key check (id ~ '^[a-z0-9_-]{1,64}$'),
    friendly_name varchar(200) not null,
    description   text,
    enabled       boolean      not null default true,
    created_at    timestamptz  not null default now(),
    updated_at    timestamptz  not null default now()
);

create table api (
    id                         varchar(64)   primary key check (id ~ '^[a-z0-9_-]{1,64}$'),
    name                       varchar(200)  not null,
    description                text,
    -- '/petstore', '/v1/orders': no trailing slash, no dot segments, no query
    request_path               varchar(255)  not null unique
        check (request_path ~ '^(/[A-Za-z0-9_~!$&''()*+,;=:@-][A-Za-z0-9._~!$&''()*+,;=:@-]*)+$'),
    upstream_url               varchar(2048) not null check (upstream_url ~ '^https?://'),
    token_lifetime_seconds     integer       not null default 3600 check (token_lifetime_seconds between 1 and 86400),
    client_credentials_enabled boolean       not null default true,
    hide_credentials           boolean       not null default false,
    deprecated                 boolean       not null default false,
    created_at                 timestamptz   not null default now(),
    updated_at                 timestamptz   not null default now()
);

create table api_auth_method (
    api_id         varchar(64) not null references api (id) on delete cascade,
    auth_method_id varchar(64) not null references auth_method (id),
    primary key (api_id, auth_method_id)
);

create table api_scope (
    api_id      varchar(64)  not null references api (id) on delete cascade,
    scope_id    varchar(128) not null check (scope_id ~ '^[a-zA-Z0-9_:.-]{1,128}$'),
    description text,
    -- the order the API lists its scopes in
    position    integer      not null default 0,
    primary key (api_id, scope_id)
);

-- A route that needs scopes: requests under path_prefix (and, if given, with one of the methods)
-- need every scope of the route.
create table api_route (
    id          bigserial    primary key,
    api_id      varchar(64)  not null references api (id) on delete cascade,
    path_prefix varchar(255) not null check (path_prefix ~ '^/'),
    methods     varchar(100) check (methods ~ '^[A-Z]+(,[A-Z]+)*$'),
    unique (api_id, path_prefix, methods)
);

create table api_route_scope (
    route_id bigint       not null references api_route (id) on delete cascade,
    api_id   varchar(64)  not null,
    scope_id varchar(128) not null,
    primary key (route_id, scope_id),
    -- deferred, not cascading: rewriting an API's scope list in one transaction keeps what still
    -- exists, and removing a scope that a route needs fails instead of silently dropping the need
    foreign key (api_id, scope_id) references api_scope (api_id, scope_id) deferrable initially deferred
);

create table plan (
    id                      varchar(64)  primary key check (id ~ '^[a-z0-9_-]{1,64}$'),
    name                    varchar(200) not null,
    description             text,
    needs_approval          boolean      not null default false,
    rate_limit_per_minute   integer      check (rate_limit_per_minute > 0),
    created_at              timestamptz  not null default now(),
    updated_at              timestamptz  not null default now()
);

-- The plans an API offers; a subscription must choose one of them.
create table api_plan (
    api_id  varchar(64) not null references api (id) on delete cascade,
    plan_id varchar(64) not null references plan (id),
    primary key (api_id, plan_id)
);

create table application (
    id          varchar(50)  primary key check (id ~ '^[a-z0-9_-]{4,50}$'),
    name        varchar(200) not null,
    description text,
    client_type varchar(20)  not null check (client_type in ('confidential', 'public_spa', 'public_native')),
    created_at  timestamptz  not null default now(),
    updated_at  timestamptz  not null default now()
);

create table subscription (
    id                  uuid         primary key,
    application_id      varchar(50)  not null references application (id) on delete cascade,
    api_id              varchar(64)  not null references api (id) on delete cascade,
    plan_id             varchar(64)  not null,
    approved            boolean      not null default false,
    trusted             boolean      not null default false,
    allowed_scopes_mode varchar(10)  not null default 'all' check (allowed_scopes_mode in ('all', 'none', 'select')),
    client_id           varchar(64)  unique check (client_id ~ '^[A-Za-z0-9_.-]{8,64}$'),
    -- 'sha256$' + base64url(SHA-256(secret)); the secret itself is never stored
    client_secret_hash  varchar(100) check (client_secret_hash ~ '^sha256\$[A-Za-z0-9_-]{43}$'),
    created_at          timestamptz  not null default now(),
    updated_at          timestamptz  not null default now(),
    unique (application_id, api_id),
    unique (id, api_id),
    foreign key (api_id, plan_id) references api_plan (api_id, plan_id),
    -- credentials are issued when a subscription is approved
    check (not approved or client_id is not null)
);

create table subscription_scope (
    subscription_id uuid         not null,
    api_id          varchar(64)  not null,
    scope_id        varchar(128) not null,
    primary key (subscription_id, scope_id),
    foreign key (subscription_id, api_id) references subscription (id, api_id) on delete cascade,
    foreign key (api_id, scope_id) references api_scope (api_id, scope_id) deferrable initially deferred
);

-- Signing keys are shared by every replica. The private part is encrypted (AES-256-GCM) under
-- a key derived from portcullis.keys.encryption-secret, with the kid as associated data.
create table signing_key (
    kid             varchar(64) primary key,
    alg             varchar(10) not null check (alg in ('RS256', 'PS256', 'ES256', 'EdDSA')),
    status          varchar(10) not null check (status in ('next', 'active', 'retired')),
    public_jwk      text        not null,
    private_key_enc bytea       not null,
    created_at      timestamptz not null default now(),
    activated_at    timestamptz,
    retired_at      timestamptz,
    -- a retired key stays published until the last token it signed has expired
    publish_until   timestamptz,
    check (status <> 'retired' or publish_until is not null)
);
create unique index signing_key_one_active on signing_key (status) where status = 'active';
