/**
 * The fixer's own guarantees, on real files and the real engine (src/fix/): overlapping fixes
 * wait for the next pass, the same rewrite reported twice is applied once, and a fix that would
 * leave a file unparseable is undone (a broken rule is simulated by adding such a fix to a real
 * finding: no rule of migralint's makes one, which test/rules/fixes.test.ts checks).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import type { LintResult } from '../src/engine/result.js';
import { applyFixes } from '../src/fix/apply.js';
import { checkWithFixes } from '../src/fix/run.js';
import type { Fix } from '../src/model.js';
import { makeTempDir, removeTempDirs, writeTree } from './helpers/cli.js';

afterAll(removeTempDirs);

const fix = (start: number, end: number, text: string): { fix: Fix } => ({ fix: { description: text, safe: true, edits: [{ start, end, text }] } });

describe('applyFixes', () => {
  it('takes fixes in order of position and defers one that touches a taken edit', () => {
    const out = applyFixes('abcdef', [fix(4, 5, 'E'), fix(1, 3, 'BC'), fix(2, 4, 'xx')]);
    expect(out.text).toBe('aBCdEf');
    expect(out.deferred.map((d) => d.fix.description)).toEqual(['xx']);
  });

  it('applies the same rewrite reported by two findings once; two insertions at one point conflict', () => {
    expect(applyFixes('ab', [fix(1, 1, '+'), fix(1, 1, '+')]).text).toBe('a+b');
    const two = applyFixes('ab', [fix(1, 1, '1'), fix(1, 1, '2')]);
    expect(two.text).toBe('a1b');
    expect(two.deferred).toHaveLength(1);
  });

  it('keeps the order of one fix\'s insertions at the same point', () => {
    const one: Fix = { description: 'two', safe: true, edits: [{ start: 1, end: 1, text: 'X' }, { start: 1, end: 1, text: 'Y' }] };
    expect(applyFixes('ab', [{ fix: one }]).text).toBe('aXYb');
  });
});

describe('checkWithFixes', () => {
  it('puts back a file that a fix made unparseable, and says so', async () => {
    const original = 'CREATE TABLE t (id int);\nCREATE TABLE u (id int);\n';
    const dir = writeTree(makeTempDir(), { 'migrations/001_a.sql': original });
    const config = { rules: { 'prefer-robust-stmts': 'warn' as const }, ignore: [], postgresVersion: 14, dialect: 'postgres' as const };
    let calls = 0;
    const lint = async (): Promise<LintResult> => {
      const result = await check(['migrations'], { cwd: dir, config });
      // The first run: the finding's fix is broken (an unbalanced parenthesis).
      if (calls++ === 0) result.findings[0] = { ...result.findings[0]!, fixes: [{ description: 'broken', safe: true, edits: [{ start: 0, end: 0, text: '((' }] }] };
      return result;
    };
    const lines: string[] = [];
    const result = await checkWithFixes(lint, { dryRun: false, stderr: (t) => lines.push(t) });
    expect(readFileSync(path.join(dir, 'migrations/001_a.sql'), 'utf8')).toBe(original);
    expect(lines).toEqual([
      'migralint: fixed migrations/001_a.sql:1:1 prefer-robust-stmts: broken\n',
      'migralint: fixed migrations/001_a.sql:2:1 prefer-robust-stmts: Add IF NOT EXISTS (the statement can be re-run; locking and transactions are unchanged).\n',
      // The whole file goes back: its good fix with the broken one.
      'migralint: migrations/001_a.sql: the fixes made it unparseable; left as it was\n',
    ]);
    // The report is of the file as it is again: the real finding, with its real fix.
    expect(result.findings.map((f) => [f.ruleId, f.fixes?.[0]?.description.startsWith('Add IF NOT EXISTS')])).toEqual([
      ['prefer-robust-stmts', true],
      ['prefer-robust-stmts', true],
    ]);
  });

  it('leaves a file alone that changed on disk after it was linted', async () => {
    const dir = writeTree(makeTempDir(), { 'migrations/001_a.sql': 'CREATE TABLE t (id int);\nCREATE TABLE u (id int);\n' });
    const config = { rules: { 'prefer-robust-stmts': 'warn' as const }, ignore: [], postgresVersion: 14, dialect: 'postgres' as const };
    let first = true;
    const lint = async (): Promise<LintResult> => {
      const result = await check(['migrations'], { cwd: dir, config });
      // Someone saves the file between the lint and the fix.
      if (first) writeTree(dir, { 'migrations/001_a.sql': 'CREATE TABLE t (id bigint);\nCREATE TABLE u (id int);\n' });
      first = false;
      return result;
    };
    const lines: string[] = [];
    await checkWithFixes(lint, { dryRun: false, stderr: (t) => lines.push(t) });
    expect(readFileSync(path.join(dir, 'migrations/001_a.sql'), 'utf8')).toBe('CREATE TABLE t (id bigint);\nCREATE TABLE u (id int);\n');
    expect(lines).toEqual(['migralint: migrations/001_a.sql: not fixed: the file is not UTF-8, or it changed while migralint ran\n']);
  });
});
