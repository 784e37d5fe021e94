/**
 * The abstract values of the Knex static interpreter, and lexical scopes.
 */
import type {
  ArrowFunctionExpression,
  CallExpression,
  Expression,
  Function as FunctionNode,
} from 'oxc-parser';
import type { TableRef } from '../../model.js';
import type { SourceFile } from '../../model.js';
import type { Json, KArg, KCall } from './types.js';
import type { ColumnState, ForeignState, TableBuilderState } from './table.js';

export type FnNode = FunctionNode | ArrowFunctionExpression;

/**
 * Another module of the project, read statically (./imports.ts): its file, and how its own
 * relative imports are read (the same loader, resolved from its path).
 */
export interface ForeignModule {
  readonly file: SourceFile;
  readonly load: (specifier: string, fromPath: string) => ReadonlyMap<string, Val> | null;
}

/** Where a static string was written: literal contents, in source order (a concatenation has several). */
export interface LitPiece {
  /** Content offsets (quotes excluded). */
  readonly start: number;
  readonly end: number;
  readonly template: boolean;
}

/** A `knex.raw(...)` / `knex.schema.raw(...)` call, run when awaited, returned or chained on. */
export interface RawVal {
  readonly call: CallExpression;
  /** Span start of the op (after the dot for a chained `.raw`). */
  readonly opStart: number;
  readonly sqlNode: Expression | undefined;
  readonly sql: Val | undefined;
  readonly bindingsNode: Expression | undefined;
  readonly bindings: Val | undefined;
  readonly viaSchema: boolean;
  emitted: boolean;
}

export interface QueryState {
  /** Start of the chain (`knex` in `knex('t').update(...)`). */
  readonly start: number;
  end: number;
  table: TableRef | { reason: string } | null;
  readonly calls: KCall[];
  hasWhere: boolean;
  /** Set once a terminal method (update, insert, del, truncate, ...) made it a statement. */
  terminal: null | {
    readonly method: string;
    readonly columns: string[] | null;
    readonly columnsReason?: string;
    readonly fromTable?: TableRef | { reason: string } | null;
    readonly loop: string | null;
  };
}

export type Val =
  | { readonly k: 'unknown'; readonly why?: string }
  | { readonly k: 'lit'; readonly v: Json; readonly pieces?: readonly LitPiece[] }
  | { readonly k: 'undef' }
  | { readonly k: 'array'; readonly items: Val[] }
  | { readonly k: 'object'; readonly props: Map<string, Val>; readonly complete: boolean }
  | { readonly k: 'fn'; readonly node: FnNode; readonly scope: Scope; readonly thisVal: Val | null; readonly name?: string }
  /**
   * A function another module exports (`import { isPostgres } from '../db'`): its node and scope
   * belong to that module's file, so a call interprets it there (./foreign-calls.ts).
   */
  | { readonly k: 'foreignFn'; readonly fn: Extract<Val, { k: 'fn' }>; readonly module: ForeignModule; readonly name?: string }
  | { readonly k: 'knex' }
  | { readonly k: 'knexFn' }
  /** `knex.client`, `knex.client.config`. */
  | { readonly k: 'knexClient' }
  | { readonly k: 'knexClientConfig' }
  /** `knex.client.config.client` / `knex.client.dialect`: the client name, of the set's dialect. */
  | { readonly k: 'dialectName' }
  /** A value Knex builds for the SQL (`knex.fn.now()`), usable as an argument. */
  | { readonly k: 'special'; readonly arg: KArg }
  | { readonly k: 'raw'; readonly raw: RawVal }
  /** `knex.schema`, possibly after `withSchema(...)`; `chained` once a method ran on it. */
  | { readonly k: 'schema'; readonly schema?: string; readonly badSchema?: string; readonly chained: boolean }
  | { readonly k: 'query'; readonly q: QueryState }
  | { readonly k: 'tb'; readonly tb: TableBuilderState }
  | { readonly k: 'col'; readonly col: ColumnState; readonly tb: TableBuilderState }
  | { readonly k: 'fk'; readonly fk: ForeignState; readonly tb: TableBuilderState; readonly chain: KCall[] | null };

/** Values the caller's own knex instance is known by: file-independent, safe to hand between modules. */
export const KNEX_VALUES: readonly Val['k'][] = ['knex', 'knexClient', 'knexClientConfig'];

/**
 * A value carried from one module's interpreter to another's: static data (without the offsets
 * of where its strings are written, which belong to the other file), and functions of `owner`,
 * which become foreign functions of it (./foreign-calls.ts). `calls`: a call's arguments and
 * result, where unknown values, dialect names and the knex instance and its client cross too;
 * otherwise a module's exports, where only constants and functions do. Anything else crosses as
 * an unknown value that says what it was.
 */
export function crossModules(v: Val, owner: ForeignModule | null, calls: boolean, depth = 0): Val {
  if (depth > 20) return unknown();
  switch (v.k) {
    case 'lit':
      return { k: 'lit', v: v.v };
    case 'undef':
    case 'foreignFn':
      return v;
    case 'array':
      return { k: 'array', items: v.items.map((it) => crossModules(it, owner, calls, depth + 1)) };
    case 'object':
      return { k: 'object', props: new Map([...v.props].map(([k, pv]) => [k, crossModules(pv, owner, calls, depth + 1)])), complete: v.complete };
    case 'fn':
      return owner ? { k: 'foreignFn', fn: v, module: owner, ...(v.name ? { name: v.name } : {}) } : unknown(calls ? 'a function of another module' : 'a function of a module with syntax errors');
    default:
      if (!calls) return unknown('not a constant of the imported module');
      return v.k === 'unknown' || v.k === 'dialectName' || KNEX_VALUES.includes(v.k) ? v : unknown(`a ${v.k} value of another module`);
  }
}

/** Thrown when a function is too costly to interpret (deep call graphs, huge unrolls). */
export class InterpretBudgetExceeded extends Error {}

export const UNKNOWN: Val = { k: 'unknown' };
export const UNDEF: Val = { k: 'undef' };

export function unknown(why?: string): Val {
  return why ? { k: 'unknown', why } : UNKNOWN;
}

export function isStaticString(v: Val | undefined): v is { k: 'lit'; v: string; pieces?: readonly LitPiece[] } {
  return v !== undefined && v.k === 'lit' && typeof v.v === 'string';
}

/** The JSON value of a fully static value, or undefined. */
export function staticJson(v: Val): Json | undefined {
  switch (v.k) {
    case 'lit':
      return v.v;
    case 'array': {
      const out: Json[] = [];
      for (const it of v.items) {
        const j = staticJson(it);
        if (j === undefined) return undefined;
        out.push(j);
      }
      return out;
    }
    case 'object': {
      if (!v.complete) return undefined;
      const out: { [k: string]: Json } = {};
      for (const [key, it] of v.props) {
        // `out.__proto__ = j` would set the prototype, not a key: such an object is not plain data.
        if (key === '__proto__') return undefined;
        const j = staticJson(it);
        if (j === undefined) return undefined;
        out[key] = j;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** A list of static strings: `'a'`, `['a', 'b']`. Null when not static. */
export function staticStrings(v: Val | undefined): string[] | null {
  if (v === undefined) return null;
  if (isStaticString(v)) return [v.v];
  if (v.k === 'array') {
    const out: string[] = [];
    for (const it of v.items) {
      if (!isStaticString(it)) return null;
      out.push(it.v);
    }
    return out;
  }
  if (v.k === 'lit' && Array.isArray(v.v) && v.v.every((x) => typeof x === 'string')) return v.v as string[];
  return null;
}

interface Binding {
  val: Val;
}

export class Scope {
  private readonly vars = new Map<string, Binding>();
  /** A module's top level once it was read: its functions, called from elsewhere, may not write it. */
  private frozen = false;
  constructor(readonly parent: Scope | null) {}

  freeze(): void {
    this.frozen = true;
  }

  declare(name: string, val: Val): void {
    this.vars.set(name, { val });
  }

  lookup(name: string): Val | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      const b = s.vars.get(name);
      if (b) return b.val;
    }
    return undefined;
  }

  /**
   * `name = val`: updates the nearest binding (a static value becomes unknown: flow is not
   * tracked). False when that binding is in a frozen scope (left as it is) or there is none (a
   * global): a write the caller counts as a side effect.
   */
  assign(name: string, val: Val): boolean {
    for (let s: Scope | null = this; s; s = s.parent) {
      const b = s.vars.get(name);
      if (b) {
        if (s.frozen) return false;
        b.val = val.k === 'lit' || val.k === 'array' || val.k === 'object' ? unknown(`\`${name}\` is reassigned`) : val;
        return true;
      }
    }
    return false;
  }
}

/** Client names Knex users compare against, per dialect. */
const CLIENT_NAMES: Record<string, readonly string[]> = {
  postgres: ['pg', 'postgres', 'postgresql', 'pgnative', 'pg-native', 'cockroachdb'],
  sqlite: ['sqlite3', 'sqlite', 'better-sqlite3'],
  mysql: ['mysql', 'mysql2', 'mariadb'],
};

/**
 * Whether the client name of `dialect` relates to `s` by `test` (equality, includes,
 * startsWith): true or false when every client name of every dialect agrees, else null.
 */
export function clientNameTest(dialect: string, s: string, test: (name: string, s: string) => boolean): boolean | null {
  const mine = (CLIENT_NAMES[dialect] ?? []).some((n) => test(n, s.toLowerCase()));
  const others = Object.entries(CLIENT_NAMES).some(([d, names]) => d !== dialect && names.some((n) => test(n, s.toLowerCase())));
  if (mine && !others) return true;
  if (!mine && others) return false;
  if (!mine && !others && test === clientEquals) return false;
  return null;
}

export const clientEquals = (name: string, s: string): boolean => name === s;

/** JS truthiness of a value, or null when unknown. */
export function truthy(v: Val): boolean | null {
  switch (v.k) {
    case 'lit':
      return Array.isArray(v.v) || (v.v !== null && typeof v.v === 'object') ? true : Boolean(v.v);
    case 'undef':
      return false;
    case 'unknown':
    case 'dialectName':
      return v.k === 'dialectName' ? true : null;
    default:
      return true;
  }
}
