/**
 * The Knex static interpreter, table-driven: a migration source in, operations (kind, table,
 * column, ...) and the exact source text of each operation's span out.
 */
import { describe, expect, it } from 'vitest';
import type { Dialect, Operation, SourceFile, Span, Statement } from '../src/model.js';
import { interpretKnexFile, looksLikeKnexMigration, type KnexFileAnalysis } from '../src/sources/knex/interpret.js';
import { createRawSqlParser, type RawOffsets } from '../src/sources/knex/raw.js';
import { isKnexAst, knexRawOf } from '../src/sources/knex/types.js';
import { createPostgresParser } from '../src/sql/postgres.js';

interface RawCall {
  readonly sql: string;
  /** The file text at the span given. */
  readonly at: string;
}

const mapped = new Set<number>();

function analyse(src: string, opts: { path?: string; dialect?: Dialect } = {}): { a: KnexFileAnalysis; file: SourceFile; raw: RawCall[] } {
  mapped.clear();
  const file: SourceFile = { path: `/p/${opts.path ?? 'migrations/20240101000000_m.js'}`, relPath: opts.path ?? 'migrations/20240101000000_m.js', text: src };
  const raw: RawCall[] = [];
  // A stand-in for the SQL parser: one statement per call, one `other` op over the whole content.
  const parseRawSql = (sql: string, span: Span, offsets?: RawOffsets): Statement[] => {
    raw.push({ sql, at: src.slice(span.start, span.end) });
    // Inlined bindings: the SQL is not aligned with the file, each character is mapped instead.
    if (offsets) {
      expect(offsets.starts.length).toBe(sql.length);
      mapped.add(raw.length - 1);
    }
    return [{ span, type: 'RawSql', ops: [{ kind: 'other', statement: sql.trim(), span }] }];
  };
  const a = interpretKnexFile(file, opts.dialect ?? 'postgres', parseRawSql);
  return { a, file, raw };
}

type Shown = Record<string, unknown> & { kind: string; text: string };

/** Operations with their span shown as the source text it covers. */
function show(stmts: Statement[] | null, file: SourceFile): Shown[] | null {
  if (stmts === null) return null;
  return stmts.flatMap((s) =>
    s.ops.map((op: Operation) => {
      const { span, ...rest } = op;
      expect(span.file).toBe(file);
      return { ...rest, text: file.text.slice(span.start, span.end) } as Shown;
    }),
  );
}

interface Row {
  readonly name: string;
  readonly src: string;
  readonly path?: string;
  readonly dialect?: Dialect;
  /** Expected up operations (partial objects, same length and order); null = no up export. */
  readonly up?: readonly Record<string, unknown>[] | null;
  readonly down?: readonly Record<string, unknown>[] | null;
  /** Statement types of up, in order. */
  readonly types?: readonly string[];
  /** SQL strings handed to parseRawSql, with the file text at the span given. */
  readonly raw?: readonly RawCall[];
}

function check(row: Row): void {
  const { a, file, raw } = analyse(row.src, { ...(row.path ? { path: row.path } : {}), ...(row.dialect ? { dialect: row.dialect } : {}) });
  expect(a.findings).toEqual([]);
  if (row.up !== undefined) {
    const got = show(a.up, file);
    if (row.up === null) expect(got).toBeNull();
    else {
      expect(got).not.toBeNull();
      expect(got!.length, JSON.stringify(got, null, 1)).toBe(row.up.length);
      expect(got).toMatchObject(row.up);
    }
  }
  if (row.down !== undefined) {
    const got = show(a.down, file);
    if (row.down === null) expect(got).toBeNull();
    else {
      expect(got!.length, JSON.stringify(got, null, 1)).toBe(row.down.length);
      expect(got).toMatchObject(row.down);
    }
  }
  if (row.types) expect(a.up!.map((s) => s.type)).toEqual(row.types);
  if (row.raw) expect(raw).toEqual(row.raw);
  raw.forEach((r, i) => {
    if (!mapped.has(i)) expect(r.sql.length).toBe(r.at.length);
  });
}

const users = { name: 'users' };

// ------------------------------------------------------------------ export shapes

const EXPORT_SHAPES: Row[] = [
  {
    name: 'exports.up = function(knex) {...} (knex migrate:make JS stub)',
    src: `/**
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.up = function(knex) {
  return knex.schema.dropTable('users');
};

exports.down = function(knex) {
  
};
`,
    up: [{ kind: 'drop-table', table: users, ifExists: false, text: "knex.schema.dropTable('users')" }],
    down: [],
  },
  {
    name: 'exports.up = async (knex) => expression body',
    src: `exports.up = async (knex) => knex.schema.dropTableIfExists('users');`,
    up: [{ kind: 'drop-table', ifExists: true, text: "knex.schema.dropTableIfExists('users')" }],
    down: null,
  },
  {
    name: 'module.exports = { up, down } with local function declarations',
    src: `async function up(knex) { await knex.schema.dropTable('a'); }
async function down(knex) { await knex.schema.dropTable('b'); }
module.exports = { up, down };`,
    up: [{ kind: 'drop-table', table: { name: 'a' }, text: "knex.schema.dropTable('a')" }],
    down: [{ kind: 'drop-table', table: { name: 'b' }, text: "knex.schema.dropTable('b')" }],
  },
  {
    name: 'module.exports = { async up(knex) {...} } methods',
    src: `module.exports = {
  async up(knex) { await knex.schema.dropTable('a'); },
  down: async function (knex) { await knex.schema.dropTable('b'); },
};`,
    up: [{ kind: 'drop-table', table: { name: 'a' } }],
    down: [{ kind: 'drop-table', table: { name: 'b' } }],
  },
  {
    name: 'export async function up(knex: Knex): Promise<void> (knex migrate:make TS stub)',
    path: 'migrations/20240101000000_m.ts',
    src: `import type { Knex } from "knex";


export async function up(knex: Knex): Promise<void> {
  await (knex.schema as Knex.SchemaBuilder).dropTable("users");
}


export async function down(knex: Knex): Promise<void> {
}
`,
    up: [{ kind: 'drop-table', table: users, text: '(knex.schema as Knex.SchemaBuilder).dropTable("users")' }],
    down: [],
  },
  {
    name: 'export const up = async (db) => {...} with another parameter name',
    path: 'm.mjs',
    src: `export const up = async (db) => { await db.schema.dropTable('users'); };
export const down = async (k) => { await k.schema.createTable('users', (t) => { t.increments(); }); };`,
    up: [{ kind: 'drop-table', text: "db.schema.dropTable('users')" }],
    down: [{ kind: 'create-table', table: users, columns: [{ name: 'id', type: 'serial', notNull: true, primaryKey: true }] }],
  },
  {
    name: 'export function up(knex) { return ... }',
    path: 'm.ts',
    src: `export function up(knex) { return knex.schema.dropTable('users'); }`,
    up: [{ kind: 'drop-table' }],
    down: null,
  },
  {
    name: 'local function referenced by name: exports.up = up',
    src: `const up = async function (knex) { await knex.schema.dropTable('a'); };
function down(knex) { return knex.schema.dropTable('b'); }
exports.up = up;
exports.down = down;`,
    up: [{ kind: 'drop-table', table: { name: 'a' } }],
    down: [{ kind: 'drop-table', table: { name: 'b' } }],
  },
  {
    name: 'export { up, down } specifiers',
    path: 'm.ts',
    src: `async function up(knex) { await knex.schema.dropTable('a'); }
const down = (knex) => knex.schema.dropTable('b');
export { up, down };`,
    up: [{ kind: 'drop-table', table: { name: 'a' } }],
    down: [{ kind: 'drop-table', table: { name: 'b' } }],
  },
  {
    name: 'export default { up, down }',
    path: 'm.mjs',
    src: `export default {
  up: (knex) => knex.schema.dropTable('a'),
  async down(knex) { await knex.schema.dropTable('b'); },
};`,
    up: [{ kind: 'drop-table', table: { name: 'a' } }],
    down: [{ kind: 'drop-table', table: { name: 'b' } }],
  },
  {
    name: 'no exports at all: up and down are null',
    src: `const x = 1;`,
    up: null,
    down: null,
  },
];

// ------------------------------------------------------------------ control flow

const DIALECT_SRC = `function isSqlite(knex) { return String(knex.client.config.client).includes('sqlite'); }
exports.up = async (knex) => {
  if (isSqlite(knex)) {
    await knex.raw('CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END');
    return;
  }
  if (knex.client.config.client === 'pg') await knex.raw('SELECT pg_only()');
  switch (knex.client.config.client) {
    case 'mysql':
    case 'mysql2':
      await knex.raw('SELECT mysql_only()');
      break;
    case 'pg':
      await knex.raw('SELECT pg_switch()');
      break;
    default:
      await knex.raw('SELECT other()');
  }
  const kind = knex.client.dialect === 'postgresql' ? 'jsonb' : 'json';
  await knex.schema.alterTable('users', (t) => { t.specificType('meta', kind); });
};`;

const FLOW: Row[] = [
  {
    name: 'await in sequence',
    src: `exports.up = async function (knex) {
  await knex.schema.dropTable('a');
  await knex.schema.renameTable('b', 'c');
};`,
    up: [
      { kind: 'drop-table', table: { name: 'a' }, text: "knex.schema.dropTable('a')" },
      { kind: 'rename-table', table: { name: 'b' }, to: 'c', text: "knex.schema.renameTable('b', 'c')" },
    ],
  },
  {
    name: 'Promise.all([...]) with the old (knex, Promise) signature',
    src: `exports.up = function (knex, Promise) {
  return Promise.all([
    knex.schema.dropTable('a'),
    knex.raw('VACUUM'),
    knex.schema.dropTable('b'),
  ]);
};`,
    up: [
      { kind: 'drop-table', table: { name: 'a' } },
      { kind: 'other', statement: 'VACUUM', text: 'VACUUM' },
      { kind: 'drop-table', table: { name: 'b' } },
    ],
  },
  {
    name: 'chained schema calls: one statement per call, chained ops start at the method',
    src: `exports.up = (knex) => knex.schema
  .createTable('a', (t) => { t.increments(); })
  .dropTable('b')
  .raw('SELECT 1');`,
    types: ['knex.schema.createTable', 'knex.schema.dropTable', 'RawSql'],
    up: [
      { kind: 'create-table', table: { name: 'a' }, text: "knex.schema\n  .createTable('a', (t) => { t.increments(); })" },
      { kind: 'drop-table', table: { name: 'b' }, text: "dropTable('b')" },
      { kind: 'other', text: 'SELECT 1' },
    ],
  },
  {
    name: '.then(() => ...) chains',
    src: `exports.up = function (knex) {
  return knex.schema.dropTable('a')
    .then(() => knex.schema.dropTable('b'))
    .then(function () { return knex.raw('SELECT 2'); });
};`,
    up: [
      { kind: 'drop-table', table: { name: 'a' } },
      { kind: 'drop-table', table: { name: 'b' }, text: "knex.schema.dropTable('b')" },
      { kind: 'other', statement: 'SELECT 2' },
    ],
  },
  {
    name: 'withSchema and schema-qualified names',
    src: `exports.up = async (knex) => {
  await knex.schema.withSchema('app').dropTable('users');
  await knex.schema.dropTable('audit.log');
};`,
    up: [
      { kind: 'drop-table', table: { schema: 'app', name: 'users' }, text: "knex.schema.withSchema('app').dropTable('users')" },
      { kind: 'drop-table', table: { schema: 'audit', name: 'log' } },
    ],
  },
  {
    name: 'knex.transaction(async trx => ...) makes trx a knex alias',
    src: `exports.up = async (knex) => {
  await knex.transaction(async (trx) => {
    await trx.schema.dropTable('a');
    await trx('users').update({ status: 'x' });
  });
  const t2 = await knex.transaction();
  await t2.schema.dropTable('b');
  await t2.commit();
};`,
    up: [
      { kind: 'drop-table', table: { name: 'a' }, text: "trx.schema.dropTable('a')" },
      { kind: 'update', table: users, columns: ['status'], hasWhere: false },
      { kind: 'drop-table', table: { name: 'b' } },
    ],
  },
  {
    name: 'hasTable-guarded blocks are interpreted as maybe',
    src: `exports.up = async (knex) => {
  if (!(await knex.schema.hasTable('users'))) {
    await knex.schema.createTable('users', (t) => { t.increments(); });
  }
  return knex.schema.hasColumn('users', 'x').then((exists) => {
    if (exists) return knex.schema.alterTable('users', (t) => t.dropColumn('x'));
  });
};`,
    up: [
      { kind: 'create-table', table: users },
      { kind: 'drop-column', table: users, column: 'x', text: "t.dropColumn('x')" },
    ],
  },
  {
    name: 'const table names, template literals of constants, object constants',
    src: `const TABLE = 'users';
const T = { audit: 'audit_log' };
const PREFIX = 'tmp';
exports.up = async (knex) => {
  const local = 'sessions';
  await knex.schema.dropTable(TABLE);
  await knex.schema.dropTable(T.audit);
  await knex.schema.dropTable(\`\${PREFIX}_import\`);
  await knex.schema.dropTable(local);
  await knex.schema.dropTable(PREFIX + '_export');
};`,
    up: [
      { kind: 'drop-table', table: users, text: 'knex.schema.dropTable(TABLE)' },
      { kind: 'drop-table', table: { name: 'audit_log' } },
      { kind: 'drop-table', table: { name: 'tmp_import' } },
      { kind: 'drop-table', table: { name: 'sessions' } },
      { kind: 'drop-table', table: { name: 'tmp_export' } },
    ],
  },
  {
    name: 'TS enums, destructured knex.schema, `as const`',
    path: 'm.ts',
    src: `enum Tables { Users = 'users', Audit = 'audit_log' }
const NAMES = { legacy: 'legacy' } as const;
export async function up(knex: Knex): Promise<void> {
  const { schema } = knex;
  await schema.dropTable(Tables.Users);
  await schema.dropTable(NAMES.legacy);
}`,
    up: [
      { kind: 'drop-table', table: users, text: 'schema.dropTable(Tables.Users)' },
      { kind: 'drop-table', table: { name: 'legacy' } },
    ],
  },
  {
    name: 'loops over static arrays are unrolled',
    src: `const TABLES = ['a', 'b'];
exports.up = async (knex) => {
  for (const t of TABLES) await knex.schema.dropTable(t);
  ['c', 'd'].forEach((t) => knex.schema.dropTable(t));
  await Promise.all(Object.keys({ e: 1 }).map((t) => knex.schema.dropTable(t)));
  const drop = (t) => knex.schema.dropTable(t);
  await Promise.all(['f'].map(drop));
};`,
    up: ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({ kind: 'drop-table', table: { name }, text: 'knex.schema.dropTable(t)' })),
  },
  {
    name: 'local helpers receiving knex or the table builder are followed',
    src: `function addAudit(t) {
  t.timestamps(true, true);
  t.string('changed_by');
}
async function dropIt(knex, name) { await knex.schema.dropTable(name); }
exports.up = async (knex) => {
  await knex.schema.alterTable('users', (t) => { addAudit(t); });
  await dropIt(knex, 'legacy');
};`,
    up: [
      { kind: 'add-column', column: { name: 'created_at', notNull: true, hasDefault: true, constantDefault: false }, text: 't.timestamps(true, true)' },
      { kind: 'add-column', column: { name: 'updated_at' }, text: 't.timestamps(true, true)' },
      { kind: 'add-column', column: { name: 'changed_by', notNull: false }, text: "t.string('changed_by')" },
      { kind: 'drop-table', table: { name: 'legacy' }, text: 'knex.schema.dropTable(name)' },
    ],
  },
  {
    name: 'checks of the Knex client are decided by the set dialect (postgres)',
    src: DIALECT_SRC,
    up: [
      { kind: 'other', statement: 'SELECT pg_only()' },
      { kind: 'other', statement: 'SELECT pg_switch()' },
      { kind: 'add-column', column: { name: 'meta', type: 'jsonb' } },
    ],
  },
  {
    name: 'checks of the Knex client are decided by the set dialect (sqlite), code after return does not run',
    dialect: 'sqlite',
    src: DIALECT_SRC,
    up: [{ kind: 'other', statement: 'CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END' }],
  },
  {
    name: 'this-style table callbacks',
    src: `exports.up = function (knex) {
  return knex.schema.table('users', function () {
    this.dropColumn('x');
  });
};`,
    up: [{ kind: 'drop-column', table: users, column: 'x', text: "this.dropColumn('x')" }],
  },
];

// ------------------------------------------------------------------ table builder

const TABLE_BUILDER: Row[] = [
  {
    name: 'createTable columns, with index/unique/foreign inside it',
    src: `exports.up = (knex) => knex.schema.createTable('users', (table) => {
  table.increments('id');
  table.uuid('uid').notNullable().unique();
  table.string('email', 100).notNullable().index();
  table.string('status').defaultTo('active');
  table.decimal('balance', 10, 4);
  table.timestamp('seen_at').defaultTo(knex.fn.now());
  table.integer('org_id').unsigned().references('id').inTable('orgs').onDelete('CASCADE');
  table.boolean('admin').notNullable().defaultTo(false);
  table.specificType('tags', 'text[]');
  table.timestamps();
  table.index(['status', 'email'], 'users_status_email_idx');
});`,
    up: [
      {
        kind: 'create-table',
        table: users,
        ifNotExists: false,
        columns: [
          { name: 'id', type: 'serial', notNull: true, hasDefault: true, constantDefault: false, primaryKey: true },
          { name: 'uid', type: 'uuid', notNull: true, hasDefault: false },
          { name: 'email', type: 'varchar(100)', notNull: true },
          { name: 'status', type: 'varchar(255)', notNull: false, hasDefault: true, constantDefault: true },
          { name: 'balance', type: 'decimal(10, 4)' },
          { name: 'seen_at', type: 'timestamptz', hasDefault: true, constantDefault: true /* now() is stable: one value per statement */ },
          { name: 'org_id', type: 'integer' },
          { name: 'admin', type: 'boolean', notNull: true, hasDefault: true, constantDefault: true },
          { name: 'tags', type: 'text[]' },
          { name: 'created_at', type: 'timestamptz', notNull: false, hasDefault: false },
          { name: 'updated_at', notNull: false },
        ],
      },
      // At the modifier that makes the index, not at the start of the column's chain.
      { kind: 'add-constraint', constraint: 'unique', name: 'users_uid_unique', text: 'unique()' },
      { kind: 'create-index', name: 'users_email_index', columns: ['email'], concurrently: false, text: 'index()' },
      { kind: 'add-constraint', constraint: 'foreign-key', name: 'users_org_id_foreign', text: "table.integer('org_id').unsigned().references('id').inTable('orgs').onDelete('CASCADE')" },
      { kind: 'create-index', name: 'users_status_email_idx', columns: ['status', 'email'], text: "table.index(['status', 'email'], 'users_status_email_idx')" },
    ],
  },
  {
    name: 'alterTable: add column, NOT NULL without default, defaults constant and not',
    src: `exports.up = (knex) => knex.schema.alterTable('users', (t) => {
  t.string('status').notNullable();
  t.string('plan').notNullable().defaultTo('free');
  t.timestamp('synced_at').notNullable().defaultTo(knex.fn.now());
  t.uuid('token').defaultTo(knex.raw('gen_random_uuid()'));
  t.jsonb('meta').defaultTo('{}');
  t.bigIncrements('seq');
});`,
    up: [
      { kind: 'add-column', table: users, ifNotExists: false, column: { name: 'status', notNull: true, hasDefault: false }, text: "t.string('status').notNullable()" },
      { kind: 'add-column', column: { name: 'plan', notNull: true, hasDefault: true, constantDefault: true } },
      { kind: 'add-column', column: { name: 'synced_at', notNull: true, hasDefault: true, constantDefault: true } },
      { kind: 'add-column', column: { name: 'token', type: 'uuid', hasDefault: true, constantDefault: false } },
      { kind: 'add-column', column: { name: 'meta', type: 'jsonb', constantDefault: true } },
      { kind: 'add-column', column: { name: 'seq', type: 'bigserial', notNull: true, hasDefault: true, constantDefault: false }, text: "t.bigIncrements('seq')" },
    ],
  },
  {
    name: 'alterTable: .alter() changes type and nullability',
    src: `exports.up = (knex) => knex.schema.alterTable('users', (t) => {
  t.text('bio').notNullable().alter();
  t.integer('age').alter();
  t.string('nick', 50).alter({ alterNullable: false });
  t.string('kind').defaultTo('x').alter({ alterType: false });
});`,
    up: [
      { kind: 'alter-column-type', table: users, column: 'bio', type: 'text', text: "t.text('bio').notNullable().alter()" },
      { kind: 'set-not-null', column: 'bio', text: "t.text('bio').notNullable().alter()" },
      { kind: 'alter-column-type', column: 'age', type: 'integer' },
      { kind: 'drop-not-null', column: 'age' },
      { kind: 'alter-column-type', column: 'nick', type: 'varchar(50)' },
      { kind: 'set-default', column: 'kind' },
      { kind: 'drop-not-null', column: 'kind' },
    ],
  },
  {
    name: 'alterTable: index on an existing table, drops, renames, constraints',
    src: `exports.up = (knex) => knex.schema.alterTable('users', (t) => {
  t.index('email');
  t.string('code').unique();
  t.unique(['a', 'b'], { indexName: 'ab_uq', useConstraint: false });
  t.dropIndex(['email']);
  t.dropIndex([], 'named_idx');
  t.dropUnique(['a', 'b']);
  t.dropColumn('x');
  t.dropColumns('y', 'z');
  t.renameColumn('old', 'new');
  t.foreign('org_id').references('orgs.id');
  t.dropForeign('org_id');
  t.primary(['id']);
  t.dropPrimary();
  t.setNullable('email');
  t.dropNullable('email');
  t.check('?? IS NOT NULL', ['email'], 'email_nn');
  t.dropTimestamps();
});`,
    up: [
      { kind: 'create-index', table: users, name: 'users_email_index', unique: false, concurrently: false, columns: ['email'], text: "t.index('email')" },
      { kind: 'add-column', column: { name: 'code' }, text: "t.string('code').unique()" },
      { kind: 'add-constraint', constraint: 'unique', name: 'users_code_unique', text: 'unique()' },
      { kind: 'create-index', name: 'ab_uq', unique: true, columns: ['a', 'b'] },
      { kind: 'drop-index', name: 'users_email_index', concurrently: false, text: "t.dropIndex(['email'])" },
      { kind: 'drop-index', name: 'named_idx' },
      { kind: 'drop-constraint', name: 'users_a_b_unique' },
      { kind: 'drop-column', column: 'x', text: "t.dropColumn('x')" },
      { kind: 'drop-column', column: 'y', text: "t.dropColumns('y', 'z')" },
      { kind: 'drop-column', column: 'z' },
      { kind: 'rename-column', column: 'old', to: 'new' },
      { kind: 'add-constraint', constraint: 'foreign-key', name: 'users_org_id_foreign', text: "t.foreign('org_id').references('orgs.id')" },
      { kind: 'drop-constraint', name: 'users_org_id_foreign' },
      { kind: 'add-constraint', constraint: 'primary-key', name: 'users_pkey', notNullColumns: ['id'] },
      { kind: 'drop-constraint', name: 'users_pkey' },
      { kind: 'drop-not-null', column: 'email' },
      { kind: 'set-not-null', column: 'email' },
      { kind: 'add-constraint', constraint: 'check', name: 'email_nn', notNullColumns: ['email'], validated: true },
      { kind: 'drop-column', column: 'created_at' },
      { kind: 'drop-column', column: 'updated_at' },
    ],
  },
  {
    name: 'sqlite: unique becomes a unique index, dropUnique drops an index',
    dialect: 'sqlite',
    src: `exports.up = (knex) => knex.schema.alterTable('users', (t) => {
  t.unique('email');
  t.dropUnique('email');
  t.increments('n');
});`,
    up: [
      { kind: 'create-index', unique: true, name: 'users_email_unique', columns: ['email'] },
      { kind: 'drop-index', name: 'users_email_unique' },
      { kind: 'add-column', column: { name: 'n', type: 'integer' } },
    ],
  },
  {
    name: 'createTableIfNotExists and createTableLike',
    src: `exports.up = async (knex) => {
  await knex.schema.createTableIfNotExists('a', (t) => { t.text('x'); });
  await knex.schema.createTableLike('b', 'a', (t) => { t.text('y'); });
};`,
    up: [
      { kind: 'create-table', table: { name: 'a' }, ifNotExists: true, columns: [{ name: 'x' }] },
      { kind: 'create-table', table: { name: 'b' }, ifNotExists: false, columns: [{ name: 'y' }] },
    ],
  },
  {
    name: 'schema methods without a normalized operation are "other"',
    src: `exports.up = async (knex) => {
  await knex.schema.createExtensionIfNotExists('pgcrypto');
  await knex.schema.createSchema('reporting');
  await knex.schema.dropViewIfExists('active_users');
};`,
    up: [
      { kind: 'other', statement: 'knex.schema.createExtensionIfNotExists', text: "knex.schema.createExtensionIfNotExists('pgcrypto')" },
      { kind: 'other', statement: 'knex.schema.createSchema' },
      { kind: 'other', statement: 'knex.schema.dropViewIfExists' },
    ],
  },
];

// ------------------------------------------------------------------ data changes

const DATA: Row[] = [
  {
    name: 'update / delete / insert / truncate through the query builder',
    src: `exports.up = async (knex) => {
  await knex('users').update({ status: 'active', plan: knex.raw('?', ['free']) });
  await knex('users').where('id', 1).update('nickname', 'x');
  await knex('users').update({ a: 1 }).whereNull('a');
  await knex('sessions').del();
  await knex('sessions').where({ expired: true }).delete();
  await knex('users').insert({ email: 'a@b.c', status: 'x' });
  await knex('users').insert([{ email: 'a' }, { email: 'b', name: 'n' }]);
  await knex.into('archive').insert(knex('users').select('id'));
  await knex('audit_log').truncate();
  await knex('counters').increment('n', 1);
  const rows = await knex('users').select('id');
};`,
    types: [
      'knex.query.update', 'knex.query.update', 'knex.query.update', 'knex.query.delete', 'knex.query.delete',
      'knex.query.insert', 'knex.query.insert', 'knex.query.insert', 'knex.query.truncate', 'knex.query.increment',
    ],
    up: [
      { kind: 'update', table: users, columns: ['status', 'plan'], hasWhere: false, text: "knex('users').update({ status: 'active', plan: knex.raw('?', ['free']) })" },
      { kind: 'update', columns: ['nickname'], hasWhere: true, text: "knex('users').where('id', 1).update('nickname', 'x')" },
      { kind: 'update', columns: ['a'], hasWhere: true, text: "knex('users').update({ a: 1 }).whereNull('a')" },
      { kind: 'delete', table: { name: 'sessions' }, hasWhere: false, text: "knex('sessions').del()" },
      { kind: 'delete', hasWhere: true },
      { kind: 'insert', table: users, columns: ['email', 'status'] },
      { kind: 'insert', columns: ['email', 'name'] },
      { kind: 'insert', table: { name: 'archive' }, columns: null, fromTable: users },
      { kind: 'truncate', tables: [{ name: 'audit_log' }], cascade: false, text: "knex('audit_log').truncate()" },
      { kind: 'update', table: { name: 'counters' }, columns: ['n'] },
    ],
  },
  {
    name: 'where-calls become the WHERE predicate of updates and deletes (AND binds tighter than orWhere)',
    src: `exports.up = async (knex) => {
  await knex('acc').where({ kind: 'person', 'acc.active': true }).update({ owner: 1 });
  await knex('acc').whereNot('kind', 'person').orWhereNull('kind').update({ owner: 2 });
  await knex('b').where('n', '>', 0).where('m', 1).orWhere('n', 'is', null).del();
  await knex('b').whereIn('n', [1, 2]).whereNotBetween('m', [0, 9]).update({ v: 1 });
  await knex('b').where((q) => q.where('n', 1)).update({ v: 2 });
  await knex('b').where('n', someValue).update({ v: 3 });
};`,
    up: [
      { kind: 'update', where: { kind: 'and', args: [{ kind: 'compare', column: 'kind', op: '=', value: 'person' }, { kind: 'compare', column: 'active', op: '=', value: true }] } },
      { kind: 'update', where: { kind: 'or', args: [{ kind: 'not', arg: { kind: 'compare', column: 'kind', op: '=', value: 'person' } }, { kind: 'null-test', column: 'kind', negated: false }] } },
      {
        kind: 'delete',
        where: { kind: 'or', args: [{ kind: 'and', args: [{ kind: 'compare', column: 'n', op: '>', value: 0 }, { kind: 'compare', column: 'm', op: '=', value: 1 }] }, { kind: 'null-test', column: 'n', negated: false }] },
      },
      {
        kind: 'update',
        where: {
          kind: 'and',
          args: [
            { kind: 'or', args: [{ kind: 'compare', column: 'n', op: '=', value: 1 }, { kind: 'compare', column: 'n', op: '=', value: 2 }] },
            { kind: 'not', arg: { kind: 'and', args: [{ kind: 'compare', column: 'm', op: '>=', value: 0 }, { kind: 'compare', column: 'm', op: '<=', value: 9 }] } },
          ],
        },
      },
      { kind: 'update', where: { kind: 'unknown' } },
      { kind: 'update', where: { kind: 'unknown' } },
    ],
  },
];

// ------------------------------------------------------------------ raw SQL

const RAW: Row[] = [
  {
    name: 'knex.raw and knex.schema.raw with a string literal: parseRawSql gets the content span',
    src: `exports.up = async (knex) => {
  await knex.raw('TRUNCATE audit_log');
  await knex.schema.raw("CREATE INDEX CONCURRENTLY i ON users (email)");
};`,
    raw: [
      { sql: 'TRUNCATE audit_log', at: 'TRUNCATE audit_log' },
      { sql: 'CREATE INDEX CONCURRENTLY i ON users (email)', at: 'CREATE INDEX CONCURRENTLY i ON users (email)' },
    ],
    up: [
      { kind: 'other', statement: 'TRUNCATE audit_log' },
      { kind: 'other', statement: 'CREATE INDEX CONCURRENTLY i ON users (email)' },
    ],
  },
  {
    name: 'template literal without substitutions, escapes padded to keep offsets',
    src: 'exports.up = async (knex) => {\n  await knex.raw(`\n    ALTER TABLE users\n      DROP COLUMN x;\n  `);\n  await knex.raw(\'SELECT \\\'a\\\'\\n\');\n};',
    raw: [
      { sql: '\n    ALTER TABLE users\n      DROP COLUMN x;\n  ', at: '\n    ALTER TABLE users\n      DROP COLUMN x;\n  ' },
      // Each escape keeps its width: the decoded character, then spaces.
      { sql: "SELECT ' a' \n ", at: "SELECT \\'a\\'\\n" },
    ],
  },
  {
    name: 'static bindings are inlined as literals (wider ones parsed alone); unknown ones become 0; \\? is a question mark',
    src: `exports.up = async (knex) => {
  await knex.raw('UPDATE users SET a = ? WHERE id = ?', [1, 2]);
  await knex.raw('UPDATE users SET a = :val WHERE b::text = :b', { val: 1, b: 'x' });
  await knex.raw('UPDATE users SET a = ? WHERE id = ?', [input, 2]);
  await knex.raw("SELECT '{}'::jsonb \\\\? 'k'");
};`,
    raw: [
      { sql: 'UPDATE users SET a = 1 WHERE id = 2', at: 'UPDATE users SET a = ? WHERE id = ?' },
      { sql: "UPDATE users SET a = 1 WHERE b::text = 'x'", at: 'UPDATE users SET a = :val WHERE b::text = :b' },
      { sql: 'UPDATE users SET a = 0 WHERE id = 2', at: 'UPDATE users SET a = ? WHERE id = ?' },
      { sql: "SELECT '{}'::jsonb ?   'k'", at: "SELECT '{}'::jsonb \\\\? 'k'" },
    ],
  },
  {
    name: 'a constant holding SQL, and a concatenation of literals, are parsed where they are written',
    src: `const SQL = 'DROP INDEX users_email_idx';
exports.up = async (knex) => {
  await knex.raw(SQL);
  await knex.raw('ALTER TABLE users ' +
    'DROP COLUMN legacy');
};`,
    raw: [
      { sql: 'DROP INDEX users_email_idx', at: 'DROP INDEX users_email_idx' },
      { sql: "ALTER TABLE users    \n     DROP COLUMN legacy", at: "ALTER TABLE users ' +\n    'DROP COLUMN legacy" },
    ],
  },
  {
    name: 'SQL built from constants only: parsed, spans point at the SQL argument',
    src: 'const T = \'users\';\nexports.up = async (knex) => {\n  await knex.raw(`DROP TABLE ${T}`);\n};',
    up: [{ kind: 'other', statement: 'DROP TABLE users', text: '`DROP TABLE ${T}`' }],
    raw: [{ sql: 'DROP TABLE users ', at: '`DROP TABLE ${T}`' }],
  },
  {
    name: 'knex.raw used as a value is not run on its own',
    src: `exports.up = async (knex) => {
  const now = () => knex.raw('now()');
  await knex.schema.alterTable('users', (t) => { t.timestamp('x').defaultTo(now()); });
  await knex('users').update({ x: knex.raw('now()') }).where(knex.raw('id > 1'));
};`,
    up: [
      { kind: 'add-column', column: { name: 'x', hasDefault: true, constantDefault: false } },
      { kind: 'update', hasWhere: true },
    ],
    raw: [],
  },
];

// ------------------------------------------------------------------ unanalyzable

const UNANALYZABLE: Row[] = [
  {
    name: 'table name from a parameter or an unknown value',
    src: `const { tableName } = require('./config');
exports.up = async (knex) => {
  await knex.schema.dropTable(tableName);
  await knex.schema.alterTable(process.env.T, (t) => { t.dropColumn('x'); });
};`,
    up: [
      { kind: 'unanalyzable', reason: 'table name is not a static string: `tableName`', text: 'knex.schema.dropTable(tableName)' },
      { kind: 'unanalyzable', reason: 'table name is not a static string: `process.env.T`', text: "knex.schema.alterTable(process.env.T, (t) => { t.dropColumn('x'); })" },
    ],
  },
  {
    name: 'computed table name (concatenation with a run-time value)',
    src: `exports.up = async (knex) => { await knex.schema.dropTable(prefix + '_users'); };`,
    up: [{ kind: 'unanalyzable', reason: "table name is not a static string: `prefix + '_users'`", text: "knex.schema.dropTable(prefix + '_users')" }],
  },
  {
    name: 'raw SQL built at run time: template substitution, concatenation, identifier, call',
    src: `exports.up = async (knex) => {
  await knex.raw(\`DROP TABLE \${name}\`);
  await knex.raw('DROP TABLE ' + name);
  await knex.raw(sql);
  await knex.raw(buildSql('users'));
  await knex.schema.raw(\`VACUUM \${t}\`);
};`,
    up: [
      { kind: 'unanalyzable', reason: 'the SQL is built at run time (a template literal with `${...}`)', text: 'knex.raw(`DROP TABLE ${name}`)' },
      { kind: 'unanalyzable', reason: 'the SQL is built at run time (string concatenation with a run-time value)', text: "knex.raw('DROP TABLE ' + name)" },
      { kind: 'unanalyzable', reason: 'the SQL comes from `sql`, which is not a constant string in this file (`sql` is not defined in this file)', text: 'knex.raw(sql)' },
      { kind: 'unanalyzable', reason: 'the SQL is built at run time by `buildSql`', text: "knex.raw(buildSql('users'))" },
      { kind: 'unanalyzable', reason: 'the SQL is built at run time (a template literal with `${...}`)', text: 'knex.schema.raw(`VACUUM ${t}`)' },
    ],
    raw: [],
  },
  {
    name: 'loops over run-time values: what depends on the loop is unanalyzable, static calls are maybe-run',
    src: `exports.up = async (knex) => {
  for (const t of tables) await knex.schema.dropTable(t);
  for (let i = 0; i < 3; i++) await knex.raw('SELECT 1');
  while (more()) await knex('jobs').limit(100).del();
  tables.forEach((t) => knex.schema.dropTable('fixed'));
  await Promise.all(tables.map((t) => knex.raw(\`VACUUM \${t}\`)));
  for (const row of await knex('users').select('id', 'email')) {
    await knex('users').where('id', row.id).update({ nickname: row.email });
  }
};`,
    up: [
      { kind: 'unanalyzable', reason: 'table name is not a static string: `t`, inside `for (const t of tables)`', text: 'knex.schema.dropTable(t)' },
      { kind: 'other', statement: 'SELECT 1', text: 'SELECT 1' },
      { kind: 'delete', table: { name: 'jobs' }, hasWhere: false, text: "knex('jobs').limit(100).del()" },
      { kind: 'drop-table', table: { name: 'fixed' }, text: "knex.schema.dropTable('fixed')" },
      { kind: 'unanalyzable', reason: 'the SQL is built at run time (a template literal with `${...}`), inside `tables.map()`', text: 'knex.raw(`VACUUM ${t}`)' },
      // A backfill in batches: the update is known even though the rows are not.
      { kind: 'update', table: users, columns: ['nickname'], hasWhere: true },
    ],
    raw: [{ sql: 'SELECT 1', at: 'SELECT 1' }],
  },
  {
    name: 'loops inside a table callback',
    src: `exports.up = (knex) => knex.schema.alterTable('users', (t) => {
  t.string('kept');
  cols.forEach((c) => t.string(c));
  for (const c of cols) t.dropColumn(c);
});`,
    up: [
      { kind: 'add-column', column: { name: 'kept' } },
      { kind: 'unanalyzable', reason: 'column name is not a static string: `c`, inside `cols.forEach()`', text: 't.string(c)' },
      { kind: 'unanalyzable', reason: 'column name is not a static string: `c`, inside `for (const c of cols)`', text: 't.dropColumn(c)' },
    ],
  },
  {
    name: 'imported helpers receiving knex or the table builder',
    path: 'm.ts',
    src: `import { addTimestamps, seed } from '../lib/helpers';
import * as h from '../lib/more';
export async function up(knex) {
  await seed(knex, 'users');
  await h.renameAll(knex.schema);
  await knex.schema.createTable('a', (t) => { t.increments(); addTimestamps(t); });
  await new Migrator(knex).run();
}`,
    up: [
      { kind: 'unanalyzable', reason: 'passes `knex` to `seed()`, which is imported or not defined in this file; its changes cannot be seen statically', text: "seed(knex, 'users')" },
      { kind: 'unanalyzable', reason: 'passes `knex` to `h.renameAll()`, which is imported or not defined in this file; its changes cannot be seen statically', text: 'h.renameAll(knex.schema)' },
      { kind: 'create-table', table: { name: 'a' }, columns: [{ name: 'id' }] },
      { kind: 'unanalyzable', reason: 'passes the table builder to `addTimestamps()`, which is imported or not defined in this file; its changes cannot be seen statically', text: 'addTimestamps(t)' },
      { kind: 'unanalyzable', reason: 'passes `knex` to `Migrator()`, which is imported or not defined in this file; its changes cannot be seen statically', text: 'new Migrator(knex)' },
    ],
  },
  {
    name: 'column names, targets and columns of updates known only at run time',
    src: `exports.up = async (knex) => {
  await knex.schema.alterTable('users', (t) => {
    t.string(col).notNullable();
    t.dropColumn(other);
    t.renameColumn('a', b);
    t.index(cols);
  });
  await knex('users').update(data);
  await knex('users').update({ ...data, a: 1 });
  await knex(table).del();
};`,
    up: [
      { kind: 'unanalyzable', reason: 'column name is not a static string: `col`', text: 't.string(col)' },
      { kind: 'unanalyzable', reason: 'column name is not a static string: `other`', text: 't.dropColumn(other)' },
      { kind: 'unanalyzable', reason: 'column name is not a static string: `b`', text: "t.renameColumn('a', b)" },
      { kind: 'unanalyzable', reason: 'index() columns are not static: `cols`' },
      { kind: 'unanalyzable', reason: 'the updated columns are known only at run time: `data`', text: "knex('users').update(data)" },
      { kind: 'unanalyzable', reason: 'the updated columns are not all static: `{ ...data, a: 1 }`' },
      { kind: 'unanalyzable', reason: 'table name is not a static string: `table`', text: 'knex(table).del()' },
    ],
  },
  {
    name: 'unknown schema/table methods, dynamic withSchema, identifier bindings, table callback not in the file',
    src: `const { build } = require('./b');
exports.up = async (knex) => {
  await knex.schema.createFancyTable('x');
  await knex.schema.alterTable('users', (t) => { t.frobnicate('x'); });
  await knex.schema.withSchema(tenant).dropTable('users');
  await knex.raw('DROP TABLE ??', [name]);
  await knex.schema.createTable('b', build);
  await knex.schema[method]('users');
};`,
    up: [
      { kind: 'unanalyzable', reason: '`createFancyTable` is not a Knex schema builder method migralint knows', text: "knex.schema.createFancyTable('x')" },
      { kind: 'unanalyzable', reason: '`frobnicate` is not a Knex table builder method migralint knows', text: "t.frobnicate('x')" },
      { kind: 'unanalyzable', reason: 'the schema name is not a static string: `tenant`', text: "knex.schema.withSchema(tenant).dropTable('users')" },
      { kind: 'unanalyzable', reason: 'the SQL uses a `??` identifier binding, known only at run time', text: "knex.raw('DROP TABLE ??', [name])" },
      { kind: 'create-table', table: { name: 'b' }, columns: [] },
      { kind: 'unanalyzable', reason: 'the table callback is not a function defined in this file: `build`', text: "knex.schema.createTable('b', build)" },
      { kind: 'unanalyzable', reason: 'calls a method whose name is known only at run time: `knex.schema[method]`', text: "knex.schema[method]('users')" },
    ],
    raw: [],
  },
  {
    name: 'an up export that is not a function in this file',
    src: `exports.up = require('./shared').up;
exports.down = makeDown('users');`,
    up: [{ kind: 'unanalyzable', reason: 'the `up` export is not a function defined in this file', text: "require('./shared').up" }],
    down: [{ kind: 'unanalyzable', reason: 'the `down` export is not a function defined in this file', text: "makeDown('users')" }],
  },
  {
    name: 'Knex calls never reached (a helper never called) and recursion are reported, not skipped',
    src: `exports.up = async (knex) => {
  const later = () => knex.schema.dropTable('a');
  async function again(k) { await k.schema.dropTable('b'); await again(k); }
  await again(knex);
};`,
    up: [
      { kind: 'drop-table', table: { name: 'b' } },
      { kind: 'unanalyzable', reason: 'calls `again` recursively', text: 'again(k)' },
      {
        kind: 'unanalyzable',
        reason: 'this Knex call is not reached by static interpretation (it is in a function migralint does not see called, or in code it does not follow)',
        text: "knex.schema.dropTable('a')",
      },
    ],
  },
];

describe('interpretKnexFile', () => {
  for (const [group, rows] of Object.entries({ EXPORT_SHAPES, FLOW, TABLE_BUILDER, DATA, RAW, UNANALYZABLE })) {
    describe(group, () => {
      for (const row of rows) it(row.name, () => check(row));
    });
  }

  it('reads config.transaction in every export shape', () => {
    const shapes = [
      'exports.config = { transaction: false };\nexports.up = (knex) => knex.raw("SELECT 1");',
      'module.exports = { config: { transaction: false }, up: (knex) => knex.raw("SELECT 1") };',
      'export const config = { transaction: false };\nexport const up = (knex) => knex.raw("SELECT 1");',
    ];
    for (const src of shapes) expect(analyse(src, { path: 'm.ts' }).a.transaction).toBe('none');
    expect(analyse('exports.up = (knex) => knex.raw("SELECT 1");').a.transaction).toBe('transaction');
    expect(analyse('exports.config = { transaction: true };\nexports.up = () => {};').a.transaction).toBe('transaction');
  });

  it('gives the up/down function span, and counts analysed operations', () => {
    const src = `exports.up = async function (knex) {
  await knex.schema.dropTable('a');
  await knex.schema.dropTable(name);
};
exports.down = (knex) => knex.schema.createTable('a', (t) => { t.increments(); });`;
    const { a } = analyse(src);
    expect(src.slice(a.upSpan!.start, a.upSpan!.end)).toMatch(/^async function \(knex\) \{[\s\S]*\}$/);
    expect(src.slice(a.downSpan!.start, a.downSpan!.end)).toBe("(knex) => knex.schema.createTable('a', (t) => { t.increments(); })");
    expect([a.analyzed, a.total]).toEqual([2, 3]);
  });

  it('reports JS syntax errors as syntax-error findings', () => {
    const src = "exports.up = function (knex) {\n  return knex.schema.dropTable('a';\n};";
    const { a } = analyse(src);
    expect(a.findings.length).toBeGreaterThan(0);
    expect(a.findings[0]!.ruleId).toBe('syntax-error');
    expect(a.findings[0]!.message).toMatch(/syntax error/i);
    expect(a.findings[0]!.span.start).toBeGreaterThan(src.indexOf("'a'"));
  });

  it('spans are UTF-16 indices (multi-byte characters before the call)', () => {
    const src = "// 😀 ünïcödé — ☃\nexports.up = (knex) => knex.schema.dropTable('tâblé😀');";
    const { a, file } = analyse(src);
    const op = a.up![0]!.ops[0]!;
    expect(file.text.slice(op.span.start, op.span.end)).toBe("knex.schema.dropTable('tâblé😀')");
    expect(op).toMatchObject({ kind: 'drop-table', table: { name: 'tâblé😀' } });
  });

  it('keeps the builder calls on the statement for replay', () => {
    const { a } = analyse(`exports.up = (knex) => knex.schema.withSchema('s').alterTable('users', (t) => {
  t.string('x', 10).notNullable().defaultTo('a');
  t.dropColumn('y');
});`);
    const ast = a.up![0]!.ast;
    expect(isKnexAst(ast)).toBe(true);
    expect(ast).toEqual({
      source: 'knex',
      kind: 'schema',
      schema: 's',
      calls: [
        {
          m: 'alterTable',
          args: [
            { t: 'lit', v: 'users' },
            {
              t: 'callback',
              chains: [
                [
                  { m: 'string', args: [{ t: 'lit', v: 'x' }, { t: 'lit', v: 10 }] },
                  { m: 'notNullable', args: [] },
                  { m: 'defaultTo', args: [{ t: 'lit', v: 'a' }] },
                ],
                [{ m: 'dropColumn', args: [{ t: 'lit', v: 'y' }] }],
              ],
            },
          ],
        },
      ],
    });
  });
});

describe('with the real Postgres parser (createRawSqlParser)', () => {
  it('maps SQL spans, errors included, back into the JS file', async () => {
    const parser = createRawSqlParser(await createPostgresParser());
    const src = `// ✓ ünïcode first
exports.up = async (knex) => {
  await knex.raw(\`
    CREATE INDEX CONCURRENTLY "ïdx" ON users (email);
    TRUNCATE audit_log;
  \`);
  await knex.raw('UPDATE users SET a = ? WHERE id = ?', [1, 2]);
  await knex.raw("ALTER TABLE users ADD COLUMN b int NOT NULL, DROP COLUMN c");
  await knex.raw('SELEKT 1');
};`;
    const file: SourceFile = { path: '/p/m.js', relPath: 'm.js', text: src };
    const a = interpretKnexFile(file, 'postgres', parser.parseRawSql);
    const ops = a.up!.flatMap((s) => s.ops.map((op) => [op.kind, src.slice(op.span.start, op.span.end)]));
    expect(ops).toEqual([
      ['create-index', 'CREATE INDEX CONCURRENTLY "ïdx" ON users (email)'],
      ['truncate', 'TRUNCATE audit_log'],
      ['update', 'UPDATE users SET a = ? WHERE id = ?'],
      ['add-column', 'ADD COLUMN b int NOT NULL'],
      ['drop-column', 'DROP COLUMN c'],
    ]);
    expect(a.up!.every((s) => s.span.file === file)).toBe(true);
    expect(knexRawOf(a.up![0]!)).toMatchObject({ sql: expect.stringContaining('CREATE INDEX CONCURRENTLY'), span: { start: src.indexOf('knex.raw(`') } });
    expect(parser.errors).toHaveLength(1);
    const err = parser.errors[0]!;
    expect(err.span.file).toBe(file);
    expect(src.slice(err.span.start, err.span.end)).toBe('SELEKT');
  });
});

describe('looksLikeKnexMigration', () => {
  const yes = [
    'exports.up = function(knex) {\n};\nexports.down = function(knex) {\n};',
    'import type { Knex } from "knex";\nexport async function up(knex: Knex): Promise<void> {}',
    'export const up = async (db) => { await db.schema.createTable("a", () => {}); };',
    'module.exports = {\n  async up(knex) {},\n  async down(knex) {},\n};',
    'exports.up = (db) => db.schema.alterTable("users", (t) => t.dropColumn("x"));',
  ];
  const no = [
    'CREATE TABLE users (id int);',
    'exports.up = (pgm) => { pgm.createTable("users", { id: "id" }); };',
    'module.exports = { up: async (queryInterface, Sequelize) => { await queryInterface.createTable("users", {}); } };',
    'exports.up = function(db, callback) { db.createTable("users", {}, callback); };',
    'export default defineConfig({ schema: "./schema.ts" });',
    'const knex = require("knex")(config);\nmodule.exports = knex;',
  ];
  for (const t of yes) it(`yes: ${t.split('\n')[0]}`, () => expect(looksLikeKnexMigration(t)).toBe(true));
  for (const t of no) it(`no: ${t.split('\n')[0]}`, () => expect(looksLikeKnexMigration(t)).toBe(false));
});

describe('knex update: whereNull as the only condition is a full backfill', () => {
  it('records the column of .whereNull() and nothing for other conditions', async () => {
    const { interpretKnexFile } = await import('../src/sources/knex/interpret.js');
    const text = "exports.up = async (knex) => {\n  await knex('users').whereNull('email').update({ email: 'x' });\n  await knex('users').where('id', '<', 10).update({ email: 'x' });\n};\nexports.down = async () => {};\n";
    const a = interpretKnexFile({ path: '/m/1.js', relPath: 'm/1.js', text }, 'postgres', () => []);
    const updates = (a.up ?? []).flatMap((s) => s.ops).filter((op) => op.kind === 'update');
    expect(updates.map((op) => (op.kind === 'update' ? [op.hasWhere, op.nullOnly] : null))).toEqual([
      [true, 'email'],
      [true, undefined],
    ]);
  });
});
