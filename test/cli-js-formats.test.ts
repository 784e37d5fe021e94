/**
 * End to end for the JavaScript-ecosystem layouts: Drizzle-kit (classic and v1, three dialects)
 * and Knex (JS and TS), through the CLI in JSON and SARIF, with findings at the exact place in the
 * user's own files. Also: migralint never imports or runs a migration or a knexfile.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, findingTuples, jsonReport, makeTempDir, removeTempDirs, runCli, writeTree, type FindingTuple } from './helpers/cli.js';

afterAll(removeTempDirs);

const CASES: { fixture: string; status: number; findings: FindingTuple[] }[] = [
  {
    fixture: 'knex/basic',
    status: 1,
    findings: [
      ['migrations/20240102090000_add_status.js', 10, 5, 'require-not-null-backfill'],
      ['migrations/20240102090000_add_status.js', 12, 5, 'require-concurrent-index'],
      ['migrations/20240103090000_drop_legacy.ts', 4, 8, 'require-down'],
      ['migrations/20240103090000_drop_legacy.ts', 6, 9, 'no-drop-table'],
      ['migrations/20240103090000_drop_legacy.ts', 8, 5, 'no-drop-column'],
      ['migrations/20240103090000_drop_legacy.ts', 10, 19, 'no-truncate'],
      ['migrations/20240105090000_archive_tables.js', 8, 11, 'unanalyzable-statement'],
      ['migrations/20240105090000_archive_tables.js', 11, 9, 'unanalyzable-statement'],
      ['migrations/20240105090000_archive_tables.js', 16, 11, 'unanalyzable-statement'],
    ],
  },
  {
    fixture: 'drizzle/pg-classic',
    status: 1,
    findings: [
      ['drizzle/0001_lazy_the_hood.sql', 1, 21, 'require-not-null-backfill'],
      ['drizzle/0001_lazy_the_hood.sql', 2, 1, 'require-concurrent-index'],
      ['drizzle/0002_brainy_shiver_man.sql', 1, 21, 'no-drop-column'],
    ],
  },
  // drizzle-kit's rebuild that makes the nullable `name` NOT NULL: the copy fails on a NULL name.
  { fixture: 'drizzle/sqlite-classic', status: 1, findings: [['drizzle/0002_tense_leopardon.sql', 9, 1, 'require-not-null-backfill']] },
  { fixture: 'drizzle/mysql-classic', status: 1, findings: [['drizzle/0001_cool_hulk.sql', 3, 21, 'no-drop-column']] },
  {
    fixture: 'drizzle/pg-v1',
    status: 1,
    findings: [
      ['drizzle/20250612141547_rich_ultron/migration.sql', 1, 24, 'require-not-null-backfill'],
      ['drizzle/20250612141547_rich_ultron/migration.sql', 2, 1, 'require-concurrent-index'],
      ['drizzle/20250620080110_striped_nova/migration.sql', 1, 24, 'no-drop-column'],
    ],
  },
  {
    fixture: 'drizzle/journal-mismatch',
    status: 1,
    findings: [
      ['drizzle/0002_hotfix_index.sql', 1, 1, 'require-concurrent-index'],
      ['drizzle/0004_manual_backfill.sql', 1, 1, 'drizzle-journal-mismatch'],
      ['drizzle/meta/_journal.json', 22, 7, 'drizzle-journal-mismatch'],
      ['drizzle/meta/_journal.json', 30, 7, 'drizzle-journal-mismatch'],
    ],
  },
];

interface SarifLike {
  runs: {
    tool: { driver: { rules: { id: string }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number } } }[];
    }[];
  }[];
}

describe.each(CASES)('$fixture', ({ fixture, status, findings }) => {
  const dir = copyFixture(fixture);

  it('reports the expected findings at file, line and column (JSON)', () => {
    const r = runCli(['check', '.', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(findingTuples(r)).toEqual(findings);
    expect(r.status).toBe(status);
  });

  it('reports the same places in SARIF', () => {
    const r = runCli(['check', '.', '--format', 'sarif'], { cwd: dir });
    const sarif = JSON.parse(r.stdout) as SarifLike;
    const run = sarif.runs[0]!;
    const tuples = run.results.map((res) => {
      const loc = res.locations[0]!.physicalLocation;
      expect(loc.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(run.tool.driver.rules[res.ruleIndex]!.id).toBe(res.ruleId);
      return [loc.artifactLocation.uri, loc.region.startLine, loc.region.startColumn, res.ruleId];
    });
    expect(tuples).toEqual(findings);
  });
});

describe('Knex summary', () => {
  it('says how much of the Knex files it could analyse', () => {
    const dir = copyFixture('knex/basic');
    const r = runCli(['check', '.'], { cwd: dir });
    expect(r.stdout).toContain('Knex: 16/19 operations analysed statically (84%)');
    expect(jsonReport(runCli(['check', '.', '--format', 'json'], { cwd: dir })).summary).toMatchObject({ analyzable: { analyzed: 16, total: 19 } });
  });
});

describe('transactions', () => {
  it('a concurrent index in a Drizzle migration is no-concurrent-in-transaction, with Drizzle advice', () => {
    const dir = copyFixture('drizzle/pg-classic');
    writeTree(dir, { 'drizzle/0001_lazy_the_hood.sql': 'CREATE INDEX CONCURRENTLY "users_name_idx" ON "users" USING btree ("name");' });
    const report = jsonReport(runCli(['check', '.', '--format', 'json'], { cwd: dir }));
    const f = report.findings.find((x) => x.ruleId === 'no-concurrent-in-transaction');
    expect(f).toMatchObject({ file: 'drizzle/0001_lazy_the_hood.sql', line: 1, column: 1 });
    expect(f!.message).toContain("drizzle-kit's migrator runs all pending migrations in one transaction");
    expect(f!.help).toMatch(/outside drizzle-kit migrate/);
  });

  it('Knex: a concurrent index fires unless the file exports config = { transaction: false }', () => {
    const up = (config: string) =>
      `${config}exports.up = function (knex) {\n  return knex.raw('CREATE INDEX CONCURRENTLY users_email_idx ON users (email)');\n};\nexports.down = function (knex) {\n  return knex.raw('DROP INDEX CONCURRENTLY users_email_idx');\n};\n`;
    const inTx = writeTree(makeTempDir(), { 'knexfile.js': "module.exports = { client: 'pg' };\n", 'migrations/20240101_idx.js': up('') });
    const tx = jsonReport(runCli(['check', '.', '--format', 'json'], { cwd: inTx })).findings.filter((f) => f.ruleId === 'no-concurrent-in-transaction');
    expect(tx.map((f) => [f.line, f.column])).toEqual([
      [2, 20],
      [5, 20],
    ]);
    const noTx = writeTree(makeTempDir(), { 'knexfile.js': "module.exports = { client: 'pg' };\n", 'migrations/20240101_idx.js': up('exports.config = { transaction: false };\n') });
    expect(jsonReport(runCli(['check', '.', '--format', 'json'], { cwd: noTx })).findings).toEqual([]);
  });
});

describe('never runs user code', () => {
  it('does not import or execute migrations or knexfiles', () => {
    const marker = (name: string) => `require('node:fs').writeFileSync(require('node:path').join(__dirname, '${name}'), 'ran');\n`;
    const dir = writeTree(makeTempDir(), {
      'knexfile.js': `${marker('knexfile-ran')}module.exports = { client: 'pg', migrations: { directory: './db' } };\n`,
      'db/20240101_a.js': `${marker('migration-ran')}exports.up = (knex) => knex.schema.dropTable('users');\nexports.down = () => {};\n`,
      'drizzle.config.js': `${marker('drizzle-config-ran')}module.exports = { out: './drizzle' };\n`,
    });
    const r = runCli(['check', '.', '--format', 'json'], { cwd: dir });
    expect(findingTuples(r)).toContainEqual(['db/20240101_a.js', 2, 24, 'no-drop-table']);
    for (const name of ['knexfile-ran', 'db/migration-ran', 'drizzle-config-ran']) expect(existsSync(path.join(dir, name)), name).toBe(false);
    const sql = runCli(['sql', 'db/20240101_a.js'], { cwd: dir });
    expect(sql.stdout).toContain('drop table "users";');
    expect(existsSync(path.join(dir, 'db', 'migration-ran'))).toBe(false);
  });
});

describe('Knex edge cases', () => {
  it('a suppression above knex.raw covers SQL on the lines of a multi-line template', () => {
    const dir = writeTree(makeTempDir(), {
      'migrations/20240101_a.js':
        "exports.up = async function (knex) {\n  // migralint-disable-next-line no-truncate\n  await knex.raw(`\n    TRUNCATE audit_log\n  `);\n};\nexports.down = async function (knex) {\n  await knex.raw('SELECT 1');\n};\n",
    });
    const r = runCli(['check', '.', '--format', 'json'], { cwd: dir });
    expect(findingTuples(r)).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('a knexfile at the project root, far above its migrations, still gives their dialect (file, folder or root argument)', () => {
    const dir = writeTree(makeTempDir(), {
      'knexfile.ts': "import path from 'path';\nexport default {\n  client: 'mysql2',\n  migrations: { directory: path.join(__dirname, 'src', 'db', 'migrations') },\n};\n",
      'src/db/migrations/20240101_a.ts':
        "export async function up(knex) {\n  await knex.raw('ALTER TABLE `users` DROP COLUMN `nick`');\n}\nexport async function down(knex) {\n  await knex.raw('ALTER TABLE `users` ADD COLUMN `nick` int');\n}\n",
    });
    for (const arg of ['src/db/migrations/20240101_a.ts', 'src/db/migrations', '.']) {
      const r = runCli(['check', arg, '--format', 'json'], { cwd: dir });
      // MySQL backticks: parsed as MySQL, not a Postgres syntax error.
      expect(findingTuples(r), arg).toEqual([['src/db/migrations/20240101_a.ts', 2, 39, 'no-drop-column']]);
    }
  });

  it('a file with a JS syntax error reports the error only (no require-down)', () => {
    const dir = writeTree(makeTempDir(), { 'migrations/20240101_a.js': 'exports.up = async function (knex) {\n  await knex.schema.dropTable("x"\n};\n' });
    const r = runCli(['check', 'migrations/20240101_a.js', '--format', 'json'], { cwd: dir });
    expect(findingTuples(r).map(([, , , id]) => id)).toEqual(['syntax-error']);
    expect(r.status).toBe(1);
  });
});

describe('Drizzle files given one by one (a pre-commit hook on drizzle/)', () => {
  it('the journal and snapshots are part of their set, not SQL files of their own', () => {
    const dir = copyFixture('drizzle/journal-mismatch');
    writeTree(dir, { 'drizzle/meta/0002_snapshot.json': '{ "id": "x", "dialect": "postgresql" }\n' });
    const all = runCli(['check', 'drizzle/0002_hotfix_index.sql', 'drizzle/meta/_journal.json', 'drizzle/meta/0002_snapshot.json', '--format', 'json'], { cwd: dir });
    expect(findingTuples(all)).toEqual([
      ['drizzle/0002_hotfix_index.sql', 1, 1, 'require-concurrent-index'],
      ['drizzle/meta/_journal.json', 22, 7, 'drizzle-journal-mismatch'],
      ['drizzle/meta/_journal.json', 30, 7, 'drizzle-journal-mismatch'],
    ]);
    const journal = runCli(['check', 'drizzle/meta/_journal.json', '--format', 'json'], { cwd: dir });
    expect(journal.status).toBe(1);
    expect(findingTuples(journal).map(([file]) => file)).toEqual(['drizzle/meta/_journal.json', 'drizzle/meta/_journal.json']);
    const snapshot = runCli(['check', 'drizzle/meta/0002_snapshot.json', '--format', 'json'], { cwd: dir });
    expect([snapshot.status, findingTuples(snapshot)]).toEqual([0, []]);
  });
});

describe('require-down in Knex points at the function', () => {
  it('an empty down() is reported on its own line', () => {
    const dir = writeTree(makeTempDir(), {
      'migrations/20240101_a.js': "exports.up = async function (knex) {\n  await knex.schema.createTable('t', (t) => t.increments());\n};\n\nexports.down = async function (knex) {};\n",
    });
    expect(findingTuples(runCli(['check', '.', '--format', 'json'], { cwd: dir }))).toEqual([['migrations/20240101_a.js', 5, 16, 'require-down']]);
  });
});
