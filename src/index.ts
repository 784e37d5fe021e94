/**
 * migralint as a library: the same pipeline the CLI runs.
 *
 *   const config = await loadConfig(process.cwd());
 *   const result = await check(['db/migrations'], { cwd: process.cwd(), config });
 *   process.stdout.write(formatResult(result, 'sarif', { color: false, version: VERSION }));
 */
export { check, CheckInputError, type CheckOptions } from './check.js';
export { discover, type DiscoverOptions, type DiscoverResult } from './discover/discover.js';
export { loadConfig, parseRuleOverride, ConfigError, DEFAULT_POSTGRES_VERSION, type Config } from './engine/config.js';
export { lint, lintWith, type LintOutput } from './engine/lint.js';
export { FileLinter, type FileLintOptions, type FileLintResult } from './lint-file.js';
export { discoverSync, prepareSyncDiscovery, type SyncDiscovery } from './discover/discover.js';
export { lineIndex, LineIndex } from './report/location.js';
export { commentStarts } from './engine/comments.js';
export { looksLikeKnexMigration, type KnexProgram } from './sources/knex/interpret.js';
export { RULES, findRule } from './engine/registry.js';
export { defineRule, docsUrl, type Rule, type RuleContext, type RuleMeta } from './engine/rule.js';
export type { LintResult, LintSummary } from './engine/result.js';
export { SchemaState } from './engine/schema-state.js';
export * from './model.js';
export { VERSION } from './package-info.js';
export { formatResult, REPORT_FORMATS, spanToRegion, type ReportFormat } from './report/index.js';
export { knexToSql, type KnexClient, type KnexSql } from './sources/knex/to-sql.js';
export { interpretKnexFile, type KnexFileAnalysis } from './sources/knex/interpret.js';
export { loadParser, type ParseOutcome, type SectionParser } from './sql/parser.js';
