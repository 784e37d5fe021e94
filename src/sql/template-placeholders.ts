/**
 * Placeholders that a migration tool substitutes in the SQL text before it runs it: Flyway's and
 * Liquibase's `${name}` (`${flyway:defaultSchema}`), and Go text/template actions `{{ ... }}`
 * (pop/fizz, and projects such as supabase auth that render `{{ index .Options "Namespace" }}`).
 * None of them is SQL, so the parser would reject every statement holding one.
 *
 * Before parsing, each is replaced by text of the same length (offsets stay the file's): a value
 * by a quoted identifier named after it (`{{ index .Options "Namespace" }}.users` reads as
 * `"namespace".users`, the same schema wherever the same placeholder stands), a control action
 * (`{{ if ... }}`, `{{ end }}`, `{{/* ... *\/}}`) by spaces. The replacement is textual, as the tools'
 * own is: inside string literals and comments too. The file's text, which reports quote, is left
 * as written.
 */
import type { Dialect, RawFinding, Section, SourceFile } from '../model.js';
import { isWordChar } from './chars.js';
import type { ParseOutcome, SectionParser } from './parser.js';

/** `${name}` (Flyway, Liquibase). */
const DOLLAR_BRACE = /^\$\{[A-Za-z_][\w.:-]{0,128}\}/;
/** A Go template action is at most this long, on one line. */
const MAX_ACTION = 260;
/** Go template actions that print nothing: their text becomes spaces. */
const CONTROL = /^\{\{-?\s*(?:(?:if|else|end|range|with|define|block|template|break|continue)\b|\/\*)/;
/** Postgres' limit on a name (longer ones are truncated). */
const MAX_NAME = 63;

/** What `maskPlaceholders` replaced. */
export interface Masked {
  /**
   * The name of each placeholder that became a whole identifier of its own (`"namespace"`; not
   * one inside a string literal, not one joined to a word): `--confirm` creates the schemas they
   * may stand for.
   */
  readonly identifiers?: Set<string>;
  /** Where each replacement stands, `[from, to)` in the text, in order. */
  readonly ranges?: [number, number][];
}

/** Quick test: can `text` hold a placeholder at all? */
export function mayHoldPlaceholder(text: string): boolean {
  return text.includes('{{') || text.includes('${');
}

/**
 * `text` with every placeholder replaced (see above); the same string when it holds none. A
 * quote on either side (`"{{ ... }}"`, `'${schema}'`) is taken with it. One pass, linear in the
 * text however many `{{` lack their `}}`. `seen`, if given, gets what was replaced.
 */
export function maskPlaceholders(text: string, dialect: Dialect, seen?: Masked): string {
  if (!mayHoldPlaceholder(text)) return text;
  const identifierQuote = dialect === 'mysql' ? '`' : '"';
  let out = '';
  let copied = 0;
  // The next `}}` and line end at or after the scan (each found once, then reused).
  let close = -2;
  let eol = -2;
  for (let i = text.indexOf('{', 0); i >= 0 && i < text.length; i = text.indexOf('{', i + 1)) {
    let end = -1;
    if (text.charCodeAt(i + 1) === 123 /* { */) {
      if (close !== -1 && close < i + 2) close = text.indexOf('}}', i + 2);
      if (close < 0) {
        if (!text.includes('${', i)) break;
        continue;
      }
      if (eol !== -1 && eol < i) eol = text.indexOf('\n', i);
      if ((eol < 0 || close < eol) && close + 2 - i <= MAX_ACTION) end = close + 2;
    } else if (text.charCodeAt(i - 1) === 36 /* $ */) {
      const m = DOLLAR_BRACE.exec(text.slice(i - 1, i + 132));
      if (m) {
        end = i - 1 + m[0].length;
        i--;
      }
    }
    if (end < 0) continue;
    let from = i;
    let to = end;
    const before = text[i - 1];
    const quote = (before === '"' || before === "'" || before === '`') && text[end] === before ? before : '';
    if (quote) {
      from--;
      to++;
    }
    if (from < copied) continue;
    out += text.slice(copied, from) + replacement(text, text.slice(i, end), quote, from, to, identifierQuote, seen?.identifiers);
    seen?.ranges?.push([from, to]);
    copied = to;
    i = to - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** What stands for `placeholder` (with its quotes, if any) at `from`..`to` of `text`: as wide. */
function replacement(text: string, placeholder: string, quote: string, from: number, to: number, identifierQuote: string, identifiers: Set<string> | undefined): string {
  const width = to - from;
  if (placeholder.startsWith('{{') && CONTROL.test(placeholder)) return quote + ' '.repeat(placeholder.length) + quote;
  const name = nameOf(placeholder).slice(0, MAX_NAME);
  // Quoted already: the same quotes around the name alone.
  if (quote) {
    if (quote !== "'") identifiers?.add(name);
    return `${quote}${name}${quote}`.padEnd(width, ' ');
  }
  // Part of a longer word (`{{ .Prefix }}_users`, `users_{{ .Suffix }}`): the name joins it,
  // padded with `_` where a word follows.
  if (to < text.length && isWordChar(text, to)) return name.padEnd(width, '_');
  if (from > 0 && isWordChar(text, from - 1)) return name.padEnd(width, ' ');
  // Quoted: a name such as `user` or `table` is a keyword unquoted.
  identifiers?.add(name);
  return `${identifierQuote}${name}${identifierQuote}`.padEnd(width, ' ');
}

/** The placeholder's own name: its last quoted string, else its last word (lower-cased). */
function nameOf(placeholder: string): string {
  const inner = placeholder.startsWith('{{') ? placeholder.slice(2, -2) : placeholder.slice(2, -1);
  const quoted = /"([A-Za-z_][A-Za-z0-9_]*)"[^"]*$/.exec(inner);
  const word = quoted?.[1] ?? /([A-Za-z_][A-Za-z0-9_]*)[^A-Za-z0-9_]*$/.exec(inner)?.[1] ?? 'placeholder';
  return word.toLowerCase();
}

/**
 * `parser` with placeholders masked: a section holding one is parsed in a copy of its file whose
 * text is masked, and the outcome's spans are pointed back at the real file.
 */
export function withPlaceholdersMasked(parser: SectionParser, dialect: Dialect): SectionParser {
  return (section) => {
    const sql = section.file.text.slice(section.start, section.end);
    if (!mayHoldPlaceholder(sql)) return parser(section);
    const ranges: [number, number][] = [];
    const maskedSql = maskPlaceholders(sql, dialect, { ranges });
    if (maskedSql === sql) return parser(section);
    const { file } = section;
    const text = file.text.slice(0, section.start) + maskedSql + file.text.slice(section.end);
    const masked: SourceFile = { ...file, text };
    const outcome = parser({ ...section, file: masked } as Section);
    return repoint(outcome, masked, file, ranges.map(([a, b]) => [section.start + a, section.start + b]));
  };
}

/**
 * Every span of `outcome` (statements, operations, errors; not the ASTs) that points at `from`,
 * pointed at `to`; one that starts or ends inside a replacement (`ranges`, in order) is widened to
 * take all of it. A name is padded to its placeholder's width with spaces, which a statement's
 * span leaves out at its end: `CREATE SCHEMA ${schema};` must not end at `${schema`.
 */
function repoint(outcome: ParseOutcome, from: SourceFile, to: SourceFile, ranges: readonly (readonly [number, number])[]): ParseOutcome {
  /** The replacement `at` falls strictly inside, if any. */
  const inside = (at: number): readonly [number, number] | undefined => {
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = ranges[mid]!;
      if (at <= r[0]) hi = mid - 1;
      else if (at >= r[1]) lo = mid + 1;
      else return r;
    }
    return undefined;
  };
  const seen = new Set<object>();
  const visit = (x: unknown): void => {
    if (x === null || typeof x !== 'object' || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) {
      for (const v of x) visit(v);
      return;
    }
    const obj = x as Record<string, unknown>;
    for (const k in obj) {
      const v = obj[k];
      if (v === from) obj[k] = to;
      else if (k !== 'ast') visit(v);
    }
    if (obj.file === to && typeof obj.start === 'number' && typeof obj.end === 'number') {
      const s = inside(obj.start);
      if (s) obj.start = s[0];
      const e = inside(obj.end);
      if (e) obj.end = e[1];
    }
  };
  visit(outcome.statements);
  visit(outcome.errors as RawFinding[]);
  return outcome;
}
