/**
 * SQL held in JS string literals (`knex.raw('...')`).
 *
 * The SQL handed to `parseRawSql` is built to have exactly the length of the literal's content in
 * the JS file, character for character at the same offsets: escapes are decoded and padded with
 * spaces (`\n` → newline + space), Knex binding placeholders are replaced by a literal of the
 * same width or less (`?` → `0`), and the quotes and `+` between concatenated literals become
 * spaces. So an offset into that SQL plus `span.start` is an offset into the JS file.
 */
import type { RawFinding, Section, SourceFile, Span, Statement } from '../../model.js';
import type { SectionParser } from '../../sql/parser.js';
import type { Json } from './types.js';

/** One decoded piece of a JS literal: the characters it stands for and where it is written. */
export interface CookedUnit {
  text: string;
  /** Absolute offsets in the file. */
  rawStart: number;
  rawEnd: number;
}

function isLineTerminator(ch: string): boolean {
  return ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029';
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' };

/**
 * Decodes the content of a string literal or template element (`text.slice(start, end)`, quotes
 * excluded) into units. `template` normalises CRLF to LF, as template literals do.
 */
export function cookJsString(text: string, start: number, end: number, template: boolean): CookedUnit[] {
  const units: CookedUnit[] = [];
  let i = start;
  while (i < end) {
    const ch = text[i]!;
    if (ch !== '\\') {
      if (template && ch === '\r') {
        const len = text[i + 1] === '\n' && i + 1 < end ? 2 : 1;
        units.push({ text: '\n', rawStart: i, rawEnd: i + len });
        i += len;
        continue;
      }
      const cp = text.codePointAt(i)!;
      const len = cp > 0xffff ? 2 : 1;
      units.push({ text: text.slice(i, i + len), rawStart: i, rawEnd: i + len });
      i += len;
      continue;
    }
    // An escape sequence.
    const next = text[i + 1];
    if (next === undefined || i + 1 >= end) {
      units.push({ text: '\\', rawStart: i, rawEnd: i + 1 });
      i += 1;
      continue;
    }
    if (isLineTerminator(next)) {
      const len = next === '\r' && text[i + 2] === '\n' ? 3 : 2;
      units.push({ text: '', rawStart: i, rawEnd: i + len });
      i += len;
      continue;
    }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      units.push({ text: simple, rawStart: i, rawEnd: i + 2 });
      i += 2;
      continue;
    }
    if (next === 'x') {
      const hex = text.slice(i + 2, i + 4);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        units.push({ text: String.fromCharCode(parseInt(hex, 16)), rawStart: i, rawEnd: i + 4 });
        i += 4;
        continue;
      }
    }
    if (next === 'u') {
      if (text[i + 2] === '{') {
        const close = text.indexOf('}', i + 3);
        const hex = close > 0 ? text.slice(i + 3, close) : '';
        if (close > 0 && close < end && /^[0-9a-fA-F]{1,6}$/.test(hex)) {
          const cp = parseInt(hex, 16);
          if (cp <= 0x10ffff) {
            units.push({ text: String.fromCodePoint(cp), rawStart: i, rawEnd: close + 1 });
            i = close + 1;
            continue;
          }
        }
      } else {
        const hex = text.slice(i + 2, i + 6);
        if (/^[0-9a-fA-F]{4}$/.test(hex)) {
          units.push({ text: String.fromCharCode(parseInt(hex, 16)), rawStart: i, rawEnd: i + 6 });
          i += 6;
          continue;
        }
      }
    }
    if (next >= '0' && next <= '7') {
      // `\0` or a legacy octal escape (sloppy-mode string literals).
      const m = /^[0-7]{1,3}/.exec(text.slice(i + 1, Math.min(end, i + 4)))!;
      let digits = m[0];
      while (digits.length > 1 && parseInt(digits, 8) > 255) digits = digits.slice(0, -1);
      units.push({ text: String.fromCharCode(parseInt(digits, 8)), rawStart: i, rawEnd: i + 1 + digits.length });
      i += 1 + digits.length;
      continue;
    }
    // `\'`, `\"`, `` \` ``, `\\`, `\$` and any other identity escape.
    const cp = text.codePointAt(i + 1)!;
    const len = cp > 0xffff ? 2 : 1;
    units.push({ text: text.slice(i + 1, i + 1 + len), rawStart: i, rawEnd: i + 1 + len });
    i += 1 + len;
  }
  return units;
}

export function unitsText(units: readonly CookedUnit[]): string {
  let s = '';
  for (const u of units) s += u.text;
  return s;
}

/**
 * Renders units into a string covering exactly [start, end) of the file: every unit at its raw
 * offset, padded with spaces; gaps between units (quotes and `+` of a concatenation) become spaces
 * (line breaks are kept).
 */
export function renderAligned(units: readonly CookedUnit[], text: string, start: number, end: number): string {
  const out: string[] = [];
  let pos = start;
  const fill = (to: number): void => {
    for (; pos < to; pos++) {
      const ch = text[pos];
      out.push(ch === '\n' || ch === '\r' ? ch : ' ');
    }
  };
  for (const u of units) {
    fill(u.rawStart);
    const width = u.rawEnd - u.rawStart;
    const t = u.text.length > width ? u.text.slice(0, width) : u.text;
    out.push(t);
    if (width > t.length) out.push(' '.repeat(width - t.length));
    pos = u.rawEnd;
  }
  fill(end);
  return out.join('');
}

/** How the bindings argument of a raw call looks. */
export type BindingsShape =
  | { readonly kind: 'none' }
  | { readonly kind: 'positional' }
  /** `keys` null when the object's keys are not all known. */
  | { readonly kind: 'named'; readonly keys: ReadonlySet<string> | null };

interface Replacement {
  /** Cooked-character range. */
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/** Applies replacements (sorted, non-overlapping, on unit boundaries) to a unit list. */
function applyReplacements(units: CookedUnit[], reps: Replacement[]): CookedUnit[] {
  if (reps.length === 0) return units;
  // Map cooked index → unit index.
  const unitAt: number[] = [];
  units.forEach((u, idx) => {
    for (let k = 0; k < u.text.length; k++) unitAt.push(idx);
  });
  const out: CookedUnit[] = [];
  let ui = 0;
  for (const r of reps) {
    const first = unitAt[r.from];
    const last = unitAt[r.to - 1];
    if (first === undefined || last === undefined) continue;
    while (ui < first) out.push(units[ui++]!);
    out.push({ text: r.text, rawStart: units[first]!.rawStart, rawEnd: units[last]!.rawEnd });
    ui = last + 1;
  }
  while (ui < units.length) out.push(units[ui++]!);
  return out;
}

/** Binding values known statically: by position, or by name; `undefined` where one is not. */
export type BindingValues = readonly (Json | undefined)[] | ReadonlyMap<string, Json | undefined>;

/** A static binding value as an SQL literal, as Knex would inline it (null when it cannot). */
export function sqlLiteral(v: Json | undefined): string | null {
  if (v === undefined) return null;
  if (v === null) return 'NULL';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (Array.isArray(v)) {
    const parts = v.map(sqlLiteral);
    return parts.every((p) => p !== null) ? parts.join(', ') : null;
  }
  return null;
}

/** A static `??` binding as quoted identifiers (`schema.table`, `col as alias`, arrays), or null. */
export function sqlIdentifier(v: Json | undefined, quote: string): string | null {
  const one = (name: string): string | null => {
    const m = /^\s*(\S+)\s+as\s+(\S+)\s*$/i.exec(name);
    if (m) return `${one(m[1]!)} AS ${one(m[2]!)}`;
    if (name === '*') return '*';
    return name
      .split('.')
      .map((part) => (part === '*' ? part : quote + part.split(quote).join(quote + quote) + quote))
      .join('.');
  };
  if (typeof v === 'string' && v.length > 0) return one(v);
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x.length > 0)) return (v as string[]).map(one).join(', ');
  return null;
}

/**
 * Replaces Knex binding placeholders by literals that parse in SQL: where `values` knows a
 * binding, its SQL literal (`?`, `:name`) or quoted identifier (`??`, `:name:`), as Knex would
 * write it; otherwise a literal that fits in the placeholder's width (`?` → `0`, `:name` → `0`).
 * `\?` → `?` (Knex's escape). An identifier binding whose value is not known statically returns
 * an error. `widened` tells that a replacement is longer than its placeholder (the SQL is then
 * no longer aligned with the file).
 */
export function substituteBindings(
  units: CookedUnit[],
  shape: BindingsShape,
  postgres: boolean,
  values?: BindingValues,
  identQuote = '"',
): { units: CookedUnit[]; widened: boolean } | { error: string } {
  let position = 0;
  const valueAt = (key: number | string): Json | undefined => {
    if (values === undefined) return undefined;
    if (typeof key === 'number') return Array.isArray(values) ? (values as (Json | undefined)[])[key] : undefined;
    return values instanceof Map ? values.get(key) : undefined;
  };
  let widened = false;
  const literal = (key: number | string, width: number): string => {
    const lit = sqlLiteral(valueAt(key));
    if (lit === null) return '0';
    if (lit.length > width) widened = true;
    return lit;
  };
  const ident = (key: number | string, width: number): string | null => {
    const id = sqlIdentifier(valueAt(key), identQuote);
    if (id !== null && id.length > width) widened = true;
    return id;
  };
  const cooked = unitsText(units);
  const reps: Replacement[] = [];
  if (shape.kind === 'positional') {
    const re = /\\?\?\??/g;
    for (let m = re.exec(cooked); m; m = re.exec(cooked)) {
      if (m[0] === '??') {
        const id = ident(position++, 2);
        if (id === null) return { error: 'the SQL uses a `??` identifier binding, known only at run time' };
        reps.push({ from: m.index, to: m.index + 2, text: id });
        continue;
      }
      if (m[0].startsWith('\\')) {
        // `\?` (or `\??`): an escaped question mark, then maybe a placeholder.
        reps.push({ from: m.index, to: m.index + 2, text: '?' });
        if (m[0].length === 3) reps.push({ from: m.index + 2, to: m.index + 3, text: literal(position++, 1) });
      } else {
        reps.push({ from: m.index, to: m.index + 1, text: literal(position++, 1) });
      }
    }
  } else if (shape.kind === 'named') {
    const re = /\\?(:(\w+):(?=::)|:(\w+):(?!:)|:(\w+))/g;
    for (let m = re.exec(cooked); m; m = re.exec(cooked)) {
      if (m[0].startsWith('\\')) {
        reps.push({ from: m.index, to: m.index + m[0].length, text: m[1]! });
        continue;
      }
      const key = m[2] ?? m[3] ?? m[4]!;
      const isIdentifier = m[0].endsWith(':');
      if (shape.keys !== null && !shape.keys.has(key)) continue;
      if (shape.keys === null && !isIdentifier) {
        // Unknown keys: `::type` casts look like `:type`; only treat it as a binding when it is not a cast.
        if (cooked[m.index - 1] === ':') continue;
      }
      if (isIdentifier) {
        const id = ident(key, m[0].length);
        if (id === null) return { error: `the SQL uses a \`:${key}:\` identifier binding, known only at run time` };
        reps.push({ from: m.index, to: m.index + m[0].length, text: id });
        continue;
      }
      reps.push({ from: m.index, to: m.index + m[0].length, text: literal(key, m[0].length) });
    }
  } else if (postgres) {
    const re = /\\\?/g;
    for (let m = re.exec(cooked); m; m = re.exec(cooked)) reps.push({ from: m.index, to: m.index + 2, text: '?' });
  }
  reps.sort((a, b) => a.from - b.from);
  return { units: applyReplacements(units, reps), widened };
}

function remapSpan(span: Span, file: SourceFile): Span {
  return { file, start: span.start, end: span.end };
}

/**
 * Adapts a section parser of the set's dialect into the `parseRawSql` callback
 * `interpretKnexFile` takes. The SQL is parsed in a shadow copy of the JS file in which the
 * literal's content is replaced by `sql` (same length, so offsets agree), and the spans of the
 * statements, operations and syntax errors are moved back onto the real file. Syntax errors in
 * raw SQL are collected in `errors`.
 */
export function createRawSqlParser(parse: SectionParser): {
  parseRawSql: (sql: string, span: Span, offsets?: RawOffsets) => Statement[];
  errors: RawFinding[];
} {
  const errors: RawFinding[] = [];
  const parseRawSql = (sql: string, span: Span, offsets?: RawOffsets): Statement[] => {
    const real = span.file;
    let text = real.text;
    if (offsets) {
      // Bindings were inlined: parse the SQL alone, then move every span back through the map.
      const shadow: SourceFile = { path: real.path, relPath: real.relPath, text: ' '.repeat(span.start) + sql };
      const outcome = parse({ file: shadow, start: span.start, end: span.start + sql.length });
      const back = (sp: Span): Span => clampSpan(mapBack(sp, span.start, offsets, real));
      for (const e of outcome.errors) errors.push({ ...e, span: back(e.span) });
      return outcome.statements.map((s) => ({ ...s, span: back(s.span), ops: s.ops.map((op) => ({ ...op, span: back(op.span) })) }));
    }
    if (sql.length === span.end - span.start) {
      text = real.text.slice(0, span.start) + sql + real.text.slice(span.end);
    } else {
      // Not aligned: parse it alone, offsets are then only approximate (start of the literal).
      text = ' '.repeat(span.start) + sql;
    }
    const shadow: SourceFile = { path: real.path, relPath: real.relPath, text };
    const section: Section = { file: shadow, start: span.start, end: span.start + sql.length };
    const outcome = parse(section);
    for (const e of outcome.errors) errors.push({ ...e, span: clampSpan(remapSpan(e.span, real)) });
    return outcome.statements.map((s) => ({
      ...s,
      span: clampSpan(remapSpan(s.span, real)),
      ops: s.ops.map((op) => ({ ...op, span: clampSpan(remapSpan(op.span, real)) })),
    }));
  };
  return { parseRawSql, errors };
}

/**
 * Where each character of an SQL string is written in the file, when the SQL is not aligned with
 * it (inlined bindings): `starts[i]`/`ends[i]` are the file offsets of character `i`.
 */
export interface RawOffsets {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

/** Offsets map of the SQL that `units` spell. */
export function offsetsOf(units: readonly CookedUnit[]): RawOffsets {
  const starts: number[] = [];
  const ends: number[] = [];
  for (const u of units) {
    for (let k = 0; k < u.text.length; k++) {
      starts.push(Math.min(u.rawStart + k, Math.max(u.rawStart, u.rawEnd - 1)));
      ends.push(k === u.text.length - 1 ? u.rawEnd : Math.min(u.rawStart + k + 1, u.rawEnd));
    }
  }
  return { starts, ends };
}

function mapBack(span: Span, base: number, offsets: RawOffsets, file: SourceFile): Span {
  const n = offsets.starts.length;
  const i = Math.min(Math.max(0, span.start - base), n);
  const j = Math.min(Math.max(i, span.end - base), n);
  const last = n > 0 ? offsets.ends[n - 1]! : base;
  const start = i < n ? offsets.starts[i]! : last;
  const end = j > i ? offsets.ends[j - 1]! : start;
  return { file, start, end: Math.max(start, end) };
}

function clampSpan(span: Span): Span {
  const len = span.file.text.length;
  const start = Math.min(Math.max(0, span.start), len);
  const end = Math.min(Math.max(start, span.end), len);
  return start === span.start && end === span.end ? span : { file: span.file, start, end };
}
