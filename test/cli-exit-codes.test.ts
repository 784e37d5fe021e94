/**
 * End to end, the exit-code contract (0: nothing at error level; 1: errors, too many warnings,
 * unreadable migration files; 2: usage or internal error) and the `rules` / `explain` commands.
 * Usage errors print one `migralint: ...` line on stderr that names what was wrong, and no
 * stack trace.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULES } from '../src/engine/registry.js';
import { VERSION } from '../src/package-info.js';
import { copyFixture, jsonReport, makeTempDir, removeTempDirs, runCli, writeTree, type CliResult } from './helpers/cli.js';

afterAll(removeTempDirs);

/** One `migralint: ...` line on stderr, nothing on stdout, no stack trace. */
function expectUsageError(r: CliResult, pattern: RegExp): void {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

// Every error-level rule the sql/basic tree triggers, demoted.
const DEMOTE = ['no-drop-column', 'require-not-null-backfill', 'require-concurrent-index', 'no-truncate', 'no-drop-table'].flatMap((id) => ['--rule', `${id}=warn`]);

describe('exit 0 and 1', () => {
  it('0 for a tree with nothing to report', () => {
    const dir = writeTree(makeTempDir(), { 'migrations/1_init.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' });
    const r = runCli(['check', '.', '--dialect', 'postgres'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('1 with findings at error level', () => {
    const r = runCli(['check', '.'], { cwd: copyFixture('sql/basic') });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
  });

  it('0 when every finding is only a warning (--rule ID=warn)', () => {
    const r = runCli(['check', '.', '--format', 'json', ...DEMOTE], { cwd: copyFixture('sql/basic') });
    expect(r.status).toBe(0);
    const report = jsonReport(r);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 6 });
    expect(new Set(report.findings.map((f) => f.severity))).toEqual(new Set(['warning']));
  });

  it('1 when warnings exceed --max-warnings, 0 at the limit', () => {
    const tree = copyFixture('sql/basic');
    const over = runCli(['check', '.', ...DEMOTE, '--max-warnings', '0'], { cwd: tree });
    expect(over.status).toBe(1);
    expect(over.stderr).toBe('migralint: 6 warnings exceed --max-warnings 0\n');
    expect(runCli(['check', '.', ...DEMOTE, '--max-warnings', '5'], { cwd: tree }).status).toBe(1);
    expect(runCli(['check', '.', ...DEMOTE, '--max-warnings', '6'], { cwd: tree }).status).toBe(0);
    // -1 means no limit, as in ESLint.
    expect(runCli(['check', '.', ...DEMOTE, '--max-warnings', '-1'], { cwd: tree }).status).toBe(0);
  });

  it('--rule ID=off removes a rule\'s findings', () => {
    const r = runCli(['check', '.', '--format', 'json', '--rule', 'no-drop-table=off'], { cwd: copyFixture('sql/basic') });
    expect(jsonReport(r).findings.map((f) => f.ruleId)).not.toContain('no-drop-table');
    expect(r.status).toBe(1);
  });
});

describe('exit 2: usage errors', () => {
  const tree = copyFixture('sql/basic');

  it('an unknown option', () => {
    expectUsageError(runCli(['check', '.', '--bogus'], { cwd: tree }), /unknown option '--bogus'/);
  });

  it('an unknown --format', () => {
    expectUsageError(runCli(['check', '.', '--format', 'xml'], { cwd: tree }), /'xml'/);
  });

  it('a path that does not exist, named in the message', () => {
    const r = runCli(['check', 'migrations', 'no/such/dir'], { cwd: tree });
    expectUsageError(r, /^migralint: no\/such\/dir: no such file or directory\n$/);
  });

  it('a directory without migrations: the message says where it looked and for what', () => {
    const dir = writeTree(makeTempDir(), { 'docs/README.md': '# not a migration\n' });
    mkdirSync(path.join(dir, 'empty'));
    const r = runCli(['check', 'docs', 'empty'], { cwd: dir });
    expectUsageError(r, /^migralint: no migrations found in docs, empty \(looked for \.sql files/);
  });

  it('an unknown rule in --rule, named in the message', () => {
    expectUsageError(runCli(['check', '.', '--rule', 'no-such-rule=warn'], { cwd: tree }), /unknown rule "no-such-rule"/);
  });

  it('a level that does not exist in --rule', () => {
    expectUsageError(runCli(['check', '.', '--rule', 'no-drop-table=loud'], { cwd: tree }), /--rule no-drop-table=loud: expected RULE=off\|info\|warn\|error/);
  });

  it('--max-warnings that is not a number', () => {
    expectUsageError(runCli(['check', '.', '--max-warnings', 'many'], { cwd: tree }), /--max-warnings many: expected a whole number/);
  });
});

describe('rules, explain, version', () => {
  const cwd = makeTempDir();

  it('`rules` lists every rule id with its default level', () => {
    const r = runCli(['rules'], { cwd });
    expect(r.status).toBe(0);
    const listed = r.stdout
      .split('\n')
      .slice(1)
      .map((l) => /^([a-z0-9-]+)\s{2,}(error|warning|info|off)\s/.exec(l))
      .filter((m) => m !== null)
      .map((m) => m[1]);
    expect(listed).toEqual(RULES.map((rule) => rule.meta.id));
    for (const core of ['no-drop-table', 'no-drop-column', 'no-truncate', 'require-down', 'require-concurrent-index', 'require-not-null-backfill']) {
      expect(listed).toContain(core);
    }
  });

  it('`explain RULE` prints the rule\'s doc', () => {
    const r = runCli(['explain', 'no-drop-table'], { cwd });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe('# no-drop-table');
  });

  it('`explain` of an unknown rule exits 2 and names it', () => {
    expectUsageError(runCli(['explain', 'nope'], { cwd }), /^migralint: unknown rule "nope"/);
  });

  it('--version prints the package version', () => {
    const r = runCli(['--version'], { cwd });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });
});
