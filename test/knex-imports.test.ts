/**
 * Names a Knex migration imports from the project's other modules, followed statically
 * (fixtures/knex/imports): ES imports, require(), re-exports, enums, object constants. Never
 * executed, never outside the project, cycle-safe.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, findingTuples, makeTempDir, removeTempDirs, runCli, writeTree } from './helpers/cli.js';

afterAll(removeTempDirs);

const M = 'src/db/migrations';

describe('fixtures/knex/imports', () => {
  it('the dangers behind imported names are reported, not hidden as unanalyzable', () => {
    const dir = copyFixture('knex/imports');
    const r = runCli(['check', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(findingTuples(r)).toEqual([
      [`${M}/20240401100000_drop_legacy_cron.js`, 6, 5, 'no-drop-column'],
      [`${M}/20240402100000_truncate_audit.cjs`, 5, 9, 'no-truncate'],
      [`${M}/20240402100000_truncate_audit.cjs`, 8, 5, 'require-not-null-backfill'],
      [`${M}/20240403100000_sessions.ts`, 6, 9, 'no-drop-table'],
    ]);
  });
});

describe('what is not followed', () => {
  const migration = (from: string): string =>
    `const { TABLE } = require('${from}');\nexports.up = async (knex) => {\n  await knex.schema.dropTable(TABLE);\n};\nexports.down = async () => {\n  throw new Error('irreversible');\n};\n`;

  it('never runs the module: top-level side effects do not happen; a function that would run code is not followed', () => {
    const dir = makeTempDir();
    const sentinel = path.join(dir, 'SENTINEL');
    writeTree(dir, {
      'package.json': '{ "dependencies": { "pg": "^8" } }',
      'lib/tables.js': `require('node:fs').writeFileSync(${JSON.stringify(sentinel)}, 'ran');\nexports.TABLE = 'users';\nexports.name = () => require('child_process').execSync('touch ${sentinel}');\n`,
      'migrations/1_a.js': migration('../lib/tables.js'),
      'migrations/2_b.js': "const { name } = require('../lib/tables');\nexports.up = async (knex) => {\n  await knex.schema.dropTable(name());\n};\nexports.down = async () => {\n  throw new Error('x');\n};\n",
    });
    const r = runCli(['check', '--format', 'json'], { cwd: dir });
    expect(findingTuples(r)).toEqual([
      ['migrations/1_a.js', 3, 9, 'no-drop-table'],
      ['migrations/2_b.js', 3, 9, 'unanalyzable-statement'],
    ]);
    expect(existsSync(sentinel)).toBe(false);
  });

  it('outside the project root, cycles, non-relative and oversized modules stay unknown', () => {
    const dir = makeTempDir();
    writeTree(dir, {
      'outside.js': "exports.TABLE = 'secrets';\n",
      'app/package.json': '{ "dependencies": { "pg": "^8" } }',
      'app/lib/a.js': "const { B } = require('./b');\nexports.TABLE = 'a_' + B;\n",
      'app/lib/b.js': "const { TABLE } = require('./a');\nexports.B = 'b';\nexports.A = TABLE;\n",
      'app/lib/big.js': `exports.TABLE = 'big';\n// ${'x'.repeat(600 * 1024)}\n`,
      'app/migrations/1_outside.js': migration('../../outside.js'),
      'app/migrations/2_cycle.js': migration('../lib/a'),
      'app/migrations/3_package.js': migration('some-package'),
      'app/migrations/4_big.js': migration('../lib/big.js'),
    });
    const r = runCli(['check', '--format', 'json'], { cwd: path.join(dir, 'app') });
    // The cycle is cut where it closes: a.js still exports its own constant.
    expect(findingTuples(r)).toEqual([
      ['migrations/1_outside.js', 3, 9, 'unanalyzable-statement'],
      ['migrations/2_cycle.js', 3, 9, 'no-drop-table'],
      ['migrations/3_package.js', 3, 9, 'unanalyzable-statement'],
      ['migrations/4_big.js', 3, 9, 'unanalyzable-statement'],
    ]);
  });
});
