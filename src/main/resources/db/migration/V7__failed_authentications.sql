-- Brute force (CONTRACT section 2): failed client authentications counted per client id and per
-- source address in one-minute windows, shared by every replica so that an attacker cannot spread
-- guesses across them.
create table failed_authentication (
    subject      varchar(140) not null,
    window_start timestamptz  not null,
    failures     integer      not null,
    primary key (subject, window_start)
);
create index failed_authentication_window on failed_authentication (window_start);
