/** Drizzle-kit migrations (placeholder until the Drizzle source lands). */
import type { MigrationSet } from '../model.js';
import { loadPlainSql } from './plain.js';
import type { CandidateSet, LoadContext } from './set-builder.js';

export function loadDrizzle(candidate: CandidateSet, ctx: LoadContext): MigrationSet {
  return { ...loadPlainSql({ ...candidate, files: candidate.files.filter((f) => f.endsWith('.sql')) }, ctx), format: 'drizzle' };
}
