/**
 * The parse worker (a worker thread): runs libpg-query's WebAssembly parse of the Postgres
 * sections the main thread sends and hands back each tree as JSON text (./pg-json.ts). Sections
 * are claimed in chain order from a counter shared with the main thread, a block at a time: the
 * main thread claims (and parses) a section itself when the worker has not got to it yet. See
 * ./parse-pool.ts for the main thread's side.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { CLAIMED, POSTED, PROGRESS, TAKEN, WALK, WINDOW } from './parse-pool.js';
import { doBlockTrees, loadJsonParsers } from './pg-json.js';
import { PARSE_GROUP_CHARS } from './postgres-split.js';
import { mayHoldPlaceholder } from './template-placeholders.js';

export interface ParseRequest {
  /** Texts of the files the sections are in. */
  readonly texts: string[];
  /** [index into texts, start, end] of each section, in chain order. */
  readonly sections: [number, number, number][];
  /** Where the results go. */
  readonly port: MessagePort;
  /** Counters shared with the main thread (indices in ./parse-pool.ts). */
  readonly signal: Int32Array;
}

/**
 * JSON text of the trees of sections `from`, `from + 1`, ... (null: not parsed here, the main
 * thread parses that one itself), with the PL/pgSQL trees of each one's DO blocks (by statement
 * text, ./pg-json.ts doBlockTrees; absent where no section has any), or why the worker stopped.
 */
export type ParseChunk =
  | { readonly ok: true; readonly from: number; readonly trees: (string | null)[]; readonly doBlocks?: ([string, string][] | null)[] }
  | { readonly ok: false; readonly error: string };

/** A block claimed at once holds this many characters of SQL (or one section). */
const BLOCK_CHARS = 32 * 1024;


const port = parentPort;
if (port) {
  // Started at once: the WebAssembly compile overlaps with the main thread's discovery.
  const parser = loadJsonParsers();
  port.on('message', (request: ParseRequest) => {
    const { port: out, signal, sections, texts } = request;
    const post = (chunk: ParseChunk): void => {
      out.postMessage(chunk);
      Atomics.add(signal, POSTED, 1);
      Atomics.notify(signal, POSTED);
    };
    parser
      .then((parsers) => {
        for (;;) {
          // Far enough ahead of the walk: wait for it (however long a rule takes; the walk's end
          // terminates this thread).
          for (let taken = Atomics.load(signal, TAKEN); Atomics.load(signal, POSTED) - taken >= WINDOW; taken = Atomics.load(signal, TAKEN)) {
            Atomics.wait(signal, TAKEN, taken, 1000);
          }
          const from = Atomics.load(signal, CLAIMED);
          if (from >= sections.length) return;
          // No more sections than the worker is ahead of the walk (one at first): the walk waits
          // for a whole block when it reaches one in progress.
          const most = Math.max(1, from - Atomics.load(signal, WALK));
          let to = from;
          for (let chars = 0; to < sections.length && (to === from || (chars < BLOCK_CHARS && to - from < most)); to++) chars += sections[to]![2] - sections[to]![1];
          if (Atomics.compareExchange(signal, CLAIMED, from, to) !== from) continue;
          const trees: (string | null)[] = [];
          let doBlocks: ([string, string][] | null)[] | undefined;
          for (let i = from; i < to; i++) {
            const [fi, start, end] = sections[i]!;
            // Too large (parsed in groups), or templated (the main thread masks its placeholders first).
            let sql: string | undefined = end - start > PARSE_GROUP_CHARS ? undefined : texts[fi]!.slice(start, end);
            if (sql !== undefined && mayHoldPlaceholder(sql, 'postgres')) sql = undefined;
            const tree = sql === undefined ? undefined : parsers.sql(sql);
            trees.push(tree ?? null);
            const blocks = tree === undefined ? undefined : doBlockTrees(sql!, tree, parsers.plpgsql);
            if (blocks) (doBlocks ??= Array.from({ length: to - from }, () => null))[i - from] = blocks;
            Atomics.add(signal, PROGRESS, 1);
          }
          post(doBlocks ? { ok: true, from, trees, doBlocks } : { ok: true, from, trees });
        }
      })
      .catch((err: unknown) => post({ ok: false, error: String(err) }));
  });
}
