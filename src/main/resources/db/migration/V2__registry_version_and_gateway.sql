-- Every change to the registry, by whatever writer (any replica's admin API, the declarative file,
-- plain SQL), bumps one counter. Each replica polls it and drops its caches when it moves, so a
-- change is seen everywhere within the poll interval while the hot paths read no table at all.
create table registry_version (
    id         integer     primary key check (id = 1),
    version    bigint      not null,
    changed_at timestamptz not null
);
insert into registry_version (id, version, changed_at) values (1, 0, now());

create function bump_registry_version() returns trigger language plpgsql as $$
begin
    update registry_version set version = version + 1, changed_at = now() where id = 1;
    return null;
end
$$;

do $$
declare
    t text;
begin
    foreach t in array array['auth_method', 'api', 'api_auth_method', 'api_scope', 'api_route', 'api_route_scope',
                             'plan', 'api_plan', 'application', 'subscription', 'subscription_scope']
    loop
        execute format('create trigger %I after insert or update or delete or truncate on %I '
                       'for each statement execute function bump_registry_version()', t || '_bumps_version', t);
    end loop;
end
$$;

-- The gateway: how long an upstream may take to answer before the caller gets 504.
alter table api add column upstream_timeout_seconds integer not null default 60
    check (upstream_timeout_seconds between 1 and 3600);
