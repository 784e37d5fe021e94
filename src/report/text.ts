/**
 * The default terminal report: one block per finding (location, message, code frame with the
 * span underlined, help, docs link, confirmation evidence), then unreadable files, then a
 * summary line.
 */
import picocolors from 'picocolors';
import type { Confirmation, Finding, Severity, SourceFile } from '../model.js';
import type { LintResult } from '../engine/result.js';
import { docsUrl, type Rule } from '../engine/rule.js';
import { confirmationSentence, statusWords } from './confirmation.js';
import { escapeInline, escapeMultiline } from './escape.js';
import { displayPath, lineIndex, spanToRegion, type Region } from './location.js';

export interface TextReportOptions {
  readonly color: boolean;
}

type Colors = ReturnType<typeof picocolors.createColors>;

/** Lines of context shown above a span. */
const CONTEXT_BEFORE = 2;
/** Span lines shown at most; longer spans are cut with an ellipsis row. */
const MAX_SPAN_LINES = 4;
/** Lines of a span shown when it is cut. */
const SHOWN_WHEN_CUT = 3;
const TAB_WIDTH = 4;
/** Display cells of source shown per line before it is cut. */
const MAX_LINE_WIDTH = 160;

export function formatText(result: LintResult, options: TextReportOptions): string {
  const c = picocolors.createColors(options.color);
  const rules = ruleMap(result.rules);
  const blocks: string[] = [];

  for (const finding of result.findings) blocks.push(formatFinding(finding, result, rules, c));

  if (result.fileProblems.length > 0) {
    blocks.push(
      result.fileProblems
        .map((p) => `${c.bold(escapeInline(displayPath(result.cwd, p.path)))}: ${c.red(escapeInline(p.reason))}`)
        .join('\n'),
    );
  }

  blocks.push(summaryLines(result, c).join('\n'));
  return `${blocks.join('\n\n')}\n`;
}

function ruleMap(rules: readonly Rule[]): Map<string, Rule> {
  const map = new Map<string, Rule>();
  for (const rule of rules) map.set(rule.meta.id, rule);
  return map;
}

export function severityLabel(severity: Severity): 'error' | 'warning' | 'info' {
  return severity === 'warn' ? 'warning' : severity;
}

function paintSeverity(severity: Severity, c: Colors): (s: string) => string {
  if (severity === 'error') return c.red;
  if (severity === 'warn') return c.yellow;
  return c.blue;
}

function formatFinding(finding: Finding, result: LintResult, rules: Map<string, Rule>, c: Colors): string {
  const region = spanToRegion(finding.span);
  const paint = paintSeverity(finding.severity, c);
  const where = `${displayPath(result.cwd, finding.span.file.relPath)}:${region.line}:${region.column}`;
  const lines: string[] = [];
  lines.push(`${c.bold(escapeInline(where))}  ${paint(c.bold(severityLabel(finding.severity)))}  ${c.dim(escapeInline(finding.ruleId))}`);
  for (const l of escapeMultiline(finding.message).split('\n')) lines.push(`  ${l}`);
  lines.push('');
  lines.push(...codeFrame(finding.span.file, region, paint, c));

  const rule = rules.get(finding.ruleId);
  const help = finding.help ?? rule?.meta.help;
  const notes: string[] = [];
  if (help) notes.push(labelled(c.cyan('help'), help));
  for (const fix of finding.fixes ?? []) {
    notes.push(fix.safe ? labelled(c.green('fix'), `${fix.description} Apply it with --fix.`) : labelled(c.cyan('suggestion'), fix.description));
  }
  if (rule) notes.push(labelled(c.cyan('docs'), docsUrl(rule.meta.id), c.underline));
  if (finding.confirmation) notes.push(confirmationLine(finding.confirmation, c));
  if (notes.length > 0) lines.push('', ...notes);
  return lines.join('\n');
}

/** `  label: text`, continuation lines indented; `text` is raw (cleaned here, then painted). */
function labelled(label: string, text: string, paint: (s: string) => string = (s) => s): string {
  const [first, ...rest] = escapeMultiline(text).split('\n').map(paint);
  return [`  ${label}: ${first}`, ...rest.map((l) => `    ${l}`)].join('\n');
}

function confirmationLine(conf: Confirmation, c: Colors): string {
  const words = statusWords(conf.status);
  const label = conf.status === 'confirmed' ? c.magenta(c.bold(words)) : conf.status === 'not-reproduced' ? c.green(words) : c.gray(words);
  const sentence = confirmationSentence(conf);
  const [first, ...rest] = escapeMultiline(sentence.slice(words.length)).split('\n');
  return [`  ${label}${first}`, ...rest.map((l) => `    ${l}`)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Code frame

interface RenderedLine {
  /** Text shown for each UTF-16 unit of the line ('' for the second half of a surrogate pair). */
  readonly cells: string[];
  /** Display column (0-based) where each unit starts; one extra entry for the end of the line. */
  readonly cols: number[];
}

function codeFrame(file: SourceFile, region: Region, paint: (s: string) => string, c: Colors): string[] {
  const index = lineIndex(file);
  const first = region.line;
  const last = region.endLine;
  const spanLines = last - first + 1;
  const cut = spanLines > MAX_SPAN_LINES;
  const shownLast = cut ? first + SHOWN_WHEN_CUT - 1 : last;
  const from = Math.max(1, first - CONTEXT_BEFORE);
  const gutter = String(shownLast).length;

  const rendered = new Map<number, RenderedLine>();
  for (let l = from; l <= shownLast; l++) rendered.set(l, renderLine(index.lineText(l)));

  // Underline on the first line: from the start column to the end column (single line) or to the
  // end of the line (multi-line span); at least one caret.
  const head = rendered.get(first)!;
  const startUnit = Math.min(region.column - 1, head.cells.length);
  const endUnit = last === first ? Math.min(region.endColumn - 1, head.cells.length) : head.cells.length;
  const caretFrom = head.cols[startUnit]!;
  const caretTo = Math.max(caretFrom + 1, head.cols[Math.max(startUnit, endUnit)]!);

  // Very long lines: show a window of MAX_LINE_WIDTH cells that contains the caret start.
  const viewFrom = caretFrom + 1 > MAX_LINE_WIDTH - 20 ? Math.max(0, caretFrom - 40) : 0;
  const viewTo = viewFrom + MAX_LINE_WIDTH;

  const out: string[] = [];
  const row = (marker: string, num: string, text: string): string =>
    `  ${marker === '>' ? paint(c.bold('>')) : marker} ${c.dim(`${num.padStart(gutter)} |`)}${text ? ` ${text}` : ''}`;
  for (let l = from; l <= shownLast; l++) {
    const inSpan = l >= first;
    out.push(row(inSpan ? '>' : ' ', String(l), viewSlice(rendered.get(l)!, viewFrom, viewTo)));
    if (l === first) {
      const visibleFrom = Math.max(caretFrom, viewFrom);
      const visibleTo = Math.min(caretTo, viewTo);
      const pad = ' '.repeat(Math.max(0, visibleFrom - viewFrom) + (viewFrom > 0 ? 1 : 0));
      out.push(row(' ', '', pad + paint('^'.repeat(Math.max(1, visibleTo - visibleFrom)))));
    }
  }
  if (cut) {
    const more = last - shownLast;
    out.push(row(' ', '⋮', c.dim(`(${more} more line${more === 1 ? '' : 's'})`)));
  }
  return out;
}

function viewSlice(line: RenderedLine, from: number, to: number): string {
  let text = from > 0 ? '…' : '';
  let truncated = false;
  for (let i = 0; i < line.cells.length; i++) {
    const start = line.cols[i]!;
    const end = line.cols[i + 1]!;
    if (start < from) continue;
    if (end > to) {
      truncated = true;
      break;
    }
    text += line.cells[i];
  }
  return truncated ? `${text}…` : text.trimEnd();
}

/** Lays a source line out in terminal cells: tabs expanded, wide characters two cells wide. */
function renderLine(text: string): RenderedLine {
  const cells: string[] = [];
  const cols: number[] = [];
  let col = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    cols.push(col);
    if (code === 0x09) {
      const w = TAB_WIDTH - (col % TAB_WIDTH);
      cells.push(' '.repeat(w));
      col += w;
      continue;
    }
    const shown = visible(code);
    const w = shown === undefined ? cellWidth(code) : 1;
    cells.push(shown ?? String.fromCodePoint(code));
    col += w;
    if (code > 0xffff) {
      // The low surrogate belongs to the same character.
      i++;
      cols.push(cols[cols.length - 1]!);
      cells.push('');
    }
  }
  cols.push(col);
  return { cells, cols };
}

/** A printable stand-in for characters that would disturb a terminal, or undefined. */
function visible(code: number): string | undefined {
  if (code < 0x20) return String.fromCodePoint(0x2400 + code); // control pictures ␀..␟
  if (code === 0x7f) return '\u2421';
  if ((code >= 0x80 && code < 0xa0) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) {
    return '\ufffd';
  }
  if (code >= 0xd800 && code <= 0xdfff) return '\ufffd'; // unpaired surrogate
  return undefined;
}

const ZERO_WIDTH: ReadonlyArray<readonly [number, number]> = [
  [0x0300, 0x036f], [0x0483, 0x0489], [0x0591, 0x05bd], [0x0610, 0x061a], [0x064b, 0x065f],
  [0x1ab0, 0x1aff], [0x1dc0, 0x1dff], [0x200b, 0x200f], [0x2060, 0x2064], [0x20d0, 0x20ff],
  [0xfe00, 0xfe0f], [0xfe20, 0xfe2f], [0xfeff, 0xfeff], [0x1f3fb, 0x1f3ff], [0xe0100, 0xe01ef],
];

const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0],
  [0x23f3, 0x23f3], [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f],
  [0x2693, 0x2693], [0x26a1, 0x26a1], [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5],
  [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea], [0x26f2, 0x26f3], [0x26f5, 0x26f5],
  [0x26fa, 0x26fa], [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b], [0x2728, 0x2728],
  [0x274c, 0x274c], [0x274e, 0x274e], [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797],
  [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55],
  [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf],
  [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f],
  [0xff00, 0xff60], [0xffe0, 0xffe6], [0x16fe0, 0x16fe4], [0x17000, 0x18cff], [0x1b000, 0x1b2ff],
  [0x1f004, 0x1f004], [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a], [0x1f200, 0x1f251],
  [0x1f300, 0x1f64f], [0x1f680, 0x1f6ff], [0x1f7e0, 0x1f7eb], [0x1f90c, 0x1f9ff], [0x1fa70, 0x1faff],
  [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];

function inRanges(code: number, ranges: ReadonlyArray<readonly [number, number]>): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid]!;
    if (code < a) hi = mid - 1;
    else if (code > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Terminal cells taken by a code point (0, 1 or 2). */
export function cellWidth(code: number): number {
  if (code < 0x300) return 1;
  if (inRanges(code, ZERO_WIDTH)) return 0;
  return inRanges(code, WIDE) ? 2 : 1;
}

// ---------------------------------------------------------------------------------------------
// Summary

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The closing summary line(s) of a report (also printed after GitHub workflow commands). */
export function formatSummary(result: LintResult, options: TextReportOptions): string[] {
  return summaryLines(result, picocolors.createColors(options.color));
}

function summaryLines(result: LintResult, c: Colors): string[] {
  const s = result.summary;
  const scope = `in ${plural(s.migrations, 'migration')} (${plural(s.files, 'file')})`;
  const problems = s.errors + s.warnings + s.infos;
  const lines: string[] = [];
  const unread = result.fileProblems.length;
  const unreadNote = unread > 0 ? `; ${plural(unread, 'file')} could not be linted` : '';

  if (problems === 0) {
    lines.push(
      unread > 0
        ? c.yellow(c.bold(`! No problems ${scope}${unreadNote}`))
        : c.green(c.bold(`✔ No problems ${scope}`)),
    );
  } else {
    const parts = [plural(s.errors, 'error'), plural(s.warnings, 'warning')];
    if (s.infos > 0) parts.push(plural(s.infos, 'info'));
    const paint = s.errors > 0 ? c.red : s.warnings > 0 ? c.yellow : c.blue;
    lines.push(paint(c.bold(`✖ ${plural(problems, 'problem')} (${parts.join(', ')}) ${scope}${unreadNote}`)));
  }

  const fixable = result.findings.filter((f) => f.fixes?.some((x) => x.safe));
  if (fixable.length > 0) {
    const errors = fixable.filter((f) => f.severity === 'error').length;
    const warnings = fixable.filter((f) => f.severity === 'warn').length;
    const infos = fixable.length - errors - warnings;
    const parts = [plural(errors, 'error'), plural(warnings, 'warning'), ...(infos > 0 ? [plural(infos, 'info')] : [])];
    lines.push(`  ${parts.join(', ')} potentially fixable with the \`--fix\` option.`);
  }

  if (s.analyzable && s.analyzable.total > 0) {
    const { analyzed, total } = s.analyzable;
    const pct = Math.floor((analyzed / total) * 100);
    lines.push(c.dim(`Knex: ${analyzed}/${total} operations analysed statically (${pct}%)`));
  }
  return lines;
}
