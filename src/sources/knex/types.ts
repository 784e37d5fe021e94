/**
 * Serialisable descriptions of the Knex builder calls the static interpreter extracted. They ride
 * on `Statement.ast` so that `knexToSql` can replay them on a connection-less `knex({ client })`
 * and get the SQL Knex itself would run.
 */
import type { Span, Statement } from '../../model.js';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One argument of a recorded builder call. */
export type KArg =
  /** A fully static value. */
  | { readonly t: 'lit'; readonly v: Json }
  | { readonly t: 'undefined' }
  /** An array or object holding at least one non-literal value. */
  | { readonly t: 'array'; readonly items: KArg[] }
  | { readonly t: 'object'; readonly entries: [string, KArg][] }
  /** A table-builder callback, recorded as the call chains made on the builder. */
  | { readonly t: 'callback'; readonly chains: KCall[][] }
  /** `knex.fn.now(precision?)`, `knex.fn.uuid()`, `knex.fn.uuidToBin(...)`, ... */
  | { readonly t: 'fn'; readonly name: string; readonly args: KArg[] }
  /** `knex.raw(sql, bindings?)` used as a value. */
  | { readonly t: 'raw'; readonly sql: string; readonly bindings?: KArg }
  /** A sub-query builder, recorded as its call chain (first call on `knex`). */
  | { readonly t: 'query'; readonly calls: KCall[] }
  /** A value known only at run time; `text` is its source text. */
  | { readonly t: 'dynamic'; readonly text: string };

export interface KCall {
  readonly m: string;
  readonly args: KArg[];
}

/** `Statement.ast` of the statements the Knex interpreter builds itself. */
export interface KnexStatementAst {
  readonly source: 'knex';
  /**
   * `schema`: one `knex.schema.<method>(...)` call (calls[0]), replayed on `knex.schema`.
   * `query`: a query-builder chain; calls[0] is the call made on `knex` itself
   *   (`knex('t')` is recorded as `{ m: 'table', args: ['t'] }`).
   * `raw`: a `knex.raw`/`knex.schema.raw` whose SQL the SQL parser found no statement in.
   * `unanalyzable`: a call the interpreter could not resolve; nothing to replay.
   * `none`: code that runs no SQL but is part of the migration (a deliberate `throw`, a
   *   migration that does nothing for this client); nothing to replay.
   */
  readonly kind: 'schema' | 'query' | 'raw' | 'unanalyzable' | 'none';
  readonly schema?: string;
  readonly calls: KCall[];
  readonly raw?: KnexRawInfo;
  /** Why the calls cannot be replayed faithfully (dynamic arguments, loops, ...). */
  readonly unavailable?: string;
}

/** The SQL of a `knex.raw(...)` / `knex.schema.raw(...)` call. */
export interface KnexRawInfo {
  /** Same id on every statement parsed out of one raw call. */
  readonly id: number;
  /** The SQL exactly as the JS string evaluates (escapes decoded). */
  readonly sql: string;
  /** The bindings argument, when one was given. */
  readonly bindings?: KArg;
  /** Span of the whole `knex.raw(...)` call. */
  readonly span: Span;
}

/** A statement the SQL parser produced out of a `knex.raw` string, with the raw call attached. */
export interface KnexRawStatement extends Statement {
  readonly knexRaw: KnexRawInfo;
}

export function isKnexAst(ast: unknown): ast is KnexStatementAst {
  return typeof ast === 'object' && ast !== null && (ast as { source?: unknown }).source === 'knex';
}

export function knexRawOf(stmt: Statement): KnexRawInfo | undefined {
  const raw = (stmt as Partial<KnexRawStatement>).knexRaw;
  if (raw) return raw;
  return isKnexAst(stmt.ast) ? stmt.ast.raw : undefined;
}

/** First `dynamic` value inside an argument, if any. */
export function firstDynamic(arg: KArg): string | null {
  switch (arg.t) {
    case 'dynamic':
      return arg.text;
    case 'array':
      for (const a of arg.items) {
        const d = firstDynamic(a);
        if (d !== null) return d;
      }
      return null;
    case 'object':
      for (const [, a] of arg.entries) {
        const d = firstDynamic(a);
        if (d !== null) return d;
      }
      return null;
    case 'callback':
      for (const chain of arg.chains) for (const c of chain) for (const a of c.args) {
        const d = firstDynamic(a);
        if (d !== null) return d;
      }
      return null;
    case 'fn':
      for (const a of arg.args) {
        const d = firstDynamic(a);
        if (d !== null) return d;
      }
      return null;
    case 'raw':
      return arg.bindings ? firstDynamic(arg.bindings) : null;
    case 'query':
      for (const c of arg.calls) for (const a of c.args) {
        const d = firstDynamic(a);
        if (d !== null) return d;
      }
      return null;
    default:
      return null;
  }
}
