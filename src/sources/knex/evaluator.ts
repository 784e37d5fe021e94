/**
 * The Knex static interpreter: walks the ESTree of a migration function with abstract values
 * (the knex instance, schema builders, table builders, static strings, ...) and turns the builder
 * calls it meets into statements of normalized operations. Nothing is executed.
 *
 * Control flow is over-approximated: both branches of an `if` run (a `hasTable`-guarded block is
 * a "maybe"), `try`/`catch`/`finally` all run, loops over static arrays are unrolled, and any
 * Knex call inside a loop over run-time values becomes an `unanalyzable` operation.
 */
import type {
  ArrowFunctionExpression,
  BindingPattern,
  CallExpression,
  Directive,
  Expression,
  Function as FunctionNode,
  MemberExpression,
  NewExpression,
  ParamPattern,
  Statement as EsStatement,
  TemplateLiteral,
} from 'oxc-parser';
import { posix } from 'node:path';
import type { Dialect, Operation, SourceFile, Span, Statement, TableRef } from '../../model.js';
import { cookJsString, renderAligned, substituteBindings, unitsText, type BindingsShape, type CookedUnit } from './raw.js';
import { columnCall, foreignCall, tableCall, tableOps, TableBuilderState, type CallSite } from './table.js';
import { FORBIDDEN_NAMES, isKnexApi } from './allow-list.js';
import { firstDynamic, type Json, type KArg, type KCall, type KnexRawInfo, type KnexStatementAst } from './types.js';
import {
  clientEquals,
  clientNameTest,
  isStaticString,
  Scope,
  truthy,
  staticJson,
  UNDEF,
  unknown,
  type FnNode,
  type LitPiece,
  type QueryState,
  type RawVal,
  type Val,
} from './values.js';

export type ParseRawSql = (sql: string, span: Span) => Statement[];

type Out =
  | { readonly t: 'final'; readonly stmt: Statement }
  | {
      readonly t: 'draft';
      start: number;
      end: number;
      readonly type: string;
      ops: Operation[];
      ast: KnexStatementAst;
      readonly query?: QueryState;
    };

/** How a statement completed: normally, by break/continue, by return/throw. */
type Completion = 0 | 1 | 2;

interface Frame {
  readonly thisVal: Val | null;
  readonly returns: Val[];
}

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
const QUERY_PASSTHROUGH = new Set(['transacting', 'connection', 'debug', 'timeout', 'queryContext', 'options', 'on']);
const QUERY_TERMINALS = new Set(['update', 'del', 'delete', 'insert', 'truncate', 'increment', 'decrement', 'upsert']);
const QUERY_ENTRY = new Set(['table', 'from', 'into', 'queryBuilder', 'select', 'insert', 'update', 'del', 'delete', 'with', 'withSchema', 'column', 'columns', 'distinct', 'first', 'count']);
const ITERATION_METHODS = new Set([
  'forEach', 'map', 'flatMap', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast',
  'each', 'eachSeries', 'eachLimit', 'mapSeries', 'mapLimit', 'forEachSeries', 'forEachLimit', 'times', 'timesSeries',
]);
const MAX_UNROLL = 200;
const MAX_DEPTH = 24;
/** Evaluation steps one migration direction may take (real migrations take a few thousand). */
const MAX_STEPS = 400_000;

/** Thrown when a function is too costly to interpret (deep call graphs, huge unrolls). */
export class InterpretBudgetExceeded extends Error {}

function isFunctionNode(node: Expression): node is FunctionNode | ArrowFunctionExpression {
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

export class Interpreter {
  out: Out[] = [];
  /** Start offsets of every call expression evaluated (for the "never reached" safety net). */
  readonly visited = new Set<number>();
  /** Names the knex instance went by (parameters, aliases). */
  readonly knexNames = new Set<string>();
  /** Query chains with a call that is not Knex's query-builder API: never replayed. */
  private readonly foreignQueries = new WeakSet<QueryState>();
  /**
   * Set inside a loop over run-time values: `, inside \`for (const t of tables)\``. Calls in a
   * loop whose arguments are all static are interpreted as maybe-run; anything unresolvable
   * there says which loop it is in.
   */
  private loop: string | null = null;
  private readonly frames: Frame[] = [{ thisVal: null, returns: [] }];
  private readonly callStack: FnNode[] = [];
  private rawIds = 0;
  private steps = 0;

  /** Starts a fresh step budget (once per migration direction). */
  resetBudget(): void {
    this.steps = 0;
  }

  private step(): void {
    if (++this.steps > MAX_STEPS) throw new InterpretBudgetExceeded('too costly to interpret statically');
  }

  constructor(
    readonly file: SourceFile,
    readonly dialect: Dialect,
    private readonly parseRawSql: ParseRawSql,
  ) {}

  // ---------------------------------------------------------------- helpers

  text(node: { start: number; end: number }): string {
    return this.file.text.slice(node.start, node.end);
  }

  span(start: number, end: number): Span {
    return { file: this.file, start, end };
  }

  private describe(node: { start: number; end: number } | undefined): string {
    if (!node) return 'missing';
    const t = this.text(node).replace(/\s+/g, ' ');
    return `\`${t.length > 48 ? t.slice(0, 45) + '...' : t}\``;
  }

  private get frame(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  /** Pushes a statement holding one unanalyzable operation. */
  emitUnanalyzable(type: string, start: number, end: number, why: string, opStart = start): void {
    const reason = why + (this.loop ?? '');
    this.out.push({
      t: 'draft',
      start,
      end,
      type,
      ops: [{ kind: 'unanalyzable', reason, span: this.span(opStart, end) }],
      ast: { source: 'knex', kind: 'unanalyzable', calls: [], unavailable: reason },
    });
  }

  /** Converts the drafts into statements. */
  finish(): Statement[] {
    const result: Statement[] = [];
    for (const o of this.out) {
      if (o.t === 'final') {
        result.push(o.stmt);
        continue;
      }
      let ops = o.ops;
      let ast = o.ast;
      if (o.query && this.foreignQueries.has(o.query)) continue;
      if (o.query) {
        ops = this.queryOps(o.query, o);
        const dyn = o.query.calls.map((c) => c.args.map(firstDynamic).find((d) => d !== null)).find((d) => d != null);
        ast = { ...ast, calls: o.query.calls, ...(dyn ? { unavailable: `an argument is known only at run time: \`${dyn}\`` } : {}) };
        o.end = o.query.end;
      }
      result.push({ span: this.span(o.start, o.end), type: o.type, ops, ast });
    }
    this.out = [];
    return result;
  }

  // ---------------------------------------------------------------- statements

  hoist(body: readonly (Directive | EsStatement)[], scope: Scope): void {
    for (const st of body) {
      const decl = st.type === 'ExportNamedDeclaration' || st.type === 'ExportDefaultDeclaration' ? st.declaration : st;
      if (decl && decl.type === 'FunctionDeclaration' && decl.id) {
        scope.declare(decl.id.name, { k: 'fn', node: decl, scope, thisVal: null, name: decl.id.name });
      }
    }
  }

  /**
   * Runs statements in order. Returns how the block completed: 0 normally, 1 by `break` or
   * `continue`, 2 by `return` or `throw` (on every path interpreted). What follows a completed
   * statement is dead code: skipped.
   */
  execBlock(body: readonly (Directive | EsStatement)[], scope: Scope): Completion {
    this.hoist(body, scope);
    for (let i = 0; i < body.length; i++) {
      const c = this.exec(body[i]!, scope);
      if (c !== 0) {
        for (const rest of body.slice(i + 1)) this.skip(rest);
        return c;
      }
    }
    return 0;
  }

  exec(st: Directive | EsStatement, scope: Scope): Completion {
    this.step();
    switch (st.type) {
      case 'ExpressionStatement':
        this.evalSink(st.expression, scope);
        return 0;
      case 'VariableDeclaration':
        for (const d of st.declarations) {
          const v = d.init ? this.eval(d.init, scope) : UNDEF;
          this.bindPattern(d.id, v, scope);
        }
        return 0;
      case 'ReturnStatement': {
        const v = st.argument ? this.eval(st.argument, scope) : UNDEF;
        this.frame.returns.push(v);
        return 2;
      }
      case 'ThrowStatement':
        this.eval(st.argument, scope);
        return 2;
      case 'BreakStatement':
      case 'ContinueStatement':
        return 1;
      case 'IfStatement': {
        // Both branches run (a guarded block is a "maybe"), unless the test is known statically
        // (e.g. a comparison of the Knex client with the set's dialect).
        const t = truthy(this.evalSink(st.test, scope));
        let a: Completion = 0;
        let b: Completion = 0;
        if (t !== false) a = this.exec(st.consequent, new Scope(scope));
        else this.skip(st.consequent);
        if (st.alternate) {
          if (t !== true) b = this.exec(st.alternate, new Scope(scope));
          else this.skip(st.alternate);
        }
        if (t === true) return a;
        if (t === false) return b;
        return st.alternate ? (Math.min(a, b) as Completion) : 0;
      }
      case 'BlockStatement':
        return this.execBlock(st.body, new Scope(scope));
      case 'TryStatement': {
        const tc = this.execBlock(st.block.body, new Scope(scope));
        let hc: Completion = tc;
        if (st.handler) {
          const hs = new Scope(scope);
          if (st.handler.param) this.bindPattern(st.handler.param, unknown('the caught error'), hs);
          hc = this.execBlock(st.handler.body.body, hs);
        }
        const fc = st.finalizer ? this.execBlock(st.finalizer.body, new Scope(scope)) : 0;
        if (fc !== 0) return fc;
        return Math.min(tc, hc) as Completion;
      }
      case 'ForOfStatement':
      case 'ForInStatement': {
        const right = this.eval(st.right, scope);
        let items: Val[] | null = null;
        if (st.type === 'ForOfStatement') items = arrayItems(right);
        else if (right.k === 'object' && right.complete) items = [...right.props.keys()].map((k) => ({ k: 'lit', v: k }));
        const bindLeft = (v: Val, s: Scope): void => {
          const left = st.left;
          if (left.type === 'VariableDeclaration') {
            for (const d of left.declarations) this.bindPattern(d.id, v, s);
          } else if (left.type === 'Identifier') {
            s.assign(left.name, v);
          }
        };
        if (items !== null && items.length <= MAX_UNROLL) {
          for (const item of items) {
            const s = new Scope(scope);
            bindLeft(item, s);
            if (this.exec(st.body, s) === 2) return 2;
          }
          return 0;
        }
        const kw = st.type === 'ForOfStatement' ? 'of' : 'in';
        this.withLoop(`, inside \`for (${short(this.text(st.left))} ${kw} ${short(this.text(st.right))})\``, () => {
          const s = new Scope(scope);
          bindLeft(unknown('a loop variable'), s);
          this.exec(st.body, s);
        });
        return 0;
      }
      case 'ForStatement': {
        const s = new Scope(scope);
        if (st.init) {
          if (st.init.type === 'VariableDeclaration') this.exec(st.init, s);
          else this.eval(st.init, s);
        }
        this.withLoop(', inside a `for` loop', () => {
          if (st.test) this.evalSink(st.test, s);
          this.exec(st.body, new Scope(s));
          if (st.update) this.evalSink(st.update, s);
        });
        return 0;
      }
      case 'WhileStatement':
      case 'DoWhileStatement':
        this.withLoop(`, inside a \`${st.type === 'WhileStatement' ? 'while' : 'do ... while'}\` loop`, () => {
          this.evalSink(st.test, scope);
          this.exec(st.body, new Scope(scope));
        });
        return 0;
      case 'SwitchStatement': {
        const d = this.eval(st.discriminant, scope);
        const s = new Scope(scope);
        // Which case runs, when every test compares statically with the discriminant.
        const eqs = st.cases.map((c) => (c.test ? this.equals(d, this.eval(c.test, s)) : null));
        const decided = st.cases.every((c, i) => c.test === null || eqs[i] !== null);
        if (decided) {
          let start = eqs.findIndex((e) => e === true);
          if (start < 0) start = st.cases.findIndex((c) => c.test === null);
          let result: Completion = 0;
          let running = start >= 0;
          st.cases.forEach((c, i) => {
            if (!running || i < start) {
              for (const x of c.consequent) this.skip(x);
              return;
            }
            const r = this.execBlock(c.consequent, s);
            if (r !== 0) {
              running = false;
              if (r === 2) result = 2;
            }
          });
          return result;
        }
        for (const c of st.cases) this.execBlock(c.consequent, s);
        return 0;
      }
      case 'TSEnumDeclaration': {
        // enum Tables { Users = 'users' }: an object of its static members.
        const props = new Map<string, Val>();
        let complete = true;
        for (const m of st.body.members) {
          const key = m.id.type === 'Identifier' ? m.id.name : m.id.type === 'Literal' ? m.id.value : null;
          const v = m.initializer ? this.eval(m.initializer, scope) : unknown();
          if (key === null) complete = false;
          else props.set(key, v);
        }
        scope.declare(st.id.name, { k: 'object', props, complete });
        return 0;
      }
      case 'LabeledStatement': {
        const c = this.exec(st.body, scope);
        return c === 2 ? 2 : 0;
      }
      case 'ExportNamedDeclaration':
        if (st.declaration) this.exec(st.declaration as EsStatement, scope);
        return 0;
      case 'ExportDefaultDeclaration': {
        const d = st.declaration;
        if (d.type !== 'FunctionDeclaration' && d.type !== 'ClassDeclaration' && d.type !== 'TSInterfaceDeclaration') {
          this.eval(d as Expression, scope);
        }
        return 0;
      }
      case 'TSExportAssignment':
        this.eval(st.expression, scope);
        return 0;
      default:
        // Function declarations are hoisted; classes, types, imports, empty statements: nothing runs.
        return 0;
    }
  }

  private withLoop<T>(suffix: string, fn: () => T): T {
    const prev = this.loop;
    this.loop = suffix;
    try {
      return fn();
    } finally {
      this.loop = prev;
    }
  }

  bindPattern(p: BindingPattern | ParamPattern, v: Val, scope: Scope): void {
    switch (p.type) {
      case 'Identifier':
        if (v.k === 'knex') this.knexNames.add(p.name);
        scope.declare(p.name, v.k === 'fn' && !v.name ? { ...v, name: p.name } : v);
        return;
      case 'AssignmentPattern': {
        const val = v.k === 'undef' ? this.eval(p.right, scope) : v;
        this.bindPattern(p.left, val, scope);
        return;
      }
      case 'ObjectPattern':
        for (const prop of p.properties) {
          if (prop.type === 'RestElement') {
            this.bindPattern(prop.argument, unknown(), scope);
            continue;
          }
          const key = prop.computed ? this.eval(prop.key as Expression, scope) : null;
          const name =
            key && isStaticString(key)
              ? key.v
              : !prop.computed && prop.key.type === 'Identifier'
                ? prop.key.name
                : !prop.computed && prop.key.type === 'Literal'
                  ? String(prop.key.value)
                  : null;
          this.bindPattern(prop.value, name === null ? unknown() : memberOf(v, name), scope);
        }
        return;
      case 'ArrayPattern': {
        const items = arrayItems(v);
        p.elements.forEach((el, i) => {
          if (!el) return;
          if (el.type === 'RestElement') {
            this.bindPattern(el.argument, items ? { k: 'array', items: items.slice(i) } : unknown(), scope);
            return;
          }
          this.bindPattern(el, items ? (items[i] ?? UNDEF) : unknown(), scope);
        });
        return;
      }
      case 'RestElement':
        this.bindPattern(p.argument, v, scope);
        return;
      default:
        return;
    }
  }

  // ---------------------------------------------------------------- expressions

  /** Evaluates an expression whose value is executed (awaited, returned, run as a statement). */
  evalSink(node: Expression, scope: Scope): Val {
    const n = unwrap(node);
    if (n.type === 'ArrayExpression') {
      const items: Val[] = [];
      for (const el of n.elements) {
        if (!el) continue;
        if (el.type === 'SpreadElement') {
          const v = this.eval(el.argument, scope);
          this.sink(v);
          items.push(...(arrayItems(v) ?? [unknown()]));
          continue;
        }
        const v = this.evalSink(el, scope);
        items.push(v);
      }
      return { k: 'array', items };
    }
    const v = this.eval(n, scope);
    this.sink(v);
    return v;
  }

  /** A value is executed: a pending raw query runs now. */
  sink(v: Val): void {
    if (v.k === 'raw') this.emitRaw(v.raw);
    else if (v.k === 'array') for (const it of v.items) this.sink(it);
  }

  eval(node: Expression, scope: Scope): Val {
    this.step();
    const n = unwrap(node);
    switch (n.type) {
      case 'Literal':
        if (typeof n.value === 'string') {
          return { k: 'lit', v: n.value, pieces: [{ start: n.start + 1, end: n.end - 1, template: false }] };
        }
        if (typeof n.value === 'number' || typeof n.value === 'boolean' || n.value === null) {
          if (n.value === null && 'regex' in n && n.regex) return unknown();
          return { k: 'lit', v: n.value };
        }
        return unknown();
      case 'TemplateLiteral':
        return this.evalTemplate(n, scope);
      case 'Identifier': {
        if (n.name === 'undefined') return UNDEF;
        if (n.name === '__dirname' && scope.lookup(n.name) === undefined) return { k: 'lit', v: '.' };
        const v = scope.lookup(n.name);
        return v ?? unknown(`\`${n.name}\` is not defined in this file`);
      }
      case 'ThisExpression':
        return this.frame.thisVal ?? unknown();
      case 'MemberExpression':
        return this.evalMember(n, scope);
      case 'CallExpression':
        return this.evalCall(n, scope);
      case 'NewExpression':
        return this.evalNew(n, scope);
      case 'AwaitExpression': {
        const v = this.evalSink(n.argument, scope);
        return v.k === 'knex' || v.k === 'lit' || v.k === 'undef' || v.k === 'array' || v.k === 'object' ? v : unknown();
      }
      case 'YieldExpression':
        return n.argument ? this.evalSink(n.argument, scope) : UNDEF;
      case 'ArrowFunctionExpression':
        return { k: 'fn', node: n, scope, thisVal: this.frame.thisVal };
      case 'FunctionExpression':
        return { k: 'fn', node: n, scope, thisVal: null, ...(n.id ? { name: n.id.name } : {}) };
      case 'ArrayExpression': {
        const items: Val[] = [];
        for (const el of n.elements) {
          if (!el) {
            items.push(UNDEF);
            continue;
          }
          if (el.type === 'SpreadElement') {
            const v = this.eval(el.argument, scope);
            const its = arrayItems(v);
            if (its === null) return unknown('an array spread of a run-time value');
            items.push(...its);
            continue;
          }
          items.push(this.eval(el, scope));
        }
        return { k: 'array', items };
      }
      case 'ObjectExpression': {
        const props = new Map<string, Val>();
        let complete = true;
        for (const p of n.properties) {
          if (p.type === 'SpreadElement') {
            const v = this.eval(p.argument, scope);
            if (v.k === 'object') {
              for (const [k, pv] of v.props) props.set(k, pv);
              if (!v.complete) complete = false;
            } else if (v.k === 'lit' && v.v !== null && typeof v.v === 'object' && !Array.isArray(v.v)) {
              for (const [k, j] of Object.entries(v.v)) props.set(k, { k: 'lit', v: j });
            } else {
              complete = false;
            }
            continue;
          }
          let key: string | null = null;
          if (p.computed) {
            const kv = this.eval(p.key as Expression, scope);
            if (kv.k === 'lit' && (typeof kv.v === 'string' || typeof kv.v === 'number')) key = String(kv.v);
          } else if (p.key.type === 'Identifier') {
            key = p.key.name;
          } else if (p.key.type === 'Literal') {
            key = String(p.key.value);
          }
          const v = p.kind === 'init' ? this.eval(p.value, scope) : unknown();
          if (key === null) complete = false;
          else props.set(key, v);
        }
        return { k: 'object', props, complete };
      }
      case 'BinaryExpression': {
        const l = n.left.type === 'PrivateIdentifier' ? unknown() : this.eval(n.left, scope);
        const r = this.eval(n.right, scope);
        if (n.operator === '===' || n.operator === '==' || n.operator === '!==' || n.operator === '!=') {
          const eq = this.equals(l, r);
          if (eq !== null) return { k: 'lit', v: n.operator.startsWith('!') ? !eq : eq };
        }
        if (n.operator === '+' && l.k === 'lit' && r.k === 'lit') {
          const lv = l.v;
          const rv = r.v;
          if (typeof lv === 'string' || typeof rv === 'string') {
            if ((typeof lv === 'string' || typeof lv === 'number') && (typeof rv === 'string' || typeof rv === 'number')) {
              const pieces = l.pieces && r.pieces ? [...l.pieces, ...r.pieces] : undefined;
              return { k: 'lit', v: String(lv) + String(rv), ...(pieces ? { pieces } : {}) };
            }
          } else if (typeof lv === 'number' && typeof rv === 'number') {
            return { k: 'lit', v: lv + rv };
          }
        }
        return unknown(n.operator === '+' ? 'a concatenation with a run-time value' : undefined);
      }
      case 'LogicalExpression': {
        const l = this.eval(n.left, scope);
        const lt = truthy(l);
        const nullish = l.k === 'undef' || (l.k === 'lit' && l.v === null);
        const short =
          (n.operator === '&&' && lt === false) || (n.operator === '||' && lt === true) || (n.operator === '??' && l.k !== 'unknown' && !nullish);
        if (short) {
          this.skip(n.right);
          return l;
        }
        const r = this.eval(n.right, scope);
        if ((n.operator === '&&' && lt === true) || (n.operator === '||' && lt === false)) return r;
        if (n.operator === '??' && (l.k === 'undef' || (l.k === 'lit' && l.v === null))) return r;
        if (n.operator === '??' && l.k === 'lit') return l;
        return unknown();
      }
      case 'ConditionalExpression': {
        const t = truthy(this.eval(n.test, scope));
        if (t === true) {
          this.skip(n.alternate);
          return this.eval(n.consequent, scope);
        }
        if (t === false) {
          this.skip(n.consequent);
          return this.eval(n.alternate, scope);
        }
        const a = this.eval(n.consequent, scope);
        const b = this.eval(n.alternate, scope);
        if (a.k === 'lit' && b.k === 'lit' && a.v === b.v) return a;
        if (a.k === 'knex' && b.k === 'knex') return a;
        return unknown('a conditional value');
      }
      case 'UnaryExpression': {
        const v = this.eval(n.argument, scope);
        if (n.operator === 'void') return UNDEF;
        if (n.operator === '-' && v.k === 'lit' && typeof v.v === 'number') return { k: 'lit', v: -v.v };
        if (n.operator === '!') {
          const t = truthy(v);
          if (t !== null) return { k: 'lit', v: !t };
        }
        return unknown();
      }
      case 'UpdateExpression':
        if (n.argument.type === 'Identifier') scope.assign(n.argument.name, unknown());
        return unknown();
      case 'SequenceExpression': {
        let v: Val = UNDEF;
        for (const e of n.expressions) v = this.evalSink(e, scope);
        return v;
      }
      case 'AssignmentExpression': {
        const v = this.eval(n.right, scope);
        const left = n.left;
        if (left.type === 'Identifier') {
          if (n.operator === '=') {
            if (v.k === 'knex') this.knexNames.add(left.name);
            scope.assign(left.name, v);
          } else {
            scope.assign(left.name, unknown());
          }
        } else if (left.type === 'MemberExpression') {
          this.assignMember(left, v, scope);
        }
        return v;
      }
      case 'TaggedTemplateExpression':
        this.eval(n.tag, scope);
        for (const e of n.quasi.expressions) this.eval(e, scope);
        return unknown('a tagged template');
      default:
        return unknown();
    }
  }

  /** Hook for `exports.x = ...`; the base interpreter ignores member assignments except on objects. */
  assignMember(left: MemberExpression, v: Val, scope: Scope): void {
    const obj = this.eval(left.object, scope);
    const name = this.propName(left, scope);
    if (obj.k === 'object' && name !== null) obj.props.set(name, v);
  }

  /** `l === r` when known statically. */
  private equals(l: Val, r: Val): boolean | null {
    if (l.k === 'dialectName' && isStaticString(r)) return clientNameTest(this.dialect, r.v, clientEquals);
    if (r.k === 'dialectName' && isStaticString(l)) return clientNameTest(this.dialect, l.v, clientEquals);
    if (l.k === 'lit' && r.k === 'lit' && (typeof l.v !== 'object' || l.v === null) && (typeof r.v !== 'object' || r.v === null)) return l.v === r.v;
    if (l.k === 'undef' && r.k === 'undef') return true;
    return null;
  }

  /** Code statically known not to run: not interpreted, and not reported as unreached either. */
  readonly skipped: { start: number; end: number }[] = [];

  private skip(node: { start: number; end: number }): void {
    this.skipped.push({ start: node.start, end: node.end });
  }

  private evalTemplate(n: TemplateLiteral, scope: Scope): Val {
    if (n.expressions.length === 0) {
      const q = n.quasis[0]!;
      return { k: 'lit', v: q.value.cooked ?? q.value.raw, pieces: [{ start: q.start, end: q.end, template: true }] };
    }
    let s = '';
    let ok = true;
    n.quasis.forEach((q, i) => {
      s += q.value.cooked ?? q.value.raw;
      const e = n.expressions[i];
      if (e) {
        const v = this.eval(e, scope);
        if (v.k === 'lit' && (typeof v.v === 'string' || typeof v.v === 'number' || typeof v.v === 'boolean')) s += String(v.v);
        else ok = false;
      }
    });
    return ok ? { k: 'lit', v: s } : unknown('a template literal with `${...}` known only at run time');
  }

  propName(m: MemberExpression, scope: Scope): string | null {
    if (!m.computed) return m.property.type === 'PrivateIdentifier' ? null : m.property.name;
    const v = this.eval(m.property, scope);
    return v.k === 'lit' && (typeof v.v === 'string' || typeof v.v === 'number') ? String(v.v) : null;
  }

  private evalMember(n: MemberExpression, scope: Scope): Val {
    const obj = this.eval(n.object, scope);
    const name = this.propName(n, scope);
    if (name === null) return unknown();
    if (FORBIDDEN_NAMES.has(name) && isBuilder(obj)) {
      // `knex('t').__proto__`, `knex.schema.constructor`: the way to JavaScript's Function.
      if (obj.k === 'query') this.foreignQueries.add(obj.q);
      this.emitUnanalyzable('knex.call', n.start, n.end, `reads \`${name}\` of a Knex object, which is not Knex's API`);
      return unknown();
    }
    return memberOf(obj, name);
  }

  private evalArgs(args: CallExpression['arguments'], scope: Scope): Val[] {
    const out: Val[] = [];
    for (const a of args) {
      if (a.type === 'SpreadElement') {
        const v = this.eval(a.argument, scope);
        const items = arrayItems(v);
        if (items) out.push(...items);
        else out.push(unknown('a spread argument'));
        continue;
      }
      out.push(this.eval(a, scope));
    }
    return out;
  }

  /** Arguments of a call migralint cannot follow: evaluated as executed. */
  private evalArgsSinking(args: CallExpression['arguments'], scope: Scope): Val[] {
    const out: Val[] = [];
    for (const a of args) {
      if (a.type === 'SpreadElement') {
        const v = this.eval(a.argument, scope);
        this.sink(v);
        out.push(unknown());
        continue;
      }
      out.push(this.evalSink(a, scope));
    }
    return out;
  }

  private argNode(call: CallExpression | NewExpression, i: number): Expression | undefined {
    const a = call.arguments[i];
    return a && a.type !== 'SpreadElement' ? a : undefined;
  }

  private site(call: CallExpression, start: number): CallSite {
    return { start, end: call.end, argText: call.arguments.map((a) => this.text(a)) };
  }

  /** Where an operation made by a chained call starts: at the method name after the dot. */
  private chainedStart(callee: MemberExpression): number {
    return callee.property.start;
  }

  // ---------------------------------------------------------------- calls

  private evalNew(n: NewExpression, scope: Scope): Val {
    this.eval(n.callee, scope);
    const args = this.evalArgsSinking(n.arguments, scope);
    this.unknownCallArgs(n, this.text(n.callee), args);
    return unknown();
  }

  evalCall(call: CallExpression, scope: Scope): Val {
    this.visited.add(call.start);
    const callee = unwrap(call.callee);
    if (callee.type === 'MemberExpression') {
      const obj = this.eval(callee.object, scope);
      const name = this.propName(callee, scope);
      if (name !== null) {
        const r = this.methodCall(call, callee, obj, name, scope);
        if (r !== null) return r;
      } else if (isKnexish(obj)) {
        this.evalArgs(call.arguments, scope);
        return this.unanalyzableCall(call, obj, `calls a method whose name is known only at run time: ${this.describe(callee)}`);
      }
      // A method migralint does not model.
      const args = this.evalArgsSinking(call.arguments, scope);
      return this.unknownCall(call, this.text(callee), name ?? '', args, obj);
    }
    const fn = this.eval(callee, scope);
    if (fn.k === 'knex') return this.knexCall(call, scope);
    if (fn.k === 'fn') {
      const args = this.evalArgs(call.arguments, scope);
      return this.invoke(call, fn, args, null).value;
    }
    const args = this.evalArgsSinking(call.arguments, scope);
    return this.unknownCall(call, this.text(callee), '', args, null);
  }

  /** Calls a function defined in this file with the given arguments. */
  invoke(site: CallExpression | null, fn: Extract<Val, { k: 'fn' }>, args: Val[], thisVal: Val | null): { value: Val; returns: Val[] } {
    if (this.callStack.includes(fn.node) || this.callStack.length >= MAX_DEPTH) {
      if (site && args.some(isKnexish)) {
        this.unanalyzableCall(site, args.find(isKnexish)!, `calls \`${fn.name ?? 'a function'}\` recursively`);
      }
      return { value: unknown('a recursive call'), returns: [] };
    }
    const node = fn.node;
    const scope = new Scope(fn.scope);
    if (node.type === 'FunctionExpression' && node.id) {
      scope.declare(node.id.name, fn);
    }
    node.params.forEach((p, i) => {
      if (p.type === 'RestElement') this.bindPattern(p.argument, { k: 'array', items: args.slice(i) }, scope);
      else if (p.type === 'TSParameterProperty') return;
      else this.bindPattern(p, args[i] ?? UNDEF, scope);
    });
    const frame: Frame = { thisVal: node.type === 'ArrowFunctionExpression' ? fn.thisVal : thisVal, returns: [] };
    this.frames.push(frame);
    this.callStack.push(node);
    try {
      if (node.type === 'ArrowFunctionExpression' && node.expression) {
        frame.returns.push(this.eval(node.body as Expression, scope));
      } else if (node.body && node.body.type === 'BlockStatement') {
        this.execBlock(node.body.body, scope);
      }
    } finally {
      this.callStack.pop();
      this.frames.pop();
    }
    const rets = frame.returns;
    let value: Val = UNDEF;
    if (rets.length === 1) value = rets[0]!;
    else if (rets.length > 1) value = rets.every((r) => r === rets[0]) ? rets[0]! : unknown('one of several return values');
    return { value, returns: rets };
  }

  /** Calls a callback as Knex or an unknown library would, and runs what it returns. */
  private runCallback(fn: Val | undefined, args: Val[], thisVal: Val | null = null): void {
    if (!fn || fn.k !== 'fn') return;
    const { returns } = this.invoke(null, fn, args, thisVal);
    for (const r of returns) this.sink(r);
  }

  /**
   * A call migralint cannot follow (`calleeText` is the callee's source, `method` the method
   * name when it is a method call): callbacks run (maybe), knex handed over is unanalyzable.
   */
  private unknownCall(call: CallExpression, calleeText: string, method: string, args: Val[], receiver: Val | null): Val {
    if (receiver && receiver.k === 'lit' && typeof receiver.v === 'string') {
      return stringMethod(receiver.v, method, args);
    }
    if (receiver && receiver.k === 'dialectName') {
      const a0 = args[0];
      if (!isStaticString(a0)) return unknown();
      const test =
        method === 'includes' ? (name: string, s: string) => name.includes(s)
        : method === 'startsWith' ? (name: string, s: string) => name.startsWith(s)
        : method === 'endsWith' ? (name: string, s: string) => name.endsWith(s)
        : null;
      if (method === 'toLowerCase' || method === 'toString' || method === 'trim') return receiver;
      const r = test ? clientNameTest(this.dialect, a0.v, test) : null;
      return r === null ? unknown() : { k: 'lit', v: r };
    }
    if (receiver === null && calleeText.trim() === 'String' && args[0]?.k === 'dialectName') return args[0];
    if (/^(path\.)?(join|resolve)$/.test(calleeText.replace(/\s+/g, '')) && args.length > 0 && args.every(isStaticString)) {
      // path.join(__dirname, 'migrations') in a knexfile: relative to the file's directory.
      return { k: 'lit', v: posix.join(...args.map((a) => (a as { v: string }).v)) };
    }
    const compact = calleeText.replace(/\s+/g, '');
    if (compact === 'Object.keys' || compact === 'Object.values' || compact === 'Object.entries') {
      return objectListing(compact, args[0]);
    }
    if (/^Promise\.(all|allSettled|race|any|resolve)$/.test(compact)) {
      // The arguments were run (sunk) already.
      return unknown();
    }
    if (ITERATION_METHODS.has(method)) {
      this.withLoop(`, inside \`${calleeText.length > 40 ? '.' + method : calleeText}()\``, () => {
        for (const a of args) this.runCallback(a, [unknown('an element'), unknown('an index'), unknown()]);
      });
    } else {
      for (const a of args) this.runCallback(a, [unknown(), unknown(), unknown()]);
    }
    this.unknownCallArgs(call, calleeText.replace(/\s+/g, ' '), args);
    return unknown();
  }

  /** Knex (or a table builder) handed to a function migralint cannot see into. */
  private unknownCallArgs(call: CallExpression | NewExpression, name: string, args: Val[]): void {
    const handed = args.find(isKnexish);
    if (!handed) return;
    const what = handed.k === 'tb' || handed.k === 'col' || handed.k === 'fk' ? 'the table builder' : '`knex`';
    const short = name.length > 40 ? name.slice(0, 37) + '...' : name;
    this.unanalyzableCall(call, handed, `passes ${what} to \`${short}()\`, which is imported or not defined in this file; its changes cannot be seen statically`);
  }

  private unanalyzableCall(call: CallExpression | NewExpression, about: Val, reason: string): Val {
    if (about.k === 'tb' || about.k === 'col' || about.k === 'fk') {
      about.tb.unanalyzable(reason, call.start, call.end);
    } else {
      this.emitUnanalyzable('knex.call', call.start, call.end, reason);
    }
    return unknown();
  }

  private methodCall(call: CallExpression, callee: MemberExpression, obj: Val, name: string, scope: Scope): Val | null {
    switch (obj.k) {
      case 'knex':
        return this.knexMethod(call, name, scope);
      case 'knexFn': {
        const args = this.evalArgs(call.arguments, scope);
        if (!isKnexApi('fn', name)) {
          this.emitUnanalyzable('knex.call', call.start, call.end, `\`knex.fn.${name}()\` is not a Knex function`);
          return unknown();
        }
        return { k: 'special', arg: { t: 'fn', name, args: args.map((a, i) => this.karg(a, this.argNode(call, i))) } };
      }
      case 'schema':
        return this.schemaMethod(call, callee, obj, name, scope);
      case 'query':
        return this.queryMethod(call, obj.q, name, scope);
      case 'raw':
        return this.rawMethod(call, obj, name, scope);
      case 'tb':
        return this.tableMethod(call, obj.tb, name, scope, null);
      case 'col':
      case 'fk':
        return this.tableMethod(call, obj.tb, name, scope, obj);
      case 'fn':
        if (name === 'call' || name === 'apply') {
          const args = this.evalArgs(call.arguments, scope);
          const thisArg = args[0] ?? null;
          const rest = name === 'call' ? args.slice(1) : (arrayItems(args[1] ?? UNDEF) ?? []);
          return this.invoke(call, obj, rest, thisArg).value;
        }
        return null;
      case 'object': {
        const m = obj.props.get(name);
        if (m && m.k === 'fn') {
          const args = this.evalArgs(call.arguments, scope);
          return this.invoke(call, m, args, obj).value;
        }
        return null;
      }
      case 'array':
      case 'lit': {
        const items = arrayItems(obj);
        const cbNode = this.argNode(call, 0);
        const cbIsFn = cbNode !== undefined && (isFunctionNode(unwrap(cbNode)) || unwrap(cbNode).type === 'Identifier');
        if (items && cbIsFn && (name === 'forEach' || name === 'map' || name === 'flatMap') && items.length <= MAX_UNROLL) {
          const args = this.evalArgs(call.arguments, scope);
          const cb = args[0];
          if (cb && cb.k === 'fn') {
            const results: Val[] = [];
            items.forEach((it, i) => {
              const r = this.invoke(call, cb, [it, { k: 'lit', v: i }, obj], null);
              if (name === 'flatMap') results.push(...(arrayItems(r.value) ?? [r.value]));
              else results.push(r.value);
            });
            return name === 'forEach' ? UNDEF : { k: 'array', items: results };
          }
        }
        if (items && (name === 'join' || name === 'concat' || name === 'slice' || name === 'includes')) {
          const args = this.evalArgs(call.arguments, scope);
          return arrayMethod(items, name, args);
        }
        return null;
      }
      default:
        return null;
    }
  }

  // ---------------------------------------------------------------- knex

  private knexMethod(call: CallExpression, name: string, scope: Scope): Val | null {
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
  }

  private newQuery(start: number): QueryState {
    return { start, end: start, table: null, calls: [], hasWhere: false, terminal: null };
  }

  /** `knex('users')`: a query builder on a table. */
  private knexCall(call: CallExpression, scope: Scope): Val {
    const args = this.evalArgs(call.arguments, scope);
    const q = this.newQuery(call.start);
    q.end = call.end;
    q.calls.push({ m: 'table', args: args.map((a, i) => this.karg(a, this.argNode(call, i))) });
    q.table = args.length === 0 ? null : this.queryTable(args[0]!, this.argNode(call, 0));
    return { k: 'query', q };
  }

  private queryTable(v: Val, node: Expression | undefined): TableRef | { reason: string } {
    if (isStaticString(v)) {
      const name = v.v.replace(/\s+as\s+\S+\s*$/i, '').trim();
      return splitTable(name);
    }
    if (v.k === 'object' && v.props.size === 1) {
      const only = [...v.props.values()][0]!;
      if (isStaticString(only)) return splitTable(only.v);
    }
    return { reason: `table name is not a static string: ${this.describe(node)}` };
  }

  private queryMethod(call: CallExpression, q: QueryState, name: string, scope: Scope): Val {
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
  }

  private queryOps(q: QueryState, o: { start: number }): Operation[] {
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
        return [{ kind: 'update', table, columns: t.columns, hasWhere: q.hasWhere, nullOnly: whereNullOnly(q.calls), span }];
      case 'del':
      case 'delete':
        return [{ kind: 'delete', table, hasWhere: q.hasWhere, span }];
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
  }

  // ---------------------------------------------------------------- raw

  private newRaw(call: CallExpression, opStart: number, args: Val[], viaSchema: boolean): RawVal {
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
  }

  private rawMethod(call: CallExpression, obj: Extract<Val, { k: 'raw' }>, name: string, scope: Scope): Val {
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
  }

  private sqlReason(node: Expression | undefined, v: Val | undefined): string {
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
  }

  emitRaw(raw: RawVal): void {
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
    const prepared = this.prepareSql(sqlVal, shape, raw.sqlNode);
    if ('error' in prepared) {
      this.emitUnanalyzable(type, start, end, prepared.error);
      return;
    }
    let stmts = this.parseRawSql(prepared.sql, prepared.span);
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
  }

  private bindingsShape(b: Val | undefined, sql: string): BindingsShape {
    if (b === undefined || b.k === 'undef') return { kind: 'none' };
    if (arrayItems(b) !== null) return { kind: 'positional' };
    if (b.k === 'object') return { kind: 'named', keys: b.complete ? new Set(b.props.keys()) : null };
    if (b.k === 'lit' && b.v !== null && typeof b.v === 'object') return { kind: 'named', keys: new Set(Object.keys(b.v)) };
    if (b.k === 'lit' || b.k === 'special' || b.k === 'raw') return { kind: 'positional' }; // a single binding
    return /(^|[^\\])\?/.test(sql) ? { kind: 'positional' } : { kind: 'named', keys: null };
  }

  /** The SQL to parse, aligned with the file where possible. */
  private prepareSql(
    v: { v: string; pieces?: readonly LitPiece[] },
    shape: BindingsShape,
    node: Expression | undefined,
  ): { sql: string; span: Span; coarse: boolean } | { error: string } {
    const pg = this.dialect === 'postgres';
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
      const sub = substituteBindings(synthetic.map((u, i) => ({ ...u, rawStart: i, rawEnd: i + u.text.length })), shape, pg);
      if ('error' in sub) return sub;
      // Padded to the argument's length when shorter, so offsets stay inside the argument.
      const sql = unitsText(sub.units);
      const width = sp.end - sp.start;
      return { sql: sql.length < width ? sql + ' '.repeat(width - sql.length) : sql, span: this.span(sp.start, sp.end), coarse: true };
    }
    const sub = substituteBindings(units, shape, pg);
    if ('error' in sub) return sub;
    return { sql: renderAligned(sub.units, text, start, end), span: this.span(start, end), coarse: false };
  }

  /**
   * Literal pieces of a concatenation can be parsed in place when they are in source order, only
   * quotes, `+`, whitespace and parentheses lie between them, and no SQL word is split across two.
   */
  private piecesContiguous(pieces: readonly LitPiece[]): boolean {
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
  }

  // ---------------------------------------------------------------- schema builder

  private schemaMethod(call: CallExpression, callee: MemberExpression, sv: Extract<Val, { k: 'schema' }>, name: string, scope: Scope): Val {
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
  }

  // ---------------------------------------------------------------- table builder

  private tableMethod(
    call: CallExpression,
    tb: TableBuilderState,
    name: string,
    scope: Scope,
    on: Extract<Val, { k: 'col' } | { k: 'fk' }> | null,
  ): Val {
    const args = this.evalArgs(call.arguments, scope);
    const site = this.site(call, call.start);
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
  }

  // ---------------------------------------------------------------- replay arguments

  karg(v: Val, node: Expression | undefined): KArg {
    const j = staticJson(v);
    if (j !== undefined) return { t: 'lit', v: j };
    const n = node ? unwrap(node) : undefined;
    switch (v.k) {
      case 'undef':
        return { t: 'undefined' };
      case 'array': {
        const els = n?.type === 'ArrayExpression' && n.elements.every((e) => e === null || e.type !== 'SpreadElement') ? n.elements : null;
        return { t: 'array', items: v.items.map((it, i) => this.karg(it, (els?.[i] as Expression | null | undefined) ?? undefined)) };
      }
      case 'object':
        if (v.complete) {
          const valueNode = (key: string): Expression | undefined => {
            if (n?.type !== 'ObjectExpression') return undefined;
            for (const p of n.properties) {
              if (p.type !== 'Property' || p.computed) continue;
              if ((p.key.type === 'Identifier' && p.key.name === key) || (p.key.type === 'Literal' && String(p.key.value) === key)) return p.value;
            }
            return undefined;
          };
          return { t: 'object', entries: [...v.props].map(([k, pv]) => [k, this.karg(pv, valueNode(k))] as [string, KArg]) };
        }
        break;
      case 'special':
        return v.arg;
      case 'raw':
        if (isStaticString(v.raw.sql)) {
          return {
            t: 'raw',
            sql: v.raw.sql.v,
            ...(v.raw.bindings !== undefined && v.raw.bindings.k !== 'undef' ? { bindings: this.karg(v.raw.bindings, v.raw.bindingsNode) } : {}),
          };
        }
        break;
      case 'query':
        return { t: 'query', calls: v.q.calls };
      default:
        break;
    }
    return { t: 'dynamic', text: node ? this.text(node) : v.k === 'unknown' && v.why ? v.why : `a ${v.k} value` };
  }
}

/** A Knex object migralint models (knex, its schema/table/column/query builders, knex.fn, raw). */
function isBuilder(v: Val): boolean {
  const builders: readonly string[] = ['knex', 'schema', 'tb', 'col', 'fk', 'query', 'knexFn', 'raw', 'knexClient', 'knexClientConfig'];
  return builders.includes(v.k);
}

/** An object (at any depth) with a `__proto__` key: not plain data for Knex. */
function hasProtoKey(v: Val): boolean {
  if (v.k === 'object') return v.props.has('__proto__') || [...v.props.values()].some(hasProtoKey);
  if (v.k === 'array') return v.items.some(hasProtoKey);
  return false;
}

function isKnexish(v: Val): v is Extract<Val, { k: 'knex' | 'tb' | 'col' | 'fk' | 'schema' }> {
  return v.k === 'knex' || v.k === 'tb' || v.k === 'col' || v.k === 'fk' || (v.k === 'schema' && !v.chained);
}

/** Items of a static array value. */
export function arrayItems(v: Val): Val[] | null {
  if (v.k === 'array') return v.items;
  if (v.k === 'lit' && Array.isArray(v.v)) return v.v.map((j) => ({ k: 'lit', v: j }) as Val);
  return null;
}

function objectKeys(v: Val): { keys: string[]; complete: boolean } {
  if (v.k === 'object') return { keys: [...v.props.keys()], complete: v.complete };
  if (v.k === 'lit' && v.v !== null && typeof v.v === 'object' && !Array.isArray(v.v)) return { keys: Object.keys(v.v), complete: true };
  return { keys: [], complete: false };
}

function splitTable(name: string): TableRef {
  const dot = name.indexOf('.');
  if (dot > 0 && dot < name.length - 1) return { schema: name.slice(0, dot), name: name.slice(dot + 1) };
  return { name };
}

function stringMethod(s: string, name: string, args: Val[]): Val {
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

function arrayMethod(items: Val[], name: string, args: Val[]): Val {
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

function objectListing(name: string, obj: Val | undefined): Val {
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
function short(text: string, max = 40): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 3) + '...' : t;
}

/** `obj[name]` on an abstract value. */
function memberOf(obj: Val, name: string): Val {
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

/** `.whereNull('col')` as the query's only condition: the column it names. */
function whereNullOnly(calls: readonly KCall[]): string | undefined {
  const conditions = calls.filter((c) => /^(or|and)?where/i.test(c.m) || c.m === 'having');
  const only = conditions.length === 1 ? conditions[0]! : undefined;
  const arg = only?.m === 'whereNull' ? only.args[0] : undefined;
  return arg?.t === 'lit' && typeof arg.v === 'string' ? arg.v.split('.').pop() : undefined;
}
