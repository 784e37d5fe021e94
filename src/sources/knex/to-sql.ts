/**
 * The SQL Knex itself would run for the statements the static interpreter extracted: the recorded
 * builder calls are replayed on a `knex({ client })` with no connection and compiled with
 * `.toSQL()`. Raw SQL passes through. `knex` is loaded lazily (it is only needed by `--confirm`).
 */
import type { Knex } from 'knex';
import type { Span, Statement } from '../../model.js';
import { knexMethodOf, type KnexBuilderKind } from './allow-list.js';
import { isKnexAst, knexRawOf, type KArg, type KCall, type KnexStatementAst } from './types.js';

export type KnexClient = 'pg' | 'sqlite3' | 'mysql2';

export interface KnexSql {
  /** One SQL statement as Knex would send it (bindings inlined); empty when unavailable. */
  readonly sql: string;
  /** The JS call it comes from. */
  readonly span: Span;
  /** Why Knex's SQL could not be built statically (dynamic values, a connection needed, ...). */
  readonly unavailable?: string;
}

class Unavailable extends Error {}

const instances = new Map<KnexClient, Promise<Knex>>();

function instance(client: KnexClient): Promise<Knex> {
  let p = instances.get(client);
  if (!p) {
    p = (async () => {
      const mod = await import('knex');
      const factory = (mod.knex ?? mod.default) as unknown as (config: Knex.Config) => Knex;
      const quiet = (): void => {};
      return factory({ client, useNullAsDefault: true, log: { warn: quiet, error: quiet, debug: quiet, deprecate: quiet } });
    })();
    instances.set(client, p);
  }
  return p;
}

/* The replay drives Knex's builders by method name; their static types cannot follow that. */
type Dyn = { [method: string]: (...args: unknown[]) => Dyn } & Record<string, unknown>;

/** A JSON value safe to hand to Knex: no `__proto__` key anywhere (Knex assigns keys it is given). */
function plainValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plainValue);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      if (key === '__proto__') throw new Unavailable('an object key `__proto__` is not replayed');
      out[key] = plainValue((v as Record<string, unknown>)[key]);
    }
    return out;
  }
  return v;
}

function toValue(k: Knex, arg: KArg): unknown {
  switch (arg.t) {
    case 'lit':
      return plainValue(arg.v);
    case 'undefined':
      return undefined;
    case 'array':
      return arg.items.map((a) => toValue(k, a));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, a] of arg.entries) {
        if (key === '__proto__') throw new Unavailable('an object key `__proto__` is not replayed');
        out[key] = toValue(k, a);
      }
      return out;
    }
    case 'callback':
      // Table-builder callbacks: each chain starts on the table builder, then a column builder.
      return function (this: unknown, builder: Dyn): void {
        for (const chain of arg.chains) replayChain(k, builder, chain, 'table');
      };
    case 'fn': {
      const args = arg.args.map((a) => toValue(k, a));
      if (arg.name === 'ref') return (k.ref as (...a: unknown[]) => unknown)(...args);
      const fn = knexMethodOf('fn', k.fn as unknown as object, arg.name);
      if (!fn) throw new Unavailable(`\`knex.fn.${arg.name}()\` is not a Knex function migralint replays`);
      return fn.apply(k.fn, args);
    }
    case 'raw':
      if (typeof arg.sql !== 'string') throw new Unavailable('the raw SQL is not a string');
      return arg.bindings ? k.raw(arg.sql, toValue(k, arg.bindings) as Knex.RawBinding[]) : k.raw(arg.sql);
    case 'query':
      return replayQuery(k, arg.calls);
    case 'dynamic':
      throw new Unavailable(`a value is known only at run time: \`${arg.text}\``);
    default:
      throw new Unavailable('an argument migralint cannot rebuild');
  }
}

const KIND_NAME: Record<KnexBuilderKind, string> = {
  schema: 'schema builder',
  table: 'table builder',
  column: 'column builder',
  query: 'query builder',
  fn: 'knex.fn',
};

/**
 * Replays `chain` on `start`. Only methods on the allow-list of the builder each call is made on
 * are looked up (`first` for the first call; a table builder's chain continues on a column
 * builder, a query builder's on itself).
 */
function replayChain(k: Knex, start: Dyn, chain: readonly KCall[], first: 'schema' | 'table' | 'query'): Dyn {
  let o = start;
  let kind: KnexBuilderKind = first;
  for (const c of chain) {
    const m = o !== null && (typeof o === 'object' || typeof o === 'function') ? knexMethodOf(kind, o, c.m) : undefined;
    if (!m) throw new Unavailable(`\`${String(c.m)}()\` is not a Knex ${KIND_NAME[kind]} method migralint replays`);
    o = m.apply(o, c.args.map((a) => toValue(k, a))) as Dyn;
    if (kind === 'table') kind = 'column';
  }
  return o;
}

function replayQuery(k: Knex, calls: readonly KCall[]): Dyn {
  return replayChain(k, k.queryBuilder() as unknown as Dyn, calls, 'query');
}

interface CompiledEntry {
  sql: string;
  bindings?: readonly unknown[];
  output?: unknown;
  statementsProducer?: unknown;
}

function format(k: Knex, e: CompiledEntry): string {
  if (e.bindings && e.bindings.length > 0) return k.raw(e.sql, e.bindings as Knex.RawBinding[]).toString();
  return e.sql;
}

function compileSchema(k: Knex, ast: KnexStatementAst): string[] {
  let b = k.schema as unknown as Dyn;
  if (ast.schema !== undefined) b = replayChain(k, b, [{ m: 'withSchema', args: [{ t: 'lit', v: ast.schema }] }], 'schema');
  const call = ast.calls[0];
  if (!call) return [];
  b = replayChain(k, b, [call], 'schema');
  const compiled = (b.toSQL as unknown as () => CompiledEntry[] | CompiledEntry).call(b);
  const entries = Array.isArray(compiled) ? compiled : [compiled];
  // SQLite: for `.alter()` and dropColumn Knex reads the table first and builds the real
  // statements from the result (an `output` or `statementsProducer` callback).
  if (entries.some((e) => (typeof e.output === 'function' || typeof e.statementsProducer === 'function') && /^\s*PRAGMA\b/i.test(e.sql))) {
    throw new Unavailable('Knex builds this SQLite statement only with a connection (it reads `PRAGMA table_info` and rebuilds the table)');
  }
  return entries.map((e) => format(k, e));
}

function compileQuery(k: Knex, ast: KnexStatementAst): string[] {
  const q = replayQuery(k, ast.calls);
  return [(q.toString as unknown as () => string).call(q)];
}

/**
 * Replays the Knex statements on a connection-less `knex({ client })`. Each statement gives one
 * entry per SQL statement Knex would run; raw SQL passes through (one entry per raw call); what
 * cannot be rebuilt gives one entry with `unavailable` set and empty `sql`.
 */
export async function knexToSql(statements: Statement[], client: KnexClient): Promise<KnexSql[]> {
  const k = await instance(client);
  const out: KnexSql[] = [];
  let lastRawId = -1;
  for (const stmt of statements) {
    const raw = knexRawOf(stmt);
    if (raw) {
      if (raw.id === lastRawId) continue;
      lastRawId = raw.id;
      if (!raw.bindings) {
        out.push({ sql: raw.sql, span: raw.span });
        continue;
      }
      try {
        const bindings = toValue(k, raw.bindings);
        out.push({ sql: k.raw(raw.sql, bindings as Knex.RawBinding[]).toString(), span: raw.span });
      } catch (err) {
        out.push({ sql: raw.sql, span: raw.span, unavailable: reasonOf(err) });
      }
      continue;
    }
    lastRawId = -1;
    const ast = stmt.ast;
    if (!isKnexAst(ast)) continue;
    if (ast.kind === 'unanalyzable' || ast.unavailable) {
      out.push({ sql: '', span: stmt.span, unavailable: ast.unavailable ?? 'not statically analyzable' });
      continue;
    }
    try {
      const sqls = ast.kind === 'schema' ? compileSchema(k, ast) : ast.kind === 'query' ? compileQuery(k, ast) : [];
      for (const sql of sqls) out.push({ sql, span: stmt.span });
    } catch (err) {
      out.push({ sql: '', span: stmt.span, unavailable: reasonOf(err) });
    }
  }
  return out;
}

function reasonOf(err: unknown): string {
  if (err instanceof Unavailable) return err.message;
  return `Knex could not build the SQL without a connection: ${err instanceof Error ? err.message : String(err)}`;
}
