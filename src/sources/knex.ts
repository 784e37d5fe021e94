/** Knex migrations (placeholder until the Knex source lands). */
import type { Dialect, MigrationSet } from '../model.js';
import type { CandidateSet, LoadContext } from './set-builder.js';

export function findKnexSets(_files: string[], _ctx: LoadContext): { root: string; files: string[]; dialect?: Dialect }[] {
  return [];
}

export function loadKnex(candidate: CandidateSet, ctx: LoadContext): MigrationSet {
  return { format: 'knex', dialect: candidate.dialect, root: ctx.rel(candidate.root), migrations: [], findings: [] };
}
