/**
 * Formats with up migrations only: plain ordered `.sql` files, and Prisma
 * (`migrations/<timestamp>_<name>/migration.sql` beside `migration_lock.toml`).
 */
import path from 'node:path';
import type { Migration, MigrationSet } from '../model.js';
import { baseName, naturalCompare, type CandidateSet, type LoadContext } from './set-builder.js';

export function loadPlainSql(candidate: CandidateSet, ctx: LoadContext): MigrationSet {
  const migrations: Migration[] = [];
  for (const abs of [...candidate.files].sort((a, b) => naturalCompare(baseName(a), baseName(b)))) {
    const file = ctx.read(abs);
    if (!file) continue;
    const name = baseName(abs);
    migrations.push({
      id: name.replace(/\.sql$/i, ''),
      name,
      dialect: candidate.dialect,
      transaction: 'unknown',
      file,
      up: { file, start: 0, end: file.text.length },
      downState: 'unsupported',
      down: null,
    });
  }
  return { format: 'sql', dialect: candidate.dialect, root: ctx.rel(candidate.root), migrations, findings: [] };
}

export function loadPrisma(candidate: CandidateSet, ctx: LoadContext): MigrationSet {
  const migrations: Migration[] = [];
  const files = candidate.files.filter((f) => baseName(f) === 'migration.sql');
  for (const abs of files.sort((a, b) => naturalCompare(baseName(path.dirname(a)), baseName(path.dirname(b))))) {
    const file = ctx.read(abs);
    if (!file) continue;
    const name = baseName(path.dirname(abs));
    migrations.push({
      id: name,
      name,
      dialect: candidate.dialect,
      transaction: 'unknown',
      file,
      up: { file, start: 0, end: file.text.length },
      downState: 'unsupported',
      down: null,
    });
  }
  return { format: 'prisma', dialect: candidate.dialect, root: ctx.rel(candidate.root), migrations, findings: [] };
}

/** The provider in `migration_lock.toml` (`provider = "postgresql"`). */
export function prismaDialect(lockText: string): 'postgres' | 'mysql' | 'sqlite' | undefined {
  const provider = /^\s*provider\s*=\s*"([^"]+)"/m.exec(lockText)?.[1];
  if (!provider) return undefined;
  if (provider === 'postgresql' || provider === 'cockroachdb') return 'postgres';
  if (provider === 'mysql') return 'mysql';
  if (provider === 'sqlite') return 'sqlite';
  return undefined;
}
