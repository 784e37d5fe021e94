/**
 * The loop shared by the SQLite and MySQL parsers: split the section into statements, parse each
 * on its own, keep what parses, and turn what does not into a `syntax-error` finding at the
 * parser's position. Spans are moved from statement-relative to file offsets here.
 */
import type { RawFinding, Section, SourceFile, Span, Statement } from '../model.js';
import type { ParseOutcome } from './parser.js';
import { blankComments, splitStatements, type SplitDialect, type SplitStatement, type Token } from './sqlite-mysql-split.js';

/** What parsing one statement gives: a statement, or an error at an offset of the statement text. */
export type OneStatement =
  | { readonly ok: true; readonly statement: Statement }
  | { readonly ok: false; readonly offset: number; readonly message: string };

export interface StatementInput {
  readonly file: SourceFile;
  /** File offset of the statement's first character (offset 0 of `sql`). */
  readonly base: number;
  /** The statement text, comments blanked out (same length as the original). */
  readonly sql: string;
  /** The original statement text. */
  readonly original: string;
  /** The statement's tokens, offsets relative to the statement text. */
  readonly tokens: Token[];
  /** Span of the whole statement in the file. */
  readonly span: Span;
}

export function parseSection(section: Section, dialect: SplitDialect, parseOne: (input: StatementInput) => OneStatement): ParseOutcome {
  const { file } = section;
  const text = file.text.slice(section.start, section.end);
  const statements: Statement[] = [];
  const errors: RawFinding[] = [];
  for (const split of splitStatements(text, dialect)) {
    const input = statementInput(file, section.start, text, split);
    let result: OneStatement;
    try {
      result = parseOne(input);
    } catch (err) {
      // A parser crash (not a syntax error) must not take the whole section down.
      result = { ok: false, offset: 0, message: err instanceof Error ? err.message : String(err) };
    }
    if (result.ok) statements.push(result.statement);
    else errors.push(syntaxError(input, section, result.offset, result.message));
  }
  return { statements, errors };
}

function statementInput(file: SourceFile, sectionStart: number, text: string, split: SplitStatement): StatementInput {
  const base = sectionStart + split.start;
  const shifted: SplitStatement = {
    start: 0,
    end: split.end - split.start,
    tokens: split.tokens.map((t) => ({ kind: t.kind, start: t.start - split.start, end: t.end - split.start })),
  };
  const original = text.slice(split.start, split.end);
  return {
    file,
    base,
    sql: blankComments(original, shifted),
    original,
    tokens: shifted.tokens,
    span: { file, start: base, end: base + original.length },
  };
}

/** The finding for a syntax error at `offset` of the statement: the offending token is underlined. */
function syntaxError(input: StatementInput, section: Section, offset: number, message: string): RawFinding {
  const pos = Math.max(0, Math.min(offset, input.original.length));
  const tok = input.tokens.find((t) => t.kind !== 'comment' && t.start <= pos && pos < t.end);
  let start: number;
  let end: number;
  if (tok) {
    start = input.base + tok.start;
    end = input.base + tok.end;
  } else {
    start = input.base + pos;
    end = Math.min(start + 1, section.end);
  }
  return { ruleId: 'syntax-error', message: `syntax error: ${message}`, span: { file: input.file, start, end } };
}

/** Converts a 1-based line and column of a PEG parser (lines end at `\n` only) to an offset. */
export function offsetOfLineColumn(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return Math.min(offset + column - 1, text.length);
}
