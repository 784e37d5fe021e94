/**
 * End to end, what `migralint check` prints: the text report (code frame, help and docs lines,
 * summary), JSON, SARIF, GitHub workflow commands, and `--output FILE`. Deep checks of each
 * reporter live in the report-* tests; these make sure the CLI wires them up.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docsUrl } from '../src/engine/rule.js';
import { BIN, copyFixture, findingTuples, jsonReport, makeTempDir, removeTempDirs, runCli, writeTree, type CliResult } from './helpers/cli.js';

afterAll(removeTempDirs);

const ANSI = /\u001b\[/;
const DBMATE_FILE = 'db/migrations/20240103090000_tighten_users.sql';

/** The block of a text report that starts with `header` (blocks are separated by blank lines + a header). */
function block(stdout: string, header: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.indexOf(header);
  if (start < 0) throw new Error(`no block "${header}" in:\n${stdout}`);
  const end = lines.findIndex((l, i) => i > start && /^\S.*:\d+:\d+ {2}/.test(l));
  return lines.slice(start, end < 0 ? lines.length : end);
}

describe('text report', () => {
  let r: CliResult;
  beforeAll(() => {
    r = runCli(['check', '.'], { cwd: copyFixture('dbmate/basic') });
  });

  it('prints one block per finding with a code frame underlining the exact columns', () => {
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(ANSI);
    const lines = block(r.stdout, `${DBMATE_FILE}:4:19  error  no-drop-column`);
    // Two lines of context, then the `>` line and the caret line right under it.
    const arrow = lines.findIndex((l) => /^ {2}> 4 \| /.test(l));
    expect(arrow).toBeGreaterThan(0);
    expect(lines[arrow - 2]).toBe('    2 | -- Backfilled by the previous migration: safe only because that one runs first.');
    expect(lines[arrow - 1]).toBe('    3 | ALTER TABLE users ALTER COLUMN nickname SET NOT NULL;');
    expect(lines[arrow]).toBe('  > 4 | ALTER TABLE users DROP COLUMN legacy_name;');
    const caret = lines[arrow + 1]!;
    expect(caret).toMatch(/^ {6}\| +\^+$/);
    // The carets sit exactly under `DROP COLUMN legacy_name` (columns 19 to 41).
    const spanText = 'DROP COLUMN legacy_name';
    expect(caret.indexOf('^')).toBe(lines[arrow]!.indexOf(spanText));
    expect(caret.trimEnd().length - caret.indexOf('^')).toBe(spanText.length);
    // help and docs close the block.
    expect(lines.some((l) => /^ {2}help: \S/.test(l))).toBe(true);
    expect(lines).toContain(`  docs: ${docsUrl('no-drop-column')}`);
  });

  it('uses the framework-specific help where the rule has one', () => {
    const lines = block(r.stdout, `${DBMATE_FILE}:6:1  error  require-concurrent-index`);
    expect(lines.find((l) => l.startsWith('  help: '))).toContain('-- migrate:up transaction:false');
  });

  it('ends with a summary line', () => {
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('✖ 4 problems (4 errors, 0 warnings) in 4 migrations (4 files)');
  });

  it('says so when there is nothing to report', () => {
    const dir = writeTree(makeTempDir(), { 'migrations/1_init.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' });
    const clean = runCli(['check', '.'], { cwd: dir });
    expect(clean.status).toBe(0);
    expect(clean.stdout).toBe('✔ No problems in 1 migration (1 file)\n');
  });

  it('counts warnings apart from errors', () => {
    const dir = copyFixture('goose/basic');
    const levels = ['no-drop-column=warn', 'require-not-null-backfill=warn', 'require-concurrent-index=info', 'no-truncate=off'].flatMap((r) => ['--rule', r]);
    const warned = runCli(['check', '.', ...levels], { cwd: dir });
    expect(warned.status).toBe(0);
    // require-down stays a warning; `disable-next-line no-truncate` is not reported as unused
    // while no-truncate is off.
    expect(warned.stdout.trimEnd().split('\n').at(-1)).toBe('✖ 4 problems (0 errors, 3 warnings, 1 info) in 4 migrations (4 files)');
  });
});

describe('machine formats', () => {
  it('json: the documented fields of every finding, and a summary', () => {
    const tree = copyFixture('golang-migrate/basic');
    const r = runCli(['check', '.', '--format', 'json'], { cwd: tree });
    const report = jsonReport(r);
    const drop = report.findings.find((f) => f.ruleId === 'no-drop-column')!;
    expect(drop).toMatchObject({
      severity: 'error',
      file: 'db/migrations/10_tighten_users.up.sql',
      line: 3,
      column: 19,
      endLine: 3,
      endColumn: 42,
      migration: 'db/migrations#10',
    });
    expect(typeof drop.message).toBe('string');
    expect(typeof drop.help).toBe('string');
    expect(report.summary).toEqual({ sets: 1, migrations: 4, files: 7, errors: 3, warnings: 1, infos: 0 });
  });

  it('sarif: a SARIF 2.1.0 log with one result per finding', () => {
    const tree = copyFixture('golang-migrate/basic');
    const json = jsonReport(runCli(['check', '.', '--format', 'json'], { cwd: tree }));
    const r = runCli(['check', '.', '--format', 'sarif'], { cwd: tree });
    expect(r.status).toBe(1);
    const log = JSON.parse(r.stdout) as {
      version: string;
      runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[];
    };
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('migralint');
    const results = run.results.map((res) => {
      const loc = res.locations[0]!.physicalLocation;
      return [loc.artifactLocation.uri, loc.region.startLine, loc.region.startColumn, res.ruleId];
    });
    expect(results).toEqual(findingTuples(json));
  });

  it('github: one workflow command per finding, then the summary', () => {
    const tree = copyFixture('golang-migrate/basic');
    const r = runCli(['check', '.', '--format', 'github'], { cwd: tree });
    expect(r.status).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('::error file=')).map((l) => l.replace(/,endLine=.*$/, ''))).toEqual([
      '::error file=db/migrations/10_tighten_users.up.sql,line=3,col=19',
      '::error file=db/migrations/10_tighten_users.up.sql,line=4,col=19',
      '::error file=db/migrations/10_tighten_users.up.sql,line=7,col=1',
    ]);
    expect(lines.filter((l) => l.startsWith('::warning file=db/migrations/10_tighten_users.up.sql,line=1,col=1,'))).toHaveLength(1);
    expect(lines.find((l) => l.includes('line=3,col=19'))).toMatch(/,title=no-drop-column::/);
    expect(lines.at(-1)).toBe('✖ 4 problems (3 errors, 1 warning) in 4 migrations (7 files)');
  });
});

describe('colour', () => {
  it('follows FORCE_COLOR (0 and false mean off) and NO_COLOR (wins) when stdout is not a terminal', () => {
    const tree = copyFixture('dbmate/basic');
    const coloured = (env: Record<string, string | undefined>, args: string[] = []) =>
      ANSI.test(runCli(['check', '.', ...args], { cwd: tree, env: { NO_COLOR: undefined, CI: undefined, ...env } }).stdout);
    expect(coloured({})).toBe(false);
    // CI logs (GitHub Actions and most others) render colour, as picocolors assumes.
    expect(coloured({ CI: 'true' })).toBe(true);
    expect(coloured({ FORCE_COLOR: '1' })).toBe(true);
    expect(coloured({ FORCE_COLOR: '0' })).toBe(false);
    expect(coloured({ FORCE_COLOR: 'false' })).toBe(false);
    expect(coloured({ FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
    expect(coloured({ FORCE_COLOR: '1' }, ['--no-color'])).toBe(false);
    expect(coloured({ FORCE_COLOR: '1' }, ['--format', 'json'])).toBe(false);
  });
});

describe('--output FILE', () => {
  it('writes the report to the file and nothing to stdout; the exit code is unchanged', () => {
    const tree = copyFixture('dbmate/basic');
    const stdoutRun = runCli(['check', '.', '--format', 'json'], { cwd: tree });
    const r = runCli(['check', '.', '--format', 'json', '--output', 'reports/migralint.json'], { cwd: tree });
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(readFileSync(path.join(tree, 'reports/migralint.json'), 'utf8')).toBe(stdoutRun.stdout);
  });

  it('text to a file has no colour codes', () => {
    const tree = copyFixture('dbmate/basic');
    const r = runCli(['check', '.', '-o', 'out.txt'], { cwd: tree, env: { FORCE_COLOR: '1' } });
    expect(r.stdout).toBe('');
    const text = readFileSync(path.join(tree, 'out.txt'), 'utf8');
    expect(text).not.toMatch(ANSI);
    expect(text).toContain(`${DBMATE_FILE}:4:19  error  no-drop-column`);
  });

  it('a report that cannot be written is a usage error naming the file', () => {
    const tree = copyFixture('dbmate/basic');
    writeTree(tree, { 'blocker': 'a file, not a directory\n' });
    const r = runCli(['check', '.', '--output', 'blocker/report.txt'], { cwd: tree });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^migralint: --output blocker\/report\.txt: /);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(path.join(tree, 'blocker/report.txt'))).toBe(false);
  });

  it('says in plain words why a report cannot be written, and never hangs creating folders', () => {
    const tree = copyFixture('dbmate/basic');
    writeTree(tree, { 'blocker': 'a file, not a directory\n', 'adir/keep': '' });
    const cases: [string, string][] = [
      ['blocker/report.txt', 'a part of the path is a file, not a directory'],
      ['adir', 'is a directory'],
    ];
    // mkdir under /proc fails with ENOENT: Node 20's recursive mkdirSync loops forever on it.
    if (process.platform === 'linux') cases.push(['/proc/migralint-nope/report.txt', 'no such file or directory']);
    for (const [target, reason] of cases) {
      const r = runCli(['check', '.', '--output', target], { cwd: tree });
      expect(r.status, target).toBe(2);
      expect(r.stderr, target).toBe(`migralint: --output ${target}: ${reason}\n`);
    }
  });
});

describe('a reader that stops early', () => {
  it('`migralint check | head` ends quietly with the usual exit code, not an EPIPE stack trace', async () => {
    const dir = writeTree(makeTempDir(), {
      'migrations/1_init.sql': 'CREATE TABLE t (id int, b text);\n',
      'migrations/2_big.sql': 'ALTER TABLE t DROP COLUMN b;\n'.repeat(3000),
    });
    for (const format of ['text', 'json']) {
      const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
      delete env.FORCE_COLOR;
      const child = spawn(process.execPath, [BIN, 'check', '.', '--format', format, '--dialect', 'postgres'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Like `head -1`: read the first chunk, then close the pipe.
      child.stdout.once('data', () => child.stdout.destroy());
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr, format).toBe('');
      expect(status, format).toBe(1);
    }
  });
});
