-- migrate:up
-- Safe: a constant default fills existing rows without a rewrite (Postgres 11+).
ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL DEFAULT 'EUR';

-- Dangerous: fails as soon as orders has a row.
ALTER TABLE orders ADD COLUMN status text NOT NULL;

-- Dangerous: blocks writes to orders while the index builds.
CREATE INDEX orders_customer_id_idx ON orders (customer_id);

-- migrate:down
ALTER TABLE orders DROP COLUMN status, DROP COLUMN currency;
