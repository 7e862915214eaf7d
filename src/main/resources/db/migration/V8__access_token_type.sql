-- The typ header of an API's access tokens: RFC 9068's at+jwt (section 2.1), or JWT for resource
-- servers that accept nothing else. The gateway and introspection expect exactly the API's type.
alter table api add column access_token_type varchar(16) not null default 'at+jwt';
alter table api add constraint api_access_token_type check (access_token_type in ('at+jwt', 'JWT'));
