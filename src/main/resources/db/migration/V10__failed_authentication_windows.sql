-- A subject's window of failed authentications now starts at its first failure after the last
-- window ended (the database's clock, shared by every replica), rather than at a clock minute: a burst
-- of guesses is never split in two by a minute boundary. One row per subject.
delete from failed_authentication;
alter table failed_authentication drop constraint failed_authentication_pkey;
alter table failed_authentication add primary key (subject);
