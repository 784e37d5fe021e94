/**
 * `knex.raw(sql, bindings)` and `knex.schema.raw(...)`: the SQL string is resolved statically,
 * bindings substituted, and parsed with the dialect's SQL parser (offsets kept aligned with the
 * JS file where the SQL is written in one place).
 */
import type { CallExpression, Expression } from 'oxc-parser';
import type { Span, Statement } from '../../model.js';
import { cookJsString, offsetsOf, renderAligned, substituteBindings, unitsText, type BindingsShape, type BindingValues, type CookedUnit, type RawOffsets } from './raw.js';
import type { Json } from './types.js';
import type { KnexRawInfo } from './types.js';
import { arrayItems, unwrap } from './js-values.js';
import { isStaticString, staticJson, type LitPiece, type RawVal, type Scope, unknown, type Val } from './values.js';
import type { Interpreter } from './evaluator.js';

export const rawMethods = {
  newRaw(this: Interpreter, call: CallExpression, opStart: number, args: Val[], viaSchema: boolean): RawVal {
    return {
      call,
      opStart,
      sqlNode: this.argNode(call, 0),
      sql: args[0],
      bindingsNode: this.argNode(call, 1),
      bindings: args[1],
      viaSchema,
      emitted: false,
    };
  },

  rawMethod(this: Interpreter, call: CallExpression, obj: Extract<Val, { k: 'raw' }>, name: string, scope: Scope): Val {
    const args = this.evalArgs(call.arguments, scope);
    if (name === 'then' || name === 'catch' || name === 'finally') {
      this.emitRaw(obj.raw);
      for (const a of args) this.runCallback(a, [unknown('query result')]);
      return unknown('a query result');
    }
    if (name === 'transacting' || name === 'wrap' || name === 'timeout' || name === 'options' || name === 'debug' || name === 'queryContext') {
      return obj;
    }
    return unknown();
  },

  sqlReason(this: Interpreter, node: Expression | undefined, v: Val | undefined): string {
    if (!node) return 'the SQL argument is missing';
    const n = unwrap(node);
    if (n.type === 'TemplateLiteral') return 'the SQL is built at run time (a template literal with `${...}`)';
    if (n.type === 'BinaryExpression') return 'the SQL is built at run time (string concatenation with a run-time value)';
    if (n.type === 'Identifier') {
      const why = v && v.k === 'unknown' && v.why ? ` (${v.why})` : '';
      return `the SQL comes from \`${n.name}\`, which is not a constant string in this file${why}`;
    }
    if (n.type === 'CallExpression') return `the SQL is built at run time by ${this.describe(n.callee)}`;
    return `the SQL is not a static string: ${this.describe(n)}`;
  },

  emitRaw(this: Interpreter, raw: RawVal): void {
    if (raw.emitted) return;
    raw.emitted = true;
    const type = raw.viaSchema ? 'knex.schema.raw' : 'knex.raw';
    const start = raw.opStart;
    const end = raw.call.end;
    const sqlVal = raw.sql;
    if (!isStaticString(sqlVal)) {
      this.emitUnanalyzable(type, start, end, this.sqlReason(raw.sqlNode, sqlVal));
      return;
    }
    const id = ++this.rawIds;
    const info: KnexRawInfo = {
      id,
      sql: sqlVal.v,
      ...(raw.bindings !== undefined && raw.bindings.k !== 'undef' ? { bindings: this.karg(raw.bindings, raw.bindingsNode) } : {}),
      span: this.span(start, end),
    };
    const shape = this.bindingsShape(raw.bindings, sqlVal.v);
    const prepared = this.prepareSql(sqlVal, shape, raw.sqlNode, this.bindingValues(raw.bindings));
    if ('error' in prepared) {
      this.emitUnanalyzable(type, start, end, prepared.error);
      return;
    }
    let stmts = prepared.offsets ? this.parseRawSql(prepared.sql, prepared.span, prepared.offsets) : this.parseRawSql(prepared.sql, prepared.span);
    if (prepared.coarse) {
      // The SQL is not written contiguously in the file: every span points at the SQL argument.
      const sp = prepared.span;
      stmts = stmts.map((s) => ({ ...s, span: sp, ops: s.ops.map((op) => ({ ...op, span: sp })) }));
    }
    if (stmts.length === 0) {
      this.out.push({ t: 'draft', start, end, type, ops: [], ast: { source: 'knex', kind: 'raw', calls: [], raw: info } });
      return;
    }
    for (const s of stmts) this.out.push({ t: 'final', stmt: { ...s, knexRaw: info } as Statement });
  },

  bindingsShape(this: Interpreter, b: Val | undefined, sql: string): BindingsShape {
    if (b === undefined || b.k === 'undef') return { kind: 'none' };
    if (arrayItems(b) !== null) return { kind: 'positional' };
    if (b.k === 'object') return { kind: 'named', keys: b.complete ? new Set(b.props.keys()) : null };
    if (b.k === 'lit' && b.v !== null && typeof b.v === 'object') return { kind: 'named', keys: new Set(Object.keys(b.v)) };
    if (b.k === 'lit' || b.k === 'special' || b.k === 'raw') return { kind: 'positional' }; // a single binding
    return /(^|[^\\])\?/.test(sql) ? { kind: 'positional' } : { kind: 'named', keys: null };
  },

  /** Static values of a raw call's bindings, by position or by name (`undefined` where unknown). */
  bindingValues(this: Interpreter, b: Val | undefined): BindingValues | undefined {
    if (b === undefined || b.k === 'undef') return undefined;
    const items = arrayItems(b);
    if (items !== null) return items.map((it) => staticJson(it));
    if (b.k === 'object') return new Map<string, Json | undefined>([...b.props].map(([k, v]) => [k, staticJson(v)]));
    if (b.k === 'lit' && b.v !== null && typeof b.v === 'object') return new Map(Object.entries(b.v));
    if (b.k === 'lit') return [b.v];
    return undefined;
  },

  /** The SQL to parse, aligned with the file where possible. */
  prepareSql(
    this: Interpreter,
    v: { v: string; pieces?: readonly LitPiece[] },
    shape: BindingsShape,
    node: Expression | undefined,
    values?: BindingValues,
  ): { sql: string; span: Span; coarse: boolean; offsets?: RawOffsets } | { error: string } {
    const pg = this.dialect === 'postgres';
    const quote = this.dialect === 'mysql' ? '`' : '"';
    const pieces = v.pieces;
    const text = this.file.text;
    let units: CookedUnit[] | null = null;
    let start = 0;
    let end = 0;
    if (pieces && pieces.length > 0 && this.piecesContiguous(pieces)) {
      units = [];
      for (const p of pieces) units.push(...cookJsString(text, p.start, p.end, p.template));
      start = pieces[0]!.start;
      end = pieces[pieces.length - 1]!.end;
      if (unitsText(units) !== v.v) units = null;
    }
    if (units === null) {
      // Not written in one place: synthesize units over the argument's span, coarse offsets.
      const sp = node ? { start: node.start, end: node.end } : { start: 0, end: 0 };
      const synthetic: CookedUnit[] = [...v.v].map((ch) => ({ text: ch, rawStart: sp.start, rawEnd: sp.start }));
      const sub = substituteBindings(synthetic.map((u, i) => ({ ...u, rawStart: i, rawEnd: i + u.text.length })), shape, pg, values, quote);
      if ('error' in sub) return sub;
      // Padded to the argument's length when shorter, so offsets stay inside the argument.
      const sql = unitsText(sub.units);
      const width = sp.end - sp.start;
      return { sql: sql.length < width ? sql + ' '.repeat(width - sql.length) : sql, span: this.span(sp.start, sp.end), coarse: true };
    }
    const sub = substituteBindings(units, shape, pg, values, quote);
    if ('error' in sub) return sub;
    if (sub.widened) {
      // Inlined binding values are wider than their placeholders: parsed alone, spans mapped back.
      return { sql: unitsText(sub.units), span: this.span(start, end), coarse: false, offsets: offsetsOf(sub.units) };
    }
    return { sql: renderAligned(sub.units, text, start, end), span: this.span(start, end), coarse: false };
  },

  /**
   * Literal pieces of a concatenation can be parsed in place when they are in source order, only
   * quotes, `+`, whitespace and parentheses lie between them, and no SQL word is split across two.
   */
  piecesContiguous(this: Interpreter, pieces: readonly LitPiece[]): boolean {
    const text = this.file.text;
    for (let i = 1; i < pieces.length; i++) {
      const a = pieces[i - 1]!;
      const b = pieces[i]!;
      if (b.start < a.end) return false;
      const gap = text.slice(a.end, b.start);
      if (!/^['"`][\s()+]*['"`]$/.test(gap) || !gap.includes('+')) return false;
      const last = text[a.end - 1] ?? ' ';
      const first = text[b.start] ?? ' ';
      const joinable = (c: string): boolean => /[\s,;()=]/.test(c);
      if (a.end > a.start && b.end > b.start && !joinable(last) && !joinable(first)) return false;
    }
    return true;
  },
};
