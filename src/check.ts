/**
 * One `migralint check` run as a library call: discover the sets under the paths, lint them with
 * a config, and summarise. The CLI adds arguments, output and exit codes around it.
 */
import { discover } from './discover/discover.js';
import type { Config } from './engine/config.js';
import { isFocused, lint } from './engine/lint.js';
import { RULES } from './engine/registry.js';
import { loadParser } from './sql/parser.js';
import type { LintResult, LintSummary } from './engine/result.js';
import type { Dialect, FormatId, Migration, MigrationSet } from './model.js';

export interface CheckOptions {
  readonly cwd: string;
  readonly config: Config;
  /** Forces the layout of every set (else the config's, else detected). */
  readonly format?: FormatId;
  /** Forces the dialect of every set (else the config's, else detected). */
  readonly dialect?: Dialect;
  /**
   * `--changed-since REF`: report only migrations added or edited since the merge base of REF
   * and HEAD (src/changed/), and turn on the rules about edited or out-of-order migrations.
   */
  readonly changedSince?: string;
  /**
   * `--cache`: keep the Postgres parser's outcomes in this directory between runs (src/cache/);
   * `warn` is told, in one line, when it cannot be written.
   */
  readonly cache?: { readonly dir: string; readonly warn: (message: string) => void };
}

export class CheckInputError extends Error {}

/**
 * Lint the migrations under `paths`. Throws CheckInputError when a path does not exist or no
 * migration is found there (with where it looked).
 */
export async function check(paths: readonly string[], options: CheckOptions): Promise<LintResult> {
  const { cwd, config } = options;
  // Most runs lint Postgres: start its parser (a WebAssembly module compiled off the main thread)
  // now, so that it is ready when discovery is done. A failure surfaces where lint awaits it.
  const forced = options.dialect ?? config.dialect;
  if (forced === undefined || forced === 'postgres') loadParser('postgres').catch(() => {});
  const found = await discover(paths, {
    cwd,
    format: options.format ?? config.format,
    dialect: options.dialect ?? config.dialect,
    ignore: config.ignore,
    ...(config.dir !== undefined ? { configDir: config.dir } : {}),
    ...(config.maxFileSizeMiB !== undefined ? { maxFileSizeMiB: config.maxFileSizeMiB } : {}),
  });
  if (found.missingPaths.length > 0) throw new CheckInputError(found.missingPaths.join('; '));
  const lookedFor = '(looked for .sql files, drizzle meta/_journal.json, prisma migration_lock.toml, knexfile.* and JS/TS files exporting up(knex))';
  if (found.sets.length === 0 && found.fileProblems.length === 0) throw new CheckInputError(`no migrations found in ${paths.join(', ')} ${lookedFor}`);
  // `check m empty`: the empty one is named, as when it is given alone.
  if (found.emptyPaths.length > 0) throw new CheckInputError(`no migrations found in ${found.emptyPaths.join(', ')} ${lookedFor}`);
  if (options.changedSince !== undefined) {
    const { applyChangedSince, GitError } = await import('./changed/changed-since.js');
    try {
      await applyChangedSince(found.sets, options.changedSince, cwd);
    } catch (err) {
      if (err instanceof GitError) throw new CheckInputError(`--changed-since ${options.changedSince}: ${err.message}`);
      throw err;
    }
  }
  // Loaded only with --cache (hashing, the cache file).
  const cache = options.cache && (await import('./cache/parse-cache.js')).openParseCache(options.cache.dir);
  const { findings, files, analyzable } = await lint(found.sets, RULES, config, { cache });
  if (cache && options.cache) {
    const problem = cache.save();
    if (problem) options.cache.warn(`migralint: cannot write the cache in ${cache.dir}: ${problem}`);
    if (process.env.MIGRALINT_DEBUG) process.stderr.write(`migralint: debug: parse cache: ${cache.stats.hits} of ${cache.stats.lookups} Postgres sections from ${cache.dir}\n`);
    if (process.env.MIGRALINT_DEBUG && cache.stats.chainLookups > 0) process.stderr.write(`migralint: debug: chain state: ${cache.stats.chainHits} of ${cache.stats.chainLookups} from the cache, ${cache.stats.chainSkipped} migrations not walked again\n`);
  }
  // Sets reached through file arguments count only those files' migrations: the rest of the
  // chain was read for context, not checked.
  const counted = (m: Migration, set: MigrationSet): boolean => isFocused(set, m);
  const focusedOut = new Set(found.sets.flatMap((set) => (set.focus ? set.migrations.filter((m) => !counted(m, set)).flatMap((m) => [m.file.path, m.up?.file.path, m.down?.file.path]) : [])));
  const summary: LintSummary = {
    sets: found.sets.length,
    migrations: found.sets.reduce((n, set) => n + set.migrations.filter((m) => counted(m, set)).length, 0),
    files: files.filter((f) => !focusedOut.has(f.path)).length,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warn').length,
    infos: findings.filter((f) => f.severity === 'info').length,
    analyzable,
    ...dialectAssumedOf(found.sets),
  };
  return { findings, fileProblems: found.fileProblems, sets: found.sets, rules: RULES, summary, cwd };
}

/** The sets linted with an assumed dialect (nothing in the project named it). */
function dialectAssumedOf(sets: readonly MigrationSet[]): Pick<LintSummary, 'dialectAssumed'> {
  const assumed = sets.filter((s) => s.dialectAssumed);
  if (assumed.length === 0) return {};
  return { dialectAssumed: { dialect: assumed[0]!.dialect, sets: assumed.map((s) => s.root) } };
}
