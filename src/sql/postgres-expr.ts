/**
 * Postgres expressions (libpg-query AST) read as far as the engine reasons about them: a WHERE
 * clause as a {@link Predicate}, an assigned value as a {@link ValueInfo} (is it ever NULL?).
 * Column references count only when they are the statement's own table (unqualified, or
 * qualified by its name or alias); anything else is unknown.
 */
import type { CompareOp, Predicate, ValueInfo } from '../model.js';
import { COUNTING_FUNCTIONS, refKey } from './copy-nulls.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PgNode = Record<string, any>;

/** Names the statement's own table goes by (its name and alias). */
export type OwnTable = ReadonlySet<string>;

const UNKNOWN: Predicate = { kind: 'unknown' };

const COMPARE_OPS = new Set<string>(['=', '<>', '!=', '<', '<=', '>', '>=']);
const FLIP: Record<string, CompareOp> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function str(n: PgNode | undefined): string | undefined {
  return n?.String?.sval;
}

/** The column a ColumnRef names, when it is one of the own table's. */
export function ownColumn(e: PgNode | undefined, own: OwnTable): string | undefined {
  const fields: PgNode[] | undefined = e?.ColumnRef?.fields;
  if (!fields || fields.length === 0) return undefined;
  const name = str(fields[fields.length - 1]);
  if (!name) return undefined;
  if (fields.length === 1) return name;
  const qualifier = str(fields[fields.length - 2]);
  return qualifier !== undefined && own.has(qualifier) ? name : undefined;
}

/** A non-null constant (number, string, boolean), through casts. */
function constant(e: PgNode | undefined): number | string | boolean | undefined {
  if (!e) return undefined;
  if (e.TypeCast) return constant(e.TypeCast.arg);
  const c: PgNode | undefined = e.A_Const;
  if (!c || c.isnull) return undefined;
  if (c.ival) return typeof c.ival.ival === 'number' ? c.ival.ival : 0;
  if (c.fval) return Number(c.fval.fval);
  if (c.boolval) return c.boolval.boolval === true;
  if (c.sval) return typeof c.sval.sval === 'string' ? c.sval.sval : '';
  return undefined;
}

export function predicateOf(e: PgNode | undefined, own: OwnTable): Predicate {
  if (!e) return { kind: 'const', value: true };
  if (e.A_Const) {
    if (e.A_Const.isnull) return { kind: 'const', value: null };
    if (e.A_Const.boolval) return { kind: 'const', value: e.A_Const.boolval.boolval === true };
    return UNKNOWN;
  }
  if (e.TypeCast) {
    const v = constant(e);
    return typeof v === 'boolean' ? { kind: 'const', value: v } : UNKNOWN;
  }
  if (e.NullTest) {
    const column = ownColumn(e.NullTest.arg, own);
    if (!column) return UNKNOWN;
    return { kind: 'null-test', column, negated: e.NullTest.nulltesttype === 'IS_NOT_NULL' };
  }
  if (e.BoolExpr) {
    const args: Predicate[] = (e.BoolExpr.args ?? []).map((a: PgNode) => predicateOf(a, own));
    if (e.BoolExpr.boolop === 'AND_EXPR') return { kind: 'and', args };
    if (e.BoolExpr.boolop === 'OR_EXPR') return { kind: 'or', args };
    if (e.BoolExpr.boolop === 'NOT_EXPR' && args.length === 1) return { kind: 'not', arg: args[0]! };
    return UNKNOWN;
  }
  if (e.ColumnRef) {
    // A boolean column used as a condition.
    const column = ownColumn(e, own);
    return column ? { kind: 'compare', column, op: '=', value: true } : UNKNOWN;
  }
  const x: PgNode | undefined = e.A_Expr;
  if (!x) return UNKNOWN;
  const op = str(x.name?.[x.name.length - 1]);
  if (x.kind === 'AEXPR_OP' && op && COMPARE_OPS.has(op)) {
    const norm = (op === '!=' ? '<>' : op) as CompareOp;
    const lc = ownColumn(x.lexpr, own);
    const rv = constant(x.rexpr);
    if (lc !== undefined && rv !== undefined) return { kind: 'compare', column: lc, op: norm, value: rv };
    const rc = ownColumn(x.rexpr, own);
    const lv = constant(x.lexpr);
    if (rc !== undefined && lv !== undefined) return { kind: 'compare', column: rc, op: FLIP[norm]!, value: lv };
    return UNKNOWN;
  }
  if (x.kind === 'AEXPR_IN' && (op === '=' || op === '<>')) {
    const column = ownColumn(x.lexpr, own);
    const list: PgNode[] = x.rexpr?.List?.items ?? [];
    const values = list.map(constant);
    if (!column || values.length === 0 || values.some((v) => v === undefined)) return UNKNOWN;
    const atoms: Predicate[] = values.map((v) => ({ kind: 'compare', column, op: op === '=' ? '=' : '<>', value: v! }));
    return { kind: op === '=' ? 'or' : 'and', args: atoms };
  }
  if (x.kind === 'AEXPR_BETWEEN' || x.kind === 'AEXPR_NOT_BETWEEN') {
    const column = ownColumn(x.lexpr, own);
    const [lo, hi] = ((x.rexpr?.List?.items ?? []) as PgNode[]).map(constant);
    if (!column || lo === undefined || hi === undefined) return UNKNOWN;
    const between: Predicate = { kind: 'and', args: [{ kind: 'compare', column, op: '>=', value: lo }, { kind: 'compare', column, op: '<=', value: hi }] };
    return x.kind === 'AEXPR_BETWEEN' ? between : { kind: 'not', arg: between };
  }
  return UNKNOWN;
}

/** Functions that never return NULL. */
const NEVER_NULL_FUNCTIONS = new Set([
  'now',
  'gen_random_uuid',
  'uuid_generate_v4',
  'uuid_generate_v1',
  'uuidv4',
  'uuidv7',
  'clock_timestamp',
  'statement_timestamp',
  'transaction_timestamp',
  'random',
  'nextval',
  'timeofday',
]);

/** Functions that return NULL exactly when an argument is NULL (strict, never NULL otherwise). */
const STRICT_FUNCTIONS = new Set(['lower', 'upper', 'trim', 'btrim', 'ltrim', 'rtrim', 'length', 'char_length', 'md5', 'abs', 'round', 'floor', 'ceil', 'to_jsonb', 'to_json', 'date_trunc']);

/** Never NULL when all the columns it returns are non-null; null when it may be NULL anyway. */
export function valueOf(e: PgNode | undefined, own: OwnTable): ValueInfo | null {
  if (!e) return null;
  if (e.A_Const) return e.A_Const.isnull ? null : { nonNullIf: [] };
  if (e.TypeCast) return valueOf(e.TypeCast.arg, own);
  if (e.SQLValueFunction) return { nonNullIf: [] };
  if (e.ColumnRef) {
    const column = ownColumn(e, own);
    return column ? { nonNullIf: [column] } : null;
  }
  if (e.CoalesceExpr) {
    // Non-null once any one argument is: take the one that needs least.
    const options = ((e.CoalesceExpr.args ?? []) as PgNode[]).map((a) => valueOf(a, own)).filter((v): v is ValueInfo => v !== null);
    if (options.length === 0) return null;
    return options.reduce((a, b) => (b.nonNullIf.length < a.nonNullIf.length ? b : a));
  }
  if (e.CaseExpr) {
    if (!e.CaseExpr.defresult) return null;
    const results = [...((e.CaseExpr.args ?? []) as PgNode[]).map((w) => w.CaseWhen?.result), e.CaseExpr.defresult];
    return all(results.map((r) => valueOf(r, own)));
  }
  if (e.A_Expr && e.A_Expr.kind === 'AEXPR_OP') {
    const args = [e.A_Expr.lexpr, e.A_Expr.rexpr].filter(Boolean).map((a: PgNode) => valueOf(a, own));
    return all(args);
  }
  if (e.FuncCall) {
    const name = str(e.FuncCall.funcname?.[e.FuncCall.funcname.length - 1])?.toLowerCase();
    if (!name) return null;
    if (NEVER_NULL_FUNCTIONS.has(name) || COUNTING_FUNCTIONS.has(name)) return { nonNullIf: [] };
    if (STRICT_FUNCTIONS.has(name)) return all(((e.FuncCall.args ?? []) as PgNode[]).map((a) => valueOf(a, own)));
    return null;
  }
  return null;
}

/** A column reference as a refKey (undefined for anything else). */
export function pgRefKey(e: PgNode | undefined): string | undefined {
  const fields: PgNode[] | undefined = e?.ColumnRef?.fields;
  if (!fields || fields.some((f) => str(f) === undefined)) return undefined;
  return refKey(fields.map((f) => str(f)!));
}

/** Keys (see refKey) of the column references a WHERE's (or ON's) AND chain proves non-null. */
export function pgNotNullRefs(e: PgNode | undefined): Set<string> {
  const found = new Set<string>();
  const walk = (n: PgNode | undefined): void => {
    if (n?.BoolExpr?.boolop === 'AND_EXPR') for (const a of n.BoolExpr.args ?? []) walk(a);
    else if (n?.NullTest?.nulltesttype === 'IS_NOT_NULL') {
      const k = pgRefKey(n.NullTest.arg);
      if (k !== undefined) found.add(k);
    } else if (n?.A_Expr?.kind === 'AEXPR_OP' && ['=', '<>', '!=', '<', '<=', '>', '>='].includes(str(n.A_Expr.name?.[n.A_Expr.name.length - 1]) ?? '')) {
      // A comparison that is TRUE has two non-null sides.
      for (const side of [n.A_Expr.lexpr, n.A_Expr.rexpr]) {
        const k = pgRefKey(side);
        if (k !== undefined) found.add(k);
      }
    }
  };
  walk(e);
  return found;
}

/** Non-null when every part is: the union of what they need; null if any part may be NULL. */
function all(parts: (ValueInfo | null)[]): ValueInfo | null {
  if (parts.some((p) => p === null)) return null;
  return { nonNullIf: [...new Set(parts.flatMap((p) => p!.nonNullIf))] };
}
