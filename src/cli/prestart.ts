/**
 * Work a `check` run can start before the CLI's own modules load: the Postgres parser is a
 * WebAssembly module that compiles off the main thread, so starting it first hides its compile
 * behind module loading and discovery (bin/migralint.js calls this before importing ./main.js).
 * A guess from argv alone: a run that turns out not to need Postgres only spent background time.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { startParseWorker } from '../sql/parse-pool.js';
import { loadParser } from '../sql/parser.js';

/**
 * `check`'s options that take a value (the value is not a path). Kept by hand (commander is not
 * loaded yet here); test/cli-prestart.test.ts compares it with `check --help`.
 */
export const VALUE_OPTIONS: ReadonlySet<string> = new Set(['-f', '--format', '-o', '--output', '-c', '--config', '--dialect', '--migration-format', '-r', '--rule', '--max-warnings', '--pg-version', '--mysql-version', '--changed-since', '--database-url', '--seed-rows', '--seed', '--statement-timeout']);

const OTHER_COMMANDS = new Set(['rules', 'explain', 'sql', 'help', '-h', '--help', '-v', '--version']);

export function prestart(argv: readonly string[]): void {
  if (argv.length > 0 && OTHER_COMMANDS.has(argv[0]!)) return;
  if (argv.includes('--help') || argv.includes('-h')) return;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const dialect = a === '--dialect' ? argv[i + 1] : a.startsWith('--dialect=') ? a.slice('--dialect='.length) : undefined;
    if (dialect !== undefined && dialect !== 'postgres') return;
  }
  // A failure surfaces where the run awaits the parser (check's lint), not here.
  loadParser('postgres').catch(() => {});
  // A directory (or the default, .) may hold many migrations: start the parse worker too. A
  // run over files only (a pre-commit hook) stays on one thread.
  if (parseWorkerWanted() && pathArguments(argv).some(isDirectory)) startParseWorker().catch(() => {});
}

/**
 * The worker needs a core of its own: V8's background threads (concurrent compilation, GC)
 * already keep a second core about half busy on a large run, and on 2 cores the worker measured
 * no faster while it costs ~15% more CPU. MIGRALINT_PARSE_WORKER=1 (or 0) decides it for a run,
 * to measure either way.
 */
function parseWorkerWanted(): boolean {
  const forced = process.env.MIGRALINT_PARSE_WORKER;
  if (forced === '1' || forced === 'all') return true;
  if (forced === '0') return false;
  return availableParallelism() >= 4;
}

function pathArguments(argv: readonly string[]): string[] {
  const paths: string[] = [];
  for (let i = argv[0] === 'check' ? 1 : 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (VALUE_OPTIONS.has(a)) i++;
    else if (a === '--') paths.push(...argv.slice(i + 1));
    else if (!a.startsWith('-')) paths.push(a);
    if (a === '--') break;
  }
  return paths.length > 0 ? paths : ['.'];
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
