/**
 * The command line: `migralint check|rules|explain|sql`. Returns the exit code:
 * 0 nothing at error level, 1 findings at error level (or too many warnings, or unreadable
 * migration files), 2 usage error, no migrations found, or internal error.
 */
import type { ConfirmCliOptions } from './confirm.js';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { describeFsError } from '../discover/read-file.js';
import { ConfigError, DEFAULT_MYSQL_VERSION, DEFAULT_POSTGRES_VERSION, loadConfig, MYSQL_VERSION_PATTERN, parseRuleOverride, type Config } from '../engine/config.js';
import { RULES, findRule } from '../engine/registry.js';
import { docsUrl, type Rule } from '../engine/rule.js';
import { DIALECTS, FORMATS, type Dialect, type FormatId, type Level } from '../model.js';
import { check, CheckInputError } from '../check.js';
import { VERSION, packagePath } from '../package-info.js';
import { escapeInline, escapeMultiline } from '../report/escape.js';
import { REPORT_FORMATS, formatResult, type ReportFormat } from '../report/index.js';
import { renderRulesTable, rulesJson } from './rules-table.js';

/** `check --cache` keeps the cache here, in the working directory (src/cache/parse-cache.ts). */
const DEFAULT_CACHE_DIR = '.migralint-cache';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  /** Colour the text output (stdout is a TTY and NO_COLOR is unset, or FORCE_COLOR is set). */
  color: boolean;
  /** stderr is a terminal (progress of --confirm is shown there). */
  stderrIsTTY?: boolean;
}

const defaultIo = (): Io => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  color: wantsColor(process.env, pc.isColorSupported),
  stderrIsTTY: process.stderr.isTTY === true,
});

/**
 * picocolors' detection, except that `FORCE_COLOR=0` (or `false`) turns colour off, as it does
 * for Node itself, chalk and npm; picocolors takes any FORCE_COLOR as "on".
 */
export function wantsColor(env: NodeJS.ProcessEnv, detected: boolean): boolean {
  const force = env.FORCE_COLOR?.trim().toLowerCase();
  return force === '0' || force === 'false' ? false : detected;
}

export class UsageError extends Error {}

/** `--format`: a report format, or (deprecated) a migration layout name. */
function parseFormatOption(value: string): ReportFormat | FormatId {
  if ((REPORT_FORMATS as readonly string[]).includes(value) || (FORMATS as readonly string[]).includes(value)) return value as ReportFormat | FormatId;
  throw new InvalidArgumentError(`Allowed choices are ${REPORT_FORMATS.join(', ')} (a migration layout goes in --migration-format).`);
}


/** `check`'s options as commander parses them (the --confirm ones are confirm.ts's). */
interface CheckOptions extends ConfirmCliOptions {
  format: ReportFormat | FormatId;
  output?: string;
  config?: string;
  dialect?: Dialect;
  migrationFormat?: FormatId;
  rule: string[];
  maxWarnings?: string;
  pgVersion?: string;
  mysqlVersion?: string;
  exitZero?: boolean;
  color?: boolean;
  confirm?: boolean;
  changedSince?: string;
  fix?: boolean;
  fixDryRun?: boolean;
  cache?: boolean;
  cacheLocation?: string;
}

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let exitCode = 0;
  const program = new Command('migralint')
    .description('Catch dangerous database migrations before they reach production.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: (t) => io.stderr(escapeMultiline(t)) })
    .showHelpAfterError('(run `migralint --help` for usage)');

  program
    .command('check', { isDefault: true })
    .description('lint the migrations under the given files and directories')
    .argument('[paths...]', 'files or directories holding migrations (default: the config\'s "paths", else .)')
    .addOption(
      new Option('-f, --format <format>', `report format: ${REPORT_FORMATS.join(', ')}`).argParser(parseFormatOption).default('text'),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-c, --config <file>', 'config file (default: nearest migralint.config.json or package.json "migralint" key)')
    .addOption(new Option('--dialect <dialect>', 'SQL dialect of every set (overrides detection)').choices([...DIALECTS]))
    .addOption(new Option('--migration-format <format>', 'migration layout of every set (overrides detection)').choices([...FORMATS]))
    .option('-r, --rule <rule=level>', 'set a rule\'s level: off, info, warn or error (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings (-1: no limit, as in ESLint)')
    .option('--pg-version <n>', `Postgres major version the migrations run on (default: the config's "postgresVersion", else ${DEFAULT_POSTGRES_VERSION})`)
    .option('--mysql-version <version>', `MySQL (or MariaDB) server version the migrations run on, such as 5.7, 8.0.28 or 10.11 (default: the config's "mysqlVersion", else ${DEFAULT_MYSQL_VERSION})`)
    .option('--changed-since <ref>', 'report only migrations added or edited since the merge base of <ref> and HEAD (work tree, untracked files included), and edits to migrations that already existed there')
    .option('--fix', 'apply the safe fixes (IF NOT EXISTS, timestamptz in a new column, ...) to SQL migration files, then report what remains; never Knex files, never suggestions')
    .option('--fix-dry-run', 'print the changes --fix would make (on stderr) without writing them')
    .option('--cache', `keep what the Postgres parser made of each migration between runs, in ${DEFAULT_CACHE_DIR}/ (only changed files are parsed again: a pre-commit run over a long chain)`)
    .option('--cache-location <dir>', `with --cache: the cache's directory (default ${DEFAULT_CACHE_DIR} in the working directory)`)
    .option('--exit-zero', 'exit 0 even when there are findings (usage errors still exit 2)')
    .option('--no-color', 'never colour the text output')
    .option('--confirm', 'replay each chain on a throwaway database (PGlite; SQLite for SQLite sets) and confirm or refute every finding')
    .option('--database-url <url>', 'with --confirm: a Postgres server to create the throwaway database migralint_tmp_* on (nothing runs in the named database)')
    .option('--keep', 'with --confirm --database-url: keep the throwaway database and print its name')
    .option('--seed-rows <n>', 'with --confirm: rows seeded into each existing table a migration touches (default 1000)')
    .option('--seed <s>', 'with --confirm: seed of the generated rows, to reproduce a report (default 1)')
    .option('--statement-timeout <seconds>', 'with --confirm: statement_timeout and lock_timeout of every statement (default 60)')
    .option('--strict', 'with --confirm: keep not-reproduced findings at their level (else they drop to info)')
    .action(async (paths: string[], opts: CheckOptions) => {
      exitCode = await runCheck(paths, opts, io);
    });

  program
    .command('rules')
    .description('list the rules and their default levels')
    .addOption(new Option('-f, --format <format>', 'text, or json (an array of { id, level, dialects, formats, recommended, confirmOnly, fixable, docsUrl })').choices(['text', 'json']).default('text'))
    .action((opts: { format: 'text' | 'json' }) => {
      io.stdout(opts.format === 'json' ? rulesJson(RULES) : renderRulesTable(RULES));
    });

  program
    .command('explain')
    .description("print a rule's documentation")
    .argument('<rule>', 'rule id, e.g. no-drop-table')
    .action((id: string) => {
      const rule = findRule(id);
      if (!rule) throw new UsageError(`unknown rule "${id}" (run \`migralint rules\` for the list)`);
      io.stdout(ruleDoc(rule));
    });

  program
    .command('sql')
    .description('print the SQL a Knex migration would run, as migralint reads it (a debugging aid)')
    .argument('<file>', 'a Knex migration (.js, .ts, .cjs, .mjs)')
    .addOption(new Option('--client <client>', 'Knex client to compile for (default: from the nearest knexfile, else pg)').choices(['pg', 'sqlite3', 'mysql2']))
    .action(async (file: string, opts: { client?: 'pg' | 'sqlite3' | 'mysql2' }) => {
      const { printKnexSql } = await import('./knex-sql.js');
      exitCode = await printKnexSql(file, opts.client, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof CheckInputError) {
      io.stderr(`migralint: ${escapeInline(err.message)}\n`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`migralint: internal error: ${escapeInline(message)}\n`);
    if (process.env.MIGRALINT_DEBUG && err instanceof Error) io.stderr(`${err.stack}\n`);
    return 2;
  }
}

/** The rule's Markdown doc; without one (a broken install), what its metadata says, not a crash. */
function ruleDoc(rule: Rule): string {
  try {
    return readFileSync(packagePath('rules', `${rule.meta.id}.md`), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return `# ${rule.meta.id}\n\n${rule.meta.description}\n\n${rule.meta.help}\n\nDocs: ${docsUrl(rule.meta.id)}\n`;
  }
}

async function runCheck(args: string[], opts: CheckOptions, io: Io): Promise<number> {
  // --format is the report format. A layout name there (the old spelling of --migration-format)
  // still works, with a notice: the two sets of names do not overlap.
  const reportFormat: ReportFormat = (REPORT_FORMATS as readonly string[]).includes(opts.format) ? (opts.format as ReportFormat) : 'text';
  const layout = (FORMATS as readonly string[]).includes(opts.format) ? (opts.format as FormatId) : undefined;
  if (layout) io.stderr(`migralint: --format ${layout} is deprecated: use --migration-format ${layout} (--format names the report format)\n`);
  let config: Config = await loadConfig(io.cwd, opts.config);
  if (opts.rule.length > 0) {
    const overrides: Record<string, Level> = { ...config.rules };
    for (const spec of opts.rule) {
      const [id, level] = parseRuleOverride(spec);
      overrides[id] = level;
    }
    config = { ...config, rules: overrides };
  }
  if (opts.pgVersion !== undefined) {
    if (!/^\d+$/.test(opts.pgVersion) || Number(opts.pgVersion) < 9 || Number(opts.pgVersion) > 99) {
      throw new UsageError(`--pg-version ${opts.pgVersion}: expected a Postgres major version such as 12 or 17`);
    }
    config = { ...config, postgresVersion: Number(opts.pgVersion) };
  }
  if (opts.mysqlVersion !== undefined) {
    if (!MYSQL_VERSION_PATTERN.test(opts.mysqlVersion)) throw new UsageError(`--mysql-version ${opts.mysqlVersion}: expected a server version such as 5.7, 8.0.28 or 10.11`);
    config = { ...config, mysqlVersion: opts.mysqlVersion };
  }
  let maxWarnings: number | undefined;
  if (opts.maxWarnings !== undefined) {
    if (!/^(?:\d+|-1)$/.test(opts.maxWarnings)) throw new UsageError(`--max-warnings ${opts.maxWarnings}: expected a whole number, or -1 for no limit`);
    maxWarnings = opts.maxWarnings === '-1' ? undefined : Number(opts.maxWarnings);
  }
  const paths = args.length > 0 ? args : (config.paths ?? ['.']);
  for (const [flag, set] of [['--database-url', opts.databaseUrl], ['--keep', opts.keep], ['--seed-rows', opts.seedRows], ['--seed', opts.seed], ['--statement-timeout', opts.statementTimeout], ['--strict', opts.strict]] as const) {
    if (set !== undefined && !opts.confirm) throw new UsageError(`${flag} needs --confirm`);
  }
  if (opts.fix && opts.fixDryRun) throw new UsageError('--fix and --fix-dry-run exclude each other');
  if (opts.cacheLocation !== undefined && !opts.cache) throw new UsageError('--cache-location needs --cache');
  const cache = opts.cache ? { dir: path.resolve(io.cwd, opts.cacheLocation ?? DEFAULT_CACHE_DIR), warn: (m: string) => io.stderr(`${m}\n`) } : undefined;
  let prewarmed = false;
  if (opts.confirm && opts.databaseUrl === undefined && config.confirm?.databaseUrl === undefined && (opts.dialect ?? config.dialect ?? 'postgres') === 'postgres') {
    // PGlite boots in a worker thread for seconds: start now, on another core, while the lint runs.
    const { prewarmPglite } = await import('../confirm/drivers/pglite.js');
    prewarmPglite();
    prewarmed = true;
  }
  const run = () => check(paths, { cwd: io.cwd, config, format: opts.migrationFormat ?? layout, dialect: opts.dialect, changedSince: opts.changedSince, cache });
  let result;
  if (opts.fix || opts.fixDryRun) {
    // Loaded only here: a run without --fix never loads the fixer.
    const { checkWithFixes } = await import('../fix/run.js');
    result = await checkWithFixes(run, { dryRun: opts.fixDryRun === true, stderr: io.stderr });
  } else {
    result = await run();
  }
  let confirmSummary = '';
  if (opts.confirm && prewarmed && !result.sets.some((s) => s.dialect === 'postgres')) {
    // The guess was wrong (SQLite or MySQL sets only): the booting worker gives the second core
    // back to the replay instead of taking it for seconds.
    const { shutdownPglite } = await import('../confirm/drivers/pglite.js');
    await shutdownPglite();
  }
  if (opts.confirm) {
    // Loaded only here: a run without --confirm never loads the replay, PGlite, pg or SQLite.
    const { confirmCli, ConfirmUsageError } = await import('./confirm.js');
    try {
      ({ result, summary: confirmSummary } = await confirmCli(result, config, opts, { stderr: io.stderr, progress: io.stderrIsTTY === true, columns: io.stderrIsTTY === true ? process.stderr.columns : undefined }));
    } catch (err) {
      if (err instanceof ConfirmUsageError) throw new UsageError(err.message);
      throw err;
    }
  }
  const { summary, fileProblems } = result;
  const color = opts.output === undefined && opts.color !== false && io.color && reportFormat === 'text';
  let report = formatResult(result, reportFormat, { color, version: VERSION });
  if (confirmSummary !== '') {
    // The text report carries the summary; machine formats keep stdout parseable.
    if (reportFormat === 'text') report += `\n${confirmSummary}`;
    else io.stderr(confirmSummary);
  }
  if (opts.output) {
    const target = path.resolve(io.cwd, opts.output);
    try {
      makeParentDirs(target);
      writeFileSync(target, report);
    } catch (err) {
      throw new UsageError(`--output ${opts.output}: ${describeFsError(err)}`);
    }
  } else {
    io.stdout(report);
  }
  // File problems always reach a person on stderr, whatever the report format and target.
  if (opts.output !== undefined || reportFormat !== 'text') {
    for (const p of fileProblems) io.stderr(`migralint: ${escapeInline(p.path)}: ${escapeInline(p.reason)}\n`);
  }
  // A guessed dialect decides which rules apply and how SQL parses: say so, once.
  if (summary.dialectAssumed) io.stderr(`migralint: dialect assumed: ${summary.dialectAssumed.dialect}; set --dialect (for ${summary.dialectAssumed.sets.join(', ')})\n`);
  if (opts.exitZero) return 0;
  if (summary.errors > 0 || fileProblems.length > 0) return 1;
  if (maxWarnings !== undefined && summary.warnings > maxWarnings) {
    io.stderr(`migralint: ${summary.warnings} warnings exceed --max-warnings ${maxWarnings}\n`);
    return 1;
  }
  return 0;
}

/**
 * Creates the missing folders above `file`, one level at a time: Node 20's
 * `mkdirSync(..., { recursive: true })` spins forever where mkdir fails with ENOENT under an
 * existing parent (procfs, for one), and a single mkdir names the folder that failed.
 */
function makeParentDirs(file: string): void {
  const dir = path.dirname(file);
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (path.dirname(dir) !== dir) makeParentDirs(dir);
    try {
      mkdirSync(dir);
    } catch (mkdirErr) {
      // EEXIST where stat saw nothing: a symbolic link to nowhere.
      if ((mkdirErr as NodeJS.ErrnoException).code === 'EEXIST') throw Object.assign(new Error(`${dir} is a broken link`), { code: 'ENOENT' });
      throw mkdirErr;
    }
    return;
  }
  if (!isDir) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
}
