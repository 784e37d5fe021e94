/**
 * Does a set of UPDATE / DELETE statements leave no NULL in a column?
 *
 * Every statement that gives the column a non-null value (or deletes rows) contributes its WHERE
 * clause. The column is filled when, for every row whose column is NULL, at least one of those
 * WHERE clauses is TRUE. Decided soundly for a documented subset:
 *
 * - predicates over the table's own columns: `col IS [NOT] NULL`, `col <op> constant` (numbers,
 *   strings with `=`/`<>`, booleans), a bare boolean column, AND / OR / NOT, TRUE / FALSE;
 * - SQL's three-valued logic: `col = ''` is NULL, not TRUE, on a row where `col` is NULL;
 * - the other columns are enumerated over representative values (NULL, each constant the
 *   predicates compare them with, and values between and beyond those), so complementary
 *   conditions (`a > 0` then `a <= 0 OR a IS NULL`) are recognised;
 * - anything else (a join condition, a subquery, a function) is unknown: it may be TRUE, FALSE or
 *   NULL on any row, so it never counts as covering one.
 *
 * A column that an UPDATE assigns gets a new version: a later WHERE on it reads the new values,
 * so it is a different variable from an earlier WHERE on the old ones.
 */
import type { CompareOp, Predicate } from '../model.js';

export const TRUE: Predicate = { kind: 'const', value: true };
export const UNKNOWN: Predicate = { kind: 'unknown' };

/** Kleene truth values; `?` is "any of the three". */
type Truth = 'T' | 'F' | 'N' | '?';

type Value = number | string | boolean | null;

/** Give every column of a predicate a version suffix (see the module comment). */
export function versioned(p: Predicate, version: (column: string) => number): Predicate {
  const name = (c: string): string => `${c}#${version(c)}`;
  switch (p.kind) {
    case 'null-test':
      return { ...p, column: name(p.column) };
    case 'compare':
      return { ...p, column: name(p.column) };
    case 'and':
    case 'or':
      return { kind: p.kind, args: p.args.map((a) => versioned(a, version)) };
    case 'not':
      return { kind: 'not', arg: versioned(p.arg, version) };
    default:
      return p;
  }
}

function baseName(versionedName: string): string {
  const i = versionedName.lastIndexOf('#');
  return i < 0 ? versionedName : versionedName.slice(0, i);
}

/** Upper bound on the assignments enumerated; beyond it the answer is "not proven". */
const MAX_ASSIGNMENTS = 4096;

/**
 * True when, on every row where `column` is NULL, at least one of `covers` is TRUE. Every version
 * of `column` is NULL on such a row (fills only ever give it non-null values; an assignment that
 * may give NULL clears the fills).
 */
export function coversNulls(column: string, covers: readonly Predicate[]): boolean {
  if (covers.length === 0) return false;
  const all: Predicate = covers.length === 1 ? covers[0]! : { kind: 'or', args: covers };
  const domains = new Map<string, Value[] | undefined>();
  collectDomains(all, column, domains);
  const vars = [...domains.entries()];
  let count = 1;
  for (const [, d] of vars) count *= d ? d.length : 1;
  if (count > MAX_ASSIGNMENTS) return false;
  const assignment = new Map<string, Value>();
  const walk = (i: number): boolean => {
    if (i === vars.length) return evaluate(all, column, assignment) === 'T';
    const [name, domain] = vars[i]!;
    if (!domain) return walk(i + 1);
    for (const v of domain) {
      assignment.set(name, v);
      if (!walk(i + 1)) return false;
    }
    assignment.delete(name);
    return true;
  };
  return walk(0);
}

/**
 * For each other column, the representative values to try; `undefined` where its comparisons
 * cannot be decided by representatives (strings compared with < or >, mixed types): its atoms
 * then evaluate to `?`.
 */
function collectDomains(p: Predicate, column: string, out: Map<string, Value[] | undefined>): void {
  const constants = new Map<string, { values: Value[]; ordered: boolean }>();
  const visit = (q: Predicate): void => {
    switch (q.kind) {
      case 'null-test':
      case 'compare': {
        if (baseName(q.column) === column) return;
        let c = constants.get(q.column);
        if (!c) constants.set(q.column, (c = { values: [], ordered: false }));
        if (q.kind === 'compare') {
          c.values.push(q.value);
          if (q.op !== '=' && q.op !== '<>') c.ordered = true;
        }
        return;
      }
      case 'and':
      case 'or':
        q.args.forEach(visit);
        return;
      case 'not':
        visit(q.arg);
        return;
      default:
        return;
    }
  };
  visit(p);
  for (const [name, c] of constants) out.set(name, representatives(c.values, c.ordered));
}

function representatives(values: Value[], ordered: boolean): Value[] | undefined {
  const types = new Set(values.map((v) => typeof v));
  if (types.size > 1) return undefined;
  const type = [...types][0];
  if (type === undefined) return [null, 0];
  if (type === 'boolean') return [null, true, false];
  if (type === 'string') {
    if (ordered) return undefined;
    const distinct = [...new Set(values as string[])];
    return [null, ...distinct, `${distinct.join('')}\u0000other`];
  }
  const ks = [...new Set(values as number[])].sort((a, b) => a - b);
  const reps: Value[] = [null, ks[0]! - 1, ...ks, ks[ks.length - 1]! + 1];
  for (let i = 0; i + 1 < ks.length; i++) reps.push((ks[i]! + ks[i + 1]!) / 2);
  return reps;
}

function evaluate(p: Predicate, column: string, values: ReadonlyMap<string, Value>): Truth {
  switch (p.kind) {
    case 'const':
      return p.value === null ? 'N' : p.value ? 'T' : 'F';
    case 'unknown':
      return '?';
    case 'null-test': {
      const isNull = baseName(p.column) === column ? true : values.has(p.column) ? values.get(p.column) === null : undefined;
      if (isNull === undefined) return '?';
      return isNull !== p.negated ? 'T' : 'F';
    }
    case 'compare': {
      if (baseName(p.column) === column) return 'N';
      if (!values.has(p.column)) return '?';
      const v = values.get(p.column)!;
      if (v === null) return 'N';
      return compare(v, p.op, p.value) ? 'T' : 'F';
    }
    case 'not': {
      const a = evaluate(p.arg, column, values);
      return a === 'T' ? 'F' : a === 'F' ? 'T' : a;
    }
    case 'and': {
      let out: Truth = 'T';
      for (const a of p.args) {
        const t = evaluate(a, column, values);
        if (t === 'F') return 'F';
        if (t === '?') out = '?';
        else if (t === 'N' && out === 'T') out = 'N';
      }
      return out;
    }
    case 'or': {
      let out: Truth = 'F';
      for (const a of p.args) {
        const t = evaluate(a, column, values);
        if (t === 'T') return 'T';
        if (t === '?') out = '?';
        else if (t === 'N' && out === 'F') out = 'N';
      }
      return out;
    }
  }
}

function compare(a: number | string | boolean, op: CompareOp, b: number | string | boolean): boolean {
  if (typeof a !== typeof b) return false;
  switch (op) {
    case '=':
      return a === b;
    case '<>':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}
