/**
 * Every input survives: each case of ./cases.ts sits beside a good migration in one generated
 * tree, and one run per report format checks that the run finished, the exit code, one line per
 * unusable file naming it and the reason (stderr for machine formats, the report for text), the
 * good migrations still reported, JSON and SARIF still parse (stdout carries the report alone),
 * and control characters never reach a terminal raw.
 */
import { chmodSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeInline } from '../../src/report/escape.js';
import { findingTuples, jsonReport, makeTempDir, removeTempDirs, runCli, withoutDialectNotice, writeTree, type CliResult } from '../helpers/cli.js';
import { CASES, writeCases, type RobustnessCase } from './cases.js';

let tree: string;
let written: RobustnessCase[];
const runs = new Map<string, CliResult>();
const run = (format: string): CliResult => {
  let r = runs.get(format);
  if (!r) {
    r = runCli(['check', '.', '--format', format], { cwd: tree });
    runs.set(format, r);
  }
  return r;
};

beforeAll(() => {
  tree = makeTempDir('migralint-robust-');
  written = writeCases(tree);
});
afterAll(() => {
  // Give back what a case locked, so the tree can be removed.
  for (const rel of ['unreadable-subdir/locked', 'unreadable-file/2_secret.sql']) {
    const p = path.join(tree, rel);
    if (existsSync(p)) chmodSync(p, 0o755);
  }
  removeTempDirs();
});

const expectedProblems = (): [string, string | RegExp][] => written.flatMap((c) => c.problems.map(([p, reason]) => [`${c.name}/${p}`, reason] as [string, string | RegExp]));
const matches = (actual: string, want: string | RegExp): boolean => (typeof want === 'string' ? actual === want : want.test(actual));
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe.each(CASES.filter((c) => c.skip?.()).map((c) => [c.name, c.skip!()]))('skipped here: %s', () => {
  it.skip('(reason in the title of this block)', () => {});
});

describe('robustness: every input beside good migrations', () => {
  it('json: exit 1, one stderr line per unusable file, every good migration and expected finding reported', () => {
    const r = run('json');
    expect(r.status).toBe(1);
    const report = jsonReport(r);
    // The report keeps exact names (JSON is data); every problem is expected and vice versa.
    const want = expectedProblems();
    expect(report.fileProblems.map((p) => p.file).sort()).toEqual(want.map(([p]) => p).sort());
    for (const [file, reason] of want) {
      const got = report.fileProblems.find((p) => p.file === file);
      expect([file, got && matches(got.reason, reason)]).toEqual([file, true]);
    }
    const stderr = withoutDialectNotice(r.stderr).split('\n').filter((l) => l !== '');
    expect(stderr).toHaveLength(want.length);
    for (const line of stderr) {
      expect(line).toMatch(/^migralint: \S/);
      expect(line).not.toMatch(RAW_CONTROL);
    }
    for (const [file] of want) expect(stderr).toContain(`migralint: ${escapeInline(file)}: ${escapeInline(report.fileProblems.find((p) => p.file === file)!.reason)}`);
    const tuples = report.findings.map((f) => [f.file, f.line, f.column, f.ruleId]);
    for (const c of written) {
      expect(tuples).toContainEqual([`${c.name}/1_good.sql`, 1, 1, 'no-drop-table']);
      for (const [file, line, col, rule] of c.findings ?? []) expect(tuples).toContainEqual([`${c.name}/${file}`, line, col, rule]);
    }
    // Nothing from the files that were not read.
    expect(tuples.filter(([f]) => want.some(([p]) => p === f))).toEqual([]);
    expect(JSON.stringify(report)).not.toContain('root:x:0:0');
  });

  it('sarif: parses, lists the good migrations', () => {
    const r = run('sarif');
    expect(r.status).toBe(1);
    const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const uris = sarif.runs[0]!.results.map((x) => decodeURIComponent(x.locations[0]!.physicalLocation.artifactLocation.uri));
    for (const c of written) expect(uris).toContain(`${c.name}/1_good.sql`);
    expect(withoutDialectNotice(r.stderr).split('\n').filter((l) => l !== '')).toHaveLength(expectedProblems().length);
  });

  it('text: the problems in the report (one line each, names escaped), the good migrations, no raw control characters, no leaked file', () => {
    const r = run('text');
    expect(r.status).toBe(1);
    expect(withoutDialectNotice(r.stderr)).toBe('');
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).not.toContain('root:x:0:0');
    for (const c of written) expect(r.stdout).toContain(`${c.name}/1_good.sql:1:1`);
    const lines = r.stdout.split('\n');
    for (const [file] of expectedProblems()) expect(lines.some((l) => l.startsWith(`${escapeInline(file)}: `))).toBe(true);
    // The control-character names, shown escaped.
    expect(r.stdout).toContain('control-names/2_\\x1b[2J\\x1b]0;pwned\\x07.sql:1:1');
    expect(r.stdout).toContain('control-names/3_two\\nlines\\r.sql:1:1');
  });

  it('github: one annotation line per finding and problem, no raw control characters', () => {
    const r = run('github');
    expect(r.status).toBe(1);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(lines.filter((l) => l.startsWith('::error file=') && l.includes('title=migralint::'))).toHaveLength(expectedProblems().length);
    for (const c of written) expect(lines.some((l) => l.includes(`file=${c.name}/1_good.sql,`))).toBe(true);
  });
});

describe('robustness: paths and configuration', () => {
  it('check m empty: the empty directory is named, exit 2', () => {
    const dir = writeTree(makeTempDir(), { 'm/1_x.sql': 'DROP TABLE x;\n' });
    mkdirSync(path.join(dir, 'empty'));
    const r = runCli(['check', 'm', 'empty'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^migralint: no migrations found in empty \(looked for .sql files/);
    expect(withoutDialectNotice(r.stderr).split('\n').filter((l) => l !== '')).toHaveLength(1);
  });

  it('a config "paths" entry outside its directory is reported, not followed (exit 2)', () => {
    const dir = writeTree(makeTempDir(), { 'proj/migralint.config.json': JSON.stringify({ paths: ['../elsewhere'] }), 'elsewhere/1_x.sql': 'DROP TABLE x;\n' });
    const r = runCli(['check'], { cwd: path.join(dir, 'proj') });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('migralint: migralint.config.json: "paths" entry "../elsewhere" is outside the config\'s directory; not followed (give it on the command line to check it)\n');
  });

  it('a config "paths" entry given as an absolute path inside its directory is followed, also from a subdirectory', () => {
    const dir = makeTempDir();
    writeTree(dir, {
      'proj/migralint.config.json': JSON.stringify({ paths: [path.join(dir, 'proj', 'db')] }),
      'proj/db/1_x.sql': 'CREATE TABLE x (id int);\n',
      'proj/db/2_x.sql': 'DROP TABLE x;\n',
      'proj/src/keep.txt': '',
    });
    const r = runCli(['check', '--format', 'json'], { cwd: path.join(dir, 'proj', 'src') });
    expect(withoutDialectNotice(r.stderr)).toBe('');
    expect(findingTuples(r)).toEqual([['../db/2_x.sql', 1, 1, 'no-drop-table']]);
  });

  it("a symlink into the config's directory is read; out of it, named and not read", () => {
    const dir = writeTree(makeTempDir(), {
      'migralint.config.json': '{}',
      'shared/2_shared.sql': 'DROP TABLE shared;\n',
      'db/migrations/1_init.sql': 'CREATE TABLE a (id int);\n',
    });
    const outside = writeTree(makeTempDir(), { 'secret.sql': 'DROP TABLE secret;\n' });
    symlinkSync('../../shared/2_shared.sql', path.join(dir, 'db/migrations/2_shared.sql'));
    symlinkSync(path.join(outside, 'secret.sql'), path.join(dir, 'db/migrations/3_secret.sql'));
    const r = runCli(['check', 'db/migrations', '--format', 'json'], { cwd: dir });
    const report = jsonReport(r);
    expect(report.findings.map((f) => [f.file, f.ruleId])).toEqual([['db/migrations/2_shared.sql', 'no-drop-table']]);
    expect(report.fileProblems).toEqual([{ file: 'db/migrations/3_secret.sql', reason: "a symbolic link that leads outside the checked paths (and the config's directory): not read" }]);
  });

  it('maxFileSizeMiB raises the cap: a file over 1 MiB is parsed in statement groups, every statement linted, stdout clean', () => {
    const stmt = "INSERT INTO users (id, name) VALUES (1, 'a;b');\n";
    const n = Math.ceil((1.1 * 1024 * 1024) / stmt.length);
    const dir = writeTree(makeTempDir(), {
      'migralint.config.json': JSON.stringify({ maxFileSizeMiB: 64 }),
      // A DROP near the start, one near the end; a syntax error between them.
      'm/1_big.sql': `DROP TABLE first;\n${stmt.repeat(n)}SELEC oops;\n${stmt.repeat(100)}DROP TABLE last;\n`,
    });
    const r = runCli(['check', 'm', '--format', 'json'], { cwd: dir });
    const report = jsonReport(r);
    expect(report.findings.map((f) => [f.line, f.ruleId])).toEqual([
      [1, 'no-drop-table'],
      [n + 2, 'syntax-error'],
      [n + 103, 'no-drop-table'],
    ]);
  });
});
