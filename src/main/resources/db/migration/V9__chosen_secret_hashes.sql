-- Secrets that people choose (the admin client's, and those a declarative file takes from the
-- environment) are stored with PBKDF2-HMAC-SHA256: a salt and many iterations, since a person's
-- secret may be guessable. Secrets the server makes (256 random bits) stay on SHA-256.
alter table subscription drop constraint if exists subscription_client_secret_hash_check;
alter table subscription drop constraint if exists subscription_previous_secret_hash_check;
alter table subscription alter column client_secret_hash type varchar(200);
alter table subscription alter column previous_secret_hash type varchar(200);
alter table subscription add constraint subscription_client_secret_hash_check check (client_secret_hash ~
    '^(sha256\$[A-Za-z0-9_-]{43}|pbkdf2-sha256\$[0-9]{6,7}\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43})$');
alter table subscription add constraint subscription_previous_secret_hash_check check (previous_secret_hash ~
    '^(sha256\$[A-Za-z0-9_-]{43}|pbkdf2-sha256\$[0-9]{6,7}\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43})$');
