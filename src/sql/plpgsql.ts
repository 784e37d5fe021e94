/**
 * The body of a Postgres `DO` block, read with libpg-query's PL/pgSQL parser: a DO block runs
 * when the migration runs (unlike a function body, which runs when it is called), so the static
 * SQL it executes is lowered like the migration's own statements, with spans pointing into the
 * body. Statements nested in IF / CASE / LOOP / FOR / WHILE / BEGIN ... EXCEPTION blocks count:
 * they may run. `EXECUTE 'literal'` (a constant string, `||` of constants, dollar-quoted or not)
 * is SQL too; so is `EXECUTE` of a string built at run time whose constant parts alone make it a
 * statement no rule has a say about (privileges, roles, owners, comments: `'GRANT SELECT ON t TO '
 * || role_name`); any other `EXECUTE` of a string built at run time is left unanalyzable.
 *
 * Positions: PL/pgSQL reports a line number per statement (1-based, counted in the body string)
 * and the statement text as written, with an `INTO target` clause blanked out by spaces (same
 * length). The text is found again in the body at or after its line; where it cannot be (a body
 * in single quotes with doubled quotes, a concatenated EXECUTE string), the operations point at
 * the enclosing construct instead.
 */
import { parsePlPgSQLSync, parseSync } from './libpg-query.js';
import type { Operation, SourceFile, Span } from '../model.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PgNode = Record<string, any>;

/** Lowers SQL found at `start` of the file (its text there is `sql` verbatim). Throws on a syntax error. */
export type EmbeddedLowerer = (sql: string, start: number) => Operation[];

export interface DoBlock {
  readonly file: SourceFile;
  /** The whole DO statement. */
  readonly span: Span;
  /** The body string as the SQL parser gives it (dollar quotes removed, `''` undoubled). */
  readonly body: string;
  /** `LANGUAGE x`, lower-cased; undefined means plpgsql. */
  readonly language?: string;
  /**
   * What parsePlPgSQLSync gives for the statement's text, as JSON text, where the parse worker
   * parsed it already (./pg-json.ts doBlockTrees); parsed here otherwise.
   */
  readonly plpgsqlJson?: string;
  readonly lowerSql: EmbeddedLowerer;
}

/** Statements in a DO block body that the rules would have a say about (fallback only). */
const DDL_IN_BODY = /\b(?:DROP\s+(?:TABLE|SCHEMA|INDEX)|TRUNCATE|ALTER\s+TABLE|CREATE\s+(?:UNIQUE\s+)?INDEX)\b/i;

export function lowerDoBlock(block: DoBlock): Operation[] {
  if (block.language === undefined || block.language === 'plpgsql') {
    const ops = lowerPlpgsql(block);
    if (ops) return ops;
  }
  return fallback(block);
}

/**
 * Another language, or a body PL/pgSQL rejects (Postgres would then fail the migration): DDL in
 * it is said to be unchecked rather than skipped.
 */
function fallback(block: DoBlock): Operation[] {
  const plpgsql = block.language === undefined || block.language === 'plpgsql';
  // Another language runs SQL from its own strings (plv8.execute('...')): keep them.
  const code = !plpgsql
    ? block.body
    : block.body
    .replace(/\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$/g, ' ')
    .replace(/'(?:[^']|'')*'/g, ' ')
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ');
  const ddl = DDL_IN_BODY.exec(code);
  if (!ddl) return [{ kind: 'other', span: block.span, statement: 'DoStmt' }];
  const lang = block.language && block.language !== 'plpgsql' ? `LANGUAGE ${block.language}` : 'PL/pgSQL';
  return [{ kind: 'unanalyzable', span: block.span, reason: `this DO block runs ${ddl[0].replace(/\s+/g, ' ').toUpperCase()} inside ${lang}, which is not checked statically` }];
}

interface Found {
  readonly kind: 'sql' | 'execute';
  readonly lineno: number;
  readonly query: string;
  /** Inside IF, CASE, a loop or an exception handler: it may not run. */
  readonly conditional: boolean;
}

/** PL/pgSQL statements whose bodies run only when a run-time condition holds (or repeatedly, maybe never). */
const CONDITIONAL = new Set([
  'PLpgSQL_stmt_if', 'PLpgSQL_stmt_case', 'PLpgSQL_stmt_loop', 'PLpgSQL_stmt_while', 'PLpgSQL_stmt_fori',
  'PLpgSQL_stmt_fors', 'PLpgSQL_stmt_forc', 'PLpgSQL_stmt_foreach_a', 'PLpgSQL_stmt_dynfors', 'PLpgSQL_exception_block',
]);

function lowerPlpgsql(block: DoBlock): Operation[] | undefined {
  const { file, span } = block;
  const stmtText = file.text.slice(span.start, span.end);
  let tree: PgNode;
  try {
    tree = (block.plpgsqlJson !== undefined ? JSON.parse(block.plpgsqlJson) : parsePlPgSQLSync(stmtText)) as PgNode;
  } catch {
    return undefined;
  }
  const fn: PgNode | undefined = tree.plpgsql_funcs?.[0]?.PLpgSQL_function;
  if (!fn) return undefined;
  const found: Found[] = [];
  collect(fn.action, found);
  const bodyAt = stmtText.indexOf(block.body);
  const locator = bodyAt < 0 ? undefined : new BodyLocator(block.body, span.start + bodyAt);
  const ops: Operation[] = [];
  for (const f of found) {
    const lowered = lowerFound(block, f, locator?.find(f.query, f.lineno));
    ops.push(...(f.conditional ? lowered.map((op) => ({ ...op, conditional: true })) : lowered));
  }
  if (ops.length === 0) return [{ kind: 'other', span, statement: 'DoStmt' }];
  return ops;
}

/** The operations of one statement of the body, found at file offset `at` (undefined: not found in the text). */
function lowerFound(block: DoBlock, f: Found, at: number | undefined): Operation[] {
  const { file, span } = block;
  if (f.kind === 'sql') return lowerAt(block, f.query, at, at === undefined ? span : undefined);
  const where: Span = at === undefined ? span : executeSpan(file, at, at + f.query.length);
  const literal = staticString(f.query);
  if (literal === undefined) {
    const template = harmlessTemplate(f.query);
    if (template !== undefined) return lowerAt(block, template, undefined, where);
    return [{ kind: 'unanalyzable', span: where, reason: `this DO block runs EXECUTE ${clip(f.query)}, SQL built at run time, which is not checked statically` }];
  }
  // The string's text lies verbatim in the file only for one literal without escapes.
  const exact = at === undefined ? undefined : literalContentStart(file.text, at, f.query, literal);
  return lowerAt(block, literal, exact, exact === undefined ? where : undefined);
}

/** Lower `sql` found at file offset `start`; with `pin`, every operation points at `pin` instead. */
function lowerAt(block: DoBlock, sql: string, start: number | undefined, pin: Span | undefined): Operation[] {
  let ops: Operation[];
  try {
    // Where the text is not in the file, lower it at the pinned span's start: only spans change.
    ops = block.lowerSql(sql, start ?? pin!.start);
  } catch {
    return [{ kind: 'unanalyzable', span: pin ?? block.span, reason: `this DO block runs SQL the Postgres parser rejects (${clip(sql)})` }];
  }
  return pin ? ops.map((op) => ({ ...op, span: pin })) : ops;
}

/** Walks the PL/pgSQL tree in source order, collecting the SQL statements and EXECUTEs it runs. */
function collect(node: unknown, out: Found[], conditional = false): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) collect(n, out, conditional);
    return;
  }
  const obj = node as PgNode;
  const exec: PgNode | undefined = obj.PLpgSQL_stmt_execsql;
  if (exec) {
    const query = exec.sqlstmt?.PLpgSQL_expr?.query;
    if (typeof query === 'string') out.push({ kind: 'sql', lineno: exec.lineno ?? 1, query, conditional });
    return;
  }
  const dyn: PgNode | undefined = obj.PLpgSQL_stmt_dynexecute;
  if (dyn) {
    const query = dyn.query?.PLpgSQL_expr?.query;
    if (typeof query === 'string') out.push({ kind: 'execute', lineno: dyn.lineno ?? 1, query, conditional });
    return;
  }
  // Variable declarations (`datums`) hold no statements; everything else may nest bodies.
  for (const [k, v] of Object.entries(obj)) if (k !== 'datums') collect(v, out, conditional || CONDITIONAL.has(k));
}

/** An EXECUTE expression's tree (parsed as `SELECT <expr>`), when it is one expression. */
function executeExpression(expr: string): PgNode | undefined {
  let tree: PgNode;
  try {
    tree = parseSync(`SELECT ${expr}`) as PgNode;
  } catch {
    return undefined;
  }
  const stmts: PgNode[] = tree.stmts ?? [];
  const targets: PgNode[] = stmts[0]?.stmt?.SelectStmt?.targetList ?? [];
  if (stmts.length !== 1 || targets.length !== 1) return undefined;
  return targets[0]!.ResTarget?.val;
}

/** The value of an EXECUTE expression made only of string constants (`'a'`, `$q$b$q$`, `'a' || 'b'`). */
function staticString(expr: string): string | undefined {
  const val = executeExpression(expr);
  return val === undefined ? undefined : constantText(val);
}

/**
 * Statements whose run-time parts (a role's name, an owner, a comment's text) change nothing any
 * rule looks at: privileges, roles, owners, comments, security labels.
 */
const HARMLESS_STATEMENTS: ReadonlySet<string> = new Set([
  'GrantStmt', 'GrantRoleStmt', 'AlterDefaultPrivilegesStmt', 'CreateRoleStmt', 'AlterRoleStmt',
  'AlterRoleSetStmt', 'DropRoleStmt', 'AlterOwnerStmt', 'ReassignOwnedStmt', 'CommentStmt', 'SecLabelStmt',
]);

/** What stands for a value only known at run time in a template: a name, and a string's text alike. */
const RUN_TIME_VALUE = 'migralint_run_time_value';
/** A string literal of a value only known at run time (`quote_literal(x)`, `%L`). */
const RUN_TIME_LITERAL = `'${RUN_TIME_VALUE}'`;

/**
 * The SQL an EXECUTE expression builds, with every part only known at run time (a variable, a
 * function call) as a name, when that SQL parses and every statement of it is harmless (above;
 * `ALTER TABLE ... OWNER TO` too): `'GRANT ALL ON t TO ' || service_role`,
 * `format('ALTER FUNCTION f() OWNER TO %I', owner)`. Undefined for anything else, which stays
 * unanalyzable: the constant parts alone do not say what it does.
 */
function harmlessTemplate(expr: string): string | undefined {
  const val = executeExpression(expr);
  const sql = val === undefined ? undefined : templateText(val);
  if (sql === undefined) return undefined;
  let parsed: PgNode;
  try {
    parsed = parseSync(sql) as PgNode;
  } catch {
    return undefined;
  }
  const built: PgNode[] = parsed.stmts ?? [];
  if (built.length === 0) return undefined;
  for (const s of built) {
    const [type, node] = Object.entries((s.stmt ?? {}) as PgNode)[0] ?? [];
    if (type === undefined) return undefined;
    if (HARMLESS_STATEMENTS.has(type)) continue;
    // ALTER TABLE ... OWNER TO (and nothing else in the same statement).
    const cmds: PgNode[] = type === 'AlterTableStmt' ? ((node as PgNode).cmds ?? []) : [];
    if (cmds.length > 0 && cmds.every((c) => c.AlterTableCmd?.subtype === 'AT_ChangeOwner')) continue;
    return undefined;
  }
  return sql;
}

/** An EXECUTE expression's text, a run-time part standing as RUN_TIME_VALUE; undefined if it has none or no constant start. */
function templateText(e: PgNode | undefined): string | undefined {
  const parts: (string | null)[] = [];
  if (!templateParts(e, parts) || typeof parts[0] !== 'string' || !parts.some((p) => p === null || p === RUN_TIME_LITERAL)) return undefined;
  return parts.map((p) => p ?? RUN_TIME_VALUE).join('');
}

/** The parts of `e` in order: constant text, RUN_TIME_LITERAL, or null for a run-time name; false where `e` is no string expression. */
function templateParts(e: PgNode | undefined, out: (string | null)[]): boolean {
  if (!e) return false;
  const constant = constantText(e);
  if (constant !== undefined) {
    out.push(constant);
    return true;
  }
  const x: PgNode | undefined = e.A_Expr;
  if (x && x.kind === 'AEXPR_OP' && x.name?.[0]?.String?.sval === '||') return templateParts(x.lexpr, out) && templateParts(x.rexpr, out);
  const call: PgNode | undefined = e.FuncCall;
  const fname = call?.funcname?.[call.funcname.length - 1]?.String?.sval;
  if (call && fname === 'format' && (call.args?.length ?? 0) >= 1) {
    const fmt = constantText(call.args[0]);
    if (fmt === undefined) return false;
    // %I, %s (with an optional position and width) are run-time names, %L a run-time literal; %% is a percent sign.
    const pieces = fmt.split(/(%%|%(?:\d+\$)?-?(?:\d+|\*(?:\d+\$)?)?[ILs])/);
    for (const p of pieces) {
      if (p === '%%') out.push('%');
      else if (/^%.*L$/.test(p)) out.push(RUN_TIME_LITERAL);
      else if (/^%.*[Is]$/.test(p)) out.push(null);
      else if (p) out.push(p);
    }
    return true;
  }
  // A string literal of a run-time value.
  if (call && (fname === 'quote_literal' || fname === 'quote_nullable')) {
    out.push(RUN_TIME_LITERAL);
    return true;
  }
  // A variable, a call, a cast of one: a value only known at run time.
  out.push(null);
  return true;
}

function constantText(e: PgNode | undefined): string | undefined {
  if (!e) return undefined;
  if (e.A_Const && typeof e.A_Const.sval?.sval === 'string') return e.A_Const.sval.sval;
  if (e.A_Const?.sval && Object.keys(e.A_Const.sval).length === 0) return '';
  if (e.TypeCast) return constantText(e.TypeCast.arg);
  const x: PgNode | undefined = e.A_Expr;
  if (x && x.kind === 'AEXPR_OP' && x.name?.[0]?.String?.sval === '||') {
    const l = constantText(x.lexpr);
    const r = constantText(x.rexpr);
    return l !== undefined && r !== undefined ? l + r : undefined;
  }
  return undefined;
}

/**
 * Where a literal's content starts in the file, when the expression at `at` is a single
 * `'...'` or `$tag$...$tag$` literal whose source text is exactly its value.
 */
function literalContentStart(text: string, at: number, expr: string, value: string): number | undefined {
  const e = expr.trim();
  const lead = expr.length - expr.trimStart().length;
  let open: string | undefined;
  if (e.startsWith("'")) open = "'";
  else {
    const tag = /^\$([A-Za-z_]\w*)?\$/.exec(e);
    if (tag) open = tag[0];
  }
  if (open === undefined) return undefined;
  const start = at + lead + open.length;
  return text.startsWith(value, start) && e.length === open.length * 2 + value.length ? start : undefined;
}

/** Span of an EXECUTE statement's expression, widened back over the EXECUTE keyword. */
function executeSpan(file: SourceFile, start: number, end: number): Span {
  const before = file.text.slice(Math.max(0, start - 40), start);
  const kw = /EXECUTE\s*$/i.exec(before);
  return { file, start: kw ? start - (before.length - kw.index) : start, end };
}

function clip(s: string, max = 60): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

/** Finds statement texts again in a DO body, given the line PL/pgSQL says they start on. */
class BodyLocator {
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly body: string,
    /** File offset of the body's first character. */
    private readonly fileStart: number,
  ) {
    for (let i = 0; i < body.length; i++) {
      const c = body[i];
      if (c === '\n' || (c === '\r' && body[i + 1] !== '\n')) this.lineStarts.push(i + 1);
    }
  }

  /** File offset of `query` at or after the start of body line `lineno`, or undefined. */
  find(query: string, lineno: number): number | undefined {
    if (query.length === 0) return undefined;
    const from = this.lineStarts[Math.min(Math.max(lineno, 1), this.lineStarts.length) - 1]!;
    const first = query[0]!;
    for (let p = this.body.indexOf(first, from); p >= 0; p = this.body.indexOf(first, p + 1)) {
      if (this.matchesAt(p, query)) return this.fileStart + p;
    }
    return undefined;
  }

  /** The body holds `query` at `p`, where blanks in `query` may stand for anything (a removed INTO). */
  private matchesAt(p: number, query: string): boolean {
    if (p + query.length > this.body.length) return false;
    for (let i = 0; i < query.length; i++) {
      const q = query[i]!;
      if (q === ' ') continue;
      if (this.body[p + i] !== q) return false;
    }
    return true;
  }
}
