/**
 * Work a `check` run can start before the CLI's own modules load: the Postgres parser is a
 * WebAssembly module that compiles off the main thread, so starting it first hides its compile
 * behind module loading and discovery (bin/migralint.js calls this before importing ./main.js).
 * A guess from argv alone: a run that turns out not to need Postgres only spent background time.
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { allowLateParseWorker, startParseWorker } from '../sql/parse-pool.js';
import { loadParser } from '../sql/parser.js';

/**
 * `check`'s options that take a value (the value is not a path). Kept by hand (commander is not
 * loaded yet here); test/cli-prestart.test.ts compares it with `check --help`.
 */
export const VALUE_OPTIONS: ReadonlySet<string> = new Set(['-f', '--format', '-o', '--output', '-c', '--config', '--dialect', '--migration-format', '-r', '--rule', '--max-warnings', '--pg-version', '--mysql-version', '--changed-since', '--database-url', '--seed-rows', '--seed', '--statement-timeout', '--cache-location']);

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
  // A directory with many SQL files near its top: start the parse worker too, so that its start-up
  // overlaps with ours (lint starts it later for a large run this guess missed). A run over files
  // only (a pre-commit hook) stays on one thread.
  if (!parseWorkerWanted()) return;
  const dirs = pathArguments(argv).filter(isDirectory);
  if (dirs.some(manySqlFiles)) startParseWorker().catch(() => {});
  else if (dirs.length > 0) allowLateParseWorker();
}

/**
 * The worker needs a second core. On 2 cores it measured faster on the bench corpus (the main
 * thread's CPU time 650 -> 558 ms, the worker only parses) and costs a few ms on a small run, hence
 * the guess below. MIGRALINT_PARSE_WORKER=1 (or 0) decides it for a run, to measure either way.
 */
export function parseWorkerWanted(): boolean {
  const forced = process.env.MIGRALINT_PARSE_WORKER;
  if (forced === '1' || forced === 'all') return true;
  if (forced === '0') return false;
  return availableParallelism() >= 2;
}

/**
 * About the worker's threshold (WORKER_MIN_CHARS, 256 KiB) of SQL at ~1 KiB a migration: this
 * many `.sql` files in a directory argument or its subdirectories (diesel's and prisma's
 * `<name>/up.sql` layouts), counted without reading them.
 */
const MANY_SQL_FILES = 200;

function manySqlFiles(p: string): boolean {
  let count = 0;
  const countIn = (dir: string, depth: number): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (count >= MANY_SQL_FILES) return;
      if (e.isFile() && e.name.endsWith('.sql')) count++;
      else if (depth > 0 && e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') countIn(path.join(dir, e.name), depth - 1);
    }
  };
  countIn(p, 1);
  return count >= MANY_SQL_FILES;
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
