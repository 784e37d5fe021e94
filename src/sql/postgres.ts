/**
 * Postgres SQL through libpg-query (the real Postgres parser), lowered to normalized operations
 * with exact spans: statements from `stmt_location`/`stmt_len`, ALTER TABLE sub-commands from the
 * scanner's top-level commas, all converted from UTF-8 bytes to string indices.
 */
import { significantTokens } from '../changed/tokens.js';
import type { ScanToken } from 'libpg-query';
import { loadModule, parseSync, scanSync } from './libpg-query.js';
import type { ColumnInfo, Operation, Predicate, RawFinding, Section, SourceFile, Span, Statement, TableRef, ValueInfo, Volatility } from '../model.js';
import { isSpace, isWordChar } from './chars.js';
import { byteOffsetMapper } from './offsets.js';
import { isUsingExpr, lowerAlterTableCmd, lowerPostgresDdl, pgFullType } from './postgres-ddl.js';
import { groupPieces, PARSE_GROUP_CHARS, splitPostgres } from './postgres-split.js';
import { lowerDoBlock } from './plpgsql.js';
import { matchJoins, refKey } from './copy-nulls.js';
import { ownColumn, pgNotNullRefs, pgRefKey, predicateOf, valueOf } from './postgres-expr.js';
import type { ParseOutcome, SectionParser } from './parser.js';

/* The AST is JSON from the C parser; @pgsql/types describes it, but a loose record keeps the
 * lowering readable. Every access below is guarded. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PgNode = Record<string, any>;

export async function createPostgresParser(): Promise<SectionParser> {
  await loadModule();
  return parsePostgresSection;
}

/** A single statement larger than this is not handed to libpg-query (16 MiB parsed fine here). */
const MAX_STATEMENT_CHARS = 24 << 20;

export function parsePostgresSection(section: Section): ParseOutcome {
  return parseSection(section, undefined);
}

/** The PL/pgSQL trees of the DO blocks of the section being lowered, by statement text (lowerParsedSection). */
let doBlocksAhead: ReadonlyMap<string, string> | undefined;

/**
 * A section whose tree libpg-query's parse gave as JSON text (the parse worker's, ./pg-json.ts):
 * the outcome parsePostgresSection gives, without the parse. `doBlocks`: the PL/pgSQL trees
 * (JSON text) of its DO blocks, by each DO statement's text, parsed by the worker too.
 */
export function lowerParsedSection(section: Section, json: string, doBlocks?: ReadonlyMap<string, string>): ParseOutcome {
  doBlocksAhead = doBlocks;
  try {
    return parseSection(section, json);
  } finally {
    doBlocksAhead = undefined;
  }
}

/** `json`: the text of the whole section's tree, already parsed (used unless the section is parsed in groups). */
function parseSection(section: Section, json: string | undefined): ParseOutcome {
  const sql = section.file.text.slice(section.start, section.end);
  if (sql.trim() === '') return { statements: [], errors: [] };
  const toIndex = byteOffsetMapper(sql);
  const at = (byte: number): number => section.start + toIndex(byte);
  if (sql.length <= PARSE_GROUP_CHARS) return parseText(sql, section, at, json);
  // Large input: statement groups split outside the WASM, each parsed on its own.
  const statements: Statement[] = [];
  const errors: RawFinding[] = [];
  let byteBase = 0;
  for (const [start, end] of groupPieces(splitPostgres(sql), PARSE_GROUP_CHARS)) {
    const group = sql.slice(start, end);
    const base = byteBase;
    byteBase += Buffer.byteLength(group, 'utf8');
    if (group.trim() === '') continue;
    if (group.length > MAX_STATEMENT_CHARS) {
      // One statement this large: measured to parse up to 16 MiB, beyond that the WASM heap gives out.
      const start0 = at(base);
      errors.push({
        ruleId: 'syntax-error',
        message: `a single statement of ${Math.round(group.length / (1024 * 1024))} MiB is too large for the Postgres parser: not parsed`,
        span: { file: section.file, start: start0, end: Math.min(section.end, start0 + 1) },
      });
      continue;
    }
    const outcome = parseText(group, section, (b) => at(base + b));
    statements.push(...outcome.statements);
    errors.push(...outcome.errors);
  }
  return { statements, errors };
}

/**
 * `sql` parsed whole, else statement by statement; `at` maps its UTF-8 offsets to the file.
 * `json`: the text of its tree, already parsed (by the parse worker).
 */
function parseText(sql: string, section: Section, at: (b: number) => number, json?: string): ParseOutcome {
  try {
    const tree = (json === undefined ? quietly(() => parseSync(sql)) : JSON.parse(json)) as PgNode;
    const statements = (tree.stmts ?? []).map((raw: PgNode) => lowerRawStmt(raw, section, at, () => lastTokenEnd(sql)));
    return { statements, errors: [] };
  } catch (err) {
    return parseStatementByStatement(sql, section, at, err);
  }
}

/**
 * Runs a libpg-query call with stdout and stderr held: the WASM module prints through
 * console.log/console.error (a FATAL error, Postgres memory-context dumps), and stdout carries the
 * report alone. What it printed is dropped (the thrown error says what went wrong).
 */
export function quietly<T>(fn: () => T): T {
  const out = process.stdout.write;
  const err = process.stderr.write;
  const swallow = ((..._args: unknown[]) => true) as typeof process.stdout.write;
  process.stdout.write = swallow;
  process.stderr.write = swallow;
  try {
    return fn();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** A thrown value as text (libpg-query can throw objects that are not Errors). */
export function describeThrown(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  if (err && typeof err === 'object') {
    const m = (err as { message?: unknown }).message;
    if (typeof m === 'string') return m;
    try {
      const json = JSON.stringify(err);
      if (json && json !== '{}') return json.length > 200 ? `${json.slice(0, 197)}...` : json;
    } catch {
      // fall through
    }
    return "an error the Postgres parser gave no message for";
  }
  return String(err);
}

/**
 * The whole section failed to parse. Split it into statements with the scanner (which knows
 * strings, dollar quotes and comments) and parse each on its own, so statements before and after
 * the bad one are still linted and the error lands on the right token. Where the scanner itself
 * gives up (an unterminated string, dollar quote, comment or quoted identifier), the splitter of
 * ./postgres-split.ts cuts the text instead: the statements before the unterminated one are kept.
 */
function parseStatementByStatement(sql: string, section: Section, at: (b: number) => number, firstError: unknown): ParseOutcome {
  let tokens: ScanToken[] | null;
  try {
    tokens = quietly(() => scanSync(sql)).tokens;
  } catch {
    tokens = null;
  }
  const bytes = Buffer.from(sql, 'utf8');
  const statements: Statement[] = [];
  const errors: RawFinding[] = [];
  const parseChunk = (chunkStart: number, chunkEnd: number): void => {
    // Offsets are bytes of `sql`; parse the chunk on its own and shift back.
    const chunkSql = bytes.subarray(chunkStart, chunkEnd).toString('utf8');
    if (chunkSql.trim() === '') return;
    const base = chunkStart;
    const chunkAt = (b: number): number => at(base + b);
    try {
      const tree = quietly(() => parseSync(chunkSql)) as PgNode;
      for (const raw of tree.stmts ?? []) statements.push(lowerRawStmt(raw, section, chunkAt, () => lastTokenEnd(chunkSql)));
    } catch (err) {
      errors.push(syntaxError(err, section, chunkAt, 0));
    }
  };
  if (tokens === null) {
    let byteBase = 0;
    for (const [start, end] of splitPostgres(sql)) {
      const len = Buffer.byteLength(sql.slice(start, end), 'utf8');
      parseChunk(byteBase, byteBase + len);
      byteBase += len;
    }
    if (errors.length === 0) errors.push(syntaxError(firstError, section, at, 0));
    return { statements, errors };
  }
  let chunkStart = -1;
  let chunkEnd = 0;
  const flush = (): void => {
    if (chunkStart < 0) return;
    parseChunk(chunkStart, chunkEnd);
    chunkStart = -1;
  };
  // A `;` ends a statement only outside parentheses (`CREATE RULE ... DO (a; b)`) and outside the
  // BEGIN ATOMIC ... END body of a SQL-standard routine, tracked the way psql does: within a
  // statement starting CREATE [OR REPLACE] FUNCTION|PROCEDURE, BEGIN opens a block, CASE inside
  // one opens another, END closes one.
  let parenDepth = 0;
  let beginDepth = 0;
  let words: string[] = [];
  for (const t of tokens) {
    if (t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT') continue;
    if (t.text === ';' && parenDepth === 0 && beginDepth === 0) {
      flush();
      words = [];
      continue;
    }
    if (chunkStart < 0) chunkStart = t.start;
    chunkEnd = t.end;
    if (t.text === '(') parenDepth++;
    else if (t.text === ')') parenDepth = Math.max(0, parenDepth - 1);
    else if (/^[A-Za-z_][A-Za-z_0-9$]*$/.test(t.text)) {
      const word = t.text.toLowerCase();
      if (words.length < 4) words.push(word);
      if (parenDepth === 0 && isRoutineHead(words)) {
        if (word === 'begin') beginDepth++;
        else if (word === 'case' && beginDepth > 0) beginDepth++;
        else if (word === 'end' && beginDepth > 0) beginDepth--;
      }
    }
  }
  flush();
  if (errors.length === 0) errors.push(syntaxError(firstError, section, at, 0));
  return { statements, errors };
}

/** CREATE [OR REPLACE] FUNCTION|PROCEDURE: the first words of a statement, lower-cased. */
function isRoutineHead(words: readonly string[]): boolean {
  const routine = (w: string | undefined): boolean => w === 'function' || w === 'procedure';
  return words[0] === 'create' && (routine(words[1]) || (words[1] === 'or' && words[2] === 'replace' && routine(words[3])));
}

function syntaxError(err: unknown, section: Section, at: (b: number) => number, fallbackByte: number): RawFinding {
  const details = (err as { sqlDetails?: { cursorPosition?: number; message?: string } } | null)?.sqlDetails;
  // One line: the parser quotes the rest of the line after an unterminated string, newline and all.
  const message = (details?.message ?? describeThrown(err)).replace(/\s*\n\s*/g, ' ');
  const pos = at(typeof details?.cursorPosition === 'number' ? details.cursorPosition : fallbackByte);
  const text = section.file.text;
  let end = pos;
  while (end < section.end && /[^\s;,()]/.test(text[end]!)) end++;
  if (end === pos && pos < section.end) end = pos + 1;
  const said = /^syntax error\b/i.test(message) ? message : `syntax error: ${message}`;
  return { ruleId: 'syntax-error', message: `${said} (Postgres parser)`, span: { file: section.file, start: pos, end } };
}

/** The smallest `location` in a subtree (where an expression starts); -1 when there is none. */
function minLocation(x: unknown, min = -1): number {
  if (x === null || typeof x !== 'object') return min;
  if (Array.isArray(x)) {
    for (const v of x) min = minLocation(v, min);
    return min;
  }
  const obj = x as PgNode;
  for (const k in obj) {
    const v: unknown = obj[k];
    if (k === 'location' && typeof v === 'number') {
      if (v >= 0 && (min < 0 || v < min)) min = v;
    } else min = minLocation(v, min);
  }
  return min;
}

/** Columns of the own table an expression reads. */
function columnsRead(e: unknown, own: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  addColumnsRead(e, own, out);
  return [...out];
}

function addColumnsRead(x: unknown, own: ReadonlySet<string>, out: Set<string>): void {
  if (x === null || typeof x !== 'object') return;
  if (Array.isArray(x)) {
    for (const v of x) addColumnsRead(v, own, out);
    return;
  }
  const obj = x as PgNode;
  if (obj.SubLink) return;
  if (obj.ColumnRef) {
    const fields: PgNode[] = obj.ColumnRef.fields ?? [];
    const name = str(fields[fields.length - 1]);
    const q = fields.length > 1 ? str(fields[fields.length - 2]) : undefined;
    if (name && (q === undefined || own.has(q))) out.add(name);
    return;
  }
  for (const k in obj) addColumnsRead(obj[k], own, out);
}

/** Byte offset just past the last token that is not a comment (the parsed text's end otherwise). */
function lastTokenEnd(sql: string): number {
  try {
    const tokens = quietly(() => scanSync(sql)).tokens.filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT');
    if (tokens.length > 0) return tokens[tokens.length - 1]!.end;
  } catch {
    // fall through
  }
  return Buffer.byteLength(sql, 'utf8');
}

/**
 * `endOfText` gives the byte offset (in `at`'s coordinates) where the parsed text's last token
 * ends: libpg-query leaves `stmt_len` unset for a last statement without `;`, meaning "to the end
 * of the input", which would otherwise take in trailing comments (or, for a chunk parsed on its
 * own, everything after the chunk).
 */
function lowerRawStmt(raw: PgNode, section: Section, at: (b: number) => number, endOfText: () => number): Statement {
  const startByte: number = raw.stmt_location ?? 0;
  const lenBytes: number | undefined = raw.stmt_len;
  const start = at(startByte);
  const end = lenBytes === undefined || lenBytes === 0 ? at(endOfText()) : at(startByte + lenBytes);
  const span: Span = { file: section.file, start, end: Math.max(start, trimEnd(section.file.text, end)) };
  const node: PgNode = raw.stmt ?? {};
  const type = nodeType(node);
  const body: PgNode = node[type] ?? {};
  const lowerer = new Lowerer(section.file, span, startByte, at);
  return { span, type, ops: lowerer.lower(type, body), ast: node };
}

/**
 * Operations of SQL that lies verbatim at `start` of the file inside another statement (a DO
 * block's body): parsed on its own, lowered with spans into the file. Throws on a syntax error.
 */
function lowerEmbeddedSql(file: SourceFile, sql: string, start: number): Operation[] {
  const tree = parseSync(sql) as PgNode;
  const toIndex = byteOffsetMapper(sql);
  const section: Section = { file, start, end: start + sql.length };
  const at = (byte: number): number => start + toIndex(byte);
  const end = Buffer.byteLength(sql, 'utf8');
  return (tree.stmts ?? []).flatMap((raw: PgNode) => lowerRawStmt(raw, section, at, () => end).ops);
}

/** Back up over trailing whitespace, comments are not expected here (stmt_len excludes them). */
function trimEnd(text: string, end: number): number {
  let e = end;
  while (e > 0 && isSpace(text.charCodeAt(e - 1))) e--;
  return e;
}

/** The one key of a node (`{ CreateStmt: {...} }` → `CreateStmt`). */
function nodeType(node: PgNode): string {
  for (const k in node) return k;
  return 'Unknown';
}

function str(n: PgNode | undefined): string | undefined {
  return n?.String?.sval;
}

function rangeVar(r: PgNode | undefined): TableRef {
  const rv = r?.RangeVar ?? r ?? {};
  return rv.schemaname ? { schema: rv.schemaname, name: rv.relname ?? '?' } : { name: rv.relname ?? '?' };
}

/**
 * The function a CREATE FUNCTION (VOLATILE unless it says IMMUTABLE or STABLE) or an ALTER
 * FUNCTION that sets the volatility declares, and that volatility; undefined for other ALTER
 * FUNCTIONs and for procedures.
 */
function functionVolatility(type: string, n: PgNode): { name: string; volatility: Volatility; written: boolean } | undefined {
  if (type === 'CreateFunctionStmt' && n.is_procedure) return undefined;
  const names: PgNode[] = type === 'CreateFunctionStmt' ? (n.funcname ?? []) : (n.func?.objname ?? []);
  const name = str(names[names.length - 1]);
  if (name === undefined || (type === 'AlterFunctionStmt' && n.objtype !== undefined && n.objtype !== 'OBJECT_FUNCTION')) return undefined;
  const options: PgNode[] = (type === 'CreateFunctionStmt' ? n.options : n.actions) ?? [];
  const declared = options.map((o) => o.DefElem).find((d) => d?.defname === 'volatility');
  const v = str(declared?.arg);
  if (v === 'immutable' || v === 'stable' || v === 'volatile') return { name, volatility: v, written: true };
  return type === 'CreateFunctionStmt' ? { name, volatility: 'volatile', written: false } : undefined;
}

/**
 * A subquery that gives one table's rows (`SELECT id, name AS n FROM t WHERE ...`, no join,
 * grouping or set operation): the table, and for each output column that is one of its columns
 * as is, which one (`n` -> `name`).
 */
function subqueryColumns(q: PgNode | undefined): { table: TableRef; columns: Map<string, string> } | undefined {
  if (!q || q.op !== 'SETOP_NONE' || q.valuesLists || q.groupClause || q.havingClause || (q.fromClause ?? []).length !== 1) return undefined;
  const from: PgNode = q.fromClause[0];
  if (!from.RangeVar) return undefined;
  const own = ownNames(from);
  const columns = new Map<string, string>();
  for (const t of (q.targetList ?? []) as PgNode[]) {
    const fields: PgNode[] = t.ResTarget?.val?.ColumnRef?.fields ?? [];
    const column = str(fields[fields.length - 1]);
    if (column === undefined || fields.length > 2 || (fields.length === 2 && !own.has(str(fields[0]) ?? ''))) continue;
    columns.set(typeof t.ResTarget.name === 'string' ? t.ResTarget.name : column, column);
  }
  return { table: rangeVar(from), columns };
}

/** The names a statement's own table goes by: its name and its alias. */
function ownNames(r: PgNode | undefined): Set<string> {
  const rv = r?.RangeVar ?? r ?? {};
  const names = new Set<string>();
  if (rv.relname) names.add(rv.relname);
  if (rv.alias?.aliasname) names.add(rv.alias.aliasname);
  return names;
}

function qualifiedName(items: PgNode[] | undefined): TableRef {
  const parts = (items ?? []).map(str).filter((s): s is string => s !== undefined);
  const name = parts[parts.length - 1] ?? '?';
  return parts.length > 1 ? { schema: parts[parts.length - 2], name } : { name };
}

const SERIAL_TYPES = new Set(['serial', 'serial4', 'serial8', 'bigserial', 'smallserial', 'serial2']);

/** Function calls that make a DEFAULT volatile (evaluated per row, forcing a table rewrite). */
const VOLATILE_FUNCTIONS = new Set([
  'random',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'uuidv4',
  'uuidv7',
  'nextval',
  'clock_timestamp',
  'timeofday',
  'txid_current',
]);

function isConstantExpr(e: PgNode | undefined): boolean {
  if (!e) return true;
  let constant = true;
  const visit = (n: unknown): void => {
    if (!constant || n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    const obj = n as PgNode;
    if (obj.FuncCall) {
      const name = (obj.FuncCall.funcname ?? []).map(str).pop();
      if (name && VOLATILE_FUNCTIONS.has(name)) constant = false;
    }
    if (obj.SubLink || obj.ColumnRef) constant = false;
    for (const k in obj) visit(obj[k]);
  };
  visit(e);
  return constant;
}

/** `NULL`, possibly cast (`NULL::int`, `CAST(NULL AS int)`). */
function isNullConstant(e: PgNode | undefined): boolean {
  if (e?.TypeCast) return isNullConstant(e.TypeCast.arg);
  return e?.A_Const?.isnull === true;
}

function typeNameOf(tn: PgNode | undefined): string | undefined {
  const names: string[] = (tn?.names ?? []).map(str).filter(Boolean);
  if (names.length === 0) return undefined;
  const last = names[names.length - 1]!;
  return tn?.arrayBounds ? `${last}[]` : last;
}

/** A column definition; `typeAt`: where its type is written (for the fixes that rewrite the type). */
function columnInfo(def: PgNode, typeAt: number | undefined): ColumnInfo {
  const type = typeNameOf(def.typeName);
  let notNull = false;
  let hasDefault = false;
  let constantDefault = true;
  let primaryKey = false;
  let unique = false;
  let references = false;
  if (type && SERIAL_TYPES.has(type)) {
    hasDefault = true;
    notNull = true;
    constantDefault = false;
  }
  for (const c of def.constraints ?? []) {
    const con: PgNode = c.Constraint ?? {};
    switch (con.contype) {
      case 'CONSTR_NOTNULL':
        notNull = true;
        break;
      case 'CONSTR_PRIMARY':
        notNull = true;
        primaryKey = true;
        break;
      case 'CONSTR_UNIQUE':
        unique = true;
        break;
      case 'CONSTR_FOREIGN':
        references = true;
        break;
      case 'CONSTR_DEFAULT':
        // DEFAULT NULL fills nothing: it is the same as no DEFAULT.
        if (isNullConstant(con.raw_expr)) break;
        hasDefault = true;
        if (!isConstantExpr(con.raw_expr)) constantDefault = false;
        break;
      case 'CONSTR_IDENTITY':
      case 'CONSTR_GENERATED':
        hasDefault = true;
        constantDefault = false;
        break;
    }
  }
  const fullType = pgFullType(def.typeName);
  const info: { -readonly [K in keyof ColumnInfo]: ColumnInfo[K] } = { name: def.colname ?? '?', type, notNull, hasDefault, constantDefault: hasDefault && constantDefault, primaryKey };
  if (fullType) info.fullType = fullType;
  if (unique) info.unique = unique;
  if (references) info.references = references;
  if (typeAt !== undefined) info.typeAt = typeAt;
  return info;
}

/** `col IS NULL` (and nothing else) as a WHERE clause: the column's name. */
function isNullTestOf(where: PgNode | undefined): string | undefined {
  const test = where?.NullTest;
  if (!test || test.nulltesttype !== 'IS_NULL') return undefined;
  const fields: PgNode[] = test.arg?.ColumnRef?.fields ?? [];
  return str(fields[fields.length - 1]);
}

/** Columns a CHECK expression proves NOT NULL: `col IS NOT NULL`, possibly AND-ed together. */
function notNullColumnsOf(expr: PgNode | undefined): string[] {
  if (!expr) return [];
  if (expr.NullTest && expr.NullTest.nulltesttype === 'IS_NOT_NULL') {
    const fields: PgNode[] = expr.NullTest.arg?.ColumnRef?.fields ?? [];
    const name = str(fields[fields.length - 1]);
    return name ? [name] : [];
  }
  if (expr.BoolExpr && expr.BoolExpr.boolop === 'AND_EXPR') {
    return (expr.BoolExpr.args ?? []).flatMap((a: PgNode) => notNullColumnsOf(a));
  }
  return [];
}

const CONSTRAINT_KINDS: Record<string, 'check' | 'foreign-key' | 'unique' | 'primary-key' | 'exclusion' | 'not-null'> = {
  CONSTR_CHECK: 'check',
  CONSTR_FOREIGN: 'foreign-key',
  CONSTR_UNIQUE: 'unique',
  CONSTR_PRIMARY: 'primary-key',
  CONSTR_EXCLUSION: 'exclusion',
  CONSTR_NOTNULL: 'not-null',
};

class Lowerer {
  private subSpans: Span[] | undefined;

  /** `at` maps the parsed text's UTF-8 offsets (the statement starts at `stmtByte`) to the file. */
  constructor(
    private readonly file: SourceFile,
    private readonly span: Span,
    private readonly stmtByte: number,
    private readonly at: (byte: number) => number,
  ) {}

  /** A parser offset inside this statement as an index of the file (at most the statement's end). */
  private index(byte: number): number {
    return Math.min(this.at(byte), this.span.end);
  }

  lower(type: string, n: PgNode): Operation[] {
    const ops = this.lowerStatement(type, n);
    // `WITH d AS (DELETE ... RETURNING *) INSERT INTO archive SELECT * FROM d`, a batched
    // `WITH b AS (UPDATE ... RETURNING id) SELECT count(*) FROM b`: the data-modifying CTEs run
    // with the statement, before the rows it reads from them exist.
    const ctes = type === 'SelectStmt' || type === 'UpdateStmt' || type === 'DeleteStmt' || type === 'InsertStmt' ? this.modifyingCtes(type, n) : [];
    return ctes.length > 0 ? [...ctes, ...ops.filter((op) => op.kind !== 'other')] : ops;
  }

  /** The operations of the UPDATE / DELETE / INSERT queries in the statement's WITH clauses, each spanning its query. */
  private modifyingCtes(type: string, n: PgNode): Operation[] {
    const withs: PgNode[] = [n.withClause, type === 'InsertStmt' ? n.selectStmt?.SelectStmt?.withClause : undefined].filter(Boolean);
    const out: Operation[] = [];
    for (const w of withs) {
      const list = (w.ctes ?? []) as PgNode[];
      list.forEach((c, i) => {
        const cte: PgNode | undefined = c.CommonTableExpr;
        const q: PgNode | undefined = cte?.ctequery;
        const qType = q ? nodeType(q) : undefined;
        if (!q || (qType !== 'UpdateStmt' && qType !== 'DeleteStmt' && qType !== 'InsertStmt')) return;
        // The body ends before the next CTE's name: only that much is scanned (a WITH of many
        // CTEs over a long statement was scanned to its end once per CTE).
        const next: unknown = list[i + 1]?.CommonTableExpr?.location;
        const span = typeof cte!.location === 'number' ? this.cteBodySpan(cte!.location, typeof next === 'number' ? next : undefined) : this.span;
        out.push(...new Lowerer(this.file, span, this.stmtByte, this.at).lower(qType!, q[qType!]));
      });
    }
    return out;
  }

  /**
   * The text between the parentheses of `name [(cols)] AS [[NOT] MATERIALIZED] ( ... )`, from the
   * CTE's name (up to the next CTE's name, `untilByte`, where there is one); the statement otherwise.
   */
  private cteBodySpan(nameByte: number, untilByte?: number): Span {
    const from = this.index(nameByte);
    const text = this.file.text.slice(from, untilByte === undefined ? this.span.end : Math.min(this.span.end, this.index(untilByte)));
    // The lexer that skips comments and keeps strings and quoted names whole (in JavaScript: a
    // WebAssembly scan cost more in copying the text in and out than in scanning it).
    const tokens = significantTokens(text, 'postgres').map((t) => ({ ...t, text: text.slice(t.start, t.end) }));
    let depth = 0;
    let k = 0;
    for (; k < tokens.length; k++) {
      const t = tokens[k]!.text;
      if (t === '(') depth++;
      else if (t === ')') depth--;
      else if (depth === 0 && t.toUpperCase() === 'AS') break;
    }
    for (k++; k < tokens.length && tokens[k]!.text !== '('; k++);
    const open = k;
    depth = 0;
    for (; k < tokens.length; k++) {
      const t = tokens[k]!.text;
      if (t === '(') depth++;
      else if (t === ')' && --depth === 0) break;
    }
    if (k >= tokens.length || k <= open + 1) return this.span;
    return { file: this.file, start: from + tokens[open + 1]!.start, end: from + tokens[k - 1]!.end };
  }

  private lowerStatement(type: string, n: PgNode): Operation[] {
    const span = this.span;
    switch (type) {
      case 'CreateStmt': {
        const like: TableRef[] = ((n.tableElts ?? []) as PgNode[]).filter((e) => e.TableLikeClause).map((e) => rangeVar(e.TableLikeClause.relation));
        return [
          {
            kind: 'create-table',
            span,
            table: rangeVar(n.relation),
            ...(like.length > 0 ? { like } : {}),
            columns: (n.tableElts ?? []).filter((e: PgNode) => e.ColumnDef).map((e: PgNode) => this.column(e.ColumnDef)),
            ifNotExists: !!n.if_not_exists,
            temporary: n.relation?.relpersistence === 't',
            partitioned: n.partspec !== undefined,
          },
        ];
      }
      case 'AlterObjectSchemaStmt':
        if (n.objectType === 'OBJECT_TABLE' && n.newschema) {
          const table = rangeVar(n.relation);
          return [{ kind: 'rename-table', span, table, to: table.name, toSchema: n.newschema }];
        }
        return [{ kind: 'other', span, statement: type }];
      case 'ViewStmt':
        return [{ kind: 'create-view', span, table: rangeVar(n.view), materialized: false, orReplace: !!n.replace }];
      case 'CreateTableAsStmt':
        if (n.objtype === 'OBJECT_MATVIEW') return [{ kind: 'create-view', span, table: rangeVar(n.into?.rel), materialized: true, orReplace: false }];
        if (n.objtype !== 'OBJECT_TABLE' && n.objtype !== undefined) return [{ kind: 'other', span, statement: type }];
        return this.createTableAs(n.into, n.query?.SelectStmt, !!n.if_not_exists);
      case 'SelectStmt':
        // SELECT ... INTO new_table creates the table, like CREATE TABLE ... AS.
        if (n.intoClause) return this.createTableAs(n.intoClause, { ...n, intoClause: undefined }, false);
        return [{ kind: 'other', span, statement: type }];
      case 'DropStmt':
        return this.lowerDrop(n);
      case 'CreateSchemaStmt': {
        // CREATE SCHEMA AUTHORIZATION bob names the schema after the role.
        const name: string | undefined = n.schemaname ?? n.authrole?.rolename;
        if (!name) return [{ kind: 'other', span, statement: type }];
        // CREATE SCHEMA s CREATE TABLE t ... CREATE INDEX ...: the elements are created in s.
        const elements = ((n.schemaElts ?? []) as PgNode[]).flatMap((e) => {
          const elType = nodeType(e);
          const el: PgNode = e[elType] ?? {};
          for (const rel of [el.relation, el.view, el.into?.rel]) if (rel && !rel.schemaname) rel.schemaname = name;
          return this.lower(elType, el);
        });
        return [{ kind: 'create-schema', span, name, ifNotExists: !!n.if_not_exists }, ...elements];
      }
      case 'TruncateStmt':
        return [{ kind: 'truncate', span, tables: (n.relations ?? []).map((r: PgNode) => rangeVar(r)), cascade: n.behavior === 'DROP_CASCADE' }];
      case 'RenameStmt':
        if (n.renameType === 'OBJECT_TABLE') return [{ kind: 'rename-table', span, table: rangeVar(n.relation), to: n.newname ?? '?' }];
        if (n.renameType === 'OBJECT_COLUMN' && n.relationType === 'OBJECT_TABLE')
          return [{ kind: 'rename-column', span, table: rangeVar(n.relation), column: n.subname ?? '?', to: n.newname ?? '?' }];
        return [{ kind: 'other', span, statement: type }];
      case 'AlterTableStmt':
        return this.lowerAlterTable(n);
      case 'IndexStmt':
        return [
          {
            kind: 'create-index',
            span,
            table: rangeVar(n.relation),
            name: n.idxname,
            unique: !!n.unique,
            concurrently: !!n.concurrent,
            ifNotExists: !!n.if_not_exists,
            only: n.relation !== undefined && n.relation.inh !== true,
            columns: (n.indexParams ?? []).map((p: PgNode) => p.IndexElem?.name).filter(Boolean),
          },
        ];
      case 'UpdateStmt': {
        const own = ownNames(n.relation);
        const values: Record<string, ValueInfo | null> = {};
        const copies: Record<string, string> = {};
        for (const t of (n.targetList ?? []) as PgNode[]) {
          const name: string | undefined = t.ResTarget?.name;
          // `SET (a, b) = (x, y)`: each target takes its element of the row.
          const multi = t.ResTarget?.val?.MultiAssignRef;
          const val: PgNode | undefined = multi ? multi.source?.RowExpr?.args?.[multi.colno - 1] : t.ResTarget?.val;
          if (name && !t.ResTarget.indirection) {
            values[name] = val ? valueOf(val, own) : null;
            const from = ownColumn(val, own);
            if (from !== undefined) copies[name] = from;
          } else if (name) values[name] = null;
        }
        return [
          {
            kind: 'update',
            span,
            table: rangeVar(n.relation),
            columns: (n.targetList ?? []).map((t: PgNode) => t.ResTarget?.name).filter(Boolean),
            hasWhere: !!n.whereClause,
            nullOnly: isNullTestOf(n.whereClause),
            where: predicateOf(n.whereClause, own),
            values,
            ...(Object.keys(copies).length > 0 ? { copies } : {}),
          },
        ];
      }
      case 'DeleteStmt':
        return [{ kind: 'delete', span, table: rangeVar(n.relation), hasWhere: !!n.whereClause, where: predicateOf(n.whereClause, ownNames(n.relation)) }];
      case 'InsertStmt': {
        const cols = n.cols ? (n.cols as PgNode[]).map((c) => c.ResTarget?.name ?? '?') : null;
        return [{ kind: 'insert', span, table: rangeVar(n.relation), columns: cols, ...this.copySource(n.selectStmt?.SelectStmt) }];
      }
      case 'DoStmt': {
        // A DO block runs now: the static SQL in its PL/pgSQL body is linted (src/sql/plpgsql.ts).
        const args: PgNode[] = (n.args ?? []).map((a: PgNode) => a.DefElem).filter(Boolean);
        const body: string = args.find((d) => d.defname === 'as')?.arg?.String?.sval ?? '';
        const language: string | undefined = args.find((d) => d.defname === 'language')?.arg?.String?.sval?.toLowerCase();
        const tree = doBlocksAhead?.get(this.file.text.slice(span.start, span.end));
        return lowerDoBlock({
          file: this.file,
          span,
          body,
          ...(language ? { language } : {}),
          ...(tree !== undefined ? { plpgsqlJson: tree } : {}),
          lowerSql: (sql, start) => lowerEmbeddedSql(this.file, sql, start),
        });
      }
      case 'TransactionStmt': {
        const k: string = n.kind ?? '';
        if (k === 'TRANS_STMT_BEGIN' || k === 'TRANS_STMT_START') return [{ kind: 'transaction', span, action: 'begin' }];
        if (k === 'TRANS_STMT_COMMIT') return [{ kind: 'transaction', span, action: 'commit' }];
        if (k === 'TRANS_STMT_ROLLBACK') return [{ kind: 'transaction', span, action: 'rollback' }];
        return [{ kind: 'other', span, statement: type }];
      }
      case 'CreateFunctionStmt':
      case 'AlterFunctionStmt': {
        const fn = functionVolatility(type, n);
        return [{ kind: 'other', span, statement: type, ...(fn ? { function: fn } : {}) }];
      }
      default:
        return lowerPostgresDdl(type, n, span) ?? [{ kind: 'other', span, statement: type }];
    }
  }

  /**
   * CREATE TABLE ... AS SELECT / SELECT ... INTO: a new table with rows, and (where the SELECT
   * reads a table) the copy of that table's rows into it, as an INSERT ... SELECT would.
   */
  private createTableAs(into: PgNode | undefined, select: PgNode | undefined, ifNotExists: boolean): Operation[] {
    const table = rangeVar(into?.rel);
    const colNames: string[] = (into?.colNames ?? []).map((c: PgNode) => str(c) ?? '?');
    const ops: Operation[] = [
      {
        kind: 'create-table',
        span: this.span,
        table,
        columns: colNames.map((name) => ({ name, notNull: false, hasDefault: false, constantDefault: false })),
        ifNotExists,
        asSelect: true,
        ...(into?.rel?.relpersistence === 't' ? { temporary: true } : {}),
      },
    ];
    // WITH NO DATA copies nothing.
    if (into?.skipData) return ops;
    const copy = this.copySource(select);
    if (copy.fromTable) ops.push({ kind: 'insert', span: this.span, table, columns: colNames.length > 0 ? colNames : null, ...copy });
    return ops;
  }

  /**
   * What an `INSERT ... SELECT` (or `CREATE TABLE ... AS SELECT`) copies: the rows of the leftmost
   * FROM table (a JOIN keeps them: it is not a filter), which of its columns each item carries,
   * whether each value can be NULL, and the clause that keeps only some rows.
   */
  copySource(select: PgNode | undefined): { fromTable?: TableRef; selectColumns?: string[]; selectValues?: (ValueInfo | null)[]; filter?: string; filterWhere?: Predicate } {
    if (!select || select.op !== 'SETOP_NONE' || select.valuesLists) return {};
    const from: PgNode[] = select.fromClause ?? [];
    let first: PgNode | undefined = from[0];
    while (first?.JoinExpr) first = first.JoinExpr.larg;
    if (!first?.RangeVar) return {};
    const fromTable = rangeVar(first);
    const own = ownNames(first);
    const selectColumns: string[] = [];
    const selectValues: (ValueInfo | null)[] = [];
    const demanded = pgNotNullRefs(select.whereClause);
    // Joins every copied row matches, and what their ON conditions prove (src/sql/copy-nulls.ts).
    const joins: PgNode[] = [];
    for (let j: PgNode | undefined = from[0]; j?.JoinExpr; j = j.JoinExpr.larg) joins.push(j.JoinExpr);
    const joined = joins.flatMap((j): { table: TableRef; as: string; inner: boolean; quals: PgNode | undefined; columns: Map<string, string> | undefined }[] => {
      const inner = (j.jointype ?? 'JOIN_INNER') === 'JOIN_INNER';
      const quals = j.quals as PgNode | undefined;
      if (j.rarg?.RangeVar) return [{ table: rangeVar(j.rarg), as: String(j.rarg.RangeVar.alias?.aliasname ?? j.rarg.RangeVar.relname), inner, quals, columns: undefined }];
      // JOIN (SELECT id, ... FROM t ...) AS s: s.id is t.id on every row s gives.
      const sub = j.rarg?.RangeSubselect as PgNode | undefined;
      const through = sub?.alias?.aliasname ? subqueryColumns(sub.subquery?.SelectStmt) : undefined;
      return through ? [{ table: through.table, as: String(sub!.alias.aliasname), inner, quals, columns: through.columns }] : [];
    });
    const nullExtends = from.length !== 1 || joins.some((j) => j.jointype === 'JOIN_RIGHT' || j.jointype === 'JOIN_FULL');
    const matched = matchJoins(joined, demanded, nullExtends, (j) => (j.quals ? pgNotNullRefs(j.quals) : []));
    const matchedAs = new Map(matched.map((j) => [refKey([j.as]), j]));
    for (const t of (select.targetList ?? []) as PgNode[]) {
      const val: PgNode | undefined = t.ResTarget?.val;
      const fields: PgNode[] = val?.ColumnRef?.fields ?? [];
      const last = fields[fields.length - 1];
      if (last?.A_Star) {
        // `SELECT *` / `SELECT x.*` copies every column (of the from table, where it is that one).
        const q = fields.length > 1 ? str(fields[fields.length - 2]) : undefined;
        selectColumns.push(q === undefined || own.has(q) ? '*' : '?');
        selectValues.push(null);
        continue;
      }
      // WHERE x IS NOT NULL: the item x has a value on every row copied.
      const ref = pgRefKey(val);
      const f: PgNode[] = val?.ColumnRef?.fields ?? [];
      const through = f.length === 2 ? matchedAs.get(refKey([str(f[0]) ?? ''])) : undefined;
      const outerName = str(f[1]);
      const throughColumn = through && outerName !== undefined ? (through.columns ? through.columns.get(outerName) : outerName) : undefined;
      const v: ValueInfo | null =
        ref !== undefined && demanded.has(ref) ? { nonNullIf: [] } : through && throughColumn ? { nonNullIf: [], joined: { table: through.table, column: throughColumn } } : valueOf(val, own);
      // The from table's column the item carries: itself, or the only one an expression reads.
      const reads = columnsRead(val, own);
      selectColumns.push(reads.length === 1 ? reads[0]! : '?');
      selectValues.push(v);
    }
    const filter = this.filterOf(select);
    const onlyWhere = select.whereClause && !select.groupClause && !select.limitCount && !select.limitOffset && !select.distinctClause;
    const filterWhere = onlyWhere ? predicateOf(select.whereClause, own) : undefined;
    return { fromTable, selectColumns, selectValues, ...(filter ? { filter } : {}), ...(filterWhere ? { filterWhere } : {}) };
  }

  /** `WHERE ...` / `LIMIT n` / `GROUP BY ...` of a SELECT as written in the statement, shortened. */
  private filterOf(select: PgNode): string | undefined {
    const clauses: [string, PgNode | undefined][] = [
      ['WHERE', select.whereClause],
      ['GROUP BY', select.groupClause?.[0]],
      ['LIMIT', select.limitCount],
      ['OFFSET', select.limitOffset],
      ['DISTINCT', select.distinctClause ? {} : undefined],
    ];
    for (const [word, node] of clauses) {
      if (!node) continue;
      const byte = minLocation(node);
      if (byte < 0) return word;
      const text = this.file.text;
      const at = this.index(byte);
      const rest = text.slice(at, this.span.end).replace(/\s+/g, ' ').trim();
      return `${word} ${rest.length > 80 ? `${rest.slice(0, 79)}…` : rest}`;
    }
    return undefined;
  }

  private lowerDrop(n: PgNode): Operation[] {
    const span = this.span;
    const objects: PgNode[] = n.objects ?? [];
    const cascade = n.behavior === 'DROP_CASCADE';
    const ifExists = !!n.missing_ok;
    if (n.removeType === 'OBJECT_TABLE') {
      return objects.map((o) => ({ kind: 'drop-table', span, table: qualifiedName(o.List?.items), ifExists, cascade }));
    }
    if (n.removeType === 'OBJECT_SCHEMA') {
      return objects.map((o) => ({ kind: 'drop-schema', span, name: str(o) ?? '?', ifExists, cascade }));
    }
    if (n.removeType === 'OBJECT_INDEX') {
      return objects.map((o) => ({ kind: 'drop-index', span, name: qualifiedName(o.List?.items).name, concurrently: !!n.concurrent, ifExists }));
    }
    return [{ kind: 'other', span, statement: 'DropStmt' }];
  }

  private lowerAlterTable(n: PgNode): Operation[] {
    if (n.objtype !== 'OBJECT_TABLE') return [{ kind: 'other', span: this.span, statement: 'AlterTableStmt' }];
    const table = rangeVar(n.relation);
    const cmds: PgNode[] = (n.cmds ?? []).map((c: PgNode) => c.AlterTableCmd ?? {});
    const ops: Operation[] = [];
    cmds.forEach((cmd, i) => {
      const span = this.subCommandSpan(i, cmds.length, n.relation?.location);
      const column: string = cmd.name ?? '?';
      switch (cmd.subtype) {
        case 'AT_AddColumn':
          if (cmd.def?.ColumnDef) ops.push({ kind: 'add-column', span, table, column: this.column(cmd.def.ColumnDef), ifNotExists: !!cmd.missing_ok });
          break;
        case 'AT_DropColumn':
          ops.push({ kind: 'drop-column', span, table, column, ifExists: !!cmd.missing_ok, cascade: cmd.behavior === 'DROP_CASCADE' });
          break;
        case 'AT_SetNotNull':
          ops.push({ kind: 'set-not-null', span, table, column });
          break;
        case 'AT_DropNotNull':
          ops.push({ kind: 'drop-not-null', span, table, column });
          break;
        case 'AT_ColumnDefault':
          if (cmd.def) ops.push({ kind: 'set-default', span, table, column });
          else ops.push({ kind: 'other', span, statement: 'AlterTableStmt' });
          break;
        case 'AT_AlterColumnType':
          ops.push({
            kind: 'alter-column-type',
            span,
            table,
            column,
            type: typeNameOf(cmd.def?.ColumnDef?.typeName),
            fullType: pgFullType(cmd.def?.ColumnDef?.typeName),
            usingExpr: isUsingExpr(cmd.def?.ColumnDef?.raw_default, column),
          });
          break;
        case 'AT_AddConstraint': {
          const con: PgNode = cmd.def?.Constraint ?? {};
          const kind = CONSTRAINT_KINDS[con.contype as string] ?? 'other';
          const validated = !con.skip_validation;
          if (kind === 'not-null') {
            // Postgres 18: ADD CONSTRAINT name NOT NULL col [NOT VALID]
            const cols: string[] = (con.keys ?? []).map(str).filter(Boolean);
            if (validated) for (const c of cols) ops.push({ kind: 'set-not-null', span, table, column: c });
            else ops.push({ kind: 'add-constraint', span, table, name: con.conname, constraint: kind, notNullColumns: cols, validated });
            break;
          }
          const notNullColumns = kind === 'check' ? notNullColumnsOf(con.raw_expr) : [];
          const check = kind === 'check' ? predicateOf(con.raw_expr, ownNames(n.relation)) : undefined;
          ops.push({ kind: 'add-constraint', span, table, name: con.conname, constraint: kind, notNullColumns, validated, ...(check && check.kind !== 'unknown' ? { check } : {}), ...(con.indexname ? { usingIndex: con.indexname } : {}) });
          break;
        }
        case 'AT_ValidateConstraint':
          ops.push({ kind: 'validate-constraint', span, table, name: column });
          break;
        case 'AT_DropConstraint':
          ops.push({ kind: 'drop-constraint', span, table, name: column });
          break;
        default:
          ops.push(lowerAlterTableCmd(cmd, table, span) ?? { kind: 'other', span, statement: `AlterTableStmt:${cmd.subtype ?? '?'}` });
      }
    });
    return ops;
  }

  /**
   * Span of the i-th ALTER TABLE sub-command: the tokens between top-level commas after the
   * table name. Falls back to the statement span when the scanner disagrees with the parser.
   */
  private subCommandSpan(i: number, count: number, relationByte: number | undefined): Span {
    if (count === 1) return this.singleCommandSpan(relationByte);
    if (this.subSpans === undefined) this.subSpans = this.computeSubSpans(relationByte);
    return this.subSpans.length === count ? this.subSpans[i]! : this.span;
  }

  /** A column definition, with where its type is written (for the fixes that rewrite the type). */
  private column(def: PgNode): ColumnInfo {
    const byte: unknown = def.typeName?.location;
    return columnInfo(def, typeof byte !== 'number' || byte < this.stmtByte ? undefined : this.index(byte));
  }

  /**
   * The common case, one sub-command: it runs from after the table name to the end of the
   * statement, found without running the scanner.
   */
  private singleCommandSpan(relationByte: number | undefined): Span {
    if (relationByte === undefined) return this.span;
    const text = this.file.text;
    let i = skipQualifiedName(text, this.index(relationByte), this.span.end);
    if (i < 0) return this.span;
    while (i < this.span.end && isSpace(text.charCodeAt(i))) i++;
    if (text[i] === '*') i++;
    i = skipSpaceAndComments(text, i, this.span.end);
    return i < this.span.end ? { file: this.file, start: i, end: this.span.end } : this.span;
  }

  private computeSubSpans(relationByte: number | undefined): Span[] {
    const startIdx = this.span.start;
    const stmtText = this.file.text.slice(startIdx, this.span.end);
    let tokens: ScanToken[];
    try {
      tokens = scanSync(stmtText).tokens.filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT');
    } catch {
      return [];
    }
    const map = byteOffsetMapper(stmtText);
    // Skip ALTER TABLE [IF EXISTS] [ONLY] name[.name] [*]
    const relOffset = relationByte === undefined ? -1 : relationByte - this.stmtByte;
    let k = tokens.findIndex((t) => t.start >= relOffset);
    if (relOffset < 0 || k < 0) return [];
    k++;
    while (k + 1 < tokens.length && tokens[k]!.text === '.') k += 2;
    if (tokens[k]?.text === '*') k++;
    const spans: Span[] = [];
    let depth = 0;
    let first: ScanToken | undefined;
    let last: ScanToken | undefined;
    const push = (): void => {
      if (first && last) spans.push({ file: this.file, start: startIdx + map(first.start), end: startIdx + map(last.end) });
      first = last = undefined;
    };
    for (; k < tokens.length; k++) {
      const t = tokens[k]!;
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
      else if (t.text === ',' && depth === 0) {
        push();
        continue;
      } else if (t.text === ';' && depth === 0) break;
      first ??= t;
      last = t;
    }
    push();
    return spans;
  }
}

/** Index after a possibly quoted, possibly schema-qualified name at `i`, or -1 if none is there. */
function skipQualifiedName(text: string, i: number, end: number): number {
  for (;;) {
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= end) return -1;
        if (text[i] === '"') {
          if (text[i + 1] === '"') i += 2;
          else break;
        } else i++;
      }
      i++;
    } else {
      const start = i;
      while (i < end && isWordChar(text, i)) i++;
      if (i === start) return -1;
    }
    let j = i;
    while (j < end && isSpace(text.charCodeAt(j))) j++;
    if (text[j] !== '.') return i;
    j++;
    while (j < end && isSpace(text.charCodeAt(j))) j++;
    i = j;
  }
}

function skipSpaceAndComments(text: string, i: number, end: number): number {
  for (;;) {
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (text.startsWith('--', i)) {
      while (i < end && text[i] !== '\n') i++;
    } else if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? end : close + 2;
    } else return i;
  }
}
