-- Hibernate writes an API's plan list (api_plan) after the rows of the entities created in the same
-- transaction; a subscription made together with its API (the admin bootstrap, the declarative file)
-- must only point at an offered plan when the transaction commits.
alter table subscription alter constraint subscription_api_id_plan_id_fkey deferrable initially deferred;
