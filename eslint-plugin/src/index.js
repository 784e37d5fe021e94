/**
 * eslint-plugin-migralint: migralint's rules in ESLint, for SQL migration files (the
 * `migralint/sql` language) and Knex migrations in JS/TS (on ESLint's own AST). Flat config only:
 *
 *   import migralint from 'eslint-plugin-migralint';
 *   export default [...migralint.configs.recommended];
 */
import { readFileSync } from 'node:fs';
import { recommendedRules, rules } from './rules.js';
import { sqlLanguage } from './sql-language.js';

const { name, version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const plugin = {
  meta: { name, version, namespace: 'migralint' },
  languages: { sql: sqlLanguage },
  rules,
  /** @type {Record<string, any>} */
  configs: {},
};

/** SQL migration files, every layout migralint knows (dbmate, goose, Flyway, Prisma, Drizzle, ...). */
const sql = {
  name: 'migralint/sql',
  files: ['**/*.sql'],
  plugins: { migralint: plugin },
  language: 'migralint/sql',
  rules: recommendedRules,
};

/**
 * Knex migrations in JavaScript. The rules do nothing in a file that is not a Knex migration.
 * TypeScript migrations need a TypeScript parser in your config (typescript-eslint): see
 * `configs.knexTypeScript`.
 */
const knex = {
  name: 'migralint/knex',
  files: ['**/*.{js,cjs,mjs}'],
  plugins: { migralint: plugin },
  rules: recommendedRules,
};

/** The rules for Knex migrations in TypeScript, for files your config parses with typescript-eslint. */
const knexTypeScript = {
  name: 'migralint/knex-typescript',
  files: ['**/*.{ts,cts,mts}'],
  plugins: { migralint: plugin },
  rules: recommendedRules,
};

plugin.configs = {
  recommended: [sql, knex],
  sql: [sql],
  knex: [knex],
  knexTypeScript: [knexTypeScript],
};

export default plugin;
