/**
 * What counts as a change to an applied migration: its tokens, not its layout. A lexer per
 * language that drops whitespace and comments and keeps everything else (quoted strings whole,
 * MySQL's executable `/*! ... *\/` comments as code), so that re-indenting or commenting a
 * migration is not an edit, while any change the database would see is.
 */
import type { Dialect } from '../model.js';

export type TokenLanguage = Dialect | 'js';

export interface Token {
  readonly start: number;
  readonly end: number;
}

/** Significant tokens of `text`, with their offsets. */
export function significantTokens(text: string, lang: TokenLanguage): Token[] {
  return lang === 'js' ? jsTokens(text) : sqlTokens(text, lang);
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff';
// ASCII answered without the Unicode regex (the lexer asks for every character of a statement).
const isWord = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c === '$' || (c > '\x7f' && /[\p{L}\p{N}_$]/u.test(c));

function sqlTokens(text: string, dialect: Dialect): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  const quoted = (close: string, backslash: boolean): void => {
    const start = i++;
    while (i < n) {
      const c = text[i]!;
      if (backslash && c === '\\') i += 2;
      else if (c === close) {
        if (text[i + 1] === close) i += 2;
        else {
          i++;
          break;
        }
      } else i++;
    }
    out.push({ start, end: Math.min(i, n) });
  };
  while (i < n) {
    const c = text[i]!;
    if (isSpace(c)) {
      i++;
    } else if (c === '-' && text[i + 1] === '-') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === '#' && dialect === 'mysql') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === '/' && text[i + 1] === '*' && !(dialect === 'mysql' && text[i + 2] === '!')) {
      // Postgres nests block comments; MySQL and SQLite end at the first */.
      let depth = 0;
      while (i < n) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
          if (depth === 0 || dialect !== 'postgres') break;
        } else i++;
      }
    } else if (c === "'") {
      const prev = text[i - 1];
      quoted("'", dialect === 'mysql' || ((prev === 'E' || prev === 'e') && dialect === 'postgres'));
    } else if (c === '"') {
      quoted('"', dialect === 'mysql');
    } else if (c === '`') {
      quoted('`', false);
    } else if (c === '[' && dialect === 'sqlite') {
      quoted(']', false);
    } else if (c === '$' && dialect === 'postgres' && /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.test(text.slice(i, i + 64))) {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64))![0];
      const close = text.indexOf(tag, i + tag.length);
      const end = close < 0 ? n : close + tag.length;
      out.push({ start: i, end });
      i = end;
    } else if (isWord(c)) {
      const start = i;
      while (i < n && isWord(text[i]!)) i++;
      out.push({ start, end: i });
    } else {
      out.push({ start: i, end: i + 1 });
      i++;
    }
  }
  return out;
}

/** Tokens that end an expression: a `/` after them divides, anywhere else it starts a regex. */
const ENDS_EXPRESSION = /[\p{L}\p{N}_$)\]}'"`]$/u;
const KEYWORDS_BEFORE_EXPRESSION = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

function jsTokens(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  // Brace depth at which each open template literal's `${` started.
  const templates: number[] = [];
  let depth = 0;
  const last = (): string => {
    const t = out[out.length - 1];
    return t ? text.slice(t.start, t.end) : '';
  };
  const templateBody = (start: number): void => {
    // From just after ` or }, up to the closing ` or the next ${.
    while (i < n) {
      const c = text[i]!;
      if (c === '\\') i += 2;
      else if (c === '`') {
        i++;
        break;
      } else if (c === '$' && text[i + 1] === '{') {
        i += 2;
        templates.push(depth);
        depth++;
        break;
      } else i++;
    }
    out.push({ start, end: Math.min(i, n) });
  };
  while (i < n) {
    const c = text[i]!;
    if (isSpace(c) || c === '\u2028' || c === '\u2029') {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === "'" || c === '"') {
      const start = i++;
      while (i < n && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
      out.push({ start, end: Math.min(i, n) });
    } else if (c === '`') {
      const start = i++;
      templateBody(start);
    } else if (c === '}' && templates.length > 0 && templates[templates.length - 1] === depth - 1) {
      templates.pop();
      depth--;
      const start = i++;
      templateBody(start);
    } else if (c === '/' && (!ENDS_EXPRESSION.test(last()) || KEYWORDS_BEFORE_EXPRESSION.has(last()))) {
      const start = i++;
      let inClass = false;
      while (i < n && text[i] !== '\n') {
        const d = text[i]!;
        if (d === '\\') i++;
        else if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        i++;
      }
      i++;
      while (i < n && isWord(text[i]!)) i++;
      out.push({ start, end: Math.min(i, n) });
    } else if (isWord(c)) {
      const start = i;
      while (i < n && isWord(text[i]!)) i++;
      out.push({ start, end: i });
    } else {
      if (c === '{') depth++;
      else if (c === '}') depth--;
      out.push({ start: i, end: i + 1 });
      i++;
    }
  }
  return out;
}

/**
 * Where `after` differs from `before`: the range of `after` (offsets) between the first and the
 * last token that differ, or null when the token sequences are equal. A pure deletion gives an
 * empty range at the place of the deletion.
 */
export function changedRange(before: string, after: string, lang: TokenLanguage | 'text'): { start: number; end: number } | null {
  if (lang === 'text') return changedTextRange(before, after);
  const a = significantTokens(before, lang);
  const b = significantTokens(after, lang);
  const same = (x: Token, y: Token): boolean => x.end - x.start === y.end - y.start && before.startsWith(after.slice(y.start, y.end), x.start);
  let head = 0;
  while (head < a.length && head < b.length && same(a[head]!, b[head]!)) head++;
  if (head === a.length && head === b.length) return null;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && same(a[a.length - 1 - tail]!, b[b.length - 1 - tail]!)) tail++;
  const firstB = b[head];
  const lastB = b[b.length - 1 - tail];
  const start = firstB && head < b.length - tail ? firstB.start : head > 0 ? b[head - 1]!.end : 0;
  const end = lastB && b.length - 1 - tail >= head ? lastB.end : start;
  return { start, end: Math.max(start, end) };
}

/** Byte-for-byte (line endings aside): for runners that keep a checksum of the whole file. */
function changedTextRange(before: string, after: string): { start: number; end: number } | null {
  const a = before.replace(/\r\n?/g, '\n');
  const lf = after.replace(/\r\n?/g, '\n');
  if (a === lf) return null;
  // Offsets are wanted in `after` itself: walk both with their own line endings.
  let i = 0;
  let j = 0;
  const step = (s: string, k: number): number => (s[k] === '\r' && s[k + 1] === '\n' ? k + 2 : k + 1);
  const ch = (s: string, k: number): string => (s[k] === '\r' ? '\n' : s[k]!);
  while (i < before.length && j < after.length && ch(before, i) === ch(after, j)) {
    i = step(before, i);
    j = step(after, j);
  }
  let ei = before.length;
  let ej = after.length;
  while (ei > i && ej > j && before[ei - 1] === after[ej - 1]) {
    ei--;
    ej--;
  }
  return { start: j, end: Math.max(j, ej) };
}
