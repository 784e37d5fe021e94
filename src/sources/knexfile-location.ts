/**
 * Where a knexfile is, by name only (no parsing): light enough for discovery's start-up path.
 * Reading one is ./knex/knexfile.ts.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const KNEXFILE = /^knexfile\.(?:js|cjs|mjs|ts|cts|mts)$/i;

/**
 * The knexfile in `dir` or the nearest folder above it (up to the filesystem root), as Knex's
 * CLI finds it; knexfiles are often at the project root, far above `src/db/migrations`.
 */
export function nearestKnexfile(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    for (const ext of ['js', 'cjs', 'mjs', 'ts', 'cts', 'mts']) {
      const candidate = path.join(d, `knexfile.${ext}`);
      if (existsSync(candidate)) return candidate;
    }
    if (path.dirname(d) === d) return undefined;
  }
}
