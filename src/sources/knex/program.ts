/**
 * A Knex migration's program, interpreted: its `up`/`down` exports are found and their builder
 * calls turned into statements. Works on any ESTree \`Program\` (oxc-parser here, espree or
 * typescript-eslint in the ESLint plugin): nodes need \`start\`/\`end\` offsets or a \`range\`.
 * Nothing is imported or run.
 */
import type { Expression, Node, ObjectExpression, Program } from 'oxc-parser';
import type { Dialect, RawFinding, SourceFile, Span, Statement } from '../../model.js';
import { InterpretBudgetExceeded, Interpreter, unwrap, type ParseRawSql } from './evaluator.js';
import { Scope, unknown, type Val } from './values.js';
import type { ModuleLoader } from './evaluator.js';

export type { ParseRawSql };

export interface KnexFileAnalysis {
  /** Null when the file has no `up` export. */
  up: Statement[] | null;
  /** Null when the file has no `down` export. */
  down: Statement[] | null;
  /** Span of the up/down function (for findings about it). */
  upSpan?: Span;
  downSpan?: Span;
  /** `none` when the file exports `config = { transaction: false }`. */
  transaction: 'transaction' | 'none';
  /** Client names the code compares the Knex client with (lower-cased): a hint of the dialect. */
  clientNames?: string[];
  /** JS syntax errors (`syntax-error`). */
  findings: RawFinding[];
  /** Operations resolved statically, and all operations (unanalyzable ones included). */
  analyzed: number;
  total: number;
}

interface ExportEntry {
  readonly val: Val;
  readonly start: number;
  readonly end: number;
}

/** `exports.X`, `module.exports.X` → X; `module.exports` → ''; otherwise null. */
function exportTarget(node: Expression): string | null {
  const n = unwrap(node);
  if (n.type === 'Identifier') return null;
  if (n.type !== 'MemberExpression' || n.computed || n.property.type !== 'Identifier') {
    if (n.type === 'MemberExpression' && n.computed && n.property.type === 'Literal' && typeof n.property.value === 'string') {
      const obj = unwrap(n.object);
      if (isExportsObject(obj)) return n.property.value;
    }
    return null;
  }
  const obj = unwrap(n.object);
  if (obj.type === 'Identifier' && obj.name === 'module' && n.property.name === 'exports') return '';
  if (isExportsObject(obj)) return n.property.name;
  return null;
}

function isExportsObject(obj: Expression): boolean {
  if (obj.type === 'Identifier' && obj.name === 'exports') return true;
  return (
    obj.type === 'MemberExpression' &&
    !obj.computed &&
    obj.property.type === 'Identifier' &&
    obj.property.name === 'exports' &&
    unwrap(obj.object).type === 'Identifier' &&
    (unwrap(obj.object) as { name: string }).name === 'module'
  );
}

export class Exports {
  readonly named = new Map<string, ExportEntry>();
  /** `module.exports = {...}` / `export default {...}` / `export = {...}`. */
  whole: { val: Val; node: Expression } | null = null;

  get(name: string): ExportEntry | undefined {
    const n = this.named.get(name);
    if (n) return n;
    if (!this.whole) return undefined;
    const { val, node } = this.whole;
    if (val.k !== 'object') return undefined;
    const v = val.props.get(name);
    if (!v) return undefined;
    const prop = unwrap(node).type === 'ObjectExpression' ? findProp(unwrap(node) as ObjectExpression, name) : null;
    const where = v.k === 'fn' ? v.node : prop ?? node;
    return { val: v, start: where.start, end: where.end };
  }
}

function findProp(obj: ObjectExpression, name: string): Node | null {
  for (const p of obj.properties) {
    if (p.type !== 'Property' || p.computed) continue;
    if ((p.key.type === 'Identifier' && p.key.name === name) || (p.key.type === 'Literal' && p.key.value === name)) return p;
  }
  return null;
}

export function runTopLevel(interp: Interpreter, program: Program, scope: Scope): Exports {
  const exp = new Exports();
  const specifiers: Specifier[] = [];
  interp.hoist(program.body, scope);
  for (const st of program.body) {
    interp.resetBudget();
    try {
      topLevelStatement(interp, st, scope, exp, specifiers);
    } catch {
      // Top-level code migralint cannot evaluate: its bindings stay unknown.
    }
  }
  for (const s of specifiers) {
    const val = scope.lookup(s.local) ?? unknown();
    exp.named.set(s.exported, { val, start: valStart(val, s), end: valEnd(val, s) });
  }
  return exp;
}

type Specifier = { local: string; exported: string; start: number; end: number };

function topLevelStatement(interp: Interpreter, st: Program['body'][number], scope: Scope, exp: Exports, specifiers: Specifier[]): void {
  {
    if (st.type === 'ExpressionStatement') {
      const e = unwrap(st.expression);
      if (e.type === 'AssignmentExpression' && e.operator === '=' && e.left.type === 'MemberExpression') {
        const target = exportTarget(e.left);
        if (target !== null) {
          // `exports.up = exports.down = ...` chains: evaluate the right side once.
          let right: Expression = e.right;
          const targets = [target];
          for (let r = unwrap(right); r.type === 'AssignmentExpression' && r.left.type === 'MemberExpression'; r = unwrap(right)) {
            const t = exportTarget(r.left);
            if (t === null) break;
            targets.push(t);
            right = r.right;
          }
          const val = interp.eval(right, scope);
          for (const t of targets) {
            if (t === '') exp.whole = { val, node: right };
            else exp.named.set(t, { val, start: valStart(val, right), end: valEnd(val, right) });
          }
          return;
        }
      }
      interp.exec(st, scope);
      return;
    }
    if (st.type === 'ExportNamedDeclaration') {
      const d = st.declaration;
      if (d) {
        interp.exec(d, scope);
        if (d.type === 'FunctionDeclaration' && d.id) {
          exp.named.set(d.id.name, { val: scope.lookup(d.id.name) ?? unknown(), start: d.start, end: d.end });
        } else if (d.type === 'TSEnumDeclaration') {
          exp.named.set(d.id.name, { val: scope.lookup(d.id.name) ?? unknown(), start: d.start, end: d.end });
        } else if (d.type === 'VariableDeclaration') {
          for (const decl of d.declarations) {
            if (decl.id.type !== 'Identifier') return;
            const val = scope.lookup(decl.id.name) ?? unknown();
            const init = decl.init;
            exp.named.set(decl.id.name, { val, start: init ? valStart(val, init) : decl.start, end: init ? valEnd(val, init) : decl.end });
          }
        }
      }
      if (!st.source) {
        for (const s of st.specifiers) {
          const local = s.local.type === 'Literal' ? s.local.value : s.local.name;
          const exported = s.exported.type === 'Literal' ? s.exported.value : s.exported.name;
          specifiers.push({ local, exported, start: s.start, end: s.end });
        }
      } else {
        // `export { TABLE } from './tables'`: the other module's constants, read statically.
        const mod = interp.importModule(st.source.value);
        for (const s of st.specifiers) {
          const local = s.local.type === 'Literal' ? s.local.value : s.local.name;
          const exported = s.exported.type === 'Literal' ? s.exported.value : s.exported.name;
          exp.named.set(exported, { val: mod?.get(local) ?? unknown(`\`${local}\` is not a constant of ${st.source.value}`), start: s.start, end: s.end });
        }
      }
      return;
    }
    if (st.type === 'ExportAllDeclaration') {
      const mod = interp.importModule(st.source.value);
      if (mod && !st.exported) {
        for (const [k, v] of mod) if (k !== 'default') exp.named.set(k, { val: v, start: st.start, end: st.end });
      } else if (mod && st.exported) {
        const name = st.exported.type === 'Literal' ? String(st.exported.value) : st.exported.name;
        exp.named.set(name, { val: { k: 'object', props: new Map(mod), complete: true }, start: st.start, end: st.end });
      }
      return;
    }
    if (st.type === 'ExportDefaultDeclaration') {
      const d = st.declaration;
      if (d.type === 'FunctionDeclaration') {
        // `export default function isPostgres(db) {...}` (hoisted under its name) or anonymous.
        const val: Val = (d.id ? scope.lookup(d.id.name) : undefined) ?? { k: 'fn', node: d, scope, thisVal: null };
        exp.whole ??= { val, node: d as unknown as Expression };
        return;
      }
      if (d.type === 'ClassDeclaration' || d.type === 'TSInterfaceDeclaration') return;
      const expr = d as Expression;
      const val = interp.eval(expr, scope);
      exp.whole ??= { val, node: expr };
      return;
    }
    if (st.type === 'TSExportAssignment') {
      exp.whole = { val: interp.eval(st.expression, scope), node: st.expression };
      return;
    }
    interp.exec(st, scope);
  }
}

function valStart(v: Val, fallback: { start: number }): number {
  return v.k === 'fn' ? v.node.start : fallback.start;
}

function valEnd(v: Val, fallback: { end: number }): number {
  return v.k === 'fn' ? v.node.end : fallback.end;
}

/** Calls that look like Knex calls the interpreter never evaluated (dead helpers, classes, ...). */
function safetyNet(interp: Interpreter, root: Node, covered: { start: number; end: number }[]): void {
  const isCovered = (n: { start: number; end: number }): boolean => covered.some((c) => c.start <= n.start && n.end <= c.end);
  const looksKnex = (callee: Expression): boolean => {
    let n = unwrap(callee);
    if (n.type === 'Identifier') return interp.knexNames.has(n.name);
    let sawSchema = false;
    let first = true;
    while (n.type === 'MemberExpression' || n.type === 'CallExpression') {
      if (n.type === 'MemberExpression') {
        if (!n.computed && n.property.type === 'Identifier') {
          if (n.property.name === 'schema') sawSchema = true;
          if (first && n.property.name === 'raw') {
            const o = unwrap(n.object);
            if (o.type === 'Identifier' && interp.knexNames.has(o.name)) return true;
          }
        }
        first = false;
        n = unwrap(n.object);
      } else {
        n = unwrap(n.callee);
      }
    }
    return sawSchema && n.type === 'Identifier';
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const c of node) walk(c);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const n = node as Node;
    if (typeof (n as { type?: unknown }).type !== 'string') return;
    if (n.type === 'CallExpression' && !interp.visited.has(n.start) && !isCovered(n) && looksKnex(n.callee)) {
      interp.emitUnanalyzable(
        'knex.unreached',
        n.start,
        n.end,
        'this Knex call is not reached by static interpretation (it is in a function migralint does not see called, or in code it does not follow)',
      );
      covered.push({ start: n.start, end: n.end });
      return;
    }
    for (const [key, child] of Object.entries(n)) {
      if (key === 'parent') continue;
      if (typeof child === 'object' && child !== null) walk(child);
    }
  };
  walk(root);
}

export interface KnexProgramOptions {
  readonly dialect: Dialect;
  /** Parses the SQL of \`knex.raw\` strings (see \`ParseRawSql\` in ./interpret.ts for the offsets contract). */
  readonly parseRawSql: ParseRawSql;
  /** The file the program was parsed from; spans point into it. Default: an unnamed file holding \`text\`. */
  readonly file?: SourceFile;
  /** Findings the parser made (syntax errors), returned with the analysis. */
  readonly findings?: RawFinding[];
  /**
   * Reads the constant exports of a module the program imports (`import { TABLE } from
   * './tables.js'`, `require('./constants')`); ./imports.ts builds one over the file system.
   * Without it, imported names are unknown.
   */
  readonly modules?: ModuleLoader;
}

/**
 * Interprets a Knex migration from its ESTree \`Program\` and source text: the statements of its
 * \`up\` and \`down\`, each with spans (UTF-16 offsets into \`text\`). Independent of the parser
 * that produced the tree: the ESLint plugin calls it with espree's or typescript-eslint's AST.
 */
export function interpretKnexProgram(program: unknown, text: string, options: KnexProgramOptions): KnexFileAnalysis {
  const file: SourceFile = options.file ?? { path: '<input>', relPath: '<input>', text };
  const findings: RawFinding[] = [...(options.findings ?? [])];
  const dialect = options.dialect;
  const parseRawSql = options.parseRawSql;
  withOffsets(program);
  const interp = new Interpreter(file, dialect, parseRawSql);
  if (options.modules) interp.modules = options.modules;
  const top = new Scope(null);
  const exp = runTopLevel(interp, program as Program, top);
  interp.out = []; // anything top-level code "emitted" is not part of a migration direction

  let transaction: 'transaction' | 'none' = 'transaction';
  const config = exp.get('config')?.val;
  if (config) {
    const t = config.k === 'object' ? config.props.get('transaction') : undefined;
    if (t && t.k === 'lit' && t.v === false) transaction = 'none';
    if (config.k === 'lit' && config.v !== null && typeof config.v === 'object' && !Array.isArray(config.v) && config.v['transaction'] === false) {
      transaction = 'none';
    }
  }

  let analyzed = 0;
  let total = 0;
  const run = (name: 'up' | 'down'): { stmts: Statement[] | null; span?: Span; clientDecided?: boolean } => {
    const entry = exp.get(name);
    if (!entry) return { stmts: null };
    const decisionsBefore = interp.clientDecisions;
    const span: Span = { file, start: entry.start, end: entry.end };
    interp.out = [];
    interp.resetBudget();
    const covered: { start: number; end: number }[] = [];
    if (entry.val.k === 'fn') {
      try {
        const { returns } = interp.invoke(null, entry.val, [{ k: 'knex' }, unknown('the Promise constructor')], null);
        for (const r of returns) interp.sink(r);
        for (const o of interp.out) if (o.t === 'draft' && o.ast.kind === 'unanalyzable') covered.push({ start: o.start, end: o.end });
        covered.push(...interp.skipped);
        safetyNet(interp, entry.val.node, covered);
      } catch (err) {
        // What was found so far stands; the rest is reported, not dropped.
        const why = err instanceof InterpretBudgetExceeded ? err.message : `an internal error (${err instanceof Error ? err.message : String(err)})`;
        interp.emitUnanalyzable('knex.migration', span.start, span.end, `the rest of \`${name}\` was not interpreted: ${why}`);
      }
    } else {
      interp.emitUnanalyzable(
        'knex.migration',
        entry.start,
        entry.end,
        `the \`${name}\` export is not a function defined in this file`,
      );
    }
    const stmts = interp.finish();
    for (const s of stmts) {
      for (const op of s.ops) {
        total++;
        if (op.kind !== 'unanalyzable') analyzed++;
      }
    }
    return { stmts, span, clientDecided: interp.clientDecisions > decisionsBefore };
  };
  const up = run('up');
  const down = run('down');
  if (down.stmts && down.stmts.length === 0 && down.span && down.clientDecided && (up.stmts?.length ?? 0) === 0) {
    // `if (isSQLite) { ... }` in both up and down: a migration for other clients, nothing to undo here.
    down.stmts.push({
      span: down.span,
      type: 'knex.client-conditional',
      ops: [{ kind: 'other', statement: `nothing for the ${dialect} client`, span: down.span }],
      ast: { source: 'knex', kind: 'none', calls: [] },
    });
  }
  return {
    up: up.stmts,
    down: down.stmts,
    ...(up.span ? { upSpan: up.span } : {}),
    ...(down.span ? { downSpan: down.span } : {}),
    transaction,
    findings,
    clientNames: [...interp.clientNames],
    analyzed,
    total,
  };
}


/** Gives every node \`start\`/\`end\` from its \`range\` where the parser (typescript-eslint) left them out. */
function withOffsets(root: unknown): void {
  const first = root as { start?: unknown; range?: unknown };
  if (typeof first.start === 'number' || !Array.isArray(first.range)) return;
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const n = stack.pop();
    if (typeof n !== 'object' || n === null || seen.has(n)) continue;
    seen.add(n);
    if (Array.isArray(n)) {
      for (const c of n) stack.push(c);
      continue;
    }
    const node = n as { type?: unknown; start?: number; end?: number; range?: [number, number] };
    if (typeof node.type === 'string' && Array.isArray(node.range) && typeof node.start !== 'number') {
      node.start = node.range[0];
      node.end = node.range[1];
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === 'parent' || key === 'loc' || key === 'range' || key === 'tokens' || key === 'comments') continue;
      if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
}
