/**
 * The main thread's side of the parse worker (./parse-worker.ts). A run over a directory starts
 * it at boot (bin/migralint.js via src/cli/prestart.ts) so that its start-up and WebAssembly
 * compile overlap with module loading and discovery. `lint` then offers it every Postgres section
 * in chain order and walks the chain at once. The two threads claim sections from one shared
 * counter: the worker a block at a time, running libpg-query's WebAssembly parse and sending each
 * tree back as JSON text; the walk, when it reaches a section nobody has claimed yet (the worker
 * is still starting, or slower), claims it and parses it itself. The walk lowers every tree
 * (JSON.parse and lowering stay on the main thread: what crosses is one string per section, not
 * an object graph to clone), so the outcome is the one a single thread gives.
 *
 * Whatever goes wrong in the worker (an error, a crash, no progress for STALL_MS), the main thread
 * parses the remaining sections itself: the findings are the same either way.
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
/** The worker is given up on when it finishes no section for this long. */
const STALL_MS = 30_000;

/** Indices of the shared counters: the next section nobody has claimed, blocks posted by the worker, blocks taken by the walk, sections the worker finished. */
export const CLAIMED = 0;
export const POSTED = 1;
export const TAKEN = 2;
export const PROGRESS = 3;

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

/** Lowers a section from its tree's JSON text (postgres.ts lowerParsedSection). */
export type JsonLowerer = (section: Section, json: string) => ParseOutcome;

/**
 * Share the parsing of `sections` (in chain order) with the worker. Undefined (and the worker
 * stopped) when it is not running or the SQL is too small to be worth it.
 */
export function shareParsing(sections: readonly Section[], parse: SectionParser | undefined, lowerJson?: JsonLowerer): SharedParse | undefined {
  const w = worker;
  if (!w || !threads) return undefined;
  let total = 0;
  for (const s of sections) total += s.end - s.start;
  if (total < WORKER_MIN_CHARS || !parse || !lowerJson) {
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
  const signal = new Int32Array(new SharedArrayBuffer(16));
  const request: ParseRequest = { texts, sections: wanted, port: port2, signal };
  w.postMessage(request, [port2 as unknown as MessagePort]);
  const receive = threads.receiveMessageOnPort;
  const received = new Map<number, string | null>();
  let blocks = 0;
  let fromWorker = 0;
  let failed = false;
  const giveUp = (): void => {
    if (process.env.MIGRALINT_DEBUG) process.stderr.write('migralint: debug: the parse worker failed or stalled: the main thread parses its sections\n');
    failed = true;
    received.clear();
    port1.close();
    stopParseWorker();
  };
  /** Section `i` for the walk: claimed here (true: parse it yourself) or the worker's (false). */
  const claim = (i: number): boolean => {
    for (let c = Atomics.load(signal, CLAIMED); c <= i; ) {
      const seen = Atomics.compareExchange(signal, CLAIMED, c, i + 1);
      if (seen === c) return true;
      c = seen;
    }
    return false;
  };
  /** Wait (blocking) until the worker's result for section `i` is here, or the worker is given up. */
  const waitFor = (i: number): void => {
    let progress = Atomics.load(signal, PROGRESS);
    let since = Date.now();
    while (!failed && !received.has(i)) {
      const posted = Atomics.load(signal, POSTED);
      if (posted > blocks) {
        const m = receive(port1)?.message as ParseChunk | undefined;
        if (!m) continue; // posted before counted: it is on its way
        blocks++;
        Atomics.store(signal, TAKEN, blocks);
        Atomics.notify(signal, TAKEN);
        if (!m.ok) giveUp();
        else m.trees.forEach((tree, k) => received.set(m.from + k, tree));
        continue;
      }
      Atomics.wait(signal, POSTED, posted, 100);
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
      if (i === undefined || failed || (walkClaims && claim(i))) return parse(section);
      waitFor(i);
      const tree = received.get(i);
      received.delete(i);
      if (tree === undefined || tree === null) return parse(section);
      fromWorker++;
      return lowerJson(section, tree);
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
