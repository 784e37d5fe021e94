/**
 * `sql-parser-cst` expressions (SQLite, and MySQL statements lowered through the CST) read as far
 * as the engine reasons about them: a WHERE clause as a {@link Predicate}, an assigned value as a
 * {@link ValueInfo}. See src/sql/postgres-expr.ts for the Postgres counterpart.
 */
import type { CompareOp, Predicate, ValueInfo } from '../model.js';
import type { CstNode } from './sqlite-cst.js';
import { COUNTING_FUNCTIONS } from './copy-nulls.js';

export interface CstExprContext {
  /** An identifier's name, folded the way the dialect folds. */
  ident(node: CstNode): string;
  /** Names the statement's own table goes by (name, alias), folded. */
  readonly own: ReadonlySet<string>;
}

const UNKNOWN: Predicate = { kind: 'unknown' };
const FLIP: Record<CompareOp, CompareOp> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function operatorOf(e: CstNode): string {
  const op = e.operator;
  if (typeof op === 'string') return op.toUpperCase();
  if (Array.isArray(op)) return op.map((k: CstNode) => String(k?.name ?? '').toUpperCase()).join(' ');
  return String(op?.name ?? '').toUpperCase();
}

function ownColumn(e: CstNode | undefined, ctx: CstExprContext): string | undefined {
  if (e?.type === 'identifier') return ctx.ident(e);
  if (e?.type === 'member_expr' && e.object?.type === 'identifier' && e.property?.type === 'identifier') {
    return ctx.own.has(ctx.ident(e.object)) ? ctx.ident(e.property) : undefined;
  }
  return undefined;
}

function constant(e: CstNode | undefined): number | string | boolean | undefined {
  if (!e) return undefined;
  if (e.type === 'paren_expr') return constant(e.expr);
  if (e.type === 'number_literal') return Number(e.value);
  if (e.type === 'string_literal') return String(e.value);
  if (e.type === 'boolean_literal') return e.value === true;
  if (e.type === 'prefix_op_expr' && e.operator === '-') {
    const v = constant(e.expr);
    return typeof v === 'number' ? -v : undefined;
  }
  return undefined;
}

export function cstPredicate(e: CstNode | undefined, ctx: CstExprContext): Predicate {
  if (!e) return { kind: 'const', value: true };
  switch (e.type) {
    case 'paren_expr':
      return cstPredicate(e.expr, ctx);
    case 'boolean_literal':
      return { kind: 'const', value: e.value === true };
    case 'null_literal':
      return { kind: 'const', value: null };
    case 'identifier':
    case 'member_expr': {
      const column = ownColumn(e, ctx);
      return column ? { kind: 'compare', column, op: '=', value: true } : UNKNOWN;
    }
    case 'prefix_op_expr':
      if (operatorOf(e) === 'NOT') return { kind: 'not', arg: cstPredicate(e.expr, ctx) };
      return UNKNOWN;
    case 'postfix_op_expr': {
      const op = operatorOf(e);
      const column = ownColumn(e.expr, ctx);
      if (!column) return UNKNOWN;
      if (op === 'ISNULL' || op === 'IS NULL') return { kind: 'null-test', column, negated: false };
      if (op === 'NOTNULL' || op === 'NOT NULL' || op === 'IS NOT NULL') return { kind: 'null-test', column, negated: true };
      return UNKNOWN;
    }
    case 'between_expr': {
      const column = ownColumn(e.left, ctx);
      const lo = constant(e.begin);
      const hi = constant(e.end);
      if (!column || lo === undefined || hi === undefined) return UNKNOWN;
      const between: Predicate = { kind: 'and', args: [{ kind: 'compare', column, op: '>=', value: lo }, { kind: 'compare', column, op: '<=', value: hi }] };
      return e.notBetweenKw || (Array.isArray(e.betweenKw) && e.betweenKw.length > 1) ? { kind: 'not', arg: between } : between;
    }
    case 'binary_expr':
      return binary(e, ctx);
    default:
      return UNKNOWN;
  }
}

function binary(e: CstNode, ctx: CstExprContext): Predicate {
  const op = operatorOf(e);
  if (op === 'AND' || op === 'OR') return { kind: op === 'AND' ? 'and' : 'or', args: [cstPredicate(e.left, ctx), cstPredicate(e.right, ctx)] };
  if ((op === 'IS' || op === 'IS NOT') && e.right?.type === 'null_literal') {
    const column = ownColumn(e.left, ctx);
    return column ? { kind: 'null-test', column, negated: op === 'IS NOT' } : UNKNOWN;
  }
  if (op === 'IN' || op === 'NOT IN') {
    const column = ownColumn(e.left, ctx);
    const items: CstNode[] = e.right?.type === 'paren_expr' && e.right.expr?.type === 'list_expr' ? e.right.expr.items : [];
    const values = items.map(constant);
    if (!column || values.length === 0 || values.some((v) => v === undefined)) return UNKNOWN;
    const atoms: Predicate[] = values.map((v) => ({ kind: 'compare', column, op: op === 'IN' ? '=' : '<>', value: v! }));
    return { kind: op === 'IN' ? 'or' : 'and', args: atoms };
  }
  const norm: CompareOp | undefined = op === '=' || op === '==' ? '=' : op === '<>' || op === '!=' ? '<>' : op === '<' || op === '<=' || op === '>' || op === '>=' ? op : undefined;
  if (!norm) return UNKNOWN;
  const lc = ownColumn(e.left, ctx);
  const rv = constant(e.right);
  if (lc !== undefined && rv !== undefined) return { kind: 'compare', column: lc, op: norm, value: rv };
  const rc = ownColumn(e.right, ctx);
  const lv = constant(e.left);
  if (rc !== undefined && lv !== undefined) return { kind: 'compare', column: rc, op: FLIP[norm], value: lv };
  return UNKNOWN;
}

const NEVER_NULL_FUNCTIONS = new Set(['random', 'randomblob', 'now', 'uuid', 'gen_random_uuid', 'datetime', 'date', 'time', 'julianday', 'unixepoch', 'current_timestamp', 'utc_timestamp', 'unix_timestamp', 'curdate', 'curtime', 'sysdate']);
const STRICT_FUNCTIONS = new Set(['lower', 'upper', 'trim', 'ltrim', 'rtrim', 'length', 'abs', 'round', 'hex', 'quote']);

const COMPARISONS = new Set(['=', '==', '<>', '!=', '<', '<=', '>', '>=']);

/** Keys (see refKey) of the column references a WHERE's (or ON's) AND chain proves non-null. */
export function cstNotNullRefs(e: CstNode | undefined, key: (n: CstNode) => string | undefined): Set<string> {
  const found = new Set<string>();
  const walk = (n: CstNode | undefined): void => {
    if (n?.type === 'paren_expr') return walk(n.expr);
    if (n?.type !== 'binary_expr') return;
    if (operatorOf(n) === 'AND') {
      walk(n.left);
      walk(n.right);
      return;
    }
    const op = operatorOf(n);
    if (op === 'IS NOT' && n.right?.type === 'null_literal') {
      const k = key(n.left);
      if (k !== undefined) found.add(k);
    } else if (COMPARISONS.has(op)) {
      // A comparison that is TRUE has two non-null sides.
      for (const side of [n.left, n.right]) {
        const k = key(side);
        if (k !== undefined) found.add(k);
      }
    }
  };
  walk(e);
  return found;
}

/** Never NULL when all the columns it names are non-null; null when it may be NULL anyway. */
export function cstValue(e: CstNode | undefined, ctx: CstExprContext): ValueInfo | null {
  if (!e) return null;
  switch (e.type) {
    case 'paren_expr':
      return cstValue(e.expr, ctx);
    case 'null_literal':
      return null;
    case 'number_literal':
    case 'string_literal':
    case 'blob_literal':
    case 'boolean_literal':
    case 'datetime_literal':
      return { nonNullIf: [] };
    case 'keyword':
      // CURRENT_TIMESTAMP, CURRENT_DATE, CURRENT_TIME
      return /^CURRENT_/i.test(String(e.name ?? e.text)) ? { nonNullIf: [] } : null;
    case 'identifier':
    case 'member_expr': {
      const column = ownColumn(e, ctx);
      return column ? { nonNullIf: [column] } : null;
    }
    case 'prefix_op_expr':
      return operatorOf(e) === '-' || operatorOf(e) === '+' ? cstValue(e.expr, ctx) : null;
    case 'binary_expr': {
      const op = operatorOf(e);
      if (!['+', '-', '*', '/', '%', '||'].includes(op)) return null;
      return all([cstValue(e.left, ctx), cstValue(e.right, ctx)]);
    }
    case 'func_call': {
      const name = (e.name?.type === 'identifier' ? String(e.name.name) : String(e.name?.text ?? '')).toLowerCase();
      const args: CstNode[] = e.args?.expr?.args?.items ?? [];
      if (name === 'coalesce' || name === 'ifnull') {
        const options = args.map((a) => cstValue(a, ctx)).filter((v): v is ValueInfo => v !== null);
        return options.length === 0 ? null : options.reduce((a, b) => (b.nonNullIf.length < a.nonNullIf.length ? b : a));
      }
      if (NEVER_NULL_FUNCTIONS.has(name) && args.length === 0) return { nonNullIf: [] };
      if (COUNTING_FUNCTIONS.has(name)) return { nonNullIf: [] };
      // SQLite: datetime('now'), date('now', 'start of month'), ...
      if (NEVER_NULL_FUNCTIONS.has(name) && args[0]?.type === 'string_literal' && String(args[0].value).toLowerCase() === 'now' && args.every((a) => a?.type === 'string_literal')) return { nonNullIf: [] };
      if (STRICT_FUNCTIONS.has(name)) return all(args.map((a) => cstValue(a, ctx)));
      return null;
    }
    case 'case_expr': {
      const clauses: CstNode[] = e.clauses ?? [];
      const otherwise = clauses.find((c) => c.type === 'case_else');
      if (!otherwise) return null;
      return all(clauses.map((c) => cstValue(c.result, ctx)));
    }
    default:
      return null;
  }
}

function all(parts: (ValueInfo | null)[]): ValueInfo | null {
  if (parts.some((p) => p === null)) return null;
  return { nonNullIf: [...new Set(parts.flatMap((p) => p!.nonNullIf))] };
}
