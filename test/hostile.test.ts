/**
 * Nothing a migration contains ever runs: the hostile fixtures (fixtures/hostile, listed in
 * test/helpers/hostile.ts) go through `migralint check` in every format, `migralint sql`, the
 * library's check() and knexToSql, and the sentinel file they would write never appears; the
 * hostile Knex calls are reported as unanalyzable-statement, the good migrations beside them are
 * still linted.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, type Io } from '../src/cli/main.js';
import { check } from '../src/check.js';
import type { SourceFile, Span, Statement } from '../src/model.js';
import {
  COLUMN_BUILDER_METHODS,
  FN_METHODS,
  FORBIDDEN_NAMES,
  QUERY_BUILDER_METHODS,
  SCHEMA_BUILDER_METHODS,
  TABLE_BUILDER_METHODS,
  knexMethodOf,
} from '../src/sources/knex/allow-list.js';
import { interpretKnexFile } from '../src/sources/knex/interpret.js';
import { knexToSql } from '../src/sources/knex/to-sql.js';
import { readSourceFile } from '../src/discover/read-file.js';
import { copyFixture, jsonReport, removeTempDirs, runCli, withoutDialectNotice } from './helpers/cli.js';
import { HOSTILE_GOOD, HOSTILE_MIGRATIONS, HOSTILE_ROOT, HOSTILE_SETS, sentinel, type Sentinel } from './helpers/hostile.js';

let s: Sentinel;
beforeEach(() => {
  s = sentinel();
});
afterEach(() => {
  try {
    s.assertUntouched();
  } finally {
    s.dispose();
  }
});
afterAll(removeTempDirs);

const ALL_FORMATS = ['text', 'json', 'sarif', 'github'] as const;

describe('migralint check over the hostile fixtures', () => {
  it.each(ALL_FORMATS)('--format %s: nothing runs, the hostile calls are unanalyzable, the good migrations are linted', (format) => {
    const tree = copyFixture('hostile');
    const r = runCli(['check', ...HOSTILE_SETS, '--format', format], { cwd: tree, env: s.env });
    s.assertUntouched();
    expect(r.status).toBe(1);
    expect(withoutDialectNotice(r.stderr)).toBe('');
    if (format === 'json') {
      const report = jsonReport(r);
      for (const m of HOSTILE_MIGRATIONS) {
        const lines = report.findings.filter((f) => f.file === m.rel && f.ruleId === 'unanalyzable-statement').map((f) => f.line);
        expect([m.rel, lines]).toEqual([m.rel, m.unanalyzableLines]);
      }
      for (const [rel, rule] of HOSTILE_GOOD) expect(report.findings.some((f) => f.file === rel && f.ruleId === rule)).toBe(true);
      expect(report.fileProblems).toEqual([]);
    } else if (format === 'sarif') {
      const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
      const results = sarif.runs[0]!.results.map((x) => [x.locations[0]!.physicalLocation.artifactLocation.uri, x.ruleId]);
      for (const [rel, rule] of HOSTILE_GOOD) expect(results).toContainEqual([rel, rule]);
      for (const m of HOSTILE_MIGRATIONS) expect(results).toContainEqual([m.rel, 'unanalyzable-statement']);
    } else {
      for (const [rel] of HOSTILE_GOOD) expect(r.stdout).toContain(rel);
      for (const m of HOSTILE_MIGRATIONS) expect(r.stdout).toContain(m.rel);
    }
  });
});

describe('a helper module the migration imports', () => {
  it('is read, never required: its dialect check decides the branch, the helpers that would run code are unanalyzable', () => {
    const tree = copyFixture('hostile');
    const r = runCli(['check', 'knex', '--format', 'json'], { cwd: tree, env: s.env });
    s.assertUntouched();
    const rel = 'knex/migrations/13_imported_helper.ts';
    const report = jsonReport(r);
    expect(report.findings.filter((f) => f.file === rel).map((f) => [f.line, f.column, f.ruleId])).toEqual([
      // `if (isPostgres(knex))`: read through, the branch is not a "maybe".
      [5, 11, 'no-drop-table'],
      [7, 7, 'unanalyzable-statement'],
      [7, 27, 'no-drop-table'],
      [8, 7, 'unanalyzable-statement'],
      [8, 35, 'no-drop-table'],
      [9, 9, 'unanalyzable-statement'],
    ]);
    expect(report.findings.find((f) => f.file === rel && f.line === 8 && f.ruleId === 'unanalyzable-statement')!.message).toContain('reads `constructor` of a Knex object');
  });
});

function captureIo(cwd: string): Io & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    cwd,
    color: false,
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
  };
  return io;
}

describe('migralint sql over the hostile fixtures', () => {
  it("the issue's chain, through the real CLI: not available, nothing written", () => {
    const r = runCli(['sql', path.join(HOSTILE_ROOT, 'knex/migrations/01_lookup_getter.js')], { cwd: HOSTILE_ROOT, env: s.env });
    s.assertUntouched();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('-- not available: `__lookupGetter__` is not a Knex query builder method migralint knows');
    expect(r.stdout).not.toMatch(/^update /m);
  });

  it.each(HOSTILE_MIGRATIONS.map((m) => [m.rel, m.tries]))('%s (%s): every client', async (rel) => {
    for (const client of ['pg', 'sqlite3', 'mysql2']) {
      const io = captureIo(HOSTILE_ROOT);
      const code = await main(['sql', rel, '--client', client], io);
      s.assertUntouched();
      expect(code).toBeLessThanOrEqual(1);
      expect(io.out).toContain('read statically, not run');
      expect(io.out).toContain('-- not available:');
    }
  });
});

describe('library API over the hostile fixtures', () => {
  it('check() lints the good migrations and runs nothing', async () => {
    const config = { rules: {}, ignore: [], postgresVersion: 14 };
    const result = await check(HOSTILE_SETS, { cwd: HOSTILE_ROOT, config });
    s.assertUntouched();
    const found = result.findings.map((f) => [f.span.file.relPath, f.ruleId]);
    for (const [rel, rule] of HOSTILE_GOOD) expect(found).toContainEqual([rel, rule]);
    for (const m of HOSTILE_MIGRATIONS) expect(found).toContainEqual([m.rel, 'unanalyzable-statement']);
  });

  it.each(HOSTILE_MIGRATIONS.map((m) => m.rel))('knexToSql(%s) replays no hostile call', async (rel) => {
    const read = readSourceFile(path.join(HOSTILE_ROOT, rel), HOSTILE_ROOT);
    if (!read.ok) throw new Error(read.problem.reason);
    const parseRawSql = (_sql: string, span: Span): Statement[] => [{ span, type: 'RawSql', ops: [] }];
    const a = interpretKnexFile(read.file, 'postgres', parseRawSql);
    for (const stmts of [a.up ?? [], a.down ?? []]) {
      const out = await knexToSql(stmts, 'pg');
      for (const e of out) expect(e.sql).not.toMatch(/__proto__|constructor|__lookupGetter__/);
    }
  });
});

describe('the replay refuses what is not Knex API, whatever the statement says (second guard)', () => {
  const file: SourceFile = { path: '/p/m.js', relPath: 'm.js', text: 'x'.repeat(20) };
  const span: Span = { file, start: 0, end: 1 };
  const code = "process.getBuiltinModule('fs').writeFileSync(process.env.MIGRALINT_SENTINEL, 'forged')";
  const forged = (ast: unknown): Statement[] => [{ span, type: 'knex', ops: [], ast }];
  const lit = (v: string) => ({ t: 'lit', v });

  it.each([
    ['query: __lookupGetter__ chain', { source: 'knex', kind: 'query', calls: [{ m: 'table', args: [lit('t')] }, { m: '__lookupGetter__', args: [lit('or')] }, { m: 'constructor', args: [lit(code)] }, { m: 'call', args: [] }] }],
    ['query: constructor first', { source: 'knex', kind: 'query', calls: [{ m: 'constructor', args: [lit(code)] }] }],
    ['query: toString.constructor', { source: 'knex', kind: 'query', calls: [{ m: 'table', args: [lit('t')] }, { m: 'toString', args: [] }] }],
    ['schema: constructor', { source: 'knex', kind: 'schema', calls: [{ m: 'constructor', args: [lit(code)] }] }],
    ['schema: an EventEmitter method', { source: 'knex', kind: 'schema', calls: [{ m: 'on', args: [lit('query')] }] }],
    ['table callback: constructor', { source: 'knex', kind: 'schema', calls: [{ m: 'createTable', args: [lit('t'), { t: 'callback', chains: [[{ m: 'constructor', args: [lit(code)] }]] }] }] }],
    ['column: __defineGetter__', { source: 'knex', kind: 'schema', calls: [{ m: 'createTable', args: [lit('t'), { t: 'callback', chains: [[{ m: 'string', args: [lit('a')] }, { m: '__defineGetter__', args: [lit('x'), lit(code)] }]] }] }] }],
    ['knex.fn.constructor', { source: 'knex', kind: 'query', calls: [{ m: 'table', args: [lit('t')] }, { m: 'update', args: [{ t: 'object', entries: [['a', { t: 'fn', name: 'constructor', args: [lit(code)] }]] }] }] }],
    ['__proto__ key', { source: 'knex', kind: 'query', calls: [{ m: 'table', args: [lit('t')] }, { m: 'insert', args: [{ t: 'object', entries: [['__proto__', lit('x')]] }] }] }],
    ['withSchema through schema name', { source: 'knex', kind: 'schema', schema: 's', calls: [{ m: 'valueOf', args: [] }] }],
  ])('%s', async (_name, ast) => {
    const out = await knexToSql(forged(ast), 'pg');
    s.assertUntouched();
    expect(out).toHaveLength(1);
    expect(out[0]!.sql).toBe('');
    expect(out[0]!.unavailable).toMatch(/not a Knex .* migralint replays|`__proto__` is not replayed/);
  });

  it('a normal chain still compiles (the guard is not a blanket refusal)', async () => {
    const ast = { source: 'knex', kind: 'query', calls: [{ m: 'table', args: [lit('t')] }, { m: 'whereNull', args: [lit('a')] }, { m: 'update', args: [{ t: 'lit', v: { a: 1 } }] }] };
    expect((await knexToSql(forged(ast), 'pg')).map((e) => e.sql)).toEqual(['update "t" set "a" = 1 where "a" is null']);
  });
});

describe('the allow-list', () => {
  const lists = { SCHEMA_BUILDER_METHODS, TABLE_BUILDER_METHODS, COLUMN_BUILDER_METHODS, QUERY_BUILDER_METHODS, FN_METHODS };

  it.each(Object.entries(lists))('%s holds no Object/Function prototype name', (_name, list) => {
    expect([...list].filter((n) => FORBIDDEN_NAMES.has(n))).toEqual([]);
    for (const n of ['constructor', '__proto__', '__lookupGetter__', '__defineGetter__', 'prototype', 'call', 'apply', 'bind', 'toString', 'valueOf']) {
      expect(FORBIDDEN_NAMES.has(n)).toBe(true);
    }
  });

  it("every listed name is a method of the real Knex builder of that kind (Knex's API, no typos)", async () => {
    const mod = await import('knex');
    const k = (mod.knex ?? mod.default)({ client: 'pg' });
    const missing: string[] = [];
    const expectAll = (kind: string, target: object, names: ReadonlySet<string>) => {
      for (const n of names) if (typeof (target as Record<string, unknown>)[n] !== 'function') missing.push(`${kind}.${n}`);
    };
    expectAll('schema', k.schema, SCHEMA_BUILDER_METHODS);
    let table: object | undefined;
    let column: object | undefined;
    let referenced: object | undefined;
    k.schema.alterTable('t', (t) => {
      table = t;
      const c = t.integer('x');
      column = c;
      referenced = c.references('id');
    }).toSQL();
    expectAll('table', table!, TABLE_BUILDER_METHODS);
    // The foreign-key chain's `inTable`/`on` live on what `references()` returns.
    expectAll('column', column!, new Set([...COLUMN_BUILDER_METHODS].filter((n) => n !== 'inTable' && n !== 'on')));
    expectAll('references()', referenced!, new Set(['inTable', 'on']));
    const q = k.queryBuilder();
    expectAll('query', q, new Set([...QUERY_BUILDER_METHODS].filter((n) => n !== 'merge' && n !== 'ignore')));
    expectAll('onConflict', k('t').insert({ a: 1 }).onConflict('a'), new Set(['merge', 'ignore']));
    expectAll('fn', k.fn, FN_METHODS);
    expect(missing).toEqual([]);
  });

  it('knexMethodOf never returns a prototype function or runs a getter', () => {
    let ran = false;
    const target = Object.create({ where() {} }) as object;
    Object.defineProperty(target, 'select', { get: () => ((ran = true), () => {}) });
    expect(knexMethodOf('query', target, 'where')).toBeTypeOf('function');
    expect(knexMethodOf('query', target, 'select')).toBeUndefined();
    expect(ran).toBe(false);
    expect(knexMethodOf('query', target, 'constructor')).toBeUndefined();
    expect(knexMethodOf('query', { where: Function }, 'where')).toBeUndefined();
    expect(knexMethodOf('query', { where: Object.prototype.toString }, 'where')).toBeUndefined();
  });
});
