/**
 * The hostile fixtures (fixtures/hostile/): Knex migrations and knexfiles that would write a
 * sentinel file if any of their code ever ran. Every one writes to the path in the environment
 * variable MIGRALINT_SENTINEL (with a suffix naming the trick), so a test points that variable at
 * a fresh temporary path, runs migralint over the fixtures any way it likes, and checks that
 * nothing was written:
 *
 *   const s = sentinel();                       // sets process.env.MIGRALINT_SENTINEL too
 *   runCli(['check', hostilePath('knex')], { cwd, env: s.env });
 *   s.assertUntouched();
 *
 * Reuse them for any path that reads or replays migrations (`--confirm` included): add a run,
 * not a copy of the fixtures.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FIXTURES } from './cli.js';

export const HOSTILE_ROOT = path.join(FIXTURES, 'hostile');

/** A folder of fixtures/hostile: `knex` (a knexfile + hostile migrations), `knexfile`, `knexfile-ts`. */
export type HostileSet = 'knex' | 'knexfile' | 'knexfile-ts';
export const HOSTILE_SETS: readonly HostileSet[] = ['knex', 'knexfile', 'knexfile-ts'];

export interface HostileMigration {
  /** Path relative to fixtures/hostile. */
  readonly rel: string;
  /** What it tries. */
  readonly tries: string;
  /** Knex calls in it that must come out as `unanalyzable-statement` (1-based lines). */
  readonly unanalyzableLines: readonly number[];
}

export const HOSTILE_MIGRATIONS: readonly HostileMigration[] = [
  { rel: 'knex/migrations/01_lookup_getter.js', tries: "the issue's __lookupGetter__('or').constructor(code).call() chain", unanalyzableLines: [3, 10] },
  { rel: 'knex/migrations/02_constructor.js', tries: 'constructor on schema, table, column, foreign-key and knex.fn', unanalyzableLines: [3, 4, 7, 8, 9, 11] },
  { rel: 'knex/migrations/03_proto.js', tries: '__proto__ read from a builder, and as an object key handed to Knex', unanalyzableLines: [3, 4, 5, 6, 7] },
  { rel: 'knex/migrations/04_define_getter.js', tries: '__defineGetter__, __lookupSetter__, __defineSetter__, Object.defineProperty(knex)', unanalyzableLines: [3, 6, 7, 8] },
  { rel: 'knex/migrations/05_eval.js', tries: 'eval and indirect eval (top level, up, arguments)', unanalyzableLines: [6, 8] },
  { rel: 'knex/migrations/06_function.js', tries: 'Function, new Function, apply/bind/toString/valueOf on builders', unanalyzableLines: [7, 8, 10, 11] },
  { rel: 'knex/migrations/07_child_process.js', tries: 'child_process at the top level, in up() and in a column name', unanalyzableLines: [8] },
  { rel: 'knex/migrations/08_get_builtin.mjs', tries: "process.getBuiltinModule('fs'), globalThis['process']", unanalyzableLines: [6] },
  { rel: 'knex/migrations/09_dynamic_import.mjs', tries: 'import() with top-level await, in up(), as SQL and as a table', unanalyzableLines: [7, 8] },
  { rel: 'knex/migrations/10_top_level.js', tries: 'an IIFE, getters on exports and on the export object', unanalyzableLines: [10] },
  { rel: 'knex/migrations/11_typescript.ts', tries: 'the same tricks in TypeScript behind casts', unanalyzableLines: [6, 7, 9, 10] },
  {
    rel: 'knex/migrations/13_imported_helper.ts',
    tries: 'helpers imported from ../lib/helpers.js, which writes at its top level and in its functions (require, constructor, getBuiltinModule)',
    unanalyzableLines: [7, 8, 9],
  },
];

/** The hostile knexfiles (each beside a harmless migration that must still be linted). */
export const HOSTILE_KNEXFILES: readonly string[] = ['knexfile/knexfile.js', 'knexfile-ts/knexfile.ts'];

/** Good migrations beside the hostile ones: [path relative to fixtures/hostile, rule that must fire]. */
export const HOSTILE_GOOD: readonly [string, string][] = [
  ['knex/migrations/12_good.js', 'no-drop-table'],
  ['knexfile/migrations/20240101000000_add_index.js', 'require-concurrent-index'],
  ['knexfile-ts/db/20240101000000_drop.ts', 'no-drop-table'],
];

export function hostilePath(rel: string): string {
  return path.join(HOSTILE_ROOT, rel);
}

export interface Sentinel {
  /** The path every fixture would write to (it and anything starting with it). */
  readonly path: string;
  /** Environment for a child process: `{ MIGRALINT_SENTINEL: path }`. */
  readonly env: Record<string, string>;
  /** Fails naming what was written (the fixture and trick) when anything was. */
  assertUntouched(): void;
  /** Removes the temporary directory and restores process.env. */
  dispose(): void;
}

/** A fresh sentinel path in a temporary directory; also set as process.env.MIGRALINT_SENTINEL. */
export function sentinel(): Sentinel {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'migralint-sentinel-'));
  const p = path.join(dir, 'SENTINEL');
  const previous = process.env.MIGRALINT_SENTINEL;
  process.env.MIGRALINT_SENTINEL = p;
  return {
    path: p,
    env: { MIGRALINT_SENTINEL: p },
    assertUntouched() {
      const written = readdirSync(dir);
      if (written.length > 0) {
        const what = written.map((f) => `${f}: ${readFileSync(path.join(dir, f), 'utf8')}`).join('; ');
        throw new Error(`a hostile fixture ran: ${what}`);
      }
      if (existsSync(p)) throw new Error('a hostile fixture ran');
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
      if (previous === undefined) delete process.env.MIGRALINT_SENTINEL;
      else process.env.MIGRALINT_SENTINEL = previous;
    },
  };
}
