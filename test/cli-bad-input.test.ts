/**
 * End to end, files that are not usable migrations (fixtures/bad-input plus files written here):
 * not UTF-8, binary with a .sql name, unreadable, and a syntax error between good statements.
 * Each unusable file gets exactly one line naming it and the reason, never a stack trace; the
 * other files are still linted; the exit code is non-zero.
 */
import { chmodSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, findingTuples, jsonReport, makeTempDir, removeTempDirs, runCli, writeTree } from './helpers/cli.js';

afterAll(removeTempDirs);

const LATIN1 = 'migrations/3_latin1.sql';
const BINARY = 'migrations/4_binary.sql';
const LATIN1_REASON = 'not valid UTF-8 (first bad byte at offset 6); save it as UTF-8';
const BINARY_REASON = 'binary file (contains NUL bytes), not a migration';

/** The bad-input tree plus a Latin-1 file and an SQLite database saved with a .sql name. */
function badTree(): string {
  const dir = copyFixture('bad-input');
  return writeTree(dir, {
    // "café" in Latin-1: 0xE9 is not valid UTF-8.
    [LATIN1]: Buffer.from('-- caf\xe9\nDROP TABLE users;\n', 'latin1'),
    [BINARY]: Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(64, 0x01)]),
  });
}

// What the good files report: the syntax error, and the statements after it are still linted.
const GOOD_FINDINGS = [
  ['migrations/2_syntax_error.sql', 3, 38, 'syntax-error'],
  ['migrations/2_syntax_error.sql', 4, 1, 'require-concurrent-index'],
  ['migrations/2_syntax_error.sql', 5, 1, 'no-truncate'],
];

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

describe('fixtures/bad-input', () => {
  it('a syntax error between good statements: reported at the bad token, the rest still linted', () => {
    const dir = copyFixture('bad-input');
    const r = runCli(['check', '.', '--format', 'json'], { cwd: dir });
    expect(findingTuples(r)).toEqual(GOOD_FINDINGS);
    // The statement before the error still counts: adding `status` with a constant default is fine,
    // and the chain goes on to the next file.
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
  });

  it('json: one stderr line per unusable file, the others linted, exit 1', () => {
    const dir = badTree();
    const r = runCli(['check', '.', '--format', 'json'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(lines(r.stderr)).toEqual([`migralint: ${LATIN1}: ${LATIN1_REASON}`, `migralint: ${BINARY}: ${BINARY_REASON}`]);
    const report = jsonReport(r);
    expect(report.fileProblems).toEqual([
      { file: LATIN1, reason: LATIN1_REASON },
      { file: BINARY, reason: BINARY_REASON },
    ]);
    expect(findingTuples(report)).toEqual(GOOD_FINDINGS);
    expect(report.summary.migrations).toBe(2);
  });

  it('text: exactly one line per unusable file in the report, and the summary counts them', () => {
    const dir = badTree();
    const r = runCli(['check', '.'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    expect(out.filter((l) => l.includes('3_latin1.sql'))).toEqual([`${LATIN1}: ${LATIN1_REASON}`]);
    expect(out.filter((l) => l.includes('4_binary.sql'))).toEqual([`${BINARY}: ${BINARY_REASON}`]);
    expect(out.at(-1)).toBe('✖ 3 problems (3 errors, 0 warnings) in 2 migrations (2 files); 2 files could not be linted');
    expect(r.stdout).not.toMatch(/\n\s+at /);
  });

  it('--output: the problems still reach stderr, one line each', () => {
    const dir = badTree();
    const r = runCli(['check', '.', '--output', 'report.txt'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([`migralint: ${LATIN1}: ${LATIN1_REASON}`, `migralint: ${BINARY}: ${BINARY_REASON}`]);
  });

  it('github: an ::error annotation per unusable file', () => {
    const dir = badTree();
    const r = runCli(['check', '.', '--format', 'github'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(lines(r.stdout).filter((l) => l.includes('title=migralint::'))).toEqual([
      `::error file=${LATIN1},title=migralint::${LATIN1_REASON}`,
      `::error file=${BINARY},title=migralint::${BINARY_REASON}`,
    ]);
  });

  it('a bad file given alone is still a finding-level failure (1), not "no migrations" (2)', () => {
    const dir = badTree();
    const r = runCli(['check', BINARY, '--format', 'json'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(lines(r.stderr)).toEqual([`migralint: ${BINARY}: ${BINARY_REASON}`]);
    expect(jsonReport(r).findings).toEqual([]);
  });

  const root = process.getuid?.() === 0;
  it.skipIf(root)('an unreadable file (chmod 000): one line, "permission denied", the rest linted (skipped as root: root reads mode-000 files)', () => {
    const dir = copyFixture('bad-input');
    const unreadable = 'migrations/5_unreadable.sql';
    writeTree(dir, { [unreadable]: 'DROP TABLE users;\n' });
    chmodSync(path.join(dir, unreadable), 0o000);
    try {
      const r = runCli(['check', '.', '--format', 'json'], { cwd: dir });
      expect(r.status).toBe(1);
      expect(lines(r.stderr)).toEqual([`migralint: ${unreadable}: permission denied`]);
      expect(jsonReport(r).fileProblems).toEqual([{ file: unreadable, reason: 'permission denied' }]);
      expect(findingTuples(r)).toEqual(GOOD_FINDINGS);
    } finally {
      chmodSync(path.join(dir, unreadable), 0o644);
    }
  });
});

describe('a path argument that cannot be used', () => {
  const root = process.getuid?.() === 0;
  it.skipIf(root)('an unreadable directory is named with "permission denied" (exit 2), not "no migrations found" (skipped as root)', () => {
    const dir = writeTree(makeTempDir(), { 'locked/migrations/1_init.sql': 'DROP TABLE users;\n' });
    chmodSync(path.join(dir, 'locked'), 0o000);
    try {
      const r = runCli(['check', 'locked'], { cwd: dir });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe('migralint: locked: permission denied\n');
    } finally {
      chmodSync(path.join(dir, 'locked'), 0o755);
    }
  });

  it('a symlink loop is one plain line, exit 2', () => {
    const dir = makeTempDir();
    symlinkSync('self', path.join(dir, 'self'));
    const r = runCli(['check', 'self'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('migralint: self: too many levels of symbolic links (a symlink loop?)\n');
  });
});

describe('a file given that is not a migration (a pre-commit hook passes what changed)', () => {
  it('a README beside the migration is named on one line, not linted as SQL, even when the migration is given too', () => {
    const dir = writeTree(makeTempDir(), {
      'migrations/1_init.up.sql': 'CREATE TABLE a (id int);\n',
      'migrations/1_init.down.sql': 'DROP TABLE a;\n',
      'migrations/README.md': '# Migrations\n\nRun them with migrate.\n',
    });
    const r = runCli(['check', 'migrations/README.md', 'migrations/1_init.up.sql', '--format', 'json'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(findingTuples(r)).toEqual([]);
    expect(jsonReport(r).fileProblems).toEqual([{ file: 'migrations/README.md', reason: 'not a migration file (expected .sql, or a Knex migration in .js/.ts)' }]);
    expect(lines(r.stderr)).toEqual([
      'migralint: migrations/README.md: not a migration file (expected .sql, or a Knex migration in .js/.ts)',
      // Nothing in this SQL or project names the dialect.
      'migralint: dialect assumed: postgres; set --dialect (for migrations)',
    ]);
  });
});

describe('a JS file that is not a migration', () => {
  it('is named with the reason, and the exit is non-zero', () => {
    const dir = writeTree(makeTempDir(), { 'src/app.js': 'console.log("hello");\n' });
    const r = runCli(['check', 'src/app.js'], { cwd: dir });
    expect(r.stdout).toContain('src/app.js: not a Knex migration (no exported up(knex) found)');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
  });
});
