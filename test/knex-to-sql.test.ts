import { describe, expect, it } from 'vitest';
import type { SourceFile, Span, Statement } from '../src/model.js';
import { interpretKnexFile } from '../src/sources/knex/interpret.js';
import { knexToSql, type KnexClient } from '../src/sources/knex/to-sql.js';

function statements(src: string, dialect: 'postgres' | 'sqlite' | 'mysql' = 'postgres'): { up: Statement[]; file: SourceFile } {
  const file: SourceFile = { path: '/p/m.js', relPath: 'm.js', text: src };
  // Raw SQL: one statement per call, as a SQL parser would give.
  const parseRawSql = (sql: string, span: Span): Statement[] => [{ span, type: 'RawSql', ops: [] }];
  const a = interpretKnexFile(file, dialect, parseRawSql);
  return { up: a.up ?? [], file };
}

async function sqlOf(src: string, client: KnexClient): Promise<[string, string, string?][]> {
  const { up, file } = statements(src, client === 'pg' ? 'postgres' : client === 'sqlite3' ? 'sqlite' : 'mysql');
  const out = await knexToSql(up, client);
  return out.map((e) => {
    const at = file.text.slice(e.span.start, e.span.end);
    return e.unavailable === undefined ? [e.sql, at] : [e.sql, at, e.unavailable];
  });
}

describe('knexToSql', () => {
  it('pg: createTable, with the constraints Knex adds after it', async () => {
    const src = `exports.up = (knex) => knex.schema.createTable('users', (t) => {
  t.increments('id');
  t.string('email', 100).notNullable().unique();
  t.integer('org_id').references('id').inTable('orgs').onDelete('CASCADE');
  t.timestamp('seen_at').defaultTo(knex.fn.now());
  t.index(['email', 'org_id']);
});`;
    const create = src.slice(src.indexOf('knex.schema'), src.lastIndexOf(';'));
    expect(await sqlOf(src, 'pg')).toEqual([
      ['create table "users" ("id" serial primary key, "email" varchar(100) not null, "org_id" integer, "seen_at" timestamptz default CURRENT_TIMESTAMP)', create],
      ['alter table "users" add constraint "users_email_unique" unique ("email")', create],
      ['alter table "users" add constraint "users_org_id_foreign" foreign key ("org_id") references "orgs" ("id") on delete CASCADE', create],
      ['create index "users_email_org_id_index" on "users" ("email", "org_id")', create],
    ]);
  });

  it('pg: alterTable, .alter(), withSchema, drops and renames', async () => {
    const src = `exports.up = async (knex) => {
  await knex.schema.withSchema('app').alterTable('users', (t) => {
    t.string('status').notNullable().defaultTo('active');
    t.text('bio').notNullable().alter();
    t.dropColumn('legacy');
  });
  await knex.schema.renameTable('a', 'b');
  await knex.schema.dropTableIfExists('c');
};`;
    const got = await sqlOf(src, 'pg');
    expect(got.map((g) => g[0])).toEqual([
      `alter table "app"."users" add column "status" varchar(255) not null default 'active'`,
      'alter table "app"."users" alter column "bio" drop default',
      'alter table "app"."users" alter column "bio" drop not null',
      'alter table "app"."users" alter column "bio" type text using ("bio"::text)',
      'alter table "app"."users" alter column "bio" set not null',
      'alter table "app"."users" drop column "legacy"',
      'alter table "a" rename to "b"',
      'drop table if exists "c"',
    ]);
    expect(got[0]![1]).toMatch(/^knex\.schema\.withSchema\('app'\)\.alterTable\('users'/);
    expect(got[6]![1]).toBe("knex.schema.renameTable('a', 'b')");
  });

  it('pg: data changes through the query builder, bindings inlined', async () => {
    const src = `exports.up = async (knex) => {
  await knex('users').update({ status: 'active', n: 2 }).where('id', '>', 10);
  await knex('sessions').whereNull('user_id').del();
  await knex('users').insert([{ email: "o'neil@x" }]);
  await knex('audit_log').truncate();
  await knex.transaction(async (trx) => {
    await knex('users').transacting(trx).where({ id: 1 }).update({ plan: knex.raw('upper(plan)') });
  });
};`;
    expect((await sqlOf(src, 'pg')).map((g) => g[0])).toEqual([
      `update "users" set "status" = 'active', "n" = 2 where "id" > 10`,
      'delete from "sessions" where "user_id" is null',
      `insert into "users" ("email") values ('o''neil@x')`,
      'truncate "audit_log" restart identity',
      'update "users" set "plan" = upper(plan) where "id" = 1',
    ]);
  });

  it('raw SQL passes through once per call; static bindings are inlined', async () => {
    const src = `exports.up = async (knex) => {
  await knex.raw('CREATE INDEX CONCURRENTLY i ON users (email)');
  await knex.raw('UPDATE users SET plan = ? WHERE id = ?', ['free', 7]);
  await knex.schema.raw("SELECT 1");
};`;
    expect(await sqlOf(src, 'pg')).toEqual([
      ['CREATE INDEX CONCURRENTLY i ON users (email)', "knex.raw('CREATE INDEX CONCURRENTLY i ON users (email)')"],
      [`UPDATE users SET plan = 'free' WHERE id = 7`, "knex.raw('UPDATE users SET plan = ? WHERE id = ?', ['free', 7])"],
      ['SELECT 1', 'knex.schema.raw("SELECT 1")'],
    ]);
  });

  it('what cannot be rebuilt statically is marked unavailable, never guessed', async () => {
    const src = `exports.up = async (knex) => {
  await knex.raw('UPDATE users SET plan = ?', [plan]);
  await knex('users').update({ plan });
  await knex.schema.dropTable(name);
  await knex.schema.alterTable('users', (t) => { cols.forEach((c) => t.dropColumn(c)); });
  await knex.schema.createExtensionIfNotExists('pgcrypto');
};`;
    expect(await sqlOf(src, 'pg')).toEqual([
      ['UPDATE users SET plan = ?', "knex.raw('UPDATE users SET plan = ?', [plan])", 'a value is known only at run time: `plan`'],
      ['', "knex('users').update({ plan })", 'an argument is known only at run time: `plan`'],
      ['', 'knex.schema.dropTable(name)', 'table name is not a static string: `name`'],
      ['', "knex.schema.alterTable('users', (t) => { cols.forEach((c) => t.dropColumn(c)); })", 'column name is not a static string: `c`, inside `cols.forEach()`'],
      ['create extension if not exists "pgcrypto"', "knex.schema.createExtensionIfNotExists('pgcrypto')"],
    ]);
  });

  it('sqlite3: createTable and add column compile; alter/dropColumn need a connection', async () => {
    const src = `exports.up = async (knex) => {
  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('email').notNullable().unique();
  });
  await knex.schema.alterTable('users', (t) => { t.integer('age'); });
  await knex.schema.alterTable('users', (t) => { t.dropColumn('age'); });
  await knex.schema.alterTable('users', (t) => { t.text('email').alter(); });
  await knex('users').truncate();
};`;
    const got = await sqlOf(src, 'sqlite3');
    const needsConnection = 'Knex builds this SQLite statement only with a connection (it reads `PRAGMA table_info` and rebuilds the table)';
    expect(got.map((g) => [g[0], g[2]])).toEqual([
      ['create table `users` (`id` integer not null primary key autoincrement, `email` varchar(255) not null)', undefined],
      ['create unique index `users_email_unique` on `users` (`email`)', undefined],
      ['alter table `users` add column `age` integer', undefined],
      ['', needsConnection],
      ['', needsConnection],
      ['delete from `users`', undefined],
    ]);
  });

  it('mysql2 compiles too', async () => {
    const src = "exports.up = (knex) => knex.schema.alterTable('users', (t) => { t.string('nick', 50).notNullable().alter(); });";
    expect((await sqlOf(src, 'mysql2')).map((g) => g[0])).toEqual(['alter table `users` modify `nick` varchar(50) not null']);
  });
});
