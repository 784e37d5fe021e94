-- migrate:up
CREATE TABLE customers (
  id bigserial PRIMARY KEY,
  email text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- A new table is empty: indexing it here is safe.
CREATE UNIQUE INDEX customers_email_key ON customers (email);

-- migrate:down
DROP TABLE customers;
