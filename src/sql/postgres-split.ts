/**
 * Splitting Postgres SQL into statements without the WASM scanner: for inputs too large to hand
 * to libpg-query at once, and for text the scanner refuses (an unterminated string, dollar
 * quote, comment or quoted identifier: the statements before it are still parsed).
 *
 * Knows `--` and nested `/* *\/` comments, '...' (with '' and E'\\' escapes), "...", $tag$...$tag$,
 * parentheses, and the BEGIN ATOMIC ... END body of a SQL-standard routine (tracked as psql and
 * the scanner-based splitter in ./postgres.ts do). An unterminated construct runs to the end of
 * the text: the last piece then holds it, and parsing that piece names the error.
 */

/** `[start, end)` string indices; pieces are contiguous and cover the whole text. */
export type Piece = readonly [start: number, end: number];

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

export function splitPostgres(sql: string): Piece[] {
  const pieces: Piece[] = [];
  const n = sql.length;
  let pieceStart = 0;
  let paren = 0;
  let begin = 0;
  let words: string[] = [];
  let i = 0;
  while (i < n) {
    const ch = sql[i]!;
    if (ch === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (ch === '/' && sql[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      continue;
    }
    if (ch === "'") {
      const escapes = i > 0 && (sql[i - 1] === 'E' || sql[i - 1] === 'e') && (i < 2 || !IDENT_PART.test(sql[i - 2]!));
      i++;
      while (i < n) {
        const c = sql[i]!;
        if (escapes && c === '\\') i += 2;
        else if (c === "'" && sql[i + 1] === "'") i += 2;
        else if (c === "'") break;
        else i++;
      }
      i++;
      continue;
    }
    if (ch === '"') {
      i++;
      while (i < n) {
        if (sql[i] === '"' && sql[i + 1] === '"') i += 2;
        else if (sql[i] === '"') break;
        else i++;
      }
      i++;
      continue;
    }
    if (ch === '$' && (i === 0 || !IDENT_PART.test(sql[i - 1]!))) {
      const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 64));
      if (m) {
        const tag = m[0];
        const close = sql.indexOf(tag, i + tag.length);
        i = close < 0 ? n : close + tag.length;
        continue;
      }
    }
    if (ch === '(') paren++;
    else if (ch === ')') paren = Math.max(0, paren - 1);
    else if (ch === ';' && paren === 0 && begin === 0) {
      pieces.push([pieceStart, i + 1]);
      pieceStart = i + 1;
      words = [];
    } else if (IDENT_START.test(ch) && (i === 0 || !IDENT_PART.test(sql[i - 1]!))) {
      let j = i + 1;
      while (j < n && IDENT_PART.test(sql[j]!)) j++;
      const word = sql.slice(i, j).toLowerCase();
      if (words.length < 4) words.push(word);
      if (paren === 0 && isRoutineHead(words)) {
        if (word === 'begin') begin++;
        else if (word === 'case' && begin > 0) begin++;
        else if (word === 'end' && begin > 0) begin--;
      }
      i = j;
      continue;
    }
    i++;
  }
  if (pieceStart < n) pieces.push([pieceStart, n]);
  return pieces;
}

function isRoutineHead(words: readonly string[]): boolean {
  const routine = (w: string | undefined): boolean => w === 'function' || w === 'procedure';
  return words[0] === 'create' && (routine(words[1]) || (words[1] === 'or' && words[2] === 'replace' && routine(words[3])));
}

/**
 * Inputs above this many characters are parsed in groups of statements of about this size:
 * libpg-query's WASM heap gives out on tens of MB at once (it printed a FATAL error to stdout and
 * threw a non-Error), and smaller pieces are also faster. The parse worker leaves such inputs to
 * the main thread.
 */
export const PARSE_GROUP_CHARS = 1 << 20;

/** Consecutive pieces joined into groups of about `size` characters (a piece is never cut). */
export function groupPieces(pieces: readonly Piece[], size: number): Piece[] {
  const groups: Piece[] = [];
  let start = -1;
  let end = -1;
  for (const [s, e] of pieces) {
    if (start < 0) start = s;
    end = e;
    if (end - start >= size) {
      groups.push([start, end]);
      start = -1;
    }
  }
  if (start >= 0) groups.push([start, end]);
  return groups;
}
