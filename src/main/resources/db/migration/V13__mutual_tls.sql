-- Mutual TLS (RFC 8705, docs/contract.md#mutual-tls): a subscription's certificate credential, and
-- APIs whose tokens must be bound to a client certificate.
alter table api add column mtls_required boolean not null default false;
alter table subscription add column tls_client_auth_method varchar(32)
    check (tls_client_auth_method in ('tls_client_auth', 'self_signed_tls_client_auth'));
-- tls_client_auth names exactly one of the certificate's subject DN or a SAN (RFC 8705 section 2.1.2)
alter table subscription add column tls_client_auth_field varchar(16)
    check (tls_client_auth_field in ('subject_dn', 'san_dns', 'san_uri', 'san_ip', 'san_email'));
alter table subscription add column tls_client_auth_value varchar(1024);
alter table subscription add constraint subscription_tls_client_auth_whole
    check ((tls_client_auth_method = 'tls_client_auth') = (tls_client_auth_field is not null)
       and (tls_client_auth_field is null) = (tls_client_auth_value is null)
       and (tls_client_auth_method is not null or tls_client_auth_field is null));
