/**
 * Confirm runs in process, on the real PGlite (booted once per test file: the driver keeps one
 * instance per process) or the real server, over migration trees written to a temp directory.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { check } from '../../src/check.js';
import { loadConfig } from '../../src/engine/config.js';
import { confirmResult, type ConfirmOptions, type ConfirmOutput } from '../../src/confirm/run.js';
import type { Finding } from '../../src/model.js';

export const SERVER_URL = process.env.MIGRALINT_TEST_DATABASE_URL;
export const NO_SERVER = 'MIGRALINT_TEST_DATABASE_URL is unset (e.g. postgres://postgres@127.0.0.1:5432/postgres)';

/** Writes `files` (path → text) under a fresh temp directory and returns it. */
export function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'migralint-confirm-'));
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

export async function confirmTree(dir: string, opts: Partial<ConfirmOptions> = {}, paths: string[] = ['.']): Promise<ConfirmOutput> {
  const config = await loadConfig(dir);
  const result = await check(paths, { cwd: dir, config });
  return confirmResult(result, config, { keep: false, seedRows: 1000, seed: 1, statementTimeoutMs: 60_000, strict: false, ...opts });
}

export function only(out: ConfirmOutput, ruleId: string): Finding {
  const hits = out.findings.filter((f) => f.ruleId === ruleId);
  if (hits.length !== 1) throw new Error(`expected one ${ruleId} finding, got ${hits.length}: ${out.findings.map((f) => `${f.ruleId}@${f.span.file.relPath}`).join(', ')}`);
  return hits[0]!;
}

/** dbmate migration text. */
export function dbmate(up: string, down?: string, options = ''): string {
  return `-- migrate:up${options ? ` ${options}` : ''}\n${up}\n${down === undefined ? '' : `-- migrate:down\n${down}\n`}`;
}

/**
 * For the confirm-only rules' tests: the real server when MIGRALINT_TEST_DATABASE_URL is set
 * (a fast throwaway database), else the real PGlite (one boot per test file).
 */
export const RULE_TEST_DRIVER: Partial<ConfirmOptions> = SERVER_URL ? { databaseUrl: SERVER_URL } : {};

/** [ruleId, relPath, line, column] of the findings of one rule, from a confirm run. */
export function positions(out: ConfirmOutput, ruleId: string): [string, number, number][] {
  return out.findings.filter((f) => f.ruleId === ruleId).map((f) => {
    const before = f.span.file.text.slice(0, f.span.start);
    const line = before.split('\n').length;
    const column = f.span.start - before.lastIndexOf('\n');
    return [f.span.file.relPath, line, column];
  });
}
