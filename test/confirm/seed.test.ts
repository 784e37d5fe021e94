import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../src/confirm/driver.js';
import { openSqlite } from '../../src/confirm/drivers/sqlite.js';
import { seedTables } from '../../src/confirm/seed.js';
import { tableData } from '../../src/confirm/data-probe.js';
import { DATABASE_URL, NO_SERVER_REASON, testPglite, testServer } from './helpers/pg-drivers.js';

/** FK chains, a cycle, a self-reference, CHECKs, enums, arrays, domains, mixed-case and reserved names. */
const PG_SCHEMA = `
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE SCHEMA "Billing";
CREATE TABLE orgs (id serial PRIMARY KEY, name varchar(40) NOT NULL UNIQUE, plan text NOT NULL DEFAULT 'free',
  created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE "Users" (
  "Id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id int NOT NULL REFERENCES orgs(id),
  manager_id bigint REFERENCES "Users"("Id"),
  email varchar(100) NOT NULL UNIQUE,
  "select" text,
  age smallint CHECK (age BETWEEN 0 AND 150),
  status text NOT NULL CHECK (status IN ('active', 'disabled')),
  score numeric(10,4) CHECK (score >= 0),
  nickname varchar(12) CHECK (length(nickname) >= 3),
  feeling mood,
  tags text[] NOT NULL,
  scores int[],
  prefs jsonb,
  raw bytea,
  born date,
  wakes time,
  last_seen timestamp,
  tz_seen timestamptz,
  ttl interval,
  token uuid NOT NULL UNIQUE,
  ip inet,
  net cidr,
  mac macaddr,
  balance money,
  flags bit(4),
  letter char(2),
  rating real,
  ratio double precision,
  qty positive_int,
  active boolean NOT NULL,
  upper_name text GENERATED ALWAYS AS (upper("select")) STORED
);
CREATE TABLE "Billing"."Invoice" (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id bigint NOT NULL REFERENCES "Users"("Id") ON DELETE CASCADE,
  "order" int NOT NULL,
  total numeric(12,2) NOT NULL CHECK (total > 0 AND total < 100000),
  due date NOT NULL, paid date,
  CHECK (paid IS NULL OR paid >= due),
  UNIQUE (user_id, "order")
);
-- a cycle: teams.lead -> members, members.team -> teams
CREATE TABLE teams (id int PRIMARY KEY, lead_id int);
CREATE TABLE members (id int PRIMARY KEY, team_id int NOT NULL REFERENCES teams(id), nick text);
ALTER TABLE teams ADD FOREIGN KEY (lead_id) REFERENCES members(id);
-- a junction table: its whole key is two foreign keys
CREATE TABLE memberships (team_id int REFERENCES teams(id), user_id bigint REFERENCES "Users"("Id"), PRIMARY KEY (team_id, user_id));
`;
const PG_TABLES = ['public.orgs', 'public.Users', 'Billing.Invoice', 'public.teams', 'public.members', 'public.memberships'];

function postgresCases(name: string, open: () => Promise<Driver>, skip?: string) {
  describe.skipIf(skip !== undefined)(`seeding on ${name}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let d: Driver;
    beforeAll(async () => {
      d = await open();
    });
    afterAll(async () => {
      await d?.close();
    });

    it('seeds parents first, a cycle broken with NULLs, 1,000 rows each', async () => {
      await d.reset();
      await d.exec(PG_SCHEMA);
      const res = await seedTables(d, ['members', 'orgs', 'teams'], { rows: 1000, seed: 42 });
      expect(res.map((r) => [r.table, r.rows])).toEqual([['public.members', 1000], ['public.orgs', 1000], ['public.teams', 1000]]);
      const again = await seedTables(d, ['members'], { rows: 1000, seed: 42 });
      expect(again).toEqual([{ table: 'public.members', rows: 0, existing: 1000, skipped: 'it already holds 1000 rows' }]);
    });

    it('seeds 1,000 valid rows into every table of a schema with FK chains, a cycle, CHECKs, enums, arrays', async () => {
      await d.reset();
      await d.exec(PG_SCHEMA);
      const t0 = performance.now();
      const res = await seedTables(d, [...PG_TABLES].reverse(), { rows: 1000, seed: 42 });
      const ms = performance.now() - t0;
      console.log(`seeded ${PG_TABLES.length} tables x 1000 rows on ${d.label} in ${ms.toFixed(0)} ms`, res);
      for (const t of PG_TABLES) {
        expect(res.find((r) => r.table === t), t).toMatchObject({ rows: 1000 });
        expect((await tableData(d, t)).rows).toBe(1000);
      }
    });
  });
}

postgresCases('PGlite', testPglite);
postgresCases('the local server', () => testServer(DATABASE_URL!), DATABASE_URL ? undefined : NO_SERVER_REASON);
