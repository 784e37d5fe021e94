import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { glob } from 'tinyglobby';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect, Migration, MigrationSet, RawFinding } from '../src/model.js';
import { loadDrizzle, readDrizzleConfigText } from '../src/sources/drizzle.js';
import { LoadContext, type CandidateSet } from '../src/sources/set-builder.js';
import { createPostgresParser, parsePostgresSection } from '../src/sql/postgres.js';
import { splitStatements } from '../src/sql/sqlite-mysql-split.js';
import rule from '../rules/drizzle-journal-mismatch.js';

const REPO = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const FIXTURES = path.join(REPO, 'fixtures', 'drizzle');

/** The files discovery passes for a Drizzle root (same globs), in reverse order so that sorting is the loader's job. */
async function candidateAt(root: string, opts: { dialect?: Dialect; dialectForced?: boolean } = {}): Promise<CandidateSet> {
  const files = await glob(['**/*.sql', '**/meta/_journal.json', '**/snapshot.json', '**/*.{js,cjs,mjs,ts,cts,mts}'], { cwd: root, absolute: true });
  return {
    format: 'drizzle',
    root,
    files: files.map((f) => path.normalize(f)).sort().reverse(),
    dialect: opts.dialect ?? 'postgres',
    dialectForced: opts.dialectForced ?? false,
  };
}

async function loadFixture(name: string, opts?: { dialect?: Dialect; dialectForced?: boolean }): Promise<MigrationSet> {
  return loadDrizzle(await candidateAt(path.join(FIXTURES, name, 'drizzle'), opts), new LoadContext(REPO));
}

function spanText(f: RawFinding): string {
  return f.span.file.text.slice(f.span.start, f.span.end);
}

/** 1-based line and column of a UTF-16 offset. */
function lineCol(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset).split('\n');
  return [before.length, before[before.length - 1]!.length + 1];
}

function expectDrizzleMigration(m: Migration, dialect: Dialect): void {
  expect(m.dialect).toBe(dialect);
  expect(m.transaction).toBe('transaction');
  expect(m.downState).toBe('unsupported');
  expect(m.down).toBeNull();
  expect(m.up).toEqual({ file: m.file, start: 0, end: m.file.text.length });
}

describe('Drizzle source: classic layout', () => {
  beforeAll(async () => {
    await createPostgresParser();
  });

  it('orders pg-classic by the journal and takes the dialect from it', async () => {
    const set = await loadFixture('pg-classic', { dialect: 'sqlite' });
    expect(set.format).toBe('drizzle');
    expect(set.dialect).toBe('postgres');
    expect(set.root).toBe('fixtures/drizzle/pg-classic/drizzle');
    expect(set.findings).toEqual([]);
    expect(set.migrations.map((m) => m.id)).toEqual(['0000_wandering_wolverine', '0001_lazy_the_hood', '0002_brainy_shiver_man']);
    expect(set.migrations.map((m) => m.name)).toEqual(['0000_wandering_wolverine.sql', '0001_lazy_the_hood.sql', '0002_brainy_shiver_man.sql']);
    expect(set.migrations.map((m) => m.file.relPath)).toEqual([
      'fixtures/drizzle/pg-classic/drizzle/0000_wandering_wolverine.sql',
      'fixtures/drizzle/pg-classic/drizzle/0001_lazy_the_hood.sql',
      'fixtures/drizzle/pg-classic/drizzle/0002_brainy_shiver_man.sql',
    ]);
    for (const m of set.migrations) expectDrizzleMigration(m, 'postgres');
  });

  it('gives statements after (mid-line) breakpoints their own exact spans with the Postgres parser', async () => {
    const set = await loadFixture('pg-classic');
    const [m0, m1, m2] = set.migrations;

    const r0 = parsePostgresSection(m0!.up!);
    expect(r0.errors).toEqual([]);
    const t0 = m0!.file.text;
    expect(r0.statements.map((s) => s.type)).toEqual(['CreateStmt', 'CreateStmt', 'AlterTableStmt', 'IndexStmt']);
    expect(r0.statements.map((s) => lineCol(t0, s.span.start))).toEqual([
      [1, 1],
      [9, 1], // after a breakpoint on its own line
      [17, 1],
      [18, 1], // after `...no action;--> statement-breakpoint`
    ]);
    for (const s of r0.statements) expect(t0.slice(s.span.start, s.span.end)).not.toContain('statement-breakpoint');
    expect(t0.slice(r0.statements[3]!.span.start, r0.statements[3]!.span.end)).toBe('CREATE INDEX "posts_author_id_idx" ON "posts" USING btree ("author_id")');

    const r1 = parsePostgresSection(m1!.up!);
    expect(r1.errors).toEqual([]);
    const t1 = m1!.file.text;
    expect(r1.statements.map((s) => lineCol(t1, s.span.start))).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect(t1.slice(r1.statements[0]!.span.start, r1.statements[0]!.span.end)).toBe('ALTER TABLE "users" ADD COLUMN "display_name" text NOT NULL');
    expect(t1.slice(r1.statements[1]!.span.start, r1.statements[1]!.span.end)).toBe('CREATE INDEX "users_name_idx" ON "users" USING btree ("name")');
    const ops1 = r1.statements.flatMap((s) => s.ops);
    expect(ops1.map((o) => o.kind)).toEqual(['add-column', 'create-index']);
    const add = ops1[0]!;
    expect(add.kind === 'add-column' && add.column.notNull && !add.column.hasDefault).toBe(true);
    const index = ops1[1]!;
    expect(index.kind === 'create-index' && !index.concurrently).toBe(true);

    const r2 = parsePostgresSection(m2!.up!);
    expect(r2.errors).toEqual([]);
    expect(r2.statements.flatMap((s) => s.ops.map((o) => o.kind))).toEqual(['drop-column']);
  });

  it('loads sqlite-classic with the table-recreation pattern, split on breakpoints', async () => {
    const set = await loadFixture('sqlite-classic');
    expect(set.dialect).toBe('sqlite');
    expect(set.findings).toEqual([]);
    expect(set.migrations.map((m) => m.id)).toEqual(['0000_fresh_mojo', '0001_silent_vulture', '0002_tense_leopardon']);
    for (const m of set.migrations) expectDrizzleMigration(m, 'sqlite');

    const text = set.migrations[2]!.file.text;
    const stmts = splitStatements(text, 'sqlite').map((s) => text.slice(s.start, s.end));
    expect(stmts.map((s) => s.split(/\s/)[0] + ' ' + s.split(/\s/)[1])).toEqual([
      'PRAGMA foreign_keys=OFF',
      'CREATE TABLE',
      'INSERT INTO',
      'DROP TABLE',
      'ALTER TABLE',
      'PRAGMA foreign_keys=ON',
      'CREATE UNIQUE',
    ]);
    expect(stmts[3]).toBe('DROP TABLE `users`');
  });

  it('loads mysql-classic as mysql', async () => {
    const set = await loadFixture('mysql-classic');
    expect(set.dialect).toBe('mysql');
    expect(set.findings).toEqual([]);
    expect(set.migrations.map((m) => m.id)).toEqual(['0000_nappy_wasp', '0001_cool_hulk']);
    for (const m of set.migrations) expectDrizzleMigration(m, 'mysql');
    const text = set.migrations[1]!.file.text;
    expect(splitStatements(text, 'mysql').map((s) => text.slice(s.start, s.end))).toEqual([
      "ALTER TABLE `orders` ADD `status` varchar(32) DEFAULT 'pending' NOT NULL",
      'CREATE INDEX `orders_status_idx` ON `orders` (`status`)',
      'ALTER TABLE `users` DROP COLUMN `name`',
    ]);
  });

  it('lets a forced dialect win over the journal', async () => {
    const set = await loadFixture('pg-classic', { dialect: 'mysql', dialectForced: true });
    expect(set.dialect).toBe('mysql');
    expect(set.migrations.every((m) => m.dialect === 'mysql')).toBe(true);
  });
});

describe('Drizzle source: v1 layout', () => {
  it('orders folders by name and reads the dialect from snapshot.json', async () => {
    const set = await loadFixture('pg-v1', { dialect: 'sqlite' });
    expect(set.format).toBe('drizzle');
    expect(set.dialect).toBe('postgres');
    expect(set.root).toBe('fixtures/drizzle/pg-v1/drizzle');
    expect(set.findings).toEqual([]);
    expect(set.migrations.map((m) => m.id)).toEqual(['20250610093012_fluffy_sabretooth', '20250612141547_rich_ultron', '20250620080110_striped_nova']);
    expect(set.migrations.map((m) => m.name)).toEqual(set.migrations.map((m) => m.id));
    expect(set.migrations.map((m) => m.file.relPath)).toEqual([
      'fixtures/drizzle/pg-v1/drizzle/20250610093012_fluffy_sabretooth/migration.sql',
      'fixtures/drizzle/pg-v1/drizzle/20250612141547_rich_ultron/migration.sql',
      'fixtures/drizzle/pg-v1/drizzle/20250620080110_striped_nova/migration.sql',
    ]);
    for (const m of set.migrations) expectDrizzleMigration(m, 'postgres');
    await createPostgresParser();
    const r = parsePostgresSection(set.migrations[1]!.up!);
    expect(r.errors).toEqual([]);
    expect(r.statements.map((s) => lineCol(set.migrations[1]!.file.text, s.span.start))).toEqual([
      [1, 1],
      [2, 1],
    ]);
  });
});

describe('Drizzle source: journal mismatches', () => {
  it('reports the out-of-order when, the missing file and the unlisted file', async () => {
    const set = await loadFixture('journal-mismatch');
    expect(set.dialect).toBe('postgres');
    // 0003 has no file, 0004 is not in the journal: neither runs.
    expect(set.migrations.map((m) => m.id)).toEqual(['0000_init', '0001_add_orders', '0002_hotfix_index']);
    const journal = 'fixtures/drizzle/journal-mismatch/drizzle/meta/_journal.json';
    expect(set.findings.map((f) => ({ ruleId: f.ruleId, file: f.span.file.relPath, text: spanText(f), message: f.message }))).toEqual([
      {
        ruleId: 'drizzle-journal-mismatch',
        file: journal,
        text: '"when": 1718200000000',
        message:
          'Journal entry "0002_hotfix_index" has "when" 1718200000000 (2024-06-12T13:46:40.000Z), older than that of "0001_add_orders" listed before it ' +
          "(1718500000000, 2024-06-16T01:06:40.000Z). Drizzle's migrator runs a migration only when its \"when\" is newer than the newest migration " +
          'a database has already applied, so on every database that already applied "0001_add_orders", "0002_hotfix_index" is silently skipped.',
      },
      {
        ruleId: 'drizzle-journal-mismatch',
        file: journal,
        text: '"tag": "0003_add_invoices"',
        message:
          'Journal entry "0003_add_invoices" names fixtures/drizzle/journal-mismatch/drizzle/0003_add_invoices.sql, which does not exist: ' +
          "drizzle's migrator fails with \"No file fixtures/drizzle/journal-mismatch/drizzle/0003_add_invoices.sql found\" before running any pending migration.",
      },
      {
        ruleId: 'drizzle-journal-mismatch',
        file: 'fixtures/drizzle/journal-mismatch/drizzle/0004_manual_backfill.sql',
        text: '-- Backfill orders.currency for rows created before multi-currency support',
        message:
          `fixtures/drizzle/journal-mismatch/drizzle/0004_manual_backfill.sql is not listed in ${journal}: ` +
          "drizzle's migrator only runs the migrations the journal lists, so this file never runs.",
      },
    ]);
    for (const f of set.findings) expect(f.help).toBeTruthy();
    expect(set.findings[2]!.span.start).toBe(0);
  });
});

describe('Drizzle source: edge cases in a scratch project', () => {
  let dir: string;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function project(files: Record<string, string>): string {
    dir = mkdtempSync(path.join(os.tmpdir(), 'migralint-drizzle-'));
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    }
    return dir;
  }

  const entry = (idx: number, tag: string, when: number): string =>
    `    {\n      "idx": ${idx},\n      "version": "7",\n      "when": ${when},\n      "tag": "${tag}",\n      "breakpoints": true\n    }`;
  const journal = (entries: string[], dialect?: string): string =>
    `{\n  "version": "7",\n${dialect ? `  "dialect": "${dialect}",\n` : ''}  "entries": [\n${entries.join(',\n')}\n  ]\n}`;

  it('reports an invalid journal at the error position and falls back to file-name order', async () => {
    const bad = journal([entry(0, '0000_a', 1), entry(1, '0002_b', 2)], 'postgresql').replace('    },\n', '    },\n<<<<<<< HEAD\n');
    const cwd = project({
      'migrations/0000_a.sql': 'SELECT 1;',
      'migrations/0010_c.sql': 'SELECT 3;',
      'migrations/0002_b.sql': 'SELECT 2;',
      'migrations/meta/_journal.json': bad,
    });
    const set = loadDrizzle(await candidateAt(path.join(cwd, 'migrations')), new LoadContext(cwd));
    expect(set.migrations.map((m) => m.id)).toEqual(['0000_a', '0002_b', '0010_c']);
    expect(set.findings).toHaveLength(1);
    const f = set.findings[0]!;
    expect(f.ruleId).toBe('drizzle-journal-mismatch');
    expect(f.span.file.relPath).toBe('migrations/meta/_journal.json');
    expect(f.span.start).toBe(bad.indexOf('<<<<<<<'));
    expect(spanText(f)).toBe('<');
    expect(f.message).toBe(
      `migrations/meta/_journal.json is not valid JSON (invalid symbol at "<"): drizzle's migrator cannot read it, ` +
        'so no migration in migrations can run. Its .sql files are linted in file-name order instead.',
    );
  });

  it('runs migrations in the order the journal lists them, not by file name', async () => {
    const cwd = project({
      'drizzle/0000_zeta.sql': 'SELECT 1;',
      'drizzle/0001_alpha.sql': 'SELECT 2;',
      'drizzle/meta/_journal.json': journal([entry(0, '0001_alpha', 1), entry(1, '0000_zeta', 2)], 'mysql'),
    });
    const set = loadDrizzle(await candidateAt(path.join(cwd, 'drizzle')), new LoadContext(cwd));
    expect(set.migrations.map((m) => m.id)).toEqual(['0001_alpha', '0000_zeta']);
    expect(set.dialect).toBe('mysql');
    expect(set.root).toBe('drizzle');
    expect(set.findings).toEqual([]);
  });

  it('reports an unexpected end of the journal with an empty span at the end', async () => {
    const text = '{\n  "version": "7",\n  "entries": [';
    const cwd = project({ 'drizzle/0000_a.sql': 'SELECT 1;', 'drizzle/meta/_journal.json': text });
    const set = loadDrizzle(await candidateAt(path.join(cwd, 'drizzle')), new LoadContext(cwd));
    expect(set.migrations.map((m) => m.id)).toEqual(['0000_a']);
    expect(set.findings.map((f) => [f.span.start, f.span.end])).toEqual([[text.length, text.length]]);
    expect(set.findings[0]!.message).toContain('(close bracket expected at end of file)');
  });

  it('flags a when equal to an earlier one, a duplicate tag, an entry without tag, and an empty unlisted file', async () => {
    const text = journal(
      [entry(0, '0000_a', 1700000000000), entry(1, '0001_b', 1700000000000), entry(2, '0000_a', 1700000000500), '    { "idx": 3, "when": 1700000000900 }'],
      'postgresql',
    );
    const cwd = project({
      'drizzle/0000_a.sql': 'SELECT 1;',
      'drizzle/0001_b.sql': 'SELECT 2;',
      'drizzle/0002_empty.sql': '',
      'drizzle/meta/_journal.json': text,
    });
    const set = loadDrizzle(await candidateAt(path.join(cwd, 'drizzle')), new LoadContext(cwd));
    expect(set.migrations.map((m) => m.id)).toEqual(['0000_a', '0001_b']);
    expect(set.findings.map((f) => [f.span.file.relPath, spanText(f)])).toEqual([
      ['drizzle/meta/_journal.json', '"when": 1700000000000'],
      ['drizzle/meta/_journal.json', '"tag": "0000_a"'],
      ['drizzle/meta/_journal.json', '{ "idx": 3, "when": 1700000000900 }'],
      ['drizzle/0002_empty.sql', ''],
    ]);
    expect(set.findings[0]!.message).toContain('"0001_b" has "when" 1700000000000 (2023-11-14T22:13:20.000Z), the same as that of "0000_a"');
    expect(set.findings[0]!.span.start).toBe(text.lastIndexOf('"when": 1700000000000'));
    expect(set.findings[1]!.message).toBe('drizzle/meta/_journal.json lists "0000_a" twice: drizzle\'s migrator would run drizzle/0000_a.sql a second time.');
    expect(set.findings[1]!.span.start).toBe(text.lastIndexOf('"tag": "0000_a"'));
    expect(set.findings[2]!.message).toContain('has no "tag"');
    expect(set.findings[3]!.span).toMatchObject({ start: 0, end: 0 });
  });

  it('reports a journal without an entries array and lints the files in name order', async () => {
    const text = '{\n  "version": "7",\n  "dialect": "sqlite",\n  "entries": {}\n}';
    const cwd = project({ 'drizzle/0001_b.sql': 'SELECT 2;', 'drizzle/0000_a.sql': 'SELECT 1;', 'drizzle/meta/_journal.json': text });
    const set = loadDrizzle(await candidateAt(path.join(cwd, 'drizzle')), new LoadContext(cwd));
    expect(set.dialect).toBe('sqlite');
    expect(set.migrations.map((m) => m.id)).toEqual(['0000_a', '0001_b']);
    expect(set.findings.map(spanText)).toEqual(['"entries": {}']);
  });

  it('takes the dialect from a drizzle.config whose out is the folder when the journal names none', async () => {
    const cwd = project({
      'app/drizzle.config.ts': "import { defineConfig } from 'drizzle-kit';\n// dialect: 'mysql'\nexport default defineConfig({\n  out: './db/migrations/',\n  dialect: 'turso',\n  dbCredentials: { url: 'libsql://x.turso.io' },\n});\n",
      'app/db/migrations/0000_a.sql': 'CREATE TABLE `t` (`id` integer);',
      'app/db/migrations/meta/_journal.json': journal([entry(0, '0000_a', 1)]),
    });
    const set = loadDrizzle(await candidateAt(path.join(cwd, 'app', 'db', 'migrations')), new LoadContext(cwd));
    expect(set.dialect).toBe('sqlite');
    expect(set.migrations[0]!.dialect).toBe('sqlite');
  });

  it('ignores a drizzle.config whose out is another folder, and a journal dialect beats the config', async () => {
    const cwd = project({
      'drizzle.config.json': '{ "out": "./other", "dialect": "mysql" }',
      'drizzle/0000_a.sql': 'SELECT 1;',
      'drizzle/meta/_journal.json': journal([entry(0, '0000_a', 1)]),
      'sub/drizzle.config.js': "module.exports = { dialect: 'mysql' };", // default out ./drizzle is sub/drizzle
      'sub/drizzle/0000_a.sql': 'SELECT 1;',
      'sub/drizzle/meta/_journal.json': journal([entry(0, '0000_a', 1)], 'postgresql'),
    });
    const top = loadDrizzle(await candidateAt(path.join(cwd, 'drizzle')), new LoadContext(cwd));
    expect(top.dialect).toBe('postgres'); // config ignored: candidate default
    const sub = loadDrizzle(await candidateAt(path.join(cwd, 'sub', 'drizzle'), { dialect: 'sqlite' }), new LoadContext(cwd));
    expect(sub.dialect).toBe('postgres'); // journal wins over the config's mysql
  });

  it('reads the v1 snapshot dialect', async () => {
    const cwd = project({
      'drizzle/20250101000000_init/migration.sql': 'CREATE TABLE `a` (`id` integer);',
      'drizzle/20250101000000_init/snapshot.json': '{ "version": "7", "dialect": "sqlite", "id": "x", "prevIds": [], "ddl": [], "renames": [] }',
      'drizzle/20241231000000_older/migration.sql': 'SELECT 1;',
    });
    const set = loadDrizzle(await candidateAt(path.join(cwd, 'drizzle')), new LoadContext(cwd));
    expect(set.dialect).toBe('sqlite');
    expect(set.migrations.map((m) => m.id)).toEqual(['20241231000000_older', '20250101000000_init']);
  });

  it('reads out, dialect and driver from config text without executing it', () => {
    expect(readDrizzleConfigText("export default { out: './drizzle', dialect: \"postgresql\" }")).toEqual({ out: './drizzle', dialect: 'postgresql', driver: undefined });
    expect(readDrizzleConfigText('{\n  "out": "migrations",\n  "driver": "pg"\n}')).toEqual({ out: 'migrations', dialect: undefined, driver: 'pg' });
    expect(readDrizzleConfigText('/* out: "x" */ export default { out: path.join(__dirname, "m") }').out).toBeNull();
    expect(readDrizzleConfigText('export default {}').out).toBeUndefined();
  });
});

describe('drizzle-journal-mismatch rule module', () => {
  it('has the metadata the registry needs and reports nothing itself', () => {
    expect(rule.meta).toMatchObject({ id: 'drizzle-journal-mismatch', defaultLevel: 'error', recommended: true });
    expect([...rule.meta.dialects].sort()).toEqual(['mysql', 'postgres', 'sqlite']);
    expect(rule.checkOperation).toBeUndefined();
    expect(rule.checkMigration).toBeUndefined();
  });
});
