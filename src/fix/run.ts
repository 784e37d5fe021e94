/**
 * `migralint check --fix` (loaded only then): apply the safe fixes of a run to the migration
 * files, re-lint, and repeat until nothing more is fixed (at most MAX_PASSES times, as ESLint
 * does). Suggestions are never applied. A file is left alone when it has a syntax error, when
 * its bytes on disk are not the text that was linted (changed meanwhile, or not UTF-8), and a
 * file whose fixed text no longer parses is put back as it was. Writes are atomic: a temporary
 * file beside the migration, renamed over it.
 */
import { chmodSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LintResult } from '../engine/result.js';
import type { Finding, Fix, SourceFile } from '../model.js';
import { escapeInline } from '../report/escape.js';
import { spanToRegion } from '../report/location.js';
import { applyFixes } from './apply.js';

export const MAX_PASSES = 10;

export interface FixOptions {
  /** Print what would change, write nothing. */
  readonly dryRun: boolean;
  readonly stderr: (text: string) => void;
}

interface Item {
  readonly finding: Finding;
  readonly fix: Fix;
}

const SYNTAX_ERROR = 'syntax-error';

/** The file's bytes as they were when it was read for `file`. */
function expectedBytes(file: SourceFile): Buffer {
  return Buffer.from(`${file.bom ? '\ufeff' : ''}${file.text}`, 'utf8');
}

function writeAtomically(target: string, bytes: Buffer): void {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.migralint-${process.pid}.tmp`);
  try {
    writeFileSync(tmp, bytes, { flag: 'wx' });
    chmodSync(tmp, statSync(target).mode & 0o7777);
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

function hasSyntaxError(result: LintResult, file: string): boolean {
  return result.findings.some((f) => f.ruleId === SYNTAX_ERROR && f.span.file.path === file);
}

/** The safe fixes of a result, by file. */
function safeFixesByFile(result: LintResult): Map<string, { file: SourceFile; items: Item[] }> {
  const out = new Map<string, { file: SourceFile; items: Item[] }>();
  for (const finding of result.findings) {
    const fix = finding.fixes?.find((f) => f.safe);
    if (!fix) continue;
    const entry = out.get(finding.span.file.path) ?? { file: finding.span.file, items: [] };
    entry.items.push({ finding, fix });
    out.set(finding.span.file.path, entry);
  }
  return out;
}

/** Lines that differ between two texts, as `-`/`+` lines (one changed region per file). */
export function lineDiff(relPath: string, before: string, after: string): string {
  const a = before.split(/\r\n|\r|\n/);
  const b = after.split(/\r\n|\r|\n/);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const removed = a.slice(head, a.length - tail).map((l) => `-${l}`);
  const added = b.slice(head, b.length - tail).map((l) => `+${l}`);
  return [`--- ${relPath}`, `+++ ${relPath}`, `@@ -${head + 1},${removed.length} +${head + 1},${added.length} @@`, ...removed, ...added].map(escapeInline).join('\n') + '\n';
}

/**
 * Fix what can be fixed safely and return the result of the last lint (the findings that
 * remain). `lint` runs the check again on the files as they are on disk.
 */
export async function checkWithFixes(lint: () => Promise<LintResult>, options: FixOptions): Promise<LintResult> {
  const { stderr } = options;
  const leftAlone = new Set<string>();
  let result = await lint();
  /** Files written by the last pass, with their bytes before it. */
  let written = new Map<string, { relPath: string; before: Buffer; count: number }>();
  let fixed = 0;
  for (let pass = 1; ; pass++) {
    // A fix must not break the file: put back any file the last pass left unparseable.
    let reverted = false;
    for (const [file, { relPath, before, count }] of written) {
      if (!hasSyntaxError(result, file)) continue;
      leftAlone.add(file);
      reverted = true;
      try {
        writeAtomically(file, before);
        fixed -= count;
        stderr(`migralint: ${escapeInline(relPath)}: the fixes made it unparseable; left as it was\n`);
      } catch (err) {
        stderr(`migralint: ${escapeInline(relPath)}: the fixes made it unparseable, and putting it back failed: ${escapeInline(err instanceof Error ? err.message : String(err))}\n`);
      }
    }
    if (reverted) result = await lint();
    written = new Map();
    if (pass > MAX_PASSES) break;
    for (const [file, { file: source, items }] of safeFixesByFile(result)) {
      if (leftAlone.has(file)) continue;
      const rel = escapeInline(source.relPath);
      if (hasSyntaxError(result, file)) {
        leftAlone.add(file);
        stderr(`migralint: ${rel}: not fixed: it has a syntax error\n`);
        continue;
      }
      let before: Buffer;
      try {
        before = readFileSync(file);
      } catch {
        before = Buffer.alloc(0);
      }
      if (!before.equals(expectedBytes(source))) {
        leftAlone.add(file);
        stderr(`migralint: ${rel}: not fixed: the file is not UTF-8, or it changed while migralint ran\n`);
        continue;
      }
      const { text, applied } = applyFixes(source.text, items);
      for (const { finding, fix } of applied) {
        const r = spanToRegion(finding.span);
        stderr(`migralint: ${options.dryRun ? 'would fix' : 'fixed'} ${rel}:${r.line}:${r.column} ${escapeInline(finding.ruleId)}: ${escapeInline(fix.description)}\n`);
      }
      if (options.dryRun) {
        stderr(lineDiff(source.relPath, source.text, text));
        continue;
      }
      try {
        writeAtomically(file, Buffer.from(`${source.bom ? '\ufeff' : ''}${text}`, 'utf8'));
      } catch (err) {
        leftAlone.add(file);
        stderr(`migralint: ${rel}: not fixed: ${escapeInline(err instanceof Error ? err.message : String(err))}\n`);
        continue;
      }
      fixed += applied.length;
      written.set(file, { relPath: source.relPath, before, count: applied.length });
    }
    if (written.size === 0) break;
    result = await lint();
  }
  if (!options.dryRun && fixed > 0) stderr(`migralint: ${fixed} fix${fixed === 1 ? '' : 'es'} applied; the report shows what remains\n`);
  return result;
}
