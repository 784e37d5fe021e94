/**
 * Expressions of the Knex static interpreter: literals, templates, operators, members, objects
 * and arrays, evaluated to abstract values (./values.ts). Nothing is executed.
 */
import type { CallExpression, Expression, MemberExpression, NewExpression, TemplateLiteral } from 'oxc-parser';
import type { CallSite } from './table.js';
import { FORBIDDEN_NAMES } from './allow-list.js';
import { arrayItems, isBuilder, memberOf, unwrap } from './js-values.js';
import { clientEquals, clientNameTest, isStaticString, type Scope, truthy, UNDEF, unknown, type Val } from './values.js';
import type { Interpreter } from './evaluator.js';

export const expressionMethods = {
  /** Evaluates an expression whose value is executed (awaited, returned, run as a statement). */
  evalSink(this: Interpreter, node: Expression, scope: Scope): Val {
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
  },

  /** A value is executed: a pending raw query runs now. */
  sink(this: Interpreter, v: Val): void {
    if (v.k === 'raw') this.emitRaw(v.raw);
    else if (v.k === 'array') for (const it of v.items) this.sink(it);
  },

  eval(this: Interpreter, node: Expression, scope: Scope): Val {
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
        if (n.operator === 'delete') this.noteSideEffect(`deletes ${this.describe(n.argument)}`);
        if (n.operator === 'void') return UNDEF;
        if (n.operator === '-' && v.k === 'lit' && typeof v.v === 'number') return { k: 'lit', v: -v.v };
        if (n.operator === '!') {
          const t = truthy(v);
          if (t !== null) return { k: 'lit', v: !t };
        }
        return unknown();
      }
      case 'UpdateExpression':
        if (n.argument.type !== 'Identifier') this.noteSideEffect(`writes ${this.describe(n.argument)}`);
        else if (!scope.assign(n.argument.name, unknown())) this.noteSideEffect(`writes \`${n.argument.name}\`, declared outside it`);
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
            if (!scope.assign(left.name, v)) this.noteSideEffect(`writes \`${left.name}\`, declared outside it`);
          } else if (!scope.assign(left.name, unknown())) {
            this.noteSideEffect(`writes \`${left.name}\`, declared outside it`);
          }
        } else if (left.type === 'MemberExpression') {
          this.noteSideEffect(`writes ${this.describe(left)}`);
          this.assignMember(left, v, scope);
        } else {
          this.noteSideEffect('assigns by destructuring');
        }
        return v;
      }
      case 'TaggedTemplateExpression':
        this.noteSideEffect(`calls the template tag ${this.describe(n.tag)}`);
        this.eval(n.tag, scope);
        for (const e of n.quasi.expressions) this.eval(e, scope);
        return unknown('a tagged template');
      default:
        // import(), classes, JSX, ...: nothing migralint models (a value-only run cannot vouch for it).
        this.noteSideEffect(`evaluates ${this.describe(n)}, which migralint does not model`);
        return unknown();
    }
  },

  /** Hook for `exports.x = ...`; the base interpreter ignores member assignments except on objects. */
  assignMember(this: Interpreter, left: MemberExpression, v: Val, scope: Scope): void {
    const obj = this.eval(left.object, scope);
    const name = this.propName(left, scope);
    if (obj.k === 'object' && name !== null) obj.props.set(name, v);
  },

  /** The Knex client compared with `s` (`client === 'mysql'`, `.includes('sqlite')`): known for the set's dialect. */
  clientTest(this: Interpreter, s: string, test: (name: string, s: string) => boolean): boolean | null {
    this.clientNames.add(s.toLowerCase());
    const r = clientNameTest(this.dialect, s, test);
    if (r !== null) this.clientDecisions++;
    return r;
  },

  /** `['pg', 'postgres'].includes(knex.client.config.client)`: known when every name is decided. */
  clientAmong(this: Interpreter, items: Val[]): Val {
    if (!items.every(isStaticString)) return unknown();
    const tests = items.map((it) => this.clientTest((it as { v: string }).v, clientEquals));
    if (tests.some((t) => t === true)) return { k: 'lit', v: true };
    return tests.every((t) => t === false) ? { k: 'lit', v: false } : unknown();
  },

  /** `l === r` when known statically. */
  equals(this: Interpreter, l: Val, r: Val): boolean | null {
    if (l.k === 'dialectName' && isStaticString(r)) return this.clientTest(r.v, clientEquals);
    if (r.k === 'dialectName' && isStaticString(l)) return this.clientTest(l.v, clientEquals);
    if (l.k === 'lit' && r.k === 'lit' && (typeof l.v !== 'object' || l.v === null) && (typeof r.v !== 'object' || r.v === null)) return l.v === r.v;
    if (l.k === 'undef' && r.k === 'undef') return true;
    return null;
  },
  skip(this: Interpreter, node: { start: number; end: number }): void {
    this.skipped.push({ start: node.start, end: node.end });
  },

  evalTemplate(this: Interpreter, n: TemplateLiteral, scope: Scope): Val {
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
  },

  propName(this: Interpreter, m: MemberExpression, scope: Scope): string | null {
    if (!m.computed) return m.property.type === 'PrivateIdentifier' ? null : m.property.name;
    const v = this.eval(m.property, scope);
    return v.k === 'lit' && (typeof v.v === 'string' || typeof v.v === 'number') ? String(v.v) : null;
  },

  evalMember(this: Interpreter, n: MemberExpression, scope: Scope): Val {
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
  },

  evalArgs(this: Interpreter, args: CallExpression['arguments'], scope: Scope): Val[] {
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
  },

  /** Arguments of a call migralint cannot follow: evaluated as executed. */
  evalArgsSinking(this: Interpreter, args: CallExpression['arguments'], scope: Scope): Val[] {
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
  },

  argNode(this: Interpreter, call: CallExpression | NewExpression, i: number): Expression | undefined {
    const a = call.arguments[i];
    return a && a.type !== 'SpreadElement' ? a : undefined;
  },

  site(this: Interpreter, call: CallExpression, start: number): CallSite {
    return { start, end: call.end, argText: call.arguments.map((a) => this.text(a)) };
  },

  /** Where an operation made by a chained call starts: at the method name after the dot. */
  chainedStart(this: Interpreter, callee: MemberExpression): number {
    return callee.property.start;
  },
};
