/**
 * Lint a project tree written to a temporary directory, in-process, with the real discovery and
 * loaders (Knex, Drizzle, every SQL layout), and get one rule's findings with 1-based positions.
 *
 *   await projectFindings({ 'knexfile.js': ..., 'migrations/1_a.js': ... }, 'no-duplicate-column')
 */
import { check } from '../../src/check.js';
import type { FormatId } from '../../src/model.js';
import { spanToRegion } from '../../src/report/location.js';
import { makeTempDir, writeTree } from './cli.js';
import { DEFAULT_CONFIG } from './lint-sql.js';

export interface ProjectFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export async function projectFindings(files: Record<string, string>, ruleId: string, options: { format?: FormatId } = {}): Promise<ProjectFinding[]> {
  const dir = writeTree(makeTempDir(), files);
  const result = await check(['.'], { cwd: dir, config: DEFAULT_CONFIG, ...(options.format ? { format: options.format } : {}) });
  return result.findings
    .filter((f) => f.ruleId === ruleId)
    .map((f) => {
      const r = spanToRegion(f.span);
      return { file: f.span.file.relPath, line: r.line, column: r.column, message: f.message };
    });
}

export const KNEXFILE_PG = "module.exports = { client: 'pg' };\n";
