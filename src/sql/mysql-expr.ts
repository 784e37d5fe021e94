/**
 * node-sql-parser (MySQL) expressions read as far as the engine reasons about them: a WHERE
 * clause as a {@link Predicate}, an assigned value as a {@link ValueInfo}. See
 * src/sql/postgres-expr.ts for the Postgres counterpart.
 *
 * node-sql-parser groups `a IS NULL OR b AND c` as `(a IS NULL OR b) AND c`; that reading only
 * ever implies the real one, so a coverage proven on it holds (it may miss one, never invent one).
 */
import type { CompareOp, Predicate, ValueInfo } from '../model.js';
import { COUNTING_FUNCTIONS, refKey } from './copy-nulls.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type MyNode = Record<string, any>;

const UNKNOWN: Predicate = { kind: 'unknown' };
const FLIP: Record<CompareOp, CompareOp> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** A column_ref's table qualifier: a string, or `{ type: 'backticks_quote_string', value }` when quoted. */
export function qualifierOf(t: unknown): string | undefined {
  if (t === null || t === undefined) return undefined;
  if (typeof t === 'string') return t;
  const value = (t as { value?: unknown }).value;
  return typeof value === 'string' ? value : String(t);
}

function ownColumn(e: MyNode | undefined, own: ReadonlySet<string>): string | undefined {
  if (e?.type !== 'column_ref') return undefined;
  const column = typeof e.column === 'string' ? e.column : e.column?.expr?.value;
  if (typeof column !== 'string') return undefined;
  const q = qualifierOf(e.table);
  return q === undefined || own.has(q) ? column : undefined;
}

function constant(e: MyNode | undefined): number | string | boolean | undefined {
  switch (e?.type) {
    case 'number':
      return Number(e.value);
    case 'single_quote_string':
    case 'double_quote_string':
    case 'string':
      return String(e.value);
    case 'bool':
      return e.value === true;
    default:
      return undefined;
  }
}

export function mysqlPredicate(e: MyNode | undefined | null, own: ReadonlySet<string>): Predicate {
  if (!e) return { kind: 'const', value: true };
  if (e.type === 'bool') return { kind: 'const', value: e.value === true };
  if (e.type === 'null') return { kind: 'const', value: null };
  if (e.type === 'column_ref') {
    const column = ownColumn(e, own);
    return column ? { kind: 'compare', column, op: '=', value: true } : UNKNOWN;
  }
  if (e.type === 'function' && String(e.name?.name?.[0]?.value ?? '').toUpperCase() === 'NOT' && e.args?.value?.length === 1) {
    return { kind: 'not', arg: mysqlPredicate(e.args.value[0], own) };
  }
  if (e.type === 'unary_expr' && String(e.operator).toUpperCase() === 'NOT') return { kind: 'not', arg: mysqlPredicate(e.expr, own) };
  if (e.type !== 'binary_expr') return UNKNOWN;
  const op = String(e.operator).toUpperCase();
  if (op === 'AND' || op === 'OR') return { kind: op === 'AND' ? 'and' : 'or', args: [mysqlPredicate(e.left, own), mysqlPredicate(e.right, own)] };
  if ((op === 'IS' || op === 'IS NOT') && e.right?.type === 'null') {
    const column = ownColumn(e.left, own);
    return column ? { kind: 'null-test', column, negated: op === 'IS NOT' } : UNKNOWN;
  }
  if (op === 'IN' || op === 'NOT IN') {
    const column = ownColumn(e.left, own);
    const values = ((e.right?.type === 'expr_list' ? e.right.value : []) as MyNode[]).map(constant);
    if (!column || values.length === 0 || values.some((v) => v === undefined)) return UNKNOWN;
    const atoms: Predicate[] = values.map((v) => ({ kind: 'compare', column, op: op === 'IN' ? '=' : '<>', value: v! }));
    return { kind: op === 'IN' ? 'or' : 'and', args: atoms };
  }
  if (op === 'BETWEEN' || op === 'NOT BETWEEN') {
    const column = ownColumn(e.left, own);
    const [lo, hi] = ((e.right?.value ?? []) as MyNode[]).map(constant);
    if (!column || lo === undefined || hi === undefined) return UNKNOWN;
    const between: Predicate = { kind: 'and', args: [{ kind: 'compare', column, op: '>=', value: lo }, { kind: 'compare', column, op: '<=', value: hi }] };
    return op === 'BETWEEN' ? between : { kind: 'not', arg: between };
  }
  const norm: CompareOp | undefined = op === '=' ? '=' : op === '<>' || op === '!=' ? '<>' : op === '<' || op === '<=' || op === '>' || op === '>=' ? op : undefined;
  if (!norm) return UNKNOWN;
  const lc = ownColumn(e.left, own);
  const rv = constant(e.right);
  if (lc !== undefined && rv !== undefined) return { kind: 'compare', column: lc, op: norm, value: rv };
  const rc = ownColumn(e.right, own);
  const lv = constant(e.left);
  if (rc !== undefined && lv !== undefined) return { kind: 'compare', column: rc, op: FLIP[norm], value: lv };
  return UNKNOWN;
}

const NEVER_NULL_FUNCTIONS = new Set(['now', 'uuid', 'current_timestamp', 'utc_timestamp', 'unix_timestamp', 'curdate', 'curtime', 'sysdate', 'rand']);
const STRICT_FUNCTIONS = new Set(['lower', 'upper', 'trim', 'ltrim', 'rtrim', 'length', 'char_length', 'abs', 'round', 'md5', 'sha1']);

/** Keys (see refKey) of the column references a WHERE's (or ON's) AND chain proves non-null. */
export function mysqlNotNullRefs(e: MyNode | undefined | null): Set<string> {
  const found = new Set<string>();
  const walk = (n: MyNode | undefined | null): void => {
    if (n?.type !== 'binary_expr') return;
    const op = String(n.operator).toUpperCase();
    if (op === 'AND') {
      walk(n.left);
      walk(n.right);
    } else if (op === 'IS NOT' && n.right?.type === 'null' && n.left?.type === 'column_ref') {
      found.add(mysqlRefKey(n.left));
    } else if (['=', '<>', '!=', '<', '<=', '>', '>='].includes(op)) {
      // A comparison that is TRUE has two non-null sides.
      for (const side of [n.left, n.right]) if (side?.type === 'column_ref') found.add(mysqlRefKey(side));
    }
  };
  walk(e);
  return found;
}

/** A column_ref as a refKey. */
export function mysqlRefKey(c: MyNode): string {
  const column = typeof c.column === 'string' ? c.column : String(c.column?.expr?.value ?? '');
  const q = qualifierOf(c.table);
  return refKey(q !== undefined ? [q, column] : [column]);
}

export function mysqlValue(e: MyNode | undefined | null, own: ReadonlySet<string>): ValueInfo | null {
  if (!e) return null;
  if (constant(e) !== undefined) return { nonNullIf: [] };
  switch (e.type) {
    case 'null':
      return null;
    case 'column_ref': {
      const column = ownColumn(e, own);
      return column ? { nonNullIf: [column] } : null;
    }
    case 'binary_expr': {
      if (!['+', '-', '*', '/', '%', 'DIV'].includes(String(e.operator).toUpperCase())) return null;
      return all([mysqlValue(e.left, own), mysqlValue(e.right, own)]);
    }
    case 'function': {
      const name = String(e.name?.name?.[0]?.value ?? '').toLowerCase();
      const args: MyNode[] = e.args?.value ?? [];
      if (name === 'coalesce' || name === 'ifnull') {
        const options = args.map((a) => mysqlValue(a, own)).filter((v): v is ValueInfo => v !== null);
        return options.length === 0 ? null : options.reduce((a, b) => (b.nonNullIf.length < a.nonNullIf.length ? b : a));
      }
      if (NEVER_NULL_FUNCTIONS.has(name) && args.length === 0) return { nonNullIf: [] };
      if (COUNTING_FUNCTIONS.has(name)) return { nonNullIf: [] };
      if (STRICT_FUNCTIONS.has(name)) return all(args.map((a) => mysqlValue(a, own)));
      return null;
    }
    default:
      return null;
  }
}

function all(parts: (ValueInfo | null)[]): ValueInfo | null {
  if (parts.some((p) => p === null)) return null;
  return { nonNullIf: [...new Set(parts.flatMap((p) => p!.nonNullIf))] };
}
