/**
 * Machine-readable report for scripts. The shape is a public contract (DESIGN.md): add fields,
 * never rename or remove them.
 */
import type { Confirmation, Fix, SourceFile } from '../model.js';
import type { LintResult, LintSummary } from '../engine/result.js';
import type { SetSummary } from '../confirm/summary.js';
import { displayPath, spanToRegion } from './location.js';

export interface JsonReportOptions {
  readonly version: string;
}

export interface JsonFinding {
  readonly ruleId: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  /** The finding's own help, else the rule's; null when neither exists. */
  readonly help: string | null;
  /** Path relative to the working directory, forward slashes. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  /** Exclusive: the column after the last character. */
  readonly endColumn: number;
  /** Set and migration id, or null when the finding is about a set or file as a whole. */
  readonly migration: string | null;
  readonly confirmation?: Confirmation;
  /** The safe rewrite `migralint check --fix` applies (absent: none). */
  readonly fix?: JsonFix;
  /** Rewrites offered but never applied: they change locking or transaction behaviour. */
  readonly suggestions?: JsonFix[];
}

export interface JsonFix {
  readonly description: string;
  readonly safe: boolean;
  readonly edits: JsonEdit[];
}

/** Replace `range` of the file (UTF-16 offsets into its text, a byte order mark not counted) with `text`. */
export interface JsonEdit {
  readonly range: [number, number];
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly text: string;
}

export interface JsonReport {
  readonly version: string;
  readonly findings: JsonFinding[];
  readonly fileProblems: { readonly file: string; readonly reason: string }[];
  readonly summary: LintSummary;
  /** With --confirm: per set, migrations applied, downs verified, statuses, slowest statement. */
  readonly confirm?: readonly SetSummary[];
}

export function buildJsonReport(result: LintResult, options: JsonReportOptions): JsonReport {
  const ruleHelp = new Map<string, string>();
  for (const rule of result.rules) ruleHelp.set(rule.meta.id, rule.meta.help);

  const findings = result.findings.map((f): JsonFinding => {
    const r = spanToRegion(f.span);
    const out: JsonFinding = {
      ruleId: f.ruleId,
      severity: f.severity === 'warn' ? 'warning' : f.severity,
      message: f.message,
      help: f.help ?? ruleHelp.get(f.ruleId) ?? null,
      file: displayPath(result.cwd, f.span.file.relPath),
      line: r.line,
      column: r.column,
      endLine: r.endLine,
      endColumn: r.endColumn,
      migration: f.migration ?? null,
    };
    const safe = f.fixes?.find((x) => x.safe);
    const suggestions = f.fixes?.filter((x) => !x.safe) ?? [];
    return {
      ...out,
      ...(f.confirmation ? { confirmation: { ...f.confirmation } } : {}),
      ...(safe ? { fix: jsonFix(safe, f.span.file) } : {}),
      ...(suggestions.length > 0 ? { suggestions: suggestions.map((s) => jsonFix(s, f.span.file)) } : {}),
    };
  });

  return {
    version: options.version,
    findings,
    fileProblems: result.fileProblems.map((p) => ({ file: displayPath(result.cwd, p.path), reason: p.reason })),
    summary: { ...result.summary },
    ...(result.confirm ? { confirm: result.confirm } : {}),
  };
}

function jsonFix(fix: Fix, file: SourceFile): JsonFix {
  return {
    description: fix.description,
    safe: fix.safe,
    edits: fix.edits.map((e) => {
      const r = spanToRegion({ file, start: e.start, end: e.end });
      return { range: [e.start, e.end], line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn, text: e.text };
    }),
  };
}

export function formatJson(result: LintResult, options: JsonReportOptions): string {
  return stringifyReport(buildJsonReport(result, options));
}

/**
 * Pretty JSON (2 spaces, trailing newline). Evidence gathered by `--confirm` may hold values
 * JSON has no form for: bigints become decimal strings instead of throwing. A replacer function
 * takes V8 off its fast path (the bench corpus' 1.6 MB report: ~8 ms instead of ~3), so it is
 * used only when a plain stringify meets a bigint (a TypeError; a cycle throws again).
 */
export function stringifyReport(value: unknown): string {
  try {
    return `${JSON.stringify(value, null, 2)}\n`;
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
  }
}
