/**
 * The main thread's side of the parse worker (./parse-worker.ts): a run over a directory starts
 * it at boot (bin/migralint.js via src/cli/prestart.ts) so that its start-up and WebAssembly
 * compile overlap with module loading and discovery; `lint` then hands it the later part of the
 * Postgres sections while the main thread parses the earlier part. A run with little SQL does
 * not use it (stopped unused). Whatever goes wrong in the worker, the main thread parses the
 * sections itself: the findings are the same either way.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { Section, SourceFile } from '../model.js';
import { outcomeDecoder } from './parse-transfer.js';
import type { ParseReply, ParseRequest } from './parse-worker.js';
import type { ParseOutcome, SectionParser } from './parser.js';

/** Below this many characters of Postgres SQL, one thread is faster than two (measured). */
export const WORKER_MIN_CHARS = 256 * 1024;
/** Share of the characters the worker parses (the main thread also walks the whole chain). */
const WORKER_SHARE = 0.5;

let worker: Worker | undefined;

/** Start the parse worker (once). False where it cannot run (sources under a test runner). */
export async function startParseWorker(): Promise<boolean> {
  if (worker) return true;
  const file = new URL('./parse-worker.js', import.meta.url);
  if (file.protocol !== 'file:' || !existsSync(fileURLToPath(file))) return false;
  const { Worker } = await import('node:worker_threads');
  if (worker) return true;
  worker = new Worker(file, { stdout: true, stderr: true });
  // It never keeps the process alive on its own, and a crash only means "parse on main".
  worker.unref();
  worker.on('error', () => stopParseWorker());
  return true;
}

export function stopParseWorker(): void {
  const w = worker;
  worker = undefined;
  if (w) void w.terminate().catch(() => {});
}

/**
 * Parse `sections` (in chain order) with the worker's help: the main thread parses the first
 * part with `parse` while the worker parses the rest. Undefined (and the worker stopped) when
 * the worker is not running or the SQL is too small to be worth it.
 */
export async function parseShared(sections: readonly Section[], parse: SectionParser): Promise<Map<Section, ParseOutcome> | undefined> {
  const w = worker;
  if (!w) return undefined;
  let total = 0;
  for (const s of sections) total += s.end - s.start;
  if (total < WORKER_MIN_CHARS) {
    stopParseWorker();
    return undefined;
  }
  // The worker takes the sections from the first one past the main thread's share.
  let split = 0;
  for (let acc = 0; split < sections.length && acc < total * (1 - WORKER_SHARE); split++) acc += sections[split]!.end - sections[split]!.start;
  const mine = sections.slice(0, split);
  const theirs = sections.slice(split);
  const files: SourceFile[] = [];
  const texts: string[] = [];
  const fileIndex = new Map<SourceFile, number>();
  const request: ParseRequest = {
    texts,
    sections: theirs.map((s): [number, number, number] => {
      let i = fileIndex.get(s.file);
      if (i === undefined) {
        i = files.length;
        fileIndex.set(s.file, i);
        files.push(s.file);
        texts.push(s.file.text);
      }
      return [i, s.start, s.end];
    }),
  };
  const reply = new Promise<ParseReply>((resolve) => {
    const onExit = (): void => resolve({ ok: false, error: 'the parse worker stopped' });
    w.once('exit', onExit);
    w.once('message', (m: ParseReply) => {
      w.off('exit', onExit);
      resolve(m);
    });
  });
  // Waiting for its answer must keep the process alive.
  w.ref();
  w.postMessage(request);
  const out = new Map<Section, ParseOutcome>();
  for (const s of mine) out.set(s, parse(s));
  const answer = await reply;
  stopParseWorker();
  if (!answer.ok || answer.outcomes.length !== theirs.length) {
    for (const s of theirs) out.set(s, parse(s));
    return out;
  }
  const decode = outcomeDecoder(files);
  theirs.forEach((s, i) => out.set(s, decode(answer.outcomes[i]!)));
  return out;
}
