/**
 * A Knex query's where-calls as a {@link Predicate} (see src/engine/backfill.ts), so that a
 * backfill written with the query builder is judged like the same UPDATE in SQL:
 *
 *   knex('acc').where({ kind: 'person' }).update(...)      kind = 'person'
 *   knex('acc').whereNot('kind', 'person').update(...)     NOT (kind = 'person')
 *   knex('b').where('n', '<=', 0).orWhereNull('n')         n <= 0 OR n IS NULL
 *
 * Knex joins `where` calls with AND and `orWhere` calls with OR, in order, and SQL gives AND the
 * higher precedence: `a.where(x).where(y).orWhere(z)` is `(x AND y) OR z`. A condition this
 * module does not read (a callback, raw SQL, a sub-query, a non-literal value) is unknown: it
 * may be TRUE, FALSE or NULL on any row, so it never proves a row covered.
 */
import type { CompareOp, Predicate } from '../../model.js';
import type { KArg, KCall } from './types.js';

const UNKNOWN: Predicate = { kind: 'unknown' };
const OPS: Record<string, CompareOp> = { '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

type Scalar = number | string | boolean;

function column(a: KArg | undefined): string | undefined {
  return a?.t === 'lit' && typeof a.v === 'string' ? a.v.split('.').pop() : undefined;
}

function scalar(a: KArg | undefined): Scalar | null | undefined {
  if (a?.t !== 'lit') return undefined;
  const v = a.v;
  return v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : undefined;
}

function compare(col: string | undefined, op: CompareOp | undefined, value: Scalar | null | undefined): Predicate {
  if (col === undefined || op === undefined || value === undefined) return UNKNOWN;
  if (value === null) return op === '=' ? { kind: 'null-test', column: col, negated: false } : op === '<>' ? { kind: 'null-test', column: col, negated: true } : UNKNOWN;
  return { kind: 'compare', column: col, op, value };
}

/** `where(...)` arguments: an object of equalities, `(col, value)` or `(col, op, value)`. */
function whereArgs(args: readonly KArg[]): Predicate {
  const [a, b, c] = args;
  if (a?.t === 'lit' && a.v !== null && typeof a.v === 'object' && !Array.isArray(a.v)) {
    const atoms = Object.entries(a.v).map(([k, v]) => compare(k.split('.').pop(), '=', scalar({ t: 'lit', v })));
    return atoms.length === 1 ? atoms[0]! : { kind: 'and', args: atoms };
  }
  if (args.length === 2) return compare(column(a), '=', scalar(b));
  if (args.length === 3) {
    const op = b?.t === 'lit' && typeof b.v === 'string' ? b.v.trim().toLowerCase() : undefined;
    if (op === 'is' || op === 'is not') return scalar(c) === null ? { kind: 'null-test', column: column(a) ?? '?', negated: op === 'is not' } : UNKNOWN;
    return compare(column(a), op ? OPS[op] : undefined, scalar(c));
  }
  return UNKNOWN;
}

/** One where-call (without its `or`/`and` prefix) as a predicate. */
function condition(m: string, args: readonly KArg[]): Predicate {
  const not = (p: Predicate): Predicate => (p.kind === 'unknown' ? p : { kind: 'not', arg: p });
  switch (m) {
    case 'where':
      return whereArgs(args);
    case 'whereNot':
      return not(whereArgs(args));
    case 'whereNull':
    case 'whereNotNull': {
      const col = column(args[0]);
      return col === undefined ? UNKNOWN : { kind: 'null-test', column: col, negated: m === 'whereNotNull' };
    }
    case 'whereIn':
    case 'whereNotIn': {
      const col = column(args[0]);
      const list = args[1]?.t === 'lit' && Array.isArray(args[1].v) ? args[1].v.map((v) => scalar({ t: 'lit', v })) : undefined;
      if (col === undefined || !list || list.length === 0 || list.some((v) => v === undefined || v === null)) return UNKNOWN;
      const any: Predicate = { kind: 'or', args: list.map((v) => compare(col, '=', v)) };
      return m === 'whereIn' ? any : not(any);
    }
    case 'whereBetween':
    case 'whereNotBetween': {
      const col = column(args[0]);
      const range = args[1]?.t === 'lit' && Array.isArray(args[1].v) && args[1].v.length === 2 ? args[1].v.map((v) => scalar({ t: 'lit', v })) : undefined;
      if (col === undefined || !range || range.some((v) => v === undefined || v === null)) return UNKNOWN;
      const between: Predicate = { kind: 'and', args: [compare(col, '>=', range[0]), compare(col, '<=', range[1])] };
      return m === 'whereBetween' ? between : not(between);
    }
    default:
      return UNKNOWN;
  }
}

/** The WHERE of a query's where-calls, or undefined when it has none. */
export function knexWhere(calls: readonly KCall[]): Predicate | undefined {
  const terms: Predicate[][] = [];
  for (const call of calls) {
    const m = /^(or|and)?(where\w*)$/i.exec(call.m);
    if (!m) {
      if (call.m === 'having' || /^(or|and)?having/i.test(call.m)) return UNKNOWN;
      continue;
    }
    const method = m[2]!.charAt(0).toLowerCase() + m[2]!.slice(1);
    const p = condition(method, call.args);
    if (m[1]?.toLowerCase() === 'or' && terms.length > 0) terms.push([p]);
    else if (terms.length === 0) terms.push([p]);
    else terms[terms.length - 1]!.push(p);
  }
  if (terms.length === 0) return undefined;
  const ands = terms.map((t): Predicate => (t.length === 1 ? t[0]! : { kind: 'and', args: t }));
  return ands.length === 1 ? ands[0]! : { kind: 'or', args: ands };
}
