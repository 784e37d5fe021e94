/**
 * A fixture project for the plugin's tests: migralint's own fixture trees (every layout the CLI
 * knows) copied under eslint-plugin/test/.tmp-<random>/, beside an eslint.config.js that imports
 * the plugin by its package name, as a user's project does (resolved through the workspace link
 * in the root node_modules). Copies, so tests may edit files; removed by `cleanup()`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PLUGIN_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REPO = path.dirname(PLUGIN_DIR);
const FIXTURES = path.join(REPO, 'fixtures');

/** Fixture trees copied into the project, each under its own folder. */
export const LAYOUTS: Record<string, string> = {
  dbmate: 'dbmate/basic',
  goose: 'goose/basic',
  'sql-migrate': 'sql-migrate/basic',
  sql: 'sql/basic',
  'golang-migrate': 'golang-migrate/basic',
  flyway: 'flyway/basic',
  prisma: 'prisma/basic',
  diesel: 'diesel/basic',
  drizzle: 'drizzle/pg-classic',
  knex: 'knex/basic',
};

export const ESLINT_CONFIG = `import tsParser from '@typescript-eslint/parser';
import migralint from 'eslint-plugin-migralint';

export default [
  ...migralint.configs.recommended,
  { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
  ...migralint.configs.knexTypeScript,
];
`;

export interface Project {
  readonly dir: string;
  write(rel: string, text: string): string;
  cleanup(): void;
}

export function makeProject(layouts: readonly string[] = Object.keys(LAYOUTS)): Project {
  const dir = mkdtempSync(path.join(PLUGIN_DIR, 'test', '.tmp-'));
  for (const name of layouts) cpSync(path.join(FIXTURES, LAYOUTS[name]!), path.join(dir, name), { recursive: true });
  // Stops migralint's config search here (a config higher up must not change what tests see).
  writeFileSync(path.join(dir, 'migralint.config.json'), '{}\n');
  writeFileSync(path.join(dir, 'eslint.config.js'), ESLINT_CONFIG);
  return {
    dir,
    write(rel, text) {
      const abs = path.join(dir, rel);
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, text);
      return abs;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Tuple {
  readonly file: string;
  readonly line: number;
  readonly ruleId: string;
}

const key = (t: Tuple): string => `${t.file}:${t.line}:${t.ruleId}`;
export const sortTuples = (ts: Tuple[]): Tuple[] => [...ts].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** `migralint check .` in the project, run as a user runs it (the built CLI, JSON output). */
export function cliFindings(dir: string): (Tuple & { column: number })[] {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin', 'migralint.js'), 'check', '.', '--format', 'json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0 && r.status !== 1) throw new Error(`migralint check failed (${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { findings: { file: string; line: number; column: number; ruleId: string }[] };
  return out.findings.map((f) => ({ file: f.file, line: f.line, column: f.column, ruleId: f.ruleId }));
}

interface EslintMessage {
  ruleId: string | null;
  fatal?: boolean;
  line: number;
  column: number;
  message: string;
}

/** ESLint results as migralint tuples: `migralint/x` → `x`, a parse error → `syntax-error`. */
export function eslintTuples(dir: string, results: { filePath: string; messages: EslintMessage[] }[]): (Tuple & { column: number })[] {
  return results.flatMap((r) =>
    r.messages.map((m) => ({
      file: path.relative(dir, r.filePath).split(path.sep).join('/'),
      line: m.line,
      column: m.column,
      ruleId: m.fatal ? 'syntax-error' : (m.ruleId ?? `(none: ${m.message})`).replace(/^migralint\//, ''),
    })),
  );
}
