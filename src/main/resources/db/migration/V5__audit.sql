-- One record per token request (granted or refused) and per admin change (CONTRACT section 7).
-- Never a secret or a token: client ids, scopes, error codes and the documents before and after.
create table audit_event (
    id               bigserial    primary key,
    occurred_at      timestamptz  not null,
    kind             varchar(10)  not null check (kind in ('token', 'admin')),
    actor            varchar(64),
    action           varchar(100) not null,
    target           varchar(300),
    outcome          varchar(10)  not null check (outcome in ('granted', 'refused', 'ok', 'failed')),
    error            varchar(64),
    api_id           varchar(64),
    auth_method_id   varchar(64),
    scopes_requested varchar(1000),
    scopes_granted   varchar(1000),
    remote_address   varchar(64),
    request_id       varchar(100),
    before_doc       text,
    after_doc        text
);
create index audit_event_occurred_at on audit_event (occurred_at);
create index audit_event_actor on audit_event (actor, occurred_at);
create index audit_event_api on audit_event (api_id, occurred_at);
