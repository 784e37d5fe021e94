/**
 * The knex instance and its query builders: `knex('t').where(...).update(...)` chains are recorded
 * call by call and become update/insert/delete/truncate operations at their terminal method.
 */
import type { CallExpression, Expression } from 'oxc-parser';
import type { Operation, Predicate, TableRef } from '../../model.js';
import type { KCall } from './types.js';
import { isKnexApi } from './allow-list.js';
import { knexWhere } from './where-predicate.js';
import { arrayItems, hasProtoKey, objectKeys, splitTable } from './js-values.js';
import { isStaticString, type Scope, unknown, type QueryState, type Val } from './values.js';
import type { Interpreter } from './evaluator.js';

export const queryMethods = {
  knexMethod(this: Interpreter, call: CallExpression, name: string, scope: Scope): Val | null {
    switch (name) {
      case 'raw': {
        const args = this.evalArgs(call.arguments, scope);
        return { k: 'raw', raw: this.newRaw(call, call.start, args, false) };
      }
      case 'transaction': {
        const args = this.evalArgs(call.arguments, scope);
        const cb = args[0];
        if (cb && cb.k === 'fn') {
          this.runCallback(cb, [{ k: 'knex' }]);
          return unknown('a transaction result');
        }
        return { k: 'knex' };
      }
      case 'ref': {
        const args = this.evalArgs(call.arguments, scope);
        return { k: 'special', arg: { t: 'fn', name: 'ref', args: args.map((a, i) => this.karg(a, this.argNode(call, i))) } };
      }
      case 'commit':
      case 'rollback':
      case 'destroy':
      case 'initialize':
      case 'savepoint':
        this.evalArgs(call.arguments, scope);
        return unknown();
      default:
        if (QUERY_ENTRY.has(name)) {
          const q = this.newQuery(call.start);
          return this.queryMethod(call, q, name, scope);
        }
        this.evalArgs(call.arguments, scope);
        return unknown();
    }
  },

  newQuery(this: Interpreter, start: number): QueryState {
    return { start, end: start, table: null, calls: [], hasWhere: false, terminal: null };
  },

  /** `knex('users')`: a query builder on a table. */
  knexCall(this: Interpreter, call: CallExpression, scope: Scope): Val {
    const args = this.evalArgs(call.arguments, scope);
    const q = this.newQuery(call.start);
    q.end = call.end;
    q.calls.push({ m: 'table', args: args.map((a, i) => this.karg(a, this.argNode(call, i))) });
    q.table = args.length === 0 ? null : this.queryTable(args[0]!, this.argNode(call, 0));
    return { k: 'query', q };
  },

  queryTable(this: Interpreter, v: Val, node: Expression | undefined): TableRef | { reason: string } {
    if (isStaticString(v)) {
      const name = v.v.replace(/\s+as\s+\S+\s*$/i, '').trim();
      return splitTable(name);
    }
    if (v.k === 'object' && v.props.size === 1) {
      const only = [...v.props.values()][0]!;
      if (isStaticString(only)) return splitTable(only.v);
    }
    return { reason: `table name is not a static string: ${this.describe(node)}` };
  },

  queryMethod(this: Interpreter, call: CallExpression, q: QueryState, name: string, scope: Scope): Val {
    if (name === 'then' || name === 'catch' || name === 'finally') {
      const args = this.evalArgs(call.arguments, scope);
      for (const a of args) this.runCallback(a, [unknown('query result')]);
      return unknown('a query result');
    }
    const args = this.evalArgs(call.arguments, scope);
    if (name === 'toString' || name === 'toSQL' || name === 'toQuery') return unknown();
    if (QUERY_PASSTHROUGH.has(name)) {
      // Execution options: no part of the SQL.
      if (call.start === q.start) q.end = Math.max(q.end, call.end);
      return { k: 'query', q };
    }
    if (!isKnexApi('query', name) || args.some(hasProtoKey)) {
      // Never recorded for replay: a name such as `constructor` or `__lookupGetter__` would reach
      // JavaScript's Function through a real builder.
      this.foreignQueries.add(q);
      const why = isKnexApi('query', name) ? `an object key \`__proto__\` is passed to \`${name}()\`` : `\`${name}\` is not a Knex query builder method migralint knows`;
      this.emitUnanalyzable('knex.query', q.start, call.end, why);
      return unknown();
    }
    const kargs = args.map((a, i) => this.karg(a, this.argNode(call, i)));
    q.calls.push({ m: name, args: kargs });
    if (call.start === q.start) q.end = Math.max(q.end, call.end);
    if (/^(or|and)?where/i.test(name) || name === 'having') q.hasWhere = true;
    if ((name === 'table' || name === 'from' || name === 'into') && args[0]) {
      q.table = this.queryTable(args[0], this.argNode(call, 0));
    }
    if (name === 'withSchema' && isStaticString(args[0]) && q.table && 'name' in q.table) {
      q.table = { schema: args[0].v, name: q.table.name };
    }
    if (QUERY_TERMINALS.has(name) && q.terminal === null) {
      let columns: string[] | null = null;
      let columnsReason: string | undefined;
      let fromTable: TableRef | { reason: string } | null | undefined;
      if (name === 'update' || name === 'increment' || name === 'decrement') {
        const a0 = args[0];
        if (isStaticString(a0)) columns = [a0.v];
        else if (a0 && (a0.k === 'object' || (a0.k === 'lit' && a0.v !== null && typeof a0.v === 'object' && !Array.isArray(a0.v)))) {
          const keys = objectKeys(a0);
          if (keys.complete) columns = keys.keys;
          else columnsReason = `the updated columns are not all static: ${this.describe(this.argNode(call, 0))}`;
        } else {
          columnsReason = `the updated columns are known only at run time: ${this.describe(this.argNode(call, 0))}`;
        }
      } else if (name === 'insert' || name === 'upsert') {
        const a0 = args[0];
        if (a0 && a0.k === 'query') {
          fromTable = a0.q.table;
        } else if (a0) {
          const rows = arrayItems(a0) ?? [a0];
          const set = new Set<string>();
          let ok = rows.length > 0;
          for (const r of rows) {
            const keys = objectKeys(r);
            if (!keys.complete) ok = false;
            for (const k of keys.keys) set.add(k);
          }
          columns = ok ? [...set] : null;
        }
      }
      q.terminal = {
        method: name,
        columns,
        ...(columnsReason ? { columnsReason } : {}),
        ...(fromTable !== undefined ? { fromTable } : {}),
        loop: this.loop,
      };
      this.out.push({
        t: 'draft',
        start: q.start,
        end: q.end,
        type: `knex.query.${name === 'del' ? 'delete' : name}`,
        ops: [],
        ast: { source: 'knex', kind: 'query', calls: q.calls },
        query: q,
      });
    }
    return { k: 'query', q };
  },

  queryOps(this: Interpreter, q: QueryState, o: { start: number }): Operation[] {
    const span = this.span(o.start, q.end);
    const t = q.terminal;
    if (!t) return [];
    const sfx = t.loop ?? '';
    if (q.table === null) return [{ kind: 'unanalyzable', reason: 'the query has no static table name' + sfx, span }];
    if ('reason' in q.table) return [{ kind: 'unanalyzable', reason: q.table.reason + sfx, span }];
    const table = q.table;
    switch (t.method) {
      case 'update':
      case 'increment':
      case 'decrement':
        if (t.columns === null) return [{ kind: 'unanalyzable', reason: (t.columnsReason ?? 'the updated columns are known only at run time') + sfx, span }];
        return [{ kind: 'update', table, columns: t.columns, hasWhere: q.hasWhere, nullOnly: whereNullOnly(q.calls), ...whereOf(q), span }];
      case 'del':
      case 'delete':
        return [{ kind: 'delete', table, hasWhere: q.hasWhere, ...whereOf(q), span }];
      case 'truncate':
        return [{ kind: 'truncate', tables: [table], cascade: false, span }];
      default: {
        const from = t.fromTable;
        if (from && 'reason' in from) return [{ kind: 'unanalyzable', reason: from.reason + sfx, span }];
        return [
          {
            kind: 'insert',
            table,
            columns: t.columns,
            ...(from ? { fromTable: from, selectColumns: null } : {}),
            span,
          },
        ];
      }
    }
  },
};

/** The query's WHERE as a predicate, where it has one. */
function whereOf(q: QueryState): { where?: Predicate } {
  const where = q.hasWhere ? knexWhere(q.calls) : undefined;
  return where ? { where } : {};
}

/** `.whereNull('col')` as the query's only condition: the column it names. */
function whereNullOnly(calls: readonly KCall[]): string | undefined {
  const conditions = calls.filter((c) => /^(or|and)?where/i.test(c.m) || c.m === 'having');
  const only = conditions.length === 1 ? conditions[0]! : undefined;
  const arg = only?.m === 'whereNull' ? only.args[0] : undefined;
  return arg?.t === 'lit' && typeof arg.v === 'string' ? arg.v.split('.').pop() : undefined;
}

const QUERY_PASSTHROUGH = new Set(['transacting', 'connection', 'debug', 'timeout', 'queryContext', 'options', 'on']);
const QUERY_TERMINALS = new Set(['update', 'del', 'delete', 'insert', 'truncate', 'increment', 'decrement', 'upsert']);
const QUERY_ENTRY = new Set(['table', 'from', 'into', 'queryBuilder', 'select', 'insert', 'update', 'del', 'delete', 'with', 'withSchema', 'column', 'columns', 'distinct', 'first', 'count']);
