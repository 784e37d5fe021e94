/**
 * The parse worker (a worker thread): parses and lowers the Postgres sections the main thread
 * sends and streams the outcomes back in chunks. See ./parse-pool.ts for the main thread's side.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import type { SourceFile } from '../model.js';
import { WINDOW } from './parse-pool.js';
import { outcomeEncoder, type EncodedOutcome } from './parse-transfer.js';
import { createPostgresParser } from './postgres.js';

export interface ParseRequest {
  /** Texts of the files the sections are in. */
  readonly texts: string[];
  /** [index into texts, start, end] of each section. */
  readonly sections: [number, number, number][];
  /** Where the chunks go. */
  readonly port: MessagePort;
  /** [0]: chunks posted, [1]: sections finished (bumped by the worker), [2]: chunks taken (by the main thread). */
  readonly signal: Int32Array;
}

/** Outcomes of the sections `from`, `from + 1`, ... of the request, or why the worker stopped. */
export type ParseChunk = { readonly ok: true; readonly from: number; readonly outcomes: EncodedOutcome[] } | { readonly ok: false; readonly error: string };

/** A chunk is sent once it holds this many characters of SQL (or at the end). */
const CHUNK_CHARS = 64 * 1024;

const port = parentPort;
if (port) {
  // Started at once: the WebAssembly compile overlaps with the main thread's discovery.
  const parser = createPostgresParser();
  port.on('message', (request: ParseRequest) => {
    const { port: out, signal } = request;
    const post = (chunk: ParseChunk): void => {
      // Far enough ahead of the walk: wait for it (a timeout keeps a stopped walk from pinning us).
      for (let taken = Atomics.load(signal, 2); Atomics.load(signal, 0) - taken >= WINDOW; taken = Atomics.load(signal, 2)) {
        if (Atomics.wait(signal, 2, taken, 1000) === 'timed-out') break;
      }
      out.postMessage(chunk);
      Atomics.add(signal, 0, 1);
      Atomics.notify(signal, 0);
    };
    parser
      .then((parse) => {
        const files: SourceFile[] = request.texts.map((text) => ({ path: '', relPath: '', text }));
        const encode = outcomeEncoder(files);
        let from = 0;
        let outcomes: EncodedOutcome[] = [];
        let chars = 0;
        request.sections.forEach(([fi, start, end], i) => {
          outcomes.push(encode(parse({ file: files[fi]!, start, end })));
          Atomics.add(signal, 1, 1);
          chars += end - start;
          if (chars >= CHUNK_CHARS || i === request.sections.length - 1) {
            post({ ok: true, from, outcomes });
            from = i + 1;
            outcomes = [];
            chars = 0;
          }
        });
      })
      .catch((err: unknown) => post({ ok: false, error: String(err) }));
  });
}
