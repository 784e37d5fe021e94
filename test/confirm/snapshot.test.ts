import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../src/confirm/driver.js';
import { openSqlite } from '../../src/confirm/drivers/sqlite.js';
import { diffSnapshots, normaliseSql, snapshotSchema } from '../../src/confirm/snapshot.js';
import { DATABASE_URL, NO_SERVER_REASON, testPglite, testServer } from './helpers/pg-drivers.js';

const PG_BASE = `
CREATE TYPE status AS ENUM ('new', 'paid');
CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
CREATE TYPE pair AS (a int, b text);
CREATE SCHEMA billing;
CREATE TABLE users (id serial PRIMARY KEY, email varchar(100) NOT NULL UNIQUE, "Display Name" text DEFAULT 'anon');
CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, sku text NOT NULL, price numeric(10,2) CHECK (price >= 0),
  owner int REFERENCES users(id) ON DELETE CASCADE, st status NOT NULL DEFAULT 'new');
CREATE INDEX items_sku_idx ON items (sku);
CREATE TABLE billing."Order" ("select" int, total numeric CONSTRAINT orders_total_check CHECK (total > 0));
CREATE VIEW item_skus AS SELECT sku FROM items;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch();
CREATE SEQUENCE billing.invoice_no START 1000;`;

function postgresCases(name: string, open: () => Promise<Driver>, skip?: string) {
  describe.skipIf(skip !== undefined)(`schema snapshots on ${name}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let d: Driver;
    beforeAll(async () => {
      d = await open();
    });
    afterAll(async () => {
      await d?.close();
    });

    it('a faithful down leaves no difference: same-named constraints, re-added column, data and sequence positions', async () => {
      await d.reset();
      await d.exec(PG_BASE);
      const before = await snapshotSchema(d);
      expect(JSON.parse(JSON.stringify(before))).toEqual(before); // JSON-able
      // up: drop a column, drop and re-create the unique constraint, add rows (sequence moves)
      await d.exec(`ALTER TABLE users DROP COLUMN "Display Name"; ALTER TABLE users DROP CONSTRAINT users_email_key;
        INSERT INTO users (email) VALUES ('a@x'), ('b@x'); SELECT nextval('billing.invoice_no');`);
      // down: re-add at the end, re-create the constraint (same generated name)
      await d.exec(`ALTER TABLE users ADD COLUMN "Display Name" text DEFAULT 'anon'; ALTER TABLE users ADD UNIQUE (email);`);
      expect(diffSnapshots(before, await snapshotSchema(d))).toEqual([]);
    });

    it('lists exactly the differences a careless down leaves, one line each', async () => {
      await d.reset();
      await d.exec(PG_BASE);
      const before = await snapshotSchema(d);
      await d.exec(`
        DROP INDEX items_sku_idx; CREATE INDEX items_sku_lower_idx ON items (lower(sku));
        ALTER TABLE users ALTER COLUMN email TYPE text;
        ALTER TABLE users ALTER COLUMN "Display Name" DROP DEFAULT;
        ALTER TABLE items ALTER COLUMN sku DROP NOT NULL;
        ALTER TABLE billing."Order" DROP CONSTRAINT orders_total_check;
        ALTER TYPE status ADD VALUE 'refunded';
        ALTER DOMAIN email DROP CONSTRAINT email_check;
        ALTER TYPE pair ADD ATTRIBUTE c int;
        CREATE TABLE audit_log (id int PRIMARY KEY); CREATE INDEX audit_log_id_idx ON audit_log (id);
        DROP TRIGGER items_touch ON items;
        CREATE OR REPLACE VIEW item_skus AS SELECT sku, price FROM items;`);
      expect(diffSnapshots(before, await snapshotSchema(d))).toEqual([
        "domain email: was text CHECK (VALUE ~~ '%@%'::text), is now text",
        'composite type pair: was a integer, b text, is now a integer, b text, c integer',
        "enum status: was 'new', 'paid', is now 'new', 'paid', 'refunded'",
        'table audit_log still exists',
        'column items.sku: was NOT NULL, is now nullable',
        'column users.Display Name: default was \'anon\'::text, is now none',
        'column users.email: type was character varying(100), is now text',
        'constraint orders_total_check on billing.Order is missing',
        'index items_sku_idx is missing',
        'index items_sku_lower_idx still exists',
        'view item_skus: definition changed',
        'trigger items_touch on items is missing',
      ]);
    });

    it('a table dropped by a down, a function, a sequence and a schema left behind', async () => {
      await d.reset();
      await d.exec(PG_BASE);
      const before = await snapshotSchema(d);
      await d.exec(`DROP VIEW item_skus; DROP TABLE items; CREATE SCHEMA extra; CREATE FUNCTION extra.f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';
        DROP SEQUENCE billing.invoice_no; CREATE SEQUENCE billing.invoice_no START 1 INCREMENT 2;`);
      expect(diffSnapshots(before, await snapshotSchema(d))).toEqual([
        'schema extra still exists',
        'sequence billing.invoice_no: was AS bigint START 1000 INCREMENT 1 MINVALUE 1 MAXVALUE 9223372036854775807 CACHE 1, is now AS bigint START 1 INCREMENT 2 MINVALUE 1 MAXVALUE 9223372036854775807 CACHE 1',
        'table items is missing',
        'view item_skus is missing',
        'function extra.f(a integer) still exists',
      ]);
    });
  });
}

postgresCases('PGlite', testPglite);
postgresCases('the local server', () => testServer(DATABASE_URL!), DATABASE_URL ? undefined : NO_SERVER_REASON);

describe('schema snapshots on SQLite', () => {
  const BASE = `
    CREATE TABLE orgs (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
    CREATE TABLE users (id INTEGER PRIMARY KEY, org_id INTEGER REFERENCES orgs(id) ON DELETE CASCADE,
      email VARCHAR(100) NOT NULL, age INTEGER DEFAULT 0 CHECK (age >= 0));
    CREATE INDEX users_email_idx ON users (email);
    CREATE VIEW adults AS SELECT * FROM users WHERE age >= 18;
    CREATE TRIGGER users_ai AFTER INSERT ON users BEGIN SELECT 1; END;`;

  it('a 12-step table rebuild that restores the table is no difference', async () => {
    const d = await openSqlite();
    await d.exec(BASE);
    const before = await snapshotSchema(d);
    await d.exec(`PRAGMA foreign_keys = OFF; DROP VIEW adults;
      CREATE TABLE "users_new" ("id" INTEGER PRIMARY KEY, "org_id" INTEGER REFERENCES orgs(id) ON DELETE CASCADE,
        "email" VARCHAR(100) NOT NULL, "age" INTEGER DEFAULT 0 CHECK ("age" >= 0));
      INSERT INTO users_new SELECT * FROM users; DROP TABLE users; ALTER TABLE users_new RENAME TO users;
      CREATE INDEX users_email_idx ON users (email);
      CREATE VIEW adults AS SELECT * FROM users WHERE age >= 18;
      CREATE TRIGGER users_ai AFTER INSERT ON users BEGIN SELECT 1; END;
      PRAGMA foreign_keys = ON;`);
    expect(diffSnapshots(before, await snapshotSchema(d))).toEqual([]);
    await d.close();
  });

  it('lists a forgotten index, a changed type, a dropped default, a lost CHECK and FK', async () => {
    const d = await openSqlite();
    await d.exec(BASE);
    const before = await snapshotSchema(d);
    await d.exec(`DROP VIEW adults; DROP TRIGGER users_ai;
      CREATE TABLE users_new (id INTEGER PRIMARY KEY, org_id INTEGER, email TEXT NOT NULL, age INTEGER);
      INSERT INTO users_new SELECT * FROM users; DROP TABLE users; ALTER TABLE users_new RENAME TO users;
      CREATE INDEX users_email_idx ON users (email); CREATE INDEX users_age_idx ON users (age);
      CREATE TABLE extra (x);`);
    expect(diffSnapshots(before, await snapshotSchema(d))).toEqual([
      'table extra still exists',
      'column users.age: default was 0, is now none',
      'column users.email: type was VARCHAR(100), is now TEXT',
      'users: CHECK (age>=0) is missing',
      'users: FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE CASCADE is missing',
      'index users_age_idx still exists',
      'view adults is missing',
      'trigger users_ai on users is missing',
    ]);
    await d.close();
  });

  it('normalises layout, quoting and keyword case, not string literals', () => {
    expect(normaliseSql(`CREATE  INDEX "Ix" ON [t] ( "A" ) -- c\n WHERE x = 'It''s'`)).toBe(`create index ix on t(a)where x='It''s'`);
  });
});
