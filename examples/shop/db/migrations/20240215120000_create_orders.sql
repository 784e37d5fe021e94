-- migrate:up
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  total_cents integer NOT NULL,
  note text
);

-- migrate:down
DROP TABLE orders;
