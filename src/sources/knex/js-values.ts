/**
 * Plain-JS semantics the interpreter needs on abstract values: member access, array/string/object
 * built-ins, and small AST helpers. No Knex knowledge beyond what the knex instance's members are.
 */
import type { ArrowFunctionExpression, Expression, Function as FunctionNode } from 'oxc-parser';
import type { TableRef } from '../../model.js';
import type { Json } from './types.js';
import { isStaticString, UNDEF, unknown, type Val } from './values.js';

export const MAX_UNROLL = 200;
export const MAX_DEPTH = 24;
export const ITERATION_METHODS = new Set([
  'forEach', 'map', 'flatMap', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast',
  'each', 'eachSeries', 'eachLimit', 'mapSeries', 'mapLimit', 'forEachSeries', 'forEachLimit', 'times', 'timesSeries',
]);

export function isFunctionNode(node: Expression): node is FunctionNode | ArrowFunctionExpression {
  return node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

/** Strips TS-only wrappers, parentheses and optional-chain wrappers. */
export function unwrap(node: Expression): Expression {
  let n: Expression = node;
  for (;;) {
    switch (n.type) {
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
      case 'TSTypeAssertion':
      case 'TSInstantiationExpression':
      case 'ParenthesizedExpression':
        n = n.expression;
        break;
      case 'ChainExpression':
        n = n.expression as Expression;
        break;
      default:
        return n;
    }
  }
}

/** A Knex object migralint models (knex, its schema/table/column/query builders, knex.fn, raw). */
export function isBuilder(v: Val): boolean {
  const builders: readonly string[] = ['knex', 'schema', 'tb', 'col', 'fk', 'query', 'knexFn', 'raw', 'knexClient', 'knexClientConfig'];
  return builders.includes(v.k);
}

/** An object (at any depth) with a `__proto__` key: not plain data for Knex. */
export function hasProtoKey(v: Val): boolean {
  if (v.k === 'object') return v.props.has('__proto__') || [...v.props.values()].some(hasProtoKey);
  if (v.k === 'array') return v.items.some(hasProtoKey);
  return false;
}

export function isKnexish(v: Val): v is Extract<Val, { k: 'knex' | 'tb' | 'col' | 'fk' | 'schema' }> {
  return v.k === 'knex' || v.k === 'tb' || v.k === 'col' || v.k === 'fk' || (v.k === 'schema' && !v.chained);
}

/** Items of a static array value. */
export function arrayItems(v: Val): Val[] | null {
  if (v.k === 'array') return v.items;
  if (v.k === 'lit' && Array.isArray(v.v)) return v.v.map((j) => ({ k: 'lit', v: j }) as Val);
  return null;
}

export function objectKeys(v: Val): { keys: string[]; complete: boolean } {
  if (v.k === 'object') return { keys: [...v.props.keys()], complete: v.complete };
  if (v.k === 'lit' && v.v !== null && typeof v.v === 'object' && !Array.isArray(v.v)) return { keys: Object.keys(v.v), complete: true };
  return { keys: [], complete: false };
}

export function splitTable(name: string): TableRef {
  const dot = name.indexOf('.');
  if (dot > 0 && dot < name.length - 1) return { schema: name.slice(0, dot), name: name.slice(dot + 1) };
  return { name };
}

export function stringMethod(s: string, name: string, args: Val[]): Val {
  const a0 = args[0];
  switch (name) {
    case 'toLowerCase':
      return { k: 'lit', v: s.toLowerCase() };
    case 'toUpperCase':
      return { k: 'lit', v: s.toUpperCase() };
    case 'trim':
      return { k: 'lit', v: s.trim() };
    case 'concat':
      return args.every(isStaticString) ? { k: 'lit', v: s + args.map((a) => (a as { v: string }).v).join('') } : unknown();
    case 'split':
      return isStaticString(a0) ? { k: 'lit', v: s.split(a0.v) } : unknown();
    default:
      return unknown();
  }
}

export function arrayMethod(items: Val[], name: string, args: Val[]): Val {
  switch (name) {
    case 'join': {
      const sep = args[0] && isStaticString(args[0]) ? args[0].v : ',';
      if (!items.every((i) => i.k === 'lit' && (typeof i.v === 'string' || typeof i.v === 'number'))) return unknown();
      return { k: 'lit', v: items.map((i) => String((i as { v: Json }).v)).join(sep) };
    }
    case 'concat': {
      const out = [...items];
      for (const a of args) {
        const its = arrayItems(a);
        if (its === null) out.push(a);
        else out.push(...its);
      }
      return { k: 'array', items: out };
    }
    case 'includes': {
      const a0 = args[0];
      if (!a0 || a0.k !== 'lit' || !items.every((i) => i.k === 'lit')) return unknown();
      return { k: 'lit', v: items.some((i) => (i as { v: Json }).v === a0.v) };
    }
    case 'slice': {
      const s = args[0]?.k === 'lit' && typeof args[0].v === 'number' ? args[0].v : 0;
      const e = args[1]?.k === 'lit' && typeof args[1].v === 'number' ? args[1].v : undefined;
      return { k: 'array', items: items.slice(s, e) };
    }
    default:
      return unknown();
  }
}

export function objectListing(name: string, obj: Val | undefined): Val {
  let entries: [string, Val][] | null = null;
  if (obj?.k === 'object' && obj.complete) entries = [...obj.props];
  else if (obj?.k === 'lit' && obj.v !== null && typeof obj.v === 'object' && !Array.isArray(obj.v)) {
    entries = Object.entries(obj.v).map(([k, j]) => [k, { k: 'lit', v: j }]);
  }
  if (entries === null) return unknown();
  if (name === 'Object.keys') return { k: 'array', items: entries.map(([k]) => ({ k: 'lit', v: k }) as Val) };
  if (name === 'Object.values') return { k: 'array', items: entries.map(([, v]) => v) };
  return { k: 'array', items: entries.map(([k, v]) => ({ k: 'array', items: [{ k: 'lit', v: k } as Val, v] }) as Val) };
}

/** Source text on one line, shortened for messages. */
export function short(text: string, max = 40): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 3) + '...' : t;
}

/** `obj[name]` on an abstract value. */
export function memberOf(obj: Val, name: string): Val {
  switch (obj.k) {
    case 'knex':
      if (name === 'schema') return { k: 'schema', chained: false };
      if (name === 'fn') return { k: 'knexFn' };
      if (name === 'client') return { k: 'knexClient' };
      return unknown();
    case 'knexClient':
      if (name === 'config') return { k: 'knexClientConfig' };
      if (name === 'dialect' || name === 'driverName') return { k: 'dialectName' };
      return unknown();
    case 'knexClientConfig':
      return name === 'client' ? { k: 'dialectName' } : unknown();
    case 'object':
      return obj.props.get(name) ?? (obj.complete ? UNDEF : unknown());
    case 'array': {
      if (name === 'length') return { k: 'lit', v: obj.items.length };
      const i = Number(name);
      return Number.isInteger(i) ? (obj.items[i] ?? UNDEF) : unknown();
    }
    case 'lit': {
      const v = obj.v;
      if (Array.isArray(v)) {
        if (name === 'length') return { k: 'lit', v: v.length };
        const j = v[Number(name)];
        return j === undefined ? UNDEF : { k: 'lit', v: j };
      }
      if (v !== null && typeof v === 'object') {
        // Own keys only: `({}).constructor` must not hand out JavaScript's Object function.
        const j = Object.hasOwn(v, name) ? v[name] : undefined;
        return j === undefined ? UNDEF : { k: 'lit', v: j };
      }
      if (typeof v === 'string' && name === 'length') return { k: 'lit', v: v.length };
      return unknown();
    }
    default:
      return unknown();
  }
}
