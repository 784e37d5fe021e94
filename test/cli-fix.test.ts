/**
 * `migralint check --fix` end to end: what changes on disk (only safe fixes, only SQL files),
 * what stderr says, what the report and the exit code say remains; `--fix-dry-run`; the fixes
 * in the JSON and SARIF reports and the text summary; `rules --format json`'s `fixable`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, findingTuples, jsonReport, makeTempDir, removeTempDirs, runCli, withoutDialectNotice, writeTree } from './helpers/cli.js';

afterAll(removeTempDirs);

const ROBUST = ['--rule', 'prefer-robust-stmts=warn'];
const read = (dir: string, rel: string): string => readFileSync(path.join(dir, rel), 'utf8');

describe('check --fix', () => {
  it('applies the safe fixes only, says what it fixed, and reports what remains', () => {
    const up = 'CREATE TABLE events (id bigint, at timestamp);\nCREATE INDEX users_email_idx ON users (email);\n';
    const dir = writeTree(makeTempDir(), { 'migrations/001_a.sql': up, 'migralint.config.json': '{ "dialect": "postgres", "rules": { "prefer-timestamptz": "warn" } }\n' });
    const r = runCli(['check', '--fix', ...ROBUST, '--format', 'json', 'migrations'], { cwd: dir });
    // The index build without CONCURRENTLY remains, at error level: exit 1.
    expect(r.status).toBe(1);
    expect(read(dir, 'migrations/001_a.sql')).toBe('CREATE TABLE IF NOT EXISTS events (id bigint, at timestamptz);\nCREATE INDEX IF NOT EXISTS users_email_idx ON users (email);\n');
    expect(findingTuples(r)).toEqual([['migrations/001_a.sql', 2, 1, 'require-concurrent-index']]);
    // CONCURRENTLY is offered, never applied.
    expect(jsonReport(r).findings[0]).toMatchObject({ suggestions: [{ safe: false, edits: [{ line: 2, column: 13, text: ' CONCURRENTLY' }] }] });
    expect(withoutDialectNotice(r.stderr).split('\n')).toEqual([
      'migralint: fixed migrations/001_a.sql:1:1 prefer-robust-stmts: Add IF NOT EXISTS (the statement can be re-run; locking and transactions are unchanged).',
      'migralint: fixed migrations/001_a.sql:1:1 prefer-timestamptz: Declare the new column timestamptz (same storage and locking; values are read as instants).',
      'migralint: fixed migrations/001_a.sql:2:1 prefer-robust-stmts: Add IF NOT EXISTS (the statement can be re-run; locking and transactions are unchanged).',
      'migralint: 3 fixes applied; the report shows what remains',
      '',
    ]);
    // Run again: nothing left to fix, the file stays as it is.
    const again = runCli(['check', '--fix', ...ROBUST, 'migrations'], { cwd: dir });
    expect(again.status).toBe(1);
    expect(withoutDialectNotice(again.stderr)).toBe('');
    expect(again.stdout).not.toContain('potentially fixable');
  });

  it('exits 0 when the fixes leave no error; without --fix the same tree exits 1', () => {
    const dir = writeTree(makeTempDir(), { 'migrations/001_a.sql': 'CREATE TABLE IF NOT EXISTS a (id int);\nCREATE TABLE t (id int);\n' });
    const rules = ['--dialect', 'postgres', '--rule', 'prefer-robust-stmts=error'];
    const before = runCli(['check', ...rules, 'migrations'], { cwd: dir });
    expect(before.status).toBe(1);
    expect(before.stdout).toContain('1 error, 0 warnings potentially fixable with the `--fix` option.');
    expect(before.stdout).toContain('fix: Add IF NOT EXISTS');
    const r = runCli(['check', '--fix', ...rules, 'migrations'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No problems');
  });

  it('respects suppression comments, and never touches a file with a syntax error', () => {
    const suppressed = 'SELECT 1;\n-- migralint-disable-next-line prefer-robust-stmts\nCREATE TABLE a (id int);\n';
    const broken = 'CREATE TABLE b (id int);\nCREATE TABLE b2 (id int);\nCREATE TABLE c (id int;\n';
    const dir = writeTree(makeTempDir(), { 'migrations/001_a.sql': suppressed, 'migrations/002_b.sql': broken });
    const r = runCli(['check', '--fix', '--dialect', 'postgres', ...ROBUST, '--format', 'json', 'migrations'], { cwd: dir });
    expect(read(dir, 'migrations/001_a.sql')).toBe(suppressed);
    expect(read(dir, 'migrations/002_b.sql')).toBe(broken);
    expect(r.stderr).toContain('migralint: migrations/002_b.sql: not fixed: it has a syntax error\n');
    expect(findingTuples(r)).toEqual([
      ['migrations/002_b.sql', 1, 1, 'prefer-robust-stmts'],
      ['migrations/002_b.sql', 2, 1, 'prefer-robust-stmts'],
      ['migrations/002_b.sql', 3, 23, 'syntax-error'],
    ]);
  });

  it('keeps a byte order mark and CRLF line ends, and leaves no temporary file behind', () => {
    const dir = makeTempDir();
    writeTree(dir, { 'migrations/001_a.sql': '\ufeffCREATE TABLE a (id int);\r\nCREATE SCHEMA s;\r\n' });
    runCli(['check', '--fix', '--dialect', 'postgres', ...ROBUST, 'migrations'], { cwd: dir });
    expect(readFileSync(path.join(dir, 'migrations/001_a.sql'))).toEqual(Buffer.from('\ufeffCREATE TABLE IF NOT EXISTS a (id int);\r\nCREATE SCHEMA IF NOT EXISTS s;\r\n', 'utf8'));
    expect(readFileSync(path.join(dir, 'migrations/001_a.sql')).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const r = runCli(['check', '--dialect', 'postgres', 'migrations'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(readFileSync(path.join(dir, 'migrations/001_a.sql'), 'utf8')).not.toContain('migralint-');
  });

  it('fixes Drizzle .sql files (MySQL: its DDL is not transactional) and leaves the journal alone', () => {
    const dir = copyFixture('drizzle/mysql-classic');
    const journal = read(dir, 'drizzle/meta/_journal.json');
    const r = runCli(['check', '--fix', ...ROBUST, '--format', 'json', '.'], { cwd: dir });
    expect(r.stderr).toContain('fixed drizzle/0000_nappy_wasp.sql:1:1 prefer-robust-stmts');
    expect(read(dir, 'drizzle/0000_nappy_wasp.sql')).toMatch(/^CREATE TABLE IF NOT EXISTS `users` \(/);
    expect(read(dir, 'drizzle/0000_nappy_wasp.sql')).toContain('--> statement-breakpoint\nCREATE TABLE IF NOT EXISTS `orders` (');
    expect(read(dir, 'drizzle/meta/_journal.json')).toBe(journal);
    expect(jsonReport(r).findings.filter((f) => f.ruleId === 'prefer-robust-stmts')).toEqual([]);
  });

  it('never rewrites a Knex migration: its findings carry no fix', () => {
    const dir = copyFixture('knex/basic');
    const file = 'migrations/20240102090000_add_status.js';
    const before = read(dir, file);
    const r = runCli(['check', '--fix', '--rule', 'prefer-timestamptz=warn', '--format', 'json', '.'], { cwd: dir });
    expect(read(dir, file)).toBe(before);
    expect(withoutDialectNotice(r.stderr)).not.toContain('fixed');
    expect(jsonReport(r).findings.every((f) => !('fix' in f) && !('suggestions' in f))).toBe(true);
  });

  it('--fix-dry-run prints the change and writes nothing', () => {
    const up = 'SELECT 1;\nCREATE TABLE t (id int);\n';
    const dir = writeTree(makeTempDir(), { 'migrations/001_a.sql': up });
    const r = runCli(['check', '--fix-dry-run', '--dialect', 'postgres', ...ROBUST, 'migrations'], { cwd: dir });
    expect(read(dir, 'migrations/001_a.sql')).toBe(up);
    expect(r.stderr).toContain('migralint: would fix migrations/001_a.sql:2:1 prefer-robust-stmts');
    expect(r.stderr).toContain('--- migrations/001_a.sql\n+++ migrations/001_a.sql\n@@ -2,1 +2,1 @@\n-CREATE TABLE t (id int);\n+CREATE TABLE IF NOT EXISTS t (id int);\n');
    // The report is of the files as they are.
    expect(r.stdout).toContain('prefer-robust-stmts');
    expect(r.status).toBe(0);
  });

  it('--fix and --fix-dry-run together is a usage error', () => {
    const dir = writeTree(makeTempDir(), { 'migrations/001_a.sql': 'SELECT 1;\n' });
    const r = runCli(['check', '--fix', '--fix-dry-run', 'migrations'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('migralint: --fix and --fix-dry-run exclude each other\n');
  });
});

describe('fixes in the reports', () => {
  const dir = writeTree(makeTempDir(), {
    'migrations/001_a.sql': 'CREATE TABLE t (id int);\nALTER TABLE users ADD CONSTRAINT users_id_check CHECK (id > 0);\n',
  });

  it('JSON: fix (safe) and suggestions (the rest), with ranges and positions', () => {
    const r = runCli(['check', '--dialect', 'postgres', ...ROBUST, '--format', 'json', 'migrations'], { cwd: dir });
    const findings = jsonReport(r).findings as unknown as Record<string, unknown>[];
    const robust = findings[0]!;
    const notValid = findings.find((f) => f.ruleId === 'require-not-valid-constraint')!;
    expect(robust).toMatchObject({ ruleId: 'prefer-robust-stmts', fix: { safe: true, edits: [{ range: [12, 12], line: 1, column: 13, endLine: 1, endColumn: 13, text: ' IF NOT EXISTS' }] } });
    expect(robust).not.toHaveProperty('suggestions');
    expect(notValid).toMatchObject({
      ruleId: 'require-not-valid-constraint',
      suggestions: [{ safe: false, edits: [{ line: 2, column: 63, text: ' NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_id_check' }] }],
    });
    expect(notValid).not.toHaveProperty('fix');
  });

  it('SARIF: fixes with artifactChanges and replacements, valid against the official 2.1.0 schema', () => {
    const r = runCli(['check', '--dialect', 'postgres', ...ROBUST, '--format', 'sarif', 'migrations'], { cwd: dir });
    const log = JSON.parse(r.stdout);
    const schema = JSON.parse(readFileSync(new URL('../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8'));
    const validate = new AjvDraft04.default({ strict: false, validateFormats: false, allErrors: true, unicodeRegExp: false }).compile(schema);
    validate(log);
    expect(validate.errors ?? []).toEqual([]);
    const [robust] = log.runs[0].results;
    const notValid = log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'require-not-valid-constraint');
    expect(robust.fixes).toEqual([
      {
        description: { text: 'Add IF NOT EXISTS (the statement can be re-run; locking and transactions are unchanged).' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'migrations/001_a.sql', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 1, startColumn: 13, endLine: 1, endColumn: 13 }, insertedContent: { text: ' IF NOT EXISTS' } }],
          },
        ],
        properties: { safe: true },
      },
    ]);
    expect(notValid.fixes[0].description.text).toMatch(/^Suggestion \(not applied by --fix\): Add the constraint NOT VALID/);
    expect(notValid.fixes[0].properties).toEqual({ safe: false });
  });

  it('the schema check is real: a replacement without deletedRegion fails', () => {
    const r = runCli(['check', '--dialect', 'postgres', ...ROBUST, '--format', 'sarif', 'migrations'], { cwd: dir });
    const log = JSON.parse(r.stdout);
    delete log.runs[0].results[0].fixes[0].artifactChanges[0].replacements[0].deletedRegion;
    const schema = JSON.parse(readFileSync(new URL('../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8'));
    const validate = new AjvDraft04.default({ strict: false, validateFormats: false, allErrors: true, unicodeRegExp: false }).compile(schema);
    expect(validate(log)).toBe(false);
  });
});

describe('rules --format json', () => {
  it('fixable is true exactly for the rules that attach fixes', () => {
    const r = runCli(['rules', '--format', 'json'], { cwd: makeTempDir() });
    const rows = JSON.parse(r.stdout) as { id: string; fixable: boolean; level: string }[];
    expect(rows.filter((x) => x.fixable).map((x) => x.id).sort()).toEqual([
      'no-char-type',
      'prefer-bigint',
      'prefer-identity',
      'prefer-robust-stmts',
      'prefer-text',
      'prefer-timestamptz',
      'require-concurrent-detach-partition',
      'require-concurrent-index',
      'require-concurrent-index-drop',
      'require-concurrent-reindex',
      'require-not-valid-constraint',
    ]);
    expect(rows.find((x) => x.id === 'prefer-robust-stmts')).toMatchObject({ level: 'off', fixable: true });
  });
});
