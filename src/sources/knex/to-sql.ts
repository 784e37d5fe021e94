/**
 * The SQL Knex itself would run for the statements the static interpreter extracted: the recorded
 * builder calls are replayed on a `knex({ client })` with no connection and compiled with
 * `.toSQL()`. Raw SQL passes through. `knex` is loaded lazily (it is only needed by `--confirm`).
 */
import type { Knex } from 'knex';
import type { Span, Statement } from '../../model.js';
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

function toValue(k: Knex, arg: KArg): unknown {
  switch (arg.t) {
    case 'lit':
      return structuredClone(arg.v);
    case 'undefined':
      return undefined;
    case 'array':
      return arg.items.map((a) => toValue(k, a));
    case 'object':
      return Object.fromEntries(arg.entries.map(([key, a]) => [key, toValue(k, a)]));
    case 'callback':
      return function (this: unknown, builder: Dyn): void {
        for (const chain of arg.chains) replayChain(k, builder, chain);
      };
    case 'fn': {
      const args = arg.args.map((a) => toValue(k, a));
      if (arg.name === 'ref') return (k.ref as (...a: unknown[]) => unknown)(...args);
      const fn = (k.fn as unknown as Record<string, unknown>)[arg.name];
      if (typeof fn !== 'function') throw new Unavailable(`knex.fn.${arg.name}() is not available`);
      return (fn as (...a: unknown[]) => unknown).apply(k.fn, args);
    }
    case 'raw':
      return arg.bindings ? k.raw(arg.sql, toValue(k, arg.bindings) as Knex.RawBinding[]) : k.raw(arg.sql);
    case 'query':
      return replayQuery(k, arg.calls);
    case 'dynamic':
      throw new Unavailable(`a value is known only at run time: \`${arg.text}\``);
  }
}

function replayChain(k: Knex, start: Dyn, chain: readonly KCall[]): Dyn {
  let o = start;
  for (const c of chain) {
    const m = o[c.m];
    if (typeof m !== 'function') throw new Unavailable(`Knex has no \`${c.m}()\` here`);
    o = m.apply(o, c.args.map((a) => toValue(k, a)));
  }
  return o;
}

function replayQuery(k: Knex, calls: readonly KCall[]): Dyn {
  return replayChain(k, k.queryBuilder() as unknown as Dyn, calls);
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
  if (ast.schema !== undefined) b = b.withSchema!(ast.schema);
  const call = ast.calls[0];
  if (!call) return [];
  b = replayChain(k, b, [call]);
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
