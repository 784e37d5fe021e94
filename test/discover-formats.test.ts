/**
 * Discovery and loading on the fixture trees (fixtures/<format>/basic), through the API rather
 * than the CLI: which format and dialect each tree is detected as, the order of its migrations
 * (the framework's own order, not file-name order), transaction modes and down states.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discover } from '../src/discover/discover.js';
import type { DownState, FormatId, MigrationSet, TransactionMode } from '../src/model.js';
import { FIXTURES, copyFixture, findingTuples, jsonReport, makeTempDir, removeTempDirs, runCli, writeTree } from './helpers/cli.js';

afterAll(removeTempDirs);

interface Expected {
  readonly format: FormatId;
  readonly root: string;
  readonly ids: string[];
  readonly transaction: TransactionMode[];
  readonly down: DownState[];
}

const t = 'transaction';
const EXPECTED: Expected[] = [
  {
    format: 'sql',
    root: 'migrations',
    // Natural file-name order: 2 before 10.
    ids: ['1_init', '2_add_nickname', '10_tighten_users', '11_purge_audit_log'],
    transaction: ['unknown', 'unknown', 'unknown', 'unknown'],
    down: ['unsupported', 'unsupported', 'unsupported', 'unsupported'],
  },
  {
    format: 'dbmate',
    root: 'db/migrations',
    ids: ['20240101120000', '20240102090000', '20240103090000', '20240104090000'],
    // `-- migrate:up transaction:false`
    transaction: [t, t, t, 'none'],
    down: ['present', 'present', 'present', 'present'],
  },
  {
    format: 'goose',
    root: 'migrations',
    ids: ['00001', '00002', '00003', '00004'],
    // `-- +goose NO TRANSACTION`
    transaction: [t, t, t, 'none'],
    // 00003 has a `-- +goose Down` marker with nothing under it: present, but empty.
    down: ['present', 'present', 'present', 'present'],
  },
  {
    format: 'sql-migrate',
    root: 'migrations',
    ids: ['1', '2', '10', '11'],
    // `-- +migrate Up notransaction`
    transaction: [t, t, t, 'none'],
    down: ['present', 'present', 'present', 'present'],
  },
  {
    format: 'golang-migrate',
    root: 'db/migrations',
    ids: ['1', '9', '10', '11'],
    transaction: ['unknown', 'unknown', 'unknown', 'unknown'],
    down: ['present', 'present', 'missing', 'present'],
  },
  {
    format: 'diesel',
    root: 'migrations',
    ids: ['00000000000000', '20240101000000', '20240102000000', '20240103000000', '20240104000000'],
    // metadata.toml: run_in_transaction = false
    transaction: [t, t, t, t, 'none'],
    down: ['present', 'present', 'present', 'present', 'present'],
  },
  {
    format: 'prisma',
    root: 'prisma/migrations',
    ids: ['20240101000000_init', '20240102000000_add_nickname', '20240103000000_tighten_users'],
    transaction: ['unknown', 'unknown', 'unknown'],
    down: ['unsupported', 'unsupported', 'unsupported'],
  },
  {
    format: 'flyway',
    root: 'src/main/resources/db/migration',
    // Version order 1 < 1.1 < 2; U2 is V2's undo, not a migration of its own.
    ids: ['1', '1.1', '2'],
    transaction: [t, t, t],
    down: ['missing', 'missing', 'present'],
  },
];

async function only(cwd: string, paths: string[] = ['.'], options: Partial<Parameters<typeof discover>[1]> = {}): Promise<MigrationSet> {
  const r = await discover(paths, { cwd, ...options });
  expect(r.fileProblems).toEqual([]);
  expect(r.missingPaths).toEqual([]);
  expect(r.sets).toHaveLength(1);
  return r.sets[0]!;
}

describe.each(EXPECTED)('fixtures/$format/basic', (e) => {
  it('is detected as its format, with the framework order, transaction modes and downs', async () => {
    const set = await only(path.join(FIXTURES, e.format, 'basic'));
    expect(set.format).toBe(e.format);
    expect(set.dialect).toBe('postgres');
    expect(set.root).toBe(e.root);
    expect(set.migrations.map((m) => m.id)).toEqual(e.ids);
    expect(set.migrations.map((m) => m.transaction)).toEqual(e.transaction);
    expect(set.migrations.map((m) => m.downState)).toEqual(e.down);
    for (const m of set.migrations) {
      expect(m.dialect).toBe('postgres');
      expect(m.down === null).toBe(m.downState !== 'present');
    }
  });
});

describe('marker sections', () => {
  it('splits a dbmate file at its markers: up stops where the down marker starts', async () => {
    const set = await only(path.join(FIXTURES, 'dbmate/basic'));
    const m = set.migrations[0]!;
    const up = m.file.text.slice(m.up!.start, m.up!.end);
    const down = m.file.text.slice(m.down!.start, m.down!.end);
    expect(up.startsWith('CREATE TABLE users')).toBe(true);
    expect(up).not.toContain('migrate:down');
    expect(down.trim()).toBe('DROP TABLE audit_log;\nDROP TABLE users;');
  });

  it('keeps goose StatementBegin/End blocks (and their $$ bodies) inside the up section', async () => {
    const set = await only(path.join(FIXTURES, 'goose/basic'));
    const m = set.migrations[0]!;
    const up = m.file.text.slice(m.up!.start, m.up!.end);
    expect(up).toContain('-- +goose StatementBegin\nCREATE FUNCTION touch_updated_at()');
    expect(up).toContain('$$ LANGUAGE plpgsql;\n-- +goose StatementEnd');
    expect(up).not.toContain('+goose Down');
  });
});

describe('overrides', () => {
  it('--format forces a layout on every set', async () => {
    const set = await only(path.join(FIXTURES, 'goose/basic'), ['.'], { format: 'sql' });
    expect(set.format).toBe('sql');
    expect(set.migrations.map((m) => m.downState)).toEqual(['unsupported', 'unsupported', 'unsupported', 'unsupported']);
  });

  it('the Prisma lock file sets the dialect; --dialect wins over it', async () => {
    const dir = copyFixture('prisma/basic');
    writeFileSync(path.join(dir, 'prisma/migrations/migration_lock.toml'), 'provider = "sqlite"\n');
    expect((await only(dir)).dialect).toBe('sqlite');
    const forced = await only(dir, ['.'], { dialect: 'postgres' });
    expect(forced.dialect).toBe('postgres');
    expect(forced.migrations.every((m) => m.dialect === 'postgres')).toBe(true);
  });

  it('ignore globs (relative to cwd) leave files and whole folders out', async () => {
    const dir = path.join(FIXTURES, 'sql/basic');
    const set = await only(dir, ['.'], { ignore: ['migrations/11_*.sql'] });
    expect(set.migrations.map((m) => m.id)).toEqual(['1_init', '2_add_nickname', '10_tighten_users']);
    const none = await discover(['.'], { cwd: dir, ignore: ['migrations'] });
    expect(none.sets).toEqual([]);
  });

  it('ignore globs that climb out of cwd (a config in a parent directory) still match', async () => {
    const dir = path.join(FIXTURES, 'sql/basic/migrations');
    const set = await only(dir, ['.'], { ignore: ['../migrations/11_*.sql'] });
    expect(set.migrations.map((m) => m.id)).toEqual(['1_init', '2_add_nickname', '10_tighten_users']);
  });

  it('ignore globs are not re-read relative to each directory argument', async () => {
    const dir = makeTempDir();
    writeTree(dir, { 'db/legacy/1_x.sql': 'DROP TABLE b;\n', 'legacy/1_old.sql': 'DROP TABLE a;\n' });
    // `legacy` means <cwd>/legacy: db/legacy stays.
    const r = await discover(['db', 'legacy'], { cwd: dir, ignore: ['legacy'] });
    expect(r.sets.map((s) => s.root)).toEqual(['db/legacy']);
  });
});

describe('several sets and odd trees', () => {
  it('finds each set under one directory argument, each with its own format', async () => {
    const dir = makeTempDir();
    writeTree(dir, {
      'api/prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'api/prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "A" ("id" INTEGER);\n',
      'worker/db/migrations/1_init.up.sql': 'CREATE TABLE b (id int);\n',
      'worker/db/migrations/1_init.down.sql': 'DROP TABLE b;\n',
      'tools/sql/001_seed.sql': '-- +goose Up\nCREATE TABLE c (id int);\n',
    });
    const r = await discover(['.'], { cwd: dir });
    const got = r.sets.map((s) => [s.root, s.format]).sort();
    expect(got).toEqual([
      ['api/prisma/migrations', 'prisma'],
      ['tools/sql', 'goose'],
      ['worker/db/migrations', 'golang-migrate'],
    ]);
  });

  it('skips node_modules and other build folders', async () => {
    const dir = makeTempDir();
    writeTree(dir, {
      'migrations/1_init.sql': 'CREATE TABLE a (id int);\n',
      'node_modules/some-lib/migrations/1_x.sql': 'DROP TABLE a;\n',
      'dist/migrations/1_x.sql': 'DROP TABLE a;\n',
    });
    const set = await only(dir);
    expect(set.root).toBe('migrations');
  });

  it('reports a path that does not exist, and keeps going with the others', async () => {
    const r = await discover(['nope', '.'], { cwd: path.join(FIXTURES, 'sql/basic') });
    expect(r.missingPaths).toEqual(['nope: no such file or directory']);
    expect(r.sets).toHaveLength(1);
  });

  it('records an unusable file once, even when detection read it too', async () => {
    const dir = makeTempDir();
    writeTree(dir, {
      'migrations/1_init.sql': 'CREATE TABLE a (id int);\n',
      'migrations/2_latin1.sql': Buffer.from('-- caf\xe9\nDROP TABLE a;\n', 'latin1'),
      'migrations/3_binary.sql': Buffer.from([0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x00, 0x01, 0x02]),
    });
    // A directory whose name ends in .sql is not a migration.
    mkdirSync(path.join(dir, 'migrations/4_folder.sql'));
    const r = await discover(['.'], { cwd: dir });
    expect(r.fileProblems).toEqual([
      { path: 'migrations/2_latin1.sql', reason: 'not valid UTF-8 (first bad byte at offset 6); save it as UTF-8' },
      { path: 'migrations/3_binary.sql', reason: 'binary file (contains NUL bytes), not a migration' },
      { path: 'migrations/4_folder.sql', reason: 'is a directory, not a file' },
    ]);
    expect(r.sets.map((s) => s.migrations.map((m) => m.id))).toEqual([['1_init']]);
  });

  it('lints a symlink to a migration file, but does not wander through symlinked directories', async () => {
    const dir = makeTempDir();
    writeTree(dir, {
      'migrations/1_init.sql': 'CREATE TABLE a (id int);\n',
      'shared/2_drop.sql': 'DROP TABLE a;\n',
      'elsewhere/9_other.sql': 'DROP TABLE b;\n',
    });
    symlinkSync('../shared/2_drop.sql', path.join(dir, 'migrations/2_drop.sql'));
    symlinkSync('../elsewhere', path.join(dir, 'migrations/linked-dir'));
    // A loop back to the tree itself: quietly not followed (its files are found where they are).
    symlinkSync('.', path.join(dir, 'migrations/loop'));
    // With the config's directory above both, the link into shared/ is read.
    const withConfig = await discover(['migrations'], { cwd: dir, configDir: dir });
    expect(withConfig.sets.map((s) => s.migrations.map((m) => [m.id, m.file.relPath]))).toEqual([
      [
        ['1_init', 'migrations/1_init.sql'],
        ['2_drop', 'migrations/2_drop.sql'],
      ],
    ]);
    expect(withConfig.fileProblems).toEqual([{ path: 'migrations/linked-dir', reason: 'a symbolic link to a directory outside the checked path: not followed' }]);
    // Without one, a link out of the checked path is named and not read.
    const alone = await discover(['migrations'], { cwd: dir });
    expect(alone.sets.map((s) => s.migrations.map((m) => m.id))).toEqual([['1_init']]);
    expect(alone.fileProblems).toEqual([
      { path: 'migrations/linked-dir', reason: 'a symbolic link to a directory outside the checked path: not followed' },
      { path: 'migrations/2_drop.sql', reason: "a symbolic link that leads outside the checked paths (and the config's directory): not read" },
    ]);
  });
});

describe('layout details', () => {
  it('a diesel metadata.toml given alone belongs to its diesel set (not linted as SQL)', async () => {
    const dir = path.join(FIXTURES, 'diesel/basic');
    const set = await only(dir, ['migrations/2024-01-04-000000_index_audit_log/metadata.toml']);
    expect(set.format).toBe('diesel');
    expect(set.focus).toEqual(new Set([path.join(dir, 'migrations/2024-01-04-000000_index_audit_log/metadata.toml')]));
  });

  it('a Flyway baseline (B1_20__x) starts the chain where the versioned history before it was deleted, and is left out where it is still there', async () => {
    const dir = makeTempDir();
    writeTree(dir, {
      'db/migration/B1_20_0__baseline.sql': 'CREATE TABLE lock (key text PRIMARY KEY);\n',
      'db/migration/B1_0__older_baseline.sql': 'CREATE TABLE lock (key text);\n',
      'db/migration/V1_20_1__expiry.sql': 'ALTER TABLE lock ADD COLUMN expires_at timestamptz;\n',
      'db/migration/V1_20_2__idx.sql': 'CREATE INDEX lock_expires ON lock (expires_at);\n',
    });
    const set = await only(dir);
    expect(set.format).toBe('flyway');
    expect(set.migrations.map((m) => [m.id, m.name, m.downState])).toEqual([
      ['1.20.0', 'B1_20_0__baseline.sql', 'unsupported'],
      ['1.20.1', 'V1_20_1__expiry.sql', 'unsupported'],
      ['1.20.2', 'V1_20_2__idx.sql', 'unsupported'],
    ]);
    const r = runCli(['check', '.', '--format', 'json'], { cwd: dir });
    expect(r.status).toBe(1);
    // The baseline's own CREATE TABLE is new (nothing to report); the index after it is on an existing table.
    expect(findingTuples(jsonReport(r))).toEqual([['db/migration/V1_20_2__idx.sql', 1, 1, 'require-concurrent-index']]);
    // The versioned migrations up to the baseline are what every database ran: they stay the chain.
    const full = makeTempDir();
    writeTree(full, {
      'db/migration/V1__init.sql': 'CREATE TABLE lock (key text PRIMARY KEY);\n',
      'db/migration/B1__baseline.sql': 'CREATE TABLE lock (key text PRIMARY KEY);\n',
      'db/migration/V2__idx.sql': 'CREATE INDEX lock_key ON lock (key);\n',
    });
    expect((await only(full)).migrations.map((m) => m.name)).toEqual(['V1__init.sql', 'V2__idx.sql']);
  });

  it('Flyway versions with underscores (V1_1__x) are versions 1.1, ordered numerically, with repeatables last', async () => {
    const dir = makeTempDir();
    writeTree(dir, {
      'db/migration/V1__init.sql': 'CREATE TABLE a (id int, b text);\n',
      'db/migration/V1_1__drop.sql': 'ALTER TABLE a DROP COLUMN b;\n',
      'db/migration/V1_10__idx.sql': 'CREATE INDEX i ON a (id);\n',
      'db/migration/V1_2__idx.sql': 'CREATE INDEX j ON a (id);\n',
      'db/migration/U1_2__idx.sql': 'DROP INDEX j;\n',
      'db/migration/R__views.sql': 'CREATE OR REPLACE VIEW v AS SELECT * FROM a;\n',
    });
    const set = await only(dir);
    expect(set.format).toBe('flyway');
    expect(set.migrations.map((m) => [m.id, m.downState])).toEqual([
      ['1', 'missing'],
      ['1.1', 'missing'],
      ['1.2', 'present'],
      ['1.10', 'missing'],
      ['R__views.sql', 'unsupported'],
    ]);
  });
});
