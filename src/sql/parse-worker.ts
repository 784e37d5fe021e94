/**
 * The parse worker (a worker thread): parses and lowers Postgres sections the main thread sends,
 * so that a large run uses a second core. See ./parse-pool.ts for the main thread's side.
 */
import { parentPort } from 'node:worker_threads';
import type { SourceFile } from '../model.js';
import { outcomeEncoder, type EncodedOutcome } from './parse-transfer.js';
import { createPostgresParser } from './postgres.js';

export interface ParseRequest {
  /** Texts of the files the sections are in. */
  readonly texts: string[];
  /** [index into texts, start, end] of each section. */
  readonly sections: [number, number, number][];
}

export type ParseReply = { readonly ok: true; readonly outcomes: EncodedOutcome[] } | { readonly ok: false; readonly error: string };

const port = parentPort;
if (port) {
  // Started at once: the WebAssembly compile overlaps with the main thread's discovery.
  const parser = createPostgresParser();
  port.on('message', (request: ParseRequest) => {
    parser.then(
      (parse) => {
        const files: SourceFile[] = request.texts.map((text) => ({ path: '', relPath: '', text }));
        const encode = outcomeEncoder(files);
        const outcomes = request.sections.map(([fi, start, end]) => encode(parse({ file: files[fi]!, start, end })));
        port.postMessage({ ok: true, outcomes } satisfies ParseReply);
      },
      (err: unknown) => port.postMessage({ ok: false, error: String(err) } satisfies ParseReply),
    ).catch((err: unknown) => port.postMessage({ ok: false, error: String(err) } satisfies ParseReply));
  });
}
