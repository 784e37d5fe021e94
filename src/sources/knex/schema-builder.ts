/**
 * `knex.schema.*` calls and the table builder handed to `createTable`/`alterTable` callbacks:
 * each schema call becomes one statement whose operations come from ./table.ts.
 */
import type { CallExpression, MemberExpression } from 'oxc-parser';
import type { Operation, TableRef } from '../../model.js';
import { columnCall, foreignCall, tableCall, tableOps, TableBuilderState } from './table.js';
import { firstDynamic, type KArg, type KCall } from './types.js';
import { isKnexApi } from './allow-list.js';
import { splitTable } from './js-values.js';
import { isStaticString, type Scope, unknown, type Val } from './values.js';
import type { Interpreter } from './evaluator.js';

export const schemaMethods = {
  schemaMethod(this: Interpreter, call: CallExpression, callee: MemberExpression, sv: Extract<Val, { k: 'schema' }>, name: string, scope: Scope): Val {
    const opStart = sv.chained ? this.chainedStart(callee) : call.start;
    if (name === 'withSchema') {
      const args = this.evalArgs(call.arguments, scope);
      const s = args[0];
      if (isStaticString(s)) return { k: 'schema', schema: s.v, chained: sv.chained };
      return { k: 'schema', badSchema: `the schema name is not a static string: ${this.describe(this.argNode(call, 0))}`, chained: sv.chained };
    }
    if (name === 'then' || name === 'catch' || name === 'finally') {
      const args = this.evalArgs(call.arguments, scope);
      for (const a of args) this.runCallback(a, [unknown('a schema query result')]);
      return unknown('a schema query result');
    }
    if (SCHEMA_PASSTHROUGH.has(name)) {
      this.evalArgs(call.arguments, scope);
      return sv;
    }
    if (SCHEMA_READS.has(name)) {
      this.evalArgs(call.arguments, scope);
      return unknown(`the result of ${name}()`);
    }
    const next: Val = { k: 'schema', ...(sv.schema !== undefined ? { schema: sv.schema } : {}), ...(sv.badSchema ? { badSchema: sv.badSchema } : {}), chained: true };
    const type = `knex.schema.${name}`;
    if (sv.badSchema) {
      this.evalArgs(call.arguments, scope);
      this.emitUnanalyzable(type, call.start, call.end, sv.badSchema, opStart);
      return next;
    }
    const args = this.evalArgs(call.arguments, scope);
    if (name === 'raw') {
      const raw = this.newRaw(call, opStart, args, true);
      this.emitRaw(raw);
      return next;
    }
    const opSpan = this.span(opStart, call.end);
    const astBase = { source: 'knex' as const, kind: 'schema' as const, ...(sv.schema !== undefined ? { schema: sv.schema } : {}) };
    const kargs = (): KArg[] => args.map((a, i) => this.karg(a, this.argNode(call, i)));
    const draft = (ops: Operation[], calls: KCall[], unavailable?: string | null): void => {
      this.out.push({
        t: 'draft',
        start: call.start,
        end: call.end,
        type,
        ops,
        ast: { ...astBase, calls, ...(unavailable ? { unavailable } : {}) },
      });
    };
    const tableOf = (i: number): TableRef | { reason: string } => {
      const v = args[i];
      if (!isStaticString(v)) return { reason: `table name is not a static string: ${this.describe(this.argNode(call, i))}` };
      const t = splitTable(v.v);
      return sv.schema !== undefined ? { schema: sv.schema, name: t.name } : t;
    };

    switch (name) {
      case 'createTable':
      case 'createTableIfNotExists':
      case 'createTableLike':
      case 'alterTable':
      case 'table': {
        const table = tableOf(0);
        if ('reason' in table) {
          this.emitUnanalyzable(type, call.start, call.end, table.reason, opStart);
          return next;
        }
        const mode = name === 'alterTable' || name === 'table' ? 'alter' : 'create';
        const cbIndex = name === 'createTableLike' ? 2 : 1;
        const tb = new TableBuilderState(this.file, table, mode, this.dialect, () => this.loop ?? '');
        // Push the statement first: statements the callback emits (rare) follow it.
        const index = this.out.length;
        draft([], []);
        const cb = args[cbIndex];
        if (cb && cb.k === 'fn') {
          const tbVal: Val = { k: 'tb', tb };
          this.invoke(call, cb, [tbVal], tbVal);
        } else if (cb && cb.k !== 'undef') {
          tb.unanalyzable(`the table callback is not a function defined in this file: ${this.describe(this.argNode(call, cbIndex))}`, call.start, call.end);
        }
        const ops = tableOps(tb, opSpan, name === 'createTableIfNotExists');
        const calls: KCall[] = [{ m: name, args: kargs().map((a, i) => (i === cbIndex && cb?.k === 'fn' ? { t: 'callback', chains: tb.chains } : a)) }];
        const dyn = calls[0]!.args.map(firstDynamic).find((d) => d !== null);
        const unavailable = tb.unavailable ?? (dyn ? `an argument is known only at run time: \`${dyn}\`` : null);
        const d = this.out[index]!;
        if (mode === 'alter' && ops.length === 0 && tb.chains.length === 0 && !unavailable) {
          // `knex.schema.table('x', (t) => {})` compiles to no SQL at all.
          this.out.splice(index, 1);
          return next;
        }
        if (d.t === 'draft') {
          d.ops = ops;
          d.ast = { ...astBase, calls, ...(unavailable ? { unavailable } : {}) };
        }
        return next;
      }
      case 'dropTable':
      case 'dropTableIfExists': {
        const table = tableOf(0);
        if ('reason' in table) {
          this.emitUnanalyzable(type, call.start, call.end, table.reason, opStart);
          return next;
        }
        draft([{ kind: 'drop-table', table, ifExists: name === 'dropTableIfExists', cascade: false, span: opSpan }], [{ m: name, args: kargs() }]);
        return next;
      }
      case 'renameTable': {
        const table = tableOf(0);
        const to = args[1];
        if ('reason' in table) {
          this.emitUnanalyzable(type, call.start, call.end, table.reason, opStart);
          return next;
        }
        if (!isStaticString(to)) {
          this.emitUnanalyzable(type, call.start, call.end, `the new table name is not a static string: ${this.describe(this.argNode(call, 1))}`, opStart);
          return next;
        }
        draft([{ kind: 'rename-table', table, to: to.v, span: opSpan }], [{ m: name, args: kargs() }]);
        return next;
      }
      default: {
        if (OTHER_SCHEMA_METHODS.has(name)) {
          for (const a of args) if (a.k === 'fn') this.runCallback(a, [unknown('a view builder')]);
          const ka = kargs();
          const hasCallback = args.some((a) => a.k === 'fn');
          const dyn = ka.map(firstDynamic).find((d) => d !== null);
          draft(
            [{ kind: 'other', statement: type, span: opSpan }],
            hasCallback ? [] : [{ m: name, args: ka }],
            hasCallback ? 'view builder callbacks are not replayed' : dyn ? `an argument is known only at run time: \`${dyn}\`` : null,
          );
          return next;
        }
        this.emitUnanalyzable(type, call.start, call.end, `\`${name}\` is not a Knex schema builder method migralint knows`, opStart);
        return next;
      }
    }
  },

  // ---------------------------------------------------------------- table builder

  tableMethod(
    this: Interpreter,
    call: CallExpression,
    tb: TableBuilderState,
    name: string,
    scope: Scope,
    on: Extract<Val, { k: 'col' } | { k: 'fk' }> | null,
    callee?: MemberExpression,
  ): Val {
    const args = this.evalArgs(call.arguments, scope);
    const site = { ...this.site(call, call.start), ...(callee && on ? { methodStart: this.chainedStart(callee) } : {}) };
    const kargs = args.map((a, i) => this.karg(a, this.argNode(call, i)));
    if (on && !isKnexApi('column', name)) {
      tb.unanalyzable(`\`${name}\` is not a Knex column builder method migralint knows`, call.start, call.end);
      return unknown();
    }
    if (on && on.k === 'col') {
      on.col.chain?.push({ m: name, args: kargs });
      // A method columnCall does not know (a plugin's) is kept for replay, with no operation.
      columnCall(on.col, name, args, site);
      return on;
    }
    if (on && on.k === 'fk') {
      on.chain?.push({ m: name, args: kargs });
      foreignCall(on.fk, name, args, site);
      return on;
    }
    const chain: KCall[] = [{ m: name, args: kargs }];
    const r = isKnexApi('table', name) ? tableCall(tb, name, args, site, chain) : null;
    if (r === null) {
      tb.unanalyzable(`\`${name}\` is not a Knex table builder method migralint knows`, call.start, call.end);
      return unknown();
    }
    tb.chains.push(chain);
    const dyn = kargs.map(firstDynamic).find((d) => d !== null);
    if (dyn) tb.unavailable ??= `an argument is known only at run time: \`${dyn}\``;
    return r;
  },
};

/** Knex schema builder methods that change something the normalized operations do not model. */
const OTHER_SCHEMA_METHODS = new Set([
  'createView', 'createViewOrReplace', 'createMaterializedView', 'refreshMaterializedView', 'dropView',
  'dropViewIfExists', 'dropMaterializedView', 'dropMaterializedViewIfExists', 'renameView', 'alterView', 'view',
  'createSchema', 'createSchemaIfNotExists', 'dropSchema', 'dropSchemaIfExists', 'createExtension',
  'createExtensionIfNotExists', 'dropExtension', 'dropExtensionIfExists',
]);
/** Schema builder methods that read or configure, and change nothing. */
const SCHEMA_PASSTHROUGH = new Set(['toString', 'toSQL', 'toQuery', 'debug', 'transacting', 'connection', 'queryContext', 'on', 'generateDdlCommands', 'options', 'timeout']);
const SCHEMA_READS = new Set(['hasTable', 'hasColumn', 'hasView']);
