/**
 * Placeholders that a migration tool substitutes in the SQL text before it runs it: Flyway's and
 * Liquibase's `${name}` (`${flyway:defaultSchema}`), Go text/template actions `{{ ... }}`
 * (pop/fizz, and projects such as supabase auth that render `{{ index .Options "Namespace" }}`),
 * and, in Postgres, psql's variables `:name`, `:'name'`, `:"name"` (scripts run with
 * `psql -v name=...`; graphile-worker's `:GRAPHILE_WORKER_SCHEMA`, graphile-migrate's
 * `:DATABASE_OWNER`). None of them is SQL, so the parser would reject every statement holding one.
 *
 * Before parsing, each is replaced by text of the same length (offsets stay the file's): a value
 * by a quoted identifier named after it (`{{ index .Options "Namespace" }}.users` reads as
 * `"namespace".users`, the same schema wherever the same placeholder stands), a control action
 * (`{{ if ... }}`, `{{ end }}`, `{{/* ... *\/}}`) by spaces. The replacement is textual, as the tools'
 * own is: inside string literals and comments too. A psql variable is replaced where psql
 * replaces it, outside string literals, quoted names and comments (`'12:30'`, `'{"a":true}'` stay
 * as they are), but also inside dollar-quoted bodies, as the tools that substitute them textually
 * do; not in a cast (`x::int`; but `x:::name` casts to one), after a word (`a:b`) or inside
 * `[...]` other than after a cast (`arr[lo:hi]`). As `:name` is one character narrower than `"name"`, it becomes `_name`
 * (an identifier, never a keyword); `:'name'` becomes `'name'`, `:"name"` `"name"`. The file's
 * text, which reports quote, is left as written.
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

/** `:` then a name, bare or quoted, not after a single `:`, a word character or a bracket (a quick test; see psqlVariables). */
const PSQL_VARIABLE_HINT = /(?:^|[^:\w\[\]$]|::):(?:[A-Za-z_]|'[A-Za-z_]|"[A-Za-z_])/;

/** Quick test: can `text` hold a placeholder at all (psql variables only for Postgres)? */
export function mayHoldPlaceholder(text: string, dialect?: Dialect): boolean {
  return text.includes('{{') || text.includes('${') || (dialect === 'postgres' && PSQL_VARIABLE_HINT.test(text));
}

/** One replacement: `text` (as wide) for `[from, to)`; `identifier`, the name it stands as, if any. */
interface Replacement {
  readonly from: number;
  readonly to: number;
  readonly text: string;
  readonly identifier?: string;
}

/**
 * `text` with every placeholder replaced (see above); the same string when it holds none. A
 * quote on either side (`"{{ ... }}"`, `'${schema}'`) is taken with it. One pass, linear in the
 * text however many `{{` lack their `}}`. `seen`, if given, gets what was replaced.
 */
export function maskPlaceholders(text: string, dialect: Dialect, seen?: Masked): string {
  if (!mayHoldPlaceholder(text, dialect)) return text;
  let reps = templateReplacements(text, dialect);
  if (dialect === 'postgres' && PSQL_VARIABLE_HINT.test(text)) reps = merged(reps, psqlVariables(text));
  if (reps.length === 0) return text;
  let out = '';
  let copied = 0;
  for (const r of reps) {
    out += text.slice(copied, r.from) + r.text;
    if (r.identifier !== undefined) seen?.identifiers?.add(r.identifier);
    seen?.ranges?.push([r.from, r.to]);
    copied = r.to;
  }
  return out + text.slice(copied);
}

/** `${name}` and `{{ ... }}`, in order. */
function templateReplacements(text: string, dialect: Dialect): Replacement[] {
  const reps: Replacement[] = [];
  if (!text.includes('{{') && !text.includes('${')) return reps;
  const identifierQuote = dialect === 'mysql' ? '`' : '"';
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
    reps.push({ from, to, ...replacement(text, text.slice(i, end), quote, from, to, identifierQuote) });
    copied = to;
    i = to - 1;
  }
  return reps;
}

/** Two ordered lists of replacements as one, a replacement overlapping an earlier one left out. */
function merged(a: readonly Replacement[], b: readonly Replacement[]): Replacement[] {
  if (b.length === 0) return [...a];
  const all = [...a, ...b].sort((x, y) => x.from - y.from);
  const out: Replacement[] = [];
  for (const r of all) if (out.length === 0 || r.from >= out[out.length - 1]!.to) out.push(r);
  return out;
}

/**
 * psql variables in `text` (see above), in order: the text is scanned as psql lexes it, skipping
 * string literals (`'...'`, `E'...'`), quoted names and comments. A dollar-quoted body is scanned
 * on its own, as code, so that a quote it leaves open does not run past its end.
 */
export function psqlVariables(text: string, from = 0, to = text.length, out: Replacement[] = []): Replacement[] {
  let brackets = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 39 /* ' */) {
      const escapes = i > 0 && (text[i - 1] === 'E' || text[i - 1] === 'e') && !(i >= 2 && isWordChar(text, i - 2));
      i = stringEnd(text, i, to, escapes);
    } else if (c === 34 /* " */) {
      const end = text.indexOf('"', i + 1);
      i = end < 0 || end >= to ? to : end;
    } else if (c === 45 /* - */ && text.charCodeAt(i + 1) === 45) {
      const end = text.indexOf('\n', i);
      i = end < 0 || end >= to ? to : end;
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 42 /* * */) {
      i = commentEnd(text, i, to);
    } else if (c === 36 /* $ */ && !(i > 0 && isWordChar(text, i - 1))) {
      const tag = /^\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(text.slice(i, Math.min(to, i + 66)));
      if (!tag) continue;
      const close = text.indexOf(tag[0], i + tag[0].length);
      const end = close < 0 || close + tag[0].length > to ? to : close;
      psqlVariables(text, i + tag[0].length, end, out);
      i = Math.min(to, end + tag[0].length) - 1;
    } else if (c === 91 /* [ */) brackets++;
    else if (c === 93 /* ] */) brackets = Math.max(0, brackets - 1);
    else if (c === 58 /* : */ && text.charCodeAt(i + 1) === 58) i++; // a cast: `x::int`, and `x:::name`
    else if (c === 58 && (brackets === 0 || (i >= from + 2 && text.charCodeAt(i - 1) === 58)) && !(i > from && isWordChar(text, i - 1))) {
      const v = psqlVariableAt(text, i, to);
      if (v) {
        out.push(v);
        i = v.to - 1;
      }
    }
  }
  return out;
}

/** The variable at the `:` at `at`, if one starts there (`:name`, `:'name'`, `:"name"`). */
function psqlVariableAt(text: string, at: number, to: number): Replacement | undefined {
  const m = /^:(?:([A-Za-z_][A-Za-z0-9_]*)|'([A-Za-z_][A-Za-z0-9_]*)'|"([A-Za-z_][A-Za-z0-9_]*)")/.exec(text.slice(at, Math.min(to, at + 2 + 3 * MAX_NAME)));
  if (!m) return undefined;
  const end = at + m[0].length;
  if (end < to && isWordChar(text, end)) return undefined;
  const width = m[0].length;
  if (m[1] !== undefined) {
    const name = `_${m[1].toLowerCase()}`.slice(0, MAX_NAME);
    return { from: at, to: end, text: name.padEnd(width, ' '), identifier: name };
  }
  if (m[2] !== undefined) return { from: at, to: end, text: `'${m[2].toLowerCase().slice(0, MAX_NAME)}'`.padEnd(width, ' ') };
  const name = m[3]!.toLowerCase().slice(0, MAX_NAME);
  return { from: at, to: end, text: `"${name}"`.padEnd(width, ' '), identifier: name };
}

/** The index of the quote closing the literal opened at `at` (`to - 1` if none). */
function stringEnd(text: string, at: number, to: number, escapes: boolean): number {
  for (let j = at + 1; j < to; j++) {
    const c = text.charCodeAt(j);
    if (escapes && c === 92 /* \\ */) j++;
    else if (c === 39) {
      if (text.charCodeAt(j + 1) === 39) j++;
      else return j;
    }
  }
  return to - 1;
}

/** The index of the `/` closing the (nestable) comment opened at `at` (`to - 1` if none). */
function commentEnd(text: string, at: number, to: number): number {
  let depth = 0;
  for (let j = at; j < to - 1; j++) {
    if (text.charCodeAt(j) === 47 && text.charCodeAt(j + 1) === 42) {
      depth++;
      j++;
    } else if (text.charCodeAt(j) === 42 && text.charCodeAt(j + 1) === 47) {
      depth--;
      j++;
      if (depth === 0) return j;
    }
  }
  return to - 1;
}

/** What stands for `placeholder` (with its quotes, if any) at `from`..`to` of `text`: as wide. */
function replacement(text: string, placeholder: string, quote: string, from: number, to: number, identifierQuote: string): { text: string; identifier?: string } {
  const width = to - from;
  if (placeholder.startsWith('{{') && CONTROL.test(placeholder)) return { text: quote + ' '.repeat(placeholder.length) + quote };
  const name = nameOf(placeholder).slice(0, MAX_NAME);
  // Quoted already: the same quotes around the name alone.
  if (quote) return { text: `${quote}${name}${quote}`.padEnd(width, ' '), ...(quote !== "'" ? { identifier: name } : {}) };
  // Part of a longer word (`{{ .Prefix }}_users`, `users_{{ .Suffix }}`): the name joins it,
  // padded with `_` where a word follows.
  if (to < text.length && isWordChar(text, to)) return { text: name.padEnd(width, '_') };
  if (from > 0 && isWordChar(text, from - 1)) return { text: name.padEnd(width, ' ') };
  // Quoted: a name such as `user` or `table` is a keyword unquoted.
  return { text: `${identifierQuote}${name}${identifierQuote}`.padEnd(width, ' '), identifier: name };
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
    if (!mayHoldPlaceholder(sql, dialect)) return parser(section);
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
