/**
 * Calls of functions the project's other modules export (`import { isPostgres } from '../db'`,
 * `const { isPostgres } = require('../db')`). The module was parsed and its top level interpreted
 * statically (./imports.ts, never required or run); a call interprets the function's body with the
 * same evaluator, in a fresh interpreter over that module's file and scope (its own imports and
 * constants), with the caller's dialect, step budget and call depth.
 *
 * Only a value crosses back: a helper that inspects the connection's client (a dialect check) or
 * computes a value from constants. A helper that emits anything (a Knex call, a raw query, a
 * throw) or does something the evaluator cannot model (calls a function it cannot follow, writes
 * a variable outside itself or a property, `new`, `delete`, `import()`) stays unresolved: the call
 * is handled as any call migralint cannot follow, never guessed.
 */
import type { CallExpression } from 'oxc-parser';
import { isBuilder, MAX_DEPTH } from './js-values.js';
import { crossModules, InterpretBudgetExceeded, KNEX_VALUES, type Scope, type Val } from './values.js';
import type { Interpreter, Out } from './evaluator.js';

type ForeignFn = Extract<Val, { k: 'foreignFn' }>;

/** Why a helper that emitted `first` is not followed. */
function emittedWhy(first: Out): string {
  if (first.t === 'draft' && first.type === 'knex.throw') return 'it throws';
  if (first.t === 'draft' && first.ast.kind === 'unanalyzable' && first.ast.unavailable) return `it ${first.ast.unavailable}`;
  return 'it runs Knex calls';
}

/** A Knex builder or pending raw query, at any depth of static data. */
function holdsBuilder(v: Val, depth = 0): boolean {
  if (depth > 20) return false;
  if (v.k === 'array') return v.items.some((it) => holdsBuilder(it, depth + 1));
  if (v.k === 'object') return [...v.props.values()].some((it) => holdsBuilder(it, depth + 1));
  return v.k === 'raw' || (isBuilder(v) && !KNEX_VALUES.includes(v.k));
}

export const foreignCallMethods = {
  /**
   * `f(...)` (or `ns.f(...)`): its value when the helper can be read through, else handled as a
   * call migralint cannot follow (its callbacks maybe-run, knex handed over reported), saying why.
   */
  callForeign(this: Interpreter, call: CallExpression, f: ForeignFn, calleeText: string, scope: Scope): Val {
    const args = this.evalArgs(call.arguments, scope);
    const r = this.invokeForeign(f, args);
    if ('value' in r) return r.value;
    for (const a of args) this.sink(a);
    return this.unknownCall(call, calleeText, '', args, null, r.why);
  },

  /**
   * The value `f(...args)` returns, interpreted in `f`'s module; a string saying why not when the
   * helper is not a pure computation migralint can follow (the caller then treats the call as
   * one it cannot follow).
   */
  invokeForeign(this: Interpreter, f: ForeignFn, args: Val[]): { value: Val } | { why: string } {
    // A table builder, schema builder, query or raw handed over: the helper would act on it.
    if (args.some(holdsBuilder)) return { why: 'it is given a Knex builder' };
    if (this.callStack.length >= MAX_DEPTH) return { why: 'calls nest too deeply' };
    const sub = this.fork(f.module.file, f.module.load);
    let r: { value: Val; returns: Val[] };
    try {
      r = sub.invoke(null, f.fn, args.map((a) => crossModules(a, null, true)), null);
    } catch (err) {
      // The same step budget as the caller's: exceeding it ends the caller's interpretation too.
      if (err instanceof InterpretBudgetExceeded) throw err;
      return { why: 'it could not be interpreted' };
    } finally {
      this.steps = sub.steps;
    }
    if (sub.out.length > 0) return { why: emittedWhy(sub.out[0]!) };
    if (sub.sideEffect) return { why: `it ${sub.sideEffect}` };
    // Every return, not only the value they agree on: a builder returned on one path runs in the caller.
    if (r.returns.some(holdsBuilder)) return { why: 'it returns a Knex builder' };
    for (const c of sub.clientNames) this.clientNames.add(c);
    this.clientDecisions += sub.clientDecisions;
    return { value: crossModules(r.value, f.module, true) };
  },
};
