/**
 * The bridge to migralint's engine: one engine run per linted file (cached on its AST or
 * SourceCode), shared by every generated rule, which reports the findings of its own id.
 *
 * ESLint's parse() and rules are synchronous; the only asynchronous step (starting the Postgres
 * parser, loading the layout loaders) happens once, when the plugin is imported.
 */
import path from 'node:path';
import { FileLinter, looksLikeKnexMigration } from 'migralint';

/** @type {import('migralint').FileLinter} */
export const linter = await FileLinter.create();

/**
 * @typedef {import('migralint').Finding} Finding
 * @typedef {{ dialect?: import('migralint').Dialect, postgresVersion?: number }} MigralintOptions
 */

/**
 * Lint a SQL file in its set's context: its text from ESLint, the rest of its set from disk.
 * @param {string} filename absolute path (or a virtual one: then the file is linted on its own)
 * @param {string} text
 * @param {MigralintOptions} options
 * @returns {import('migralint').FileLintResult}
 */
export function lintSql(filename, text, options) {
  const cwd = process.cwd();
  return linter.lint(path.resolve(cwd, filename), { cwd, text, dialect: options.dialect, postgresVersion: options.postgresVersion, allRules: true });
}

const JS_FILE = /\.(?:js|cjs|mjs|ts|cts|mts)$/i;

/**
 * A finding for a file the engine failed on (a bug in migralint): reported at the file's start
 * as not analysed, rather than crashing ESLint.
 * @param {string} filename
 * @param {string} text
 * @param {unknown} err
 * @returns {Finding}
 */
export function internalError(filename, text, err) {
  const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return {
    ruleId: 'unanalyzable-statement',
    severity: 'warn',
    message: `migralint could not analyse this file (internal error: ${reason}); please report it`,
    span: { file: { path: filename, relPath: filename, text }, start: 0, end: 0 },
  };
}

/** @type {WeakMap<object, Finding[]>} */
const knexCache = new WeakMap();

/**
 * Findings of a Knex migration linted by ESLint as JS/TS, on ESLint's own AST (espree, or
 * typescript-eslint's parser), through migralint's static Knex extractor. Empty for a JS/TS file
 * that is not a Knex migration. Cached per SourceCode: every rule shares one engine run.
 * @param {import('eslint').Rule.RuleContext} context
 * @returns {Finding[]}
 */
export function knexFindings(context) {
  const sourceCode = context.sourceCode;
  const cached = knexCache.get(sourceCode);
  if (cached) return cached;
  /** @type {Finding[]} */
  let findings = [];
  const filename = context.filename;
  if (JS_FILE.test(filename) && looksLikeKnexMigration(sourceCode.text)) {
    /** @type {MigralintOptions} */
    const settings = context.settings?.migralint ?? {};
    try {
      const program = withOffsets(sourceCode.ast);
      const result = linter.lint(filename, {
        cwd: context.cwd,
        text: sourceCode.text,
        dialect: settings.dialect,
        postgresVersion: settings.postgresVersion,
        allRules: true,
        knexProgram: /** @type {any} */ (program),
      });
      findings = result.findings;
    } catch (err) {
      // Never a crash of the whole ESLint run: the file is reported as not analysed.
      findings = [internalError(filename, sourceCode.text, err)];
    }
  }
  knexCache.set(sourceCode, findings);
  return findings;
}

/**
 * The static extractor reads `start`/`end` offsets on every node (oxc-parser's nodes have them).
 * ESLint guarantees only `range` (typescript-eslint's nodes have nothing else, and RuleTester
 * turns espree's `start`/`end` into getters that throw): define them from `range`, as
 * non-enumerable own properties. Nothing else of ESLint's AST is touched.
 * @param {any} program
 */
function withOffsets(program) {
  if (offsetsAdded.has(program)) return program;
  /** @param {any} node */
  const visit = (node) => {
    if (!node || typeof node.type !== 'string') return;
    if (Array.isArray(node.range)) {
      Object.defineProperty(node, 'start', { value: node.range[0], enumerable: false, configurable: true, writable: true });
      Object.defineProperty(node, 'end', { value: node.range[1], enumerable: false, configurable: true, writable: true });
    }
    for (const key of Object.keys(node)) {
      if (key === 'parent' || key === 'loc' || key === 'range' || key === 'tokens' || key === 'comments') continue;
      const child = node[key];
      if (Array.isArray(child)) for (const c of child) visit(c);
      else if (child && typeof child === 'object') visit(child);
    }
  };
  visit(program);
  offsetsAdded.add(program);
  return program;
}

const offsetsAdded = new WeakSet();
