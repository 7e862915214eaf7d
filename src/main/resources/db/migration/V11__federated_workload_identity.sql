-- Federated workload identity (docs/contract.md#federated-workload-identity): issuers whose JWTs a
-- workload may present instead of a secret, and the (issuer, subject) pairs that belong to a
-- subscription. One pair belongs to at most one subscription of an API.
create table trusted_issuer (
    id                          varchar(64)   primary key,
    issuer                      varchar(2048) not null unique,
    jwks_uri                    varchar(2048),
    jwks                        text,
    discovery                   boolean       not null default false,
    max_token_lifetime_seconds  integer       not null default 3600
        check (max_token_lifetime_seconds between 1 and 86400),
    ca_file                     varchar(1024),
    bearer_token_file           varchar(1024),
    created_at                  timestamptz   not null default now(),
    updated_at                  timestamptz   not null default now(),
    -- exactly one key source
    check ((jwks_uri is not null)::int + (jwks is not null)::int + discovery::int = 1)
);

create table trusted_issuer_audience (
    trusted_issuer_id varchar(64)   not null references trusted_issuer (id) on delete cascade,
    audience          varchar(2048) not null,
    primary key (trusted_issuer_id, audience)
);

create table federated_identity (
    subscription_id   uuid          not null references subscription (id) on delete cascade,
    api_id            varchar(64)   not null,
    trusted_issuer_id varchar(64)   not null references trusted_issuer (id),
    subject           varchar(1024) not null,
    primary key (subscription_id, trusted_issuer_id, subject),
    unique (api_id, trusted_issuer_id, subject)
);

do $$
declare
    t text;
begin
    foreach t in array array['trusted_issuer', 'trusted_issuer_audience', 'federated_identity']
    loop
        execute format('create trigger %I after insert or update or delete or truncate on %I '
                       'for each statement execute function bump_registry_version()', t || '_bumps_version', t);
    end loop;
end
$$;

-- Which credential authenticated a token request, and for a workload its issuer and subject.
alter table audit_event add column credential varchar(40);
alter table audit_event add column credential_subject varchar(1100);
