/**
 * Knex migration sets. A set is the `migrations.directory` of a knexfile (default ./migrations),
 * or a directory of JS/TS files that export `up(knex)`. Files are read as text and interpreted
 * statically by ./knex/interpret.ts: never imported, never run.
 */
import path from 'node:path';
import type { Dialect, Migration, MigrationSet, RawFinding } from '../model.js';
import { loadParser } from '../sql/parser.js';
import { interpretKnexFile, looksLikeKnexMigration } from './knex/interpret.js';
import { createRawSqlParser } from './knex/raw.js';
import { baseName, type CandidateSet, type LoadContext } from './set-builder.js';

const KNEXFILE = /^knexfile\.(?:js|cjs|mjs|ts|cts|mts)$/i;
const MIGRATION_EXT = /\.(?:js|cjs|mjs|ts|cts|mts)$/i;

/** Knex client name → dialect. */
export function dialectOfClient(client: string | undefined): Dialect | undefined {
  if (!client) return undefined;
  const c = client.toLowerCase();
  if (['pg', 'postgres', 'postgresql', 'pgnative', 'pg-native', 'cockroachdb', 'redshift'].includes(c)) return 'postgres';
  if (['sqlite', 'sqlite3', 'better-sqlite3'].includes(c)) return 'sqlite';
  if (['mysql', 'mysql2', 'mariadb', 'mariasql'].includes(c)) return 'mysql';
  return undefined;
}

export interface KnexfileInfo {
  readonly client?: string;
  /** Migration directories, relative to the knexfile. */
  readonly directories: string[];
}

/** Read `client` and `migrations.directory` from a knexfile's text (never executed). */
export function readKnexfile(text: string): KnexfileInfo {
  const client = /\bclient\s*:\s*['"`]([\w-]+)['"`]/.exec(text)?.[1];
  const directories = new Set<string>();
  for (const m of text.matchAll(/\bmigrations\s*:\s*\{([^{}]*)\}/g)) {
    const body = m[1]!;
    const single = /\bdirectory\s*:\s*['"`]([^'"`]+)['"`]/.exec(body);
    if (single) directories.add(single[1]!);
    const list = /\bdirectory\s*:\s*\[([^\]]*)\]/.exec(body);
    if (list) for (const d of list[1]!.matchAll(/['"`]([^'"`]+)['"`]/g)) directories.add(d[1]!);
  }
  return { client, directories: directories.size > 0 ? [...directories] : ['./migrations'] };
}

export interface KnexSetCandidate {
  readonly root: string;
  readonly files: string[];
  readonly dialect?: Dialect;
}

/** Group JS/TS files into Knex sets: knexfile directories first, then sniffed migration files. */
export function findKnexSets(jsFiles: string[], ctx: LoadContext): KnexSetCandidate[] {
  const sets: KnexSetCandidate[] = [];
  const claimed = new Set<string>();
  for (const knexfile of jsFiles.filter((f) => KNEXFILE.test(baseName(f)))) {
    claimed.add(knexfile);
    const file = ctx.read(knexfile);
    if (!file) continue;
    const info = readKnexfile(file.text);
    for (const dir of info.directories) {
      const root = path.resolve(path.dirname(knexfile), dir);
      // Knex reads its migration directory without recursing.
      const members = jsFiles.filter((f) => path.dirname(f) === root && MIGRATION_EXT.test(f) && !claimed.has(f));
      members.forEach((f) => claimed.add(f));
      if (members.length > 0) sets.push({ root, files: members, dialect: dialectOfClient(info.client) });
    }
  }
  const byDir = new Map<string, string[]>();
  for (const f of jsFiles) {
    if (claimed.has(f) || KNEXFILE.test(baseName(f))) continue;
    const file = ctx.read(f);
    if (!file || !looksLikeKnexMigration(file.text)) continue;
    byDir.set(path.dirname(f), [...(byDir.get(path.dirname(f)) ?? []), f]);
  }
  for (const [root, files] of byDir) sets.push({ root, files });
  return sets;
}

export async function loadKnex(candidate: CandidateSet, ctx: LoadContext): Promise<MigrationSet> {
  const parser = await loadParser(candidate.dialect);
  const migrations: Migration[] = [];
  // Knex orders migrations by file name.
  const files = [...candidate.files].filter((f) => MIGRATION_EXT.test(f) && !KNEXFILE.test(baseName(f))).sort((a, b) => (baseName(a) < baseName(b) ? -1 : 1));
  for (const abs of files) {
    const file = ctx.read(abs);
    if (!file) continue;
    const { parseRawSql, errors } = createRawSqlParser(parser);
    const analysis = interpretKnexFile(file, candidate.dialect, parseRawSql);
    const loadFindings: RawFinding[] = [...analysis.findings, ...errors];
    const name = baseName(abs);
    migrations.push({
      id: name.replace(MIGRATION_EXT, ''),
      name,
      dialect: candidate.dialect,
      transaction: analysis.transaction,
      file,
      up: null,
      upStatements: analysis.up ?? [],
      downState: analysis.down ? 'present' : 'missing',
      down: null,
      downStatements: analysis.down ?? undefined,
      loadFindings,
    });
  }
  return { format: 'knex', dialect: candidate.dialect, root: ctx.rel(candidate.root), migrations, findings: [] };
}
