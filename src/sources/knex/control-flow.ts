/**
 * Statements of the Knex static interpreter: blocks, branches, loops, `switch`, `try`. Control
 * flow is over-approximated: both branches of an `if` whose test is not known statically run (a
 * guarded block is a "maybe"), loops over static arrays are unrolled, loops over run-time values
 * run once with every Knex call inside them marked as in a loop.
 */
import type { Directive, Expression, Statement as EsStatement } from 'oxc-parser';
import { arrayItems, MAX_UNROLL, short } from './js-values.js';
import { Scope, truthy, UNDEF, unknown, type Val } from './values.js';
import type { Completion, Interpreter } from './evaluator.js';

export const controlFlowMethods = {
  hoist(this: Interpreter, body: readonly (Directive | EsStatement)[], scope: Scope): void {
    for (const st of body) {
      const decl = st.type === 'ExportNamedDeclaration' || st.type === 'ExportDefaultDeclaration' ? st.declaration : st;
      if (decl && decl.type === 'FunctionDeclaration' && decl.id) {
        scope.declare(decl.id.name, { k: 'fn', node: decl, scope, thisVal: null, name: decl.id.name });
      }
    }
  },

  /**
   * Runs statements in order. Returns how the block completed: 0 normally, 1 by `break` or
   * `continue`, 2 by `return` or `throw` (on every path interpreted). What follows a completed
   * statement is dead code: skipped.
   */
  execBlock(this: Interpreter, body: readonly (Directive | EsStatement)[], scope: Scope): Completion {
    this.hoist(body, scope);
    for (let i = 0; i < body.length; i++) {
      const c = this.exec(body[i]!, scope);
      if (c !== 0) {
        for (const rest of body.slice(i + 1)) this.skip(rest);
        return c;
      }
    }
    return 0;
  },

  exec(this: Interpreter, st: Directive | EsStatement, scope: Scope): Completion {
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
        // A deliberate failure (an irreversible down says so by throwing): a statement, with no SQL.
        this.out.push({
          t: 'draft',
          start: st.start,
          end: st.end,
          type: 'knex.throw',
          ops: [{ kind: 'other', statement: 'throw', span: this.span(st.start, st.end) }],
          ast: { source: 'knex', kind: 'none', calls: [] },
        });
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
        // A test known only at run time: what either branch emits may not run.
        const run = (node: EsStatement): Completion => (t === null ? this.conditionally(() => this.exec(node, new Scope(scope))) : this.exec(node, new Scope(scope)));
        if (t !== false) a = run(st.consequent);
        else this.skip(st.consequent);
        if (st.alternate) {
          if (t !== true) b = run(st.alternate);
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
          // A catch block runs only when something failed.
          hc = this.conditionally(() => this.execBlock(st.handler!.body.body, hs));
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
            if (!s.assign(left.name, v)) this.noteSideEffect(`writes \`${left.name}\`, declared outside it`);
          } else {
            this.noteSideEffect(`writes ${this.describe(left)}`);
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
      case 'ImportDeclaration': {
        if (st.importKind === 'type') return 0;
        const source = st.source.value;
        const mod = this.importModule(source);
        for (const sp of st.specifiers) {
          if (sp.type === 'ImportSpecifier' && sp.importKind === 'type') continue;
          let v: Val;
          if (!mod) v = unknown(`\`${sp.local.name}\` is imported from ${source}, which migralint cannot read statically`);
          else if (sp.type === 'ImportNamespaceSpecifier') v = { k: 'object', props: new Map(mod), complete: true };
          else {
            const name = sp.type === 'ImportDefaultSpecifier' ? 'default' : sp.imported.type === 'Identifier' ? sp.imported.name : String(sp.imported.value);
            v = mod.get(name) ?? (name === 'default' ? { k: 'object', props: new Map(mod), complete: true } : unknown(`\`${name}\` is not a constant exported by ${source}`));
          }
          scope.declare(sp.local.name, v);
        }
        return 0;
      }
      case 'ClassDeclaration':
        // Its static blocks and initializers run, unread: nothing a value-only run can vouch for.
        this.noteSideEffect(`declares the class ${this.describe(st.id ?? st)}`);
        return 0;
      default:
        // Function declarations are hoisted; types, imports, empty statements: nothing runs.
        return 0;
    }
  },

  withLoop<T>(this: Interpreter, suffix: string, fn: () => T): T {
    const prev = this.loop;
    this.loop = suffix;
    try {
      return fn();
    } finally {
      this.loop = prev;
    }
  },
};
