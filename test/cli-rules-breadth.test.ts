/**
 * The CLI surface of issue 9: `migralint rules --format json` and `--pg-version`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { RULES } from '../src/engine/registry.js';
import { findingTuples, makeTempDir, removeTempDirs, runCli, writeTree } from './helpers/cli.js';

afterAll(removeTempDirs);

describe('migralint rules --format json', () => {
  it('prints one object per registered rule with the stable keys', () => {
    const r = runCli(['rules', '--format', 'json'], { cwd: makeTempDir() });
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows.map((x) => x.id)).toEqual(RULES.map((x) => x.meta.id));
    for (const row of rows) expect(Object.keys(row)).toEqual(['id', 'level', 'dialects', 'formats', 'recommended', 'confirmOnly', 'fixable', 'docsUrl']);
    const reindex = rows.find((x) => x.id === 'require-concurrent-reindex')!;
    expect(reindex).toMatchObject({ level: 'error', dialects: ['postgres'], recommended: true, confirmOnly: false, fixable: true });
    expect(rows.find((x) => x.id === 'no-drop-table')).toMatchObject({ fixable: false });
    expect(reindex.docsUrl).toMatch(/rules\/require-concurrent-reindex\.md$/);
    expect(rows.find((x) => x.id === 'require-lock-timeout')).toMatchObject({ level: 'off', recommended: false });
    expect(rows.find((x) => x.id === 'drizzle-journal-mismatch')!.formats).toEqual(['drizzle']);
    expect(rows.find((x) => x.id === 'require-down')!.formats).not.toContain('prisma');
  });

  it('refuses an unknown format', () => {
    const r = runCli(['rules', '--format', 'xml'], { cwd: makeTempDir() });
    expect(r.status).toBe(2);
  });
});

describe('--pg-version', () => {
  const tree = (): string => writeTree(makeTempDir(), { 'migrations/001_a.sql': "ALTER TABLE users ADD COLUMN plan text DEFAULT 'free';\nREINDEX TABLE users;\n" });

  it('defaults to Postgres 14: a constant default is cheap', () => {
    const r = runCli(['check', '.', '--format', 'json'], { cwd: tree() });
    expect(findingTuples(r)).toEqual([['migrations/001_a.sql', 2, 1, 'require-concurrent-reindex']]);
  });

  it('--pg-version 10 reports the default (a rewrite before Postgres 11)', () => {
    const r = runCli(['check', '.', '--format', 'json', '--pg-version', '10'], { cwd: tree() });
    expect(findingTuples(r)).toEqual([
      ['migrations/001_a.sql', 1, 19, 'no-volatile-default'],
      ['migrations/001_a.sql', 2, 1, 'require-concurrent-reindex'],
    ]);
  });

  it('overrides the config file', () => {
    const dir = tree();
    writeTree(dir, { 'migralint.config.json': '{ "postgresVersion": 10 }' });
    expect(findingTuples(runCli(['check', '.', '--format', 'json'], { cwd: dir })).map((t) => t[3])).toContain('no-volatile-default');
    expect(findingTuples(runCli(['check', '.', '--format', 'json', '--pg-version', '16'], { cwd: dir })).map((t) => t[3])).not.toContain('no-volatile-default');
  });

  it('refuses a value that is not a major version, with exit 2', () => {
    const r = runCli(['check', '.', '--pg-version', '14.2'], { cwd: tree() });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--pg-version 14.2: expected a Postgres major version');
    expect(r.stdout).toBe('');
  });
});

describe('--mysql-version', () => {
  const tree = (): string => writeTree(makeTempDir(), { 'migrations/001_a.sql': 'ALTER TABLE users ADD COLUMN plan text;\n' });
  const ids = (args: string[], cwd: string): string[] => findingTuples(runCli(['check', '.', '--format', 'json', '--dialect', 'mysql', ...args], { cwd })).map((t) => t[3]);

  it('defaults to MySQL 8.4: ADD COLUMN is instant', () => {
    expect(ids([], tree())).not.toContain('no-volatile-default');
  });

  it('--mysql-version 5.7 reports the table rebuild', () => {
    const r = runCli(['check', '.', '--format', 'json', '--dialect', 'mysql', '--mysql-version', '5.7'], { cwd: tree() });
    expect(findingTuples(r)).toEqual([['migrations/001_a.sql', 1, 19, 'no-volatile-default']]);
  });

  it('the config\'s "mysqlVersion", overridden by the command line', () => {
    const dir = tree();
    writeTree(dir, { 'migralint.config.json': '{ "mysqlVersion": "8.0.11" }' });
    expect(ids([], dir)).toContain('no-volatile-default');
    expect(ids(['--mysql-version', '8.0.12'], dir)).not.toContain('no-volatile-default');
  });

  it('refuses a value that is not a version, with exit 2; the config schema too', () => {
    const r = runCli(['check', '.', '--mysql-version', 'eight'], { cwd: tree() });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--mysql-version eight: expected a server version such as 5.7, 8.0.28 or 10.11');
    expect(r.stdout).toBe('');
    const dir = writeTree(tree(), { 'migralint.config.json': '{ "mysqlVersion": 8 }' });
    const bad = runCli(['check', '.'], { cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('mysqlVersion');
  });
});
