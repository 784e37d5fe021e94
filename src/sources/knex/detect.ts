/**
 * Is this JS/TS file a Knex migration? Decided from the program's real exports (`exports.up`,
 * `module.exports = { up, down }`, `export async function up`, `export const up`,
 * `export { up }`, `export default { up, down }`), not from text that may sit inside a string or
 * a comment, and from Knex signs in the up function (a parameter used as `knex.schema` /
 * `knex.raw` / `knex(...)`, or a `knex` import). Other frameworks' migrations (node-pg-migrate,
 * Sequelize, TypeORM, db-migrate) are not Knex.
 */
import type { ArrowFunctionExpression, Expression, Function as FunctionNode, Node, Program } from 'oxc-parser';
import { MAY_EXPORT_UP } from './may-export-up.js';
import { parseJsProgram } from './parse-js.js';

const OTHER_FRAMEWORK = /\bpgm\s*\.\s*\w+\s*\(|\bqueryInterface\b|\bMigrationBuilder\b|\bQueryInterface\b|\bqueryRunner\b|\bMigrationInterface\b/;
const KNEX_WORD = /\bknex\b|\bKnex\b/;

type Fn = FunctionNode | ArrowFunctionExpression;

function unwrapExpr(node: Expression): Expression {
  let n = node;
  while (
    n.type === 'TSAsExpression' ||
    n.type === 'TSSatisfiesExpression' ||
    n.type === 'TSNonNullExpression' ||
    n.type === 'ParenthesizedExpression' ||
    n.type === 'TSTypeAssertion'
  ) {
    n = n.expression;
  }
  return n;
}

function isExportsObject(n: Expression): boolean {
  const o = unwrapExpr(n);
  if (o.type === 'Identifier') return o.name === 'exports';
  return (
    o.type === 'MemberExpression' &&
    !o.computed &&
    o.property.type === 'Identifier' &&
    o.property.name === 'exports' &&
    unwrapExpr(o.object).type === 'Identifier' &&
    (unwrapExpr(o.object) as { name: string }).name === 'module'
  );
}

function memberName(m: Extract<Expression, { type: 'MemberExpression' }>): string | null {
  if (!m.computed) return m.property.type === 'Identifier' ? m.property.name : null;
  return m.property.type === 'Literal' && typeof m.property.value === 'string' ? m.property.value : null;
}

function propKey(p: Node): string | null {
  if (p.type !== 'Property' || p.computed) return null;
  if (p.key.type === 'Identifier') return p.key.name;
  if (p.key.type === 'Literal' && typeof p.key.value === 'string') return p.key.value;
  return null;
}

/** What the program exports as `up` and `down` (the value expressions, when written in the file). */
export interface MigrationExports {
  readonly up: Expression | Fn | null;
  readonly down: Expression | Fn | null;
}

export function migrationExports(program: Program): MigrationExports {
  const found: { up: Expression | Fn | null; down: Expression | Fn | null } = { up: null, down: null };
  const topFns = new Map<string, Fn>();
  const topVars = new Map<string, Expression>();
  for (const st of program.body) {
    const d = st.type === 'ExportNamedDeclaration' && st.declaration ? st.declaration : st;
    if (d.type === 'FunctionDeclaration' && d.id) topFns.set(d.id.name, d);
    if (d.type === 'VariableDeclaration') for (const v of d.declarations) if (v.id.type === 'Identifier' && v.init) topVars.set(v.id.name, v.init);
  }
  const set = (name: string, value: Expression | Fn): void => {
    if (name === 'up' || name === 'down') found[name] = value;
  };
  const fromObject = (value: Expression): void => {
    let v = unwrapExpr(value);
    if (v.type === 'Identifier' && topVars.has(v.name)) v = unwrapExpr(topVars.get(v.name)!);
    if (v.type !== 'ObjectExpression') return;
    for (const p of v.properties) {
      const key = propKey(p);
      if (key !== null && p.type === 'Property') set(key, p.value as Expression);
    }
  };
  for (const st of program.body) {
    if (st.type === 'ExpressionStatement') {
      // `exports.up = exports.down = ...` chains too.
      for (let e = unwrapExpr(st.expression); e.type === 'AssignmentExpression' && e.operator === '='; e = unwrapExpr(e.right)) {
        const left = e.left;
        if (left.type !== 'MemberExpression') break;
        const name = memberName(left);
        if (isExportsObject(left.object) && name !== null) set(name, e.right);
        else if (isExportsObject(left)) fromObject(e.right);
        else break;
      }
    } else if (st.type === 'ExportNamedDeclaration') {
      const d = st.declaration;
      if (d?.type === 'FunctionDeclaration' && d.id) set(d.id.name, d);
      else if (d?.type === 'VariableDeclaration') {
        for (const v of d.declarations) if (v.id.type === 'Identifier' && v.init) set(v.id.name, v.init);
      }
      if (!st.source) {
        for (const s of st.specifiers) {
          const local = s.local.type === 'Identifier' ? s.local.name : String(s.local.value);
          const exported = s.exported.type === 'Identifier' ? s.exported.name : String(s.exported.value);
          const value = topFns.get(local) ?? topVars.get(local);
          if (value) set(exported, value);
        }
      }
    } else if (st.type === 'ExportDefaultDeclaration') {
      const d = st.declaration;
      if (d.type !== 'FunctionDeclaration' && d.type !== 'ClassDeclaration' && d.type !== 'TSInterfaceDeclaration') fromObject(d as Expression);
    } else if (st.type === 'TSExportAssignment') {
      fromObject(st.expression);
    }
  }
  // `exports.up = up` / `{ up }` naming a top-level function.
  for (const k of ['up', 'down'] as const) {
    const v = found[k];
    if (v && v.type === 'Identifier') found[k] = topFns.get(v.name) ?? topVars.get(v.name) ?? v;
  }
  return found;
}

function isFn(n: Expression | Fn | null): n is Fn {
  return n !== null && (n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression' || n.type === 'FunctionDeclaration');
}

/** Does the program read as a Knex migration (see the module comment)? */
export function isKnexMigrationProgram(program: Program, text: string): boolean {
  const { up } = migrationExports(program);
  if (up === null) return false;
  if (OTHER_FRAMEWORK.test(text)) return false;
  if (KNEX_WORD.test(text)) return true;
  if (!isFn(up)) return false;
  const p = up.params[0];
  const param = p && p.type === 'Identifier' ? p.name : null;
  if (param === null) return false;
  // db-migrate's `up(db, callback)` is not Knex.
  const second = up.params[1];
  if (second && second.type === 'Identifier' && /^(callback|cb|done|next)$/.test(second.name)) return false;
  const body = text.slice(up.start, up.end);
  const esc = param.replace(/\$/g, '\\$');
  return new RegExp(`\\b${esc}\\s*\\.\\s*(?:schema|raw|transaction|fn)\\b|\\b${esc}\\s*\\(`).test(body);
}

/** Text that reads as an `up` export, for a file the parser cannot read (its syntax error is then reported). */
const UP_EXPORT_TEXT = [
  /^\s*(?:module\s*\.\s*)?exports\s*\.\s*up\s*=/m,
  /^\s*export\s+(?:async\s+)?function\s*\*?\s*up\s*[(<]/m,
  /^\s*export\s+(?:const|let|var)\s+up\b/m,
];

/** A file's text, as a Knex migration or not: parsed only when it may export `up`. */
export function looksLikeKnexMigration(text: string, path = 'migration.ts'): boolean {
  if (!MAY_EXPORT_UP.test(text)) return false;
  const parsed = parseJsProgram(path, text);
  if (parsed && isKnexMigrationProgram(parsed.program, text)) return true;
  if (parsed && !parsed.hasErrors) return false;
  // Broken JS: a migration by its first lines' shape, so that the syntax error is reported.
  return UP_EXPORT_TEXT.some((re) => re.test(text)) && KNEX_WORD.test(text) && !OTHER_FRAMEWORK.test(text);
}
