/**
 * The Knex static interpreter: walks the ESTree of a migration function with abstract values
 * (the knex instance, schema builders, table builders, static strings, ...) and turns the builder
 * calls it meets into statements of normalized operations. Nothing is executed.
 *
 * This file holds the interpreter's state and output; its behaviour is split by concern:
 *   ./control-flow.ts    statements, branches, loops (over-approximated: both branches of an
 *                        unknown `if` run, static loops unroll, Knex calls in run-time loops are
 *                        marked as such)
 *   ./bindings.ts        names and destructuring patterns
 *   ./expressions.ts     expressions to abstract values (./values.ts)
 *   ./calls.ts           function and method calls, callbacks, calls it cannot follow
 *   ./foreign-calls.ts   functions imported from the project's other modules, interpreted there
 *   ./query-builder.ts   `knex(...)` query chains
 *   ./raw-calls.ts       `knex.raw` / `knex.schema.raw`
 *   ./schema-builder.ts  `knex.schema.*` and table builders
 *   ./replay-args.ts     values recorded for replay on a real Knex builder (`knexToSql`)
 *   ./js-values.ts       plain-JS semantics (members, array/string built-ins, AST helpers)
 */
import type { Dialect, Operation, SourceFile, Span, Statement } from '../../model.js';
import { bindingMethods } from './bindings.js';
import { callMethods } from './calls.js';
import { controlFlowMethods } from './control-flow.js';
import { expressionMethods } from './expressions.js';
import { foreignCallMethods } from './foreign-calls.js';
import { queryMethods } from './query-builder.js';
import { rawMethods } from './raw-calls.js';
import { replayArgMethods } from './replay-args.js';
import { schemaMethods } from './schema-builder.js';
import type { RawOffsets } from './raw.js';
import { firstDynamic, type KnexStatementAst } from './types.js';
import { InterpretBudgetExceeded, type FnNode, type QueryState, type Val } from './values.js';

export { InterpretBudgetExceeded };

export { arrayItems, unwrap } from './js-values.js';

/**
 * Parses the SQL of a raw call (contract in ./interpret.ts). `offsets`, when given, maps each
 * character of `sql` to the file (inlined bindings make it longer than what is written).
 */
export type ParseRawSql = (sql: string, span: Span, offsets?: RawOffsets) => Statement[];

export type Out =
  | { readonly t: 'final'; readonly stmt: Statement; conditional?: boolean }
  | {
      readonly t: 'draft';
      conditional?: boolean;
      start: number;
      end: number;
      readonly type: string;
      ops: Operation[];
      ast: KnexStatementAst;
      readonly query?: QueryState;
    };

/** How a statement completed: normally, by break/continue, by return/throw. */
export type Completion = 0 | 1 | 2;

export interface Frame {
  readonly thisVal: Val | null;
  readonly returns: Val[];
}

/**
 * The constant exports of a module imported by `specifier` from `fromPath` (export name → value;
 * `default` for the default export), or null when it cannot be read (outside the project, too
 * big, not found, not a relative import).
 */
export type ModuleLoader = (specifier: string, fromPath: string) => ReadonlyMap<string, Val> | null;

/** Evaluation steps one migration direction may take (real migrations take a few thousand). */
const MAX_STEPS = 400_000;


type Methods = typeof controlFlowMethods &
  typeof bindingMethods &
  typeof expressionMethods &
  typeof callMethods &
  typeof foreignCallMethods &
  typeof queryMethods &
  typeof rawMethods &
  typeof schemaMethods &
  typeof replayArgMethods;

// The class below carries the state; the behaviour comes from the modules above.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface Interpreter extends Methods {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging

export class Interpreter {
  out: Out[] = [];
  /** Start offsets of every call expression evaluated (for the "never reached" safety net). */
  readonly visited = new Set<number>();
  /** Names the knex instance went by (parameters, aliases). */
  readonly knexNames = new Set<string>();
  /** Query chains with a call that is not Knex's query-builder API: never replayed. */
  readonly foreignQueries = new WeakSet<QueryState>();
  /** Reads imported modules' constants; null: imports stay unknown. */
  modules: ModuleLoader | null = null;
  /** Client names the code compares the Knex client with (`'sqlite3'`, `'mysql'`), lower-cased. */
  readonly clientNames = new Set<string>();
  /** How many client comparisons were decided by the set's dialect (a branch taken, the other skipped). */
  clientDecisions = 0;
  /** Code statically known not to run: not interpreted, and not reported as unreached either. */
  readonly skipped: { start: number; end: number }[] = [];
  /**
   * Set inside a loop over run-time values: `, inside \`for (const t of tables)\``. Calls in a
   * loop whose arguments are all static are interpreted as maybe-run; anything unresolvable
   * there says which loop it is in.
   */
  loop: string | null = null;
  readonly frames: Frame[] = [{ thisVal: null, returns: [] }];
  readonly callStack: FnNode[] = [];
  rawIds = 0;
  steps = 0;
  /**
   * Set when this interpreter runs a function of another module for its value only
   * (./foreign-calls.ts): what it does besides computing that value is recorded in `sideEffect`,
   * and any such thing (or any statement it emits) makes the call unresolved.
   */
  pure = false;
  sideEffect: string | null = null;

  /** Records something a value-only run cannot model (a call it cannot follow, a write outside the function). */
  noteSideEffect(what: string): void {
    if (this.pure) this.sideEffect ??= what;
  }

  /** An interpreter for another module's file, with this one's dialect, for a value-only run. */
  fork(file: SourceFile, modules: ModuleLoader): Interpreter {
    const sub = new Interpreter(file, this.dialect, () => []);
    sub.modules = modules;
    sub.pure = true;
    sub.steps = this.steps;
    sub.callStack.push(...this.callStack);
    return sub;
  }

  /** The constants another module of the project exports (see `ModuleLoader`). */
  importModule(specifier: string): ReadonlyMap<string, Val> | null {
    return this.modules ? this.modules(specifier, this.file.path) : null;
  }

  /** Starts a fresh step budget (once per migration direction). */
  resetBudget(): void {
    this.steps = 0;
  }

  step(): void {
    if (++this.steps > MAX_STEPS) throw new InterpretBudgetExceeded('too costly to interpret statically');
  }

  constructor(
    readonly file: SourceFile,
    readonly dialect: Dialect,
    readonly parseRawSql: ParseRawSql,
  ) {}

  // ---------------------------------------------------------------- helpers

  text(node: { start: number; end: number }): string {
    return this.file.text.slice(node.start, node.end);
  }

  span(start: number, end: number): Span {
    return { file: this.file, start, end };
  }

  describe(node: { start: number; end: number } | undefined): string {
    if (!node) return 'missing';
    const t = this.text(node).replace(/\s+/g, ' ');
    return `\`${t.length > 48 ? t.slice(0, 45) + '...' : t}\``;
  }

  get frame(): Frame {
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
        result.push(o.conditional ? { ...o.stmt, ops: o.stmt.ops.map(markConditional) } : o.stmt);
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
      result.push({ span: this.span(o.start, o.end), type: o.type, ops: o.conditional ? ops.map(markConditional) : ops, ast });
    }
    this.out = [];
    return result;
  }

  /** Runs `body`; everything it emits may not run (a branch decided at run time). */
  conditionally<T>(body: () => T): T {
    const from = this.out.length;
    const r = body();
    for (let i = from; i < this.out.length; i++) this.out[i]!.conditional = true;
    return r;
  }
}

function markConditional(op: Operation): Operation {
  return { ...op, conditional: true };
}

Object.assign(
  Interpreter.prototype,
  controlFlowMethods,
  bindingMethods,
  expressionMethods,
  callMethods,
  foreignCallMethods,
  queryMethods,
  rawMethods,
  schemaMethods,
  replayArgMethods,
);
