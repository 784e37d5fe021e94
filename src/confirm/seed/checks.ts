/**
 * What CHECK constraints (and domain CHECKs) ask of each column, for the shapes seen in real
 * migrations: comparisons with constants, IN / NOT IN / = ANY (ARRAY[...]), BETWEEN,
 * length()/char_length() bounds, IS NOT NULL, LIKE patterns, AND of those, OR (one branch is
 * chosen for every row: the first that does not just allow NULL), and comparisons between two
 * columns (rows are fixed up after generation). Expressions are parsed by the real Postgres
 * parser (libpg-query); SQLite CHECKs of these shapes parse the same. Anything else is left to
 * the database: candidate rows violating it are dropped and counted (see seed.ts).
 */
import type { TableInfo } from './model.js';
import type { Bounds } from './values.js';
import type { Driver } from '../driver.js';

type Node = Record<string, unknown>;
type Mutable = { -readonly [K in keyof Bounds]: Bounds[K] };

export interface ColumnPair {
  readonly left: string;
  readonly op: '<' | '<=' | '>' | '>=';
  readonly right: string;
}

export interface TableBounds {
  readonly columns: Map<string, Bounds & { readonly notNull?: boolean; readonly like?: string }>;
  readonly pairs: ColumnPair[];
}

let parse: ((sql: string) => unknown) | undefined;

/** Load the Postgres parser once (WASM); only seeding with CHECKs pays for it. */
export async function loadCheckParser(): Promise<void> {
  if (parse) return;
  const mod = await import('../../sql/libpg-query.js');
  await mod.loadModule();
  parse = mod.parseSync as (sql: string) => unknown;
}

const parsed = new Map<string, Node | undefined>();

function parseExpr(expr: string): Node | undefined {
  if (!parsed.has(expr)) parsed.set(expr, parseUncached(expr));
  return parsed.get(expr);
}

function parseUncached(expr: string): Node | undefined {
  if (!parse) return undefined;
  try {
    const tree = parse(`SELECT ${expr}`) as { stmts?: { stmt?: { SelectStmt?: { targetList?: { ResTarget?: { val?: Node } }[] } } }[] };
    const stmts = tree.stmts ?? [];
    if (stmts.length !== 1) return undefined;
    const list = stmts[0]?.stmt?.SelectStmt?.targetList ?? [];
    return list.length === 1 ? list[0]?.ResTarget?.val : undefined;
  } catch {
    return undefined;
  }
}

function unwrap(n: Node | undefined): Node | undefined {
  let cur = n;
  while (cur && 'TypeCast' in cur) cur = (cur.TypeCast as Node).arg as Node;
  return cur;
}

function columnOf(n: Node | undefined): string | undefined {
  const u = unwrap(n);
  const ref = u?.ColumnRef as { fields?: Node[] } | undefined;
  if (!ref?.fields) return undefined;
  const last = ref.fields[ref.fields.length - 1] as { String?: { sval?: string } } | undefined;
  return last?.String?.sval;
}

/** A constant as text (numbers as their digits); undefined when not a constant. */
function constOf(n: Node | undefined): string | undefined {
  let u = unwrap(n);
  // -5 written as a unary minus on a constant
  if (u && 'A_Expr' in u) {
    const e = u.A_Expr as Node;
    const op = ((e.name as Node[] | undefined)?.[0] as { String?: { sval?: string } } | undefined)?.String?.sval;
    if (op === '-' && !e.lexpr) {
      const inner = constOf(e.rexpr as Node);
      return inner === undefined ? undefined : inner.startsWith('-') ? inner.slice(1) : `-${inner}`;
    }
    return undefined;
  }
  const c = u?.A_Const as Record<string, unknown> | undefined;
  if (!c) return undefined;
  if ('ival' in c) return String((c.ival as { ival?: number }).ival ?? 0);
  if ('fval' in c) return String((c.fval as { fval?: string }).fval);
  if ('sval' in c) return String((c.sval as { sval?: string }).sval ?? '');
  if ('boolval' in c) return (c.boolval as { boolval?: boolean }).boolval ? 'true' : 'false';
  u = undefined;
  return undefined;
}

function opName(e: Node): string | undefined {
  return ((e.name as Node[] | undefined)?.[0] as { String?: { sval?: string } } | undefined)?.String?.sval;
}

const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '<>': '<>', '!=': '<>' };
const LENGTH_FUNCS = new Set(['length', 'char_length', 'character_length', 'octet_length', 'len']);

class Collector {
  readonly cols = new Map<string, Mutable & { notNull?: boolean; like?: string }>();
  readonly pairs: ColumnPair[] = [];
  constructor(private readonly canon: (name: string) => string | undefined) {}

  private col(name: string) {
    let b = this.cols.get(name);
    if (!b) this.cols.set(name, (b = {}));
    return b;
  }

  private compare(colName: string, op: string, value: string): void {
    const name = this.canon(colName);
    if (!name) return;
    const b = this.col(name);
    const num = Number(value);
    const isNum = value.trim() !== '' && Number.isFinite(num);
    if (op === '=') {
      b.oneOf = b.oneOf ? b.oneOf.filter((v) => v === value) : [value];
      return;
    }
    if (op === '<>' || op === '!=') {
      b.notOneOf = [...(b.notOneOf ?? []), value];
      return;
    }
    if (!isNum) return;
    if (op === '>' || op === '>=') {
      if (b.min === undefined || num > b.min || (num === b.min && op === '>')) {
        b.min = num;
        b.minExclusive = op === '>';
      }
    } else if (op === '<' || op === '<=') {
      if (b.max === undefined || num < b.max || (num === b.max && op === '<')) {
        b.max = num;
        b.maxExclusive = op === '<';
      }
    }
  }

  private length(colName: string, op: string, value: string): void {
    const name = this.canon(colName);
    const n = Number(value);
    if (!name || !Number.isInteger(n)) return;
    const b = this.col(name);
    const lo = op === '>' ? n + 1 : op === '>=' || op === '=' ? n : undefined;
    const hi = op === '<' ? n - 1 : op === '<=' || op === '=' ? n : undefined;
    if (lo !== undefined) b.minLength = Math.max(b.minLength ?? 0, lo);
    if (hi !== undefined) b.maxLength = Math.min(b.maxLength ?? Infinity, hi);
    b.notOneOf = op === '>' && n >= 0 ? [...(b.notOneOf ?? []), ''] : b.notOneOf;
  }

  /** Collect what `n` requires when it must be true. Returns false for shapes it cannot read. */
  visit(n: Node | undefined): boolean {
    if (!n) return false;
    if ('BoolExpr' in n) {
      const e = n.BoolExpr as { boolop?: string; args?: Node[] };
      const args = e.args ?? [];
      if (e.boolop === 'AND_EXPR') return args.map((a) => this.visit(a)).every(Boolean);
      if (e.boolop === 'OR_EXPR') {
        const isNullTest = (a: Node) => 'NullTest' in a && (a.NullTest as { nulltesttype?: string }).nulltesttype === 'IS_NULL';
        const branch = args.find((a) => !isNullTest(a)) ?? args[0];
        return this.visit(branch);
      }
      if (e.boolop === 'NOT_EXPR') {
        const a = args[0];
        if (a && 'NullTest' in a && (a.NullTest as { nulltesttype?: string }).nulltesttype === 'IS_NULL') {
          const c = this.canon(columnOf((a.NullTest as { arg?: Node }).arg) ?? '');
          if (c) this.col(c).notNull = true;
          return true;
        }
      }
      return false;
    }
    if ('NullTest' in n) {
      const t = n.NullTest as { arg?: Node; nulltesttype?: string };
      const c = this.canon(columnOf(t.arg) ?? '');
      if (c && t.nulltesttype === 'IS_NOT_NULL') this.col(c).notNull = true;
      return c !== undefined;
    }
    if ('A_Expr' in n) {
      const e = n.A_Expr as Node & { kind?: string; lexpr?: Node; rexpr?: Node };
      const op = opName(e);
      const items = (e.rexpr as { List?: { items?: Node[] } } | undefined)?.List?.items;
      const lcol = columnOf(e.lexpr);
      if (e.kind === 'AEXPR_IN' && lcol && items) {
        const vals = items.map(constOf);
        if (vals.some((v) => v === undefined)) return false;
        const name = this.canon(lcol);
        if (!name) return false;
        const b = this.col(name);
        if (op === '=') b.oneOf = b.oneOf ? b.oneOf.filter((v) => vals.includes(v)) : (vals as string[]);
        else b.notOneOf = [...(b.notOneOf ?? []), ...(vals as string[])];
        return true;
      }
      if (e.kind === 'AEXPR_OP_ANY' && lcol && op === '=') {
        const arr = unwrap(e.rexpr)?.A_ArrayExpr as { elements?: Node[] } | undefined;
        const vals = (arr?.elements ?? []).map(constOf);
        const name = this.canon(lcol);
        if (!arr || !name || vals.some((v) => v === undefined)) return false;
        const b = this.col(name);
        b.oneOf = b.oneOf ? b.oneOf.filter((v) => vals.includes(v)) : (vals as string[]);
        return true;
      }
      if (e.kind === 'AEXPR_OP_ALL' && lcol && (op === '<>' || op === '!=')) {
        const arr = unwrap(e.rexpr)?.A_ArrayExpr as { elements?: Node[] } | undefined;
        const vals = (arr?.elements ?? []).map(constOf);
        const name = this.canon(lcol);
        if (!arr || !name || vals.some((v) => v === undefined)) return false;
        this.col(name).notOneOf = [...(this.col(name).notOneOf ?? []), ...(vals as string[])];
        return true;
      }
      if ((e.kind === 'AEXPR_BETWEEN' || e.kind === 'AEXPR_BETWEEN_SYM') && lcol && items?.length === 2) {
        const lo = constOf(items[0]);
        const hi = constOf(items[1]);
        if (lo === undefined || hi === undefined) return false;
        const [a, b] = e.kind === 'AEXPR_BETWEEN_SYM' && Number(lo) > Number(hi) ? [hi, lo] : [lo, hi];
        this.compare(lcol, '>=', a);
        this.compare(lcol, '<=', b);
        return true;
      }
      if (e.kind === 'AEXPR_LIKE' && lcol && op === '~~') {
        const pat = constOf(e.rexpr);
        const name = this.canon(lcol);
        if (pat === undefined || !name) return false;
        this.col(name).like = pat;
        return true;
      }
      if (e.kind === 'AEXPR_OP' && op && op in FLIP) {
        const rcol = columnOf(e.rexpr);
        const lconst = constOf(e.lexpr);
        const rconst = constOf(e.rexpr);
        const fn = (x: Node | undefined) => {
          const f = unwrap(x)?.FuncCall as { funcname?: Node[]; args?: Node[] } | undefined;
          const fname = (f?.funcname?.[f.funcname.length - 1] as { String?: { sval?: string } } | undefined)?.String?.sval?.toLowerCase();
          return f && fname && LENGTH_FUNCS.has(fname) && f.args?.length === 1 ? columnOf(f.args[0]) : undefined;
        };
        const llen = fn(e.lexpr);
        const rlen = fn(e.rexpr);
        if (lcol && rconst !== undefined) return this.compare(lcol, op, rconst), true;
        if (rcol && lconst !== undefined) return this.compare(rcol, FLIP[op]!, lconst), true;
        if (llen && rconst !== undefined) return this.length(llen, op, rconst), true;
        if (rlen && lconst !== undefined) return this.length(rlen, FLIP[op]!, lconst), true;
        if (lcol && rcol && ['<', '<=', '>', '>='].includes(op)) {
          const l = this.canon(lcol);
          const r = this.canon(rcol);
          if (l && r) this.pairs.push({ left: l, op: op as ColumnPair['op'], right: r });
          return l !== undefined && r !== undefined;
        }
      }
    }
    return false;
  }
}

/** Per column bounds from the table's CHECKs and its columns' domains; call loadCheckParser first. */
export function columnBounds(t: TableInfo, dialect: Driver['dialect']): TableBounds {
  const names = new Map(t.columns.map((c) => [dialect === 'sqlite' ? c.name.toLowerCase() : c.name, c.name]));
  const canon = (n: string): string | undefined => names.get(dialect === 'sqlite' ? n.toLowerCase() : n) ?? names.get(n.toLowerCase());
  const table = new Collector(canon);
  for (const expr of t.checks) table.visit(parseExpr(expr));
  for (const c of t.columns) {
    if (!c.domainChecks?.length) continue;
    const dom = new Collector((n) => (n.toLowerCase() === 'value' ? c.name : undefined));
    for (const expr of c.domainChecks) dom.visit(parseExpr(expr));
    const got = dom.cols.get(c.name);
    if (got) table.cols.set(c.name, { ...got, ...(table.cols.get(c.name) ?? {}) });
  }
  return { columns: table.cols, pairs: table.pairs };
}
