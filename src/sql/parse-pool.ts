/**
 * The main thread's side of the parse worker (./parse-worker.ts). A run over a directory starts
 * it at boot (bin/migralint.js via src/cli/prestart.ts) so that its start-up and WebAssembly
 * compile overlap with module loading and discovery. `lint` then hands it the later part of the
 * Postgres sections and walks the chain at once: the main thread parses the earlier part as it
 * walks, while the worker parses the rest and streams it back in chunks, which the walk takes
 * synchronously when it gets there (receiveMessageOnPort, Atomics.wait). Outcomes are dropped as
 * soon as the walk has them, so memory stays what it is on one thread.
 *
 * Whatever goes wrong in the worker (an error, a crash, no progress for STALL_MS), the main thread
 * parses the remaining sections itself: the findings are the same either way.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { Section, SourceFile } from '../model.js';
import { outcomeDecoder, type EncodedOutcome } from './parse-transfer.js';
import type { ParseChunk, ParseRequest } from './parse-worker.js';
import type { ParseOutcome, SectionParser } from './parser.js';

/** Below this many characters of Postgres SQL, one thread is as fast (the hand-over costs). */
export const WORKER_MIN_CHARS = 256 * 1024;
/** Share of the characters the worker parses: the main thread also walks the whole chain. */
const WORKER_SHARE = 0.55;
/** Characters of SQL in a pair of blocks (one for each thread). */
const BLOCK_CHARS = 128 * 1024;
/** The worker waits when it has sent this many chunks more than the walk has taken. */
export const WINDOW = 8;
/** The worker is given up on when it finishes no section for this long. */
const STALL_MS = 30_000;

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

/**
 * Share the parsing of `sections` (in chain order) with the worker. Undefined (and the worker
 * stopped) when it is not running or the SQL is too small to be worth it.
 */
export function shareParsing(sections: readonly Section[], parse: SectionParser | undefined): SharedParse | undefined {
  const w = worker;
  if (!w || !threads) return undefined;
  let total = 0;
  for (const s of sections) total += s.end - s.start;
  if (total < WORKER_MIN_CHARS || !parse) {
    stopParseWorker();
    return undefined;
  }
  // Blocks of sections alternate between the threads (main, worker, main, ...), the worker's
  // blocks WORKER_SHARE of each pair: both move down the chain together, so what the worker has
  // sent and the walk has not taken yet stays small (it also waits when it is WINDOW chunks ahead).
  const theirs: Section[] = [];
  let inBlock = 0;
  let workers = false;
  for (const s of sections) {
    if (workers) theirs.push(s);
    inBlock += s.end - s.start;
    if (inBlock >= BLOCK_CHARS * (workers ? WORKER_SHARE : 1 - WORKER_SHARE) * 2) {
      workers = !workers;
      inBlock = 0;
    }
  }
  const position = new Map<Section, number>(theirs.map((s, i) => [s, i]));
  if (process.env.MIGRALINT_DEBUG) process.stderr.write(`migralint: debug: the parse worker takes ${theirs.length} of ${sections.length} Postgres sections\n`);
  const files: SourceFile[] = [];
  const texts: string[] = [];
  const fileIndex = new Map<SourceFile, number>();
  const wanted = theirs.map((s): [number, number, number] => {
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
  // [0]: chunks posted, [1]: sections finished (progress, for the stall check), [2]: chunks taken.
  const signal = new Int32Array(new SharedArrayBuffer(12));
  const request: ParseRequest = { texts, sections: wanted, port: port2, signal };
  w.postMessage(request, [port2 as unknown as MessagePort]);
  const receive = threads.receiveMessageOnPort;
  const decode = outcomeDecoder(files);
  const received = new Map<number, EncodedOutcome>();
  let next = 0; // sections received so far (chunks come in order)
  let chunks = 0;
  let failed = false;
  const giveUp = (): void => {
    if (process.env.MIGRALINT_DEBUG) process.stderr.write('migralint: debug: the parse worker failed or stalled: the main thread parses its sections\n');
    failed = true;
    received.clear();
    port1.close();
    stopParseWorker();
  };
  /** Wait (blocking) until the worker's outcome for section `i` is here, or the worker is given up. */
  const waitFor = (i: number): void => {
    let progress = Atomics.load(signal, 1);
    let since = Date.now();
    while (!failed && next <= i) {
      const posted = Atomics.load(signal, 0);
      if (posted > chunks) {
        const m = receive(port1)?.message as ParseChunk | undefined;
        if (!m) continue; // posted before counted: it is on its way
        chunks++;
        Atomics.store(signal, 2, chunks);
        Atomics.notify(signal, 2);
        if (!m.ok || m.from !== next) giveUp();
        else for (const o of m.outcomes) received.set(next++, o);
        continue;
      }
      Atomics.wait(signal, 0, posted, 100);
      const now = Atomics.load(signal, 1);
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
      waitFor(i);
      const encoded = received.get(i);
      if (!encoded) return parse(section);
      received.delete(i);
      return decode(encoded);
    },
    close() {
      if (!failed) {
        port1.close();
        stopParseWorker();
      }
    },
  };
}
