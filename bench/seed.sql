-- A realistic registry for the benchmarks: 1,000 APIs and 10,000 subscriptions (10 per API).
-- psql variables: :'secret_hash' (ClientSecrets.hash of the bench secret).
-- The bench client of API api-0001 is bench-client-00001 (scopes read and write).
begin;
insert into auth_method (id, friendly_name) values ('default', 'Client credentials') on conflict do nothing;
insert into plan (id, name) values ('basic', 'Basic');
insert into api (id, name, request_path, upstream_url)
    select format('api-%s', lpad(i::text, 4, '0')), format('API %s', i), format('/api-%s', lpad(i::text, 4, '0')),
           'http://127.0.0.1:18090/'
    from generate_series(1, 1000) i;
insert into api_auth_method (api_id, auth_method_id) select id, 'default' from api where id like 'api-%';
insert into api_plan (api_id, plan_id) select id, 'basic' from api where id like 'api-%';
insert into api_scope (api_id, scope_id, description, position)
    select id, s.scope, s.scope, s.pos from api, (values ('read', 0), ('write', 1)) s(scope, pos) where id like 'api-%';
insert into application (id, name, client_type)
    select format('bench-app-%s', lpad(i::text, 5, '0')), format('Bench app %s', i), 'confidential'
    from generate_series(1, 10000) i;
insert into subscription (id, application_id, api_id, plan_id, approved, allowed_scopes_mode, client_id, client_secret_hash)
    select gen_random_uuid(), format('bench-app-%s', lpad(i::text, 5, '0')),
           format('api-%s', lpad((((i - 1) % 1000) + 1)::text, 4, '0')), 'basic', true, 'all',
           format('bench-client-%s', lpad(i::text, 5, '0')), :'secret_hash'
    from generate_series(1, 10000) i;
commit;
