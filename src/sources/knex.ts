/**
 * Knex migration sets. A set is the `migrations.directory` of a knexfile (default ./migrations),
 * or a directory of JS/TS files that export `up(knex)`. Files are read as text and interpreted
 * statically by ./knex/interpret.ts: never imported, never run.
 */
import path from 'node:path';
import type { Dialect, Migration, MigrationSet, RawFinding, SourceFile, Statement } from '../model.js';
import { loadParser, type SectionParser } from '../sql/parser.js';
import type { ModuleLoader } from './knex/evaluator.js';
import { createFsModuleLoader } from './knex/imports.js';
import { interpretKnexFile, looksLikeKnexMigration, type KnexFileAnalysis, type KnexProgram } from './knex/interpret.js';
import { readKnexfile } from './knex/knexfile.js';
import { tooDeeplyNested } from './knex/nesting.js';
import { KNEXFILE } from './knexfile-location.js';
import { createRawSqlParser } from './knex/raw.js';
import { knexRawOf } from './knex/types.js';
import { baseName, type CandidateSet, type LoadContext } from './set-builder.js';

const MIGRATION_EXT = /\.(?:js|cjs|mjs|ts|cts|mts)$/i;
/** A folder named like a migrations folder (`migrations`, `db/migrate`, `knex_migrations`, ...). */
const MIGRATION_DIR = /(?:^|[\\/])[^\\/]*migrat[^\\/]*(?:[\\/][^\\/]+)?$/i;

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
  // Files outside a knexfile's directories: Knex migrations by their exports. Where a knexfile
  // said where the migrations are, other folders count only when they look like migration folders.
  const haveKnexfile = sets.length > 0;
  const byDir = new Map<string, string[]>();
  for (const f of jsFiles) {
    if (claimed.has(f) || KNEXFILE.test(baseName(f))) continue;
    if (haveKnexfile && !MIGRATION_DIR.test(path.dirname(f))) continue;
    const file = ctx.read(f);
    if (!file || !looksLikeKnexMigration(file.text, f)) continue;
    const dir = path.dirname(f);
    let list = byDir.get(dir);
    if (!list) byDir.set(dir, (list = []));
    list.push(f);
  }
  for (const [root, files] of byDir) sets.push({ root, files });
  return sets;
}

export { looksLikeKnexMigration };

export async function loadKnex(candidate: CandidateSet, ctx: LoadContext): Promise<MigrationSet> {
  return loadKnexWith(candidate, ctx, await loadParser(candidate.dialect));
}

/**
 * `programOf(absPath)`: an ESTree Program already parsed for that file (ESLint's own AST in the
 * plugin), used instead of parsing the file with oxc-parser.
 */
export function loadKnexWith(candidate: CandidateSet, ctx: LoadContext, parser: SectionParser, programOf?: (absPath: string) => KnexProgram | undefined): MigrationSet {
  const migrations: Migration[] = [];
  // Knex orders migrations by file name.
  const files = [...candidate.files].filter((f) => MIGRATION_EXT.test(f) && !KNEXFILE.test(baseName(f))).sort((a, b) => (baseName(a) < baseName(b) ? -1 : 1));
  // Constants imported from the project's other modules, read once per set.
  const modules = createFsModuleLoader({ cwd: ctx.cwd });
  for (const abs of files) {
    const file = ctx.read(abs);
    if (!file) continue;
    const { analysis, errors } = interpret(file, candidate.dialect, parser, programOf?.(abs), modules);
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

/**
 * A file read once is interpreted once per dialect (a reader kept between runs, as the ESLint
 * plugin keeps one, hands back the same SourceFile while the file is unchanged).
 */
const interpreted = new WeakMap<SourceFile, Map<Dialect, { analysis: KnexFileAnalysis; errors: RawFinding[] }>>();

function interpret(file: SourceFile, dialect: Dialect, parser: SectionParser, program: KnexProgram | undefined, modules: ModuleLoader): { analysis: KnexFileAnalysis; errors: RawFinding[] } {
  if (program) {
    const { parseRawSql, errors } = createRawSqlParser(parser);
    return { analysis: interpretKnexFile(file, dialect, parseRawSql, program, modules), errors };
  }
  let byDialect = interpreted.get(file);
  if (!byDialect) {
    byDialect = new Map();
    interpreted.set(file, byDialect);
  }
  let out = byDialect.get(dialect);
  if (!out) {
    const { parseRawSql, errors } = createRawSqlParser(parser);
    out = { analysis: interpretKnexFile(file, dialect, parseRawSql, undefined, modules), errors };
    byDialect.set(dialect, out);
  }
  return out;
}

/** SQL parsed out of a `knex.raw(...)` string points into the literal; its origin is the call. */
function withOrigins(statements: Statement[]): Statement[] {
  return statements.map((s) => {
    const raw = knexRawOf(s);
    return raw ? { ...s, origin: raw.span } : s;
  });
}
