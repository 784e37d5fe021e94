/**
 * Lint a git repository in-process with `--changed-since main` after a branch edited it:
 *
 *   const dir = makeRepo({ 'db/001_a.sql': 'CREATE TABLE a (id int);' });
 *   edit(dir, { 'db/001_a.sql': 'CREATE TABLE a (id bigint);' });
 *   expect(await changedFindings(dir, 'no-modified-migration')).toEqual([['db/001_a.sql', 1, 1]]);
 *
 * `edit` writes files (null deletes one) in the work tree of a branch `feature`, uncommitted.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { check } from '../../src/check.js';
import type { FormatId } from '../../src/model.js';
import { spanToRegion } from '../../src/report/location.js';
import { writeTree } from './cli.js';
import { git } from './git.js';
import { DEFAULT_CONFIG } from './lint-sql.js';

export function edit(dir: string, files: Record<string, string | null>): void {
  if (git(dir, ['branch', '--show-current']).trim() !== 'feature') git(dir, ['checkout', '-q', '-b', 'feature']);
  for (const [rel, text] of Object.entries(files)) {
    if (text === null) rmSync(path.join(dir, rel));
    else writeTree(dir, { [rel]: text });
  }
}

export interface ChangedFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export async function changedFindings(dir: string, ruleId: string, options: { format?: FormatId; dialect?: 'postgres' | 'sqlite' | 'mysql' } = {}): Promise<ChangedFinding[]> {
  const result = await check(['.'], { cwd: dir, config: DEFAULT_CONFIG, changedSince: 'main', format: options.format, dialect: options.dialect });
  return result.findings
    .filter((f) => f.ruleId === ruleId)
    .map((f) => {
      const r = spanToRegion(f.span);
      return { file: f.span.file.relPath, line: r.line, column: r.column, message: f.message };
    });
}

/** Findings of one rule without --changed-since: the rules must stay silent. */
export async function plainFindings(dir: string, ruleId: string): Promise<number> {
  const result = await check(['.'], { cwd: dir, config: DEFAULT_CONFIG });
  return result.findings.filter((f) => f.ruleId === ruleId).length;
}
