/**
 * Run the built CLI (`node bin/migralint.js`) as a user would, and read what it printed.
 *
 *   const r = runCli(['check', '.', '--format', 'json'], { cwd: tree });
 *   expect(r.status).toBe(1);
 *   expect(findingTuples(r)).toEqual([['migrations/2_x.sql', 3, 1, 'no-drop-table']]);
 *
 * The test command builds first (`tsc && vitest run`); when the build is missing these helpers
 * fail with a message that says so instead of a confusing module error.
 *
 * Fixture trees are copied to a fresh temporary directory before a run (`copyFixture`), so a
 * config file that someone adds to the repository (which the CLI would find by walking up from
 * the fixture) cannot change what the tests see, and tests may add or break files freely.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(REPO, 'bin', 'migralint.js');
export const FIXTURES = path.join(REPO, 'fixtures');

export interface CliResult {
  /** Exit code; null when the process was killed. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd: string;
  /**
   * Extra environment variables, over NO_COLOR=1 (FORCE_COLOR and MIGRALINT_DEBUG are cleared
   * first); `undefined` removes a variable (`{ NO_COLOR: undefined }`).
   */
  readonly env?: Record<string, string | undefined>;
}

export function runCli(args: readonly string[], options: RunOptions): CliResult {
  if (!existsSync(path.join(REPO, 'dist', 'bundle', 'main.js'))) {
    throw new Error('dist/ is missing: build first with `npm run build` (npm test does this)');
  }
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  delete env.MIGRALINT_DEBUG;
  Object.assign(env, options.env);
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd, env, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tempDirs: string[] = [];

/** A fresh empty temporary directory, removed by `removeTempDirs()`. */
export function makeTempDir(prefix = 'migralint-cli-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Copy `fixtures/<rel>` into a fresh temporary directory and return that directory. */
export function copyFixture(rel: string): string {
  const src = path.join(FIXTURES, rel);
  if (!existsSync(src)) throw new Error(`no fixture ${rel}`);
  const dir = makeTempDir();
  cpSync(src, dir, { recursive: true });
  return dir;
}

/** Write files (path relative to `dir` → text or bytes), creating folders as needed. */
export function writeTree(dir: string, files: Record<string, string | Uint8Array>): string {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return dir;
}

/** Remove every directory `makeTempDir`/`copyFixture` made (call it in `afterAll`). */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface JsonFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  help: string | null;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  migration: string | null;
}

export interface JsonReport {
  version: string;
  findings: JsonFinding[];
  fileProblems: { file: string; reason: string }[];
  summary: { sets: number; migrations: number; files: number; errors: number; warnings: number; infos: number; dialectAssumed?: { dialect: string; sets: string[] } };
}

/** Parse the `--format json` report a run printed (fails with the output when it is not JSON). */
export function jsonReport(r: CliResult): JsonReport {
  try {
    return JSON.parse(r.stdout) as JsonReport;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.status}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

export type FindingTuple = [file: string, line: number, column: number, ruleId: string];

/** `[file, line, column, ruleId]` of every finding, in report order. */
export function findingTuples(r: CliResult | JsonReport): FindingTuple[] {
  const report = 'findings' in r ? r : jsonReport(r);
  return report.findings.map((f) => [f.file, f.line, f.column, f.ruleId]);
}

/**
 * stderr without the once-per-run notice that a set's dialect was assumed (nothing in the tree
 * states it): tests about other stderr lines read the rest.
 */
export function withoutDialectNotice(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !l.startsWith('migralint: dialect assumed:'))
    .join('\n');
}
