/**
 * SQLite SQL through `sql-parser-cst`, one statement at a time, lowered to normalized operations.
 *
 * Identifiers: SQLite compares names case-insensitively (ASCII), quoted or not, so every table and
 * column name is folded to lower case; quotes ("x", `x`, [x]) are stripped and `main.` dropped.
 * SQLite has no TRUNCATE: `DELETE FROM t` without WHERE is an operation of kind `delete` with
 * `hasWhere: false`, which rules treat as the truncate-equivalent.
 */
import { parse, type Program } from 'sql-parser-cst';
import type { Section, Statement } from '../model.js';
import type { ParseOutcome, SectionParser } from './parser.js';
import { offsetOfLineColumn, parseSection, type OneStatement, type StatementInput } from './sqlite-mysql-driver.js';
import { lowerCstStatement, type CstNode } from './sqlite-cst.js';
import { describeExpected, describeFound, splitExpectedList } from './syntax-message.js';

export function createSqliteParser(): SectionParser {
  return parseSqliteSection;
}

export function parseSqliteSection(section: Section): ParseOutcome {
  return parseSection(section, 'sqlite', parseSqliteStatement);
}

/**
 * libSQL (Turso; drizzle-kit's `turso` dialect) extends SQLite with
 * `ALTER TABLE t ALTER COLUMN c TO c <type> <constraints>`, which changes the column's declaration
 * for rows written from then on (existing rows are not checked or rewritten). sql-parser-cst does
 * not know it; valid libSQL must not be reported as a syntax error.
 */
const LIBSQL_ALTER_COLUMN = /^\s*ALTER\s+TABLE\s+\S+\s+ALTER\s+COLUMN\s+\S+\s+TO\s+\S+/i;

/** A table constraint keyword: where SQLite lets one follow another without a comma. */
const TABLE_CONSTRAINT = /^(?:CONSTRAINT|PRIMARY|UNIQUE|CHECK|FOREIGN)\b/i;

/**
 * SQLite's grammar separates table constraints by a comma *or nothing*
 * (`FOREIGN KEY (a) REFERENCES x(id) FOREIGN KEY (b) REFERENCES y(id)` is valid, and Drizzle
 * writes it); sql-parser-cst demands the comma. Where it stops at such a keyword after a
 * constraint, the whitespace before it becomes a comma (same length: offsets stay put).
 */
function parseCstWithConstraintCommas(sql: string): ReturnType<typeof parseCst> {
  let result = parseCst(sql, 'sqlite');
  for (let attempt = 0; !result.ok && attempt < 20; attempt++) {
    const at = result.offset;
    if (!/^\s*CREATE\s+(?:TEMP\w*\s+)?TABLE\b/i.test(sql) || !TABLE_CONSTRAINT.test(sql.slice(at)) || !/\s/.test(sql[at - 1] ?? '')) break;
    if (!/[)\w`"\]]\s*$/.test(sql.slice(0, at))) break;
    sql = `${sql.slice(0, at - 1)},${sql.slice(at)}`;
    result = parseCst(sql, 'sqlite');
  }
  return result;
}

function parseSqliteStatement(input: StatementInput): OneStatement {
  const result = parseCstWithConstraintCommas(input.sql);
  if (!result.ok) {
    if (LIBSQL_ALTER_COLUMN.test(input.sql)) {
      return { ok: true, statement: { span: input.span, type: 'libsql_alter_column', ops: [{ kind: 'other', span: input.span, statement: 'ALTER TABLE ... ALTER COLUMN (libSQL)' }] } };
    }
    return result;
  }
  return { ok: true, statement: lowerCstProgram(result.program, input, 'sqlite') };
}

export type CstResult = { ok: true; program: Program } | { ok: false; offset: number; message: string };

const FILENAME = 'migralint-statement';

/** Parses with sql-parser-cst, turning its formatted syntax error into an offset and a message. */
export function parseCst(sql: string, dialect: 'sqlite' | 'mysql'): CstResult {
  try {
    return { ok: true, program: parse(sql, { dialect, includeRange: true, filename: FILENAME }) };
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    // "Syntax Error: Unexpected X\nWas expecting to see: ...\n--> file:LINE:COL\n..."
    const loc = new RegExp(`--> ${FILENAME}:(\\d+):(\\d+)`).exec(text);
    const offset = loc ? offsetOfLineColumn(sql, Number(loc[1]), Number(loc[2])) : 0;
    const lines = text.split('\n');
    // "Unexpected X" and "Was expecting to see: A, B, or C", put in words (syntax-message.ts).
    const found = /^Syntax Error:\s*Unexpected (.*)$/i.exec(lines[0] ?? '');
    let message = found ? `unexpected ${describeFound(found[1]!, sql, offset)}` : (lines[0] ?? text).replace(/^Syntax Error:\s*/i, '');
    message = message.charAt(0).toLowerCase() + message.slice(1);
    const expecting = /^Was expecting to see: (.*)$/.exec(lines[1] ?? '');
    if (expecting) {
      const list = describeExpected(splitExpectedList(expecting[1]!));
      if (list && list.length <= 100) message += `; expected ${list}`;
    }
    return { ok: false, offset, message };
  }
}

/** The statement of a parsed program (one statement, possibly followed by empty ones). */
export function lowerCstProgram(program: Program, input: StatementInput, dialect: 'sqlite' | 'mysql'): Statement {
  const nodes = (program.statements as CstNode[]).filter((s) => s && s.type !== 'empty');
  const node: CstNode = nodes[0] ?? { type: 'empty' };
  const ctx = { dialect, file: input.file, base: input.base, text: input.original, span: input.span };
  const ops = nodes.flatMap((n) => lowerCstStatement(n, ctx));
  return { span: input.span, type: String(node.type), ops, ast: nodes.length === 1 ? node : nodes };
}
