import { describe, expect, it } from 'vitest';
import { expectFires, expectSilent, lintSql, type Case } from '../helpers/lint-sql.js';

const RULE = 'require-concurrent-index';

const mustFire: Case[] = [
  { name: 'a DELETE with a WHERE leaves rows', sql: 'DELETE FROM sessions WHERE expired;\nCREATE INDEX sessions_user_idx ON sessions (user_id);', expect: [[RULE, 2, 1]] },
  { name: 'emptied by an earlier migration (rows came back since)', migrations: [{ name: '001_a.sql', up: 'TRUNCATE sessions;' }, { name: '002_b.sql', up: 'CREATE INDEX sessions_user_idx ON sessions (user_id);' }], expect: [[RULE, 1, 1]], file: 'migrations/002_b.sql' },
  {
    name: 'CREATE INDEX on an existing table',
    sql: 'CREATE INDEX idx_users_email ON users (email);',
    expect: [[RULE, 1, 1, 1, 46]],
    message: 'Building index "idx_users_email" on "users" without CONCURRENTLY takes a SHARE lock',
    help: 'CREATE INDEX CONCURRENTLY',
  },
  { name: 'UNIQUE index', sql: 'CREATE UNIQUE INDEX users_email_key ON users (email);', expect: [[RULE, 1, 1, 1, 53]], message: 'Building unique index "users_email_key"' },
  { name: 'unnamed index', sql: 'CREATE INDEX ON users (email);', expect: [[RULE, 1, 1, 1, 30]], message: 'Building index on "users"' },
  { name: 'IF NOT EXISTS still builds under the lock', sql: 'CREATE INDEX IF NOT EXISTS i ON users (email);', expect: [[RULE, 1, 1, 1, 46]] },
  { name: 'schema-qualified table', sql: 'CREATE INDEX i ON app.users (email);', expect: [[RULE, 1, 1, 1, 36]], message: '"app.users"' },
  {
    name: 'table created in an EARLIER migration is an existing table',
    migrations: [
      { name: '001_create.sql', up: 'CREATE TABLE users (id int, email text);' },
      { name: '002_index.sql', up: 'CREATE INDEX i ON users (email);' },
    ],
    expect: [[RULE, 1, 1, 1, 32]],
    file: 'migrations/002_index.sql',
  },
  { name: 'statement spread over lines', sql: 'CREATE INDEX i\n  ON users\n  USING btree (email);', expect: [[RULE, 1, 1, 3, 22]] },
  { name: 'after a multi-byte UTF-8 character on the same line', sql: "COMMENT ON TABLE t IS 'naïve ☃'; CREATE INDEX i ON t (a);", expect: [[RULE, 1, 34, 1, 57]] },
  { name: 'CRLF line endings', sql: 'SELECT 1;\r\nCREATE INDEX i ON t (a);\r\n', expect: [[RULE, 2, 1, 2, 24]] },
  { name: 'several statements on one line', sql: 'CREATE INDEX a ON t (x); CREATE INDEX b ON t (y);', expect: [[RULE, 1, 1, 1, 24], [RULE, 1, 26, 1, 49]] },
  {
    name: 'a down that rebuilds an index on an existing table',
    migrations: [{ name: '001_drop_index.sql', up: 'DROP INDEX idx_users_email;', down: 'CREATE INDEX idx_users_email ON users (email);' }],
    expect: [[RULE, 1, 1, 1, 46]],
    file: 'migrations/001_drop_index.down.sql',
  },
  {
    name: 'dbmate: the help names the no-transaction header',
    migrations: [{ name: '001_index.sql', text: '-- migrate:up\nCREATE INDEX i ON t (a);\n-- migrate:down\nDROP INDEX i;\n' }],
    expect: [[RULE, 2, 1, 2, 24]],
    help: '`-- migrate:up transaction:false`',
  },
  { name: 'goose: the help names NO TRANSACTION', migrations: [{ name: '001_index.sql', format: 'goose', text: '-- +goose Up\nCREATE INDEX i ON t (a);\n' }], expect: [[RULE, 2, 1, 2, 24]], help: '-- +goose NO TRANSACTION' },
  { name: 'Prisma: the help names --create-only', sql: 'CREATE INDEX i ON t (a);', options: { format: 'prisma' }, expect: [[RULE, 1, 1, 1, 24]], help: '--create-only' },
  { name: 'Flyway: the help says to keep it alone in its script', sql: 'CREATE INDEX i ON t (a);', options: { format: 'flyway' }, expect: [[RULE, 1, 1, 1, 24]], help: 'only statement of its migration' },
  {
    name: 'a partition index of the ON ONLY pattern is still checked',
    sql: 'CREATE INDEX m_x ON ONLY measurement (x);\nCREATE INDEX m_2024_x ON measurement_2024 (x);\nALTER INDEX m_x ATTACH PARTITION m_2024_x;',
    expect: [[RULE, 2, 1, 2, 46]],
    message: '"measurement_2024"',
  },
  {
    name: 'a materialized view created by an EARLIER migration is in use',
    migrations: [
      { name: '001_mv.sql', up: 'CREATE MATERIALIZED VIEW post_stats AS SELECT 1 AS author_id;' },
      { name: '002_index.sql', up: 'CREATE INDEX post_stats_author ON post_stats (author_id);' },
    ],
    expect: [[RULE, 1, 1, 1, 57]],
    message: '"post_stats"',
    file: 'migrations/002_index.sql',
  },
  {
    name: 'ON ONLY on a table the chain created without PARTITION BY builds the whole index',
    migrations: [
      { name: '001_create.sql', up: 'CREATE TABLE events (id int, at timestamptz);' },
      { name: '002_index.sql', up: 'CREATE INDEX events_at ON ONLY events (at);' },
    ],
    expect: [[RULE, 1, 1, 1, 43]],
    message: 'ON ONLY does not help: the table is not partitioned',
    file: 'migrations/002_index.sql',
  },
  {
    name: 'ON ONLY on a table created without PARTITION BY, in dbmate up/down layout',
    migrations: [
      { name: '001_create.sql', up: 'CREATE TABLE events (id int);', down: 'DROP TABLE events;' },
      { name: '002_index.sql', up: 'SELECT 1;\nCREATE INDEX ON ONLY public.events (id);', down: 'DROP INDEX events_id_idx;' },
    ],
    expect: [[RULE, 2, 1, 2, 40]],
    message: '"public.events"',
  },
  { name: 'a suppression naming another rule', sql: '-- migralint-disable-next-line no-drop-table\nCREATE INDEX i ON t (a);', expect: [['unused-disable', 1, 1], [RULE, 2, 1, 2, 24]] },  // MySQL/MariaDB: InnoDB refuses LOCK=NONE for FULLTEXT and SPATIAL builds (verified on MariaDB 10.11).
  { name: 'MySQL CREATE FULLTEXT INDEX without options', sql: 'CREATE FULLTEXT INDEX ft_body ON posts (body);', options: { dialect: 'mysql' }, expect: [[RULE, 1, 1, 1, 46]], message: 'Building FULLTEXT index "ft_body" on "posts" blocks writes', help: 'no online way' },
  { name: 'MySQL CREATE SPATIAL INDEX', sql: 'SELECT 1;\nCREATE SPATIAL INDEX sp_geo ON places (geo);', options: { dialect: 'mysql' }, expect: [[RULE, 2, 1, 2, 44]], message: 'SPATIAL index "sp_geo"' },
  { name: 'MySQL ALTER TABLE ADD FULLTEXT, on its clause', sql: 'ALTER TABLE posts ADD COLUMN x int, ADD FULLTEXT KEY ft (body);', options: { dialect: 'mysql' }, expect: [[RULE, 1, 37, 1, 63]], message: 'FULLTEXT index "ft"' },
  { name: 'MySQL FULLTEXT asking for LOCK=NONE still blocks (MariaDB refuses the option)', sql: 'ALTER TABLE posts ADD FULLTEXT INDEX ft (body), ALGORITHM=INPLACE, LOCK=NONE;', options: { dialect: 'mysql' }, expect: [[RULE, 1, 19, 1, 47]] },
  { name: 'MySQL ADD SPATIAL INDEX in a Drizzle migration', sql: 'ALTER TABLE `places` ADD SPATIAL INDEX `sp` (`geo`);--> statement-breakpoint\nCREATE TABLE `x` (`id` int);', options: { dialect: 'mysql', format: 'drizzle' }, expect: [[RULE, 1, 22, 1, 52]] },
];

const mustNotFire: Case[] = [
  { name: 'a table this migration emptied (TRUNCATE, DELETE without WHERE)', sql: 'TRUNCATE sessions;\nCREATE INDEX sessions_user_idx ON sessions (user_id);\nDELETE FROM "UserProfile";\nCREATE UNIQUE INDEX "UserProfile_userId_key" ON "UserProfile"("userId");' },
  { name: 'CREATE INDEX CONCURRENTLY', sql: 'CREATE INDEX CONCURRENTLY i ON users (email);' },
  { name: 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS', sql: 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);' },
  { name: 'table created in the same migration', sql: 'CREATE TABLE users (id int, email text);\nCREATE INDEX i ON users (email);\nCREATE UNIQUE INDEX ON users (id);' },
  { name: 'table created and renamed in the same migration', sql: 'CREATE TABLE a (id int);\nALTER TABLE a RENAME TO b;\nCREATE INDEX ON b (id);' },
  { name: 'table created with CREATE TABLE AS in the same migration', sql: 'CREATE TABLE report AS SELECT 1 AS id;\nCREATE INDEX ON report (id);' },
  {
    // The documented way to index a partitioned table (CONCURRENTLY is refused there): an empty
    // index on the parent only, built instantly, then each partition's concurrently, attached.
    name: 'CREATE INDEX ... ON ONLY a partitioned parent',
    sql: 'CREATE INDEX m_x ON ONLY measurement (x);\nCREATE INDEX CONCURRENTLY m_2024_x ON measurement_2024 (x);\nALTER INDEX m_x ATTACH PARTITION m_2024_x;',
  },
  {
    name: 'ON ONLY on a parent the chain created with PARTITION BY',
    migrations: [
      { name: '001_create.sql', up: 'CREATE TABLE m (id int, at date) PARTITION BY RANGE (at);\nCREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM (\'2024-01-01\') TO (\'2025-01-01\');' },
      { name: '002_index.sql', up: 'CREATE INDEX m_at ON ONLY m (at);\nCREATE INDEX CONCURRENTLY m_2024_at ON m_2024 (at);\nALTER INDEX m_at ATTACH PARTITION m_2024_at;' },
    ],
  },
  { name: 'a materialized view created earlier in the same migration', sql: 'CREATE MATERIALIZED VIEW post_stats AS SELECT author_id, count(*) AS n FROM posts GROUP BY author_id;\nCREATE UNIQUE INDEX post_stats_author ON post_stats (author_id);' },
  {
    name: 'a Flyway repeatable script that drops and re-creates its materialized view',
    migrations: [
      { name: 'V1__posts.sql', up: 'CREATE TABLE posts (id int, author_id int);' },
      { name: 'R__post_stats.sql', up: 'DROP MATERIALIZED VIEW IF EXISTS post_stats;\nCREATE MATERIALIZED VIEW post_stats AS SELECT author_id, count(*) FROM posts GROUP BY 1;\nCREATE INDEX post_stats_author ON post_stats (author_id);' },
    ],
    options: { format: 'flyway' },
  },
  { name: 'a materialized view in a schema, created WITH NO DATA in a dbmate migration', migrations: [{ name: '001_mv.sql', text: '-- migrate:up\nCREATE MATERIALIZED VIEW app.mv AS SELECT 1 AS id WITH NO DATA;\nCREATE INDEX ON app.mv (id);\n-- migrate:down\nDROP MATERIALIZED VIEW app.mv;\n' }] },
  { name: 'CREATE INDEX in comments and string literals', sql: "-- CREATE INDEX i ON users (email);\nSELECT 'CREATE INDEX i ON users (email)';" },
  { name: 'CREATE INDEX in a function body (it runs when called, not now)', sql: "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'CREATE INDEX i ON users (email)'; CREATE INDEX j ON users (a); END $$;" },
  { name: 'MySQL FULLTEXT index on a table created in the same migration', sql: 'CREATE TABLE posts (id int primary key, body text);\nCREATE FULLTEXT INDEX ft ON posts (body);', options: { dialect: 'mysql' } },
  { name: 'MySQL FULLTEXT declared inside CREATE TABLE', sql: 'CREATE TABLE posts (id int primary key, body text, FULLTEXT KEY ft (body));', options: { dialect: 'mysql' } },
  {
    name: 'a down that indexes a table its up created',
    migrations: [{ name: '001_create.sql', up: 'CREATE TABLE a (id int);', down: 'CREATE INDEX ON a (id);\nDROP TABLE a;' }],
  },
  { name: 'suppressed above a multi-line statement', sql: '-- migralint-disable-next-line require-concurrent-index\nCREATE INDEX i\n  ON users (email);' },
  { name: 'SQLite has no CONCURRENTLY: the rule is Postgres only', sql: 'CREATE INDEX i ON t (a);', options: { dialect: 'sqlite' } },
  { name: 'turned off in the config', sql: 'CREATE INDEX i ON t (a);', options: { config: { rules: { [RULE]: 'off' } } } },
];

describe(RULE, () => {
  describe('must fire', () => {
    it.each(mustFire)('$name', (c) => expectFires(RULE, c));
  });
  describe('must not fire', () => {
    it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c));
  });
});

describe('require-concurrent-index on MySQL', () => {
  const mysql = { dialect: 'mysql' as const };
  it.each([
    { sql: 'CREATE INDEX idx_a ON users (a) ALGORITHM=COPY;', message: 'ALGORITHM=COPY' },
    { sql: 'CREATE INDEX idx_a ON users (a) LOCK=EXCLUSIVE;', message: 'LOCK=EXCLUSIVE' },
    { sql: 'ALTER TABLE users ADD INDEX idx_a (a), ALGORITHM=COPY, LOCK=SHARED;', message: 'ALGORITHM=COPY' },
  ])('fires on $sql', async ({ sql, message }) => {
    const findings = (await lintSql([{ name: '002_idx.sql', up: sql }], mysql)).filter((f) => f.ruleId === 'require-concurrent-index');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.line).toBe(1);
    expect(findings[0]!.message).toContain(message);
  });

  it.each([
    'CREATE INDEX idx_a ON users (a);',
    'CREATE INDEX idx_a ON users (a) ALGORITHM=INPLACE LOCK=NONE;',
    'ALTER TABLE users ADD INDEX idx_a (a);',
  ])('does not fire on an online build: %s', async (sql) => {
    const findings = (await lintSql([{ name: '002_idx.sql', up: sql }], mysql)).filter((f) => f.ruleId === 'require-concurrent-index');
    expect(findings).toEqual([]);
  });
});
