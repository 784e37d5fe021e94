/**
 * Calls: functions defined in the file are interpreted with their arguments; methods dispatch on
 * the receiver's abstract value (knex, schema, query, table builder, ...); calls migralint cannot
 * follow run their callbacks as maybe-run and report Knex handed over as unanalyzable.
 */
import type { CallExpression, Expression, MemberExpression, NewExpression } from 'oxc-parser';
import { posix } from 'node:path';
import { isKnexApi } from './allow-list.js';
import { arrayItems, arrayMethod, isBuilder, isFunctionNode, isKnexish, ITERATION_METHODS, MAX_DEPTH, MAX_UNROLL, objectListing, short, stringMethod, unwrap } from './js-values.js';
import { isStaticString, Scope, UNDEF, unknown, type Val } from './values.js';
import type { Frame, Interpreter } from './evaluator.js';

export const callMethods = {
  evalNew(this: Interpreter, n: NewExpression, scope: Scope): Val {
    this.eval(n.callee, scope);
    const args = this.evalArgsSinking(n.arguments, scope);
    this.noteSideEffect(`calls \`new ${short(this.text(n.callee))}\``);
    this.unknownCallArgs(n, this.text(n.callee), args);
    return unknown();
  },

  evalCall(this: Interpreter, call: CallExpression, scope: Scope): Val {
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
    if (callee.type === 'Identifier' && callee.name === 'require' && scope.lookup('require') === undefined) {
      const arg = this.argNode(call, 0);
      if (arg && arg.type === 'Literal' && typeof arg.value === 'string' && /^\.\.?\//.test(arg.value)) {
        const mod = this.importModule(arg.value);
        if (mod) {
          // CommonJS: `module.exports = 'x'` is the module itself; else its named exports.
          const whole = mod.get('default');
          return mod.size === 1 && whole && whole.k !== 'object' ? whole : { k: 'object', props: new Map([...mod].filter(([k]) => k !== 'default')), complete: true };
        }
      }
    }
    const fn = this.eval(callee, scope);
    if (fn.k === 'knex') {
      this.noteSideEffect('calls `knex()`');
      return this.knexCall(call, scope);
    }
    if (fn.k === 'fn') {
      const args = this.evalArgs(call.arguments, scope);
      return this.invoke(call, fn, args, null).value;
    }
    if (fn.k === 'foreignFn') return this.callForeign(call, fn, this.text(callee), scope);
    const args = this.evalArgsSinking(call.arguments, scope);
    return this.unknownCall(call, this.text(callee), '', args, null);
  },

  /** Calls a function defined in this file with the given arguments. */
  invoke(this: Interpreter, site: CallExpression | null, fn: Extract<Val, { k: 'fn' }>, args: Val[], thisVal: Val | null): { value: Val; returns: Val[] } {
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
  },

  /** Calls a callback as Knex or an unknown library would, and runs what it returns. */
  runCallback(this: Interpreter, fn: Val | undefined, args: Val[], thisVal: Val | null = null): void {
    if (!fn || fn.k !== 'fn') return;
    const { returns } = this.invoke(null, fn, args, thisVal);
    for (const r of returns) this.sink(r);
  },

  /**
   * A call migralint cannot follow (`calleeText` is the callee's source, `method` the method
   * name when it is a method call): callbacks run (maybe), knex handed over is unanalyzable.
   */
  unknownCall(this: Interpreter, call: CallExpression, calleeText: string, method: string, args: Val[], receiver: Val | null, why?: string): Val {
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
      const r = test ? this.clientTest(a0.v, test) : null;
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
    this.noteSideEffect(`calls \`${short(calleeText)}()\``);
    if (ITERATION_METHODS.has(method)) {
      this.withLoop(`, inside \`${calleeText.length > 40 ? '.' + method : calleeText}()\``, () => {
        for (const a of args) this.runCallback(a, [unknown('an element'), unknown('an index'), unknown()]);
      });
    } else {
      for (const a of args) this.runCallback(a, [unknown(), unknown(), unknown()]);
    }
    this.unknownCallArgs(call, calleeText.replace(/\s+/g, ' '), args, why);
    return unknown();
  },

  /**
   * Knex (or a table builder) handed to a function migralint cannot see into; `why`: why an
   * imported function it read is not followed.
   */
  unknownCallArgs(this: Interpreter, call: CallExpression | NewExpression, name: string, args: Val[], why?: string): void {
    const handed = args.find(isKnexish);
    if (!handed) return;
    const what = handed.k === 'tb' || handed.k === 'col' || handed.k === 'fk' ? 'the table builder' : '`knex`';
    const short = name.length > 40 ? name.slice(0, 37) + '...' : name;
    const where = why ? `, imported from another module, which migralint reads but cannot follow (${why})` : ', which is imported or not defined in this file';
    this.unanalyzableCall(call, handed, `passes ${what} to \`${short}()\`${where}; its changes cannot be seen statically`);
  },

  unanalyzableCall(this: Interpreter, call: CallExpression | NewExpression, about: Val, reason: string): Val {
    if (about.k === 'tb' || about.k === 'col' || about.k === 'fk') {
      about.tb.unanalyzable(reason, call.start, call.end);
    } else {
      this.emitUnanalyzable('knex.call', call.start, call.end, reason);
    }
    return unknown();
  },

  methodCall(this: Interpreter, call: CallExpression, callee: MemberExpression, obj: Val, name: string, scope: Scope): Val | null {
    // A helper of another module run for its value only may read the client, not call Knex.
    if (isBuilder(obj)) this.noteSideEffect(`calls \`${name}()\` on a Knex object`);
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
        return this.tableMethod(call, obj.tb, name, scope, obj, callee);
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
        if (m && m.k === 'foreignFn') return this.callForeign(call, m, this.text(callee), scope);
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
          if (name === 'includes' && args[0]?.k === 'dialectName') return this.clientAmong(items);
          return arrayMethod(items, name, args);
        }
        return null;
      }
      default:
        return null;
    }
  },
};
