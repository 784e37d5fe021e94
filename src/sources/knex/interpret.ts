/**
 * Knex migrations, read statically: the file is parsed with oxc-parser (never imported or run),
 * its `up`/`down` exports are found, and their schema-builder calls are interpreted into the
 * normalized operations of src/model.ts, each with the span of the call that causes it.
 */
import { parseSync } from 'oxc-parser';
import type { Program } from 'oxc-parser';
import type { Dialect, RawFinding, SourceFile } from '../../model.js';
import type { ParseRawSql } from './evaluator.js';
import { createFsModuleLoader } from './imports.js';
import type { ModuleLoader } from './evaluator.js';
import { interpretKnexProgram, type KnexFileAnalysis } from './program.js';
import { tooDeeplyNested } from './nesting.js';

export type { KnexFileAnalysis, KnexProgramOptions } from './program.js';
export { interpretKnexProgram } from './program.js';

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

/**
 * An ESTree Program: oxc-parser's, or another parser's (ESLint's espree, typescript-eslint's)
 * whose nodes carry the `start`/`end` UTF-16 offsets the interpreter reads.
 */
export type KnexProgram = Program;

/**
 * Interprets one Knex migration file. `parseRawSql` parses `knex.raw` SQL in the set's dialect
 * (see `ParseRawSql` above for the offsets contract). `given`: the file's Program parsed already
 * (the ESLint plugin passes ESLint's own AST); otherwise the file is parsed with oxc-parser.
 * `modules` reads the constants of relative imports (default: from the file system, inside the
 * project root; see ./imports.ts).
 */
export function interpretKnexFile(file: SourceFile, dialect: Dialect, parseRawSql: ParseRawSql, given?: KnexProgram, modules?: ModuleLoader): KnexFileAnalysis {
  const findings: RawFinding[] = [];
  let program: Program;
  // Only what oxc-parser would parse here: it crashes the process on very deep nesting.
  const deep = given ? null : tooDeeplyNested(file.text);
  if (deep) {
    findings.push({
      ruleId: 'syntax-error',
      message: deep,
      help: 'Split the deeply nested expression (or the data it builds) into smaller pieces, or move the data into a file the migration reads.',
      span: { file, start: 0, end: 0 },
    });
    return { up: null, down: null, transaction: 'transaction', findings, analyzed: 0, total: 0 };
  }
  if (given) program = given;
  else try {
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

  return interpretKnexProgram(program, file.text, { dialect, parseRawSql, file, findings, modules: modules ?? createFsModuleLoader() });
}

export { looksLikeKnexMigration } from './detect.js';
