/**
 * A small SQL lexer and statement splitter shared by the SQLite and MySQL parsers.
 *
 * The parsers parse one statement at a time so that a syntax error in one statement does not
 * hide the statements after it. The splitter cuts the text on `;` outside strings, quoted
 * identifiers and comments, keeps `BEGIN ... END` bodies of triggers and stored routines whole,
 * honours the MySQL client's `DELIMITER` command, and also ends a statement at a Drizzle
 * `--> statement-breakpoint` comment (Drizzle's migrator splits on it).
 *
 * Offsets are UTF-16 indices into the text given.
 */

export type SplitDialect = 'sqlite' | 'mysql';

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'comment';

export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
}

export interface SplitStatement {
  /** Start of the first token (comments excluded). */
  readonly start: number;
  /** End of the last token (comments and the terminating `;` excluded). */
  readonly end: number;
  /** Tokens between start and end, comments included. */
  readonly tokens: Token[];
}

const BREAKPOINT = /^-->\s*statement-breakpoint/;

function isWordStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 0x80;
}

function isWordPart(c: number): boolean {
  return isWordStart(c) || (c >= 48 && c <= 57) || c === 36; // digits, $
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** Lexes all tokens of `text` (whitespace dropped, comments kept). */
export function tokenize(text: string, dialect: SplitDialect): Token[] {
  const tokens: Token[] = [];
  const lexer = new Lexer(text, dialect);
  for (let t = lexer.next(); t; t = lexer.next()) tokens.push(t);
  return tokens;
}

class Lexer {
  pos = 0;
  /** Inside a MySQL `/*! ... *\/` executable comment: its content is code. */
  execComment = false;
  /** A custom MySQL delimiter (`DELIMITER $$`): words and numbers stop where it starts. */
  stopAt: string | undefined;

  constructor(
    readonly text: string,
    readonly dialect: SplitDialect,
  ) {}

  skipSpace(): void {
    const { text } = this;
    while (this.pos < text.length && isSpace(text.charCodeAt(this.pos))) this.pos++;
  }

  /** The next token, or undefined at the end of the text. */
  next(): Token | undefined {
    this.skipSpace();
    const { text, dialect } = this;
    const start = this.pos;
    if (start >= text.length) return undefined;
    const c = text.charCodeAt(start);
    const c2 = text.charCodeAt(start + 1);

    // Comments.
    if (c === 45 && c2 === 45) return this.lineComment(start); // --
    if (c === 35 && dialect === 'mysql') return this.lineComment(start); // #
    if (c === 47 && c2 === 42) {
      // /* ... */, or MySQL's /*! ... */ and /*M! ... */ whose content is executed.
      if (dialect === 'mysql') {
        const m = /^\/\*M?!\d*/.exec(text.slice(start, start + 12));
        if (m) {
          this.execComment = true;
          this.pos = start + m[0].length;
          return { kind: 'comment', start, end: this.pos };
        }
      }
      const close = text.indexOf('*/', start + 2);
      this.pos = close < 0 ? text.length : close + 2;
      return { kind: 'comment', start, end: this.pos };
    }
    if (this.execComment && c === 42 && c2 === 47) {
      this.execComment = false;
      this.pos = start + 2;
      return { kind: 'comment', start, end: this.pos };
    }

    // Strings and quoted identifiers.
    if (c === 39) return this.quoted(start, "'", 'string', dialect === 'mysql');
    if (c === 34) {
      return dialect === 'mysql' ? this.quoted(start, '"', 'string', true) : this.quoted(start, '"', 'quoted', false);
    }
    if (c === 96) return this.quoted(start, '`', 'quoted', false);
    if (c === 91 && dialect === 'sqlite') {
      const close = text.indexOf(']', start + 1);
      this.pos = close < 0 ? text.length : close + 1;
      return { kind: 'quoted', start, end: this.pos };
    }

    // Words and numbers.
    if (isWordStart(c)) {
      let i = start + 1;
      while (i < text.length && isWordPart(text.charCodeAt(i)) && !this.stopsAt(i)) i++;
      this.pos = i;
      return { kind: 'word', start, end: i };
    }
    if (isDigit(c) || (c === 46 && isDigit(c2))) {
      let i = start + 1;
      while (i < text.length && !this.stopsAt(i)) {
        const d = text.charCodeAt(i);
        if (isWordPart(d) || d === 46) i++;
        else if ((d === 43 || d === 45) && /[eE]/.test(text[i - 1]!) && !/^0[xX]/.test(text.slice(start, i))) i++;
        else break;
      }
      this.pos = i;
      return { kind: 'number', start, end: i };
    }

    // Anything else is a one-character punctuation token (surrogate pairs kept whole).
    this.pos = start + (c >= 0xd800 && c <= 0xdbff && start + 1 < text.length ? 2 : 1);
    return { kind: 'punct', start, end: this.pos };
  }

  private stopsAt(i: number): boolean {
    return this.stopAt !== undefined && this.text.startsWith(this.stopAt, i);
  }

  private lineComment(start: number): Token {
    const { text } = this;
    let i = start;
    while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    this.pos = i;
    return { kind: 'comment', start, end: i };
  }

  private quoted(start: number, q: string, kind: TokenKind, backslash: boolean): Token {
    const { text } = this;
    let i = start + 1;
    while (i < text.length) {
      const ch = text[i]!;
      if (backslash && ch === '\\') {
        i += 2;
        continue;
      }
      if (ch === q) {
        if (text[i + 1] === q) {
          i += 2;
          continue;
        }
        i++;
        this.pos = i;
        return { kind, start, end: i };
      }
      i++;
    }
    this.pos = text.length;
    return { kind, start, end: text.length };
  }
}

/** Upper-cased text of a word token, '' for any other token. */
export function wordOf(text: string, t: Token | undefined): string {
  return t && t.kind === 'word' ? text.slice(t.start, t.end).toUpperCase() : '';
}

const ROUTINE_KINDS = new Set(['TRIGGER', 'PROCEDURE', 'FUNCTION', 'EVENT']);
const NON_ROUTINE_KINDS = new Set([
  'TABLE', 'INDEX', 'VIEW', 'UNIQUE', 'DATABASE', 'SCHEMA', 'USER', 'ROLE', 'SEQUENCE',
  'FULLTEXT', 'SPATIAL', 'VIRTUAL', 'SERVER', 'TABLESPACE', 'LOGFILE', 'SELECT',
]);

/** Does the statement so far (its significant tokens) start a trigger or a stored routine? */
export function isRoutineHeader(text: string, tokens: Token[]): boolean {
  if (wordOf(text, tokens[0]) !== 'CREATE') return false;
  for (let i = 1; i < tokens.length && i < 24; i++) {
    const w = wordOf(text, tokens[i]);
    if (ROUTINE_KINDS.has(w)) return true;
    if (NON_ROUTINE_KINDS.has(w)) return false;
    if (tokens[i]!.kind === 'punct' && text[tokens[i]!.start] === '(') return false;
  }
  return false;
}

/**
 * Splits `text` into statements. Empty statements (only comments, or a bare `;`) are dropped;
 * a MySQL `DELIMITER` line is a client command, not a statement, and is dropped too.
 */
export function splitStatements(text: string, dialect: SplitDialect): SplitStatement[] {
  const out: SplitStatement[] = [];
  const lexer = new Lexer(text, dialect);
  let delimiter = ';';
  let current: Token[] = [];
  let significant: Token[] = [];
  /** Open BEGIN/CASE blocks of a routine or trigger body. */
  let depth = 0;
  let routine: boolean | undefined;
  /** The next word follows END (`END CASE`, `END IF`): it opens no block. */
  let afterEnd = false;

  const flush = (): void => {
    if (significant.length > 0) {
      const first = significant[0]!;
      const last = significant[significant.length - 1]!;
      out.push({
        start: first.start,
        end: last.end,
        tokens: current.filter((t) => t.start >= first.start && t.end <= last.end),
      });
    }
    current = [];
    significant = [];
    depth = 0;
    routine = undefined;
    afterEnd = false;
  };

  /** Upper-cased next word after the lexer's position, without consuming it. */
  const peekWord = (): string => {
    const save = lexer.pos;
    const saveExec = lexer.execComment;
    let t = lexer.next();
    while (t && t.kind === 'comment') t = lexer.next();
    lexer.pos = save;
    lexer.execComment = saveExec;
    return wordOf(text, t);
  };

  for (;;) {
    lexer.skipSpace();
    // A custom MySQL delimiter ends the statement wherever it appears outside quotes and comments.
    if (delimiter !== ';' && text.startsWith(delimiter, lexer.pos)) {
      lexer.pos += delimiter.length;
      flush();
      continue;
    }
    const tok = lexer.next();
    if (!tok) break;

    if (tok.kind === 'comment') {
      if (BREAKPOINT.test(text.slice(tok.start, tok.end))) {
        flush();
        continue;
      }
      current.push(tok);
      continue;
    }

    // MySQL client command: DELIMITER <string> (up to the end of the line).
    if (dialect === 'mysql' && significant.length === 0 && wordOf(text, tok) === 'DELIMITER') {
      let eol = tok.end;
      while (eol < text.length && text[eol] !== '\n' && text[eol] !== '\r') eol++;
      const arg = text.slice(tok.end, eol).trim().split(/\s+/)[0] ?? '';
      if (arg) {
        delimiter = arg;
        lexer.stopAt = arg === ';' ? undefined : arg;
      }
      lexer.pos = eol;
      current = [];
      continue;
    }

    if (delimiter === ';' && tok.kind === 'punct' && text[tok.start] === ';' && depth === 0) {
      flush();
      continue;
    }

    current.push(tok);
    significant.push(tok);

    // Track BEGIN ... END bodies of triggers and routines so that their inner `;` do not split.
    // BEGIN and CASE open a block, END closes one; `END IF|LOOP|WHILE|REPEAT` close blocks that
    // were never counted, and the word after END (`END CASE`) opens nothing.
    if (delimiter === ';' && tok.kind === 'word') {
      const w = wordOf(text, tok);
      if (afterEnd) afterEnd = false;
      else if (w === 'BEGIN' || w === 'CASE' || w === 'END') {
        if (routine === undefined && w === 'BEGIN') routine = isRoutineHeader(text, significant);
        if (routine) {
          if (w === 'BEGIN' || w === 'CASE') depth++;
          else if (depth > 0) {
            const after = peekWord();
            if (after !== 'IF' && after !== 'LOOP' && after !== 'WHILE' && after !== 'REPEAT') depth--;
            afterEnd = after === 'IF' || after === 'LOOP' || after === 'WHILE' || after === 'REPEAT' || after === 'CASE';
          }
        }
      }
    }
  }
  flush();
  return out;
}

/**
 * The text of a statement with every comment replaced by spaces (line breaks kept), so that
 * offsets are unchanged and the parser never has to understand comments (`-->` of Drizzle,
 * MySQL's executable-comment markers).
 */
export function blankComments(text: string, stmt: SplitStatement): string {
  let out = '';
  let pos = stmt.start;
  for (const t of stmt.tokens) {
    if (t.kind !== 'comment') continue;
    out += text.slice(pos, t.start) + text.slice(t.start, t.end).replace(/[^\r\n]/g, ' ');
    pos = t.end;
  }
  return out + text.slice(pos, stmt.end);
}

/** Splits tokens into top-level comma-separated groups (parentheses respected), comments dropped. */
export function splitOnCommas(text: string, tokens: readonly Token[]): Token[][] {
  const groups: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'comment') continue;
    if (t.kind === 'punct') {
      const ch = text[t.start];
      if (ch === '(') depth++;
      else if (ch === ')') depth = Math.max(0, depth - 1);
      else if (ch === ',' && depth === 0) {
        groups.push([]);
        continue;
      }
    }
    groups[groups.length - 1]!.push(t);
  }
  return groups;
}

