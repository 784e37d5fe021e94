/**
 * Knex migrations, read statically: the file is parsed with oxc-parser (never imported or run),
 * its `up`/`down` exports are found, and their schema-builder calls are interpreted into the
 * normalized operations of src/model.ts, each with the span of the call that causes it.
 */
import { parseSync } from 'oxc-parser';
import type { Expression, Node, ObjectExpression, Program } from 'oxc-parser';
import type { Dialect, RawFinding, SourceFile, Span, Statement } from '../../model.js';
import { InterpretBudgetExceeded, Interpreter, unwrap, type ParseRawSql } from './evaluator.js';
import { tooDeeplyNested } from './nesting.js';
import { Scope, unknown, type Val } from './values.js';

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
  /** JS syntax errors (`syntax-error`). */
  findings: RawFinding[];
  /** Operations resolved statically, and all operations (unanalyzable ones included). */
  analyzed: number;
  total: number;
}

/**
 * `parseRawSql(sql, span)` receives the SQL of a `knex.raw` / `knex.schema.raw` string. Parse
 * `sql`, not the file's text: escapes are decoded, Knex bindings replaced (`?` → `0`), so the two
 * differ. `span` is where the SQL is written in the JS file:
 * - a string literal, a template literal without `${}`, or literals joined by `+`: `span` covers
 *   the content (quotes excluded) and `sql.length === span.end - span.start`, offset `i` of `sql`
 *   being offset `span.start + i` of the file (each escape keeps its width: `\n` → newline +
 *   space; the quotes and `+` between joined literals become spaces);
 * - SQL assembled from constants (`\`DROP TABLE ${TABLE}\``): `span` is the whole argument,
 *   `sql` is padded with spaces to its length when shorter but may be longer. The interpreter then
 *   puts every returned statement and operation on that span (it never relies on offsets there).
 * Return statements whose spans are in the JS file. `createRawSqlParser` in ./raw.ts builds this
 * callback from a dialect's `SectionParser`, errors included.
 */
export type { ParseRawSql };

function langOf(path: string): 'js' | 'jsx' | 'ts' | 'tsx' {
  const p = path.toLowerCase();
  if (p.endsWith('.tsx')) return 'tsx';
  if (p.endsWith('.ts') || p.endsWith('.mts') || p.endsWith('.cts')) return 'ts';
  if (p.endsWith('.jsx')) return 'jsx';
  return 'js';
}

function sourceTypeOf(path: string): 'module' | 'commonjs' | 'unambiguous' {
  const p = path.toLowerCase();
  if (p.endsWith('.mjs') || p.endsWith('.mts')) return 'module';
  if (p.endsWith('.cjs') || p.endsWith('.cts')) return 'commonjs';
  return 'unambiguous';
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

class Exports {
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

function runTopLevel(interp: Interpreter, program: Program, scope: Scope): Exports {
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
      }
      return;
    }
    if (st.type === 'ExportDefaultDeclaration') {
      const d = st.declaration;
      if (d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration' || d.type === 'TSInterfaceDeclaration') return;
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

/**
 * Interprets one Knex migration file. `parseRawSql` parses `knex.raw` SQL in the set's dialect
 * (see `ParseRawSql` above for the offsets contract).
 */
export function interpretKnexFile(file: SourceFile, dialect: Dialect, parseRawSql: ParseRawSql): KnexFileAnalysis {
  const findings: RawFinding[] = [];
  let program: Program;
  const deep = tooDeeplyNested(file.text);
  if (deep) {
    findings.push({ ruleId: 'syntax-error', message: deep,
      help: 'Split the deeply nested expression (or the data it builds) into smaller pieces, or move the data into a file the migration reads.', span: { file, start: 0, end: 0 } });
    return { up: null, down: null, transaction: 'transaction', findings, analyzed: 0, total: 0 };
  }
  try {
    const result = parseSync(file.path, file.text, {
      lang: langOf(file.path),
      sourceType: sourceTypeOf(file.path),
      preserveParens: false,
    });
    program = result.program;
    for (const e of result.errors) {
      if (e.severity !== 'Error') continue;
      const label = e.labels[0];
      const start = Math.min(label?.start ?? 0, file.text.length);
      const end = Math.min(Math.max(label?.end ?? start, start), file.text.length);
      findings.push({ ruleId: 'syntax-error', message: `JavaScript/TypeScript syntax error: ${e.message}`, span: { file, start, end } });
    }
  } catch (err) {
    findings.push({
      ruleId: 'syntax-error',
      message: `could not parse the file: ${err instanceof Error ? err.message : String(err)}`,
      span: { file, start: 0, end: 0 },
    });
    return { up: null, down: null, transaction: 'transaction', findings, analyzed: 0, total: 0 };
  }

  const interp = new Interpreter(file, dialect, parseRawSql);
  const top = new Scope(null);
  const exp = runTopLevel(interp, program, top);
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
  const run = (name: 'up' | 'down'): { stmts: Statement[] | null; span?: Span } => {
    const entry = exp.get(name);
    if (!entry) return { stmts: null };
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
    return { stmts, span };
  };
  const up = run('up');
  const down = run('down');
  return {
    up: up.stmts,
    down: down.stmts,
    ...(up.span ? { upSpan: up.span } : {}),
    ...(down.span ? { downSpan: down.span } : {}),
    transaction,
    findings,
    analyzed,
    total,
  };
}

const UP_EXPORT = [
  /\bexports\s*\.\s*up\s*=/,
  /\bexport\s+(?:async\s+)?function\s*\*?\s*up\s*[(<]/,
  /\bexport\s+(?:const|let|var)\s+up\b/,
  /\bmodule\s*\.\s*exports\s*=\s*\{[\s\S]*\bup\b/,
  /\bexport\s*\{[^}]*\bup\b[^}]*\}/,
  /\bexport\s+default\s*\{[\s\S]*\bup\b/,
];
const KNEX_SIGNAL = /\bknex\b|\bKnex\b|\.schema\s*\.\s*(?:createTable|createTableIfNotExists|alterTable|table|dropTable|dropTableIfExists|renameTable|raw|withSchema|hasTable|createView|createSchema|createExtension)\s*\(/i;
const OTHER_FRAMEWORK = /\bpgm\s*\.\s*\w+\s*\(|\bqueryInterface\b|\bMigrationBuilder\b|\bQueryInterface\b|\bqueryRunner\b/;

/**
 * Cheap text check: the file exports `up` and looks like Knex (a `knex`/`Knex` word, or
 * `x.schema.createTable(...)`-style calls), and not like node-pg-migrate, Sequelize or TypeORM.
 */
export function looksLikeKnexMigration(text: string): boolean {
  if (!UP_EXPORT.some((re) => re.test(text))) return false;
  if (/\bknex\b|\bKnex\b/.test(text)) return true;
  if (OTHER_FRAMEWORK.test(text)) return false;
  return KNEX_SIGNAL.test(text);
}
