/**
 * Inline suppressions:
 *   -- migralint-disable-next-line RULE[, RULE]   (SQL; `//` or `/* *\/` in JS/TS)
 *   -- migralint-disable RULE[, RULE]             (the whole file; no rule = every rule)
 * A directive that suppresses nothing, or names an unknown rule, is reported as `unused-disable`.
 */
import type { RawFinding, SourceFile, Span } from '../model.js';
import { lineIndex } from '../report/location.js';
import { commentStarts, commentSyntaxOf } from './comments.js';

export interface Directive {
  readonly kind: 'file' | 'next-line';
  /** Rule ids; empty means every rule. */
  readonly rules: string[];
  readonly span: Span;
  /** 1-based line of the comment. */
  readonly line: number;
  readonly used: Set<string>;
}

const DIRECTIVE = /(?:--|\/\/|\/\*)[ \t]*migralint-disable(-next-line)?(?=[\s*]|$)([^\r\n]*)/g;

export function parseDirectives(file: SourceFile): Directive[] {
  if (!file.text.includes('migralint-disable')) return [];
  const directives: Directive[] = [];
  const index = lineIndex(file);
  const comments = commentStarts(file.text, commentSyntaxOf(file.path));
  for (const m of file.text.matchAll(DIRECTIVE)) {
    // Text that only looks like a directive, inside a string literal, is not one.
    if (!comments.has(m.index)) continue;
    let rest = m[2] ?? '';
    const close = rest.indexOf('*/');
    if (close >= 0) rest = rest.slice(0, close);
    // Anything after a second `--` is a free-text reason, as in ESLint.
    const reason = rest.indexOf(' --');
    if (reason >= 0) rest = rest.slice(0, reason);
    const rules = rest.split(/[,\s]+/).filter((r) => r !== '');
    const start = m.index;
    const end = start + m[0].trimEnd().length;
    directives.push({ kind: m[1] ? 'next-line' : 'file', rules, span: { file, start, end }, line: index.lineOf(start), used: new Set() });
  }
  return directives;
}

/**
 * Does a directive cover this finding? `anchorLines` are the lines of the finding's own start and
 * of the statement it belongs to, so a comment above a multi-line statement covers findings on
 * any of its clauses.
 */
function covers(d: Directive, ruleId: string, anchorLines: readonly number[]): boolean {
  if (d.rules.length > 0 && !d.rules.includes(ruleId)) return false;
  if (d.kind === 'file') return true;
  return anchorLines.includes(d.line + 1);
}

export interface SuppressionResult<T> {
  readonly kept: T[];
  readonly unused: RawFinding[];
}

/**
 * Drop suppressed findings. `anchors(f)` gives the offsets that a next-line directive may match
 * (the finding's start and its statement's start).
 */
export function applySuppressions<T extends { ruleId: string; span: Span }>(
  findings: readonly T[],
  anchors: (f: T) => readonly number[],
  knownRule: (id: string) => boolean,
  /** Every file of the run, so directives in files without findings are checked too. */
  files: Iterable<SourceFile>,
  /** A directive for a rule that is turned off cannot be "unused": it may matter when it is on. */
  enabled: (id: string) => boolean = () => true,
): SuppressionResult<T> {
  const byFile = new Map<SourceFile, Directive[]>();
  for (const file of files) byFile.set(file, parseDirectives(file));
  const directivesOf = (file: SourceFile): Directive[] => {
    let d = byFile.get(file);
    if (!d) {
      d = parseDirectives(file);
      byFile.set(file, d);
    }
    return d;
  };
  const kept: T[] = [];
  for (const f of findings) {
    const directives = directivesOf(f.span.file);
    if (directives.length === 0) {
      kept.push(f);
      continue;
    }
    const index = lineIndex(f.span.file);
    const lines = anchors(f).map((o) => index.lineOf(o));
    const hit = directives.find((d) => covers(d, f.ruleId, lines));
    if (hit) hit.used.add(f.ruleId);
    else kept.push(f);
  }
  const unused: RawFinding[] = [];
  for (const directives of byFile.values()) {
    for (const d of directives) {
      const name = d.kind === 'file' ? 'migralint-disable' : 'migralint-disable-next-line';
      if (d.rules.length === 0) {
        if (d.used.size === 0) unused.push({ ruleId: 'unused-disable', span: d.span, message: `"${name}" suppresses nothing.` });
        continue;
      }
      for (const r of d.rules) {
        if (!knownRule(r)) unused.push({ ruleId: 'unused-disable', span: d.span, message: `"${name}" names unknown rule "${r}".` });
        else if (!d.used.has(r) && enabled(r)) unused.push({ ruleId: 'unused-disable', span: d.span, message: `"${name} ${r}" suppresses nothing: no ${r} finding ${d.kind === 'file' ? 'in this file' : 'on the next line'}.` });
      }
    }
  }
  return { kept, unused };
}
