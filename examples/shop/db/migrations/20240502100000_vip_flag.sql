-- migrate:up transaction:false
ALTER TABLE customers ADD COLUMN vip boolean;
UPDATE customers SET vip = false WHERE vip IS NULL;
-- Backfilled above, so SET NOT NULL cannot fail.
ALTER TABLE customers ALTER COLUMN vip SET NOT NULL;
CREATE INDEX CONCURRENTLY customers_vip_idx ON customers (vip);

-- migrate:down
DROP INDEX CONCURRENTLY customers_vip_idx;
ALTER TABLE customers DROP COLUMN vip;
