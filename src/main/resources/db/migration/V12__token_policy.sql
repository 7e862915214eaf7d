-- Token policy (docs/contract.md#token-policy): claims an API's and a subscription's tokens carry, a
-- subscription's shorter token lifetime, and a plan's token quota.
alter table api add column token_claims text;
alter table subscription add column token_claims text;
alter table subscription add column token_lifetime_seconds integer check (token_lifetime_seconds between 1 and 86400);
alter table plan add column token_quota_limit integer check (token_quota_limit > 0);
alter table plan add column token_quota_window varchar(10) check (token_quota_window in ('minute', 'hour', 'day'));
alter table plan add column token_quota_mode varchar(10) check (token_quota_mode in ('enforce', 'report'));
alter table plan add constraint plan_token_quota_whole
    check ((token_quota_limit is null) = (token_quota_window is null) and (token_quota_limit is null) = (token_quota_mode is null));
-- a token issued over its subscription's quota in report mode is marked in its audit record
alter table audit_event add column quota_exceeded boolean;
