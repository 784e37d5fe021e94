/**
 * Where a rule's fix edits the SQL: the statement's words, read with the lexer that skips
 * comments and keeps quoted strings and identifiers whole, matched against a pattern of
 * upper-case keywords. A keyword inside a comment, a string or a quoted identifier never matches.
 */
import { significantTokens } from '../changed/tokens.js';
import type { Dialect, Fix, Span, TextEdit } from '../model.js';

/**
 * How far into a statement the words are read: the keywords a fix looks for come early, and a
 * huge statement (a CREATE TABLE of a thousand columns, each reported) is not lexed whole.
 */
const MAX_CHARS = 4000;

export interface WordMatch {
  /** Offset in the file right after the last token the pattern matched. */
  readonly end: number;
  /** Offset in the file where the match starts (the first token it matched). */
  readonly start: number;
  /** The source text of each token the pattern matched, in order. */
  readonly tokens: readonly string[];
  /** The pattern's match on the joined words (its groups read upper-cased words). */
  readonly match: RegExpExecArray;
}

/**
 * Match `pattern` against the tokens of `file.text` from `start` to `end`: the tokens are joined
 * with single spaces, words upper-cased (`create unique  index` reads `CREATE UNIQUE INDEX`), so
 * a pattern reads like the SQL. Anchor it with `^`; a match must end at a token's end.
 */
export function matchWords(span: Pick<Span, 'file' | 'start' | 'end'>, dialect: Dialect, pattern: RegExp): WordMatch | undefined {
  const end = Math.min(span.end, span.start + MAX_CHARS);
  const text = span.file.text.slice(span.start, end);
  const tokens = significantTokens(text, dialect);
  // Cut short: the last token may be part of a longer one.
  if (end < span.end) tokens.pop();
  let joined = '';
  const ends: number[] = [];
  const starts: number[] = [];
  for (const t of tokens) {
    if (joined) joined += ' ';
    starts.push(joined.length);
    const word = text.slice(t.start, t.end);
    joined += /^[A-Za-z_]/.test(word) ? word.toUpperCase() : word;
    ends.push(joined.length);
  }
  const m = pattern.exec(joined);
  if (!m) return undefined;
  const first = starts.indexOf(m.index);
  const last = ends.indexOf(m.index + m[0].length);
  if (first < 0 || last < 0) return undefined;
  return {
    start: span.start + tokens[first]!.start,
    end: span.start + tokens[last]!.end,
    tokens: tokens.slice(first, last + 1).map((t) => text.slice(t.start, t.end)),
    match: m,
  };
}

/** An edit inserting ` words` right after the tokens `pattern` matches in `span`, or undefined. */
export function insertAfter(span: Span, dialect: Dialect, pattern: RegExp, words: string): TextEdit | undefined {
  const m = matchWords(span, dialect, pattern);
  return m ? { start: m.end, end: m.end, text: ` ${words}` } : undefined;
}

/** The end of `span` with trailing whitespace and `;` left out (where a trailing clause goes). */
export function contentEnd(span: Span): number {
  const text = span.file.text;
  let end = span.end;
  while (end > span.start && /[\s;]/.test(text[end - 1]!)) end--;
  return end;
}

export function safeFix(description: string, ...edits: (TextEdit | undefined)[]): Fix[] {
  return edits.every((e) => e !== undefined) && edits.length > 0 ? [{ description, safe: true, edits: edits as TextEdit[] }] : [];
}

export function suggestion(description: string, ...edits: (TextEdit | undefined)[]): Fix[] {
  return edits.every((e) => e !== undefined) && edits.length > 0 ? [{ description, safe: false, edits: edits as TextEdit[] }] : [];
}

/**
 * An edit replacing the type written at `typeAt` (up to `end`) when its words match `pattern`
 * (anchored; e.g. `/^TIMESTAMP( \( (\d+) \))?( WITHOUT TIME ZONE)?(?= |$)/`): `replacement`
 * gets the match's groups and returns the new type, in the case the source used.
 */
export function retype(file: Span['file'], typeAt: number, end: number, pattern: RegExp, replacement: (groups: RegExpExecArray) => string): TextEdit | undefined {
  // A type is a few words: read only those (a wide CREATE TABLE has one fix per column).
  const m = matchWords({ file, start: typeAt, end: Math.min(end, typeAt + 200) }, 'postgres', pattern);
  if (!m) return undefined;
  const written = m.tokens[0] ?? '';
  const upper = written === written.toUpperCase() && /[A-Z]/.test(written);
  const text = replacement(m.match);
  return { start: m.start, end: m.end, text: upper ? text.toUpperCase() : text };
}

/**
 * The name written right after the words `pattern` matches (`ident`, `schema.ident`, quoted
 * parts kept as written), or undefined.
 */
export function nameAfter(span: Span, dialect: Dialect, pattern: RegExp): string | undefined {
  const m = matchWords(span, dialect, pattern);
  if (!m) return undefined;
  const text = span.file.text;
  const tokens = significantTokens(text.slice(m.end, Math.min(span.end, m.end + 1000)), dialect).slice(0, 7);
  const isName = (i: number): boolean => {
    const t = tokens[i];
    return t !== undefined && /^(?:[\p{L}_][\p{L}\p{N}_$]*|"(?:[^"]|"")+")$/u.test(text.slice(m.end + t.start, m.end + t.end));
  };
  if (!isName(0)) return undefined;
  let last = 0;
  while (tokens[last + 1] && text.slice(m.end + tokens[last + 1]!.start, m.end + tokens[last + 1]!.end) === '.' && isName(last + 2)) last += 2;
  return text.slice(m.end + tokens[0]!.start, m.end + tokens[last]!.end);
}
