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

const USERS_EXTRA = `ALTER TABLE "Users" ADD COLUMN big bigint, ADD COLUMN code text CHECK (md5(code) < '8')`;

async function one(d: Driver, sql: string): Promise<Record<string, unknown>> {
  return (await d.query(sql)).rows[0]!;
}

function postgresCases(name: string, open: () => Promise<Driver>, skip?: string) {
  describe.skipIf(skip !== undefined)(`seeding on ${name}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let d: Driver;
    beforeAll(async () => {
      d = await open();
    });
    afterAll(async () => {
      await d?.close();
    });

    it('seeds parents first, a cycle broken with NULLs, 1,000 rows each; a full table is left alone', async () => {
      await d.reset();
      await d.exec(PG_SCHEMA);
      const res = await seedTables(d, ['members', 'orgs', 'teams'], { rows: 1000, seed: 42 });
      expect(res.map((r) => [r.table, r.rows])).toEqual([['public.members', 1000], ['public.orgs', 1000], ['public.teams', 1000]]);
      // the cycle's deferred side was filled in afterwards for a share of rows
      const leads = Number((await one(d, 'SELECT count(lead_id) AS n FROM teams')).n);
      expect(leads).toBeGreaterThan(200);
      expect(leads).toBeLessThan(800);
      const again = await seedTables(d, ['members'], { rows: 1000, seed: 42 });
      expect(again).toEqual([{ table: 'public.members', rows: 0, existing: 1000, skipped: 'it already holds 1000 rows' }]);
    });

    it('seeds 1,000 valid rows into every table of a schema with FK chains, a cycle, CHECKs, enums, arrays, domains', async () => {
      await d.reset();
      await d.exec(PG_SCHEMA);
      await d.exec(USERS_EXTRA);
      const t0 = performance.now();
      const res = await seedTables(d, [...PG_TABLES].reverse(), { rows: 1000, seed: 42 });
      const ms = performance.now() - t0;
      console.log(`seeded ${PG_TABLES.length} tables x 1000 rows on ${d.label} in ${ms.toFixed(0)} ms`);
      for (const t of PG_TABLES) {
        expect(res.find((r) => r.table === t), t).toMatchObject({ rows: 1000 });
        expect((await tableData(d, t)).rows).toBe(1000);
      }
      // The CHECK it cannot read (md5) is left to the database: violating candidates were dropped and counted.
      expect(res.find((r) => r.table === 'public.Users')!.dropped).toBeGreaterThan(100);
      expect(Number((await one(d, `SELECT count(*) AS n FROM "Users" WHERE NOT (md5(code) < '8')`)).n)).toBe(0);
    });

    it('gives realistic variety: NULL shares, duplicates, unicode, long text, values at the edge of each type', async () => {
      const u = await one(d, `SELECT
          count(*) FILTER (WHERE "select" IS NULL)::int AS nulls,
          count(DISTINCT "select")::int AS distinct_select,
          count(*) FILTER (WHERE "select" ~ '[^\\x01-\\x7f]')::int AS unicode,
          count(*) FILTER (WHERE "select" ~ '[\\U0001F300-\\U0001FAFF]')::int AS emoji,
          count(*) FILTER (WHERE "select" ~ '[\\u0590-\\u06FF]')::int AS rtl,
          max(length("select"))::int AS longest, count(*) FILTER (WHERE "select" = '')::int AS empty,
          max(big)::text AS big_max, min(big)::text AS big_min,
          max(age)::int AS age_max, min(age)::int AS age_min, max(score)::text AS score_max,
          count(*) FILTER (WHERE length(nickname) = 12)::int AS nick_full, min(length(nickname))::int AS nick_min,
          min(last_seen)::text AS ts_min, max(last_seen)::text AS ts_max,
          count(*) FILTER (WHERE last_seen = '2024-03-10 02:30:00')::int AS dst_gap,
          count(DISTINCT status)::int AS statuses, count(DISTINCT feeling)::int AS feelings,
          count(DISTINCT email)::int AS emails, count(manager_id)::int AS managed,
          min(qty)::int AS qty_min
        FROM "Users"`);
      expect(u.nulls).toBeGreaterThan(50);
      expect(u.nulls).toBeLessThan(200);
      expect(u.distinct_select).toBeLessThan(900 - (u.nulls as number)); // duplicates
      expect(u.unicode).toBeGreaterThan(100);
      expect(u.emoji).toBeGreaterThan(0);
      expect(u.rtl).toBeGreaterThan(0);
      expect(u.longest).toBeGreaterThanOrEqual(2000);
      expect(u.empty).toBeGreaterThan(0);
      expect(u.big_max).toBe('9223372036854775807');
      expect(u.big_min).toBe('-9223372036854775808');
      expect([u.age_min, u.age_max]).toEqual([0, 150]);
      expect(u.score_max).toBe('999999.9999');
      expect(u.nick_full).toBeGreaterThan(0); // varchar(12) at its maximum length
      expect(u.nick_min).toBeGreaterThanOrEqual(3); // CHECK (length(nickname) >= 3)
      expect(String(u.ts_min) < '1950').toBe(true);
      expect(String(u.ts_max) > '2900').toBe(true);
      expect(u.dst_gap).toBeGreaterThan(0);
      expect(u.statuses).toBe(2);
      expect(u.feelings).toBe(3);
      expect(u.emails).toBe(1000);
      expect(u.managed).toBeGreaterThan(200); // the self-reference, set after insertion
      expect(u.qty_min).toBeGreaterThan(0); // domain CHECK (VALUE > 0)
      const inv = await one(d, `SELECT count(*) FILTER (WHERE paid < due)::int AS bad, count(paid)::int AS paid FROM "Billing"."Invoice"`);
      expect(inv).toEqual({ bad: 0, paid: expect.any(Number) });
      expect(inv.paid).toBeGreaterThan(500);
    });

    it('is deterministic: the same seed gives the same data, another seed other data', async () => {
      const sums = async (seed: number) => {
        await d.reset();
        await d.exec(PG_SCHEMA);
        await seedTables(d, PG_TABLES, { rows: 100, seed });
        const out: Record<string, unknown> = {};
        for (const t of PG_TABLES) {
          const data = await tableData(d, t);
          // columns the database fills with now() / gen_random_uuid() differ between runs by nature
          const { created_at: _c, ...cols } = data.columns;
          out[t] = { rows: data.rows, cols: t === 'Billing.Invoice' ? { total: cols.total, due: cols.due, order: cols.order } : cols };
        }
        return out;
      };
      const a = await sums(7);
      const b = await sums(7);
      expect(b).toEqual(a);
      const c = await sums(8);
      expect((c['public.Users'] as { cols: Record<string, unknown> }).cols.email).not.toEqual((a['public.Users'] as { cols: Record<string, unknown> }).cols.email);
    });

    it('seeds the parents a table needs and says so; reports a table it cannot fill and why', async () => {
      await d.reset();
      await d.exec(PG_SCHEMA);
      await d.exec(`CREATE TABLE never (x int NOT NULL CHECK (x > 10 AND x < 5)); CREATE VIEW v AS SELECT 1 AS x;
        CREATE TABLE opaque (x text NOT NULL CHECK (md5(x) = 'nope')); CREATE TABLE queries (q tsquery NOT NULL)`);
      const res = await seedTables(d, ['"Billing"."Invoice"', 'never', 'opaque', 'queries', 'nope', 'v'], { rows: 50, seed: 1 });
      expect(res).toEqual([
        { table: 'Billing.Invoice', rows: 50 },
        { table: 'public.never', rows: 0, skipped: 'no value of type integer satisfies the CHECK constraints on NOT NULL column x' },
        { table: 'public.opaque', rows: 0, dropped: 50, skipped: "every candidate row broke a CHECK constraint it could not satisfy: CHECK ((md5(x) = 'nope'::text))" },
        { table: 'public.queries', rows: 0, skipped: 'it cannot generate values of type tsquery for NOT NULL column q' },
        { table: 'public.Users', rows: 50, asParent: true },
        { table: 'public.orgs', rows: 50, asParent: true },
        { table: 'nope', rows: 0, skipped: 'table does not exist' },
        { table: 'v', rows: 0, skipped: 'table does not exist' },
      ]);
    });

    it('1,000 rows into each of 5 tables with FKs, CHECKs and a unique index (speed: npm run bench:confirm)', async () => {
      await d.reset();
      let ddl = '';
      for (let i = 0; i < 5; i++) {
        ddl += `CREATE TABLE t${i} (id serial PRIMARY KEY, parent_id int ${i > 0 ? `REFERENCES t${i - 1}(id)` : ''}, name varchar(50) NOT NULL,
          email text UNIQUE, amount numeric(10,2) CHECK (amount >= 0), created_at timestamptz NOT NULL DEFAULT now(),
          status text NOT NULL CHECK (status IN ('a', 'b')), data jsonb, flag boolean);\n`;
      }
      await d.exec(ddl);
      const res = await seedTables(d, Array.from({ length: 5 }, (_, i) => `t${i}`), { rows: 1000, seed: 3 });
      expect(res.every((r) => r.rows === 1000)).toBe(true);
      // Every row is really there and honours the constraints the database checks.
      for (let i = 0; i < 5; i++) expect((await d.query(`SELECT count(*)::int AS n FROM t${i}`)).rows[0]).toEqual({ n: 1000 });
    });
  });
}

postgresCases('PGlite', testPglite);
postgresCases('the local server', () => testServer(DATABASE_URL!), DATABASE_URL ? undefined : NO_SERVER_REASON);

describe('seeding on SQLite', () => {
  const SCHEMA = `
    CREATE TABLE orgs (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, plan TEXT NOT NULL DEFAULT 'free');
    CREATE TABLE "Users" (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      org_id INTEGER NOT NULL REFERENCES orgs(id),
      manager_id INTEGER REFERENCES "Users"(id),
      email VARCHAR(100) NOT NULL UNIQUE,
      "order" INTEGER CHECK ("order" BETWEEN 1 AND 10),
      status TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
      price DECIMAL(10,2) CHECK (price >= 0),
      ratio REAL, born DATE, seen DATETIME, ok BOOLEAN NOT NULL, blob BLOB, meta JSON, anything,
      upper_email TEXT GENERATED ALWAYS AS (upper(email)) VIRTUAL
    );
    CREATE TABLE tags (user_id INTEGER NOT NULL REFERENCES "Users"(id), tag TEXT NOT NULL CHECK (length(tag) <= 8), PRIMARY KEY (user_id, tag)) WITHOUT ROWID;
    CREATE TABLE strict_t (a INTEGER NOT NULL, b TEXT, c REAL, d BLOB, e ANY) STRICT;`;

  it('seeds 1,000 rows honouring FKs, CHECKs, UNIQUE, WITHOUT ROWID and STRICT tables, deterministically', async () => {
    const d = await openSqlite();
    const run = async (seed: number) => {
      await d.reset();
      await d.exec(SCHEMA);
      const t0 = performance.now();
      const res = await seedTables(d, ['tags', 'Users', 'strict_t'], { rows: 1000, seed });
      const ms = performance.now() - t0;
      const sums: Record<string, unknown> = {};
      for (const t of ['orgs', 'Users', 'tags', 'strict_t']) sums[t] = await tableData(d, t);
      return { res, ms, sums };
    };
    const a = await run(5);
    console.log(`SQLite: 4 tables x 1000 rows in ${a.ms.toFixed(0)} ms`);
    expect(a.res).toEqual([
      { table: 'tags', rows: 1000 },
      { table: 'Users', rows: 1000 },
      { table: 'strict_t', rows: 1000 },
      { table: 'orgs', rows: 1000, asParent: true },
    ]);
    expect((await d.query('SELECT * FROM pragma_foreign_key_check')).rows).toEqual([]);
    const u = (await d.query(`SELECT count(manager_id) AS managed, min("order") AS lo, max("order") AS hi, count(DISTINCT status) AS st,
      sum(typeof(blob) = 'blob') AS blobs, min(price) AS pmin FROM "Users"`)).rows[0]!;
    expect(u).toMatchObject({ lo: 1, hi: 10, st: 2 });
    expect(Number(u.managed)).toBeGreaterThan(200);
    expect(Number(u.blobs)).toBeGreaterThan(500);
    expect(Number(u.pmin)).toBeGreaterThanOrEqual(0);
    const b = await run(5);
    expect(b.sums).toEqual(a.sums);
    const c = await run(6);
    expect(c.sums).not.toEqual(a.sums);
    await d.close();
  });
});
