-- DPoP (RFC 9449) per API: when required, every token of the API is bound to a key of the client's.
alter table api add column dpop_required boolean not null default false;

-- RFC 9449 section 11.1: a proof's jti is accepted once at the token endpoint, by every replica,
-- for as long as its iat is inside the accepted window.
create table dpop_proof_jti (
    jkt        varchar(64)  not null,
    jti        varchar(256) not null,
    expires_at timestamptz  not null,
    primary key (jkt, jti)
);
create index dpop_proof_jti_expires_at on dpop_proof_jti (expires_at);
