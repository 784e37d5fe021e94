/**
 * Discovery: from the paths a user gives to migration sets, each with its format and dialect.
 *
 * Recognised layouts, most specific first:
 *   drizzle        <out>/meta/_journal.json, or <out>/<ts>_<name>/migration.sql + snapshot.json
 *   prisma         <dir>/migration_lock.toml + <dir>/<ts>_<name>/migration.sql
 *   diesel         <dir>/<version>_<name>/up.sql + down.sql
 *   knex           knexfile.* (migrations.directory) or JS/TS files exporting up(knex)
 *   golang-migrate N_name.up.sql + N_name.down.sql
 *   flyway         V<ver>__name.sql (+ U<ver>__name.sql)
 *   dbmate, goose, sql-migrate: marker comments inside the files
 *   sql            any other directory of .sql files, in natural file-name order
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Dialect, FileProblem, FormatId, MigrationSet, SourceFile } from '../model.js';
import { loadParser, loadParserSync, type SectionParser } from '../sql/parser.js';
import type { KnexProgram } from '../sources/knex/interpret.js';
import { MAY_EXPORT_UP } from '../sources/knex/may-export-up.js';
import { KNEXFILE, nearestKnexfile } from '../sources/knexfile-location.js';
import { hasMarkers } from '../sources/markers.js';
import { FLYWAY_FILE, GOLANG_MIGRATE_FILE, loadDiesel, loadFlyway, loadGolangMigrate } from '../sources/paired.js';
import { loadPlainSql, loadPrisma, prismaDialect } from '../sources/plain.js';
import { loadDbmate, loadGoose, loadSqlMigrate } from '../sources/markers.js';
import { LoadContext, type CandidateSet, type SetLoader } from '../sources/set-builder.js';
import { decideDialect } from './dialect.js';
import { describeFsError, DEFAULT_MAX_FILE_SIZE_MIB } from './read-file.js';
import { globTest, walk } from './walk.js';

export interface DiscoverOptions {
  readonly cwd: string;
  /** Forces the format of every set (`--format`). */
  readonly format?: FormatId;
  /** Forces the dialect of every set (`--dialect` or config). */
  readonly dialect?: Dialect;
  /** Globs (relative to cwd) of paths to leave out. */
  readonly ignore?: readonly string[];
  /** Directory of the config file: symbolic links may lead there too. */
  readonly configDir?: string;
  /** Files larger than this many MiB are refused unread (default DEFAULT_MAX_FILE_SIZE_MIB). */
  readonly maxFileSizeMiB?: number;
  /**
   * Texts to use instead of the files on disk (absolute paths): an editor's unsaved buffer. Such
   * a path is a file argument even when nothing exists there yet.
   */
  readonly overrides?: ReadonlyMap<string, string>;
  /** A reader shared between runs (discoverSync): files unchanged on disk are not read again. */
  readonly context?: LoadContext;
  /** ESTree Programs already parsed for Knex files (ESLint's AST), used instead of oxc-parser's. */
  readonly knexPrograms?: ReadonlyMap<string, KnexProgram>;
}

export interface DiscoverResult {
  readonly sets: MigrationSet[];
  readonly fileProblems: FileProblem[];
  /** Paths given that do not exist: a usage error. */
  readonly missingPaths: string[];
  /** Directories given that hold no migrations (and nothing unreadable): a usage error too. */
  readonly emptyPaths: string[];
}

export const DEFAULT_IGNORES = ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/build/**', '**/coverage/**', '**/.next/**', '**/target/**', '**/.nuxt/**', '**/.svelte-kit/**', '**/.turbo/**', '**/.output/**', '**/.cache/**', '**/vendor/**'];

const JS_EXT = /\.(?:js|cjs|mjs|ts|cts|mts)$/i;

const LOADERS: Record<FormatId, () => Promise<SetLoader>> = {
  sql: async () => loadPlainSql,
  dbmate: async () => loadDbmate,
  goose: async () => loadGoose,
  'sql-migrate': async () => loadSqlMigrate,
  'golang-migrate': async () => loadGolangMigrate,
  diesel: async () => loadDiesel,
  prisma: async () => loadPrisma,
  flyway: async () => loadFlyway,
  drizzle: async () => (await import('../sources/drizzle.js')).loadDrizzle,
  knex: async () => (await import('../sources/knex.js')).loadKnex,
};

/**
 * What discovery may have to wait for. The steps below are written once, as generators; the CLI
 * runs them with `discover` (modules loaded lazily, only when a run meets their layout), the
 * ESLint plugin with `discoverSync` (ESLint's parse and rules are synchronous) after
 * `prepareSyncDiscovery` has loaded everything up front.
 */
type Need =
  | { readonly need: 'knex' }
  | { readonly need: 'load'; readonly candidate: CandidateSet; readonly ctx: LoadContext };
type Steps<T> = Generator<Need, T, unknown>;
type KnexModule = typeof import('../sources/knex.js');

function* knexModule(): Steps<KnexModule> {
  return (yield { need: 'knex' }) as KnexModule;
}
function* loadStep(candidate: CandidateSet, ctx: LoadContext): Steps<MigrationSet> {
  return (yield { need: 'load', candidate, ctx }) as MigrationSet;
}

export async function discover(paths: readonly string[], options: DiscoverOptions): Promise<DiscoverResult> {
  const steps = discoverSteps(paths, options);
  for (let next = steps.next(); ; ) {
    if (next.done) return next.value;
    const n = next.value;
    let value: unknown;
    if (n.need === 'knex') value = await import('../sources/knex.js');
    else value = await (await LOADERS[n.candidate.format]())(n.candidate, n.ctx);
    next = steps.next(value);
  }
}

/** Everything `discoverSync` needs, loaded once: every layout's loader, and the parsers. */
export interface SyncDiscovery {
  readonly knex: KnexModule;
  readonly drizzle: typeof import('../sources/drizzle.js');
  /** A dialect's parser (see `loadParserSync`). */
  readonly parserOf: (dialect: Dialect) => SectionParser;
}

/** `dialects`: parsers to load now (Postgres always; the others also load on first use). */
export async function prepareSyncDiscovery(dialects: readonly Dialect[] = ['postgres']): Promise<SyncDiscovery> {
  const [knex, drizzle] = await Promise.all([import('../sources/knex.js'), import('../sources/drizzle.js'), ...[...new Set<Dialect>(['postgres', ...dialects])].map((d) => loadParser(d))]);
  return { knex, drizzle, parserOf: loadParserSync };
}

/** `discover`, synchronously, with the modules `prepareSyncDiscovery` loaded. */
export function discoverSync(paths: readonly string[], options: DiscoverOptions, loaded: SyncDiscovery): DiscoverResult {
  const steps = discoverSteps(paths, options);
  for (let next = steps.next(); ; ) {
    if (next.done) return next.value;
    const n = next.value;
    let value: unknown;
    if (n.need === 'knex') value = loaded.knex;
    else if (n.candidate.format === 'knex') {
      value = loaded.knex.loadKnexWith(n.candidate, n.ctx, loaded.parserOf(n.candidate.dialect), (abs) => options.knexPrograms?.get(abs));
    } else if (n.candidate.format === 'drizzle') value = loaded.drizzle.loadDrizzle(n.candidate, n.ctx);
    else value = SYNC_LOADERS[n.candidate.format](n.candidate, n.ctx);
    next = steps.next(value);
  }
}

const SYNC_LOADERS: Record<Exclude<FormatId, 'knex' | 'drizzle'>, (c: CandidateSet, ctx: LoadContext) => MigrationSet> = {
  sql: loadPlainSql,
  dbmate: loadDbmate,
  goose: loadGoose,
  'sql-migrate': loadSqlMigrate,
  'golang-migrate': loadGolangMigrate,
  diesel: loadDiesel,
  prisma: loadPrisma,
  flyway: loadFlyway,
};

function* discoverSteps(paths: readonly string[], options: DiscoverOptions): Steps<DiscoverResult> {
  const ctx = options.context ?? new LoadContext(options.cwd);
  ctx.beginRun();
  ctx.overrides = options.overrides;
  // Symbolic links may lead into the checked paths and the config's directory, nowhere else.
  const allowedRoots: string[] = [];
  const addRoot = (p: string): void => {
    try {
      allowedRoots.push(realpathSync(p));
    } catch {
      // a path that does not exist is reported below
    }
  };
  if (options.configDir) addRoot(options.configDir);
  for (const given of paths) {
    const abs = path.resolve(options.cwd, given);
    let dir = false;
    try {
      dir = statSync(abs).isDirectory();
    } catch {
      // reported below
    }
    addRoot(dir ? abs : path.dirname(abs));
  }
  ctx.readOptions = { maxBytes: (options.maxFileSizeMiB ?? DEFAULT_MAX_FILE_SIZE_MIB) * 1024 * 1024, allowedRoots };
  const candidates: CandidateSet[] = [];
  const missingPaths: string[] = [];
  const emptyPaths: string[] = [];
  const dialect = options.dialect ?? 'postgres';
  const dialectForced = options.dialect !== undefined;
  // Sets reached through file arguments (linted whole, reported for those files only), and sets
  // reached through a directory argument (reported whole).
  const focus = new Map<string, Set<string>>();
  const whole = new Set<string>();
  // Files named on the command line: their problems are always the user's question.
  const givenFiles = new Set<string>();

  for (const given of paths) {
    const abs = path.resolve(options.cwd, given);
    let isDir: boolean;
    try {
      isDir = options.overrides?.has(abs) ? false : statSync(abs).isDirectory();
      // The glob below skips what it cannot read: a directory argument it cannot list would
      // otherwise look empty ("no migrations found").
      if (isDir) readdirSync(abs);
    } catch (err) {
      missingPaths.push(`${given}: ${describeFsError(err)}`);
      continue;
    }
    if (!isDir) {
      if (isIgnored(abs, options)) continue;
      givenFiles.add(abs);
      // A pop file for one database (`1_init.mysql.up.sql`) is read in that database's chain.
      const popDialect = dialectForced ? undefined : popDialectOf(path.basename(abs));
      const fileDialect = popDialect ?? dialect;
      const fileDialectForced = dialectForced || popDialect !== undefined;
      // With --migration-format too: the file's chain still gives it its context (and its down).
      const inContext = yield* setsAroundFile(abs, options, fileDialect, fileDialectForced, ctx);
      if (inContext.length === 0) {
        const single = yield* singleFileCandidate(abs, options.format, fileDialect, fileDialectForced, ctx);
        if (single) candidates.push(single);
        continue;
      }
      for (const c of inContext) {
        const key = `${c.format}:${c.root}`;
        const set = focus.get(key);
        if (set) set.add(abs);
        else focus.set(key, new Set([abs]));
        candidates.push(c);
      }
      continue;
    }
    const scan = walk(abs, {
      patterns: ['**/*.sql', '**/meta/_journal.json', '**/migration_lock.toml', '**/metadata.toml', '**/snapshot.json', '**/*.{js,cjs,mjs,ts,cts,mts}'],
      // Only location-free globs here: config globs are relative to cwd (isIgnored applies them below).
      ignore: [...DEFAULT_IGNORES, '**/*.d.ts', '**/*.d.mts', '**/*.d.cts'],
      // A folder named like a JS file (a vendored `chart.js/`) is no migration's mistake.
      directoryPatterns: ['**/*.sql', '**/meta/_journal.json', '**/migration_lock.toml', '**/metadata.toml', '**/snapshot.json'],
    });
    // A symlink to a migration file is linted (when it stays inside the checked paths); symlinked
    // directories are not followed.
    const kept = scan.files.filter((f) => !isIgnored(f, options));
    for (const p of scan.problems) if (!isIgnored(p.path, options)) ctx.problems.push({ path: ctx.rel(p.path), reason: p.reason });
    // `check db/migrations` with the knexfile above it: the knexfile still says where the
    // migrations are and which client (dialect) they run on.
    if (kept.some((f) => JS_EXT.test(f)) && !kept.some((f) => KNEXFILE.test(path.basename(f)))) {
      const knexfile = nearestKnexfile(path.dirname(abs));
      if (knexfile) kept.push(knexfile);
    }
    const found = yield* groupIntoSets(kept, options.format, dialect, dialectForced, ctx);
    // `check m empty`: a directory with nothing to lint is as much an error as when given alone.
    const allIgnored = isIgnored(abs, options) || (scan.files.length > 0 && kept.length === 0);
    if (found.length === 0 && scan.problems.length === 0 && !allIgnored) emptyPaths.push(given);
    for (const c of found) {
      whole.add(`${c.format}:${c.root}`);
      candidates.push(c);
    }
  }

  const sets: MigrationSet[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    const key = `${c.format}:${c.root}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const set = yield* loadStep(c, ctx);
    if (!whole.has(key) && focus.has(key)) set.focus = focus.get(key);
    if (c.dialectAssumed && set.dialect === c.dialect) set.dialectAssumed = true;
    if (set.migrations.length > 0 || set.findings.length > 0) sets.push(set);
  }
  // Problems with files outside the focus of a file argument are not the user's question.
  const focused = [...focus.entries()].filter(([key]) => !whole.has(key));
  const fileProblems = ctx.problems.filter((p) => {
    const abs = path.resolve(options.cwd, p.path);
    if (givenFiles.has(abs)) return true;
    return !focused.some(([key, files]) => abs.startsWith(key.slice(key.indexOf(':') + 1) + path.sep) && !files.has(abs));
  });
  return { sets, fileProblems, missingPaths, emptyPaths };
}

const matchers = new WeakMap<DiscoverOptions, (abs: string) => boolean>();

/**
 * Config `ignore` globs, relative to cwd (a directory glob covers its contents). Leading `../`
 * segments (a config found in a parent directory) move the glob's base up instead of being
 * matched literally, so `../migrations/old_*.sql` works from inside `migrations/`.
 */
function isIgnored(abs: string, options: DiscoverOptions): boolean {
  const globs = options.ignore;
  if (!globs || globs.length === 0) return false;
  let match = matchers.get(options);
  if (!match) {
    const byBase = new Map<string, string[]>();
    for (const glob of globs) {
      let base = options.cwd;
      let rest = glob.replace(/^(?:\.\/)+/, '');
      while (rest.startsWith('../')) {
        base = path.dirname(base);
        rest = rest.slice(3).replace(/^(?:\.\/)+/, '');
      }
      const trimmed = rest.replace(/\/$/, '');
      const list = byBase.get(base);
      if (list) list.push(trimmed, `${trimmed}/**`);
      else byBase.set(base, [trimmed, `${trimmed}/**`]);
    }
    const tests = [...byBase].map(([base, patterns]) => {
      const m = globTest(patterns, { dot: true });
      return (file: string) => m(path.relative(base, file).split(path.sep).join('/'));
    });
    match = (file) => tests.some((t) => t(file));
    matchers.set(options, match);
  }
  return match(abs);
}

/**
 * The migration set a single file belongs to, found by grouping the files around it (its folder,
 * or the folder above for `up.sql`/`migration.sql` layouts), so the file is linted in the context
 * of its chain. Empty when no set around it holds the file.
 */
function* setsAroundFile(abs: string, options: DiscoverOptions, dialect: Dialect, dialectForced: boolean, ctx: LoadContext): Steps<CandidateSet[]> {
  const name = path.basename(abs).toLowerCase();
  // Files one folder below their set: diesel and Prisma migration folders, drizzle v1 folders,
  // and drizzle's meta/ (a pre-commit hook passes the journal and snapshots along with the SQL).
  const nested =
    ['up.sql', 'down.sql', 'migration.sql', 'metadata.toml', 'snapshot.json'].includes(name) ||
    (name.endsWith('.json') && path.basename(path.dirname(abs)) === 'meta');
  const dir = nested ? path.dirname(path.dirname(abs)) : path.dirname(abs);
  const files = filesAround(dir);
  const kept = files.filter((f) => f === abs || !isIgnored(f, options));
  if (!kept.includes(abs)) kept.push(abs);
  if (JS_EXT.test(abs) && !kept.some((f) => KNEXFILE.test(path.basename(f)))) {
    const knexfile = nearestKnexfile(dir);
    if (knexfile) kept.push(knexfile);
  }
  const sets = yield* groupIntoSets(kept, options.format, dialect, dialectForced, ctx);
  return sets.filter((c) => c.files.includes(abs));
}

const AROUND_NESTED = new Set(['up.sql', 'down.sql', 'migration.sql', 'metadata.toml', 'snapshot.json']);
const AROUND_JS = /\.(?:js|cjs|mjs|ts|cts|mts)$/;
const DECLARATION = /\.d\.[cm]?ts$/;
const AROUND_KNEXFILE = /^knexfile\.(?:js|cjs|mjs|ts|cts|mts)$/;

/**
 * The files around a single file that may make up its set: `*.sql`, `*\/{up,down,migration}.sql`,
 * `*\/metadata.toml`, `*\/snapshot.json`, `meta/_journal.json`, `migration_lock.toml`, JS/TS
 * files (not declarations) and `../knexfile.*`; no dot files. Listed with readdir of the folder,
 * its subfolders and its parent: a glob with `../` walks the whole parent folder, which in
 * `src/migrations` is the whole source tree (and the ESLint plugin does this on every lint).
 */
function filesAround(dir: string): string[] {
  const out: string[] = [];
  const list = (d: string): import('node:fs').Dirent[] => {
    try {
      return readdirSync(d, { withFileTypes: true });
    } catch {
      return [];
    }
  };
  const kind = (d: string, e: import('node:fs').Dirent): 'file' | 'dir' | null => {
    if (e.isFile()) return 'file';
    if (e.isDirectory()) return 'dir';
    if (!e.isSymbolicLink()) return null;
    try {
      const st = statSync(path.join(d, e.name));
      return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : null;
    } catch {
      return null;
    }
  };
  for (const e of list(dir)) {
    if (e.name.startsWith('.')) continue;
    const abs = path.join(dir, e.name);
    const k = kind(dir, e);
    if (k === 'file') {
      if (e.name.endsWith('.sql') || e.name === 'migration_lock.toml' || (AROUND_JS.test(e.name) && !DECLARATION.test(e.name))) out.push(abs);
    } else if (k === 'dir') {
      for (const sub of list(abs)) {
        const wanted = AROUND_NESTED.has(sub.name) || (e.name === 'meta' && sub.name === '_journal.json');
        if (wanted && kind(abs, sub) === 'file') out.push(path.join(abs, sub.name));
      }
    }
  }
  const parent = path.dirname(dir);
  for (const e of list(parent)) if (AROUND_KNEXFILE.test(e.name) && kind(parent, e) === 'file') out.push(path.join(parent, e.name));
  return out;
}

function* singleFileCandidate(abs: string, forced: FormatId | undefined, fallback: Dialect, dialectForced: boolean, ctx: LoadContext): Steps<CandidateSet | null> {
  const decided = (format: FormatId) => setDialectOf(format, path.dirname(abs), [abs], dialectForced ? fallback : undefined, fallback, ctx);
  const base = { root: abs, files: [abs], dialectForced, ...decided(forced ?? (JS_EXT.test(abs) ? 'knex' : 'sql')) };
  if (forced) return { ...base, format: forced };
  const name = path.basename(abs);
  if (JS_EXT.test(name)) {
    const file = ctx.read(abs);
    // Loaded only here: the Knex reader pulls in the JS parser.
    const { looksLikeKnexMigration } = yield* knexModule();
    if (file && !looksLikeKnexMigration(file.text, abs)) {
      ctx.problems.push({ path: ctx.rel(abs), reason: 'not a Knex migration (no exported up(knex) found)' });
      return null;
    }
    return { ...base, format: 'knex' };
  }
  if (!/\.sql$/i.test(name)) {
    // A README or seed script that a pre-commit hook passed along: say so, rather than a
    // syntax error at its first line.
    ctx.problems.push({ path: ctx.rel(abs), reason: 'not a migration file (expected .sql, or a Knex migration in .js/.ts)' });
    return null;
  }
  if (GOLANG_MIGRATE_FILE.test(name)) return { ...base, format: 'golang-migrate' };
  if (FLYWAY_FILE.test(name)) return { ...base, format: 'flyway' };
  if (name === 'up.sql' || name === 'down.sql') {
    const dir = path.dirname(abs);
    return { ...base, format: 'diesel', files: [path.join(dir, 'up.sql'), path.join(dir, 'down.sql')].filter((p) => existsSync(p)) };
  }
  return { ...base, format: sniffSqlFormat([abs], ctx) };
}

/**
 * Whether `findKnexSets` could find a set among these files: a knexfile, or a file that passes
 * its text pre-check. Otherwise it would return none, and the Knex reader (145 KB of bundle and
 * oxc-parser's native addon, ~30 ms of a run) need not load: `check db/001.sql` beside a few
 * unrelated scripts. Reads the files as `findKnexSets` would, in its order, so that the same
 * unreadable files are reported either way (a second read is cached).
 */
function mayHoldKnexSets(jsFiles: readonly string[], ctx: LoadContext): boolean {
  if (jsFiles.some((f) => KNEXFILE.test(path.basename(f)))) return true;
  return jsFiles.some((f) => {
    const file = ctx.read(f);
    return file !== null && MAY_EXPORT_UP.test(file.text);
  });
}

/** Group the files under one directory argument into candidate sets. */
function* groupIntoSets(files: string[], forced: FormatId | undefined, dialect: Dialect, dialectForced: boolean, ctx: LoadContext): Steps<CandidateSet[]> {
  const sets: CandidateSet[] = [];
  const claimed = new Set<string>();
  const fileSet = new Set(files);
  // Files under each directory, every ancestor included: one pass, then a lookup per root.
  let underIndex: Map<string, string[]> | null = null;
  const under = (root: string): string[] => {
    if (!underIndex) {
      underIndex = new Map();
      for (const f of files) {
        for (let d = path.dirname(f); ; d = path.dirname(d)) {
          let list = underIndex.get(d);
          if (!list) underIndex.set(d, (list = []));
          list.push(f);
          if (path.dirname(d) === d) break;
        }
      }
    }
    return underIndex.get(root) ?? [];
  };
  const claim = (format: FormatId, root: string, members: string[], setDialect?: Dialect): void => {
    const fresh = members.filter((f) => !claimed.has(f));
    fresh.forEach((f) => claimed.add(f));
    sets.push({ format: forced ?? format, root, files: fresh, dialectForced, ...setDialectOf(forced ?? format, root, fresh, dialectForced ? dialect : setDialect, dialect, ctx) });
  };

  // Drizzle, classic: <out>/meta/_journal.json
  for (const journal of files.filter((f) => f.endsWith(`${path.sep}meta${path.sep}_journal.json`))) {
    const root = path.dirname(path.dirname(journal));
    claim('drizzle', root, under(root));
  }
  // Drizzle v1: <out>/<ts>_<name>/migration.sql with snapshot.json beside it
  const drizzleV1Roots = new Set<string>();
  for (const snap of files.filter((f) => path.basename(f) === 'snapshot.json' && !claimed.has(f))) {
    const dir = path.dirname(snap);
    if (fileSet.has(path.join(dir, 'migration.sql'))) drizzleV1Roots.add(path.dirname(dir));
  }
  for (const root of drizzleV1Roots) claim('drizzle', root, under(root));

  // Prisma: <dir>/migration_lock.toml
  for (const lock of files.filter((f) => path.basename(f) === 'migration_lock.toml' && !claimed.has(f))) {
    const root = path.dirname(lock);
    const lockFile = ctx.read(lock);
    claim('prisma', root, [lock, ...under(root)], (lockFile && prismaDialect(lockFile.text)) ?? undefined);
  }

  // Diesel: <dir>/<folder>/up.sql
  const dieselRoots = new Set<string>();
  for (const f of files) {
    if (claimed.has(f)) continue;
    const name = path.basename(f).toLowerCase();
    if (name === 'up.sql' || name === 'down.sql') dieselRoots.add(path.dirname(path.dirname(f)));
  }
  for (const root of dieselRoots) {
    claim('diesel', root, under(root).filter((f) => ['up.sql', 'down.sql', 'metadata.toml'].includes(path.basename(f).toLowerCase()) && path.dirname(path.dirname(f)) === root));
  }

  // Knex: knexfiles and JS/TS migration files
  const jsFiles = files.filter((f) => JS_EXT.test(f) && !claimed.has(f));
  if (mayHoldKnexSets(jsFiles, ctx)) {
    const { findKnexSets } = yield* knexModule();
    for (const set of findKnexSets(jsFiles, ctx)) claim('knex', set.root, set.files, set.dialect);
  }

  // Everything else: .sql files grouped by directory.
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    if (claimed.has(f) || !/\.sql$/i.test(f)) continue;
    const dir = path.dirname(f);
    const list = byDir.get(dir);
    if (list) list.push(f);
    else byDir.set(dir, [f]);
  }
  for (const [dir, members] of byDir) {
    const names = members.map((m) => path.basename(m));
    const pop = forced === undefined || forced === 'golang-migrate' ? popDialectFiles(members, dialectForced ? dialect : 'postgres') : undefined;
    if (pop) {
      // The other dialects' files are not this chain's: left out (the run says the dialect was assumed).
      members.forEach((f) => claimed.add(f));
      sets.push({ format: 'golang-migrate', root: dir, files: pop, dialect: dialectForced ? dialect : 'postgres', dialectForced, ...(dialectForced ? {} : { dialectAssumed: true }) });
      continue;
    }
    let format: FormatId;
    if (names.some((n) => GOLANG_MIGRATE_FILE.test(n))) format = 'golang-migrate';
    else if (names.some((n) => FLYWAY_FILE.test(n))) format = 'flyway';
    else format = sniffSqlFormat(members, ctx);
    claim(format, dir, members);
  }
  return sets;
}

/**
 * The dialect of a set: forced or named by its framework file (`known`), else decided from the
 * folder name, the SQL, the Knex code or package.json (./dialect.ts); Drizzle's loader reads its
 * own journal and config.
 */
function setDialectOf(format: FormatId, root: string, files: readonly string[], known: Dialect | undefined, fallback: Dialect, ctx: LoadContext): { dialect: Dialect; dialectAssumed?: boolean } {
  if (known !== undefined) return { dialect: known };
  if (format === 'drizzle') return { dialect: fallback };
  const texts = function* (): Generator<string> {
    for (const f of files) {
      if (!/\.(?:sql|js|cjs|mjs|ts|cts|mts)$/i.test(f)) continue;
      const file = ctx.read(f);
      if (file) yield file.text;
    }
  };
  const d = decideDialect({ format, root, texts, fallback });
  return d.assumed ? { dialect: d.dialect, dialectAssumed: true } : { dialect: d.dialect };
}

/** pop/popx's dialect in a file name: `<version>_<name>.<dialect>.<up|down>.sql`. */
const POP_DIALECT_FILE = /^(\d+)_[^.]*\.(postgres|cockroach|mysql|mariadb|sqlite3|sqlite)\.(up|down)\.sql$/i;
/** pop's dialect names for each dialect migralint reads. */
const POP_DIALECTS: Record<Dialect, readonly string[]> = { postgres: ['postgres'], mysql: ['mysql', 'mariadb'], sqlite: ['sqlite3', 'sqlite'] };

/** The dialect a pop file name names (`1_init.sqlite3.up.sql`), if any; none for CockroachDB's. */
function popDialectOf(name: string): Dialect | undefined {
  const named = POP_DIALECT_FILE.exec(name)?.[2]?.toLowerCase();
  if (named === undefined) return undefined;
  return (Object.keys(POP_DIALECTS) as Dialect[]).find((d) => POP_DIALECTS[d].includes(named));
}

/**
 * A directory of pop/popx migrations (gobuffalo pop, Ory Kratos, Hydra, Keto) written for
 * several databases: `1_init.postgres.up.sql`, `1_init.mysql.up.sql`, `1_init.sqlite3.up.sql`
 * beside `2_index.up.sql`, which is for every database. pop runs, for each version and direction,
 * the file of its database, else the file without a dialect: the files of `dialect`'s chain, or
 * undefined when no file names a dialect.
 */
function popDialectFiles(members: readonly string[], dialect: Dialect): string[] | undefined {
  if (!members.some((f) => POP_DIALECT_FILE.test(path.basename(f)))) return undefined;
  const own = POP_DIALECTS[dialect];
  const chosen = new Map<string, { file: string; specific: boolean }>();
  for (const f of members) {
    const name = path.basename(f);
    const specific = POP_DIALECT_FILE.exec(name);
    const generic = specific ? undefined : /^(\d+)_[^.]*\.(up|down)\.sql$/i.exec(name);
    if (!specific && !generic) continue;
    if (specific && !own.includes(specific[2]!.toLowerCase())) continue;
    const [version, direction] = specific ? [specific[1]!, specific[3]!] : [generic![1]!, generic![2]!];
    const key = `${version}.${direction.toLowerCase()}`;
    const had = chosen.get(key);
    if (!had || (specific && !had.specific)) chosen.set(key, { file: f, specific: specific !== null });
  }
  return [...chosen.values()].map((c) => c.file);
}

/** dbmate, goose or sql-migrate by their markers; plain SQL when no file has any. */
function sniffSqlFormat(files: string[], ctx: LoadContext): FormatId {
  for (const f of files) {
    const file = ctx.read(f);
    if (!file) continue;
    let format = sniffed.get(file);
    if (format === undefined) {
      format = hasMarkers('dbmate', file.text) ? 'dbmate' : hasMarkers('goose', file.text) ? 'goose' : hasMarkers('sql-migrate', file.text) ? 'sql-migrate' : null;
      sniffed.set(file, format);
    }
    if (format) return format;
  }
  return 'sql';
}

/** Markers found in a file, once per file read (a reader kept between runs reuses its files). */
const sniffed = new WeakMap<SourceFile, FormatId | null>();

export function describeSearch(paths: readonly string[]): string {
  return paths.join(', ');
}
