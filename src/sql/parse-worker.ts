/**
 * Worker thread body for parallel Postgres parsing: receives section texts, answers with their
 * parse outcomes, spans as [start, end] offsets into each text (see ./parallel.ts).
 */
import { parentPort } from 'node:worker_threads';
import { createPostgresParser } from './postgres.js';
import { flattenOutcome } from './parallel.js';

const parse = await createPostgresParser();

parentPort!.on('message', (texts: string[]) => {
  parentPort!.postMessage(
    texts.map((text) => {
      const file = { path: '', relPath: '', text };
      return flattenOutcome(parse({ file, start: 0, end: text.length }));
    }),
  );
});
