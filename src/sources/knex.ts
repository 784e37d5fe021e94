/**
 * Knex migration sets. A set is the `migrations.directory` of a knexfile (default ./migrations),
 * or a directory of JS/TS files that export `up(knex)`. Files are read as text and interpreted
 * statically by ./knex/interpret.ts: never imported, never run.
 */
import path from 'node:path';
import type { Dialect, Migration, MigrationSet, RawFinding, SourceFile, Statement } from '../model.js';
import { loadParser } from '../sql/parser.js';
import { interpretKnexFile, looksLikeKnexMigration } from './knex/interpret.js';
import { readKnexfile } from './knex/knexfile.js';
import { tooDeeplyNested } from './knex/nesting.js';
import { KNEXFILE } from './knexfile-location.js';
import { createRawSqlParser } from './knex/raw.js';
import { knexRawOf } from './knex/types.js';
import { baseName, type CandidateSet, type LoadContext } from './set-builder.js';

const MIGRATION_EXT = /\.(?:js|cjs|mjs|ts|cts|mts)$/i;

/** What discovery needs from a knexfile: every environment's migration directories, and a dialect. */
export function knexfileSets(file: SourceFile): { directories: string[]; dialect?: Dialect } {
  const envs = readKnexfile(file);
  const directories = [...new Set(envs.flatMap((e) => e.directories))];
  return { directories: directories.length > 0 ? directories : ['migrations'], dialect: envs.find((e) => e.dialect)?.dialect };
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
    const deep = tooDeeplyNested(file.text);
    if (deep) ctx.problems.push({ path: ctx.rel(knexfile), reason: deep });
    const info = knexfileSets(file);
    for (const dir of info.directories) {
      const root = path.resolve(path.dirname(knexfile), dir);
      // Knex reads its migration directory without recursing.
      const members = jsFiles.filter((f) => path.dirname(f) === root && MIGRATION_EXT.test(f) && !claimed.has(f));
      members.forEach((f) => claimed.add(f));
      if (members.length > 0) sets.push({ root, files: members, dialect: info.dialect });
    }
  }
  const byDir = new Map<string, string[]>();
  for (const f of jsFiles) {
    if (claimed.has(f) || KNEXFILE.test(baseName(f))) continue;
    const file = ctx.read(f);
    if (!file || !looksLikeKnexMigration(file.text)) continue;
    const list = byDir.get(path.dirname(f));
    if (list) list.push(f);
    else byDir.set(path.dirname(f), [f]);
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
    // A file that does not parse has no up or down to speak of: only its syntax error is reported.
    const unparsable = analysis.findings.some((f) => f.ruleId === 'syntax-error');
    migrations.push({
      id: name.replace(MIGRATION_EXT, ''),
      name,
      dialect: candidate.dialect,
      transaction: analysis.transaction,
      file,
      // The up/down functions as sections, for findings about them; their statements are given.
      up: analysis.upSpan ? { file, start: analysis.upSpan.start, end: analysis.upSpan.end } : null,
      upStatements: withOrigins(analysis.up ?? []),
      downState: analysis.down ? 'present' : unparsable ? 'unsupported' : 'missing',
      down: analysis.downSpan ? { file, start: analysis.downSpan.start, end: analysis.downSpan.end } : null,
      downStatements: analysis.down ? withOrigins(analysis.down) : undefined,
      loadFindings,
    });
  }
  return { format: 'knex', dialect: candidate.dialect, root: ctx.rel(candidate.root), migrations, findings: [] };
}

/** SQL parsed out of a `knex.raw(...)` string points into the literal; its origin is the call. */
function withOrigins(statements: Statement[]): Statement[] {
  return statements.map((s) => {
    const raw = knexRawOf(s);
    return raw ? { ...s, origin: raw.span } : s;
  });
}
