/**
 * The main thread's side of the parse worker (./parse-worker.ts). A run over a directory starts
 * it at boot (bin/migralint.js via src/cli/prestart.ts) so that its start-up and WebAssembly
 * compile overlap with module loading and discovery. `lint` then offers it every Postgres section
 * in chain order and walks the chain at once. The worker claims blocks of sections from a
 * counter shared with the walk, runs libpg-query's WebAssembly parse on them and sends each tree
 * back as JSON text. The walk never waits for it: a section whose tree has not come yet (the
 * worker is still starting, or slower on a busy machine) it parses itself, and claims, so that
 * the worker skips ahead. The walk lowers every tree (JSON.parse and lowering stay on the main
 * thread: what crosses is one string per section, not an object graph to clone), so the outcome
 * is the one a single thread gives.
 *
 * Whatever goes wrong in the worker (an error, a crash), the main thread parses the remaining
 * sections itself: the findings are the same either way.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { Section, SourceFile } from '../model.js';
import type { ParseChunk, ParseRequest } from './parse-worker.js';
import type { ParseOutcome, SectionParser } from './parser.js';

/** Below this many characters of Postgres SQL, one thread is as fast (the hand-over costs). */
export const WORKER_MIN_CHARS = 256 * 1024;
/** The worker waits when it has sent this many blocks more than the walk has taken. */
export const WINDOW = 16;
/** MIGRALINT_PARSE_WORKER=all: the worker is given up on when it finishes no section for this long. */
const STALL_MS = 30_000;

/**
 * Indices of the shared counters: the next section nobody has claimed, blocks posted by the
 * worker, blocks taken by the walk, sections the worker finished, the section the walk is at.
 */
export const CLAIMED = 0;
export const POSTED = 1;
export const TAKEN = 2;
export const PROGRESS = 3;
export const WALK = 4;

type Threads = typeof import('node:worker_threads');

let threads: Threads | undefined;
let worker: Worker | undefined;

/** Start the parse worker (once). False where it cannot run (sources under a test runner). */
export async function startParseWorker(): Promise<boolean> {
  if (worker) return true;
  const file = new URL('./parse-worker.js', import.meta.url);
  if (file.protocol !== 'file:' || !existsSync(fileURLToPath(file))) return false;
  threads ??= await import('node:worker_threads');
  if (worker) return true;
  worker = new threads.Worker(file, { stdout: true, stderr: true });
  // It never keeps the process alive, and a crash only means "parse on the main thread".
  worker.unref();
  worker.on('error', () => stopParseWorker());
  return true;
}

let lateStart = false;

/** Let `startParseWorkerLate` start the worker (the CLI's boot, for a run over a directory its guess found small). */
export function allowLateParseWorker(): void {
  lateStart = true;
}

/** Start the worker now if allowed and `sections` hold enough SQL: it takes what the walk has not reached when it is up. */
export async function startParseWorkerLate(sections: readonly Section[]): Promise<void> {
  if (!lateStart || worker) return;
  lateStart = false;
  if (sqlChars(sections) >= WORKER_MIN_CHARS) await startParseWorker().catch(() => false);
}

function sqlChars(sections: readonly Section[]): number {
  let total = 0;
  for (const s of sections) total += s.end - s.start;
  return total;
}

export function stopParseWorker(): void {
  const w = worker;
  worker = undefined;
  if (w) void w.terminate().catch(() => {});
}

/** A parser for the walk that takes the worker's sections from it; `close` when the walk is done. */
export interface SharedParse {
  readonly parse: SectionParser;
  close(): void;
}

/**
 * Lowers a section from its tree's JSON text (postgres.ts lowerParsedSection), with the PL/pgSQL
 * trees of its DO blocks by statement text where the worker parsed them.
 */
export type JsonLowerer = (section: Section, json: string, doBlocks?: ReadonlyMap<string, string>) => ParseOutcome;

/**
 * Share the parsing of `sections` (in chain order) with the worker. Undefined (and the worker
 * stopped) when it is not running or the SQL is too small to be worth it.
 */
export function shareParsing(sections: readonly Section[], parse: SectionParser | undefined, lowerJson?: JsonLowerer): SharedParse | undefined {
  const w = worker;
  if (!w || !threads) return undefined;
  if (sqlChars(sections) < WORKER_MIN_CHARS || !parse || !lowerJson) {
    stopParseWorker();
    return undefined;
  }
  const position = new Map<Section, number>(sections.map((s, i) => [s, i]));
  // MIGRALINT_PARSE_WORKER=all: the walk leaves every section to the worker (to test and time it alone).
  const walkClaims = process.env.MIGRALINT_PARSE_WORKER !== 'all';
  const files: SourceFile[] = [];
  const texts: string[] = [];
  const fileIndex = new Map<SourceFile, number>();
  const wanted = sections.map((s): [number, number, number] => {
    let i = fileIndex.get(s.file);
    if (i === undefined) {
      i = files.length;
      fileIndex.set(s.file, i);
      files.push(s.file);
      texts.push(s.file.text);
    }
    return [i, s.start, s.end];
  });
  const { port1, port2 } = new threads.MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(20));
  const request: ParseRequest = { texts, sections: wanted, port: port2, signal };
  w.postMessage(request, [port2 as unknown as MessagePort]);
  const receive = threads.receiveMessageOnPort;
  const received = new Map<number, string | null>();
  const receivedDo = new Map<number, [string, string][]>();
  let blocks = 0;
  let fromWorker = 0;
  let failed = false;
  const giveUp = (): void => {
    if (process.env.MIGRALINT_DEBUG) process.stderr.write('migralint: debug: the parse worker failed or stalled: the main thread parses its sections\n');
    failed = true;
    received.clear();
    receivedDo.clear();
    port1.close();
    stopParseWorker();
  };
  /** The worker may skip section `i` (and any before it nobody claimed): the walk parses it. */
  const claim = (i: number): void => {
    for (let c = Atomics.load(signal, CLAIMED); c <= i; ) {
      const seen = Atomics.compareExchange(signal, CLAIMED, c, i + 1);
      if (seen === c) return;
      c = seen;
    }
  };
  /** Takes one block the worker posted, keeping its trees of sections from `i` on; false when none is ready. */
  const take = (i: number): boolean => {
    if (Atomics.load(signal, POSTED) <= blocks) return false;
    const m = receive(port1)?.message as ParseChunk | undefined;
    if (!m) return false; // posted before counted: it is on its way
    blocks++;
    Atomics.store(signal, TAKEN, blocks);
    Atomics.notify(signal, TAKEN);
    if (!m.ok) giveUp();
    else {
      m.trees.forEach((tree, k) => m.from + k >= i && received.set(m.from + k, tree));
      m.doBlocks?.forEach((blocks, k) => blocks && m.from + k >= i && receivedDo.set(m.from + k, blocks));
    }
    return true;
  };
  /** MIGRALINT_PARSE_WORKER=all: wait (blocking) for the worker's tree of section `i`, unless it is given up. */
  const waitFor = (i: number): void => {
    let progress = Atomics.load(signal, PROGRESS);
    let since = Date.now();
    while (!failed && !received.has(i)) {
      if (take(i)) continue;
      Atomics.wait(signal, POSTED, blocks, 100);
      const now = Atomics.load(signal, PROGRESS);
      if (now !== progress) {
        progress = now;
        since = Date.now();
      } else if (Date.now() - since > STALL_MS) giveUp();
    }
  };
  return {
    parse(section) {
      const i = position.get(section);
      if (i === undefined || failed) return parse(section);
      Atomics.store(signal, WALK, i);
      // The walk never waits: what the worker has not delivered yet, it parses itself (even a
      // section the worker is busy with: its tree is dropped when it comes).
      if (walkClaims) while (!received.has(i) && take(i));
      else waitFor(i);
      const tree = received.get(i);
      const blocks = receivedDo.get(i);
      received.delete(i);
      receivedDo.delete(i);
      if (tree === undefined || tree === null) {
        if (walkClaims) claim(i);
        return parse(section);
      }
      fromWorker++;
      return lowerJson(section, tree, blocks && new Map(blocks));
    },
    close() {
      if (process.env.MIGRALINT_DEBUG) process.stderr.write(`migralint: debug: the parse worker parsed ${fromWorker} of ${sections.length} Postgres sections\n`);
      if (!failed) {
        port1.close();
        stopParseWorker();
      }
    },
  };
}
